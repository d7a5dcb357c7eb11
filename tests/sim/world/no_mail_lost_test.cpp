// No mail lost: thousands of random world actions (deliveries, POP3 and IMAP devices reading,
// deleting, moving, crashing, backups and restores), checked after every event.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "sim/world/world.hpp"
#include "support/fixtures.hpp"

namespace postino::world {
namespace {

const std::string kAccount = "info@tuodominio.it";

// A message on the server, whatever its folder is called now.
struct Key {
  std::uint32_t uidvalidity;
  mail::Uid uid;
  auto operator<=>(const Key&) const = default;
};
struct Seen {
  const mail::Message* message;
  std::string folder;
};

// Watches the store between events: what left, and how.
class Invariants {
 public:
  explicit Invariants(const World& w) { present_ = snapshot(w); }

  // The problems since the last call; empty when all is well.
  std::string check(const World& w) {
    std::string problems;
    auto now = snapshot(w);
    // Why messages may have left, from the events since the last check.
    std::set<std::tuple<std::string, mail::Uid>> expunged;  // folder, uid
    std::set<std::string> deleted_folders;
    std::map<std::string, std::string> renamed;  // old -> new
    for (; traced_ < w.trace().size(); ++traced_) {
      const TraceEntry& t = w.trace()[traced_];
      if (!t.what) continue;
      const Event& e = *t.what;
      const bool by_client = e.actor.starts_with("pop3 #") || e.actor.starts_with("imap #");
      if (e.kind == EventKind::Expunged) {
        if (!by_client) problems += "expunged by '" + e.actor + "'\n";
        expunged.insert({e.folder, e.uid});
      }
      if (e.kind == EventKind::FolderDeleted && e.actor.starts_with("imap #")) deleted_folders.insert(e.folder);
      if (e.kind == EventKind::FolderRenamed) renamed[e.folder] = e.to_folder;
    }
    for (const auto& [key, was] : present_) {
      if (now.contains(key)) continue;
      const auto to = renamed.find(was.folder);
      const bool told = expunged.contains({was.folder, key.uid}) || deleted_folders.contains(was.folder) ||
                        (to != renamed.end() && (expunged.contains({to->second, key.uid}) ||
                                                 deleted_folders.contains(to->second)));
      if (!told)
        problems += "message " + std::to_string(key.uid) + " left " + was.folder + " without EXPUNGE, MOVE, DELE+QUIT\n";
    }
    for (const auto& [key, is] : now) {
      const auto before = ever_.find(key);
      if (before != ever_.end() && (before->second != is.message || !present_.contains(key)))
        problems += "UID " + std::to_string(key.uid) + " reused in UIDVALIDITY " + std::to_string(key.uidvalidity) + "\n";
      ever_[key] = is.message;
    }
    present_ = std::move(now);
    // Quota use is the sum of the sizes of the messages there are.
    for (const auto& [address, a] : w.store().accounts()) {
      std::uint64_t sum = 0;
      for (const auto& [name, f] : a.folders())
        for (const mail::Entry& e : f.messages()) sum += e.message->size();
      if (a.used() != sum) problems += "quota use " + std::to_string(a.used()) + " != " + std::to_string(sum) + "\n";
      if (a.quota() && a.used() > a.quota()) problems += "over quota\n";
    }
    return problems;
  }

 private:
  static std::map<Key, Seen> snapshot(const World& w) {
    std::map<Key, Seen> m;
    for (const auto& [address, a] : w.store().accounts())
      for (const auto& [name, f] : a.folders())
        for (const mail::Entry& e : f.messages()) m[{f.uidvalidity(), e.uid}] = {e.message.get(), name};
    return m;
  }
  std::map<Key, Seen> present_;
  std::map<Key, const mail::Message*> ever_;  // every (UIDVALIDITY, UID) ever given, and to what
  std::size_t traced_ = 0;
};

DeviceConfig device(const std::string& name, Protocol p) {
  DeviceConfig c;
  c.name = name;
  c.protocol = p;
  c.port = p == Protocol::Imap ? 993 : 995;
  c.security = Security::Tls;
  c.account = kAccount;
  c.password = "segreta";
  return c;
}

// Every IMAP device's INBOX, after it synchronised, is the server's: same UIDVALIDITY, UIDs.
std::string converged(const World& w) {
  std::string problems;
  const mail::Folder* inbox = w.store().find_account(kAccount)->folder("INBOX");
  std::set<mail::Uid> server;
  for (const auto& e : inbox->messages()) server.insert(e.uid);
  for (const auto& d : w.devices()) {
    const imap::Client* c = d->imap_client();
    if (!c) continue;
    const auto it = c->folders().find("INBOX");
    if (it == c->folders().end()) {
      problems += d->config().name + " has no INBOX after a sync\n";
      continue;
    }
    std::set<mail::Uid> local;
    for (const auto& [uid, m] : it->second.messages) local.insert(uid);
    if (it->second.uidvalidity != inbox->uidvalidity() || local != server)
      problems += d->config().name + ": " + std::to_string(local.size()) + " messages in INBOX (UIDVALIDITY " +
                  std::to_string(it->second.uidvalidity) + "), the server " + std::to_string(server.size()) + " (" +
                  std::to_string(inbox->uidvalidity()) + ")" + (d->connected() ? "" : ", not connected") + "\n";
  }
  return problems;
}

void play(std::uint32_t seed, int actions) {
  mail::Store store("tuodominio.it", 100);
  store.add_account(kAccount, "segreta", 48 * 1024);
  World w(std::move(store), test::kT0);
  DeviceConfig idle = device("laptop", Protocol::Imap);
  DeviceConfig expunger = device("desktop", Protocol::Imap);
  expunger.idle = false;
  expunger.delete_mode = imap::ClientConfig::Delete::FlagAndExpunge;
  expunger.poll_every = 3 * 60 * 1000;
  DeviceConfig keeper = device("phone", Protocol::Pop3);
  keeper.leave_on_server = true;
  keeper.keep_days = 2;
  keeper.delete_when_deleted_here = true;
  keeper.poll_every = 5 * 60 * 1000;
  DeviceConfig taker = device("old-pc", Protocol::Pop3);
  for (const auto& c : {idle, expunger, keeper, taker}) w.add_device(c);
  w.schedule_backups(3 * 3600 * 1000);

  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % std::max<std::size_t>(n, 1)); };
  Invariants inv(w);
  const std::vector<std::string> folders = {"INBOX", "Archive", "Trash", "Work"};
  int delivered = 0;
  auto run_until = [&](Time until) {
    while (w.step(until)) {
      const std::string p = inv.check(w);
      REQUIRE_MESSAGE(p.empty(), "seed " << seed << " at event " << w.events_run() << ":\n" << p);
    }
    w.advance_to(until);
  };
  for (int step = 0; step < actions; ++step) {
    Device& d = *w.devices()[pick(w.devices().size())];
    const imap::Client* c = d.imap_client();
    const std::string folder = folders[pick(folders.size())];
    auto some_uid = [&]() -> mail::Uid {
      if (!c) return static_cast<mail::Uid>(1 + pick(d.pop_inbox().size()));
      const auto it = c->folders().find(folder);
      if (it == c->folders().end() || it->second.messages.empty()) return 1;
      return std::next(it->second.messages.begin(), static_cast<long>(pick(it->second.messages.size())))->first;
    };
    switch (pick(14)) {
      case 0: case 1: case 2:
        w.deliver(kAccount, "From: a@b.it\r\nSubject: m" + std::to_string(++delivered) + "\r\n\r\n" +
                                std::string(200 + pick(6000), 'x') + "\r\n");
        break;
      case 3: case 4: w.get_mail(d); break;
      case 5: w.open(d, folder, some_uid()); break;
      case 6: w.remove(d, folder, some_uid()); break;
      case 7: w.move(d, folder, some_uid(), folders[pick(folders.size())]); break;
      case 8: w.flag(d, folder, some_uid(), pick(2)); break;
      case 9: w.create_folder(d, "Work"); break;
      case 10: if (pick(4) == 0) w.delete_folder(d, "Work"); break;
      case 11: if (pick(3) == 0) w.replace(d); break;
      case 12: if (pick(2)) w.backup(); else w.restore(kAccount, w.now() - static_cast<Time>(pick(6)) * 3600 * 1000); break;
      case 13: break;  // time passes
    }
    {
      const std::string p = inv.check(w);
      REQUIRE_MESSAGE(p.empty(), "seed " << seed << " after action " << step << ":\n" << p);
    }
    run_until(w.now() + static_cast<Time>(pick(4) == 0 ? pick(30 * 60) * 1000 : pick(3000)));
    if (step % 100 == 99) {
      // Once nothing is in flight, every IMAP device synchronises; then they all show what the
      // server has.
      REQUIRE(w.settle());
      for (const auto& dev : w.devices())
        if (dev->imap_client()) w.get_mail(*dev);
      REQUIRE(w.settle());
      std::string p = inv.check(w) + converged(w);
      if (!p.empty()) {  // the last lines on the wire, newest first, to see why
        std::size_t shown = 0;
        for (auto it = w.trace().rbegin(); it != w.trace().rend() && shown < 40; ++it)
          if (it->kind == TraceEntry::Kind::Wire) {
            p += it->device + " ";
            p += std::string(it->to_server ? "C: " : "S: ") + it->text.str().substr(0, 300) + "\n";
            ++shown;
          }
      }
      REQUIRE_MESSAGE(p.empty(), "seed " << seed << " after sync at action " << step << ":\n" << p);
    }
  }
  // The run did what it is meant to try: every way mail comes and goes happened.
  std::map<EventKind, std::size_t> seen;
  for (const TraceEntry& t : w.trace())
    if (t.what) ++seen[t.what->kind];
  CHECK(delivered > actions / 10);
  for (EventKind k : {EventKind::Delivered, EventKind::Bounced, EventKind::Expunged, EventKind::DeletedAtQuit,
                      EventKind::Replaced, EventKind::BackupTaken, EventKind::Restored, EventKind::FolderDeleted})
    CHECK_MESSAGE(seen[k] > 0, "seed " << seed << ": no event " << static_cast<int>(k));
  MESSAGE("seed " << seed << ": " << w.events_run() << " events, " << seen[EventKind::Expunged] << " expunged, "
                  << seen[EventKind::DeletedAtQuit] << " deleted at QUIT, " << seen[EventKind::Restored] << " restores");
}

}  // namespace

TEST_SUITE("world") {
  TEST_CASE("no mail lost: random actions, crashes and restores; checked after every event") {
    for (std::uint32_t seed : {1u, 2u, 3u, 4u}) play(seed, 2500);
  }
}

}  // namespace postino::world
