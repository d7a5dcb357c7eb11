#pragma once
#include <string_view>
#include <vector>

namespace postino::cli {

// Opens the window with these arguments (`postino open ...`); returns the process exit code. The
// GUI hands it in, so the command line itself links no GUI library.
using OpenWindow = int (*)(const std::vector<std::string_view>& args);

// The `postino` command line: dispatches to subcommands; returns the process exit code.
int run(int argc, char** argv, OpenWindow open_window);

// Prints `message` and a pointer to --help on stderr; returns 2, the exit code for bad usage.
int usage_error(const char* message);

}  // namespace postino::cli
