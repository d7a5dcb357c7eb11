#pragma once
#include <string_view>
#include <vector>

namespace postino::gui {

// `postino open FILE [options]` (and the window options given without a command): parses them
// and runs the window; returns the process exit code.
int open_command(const std::vector<std::string_view>& args);

}  // namespace postino::gui
