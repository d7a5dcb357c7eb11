// Benchmark, not a test (issue 4, "step back"): the world benchmark's run as a scenario
// (8 devices: 4 POP3 leaving mail on the server, 4 IMAP with IDLE; N messages of ~4 KB; 1,000
// random actions), played by a Player that keeps checkpoints; then the time to step back to
// event N-1 (and to the middle), against a replay from the start.
// Run: /usr/bin/time -v build/release/bench/postino_bench_step_back [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/devices.hpp"
#include "sim/script/scenario.hpp"

using namespace postino;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t g_seed = 2026;
std::uint64_t rnd(std::uint64_t n) {
  g_seed = g_seed * 6364136223846793005ull + 1442695040888963407ull;
  return (g_seed >> 33) % n;
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t messages = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  script::Scenario s;
  s.start = script::default_start();
  s.accounts.push_back({"info@tuodominio.it", "segreta", 0});
  for (int k = 0; k < 8; ++k) s.devices.push_back(bench::device(k));
  s.steps.push_back({.what = script::Deliver{.account = "info@tuodominio.it", .subject = "Messaggio", .size = 4096,
                                             .copies = messages}});
  for (int k = 0; k < 8; ++k)  // the first sync, POP3 devices in turn (the maildrop lock)
    s.steps.push_back({.what = script::GetMail{s.devices[static_cast<std::size_t>(k)].name}});
  for (int i = 0; i < 1000; ++i) {
    const std::string imap = "imap" + std::to_string(4 + rnd(4));
    const auto uid = static_cast<mail::Uid>(1 + rnd(messages));
    script::Action a;
    switch (rnd(6)) {
      case 0: a = script::Deliver{.account = "info@tuodominio.it", .subject = "nuovo " + std::to_string(i)}; break;
      case 1: a = script::Open{.device = imap, .uid = uid}; break;
      case 2: a = script::Flag{.device = imap, .uid = uid}; break;
      case 3: a = script::Delete{.device = imap, .uid = uid}; break;
      case 4: a = script::Move{.device = imap, .uid = uid, .to = "Sent"}; break;
      case 5: a = script::GetMail{"pop" + std::to_string(rnd(4))}; break;
    }
    s.steps.push_back({.after = kMinute, .what = std::move(a)});
  }
  auto t = Clock::now();
  script::Player player(s);
  player.run_until();
  const double run = since(t);
  const std::size_t n = player.world().events_run();
  std::printf("step back: 8 devices, %llu messages, 1000 actions: %zu events, played in %.3f s, %zu checkpoints\n",
              static_cast<unsigned long long>(messages), n, run, player.checkpoints());
  t = Clock::now();
  player.rewind_to(n - 1);
  std::printf("  step back from the end to event N-1: %.3f s\n", since(t));
  t = Clock::now();
  player.rewind_to(n / 2);
  std::printf("  jump back to the middle: %.3f s\n", since(t));
  t = Clock::now();
  script::Played replay = script::play(s, n - 1);
  std::printf("  the same without checkpoints (replay from the start): %.3f s\n", since(t));
  const bool same = replay.world->trace().size() == [&] {
    player.rewind_to(n - 1);
    return player.world().trace().size();
  }();
  std::printf("  same trace as the replay: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
