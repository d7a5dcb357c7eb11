#pragma once
// An SMTP submission server session (RFC 6409 on port 587 with STARTTLS, RFC 3207; or on 465
// with implicit TLS, RFC 8314), sans-IO: bytes in, bytes and events out. A logged-in user's
// message goes to the store when a recipient is an account here, and "to the Internet" (an event
// that says so) otherwise.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/store.hpp"
#include "sim/session/line_reader.hpp"
#include "sim/session/server.hpp"
#include "sim/smtp/states.hpp"

namespace postino::smtp {

struct ServerConfig {
  std::string hostname = "mail.tuodominio.it";
  std::uint64_t session_id = 1;
  bool tls_available = false;  // offer STARTTLS: the network layer can start TLS
  bool tls_active = false;     // already encrypted (implicit TLS, port 465)
  // RFC 6409 section 4.3: a submission server takes mail only from a logged-in user. False
  // makes it a domain's MX: anyone may send to its accounts, nobody through it elsewhere.
  bool require_auth = true;
  // The SIZE the server announces (RFC 1870) and enforces on DATA.
  std::uint64_t max_message_size = 25ull * 1024 * 1024;
  std::size_t max_recipients = 100;  // RFC 5321 section 4.5.3.1.8: at least 100
  Time timeout = 5 * kMinute;        // RFC 5321 section 4.5.3.2.7: at least 5 minutes
};

struct ServerEvent {
  enum class Kind {
    StateChanged,  // `state` is the new state
    LoggedIn,      // detail: the account address
    AuthFailed,    // detail: the login name tried; the network layer may delay the next reply
    StartTls,      // "220 Ready to start TLS" is in the output: start TLS after sending it
    Delivered,     // detail: a recipient here; the message is in its INBOX
    SentOut,       // detail: a recipient elsewhere; the message left "for the Internet"
    Bounced,       // detail: a recipient here that could not take it (a report went back)
    Closed,        // the server ends the connection once the output is sent
  };
  Kind kind;
  State state;
  std::string detail;
  mail::MessagePtr message;  // Delivered, SentOut, Bounced: the message as the server took it
};

class ServerSession final : public session::Server {
 public:
  // Queues the greeting.
  ServerSession(mail::Store& store, ServerConfig config, Time now);
  std::unique_ptr<session::Server> copy_onto(mail::Store& store) const override;

  void receive(std::string_view bytes, Time now) override;
  void tls_established(Time now) override;
  // Without the final "." nothing is sent (RFC 5321 section 4.1.1.4).
  void connection_lost(Time now) override;
  void store_changed(Time) override {}
  // RFC 5321 section 4.5.3.2.7: a client silent too long gets 421 and is disconnected.
  void tick(Time now) override;
  Time deadline() const override { return last_activity_ + config_.timeout; }

  std::string take_output(std::vector<SharedRun>* runs = nullptr) override {
    if (runs) runs->clear();
    return std::exchange(out_, {});
  }
  std::vector<ServerEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ServerNews> take_news() override;

  State state() const { return state_; }
  std::size_t bad_transitions() const override { return bad_transitions_; }
  bool closed() const override { return state_ == State::Closed; }
  bool awaiting_tls() const override { return awaiting_tls_; }
  std::string_view state_name() const override { return to_string(state_); }
  std::string actor() const;

  // RFC 5321 section 4.5.3.1.4 and 4.5.3.1.6: a command line is at most 512 octets, a text
  // line 1000, both with CRLF.
  static constexpr std::size_t kMaxCommandLine = 512;
  static constexpr std::size_t kMaxTextLine = 1000;
  // RFC 4954 section 4: a SASL response line may be 12288 octets.
  static constexpr std::size_t kMaxSaslLine = 12288;

 private:
  enum class Sasl { None, Plain, LoginUser, LoginPassword };

  void process();
  void handle_line(std::string_view line);
  void handle_data_line(std::string_view line, bool too_long);
  void handle_sasl_response(std::string_view line);

  void cmd_ehlo(std::string_view args, bool extended);
  void cmd_starttls(std::string_view args);
  void cmd_auth(std::string_view args);
  void cmd_mail(std::string_view args);
  void cmd_rcpt(std::string_view args);
  void cmd_data(std::string_view args);
  void cmd_rset(std::string_view args);
  void cmd_quit(std::string_view args);

  void login(std::string_view authzid, std::string_view user, std::string_view password);
  void end_of_data();
  void deliver(const mail::MessagePtr& message);
  void bounce(const std::string& recipient, const std::string& reason);
  void reset_transaction();
  State idle_state() const { return account_.empty() ? State::Ready : State::Authenticated; }
  void close();
  void set_state(State s);
  void reply(int code, std::string_view enhanced, std::string_view text);

  mail::Store* store_;
  ServerConfig config_;
  State state_ = State::Connected;
  std::size_t bad_transitions_ = 0;
  session::LineReader in_;
  bool awaiting_tls_ = false;
  Sasl sasl_ = Sasl::None;
  std::string sasl_user_;  // AUTH LOGIN: the user name, until the password comes
  std::string helo_;       // the name the client gave in EHLO/HELO
  bool extended_ = false;  // EHLO, not HELO
  std::string account_;    // the logged-in account's address
  // The transaction (RFC 5321 section 3.3).
  std::string sender_;
  std::vector<std::string> recipients_;
  std::string data_;
  bool data_too_big_ = false;
  bool data_line_too_long_ = false;
  std::uint64_t queued_ = 0;  // messages taken in this session
  std::string out_;
  std::vector<ServerEvent> events_;
  Time now_;
  Time last_activity_;
};

}  // namespace postino::smtp
