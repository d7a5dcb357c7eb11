// The SMTP submission server session beyond the golden files: the TLS handshake, delivery and
// bounces in the store, the timeout, a copy of a session, its news.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "sim/smtp/server.hpp"
#include "support/fixtures.hpp"

namespace postino::smtp {
using test::kT0;

namespace {

const std::string kLogin = "EHLO pc\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n";

std::string send(ServerSession& s, std::string_view bytes, Time t = kT0 + 1) {
  s.receive(bytes, t);
  return s.take_output();
}

}  // namespace

TEST_SUITE("smtp") {
  TEST_CASE("server: after STARTTLS and the handshake, the client starts again and may log in") {
    mail::Store store = mail::make_demo_store();
    ServerSession s(store, {.tls_available = true}, kT0);
    s.take_output();
    // The AUTH pipelined after STARTTLS came in plaintext: it is thrown away, not answered.
    CHECK(send(s, "EHLO pc\r\nSTARTTLS\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n")
              .ends_with("250 8BITMIME\r\n220 2.0.0 Ready to start TLS\r\n"));
    CHECK(s.awaiting_tls());
    CHECK(send(s, "NOOP\r\n").empty());  // nothing is read before the handshake
    s.tls_established(kT0 + 2);
    CHECK(s.state() == State::Connected);
    CHECK(send(s, "AUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n") == "503 5.5.1 Error: send EHLO first\r\n");
    const std::string ehlo = send(s, "EHLO pc\r\n");
    CHECK(ehlo.find("STARTTLS") == std::string::npos);
    CHECK(ehlo.find("250-AUTH PLAIN LOGIN\r\n") != std::string::npos);
    CHECK(send(s, "STARTTLS\r\n") == "554 5.5.1 Error: TLS already active\r\n");
    CHECK(send(s, "AUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n") == "235 2.7.0 Authentication successful\r\n");
    CHECK(s.state() == State::Authenticated);
    const auto news = s.take_news();
    REQUIRE(news.size() == 2);
    CHECK(news[0].kind == session::ServerNews::Kind::StartTls);
    CHECK(news[1].kind == session::ServerNews::Kind::LoggedIn);
    CHECK(news[1].detail == "info@tuodominio.it");
    CHECK(s.bad_transitions() == 0);
  }

  TEST_CASE("server: mail elsewhere is news; over quota here, the sender gets a report") {
    mail::Store store;
    store.add_account("info@tuodominio.it", "segreta");
    store.add_account("piccola@tuodominio.it", "segreta", 100);
    ServerSession s(store, {.tls_active = true}, kT0);
    send(s, kLogin);
    const std::string reply = send(s,
        "MAIL FROM:<info@tuodominio.it>\r\nRCPT TO:<piccola@tuodominio.it>\r\nRCPT TO:<mario@example.com>\r\n"
        "DATA\r\nSubject: Lunga\r\n\r\n" + std::string(200, 'x') + "\r\n.\r\n", kT0 + 5);
    CHECK(reply.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 1-1\r\n"));
    std::vector<std::pair<ServerEvent::Kind, std::string>> what;
    for (const auto& e : s.take_events())
      if (e.kind == ServerEvent::Kind::Bounced || e.kind == ServerEvent::Kind::SentOut || e.kind == ServerEvent::Kind::Delivered)
        what.emplace_back(e.kind, e.detail);
    CHECK(what == std::vector<std::pair<ServerEvent::Kind, std::string>>{
                      {ServerEvent::Kind::Bounced, "piccola@tuodominio.it"}, {ServerEvent::Kind::SentOut, "mario@example.com"}});
    CHECK(store.find_account("piccola@tuodominio.it")->inbox().count() == 0);
    const mail::Folder& inbox = store.find_account("info@tuodominio.it")->inbox();
    REQUIRE(inbox.count() == 1);
    const auto& report = *inbox.messages().front().message;
    CHECK(report.summary().subject == "Undelivered Mail Returned to Sender");
    CHECK(report.body().find("<piccola@tuodominio.it>") != std::string_view::npos);
  }

  TEST_CASE("server: SentOut is news for whoever carries the session") {
    mail::Store store = mail::make_demo_store();
    ServerSession s(store, {.tls_active = true}, kT0);
    send(s, kLogin + "MAIL FROM:<info@tuodominio.it>\r\nRCPT TO:<mario@example.com>\r\nDATA\r\n\r\nx\r\n.\r\nQUIT\r\n");
    std::vector<session::ServerNews::Kind> kinds;
    std::string out;
    for (const auto& n : s.take_news()) {
      kinds.push_back(n.kind);
      if (n.kind == session::ServerNews::Kind::SentOut) out = n.detail;
    }
    using K = session::ServerNews::Kind;
    CHECK(kinds == std::vector<K>{K::SentOut, K::LoggedIn, K::Closed});
    CHECK(out == "mario@example.com");
    CHECK(s.closed());
  }

  TEST_CASE("server: a silent client gets 421 after 5 minutes; a message cut short is not delivered") {
    mail::Store store = mail::make_demo_store();
    ServerSession s(store, {.tls_active = true}, kT0);
    send(s, kLogin + "MAIL FROM:<info@tuodominio.it>\r\nRCPT TO:<commerciale@tuodominio.it>\r\nDATA\r\nSubject: a metà\r\n");
    CHECK(s.state() == State::Data);
    CHECK(s.deadline() == kT0 + 1 + 5 * kMinute);
    s.tick(s.deadline() - 1);
    CHECK_FALSE(s.closed());
    s.tick(s.deadline());
    CHECK(s.take_output() == "421 4.4.2 mail.tuodominio.it Error: timeout exceeded\r\n");
    CHECK(s.closed());
    CHECK(store.find_account("commerciale@tuodominio.it")->inbox().count() == 0);
    CHECK(s.bad_transitions() == 0);
  }

  TEST_CASE("server: a copy on another store finishes the message there only") {
    mail::Store store = mail::make_demo_store();
    ServerSession s(store, {.tls_active = true}, kT0);
    send(s, kLogin + "MAIL FROM:<info@tuodominio.it>\r\nRCPT TO:<commerciale@tuodominio.it>\r\nDATA\r\nSubject: Copia\r\n");
    mail::Store other = store;
    auto copy = s.copy_onto(other);
    copy->receive("\r\nx\r\n.\r\n", kT0 + 2);
    CHECK(copy->take_output() == "250 2.0.0 Ok: queued as 1-1\r\n");
    CHECK(other.find_account("commerciale@tuodominio.it")->inbox().count() == 1);
    CHECK(store.find_account("commerciale@tuodominio.it")->inbox().count() == 0);
    CHECK(copy->state_name() == "Authenticated");
    CHECK(s.state() == State::Data);
  }

  TEST_CASE("server: HELO gives no extensions, and Received says SMTP") {
    mail::Store store = mail::make_demo_store();
    ServerSession s(store, {.require_auth = false}, kT0);
    CHECK(s.take_output() == "220 mail.tuodominio.it ESMTP Postino\r\n");
    CHECK(send(s, "HELO mx.example.com\r\n") == "250 mail.tuodominio.it\r\n");
    send(s, "MAIL FROM:<>\r\nRCPT TO:<info@tuodominio.it>\r\nDATA\r\nSubject: Da fuori\r\n\r\nx\r\n.\r\n");
    const mail::Folder& inbox = store.find_account("info@tuodominio.it")->inbox();
    const std::string& text = inbox.messages().back().message->text();
    CHECK(text.starts_with("Received: from mx.example.com by mail.tuodominio.it (Postino) with SMTP id 1-1;\r\n\t"));
    CHECK(inbox.messages().back().message->summary().subject == "Da fuori");
    // RFC 6409 section 8: the Date and Message-ID the client left out are added.
    CHECK(inbox.messages().back().message->header("Date") == format_rfc5322_date(kT0 + 1));
    CHECK(inbox.messages().back().message->header("Message-ID") ==
          "<1-1." + std::to_string(kT0 + 1) + "@mail.tuodominio.it>");
    // What the client wrote is kept.
    send(s, "MAIL FROM:<>\r\nRCPT TO:<info@tuodominio.it>\r\nDATA\r\nDate: Thu, 26 Nov 2026 09:15:00 +0100\r\n"
            "Message-ID: <mio@pc>\r\n\r\nx\r\n.\r\n");
    const mail::Message& kept = *inbox.messages().back().message;
    CHECK(kept.header("Date") == "Thu, 26 Nov 2026 09:15:00 +0100");
    CHECK(kept.header("Message-ID") == "<mio@pc>");
    CHECK(kept.text().find("Date:") == kept.text().rfind("Date:"));
  }
}

}  // namespace postino::smtp
