#include "gui/cli.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/stdio_server.hpp"
#include "sim/mail/demo.hpp"

namespace postino::cli {
namespace {

constexpr const char* kUsage =
    "Usage: postino [--help] [--version] <command> [options]\n"
    "\n"
    "Postino simulates a mail server and the devices that read it, to show the difference\n"
    "between POP3 and IMAP.\n"
    "\n"
    "Commands:\n"
    "  serve --stdio pop3   Run one POP3 server session on standard input and output,\n"
    "                       against the demo mailboxes (like a server started by inetd).\n"
    "                       Log in as info@tuodominio.it with password \"segreta\".\n"
    "\n"
    "Options:\n"
    "  -h, --help           Show this help and exit.\n"
    "  -V, --version        Show the version and exit.\n"
    "\n"
    "Example:\n"
    "  printf 'USER info@tuodominio.it\\r\\nPASS segreta\\r\\nSTAT\\r\\nQUIT\\r\\n' \\\n"
    "    | postino serve --stdio pop3\n"
    "\n"
    "The graphical simulator is not built yet: without a command, postino prints this help.\n";

int usage_error(const char* message) {
  std::fprintf(stderr, "postino: %s\nTry 'postino --help' for more information.\n", message);
  return 2;
}

int serve(const std::vector<std::string_view>& args) {
  if (args.size() != 2 || args[0] != "--stdio")
    return usage_error("serve needs '--stdio pop3' or '--stdio imap' (the TCP server is not built yet)");
  if (args[1] != "pop3" && args[1] != "imap")
    return usage_error("serve --stdio needs a protocol: pop3 or imap");
  mail::Store store = mail::make_demo_store();
  return io::serve_stdio(args[1] == "pop3" ? io::Protocol::Pop3 : io::Protocol::Imap, store);
}

}  // namespace

int run(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const std::string_view first = args[0];
  if (first == "-h" || first == "--help" || first == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (first == "-V" || first == "--version") {
    std::printf("postino %s\n", POSTINO_VERSION);
    return 0;
  }
  if (first == "serve") return serve({args.begin() + 1, args.end()});
  std::string message = "unknown command or option '" + std::string(first) + "'";
  return usage_error(message.c_str());
}

}  // namespace postino::cli
