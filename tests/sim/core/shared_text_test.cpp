#include <doctest/doctest.h>

#include "sim/core/shared_text.hpp"

namespace postino {

TEST_SUITE("core") {
  TEST_CASE("shared text: runs at line boundaries are referenced, everything else copied") {
    auto message = std::make_shared<const std::string>("Subject: a\r\n\r\nbody\r\n");
    const std::string out = "+OK 22 octets\r\n" + *message + ".\r\n";
    const SharedText t = SharedText::from_output(out, {{15, *message, message}});
    REQUIRE(t.shared());
    CHECK(t.str() == out);
    CHECK(t.size() == out.size());
    CHECK(t.first_line() == "+OK 22 octets");
    CHECK(t.contains("body\r\n."));  // across pieces
    CHECK_FALSE(t.contains("bodyx"));
    std::vector<std::string_view> pieces;
    t.for_each_piece([&](std::string_view p) { pieces.push_back(p); });
    REQUIRE(pieces.size() == 3);
    CHECK(pieces[1].data() == message->data());  // not a copy
    CHECK(pieces[0] == "+OK 22 octets\r\n");
    CHECK(pieces[2] == ".\r\n");
  }

  TEST_CASE("shared text: a run that would split a line, or does not match, is copied") {
    auto message = std::make_shared<const std::string>("x\r\n");
    const std::string out = "ab" + *message;
    CHECK_FALSE(SharedText::from_output(out, {{2, *message, message}}).shared());  // mid-line
    CHECK_FALSE(SharedText::from_output("ab\r\ny\r\n", {{4, *message, message}}).shared());  // other bytes
    CHECK_FALSE(SharedText::from_output("ab\r\n", {{4, *message, message}}).shared());  // past the end
    auto partial = std::make_shared<const std::string>("x\r");
    CHECK_FALSE(SharedText::from_output("\r\nx\r", {{2, *partial, partial}}).shared());  // no line end
    const SharedText plain("a\r\nb");
    CHECK_FALSE(plain.shared());
    CHECK(plain == "a\r\nb");
    CHECK(plain.first_line() == "a");
  }
}

}  // namespace postino
