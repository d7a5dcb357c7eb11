#include "sim/imap/client.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"
#include "sim/imap/syntax.hpp"

namespace postino::imap {
namespace {

using Problem = ClientEvent::Problem;

constexpr const char* kHeaderFetch = "(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER])";

mail::Flags parse_flags(std::string_view list) {
  mail::Flags f = 0;
  for (auto word : split_words(list)) f |= mail::flag_from_name(word);
  return f;
}

// Skips one value of a response: a parenthesised list, a string, or an atom-like token.
bool skip_value(Reader& r, int depth = 0) {
  if (depth > 64) return false;
  if (r.eat('(')) {
    while (!r.eat(')')) {
      if (r.at_end() || !skip_value(r, depth + 1)) return false;
      r.sp();
    }
    return true;
  }
  if (r.peek() == '"' || r.peek() == '{') return r.string().has_value();
  const std::size_t start = r.pos();
  while (!r.at_end() && r.peek() != ' ' && r.peek() != ')' && r.peek() != '(') {
    if (r.peek() == '[') {  // BODY[...] names contain spaces inside the brackets
      while (!r.at_end() && !r.eat(']')) r.seek(r.pos() + 1);
      continue;
    }
    r.seek(r.pos() + 1);
  }
  return r.pos() > start;
}

// The text of a parenthesised list, without the parentheses.
std::optional<std::string_view> paren_list(Reader& r, std::string_view whole) {
  const std::size_t start = r.pos();
  if (!skip_value(r) || whole[start] != '(') return std::nullopt;
  return whole.substr(start + 1, r.pos() - start - 2);
}

// The command as a user would name it: "UID MOVE", "SELECT" (without tag and arguments).
std::string command_name(std::string_view command) {
  const auto words = split_words(command);
  if (words.empty()) return {};
  if (words.size() > 1 && iequals(words[0], "UID")) return upper(words[0]) + " " + upper(words[1]);
  return upper(words[0]);
}

std::string astring(std::string_view s) {
  std::string out;
  append_astring(out, s);
  return out;
}

}  // namespace

Client::Client(ClientConfig config) : config_(std::move(config)) {}

void Client::connect(Time now, bool tls) {
  now_ = now;
  connected_ = true;
  tls_ = tls;
  greeted_ = logged_in_ = idling_ = done_sent_ = awaiting_tls_ = bye_ = hanging_up_ = id_sent_ = false;
  caps_.clear();
  in_.clear();
  response_.clear();
  literal_left_ = 0;
  in_flight_.reset();
  // queue_ is kept: what the user asked for while the app was offline runs once logged in.
  selected_.clear();
  msn_.clear();
  qresync_ = false;
}

bool Client::quiet() const {
  return connected_ && logged_in_ && queue_.empty() && (!in_flight_ || idling_);
}

void Client::receive(std::string_view bytes, Time now) {
  now_ = now;
  if (!connected_ || awaiting_tls_) return;
  in_.append(bytes);
  process();
}

void Client::tls_established(Time now) {
  now_ = now;
  if (!awaiting_tls_) return;
  awaiting_tls_ = false;
  tls_ = true;
  in_.clear();
  caps_.clear();  // learnt in plaintext: ask again (RFC 3501 6.2.1)
  enqueue_front({send("CAPABILITY", Task::Capability)});
  pump();
}

void Client::connection_lost(Time now) {
  now_ = now;
  if (!connected_) return;
  // After LOGOUT, or the server's BYE (its autologout, RFC 3501 5.4), the end was announced: the
  // app says nothing and connects again at the next check or action, as real ones do.
  const bool expected = bye_ || (in_flight_ && in_flight_->second.command == "LOGOUT");
  connected_ = false;
  idling_ = false;
  in_flight_.reset();
  queue_.clear();
  if (!expected)
    events_.push_back({ClientEvent::Kind::Error, {}, Problem::ConnectionLost, {}});
  events_.push_back({.kind = ClientEvent::Kind::Finished});
}

// Responses: a line, or lines joined by literals ("{n}\r\n" + n octets).
void Client::process() {
  std::size_t pos = 0;
  while (connected_ && !awaiting_tls_) {
    if (literal_left_ > 0) {
      const std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, in_.size() - pos));
      if (take == 0) break;
      response_.append(in_, pos, take);
      pos += take;
      literal_left_ -= take;
      continue;
    }
    const std::size_t lf = in_.find('\n', pos);
    if (lf == std::string::npos) break;
    std::string_view line(in_.data() + pos, lf - pos);
    pos = lf + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    response_ += line;
    if (auto lit = literal_at_end(line)) {
      response_ += "\r\n";
      literal_left_ = lit->size;
      continue;
    }
    std::string complete = std::exchange(response_, {});
    on_response(complete);
  }
  in_.erase(0, std::min(pos, in_.size()));
}

void Client::on_response(std::string_view line) {
  if (!greeted_) {
    greeted_ = true;
    if (!line.starts_with("* OK")) return fail(Problem::Refused, line);
    on_untagged(line.substr(2));
    // Before anything the user queued while offline.
    if (caps_.empty()) enqueue_front({send("CAPABILITY", Task::Capability)});
    else start_auth();
    return pump();
  }
  if (line.starts_with("+")) {
    if (in_flight_ && !in_flight_->second.literal.empty()) {
      out_ += std::exchange(in_flight_->second.literal, {}) + "\r\n";
      return;
    }
    if (in_flight_ && in_flight_->second.command == "IDLE" && !idling_) {
      idling_ = true;
      events_.push_back({.kind = ClientEvent::Kind::Idling, .detail = selected_});
      if (!queue_.empty() || new_mail_) pump();  // something arrived meanwhile: leave IDLE
    }
    return;
  }
  if (line.starts_with("* ")) {
    on_untagged(line.substr(2));
    if (idling_ && new_mail_) pump();
    return;
  }
  const auto space = line.find(' ');
  if (!in_flight_ || space == std::string_view::npos || line.substr(0, space) != in_flight_->first)
    return fail(Problem::Unexpected, printable(line.substr(0, 80)));
  std::string_view rest = line.substr(space + 1);
  const auto sp2 = rest.find(' ');
  const std::string_view status = rest.substr(0, sp2);
  const std::string_view text = sp2 == std::string_view::npos ? "" : rest.substr(sp2 + 1);
  on_tagged(iequals(status, "OK"), status, text);
}

void Client::on_untagged(std::string_view rest) {
  // Response codes inside OK / NO / BAD / BYE: [CAPABILITY ...], [UIDVALIDITY n].
  auto code = [&](std::string_view name) -> std::optional<std::string_view> {
    const auto open = rest.find("[" + std::string(name));
    if (open == std::string_view::npos) return std::nullopt;
    const auto close = rest.find(']', open);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inside = rest.substr(open + 1 + name.size(), close - open - 1 - name.size());
    return trim(inside);
  };
  if (rest.starts_with("BYE")) bye_ = true;
  if (rest.starts_with("OK") || rest.starts_with("NO") || rest.starts_with("BAD") ||
      rest.starts_with("BYE") || rest.starts_with("PREAUTH")) {
    if (auto caps = code("CAPABILITY")) {
      caps_.clear();
      for (auto w : split_words(*caps)) caps_.push_back(upper(w));
    }
    if (auto v = code("UIDVALIDITY")) selected_uidvalidity_ = static_cast<std::uint32_t>(parse_decimal(*v).value_or(0));
    if (auto v = code("HIGHESTMODSEQ")) selected_modseq_ = parse_decimal(*v).value_or(0);
    if (code("NOMODSEQ")) selected_modseq_ = 0;
    return;
  }
  if (istarts_with(rest, "ENABLED")) {
    for (auto w : split_words(rest.substr(7)))
      if (iequals(w, "QRESYNC")) qresync_ = true;
    return;
  }
  // RFC 7162 3.2.10: VANISHED [(EARLIER)] known-uids; instead of EXPUNGE once QRESYNC is on.
  if (istarts_with(rest, "VANISHED ")) {
    Reader r(rest.substr(9));
    if (r.eat('(') && !(r.eat_word("EARLIER") && r.eat(')') && r.sp())) return;
    auto set = r.sequence_set();
    if (!set) return;
    std::erase_if(msn_, [&](mail::Uid u) { return u && set->contains(u, 0xFFFFFFFFu); });
    exists_ = static_cast<std::uint32_t>(msn_.size());
    LocalFolder* f = folder(selected_);
    if (f && std::erase_if(f->messages, [&](const auto& m) {
          const bool vanished = set->contains(m.first, 0xFFFFFFFFu);
          if (vanished) gone(selected_, m.second);
          return vanished;
        }))
      changed(selected_);
    return;
  }
  if (istarts_with(rest, "CAPABILITY ")) {
    caps_.clear();
    for (auto w : split_words(rest.substr(11))) caps_.push_back(upper(w));
    return;
  }
  if (istarts_with(rest, "LIST ")) {
    Reader r(rest.substr(5));
    auto attrs = paren_list(r, rest.substr(5));
    if (!attrs || !r.sp() || !skip_value(r) || !r.sp()) return;
    auto name = r.astring();
    if (name) listed_.emplace_back(*name, std::string(*attrs));
    return;
  }
  // message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att)); mailbox-data: n EXISTS
  Reader r(rest);
  auto n = r.number();
  if (!n || !r.sp()) return;
  // More messages than any mailbox holds: a broken or hostile server (a slot per message kept for
  // "* 4000000000 EXISTS" would be 16 GB).
  if (*n > kMaxSelectedMessages) return fail(Problem::Unexpected, printable(rest.substr(0, 80)));
  std::string_view what = r.rest();
  if (istarts_with(what, "EXISTS")) {
    if (*n > msn_.size()) {
      msn_.resize(*n, 0);
      new_mail_ = true;
    }
    exists_ = *n;
  } else if (istarts_with(what, "EXPUNGE")) {
    if (*n == 0 || *n > msn_.size()) return;
    const mail::Uid uid = msn_[*n - 1];
    msn_.erase(msn_.begin() + (*n - 1));
    exists_ = static_cast<std::uint32_t>(msn_.size());
    if (LocalFolder* f = folder(selected_); f && uid) {
      if (auto it = f->messages.find(uid); it != f->messages.end()) {
        gone(selected_, it->second);
        f->messages.erase(it);
        changed(selected_);
      }
    }
  } else if (istarts_with(what, "FETCH ")) {
    on_fetch(*n, what.substr(6));
  }
}

// msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
void Client::on_fetch(std::uint32_t msn, std::string_view items) {
  Reader r(items);
  if (!r.eat('(')) return;
  std::optional<mail::Uid> uid;
  std::optional<mail::Flags> flags;
  std::optional<std::size_t> size;
  std::optional<std::string> header, body;
  while (!r.eat(')')) {
    if (r.at_end()) return;
    const std::size_t start = r.pos();
    if (!skip_value(r)) return;  // the item name
    const std::string name = upper(items.substr(start, r.pos() - start));
    if (!r.sp()) return;
    if (name == "UID" || name == "RFC822.SIZE") {
      auto v = r.number();
      if (!v) return;
      if (name == "UID") uid = *v;
      else size = *v;
    } else if (name == "FLAGS") {
      auto list = paren_list(r, items);
      if (!list) return;
      flags = parse_flags(*list);
    } else if (name.starts_with("BODY[") || name.starts_with("RFC822")) {
      auto v = r.nstring();
      if (!v) return;
      const bool whole = name == "BODY[]" || name == "RFC822";
      if (*v) (whole ? body : header) = **v;
    } else if (!skip_value(r)) {
      return;
    }
    r.sp();
  }
  if (msn == 0) return;
  if (msn > msn_.size()) msn_.resize(msn, 0);
  if (uid) msn_[msn - 1] = *uid;
  else uid = msn_[msn - 1];
  LocalFolder* f = folder(selected_);
  if (!f || !*uid) return;
  auto it = f->messages.find(*uid);
  if (it == f->messages.end()) {
    if (!header && !body) return;  // flags of a message we have not fetched yet
    LocalMessage fresh;
    fresh.uid = *uid;
    it = f->messages.emplace(*uid, std::move(fresh)).first;
  }
  LocalMessage& m = it->second;
  if (flags) m.flags = *flags;
  if (size) m.size = *size;
  if (body) {
    m.message = mail::make_message(*body);
    m.has_body = true;
    m.size = m.message->size();
  } else if (header && !m.has_body) {
    m.message = mail::make_message(*header);
  }
  changed(selected_);
}

void Client::on_tagged(bool ok, std::string_view status, std::string_view text) {
  Pending p = std::move(in_flight_->second);
  in_flight_.reset();
  if (p.command == "IDLE") {
    idling_ = false;
    done_sent_ = false;
  }
  if (!ok && (p.task == Task::Command || p.task == Task::Moved)) {
    const bool quota = text.find("[OVERQUOTA]") != std::string_view::npos;
    events_.push_back({ClientEvent::Kind::Error, selected_,
                       quota ? Problem::OverQuota : Problem::CommandFailed,
                       std::string(status) + " " + std::string(text), command_name(p.command)});
  }
  done(p, ok, text);
  if (p.command == "LOGOUT") {
    connected_ = false;
    events_.push_back({.kind = ClientEvent::Kind::Finished});
    return;
  }
  pump();
}

void Client::enqueue_front(std::vector<Pending> commands) {
  queue_.insert(queue_.begin(), std::make_move_iterator(commands.begin()),
                std::make_move_iterator(commands.end()));
}

void Client::pump() {
  while (connected_ && greeted_ && !awaiting_tls_) {
    if (in_flight_) {
      // Leave IDLE when there is work to do (RFC 2177: DONE, then the next command).
      if (idling_ && !done_sent_ && (!queue_.empty() || new_mail_)) {
        out_ += "DONE\r\n";
        done_sent_ = true;
      }
      return;
    }
    if (queue_.empty()) {
      if (!logged_in_) return;
      if (new_mail_ && !selected_.empty()) {
        new_mail_ = false;
        enqueue({.task = Task::FetchUnknown});
        continue;
      }
      if (config_.use_idle && has_cap("IDLE")) {
        if (selected_ != "INBOX") {
          enqueue({.task = Task::Enter, .folder = "INBOX"});
          continue;
        }
        events_.push_back({.kind = ClientEvent::Kind::Ready});
        idle_since_ = now_;
        in_flight_.emplace(next_tag(), send("IDLE"));
        out_ += in_flight_->first + " IDLE\r\n";
        return;
      }
      events_.push_back({.kind = ClientEvent::Kind::Ready});
      return;
    }
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    if (p.command.empty()) {
      expand(std::move(p));
      continue;
    }
    in_flight_.emplace(next_tag(), std::move(p));
    out_ += in_flight_->first + " " + in_flight_->second.command + "\r\n";
    return;
  }
}

void Client::start_auth() {
  if (hanging_up_) return;  // LOGOUT is next
  if (config_.use_starttls && !tls_) {
    if (!has_cap("STARTTLS")) {
      fail(Problem::TlsNotOffered, {}, "STARTTLS");
      return;
    }
    enqueue_front({send("STARTTLS", Task::StartTls)});
    return;
  }
  // RFC 3501 6.2.3: a client MUST NOT send LOGIN when LOGINDISABLED is advertised.
  if (!tls_ && has_cap("LOGINDISABLED")) return fail(Problem::PlaintextDisabled, {}, "LOGIN");
  std::string command;
  if (has_cap("AUTH=PLAIN") && has_cap("SASL-IR")) {
    std::string plain;
    plain += '\0';
    plain += config_.user;
    plain += '\0';
    plain += config_.password;
    command = "AUTHENTICATE PLAIN " + base64_encode(plain);
  } else {
    command = "LOGIN " + astring(config_.user) + " " + astring(config_.password);
  }
  std::vector<Pending> steps;
  if (config_.id_before_login) steps.push_back({.task = Task::Id});
  steps.push_back(send(command, Task::Login));
  enqueue_front(std::move(steps));
}

void Client::done(const Pending& p, bool ok, std::string_view text) {
  switch (p.task) {
    case Task::Capability: return start_auth();
    case Task::StartTls:
      if (!ok) return fail(Problem::TlsRefused, text, "STARTTLS");
      awaiting_tls_ = true;
      events_.push_back({.kind = ClientEvent::Kind::StartTls});
      return;
    case Task::Login: return logged_in(ok, text);
    case Task::List: return listed(ok);
    case Task::Selected: return selected(ok, p.folder);
    case Task::FlagsFetched: return flags_fetched(ok, p.folder, p.modseq);
    case Task::HeadersFetched:
      if (ok) complete(p.folder, p.modseq);
      return;
    case Task::BodiesFetched:
      if (ok) enqueue_front({fetch_bodies(p.folder, p.uid)});
      return;
    case Task::Unselected: selected_.clear(); return;
    case Task::Moved: {
      if (!ok) return;  // the message stays where it was: nothing to delete, nothing to sync
      std::vector<Pending> steps;
      if (istarts_with(p.command, "UID COPY")) {
        const std::string u = std::to_string(p.uid);
        steps.push_back(send("UID STORE " + u + " +FLAGS.SILENT (\\Deleted)"));
        steps.push_back(send(has_cap("UIDPLUS") ? "UID EXPUNGE " + u : "EXPUNGE"));
      }
      // The moved message now lives in `to`: bring that folder up to date too.
      steps.push_back(sync_folder(p.to));
      return enqueue_front(std::move(steps));
    }
    default: return;  // nothing to do (Command, Unchecked); steps are never sent
  }
}

void Client::expand(Pending p) {
  switch (p.task) {
    case Task::EnableQresync:
      if (has_cap("QRESYNC")) enqueue_front({send("ENABLE QRESYNC")});
      return;
    case Task::Id:
      // The server's own ID answer changes nothing here (RFC 2971: no operational changes based
      // on it), and a refusal is not the user's business.
      if (config_.id.empty() || id_sent_ || !has_cap("ID")) return;
      id_sent_ = true;
      return enqueue_front({send("ID " + config_.id, Task::Unchecked)});
    case Task::SyncFolder: {
      const std::string& name = p.folder;
      msn_.clear();
      exists_ = 0;
      selected_uidvalidity_ = 0;
      selected_modseq_ = 0;
      // What the server says from now on is about this folder (QRESYNC's VANISHED and FETCH
      // come before SELECT completes).
      selected_ = name;
      // Force a fresh SELECT: it tells UIDVALIDITY and the message count. With QRESYNC and a
      // cache from before, it also tells what vanished and changed.
      const LocalFolder* f = folder(name);
      const bool quick = qresync_ && f && f->uidvalidity && f->modseq;
      Pending select = send("SELECT " + astring(name), Task::Selected);
      if (quick)
        select.command += " (QRESYNC (" + std::to_string(f->uidvalidity) + " " + std::to_string(f->modseq) + "))";
      select.folder = name;
      return enqueue_front({std::move(select)});
    }
    case Task::SyncIfCached:
      if (folders_.contains(p.folder)) enqueue_front({sync_folder(p.folder)});
      return;
    case Task::View:
      // NOOP brings the selected folder's news (EXISTS, EXPUNGE, FETCH flags: RFC 3501 6.1.2).
      return enqueue_front({selected_ == p.folder ? send("NOOP") : sync_folder(p.folder)});
    case Task::FetchUnknown: {
      auto first = std::find(msn_.begin(), msn_.end(), 0);
      if (first == msn_.end()) return;
      const auto n = static_cast<std::size_t>(first - msn_.begin()) + 1;
      std::vector<Pending> steps{send("FETCH " + std::to_string(n) + ":* " + kHeaderFetch)};
      if (config_.keep_offline) steps.push_back(fetch_bodies(selected_));
      return enqueue_front(std::move(steps));
    }
    case Task::FetchBodies: {
      // Only in the folder it is about (a SELECT elsewhere came first: that folder's sync asks
      // again), and only above the last batch, so that a body the server does not send is not
      // asked for again and again.
      const LocalFolder* f = folder(p.folder);
      if (!f || selected_ != p.folder) return;
      std::vector<mail::Uid> batch;
      for (auto it = f->messages.upper_bound(p.uid); it != f->messages.end() && batch.size() < kOfflineBatch; ++it)
        if (!it->second.has_body) batch.push_back(it->first);
      if (batch.empty()) return;
      // PEEK: downloading is not reading; \Seen stays as it is (RFC 3501 6.4.5).
      Pending bodies = send("UID FETCH " + uid_set(batch) + " BODY.PEEK[]", Task::BodiesFetched);
      bodies.folder = p.folder;
      bodies.uid = batch.back();
      return enqueue_front({std::move(bodies)});
    }
    case Task::RenameFolder:
    case Task::DeleteFolder: {
      std::vector<Pending> steps;
      if (selected_ == p.folder) steps.push_back(send("UNSELECT", Task::Unselected));
      if (p.task == Task::RenameFolder) {
        steps.push_back(send("RENAME " + astring(p.folder) + " " + astring(p.to)));
      } else {
        steps.push_back(send("DELETE " + astring(p.folder)));
        steps.push_back(send("UNSUBSCRIBE " + astring(p.folder), Task::Unchecked));
      }
      steps.push_back(list_and_sync());
      return enqueue_front(std::move(steps));
    }
    case Task::Enter:
    case Task::Open:
    case Task::SetFlag:
    case Task::Remove:
    case Task::Move:
    case Task::EmptyFolder:
      if (selected_ == p.folder) return enqueue_front(in_folder(p));
      if (p.synced) return;  // its SELECT failed
      // Bring the folder up to date first: what changed while we were elsewhere.
      p.synced = true;
      return enqueue_front({sync_folder(p.folder), std::move(p)});
    default: return;  // commands are sent, not expanded
  }
}

void Client::logged_in(bool ok, std::string_view text) {
  if (!ok) return fail(Problem::AuthFailed, text, "LOGIN");
  logged_in_ = true;
  on_untagged("OK " + std::string(text));  // [CAPABILITY ...] after login
  if (hanging_up_) return;  // LOGOUT is next
  std::vector<Pending> next;
  if (caps_.empty()) next.push_back(send("CAPABILITY"));
  next.push_back({.task = Task::Id});  // done already when the app says it before logging in
  // With QRESYNC a folder seen before resyncs in one SELECT (RFC 7162).
  next.push_back({.task = Task::EnableQresync});
  next.push_back(list_and_sync());
  enqueue_front(std::move(next));
}

void Client::listed(bool ok) {
  if (!ok) return;
  std::set<std::string> names;
  for (auto& [name, attrs] : listed_) {
    if (attrs.find("\\Noselect") != std::string::npos || attrs.find("\\NoSelect") != std::string::npos)
      continue;
    names.insert(name);
    LocalFolder& f = folders_[name];
    f.name = name;
    f.use = attrs.find("\\Trash") != std::string::npos    ? mail::SpecialUse::Trash
            : attrs.find("\\Sent") != std::string::npos   ? mail::SpecialUse::Sent
            : attrs.find("\\Drafts") != std::string::npos ? mail::SpecialUse::Drafts
            : attrs.find("\\Junk") != std::string::npos   ? mail::SpecialUse::Junk
                                                           : mail::SpecialUse::None;
  }
  listed_.clear();
  bool removed = false;
  for (auto it = folders_.begin(); it != folders_.end();) {
    if (names.contains(it->first)) {
      ++it;
    } else {
      gone(it->second);
      it = folders_.erase(it);
      removed = true;
    }
  }
  if (removed) changed({});
  std::vector<Pending> syncs;
  // INBOX first: that is where the user looks.
  if (names.contains("INBOX")) syncs.push_back(sync_folder("INBOX"));
  for (const std::string& n : names)
    if (n != "INBOX") syncs.push_back(sync_folder(n));
  enqueue_front(std::move(syncs));
}

void Client::selected(bool ok, const std::string& name) {
  if (!ok) {
    selected_.clear();
    if (auto it = folders_.find(name); it != folders_.end()) {
      gone(it->second);
      folders_.erase(it);
      changed(name);
    }
    return;
  }
  selected_ = name;
  LocalFolder& f = folders_[name];
  f.name = name;
  new_mail_ = false;
  const mail::ModSeq modseq = selected_modseq_;
  if (f.uidvalidity == selected_uidvalidity_ && f.modseq && qresync_) {
    // QRESYNC: VANISHED (EARLIER) and FETCH responses already brought the cache up to date
    // but for new messages (FETCHed with their UID, not yet known here).
    std::set<mail::Uid> on_server(msn_.begin(), msn_.end());
    on_server.erase(0);
    for (const auto& [uid, m] : f.messages) on_server.insert(uid);
    if (on_server.size() == exists_) {
      msn_.assign(on_server.begin(), on_server.end());
      return fetch_missing(name, on_server, modseq);
    }
    // The counts disagree (a cache from elsewhere?): resync in full below.
  }
  if (f.uidvalidity != selected_uidvalidity_) {
    // A new UIDVALIDITY: nothing cached is valid any more; full resync.
    if (!f.messages.empty()) changed(name);
    gone(f);
    f.messages.clear();
    f.uidvalidity = selected_uidvalidity_;
  }
  std::fill(msn_.begin(), msn_.end(), 0);
  Pending flags = send("UID FETCH 1:* (FLAGS)", Task::FlagsFetched);
  flags.folder = name;
  flags.modseq = modseq;
  enqueue_front({std::move(flags)});
}

void Client::flags_fetched(bool ok, const std::string& name, mail::ModSeq modseq) {
  if (!ok || selected_ != name) return;
  LocalFolder& f = folders_[name];
  std::set<mail::Uid> on_server(msn_.begin(), msn_.end());
  on_server.erase(0);
  bool removed = false;
  for (auto it = f.messages.begin(); it != f.messages.end();) {
    if (on_server.contains(it->first)) {
      ++it;
    } else {
      gone(name, it->second);
      it = f.messages.erase(it);
      removed = true;
    }
  }
  if (removed) changed(name);
  fetch_missing(name, on_server, modseq);
}

void Client::fetch_missing(const std::string& name, const std::set<mail::Uid>& on_server, mail::ModSeq modseq) {
  const LocalFolder& f = folders_[name];
  std::vector<mail::Uid> missing;
  for (mail::Uid u : on_server)
    if (!f.messages.contains(u)) missing.push_back(u);
  if (missing.empty()) return complete(name, modseq);
  Pending headers = send("UID FETCH " + uid_set(missing) + " " + kHeaderFetch, Task::HeadersFetched);
  headers.folder = name;
  headers.modseq = modseq;
  enqueue_front({std::move(headers)});
}

// The cache is complete again: remember the mod-sequence it matches.
void Client::complete(const std::string& name, mail::ModSeq modseq) {
  if (LocalFolder* lf = folder(name); lf && selected_ == name) lf->modseq = modseq;
  if (config_.keep_offline) enqueue_front({fetch_bodies(name)});
}

std::vector<Client::Pending> Client::in_folder(const Pending& p) const {
  const std::string u = std::to_string(p.uid);
  const auto expunge = [&] { return send(has_cap("UIDPLUS") ? "UID EXPUNGE " + u : "EXPUNGE"); };
  switch (p.task) {
    case Task::Open: {
      // A body kept offline is shown from the disk: the server only hears that it was read.
      const LocalMessage* m = nullptr;
      if (auto f = folders_.find(p.folder); f != folders_.end())
        if (auto it = f->second.messages.find(p.uid); it != f->second.messages.end()) m = &it->second;
      if (config_.keep_offline && m && m->has_body) {
        if (m->flags & mail::kSeen) return {};
        return {send("UID STORE " + u + " +FLAGS (\\Seen)")};
      }
      return {send("UID FETCH " + u + " (BODY[])")};
    }
    case Task::SetFlag:
      return {send("UID STORE " + u + (p.on ? " +FLAGS (" : " -FLAGS (") + mail::flags_to_string(p.flags) + ")")};
    case Task::Remove: return {send("UID STORE " + u + " +FLAGS.SILENT (\\Deleted)"), expunge()};
    case Task::EmptyFolder: {  // the messages the SELECT just brought up to date; none: nothing to do
      std::vector<mail::Uid> uids;
      if (auto f = folders_.find(p.folder); f != folders_.end())
        for (const auto& [uid, m] : f->second.messages) uids.push_back(uid);
      if (uids.empty()) return {};
      const std::string set = uid_set(uids);
      return {send("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)"), send(has_cap("UIDPLUS") ? "UID EXPUNGE " + set : "EXPUNGE")};
    }
    case Task::Move: {
      Pending first = send((has_cap("MOVE") ? "UID MOVE " : "UID COPY ") + u + " " + astring(p.to), Task::Moved);
      first.folder = p.folder;
      first.to = p.to;
      first.uid = p.uid;
      return {std::move(first)};
    }
    default: return {};  // Enter: being there is all
  }
}

// --- what the user does ------------------------------------------------------------------

void Client::poll() {
  enqueue(list_and_sync());
  pump();
}

void Client::view(const std::string& folder_name) {
  // Logging in syncs every folder anyway; IDLE keeps the selected one up to date.
  if (!connected_ || !logged_in_ || hanging_up_ || (idling_ && selected_ == folder_name)) return;
  enqueue({.task = Task::View, .folder = folder_name});
  pump();
}

void Client::open(const std::string& folder_name, mail::Uid uid) {
  enqueue({.task = Task::Open, .folder = folder_name, .uid = uid});
  pump();
}

void Client::set_flag(const std::string& folder_name, mail::Uid uid, mail::Flags flag, bool on) {
  enqueue({.task = Task::SetFlag, .folder = folder_name, .uid = uid, .flags = flag, .on = on});
  pump();
}

bool Client::remove(const std::string& folder_name, mail::Uid uid) {
  const LocalFolder* f = folder(folder_name);
  // The special-use \Trash folder (RFC 6154), else one called Trash, as Thunderbird looks for it.
  const LocalFolder* trash = nullptr;
  for (auto& [n, lf] : folders_)
    if (lf.use == mail::SpecialUse::Trash || (!trash && iequals(n, "Trash"))) trash = &lf;
  const bool to_trash = config_.delete_mode == ClientConfig::Delete::MoveToTrash && f && f != trash;
  if (to_trash && trash) {
    move(folder_name, uid, trash->name);
    return false;
  }
  if (to_trash) {
    // Create it again rather than destroy the message: Thunderbird's IMAP client creates and
    // subscribes a missing Trash (ImapClient.jsm, _actionCreateTrashFolderIfNeeded); K-9 Mail
    // creates the remote Trash when a delete finds none (ImapFolder delete).
    enqueue(send("CREATE Trash"));
    enqueue(send("SUBSCRIBE Trash"));
    move(folder_name, uid, "Trash");
    return true;
  }
  enqueue({.task = Task::Remove, .folder = folder_name, .uid = uid});
  pump();
  return false;
}

void Client::move(const std::string& folder_name, mail::Uid uid, const std::string& to) {
  enqueue({.task = Task::Move, .folder = folder_name, .to = to, .uid = uid});
  pump();
}

void Client::empty_folder(const std::string& folder_name) {
  enqueue({.task = Task::EmptyFolder, .folder = folder_name});
  pump();
}

void Client::append(const std::string& folder_name, std::string text, mail::Flags flags) {
  const std::string size = std::to_string(text.size());
  std::string command = "APPEND " + astring(folder_name) + " (" + mail::flags_to_string(flags) + ") ";
  if (has_cap("LITERAL+")) {
    enqueue(send(command + "{" + size + "+}\r\n" + text));  // all in one go (RFC 7888)
  } else {
    Pending p = send(command + "{" + size + "}");
    p.literal = std::move(text);
    enqueue(std::move(p));
  }
  // Show it here too: resync the folder it went to.
  enqueue({.task = Task::SyncIfCached, .folder = folder_name});
  pump();
}

void Client::create_folder(const std::string& name) {
  enqueue(send("CREATE " + astring(name)));
  enqueue(send("SUBSCRIBE " + astring(name)));
  enqueue(list_and_sync());
  pump();
}

void Client::rename_folder(const std::string& from, const std::string& to) {
  enqueue({.task = Task::RenameFolder, .folder = from, .to = to});
  pump();
}

void Client::delete_folder(const std::string& name) {
  enqueue({.task = Task::DeleteFolder, .folder = name});
  pump();
}

void Client::logout() {
  enqueue(send("LOGOUT"));
  pump();
}

void Client::hang_up() {
  if (!connected_ || hanging_up_) return;
  hanging_up_ = true;
  queue_.clear();
  new_mail_ = false;
  logout();  // after the command on the wire (DONE first, if idling)
}

Time Client::deadline() const {
  const bool in_idle = idling_ && !done_sent_ && in_flight_ && in_flight_->second.command == "IDLE";
  return in_idle ? idle_since_ + kIdleRenewal : session::kNoDeadline;
}

void Client::tick(Time now) {
  now_ = now;
  if (!connected_ || now < deadline()) return;
  // DONE; when the server has answered, pump() finds nothing to do and IDLEs again.
  out_ += "DONE\r\n";
  done_sent_ = true;
}

// --- helpers -----------------------------------------------------------------------------

std::vector<session::ClientNews> Client::take_news() {
  using N = session::ClientNews::Kind;
  std::vector<session::ClientNews> news;
  for (ClientEvent& e : take_events()) {
    switch (e.kind) {
      case ClientEvent::Kind::StartTls: news.push_back({N::StartTls}); break;
      case ClientEvent::Kind::Error:
        news.push_back({N::Error, {}, {}, e.problem, std::move(e.command), std::move(e.text)});
        break;
      case ClientEvent::Kind::Gone:  // the user saw it vanish: the world records it
        news.push_back({.kind = N::Gone, .text = std::move(e.text), .folder = std::move(e.detail)});
        break;
      // The cache, IDLE and readiness are the app's own business: the world reads the cache.
      case ClientEvent::Kind::Changed:
      case ClientEvent::Kind::Idling:
      case ClientEvent::Kind::Ready:
      case ClientEvent::Kind::Finished: break;
    }
  }
  return news;
}

void Client::fail(Problem problem, std::string_view text, std::string command) {
  events_.push_back({ClientEvent::Kind::Error, selected_, problem, std::string(text), std::move(command)});
  if (problem == Problem::AuthFailed || problem == Problem::TlsNotOffered || problem == Problem::TlsRefused ||
      problem == Problem::PlaintextDisabled || problem == Problem::Refused || problem == Problem::Unexpected) {
    queue_.clear();
    enqueue(send("LOGOUT"));
    pump();
  }
}

void Client::changed(const std::string& folder_name) {
  if (!events_.empty() && events_.back().kind == ClientEvent::Kind::Changed &&
      events_.back().detail == folder_name)
    return;
  events_.push_back({.kind = ClientEvent::Kind::Changed, .detail = folder_name});
}

void Client::gone(const std::string& folder_name, const LocalMessage& m) {
  // A message whose headers never came was never in the user's list.
  if (m.message) events_.push_back({.kind = ClientEvent::Kind::Gone, .detail = folder_name, .text = m.message->summary().subject});
}

void Client::gone(const LocalFolder& f) {
  for (const auto& [uid, m] : f.messages) gone(f.name, m);
}

bool Client::has_cap(std::string_view cap) const {
  return std::any_of(caps_.begin(), caps_.end(), [&](const std::string& c) { return iequals(c, cap); });
}

std::string Client::next_tag() {
  char buf[16];
  std::snprintf(buf, sizeof buf, "A%03u", ++tag_counter_);
  return buf;
}

LocalFolder* Client::folder(const std::string& name) {
  auto it = folders_.find(name);
  return it == folders_.end() ? nullptr : &it->second;
}

}  // namespace postino::imap
