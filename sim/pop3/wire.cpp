#include "sim/pop3/wire.hpp"

#include "sim/core/md5.hpp"

namespace postino::pop3 {

void append_dot_stuffed(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + text.size() / 64 + 5);
  bool line_start = true;
  for (char c : text) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!text.empty() && !text.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
}

std::string_view dot_unstuff(std::string_view line) {
  if (line.starts_with('.')) line.remove_prefix(1);
  return line;
}

std::string apop_digest(std::string_view timestamp, std::string_view secret) {
  std::string input(timestamp);
  input += secret;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const std::uint8_t b : md5(input)) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

std::string_view apop_timestamp(std::string_view greeting) {
  auto open = greeting.find('<');
  if (open == std::string_view::npos) return {};
  auto close = greeting.find('>', open);
  if (close == std::string_view::npos) return {};
  return greeting.substr(open, close - open + 1);
}

std::string_view response_code(std::string_view status_line) {
  auto space = status_line.find(' ');
  if (space == std::string_view::npos || space + 1 >= status_line.size() ||
      status_line[space + 1] != '[')
    return {};
  auto close = status_line.find(']', space);
  if (close == std::string_view::npos) return {};
  return status_line.substr(space + 2, close - space - 2);
}

}  // namespace postino::pop3
