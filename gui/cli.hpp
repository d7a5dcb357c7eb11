#pragma once

namespace postino::cli {

// The `postino` command line: dispatches to subcommands; returns the process exit code.
int run(int argc, char** argv);

}  // namespace postino::cli
