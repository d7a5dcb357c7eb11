#pragma once
// Where Postino keeps what outlives a run: the self-signed certificate, the window's settings.
#include <string>

namespace postino::io {

// $XDG_CONFIG_HOME/postino, or ~/.config/postino.
std::string config_dir();
// Creates `dir` and the directories above it that are missing (~/.config may not exist yet);
// true when it exists afterwards.
bool make_dirs(const std::string& dir);

}  // namespace postino::io
