#include "sim/pop3/client.hpp"

#include <algorithm>

#include "sim/core/base64.hpp"
#include "sim/core/text.hpp"
#include "sim/pop3/wire.hpp"

namespace postino::pop3 {

using Problem = ClientEvent::Problem;

Client::Client(ClientConfig config) : config_(std::move(config)) {}

void Client::connect(Time now, bool tls) {
  now_ = now;
  tls_ = tls;
  step_ = Step::Greeting;
  hanging_up_ = false;
  in_.clear();
  collecting_ = false;
  capabilities_.clear();
  server_uidls_.clear();
  actions_.clear();
  deleted_this_session_.clear();
  downloaded_ = 0;
}

void Client::forget_everything() {
  record_.clear();
  local_deletes_.clear();
}

void Client::receive(std::string_view bytes, Time now) {
  now_ = now;
  if (step_ == Step::Idle) return;
  in_.append(bytes);
  std::size_t pos = 0;
  while (step_ != Step::Idle && step_ != Step::AwaitTls) {
    const std::size_t lf = in_.find('\n', pos);
    if (lf == std::string::npos) break;
    std::string_view line(in_.data() + pos, lf - pos);
    pos = lf + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (collecting_) {
      if (line == ".") {
        collecting_ = false;
        on_response(true, status_);
      } else {
        body_ += dot_unstuff(line);
        body_ += "\r\n";
      }
      continue;
    }
    const bool ok = line.starts_with("+OK");
    if (ok && expects_multiline()) {
      collecting_ = true;
      status_ = std::string(line);
      body_.clear();
      continue;
    }
    on_response(ok, std::string(line));
  }
  in_.erase(0, pos);
}

bool Client::expects_multiline() const {
  return step_ == Step::Capa || step_ == Step::List || step_ == Step::Uidl || step_ == Step::Retr;
}

void Client::send(Step step, std::string_view line) {
  step_ = step;
  out_ += line;
  out_ += "\r\n";
}

void Client::on_response(bool ok, std::string_view status) {
  // Hanging up: QUIT now, but keep what a RETR or DELE just brought (QUIT makes the DELE real).
  if (hanging_up_ && step_ != Step::Quit && step_ != Step::Stls && step_ != Step::Retr && step_ != Step::Dele &&
      step_ != Step::Idle && step_ != Step::AwaitTls)
    return quit();
  switch (step_) {
    case Step::Greeting:
      if (!ok) return fail(Problem::Refused, status);
      timestamp_ = std::string(apop_timestamp(status));
      return send(Step::Capa, "CAPA");
    case Step::Capa:
      // An old server without CAPA (-ERR) has no capabilities we can rely on.
      capabilities_.clear();
      if (ok) {
        std::size_t p = 0;
        while (p < body_.size()) {
          auto eol = body_.find("\r\n", p);
          capabilities_.push_back(upper(std::string_view(body_).substr(p, eol - p)));
          p = eol + 2;
        }
      }
      if (config_.use_stls && !tls_) {
        if (std::find(capabilities_.begin(), capabilities_.end(), "STLS") == capabilities_.end())
          return fail(Problem::TlsNotOffered);
        return send(Step::Stls, "STLS");
      }
      return start_auth();
    case Step::Stls:
      if (!ok) return fail(Problem::TlsRefused, status, "STLS");
      step_ = Step::AwaitTls;
      events_.push_back({.kind = ClientEvent::Kind::StartTls});
      return;
    case Step::User:
      if (!ok) return auth_result(false, status);
      return send(Step::Pass, "PASS " + config_.password);
    case Step::Pass:
    case Step::Apop:
    case Step::AuthPlain:
      return auth_result(ok, status);
    case Step::Stat: {
      auto words = split_words(status);
      auto count = words.size() >= 2 && ok ? parse_decimal(words[1]) : std::nullopt;
      if (!count) return fail(Problem::Unexpected, status, "STAT");
      if (*count == 0) {
        record_.clear();  // the server has nothing: every remembered UIDL is gone
        return quit();
      }
      return send(Step::List, "LIST");
    }
    case Step::List:
      if (!ok) return fail(Problem::CommandFailed, status, "LIST");
      return send(Step::Uidl, "UIDL");
    case Step::Uidl: {
      if (!ok)
        return fail(Problem::NoUidl, status, "UIDL");
      server_uidls_.clear();
      std::size_t p = 0;
      while (p < body_.size()) {
        auto eol = body_.find("\r\n", p);
        auto words = split_words(std::string_view(body_).substr(p, eol - p));
        p = eol + 2;
        if (words.size() != 2 || !parse_decimal(words[0])) continue;
        server_uidls_[*parse_decimal(words[0])] = std::string(words[1]);
      }
      plan();
      return next_action();
    }
    case Step::Retr:
      if (!ok) {
        fail(Problem::CommandFailed, status, "RETR " + std::to_string(current_.n));
        // Never delete what we could not download.
        std::erase_if(actions_, [&](const Action& a) { return !a.retr && a.n == current_.n; });
        return next_action();
      }
      record_.emplace(current_.uidl, now_);
      ++downloaded_;
      events_.push_back({.kind = ClientEvent::Kind::Downloaded, .uidl = current_.uidl, .message = mail::make_message(body_)});
      return next_action();
    case Step::Dele:
      if (ok) deleted_this_session_.push_back(current_.uidl);
      else fail(Problem::CommandFailed, status, "DELE " + std::to_string(current_.n));
      return next_action();
    case Step::Quit:
      if (ok) {
        // Only now, after UPDATE, are the deletions real (RFC 1939 section 6).
        for (const std::string& uidl : deleted_this_session_) {
          record_.erase(uidl);
          local_deletes_.erase(uidl);
          events_.push_back({.kind = ClientEvent::Kind::Deleted, .uidl = uidl});
        }
      } else {
        events_.push_back({ClientEvent::Kind::Error, {}, nullptr, Problem::QuitFailed, std::string(status), "QUIT"});
      }
      return finish();
    case Step::Idle:
    case Step::AwaitTls:
      return fail(Problem::Unexpected, printable(status));
  }
}

void Client::start_auth() {
  const bool has_plain = std::any_of(capabilities_.begin(), capabilities_.end(), [](auto& c) {
    auto words = split_words(c);
    return words.size() >= 2 && words[0] == "SASL" &&
           std::find(words.begin() + 1, words.end(), "PLAIN") != words.end();
  });
  using Auth = ClientConfig::Auth;
  if (config_.auth == Auth::Plain || (config_.auth == Auth::Best && has_plain)) {
    std::string plain;
    plain += '\0';
    plain += config_.user;
    plain += '\0';
    plain += config_.password;
    return send(Step::AuthPlain, "AUTH PLAIN " + base64_encode(plain));
  }
  if (config_.auth == Auth::Apop) {
    if (timestamp_.empty())
      return fail(Problem::NoApop, {}, "APOP");
    return send(Step::Apop,
                "APOP " + config_.user + " " + apop_digest(timestamp_, config_.password));
  }
  send(Step::User, "USER " + config_.user);
}

void Client::auth_result(bool ok, std::string_view status) {
  if (ok) return send(Step::Stat, "STAT");
  // USER is refused before any password check only when the server takes no password in clear
  // (its CAPA listed no USER): say so rather than "wrong password".
  const bool capa_lacks_user =
      std::find(capabilities_.begin(), capabilities_.end(), "USER") == capabilities_.end();
  if (step_ == Step::User && !tls_ && !capabilities_.empty() && capa_lacks_user)
    return fail(Problem::PlaintextDisabled, status, "USER");
  const std::string_view code = response_code(status);
  if (code == "IN-USE")
    return fail(Problem::MailboxInUse, status);
  fail(Problem::AuthFailed, status);
}

void Client::plan() {
  actions_.clear();
  // Forget what the server no longer has (it was deleted, by us or by anyone else).
  std::set<std::string> on_server;
  for (const auto& [n, uidl] : server_uidls_) on_server.insert(uidl);
  std::erase_if(record_, [&](const auto& kv) { return !on_server.contains(kv.first); });
  std::erase_if(local_deletes_, [&](const auto& u) { return !on_server.contains(u); });

  for (const auto& [n, uidl] : server_uidls_) {
    auto seen = record_.find(uidl);
    if (seen == record_.end()) {
      actions_.push_back({true, n, uidl});
      if (!config_.leave_on_server) actions_.push_back({false, n, uidl});
      continue;
    }
    bool dele = false;
    if (!config_.leave_on_server) {
      dele = true;  // left over from a session that ended before QUIT
    } else if (config_.keep_days > 0 && now_ - seen->second >= config_.keep_days * kDay) {
      dele = true;
    } else if (config_.delete_when_deleted_locally && local_deletes_.contains(uidl)) {
      dele = true;
    }
    if (dele) actions_.push_back({false, n, uidl});
  }
}

void Client::next_action() {
  if (actions_.empty() || hanging_up_) return quit();
  current_ = actions_.front();
  actions_.pop_front();
  send(current_.retr ? Step::Retr : Step::Dele,
       std::string(current_.retr ? "RETR " : "DELE ") + std::to_string(current_.n));
}

void Client::quit() { send(Step::Quit, "QUIT"); }

std::vector<session::ClientNews> Client::take_news() {
  using N = session::ClientNews::Kind;
  std::vector<session::ClientNews> news;
  for (ClientEvent& e : take_events()) {
    switch (e.kind) {
      case ClientEvent::Kind::Downloaded: news.push_back({N::Downloaded, std::move(e.uidl), std::move(e.message)}); break;
      case ClientEvent::Kind::Deleted: news.push_back({N::DeletedOnServer, std::move(e.uidl)}); break;
      case ClientEvent::Kind::StartTls: news.push_back({N::StartTls}); break;
      case ClientEvent::Kind::Error:
        news.push_back({N::Error, {}, {}, e.problem, std::move(e.command), std::move(e.text)});
        break;
      case ClientEvent::Kind::Finished: break;  // a summary for tests and benchmarks
    }
  }
  return news;
}

void Client::fail(Problem problem, std::string_view reply, std::string command) {
  events_.push_back({ClientEvent::Kind::Error, {}, nullptr, problem, std::string(reply), std::move(command)});
  // Mid-session failures (a RETR refused) carry on; session-level ones end politely with QUIT.
  if (problem == Problem::CommandFailed && (step_ == Step::Retr || step_ == Step::Dele)) return;
  if (step_ == Step::Quit) return finish();
  quit();
}

void Client::connection_lost(Time now) {
  now_ = now;
  if (step_ == Step::Idle) return;
  if (step_ != Step::Quit || !deleted_this_session_.empty())
    events_.push_back({ClientEvent::Kind::Error, {}, nullptr, Problem::ConnectionLost, {}});
  deleted_this_session_.clear();
  finish();
}

void Client::tls_established(Time now) {
  now_ = now;
  if (step_ != Step::AwaitTls) return;
  tls_ = true;
  in_.clear();  // nothing sent in plaintext after STLS is trusted
  // Capabilities learnt before TLS must not be trusted (RFC 2595 section 4).
  send(Step::Capa, "CAPA");
}

void Client::finish() {
  step_ = Step::Idle;
  collecting_ = false;
  events_.push_back({.kind = ClientEvent::Kind::Finished,
                     .text = std::to_string(downloaded_) + " downloaded, " +
                             std::to_string(deleted_this_session_.size()) + " deleted"});
}

}  // namespace postino::pop3
