#pragma once
// `postino serve`: the same POP3, IMAP and SMTP server sessions as the simulation, on real sockets,
// with real TLS. One thread, poll(); the only code besides stdio_server.cpp that owns sockets.
#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/store.hpp"
#include "sim/session/protocol.hpp"

namespace postino::io {

struct ServeConfig {
  std::string listen = "127.0.0.1";
  // -1: do not listen; 0: any free port (the chosen one is in TcpServer::listeners()).
  int pop3 = 1110, pop3s = 1995, imap = 1143, imaps = 1993;
  // SMTP submission, 587 with STARTTLS and 465 with implicit TLS (RFC 8314). Off unless asked
  // for: only `postino serve` offers it (its defaults are 1587 and 1465).
  int submission = -1, submissions = -1;
  // Limits (README, "Limits"): one thread serves everyone, so no client may hold it or its memory.
  std::size_t max_connections = 64;
  std::size_t max_per_address = 32;         // from one IP address: half, so one never takes all
  int auth_failure_delay_ms = 1000;         // input after a failed login waits this long, per attempt
  int max_auth_failures = 3;                // then the connection is closed
  Time login_timeout_ms = 60 * 1000;        // from connecting to logging in
  Time output_stall_ms = 10 * 60 * 1000;    // output queued but not one byte taken for this long
  std::size_t max_output = 1 << 20;         // queued output over this: the input is not read
  std::size_t max_input = 64 * 1024;        // input not yet given to the session: not read more
  std::string tls_dir;               // where cert.pem / key.pem live; empty: config_dir()
  bool log_wire = false;             // print every line to stderr
};

struct Listener {
  std::string name;  // "POP3", "POP3S", "IMAP", "IMAPS", "SMTP", "SMTPS"
  int port = 0;
  int fd = -1;
  session::Protocol protocol = session::Protocol::Pop3;
  bool tls = false;
};

// What a connection talks to: a server session of its own (`postino serve`), or a device in a
// world the window shows (`postino open --listen`). Bytes are plaintext: TLS is done here.
class Endpoint {
 public:
  struct Events {
    bool start_tls = false;    // STARTTLS/STLS accepted: the handshake starts now
    bool auth_failed = false;  // delay what the client sends next
    bool logged_in = false;    // the login deadline no longer applies
  };
  virtual ~Endpoint() = default;
  virtual void receive(std::string_view bytes, Time now) = 0;
  virtual std::string take_output() = 0;
  virtual Events take_events() { return {}; }
  virtual bool closed() const = 0;  // the server ended the session (LOGOUT, QUIT, BYE)
  virtual void connection_lost(Time now) = 0;
  virtual void tls_established(Time) {}
  virtual void tick(Time) {}
  virtual Time deadline() const { return std::numeric_limits<Time>::max(); }
  virtual void store_changed(Time) {}  // another connection changed the mailboxes
  // Whether take_events() says logged_in: only then does the login deadline apply.
  virtual bool reports_login() const { return false; }
};

// Makes the endpoint of a new connection on `listener`.
using EndpointFactory = std::function<std::unique_ptr<Endpoint>(const Listener& listener, const std::string& peer,
                                                                Time now)>;

class TcpServer {
 public:
  // Every connection gets a server session of its own on `store`.
  TcpServer(mail::Store& store, ServeConfig config);
  // Connections get what `factory` makes; TLS starts after an Endpoint reports start_tls.
  TcpServer(EndpointFactory factory, ServeConfig config);
  ~TcpServer();
  // Creates or loads the certificate and binds the listeners. False with `error` set on failure.
  bool start(std::string& error);
  const std::vector<Listener>& listeners() const { return listeners_; }
  const std::string& certificate_path() const { return cert_path_; }
  // Serves until `stop` becomes true (e.g. from a SIGINT handler); closes every connection
  // without entering POP3's UPDATE state, as a dropped connection would.
  int run(const std::atomic<bool>& stop);
  // One round of run(): waits up to `timeout_ms` for the sockets and serves what is ready; for a
  // loop that has other work (the window). False when poll() failed.
  bool poll_once(int timeout_ms);
  // Ends every connection as a dropped one.
  void close_all();
  std::size_t connections() const;
  // Bytes held for all connections: output not yet taken by the sockets, input not yet given
  // to the sessions. Bounded by the limits above (a test and `bench/` watch it).
  std::size_t queued_bytes() const;

 private:
  struct Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<Listener> listeners_;
  std::string cert_path_;
};

}  // namespace postino::io
