#include "cli/cli.hpp"
#include "gui/open_command.hpp"

int main(int argc, char** argv) { return postino::cli::run(argc, argv, postino::gui::open_command); }
