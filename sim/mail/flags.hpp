#pragma once
// The flags of RFC 3501 section 2.3.2 that persist on the server: system flags and keywords
// (\Recent is per session and lives in the IMAP session, not here).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// Keywords ($Junk, $Forwarded, $label1...): atoms without "\\", compared without case. A folder
// keeps every keyword ever used in it, in order of first use (what IMAP's FLAGS lists); a
// message's keywords are spelt and ordered as its folder has them.
using Keywords = std::vector<std::string>;
// flag-keyword = atom (RFC 3501 section 9): no "\\", no list, quote or wildcard characters.
bool is_keyword(std::string_view name);

}  // namespace postino::mail
