// The browser build's entry point. index.html turns the page's address into options
// (#lesson=06&lang=it&step=3 gives --lesson 06 --lang it --step 3); the window opens on them as
// `postino open` would (gui/open_command.cpp). #test-hooks is for tests/web only
// (gui/platform_web.hpp).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gui/open_command.hpp"
#include "gui/platform_web.hpp"

namespace {

// The bundled file for lesson `number` ("6" or "06"): the first, in path order, under /lessons
// whose name starts with "06-" and ends in .txt.
std::string find_lesson(std::string number) {
  if (number.size() == 1) number.insert(0, "0");
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator("/lessons", ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with(number + "-") && name.ends_with(".txt")) found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? std::string() : found.front();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--lesson" && has_value) {
      const std::string file = find_lesson(argv[++i]);
      if (file.empty()) {
        std::fprintf(stderr, "postino: no lesson %s in this build (lessons/ has the bundled ones)\n", argv[i]);
        return 2;
      }
      args.insert(args.begin(), file);
    } else if (a == "--scenario" && has_value) {
      args.insert(args.begin(), argv[++i]);
    } else if (a == "--test-hooks") {
      postino::gui::web::enable_test_hooks();
    } else if (a == "--listen" || a == "--serve") {
      std::fprintf(stderr,
                   "postino: real mail clients can connect to the desktop program only (postino serve, "
                   "postino open --listen): a web page cannot listen on a port\n");
      return 2;
    } else {
      args.emplace_back(a);
    }
  }
  const std::vector<std::string_view> views(args.begin(), args.end());
  return postino::gui::open_command(views);
}
