#include "sim/imap/syntax.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "sim/core/text.hpp"

namespace postino::imap {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> month_number(std::string_view m) {
  for (std::size_t k = 0; k < kMonths.size(); ++k)
    if (iequals(m, kMonths[k])) return static_cast<int>(k) + 1;
  return std::nullopt;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

// atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
bool is_atom_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x1F || u == 0x7F || u >= 0x80) return false;
  switch (c) {
    case '(': case ')': case '{': case ' ': case '%': case '*': case '"': case '\\': case ']':
      return false;
    default:
      return true;
  }
}

// ASTRING-CHAR = ATOM-CHAR / resp-specials
bool is_astring_char(char c) { return is_atom_char(c) || c == ']'; }

bool SequenceSet::contains(std::uint32_t n, std::uint32_t star) const {
  for (const Range& r : ranges) {
    std::uint64_t a = r.first == kStar ? star : r.first;
    std::uint64_t b = r.last == kStar ? star : r.last;
    if (a > b) std::swap(a, b);
    if (n >= a && n <= b) return true;
  }
  return false;
}

std::uint32_t SequenceSet::max_explicit() const {
  std::uint32_t m = 0;
  for (const Range& r : ranges) {
    if (r.first != kStar) m = std::max(m, static_cast<std::uint32_t>(r.first));
    if (r.last != kStar) m = std::max(m, static_cast<std::uint32_t>(r.last));
  }
  return m;
}

bool SequenceSet::uses_star() const {
  return std::any_of(ranges.begin(), ranges.end(),
                     [](const Range& r) { return r.first == kStar || r.last == kStar; });
}

std::string SequenceSet::to_string() const {
  std::string out;
  auto num = [](std::uint64_t v) { return v == kStar ? std::string("*") : std::to_string(v); };
  for (const Range& r : ranges) {
    if (!out.empty()) out += ',';
    out += num(r.first);
    if (r.last != r.first) out += ":" + num(r.last);
  }
  return out;
}

bool Reader::eat(char c) {
  if (at_end() || s_[i_] != c) return false;
  ++i_;
  return true;
}

bool Reader::eat_word(std::string_view keyword) {
  if (s_.size() - i_ < keyword.size() || !iequals(s_.substr(i_, keyword.size()), keyword))
    return false;
  const std::size_t end = i_ + keyword.size();
  if (end < s_.size() && is_atom_char(s_[end]) && s_[end] != '[' && s_[end] != '.') return false;
  i_ = end;
  return true;
}

std::optional<std::string> Reader::atom() {
  const std::size_t start = i_;
  while (!at_end() && is_atom_char(s_[i_])) ++i_;
  if (i_ == start) return std::nullopt;
  return std::string(s_.substr(start, i_ - start));
}

std::optional<std::string> Reader::tag() {
  const std::size_t start = i_;
  while (!at_end() && is_astring_char(s_[i_]) && s_[i_] != '+') ++i_;
  if (i_ == start) return std::nullopt;
  return std::string(s_.substr(start, i_ - start));
}

// quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> /
//          "\" quoted-specials
// literal = "{" number ["+"] "}" CRLF *CHAR8
std::optional<std::string> Reader::string() {
  const std::size_t start = i_;
  if (eat('"')) {
    std::string out;
    while (!at_end()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\r' || c == '\n' || c == '\0') break;
      if (c == '\\') {
        if (at_end() || (s_[i_] != '"' && s_[i_] != '\\')) break;
        c = s_[i_++];
      }
      out += c;
    }
    i_ = start;
    return std::nullopt;
  }
  if (eat('{')) {
    const std::size_t digits = i_;
    while (!at_end() && is_digit(s_[i_])) ++i_;
    auto n = parse_decimal(s_.substr(digits, i_ - digits));
    eat('+');
    if (n && eat('}') && eat('\r') && eat('\n') && s_.size() - i_ >= *n) {
      std::string out(s_.substr(i_, *n));
      i_ += *n;
      return out;
    }
    i_ = start;
  }
  return std::nullopt;
}

std::optional<std::string> Reader::astring() {
  if (peek() == '"' || peek() == '{') return string();
  const std::size_t start = i_;
  while (!at_end() && is_astring_char(s_[i_])) ++i_;
  if (i_ == start) return std::nullopt;
  return std::string(s_.substr(start, i_ - start));
}

std::optional<std::optional<std::string>> Reader::nstring() {
  if (eat_word("NIL")) return std::optional<std::string>{};
  auto s = string();
  if (!s) return std::nullopt;
  return std::optional<std::string>{std::move(*s)};
}

// list-char = ATOM-CHAR / list-wildcards / resp-specials
std::optional<std::string> Reader::list_mailbox() {
  if (peek() == '"' || peek() == '{') return string();
  const std::size_t start = i_;
  while (!at_end() && (is_astring_char(s_[i_]) || s_[i_] == '%' || s_[i_] == '*')) ++i_;
  if (i_ == start) return std::nullopt;
  return std::string(s_.substr(start, i_ - start));
}

std::optional<std::uint64_t> Reader::decimal(std::uint64_t max) {
  const std::size_t start = i_;
  while (!at_end() && is_digit(s_[i_])) ++i_;
  auto n = parse_decimal(s_.substr(start, i_ - start));
  if (!n || *n > max) {
    i_ = start;
    return std::nullopt;
  }
  return n;
}

std::optional<std::uint32_t> Reader::number() {
  auto n = decimal(0xFFFFFFFFu);
  if (!n) return std::nullopt;
  return static_cast<std::uint32_t>(*n);
}

std::optional<std::uint64_t> Reader::mod_sequence() { return decimal(0x7FFFFFFFFFFFFFFFull); }

std::optional<SequenceSet> Reader::sequence_set() {
  const std::size_t start = i_;
  auto seq_number = [this]() -> std::optional<std::uint64_t> {
    if (eat('*')) return kStar;
    auto n = number();
    if (!n || *n == 0) return std::nullopt;
    return n;
  };
  SequenceSet set;
  do {
    auto a = seq_number();
    if (!a) {
      i_ = start;
      return std::nullopt;
    }
    std::uint64_t b = *a;
    if (eat(':')) {
      auto last = seq_number();
      if (!last) {
        i_ = start;
        return std::nullopt;
      }
      b = *last;
    }
    set.ranges.push_back({*a, b});
  } while (eat(','));
  return set;
}

std::optional<std::vector<std::string>> Reader::flag_list() {
  const std::size_t start = i_;
  if (!eat('(')) return std::nullopt;
  std::vector<std::string> flags;
  while (!eat(')')) {
    if (!flags.empty() && !sp()) {
      i_ = start;
      return std::nullopt;
    }
    const bool system = eat('\\');
    auto a = atom();
    if (!a) {
      i_ = start;
      return std::nullopt;
    }
    flags.push_back(system ? "\\" + *a : *a);
  }
  return flags;
}

// date-day "-" date-month "-" date-year, as {year, month, day}
std::optional<std::array<int, 3>> Reader::date_text() {
  const std::size_t start = i_;
  auto day = number();
  std::optional<int> month;
  if (day && *day >= 1 && *day <= 31 && eat('-') && (month = month_number(s_.substr(i_, 3)))) {
    i_ += 3;
    const bool dash = eat('-');
    const std::size_t ys = i_;
    auto year = dash ? number() : std::nullopt;
    // A day the month has: 30-Feb-2021 is no date.
    if (year && i_ - ys == 4 && static_cast<int>(*day) <= days_in_month(static_cast<int>(*year), *month))
      return std::array<int, 3>{static_cast<int>(*year), *month, static_cast<int>(*day)};
  }
  i_ = start;
  return std::nullopt;
}

std::optional<Time> Reader::date() {
  const std::size_t start = i_;
  const bool quoted = eat('"');
  auto ymd = date_text();
  if (!ymd || (quoted && !eat('"'))) {
    i_ = start;
    return std::nullopt;
  }
  return from_civil((*ymd)[0], (*ymd)[1], (*ymd)[2]);
}

std::optional<Time> Reader::date_time() {
  const std::size_t start = i_;
  auto fail = [&]() -> std::optional<Time> {
    i_ = start;
    return std::nullopt;
  };
  if (!eat('"')) return fail();
  eat(' ');  // date-day-fixed = (SP DIGIT) / 2DIGIT
  auto ymd = date_text();
  if (!ymd || !sp()) return fail();
  auto two = [this]() -> std::optional<int> {
    if (s_.size() - i_ < 2 || !is_digit(s_[i_]) || !is_digit(s_[i_ + 1])) return std::nullopt;
    int v = (s_[i_] - '0') * 10 + (s_[i_ + 1] - '0');
    i_ += 2;
    return v;
  };
  auto hh = two();
  if (!hh || !eat(':')) return fail();
  auto mm = two();
  if (!mm || !eat(':')) return fail();
  auto ss = two();
  if (!ss || !sp()) return fail();
  const char sign = peek();
  if (sign != '+' && sign != '-') return fail();
  ++i_;
  auto zh = two();
  auto zm = two();
  // zone = ("+" / "-") 4DIGIT, hours and minutes: at most 23 and 59 (a leap second, :60, is a time).
  if (!zh || !zm || !eat('"') || *hh > 23 || *mm > 59 || *ss > 60 || *zh > 23 || *zm > 59)
    return fail();
  const int offset = (sign == '-' ? -1 : 1) * (*zh * 60 + *zm);
  return from_civil((*ymd)[0], (*ymd)[1], (*ymd)[2], *hh, *mm, *ss, offset);
}

std::string uid_set(const std::vector<std::uint32_t>& uids) {
  std::string out;
  for (std::size_t i = 0; i < uids.size();) {
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(uids[i]);
    if (j > i) out += ":" + std::to_string(uids[j]);
    i = j + 1;
  }
  return out;
}

void append_string(std::string& out, std::string_view s) {
  bool quotable = s.size() < 1024;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == '\r' || u == '\n' || u == 0 || u >= 0x80) {
      quotable = false;
      break;
    }
  }
  if (!quotable) {
    out += '{';
    out += std::to_string(s.size());
    out += "}\r\n";
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void append_nstring(std::string& out, const std::optional<std::string>& s) {
  if (s) append_string(out, *s);
  else out += "NIL";
}

void append_astring(std::string& out, std::string_view s) {
  const bool atom = !s.empty() && !iequals(s, "NIL") &&
                    std::all_of(s.begin(), s.end(), [](char c) { return is_astring_char(c); });
  if (atom) out += s;
  else append_string(out, s);
}

std::string format_date_time(Time t) {
  const CivilTime c = to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02d-%s-%04d %02d:%02d:%02d +0000", c.day,
                kMonths[static_cast<std::size_t>(c.month - 1)].data(), c.year, c.hour, c.minute,
                c.second);
  return buf;
}

std::optional<LiteralMark> literal_at_end(std::string_view line) {
  if (!line.ends_with('}')) return std::nullopt;
  line.remove_suffix(1);
  bool non_sync = false;
  if (line.ends_with('+')) {
    non_sync = true;
    line.remove_suffix(1);
  }
  const std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto n = parse_decimal(line.substr(open + 1));
  if (!n) return std::nullopt;
  return LiteralMark{*n, non_sync};
}

}  // namespace postino::imap
