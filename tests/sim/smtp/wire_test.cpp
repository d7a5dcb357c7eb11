// SMTP's wire helpers: the MAIL/RCPT argument and reply lines.
#include <doctest/doctest.h>

#include "sim/smtp/wire.hpp"

namespace postino::smtp {

TEST_SUITE("smtp") {
  TEST_CASE("wire: MAIL and RCPT arguments (RFC 5321 section 4.1.2)") {
    auto p = parse_path_argument("FROM:<info@tuodominio.it> SIZE=120 body=8BITMIME", "FROM:");
    REQUIRE(p);
    CHECK(p->address == "info@tuodominio.it");
    REQUIRE(p->params.size() == 2);
    CHECK(p->params[0] == std::pair<std::string, std::string>{"SIZE", "120"});
    CHECK(p->params[1] == std::pair<std::string, std::string>{"BODY", "8BITMIME"});
    CHECK(parse_path_argument("from: <a@b.it>", "FROM:")->address == "a@b.it");  // a space, tolerated
    CHECK(parse_path_argument("FROM:<>", "FROM:")->address.empty());              // the null reverse-path
    CHECK(parse_path_argument("TO:<@relay.it,@other.it:a@b.it>", "TO:")->address == "a@b.it");  // a source route
    CHECK_FALSE(parse_path_argument("FROM:a@b.it", "FROM:"));
    CHECK_FALSE(parse_path_argument("FROM:<a@b.it", "FROM:"));
    CHECK_FALSE(parse_path_argument("FROM:<a b@c.it>", "FROM:"));
    CHECK_FALSE(parse_path_argument("FROM:<a@b.it>SIZE=1", "FROM:"));
    CHECK_FALSE(parse_path_argument("TO:<a@b.it>", "FROM:"));
    CHECK_FALSE(parse_path_argument("", "TO:"));
    CHECK(is_mailbox("a@b.it"));
    CHECK_FALSE(is_mailbox("info"));
    CHECK_FALSE(is_mailbox("@b.it"));
    CHECK_FALSE(is_mailbox("a@"));
    CHECK(domain_of("Info@TuoDominio.it") == "TuoDominio.it");
  }

  TEST_CASE("wire: reply lines (RFC 5321 section 4.2)") {
    auto r = parse_reply_line("250-PIPELINING");
    REQUIRE(r);
    CHECK(r->code == 250);
    CHECK(r->more);
    CHECK(r->text == "PIPELINING");
    r = parse_reply_line("235 2.7.0 Authentication successful");
    REQUIRE(r);
    CHECK_FALSE(r->more);
    CHECK(r->text == "2.7.0 Authentication successful");
    CHECK(parse_reply_line("220")->code == 220);
    CHECK_FALSE(parse_reply_line("+OK"));
    CHECK_FALSE(parse_reply_line("25"));
    CHECK_FALSE(parse_reply_line("250x"));
    CHECK_FALSE(parse_reply_line("650 no such class"));
  }
}

}  // namespace postino::smtp
