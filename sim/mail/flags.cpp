#include "sim/mail/flags.hpp"

namespace postino::mail {

std::string flags_to_string(Flags flags) {
  static constexpr struct { Flag flag; const char* name; } kNames[] = {
      {kAnswered, "\\Answered"}, {kFlagged, "\\Flagged"}, {kDeleted, "\\Deleted"},
      {kSeen, "\\Seen"},         {kDraft, "\\Draft"}};
  std::string out;
  for (const auto& n : kNames) {
    if (!(flags & n.flag)) continue;
    if (!out.empty()) out += ' ';
    out += n.name;
  }
  return out;
}

}  // namespace postino::mail
