#include <doctest/doctest.h>

#include "sim/imap/syntax.hpp"

namespace postino::imap {

TEST_SUITE("imap") {
  TEST_CASE("astring: atoms, quoted strings with escapes, literals") {
    Reader r("abc \"q \\\"x\\\" \\\\\" {5}\r\nhello ]x");
    CHECK(r.astring() == "abc");
    CHECK(r.sp());
    CHECK(r.astring() == "q \"x\" \\");
    CHECK(r.sp());
    CHECK(r.astring() == "hello");
    CHECK(r.sp());
    CHECK(r.astring() == "]x");  // resp-specials are ASTRING-CHARs
    CHECK(r.at_end());
    Reader bad("\"unterminated");
    CHECK_FALSE(bad.astring());
    CHECK(bad.pos() == 0);
    Reader short_literal("{10}\r\nabc");
    CHECK_FALSE(short_literal.string());
    Reader bad_escape("\"a\\b\"");
    CHECK_FALSE(bad_escape.string());
  }

  TEST_CASE("tags: any ASTRING-CHAR but +") {
    Reader a("a.b]c-1 NOOP");
    CHECK(a.tag() == "a.b]c-1");
    Reader plus("+x NOOP");
    CHECK_FALSE(plus.tag());
    Reader star("* NOOP");
    CHECK_FALSE(star.tag());
  }

  TEST_CASE("sequence sets") {
    Reader r("1:3,5,7:*,*:2");
    auto set = r.sequence_set();
    REQUIRE(set);
    CHECK(set->to_string() == "1:3,5,7:*,*:2");
    CHECK(set->contains(3, 10));
    CHECK(set->contains(4, 4));  // *:2 with * = 4 covers 2..4
    CHECK(set->contains(9, 10));
    CHECK(set->max_explicit() == 7);
    Reader top("999:*");
    auto t = top.sequence_set();
    CHECK(t->contains(7, 7));   // UID FETCH 999:* on a top UID of 7 returns 7
    CHECK_FALSE(t->contains(6, 7));
    for (const char* bad : {"0", "1:", ":2", ",1", "x", "1:0"}) {
      Reader b(bad);
      auto s = b.sequence_set();
      CHECK_MESSAGE((!s || !b.at_end()), bad);
    }
  }

  TEST_CASE("dates and date-times") {
    Reader d("1-Feb-1994");
    CHECK(d.date() == from_civil(1994, 2, 1));
    Reader q("\"26-Nov-2026\"");
    CHECK(q.date() == from_civil(2026, 11, 26));
    Reader dt("\"17-Jul-1996 02:44:25 -0700\"");
    CHECK(dt.date_time() == from_civil(1996, 7, 17, 9, 44, 25));
    Reader sp("\" 1-Jan-2026 00:00:00 +0000\"");
    CHECK(sp.date_time() == from_civil(2026, 1, 1));
    Reader bad("\"32-Jan-2026 00:00:00 +0000\"");
    CHECK_FALSE(bad.date_time());
    CHECK(format_date_time(from_civil(1996, 7, 17, 9, 44, 25)) == "17-Jul-1996 09:44:25 +0000");
  }

  TEST_CASE("writing strings and the literal at the end of a line") {
    std::string out;
    append_string(out, "a \"b\"");
    CHECK(out == "\"a \\\"b\\\"\"");
    out.clear();
    append_string(out, "line\r\nbreak");
    CHECK(out == "{11}\r\nline\r\nbreak");
    out.clear();
    append_astring(out, "INBOX");
    append_astring(out, "NIL");
    append_astring(out, "two words");
    CHECK(out == "INBOX\"NIL\"\"two words\"");
    CHECK(literal_at_end("a APPEND x {12}")->size == 12);
    CHECK(literal_at_end("a APPEND x {12+}")->non_sync);
    CHECK_FALSE(literal_at_end("a LOGIN {x}"));
    CHECK_FALSE(literal_at_end("a NOOP"));
  }
}

}  // namespace postino::imap
