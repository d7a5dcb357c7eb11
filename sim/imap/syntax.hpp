#pragma once
// The pieces of RFC 3501's formal syntax (section 9) that both ends need: reading a command's
// tokens (with literals inline), sequence sets, writing strings, dates.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace postino::imap {

// seq-number = nz-number / "*"; "*" is kStar until it is resolved against a mailbox. It is
// outside 32 bits, as 4294967295 is a valid UID (RFC 3501 2.3.1.1).
inline constexpr std::uint64_t kStar = 0x100000000ull;

struct SequenceSet {
  struct Range {
    std::uint64_t first, last;  // as written; either may be kStar
  };
  std::vector<Range> ranges;

  // With "*" meaning `star` (the largest number in use). "999:*" with star 7 contains 7.
  bool contains(std::uint32_t n, std::uint32_t star) const;
  // The largest explicit number (not "*") in the set, 0 if none.
  std::uint32_t max_explicit() const;
  bool uses_star() const;
  std::string to_string() const;
};

// A cursor over one complete command or response line; literals appear inline as
// "{n}\r\n" followed by n octets (or "{n+}\r\n" for LITERAL+).
class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  bool eat(char c);
  bool eat_word(std::string_view keyword);  // case-insensitive, must be followed by a delimiter
  bool sp() { return eat(' '); }
  std::size_t pos() const { return i_; }
  void seek(std::size_t pos) { i_ = pos; }
  std::string_view rest() const { return s_.substr(i_); }

  // atom = 1*ATOM-CHAR
  std::optional<std::string> atom();
  // tag = 1*<any ASTRING-CHAR except "+">
  std::optional<std::string> tag();
  // string = quoted / literal
  std::optional<std::string> string();
  // astring = 1*ASTRING-CHAR / string
  std::optional<std::string> astring();
  // nstring = string / nil
  std::optional<std::optional<std::string>> nstring();
  // list-mailbox = 1*list-char / string
  std::optional<std::string> list_mailbox();
  // number = 1*DIGIT (fits in 32 bits: 0 to 4294967295)
  std::optional<std::uint32_t> number();
  // mod-sequence-value = 1*DIGIT (RFC 7162: up to 2^63 - 1)
  std::optional<std::uint64_t> mod_sequence();
  // sequence-set = (seq-number / seq-range) *("," sequence-set)
  std::optional<SequenceSet> sequence_set();
  // flag-list = "(" [flag *(SP flag)] ")"; flag = "\" atom / atom
  std::optional<std::vector<std::string>> flag_list();
  // date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month "-" date-year
  std::optional<Time> date();
  // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
  std::optional<Time> date_time();

 private:
  std::optional<std::array<int, 3>> date_text();
  // 1*DIGIT up to `max`; nothing is consumed when it is not one.
  std::optional<std::uint64_t> decimal(std::uint64_t max);

  std::string_view s_;
  std::size_t i_ = 0;
};

bool is_atom_char(char c);
bool is_astring_char(char c);

// "1:3,5" from ascending numbers (a sequence-set as UIDPLUS's COPYUID and clients write it).
std::string uid_set(const std::vector<std::uint32_t>& ascending);

// Appends `s` as a quoted string when it can be one, else as a literal.
void append_string(std::string& out, std::string_view s);
// As append_string, or NIL for nullopt.
void append_nstring(std::string& out, const std::optional<std::string>& s);
// Appends `s` as an astring: an atom when every character allows it.
void append_astring(std::string& out, std::string_view s);

// "17-Jul-1996 02:44:25 -0700" (date-time without the quotes), in UTC.
std::string format_date_time(Time t);

// The literal at the end of a line, "{n}" or "{n+}": its size and whether it is non-synchronising.
struct LiteralMark {
  std::uint64_t size;
  bool non_sync;
};
std::optional<LiteralMark> literal_at_end(std::string_view line);

}  // namespace postino::imap
