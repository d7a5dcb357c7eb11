// `postino serve`'s limits on real loopback sockets: one hostile client must not stop the others.
// The server runs on this thread (poll_once); the test's sockets are non-blocking.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <chrono>
#include <filesystem>
#include <fcntl.h>
#include <string>

#include "io/tcp_server.hpp"
#include "io/tls.hpp"
#include <sys/stat.h>
#include "sim/mail/demo.hpp"

namespace postino::io {
namespace {

long long ms_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

struct Served {
  mail::Store store = mail::make_demo_store();
  TcpServer server;
  explicit Served(ServeConfig cfg) : server(store, with_ports(cfg)) {
    std::string error;
    REQUIRE_MESSAGE(server.start(error), error);
  }
  static ServeConfig with_ports(ServeConfig cfg) {
    cfg.pop3 = cfg.imap = 0;
    cfg.pop3s = cfg.imaps = -1;
    cfg.tls_dir = (std::filesystem::temp_directory_path() / "postino-tcp-test").string();
    return cfg;
  }
  int port(const std::string& name) const {
    for (const auto& l : server.listeners())
      if (l.name == name) return l.port;
    return -1;
  }
  void pump(long long ms) {
    const long long end = ms_now() + ms;
    while (ms_now() < end) server.poll_once(5);
  }
};

struct Client {
  int fd = -1;
  std::string got;
  bool eof = false;
  explicit Client(int port, int rcvbuf = 0) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
  }
  ~Client() { ::close(fd); }
  void send(const std::string& s) const { REQUIRE(::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == ssize_t(s.size())); }
  // Everything that has arrived; `eof` once the server closed.
  const std::string& read() {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) eof = true;
      if (n <= 0) return got;
    }
  }
};

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("io") {
  TEST_CASE("serve: a thousand wrong logins in one write are answered one per delay, then the line is hung up") {
    ServeConfig cfg;
    cfg.auth_failure_delay_ms = 500;  // far above the 100 ms looked at first, even on a loaded machine
    Served s(cfg);
    std::string guesses;
    for (int i = 0; i < 1000; ++i) guesses += "USER info@tuodominio.it\r\nPASS guess" + std::to_string(i) + "\r\n";
    Client pop(s.port("POP3"));
    s.pump(50);
    pop.send(guesses);
    const long long t0 = ms_now();
    s.pump(100);
    CHECK(count(pop.read(), "-ERR [AUTH]") == 1);  // the second guess waits for the delay
    while (!pop.eof && ms_now() - t0 < 3000) {
      s.pump(20);
      pop.read();
    }
    CHECK(pop.eof);
    CHECK(ms_now() - t0 >= 2 * cfg.auth_failure_delay_ms);
    CHECK(count(pop.got, "-ERR [AUTH]") == std::size_t(cfg.max_auth_failures));
    CHECK(pop.got.ends_with("-ERR Too many failed logins\r\n"));

    std::string logins;
    for (int i = 0; i < 1000; ++i) logins += "a" + std::to_string(i) + " LOGIN info@tuodominio.it guess\r\n";
    Client imap(s.port("IMAP"));
    s.pump(50);
    imap.send(logins);
    s.pump(100);
    CHECK(count(imap.read(), "[AUTHENTICATIONFAILED]") == 1);
    for (long long t = ms_now(); !imap.eof && ms_now() - t < 3000;) {
      s.pump(20);
      imap.read();
    }
    CHECK(count(imap.got, "[AUTHENTICATIONFAILED]") == 3);
    CHECK(imap.got.ends_with("* BYE Too many failed logins\r\n"));
  }

  TEST_CASE("serve: pipelined RETR from a client that does not read: the queue stays bounded, nothing is lost") {
    ServeConfig cfg;
    cfg.max_output = 64 * 1024;
    Served s(cfg);
    Client pop(s.port("POP3"), 4096);
    pop.send("USER info@tuodominio.it\r\nPASS segreta\r\n");
    s.pump(50);
    std::string retrs;
    const int n = 3000;
    for (int i = 0; i < n; ++i) retrs += "RETR 1\r\n";
    pop.send(retrs);
    std::size_t most = 0;
    for (int i = 0; i < 20; ++i) {
      s.pump(10);
      most = std::max(most, s.server.queued_bytes());
    }
    CHECK(most < cfg.max_output + 64 * 1024);  // the limit, plus one reply and one read
    // Reading now gets every reply, in order.
    for (long long t = ms_now(); count(pop.got, "\r\n.\r\n") < std::size_t(n) && ms_now() - t < 10000;) {
      s.pump(2);
      pop.read();
    }
    CHECK(count(pop.got, "\r\n.\r\n") == std::size_t(n));
  }

  TEST_CASE("serve: output nobody reads is dropped after the stall timeout; the others are served") {
    ServeConfig cfg;
    cfg.output_stall_ms = 300;
    Served s(cfg);
    Client pop(s.port("POP3"), 4096);
    pop.send("USER info@tuodominio.it\r\nPASS segreta\r\n");
    s.pump(50);
    std::string retrs;
    for (int i = 0; i < 20000; ++i) retrs += "RETR 1\r\n";
    pop.send(retrs);
    s.pump(100);
    CHECK(s.server.connections() == 1);
    for (long long t = ms_now(); s.server.connections() > 0 && ms_now() - t < 5000;) s.pump(20);
    CHECK(s.server.connections() == 0);
    Client other(s.port("IMAP"));
    s.pump(30);
    CHECK(other.read().starts_with("* OK"));
  }

  TEST_CASE("serve: connections per address, and a deadline for logging in") {
    ServeConfig cfg;
    cfg.max_per_address = 2;
    cfg.login_timeout_ms = 300;
    Served s(cfg);
    Client a(s.port("IMAP")), b(s.port("POP3"));
    s.pump(30);
    Client c(s.port("IMAP"));
    s.pump(30);
    CHECK(c.read() == "* BYE Too many connections, try again later\r\n");
    CHECK(s.server.connections() == 2);
    b.send("USER info@tuodominio.it\r\nPASS segreta\r\n");
    // `a` trickles a byte at a time and never logs in.
    for (int i = 0; i < 10 && !a.eof; ++i) {
      a.send("x");
      s.pump(50);
      a.read();
    }
    CHECK(a.eof);
    CHECK(a.got.ends_with("* BYE Login timeout\r\n"));
    CHECK(s.server.connections() == 1);  // `b` logged in in time and stays
    b.send("STAT\r\n");
    s.pump(30);
    CHECK(b.read().ends_with("+OK 7 " + b.got.substr(b.got.rfind("+OK 7 ") + 6)));
    CHECK_FALSE(b.eof);
  }

  TEST_CASE("serve: the private key is created with mode 0600 even under umask 0") {
    const auto dir = std::filesystem::temp_directory_path() / "postino-key-mode-test";
    std::filesystem::remove_all(dir);
    const mode_t old = ::umask(0);
    std::string error;
    auto ctx = TlsContext::server(dir.string(), error);
    ::umask(old);
    REQUIRE_MESSAGE(ctx, error);
    const auto perms = std::filesystem::status(dir / "key.pem").permissions();
    CHECK(perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::filesystem::remove_all(dir);
  }
}

}  // namespace postino::io
