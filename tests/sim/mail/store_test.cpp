#include <doctest/doctest.h>

#include <set>

#include "sim/mail/store.hpp"
#include "sim/protocols/protocols.hpp"

namespace postino::mail {

TEST_SUITE("mail") {
  TEST_CASE("UIDs grow and are never reused, even after the newest is expunged") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    Folder& inbox = a.inbox();
    CHECK(store.deliver("info@tuodominio.it", make_message("a\r\n"), 1).uid == 1);
    CHECK(store.deliver("info@tuodominio.it", make_message("b\r\n"), 2).uid == 2);
    CHECK(store.expunge(a, inbox, 2, "test"));
    CHECK_FALSE(store.expunge(a, inbox, 2, "test"));
    CHECK(store.deliver("info@tuodominio.it", make_message("c\r\n"), 3).uid == 3);
    CHECK(inbox.uidnext() == 4);
    CHECK(inbox.count() == 2);
    CHECK(inbox.find(1));
    CHECK_FALSE(inbox.find(2));
    CHECK(inbox.octets() == 6);
  }

  TEST_CASE("every folder gets its own UIDVALIDITY; a re-created folder gets a new one") {
    Store store("tuodominio.it", 500);
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    CHECK(a.inbox().uidvalidity() == 500);
    Folder* work = store.create_folder(a, "Lavoro");
    REQUIRE(work);
    const auto first = work->uidvalidity();
    CHECK(first != a.inbox().uidvalidity());
    CHECK_FALSE(store.create_folder(a, "Lavoro"));
    CHECK_FALSE(store.create_folder(a, "inbox"));
    CHECK(store.delete_folder(a, "Lavoro"));
    CHECK_FALSE(store.delete_folder(a, "INBOX"));
    CHECK(store.create_folder(a, "Lavoro")->uidvalidity() > first);
    CHECK(store.rename_folder(a, "Lavoro", "Clienti"));
    CHECK(a.folder("Clienti"));
    CHECK_FALSE(a.folder("Lavoro"));
    CHECK(a.folder("Inbox") == &a.inbox());
  }

  TEST_CASE("accounts: login by address or local part, any case; the plan's mailbox limit") {
    Store store;
    store.add_account("Info@TuoDominio.it", "pw");
    CHECK(store.find_account("info@tuodominio.it"));
    CHECK(store.find_account("INFO"));
    CHECK_FALSE(store.find_account("info@altro.it"));
    CHECK_FALSE(store.add_account("info@tuodominio.it", "x"));  // duplicate
    for (int i = 1; i < 10; ++i)
      CHECK(store.add_account("box" + std::to_string(i) + "@tuodominio.it", "pw"));
    CHECK(store.accounts().size() == Store::kDefaultMailboxLimit);
    CHECK_FALSE(store.add_account("eleventh@tuodominio.it", "pw"));  // source claim S1
  }

  TEST_CASE("delivery over quota bounces and the change log says so") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw", 100);
    auto big = make_message(std::string(60, 'x'));
    CHECK(store.deliver("info@tuodominio.it", big, 1).accepted);
    Delivery second = store.deliver("info@tuodominio.it", big, 2);
    CHECK_FALSE(second.accepted);
    CHECK(second.reason.find("quota") != std::string::npos);
    CHECK(a.used() == 60);
    CHECK_FALSE(store.append(a, a.inbox(), big, 0, 3, "imap"));
    CHECK_FALSE(store.deliver("nobody@tuodominio.it", big, 4).accepted);
    const auto& log = store.changes();
    REQUIRE(log.size() == 3);
    CHECK(log[0].kind == Change::Kind::Delivered);
    CHECK(log[1].kind == Change::Kind::Bounced);
    CHECK(log[2].kind == Change::Kind::Bounced);
    CHECK(log[2].seq == 3);
  }

  TEST_CASE("flag changes are logged only when the flags change") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    store.deliver("info", make_message("x"), 1);
    CHECK(store.set_flags(a, a.inbox(), 1, kSeen | kFlagged, "imap #1"));
    CHECK(store.set_flags(a, a.inbox(), 1, kSeen | kFlagged, "imap #1"));
    CHECK_FALSE(store.set_flags(a, a.inbox(), 9, kSeen, "imap #1"));
    CHECK(store.changes().size() == 2);
    CHECK(store.changes().back().actor == "imap #1");
    CHECK(flags_to_string(a.inbox().find(1)->flags) == "\\Flagged \\Seen");
  }

  TEST_CASE("keywords: spelt as the folder first saw them, in its order, kept by copy and move") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    Folder& inbox = a.inbox();
    store.deliver("info", make_message("x"), 1);
    CHECK(store.set_flags(a, inbox, 1, kSeen, {"$label1", "$Junk"}, "imap #1"));
    CHECK(inbox.find(1)->keywords == Keywords{"$label1", "$Junk"});
    // Another spelling is the same keyword; the message's list follows the folder's order.
    CHECK(store.set_flags(a, inbox, 1, kSeen, {"$JUNK", "$LABEL1", "$new", "$new"}, "imap #1"));
    CHECK(inbox.find(1)->keywords == Keywords{"$label1", "$Junk", "$new"});
    CHECK(inbox.keywords() == Keywords{"$label1", "$Junk", "$new"});
    // A change of keywords alone is a change (other sessions learn of it from the log).
    const auto logged = store.changes().size();
    CHECK(store.set_flags(a, inbox, 1, kSeen, {"$new"}, "imap #1"));
    CHECK(store.changes().size() == logged + 1);
    CHECK(inbox.keywords().size() == 3);  // a folder keeps every keyword once used
    // Setting system flags alone keeps the keywords.
    CHECK(store.set_flags(a, inbox, 1, kFlagged, "pop3 #1"));
    CHECK(inbox.find(1)->keywords == Keywords{"$new"});
    Folder& trash = *a.folder("Trash");
    auto copied = store.copy(a, inbox, 1, trash, "imap #1");
    REQUIRE(copied);
    CHECK(trash.find(*copied)->keywords == Keywords{"$new"});
    CHECK(trash.keywords() == Keywords{"$new"});
    // Moving into the same folder: a new UID, the old one expunged, keywords and flags kept.
    auto moved = store.move(a, inbox, 1, inbox, "imap #1");
    REQUIRE(moved);
    CHECK(*moved == 2);
    CHECK_FALSE(inbox.find(1));
    CHECK(inbox.find(2)->keywords == Keywords{"$new"});
    CHECK(inbox.find(2)->flags == kFlagged);
    CHECK(inbox.count() == 1);
    CHECK(is_keyword("$Forwarded"));
    CHECK_FALSE(is_keyword("\\Seen"));
    CHECK_FALSE(is_keyword("a b"));
    CHECK_FALSE(is_keyword(""));
  }

  TEST_CASE("subscriptions are names: renaming a folder leaves them, as Dovecot does") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    store.create_folder(a, "Lavoro");
    store.subscribe(a, "Lavoro");
    CHECK(store.rename_folder(a, "Lavoro", "Ufficio"));
    CHECK(a.subscriptions().contains("Lavoro"));
    CHECK_FALSE(a.subscriptions().contains("Ufficio"));
  }

  TEST_CASE("POP3 unique ids: RFC 1939 syntax, stable, different for every message") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
      auto d = store.deliver("info", make_message("m"), i);
      std::string id = Store::pop3_unique_id(a.inbox(), d.uid);
      CHECK(id == Store::pop3_unique_id(a.inbox(), d.uid));
      CHECK(id.size() >= 1);
      CHECK(id.size() <= 70);
      for (char c : id) CHECK((c >= 0x21 && c <= 0x7e));
      CHECK(seen.insert(id).second);
      if (i % 2) store.expunge(a, a.inbox(), d.uid, "test");
    }
  }

  TEST_CASE("the POP3 maildrop lock is exclusive") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    CHECK(store.lock_maildrop(a));
    CHECK_FALSE(store.lock_maildrop(a));
    store.unlock_maildrop(a);
    CHECK(store.lock_maildrop(a));
  }
}

TEST_SUITE("mail") {
  TEST_CASE("a server that runs for weeks: the change log and the expunge records stay bounded") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    Folder& inbox = a.inbox();
    store.deliver("info@tuodominio.it", make_message("keep\r\n"), 1);
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
      store.set_flags(a, inbox, 1, i % 2 ? 0 : kFlagged, "imap #1");  // a flag on and off
      const auto uid = store.append(a, inbox, make_message("x\r\n"), 0, i, "imap #1");
      REQUIRE(uid);
      store.expunge(a, inbox, *uid, "imap #1");
    }
    CHECK(store.last_change() == 1 + 3 * std::uint64_t(n));
    CHECK(store.changes().size() <= 2 * Store::kKeptChanges);
    CHECK(store.changes().back().seq == store.last_change());
    // A reader one change behind gets that change; one that fell far behind is told.
    REQUIRE(store.changes_since(store.last_change() - 1).size() == 1);
    CHECK(store.changes_since(store.last_change() - 1)[0].kind == Change::Kind::Expunged);
    CHECK(store.forgot(10));
    CHECK_FALSE(store.forgot(store.last_change() - 100));
    CHECK(store.changes_since(10).size() == store.changes().size());
    // QRESYNC: recent expunges exactly; older ones as every UID below UIDNEXT not here.
    const ModSeq recent = inbox.highest_modseq() - 6;  // the last two rounds of three changes
    CHECK(inbox.vanished_since(recent) == std::vector<Uid>{Uid(n), Uid(n + 1)});
    const std::vector<Uid> all = inbox.vanished_since(1);
    CHECK(all.size() == std::size_t(n));
    CHECK(all.front() == 2);
    CHECK(all.back() == Uid(n + 1));
  }

  TEST_CASE("bounces are counted even once the log forgot them") {
    Store store;
    store.add_account("info@tuodominio.it", "pw");
    for (std::size_t i = 0; i < 3 * Store::kKeptChanges; ++i)
      store.deliver("nobody@tuodominio.it", make_message("x\r\n"), 1);
    CHECK(store.bounces() == 3 * Store::kKeptChanges);
  }

  TEST_CASE("an IMAP session far behind the log follows its renamed folder by UIDVALIDITY") {
    Store store;
    Account& a = *store.add_account("info@tuodominio.it", "pw");
    Folder* work = store.create_folder(a, "Work");
    store.append(a, *work, make_message("Subject: w\r\n\r\nw\r\n"), 0, 0, "test");
    auto s = session::make_server(session::Protocol::Imap, store, {.session_id = 1}, 0);
    s->receive("a LOGIN info@tuodominio.it pw\r\nb SELECT Work\r\n", 0);
    s->take_output();
    store.rename_folder(a, "Work", "Play", "imap #2");
    store.deliver("info@tuodominio.it", make_message("x\r\n"), 1);
    for (std::size_t i = 0; i < 3 * Store::kKeptChanges; ++i)
      store.set_flags(a, a.inbox(), 1, i % 2 ? kSeen : 0, "imap #2");
    REQUIRE(store.forgot(1));
    s->receive("c NOOP\r\nd FETCH 1 (FLAGS)\r\n", 1);
    const std::string out = s->take_output();
    CHECK(out.find("BYE") == std::string::npos);
    CHECK(out.find("c OK") != std::string::npos);
    CHECK(out.find("d OK") != std::string::npos);
  }
}

}  // namespace postino::mail
