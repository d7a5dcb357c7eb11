// Drives our POP3, IMAP and SMTP client engines over a real TCP connection, to test them against
// servers written by others (Dovecot, in dovecot_engines.py). Plain connections on loopback.
//   engine_driver pop3 PORT USER PASSWORD   leave-on-server for 7 days: sessions on day 0, 3, 7
//   engine_driver imap PORT USER PASSWORD   sync, open, delete to Trash, create folder, move
//   engine_driver smtp PORT USER PASSWORD   sends two messages (one with a line starting with
//                                           "."), to USER and to an unknown recipient too
// Prints one line per fact for the Python test to check against the server.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/imap/client.hpp"
#include "sim/pop3/client.hpp"
#include "sim/smtp/client.hpp"

using namespace postino;

namespace {

Time g_offset = 0;  // simulated days on top of the real clock
Time now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + g_offset;
}

int dial(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("connect");
    std::exit(2);
  }
  return fd;
}

int g_quick_selects = 0;  // SELECTs that resynced with QRESYNC (RFC 7162)

// Moves bytes until `done()` or the server closes; 10 s without progress is a failure.
template <typename Client, typename Done>
bool pump(int fd, Client& c, Done done) {
  char buf[65536];
  for (;;) {
    std::string out = c.take_output();
    for (std::size_t at = out.find(" (QRESYNC ("); at != std::string::npos; at = out.find(" (QRESYNC (", at + 1))
      ++g_quick_selects;
    for (std::size_t off = 0; off < out.size();) {
      const ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    if (done()) return true;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) {
      std::fprintf(stderr, "timeout\n");
      return false;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      c.connection_lost(now());
      return done();
    }
    c.receive(std::string_view(buf, static_cast<std::size_t>(n)), now());
  }
}

int run_pop3(int port, const char* user, const char* password) {
  pop3::ClientConfig cfg;
  cfg.user = user;
  cfg.password = password;
  cfg.leave_on_server = true;
  cfg.keep_days = 7;
  cfg.auth = pop3::ClientConfig::Auth::UserPass;
  pop3::Client client(cfg);
  for (Time day : {0, 3, 7}) {
    g_offset = day * kDay + (day == 7 ? kMinute : 0);
    const int fd = dial(port);
    client.connect(now());
    const bool ok = pump(fd, client, [&] { return !client.busy(); });
    ::close(fd);
    int downloaded = 0, deleted = 0, errors = 0;
    for (auto& e : client.take_events()) {
      downloaded += e.kind == pop3::ClientEvent::Kind::Downloaded;
      deleted += e.kind == pop3::ClientEvent::Kind::Deleted;
      if (e.kind == pop3::ClientEvent::Kind::Error) {
        ++errors;
        std::fprintf(stderr, "error: %s\n", e.text.c_str());
      }
    }
    std::printf("day %lld downloaded %d deleted %d errors %d ok %d\n", static_cast<long long>(day),
                downloaded, deleted, errors, ok ? 1 : 0);
  }
  return 0;
}

void print_state(const imap::Client& c) {
  for (const auto& [name, f] : c.folders()) {
    int seen = 0;
    for (const auto& [uid, m] : f.messages) seen += (m.flags & mail::kSeen) != 0;
    std::printf("folder %s count %zu seen %d\n", name.c_str(), f.messages.size(), seen);
  }
}

int run_imap(int port, const char* user, const char* password) {
  imap::ClientConfig cfg;
  cfg.user = user;
  cfg.password = password;
  cfg.use_idle = false;
  imap::Client client(cfg);
  const int fd = dial(port);
  client.connect(now());
  auto quiet = [&] { return client.quiet() || !client.connected(); };
  bool ok = pump(fd, client, quiet);
  const auto& inbox = client.folders().at("INBOX").messages;
  const mail::Uid first = inbox.begin()->first;
  const mail::Uid second = std::next(inbox.begin())->first;
  const mail::Uid third = std::next(inbox.begin(), 2)->first;
  client.open("INBOX", first);
  ok = ok && pump(fd, client, quiet);
  std::printf("opened has-body %d\n", client.folders().at("INBOX").messages.at(first).has_body ? 1 : 0);
  client.remove("INBOX", second);
  client.create_folder("Progetti");
  ok = ok && pump(fd, client, quiet);
  client.move("INBOX", third, "Progetti");
  client.poll();
  ok = ok && pump(fd, client, quiet);
  print_state(client);
  client.logout();
  pump(fd, client, [&] { return !client.connected(); });
  ::close(fd);
  int errors = 0;
  for (auto& e : client.take_events())
    if (e.kind == imap::ClientEvent::Kind::Error) {
      ++errors;
      std::fprintf(stderr, "error: %s\n", e.text.c_str());
    }
  std::printf("errors %d ok %d\n", errors, ok ? 1 : 0);
  std::printf("qresync-selects %d\n", g_quick_selects);
  return 0;
}

int run_smtp(int port, const char* user, const char* password) {
  smtp::Client client({.user = user, .password = password, .hostname = "engine.test"});
  const std::string me = user;
  client.submit({me, {me, "nessuno@tuodominio.it"},
                 mail::make_message("From: " + me + "\r\nTo: " + me + "\r\nSubject: Dal motore 1\r\n\r\n"
                                    ".riga con punto\r\nfine\r\n")});
  client.submit({me, {me}, mail::make_message("From: " + me + "\r\nSubject: Dal motore 2\r\n\r\nCiao.\r\n")});
  const int fd = dial(port);
  client.connect(now());
  const bool ok = pump(fd, client, [&] { return !client.busy(); });
  ::close(fd);
  int sent = 0, errors = 0;
  for (auto& e : client.take_events()) {
    if (e.kind == smtp::ClientEvent::Kind::Sent) {
      ++sent;
      std::printf("sent to %zu\n", e.recipients.size());
    }
    if (e.kind == smtp::ClientEvent::Kind::Error) {
      ++errors;
      std::printf("refused %s: %s\n", e.command.c_str(), e.text.c_str());
    }
  }
  std::printf("sent %d errors %d waiting %zu ok %d\n", sent, errors, client.outbox().size(), ok ? 1 : 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: engine_driver pop3|imap|smtp PORT USER PASSWORD\n");
    return 2;
  }
  const int port = std::atoi(argv[2]);
  const std::string protocol = argv[1];
  if (protocol == "smtp") return run_smtp(port, argv[3], argv[4]);
  return protocol == "pop3" ? run_pop3(port, argv[3], argv[4]) : run_imap(port, argv[3], argv[4]);
}
