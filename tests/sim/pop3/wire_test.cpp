#include <doctest/doctest.h>

#include "sim/pop3/wire.hpp"

namespace postino::pop3 {

TEST_SUITE("pop3") {
  TEST_CASE("dot-stuffing: lines starting with a dot get one more; a terminator ends it") {
    std::string out;
    append_dot_stuffed(out, ".htaccess\r\n..two\r\n.\r\nplain\r\n");
    CHECK(out == "..htaccess\r\n...two\r\n..\r\nplain\r\n.\r\n");
    out.clear();
    append_dot_stuffed(out, "no final line end");
    CHECK(out == "no final line end\r\n.\r\n");
    out.clear();
    append_dot_stuffed(out, "");
    CHECK(out == ".\r\n");
    CHECK(dot_unstuff("..htaccess") == ".htaccess");
    CHECK(dot_unstuff("..") == ".");
    CHECK(dot_unstuff("x.") == "x.");
  }

  TEST_CASE("APOP digest: RFC 1939 section 7 example") {
    CHECK(apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf") ==
          "c4c9334bac560ecc979e58001b3e22fb");
    CHECK(apop_timestamp("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>") ==
          "<1896.697170952@dbc.mtview.ca.us>");
    CHECK(apop_timestamp("+OK ready").empty());
  }

  TEST_CASE("response codes of RFC 2449 section 8") {
    CHECK(response_code("-ERR [IN-USE] locked") == "IN-USE");
    CHECK(response_code("-ERR [SYS/TEMP] try later") == "SYS/TEMP");
    CHECK(response_code("-ERR no code").empty());
    CHECK(response_code("-ERR [unterminated").empty());
  }
}

}  // namespace postino::pop3
