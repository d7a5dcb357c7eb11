#include "io/config_dir.hpp"

#include <sys/stat.h>

#include <cstdlib>

namespace postino::io {

std::string config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::string(xdg) + "/postino";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/postino";
}

bool make_dirs(const std::string& dir) {
  for (std::size_t i = 1; i <= dir.size(); ++i)
    if (i == dir.size() || dir[i] == '/') ::mkdir(dir.substr(0, i).c_str(), 0700);
  struct stat st{};
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace postino::io
