#include "io/tcp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
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
      if (n.kind == session::ServerNews::Kind::SentOut)
        std::fprintf(stderr, "mail for %s would now leave for the Internet (Postino keeps it to itself)\n",
                     n.detail.c_str());
    }
    return ev;
  }
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
  std::string peer;
  std::unique_ptr<Endpoint> ep;
  std::unique_ptr<TlsConnection> tls;
  bool tls_announced = false;  // the session was told the handshake finished
  std::string out;             // bytes for the socket (ciphertext under TLS)
  std::string held;            // plaintext input held back during an auth-failure delay
  Time delay_until = 0;
  bool closing = false;        // close once `out` is written
};

struct TcpServer::Impl {
  EndpointFactory factory;
  ServeConfig config;
  std::unique_ptr<TlsContext> tls;
  std::vector<std::unique_ptr<Connection>> conns;

  Impl(EndpointFactory f, ServeConfig c) : factory(std::move(f)), config(std::move(c)) {}

  void accept_from(const Listener& l) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    const int fd = ::accept4(l.fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    char ip[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    const std::string peer = std::string(ip) + ":" + std::to_string(ntohs(addr.sin_port));
    if (conns.size() >= config.max_connections) {
      if (!l.tls) {
        const std::string_view no = session::busy_greeting(l.protocol);
        [[maybe_unused]] auto ignored = ::write(fd, no.data(), no.size());
      }
      ::close(fd);
      std::fprintf(stderr, "%s refused: %zu connections already\n", peer.c_str(), conns.size());
      return;
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->peer = peer + " " + l.name;
    const Time now = wall_clock();
    c->ep = factory(l, peer, now);
    if (l.tls) {
      c->tls = std::make_unique<TlsConnection>(*this->tls);
      c->tls_announced = true;  // implicit TLS: the session started as encrypted
    }
    std::fprintf(stderr, "%s connected\n", c->peer.c_str());
    conns.push_back(std::move(c));
    drain(*conns.back(), now);
  }

  // Moves the session's output to the socket buffer, through TLS when it is on.
  void drain(Connection& c, Time now) {
    std::string plain = c.ep->take_output();
    if (config.log_wire && !plain.empty()) log_lines(c.peer, "S:", plain);
    if (!plain.empty()) {
      if (c.tls && c.tls_announced) {
        if (!c.tls->write(plain)) c.closing = true;
        c.out += c.tls->take_ciphertext();
      } else {
        c.out += plain;
      }
    }
    const Endpoint::Events ev = c.ep->take_events();
    event(c, ev.start_tls, ev.auth_failed, now);
    if (c.ep->closed() && !c.closing) {
      c.closing = true;
      if (c.tls && c.tls_announced) {
        c.tls->shutdown();
        c.out += c.tls->take_ciphertext();
      }
    }
  }

  void event(Connection& c, bool start_tls, bool auth_failed, Time now) {
    if (start_tls && tls) c.tls = std::make_unique<TlsConnection>(*tls);  // after the plaintext OK
    if (auth_failed) c.delay_until = now + config.auth_failure_delay_ms;
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

  void feed(Connection& c, Time now) {
    if (c.held.empty() || now < c.delay_until) return;
    std::string bytes = std::exchange(c.held, {});
    if (config.log_wire) log_lines(c.peer, "C:", bytes);
    c.ep->receive(bytes, now);
    drain(c, now);
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
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
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
    if (now >= c->delay_until && !c->closing) ev |= POLLIN;
    if (!c->out.empty()) ev |= POLLOUT;
    fds.push_back({c->fd, ev, 0});
    wake = std::min(wake, c->ep->deadline());
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
    if (rev & (POLLIN | POLLHUP | POLLERR)) m.read_from(c, t);
    if (rev & POLLOUT) m.write_to(c, t);
  }
  for (auto& c : m.conns) {
    m.feed(*c, t);  // input held back by an auth-failure delay whose time has come
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
