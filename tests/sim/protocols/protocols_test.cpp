// Both protocols through the one session interface: what the world, `postino serve` and the
// golden tests rely on without knowing the protocol.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "sim/protocols/protocols.hpp"
#include "support/fixtures.hpp"

namespace postino::session {

TEST_SUITE("protocols") {
  TEST_CASE("make_server: a greeting, the state by its RFC name, a failed login as news, a copy") {
    struct Case {
      Protocol protocol;
      const char* greeting;
      const char* bad_login;
      const char* first_state;
    };
    for (const Case& c : {Case{Protocol::Pop3, "+OK ", "USER info@tuodominio.it\r\nPASS wrong\r\n", "AUTHORIZATION"},
                          Case{Protocol::Imap, "* OK ", "a LOGIN info@tuodominio.it wrong\r\n", "Not Authenticated"}}) {
      CAPTURE(c.first_state);
      mail::Store store = mail::make_demo_store();
      auto s = make_server(c.protocol, store, {.session_id = 7, .tls_available = true}, test::kT0);
      REQUIRE(s);
      CHECK(s->take_output().starts_with(c.greeting));
      CHECK(s->state_name() == c.first_state);
      CHECK_FALSE(s->awaiting_tls());
      s->receive(c.bad_login, test::kT0 + 1);
      const auto news = s->take_news();
      REQUIRE(news.size() == 1);
      CHECK(news[0].kind == ServerNews::Kind::AuthFailed);
      CHECK(news[0].detail == "info@tuodominio.it");
      CHECK(s->deadline() > test::kT0);
      // A copy on another store is a session of its own: it goes on where the original was.
      mail::Store other = store;
      auto copy = s->copy_onto(other);
      s->connection_lost(test::kT0 + 2);
      CHECK(s->bad_transitions() == 0);
      CHECK_FALSE(copy->closed());
      CHECK(copy->state_name() == c.first_state);
    }
  }

  TEST_CASE("make_server: SMTP submission, on 587 (STARTTLS offered) and 465 (implicit TLS)") {
    mail::Store store = mail::make_demo_store();
    auto plain = make_server(Protocol::Smtp, store, {.session_id = 3, .tls_available = true}, test::kT0);
    REQUIRE(plain);
    CHECK(plain->take_output() == "220 mail.tuodominio.it ESMTP Postino\r\n");
    CHECK(plain->state_name() == "Connected");
    plain->receive("EHLO pc\r\nSTARTTLS\r\n", test::kT0 + 1);
    CHECK(plain->take_output().ends_with("250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n220 2.0.0 Ready to start TLS\r\n"));
    CHECK(plain->awaiting_tls());

    auto tls = make_server(Protocol::Smtp, store, {.session_id = 4, .tls_active = true}, test::kT0);
    tls->take_output();
    tls->receive("EHLO pc\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdAB3cm9uZw==\r\n", test::kT0 + 1);
    CHECK(tls->take_output().ends_with("250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n"
                                       "535 5.7.8 Error: authentication failed\r\n"));
    const auto news = tls->take_news();
    REQUIRE(news.size() == 1);
    CHECK(news[0].kind == ServerNews::Kind::AuthFailed);
    CHECK(news[0].detail == "info@tuodominio.it");
    CHECK(tls->bad_transitions() == 0);
  }
}

}  // namespace postino::session
