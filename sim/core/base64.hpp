#pragma once
// RFC 4648 base64, as SASL (RFC 4422) and MIME use it.
#include <optional>
#include <string>
#include <string_view>

namespace postino {

std::string base64_encode(std::string_view bytes);
// Strict: padding required, no white space, no stray characters. nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);
// Lenient, for MIME bodies and encoded-words: skips white space and stops at padding.
std::string base64_decode_lenient(std::string_view text);

}  // namespace postino
