// Benchmark, not a test: one POP3 client engine downloads (and deletes) a mailbox of N messages
// of ~4 KB through a server session, in memory. Prints wall time, wire lines per second and
// octets per second. Run: build/release/bench/postino_bench_pop3 [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/mail/store.hpp"
#include "sim/pop3/client.hpp"
#include "sim/pop3/server.hpp"

using namespace postino;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  mail::Store store;
  mail::Account& a = *store.add_account("info@tuodominio.it", "segreta");
  std::string body;
  for (int line = 0; line < 55; ++line) body += std::string(70, 'a' + line % 26) + "\r\n";
  for (int i = 0; i < n; ++i) {
    std::string text = "From: bench@example.com\r\nSubject: message " + std::to_string(i) +
                       "\r\n\r\n.leading dot\r\n" + body;
    store.append(a, a.inbox(), mail::make_message(text), 0, 0, "bench");
  }

  pop3::Client client({.user = "info@tuodominio.it", .password = "segreta"});
  const auto start = std::chrono::steady_clock::now();
  pop3::ServerSession server(store, {}, 0);
  client.connect(0);
  std::size_t lines = 0, octets = 0, downloaded = 0;
  Time now = 0;
  for (;;) {
    std::string down = server.take_output(), up = client.take_output();
    if (down.empty() && up.empty()) break;
    ++now;
    for (char c : down) lines += c == '\n';
    for (char c : up) lines += c == '\n';
    octets += down.size() + up.size();
    client.receive(down, now);
    server.receive(up, now);
    for (auto& e : client.take_events()) downloaded += e.kind == pop3::ClientEvent::Kind::Downloaded;
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("pop3 download of %d messages: %.3f s, %zu downloaded, %zu left on server\n", n, s,
              downloaded, a.inbox().count());
  std::printf("  %zu wire lines (%.0f lines/s), %.1f MB (%.1f MB/s)\n", lines, lines / s,
              octets / 1e6, octets / 1e6 / s);
  return downloaded == static_cast<std::size_t>(n) && a.inbox().count() == 0 ? 0 : 1;
}
