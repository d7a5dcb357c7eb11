#include "sim/smtp/client.hpp"

#include <algorithm>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"
#include "sim/pop3/wire.hpp"
#include "sim/smtp/wire.hpp"

namespace postino::smtp {

using Problem = ClientEvent::Problem;

Client::Client(ClientConfig config) : config_(std::move(config)) {}

void Client::connect(Time, bool tls) {
  tls_ = tls;
  step_ = Step::Greeting;
  leaving_ = false;
  in_.clear();
  reply_lines_.clear();
  extensions_.clear();
  sent_ = 0;
}

void Client::receive(std::string_view bytes, Time) {
  if (step_ == Step::Idle) return;
  in_.append(bytes);
  std::size_t pos = 0;
  while (step_ != Step::Idle && step_ != Step::AwaitTls) {
    const std::size_t lf = in_.find('\n', pos);
    if (lf == std::string::npos) break;
    std::string_view line(in_.data() + pos, lf - pos);
    pos = lf + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto r = parse_reply_line(line);
    if (!r) {
      fail(Problem::Unexpected, printable(line));
      continue;
    }
    reply_lines_.emplace_back(r->text);
    if (r->more) continue;
    on_reply(r->code, line);
    reply_lines_.clear();
  }
  in_.erase(0, pos);
}

void Client::send(Step step, std::string_view line) {
  step_ = step;
  out_ += line;
  out_ += "\r\n";
}

void Client::on_reply(int code, std::string_view text) {
  const bool ok = code / 100 == 2;
  if (code == 421 && step_ != Step::Quit) {  // the server is closing the connection
    events_.push_back({ClientEvent::Kind::Error, nullptr, {}, Problem::Unexpected, std::string(text), {}});
    return finish();
  }
  switch (step_) {
    case Step::Greeting:
      if (code != 220) return fail(Problem::Refused, text);
      return send(Step::Ehlo, "EHLO " + config_.hostname);
    case Step::Ehlo:
      if (!ok) return fail(Problem::Refused, text, "EHLO");
      // The first line greets; each further one names an extension (RFC 5321 section 4.1.1.1).
      extensions_.clear();
      for (std::size_t i = 1; i < reply_lines_.size(); ++i) extensions_.push_back(upper(reply_lines_[i]));
      return after_ehlo();
    case Step::StartTls:
      if (code != 220) return fail(Problem::TlsRefused, text, "STARTTLS");
      step_ = Step::AwaitTls;
      events_.push_back({.kind = ClientEvent::Kind::StartTls});
      return;
    case Step::AuthPlain:
    case Step::AuthLoginPassword:
      if (code != 235) return fail(Problem::AuthFailed, text);
      return next_message();
    case Step::AuthLoginUser:
      if (code != 334) return fail(Problem::AuthFailed, text);
      return send(Step::AuthLoginPassword, base64_encode(config_.password));
    case Step::AuthLogin:
      if (code != 334) return fail(Problem::AuthFailed, text);
      return send(Step::AuthLoginUser, base64_encode(config_.user));
    case Step::Mail:
      if (!ok) return message_failed(code, text, "MAIL FROM:<" + outbox_.front().from + ">");
      next_rcpt_ = 0;
      accepted_.clear();
      return next_recipient();
    case Step::Rcpt: {
      const std::string& to = outbox_.front().to[next_rcpt_ - 1];
      if (ok) accepted_.push_back(to);
      else events_.push_back({ClientEvent::Kind::Error, nullptr, {}, Problem::CommandFailed, std::string(text), "RCPT TO:<" + to + ">"});
      return next_recipient();
    }
    case Step::Data:
      if (code != 354) return message_failed(code, text, "DATA");
      step_ = Step::Content;
      // RFC 5321 section 4.5.2: a line that starts with "." gets one more.
      pop3::append_dot_stuffed(out_, outbox_.front().message->text());
      return;
    case Step::Content:
      if (!ok) return message_failed(code, text, "DATA");
      ++sent_;
      events_.push_back({ClientEvent::Kind::Sent, outbox_.front().message, std::move(accepted_), Problem::Unexpected, std::string(text), {}});
      accepted_.clear();
      outbox_.pop_front();
      return next_message();
    case Step::Rset:
      return next_message();
    case Step::Quit:
      return finish();
    case Step::Idle:
    case Step::AwaitTls:
      return fail(Problem::Unexpected, printable(text));
  }
}

bool Client::offers(std::string_view keyword) const {
  return std::any_of(extensions_.begin(), extensions_.end(), [&](const std::string& e) {
    auto words = split_words(e);
    return !words.empty() && words[0] == keyword;
  });
}

void Client::after_ehlo() {
  if (config_.use_starttls && !tls_) {
    if (!offers("STARTTLS")) return fail(Problem::TlsNotOffered);
    return send(Step::StartTls, "STARTTLS");
  }
  start_auth();
}

void Client::start_auth() {
  std::vector<std::string_view> mechanisms;
  for (const std::string& e : extensions_) {
    auto words = split_words(e);
    if (!words.empty() && words[0] == "AUTH") mechanisms.assign(words.begin() + 1, words.end());
  }
  auto has = [&](std::string_view m) { return std::find(mechanisms.begin(), mechanisms.end(), m) != mechanisms.end(); };
  using Auth = ClientConfig::Auth;
  const bool plain = config_.auth == Auth::Plain || (config_.auth == Auth::Best && has("PLAIN"));
  const bool login = config_.auth == Auth::Login || (config_.auth == Auth::Best && !plain && has("LOGIN"));
  if (plain) {
    std::string message;
    message += '\0';
    message += config_.user;
    message += '\0';
    message += config_.password;
    return send(Step::AuthPlain, "AUTH PLAIN " + base64_encode(message));
  }
  if (login) return send(Step::AuthLogin, "AUTH LOGIN");
  fail(Problem::CommandFailed, "the server offers no login (AUTH) on this connection", "AUTH");
}

void Client::next_message() {
  if (outbox_.empty() || leaving_) return send(Step::Quit, "QUIT");
  const Outgoing& m = outbox_.front();
  std::string line = "MAIL FROM:<" + m.from + ">";
  if (offers("SIZE")) line += " SIZE=" + std::to_string(m.message->size());
  send(Step::Mail, line);
}

void Client::next_recipient() {
  const Outgoing& m = outbox_.front();
  if (next_rcpt_ < m.to.size()) {
    send(Step::Rcpt, "RCPT TO:<" + m.to[next_rcpt_] + ">");
    ++next_rcpt_;
    return;
  }
  if (!accepted_.empty()) return send(Step::Data, "DATA");
  // Nobody to send it to: each refusal was reported; the message goes no further.
  outbox_.pop_front();
  send(Step::Rset, "RSET");
}

// A permanent refusal (5xx) drops the message, as the user was told; a temporary one (4xx)
// keeps it for the next connection.
void Client::message_failed(int code, std::string_view text, std::string command) {
  events_.push_back({ClientEvent::Kind::Error, nullptr, {}, Problem::CommandFailed, std::string(text), std::move(command)});
  accepted_.clear();
  if (code / 100 == 5) {
    outbox_.pop_front();
    return send(Step::Rset, "RSET");
  }
  send(Step::Quit, "QUIT");
}

void Client::fail(Problem problem, std::string_view reply, std::string command) {
  events_.push_back({ClientEvent::Kind::Error, nullptr, {}, problem, std::string(reply), std::move(command)});
  if (step_ == Step::Quit) return finish();
  send(Step::Quit, "QUIT");
}

void Client::tls_established(Time) {
  if (step_ != Step::AwaitTls) return;
  tls_ = true;
  in_.clear();  // nothing sent in plaintext after STARTTLS is trusted
  // RFC 3207 section 4.2: what EHLO said before TLS is forgotten; ask again.
  extensions_.clear();
  send(Step::Ehlo, "EHLO " + config_.hostname);
}

void Client::connection_lost(Time) {
  if (step_ == Step::Idle) return;
  if (step_ != Step::Quit) events_.push_back({ClientEvent::Kind::Error, nullptr, {}, Problem::ConnectionLost, {}, {}});
  finish();
}

void Client::finish() {
  step_ = Step::Idle;
  reply_lines_.clear();
  accepted_.clear();
  events_.push_back({.kind = ClientEvent::Kind::Finished,
                     .text = std::to_string(sent_) + " sent, " + std::to_string(outbox_.size()) + " waiting"});
}

std::vector<session::ClientNews> Client::take_news() {
  using N = session::ClientNews::Kind;
  std::vector<session::ClientNews> news;
  for (ClientEvent& e : take_events()) {
    switch (e.kind) {
      case ClientEvent::Kind::StartTls: news.push_back({N::StartTls}); break;
      case ClientEvent::Kind::Error: news.push_back({N::Error, {}, {}, e.problem, std::move(e.command), std::move(e.text)}); break;
      case ClientEvent::Kind::Sent:
        news.push_back({.kind = N::Sent, .message = std::move(e.message), .text = std::move(e.text), .recipients = std::move(e.recipients)});
        break;
      case ClientEvent::Kind::Finished: break;
    }
  }
  return news;
}

}  // namespace postino::smtp
