#include "sim/mail/flags.hpp"

#include "sim/core/text.hpp"

namespace postino::mail {

namespace {

constexpr struct { Flag flag; const char* name; } kNames[] = {
    {kAnswered, "\\Answered"}, {kFlagged, "\\Flagged"}, {kDeleted, "\\Deleted"},
    {kSeen, "\\Seen"},         {kDraft, "\\Draft"}};

}  // namespace

Flag flag_from_name(std::string_view name) {
  for (const auto& n : kNames)
    if (iequals(name, n.name)) return n.flag;
  return Flag{};
}

bool is_keyword(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    // ATOM-CHAR: any CHAR except atom-specials "(" ")" "{" SP CTL "%" "*" DQUOTE "\\" "]"
    if (c <= ' ' || c >= 0x7f || c == '(' || c == ')' || c == '{' || c == '%' || c == '*' ||
        c == '"' || c == '\\' || c == ']')
      return false;
  }
  return true;
}

std::string flags_to_string(Flags flags) {
  std::string out;
  for (const auto& n : kNames) {
    if (!(flags & n.flag)) continue;
    if (!out.empty()) out += ' ';
    out += n.name;
  }
  return out;
}

}  // namespace postino::mail
