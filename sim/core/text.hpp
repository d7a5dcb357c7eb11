#pragma once
// Small ASCII helpers shared by the protocol code. Protocol keywords are ASCII and
// case-insensitive; nothing here depends on the C locale.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postino {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string_view trim(std::string_view s);

// A decimal number of at most 18 digits with no sign; nullopt for anything else.
std::optional<std::uint64_t> parse_decimal(std::string_view s);

// Splits at runs of spaces; no empty parts.
std::vector<std::string_view> split_words(std::string_view s);

// Turns any of CRLF, bare LF or bare CR into CRLF.
std::string to_crlf(std::string_view s);

// Appends the UTF-8 encoding of a code point (at most U+10FFFF).
void append_utf8(std::string& out, char32_t code_point);

// Printable form of a protocol line for logs and error messages: control bytes as \xNN.
std::string printable(std::string_view s);

}  // namespace postino
