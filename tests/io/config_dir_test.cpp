// The config directory is made whole: settings were lost when ~/.config did not exist yet.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "io/config_dir.hpp"

namespace postino::io {

TEST_SUITE("io") {
  TEST_CASE("make_dirs creates every missing directory above the config directory") {
    namespace fs = std::filesystem;
    char pattern[] = "/tmp/postino-config-XXXXXX";
    REQUIRE(::mkdtemp(pattern));
    const std::string base = pattern;
    const char* before = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = before ? before : "";
    ::setenv("XDG_CONFIG_HOME", (base + "/not/yet/there").c_str(), 1);
    const std::string dir = config_dir();
    CHECK(dir == base + "/not/yet/there/postino");
    CHECK_FALSE(fs::exists(dir));
    CHECK(make_dirs(dir));
    CHECK(fs::is_directory(dir));
    CHECK(make_dirs(dir));  // again: it is there
    if (before) ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else ::unsetenv("XDG_CONFIG_HOME");
    fs::remove_all(base);
  }
}

}  // namespace postino::io
