#pragma once
// Simulated time: an integer count of milliseconds since 1970-01-01T00:00:00Z. Nothing in sim/
// reads a clock; callers pass the time in (docs/ARCHITECTURE.md, rule 1).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postino {

using Time = std::int64_t;
inline constexpr Time kSecond = 1000;
inline constexpr Time kMinute = 60 * kSecond;
inline constexpr Time kHour = 60 * kMinute;
inline constexpr Time kDay = 24 * kHour;

struct CivilTime {
  int year = 1970, month = 1, day = 1;  // month 1..12, day 1..31
  int hour = 0, minute = 0, second = 0;
  int weekday = 4;                       // 0 = Sunday
};

// Civil time at `offset_minutes` east of UTC.
CivilTime to_civil(Time t, int offset_minutes = 0);
// The instant that is that civil time at `offset_minutes` east of UTC.
Time from_civil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0,
                int offset_minutes = 0);

// "Thu, 26 Nov 2026 09:15:00 +0100" (RFC 5322 section 3.3).
std::string format_rfc5322_date(Time t, int offset_minutes = 0);

// date-time = [ day-of-week "," ] date time [CFWS]
// date = day month year; time = hour ":" minute [ ":" second ] FWS zone
// Also takes the obsolete zones (UT, GMT, EST...) of RFC 5322 section 4.3.
// `zone`, when given, receives the date's own offset in minutes east of UTC.
std::optional<Time> parse_rfc5322_date(std::string_view text, int* zone = nullptr);

// "2026-11-26 09:15" for people reading a trace or a list, in UTC.
std::string format_short(Time t);

}  // namespace postino
