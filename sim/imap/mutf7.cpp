#include "sim/imap/mutf7.hpp"

#include <vector>

#include "sim/core/text.hpp"

namespace postino::imap {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

bool printable(char32_t c) { return c >= 0x20 && c <= 0x7E; }

// One code point from UTF-8, strictly (no overlongs, no surrogates).
std::optional<char32_t> next_utf8(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return std::nullopt;
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += static_cast<std::size_t>(len);
  return cp;
}

void flush_shift(std::string& out, std::vector<char16_t>& units) {
  if (units.empty()) return;
  out += '&';
  unsigned acc = 0;
  int bits = 0;
  for (char16_t u : units) {
    acc = (acc << 16) | u;
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  out += '-';
  units.clear();
}

}  // namespace

std::optional<std::string> mutf7_encode(std::string_view utf8) {
  std::string out;
  std::vector<char16_t> units;
  std::size_t i = 0;
  while (i < utf8.size()) {
    auto cp = next_utf8(utf8, i);
    if (!cp) return std::nullopt;
    if (printable(*cp)) {
      flush_shift(out, units);
      out += *cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(*cp));
    } else if (*cp >= 0x10000) {
      const char32_t v = *cp - 0x10000;
      units.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(*cp));
    }
  }
  flush_shift(out, units);
  return out;
}

std::optional<std::string> mutf7_decode(std::string_view name) {
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    const char c = name[i];
    if (!printable(static_cast<unsigned char>(c))) return std::nullopt;
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    const std::size_t end = name.find('-', i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    if (end == i + 1) {  // "&-" is "&"
      out += '&';
      i = end + 1;
      continue;
    }
    unsigned acc = 0;
    int bits = 0;
    char16_t high = 0;
    for (std::size_t k = i + 1; k < end; ++k) {
      const int v = value_of(name[k]);
      if (v < 0) return std::nullopt;
      acc = (acc << 6) | static_cast<unsigned>(v);
      bits += 6;
      if (bits >= 16) {
        bits -= 16;
        const auto unit = static_cast<char16_t>((acc >> bits) & 0xFFFF);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          if (high) return std::nullopt;
          high = unit;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          if (!high) return std::nullopt;
          append_utf8(out, 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
          high = 0;
        } else {
          if (high || printable(unit)) return std::nullopt;  // must not encode printable ASCII
          append_utf8(out, unit);
        }
      }
    }
    // Leftover bits must be fewer than 6 and zero (RFC 2152 via RFC 3501 section 5.1.3).
    if (high || bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    i = end + 1;
  }
  return out;
}

}  // namespace postino::imap
