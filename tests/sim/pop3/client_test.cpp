// The client engine against the real server session over a fake link (tests/support).
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/mail/demo.hpp"
#include "sim/pop3/wire.hpp"
#include "support/fixtures.hpp"

namespace postino::pop3 {
using test::kT0;
using Kind = ClientEvent::Kind;
using Problem = ClientEvent::Problem;

namespace {

ClientConfig demo_config() {
  ClientConfig c;
  c.user = "info@tuodominio.it";
  c.password = "segreta";
  return c;
}

mail::Account& info(mail::Store& store) { return *store.find_account(mail::kDemoAddress); }

// One whole client session at `now`; returns the link with its wire log and events.
test::Pop3Link session(mail::Store& store, Client& client, Time now, ServerConfig sc = {},
                       std::size_t chunk = 0) {
  ServerSession server(store, std::move(sc), now);
  client.connect(now);
  test::Pop3Link link(client, server, now);
  link.latency = 0;  // the whole session happens at `now`, so day counts are exact
  link.chunk = chunk;
  link.run();
  return link;
}

std::size_t count(const test::Pop3Link& link, Kind kind) {
  return static_cast<std::size_t>(std::count_if(link.events.begin(), link.events.end(),
                                                [&](auto& e) { return e.kind == kind; }));
}

const ClientEvent* first_error(const test::Pop3Link& link) {
  for (auto& e : link.events)
    if (e.kind == Kind::Error) return &e;
  return nullptr;
}

bool sent(const test::Pop3Link& link, std::string_view line) {
  return std::find(link.wire.begin(), link.wire.end(), "C: " + std::string(line)) !=
         link.wire.end();
}

void deliver(mail::Store& store, std::string_view subject, Time at) {
  store.deliver(mail::kDemoAddress,
                mail::make_message("Subject: " + std::string(subject) + "\r\n\r\nbody\r\n"), at);
}

}  // namespace

TEST_SUITE("pop3") {
  TEST_CASE("default settings: download everything, then the server is empty (S9)") {
    mail::Store store = test::rfc1939_store();
    ClientConfig c;
    c.user = "mrose";
    c.password = "tanstaaf";
    Client client(c);
    auto link = session(store, client, kT0, test::rfc1939_config());
    const std::vector<std::string> expected_commands = {
        "C: CAPA", "C: AUTH PLAIN AG1yb3NlAHRhbnN0YWFm", "C: STAT", "C: LIST", "C: UIDL",
        "C: RETR 1", "C: DELE 1", "C: RETR 2", "C: DELE 2", "C: QUIT"};
    std::vector<std::string> commands;
    for (auto& l : link.wire)
      if (l.starts_with("C: ")) commands.push_back(l);
    CHECK(commands == expected_commands);
    CHECK(link.wire.back() == "S: +OK dewey POP3 server signing off (maildrop empty)");
    CHECK(count(link, Kind::Downloaded) == 2);
    CHECK(count(link, Kind::Deleted) == 2);
    CHECK(count(link, Kind::Finished) == 1);
    CHECK(link.events.back().text == "2 downloaded, 2 deleted");
    CHECK(store.find_account("mrose")->inbox().count() == 0);
    CHECK_FALSE(client.busy());
    CHECK(client.uidl_record().empty());
  }

  TEST_CASE("downloaded messages are byte-identical to the server's, dots and all") {
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
      CAPTURE(chunk);
      mail::Store store = mail::make_demo_store();
      std::vector<std::string> originals;
      for (auto& e : info(store).inbox().messages()) originals.push_back(e.message->text());
      Client client(demo_config());
      auto link = session(store, client, kT0, {}, chunk);
      std::vector<std::string> got;
      for (auto& e : link.events)
        if (e.kind == Kind::Downloaded) got.push_back(e.message->text());
      CHECK(got == originals);
      CHECK(info(store).inbox().count() == 0);
    }
  }

  TEST_CASE("a second POP3 client finds nothing left (S9)") {
    mail::Store store = mail::make_demo_store();
    Client pc(demo_config()), phone(demo_config());
    CHECK(count(session(store, pc, kT0), Kind::Downloaded) == 7);
    auto link = session(store, phone, kT0 + kMinute);
    CHECK(count(link, Kind::Downloaded) == 0);
    CHECK(link.wire[link.wire.size() - 2] == "C: QUIT");  // STAT said 0: nothing to fetch
  }

  TEST_CASE("leave a copy for N days: no duplicate downloads, DELE exactly N days later (S14)") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.leave_on_server = true;
    c.keep_days = 7;
    Client client(c);
    CHECK(count(session(store, client, kT0), Kind::Downloaded) == 7);
    CHECK(info(store).inbox().count() == 7);
    CHECK(client.uidl_record().size() == 7);

    deliver(store, "day three", kT0 + 3 * kDay);
    auto day3 = session(store, client, kT0 + 3 * kDay);
    CHECK(count(day3, Kind::Downloaded) == 1);
    CHECK(count(day3, Kind::Deleted) == 0);
    CHECK(info(store).inbox().count() == 8);

    auto almost = session(store, client, kT0 + 7 * kDay - 1);
    CHECK(count(almost, Kind::Downloaded) == 0);
    CHECK(count(almost, Kind::Deleted) == 0);

    auto day7 = session(store, client, kT0 + 7 * kDay);
    CHECK(count(day7, Kind::Downloaded) == 0);
    CHECK(count(day7, Kind::Deleted) == 7);
    REQUIRE(info(store).inbox().count() == 1);
    CHECK(info(store).inbox().messages()[0].message->summary().subject == "day three");
    CHECK(client.uidl_record().size() == 1);

    auto day10 = session(store, client, kT0 + 10 * kDay);
    CHECK(count(day10, Kind::Deleted) == 1);
    CHECK(info(store).inbox().count() == 0);
    CHECK(client.uidl_record().empty());
  }

  TEST_CASE("leave on server forever, and delete from the server when deleted here") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.leave_on_server = true;
    Client client(c);
    session(store, client, kT0);
    auto later = session(store, client, kT0 + 400 * kDay);
    CHECK(count(later, Kind::Deleted) == 0);
    CHECK(info(store).inbox().count() == 7);

    const std::string first = client.uidl_record().begin()->first;
    client.deleted_locally(first);
    CHECK(count(session(store, client, kT0 + 401 * kDay), Kind::Deleted) == 0);  // option off
    client.config().delete_when_deleted_locally = true;
    auto link = session(store, client, kT0 + 402 * kDay);
    CHECK(count(link, Kind::Deleted) == 1);
    CHECK(link.events[0].uidl == first);
    CHECK(info(store).inbox().count() == 6);
  }

  TEST_CASE("a connection dropped before QUIT deletes nothing; the next session finishes") {
    mail::Store store = mail::make_demo_store();
    Client client(demo_config());
    ServerSession server(store, {}, kT0);
    client.connect(kT0);
    // Run until the client has sent its first DELE, then cut the line.
    for (int i = 0; i < 50; ++i) {
      std::string down = server.take_output();
      client.receive(down, kT0 + i);
      std::string up = client.take_output();
      server.receive(up, kT0 + i);
      if (up.starts_with("DELE")) break;
    }
    server.connection_lost(kT0 + 60);
    client.connection_lost(kT0 + 60);
    auto events = client.take_events();
    CHECK(std::count_if(events.begin(), events.end(),
                        [](auto& e) { return e.kind == Kind::Downloaded; }) == 1);
    CHECK(std::any_of(events.begin(), events.end(),
                      [](auto& e) { return e.problem == Problem::ConnectionLost; }));
    CHECK(info(store).inbox().count() == 7);
    CHECK_FALSE(info(store).pop3_locked());

    auto next = session(store, client, kT0 + kHour);
    CHECK(count(next, Kind::Downloaded) == 6);  // message 1 is not downloaded twice
    CHECK(count(next, Kind::Deleted) == 7);
    CHECK(info(store).inbox().count() == 0);
  }

  TEST_CASE("a wrong password is reported and nothing else is tried") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.password = "sbagliata";
    Client client(c);
    auto link = session(store, client, kT0);
    const ClientEvent* e = first_error(link);
    REQUIRE(e);
    CHECK(e->problem == Problem::AuthFailed);
    CHECK(e->text.find("[AUTH]") != std::string::npos);
    CHECK_FALSE(sent(link, "STAT"));
    CHECK(sent(link, "QUIT"));
    CHECK(count(link, Kind::Finished) == 1);
  }

  TEST_CASE("a locked maildrop is reported as in use") {
    mail::Store store = mail::make_demo_store();
    ServerSession holder(store, {}, kT0);
    holder.receive("USER info\r\nPASS segreta\r\n", kT0);
    Client client(demo_config());
    auto link = session(store, client, kT0);
    const ClientEvent* e = first_error(link);
    REQUIRE(e);
    CHECK(e->problem == Problem::MailboxInUse);
  }

  TEST_CASE("plaintext authentication disabled: USER is refused, the app says why and QUITs; STLS works") {
    mail::Store store = mail::make_demo_store();
    ServerConfig sc;
    sc.tls_available = true;
    sc.plaintext_auth = false;
    Client client(demo_config());
    auto link = session(store, client, kT0, sc);
    const ClientEvent* e = first_error(link);
    REQUIRE(e);
    CHECK(e->problem == Problem::PlaintextDisabled);
    CHECK(e->command == "USER");
    CHECK(e->text == "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
    CHECK_FALSE(sent(link, "PASS segreta"));
    CHECK(sent(link, "QUIT"));
    CHECK(count(link, Kind::Finished) == 1);
    CHECK(info(store).inbox().count() == 7);

    // A wrong password on a server that takes passwords is still "wrong password".
    ClientConfig wrong = demo_config();
    wrong.password = "sbagliata";
    wrong.auth = ClientConfig::Auth::UserPass;
    Client w(wrong);
    auto lw = session(store, w, kT0 + 1);
    REQUIRE(first_error(lw));
    CHECK(first_error(lw)->problem == Problem::AuthFailed);

    ClientConfig tls = demo_config();
    tls.use_stls = true;
    Client safe(tls);
    auto ls = session(store, safe, kT0 + 2, sc);
    CHECK(first_error(ls) == nullptr);
    CHECK(count(ls, Kind::Downloaded) == 7);
  }

  TEST_CASE("hanging up mid-session: the reply awaited is used, then QUIT (and its DELEs count)") {
    mail::Store store = mail::make_demo_store();
    Client client(demo_config());
    ServerSession server(store, {}, kT0);
    client.connect(kT0);
    test::Pop3Link link(client, server, kT0);
    // Up to the first DELE on the wire, then the user changes the settings.
    for (int i = 0; i < 50; ++i) {
      std::string down = server.take_output();
      client.receive(down, kT0 + i);
      std::string up = client.take_output();
      server.receive(up, kT0 + i);
      if (up.starts_with("DELE")) break;
    }
    client.hang_up();
    link.run();
    CHECK(link.wire.at(0) == "S: +OK message 1 deleted");
    CHECK(link.wire.at(1) == "C: QUIT");
    CHECK(count(link, Kind::Deleted) == 1);
    CHECK(first_error(link) == nullptr);
    CHECK(info(store).inbox().count() == 6);
    CHECK_FALSE(client.busy());
  }

  TEST_CASE("USER/PASS and APOP logins") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.leave_on_server = true;
    c.auth = ClientConfig::Auth::UserPass;
    Client a(c);
    auto la = session(store, a, kT0);
    CHECK(sent(la, "USER info@tuodominio.it"));
    CHECK(sent(la, "PASS segreta"));
    CHECK(count(la, Kind::Downloaded) == 7);

    c.auth = ClientConfig::Auth::Apop;
    Client b(c);
    ServerConfig sc;
    sc.apop_timestamp = "<42.0@mail.tuodominio.it>";
    auto lb = session(store, b, kT0, sc);
    CHECK(sent(lb, "APOP info@tuodominio.it " + apop_digest("<42.0@mail.tuodominio.it>", "segreta")));
    CHECK(count(lb, Kind::Downloaded) == 7);
  }

  TEST_CASE("STLS: used when offered, and the password never goes in clear when it is not") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.use_stls = true;
    Client client(c);
    auto refused = session(store, client, kT0);  // server without TLS
    const ClientEvent* e = first_error(refused);
    REQUIRE(e);
    CHECK(e->problem == Problem::TlsNotOffered);
    for (auto& line : refused.wire) {
      CHECK(line.find("segreta") == std::string::npos);
      CHECK_FALSE(line.starts_with("C: AUTH"));
      CHECK_FALSE(line.starts_with("C: USER"));
    }

    ServerConfig sc;
    sc.tls_available = true;
    auto ok = session(store, client, kT0 + 1, sc);
    CHECK(count(ok, Kind::StartTls) == 1);
    CHECK(std::count(ok.wire.begin(), ok.wire.end(), "C: CAPA") == 2);
    CHECK(first_error(ok) == nullptr);
    CHECK(count(ok, Kind::Downloaded) == 7);
  }

  TEST_CASE("after a crash the client has forgotten everything; with mail left on the server "
            "it downloads it again") {
    mail::Store store = mail::make_demo_store();
    ClientConfig c = demo_config();
    c.leave_on_server = true;
    Client client(c);
    session(store, client, kT0);
    client.forget_everything();
    CHECK(count(session(store, client, kT0 + kDay), Kind::Downloaded) == 7);
  }
}

}  // namespace postino::pop3
