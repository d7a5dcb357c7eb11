#include "io/config_dir.hpp"

#include <cstdlib>

namespace postino::io {

std::string config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::string(xdg) + "/postino";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/postino";
}

}  // namespace postino::io
