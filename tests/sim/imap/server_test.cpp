// IMAP server session cases that are not a readable exchange: TLS, timers, lost connections,
// other sessions deleting the open folder.
#include <doctest/doctest.h>

#include "sim/imap/server.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"

namespace postino::imap {
using test::kT0;

namespace {

struct Session {
  ServerSession s;
  Session(mail::Store& store, ServerConfig c = {}) : s(store, std::move(c), kT0) { s.take_output(); }
  std::string say(std::string_view line, Time at = kT0 + 1) {
    s.receive(std::string(line) + "\r\n", at);
    return s.take_output();
  }
};

mail::Account& info(mail::Store& s) { return *s.find_account(mail::kDemoAddress); }

}  // namespace

TEST_SUITE("imap") {
  TEST_CASE("STARTTLS: plaintext pipelined after it is thrown away; capabilities change") {
    mail::Store store = mail::make_demo_store();
    ServerConfig c;
    c.tls_available = true;
    Session a(store, c);
    CHECK(a.say("a CAPABILITY").find("STARTTLS") != std::string::npos);
    a.s.receive("b STARTTLS\r\nc LOGIN info segreta\r\n", kT0 + 1);
    CHECK(a.s.take_output() == "b OK Begin TLS negotiation now\r\n");
    CHECK(a.s.awaiting_tls());
    a.s.tls_established(kT0 + 2);
    const std::string caps = a.say("d CAPABILITY");
    CHECK(caps.find("STARTTLS") == std::string::npos);
    CHECK(a.s.state() == State::NotAuthenticated);  // the injected LOGIN did not happen
    CHECK(a.say("e STARTTLS") == "e BAD TLS is already active\r\n");
    CHECK(a.say("f LOGIN info segreta").starts_with("f OK"));
  }

  TEST_CASE("autologout after 30 minutes idle") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.say("a LOGIN info segreta");
    a.s.tick(kT0 + 29 * kMinute);
    CHECK_FALSE(a.s.closed());
    a.s.tick(a.s.deadline());
    CHECK(a.s.take_output() == "* BYE Autologout; idle for too long\r\n");
    CHECK(a.s.closed());
  }

  TEST_CASE("a connection lost in the middle of a literal stores nothing") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.say("a LOGIN info segreta");
    a.s.receive("b APPEND INBOX {100}\r\nFrom: x\r\n\r\nonly a part", kT0 + 2);
    CHECK(a.s.take_output() == "+ Ready for literal data\r\n");
    a.s.connection_lost(kT0 + 3);
    CHECK(info(store).inbox().count() == 7);
    CHECK(a.s.closed());
  }

  TEST_CASE("IDLE ends with DONE only; anything else is a BAD that ends it too") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.say("a LOGIN info segreta");
    a.say("b SELECT INBOX");
    CHECK(a.say("c IDLE") == "+ idling\r\n");
    CHECK(a.s.idling());
    CHECK(a.say("d NOOP") == "c BAD Expected DONE\r\n");
    CHECK_FALSE(a.s.idling());
    CHECK(a.say("e IDLE") == "+ idling\r\n");
    CHECK(a.say("done") == "e OK IDLE terminated\r\n");
  }

  TEST_CASE("EXAMINE is read-only: no STORE, no EXPUNGE, no MOVE, no \\Seen") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.say("a LOGIN info segreta");
    a.say("b EXAMINE INBOX");
    CHECK(a.say("c STORE 1 +FLAGS (\\Deleted)") == "c NO [READ-ONLY] The folder is open read-only\r\n");
    CHECK(a.say("d EXPUNGE") == "d NO [READ-ONLY] The folder is open read-only\r\n");
    CHECK(a.say("e MOVE 1 Trash") == "e NO [READ-ONLY] The folder is open read-only\r\n");
    a.say("f FETCH 1 BODY[]");
    CHECK(info(store).inbox().messages()[0].flags == 0);
  }

  TEST_CASE("another session deletes the open folder: this one says BYE") {
    mail::Store store = mail::make_demo_store();
    Session a(store), b(store);
    a.say("a LOGIN info segreta");
    b.say("a LOGIN info segreta");
    a.say("b CREATE Lavoro");
    b.say("b SELECT Lavoro");
    CHECK(a.say("c DELETE Lavoro") == "c OK DELETE completed\r\n");
    CHECK(b.say("c NOOP") == "* BYE The open folder was deleted by another session\r\n");
    CHECK(b.s.closed());
  }

  TEST_CASE("a folder renamed by another session stays open under its new name") {
    mail::Store store = mail::make_demo_store();
    Session a(store), b(store);
    a.say("a LOGIN info segreta");
    b.say("a LOGIN info segreta");
    a.say("b CREATE Lavoro");
    a.say("c APPEND Lavoro {9}\r\nSubject:\r\n");
    b.say("b SELECT Lavoro");
    a.say("d RENAME Lavoro Archivio");
    CHECK(b.say("c NOOP") == "c OK NOOP completed\r\n");
    CHECK(b.s.selected_folder() == "Archivio");
    CHECK(b.say("d FETCH 1 (UID)") == "* 1 FETCH (UID 1)\r\nd OK FETCH completed\r\n");
  }
}

}  // namespace postino::imap
