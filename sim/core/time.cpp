#include "sim/core/time.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "sim/core/text.hpp"

namespace postino {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// A small cursor over header text that skips folding white space and comments.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  void skip_cfws() {
    for (;;) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
      if (i < s.size() && s[i] == '(') {
        int depth = 0;
        while (i < s.size()) {
          if (s[i] == '\\') { i = std::min(i + 2, s.size()); continue; }  // a quoted pair, even cut short
          if (s[i] == '(') ++depth;
          if (s[i] == ')' && --depth == 0) { ++i; break; }
          ++i;
        }
        continue;
      }
      return;
    }
  }
  std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && i - start < max_digits && is_digit(s[i])) v = v * 10 + (s[i++] - '0');
    if (i - start < min_digits) return std::nullopt;
    return v;
  }
  std::string_view word() {
    std::size_t start = i;
    while (i < s.size() && is_alpha(s[i])) ++i;
    return s.substr(start, i - start);
  }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  }
};

std::optional<int> zone_offset(Cursor& c) {
  if (c.i < c.s.size() && (c.s[c.i] == '+' || c.s[c.i] == '-')) {
    int sign = c.s[c.i++] == '-' ? -1 : 1;
    auto hhmm = c.number(4, 4);
    if (!hhmm) return std::nullopt;
    return sign * ((*hhmm / 100) * 60 + *hhmm % 100);
  }
  std::string_view z = c.word();
  struct Named { std::string_view name; int offset; };
  static constexpr Named kZones[] = {{"UT", 0},        {"GMT", 0},       {"Z", 0},
                                     {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60},
                                     {"CDT", -5 * 60}, {"MST", -7 * 60}, {"MDT", -6 * 60},
                                     {"PST", -8 * 60}, {"PDT", -7 * 60}};
  for (const auto& n : kZones)
    if (iequals(z, n.name)) return n.offset;
  // RFC 5322 4.3: any other alphabetic zone means "-0000", an unknown offset.
  if (!z.empty()) return 0;
  return std::nullopt;
}

}  // namespace

CivilTime to_civil(Time t, int offset_minutes) {
  const Time local = t + offset_minutes * kMinute;
  const std::int64_t days = floor_div(local, kDay);
  const std::int64_t ms_of_day = local - days * kDay;
  CivilTime c;
  civil_from_days(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(ms_of_day / kHour);
  c.minute = static_cast<int>(ms_of_day / kMinute % 60);
  c.second = static_cast<int>(ms_of_day / kSecond % 60);
  c.weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  return c;
}

Time from_civil(int year, int month, int day, int hour, int minute, int second,
                int offset_minutes) {
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month),
                                            static_cast<unsigned>(day));
  return days * kDay + hour * kHour + minute * kMinute + second * kSecond -
         offset_minutes * kMinute;
}

std::string format_rfc5322_date(Time t, int offset_minutes) {
  const CivilTime c = to_civil(t, offset_minutes);
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
                kWeekdays[static_cast<std::size_t>(c.weekday)].data(), c.day,
                kMonths[static_cast<std::size_t>(c.month - 1)].data(), c.year, c.hour, c.minute,
                c.second, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::optional<Time> parse_rfc5322_date(std::string_view text, int* zone) {
  Cursor c{text};
  c.skip_cfws();
  // Optional day-of-week: three letters and a comma.
  std::size_t save = c.i;
  std::string_view dow = c.word();
  if (!dow.empty()) {
    c.skip_cfws();
    if (!c.eat(',')) c.i = save;
    c.skip_cfws();
  }
  auto day = c.number(1, 2);
  if (!day) return std::nullopt;
  c.skip_cfws();
  std::string_view mon = c.word();
  int month = 0;
  for (std::size_t k = 0; k < kMonths.size(); ++k)
    if (iequals(mon, kMonths[k])) month = static_cast<int>(k) + 1;
  if (month == 0) return std::nullopt;
  c.skip_cfws();
  std::size_t year_start = c.i;
  auto year = c.number(2, 4);
  if (!year) return std::nullopt;
  if (c.i - year_start == 2) *year += *year < 50 ? 2000 : 1900;  // RFC 5322 4.3
  else if (c.i - year_start == 3) *year += 1900;
  c.skip_cfws();
  auto hour = c.number(2, 2);
  if (!hour || !c.eat(':')) return std::nullopt;
  auto minute = c.number(2, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (c.eat(':')) {
    auto s = c.number(2, 2);
    if (!s) return std::nullopt;
    second = *s;
  }
  c.skip_cfws();
  auto offset = zone_offset(c);
  if (!offset) return std::nullopt;
  if (*day < 1 || *day > 31 || *hour > 23 || *minute > 59 || second > 60) return std::nullopt;
  if (zone) *zone = *offset;
  return from_civil(*year, month, *day, *hour, *minute, second, *offset);
}

std::string format_short(Time t) {
  const CivilTime c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute);
  return buf;
}

}  // namespace postino
