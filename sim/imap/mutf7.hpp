#pragma once
// Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): "Entw&APw-rfe" is "Entwürfe".
#include <optional>
#include <string>
#include <string_view>

namespace postino::imap {

// UTF-8 -> modified UTF-7. nullopt when `utf8` is not valid UTF-8.
std::optional<std::string> mutf7_encode(std::string_view utf8);
// Modified UTF-7 -> UTF-8. nullopt when `name` is not valid modified UTF-7 (a bare "&",
// an unterminated shift, 8-bit octets, a shift that encodes printable ASCII...).
std::optional<std::string> mutf7_decode(std::string_view name);

}  // namespace postino::imap
