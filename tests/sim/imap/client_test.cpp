// The IMAP client engine against real server sessions on one store (tests/support ImapNet).
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/imap/syntax.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"

namespace postino::imap {
using test::ImapNet;
using Kind = ClientEvent::Kind;
using Problem = ClientEvent::Problem;

namespace {

ClientConfig device(bool idle = true) {
  ClientConfig c;
  c.user = "info@tuodominio.it";
  c.password = "segreta";
  c.use_idle = idle;
  return c;
}

mail::Account& info(mail::Store& s) { return *s.find_account(mail::kDemoAddress); }

std::vector<mail::Uid> local_uids(const Client& c, const std::string& folder) {
  std::vector<mail::Uid> out;
  auto it = c.folders().find(folder);
  if (it != c.folders().end())
    for (auto& [uid, m] : it->second.messages) out.push_back(uid);
  return out;
}

std::vector<mail::Uid> server_uids(mail::Store& s, const std::string& folder) {
  std::vector<mail::Uid> out;
  for (auto& e : info(s).folder(folder)->messages()) out.push_back(e.uid);
  return out;
}

const ClientEvent* error(const ImapNet& net, std::size_t k, Problem p) {
  for (auto& e : net.events[k])
    if (e.kind == Kind::Error && e.problem == p) return &e;
  return nullptr;
}

bool sent(const ImapNet& net, std::string_view needle) {
  return std::any_of(net.wire.begin(), net.wire.end(), [&](const std::string& l) {
    return l.find(" C: ") != std::string::npos && l.find(needle) != std::string::npos;
  });
}

// Every folder and message of the client equals the server's: names, UIDVALIDITY, UIDs, flags.
void check_converged(mail::Store& s, const Client& c) {
  const mail::Account& a = info(s);
  std::vector<std::string> server_names, client_names;
  for (auto& [n, f] : a.folders()) server_names.push_back(n);
  for (auto& [n, f] : c.folders()) client_names.push_back(n);
  REQUIRE(client_names == server_names);
  for (auto& [n, f] : a.folders()) {
    CAPTURE(n);
    const LocalFolder& lf = c.folders().at(n);
    CHECK(lf.uidvalidity == f.uidvalidity());
    REQUIRE(lf.messages.size() == f.count());
    for (const mail::Entry& e : f.messages()) {
      auto it = lf.messages.find(e.uid);
      REQUIRE(it != lf.messages.end());
      CHECK(it->second.flags == e.flags);
      CHECK(it->second.size == e.message->size());
      REQUIRE(it->second.message);
      CHECK(it->second.message->summary().subject == e.message->summary().subject);
    }
  }
}

}  // namespace

TEST_SUITE("imap") {
  TEST_CASE("a new device syncs every folder and then waits in IDLE") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    net.connect(0);
    net.run();
    check_converged(store, phone);
    CHECK(phone.idling());
    CHECK(phone.folders().at("Trash").use == mail::SpecialUse::Trash);
    CHECK(sent(net, "AUTHENTICATE PLAIN "));
    CHECK(sent(net, "LIST \"\" \"*\""));
    CHECK(sent(net, "UID FETCH 1:7 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER])"));
    const LocalMessage& m = phone.folders().at("INBOX").messages.at(2);
    CHECK_FALSE(m.has_body);
    CHECK(m.message->summary().subject == "Ordine 42");
    // Nothing was marked read by syncing headers.
    CHECK(info(store).inbox().find(2)->flags == 0);
  }

  TEST_CASE("the same conversation whatever the chunking of the bytes on the wire") {
    std::vector<std::string> reference;
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
      CAPTURE(chunk);
      mail::Store store = mail::make_demo_store();
      ImapNet net(store);
      net.chunk = chunk;
      Client& a = net.add(device());
      Client& b = net.add(device());
      net.connect(0);
      net.connect(1);
      net.run();
      a.open("INBOX", 6);  // the 114 KB message with the attachment, as a literal
      a.remove("INBOX", 2);
      a.append("Sent", "Subject: inviato\r\n\r\n.dot line\r\n");
      net.run();
      b.poll();  // b waited in IDLE on INBOX: Sent and Trash changed elsewhere
      net.run();
      check_converged(store, a);
      check_converged(store, b);
      CHECK(a.folders().at("INBOX").messages.at(6).message->text() == info(store).inbox().find(6)->message->text());
      if (reference.empty()) reference = net.wire;
      CHECK(net.wire == reference);
    }
  }

  TEST_CASE("reading on one device marks it read on the server and on the others (S4)") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    Client& laptop = net.add(device());
    net.connect(0);
    net.connect(1);
    net.run();
    phone.open("INBOX", 2);
    net.run();
    CHECK(phone.folders().at("INBOX").messages.at(2).has_body);
    CHECK(info(store).inbox().find(2)->flags == mail::kSeen);
    // The laptop was in IDLE: the server told it at once, no polling.
    CHECK(laptop.folders().at("INBOX").messages.at(2).flags == mail::kSeen);
    CHECK(phone.idling());
    CHECK(laptop.idling());
  }

  TEST_CASE("new mail reaches every IDLE device without polling") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    Client& tablet = net.add(device());
    net.connect(0);
    net.connect(1);
    net.run();
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: Ordine 43\r\n\r\nx\r\n"), net.now);
    for (auto& p : net.peers) p.server->store_changed(net.now);
    net.run();
    for (Client* c : {&phone, &tablet}) {
      REQUIRE(c->folders().at("INBOX").messages.count(8));
      CHECK(c->folders().at("INBOX").messages.at(8).message->summary().subject == "Ordine 43");
      CHECK(c->idling());
    }
  }

  TEST_CASE("deleting moves to Trash: gone from INBOX everywhere, still on the server (S7)") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    Client& laptop = net.add(device(false));  // polls instead of IDLE
    net.connect(0);
    net.connect(1);
    net.run();
    phone.remove("INBOX", 3);
    net.run();
    CHECK(server_uids(store, "INBOX") == std::vector<mail::Uid>{1, 2, 4, 5, 6, 7});
    CHECK(server_uids(store, "Trash").size() == 1);
    CHECK(local_uids(phone, "INBOX") == server_uids(store, "INBOX"));
    CHECK(local_uids(phone, "Trash") == server_uids(store, "Trash"));
    CHECK(sent(net, "UID MOVE 3 Trash"));
    // The polling laptop still shows it until it checks.
    CHECK(local_uids(laptop, "INBOX").size() == 7);
    laptop.poll();
    net.run();
    check_converged(store, laptop);
    // Deleting in Trash removes it for good.
    phone.remove("Trash", server_uids(store, "Trash")[0]);
    net.run();
    CHECK(server_uids(store, "Trash").empty());
    CHECK(local_uids(phone, "Trash").empty());
  }

  TEST_CASE("delete with no Trash folder (the user deleted it): CREATE Trash, then the move, as Thunderbird") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    net.connect(0);
    net.run();
    phone.delete_folder("Trash");
    net.run();
    REQUIRE_FALSE(phone.folders().contains("Trash"));
    CHECK(phone.remove("INBOX", 3));  // says it creates Trash
    net.run();
    CHECK(sent(net, "CREATE Trash"));
    CHECK(sent(net, "SUBSCRIBE Trash"));
    CHECK(sent(net, "UID MOVE 3 Trash"));
    CHECK_FALSE(sent(net, "UID EXPUNGE 3"));
    CHECK(server_uids(store, "Trash").size() == 1);
    // Found by its name now (the server gave it no \Trash attribute): no second CREATE.
    CHECK_FALSE(phone.remove("INBOX", 4));
    net.run();
    CHECK(server_uids(store, "Trash").size() == 2);
    check_converged(store, phone);
  }

  TEST_CASE("delete as \\Deleted + EXPUNGE removes the message from the server at once") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    ClientConfig c = device();
    c.delete_mode = ClientConfig::Delete::FlagAndExpunge;
    Client& phone = net.add(c);
    net.connect(0);
    net.run();
    phone.remove("INBOX", 1);
    net.run();
    CHECK(sent(net, "UID STORE 1 +FLAGS.SILENT (\\Deleted)"));
    CHECK(sent(net, "UID EXPUNGE 1"));
    CHECK(server_uids(store, "INBOX").size() == 6);
    CHECK(server_uids(store, "Trash").empty());
    check_converged(store, phone);
  }

  TEST_CASE("folders created, renamed and deleted on one device appear on the others (S4, S6)") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& a = net.add(device());
    Client& b = net.add(device(false));
    net.connect(0);
    net.connect(1);
    net.run();
    a.create_folder("Clienti");
    net.run();
    a.move("INBOX", 2, "Clienti");
    net.run();
    CHECK(local_uids(a, "Clienti").size() == 1);
    b.poll();
    net.run();
    check_converged(store, b);
    a.rename_folder("Clienti", "Archivio");
    net.run();
    b.poll();
    net.run();
    check_converged(store, b);
    CHECK(b.folders().contains("Archivio"));
    a.delete_folder("Archivio");
    net.run();
    b.poll();
    net.run();
    check_converged(store, a);
    check_converged(store, b);
  }

  TEST_CASE("a new UIDVALIDITY throws the cache away and resyncs") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& a = net.add(device(false));
    net.connect(0);
    net.run();
    mail::Account& acc = info(store);
    store.create_folder(acc, "Lavoro");
    store.append(acc, *acc.folder("Lavoro"), mail::make_message("Subject: old\r\n\r\n"), 0, 0, "x");
    a.poll();
    net.run();
    const auto old_validity = a.folders().at("Lavoro").uidvalidity;
    // Someone deletes the folder and makes a new one with the same name and other mail.
    store.delete_folder(acc, "Lavoro");
    store.create_folder(acc, "Lavoro");
    store.append(acc, *acc.folder("Lavoro"), mail::make_message("Subject: new\r\n\r\n"), 0, 0, "x");
    a.poll();
    net.run();
    CHECK(a.folders().at("Lavoro").uidvalidity != old_validity);
    check_converged(store, a);
    CHECK(a.folders().at("Lavoro").messages.at(1).message->summary().subject == "new");
  }

  TEST_CASE("a message leaving the app's copy of a folder is reported (Gone): EXPUNGE, a resync, a new UIDVALIDITY") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    Client& laptop = net.add(device(false));  // polls instead of IDLE
    net.connect(0);
    net.connect(1);
    net.run();
    const std::string subject = info(store).folder("INBOX")->find(3)->message->summary().subject;
    auto gone = [&](std::size_t k) {
      std::vector<std::pair<std::string, std::string>> out;  // folder, subject
      for (const ClientEvent& e : net.events[k])
        if (e.kind == Kind::Gone) out.emplace_back(e.detail, e.text);
      net.events[k].clear();
      return out;
    };
    gone(0);
    gone(1);
    phone.remove("INBOX", 3);
    net.run();
    using Gone = std::vector<std::pair<std::string, std::string>>;
    CHECK(gone(0) == Gone{{"INBOX", subject}});
    CHECK(gone(1).empty());  // the polling laptop has not looked yet
    laptop.poll();
    net.run();
    CHECK(gone(1) == Gone{{"INBOX", subject}});
    // A folder made again with the same name: the app's whole old copy of it is gone.
    mail::Account& acc = info(store);
    store.create_folder(acc, "Lavoro");
    store.append(acc, *acc.folder("Lavoro"), mail::make_message("Subject: old\r\n\r\n"), 0, 0, "x");
    laptop.poll();
    net.run();
    gone(1);
    store.delete_folder(acc, "Lavoro");
    store.create_folder(acc, "Lavoro");
    laptop.poll();
    net.run();
    CHECK(gone(1) == Gone{{"Lavoro", "old"}});  // (the world hears it as news: world_test.cpp)
  }

  TEST_CASE("errors reach the user: wrong password, over quota, refused STARTTLS") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    ClientConfig bad = device();
    bad.password = "sbagliata";
    net.add(bad);
    net.connect(0);
    net.run();
    REQUIRE(error(net, 0, Problem::AuthFailed));
    CHECK(error(net, 0, Problem::AuthFailed)->text.find("AUTHENTICATIONFAILED") != std::string::npos);
    CHECK_FALSE(sent(net, "LIST"));
    CHECK_FALSE(net.peers[0].client->connected());

    ClientConfig tls = device();
    tls.use_starttls = true;
    net.add(tls);
    net.wire.clear();
    net.connect(1);
    net.run();
    CHECK(error(net, 1, Problem::TlsNotOffered));
    CHECK_FALSE(sent(net, "segreta"));
    CHECK_FALSE(sent(net, "AUTHENTICATE"));

    mail::Store small("tuodominio.it");
    small.add_account(mail::kDemoAddress, "segreta", 1000);
    ImapNet net2(small);
    Client& c = net2.add(device());
    net2.connect(0);
    net2.run();
    c.append("Sent", std::string(2000, 'x'));
    net2.run();
    REQUIRE(error(net2, 0, Problem::OverQuota));
    CHECK(c.idling());
  }

  TEST_CASE("a server announcing billions of messages is refused, not believed (fuzz finding)") {
    // A slot per message was kept: "* 4000000000 EXISTS" asked for 16 GB, "* 44444443 FETCH"
    // took a quarter of a second.
    for (const char* line : {"* 4000000000 EXISTS\r\n", "* 44444443 FETCH (UID 1 FLAGS ())\r\n"}) {
      Client c(device());
      c.connect(0);
      c.receive("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", 1);
      (void)c.take_output();
      c.receive(line, 2);
      bool refused = false;
      for (const ClientEvent& e : c.take_events())
        refused |= e.kind == ClientEvent::Kind::Error && e.problem == Problem::Unexpected;
      CHECK(refused);  // (and the app logs out once its command in flight is answered)
    }
    Client c(device());  // a million is still a mailbox
    c.connect(0);
    c.receive("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", 1);
    c.receive("* 1000000 EXISTS\r\n", 2);
    for (const ClientEvent& e : c.take_events()) CHECK(e.kind != ClientEvent::Kind::Error);
  }

  TEST_CASE("STARTTLS when the server offers it, then login") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    ClientConfig c = device();
    c.use_starttls = true;
    ServerConfig sc;
    sc.tls_available = true;
    Client& phone = net.add(c, sc);
    phone.connect(net.now);
    net.run();
    CHECK(sent(net, "STARTTLS"));
    CHECK(net.peers[0].server->tls_active());
    check_converged(store, phone);
  }

  TEST_CASE("APPEND with a synchronising literal when the server has no LITERAL+") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    ServerConfig sc;
    sc.literal_plus = false;
    Client& phone = net.add(device(), sc);
    net.connect(0);
    net.run();
    phone.append("Sent", "Subject: inviato\r\n\r\nciao\r\n");
    net.run();
    CHECK(sent(net, "APPEND Sent (\\Seen) {26}"));
    CHECK(std::find(net.wire.begin(), net.wire.end(), "1 S: + Ready for literal data") != net.wire.end());
    CHECK(local_uids(phone, "Sent") == std::vector<mail::Uid>{1});
    check_converged(store, phone);
  }

  TEST_CASE("LOGINDISABLED: the app sends no password in clear and says why; with STARTTLS it logs in") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    ServerConfig sc;
    sc.tls_available = true;
    sc.plaintext_auth = false;
    net.add(device(), sc);
    net.connect(0);
    net.run();
    const ClientEvent* e = error(net, 0, Problem::PlaintextDisabled);
    REQUIRE(e);
    CHECK(e->command == "LOGIN");
    CHECK_FALSE(sent(net, "segreta"));
    CHECK_FALSE(sent(net, "AUTHENTICATE"));
    CHECK_FALSE(sent(net, "LOGIN "));
    CHECK(sent(net, "LOGOUT"));  // and it says goodbye
    CHECK_FALSE(error(net, 0, Problem::ConnectionLost));

    ClientConfig tls = device();
    tls.use_starttls = true;
    Client& phone = net.add(tls, sc);
    net.connect(1);
    net.run();
    CHECK_FALSE(error(net, 1, Problem::PlaintextDisabled));
    check_converged(store, phone);
  }

  TEST_CASE("IDLE is renewed before the server's autologout (RFC 2177); a BYE ends quietly") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    Client& laptop = net.add(device(false));  // no IDLE, no polling: it just sits there
    net.connect(0);
    net.connect(1);
    net.run();
    REQUIRE(phone.idling());
    const Time renew = phone.deadline();
    CHECK(renew < net.peers[0].server->deadline());  // before the autologout
    CHECK(renew - net.now <= Client::kIdleRenewal);
    CHECK(laptop.deadline() == session::kNoDeadline);
    phone.tick(renew - 1);
    CHECK(phone.take_output().empty());
    net.now = renew;
    net.wire.clear();
    phone.tick(net.now);
    net.run();
    REQUIRE(net.wire.size() == 4);  // DONE, its OK, IDLE again, and the server's "+"
    CHECK(net.wire[0] == "1 C: DONE");
    CHECK(net.wire[1].ends_with(" OK IDLE terminated"));
    CHECK(net.wire[2].starts_with("1 C: A"));
    CHECK(net.wire[2].ends_with(" IDLE"));
    CHECK(net.wire[3] == "1 S: + idling");
    CHECK(phone.idling());
    CHECK(phone.deadline() > renew + 1);  // counted from the new IDLE
    CHECK(phone.deadline() <= net.now + Client::kIdleRenewal);
    // The laptop said nothing for 30 minutes: the server logs it out (RFC 3501 5.4); the app
    // shows no error and starts over at the next check, as real ones do.
    net.now = net.peers[1].server->deadline();
    net.peers[1].server->tick(net.now);
    net.peers[0].server->tick(net.now);
    net.run();
    CHECK(std::find(net.wire.begin(), net.wire.end(), "2 S: * BYE Autologout; idle for too long") != net.wire.end());
    CHECK_FALSE(laptop.connected());
    CHECK_FALSE(error(net, 1, Problem::ConnectionLost));
    CHECK(phone.connected());
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: dopo\r\n\r\nx\r\n"), net.now);
    net.connect(1);
    net.run();
    check_converged(store, laptop);
  }

  TEST_CASE("a refused UID MOVE is named as such, and the missing folder is not opened") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    net.connect(0);
    net.run();
    phone.move("INBOX", 2, "Nessuna");
    net.run();
    const ClientEvent* e = error(net, 0, Problem::CommandFailed);
    REQUIRE(e);
    CHECK(e->command == "UID MOVE");
    CHECK(e->text.find("TRYCREATE") != std::string::npos);
    CHECK_FALSE(sent(net, "SELECT Nessuna"));
    CHECK(local_uids(phone, "INBOX").size() == 7);
    CHECK(phone.idling());
    check_converged(store, phone);
  }

  TEST_CASE("hanging up: DONE, then LOGOUT; nothing is reported; work asked meanwhile waits") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    net.connect(0);
    net.run();
    net.wire.clear();
    phone.hang_up();
    phone.open("INBOX", 1);  // asked while it says goodbye: done on the next connection
    net.run();
    CHECK(net.wire.at(0) == "1 C: DONE");
    CHECK(sent(net, " LOGOUT"));
    CHECK_FALSE(sent(net, "BODY[]"));
    CHECK_FALSE(phone.connected());
    for (auto& ev : net.events[0]) CHECK(ev.kind != Kind::Error);
    net.connect(0);
    net.run();
    CHECK(sent(net, "UID FETCH 1 (BODY[])"));
    CHECK(phone.folders().at("INBOX").messages.at(1).has_body);
  }

  TEST_CASE("viewing a folder brings it up to date: SELECT, or NOOP when selected without IDLE") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());        // IDLE in INBOX: Trash is as it was at login
    Client& laptop = net.add(device(false));
    net.connect(0);
    net.connect(1);
    net.run();
    laptop.remove("INBOX", 4);  // to Trash
    net.run();
    CHECK(local_uids(phone, "Trash").empty());
    net.wire.clear();
    phone.view("INBOX");  // idling there: nothing to ask
    net.run();
    CHECK(net.wire.empty());
    phone.view("Trash");
    net.run();
    CHECK(std::any_of(net.wire.begin(), net.wire.end(), [](const std::string& l) {
      return l.starts_with("1 C: ") && l.find(" SELECT Trash") != std::string::npos;
    }));
    CHECK(local_uids(phone, "Trash") == server_uids(store, "Trash"));
    CHECK(phone.idling());
    // The laptop, without IDLE, is in Trash now (after the move): NOOP there.
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: nuova\r\n\r\nx\r\n"), net.now);
    net.wire.clear();
    laptop.view("INBOX");
    net.run();
    CHECK(sent(net, "SELECT INBOX"));
    CHECK(local_uids(laptop, "INBOX") == server_uids(store, "INBOX"));
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: altra\r\n\r\nx\r\n"), net.now);
    net.wire.clear();
    laptop.view("INBOX");
    net.run();
    CHECK(sent(net, "NOOP"));
    CHECK_FALSE(sent(net, "SELECT"));
    CHECK(local_uids(laptop, "INBOX") == server_uids(store, "INBOX"));
  }

  TEST_CASE("bodies kept offline: downloaded after each folder's headers, in batches; opening only says \\Seen") {
    mail::Store store = mail::make_demo_store();
    // 120 messages in INBOX: three batches.
    for (std::size_t n = info(store).inbox().count(); n < 120; ++n)
      store.deliver(mail::kDemoAddress, mail::make_message("Subject: n" + std::to_string(n) + "\r\n\r\nx\r\n"), test::kT0);
    REQUIRE(server_uids(store, "INBOX").back() == 120);
    ImapNet net(store);
    ClientConfig config = device();
    config.keep_offline = true;
    Client& laptop = net.add(config);
    net.connect(0);
    net.run();
    check_converged(store, laptop);
    // The exact commands that fetched bodies, in order, without their tags.
    auto body_fetches = [&] {
      std::vector<std::string> out;
      for (const std::string& l : net.wire) {
        const auto c = l.find(" C: ");
        if (c == std::string::npos || l.find("BODY") == std::string::npos) continue;
        const std::string command = l.substr(c + 4);
        out.push_back(command.substr(command.find(' ') + 1));
      }
      return out;
    };
    std::vector<std::string> expected = {"UID FETCH 1:120 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER])",
                                         "UID FETCH 1:50 BODY.PEEK[]", "UID FETCH 51:100 BODY.PEEK[]",
                                         "UID FETCH 101:120 BODY.PEEK[]"};
    // Then each other folder's headers and bodies, before the next folder.
    for (const auto& [name, f] : info(store).folders()) {
      if (name == "INBOX" || f.count() == 0) continue;
      const std::string set = uid_set(server_uids(store, name));
      expected.push_back("UID FETCH " + set + " (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER])");
      expected.push_back("UID FETCH " + set + " BODY.PEEK[]");
    }
    CHECK(body_fetches() == expected);
    for (const auto& [name, f] : laptop.folders())
      for (const auto& [uid, m] : f.messages) {
        CAPTURE(name);
        CAPTURE(uid);
        REQUIRE(m.has_body);
        CHECK(m.message->text() == info(store).folder(name)->find(uid)->message->text());
      }
    // Downloading is not reading.
    CHECK(info(store).inbox().find(2)->flags == 0);
    CHECK(laptop.idling());

    // Nothing is fetched twice: a new check finds every body here.
    net.wire.clear();
    laptop.poll();
    net.run();
    CHECK(body_fetches().empty());

    // Opening: shown from the disk; the server only hears that it was read.
    net.wire.clear();
    laptop.open("INBOX", 2);
    net.run();
    CHECK_FALSE(sent(net, "FETCH"));
    CHECK(sent(net, "UID STORE 2 +FLAGS (\\Seen)"));
    CHECK(info(store).inbox().find(2)->flags == mail::kSeen);
    net.wire.clear();
    laptop.open("INBOX", 2);  // read already: nothing to say
    net.run();
    CHECK_FALSE(sent(net, "UID"));

    // New mail while in IDLE: its headers, then its body.
    net.wire.clear();
    store.deliver(mail::kDemoAddress, mail::make_message("Subject: nuova\r\n\r\ncorpo\r\n"), net.now);
    net.peers[0].server->store_changed(net.now);
    net.run();
    CHECK(body_fetches() == std::vector<std::string>{"FETCH 121:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER])",
                                                     "UID FETCH 121 BODY.PEEK[]"});
    CHECK(laptop.folders().at("INBOX").messages.at(121).has_body);
    CHECK(laptop.idling());
  }

  TEST_CASE("ID (RFC 2971): after logging in, before it, or not at all, as the app does") {
    // The first client commands of a connection, without their tags.
    auto first_commands = [](ClientConfig config) {
      mail::Store store = mail::make_demo_store();
      ImapNet net(store);
      net.add(std::move(config));
      net.connect(0);
      net.run();
      std::vector<std::string> out;
      for (const std::string& l : net.wire) {
        const auto c = l.find(" C: ");
        if (c == std::string::npos || out.size() == 4) continue;
        const std::string command = l.substr(c + 4);
        out.push_back(command.substr(command.find(' ') + 1));
      }
      return out;
    };
    const std::string login = "AUTHENTICATE PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh";
    ClientConfig after = device();
    after.id = R"(("name" "Thunderbird" "version" "128.0"))";
    CHECK(first_commands(after) ==
          std::vector<std::string>{login, R"(ID ("name" "Thunderbird" "version" "128.0"))", "ENABLE QRESYNC", "LIST \"\" \"*\""});
    ClientConfig before = device();
    before.id = R"(("name" "iPhone Mail" "version" "21F90"))";
    before.id_before_login = true;
    CHECK(first_commands(before) ==
          std::vector<std::string>{R"(ID ("name" "iPhone Mail" "version" "21F90"))", login, "ENABLE QRESYNC", "LIST \"\" \"*\""});
    CHECK(first_commands(device()) == std::vector<std::string>{login, "ENABLE QRESYNC", "LIST \"\" \"*\"", "SELECT INBOX"});
  }

  TEST_CASE("bodies not kept offline (the default): headers only, the body when opened") {
    mail::Store store = mail::make_demo_store();
    ImapNet net(store);
    Client& phone = net.add(device());
    CHECK_FALSE(phone.config().keep_offline);
    net.connect(0);
    net.run();
    CHECK_FALSE(sent(net, "BODY.PEEK[]"));
    CHECK_FALSE(phone.folders().at("INBOX").messages.at(2).has_body);
    net.wire.clear();
    phone.open("INBOX", 2);
    net.run();
    CHECK(sent(net, "UID FETCH 2 (BODY[])"));
    CHECK(phone.folders().at("INBOX").messages.at(2).has_body);
  }

  TEST_CASE("property: several devices converge to the server after random actions") {
    // A fixed seed: the same sequence every run. 300 cases of up to 6 actions each.
    std::uint64_t seed = 0x5eed;
    auto rnd = [&](std::uint64_t n) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      return (seed >> 33) % n;
    };
    for (int round = 0; round < 300; ++round) {
      CAPTURE(round);
      mail::Store store = mail::make_demo_store();
      ImapNet net(store);
      net.log_wire = false;
      const std::size_t n = 2 + rnd(2);
      for (std::size_t k = 0; k < n; ++k) {
        ClientConfig c = device(rnd(2) == 0);
        c.delete_mode = rnd(2) ? ClientConfig::Delete::MoveToTrash : ClientConfig::Delete::FlagAndExpunge;
        c.keep_offline = rnd(2) == 0;
        net.add(c);
        net.connect(k);
      }
      net.run();
      for (int step = 0, steps = 1 + static_cast<int>(rnd(6)); step < steps; ++step) {
        Client& c = *net.peers[rnd(n)].client;
        std::vector<std::string> names;
        for (auto& [name, f] : c.folders()) names.push_back(name);
        const std::string folder = names[rnd(names.size())];
        const auto& msgs = c.folders().at(folder).messages;
        const mail::Uid uid = msgs.empty() ? 0 : std::next(msgs.begin(), static_cast<long>(rnd(msgs.size())))->first;
        switch (rnd(8)) {
          case 0: if (uid) c.open(folder, uid); break;
          case 1: if (uid) c.set_flag(folder, uid, mail::kFlagged, rnd(2)); break;
          case 2: if (uid) c.set_flag(folder, uid, mail::kSeen, rnd(2)); break;
          case 3: if (uid) c.remove(folder, uid); break;
          case 4: if (uid) c.move(folder, uid, names[rnd(names.size())]); break;
          case 5: c.create_folder("F" + std::to_string(rnd(3))); break;
          case 6:
            if (folder != "INBOX" && c.folders().at(folder).use == mail::SpecialUse::None)
              rnd(2) ? c.delete_folder(folder) : c.rename_folder(folder, folder + "x");
            break;
          case 7:
            store.deliver(mail::kDemoAddress, mail::make_message("Subject: r" + std::to_string(step) + "\r\n\r\n"), net.now);
            for (auto& p : net.peers) p.server->store_changed(net.now);
            break;
        }
        net.run();
      }
      for (auto& p : net.peers) p.client->poll();
      net.run();
      for (std::size_t k = 0; k < n; ++k) {
        CAPTURE(k);
        check_converged(store, *net.peers[k].client);
        // Bodies kept offline: every one is here, as on the server.
        if (net.peers[k].client->config().keep_offline)
          for (const auto& [name, f] : net.peers[k].client->folders())
            for (const auto& [uid, m] : f.messages) {
              CHECK(m.has_body);
              CHECK(m.message->text() == info(store).folder(name)->find(uid)->message->text());
            }
        for (auto& e : net.events[k]) {
          // Only refusals a user could cause (moving into the same folder, a name taken).
          if (e.kind == Kind::Error) CHECK(e.problem == Problem::CommandFailed);
        }
      }
    }
  }
}

}  // namespace postino::imap
