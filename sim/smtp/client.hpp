#pragma once
// An SMTP submission client engine (sans-IO), as a mail app sends: EHLO, STARTTLS when asked
// (then EHLO again, RFC 3207 section 4.2), AUTH PLAIN or LOGIN, then for each message MAIL FROM
// (with SIZE when offered, RFC 1870), RCPT TO per recipient, DATA with dot-stuffed lines, and
// QUIT. One command at a time: it waits for each reply.
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/message.hpp"
#include "sim/session/client.hpp"

namespace postino::smtp {

struct ClientConfig {
  std::string user;
  std::string password;
  enum class Auth { Best, Plain, Login } auth = Auth::Best;  // Best: PLAIN if offered, else LOGIN
  bool use_starttls = false;  // upgrade a plain connection (port 587) before logging in
  std::string hostname = "localhost";  // what EHLO says
};

// A message the user sent, waiting for the next connection.
struct Outgoing {
  std::string from;
  std::vector<std::string> to;
  mail::MessagePtr message;
};

struct ClientEvent {
  enum class Kind {
    Sent,      // `message` was taken for `recipients` (those the server accepted); `text`: its reply
    StartTls,  // STARTTLS accepted: run the TLS handshake, then call tls_established()
    Error,     // `problem`, `command`, `text` (the server's reply): for the user
    Finished,  // the session is over; `text` sums it up
  };
  using Problem = session::ClientProblem;
  Kind kind;
  mail::MessagePtr message;
  std::vector<std::string> recipients;
  Problem problem = Problem::Unexpected;
  std::string text;
  std::string command;
};

class Client final : public session::Client {
 public:
  explicit Client(ClientConfig config);
  std::unique_ptr<session::Client> copy() const override { return std::make_unique<Client>(*this); }

  ClientConfig& config() { return config_; }
  const ClientConfig& config() const { return config_; }

  // Queues a message for this session (when it is past its login) or the next one.
  void submit(Outgoing message) { outbox_.push_back(std::move(message)); }
  const std::deque<Outgoing>& outbox() const { return outbox_; }

  void connect(Time now, bool tls = false) override;
  void receive(std::string_view bytes, Time now) override;
  void tls_established(Time now) override;
  // A message whose DATA was not answered stays in the outbox: it may not have been sent.
  void connection_lost(Time now) override;
  void poll() override {}
  // Says QUIT once the message being sent is done (the rest of the outbox waits for next time).
  void hang_up() override { leaving_ = step_ != Step::Idle && step_ != Step::Quit; }
  // The device lost its data: unsent mail is gone too.
  void forget_everything() override { outbox_.clear(); }

  std::string take_output() override { return std::exchange(out_, {}); }
  std::vector<ClientEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ClientNews> take_news() override;
  bool busy() const override { return step_ != Step::Idle; }
  // Saying goodbye: a message submitted now waits for the next connection.
  bool quitting() const { return step_ == Step::Quit; }

 private:
  enum class Step { Idle, Greeting, Ehlo, StartTls, AwaitTls, AuthPlain, AuthLoginUser, AuthLoginPassword,
                    AuthLogin, Mail, Rcpt, Data, Content, Rset, Quit };

  void on_reply(int code, std::string_view text);
  void send(Step step, std::string_view line);
  void after_ehlo();
  void start_auth();
  void next_message();
  void next_recipient();
  void message_failed(int code, std::string_view text, std::string command);
  void fail(session::ClientProblem problem, std::string_view reply = {}, std::string command = {});
  bool offers(std::string_view keyword) const;
  void finish();

  ClientConfig config_;
  Step step_ = Step::Idle;
  bool tls_ = false;
  std::string in_;
  std::vector<std::string> reply_lines_;    // the lines of a multi-line reply so far
  std::vector<std::string> extensions_;     // from the last EHLO, upper case
  std::deque<Outgoing> outbox_;
  std::size_t next_rcpt_ = 0;               // into outbox_.front().to
  bool leaving_ = false;  // hang_up() asked: QUIT at the next message boundary
  std::vector<std::string> accepted_;       // recipients of the current message the server took
  std::size_t sent_ = 0;
  std::string out_;
  std::vector<ClientEvent> events_;
};

}  // namespace postino::smtp
