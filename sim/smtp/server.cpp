#include "sim/smtp/server.hpp"

#include <algorithm>
#include <cassert>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"
#include "sim/smtp/wire.hpp"

namespace postino::smtp {
namespace {

// What a reply echoes of the client's words: printable and short.
std::string echo(std::string_view s) { return printable(s.substr(0, 100)); }

}  // namespace

ServerSession::ServerSession(mail::Store& store, ServerConfig config, Time now)
    : store_(&store), config_(std::move(config)), now_(now), last_activity_(now) {
  reply(220, {}, config_.hostname + " ESMTP Postino");
}

std::unique_ptr<session::Server> ServerSession::copy_onto(mail::Store& store) const {
  // A member-wise copy, so that no member is forgotten; the account is kept by its address.
  auto s = std::make_unique<ServerSession>(*this);
  s->store_ = &store;
  return s;
}

std::string ServerSession::actor() const { return "smtp #" + std::to_string(config_.session_id); }

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
  // RFC 3207 section 4.2: forget what the client said before; it starts again with EHLO.
  helo_.clear();
  extended_ = false;
  set_state(State::Connected);
}

void ServerSession::connection_lost(Time now) {
  now_ = now;
  if (!closed()) close();
}

void ServerSession::tick(Time now) {
  if (closed() || now < deadline()) return;
  now_ = now;
  reply(421, "4.4.2", config_.hostname + " Error: timeout exceeded");
  close();
}

void ServerSession::process() {
  while (!closed() && !awaiting_tls_) {
    const auto line = in_.next(state_ == State::Data    ? kMaxTextLine
                               : sasl_ != Sasl::None ? kMaxSaslLine
                                                     : kMaxCommandLine);
    if (!line) break;
    if (state_ == State::Data) {
      handle_data_line(line->text, line->too_long);
    } else if (line->too_long) {
      sasl_ = Sasl::None;
      reply(500, "5.5.2", "Line too long: a command is at most 512 octets (RFC 5321 section 4.5.3.1.4)");
    } else if (sasl_ != Sasl::None) {
      handle_sasl_response(line->text);
    } else {
      handle_line(line->text);
    }
  }
  if (awaiting_tls_) in_.drop_buffered();
}

// command = verb [SP parameters] CRLF    (RFC 5321 section 4.1.1; verb case-insensitive)
void ServerSession::handle_line(std::string_view line) {
  const auto space = line.find(' ');
  const std::string_view verb = line.substr(0, space);
  const std::string_view args = space == std::string_view::npos ? "" : line.substr(space + 1);
  const CommandInfo* cmd = find_command(verb);
  if (!cmd) {
    if (verb.empty()) return reply(500, "5.5.2", "Error: empty command");
    return reply(502, "5.5.2", "Error: command not recognized: " + echo(verb.substr(0, 40)));
  }
  if (!(cmd->states & in(state_))) {
    const bool transaction = state_ == State::Mail || state_ == State::Rcpt;
    const std::string name(cmd->name);
    if (state_ == State::Connected) return reply(503, "5.5.1", "Error: send EHLO first");
    if (cmd->verb == Verb::Mail) return reply(503, "5.5.1", "Error: nested MAIL command");
    if (transaction) return reply(503, "5.5.1", "Error: " + name + " is not allowed during a mail transaction");
    if (cmd->verb == Verb::Starttls) return reply(503, "5.5.1", "Error: STARTTLS is not allowed after AUTH");
    return reply(503, "5.5.1", "Error: need MAIL command");
  }
  switch (cmd->verb) {
    case Verb::Ehlo: return cmd_ehlo(args, true);
    case Verb::Helo: return cmd_ehlo(args, false);
    case Verb::Starttls: return cmd_starttls(args);
    case Verb::Auth: return cmd_auth(args);
    case Verb::Mail: return cmd_mail(args);
    case Verb::Rcpt: return cmd_rcpt(args);
    case Verb::Data: return cmd_data(args);
    case Verb::Rset: return cmd_rset(args);
    case Verb::Noop: return reply(250, "2.0.0", "Ok");
    case Verb::Quit: return cmd_quit(args);
  }
}

// ehlo = "EHLO" SP ( Domain / address-literal ); helo = "HELO" SP Domain
void ServerSession::cmd_ehlo(std::string_view args, bool extended) {
  const auto words = split_words(args);
  if (words.size() != 1) return reply(501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
  // RFC 5321 section 4.1.4: a new hello abandons the transaction, as RSET does.
  reset_transaction();
  set_state(state_ == State::Connected ? State::Ready : idle_state());
  helo_ = echo(words[0]);
  extended_ = extended;
  if (!extended) return reply(250, {}, config_.hostname);
  std::vector<std::string> lines{config_.hostname + " Hello " + helo_, "PIPELINING",
                                 "SIZE " + std::to_string(config_.max_message_size)};
  const bool tls_possible = config_.tls_available && !config_.tls_active;
  if (tls_possible) lines.push_back("STARTTLS");
  // Like Postfix's smtpd_tls_auth_only: no password in clear where TLS could protect it.
  if (!tls_possible) lines.push_back("AUTH PLAIN LOGIN");
  lines.push_back("ENHANCEDSTATUSCODES");
  lines.push_back("8BITMIME");
  for (std::size_t i = 0; i < lines.size(); ++i)
    out_ += "250" + std::string(i + 1 < lines.size() ? "-" : " ") + lines[i] + "\r\n";
}

void ServerSession::cmd_starttls(std::string_view args) {
  if (!args.empty()) return reply(501, "5.5.4", "Syntax: STARTTLS");
  if (config_.tls_active) return reply(554, "5.5.1", "Error: TLS already active");
  if (!config_.tls_available) return reply(454, "4.7.0", "TLS not available on this connection");
  reply(220, "2.0.0", "Ready to start TLS");
  awaiting_tls_ = true;
  events_.push_back({ServerEvent::Kind::StartTls, state_, {}, nullptr});
}

// auth = "AUTH" SP sasl-mech [SP initial-response]    (RFC 4954 section 4)
void ServerSession::cmd_auth(std::string_view args) {
  if (!extended_) return reply(503, "5.5.1", "Error: send EHLO first (AUTH is an ESMTP extension)");
  if (!account_.empty()) return reply(503, "5.5.1", "Error: already authenticated");
  if (config_.tls_available && !config_.tls_active)
    return reply(530, "5.7.0", "Must issue a STARTTLS command first");
  const auto words = split_words(args);
  if (words.empty() || words.size() > 2) return reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
  const bool plain = iequals(words[0], "PLAIN");
  if (!plain && !iequals(words[0], "LOGIN")) return reply(504, "5.5.4", "Unrecognized authentication type");
  if (words.size() == 2) {
    sasl_ = plain ? Sasl::Plain : Sasl::LoginUser;
    // RFC 4954 section 4: "=" is an initial response of zero length.
    return handle_sasl_response(words[1] == "=" ? "" : words[1]);
  }
  sasl_ = plain ? Sasl::Plain : Sasl::LoginUser;
  // The LOGIN mechanism's prompts are "Username:" and "Password:" in base64.
  out_ += plain ? "334 \r\n" : "334 VXNlcm5hbWU6\r\n";
}

// PLAIN: message = [authzid] UTF8NUL authcid UTF8NUL passwd (RFC 4616 section 2), in base64.
// LOGIN: the user name, then the password, each in base64 (draft-murchison-sasl-login).
void ServerSession::handle_sasl_response(std::string_view line) {
  const Sasl step = std::exchange(sasl_, Sasl::None);
  if (line == "*") return reply(501, "5.7.0", "Authentication aborted");
  auto decoded = base64_decode(line);
  if (!decoded) return reply(501, "5.5.2", "Cannot decode the response: it is not base64");
  if (step == Sasl::LoginUser) {
    sasl_user_ = std::move(*decoded);
    sasl_ = Sasl::LoginPassword;
    out_ += "334 UGFzc3dvcmQ6\r\n";
    return;
  }
  if (step == Sasl::LoginPassword) return login({}, std::exchange(sasl_user_, {}), *decoded);
  const auto nul1 = decoded->find('\0');
  const auto nul2 = nul1 == std::string::npos ? nul1 : decoded->find('\0', nul1 + 1);
  if (nul2 == std::string::npos) return reply(501, "5.5.2", "Malformed PLAIN response");
  const std::string_view d(*decoded);
  login(d.substr(0, nul1), d.substr(nul1 + 1, nul2 - nul1 - 1), d.substr(nul2 + 1));
}

void ServerSession::login(std::string_view authzid, std::string_view user, std::string_view password) {
  const mail::Account* account = store_->find_account(user);
  const bool as_self = authzid.empty() || iequals(authzid, user) || (account && iequals(authzid, account->address()));
  if (!account || account->password() != password || !as_self) {
    events_.push_back({ServerEvent::Kind::AuthFailed, state_, std::string(user), nullptr});
    return reply(535, "5.7.8", "Error: authentication failed");
  }
  account_ = account->address();
  set_state(State::Authenticated);
  events_.push_back({ServerEvent::Kind::LoggedIn, state_, account_, nullptr});
  reply(235, "2.7.0", "Authentication successful");
}

void ServerSession::cmd_mail(std::string_view args) {
  if (account_.empty() && config_.require_auth) return reply(530, "5.7.0", "Authentication required");
  auto path = parse_path_argument(args, "FROM:");
  if (!path) return reply(501, "5.5.4", "Syntax: MAIL FROM:<address>");
  if (!path->address.empty() && !is_mailbox(path->address))
    return reply(501, "5.1.7", "Bad sender address syntax");
  for (const auto& [keyword, value] : path->params) {
    if (keyword == "SIZE") {  // RFC 1870: the client's estimate, refused early when too big
      auto size = parse_decimal(value);
      if (!size) return reply(501, "5.5.4", "Bad SIZE value");
      if (*size > config_.max_message_size)
        return reply(552, "5.3.4", "Message size exceeds fixed limit of " + std::to_string(config_.max_message_size) + " octets");
    } else if (keyword == "BODY") {  // RFC 6152
      if (!iequals(value, "7BIT") && !iequals(value, "8BITMIME")) return reply(501, "5.5.4", "Bad BODY value");
    } else if (keyword != "AUTH") {  // RFC 4954 section 5: AUTH=<> is allowed and ignored here
      return reply(555, "5.5.4", "Unsupported option: " + echo(keyword));
    }
  }
  // Like a hosting provider's submission server: a user sends only as themselves.
  if (!account_.empty() && !path->address.empty() && !iequals(path->address, account_))
    return reply(553, "5.7.1", "<" + echo(path->address) + ">: Sender address rejected: not owned by user " + account_);
  sender_ = path->address;
  set_state(State::Mail);
  reply(250, "2.1.0", "Ok");
}

void ServerSession::cmd_rcpt(std::string_view args) {
  auto path = parse_path_argument(args, "TO:");
  if (!path) return reply(501, "5.5.4", "Syntax: RCPT TO:<address>");
  if (!is_mailbox(path->address)) return reply(501, "5.1.3", "Bad recipient address syntax");
  if (!path->params.empty()) return reply(555, "5.5.4", "Unsupported option: " + echo(path->params[0].first));
  const std::string& to = path->address;
  const std::string shown = "<" + echo(to) + ">";
  const bool local = iequals(domain_of(to), store_->domain()) || store_->find_account(to);
  if (local && !store_->find_account(to))
    return reply(550, "5.1.1", shown + ": Recipient address rejected: User unknown in this domain");
  // A server that lets anyone send anywhere is an open relay, a spammer's tool.
  if (!local && account_.empty()) return reply(554, "5.7.1", shown + ": Relay access denied");
  const bool again = std::any_of(recipients_.begin(), recipients_.end(), [&](const std::string& r) { return iequals(r, to); });
  if (!again) {
    if (recipients_.size() >= config_.max_recipients) return reply(452, "4.5.3", "Error: too many recipients");
    recipients_.push_back(to);
  }
  set_state(State::Rcpt);
  reply(250, "2.1.5", "Ok");
}

void ServerSession::cmd_data(std::string_view args) {
  if (!args.empty()) return reply(501, "5.5.4", "Syntax: DATA");
  if (state_ != State::Rcpt) return reply(554, "5.5.1", "Error: no valid recipients");
  set_state(State::Data);
  data_.clear();
  data_too_big_ = data_line_too_long_ = false;
  reply(354, {}, "End data with <CR><LF>.<CR><LF>");
}

// RFC 5321 section 4.5.2: a line "." ends the message; a leading "." of any other line was
// added by the client and is removed.
void ServerSession::handle_data_line(std::string_view line, bool too_long) {
  if (!too_long && line == ".") return end_of_data();
  data_line_too_long_ |= too_long;
  if (data_too_big_ || data_line_too_long_) return;  // read on to the "." and refuse then
  if (line.starts_with('.')) line.remove_prefix(1);
  if (data_.size() + line.size() + 2 > config_.max_message_size) {
    data_too_big_ = true;
    data_.clear();
    return;
  }
  data_ += line;
  data_ += "\r\n";
}

void ServerSession::end_of_data() {
  set_state(idle_state());
  if (data_too_big_) {
    reply(552, "5.3.4", "Message size exceeds fixed limit of " + std::to_string(config_.max_message_size) + " octets");
  } else if (data_line_too_long_) {
    reply(500, "5.5.2", "Message refused: a line is longer than 1000 octets (RFC 5321 section 4.5.3.1.6)");
  } else {
    const std::string id = std::to_string(config_.session_id) + "-" + std::to_string(++queued_);
    // RFC 5321 section 4.4: every server that takes a message adds a Received line; the
    // "with" keyword says how (RFC 3848: ESMTP, S for TLS, A for a login).
    const std::string with = std::string(extended_ ? "ESMTP" : "SMTP") + (config_.tls_active ? "S" : "") +
                             (account_.empty() ? "" : "A");
    std::string text = "Received: from " + helo_ + " by " + config_.hostname + " (Postino) with " + with +
                       " id " + id + ";\r\n\t" + format_rfc5322_date(now_) + "\r\n";
    // RFC 6409 sections 8.2 and 8.3: a submission server may add what the client left out.
    const mail::Message submitted(data_);
    if (!submitted.header("Date")) text += "Date: " + format_rfc5322_date(now_) + "\r\n";
    if (!submitted.header("Message-ID"))
      text += "Message-ID: <" + id + "." + std::to_string(now_) + "@" + config_.hostname + ">\r\n";
    text += data_;
    deliver(mail::make_message(text));
    reply(250, "2.0.0", "Ok: queued as " + id);
  }
  reset_transaction();
}

void ServerSession::deliver(const mail::MessagePtr& message) {
  for (const std::string& to : recipients_) {
    mail::Account* account = store_->find_account(to);
    if (!account) {
      events_.push_back({ServerEvent::Kind::SentOut, state_, to, message});
      continue;
    }
    const mail::Delivery d = store_->deliver(account->address(), message, now_);
    if (d.accepted) events_.push_back({ServerEvent::Kind::Delivered, state_, account->address(), message});
    else bounce(account->address(), d.reason);
  }
}

// RFC 5321 section 6.1: a message taken but not deliverable is reported to its sender.
void ServerSession::bounce(const std::string& recipient, const std::string& reason) {
  events_.push_back({ServerEvent::Kind::Bounced, state_, recipient, nullptr});
  if (sender_.empty() || !store_->find_account(sender_)) return;  // never a report about a report
  const std::string text =
      "From: Mail Delivery System <MAILER-DAEMON@" + config_.hostname + ">\r\n"
      "To: " + sender_ + "\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\n"
      "Date: " + format_rfc5322_date(now_) + "\r\n"
      "Auto-Submitted: auto-replied\r\n"
      "\r\n"
      "This is the mail system at host " + config_.hostname + ".\r\n"
      "Your message could not be delivered to <" + recipient + ">: " + reason + ".\r\n";
  store_->deliver(sender_, mail::make_message(text), now_);
}

void ServerSession::cmd_rset(std::string_view args) {
  if (!args.empty()) return reply(501, "5.5.4", "Syntax: RSET");
  reset_transaction();
  if (state_ == State::Mail || state_ == State::Rcpt) set_state(idle_state());
  reply(250, "2.0.0", "Ok");
}

void ServerSession::cmd_quit(std::string_view) {
  reply(221, "2.0.0", config_.hostname + " closing connection");
  close();
}

void ServerSession::reset_transaction() {
  sender_.clear();
  recipients_.clear();
  data_.clear();
}

void ServerSession::close() {
  reset_transaction();
  set_state(State::Closed);
  events_.push_back({ServerEvent::Kind::Closed, state_, {}, nullptr});
}

std::vector<session::ServerNews> ServerSession::take_news() {
  std::vector<ServerEvent> events = take_events();
  std::vector<session::ServerNews> news;
  for (const ServerEvent& e : events)
    if (e.kind == ServerEvent::Kind::SentOut) news.push_back({session::ServerNews::Kind::SentOut, e.detail});
  auto common = session::news_of(std::move(events));
  news.insert(news.end(), common.begin(), common.end());
  return news;
}

void ServerSession::set_state(State s) {
  if (s == state_) return;
  // Only the moves of the diagram (transitions()). Another is a bug here: it stops a debug
  // build, and a release build (where tests run too) counts it for them to see.
  const bool known = is_transition(state_, s);
  assert(known);
  bad_transitions_ += !known;
  state_ = s;
  events_.push_back({ServerEvent::Kind::StateChanged, s, {}, nullptr});
}

// Reply-line = Reply-code [ SP [enhanced-status-code SP] textstring ] CRLF  (RFC 5321, RFC 2034)
void ServerSession::reply(int code, std::string_view enhanced, std::string_view text) {
  out_ += std::to_string(code);
  out_ += ' ';
  if (!enhanced.empty()) {
    out_ += enhanced;
    out_ += ' ';
  }
  out_ += text;
  out_ += "\r\n";
}

}  // namespace postino::smtp
