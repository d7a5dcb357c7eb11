// Runs a parsed scenario on a World, step by step.
#include <algorithm>

#include "sim/core/overloaded.hpp"
#include "sim/core/text.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"

namespace postino::script {
namespace {

std::string message_text(const Deliver& m, const std::string& subject, const std::string& domain, Time now,
                         std::uint64_t n) {
  std::string text = "From: " + m.from + "\r\nTo: " + m.account + "\r\nSubject: " + subject +
                     "\r\nDate: " + format_rfc5322_date(now) + "\r\nMessage-ID: <" +
                     std::to_string(n) + "." + std::to_string(now / 1000) + "@postino." + domain +
                     ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n";
  text += m.body.empty() ? "This is the message \"" + subject + "\".\r\n" : m.body + "\r\n";
  // "size 80KB": the text grows with filler lines to the size asked for ("Riga 7 ......").
  if (m.size > text.size()) text.reserve(m.size);
  for (std::size_t line = 1; text.size() + 2 < m.size; ++line) {
    const std::size_t width = std::min<std::size_t>(70, m.size - text.size() - 2);
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
    const auto& inbox = d.pop_inbox();  // every folder of the device; a message's number is its place here
    for (std::size_t i = 0; i < inbox.size(); ++i)
      if (!inbox[i].deleted && (iequals(folder, "INBOX") ? iequals(inbox[i].folder, "INBOX") : inbox[i].folder == folder))
        candidates.emplace_back(static_cast<mail::Uid>(i + 1), inbox[i].message->summary().subject);
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

std::uint64_t smallest_message(const Deliver& d, const std::string& domain) {
  Deliver bare = d;
  bare.size = 0;
  // The widest a numbered subject, a message number and a date can be.
  const std::string subject = d.copies > 1 ? d.subject + " " + std::to_string(d.copies) : d.subject;
  return message_text(bare, subject, domain, from_civil(9999, 12, 31, 23, 59), 99999999).size();
}

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
  world_->set_plaintext_auth(s.plaintext_auth);
  for (const auto& d : s.devices) world_->add_device(d);
}

Player::Player(const Player& o)
    : s_(o.s_), checkpoint_every_(o.checkpoint_every_), world_(std::make_unique<world::World>(*o.world_)),
      outcomes_(o.outcomes_), next_(o.next_), phase_(o.phase_), target_(o.target_),
      delivered_(o.delivered_), copied_(o.copied_), checkpoints_(o.checkpoints_) {}

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
  checkpoints_.push_back({events, world_->snapshot(), next_, outcomes_.size(), delivered_, copied_, phase_, target_});
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
  copied_ = c.copied;
  outcomes_.resize(c.outcomes);
  // Later checkpoints stay valid: the same run would take them again.
  run_until(event_limit);
}

void Player::steps_changed() {
  std::erase_if(checkpoints_, [&](const Checkpoint& c) { return c.events > world_->events_run(); });
}

// One statement in phases; each phase may stop at the event limit and resume later.
bool Player::run_step(const Step& st) {
  world::World& w = *world_;
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
    phase_ = Phase::View;
  }
  if (phase_ == Phase::View) {
    view(st);
    phase_ = Phase::Viewed;
  }
  if (phase_ == Phase::Viewed) {
    if (!w.settle()) return false;
    phase_ = Phase::Act;
  }
  if (phase_ == Phase::Act) {
    // `deliver ... count N`: each message is an event of its own, so a viewer stepping through
    // sees the mailbox fill one message at a time, not all N at the first.
    if (const auto* d = std::get_if<Deliver>(&st.what); d && d->copies > 1) {
      for (; copied_ < d->copies; ++copied_) {
        if (copied_ > 0) {
          if (w.exhausted()) return false;
          w.count_statement();
        }
        const std::string subject = d->subject + " " + std::to_string(copied_ + 1);
        w.deliver(d->account, message_text(*d, subject, s_->domain, w.now(), ++delivered_));
      }
      copied_ = 0;
    } else {
      act(st);
    }
    phase_ = Phase::Settle;
  }
  // Checks look at a settled world, as does the next statement.
  if (!w.settle()) return false;
  if (const auto* x = std::get_if<Expectation>(&st.what)) check(st, *x);
  return true;
}

// An action on a message named by its subject: the user first opens its folder, which the app
// brings up to date (today's messages there, not those of its last sync), then picks it.
void Player::view(const Step& st) {
  world::World& w = *world_;
  auto show = [&](const auto& a) {
    if (world::Device* d = w.device(a.device); d && !a.uid) w.view_folder(*d, a.folder);
  };
  if (const auto* a = std::get_if<Open>(&st.what)) show(*a);
  if (const auto* a = std::get_if<Delete>(&st.what)) show(*a);
  if (const auto* a = std::get_if<Flag>(&st.what)) show(*a);
  if (const auto* a = std::get_if<Move>(&st.what)) show(*a);
}

void Player::act(const Step& st) {
  world::World& w = *world_;
  auto device = [&](const std::string& name) -> world::Device& { return *w.device(name); };
  // Open, Delete, Flag, Move: the message they name, if there is one.
  auto target = [&](const auto& a) -> std::optional<mail::Uid> {
    if (a.uid) return a.uid;  // a viewer's click names the message exactly
    world::Device& d = device(a.device);
    auto uid = find_message(d, a.folder, a.subject);
    if (!uid)
      outcome(st, {.device = a.device, .folder = a.folder, .text = a.subject, .check = world::CheckKind::NoSuchMessage,
                   .items = d.subjects(a.folder)});
    return uid;
  };
  std::visit(
      overloaded{
          [&](const Deliver& a) { w.deliver(a.account, message_text(a, a.subject, s_->domain, w.now(), ++delivered_)); },
          [&](const GetMail& a) { w.get_mail(device(a.device)); },
          [&](const Open& a) { if (auto u = target(a)) w.open(device(a.device), a.folder, *u); },
          [&](const Delete& a) { if (auto u = target(a)) w.remove(device(a.device), a.folder, *u); },
          [&](const Flag& a) { if (auto u = target(a)) w.flag(device(a.device), a.folder, *u, a.on); },
          [&](const Move& a) { if (auto u = target(a)) w.move(device(a.device), a.folder, *u, a.to); },
          [&](const CreateFolder& a) { w.create_folder(device(a.device), a.folder); },
          [&](const RenameFolder& a) { w.rename_folder(device(a.device), a.folder, a.to); },
          [&](const DeleteFolder& a) { w.delete_folder(device(a.device), a.folder); },
          [&](const Set& a) { w.change_settings(device(a.device), a.settings); },
          [&](const Crash& a) { w.crash(device(a.device)); },
          [&](const Replace& a) { w.replace(device(a.device)); },
          [&](const DropConnection& a) { w.cut_connection_after(device(a.device), a.after); },
          [&](const Backup&) { w.backup(); },
          [&](const Restore& a) { w.restore(a.account, a.when); },
          [&](const ExternalConnect& a) {
            world::Device* x = w.device(a.settings.name);
            if (!x) x = &w.add_device(a.settings);  // a client that reconnects is the same device
            w.external_connect(*x);
          },
          // Without a connect step first there is no device to speak for: nothing happens.
          [&](const ExternalSend& a) { if (auto* x = w.device(a.device)) w.external_send(*x, a.bytes); },
          [&](const ExternalTlsDone& a) { if (auto* x = w.device(a.device)) w.external_tls_established(*x); },
          [&](const ExternalClose& a) { if (auto* x = w.device(a.device)) w.external_close(*x); },
          [&](const Wait&) { w.note({.kind = world::EventKind::TimePasses, .when = w.now()}); },
          [&](const Say& a) { w.note({.kind = world::EventKind::Say, .text = a.text.en, .text_it = a.text.it}); },
          [](const Expectation&) {},  // checked once the world has settled
          [&](const Send& a) {
            world::Device& d = device(a.device);
            const Deliver m{.account = a.to, .from = d.config().account, .subject = a.subject, .body = a.body, .size = a.size};
            w.send(d, a.to, message_text(m, a.subject, s_->domain, w.now(), ++delivered_));
          },
          [&](const EmptyTrash& a) { w.empty_trash(device(a.device)); },
          [&](const Webmail& a) {
            using Op = Webmail::Op;
            if (a.op == Op::EmptyTrash) return (void)w.webmail_empty_trash(a.account);
            // The message the webmail's user clicks: by its subject (exact, else a unique part).
            std::optional<mail::Uid> uid;
            std::vector<std::string> there;
            const mail::Account* acc = w.store().find_account(a.account);
            const mail::Folder* f = acc ? acc->folder(a.folder) : nullptr;
            for (const auto& m : f ? f->messages() : std::vector<mail::Entry>{}) {
              there.push_back(m.message->summary().subject);
              if (!uid && there.back() == a.subject) uid = m.uid;
            }
            for (std::size_t i = 0; !uid && f && i < there.size(); ++i) {
              if (there[i].find(a.subject) == std::string::npos) continue;
              const bool again = std::any_of(there.begin() + static_cast<std::ptrdiff_t>(i) + 1, there.end(),
                                             [&](const std::string& t) { return t.find(a.subject) != std::string::npos; });
              if (!again) uid = f->messages()[i].uid;
              break;
            }
            if (!uid)
              return outcome(st, {.device = "webmail " + a.account, .folder = a.folder, .text = a.subject,
                                  .check = world::CheckKind::NoSuchMessage, .items = there});
            if (a.op == Op::Read) w.webmail_read(a.account, a.folder, *uid);
            else if (a.op == Op::Delete) w.webmail_delete(a.account, a.folder, *uid);
            else w.webmail_move(a.account, a.folder, *uid, a.to);
          },
          [&](const AddDevice& a) { if (!w.device(a.settings.name)) w.add_device(a.settings, true); },
          [&](const ChangePassword& a) { w.change_password(a.account, a.password); },
      },
      st.what);
}

void Player::check(const Step& st, const Expectation& x) { outcome(st, evaluate(*world_, x)); }

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
