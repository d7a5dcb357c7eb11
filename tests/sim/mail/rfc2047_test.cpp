#include <doctest/doctest.h>

#include "sim/mail/rfc2047.hpp"

namespace postino::mail {

TEST_SUITE("mail") {
  TEST_CASE("RFC 2047 section 8 examples") {
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?=") == "a");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?= b") == "a b");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=") == "ab");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=") == "ab");
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a_b?=") == "a b");
    // A charset we do not decode stays as it is, and so does the space before it.
    CHECK(decode_rfc2047("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=") == "a =?ISO-8859-2?Q?_b?=");
    CHECK(decode_rfc2047("(=?ISO-8859-1?Q?a?=)") == "(a)");
  }

  TEST_CASE("Italian subjects in B and Q encodings, UTF-8 and Latin-1") {
    CHECK(decode_rfc2047("=?UTF-8?Q?Perch=C3=A9_la_posta_=C3=A8_sparita=3F?=") ==
          "Perché la posta è sparita?");
    CHECK(decode_rfc2047("=?iso-8859-1?b?Tm92aXTg?=") == "Novità");
    CHECK(decode_rfc2047("=?UTF-8*it?B?Q2lhbw==?= mondo") == "Ciao mondo");
    CHECK(decode_rfc2047("=?ISO-8859-15?Q?=A4?=") == "€");
    CHECK(decode_rfc2047("=?windows-1252?Q?=80_=96_=93?=") == "€ – “");
  }

  TEST_CASE("malformed encoded words stay as they are") {
    CHECK(decode_rfc2047("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");
    CHECK(decode_rfc2047("=?UTF-8?Q?never ends") == "=?UTF-8?Q?never ends");
    CHECK(decode_rfc2047("=?") == "=?");
    CHECK(decode_rfc2047("a = b ?= c") == "a = b ?= c");
    CHECK(decode_rfc2047("") == "");
  }
}

}  // namespace postino::mail
