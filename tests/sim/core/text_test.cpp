#include <doctest/doctest.h>

#include "sim/core/text.hpp"

namespace postino {

TEST_SUITE("core") {
  TEST_CASE("text helpers") {
    CHECK(iequals("Retr", "RETR"));
    CHECK_FALSE(iequals("RETR", "RETR "));
    CHECK(istarts_with("inbox/Sent", "INBOX"));
    CHECK(parse_decimal("042") == 42u);
    CHECK_FALSE(parse_decimal("-1"));
    CHECK_FALSE(parse_decimal(""));
    CHECK_FALSE(parse_decimal("1x"));
    CHECK_FALSE(parse_decimal("1234567890123456789"));  // would overflow: refused
    CHECK(split_words("  LIST   1 ") == std::vector<std::string_view>{"LIST", "1"});
    CHECK(to_crlf("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd");
    CHECK(to_crlf("").empty());
    CHECK(to_crlf("x\r") == "x\r\n");
    CHECK(to_crlf("\r\r\n\n") == "\r\n\r\n\r\n");
    CHECK(to_crlf("no line end") == "no line end");
    CHECK(printable(std::string_view("a\0\x7f", 3)) == "a\\x00\\x7F");
    CHECK(trim("\t x \t") == "x");
  }
}

}  // namespace postino
