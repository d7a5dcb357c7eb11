#include "sim/mail/rfc2047.hpp"

#include <optional>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"

namespace postino::mail {
namespace {

// Code points of Windows-1252 0x80..0x9F (0 where undefined).
constexpr unsigned kCp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

unsigned latin9(unsigned char c) {
  switch (c) {
    case 0xA4: return 0x20AC;
    case 0xA6: return 0x0160;
    case 0xA8: return 0x0161;
    case 0xB4: return 0x017D;
    case 0xB8: return 0x017E;
    case 0xBC: return 0x0152;
    case 0xBD: return 0x0153;
    case 0xBE: return 0x0178;
    default: return c;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Q encoding (RFC 2047 section 4.2): "_" is a space, "=XX" a byte.
std::string decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      out += ' ';
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

struct Word {
  std::size_t end;  // index just past "?="
  std::string text;  // decoded UTF-8
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Tries to read one encoded-word starting at value[pos] == '='. Its three parts end at the next
// "?" each (encoded-text has no "?" and no white space: RFC 2047 sections 2 and 5), so a try
// looks at most up to the third "?" after `pos` or the first white space: a header full of "=?"
// is decoded in one pass, not searched to its end once per "=?".
std::optional<Word> read_word(std::string_view value, std::size_t pos) {
  if (value.substr(pos, 2) != "=?") return std::nullopt;
  auto part_end = [&](std::size_t from) {  // the "?" ending a part, or npos
    for (std::size_t k = from; k < value.size(); ++k) {
      if (value[k] == '?') return k;
      if (is_space(value[k])) break;
    }
    return std::string_view::npos;
  };
  const std::size_t q1 = part_end(pos + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= value.size() || value[q1 + 2] != '?')
    return std::nullopt;
  const std::size_t end = part_end(q1 + 3);
  if (end == std::string_view::npos || end + 1 >= value.size() || value[end + 1] != '=')
    return std::nullopt;
  std::string_view charset = value.substr(pos + 2, q1 - pos - 2);
  if (auto star = charset.find('*'); star != std::string_view::npos)  // RFC 2231 language
    charset = charset.substr(0, star);
  const char encoding = to_upper(value[q1 + 1]);
  const std::string_view encoded = value.substr(q1 + 3, end - q1 - 3);
  std::string bytes;
  if (encoding == 'B') bytes = base64_decode_lenient(encoded);
  else if (encoding == 'Q') bytes = decode_q(encoded);
  else return std::nullopt;
  Word w{end + 2, {}};
  if (!charset_to_utf8(charset, bytes, w.text)) return std::nullopt;
  return w;
}

}  // namespace

bool charset_to_utf8(std::string_view charset, std::string_view bytes, std::string& out) {
  if (iequals(charset, "utf-8") || iequals(charset, "utf8") || iequals(charset, "us-ascii")) {
    out.append(bytes);
    return true;
  }
  const bool latin1 = iequals(charset, "iso-8859-1") || iequals(charset, "latin1");
  const bool latin9_cs = iequals(charset, "iso-8859-15");
  const bool cp1252 = iequals(charset, "windows-1252") || iequals(charset, "cp1252");
  if (!latin1 && !latin9_cs && !cp1252) return false;
  for (unsigned char c : bytes) {
    if (c < 0x80) out += static_cast<char>(c);
    else if (cp1252 && c < 0xA0) append_utf8(out, kCp1252[c - 0x80] ? kCp1252[c - 0x80] : 0xFFFD);
    else if (latin9_cs) append_utf8(out, latin9(c));
    else append_utf8(out, c);
  }
  return true;
}

std::string decode_rfc2047(std::string_view value) {
  std::string out;
  std::size_t i = 0;
  bool last_was_word = false;
  std::size_t pending_space_start = std::string::npos;  // white space after an encoded-word
  while (i < value.size()) {
    if (value[i] == '=') {
      if (auto w = read_word(value, i)) {
        // White space between two encoded-words is not displayed (RFC 2047 section 6.2).
        if (last_was_word && pending_space_start != std::string::npos)
          out.erase(pending_space_start);
        out += w->text;
        i = w->end;
        last_was_word = true;
        pending_space_start = std::string::npos;
        continue;
      }
    }
    if (value[i] == ' ' || value[i] == '\t') {
      if (last_was_word && pending_space_start == std::string::npos) pending_space_start = out.size();
      out += value[i++];
      continue;
    }
    last_was_word = false;
    pending_space_start = std::string::npos;
    out += value[i++];
  }
  return out;
}

}  // namespace postino::mail
