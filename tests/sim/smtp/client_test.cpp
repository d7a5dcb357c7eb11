// The SMTP client engine against the SMTP server session: what travels on the wire, what each
// side reports, and where the message ends up.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/mail/demo.hpp"
#include "sim/smtp/client.hpp"
#include "sim/smtp/server.hpp"
#include "support/fixtures.hpp"

namespace postino::smtp {
using test::kT0;

namespace {

// Moves bytes both ways until both are quiet, running the TLS handshake when both ask for it.
struct Link {
  Client& client;
  ServerSession& server;
  std::size_t chunk = 0;  // deliver bytes in pieces of this size (0: whole)
  Time now = kT0;
  std::vector<std::string> wire;
  std::vector<ClientEvent> events;
  std::vector<ServerEvent> server_events;

  void log(const char* who, const std::string& bytes) {
    std::size_t p = 0;
    while (p < bytes.size()) {
      auto e = bytes.find("\r\n", p);
      if (e == std::string::npos) e = bytes.size();
      wire.push_back(std::string(who) + bytes.substr(p, e - p));
      p = e + 2;
    }
  }
  template <typename Side>
  void give(Side& side, const std::string& bytes) {
    const std::size_t step = chunk == 0 ? std::max<std::size_t>(bytes.size(), 1) : chunk;
    for (std::size_t i = 0; i < bytes.size(); i += step) side.receive(std::string_view(bytes).substr(i, step), ++now);
  }
  void run(bool tls = false) {
    client.connect(now, tls);
    for (int rounds = 0; rounds < 1000; ++rounds) {
      const std::string s = server.take_output();
      log("S: ", s);
      give(client, s);
      const std::string c = client.take_output();
      log("C: ", c);
      give(server, c);
      auto ev = client.take_events();
      bool handshake = false;
      for (auto& e : ev) handshake |= e.kind == ClientEvent::Kind::StartTls;
      events.insert(events.end(), ev.begin(), ev.end());
      auto sev = server.take_events();
      server_events.insert(server_events.end(), sev.begin(), sev.end());
      if (handshake && server.awaiting_tls()) {
        server.tls_established(++now);
        client.tls_established(now);
        wire.push_back("-- TLS --");
        continue;
      }
      if (s.empty() && c.empty() && (!client.busy() || server.closed())) break;
    }
    if (client.busy()) client.connection_lost(now);
    auto ev = client.take_events();
    events.insert(events.end(), ev.begin(), ev.end());
  }
  std::vector<const ClientEvent*> of(ClientEvent::Kind kind) const {
    std::vector<const ClientEvent*> out;
    for (const auto& e : events)
      if (e.kind == kind) out.push_back(&e);
    return out;
  }
  std::vector<std::string> server_said(ServerEvent::Kind kind) const {
    std::vector<std::string> out;
    for (const auto& e : server_events)
      if (e.kind == kind) out.push_back(e.detail);
    return out;
  }
};

Outgoing message(std::vector<std::string> to, std::string body = "Buongiorno.\r\n") {
  return {"info@tuodominio.it", std::move(to),
          mail::make_message("From: info@tuodominio.it\r\nSubject: Preventivo\r\n\r\n" + body)};
}

ClientConfig info(bool starttls = false) {
  return {.user = "info@tuodominio.it", .password = "segreta", .use_starttls = starttls, .hostname = "pc.casa.lan"};
}

}  // namespace

TEST_SUITE("smtp") {
  TEST_CASE("client: port 587, STARTTLS then AUTH PLAIN; one recipient here, one elsewhere, one unknown") {
    for (std::size_t chunk : {0, 1, 7}) {
      CAPTURE(chunk);
      mail::Store store = mail::make_demo_store();
      ServerSession server(store, {.tls_available = true}, kT0);
      Client client(info(true));
      client.submit(message({"commerciale@tuodominio.it", "nessuno@tuodominio.it", "mario.rossi@example.com"},
                            "Buongiorno.\r\n.Una riga col punto.\r\n"));
      Link link{client, server, chunk};
      link.run();
      const std::vector<std::string> expected = {
          "S: 220 mail.tuodominio.it ESMTP Postino",
          "C: EHLO pc.casa.lan",
          "S: 250-mail.tuodominio.it Hello pc.casa.lan",
          "S: 250-PIPELINING",
          "S: 250-SIZE 26214400",
          "S: 250-STARTTLS",
          "S: 250-ENHANCEDSTATUSCODES",
          "S: 250 8BITMIME",
          "C: STARTTLS",
          "S: 220 2.0.0 Ready to start TLS",
          "-- TLS --",
          "C: EHLO pc.casa.lan",
          "S: 250-mail.tuodominio.it Hello pc.casa.lan",
          "S: 250-PIPELINING",
          "S: 250-SIZE 26214400",
          "S: 250-AUTH PLAIN LOGIN",
          "S: 250-ENHANCEDSTATUSCODES",
          "S: 250 8BITMIME",
          "C: AUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh",
          "S: 235 2.7.0 Authentication successful",
          "C: MAIL FROM:<info@tuodominio.it> SIZE=84",
          "S: 250 2.1.0 Ok",
          "C: RCPT TO:<commerciale@tuodominio.it>",
          "S: 250 2.1.5 Ok",
          "C: RCPT TO:<nessuno@tuodominio.it>",
          "S: 550 5.1.1 <nessuno@tuodominio.it>: Recipient address rejected: User unknown in this domain",
          "C: RCPT TO:<mario.rossi@example.com>",
          "S: 250 2.1.5 Ok",
          "C: DATA",
          "S: 354 End data with <CR><LF>.<CR><LF>",
          "C: From: info@tuodominio.it",
          "C: Subject: Preventivo",
          "C: ",
          "C: Buongiorno.",
          "C: ..Una riga col punto.",
          "C: .",
          "S: 250 2.0.0 Ok: queued as 1-1",
          "C: QUIT",
          "S: 221 2.0.0 mail.tuodominio.it closing connection",
      };
      CHECK(link.wire == expected);
      REQUIRE(link.of(ClientEvent::Kind::Sent).size() == 1);
      CHECK(link.of(ClientEvent::Kind::Sent)[0]->recipients ==
            std::vector<std::string>{"commerciale@tuodominio.it", "mario.rossi@example.com"});
      REQUIRE(link.of(ClientEvent::Kind::Error).size() == 1);
      CHECK(link.of(ClientEvent::Kind::Error)[0]->command == "RCPT TO:<nessuno@tuodominio.it>");
      CHECK(link.of(ClientEvent::Kind::Error)[0]->problem == session::ClientProblem::CommandFailed);
      CHECK(client.outbox().empty());
      CHECK(link.server_said(ServerEvent::Kind::Delivered) == std::vector<std::string>{"commerciale@tuodominio.it"});
      CHECK(link.server_said(ServerEvent::Kind::SentOut) == std::vector<std::string>{"mario.rossi@example.com"});
      // The copy in the store: the server's Received line, then the octets the user wrote.
      const mail::Folder& inbox = store.find_account("commerciale@tuodominio.it")->inbox();
      REQUIRE(inbox.count() == 1);
      const std::string& text = inbox.messages().front().message->text();
      CHECK(text.starts_with("Received: from pc.casa.lan by mail.tuodominio.it (Postino) with ESMTPSA id 1-1;\r\n\t"));
      CHECK(text.ends_with("\r\n\r\nBuongiorno.\r\n.Una riga col punto.\r\n"));
      CHECK(server.bad_transitions() == 0);
    }
  }

  TEST_CASE("client: port 465 with AUTH LOGIN, two messages in one session") {
    mail::Store store = mail::make_demo_store();
    ServerSession server(store, {.tls_active = true}, kT0);
    ClientConfig config = info();
    config.auth = ClientConfig::Auth::Login;
    Client client(config);
    client.submit(message({"info@tuodominio.it"}));
    client.submit(message({"amministrazione@tuodominio.it"}));
    Link link{client, server};
    link.run(true);
    CHECK(std::count(link.wire.begin(), link.wire.end(), "C: AUTH LOGIN") == 1);
    CHECK(std::count(link.wire.begin(), link.wire.end(), "C: aW5mb0B0dW9kb21pbmlvLml0") == 1);
    CHECK(std::count(link.wire.begin(), link.wire.end(), "C: c2VncmV0YQ==") == 1);
    CHECK(link.of(ClientEvent::Kind::Sent).size() == 2);
    CHECK(link.of(ClientEvent::Kind::Error).empty());
    CHECK(store.find_account("info@tuodominio.it")->inbox().count() == 8);
    CHECK(store.find_account("amministrazione@tuodominio.it")->inbox().count() == 1);
    CHECK(link.of(ClientEvent::Kind::Finished).back()->text == "2 sent, 0 waiting");
  }

  TEST_CASE("client: no password in clear when STARTTLS is wanted and not offered") {
    mail::Store store = mail::make_demo_store();
    ServerSession server(store, {}, kT0);
    Client client(info(true));
    client.submit(message({"commerciale@tuodominio.it"}));
    Link link{client, server};
    link.run();
    CHECK(std::none_of(link.wire.begin(), link.wire.end(), [](const std::string& l) { return l.starts_with("C: AUTH"); }));
    REQUIRE(link.of(ClientEvent::Kind::Error).size() == 1);
    CHECK(link.of(ClientEvent::Kind::Error)[0]->problem == session::ClientProblem::TlsNotOffered);
    CHECK(link.wire.back() == "S: 221 2.0.0 mail.tuodominio.it closing connection");
    CHECK(client.outbox().size() == 1);  // still waiting to be sent
  }

  TEST_CASE("client: a wrong password keeps the message in the outbox") {
    mail::Store store = mail::make_demo_store();
    ServerSession server(store, {.tls_active = true}, kT0);
    ClientConfig config = info();
    config.password = "sbagliata";
    Client client(config);
    client.submit(message({"commerciale@tuodominio.it"}));
    Link link{client, server};
    link.run(true);
    REQUIRE(link.of(ClientEvent::Kind::Error).size() == 1);
    CHECK(link.of(ClientEvent::Kind::Error)[0]->problem == session::ClientProblem::AuthFailed);
    CHECK(link.of(ClientEvent::Kind::Error)[0]->text == "535 5.7.8 Error: authentication failed");
    CHECK(link.server_said(ServerEvent::Kind::AuthFailed) == std::vector<std::string>{"info@tuodominio.it"});
    CHECK(client.outbox().size() == 1);
    CHECK(store.find_account("commerciale@tuodominio.it")->inbox().count() == 0);
  }

  TEST_CASE("client: a message over the SIZE limit is refused at MAIL FROM and dropped; the next goes") {
    mail::Store store = mail::make_demo_store();
    ServerSession server(store, {.tls_active = true, .max_message_size = 200}, kT0);
    Client client(info());
    client.submit(message({"commerciale@tuodominio.it"}, test::message_of_size(400, "big")));
    client.submit(message({"commerciale@tuodominio.it"}));
    Link link{client, server};
    link.run(true);
    REQUIRE(link.of(ClientEvent::Kind::Error).size() == 1);
    CHECK(link.of(ClientEvent::Kind::Error)[0]->text == "552 5.3.4 Message size exceeds fixed limit of 200 octets");
    CHECK(link.of(ClientEvent::Kind::Sent).size() == 1);
    CHECK(client.outbox().empty());
    CHECK(store.find_account("commerciale@tuodominio.it")->inbox().count() == 1);
  }

  TEST_CASE("client: a connection lost before the reply to DATA keeps the message; the server delivered nothing") {
    mail::Store store = mail::make_demo_store();
    ServerSession server(store, {.tls_active = true}, kT0);
    Client client(info());
    client.submit(message({"commerciale@tuodominio.it"}));
    client.connect(kT0, true);
    Time now = kT0;
    // Carry bytes until the client has sent its message but the final "." has not arrived.
    for (int i = 0; i < 20; ++i) {
      client.receive(server.take_output(), ++now);
      std::string c = client.take_output();
      if (c.ends_with("\r\n.\r\n")) {
        server.receive(c.substr(0, c.size() - 3), ++now);
        break;
      }
      server.receive(c, ++now);
    }
    CHECK(server.state() == State::Data);
    server.connection_lost(++now);
    client.connection_lost(now);
    const auto events = client.take_events();
    CHECK(std::any_of(events.begin(), events.end(), [](const ClientEvent& e) {
      return e.kind == ClientEvent::Kind::Error && e.problem == session::ClientProblem::ConnectionLost;
    }));
    CHECK(client.outbox().size() == 1);
    CHECK_FALSE(client.busy());
    CHECK(store.find_account("commerciale@tuodominio.it")->inbox().count() == 0);
  }

  TEST_CASE("client: a refused greeting, a 421 mid-session, garbage instead of a reply") {
    Client client(info());
    client.connect(kT0, true);
    client.receive("554 5.7.1 No SMTP service here\r\n", kT0 + 1);
    CHECK(client.take_output() == "QUIT\r\n");
    client.receive("221 2.0.0 Bye\r\n", kT0 + 2);
    CHECK_FALSE(client.busy());
    auto events = client.take_events();
    REQUIRE(events.size() == 2);
    CHECK(events[0].problem == session::ClientProblem::Refused);

    client.connect(kT0 + 3, true);
    client.receive("220 ok\r\n421 4.4.2 Error: timeout exceeded\r\n", kT0 + 4);
    CHECK(client.take_output() == "EHLO pc.casa.lan\r\n");  // and no QUIT: the server is gone
    CHECK_FALSE(client.busy());
    client.take_events();

    client.connect(kT0 + 5, true);
    client.receive("hello there\r\n", kT0 + 6);
    CHECK(client.take_output() == "QUIT\r\n");
    events = client.take_events();
    REQUIRE(!events.empty());
    CHECK(events[0].problem == session::ClientProblem::Unexpected);
  }
}

}  // namespace postino::smtp
