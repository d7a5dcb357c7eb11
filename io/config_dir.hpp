#pragma once
// Where Postino keeps what outlives a run: the self-signed certificate, the window's settings.
#include <string>

namespace postino::io {

// $XDG_CONFIG_HOME/postino, or ~/.config/postino.
std::string config_dir();

}  // namespace postino::io
