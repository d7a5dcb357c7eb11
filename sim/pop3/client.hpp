#pragma once
// A POP3 client engine that behaves like Thunderbird's (sans-IO): CAPA, STLS when asked, AUTH
// PLAIN or USER/PASS or APOP, STAT, LIST, UIDL, RETR of what it has not seen, DELE per its
// settings, QUIT. Its UIDL record outlives each session, as a real client's does on disk.
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/message.hpp"
#include "sim/session/client.hpp"

namespace postino::pop3 {

struct ClientConfig {
  std::string user;
  std::string password;
  enum class Auth { Best, UserPass, Apop, Plain } auth = Auth::Best;  // Best: PLAIN if offered
  bool use_stls = false;  // upgrade a plain connection with STLS before logging in
  // Source claim S9: by default a POP3 client deletes mail from the server once downloaded.
  bool leave_on_server = false;
  // Source claim S14: with leave_on_server, delete this many days after the first download;
  // 0 keeps it until deleted here (if delete_when_deleted_locally) or forever.
  int keep_days = 0;
  bool delete_when_deleted_locally = false;
};

struct ClientEvent {
  enum class Kind {
    Downloaded,  // `uidl`, `message`: a new message for the local store
    Deleted,     // `uidl`: the server confirmed at QUIT that it is gone
    StartTls,    // STLS accepted: run the TLS handshake, then call tls_established()
    Error,       // `problem`, `command`, `text` (the server's reply): for the user, in words the
                 // world's formatter chooses
    Finished,    // the session is over; `text` sums it up
  };
  using Problem = session::ClientProblem;
  Kind kind;
  std::string uidl;
  mail::MessagePtr message;
  Problem problem = Problem::Unexpected;  // Error only
  std::string text;
  std::string command;  // Error: the command it was about ("RETR 3"), if any
};

class Client final : public session::Client {
 public:
  explicit Client(ClientConfig config);
  std::unique_ptr<session::Client> copy() const override { return std::make_unique<Client>(*this); }

  ClientConfig& config() { return config_; }
  const ClientConfig& config() const { return config_; }

  // A new connection: waits for the greeting. `tls` when the connection is already encrypted.
  void connect(Time now, bool tls = false) override;
  void receive(std::string_view bytes, Time now) override;
  void tls_established(Time now) override;
  void connection_lost(Time now) override;
  // A session in progress downloads whatever there is already.
  void poll() override {}
  // QUIT at the next reply (after recording what it brought); a reply to STLS still leads to
  // the handshake first, as nothing may follow it in clear.
  void hang_up() override { hanging_up_ = step_ != Step::Idle; }

  std::string take_output() override { return std::exchange(out_, {}); }
  std::vector<ClientEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ClientNews> take_news() override;
  bool busy() const override { return step_ != Step::Idle; }

  // The user deleted this message on the device.
  void deleted_locally(const std::string& uidl) { local_deletes_.insert(uidl); }
  // The device lost its data (crash, new device): the client forgets what it downloaded.
  void forget_everything() override;

  // uidl -> when it was first downloaded (what Thunderbird keeps in popstate.dat).
  const std::map<std::string, Time>& uidl_record() const { return record_; }

 private:
  enum class Step { Idle, Greeting, Capa, Stls, AwaitTls, User, Pass, Apop, AuthPlain, Stat, List,
                    Uidl, Retr, Dele, Quit };
  struct Action {
    bool retr;  // RETR, else DELE
    std::size_t n;
    std::string uidl;
  };

  void on_response(bool ok, std::string_view status);
  bool expects_multiline() const;
  void send(Step step, std::string_view line);
  void start_auth();
  void auth_result(bool ok, std::string_view status);
  void plan();
  void next_action();
  void quit();
  void fail(ClientEvent::Problem problem, std::string_view reply = {}, std::string command = {});
  void finish();

  ClientConfig config_;
  Step step_ = Step::Idle;
  bool hanging_up_ = false;
  Time now_ = 0;
  bool tls_ = false;
  std::string timestamp_;
  std::vector<std::string> capabilities_;
  std::string in_;
  bool collecting_ = false;  // inside a multi-line response
  std::string status_;       // its first line
  std::string body_;         // its lines, unstuffed, CRLF-terminated
  std::map<std::size_t, std::string> server_uidls_;  // message number -> uidl
  std::deque<Action> actions_;
  Action current_{};
  std::vector<std::string> deleted_this_session_;
  std::size_t downloaded_ = 0;
  std::map<std::string, Time> record_;
  std::set<std::string> local_deletes_;
  std::string out_;
  std::vector<ClientEvent> events_;
};

}  // namespace postino::pop3
