#include <doctest/doctest.h>

#include "sim/imap/mutf7.hpp"

namespace postino::imap {

TEST_SUITE("imap") {
  TEST_CASE("modified UTF-7: RFC 3501 5.1.3 examples and round trips") {
    CHECK(mutf7_decode("Entw&APw-rfe") == "Entwürfe");
    CHECK(mutf7_decode("&-") == "&");
    CHECK(mutf7_decode("Soci &- Partner") == "Soci & Partner");
    CHECK(mutf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == "~peter/mail/台北/日本語");
    CHECK(mutf7_encode("Entwürfe") == "Entw&APw-rfe");
    CHECK(mutf7_encode("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    CHECK(mutf7_encode("Posta & Fatture") == "Posta &- Fatture");
    for (const char* s : {"Perché", "€ conti", "😀 emoji", "plain", "a&b", ""}) {
      auto enc = mutf7_encode(s);
      REQUIRE(enc);
      CHECK(mutf7_decode(*enc) == std::string(s));
    }
  }

  TEST_CASE("modified UTF-7: what is refused") {
    CHECK_FALSE(mutf7_decode("bad&name"));     // unterminated shift
    CHECK_FALSE(mutf7_decode("&AGE-"));        // encodes "a": printable ASCII must be literal
    CHECK_FALSE(mutf7_decode("caf\xc3\xa9"));  // 8-bit octets
    CHECK_FALSE(mutf7_decode("&A!-"));         // not the modified base64 alphabet
    CHECK_FALSE(mutf7_decode("&2D0-"));        // a lone high surrogate
    CHECK_FALSE(mutf7_decode("&APx-&"));       // a bare "&" at the end
    CHECK_FALSE(mutf7_encode("\xff"));         // not UTF-8
  }
}

}  // namespace postino::imap
