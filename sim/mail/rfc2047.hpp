#pragma once
#include <string>
#include <string_view>

namespace postino::mail {

// Decodes the RFC 2047 encoded-words in an (unfolded) header value to UTF-8 for display.
// encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
// Charsets understood: UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15, Windows-1252; a word in any
// other charset, or malformed, is left as it is. White space between two encoded-words is dropped.
std::string decode_rfc2047(std::string_view value);

// Latin-1 family to UTF-8; `charset` is one of those above (case-insensitive).
// Returns false when the charset is not one we know.
bool charset_to_utf8(std::string_view charset, std::string_view bytes, std::string& out);

}  // namespace postino::mail
