#include "gui/open_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/cli.hpp"
#include "gui/window.hpp"

namespace postino::gui {

int open_command(const std::vector<std::string_view>& args) {
  WindowOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--screenshot" && has_value) {
      o.screenshot = std::string(args[++i]);
    } else if (a == "--state-file" && has_value) {
      o.state_file = std::string(args[++i]);
    } else if (a == "--size" && has_value) {
      if (std::sscanf(std::string(args[++i]).c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240)
        return cli::usage_error("--size is WIDTHxHEIGHT, e.g. 1280x800");
      o.size_given = true;
    } else if (a == "--at" && has_value) {
      o.at = std::string(args[++i]);
    } else if (a == "--step" && has_value) {
      o.step = std::strtol(std::string(args[++i]).c_str(), nullptr, 10);
    } else if (a == "--presenter") {
      o.presenter = true;
    } else if (a == "--bench" && has_value) {
      o.bench = std::strtod(std::string(args[++i]).c_str(), nullptr);
    } else if (a == "--sequence") {
      o.sequence = true;
    } else if (a == "--wire") {
      o.wire = true;
    } else if (a == "--webmail") {
      o.webmail = true;
    } else if (a == "--side-by-side") {
      o.side_by_side = true;
    } else if (a == "--dark") {
      o.dark = true;
    } else if (a == "--listen") {
      o.listen = true;
    } else if ((a == "--pop3" || a == "--pop3s" || a == "--imap" || a == "--imaps") && has_value) {
      const std::string v(args[++i]);
      char* end = nullptr;
      const long port = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || port < -1 || port > 65535) return cli::usage_error("a port is a number from 0 to 65535, or -1 for none");
      (a == "--pop3" ? o.pop3 : a == "--pop3s" ? o.pop3s : a == "--imap" ? o.imap : o.imaps) = static_cast<int>(port);
    } else if (a == "--lang" && has_value) {
      const std::string_view l = args[++i];
      if (l != "en" && l != "it") return cli::usage_error("--lang is en or it");
      o.italian = l == "it";
      o.lang_given = true;
    } else if (!a.starts_with("-") && o.scenario.empty()) {
      o.scenario = std::string(a);
    } else {
      return cli::usage_error(("unknown window option '" + std::string(a) + "'").c_str());
    }
  }
  return run_window(o);
}

}  // namespace postino::gui
