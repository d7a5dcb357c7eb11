// The scenario language's expectations (`expect`, and the lessons' `until`/`when`): each looks at
// a settled world and says, as a Check event, what was expected and what was seen.
#include <algorithm>

#include "sim/core/overloaded.hpp"
#include "sim/core/text.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"

namespace postino::script {
namespace {

// `needle` in `hay`, ignoring ASCII case (trace checks: "dele 1" finds "DELE 1").
bool icontains(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return to_lower(a) == to_lower(b); }) != hay.end();
}
// A wire line's bytes are pieces that end at line ends, so a needle of one line is in one piece.
bool icontains_text(const SharedText& hay, std::string_view needle) {
  bool found = false;
  hay.for_each_piece([&](std::string_view piece) { found = found || icontains(piece, needle); });
  return found;
}

}  // namespace

world::Event evaluate(const world::World& w, const Expectation& x) {
  // A device's view, or the server's (webmail) when none is named.
  auto device = [&](const std::string& name) { return name.empty() ? nullptr : w.device(name); };
  auto server_folder = [&](const std::string& account, const std::string& folder) -> const mail::Folder* {
    const mail::Account* a = w.store().find_account(account);
    return a ? a->folder(folder) : nullptr;
  };
  auto subjects = [&](const world::Device* d, const std::string& account, const std::string& folder) {
    std::vector<std::string> items;
    if (d) {
      items = d->subjects(folder);
    } else if (const mail::Folder* f = server_folder(account, folder)) {
      for (const auto& m : f->messages()) items.push_back(m.message->summary().subject);
    }
    return items;
  };
  // The message named by its subject in a device's or the server's folder: its UID and flags.
  auto message = [&](const std::string& device_name, const std::string& account, const std::string& folder,
                     const std::string& subject) -> std::optional<std::pair<mail::Uid, mail::Flags>> {
    if (const world::Device* d = device(device_name)) {
      if (d->pop_client()) {
        if (!iequals(folder, "INBOX")) return std::nullopt;
        for (const world::PopMessage& m : d->pop_inbox())
          if (!m.deleted && m.message->summary().subject == subject) return std::pair{mail::Uid{0}, mail::Flags(m.seen ? mail::kSeen : 0)};
      } else if (const imap::Client* c = d->imap_client()) {
        auto it = c->folders().find(iequals(folder, "INBOX") ? "INBOX" : folder);
        if (it != c->folders().end())
          for (const auto& [uid, m] : it->second.messages)
            if (m.message && m.message->summary().subject == subject) return std::pair{uid, m.flags};
      }
      return std::nullopt;
    }
    if (const mail::Folder* f = server_folder(account, folder))
      for (const auto& m : f->messages())
        if (m.message->summary().subject == subject) return std::pair{m.uid, m.flags};
    return std::nullopt;
  };
  // The folders a device or the server has (a POP3 device: INBOX and the ones made on it).
  auto folders = [&](const std::string& device_name, const std::string& account) {
    std::vector<std::string> names;
    if (const world::Device* d = device(device_name)) {
      if (const imap::Client* c = d->imap_client()) {
        for (const auto& [name, f] : c->folders()) names.push_back(name);
      } else {
        names.push_back("INBOX");
        for (const world::TraceEntry& t : w.trace()) {
          if (t.device != device_name || !t.what) continue;
          if (t.what->kind == world::EventKind::Crashed || t.what->kind == world::EventKind::Replaced) names.resize(1);
          if (t.what->kind == world::EventKind::LocalFolderCreated) names.push_back(t.what->folder);
          if (t.what->kind == world::EventKind::SentHereOnly && std::find(names.begin(), names.end(), "Sent") == names.end())
            names.push_back("Sent");  // the app's own Sent, made at its first send
        }
      }
    } else if (const mail::Account* a = w.store().find_account(account)) {
      for (const auto& [name, f] : a->folders()) names.push_back(name);
    }
    return names;
  };
  using C = world::CheckKind;
  world::Event e = std::visit(
      overloaded{
          [&](const ExpectCount& c) {
            const world::Device* d = device(c.device);
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .check = C::Count,
                           .expected = c.count};
            const mail::Folder* f = d ? nullptr : server_folder(c.account, c.folder);
            e.seen = d ? d->count(c.folder) : f ? f->count() : 0;
            e.ok = e.seen == c.count;
            return e;
          },
          [&](const ExpectHas& c) {
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .text = c.subject,
                           .check = C::Has, .items = subjects(device(c.device), c.account, c.folder)};
            e.ok = std::find(e.items.begin(), e.items.end(), c.subject) != e.items.end();
            return e;
          },
          [&](const ExpectLacks& c) {
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .text = c.subject,
                           .check = C::Lacks, .items = subjects(device(c.device), c.account, c.folder)};
            e.ok = std::find(e.items.begin(), e.items.end(), c.subject) == e.items.end();
            return e;
          },
          [&](const ExpectUsed& c) {
            const mail::Account* a = w.store().find_account(c.account);
            world::Event e{.account = c.account, .check = c.below ? C::UsedBelow : C::UsedAbove,
                           .expected = c.octets, .seen = a ? a->used() : 0};
            e.ok = c.below ? e.seen < c.octets : e.seen > c.octets;
            return e;
          },
          [&](const ExpectTrace& c) {
            // The transcript as `postino run` prints it: wire lines, and events in English (the
            // language scenario files are written in).
            world::Event e{.device = c.device, .text = c.text, .count = static_cast<std::uint64_t>(c.lines),
                           .when = c.since.value_or(0), .check = C::TraceHas, .expected = c.has};
            const bool found = std::any_of(w.trace().begin(), w.trace().end(), [&](const world::TraceEntry& t) {
              if ((c.since && t.sent < *c.since) || (!c.device.empty() && t.device != c.device)) return false;
              if (c.lines != ExpectTrace::Lines::All)
                return !t.what && t.to_server == (c.lines == ExpectTrace::Lines::Sent) && icontains_text(t.text, c.text);
              if (!t.what) return icontains_text(t.text, c.text);
              return !t.is_event(world::EventKind::Check) && icontains(world::describe(*t.what, Lang::En), c.text);
            });
            e.ok = found == c.has;
            return e;
          },
          [&](const ExpectError& c) {
            // The errors of the device's latest connection: a new one starts clean.
            world::Event e{.device = c.device, .text = c.text, .check = C::Error, .expected = c.shown};
            for (const world::TraceEntry& t : w.trace()) {
              if (t.device != c.device || !t.what) continue;
              const world::EventKind k = t.what->kind;
              if (k == world::EventKind::Connected || k == world::EventKind::Crashed || k == world::EventKind::Replaced) e.items.clear();
              if (k == world::EventKind::ClientError) e.items.push_back(world::client_problem(*t.what, Lang::En));
            }
            e.ok = c.shown ? std::any_of(e.items.begin(), e.items.end(), [&](const std::string& i) { return icontains(i, c.text); })
                           : e.items.empty();
            return e;
          },
          [&](const ExpectBounces& c) {
            world::Event e{.account = c.to, .check = C::Bounces, .expected = c.count};
            e.seen = c.to.empty() ? w.store().bounces()
                                  : static_cast<std::uint64_t>(std::count_if(w.trace().begin(), w.trace().end(), [&](const world::TraceEntry& t) {
                                      return t.is_event(world::EventKind::Bounced) && iequals(t.what->account, c.to);
                                    }));
            e.ok = e.seen == c.count;
            return e;
          },
          [&](const ExpectFlags& c) {
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .text = c.subject,
                           .flags = c.flags, .check = C::Flags, .expected = c.with};
            auto m = message(c.device, c.account, c.folder, c.subject);
            if (!m) e.items = subjects(device(c.device), c.account, c.folder);
            e.count = m ? 1 : 0;
            e.seen = m ? m->second : 0;
            e.ok = m && (c.with ? (m->second & c.flags) == c.flags : (m->second & c.flags) == 0);
            return e;
          },
          [&](const ExpectUid& c) {
            world::Event e{.account = c.account, .folder = c.folder, .text = c.subject, .check = C::Uid, .expected = c.uid};
            auto m = message({}, c.account, c.folder, c.subject);
            e.seen = m ? m->first : 0;
            e.ok = e.seen == c.uid;
            return e;
          },
          [&](const ExpectFolder& c) {
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .check = C::Folder,
                           .expected = c.exists, .items = folders(c.device, c.account)};
            const bool there = std::any_of(e.items.begin(), e.items.end(), [&](const std::string& n) {
              return iequals(c.folder, "INBOX") ? iequals(n, "INBOX") : n == c.folder;
            });
            e.ok = there == c.exists;
            return e;
          },
          [&](const ExpectSetting& c) {
            world::Event e{.device = c.device, .text = c.setting, .check = C::Setting};
            const world::DeviceConfig& config = device(c.device)->config();
            std::string now = setting_value(config, c.setting);
            if (c.setting == "password") {  // never shown: the account's own, or another one
              const mail::Account* a = w.store().find_account(config.account);
              now = a && a->password() == config.password ? "current" : "old";
            }
            e.items = {c.value, now};
            e.ok = now == c.value;
            return e;
          },
          [&](const ExpectSent& c) {
            world::Event e{.device = c.device, .text = c.text, .check = C::Sent, .expected = c.sent};
            const bool sent = std::any_of(w.trace().begin(), w.trace().end(), [&](const world::TraceEntry& t) {
              return t.kind == world::TraceEntry::Kind::Wire && t.to_server && t.device == c.device &&
                     t.text.contains(c.text);
            });
            e.ok = sent == c.sent;
            return e;
          },
          [&](const ExpectRemoved& c) {
            // The last time it left the folder (deleted, moved, expunged), and it is not back. The
            // trace is the record: the server's Expunged events, or the device's own (POP3: deleted
            // or moved on it; IMAP: gone from the app's copy). A crashed or new device had nothing.
            world::Event e{.device = c.device, .account = c.account, .folder = c.folder, .text = c.subject,
                           .when = c.when.value_or(0), .check = C::Removed, .expected = c.before};
            const auto same_folder = [&](const std::string& f) { return iequals(c.folder, "INBOX") ? iequals(f, "INBOX") : f == c.folder; };
            const auto left = [&](const world::Event& x) {
              using K = world::EventKind;
              if (c.device.empty()) return x.kind == K::Expunged && iequals(x.account, c.account);
              return x.kind == K::DeletedOnDevice || x.kind == K::MovedOnDevice || x.kind == K::GoneFromView;
            };
            for (const world::TraceEntry& t : w.trace()) {
              if (!t.what || t.device != c.device) continue;
              if (!c.device.empty() && (t.what->kind == world::EventKind::Crashed || t.what->kind == world::EventKind::Replaced))
                e.count = e.seen = 0;
              if (left(*t.what) && same_folder(t.what->folder) && t.what->subject == c.subject) {
                e.seen = static_cast<std::uint64_t>(t.sent);
                e.count = 1;  // it left at least once
              }
            }
            const world::Device* d = device(c.device);
            const std::vector<std::string> now = d ? d->subjects(c.folder) : std::vector<std::string>{};
            const bool there = d ? std::find(now.begin(), now.end(), c.subject) != now.end()
                                 : message({}, c.account, c.folder, c.subject).has_value();
            if (there) e.items = {c.subject};  // it is there now
            const auto last = static_cast<Time>(e.seen);
            e.ok = !there && e.count && (!c.when || (c.before ? last < *c.when : last >= *c.when));
            return e;
          },
      },
      x);
  return e;
}

}  // namespace postino::script
