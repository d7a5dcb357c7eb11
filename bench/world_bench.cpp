// Benchmark, not a test (issue 4): 8 devices (4 POP3 leaving mail on the server, 4 IMAP with
// IDLE) on one account of N messages (~4 KB on average): a full first sync, then 1,000 random
// actions, then the whole run replayed from scratch (what "step back" costs at the end).
// Run: /usr/bin/time -v build/release/bench/postino_bench_world [N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/devices.hpp"
#include "sim/world/world.hpp"

using namespace postino;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t g_seed;
std::uint64_t rnd(std::uint64_t n) {
  g_seed = g_seed * 6364136223846793005ull + 1442695040888963407ull;
  return (g_seed >> 33) % n;
}

struct Run {
  double first_sync_s = 0, actions_s = 0;
  std::size_t lines = 0, events = 0, synced = 0;
};

Run run(int messages) {
  g_seed = 2026;
  const Time start = from_civil(2026, 11, 26, 8, 0);
  mail::Store store("tuodominio.it", 1764000000);
  mail::Account& a = *store.add_account("info@tuodominio.it", "segreta");
  for (int i = 0; i < messages; ++i) {
    std::string text = "From: cliente" + std::to_string(i % 97) + "@example.com\r\nSubject: Messaggio " +
                       std::to_string(i) + "\r\nDate: Thu, 26 Nov 2026 07:00:00 +0000\r\n\r\n";
    const std::size_t size = 1024 + rnd(6 * 1024);  // 1 to 7 KB, ~4 KB on average
    while (text.size() < size) text += std::string(70, static_cast<char>('a' + rnd(26))) + "\r\n";
    store.append(a, a.inbox(), mail::make_message(text), 0, start - kDay, "bench");
  }
  world::World w(std::move(store), start);
  std::vector<world::Device*> pop, imap;
  for (int k = 0; k < 8; ++k) (k < 4 ? pop : imap).push_back(&w.add_device(bench::device(k)));
  Run r;
  auto t0 = Clock::now();
  // POP3 holds a lock on the maildrop (RFC 1939): the POP devices take turns; IMAP ones at once.
  for (auto* d : imap) w.get_mail(*d);
  for (auto* d : pop) {
    w.get_mail(*d);
    w.settle();
  }
  w.settle();
  auto t1 = Clock::now();
  r.first_sync_s = std::chrono::duration<double>(t1 - t0).count();
  for (auto* d : pop) r.synced += d->count("INBOX");
  for (auto* d : imap) r.synced += d->count("INBOX");
  for (int i = 0; i < 1000; ++i) {
    world::Device& d = *imap[rnd(imap.size())];
    const auto& inbox = d.imap_client()->folders().at("INBOX").messages;
    const mail::Uid uid = inbox.empty() ? 0 : std::next(inbox.begin(), static_cast<long>(rnd(inbox.size())))->first;
    switch (rnd(6)) {
      case 0: w.deliver("info@tuodominio.it", "Subject: nuovo " + std::to_string(i) + "\r\n\r\nciao\r\n"); break;
      case 1: if (uid) w.open(d, "INBOX", uid); break;
      case 2: if (uid) w.flag(d, "INBOX", uid, true); break;
      case 3: if (uid) w.remove(d, "INBOX", uid); break;
      case 4: if (uid) w.move(d, "INBOX", uid, "Sent"); break;
      case 5: w.get_mail(*pop[rnd(pop.size())]); break;
    }
    w.settle();
    w.advance_to(w.now() + kMinute);
  }
  r.actions_s = std::chrono::duration<double>(Clock::now() - t1).count();
  for (const auto& t : w.trace())
    if (t.kind == world::TraceEntry::Kind::Wire)
      t.text.for_each_piece([&](std::string_view p) { r.lines += std::count(p.begin(), p.end(), '\n'); });
  r.events = w.events_run();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  Run r = run(n);
  const double total = r.first_sync_s + r.actions_s;
  std::printf("world: 8 devices, %d messages\n", n);
  std::printf("  first sync      %.3f s (%zu messages now on the 8 devices)\n", r.first_sync_s, r.synced);
  std::printf("  1000 actions    %.3f s\n", r.actions_s);
  std::printf("  wire lines      %zu (%.0f lines/s), %zu events\n", r.lines, r.lines / total, r.events);
  auto t = Clock::now();
  Run again = run(n);
  std::printf("  replay of the whole run from scratch: %.3f s (%s)\n",
              std::chrono::duration<double>(Clock::now() - t).count(),
              again.lines == r.lines && again.events == r.events ? "identical" : "DIFFERENT");
  return again.lines == r.lines ? 0 : 1;
}
