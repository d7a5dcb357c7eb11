#pragma once
// `postino serve`: the same POP3 and IMAP server sessions as the simulation, on real sockets,
// with real TLS. One thread, poll(); the only code besides stdio_server.cpp that owns sockets.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "sim/mail/store.hpp"

namespace postino::io {

struct ServeConfig {
  std::string listen = "127.0.0.1";
  // -1: do not listen; 0: any free port (the chosen one is in TcpServer::listeners()).
  int pop3 = 1110, pop3s = 1995, imap = 1143, imaps = 1993;
  std::size_t max_connections = 64;
  int auth_failure_delay_ms = 1000;  // slows down password guessing
  std::string tls_dir;               // where cert.pem / key.pem live; empty: config_dir()
  bool log_wire = false;             // print every line to stderr
};

struct Listener {
  std::string name;  // "POP3", "POP3S", "IMAP", "IMAPS"
  int port = 0;
  int fd = -1;
  bool imap = false, tls = false;
};

class TcpServer {
 public:
  TcpServer(mail::Store& store, ServeConfig config);
  ~TcpServer();
  // Creates or loads the certificate and binds the listeners. False with `error` set on failure.
  bool start(std::string& error);
  const std::vector<Listener>& listeners() const { return listeners_; }
  const std::string& certificate_path() const { return cert_path_; }
  // Serves until `stop` becomes true (e.g. from a SIGINT handler); closes every connection
  // without entering POP3's UPDATE state, as a dropped connection would.
  int run(const std::atomic<bool>& stop);

 private:
  struct Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<Listener> listeners_;
  std::string cert_path_;
};

}  // namespace postino::io
