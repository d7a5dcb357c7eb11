#include "sim/pop3/server.hpp"

#include <cassert>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"
#include "sim/pop3/wire.hpp"

namespace postino::pop3 {
namespace {

std::string messages(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " message" : " messages");
}

}  // namespace

ServerSession::ServerSession(mail::Store& store, ServerConfig config, Time now)
    : store_(&store), config_(std::move(config)), last_activity_(now) {
  timestamp_ = config_.apop_timestamp.empty()
                   ? "<" + std::to_string(config_.session_id) + "." + std::to_string(now) + "@" +
                         config_.hostname + ">"
                   : config_.apop_timestamp;
  ok(config_.greeting + " " + timestamp_);
}

std::unique_ptr<ServerSession> ServerSession::clone(mail::Store& store) const {
  // A member-wise copy, so that no member is forgotten; only the pointers into the store change.
  std::unique_ptr<ServerSession> s(new ServerSession(*this));
  s->store_ = &store;
  if (account_) s->account_ = store.find_account(account_->address());
  return s;
}

ServerSession::~ServerSession() {
  if (account_) store_->unlock_maildrop(*account_);
}

std::string ServerSession::actor() const { return "pop3 #" + std::to_string(config_.session_id); }

void ServerSession::receive(std::string_view bytes, Time now) {
  if (closed() || awaiting_tls_) return;  // after STLS, plaintext is never acted on
  last_activity_ = now;
  in_.append(bytes);
  process();
}

void ServerSession::tls_established(Time now) {
  if (!awaiting_tls_) return;
  awaiting_tls_ = false;
  config_.tls_active = true;
  last_activity_ = now;
}

void ServerSession::connection_lost(Time) {
  if (!closed()) close();
}

void ServerSession::tick(Time now) {
  // RFC 1939 section 3: an autologout closes without entering UPDATE and without a response.
  if (!closed() && now >= deadline()) close();
}

void ServerSession::process() {
  while (!closed() && !awaiting_tls_) {
    const auto line = in_.next(sasl_pending_ ? kMaxSaslLine : kMaxCommandLine);
    if (!line) break;
    if (line->too_long) {
      sasl_pending_ = false;
      err("Line too long: a command is at most 255 octets (RFC 2449)");
    } else if (sasl_pending_) {
      handle_sasl_response(line->text);
    } else {
      handle_line(line->text);
    }
  }
  if (awaiting_tls_) in_.drop_buffered();
}

// command = keyword *(SP argument) CRLF    (RFC 1939 section 3; keyword case-insensitive)
void ServerSession::handle_line(std::string_view line) {
  const auto space = line.find(' ');
  const std::string_view keyword = line.substr(0, space);
  const std::string_view args = space == std::string_view::npos ? "" : line.substr(space + 1);
  const CommandInfo* cmd = find_command(keyword);
  if (!cmd) {
    err(keyword.empty() ? "Empty command" : "Unknown command: " + printable(keyword.substr(0, 40)));
    return;
  }
  if (!(cmd->states & in(state_))) {
    err(std::string(cmd->name) + " is not allowed in the " + to_string(state_) + " state");
    return;
  }
  switch (cmd->verb) {
    case Verb::User: return cmd_user(args);
    case Verb::Pass: return cmd_pass(args);
    case Verb::Apop: return cmd_apop(args);
    case Verb::Auth: return cmd_auth(args);
    case Verb::Capa: return cmd_capa(args);
    case Verb::Stls: return cmd_stls(args);
    case Verb::Stat: return cmd_stat(args);
    case Verb::List: return cmd_list(args, false);
    case Verb::Uidl: return cmd_list(args, true);
    case Verb::Top: return cmd_top(args);
    case Verb::Retr: return cmd_retr(args);
    case Verb::Dele: return cmd_dele(args);
    case Verb::Noop: return cmd_noop(args);
    case Verb::Rset: return cmd_rset(args);
    case Verb::Quit: return cmd_quit(args);
  }
}

// --- AUTHORIZATION ---------------------------------------------------------------------------

namespace {
constexpr std::string_view kPlaintextDisallowed =
    "[AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
}  // namespace

void ServerSession::cmd_user(std::string_view args) {
  if (plaintext_refused()) return err(kPlaintextDisallowed);
  args = trim(args);
  if (args.empty()) return err("USER needs a mailbox name");
  // Same answer whether or not the mailbox exists, so USER does not reveal which exist.
  user_ = std::string(args);
  ok("Send PASS");
}

void ServerSession::cmd_pass(std::string_view args) {
  // PASS takes the rest of the line: a password may contain spaces (RFC 1939 section 7).
  if (plaintext_refused()) return err(kPlaintextDisallowed);
  if (user_.empty()) return err("Send USER first");
  std::string user = std::exchange(user_, {});
  login(user, args);
}

// apop = "APOP" SP name SP digest    (digest: 32 lower-case hex digits)
void ServerSession::cmd_apop(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 2 || words[1].size() != 32) return err("Usage: APOP name digest");
  mail::Account* account = store_->find_account(words[0]);
  if (!account || !iequals(apop_digest(timestamp_, account->password()), words[1]))
    return auth_failed(words[0]);
  login(words[0], {}, true);
}

// auth = "AUTH" [SP mechanism [SP initial-response]]    (RFC 5034 section 4)
void ServerSession::cmd_auth(std::string_view args) {
  auto words = split_words(args);
  if (words.empty()) {
    // The pre-RFC 5034 convention many clients still probe with: list the mechanisms.
    ok("Supported mechanisms follow");
    out_ += plaintext_refused() ? ".\r\n" : "PLAIN\r\n.\r\n";
    return;
  }
  if (!iequals(words[0], "PLAIN")) return err("Unsupported authentication mechanism");
  if (plaintext_refused()) return err("[AUTH] Plaintext authentication disabled.");
  if (words.size() > 2) return err("Usage: AUTH PLAIN [initial-response]");
  if (words.size() == 2) return handle_sasl_response(words[1] == "=" ? "" : words[1]);
  sasl_pending_ = true;
  out_ += "+ \r\n";
}

// message = [authzid] UTF8NUL authcid UTF8NUL passwd    (RFC 4616 section 2), in base64
void ServerSession::handle_sasl_response(std::string_view line) {
  sasl_pending_ = false;
  if (line == "*") return err("Authentication cancelled");
  auto decoded = base64_decode(line);
  if (!decoded) return err("Invalid base64 in the AUTH response");
  const auto nul1 = decoded->find('\0');
  const auto nul2 = nul1 == std::string::npos ? nul1 : decoded->find('\0', nul1 + 1);
  if (nul2 == std::string::npos) return err("Malformed PLAIN response");
  std::string_view authzid(decoded->data(), nul1);
  std::string_view authcid(decoded->data() + nul1 + 1, nul2 - nul1 - 1);
  std::string_view password(decoded->data() + nul2 + 1, decoded->size() - nul2 - 1);
  if (!authzid.empty() && !iequals(authzid, authcid)) return auth_failed(authcid);
  login(authcid, password);
}

void ServerSession::login(std::string_view user, std::string_view password,
                          bool password_ok_already) {
  mail::Account* account = store_->find_account(user);
  if (!account || (!password_ok_already && account->password() != password))
    return auth_failed(user);
  if (!store_->lock_maildrop(*account))
    return err("[IN-USE] Mailbox is locked by another POP3 session");
  account_ = account;
  login_name_ = std::string(user);
  const mail::Folder& inbox = account->inbox();
  entries_.clear();
  entries_.reserve(inbox.count());
  for (const mail::Entry& e : inbox.messages())
    entries_.push_back({e.uid, e.message->size(), mail::Store::pop3_unique_id(inbox, e.uid)});
  set_state(State::Transaction);
  events_.push_back({ServerEvent::Kind::LoggedIn, state_, account->address()});
  auto [count, octets] = totals();
  ok(login_name_ + "'s maildrop has " + messages(count) + " (" + std::to_string(octets) +
     " octets)");
}

void ServerSession::auth_failed(std::string_view user) {
  events_.push_back({ServerEvent::Kind::AuthFailed, state_, std::string(user)});
  err("[AUTH] Authentication failed");
}

void ServerSession::cmd_capa(std::string_view) {
  ok("Capability list follows");
  out_ += "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n";
  if (state_ == State::Authorization) {
    // Without plaintext authentication Dovecot lists no USER and an empty SASL before STLS.
    out_ += plaintext_refused() ? "SASL\r\n" : "USER\r\nSASL PLAIN\r\n";
    if (config_.tls_available && !config_.tls_active) out_ += "STLS\r\n";
  }
  out_ += "IMPLEMENTATION Postino\r\n.\r\n";
}

void ServerSession::cmd_stls(std::string_view) {
  if (config_.tls_active) return err("Command not permitted when TLS active");
  if (!config_.tls_available) return err("STLS is not available on this connection");
  ok("Begin TLS negotiation now");
  awaiting_tls_ = true;
  events_.push_back({ServerEvent::Kind::StartTls, state_, {}});
}

// --- TRANSACTION -----------------------------------------------------------------------------

std::pair<std::size_t, std::uint64_t> ServerSession::totals() const {
  std::size_t count = 0;
  std::uint64_t octets = 0;
  for (const Entry& e : entries_) {
    if (e.deleted) continue;
    ++count;
    octets += e.size;
  }
  return {count, octets};
}

// msg = 1*DIGIT, a message number of this session that is not marked deleted
ServerSession::Entry* ServerSession::message_arg(std::string_view word) {
  auto n = parse_decimal(word);
  if (!n) {
    err("Invalid message number: " + printable(word.substr(0, 20)));
    return nullptr;
  }
  if (*n == 0 || *n > entries_.size()) {
    err("No such message, only " + std::to_string(entries_.size()) + " in maildrop");
    return nullptr;
  }
  Entry& e = entries_[*n - 1];
  if (e.deleted) {
    err("Message " + std::to_string(*n) + " already deleted");
    return nullptr;
  }
  return &e;
}

const mail::Entry* ServerSession::stored(const Entry& e) {
  const mail::Entry* m = account_->inbox().find(e.uid);
  if (!m) err("That message was removed from the server by another session");
  return m;
}

void ServerSession::cmd_stat(std::string_view args) {
  if (!trim(args).empty()) return err("STAT takes no arguments");
  auto [count, octets] = totals();
  ok(std::to_string(count) + " " + std::to_string(octets));
}

// list = "LIST" [SP msg]; uidl = "UIDL" [SP msg]
void ServerSession::cmd_list(std::string_view args, bool uidl) {
  auto words = split_words(args);
  if (words.size() > 1) return err("Too many arguments");
  auto value = [uidl](const Entry& e) { return uidl ? e.uidl : std::to_string(e.size); };
  if (words.size() == 1) {
    Entry* e = message_arg(words[0]);
    if (!e) return;
    return ok(std::string(words[0]) + " " + value(*e));
  }
  if (uidl) {
    ok();
  } else {
    auto [count, octets] = totals();
    ok(messages(count) + " (" + std::to_string(octets) + " octets)");
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].deleted) continue;
    out_ += std::to_string(i + 1) + " " + value(entries_[i]) + "\r\n";
  }
  out_ += ".\r\n";
}

// top = "TOP" SP msg SP n
void ServerSession::cmd_top(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 2) return err("Usage: TOP msg lines");
  auto lines = parse_decimal(words[1]);
  if (!lines) return err("Invalid line count: " + printable(words[1].substr(0, 20)));
  Entry* e = message_arg(words[0]);
  if (!e) return;
  const mail::Entry* m = stored(*e);
  if (!m) return;
  std::string_view body = m->message->body();
  std::size_t end = 0;
  for (std::uint64_t i = 0; i < *lines && end < body.size(); ++i) {
    auto eol = body.find("\r\n", end);
    end = eol == std::string_view::npos ? body.size() : eol + 2;
  }
  ok();
  // The header, the empty line that ends it (added when the message has no body), n lines.
  std::string text(m->message->header_section());
  if (text.empty()) text = "\r\n";
  else if (text != "\r\n" && !text.ends_with("\r\n\r\n"))
    text += text.ends_with("\r\n") ? "\r\n" : "\r\n\r\n";
  text += body.substr(0, end);
  append_dot_stuffed(out_, text);
}

void ServerSession::cmd_retr(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 1) return err("Usage: RETR msg");
  Entry* e = message_arg(words[0]);
  if (!e) return;
  const mail::Entry* m = stored(*e);
  if (!m) return;
  e->retrieved = true;
  ok(std::to_string(e->size) + " octets");
  const std::string& text = m->message->text();
  // Without a line to stuff the octets go out as stored: the world's trace shares them.
  if (text.ends_with("\r\n") && !text.starts_with('.') && text.find("\n.") == std::string::npos)
    shared_.push_back({out_.size(), text, m->message});
  append_dot_stuffed(out_, text);
}

void ServerSession::cmd_dele(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 1) return err("Usage: DELE msg");
  Entry* e = message_arg(words[0]);
  if (!e) return;
  e->deleted = true;
  ok("message " + std::string(words[0]) + " deleted");
}

void ServerSession::cmd_noop(std::string_view) { ok(); }

void ServerSession::cmd_rset(std::string_view) {
  for (Entry& e : entries_) e.deleted = false;
  auto [count, octets] = totals();
  ok("maildrop has " + messages(count) + " (" + std::to_string(octets) + " octets)");
}

void ServerSession::cmd_quit(std::string_view) {
  const std::string bye = config_.hostname + " POP3 server signing off";
  if (state_ == State::Authorization) {
    ok(bye);
    return close();
  }
  set_state(State::Update);
  update();
  const std::size_t left = account_->inbox().count();
  ok(bye + (left == 0 ? " (maildrop empty)" : " (" + messages(left) + " left)"));
  close();
}

// --- UPDATE ----------------------------------------------------------------------------------

void ServerSession::update() {
  mail::Folder& inbox = account_->inbox();
  const std::string who = actor();
  for (const Entry& e : entries_) {
    // Like Dovecot, a message downloaded but kept on the server counts as read from now on.
    if (e.retrieved && !e.deleted) {
      if (const mail::Entry* m = inbox.find(e.uid); m && !(m->flags & mail::kSeen))
        store_->set_flags(*account_, inbox, e.uid, m->flags | mail::kSeen, who);
    }
  }
  for (const Entry& e : entries_)
    if (e.deleted) store_->expunge(*account_, inbox, e.uid, who);  // gone already: fine
}

void ServerSession::close() {
  if (account_) {
    store_->unlock_maildrop(*account_);
    account_ = nullptr;
  }
  set_state(State::Closed);
  events_.push_back({ServerEvent::Kind::Closed, state_, {}});
}

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

void ServerSession::ok(std::string_view text) {
  out_ += "+OK";
  if (!text.empty()) {
    out_ += ' ';
    out_ += text;
  }
  out_ += "\r\n";
}

void ServerSession::err(std::string_view text) {
  out_ += "-ERR ";
  out_ += text;
  out_ += "\r\n";
}

}  // namespace postino::pop3
