#pragma once
// A POP3 server session (RFC 1939, 2449, 2595, 5034), sans-IO: bytes in, bytes and events out.
// The caller owns the connection and the clock; the same session serves a simulated device and a
// real client over TCP.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/shared_text.hpp"
#include "sim/core/time.hpp"
#include "sim/mail/store.hpp"
#include "sim/pop3/states.hpp"
#include "sim/session/line_reader.hpp"
#include "sim/session/server.hpp"

namespace postino::pop3 {

struct ServerConfig {
  std::string hostname = "mail.tuodominio.it";
  std::string greeting = "Postino POP3 server ready";
  // The APOP timestamp in the greeting; empty: "<session_id.time@hostname>".
  std::string apop_timestamp;
  std::uint64_t session_id = 1;
  bool tls_available = false;  // offer STLS: the network layer can start TLS
  bool tls_active = false;     // already encrypted (implicit TLS, port 995)
  bool plaintext_auth = true;  // false: no USER/PASS or AUTH PLAIN before STLS (as Dovecot)
  Time autologout = 10 * kMinute;  // RFC 1939 section 3: at least 10 minutes
};

struct ServerEvent {
  enum class Kind {
    StateChanged,  // `state` is the new state
    LoggedIn,      // detail: the account address
    AuthFailed,    // detail: the login name tried; the network layer may delay the next reply
    StartTls,      // "+OK Begin TLS" is in the output: start TLS after sending it
    Closed,        // the server ends the connection once the output is sent
  };
  Kind kind;
  State state;
  std::string detail;
};

class ServerSession final : public session::Server {
 public:
  // Queues the greeting.
  ServerSession(mail::Store& store, ServerConfig config, Time now);
  ~ServerSession() override;
  ServerSession& operator=(const ServerSession&) = delete;
  // The same session on `store`, a copy of this session's store (a world's checkpoint).
  std::unique_ptr<ServerSession> clone(mail::Store& store) const;
  std::unique_ptr<session::Server> copy_onto(mail::Store& store) const override { return clone(store); }

  void receive(std::string_view bytes, Time now) override;
  // The TLS handshake asked for by STLS finished; the session listens again.
  void tls_established(Time now) override;
  // The connection dropped without QUIT: no UPDATE state, nothing deleted (RFC 1939 section 6).
  void connection_lost(Time now) override;
  // The maildrop is locked for the session (RFC 1939 section 8): others' changes are not its news.
  void store_changed(Time) override {}
  // Autologout when the client has been idle too long (RFC 1939 section 3).
  void tick(Time now) override;
  Time deadline() const override { return last_activity_ + config_.autologout; }

  // `runs`, when given, receives the stretches of the output that are a stored message's octets.
  std::string take_output(std::vector<SharedRun>* runs = nullptr) override {
    if (runs) *runs = std::move(shared_);
    shared_.clear();
    return std::exchange(out_, {});
  }
  std::vector<ServerEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ServerNews> take_news() override { return session::news_of(take_events()); }

  State state() const { return state_; }
  // Changes of state that are not in transitions(): 0 unless the server has a bug.
  std::size_t bad_transitions() const override { return bad_transitions_; }
  bool closed() const override { return state_ == State::Closed; }
  bool awaiting_tls() const override { return awaiting_tls_; }
  std::string_view state_name() const override { return to_string(state_); }
  bool tls_active() const { return config_.tls_active; }
  std::string actor() const;

  // RFC 2449 section 4: 255 octets including CRLF.
  static constexpr std::size_t kMaxCommandLine = 255;
  // A SASL response line carries base64 and may be longer (RFC 5034 section 4).
  static constexpr std::size_t kMaxSaslLine = 4096;

 private:
  // Member-wise, for clone() only: it then points the copy into its own store.
  ServerSession(const ServerSession&) = default;
  struct Entry {
    mail::Uid uid;
    std::size_t size;
    std::string uidl;
    bool deleted = false;
    bool retrieved = false;
  };

  void process();
  void handle_line(std::string_view line);

 public:
  std::vector<mail::Uid> marked_for_deletion() const override {
    std::vector<mail::Uid> out;
    for (const Entry& e : entries_)
      if (e.deleted) out.push_back(e.uid);
    return out;
  }

 private:
  void handle_sasl_response(std::string_view line);

  void cmd_user(std::string_view args);
  void cmd_pass(std::string_view args);
  void cmd_apop(std::string_view args);
  void cmd_auth(std::string_view args);
  void cmd_capa(std::string_view args);
  void cmd_stls(std::string_view args);
  void cmd_stat(std::string_view args);
  void cmd_list(std::string_view args, bool uidl);
  void cmd_top(std::string_view args);
  void cmd_retr(std::string_view args);
  void cmd_dele(std::string_view args);
  void cmd_noop(std::string_view args);
  void cmd_rset(std::string_view args);
  void cmd_quit(std::string_view args);

  // No password over a connection that is not encrypted, when the provider says so.
  bool plaintext_refused() const { return !config_.plaintext_auth && !config_.tls_active; }
  void login(std::string_view user, std::string_view password, bool password_ok_already = false);
  void auth_failed(std::string_view user);
  Entry* message_arg(std::string_view word);  // replies -ERR itself when it returns nullptr
  const mail::Entry* stored(const Entry& e);  // replies -ERR itself when it returns nullptr
  void update();
  void close();
  void set_state(State s);
  void ok(std::string_view text = {});
  void err(std::string_view text);
  std::pair<std::size_t, std::uint64_t> totals() const;

  mail::Store* store_;
  ServerConfig config_;
  State state_ = State::Authorization;
  std::size_t bad_transitions_ = 0;
  std::string timestamp_;
  session::LineReader in_;
  bool awaiting_tls_ = false;
  bool sasl_pending_ = false;
  std::string user_;                   // from USER
  std::string login_name_;             // as the client typed it, for replies
  mail::Account* account_ = nullptr;   // set while the maildrop is locked
  std::vector<Entry> entries_;         // the maildrop as it was at login
  std::string out_;
  std::vector<SharedRun> shared_;  // stored octets in out_ (see take_output)
  std::vector<ServerEvent> events_;
  Time last_activity_;
};

}  // namespace postino::pop3
