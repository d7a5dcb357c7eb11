// Runs a parsed scenario on a World, step by step.
#include <algorithm>

#include "sim/core/text.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"

namespace postino::script {
namespace {

std::string message_text(const Step& s, const std::string& domain, Time now, std::uint64_t n) {
  std::string text = "From: " + s.from + "\r\nTo: " + s.account + "\r\nSubject: " + s.text +
                     "\r\nDate: " + format_rfc5322_date(now) + "\r\nMessage-ID: <" +
                     std::to_string(n) + "." + std::to_string(now / 1000) + "@postino." + domain +
                     ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n";
  text += s.to_folder.empty() ? "This is the message \"" + s.text + "\".\r\n" : s.to_folder + "\r\n";
  // "size 80KB": the text grows with filler lines to the size asked for ("Riga 7 ......").
  if (s.number > text.size()) text.reserve(s.number);
  for (std::size_t line = 1; text.size() + 2 < s.number; ++line) {
    const std::size_t width = std::min<std::size_t>(70, s.number - text.size() - 2);
    const std::size_t start = text.size();
    text += "Riga ";
    text += std::to_string(line);
    text += ' ';
    text.resize(start + width, '.');  // cuts the number too when the last line is short
    text += "\r\n";
  }
  return text;
}

// The message the user means by its subject: exact first, then a unique part of it.
std::optional<mail::Uid> find_message(const world::Device& d, const std::string& folder,
                                      const std::string& subject) {
  std::vector<std::pair<mail::Uid, std::string>> candidates;
  if (d.pop_client()) {
    if (!iequals(folder, "INBOX")) return std::nullopt;
    const auto& inbox = d.pop_inbox();
    for (std::size_t i = 0; i < inbox.size(); ++i)
      if (!inbox[i].deleted) candidates.emplace_back(static_cast<mail::Uid>(i + 1), inbox[i].message->summary().subject);
  } else if (const imap::Client* c = d.imap_client()) {
    auto it = c->folders().find(iequals(folder, "INBOX") ? "INBOX" : folder);
    if (it == c->folders().end()) return std::nullopt;
    for (const auto& [uid, m] : it->second.messages)
      if (m.message) candidates.emplace_back(uid, m.message->summary().subject);
  }
  for (auto& [id, subj] : candidates)
    if (subj == subject) return id;
  std::optional<mail::Uid> found;
  for (auto& [id, subj] : candidates) {
    if (subj.find(subject) == std::string::npos) continue;
    if (found) return std::nullopt;  // ambiguous
    found = id;
  }
  return found;
}


}  // namespace

bool Played::passed() const {
  return std::all_of(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.passed; });
}

Player::Player(const Scenario& s, std::size_t checkpoint_every)
    : s_(&s), checkpoint_every_(checkpoint_every) {
  mail::Store store(s.domain, static_cast<std::uint32_t>(s.start / 1000));
  store.set_mailbox_limit(s.mailboxes);
  for (const AccountSpec& a : s.accounts) store.add_account(a.address, a.password, a.quota);
  world_ = std::make_unique<world::World>(std::move(store), s.start);
  world_->schedule_backups(s.backup_at);
  for (const auto& d : s.devices) world_->add_device(d);
}

Player::Player(const Player& o)
    : s_(o.s_), checkpoint_every_(o.checkpoint_every_), world_(std::make_unique<world::World>(*o.world_)),
      outcomes_(o.outcomes_), next_(o.next_), phase_(o.phase_), target_(o.target_),
      delivered_(o.delivered_), checkpoints_(o.checkpoints_) {}

void Player::outcome(const Step& st, world::Event check) {
  check.kind = world::EventKind::Check;
  check.line = st.line;
  outcomes_.push_back({st.line, check.ok, check});
  world_->note(std::move(check));
}

void Player::run_until(std::size_t event_limit) {
  world_->set_event_limit(event_limit);
  for (;;) {
    if (next_ >= s_->steps.size()) break;
    if (phase_ == Phase::Start) maybe_checkpoint();
    if (!run_step(s_->steps[next_])) {
      // Stopped inside a statement (a viewer stepping one event at a time): a checkpoint here
      // saves replaying the statement's events so far when stepping back.
      maybe_checkpoint();
      break;
    }
    ++next_;
    phase_ = Phase::Start;
  }
}

void Player::maybe_checkpoint() {
  const std::size_t events = world_->events_run();
  if (!checkpoints_.empty() && events < checkpoints_.back().events + checkpoint_every_) return;
  checkpoints_.push_back({events, world_->snapshot(), next_, outcomes_.size(), delivered_, phase_, target_});
  // A snapshot copies the store and every device's cache: keep at most kMaxCheckpoints by
  // dropping every other older one (the newest stays, so stepping back from here is quick).
  if (checkpoints_.size() > kMaxCheckpoints) {
    std::vector<Checkpoint> kept;
    for (std::size_t i = 0; i < checkpoints_.size(); ++i)
      if (i % 2 == 0 || i + 1 == checkpoints_.size()) kept.push_back(std::move(checkpoints_[i]));
    checkpoints_ = std::move(kept);
  }
}

void Player::rewind_to(std::size_t event_limit) {
  if (world_->events_run() <= event_limit) return run_until(event_limit);
  std::size_t k = checkpoints_.size();
  while (k > 0 && checkpoints_[k - 1].events > event_limit) --k;
  if (k == 0) {  // before the first checkpoint: from the start (checkpoints stay valid)
    auto kept = std::move(checkpoints_);
    *this = Player(*s_, checkpoint_every_);
    checkpoints_ = std::move(kept);
    return run_until(event_limit);
  }
  const Checkpoint& c = checkpoints_[k - 1];
  world_->rewind_to(*c.world);
  next_ = c.next;
  phase_ = c.phase;
  target_ = c.target;
  delivered_ = c.delivered;
  outcomes_.resize(c.outcomes);
  // Later checkpoints stay valid: the same run would take them again.
  run_until(event_limit);
}

// One statement in phases; each phase may stop at the event limit and resume later.
bool Player::run_step(const Step& st) {
  world::World& w = *world_;
  using K = Step::Kind;
  if (phase_ == Phase::Start) {
    if (w.exhausted()) return false;
    w.count_statement();
    phase_ = Phase::At;
  }
  if (phase_ == Phase::At) {
    if (st.at && *st.at < w.now()) {
      outcome(st, {.when = *st.at, .check = world::CheckKind::Late, .seen = static_cast<std::uint64_t>(w.now())});
    } else if (st.at && !w.advance_to(*st.at)) {
      return false;
    }
    target_ = w.now() + st.after;
    phase_ = Phase::After;
  }
  if (phase_ == Phase::After) {
    if (st.after && !w.advance_to(target_)) return false;
    phase_ = Phase::Act;
  }
  if (phase_ == Phase::Act) {
    act(st);
    phase_ = Phase::Settle;
  }
  // Checks look at a settled world, as does the next statement.
  if (!w.settle()) return false;
  if (st.kind >= K::ExpectCount) check(st);
  return true;
}

void Player::act(const Step& st) {
  world::World& w = *world_;
  world::Device* d = st.device.empty() || st.device == "server" ? nullptr : w.device(st.device);
  auto target = [&]() -> std::optional<mail::Uid> {
    if (st.uid) return st.uid;  // a viewer's click names the message exactly
    auto uid = find_message(*d, st.folder, st.text);
    if (!uid)
      outcome(st, {.device = st.device, .folder = st.folder, .text = st.text, .check = world::CheckKind::NoSuchMessage,
                   .items = d->subjects(st.folder)});
    return uid;
  };
  using K = Step::Kind;
  switch (st.kind) {
    case K::Deliver:
      if (st.copies == 1) {
        w.deliver(st.account, message_text(st, s_->domain, w.now(), ++delivered_));
        break;
      }
      for (std::uint64_t i = 1; i <= st.copies; ++i) {
        Step one = st;
        one.text += " " + std::to_string(i);
        w.deliver(st.account, message_text(one, s_->domain, w.now(), ++delivered_));
      }
      break;
    case K::GetMail: w.get_mail(*d); break;
    case K::Open: if (auto u = target()) w.open(*d, st.folder, *u); break;
    case K::Delete: if (auto u = target()) w.remove(*d, st.folder, *u); break;
    case K::Move: if (auto u = target()) w.move(*d, st.folder, *u, st.to_folder); break;
    case K::Flag: if (auto u = target()) w.flag(*d, st.folder, *u, true); break;
    case K::CreateFolder: w.create_folder(*d, st.folder); break;
    case K::RenameFolder: w.rename_folder(*d, st.folder, st.to_folder); break;
    case K::DeleteFolder: w.delete_folder(*d, st.folder); break;
    case K::Set: w.change_settings(*d, st.settings); break;
    case K::Crash: w.crash(*d); break;
    case K::Replace: w.replace(*d); break;
    case K::Backup: w.backup(); break;
    case K::Restore: w.restore(st.account, st.when); break;
    case K::External: {
      world::Device* x = w.device(st.device);
      if (st.number == 0) {
        if (!x) x = &w.add_device(st.settings);
        w.external_connect(*x);
      } else if (x && st.number == 1) {
        w.external_send(*x, st.text);
      } else if (x && st.number == 3) {
        w.external_tls_established(*x);
      } else if (x) {
        w.external_close(*x);
      }
      break;
    }
    case K::Wait: w.note({.kind = world::EventKind::TimePasses, .when = w.now()}); break;
    case K::Say: w.note({.kind = world::EventKind::Say, .text = st.text}); break;
    default: break;  // expectations are checked once the world has settled
  }
}

void Player::check(const Step& st) {
  world::World& w = *world_;
  const world::Device* d = st.device.empty() || st.device == "server" ? nullptr : w.device(st.device);
  auto server_folder = [&]() -> const mail::Folder* {
    const mail::Account* a = w.store().find_account(st.account);
    return a ? a->folder(st.folder) : nullptr;
  };
  world::Event e{.device = d ? st.device : std::string(), .account = st.account, .folder = st.folder,
                 .text = st.text, .expected = st.number};
  using K = Step::Kind;
  using C = world::CheckKind;
  switch (st.kind) {
    case K::ExpectCount:
      e.check = C::Count;
      e.seen = d ? d->count(st.folder) : (server_folder() ? server_folder()->count() : 0);
      e.ok = e.seen == st.number;
      break;
    case K::ExpectHas:
    case K::ExpectLacks: {
      if (d) {
        e.items = d->subjects(st.folder);
      } else if (const mail::Folder* f = server_folder()) {
        for (const auto& m : f->messages()) e.items.push_back(m.message->summary().subject);
      }
      const bool has = std::find(e.items.begin(), e.items.end(), st.text) != e.items.end();
      e.check = st.kind == K::ExpectHas ? C::Has : C::Lacks;
      e.ok = st.kind == K::ExpectHas ? has : !has;
      break;
    }
    case K::ExpectUsedBelow:
    case K::ExpectUsedAbove: {
      const mail::Account* a = w.store().find_account(st.account);
      e.seen = a ? a->used() : 0;
      e.check = st.kind == K::ExpectUsedBelow ? C::UsedBelow : C::UsedAbove;
      e.ok = st.kind == K::ExpectUsedBelow ? e.seen < st.number : e.seen > st.number;
      break;
    }
    case K::ExpectTrace:
      // The transcript as `postino run` prints it: wire lines, and events in English (the
      // language scenario files are written in).
      e.check = C::TraceHas;
      e.ok = std::any_of(w.trace().begin(), w.trace().end(), [&](const world::TraceEntry& t) {
        if (!t.what) return t.text.contains(st.text);
        return !t.is_event(world::EventKind::Check) && world::describe(*t.what, Lang::En).find(st.text) != std::string::npos;
      });
      break;
    case K::ExpectError:
      e.check = C::Error;
      for (const world::Event& err : d->errors()) e.items.push_back(world::client_problem(err, Lang::En));
      e.ok = std::any_of(e.items.begin(), e.items.end(),
                         [&](const std::string& x) { return x.find(st.text) != std::string::npos; });
      break;
    case K::ExpectBounces:
      e.check = C::Bounces;
      e.seen = static_cast<std::uint64_t>(std::count_if(
          w.store().changes().begin(), w.store().changes().end(),
          [](const mail::Change& c) { return c.kind == mail::Change::Kind::Bounced; }));
      e.ok = e.seen == st.number;
      break;
    default: return;
  }
  outcome(st, std::move(e));
}

Played play(const Scenario& s, std::size_t event_limit) {
  Player p(s);
  p.run_until(event_limit);
  return p.finish();
}

Played Player::finish() {
  Played out;
  out.world = std::move(world_);
  out.outcomes = std::move(outcomes_);
  return out;
}

}  // namespace postino::script
