#include <doctest/doctest.h>

#include "sim/mail/message.hpp"

namespace postino::mail {

TEST_SUITE("mail") {
  TEST_CASE("a message keeps its octets with CRLF line ends and splits header from body") {
    Message m("Subject: hi\nFrom: a@b.c\n\nline 1\r\nline 2\n");
    CHECK(m.text() == "Subject: hi\r\nFrom: a@b.c\r\n\r\nline 1\r\nline 2\r\n");
    CHECK(m.size() == m.text().size());
    CHECK(m.header_section() == "Subject: hi\r\nFrom: a@b.c\r\n\r\n");
    CHECK(m.body() == "line 1\r\nline 2\r\n");
    CHECK(m.summary().subject == "hi");
  }

  TEST_CASE("header lookup is case-insensitive, unfolds and stops at the body") {
    Message m("SUBJECT: a long\r\n\tfolded subject\r\nX-A: 1\r\n\r\nSubject: not a header\r\n");
    CHECK(m.header("subject") == "a long\tfolded subject");
    CHECK(m.header("x-a") == "1");
    CHECK_FALSE(m.header("From"));
  }

  TEST_CASE("messages with no body or no header") {
    Message all_header("Subject: x\r\n");
    CHECK(all_header.body().empty());
    CHECK(all_header.header("Subject") == "x");
    Message no_header("\r\nbody only\r\n");
    CHECK(no_header.header_section() == "\r\n");
    CHECK(no_header.body() == "body only\r\n");
    Message empty("");
    CHECK(empty.size() == 0);
    CHECK(empty.summary().subject.empty());
  }

  TEST_CASE("summary decodes encoded words and parses the date") {
    Message m("From: =?UTF-8?Q?Nicol=C3=B2?= <n@example.org>\r\n"
              "Subject: =?ISO-8859-1?Q?Novit=E0?=\r\n"
              "Date: Tue, 24 Nov 2026 18:40:03 +0100\r\n"
              "Message-ID: <x@y>\r\n\r\n");
    CHECK(m.summary().from == "Nicolò <n@example.org>");
    CHECK(m.summary().subject == "Novità");
    CHECK(m.summary().message_id == "<x@y>");
    REQUIRE(m.summary().date);
    CHECK(*m.summary().date == from_civil(2026, 11, 24, 17, 40, 3));
  }
}

}  // namespace postino::mail
