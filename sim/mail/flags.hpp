#pragma once
// The system flags of RFC 3501 section 2.3.2 that persist on the server (\Recent is per session
// and lives in the IMAP session, not here).
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::mail {

enum Flag : std::uint8_t {
  kSeen = 1 << 0,
  kAnswered = 1 << 1,
  kFlagged = 1 << 2,
  kDeleted = 1 << 3,
  kDraft = 1 << 4,
};
using Flags = std::uint8_t;

// "\Seen \Flagged" in RFC order; empty for no flags.
std::string flags_to_string(Flags flags);
// "\Seen" (any case) -> kSeen; 0 for anything else (keywords, \Recent, unknown).
Flag flag_from_name(std::string_view name);

}  // namespace postino::mail
