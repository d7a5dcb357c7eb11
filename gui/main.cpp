#include "gui/cli.hpp"

int main(int argc, char** argv) { return postino::cli::run(argc, argv); }
