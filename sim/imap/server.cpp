// IMAP server session: framing (lines, literals, continuations), dispatch, updates from other
// sessions, authentication. The commands themselves are in server_*.cpp.
#include "sim/imap/server.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"

namespace postino::imap {
namespace {

std::string tag_of(std::string_view text) {
  Reader r(text);
  auto t = r.tag();
  return t && (r.at_end() || r.peek() == ' ' || r.peek() == '\r') ? *t : "*";
}

}  // namespace

ServerSession::ServerSession(mail::Store& store, ServerConfig config, Time now)
    : store_(&store), config_(std::move(config)), last_activity_(now), now_(now) {
  untagged("OK [CAPABILITY " + capabilities() + "] Postino IMAP4rev1 server ready");
}

std::unique_ptr<ServerSession> ServerSession::clone(mail::Store& store) const {
  // A member-wise copy, so that no member is forgotten; only the pointers into the store change.
  std::unique_ptr<ServerSession> s(new ServerSession(*this));
  s->store_ = &store;
  if (account_) s->account_ = store.find_account(account_->address());
  return s;
}

ServerSession::~ServerSession() = default;

std::string ServerSession::actor() const { return "imap #" + std::to_string(config_.session_id); }

std::string ServerSession::capabilities() const {
  std::string caps = config_.literal_plus ? "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE"
                                          : "IMAP4rev1 SASL-IR ID ENABLE IDLE";
  if (state_ == State::NotAuthenticated) {
    if (config_.tls_available && !config_.tls_active) caps += " STARTTLS";
    caps += plaintext_refused() ? " LOGINDISABLED" : " AUTH=PLAIN";
  } else {
    caps += " NAMESPACE UNSELECT CHILDREN SPECIAL-USE UIDPLUS MOVE QUOTA QUOTA=RES-STORAGE CONDSTORE QRESYNC";
  }
  return caps;
}

void ServerSession::receive(std::string_view bytes, Time now) {
  if (closed() || awaiting_tls_) return;  // after STARTTLS, plaintext is never acted on
  now_ = last_activity_ = now;
  in_.append(bytes);
  process();
}

void ServerSession::tls_established(Time now) {
  if (!awaiting_tls_) return;
  awaiting_tls_ = false;
  config_.tls_active = true;
  now_ = last_activity_ = now;
}

void ServerSession::connection_lost(Time now) {
  now_ = now;
  if (closed()) return;
  deselect();
  set_state(State::Logout);
  events_.push_back({ServerEvent::Kind::Closed, state_, {}});
}

void ServerSession::tick(Time now) {
  now_ = now;
  if (closed() || now < deadline()) return;
  untagged("BYE Autologout; idle for too long");
  connection_lost(now);
}

void ServerSession::store_changed(Time now) {
  now_ = now;
  if (idle_tag_ && !closed()) send_updates(true);
}

// Framing. A command is a line, or lines joined by literals: "... {n}\r\n" + n octets + "...".
void ServerSession::process() {
  std::size_t pos = 0;
  while (!closed() && !awaiting_tls_) {
    if (literal_left_ > 0) {
      const std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, in_.size() - pos));
      if (take == 0) break;
      if (!skipping_) command_.append(in_, pos, take);
      pos += take;
      literal_left_ -= take;
      continue;
    }
    const std::size_t lf = in_.find('\n', pos);
    if (lf == std::string::npos) {
      if (!discarding_line_ && in_.size() - pos > config_.max_line) {
        // Too long to be a command line: keep the tag for the reply, drop the rest as it comes.
        discarding_line_ = true;
        if (command_.empty()) command_ = tag_of(std::string_view(in_).substr(pos, 64));
      }
      if (discarding_line_) pos = in_.size();
      break;
    }
    std::string_view line(in_.data() + pos, lf - pos);
    pos = lf + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (discarding_line_ || line.size() > config_.max_line) {
      // In IDLE or an AUTHENTICATE exchange the line answers that command, which it ends (as any
      // line but DONE ends IDLE); its own first word is no tag.
      std::optional<std::string> waiting = std::exchange(idle_tag_, std::nullopt);
      if (!waiting) waiting = std::exchange(sasl_tag_, std::nullopt);
      const std::string tag = waiting ? *waiting : command_.empty() ? tag_of(line) : tag_of(command_);
      discarding_line_ = skipping_ = false;
      command_.clear();
      command_size_ = 0;
      tagged(tag, "BAD", "Command line too long (at most " + std::to_string(config_.max_line) +
                             " octets)");
      continue;
    }
    if (sasl_tag_) {
      handle_sasl_response(line);
      continue;
    }
    if (idle_tag_) {
      handle_idle_line(line);
      continue;
    }
    if (!skipping_) {
      command_ += line;
      command_ += "\r\n";
    }
    const auto lit = literal_at_end(line);
    // Counted even while skipping, saturating: a literal's size can be any 64-bit number.
    const std::uint64_t announced = lit ? lit->size : 0;
    command_size_ += line.size() + 2;
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    command_size_ = announced > kMax - command_size_ ? kMax : command_size_ + announced;
    if (!skipping_) {
      const bool authenticated = state_ != State::NotAuthenticated;
      const std::uint64_t cap =
          authenticated ? config_.max_command : config_.max_command_unauthenticated;
      if (lit && lit->size > config_.max_literal) {
        skip_reason_ = "[TOOBIG] Literal too big: at most " + std::to_string(config_.max_literal) +
                       " octets";
        skipping_ = true;
      } else if (command_size_ > cap) {
        skip_reason_ = "[TOOBIG] Command too big: at most " + std::to_string(cap) +
                       " octets with its literals" + (authenticated ? "" : " before login");
        skipping_ = true;
      }
      if (skipping_) command_ = tag_of(command_);
    }
    if (lit) {
      if (skipping_ && !lit->non_sync) {
        // The client waits for "+" before sending a synchronising literal: refuse it now, and
        // the command ends here (RFC 3501 7.5).
        tagged(command_, "NO", skip_reason_);
        skipping_ = false;
        command_.clear();
        command_size_ = 0;
        continue;
      }
      // A LITERAL+ literal comes anyway: while skipping, its octets are read and dropped, and
      // the command's remaining lines with them, so that the next command is found.
      if (!lit->non_sync) out_ += "+ Ready for literal data\r\n";
      literal_left_ = lit->size;
      continue;
    }
    if (skipping_) {
      tagged(command_, "NO", skip_reason_);
      skipping_ = false;
    } else {
      command_.resize(command_.size() - 2);  // the final CRLF
      dispatch(command_);
    }
    command_.clear();
    command_size_ = 0;
  }
  if (awaiting_tls_) {
    in_.clear();  // RFC 3501 6.2.1: nothing pipelined after STARTTLS in plaintext counts
  } else {
    in_.erase(0, pos);
  }
}

// command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
void ServerSession::dispatch(std::string_view text) {
  Reader r(text);
  auto tag = r.tag();
  if (!tag) return untagged("BAD Missing tag");
  if (!r.sp()) return tagged(*tag, "BAD", "Missing command");
  auto name = r.atom();
  const CommandInfo* info = name ? find_command(*name) : nullptr;
  if (!info) return tagged(*tag, "BAD", "Unknown command" + (name ? ": " + upper(*name) : ""));
  if (!(info->states & in(state_))) {
    if (state_ == State::Authenticated && (info->states & in(State::Selected)))
      return tagged(*tag, "BAD", "No mailbox selected");
    return tagged(*tag, "BAD", std::string(info->name) + " is not allowed in the " +
                                   to_string(state_) + " state");
  }
  Command c{*tag, info, r};
  run(c);
}

void ServerSession::run(Command& c) {
  switch (c.info->verb) {
    case Verb::Capability: return cmd_capability(c);
    case Verb::Noop: return cmd_noop(c);
    case Verb::Logout: return cmd_logout(c);
    case Verb::Id: return cmd_id(c);
    case Verb::Starttls: return cmd_starttls(c);
    case Verb::Authenticate: return cmd_authenticate(c);
    case Verb::Login: return cmd_login(c);
    case Verb::Enable: return cmd_enable(c);
    case Verb::Select: return cmd_select(c, false);
    case Verb::Examine: return cmd_select(c, true);
    case Verb::Create: return cmd_create(c);
    case Verb::Delete: return cmd_delete(c);
    case Verb::Rename: return cmd_rename(c);
    case Verb::Subscribe: return cmd_subscribe(c, true);
    case Verb::Unsubscribe: return cmd_subscribe(c, false);
    case Verb::List: return cmd_list(c, false);
    case Verb::Lsub: return cmd_list(c, true);
    case Verb::Status: return cmd_status(c);
    case Verb::Append: return cmd_append(c);
    case Verb::Namespace: return cmd_namespace(c);
    case Verb::Idle: return cmd_idle(c);
    case Verb::GetQuota: return cmd_getquota(c, false);
    case Verb::GetQuotaRoot: return cmd_getquota(c, true);
    case Verb::SetQuota: return cmd_setquota(c);
    case Verb::Check: return cmd_check(c);
    case Verb::Close: return cmd_close(c, true);
    case Verb::Unselect: return cmd_close(c, false);
    case Verb::Expunge: return cmd_expunge(c);
    case Verb::Search: return cmd_search(c);
    case Verb::Fetch: return cmd_fetch(c);
    case Verb::Store: return cmd_store(c);
    case Verb::Copy: return cmd_copy(c, false);
    case Verb::Move: return cmd_copy(c, true);
    case Verb::Uid: return cmd_uid(c);
  }
}

// --- any state -------------------------------------------------------------------------------

void ServerSession::cmd_capability(Command& c) {
  if (!c.args.at_end()) return bad(c, "CAPABILITY takes no arguments");
  untagged("CAPABILITY " + capabilities());
  ok(c, "CAPABILITY completed");
}

void ServerSession::cmd_noop(Command& c) {
  if (!c.args.at_end()) return bad(c, "NOOP takes no arguments");
  send_updates(true);
  ok(c, "NOOP completed");
}

void ServerSession::cmd_logout(Command& c) {
  if (!c.args.at_end()) return bad(c, "LOGOUT takes no arguments");
  untagged("BYE Postino IMAP server logging out");
  ok(c, "LOGOUT completed");
  connection_lost(now_);
}

// id = "ID" SP id-params-list; id-params-list = "(" *(string SP nstring) ")" / nil
void ServerSession::cmd_id(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: ID (\"name\" \"value\" ...) or ID NIL");
  if (!c.args.eat_word("NIL")) {
    if (!c.args.eat('(')) return bad(c, "Usage: ID (\"name\" \"value\" ...) or ID NIL");
    bool first = true;
    while (!c.args.eat(')')) {
      if ((!first && !c.args.sp()) || !c.args.string() || !c.args.sp() || !c.args.nstring())
        return bad(c, "Invalid ID parameter list");
      first = false;
    }
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  untagged("ID (\"name\" \"Postino\" \"vendor\" \"Postino\")");
  ok(c, "ID completed");
}

// --- not authenticated -----------------------------------------------------------------------

void ServerSession::cmd_starttls(Command& c) {
  if (!c.args.at_end()) return bad(c, "STARTTLS takes no arguments");
  if (config_.tls_active) return bad(c, "TLS is already active");
  if (!config_.tls_available) return bad(c, "STARTTLS is not available on this connection");
  ok(c, "Begin TLS negotiation now");
  awaiting_tls_ = true;
  events_.push_back({ServerEvent::Kind::StartTls, state_, {}});
}

// authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]    (RFC 4959 SASL-IR)
void ServerSession::cmd_authenticate(Command& c) {
  auto mech = c.args.sp() ? c.args.atom() : std::nullopt;
  if (!mech) return bad(c, "Usage: AUTHENTICATE PLAIN [initial-response]");
  if (!iequals(*mech, "PLAIN")) return no(c, "Unsupported authentication mechanism");
  if (plaintext_refused()) return no(c, "[PRIVACYREQUIRED] Plaintext authentication disabled.");
  if (c.args.sp()) {
    std::string initial(c.args.rest());
    sasl_tag_ = c.tag;
    return handle_sasl_response(initial == "=" ? "" : initial);
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  sasl_tag_ = c.tag;
  out_ += "+ \r\n";
}

// PLAIN: [authzid] NUL authcid NUL passwd, in base64 (RFC 4616)
void ServerSession::handle_sasl_response(std::string_view line) {
  const std::string tag = *std::exchange(sasl_tag_, std::nullopt);
  if (line == "*") return tagged(tag, "BAD", "Authentication cancelled");
  auto decoded = base64_decode(line);
  if (!decoded) return tagged(tag, "BAD", "Invalid base64 in the AUTHENTICATE response");
  const auto nul1 = decoded->find('\0');
  const auto nul2 = nul1 == std::string::npos ? nul1 : decoded->find('\0', nul1 + 1);
  if (nul2 == std::string::npos) return tagged(tag, "BAD", "Malformed PLAIN response");
  const std::string authzid = decoded->substr(0, nul1);
  const std::string authcid = decoded->substr(nul1 + 1, nul2 - nul1 - 1);
  if (!authzid.empty() && !iequals(authzid, authcid)) {
    events_.push_back({ServerEvent::Kind::AuthFailed, state_, authcid});
    return tagged(tag, "NO", "[AUTHORIZATIONFAILED] Cannot act as another user");
  }
  login(tag, authcid, decoded->substr(nul2 + 1));
}

// login = "LOGIN" SP userid SP password
void ServerSession::cmd_login(Command& c) {
  std::optional<std::string> user, password;
  if (!c.args.sp() || !(user = c.args.astring()) || !c.args.sp() ||
      !(password = c.args.astring()) || !c.args.at_end())
    return bad(c, "Usage: LOGIN user password");
  if (plaintext_refused()) {
    // As Dovecot answers: the password has crossed the network in clear all the same.
    untagged("BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client did it anyway. "
             "If anyone was listening, the password was exposed.");
    return no(c, "[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
  }
  login(c.tag, *user, *password);
}

void ServerSession::login(const std::string& tag, std::string_view user,
                          std::string_view password) {
  mail::Account* account = store_->find_account(user);
  if (!account || account->password() != password) {
    events_.push_back({ServerEvent::Kind::AuthFailed, state_, std::string(user)});
    return tagged(tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed");
  }
  account_ = account;
  set_state(State::Authenticated);
  events_.push_back({ServerEvent::Kind::LoggedIn, state_, account->address()});
  tagged(tag, "OK", "[CAPABILITY " + capabilities() + "] Logged in");
}

// --- authenticated: small ones ---------------------------------------------------------------

// enable = "ENABLE" 1*(SP capability)
void ServerSession::cmd_enable(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: ENABLE capability...");
  std::vector<std::string> names;
  do {
    auto a = c.args.atom();
    if (!a) return bad(c, "Usage: ENABLE capability...");
    names.push_back(upper(*a));
  } while (c.args.sp());
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  // RFC 5161: ENABLED lists what this command turned on; unknown names are ignored.
  std::string enabled = "ENABLED";
  for (const std::string& n : names) {
    if (n == "CONDSTORE" && !condstore_) {
      condstore_ = true;
      enabled += " CONDSTORE";
    } else if (n == "QRESYNC" && !qresync_) {
      qresync_ = condstore_ = true;  // QRESYNC implies CONDSTORE (RFC 7162 3.2.3)
      enabled += " QRESYNC";
    }
  }
  untagged(enabled);
  ok(c, "ENABLE completed");
}

void ServerSession::cmd_namespace(Command& c) {
  if (!c.args.at_end()) return bad(c, "NAMESPACE takes no arguments");
  untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
  ok(c, "NAMESPACE completed");
}

void ServerSession::cmd_idle(Command& c) {
  if (!c.args.at_end()) return bad(c, "IDLE takes no arguments");
  idle_tag_ = c.tag;
  out_ += "+ idling\r\n";
  events_.push_back({ServerEvent::Kind::Idling, state_, {}});
  send_updates(true);
}

void ServerSession::handle_idle_line(std::string_view line) {
  const std::string tag = *std::exchange(idle_tag_, std::nullopt);
  if (!iequals(line, "DONE")) return tagged(tag, "BAD", "Expected DONE");
  send_updates(true);
  tagged(tag, "OK", "IDLE terminated");
}

void ServerSession::cmd_check(Command& c) {
  if (!c.args.at_end()) return bad(c, "CHECK takes no arguments");
  send_updates(true);
  ok(c, "CHECK completed");
}

// uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)
void ServerSession::cmd_uid(Command& c) {
  auto name = c.args.sp() ? c.args.atom() : std::nullopt;
  const CommandInfo* info = name ? find_command(*name) : nullptr;
  if (!info || (info->verb != Verb::Fetch && info->verb != Verb::Store &&
                info->verb != Verb::Copy && info->verb != Verb::Move &&
                info->verb != Verb::Search && info->verb != Verb::Expunge))
    return bad(c, "Usage: UID FETCH|STORE|COPY|MOVE|SEARCH|EXPUNGE ...");
  c.info = info;
  c.uid = true;
  run(c);
}

// --- helpers ---------------------------------------------------------------------------------

mail::Folder* ServerSession::current_folder() {
  if (!selected_ || !account_) return nullptr;
  mail::Folder* f = account_->folder(selected_->name);
  return f && f->uidvalidity() == selected_->uidvalidity ? f : nullptr;
}

bool ServerSession::read_flags(Command& c, const std::vector<std::string>& list,
                               mail::Flags& flags, mail::Keywords& keywords) {
  for (const std::string& name : list) {
    if (const mail::Flag f = mail::flag_from_name(name)) {
      flags |= f;
    } else if (mail::is_keyword(name)) {
      keywords.push_back(name);
    } else {
      bad(c, iequals(name, "\\Recent") ? "\\Recent is set by the server, not by clients"
                                        : "Invalid system flag: " + name);
      return false;
    }
  }
  return true;
}

bool ServerSession::keywords_fit(Command& c, const mail::Folder& f, const mail::Keywords& keywords) {
  if (f.keywords().size() + f.new_keywords(keywords) <= mail::kMaxKeywords) return true;
  no(c, "[LIMIT] Too many keywords: a folder keeps at most " + std::to_string(mail::kMaxKeywords));
  return false;
}

bool ServerSession::resolve(const Command& c, const SequenceSet& set,
                            std::vector<std::size_t>& out) {
  const auto& msgs = selected_->msgs;
  out.clear();
  if (c.uid) {
    const std::uint32_t star = msgs.empty() ? 0 : msgs.back().uid;
    for (std::size_t i = 0; i < msgs.size(); ++i)
      if (set.contains(msgs[i].uid, star)) out.push_back(i);
    return true;
  }
  const auto count = static_cast<std::uint32_t>(msgs.size());
  if (set.max_explicit() > count || (count == 0 && set.uses_star())) {
    tagged(c.tag, "BAD", "Invalid message sequence number: the folder has " +
                             std::to_string(count) + (count == 1 ? " message" : " messages"));
    return false;
  }
  for (std::uint32_t n = 1; n <= count; ++n)
    if (set.contains(n, count)) out.push_back(n - 1);
  return true;
}

void ServerSession::send_updates(bool expunge_ok) {
  if (!selected_ || !account_) return;
  Selection& sel = *selected_;
  const bool news = store_->last_change() != sel.seen_change;
  if (!news && !(expunge_ok && sel.expunge_withheld)) return;
  if (store_->forgot(sel.seen_change))  // too far behind the log: find the folder by UIDVALIDITY
    for (const auto& [name, folder] : account_->folders())
      if (folder.uidvalidity() == sel.uidvalidity) sel.name = name;
  // Follow renames of the open folder; a deleted one ends the session, as in Dovecot.
  for (const mail::Change& ch : store_->changes_since(sel.seen_change)) {
    if (ch.account != account_->address() || ch.folder != sel.name) continue;
    if (ch.kind == mail::Change::Kind::FolderRenamed) sel.name = ch.detail;
    if (ch.kind == mail::Change::Kind::FolderDeleted) {
      untagged("BYE The open folder was deleted by another session");
      return connection_lost(now_);
    }
  }
  sel.seen_change = store_->last_change();
  sel.expunge_withheld = false;
  mail::Folder* f = current_folder();
  if (!f) {
    untagged("BYE The open folder was replaced");
    return connection_lost(now_);
  }
  for (std::size_t i = 0; i < sel.msgs.size();) {
    Known& k = sel.msgs[i];
    const mail::Entry* e = f->find(k.uid);
    if (!e) {
      if (expunge_ok) {
        announce_expunge(i);
        continue;
      }
      sel.expunge_withheld = true;
    } else if (e->flags != k.flags || e->keywords != k.keywords) {
      send_new_keywords();  // before a FETCH that shows a new keyword, as in Dovecot
      k.flags = e->flags;
      k.keywords = e->keywords;
      k.modseq = e->modseq;
      untagged(flags_fetch(i));
    }
    ++i;
  }
  send_new_keywords();
  flush_vanished();
  const auto& entries = f->messages();
  auto it = std::upper_bound(entries.begin(), entries.end(), sel.uid_high,
                             [](mail::Uid u, const mail::Entry& e) { return u < e.uid; });
  if (it != entries.end()) {
    const mail::Uid recent_above = sel.read_only ? f->recent_claimed() : store_->claim_recent(*f);
    for (; it != entries.end(); ++it)
      sel.msgs.push_back({it->uid, it->flags, it->uid > recent_above, it->message,
                          it->internal_date, it->modseq, it->keywords});
    sel.uid_high = sel.msgs.back().uid;
    untagged(std::to_string(sel.msgs.size()) + " EXISTS");
    // RECENT only when the count changed since last told, as Dovecot does.
    const auto recent = static_cast<std::size_t>(std::count_if(
        sel.msgs.begin(), sel.msgs.end(), [](const Known& k) { return k.recent; }));
    if (recent != sel.recent_told) untagged(std::to_string(recent) + " RECENT");
    sel.recent_told = recent;
  }
}

void ServerSession::send_flag_names(const mail::Folder& f) {
  std::string names = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
  for (const std::string& k : f.keywords()) names += " " + k;
  untagged("FLAGS (" + names + ")");
  // "\\*": clients may create keywords (RFC 3501 7.1).
  untagged(selected_->read_only ? "OK [PERMANENTFLAGS ()] Read-only mailbox"
                                : "OK [PERMANENTFLAGS (" + names + " \\*)] Flags permitted");
  selected_->keywords_told = f.keywords().size();
}

void ServerSession::send_new_keywords() {
  const mail::Folder* f = current_folder();
  if (f && f->keywords().size() != selected_->keywords_told) send_flag_names(*f);
}

// System flags, \Recent, then keywords in the folder's order (as Dovecot lists them).
std::string ServerSession::flags_of(const Known& k) {
  std::string flags = mail::flags_to_string(k.flags);
  if (k.recent) flags += flags.empty() ? "\\Recent" : " \\Recent";
  for (const std::string& kw : k.keywords) flags += (flags.empty() ? "" : " ") + kw;
  return flags;
}

std::string ServerSession::modseq_item(const Known& k) { return "MODSEQ (" + std::to_string(k.modseq) + ")"; }

std::string ServerSession::modseq_of(const Known& k) const { return condstore_ ? " " + modseq_item(k) : std::string(); }

// With QRESYNC on, the UID comes too (RFC 7162 3.2.4); without, Dovecot sends only the flags.
std::string ServerSession::flags_fetch(std::size_t index) const {
  const Known& k = selected_->msgs[index];
  return std::to_string(index + 1) + " FETCH (" + (qresync_ ? "UID " + std::to_string(k.uid) + " " : "") +
         "FLAGS (" + flags_of(k) + ")" + modseq_of(k) + ")";
}

void ServerSession::announce_expunge(std::size_t index) {
  // Once QRESYNC is on, expunges are told by UID, all at once (RFC 7162 3.2.10).
  if (qresync_) vanished_.push_back(selected_->msgs[index].uid);
  else untagged(std::to_string(index + 1) + " EXPUNGE");
  selected_->msgs.erase(selected_->msgs.begin() + static_cast<std::ptrdiff_t>(index));
}

void ServerSession::flush_vanished() {
  if (vanished_.empty()) return;
  std::sort(vanished_.begin(), vanished_.end());
  untagged("VANISHED " + uid_set(vanished_));
  vanished_.clear();
}

void ServerSession::deselect() { selected_.reset(); }

void ServerSession::set_state(State s) {
  if (s == state_) return;
  // Only the moves of the diagram (transitions()). Another is a bug here: it stops a debug
  // build, and a release build (where tests run too) counts it for them to see.
  const bool known = is_transition(state_, s);
  assert(known);
  bad_transitions_ += !known;
  state_ = s;
  events_.push_back({ServerEvent::Kind::StateChanged, s, {}});
}

void ServerSession::tagged(const std::string& tag, std::string_view status,
                           std::string_view text) {
  if (closed()) return;  // after a BYE nothing more is said (the open folder vanished, say)
  out_ += tag;
  out_ += ' ';
  out_ += status;
  out_ += ' ';
  out_ += text;
  out_ += "\r\n";
}

void ServerSession::untagged(std::string_view text) {
  out_ += "* ";
  out_ += text;
  out_ += "\r\n";
}

}  // namespace postino::imap
