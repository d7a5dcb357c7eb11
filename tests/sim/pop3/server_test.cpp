#include <doctest/doctest.h>

#include "sim/core/base64.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"

namespace postino::pop3 {
using test::kT0;

namespace {

struct Session {
  mail::Store& store;
  ServerSession s;
  Session(mail::Store& st, ServerConfig c = {}) : store(st), s(st, std::move(c), kT0) {
    s.take_output();  // the greeting
  }
  std::string say(std::string_view line) {
    s.receive(std::string(line) + "\r\n", kT0 + 1);
    return s.take_output();
  }
  void login() { REQUIRE(say("USER info").starts_with("+OK")); REQUIRE(say("PASS segreta").starts_with("+OK")); }
};

mail::Account& info(mail::Store& store) { return *store.find_account(mail::kDemoAddress); }

}  // namespace

TEST_SUITE("pop3") {
  TEST_CASE("the greeting carries an APOP timestamp in msg-id form") {
    mail::Store store = mail::make_demo_store();
    ServerConfig c;
    c.session_id = 7;
    ServerSession s(store, c, 1234);
    CHECK(s.take_output() == "+OK Postino POP3 server ready <7.1234@mail.tuodominio.it>\r\n");
    CHECK(s.state() == State::Authorization);
  }

  TEST_CASE("a second session on a locked maildrop gets [IN-USE] until the first ends") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.login();
    Session b(store);
    b.say("USER info");
    CHECK(b.say("PASS segreta") == "-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n");
    CHECK(b.s.state() == State::Authorization);
    CHECK(a.say("QUIT").starts_with("+OK"));
    b.say("USER info");
    CHECK(b.say("PASS segreta").starts_with("+OK info's maildrop has 7 messages"));
  }

  // The window shows these on the server, struck through, until QUIT removes them.
  TEST_CASE("DELE only marks: the marked UIDs are known until QUIT, RSET clears them") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.login();
    CHECK(a.s.marked_for_deletion().empty());
    const mail::Uid first = info(store).inbox().messages()[0].uid, third = info(store).inbox().messages()[2].uid;
    CHECK(a.say("DELE 1").starts_with("+OK"));
    CHECK(a.say("DELE 3").starts_with("+OK"));
    CHECK(a.s.marked_for_deletion() == std::vector<mail::Uid>{first, third});
    CHECK(a.say("RSET").starts_with("+OK"));
    CHECK(a.s.marked_for_deletion().empty());
    CHECK(a.say("DELE 1").starts_with("+OK"));
    CHECK(info(store).inbox().find(first) != nullptr);  // still there: only QUIT removes it
  }

  TEST_CASE("a session that ends without QUIT deletes nothing and releases the lock") {
    mail::Store store = mail::make_demo_store();
    const std::size_t before = info(store).inbox().count();
    {
      Session a(store);
      a.login();
      CHECK(a.say("DELE 1") == "+OK message 1 deleted\r\n");
      CHECK(a.say("DELE 2") == "+OK message 2 deleted\r\n");
      a.s.connection_lost(kT0 + 2);
      CHECK(a.s.closed());
      CHECK(a.s.take_output().empty());
    }
    CHECK(info(store).inbox().count() == before);
    CHECK_FALSE(info(store).pop3_locked());
  }

  TEST_CASE("autologout after the idle timer: closed, silent, nothing deleted") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.login();
    a.say("DELE 1");
    a.s.tick(kT0 + 5 * kMinute);
    CHECK_FALSE(a.s.closed());
    CHECK(a.s.deadline() == kT0 + 1 + 10 * kMinute);
    a.s.tick(a.s.deadline());
    CHECK(a.s.closed());
    CHECK(a.s.take_output().empty());
    CHECK(info(store).inbox().count() == 7);
    CHECK_FALSE(info(store).pop3_locked());
  }

  TEST_CASE("STLS: offered only when TLS can run; plaintext pipelined after it is discarded") {
    mail::Store store = mail::make_demo_store();
    ServerConfig c;
    c.tls_available = true;
    Session a(store, c);
    CHECK(a.say("CAPA").find("STLS\r\n") != std::string::npos);
    a.s.receive("STLS\r\nUSER info\r\nPASS segreta\r\n", kT0 + 1);
    CHECK(a.s.take_output() == "+OK Begin TLS negotiation now\r\n");
    CHECK(a.s.awaiting_tls());
    bool start = false;
    for (auto& e : a.s.take_events()) start |= e.kind == ServerEvent::Kind::StartTls;
    CHECK(start);
    a.s.receive("NOOP\r\n", kT0 + 2);  // still plaintext: ignored
    CHECK(a.s.take_output().empty());
    a.s.tls_established(kT0 + 3);
    CHECK(a.s.tls_active());
    CHECK(a.say("CAPA").find("STLS") == std::string::npos);
    CHECK(a.say("STLS") == "-ERR Command not permitted when TLS active\r\n");
    CHECK(a.say("PASS segreta") == "-ERR Send USER first\r\n");  // the injected USER was dropped

    Session plain(store);
    CHECK(plain.say("CAPA").find("STLS") == std::string::npos);
    CHECK(plain.say("STLS") == "-ERR STLS is not available on this connection\r\n");
  }

  TEST_CASE("over-long lines are refused and the session goes on") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    const std::string longest = "USER " + std::string(248, 'u');  // 253 + CRLF = 255 octets
    CHECK(a.say(longest) == "+OK Send PASS\r\n");
    CHECK(a.say(longest + "u") == "-ERR Line too long: a command is at most 255 octets (RFC 2449)\r\n");
    // A huge line arriving in pieces is dropped as it comes, not buffered.
    for (int i = 0; i < 1000; ++i) a.s.receive(std::string(1000, 'A'), kT0);
    CHECK(a.s.take_output().empty());
    a.s.receive("AAA\r\nNOOP\r\n", kT0);
    CHECK(a.s.take_output() ==
          "-ERR Line too long: a command is at most 255 octets (RFC 2449)\r\n"
          "-ERR NOOP is not allowed in the AUTHORIZATION state\r\n");
    a.login();
  }

  TEST_CASE("garbage, NUL bytes and bare LF line ends") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.s.receive(std::string("\x01\xff\0junk\r\n", 9), kT0);
    CHECK(a.s.take_output() == "-ERR Unknown command: \\x01\xff\\x00junk\r\n");
    a.s.receive("USER info\nPASS segreta\nSTAT\n", kT0);
    CHECK(a.s.take_output() ==
          "+OK Send PASS\r\n+OK info's maildrop has 7 messages (" +
          std::to_string(info(store).inbox().octets()) + " octets)\r\n+OK 7 " +
          std::to_string(info(store).inbox().octets()) + "\r\n");
  }

  TEST_CASE("AUTH PLAIN with an initial response, with a continuation, and its failures") {
    mail::Store store = mail::make_demo_store();
    const std::string good = base64_encode(std::string("\0info@tuodominio.it\0segreta", 27));
    const std::string wrong = base64_encode(std::string("\0info\0nope", 10));
    const std::string other = base64_encode(std::string("admin\0info\0segreta", 18));
    Session a(store);
    CHECK(a.say("AUTH") == "+OK Supported mechanisms follow\r\nPLAIN\r\n.\r\n");
    CHECK(a.say("AUTH CRAM-MD5") == "-ERR Unsupported authentication mechanism\r\n");
    CHECK(a.say("AUTH PLAIN") == "+ \r\n");
    CHECK(a.say("*") == "-ERR Authentication cancelled\r\n");
    CHECK(a.say("AUTH PLAIN") == "+ \r\n");
    CHECK(a.say("not base64!") == "-ERR Invalid base64 in the AUTH response\r\n");
    CHECK(a.say("AUTH PLAIN " + wrong) == "-ERR [AUTH] Authentication failed\r\n");
    CHECK(a.say("AUTH PLAIN " + other) == "-ERR [AUTH] Authentication failed\r\n");
    CHECK(a.say("AUTH PLAIN") == "+ \r\n");
    CHECK(a.say(good).starts_with("+OK info@tuodominio.it's maildrop has 7 messages"));
    CHECK(a.s.state() == State::Transaction);
    CHECK(a.say("CAPA").find("SASL") == std::string::npos);  // nothing left to log in to
  }

  TEST_CASE("a message expunged by another session meanwhile cannot be retrieved") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.login();
    mail::Account& acc = info(store);
    store.expunge(acc, acc.inbox(), acc.inbox().messages()[0].uid, "imap #1");
    CHECK(a.say("RETR 1") == "-ERR That message was removed from the server by another session\r\n");
    CHECK(a.say("TOP 1 0").starts_with("-ERR That message"));
    CHECK(a.say("DELE 1") == "+OK message 1 deleted\r\n");
    CHECK(a.say("QUIT") == "+OK mail.tuodominio.it POP3 server signing off (6 messages left)\r\n");
  }

  TEST_CASE("UPDATE: retrieved messages kept on the server become \\Seen; new mail waits") {
    mail::Store store = mail::make_demo_store();
    mail::Account& acc = info(store);
    Session a(store);
    a.login();
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: late\r\n\r\nx\r\n"), kT0);
    CHECK(a.say("STAT").starts_with("+OK 7 "));  // the maildrop is fixed at login
    a.say("RETR 2");
    a.say("DELE 3");
    CHECK(acc.inbox().messages()[1].flags == 0);  // nothing changes before QUIT
    a.say("QUIT");
    CHECK(acc.inbox().count() == 7);
    CHECK(acc.inbox().messages()[1].flags == mail::kSeen);
    CHECK(acc.inbox().messages()[0].flags == 0);
    const auto& log = store.changes();
    CHECK(log.back().kind == mail::Change::Kind::Expunged);
    CHECK(log.back().actor == "pop3 #1");
  }

  TEST_CASE("events tell the world what happened") {
    mail::Store store = mail::make_demo_store();
    Session a(store);
    a.say("USER info");
    a.say("PASS bad");
    a.login();
    a.say("QUIT");
    std::vector<ServerEvent::Kind> kinds;
    for (auto& e : a.s.take_events()) kinds.push_back(e.kind);
    using K = ServerEvent::Kind;
    CHECK(kinds == std::vector<K>{K::AuthFailed, K::StateChanged, K::LoggedIn, K::StateChanged,
                                  K::StateChanged, K::Closed});
    CHECK(a.say("NOOP").empty());  // closed: input is ignored
  }
}

}  // namespace postino::pop3
