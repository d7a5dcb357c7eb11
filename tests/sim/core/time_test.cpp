#include <doctest/doctest.h>

#include "sim/core/time.hpp"

namespace postino {

TEST_SUITE("core") {
  TEST_CASE("civil time round trip, weekdays and offsets") {
    const Time t = from_civil(2026, 11, 26, 9, 15, 0, 60);  // 09:15 in Italy in winter
    CHECK(format_rfc5322_date(t, 60) == "Thu, 26 Nov 2026 09:15:00 +0100");
    CHECK(format_rfc5322_date(t) == "Thu, 26 Nov 2026 08:15:00 +0000");
    CHECK(format_rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
    CHECK(format_rfc5322_date(from_civil(2024, 2, 29), -300) == "Wed, 28 Feb 2024 19:00:00 -0500");
    CHECK(to_civil(from_civil(1969, 12, 31, 23, 59, 59)).year == 1969);
    CHECK(to_civil(from_civil(1969, 12, 31, 23, 59, 59)).weekday == 3);
    CHECK(format_short(t) == "2026-11-26 08:15");
  }

  TEST_CASE("RFC 5322 dates parse, with and without the optional parts") {
    const Time t = from_civil(2026, 11, 26, 9, 15, 0, 60);
    CHECK(parse_rfc5322_date("Thu, 26 Nov 2026 09:15:00 +0100") == t);
    CHECK(parse_rfc5322_date("26 Nov 2026 09:15:00 +0100") == t);
    CHECK(parse_rfc5322_date("Thu, 26 Nov 2026 08:15 GMT") == t);
    CHECK(parse_rfc5322_date("  Thu,  26 nov 2026 03:15:00 EST (Eastern)") == t);
    CHECK(parse_rfc5322_date("Thu, 26 Nov 26 09:15:00 +0100") == t);  // two-digit year
    CHECK_FALSE(parse_rfc5322_date("yesterday"));
    CHECK_FALSE(parse_rfc5322_date("Thu, 26 Nov 2026"));
    CHECK_FALSE(parse_rfc5322_date("Thu, 26 Foo 2026 09:15:00 +0100"));
    CHECK_FALSE(parse_rfc5322_date("Thu, 26 Nov 2026 25:15:00 +0100"));
  }

  TEST_CASE("a date whose comment ends in a lone backslash is no date, and no crash (fuzz finding)") {
    // The quoted pair "\" at the very end once stepped past the text: substr threw out_of_range,
    // which in `postino serve` ends every session.
    CHECK_FALSE(parse_rfc5322_date("Thu, 86 Nov 2026 10:00:00 (((\\"));
    CHECK_FALSE(parse_rfc5322_date("Thu, 26 Nov 2026 10:00:00 (\\"));
    CHECK(parse_rfc5322_date("Thu, 26 Nov 2026 10:00:00 +0000 (a \\) b)") == from_civil(2026, 11, 26, 10, 0, 0));
  }
}

}  // namespace postino
