#include "io/tcp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "io/config_dir.hpp"
#include "io/tls.hpp"
#include "sim/protocols/protocols.hpp"

namespace postino::io {
namespace {

Time wall_clock() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void log_lines(const std::string& who, const char* dir, std::string_view bytes) {
  while (!bytes.empty()) {
    auto eol = bytes.find("\r\n");
    std::fprintf(stderr, "%s %s %.*s\n", who.c_str(), dir,
                 static_cast<int>(std::min<std::size_t>(eol == std::string_view::npos ? bytes.size() : eol, 200)),
                 bytes.data());
    if (eol == std::string_view::npos) break;
    bytes.remove_prefix(eol + 2);
  }
}

// A server session of the connection's own, on the served store.
class SessionEndpoint : public Endpoint {
 public:
  SessionEndpoint(mail::Store& store, const Listener& l, std::uint64_t id, bool tls_available, Time now)
      : session_(session::make_server(l.protocol, store,
                                      {.session_id = id, .tls_available = tls_available, .tls_active = l.tls}, now)) {}
  void receive(std::string_view bytes, Time now) override { session_->receive(bytes, now); }
  std::string take_output() override { return session_->take_output(); }
  Events take_events() override {
    Events ev;
    for (const auto& n : session_->take_news()) {
      ev.start_tls |= n.kind == session::ServerNews::Kind::StartTls;
      ev.auth_failed |= n.kind == session::ServerNews::Kind::AuthFailed;
      ev.logged_in |= n.kind == session::ServerNews::Kind::LoggedIn;
      if (n.kind == session::ServerNews::Kind::SentOut)
        std::fprintf(stderr, "mail for %s would now leave for the Internet (Postino keeps it to itself)\n",
                     n.detail.c_str());
    }
    return ev;
  }
  bool reports_login() const override { return true; }
  bool closed() const override { return session_->closed(); }
  void connection_lost(Time now) override { session_->connection_lost(now); }
  void tls_established(Time now) override { session_->tls_established(now); }
  void tick(Time now) override { session_->tick(now); }
  Time deadline() const override { return session_->deadline(); }
  void store_changed(Time now) override { session_->store_changed(now); }

 private:
  std::unique_ptr<session::Server> session_;
};

}  // namespace

struct TcpServer::Connection {
  int fd = -1;
  std::string ip;    // for the per-address limit
  std::string peer;  // ip:port and listener, for the log
  session::Protocol protocol = session::Protocol::Pop3;  // how to say goodbye
  std::unique_ptr<Endpoint> ep;
  std::unique_ptr<TlsConnection> tls;
  bool tls_announced = false;  // the session was told the handshake finished
  std::string out;             // bytes for the socket (ciphertext under TLS)
  std::string held;            // plaintext input not yet given to the session
  std::size_t held_pos = 0;    // how much of `held` the session has had
  Time delay_until = 0;        // an auth failure holds the input back until then
  int auth_failures = 0;
  bool logged_in = false;
  Time login_deadline = std::numeric_limits<Time>::max();
  Time out_moved = 0;          // when `out` last became non-empty or lost bytes to the socket
  bool closing = false;        // close once `out` is written

  bool wants_input(const ServeConfig& cfg, Time now) const {
    return !closing && now >= delay_until && out.size() < cfg.max_output && held.size() - held_pos < cfg.max_input;
  }
};

struct TcpServer::Impl {
  EndpointFactory factory;
  ServeConfig config;
  std::unique_ptr<TlsContext> tls;
  std::vector<std::unique_ptr<Connection>> conns;

  Impl(EndpointFactory f, ServeConfig c) : factory(std::move(f)), config(std::move(c)) {}

  // Takes what waits in the listen queue (a bounded number per round, so serving goes on).
  void accept_from(const Listener& l) {
    for (int i = 0; i < 64; ++i)
      if (!accept_one(l)) return;
  }

  bool accept_one(const Listener& l) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    const int fd = ::accept4(l.fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return false;
    // Replies go out whole; waiting for more (Nagle) only adds a delayed ACK's 40 ms to each.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char ip[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    const std::string peer = std::string(ip) + ":" + std::to_string(ntohs(addr.sin_port));
    const auto from_ip = static_cast<std::size_t>(
        std::count_if(conns.begin(), conns.end(), [&](const auto& c) { return c->ip == ip && !c->closing; }));
    if (conns.size() >= config.max_connections || from_ip >= config.max_per_address) {
      if (!l.tls) {
        const std::string_view no = session::busy_greeting(l.protocol);
        [[maybe_unused]] auto ignored = ::write(fd, no.data(), no.size());
      }
      ::close(fd);
      std::fprintf(stderr, "%s refused: %zu connections already, %zu from %s\n", peer.c_str(), conns.size(),
                   from_ip, ip);
      return true;
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->ip = ip;
    c->peer = peer + " " + l.name;
    c->protocol = l.protocol;
    const Time now = wall_clock();
    c->ep = factory(l, peer, now);
    if (c->ep->reports_login()) c->login_deadline = now + config.login_timeout_ms;
    if (l.tls) {
      c->tls = std::make_unique<TlsConnection>(*this->tls);
      c->tls_announced = true;  // implicit TLS: the session started as encrypted
    }
    std::fprintf(stderr, "%s connected\n", c->peer.c_str());
    conns.push_back(std::move(c));
    drain(*conns.back(), now);
    return true;
  }

  // Moves the session's output to the socket buffer, through TLS when it is on.
  void drain(Connection& c, Time now) {
    std::string plain = c.ep->take_output();
    if (config.log_wire && !plain.empty()) log_lines(c.peer, "S:", plain);
    send(c, plain, now);
    const Endpoint::Events ev = c.ep->take_events();
    event(c, ev, now);
    if (c.ep->closed() && !c.closing) {
      c.closing = true;
      if (c.tls && c.tls_announced) {
        c.tls->shutdown();
        c.out += c.tls->take_ciphertext();
      }
    }
  }

  // Queues plaintext for the socket, through TLS when it is on.
  void send(Connection& c, std::string_view plain, Time now) {
    if (plain.empty()) return;
    if (c.out.empty()) c.out_moved = now;
    if (c.tls && c.tls_announced) {
      if (!c.tls->write(plain)) c.closing = true;
      c.out += c.tls->take_ciphertext();
    } else {
      c.out += plain;
    }
  }

  void event(Connection& c, const Endpoint::Events& ev, Time now) {
    if (ev.start_tls && tls) c.tls = std::make_unique<TlsConnection>(*tls);  // after the plaintext OK
    if (ev.logged_in) c.logged_in = true;
    if (ev.auth_failed) {
      // Per attempt, not per read: the next command waits, however many came in one write.
      c.delay_until = now + config.auth_failure_delay_ms;
      if (++c.auth_failures >= config.max_auth_failures)
        hang_up(c, "Too many failed logins", now);
    }
  }

  // Ends the connection from this side: a last word to the client, then close.
  void hang_up(Connection& c, std::string_view why, Time now) {
    if (c.closing) return;
    std::fprintf(stderr, "%s hung up: %.*s\n", c.peer.c_str(), static_cast<int>(why.size()), why.data());
    c.ep->connection_lost(now);
    const char* goodbye = c.protocol == session::Protocol::Imap   ? "* BYE "
                          : c.protocol == session::Protocol::Smtp ? "421 4.7.0 "
                                                                   : "-ERR ";
    send(c, goodbye + std::string(why) + "\r\n", now);
    if (c.tls && c.tls_announced) {
      c.tls->shutdown();
      c.out += c.tls->take_ciphertext();
    }
    c.closing = true;
  }

  // The limits that need a clock: login deadline, output that does not move.
  void check_time(Connection& c, Time now) {
    if (c.closing) {
      if (!c.out.empty() && now - c.out_moved >= config.output_stall_ms) c.out.clear();  // never read: drop
      return;
    }
    if (!c.logged_in && now >= c.login_deadline) hang_up(c, "Login timeout", now);
    else if (!c.out.empty() && now - c.out_moved >= config.output_stall_ms) {
      std::fprintf(stderr, "%s dropped: output not read for %lld ms\n", c.peer.c_str(),
                   static_cast<long long>(now - c.out_moved));
      lost(c, now);
    }
  }

  void read_from(Connection& c, Time now) {
    char buf[16384];
    const ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      lost(c, now);
      return;
    }
    std::string plain;
    if (c.tls) {
      if (!c.tls->feed(std::string_view(buf, static_cast<std::size_t>(n)))) {
        std::fprintf(stderr, "%s %s\n", c.peer.c_str(), c.tls->error().c_str());
        lost(c, now);
        return;
      }
      c.out += c.tls->take_ciphertext();  // handshake records
      if (c.tls->handshake_done() && !c.tls_announced) {
        c.tls_announced = true;
        c.ep->tls_established(now);
      }
      plain = c.tls->take_plaintext();
    } else {
      plain.assign(buf, static_cast<std::size_t>(n));
    }
    c.held += plain;
    feed(c, now);
  }

  // Gives the session the input line by line, stopping at a failed login (the next line waits
  // for the delay) and while the output queue is over its limit (back-pressure: a client that
  // pipelines RETR and never reads gets one reply queued, not all of them).
  void feed(Connection& c, Time now) {
    bool fed = false;
    while (c.held_pos < c.held.size() && !c.closing && now >= c.delay_until && c.out.size() < config.max_output) {
      const std::size_t lf = c.held.find('\n', c.held_pos);
      const std::size_t end = lf == std::string::npos ? c.held.size() : lf + 1;
      const std::string_view bytes(c.held.data() + c.held_pos, end - c.held_pos);
      c.held_pos = end;
      if (config.log_wire) log_lines(c.peer, "C:", bytes);
      c.ep->receive(bytes, now);
      fed = true;
      drain(c, now);
    }
    if (c.held_pos == c.held.size()) {
      c.held.clear();
      c.held_pos = 0;
    }
    if (!fed) return;
    // What one session changed reaches the others that wait in IDLE at once.
    for (auto& other : conns)
      if (other.get() != &c) {
        other->ep->store_changed(now);
        drain(*other, now);
      }
  }

  void lost(Connection& c, Time now) {
    c.ep->connection_lost(now);
    c.out.clear();
    c.closing = true;
  }

  void write_to(Connection& c, Time now) {
    while (!c.out.empty()) {
      const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n <= 0) {
        lost(c, now);
        return;
      }
      c.out.erase(0, static_cast<std::size_t>(n));
      c.out_moved = now;
    }
  }
};

TcpServer::TcpServer(mail::Store& store, ServeConfig config) {
  auto ids = std::make_shared<std::uint64_t>(0);
  EndpointFactory sessions = [&store, ids, this](const Listener& l, const std::string&, Time now) {
    return std::make_unique<SessionEndpoint>(store, l, ++*ids, impl_->tls != nullptr, now);
  };
  impl_ = std::make_unique<Impl>(std::move(sessions), std::move(config));
}

TcpServer::TcpServer(EndpointFactory factory, ServeConfig config)
    : impl_(std::make_unique<Impl>(std::move(factory), std::move(config))) {}

TcpServer::~TcpServer() {
  for (auto& c : impl_->conns) ::close(c->fd);
  for (auto& l : listeners_) ::close(l.fd);
}

bool TcpServer::start(std::string& error) {
  const ServeConfig& cfg = impl_->config;
  impl_->tls = TlsContext::server(cfg.tls_dir.empty() ? config_dir() : cfg.tls_dir, error);
  if (!impl_->tls) return false;
  cert_path_ = impl_->tls->certificate_path();
  using P = session::Protocol;
  const struct { const char* name; int port; P protocol; bool tls; } wanted[] = {
      {"POP3", cfg.pop3, P::Pop3, false}, {"POP3S", cfg.pop3s, P::Pop3, true},
      {"IMAP", cfg.imap, P::Imap, false}, {"IMAPS", cfg.imaps, P::Imap, true},
      {"SMTP", cfg.submission, P::Smtp, false}, {"SMTPS", cfg.submissions, P::Smtp, true}};
  for (const auto& w : wanted) {
    if (w.port < 0) continue;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(w.port));
    if (::inet_pton(AF_INET, cfg.listen.c_str(), &addr.sin_addr) != 1) {
      error = "not an IPv4 address: " + cfg.listen;
      ::close(fd);
      return false;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      error = std::string("cannot listen on ") + cfg.listen + ":" + std::to_string(w.port) + " (" +
              w.name + "): " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    listeners_.push_back({w.name, ntohs(addr.sin_port), fd, w.protocol, w.tls});
  }
  return true;
}

bool TcpServer::poll_once(int timeout_ms) {
  Impl& m = *impl_;
  std::vector<pollfd> fds;
  for (const Listener& l : listeners_) fds.push_back({l.fd, POLLIN, 0});
  const Time now = wall_clock();
  Time wake = now + timeout_ms;
  for (auto& c : m.conns) {
    short ev = 0;
    if (c->wants_input(m.config, now)) ev |= POLLIN;
    if (!c->out.empty()) ev |= POLLOUT;
    fds.push_back({c->fd, ev, 0});
    wake = std::min({wake, c->ep->deadline(), c->logged_in ? wake : c->login_deadline});
    if (!c->out.empty()) wake = std::min(wake, c->out_moved + m.config.output_stall_ms);
    if (c->delay_until > now) wake = std::min(wake, c->delay_until);
  }
  const int timeout = static_cast<int>(std::clamp<Time>(wake - now, 0, timeout_ms));
  const int ready = ::poll(fds.data(), fds.size(), timeout);
  if (ready < 0 && errno != EINTR) return false;
  const Time t = wall_clock();
  std::size_t i = 0;
  for (const Listener& l : listeners_)
    if (fds[i++].revents & POLLIN) m.accept_from(l);
  for (std::size_t k = 0; k + listeners_.size() < fds.size(); ++k) {
    Connection& c = *m.conns[k];
    const short rev = fds[listeners_.size() + k].revents;
    if (rev & POLLIN) m.read_from(c, t);
    else if (rev & (POLLHUP | POLLERR) && !c.closing) m.lost(c, t);  // gone while not read from
    if (rev & POLLOUT) m.write_to(c, t);
  }
  for (auto& c : m.conns) {
    m.feed(*c, t);  // input held back by a delay or back-pressure whose time has come
    m.check_time(*c, t);
    c->ep->tick(t);
    m.drain(*c, t);
    if (!c->out.empty()) m.write_to(*c, t);
  }
  std::erase_if(m.conns, [](const std::unique_ptr<Connection>& c) {
    if (!c->closing || !c->out.empty()) return false;
    std::fprintf(stderr, "%s disconnected\n", c->peer.c_str());
    ::close(c->fd);
    return true;
  });
  return true;
}

std::size_t TcpServer::connections() const { return impl_->conns.size(); }

std::size_t TcpServer::queued_bytes() const {
  std::size_t n = 0;
  for (const auto& c : impl_->conns) n += c->out.size() + c->held.size() - c->held_pos;
  return n;
}

void TcpServer::close_all() {
  for (auto& c : impl_->conns) {
    c->ep->connection_lost(wall_clock());
    ::close(c->fd);
  }
  impl_->conns.clear();
}

int TcpServer::run(const std::atomic<bool>& stop) {
  while (!stop.load())
    if (!poll_once(60 * 1000)) return 1;
  for (auto& c : impl_->conns) c->ep->connection_lost(wall_clock());
  return 0;
}

}  // namespace postino::io
