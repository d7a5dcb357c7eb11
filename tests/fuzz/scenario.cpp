// The scenario language: parse, and play what parses (a bounded number of events: the
// language's own ceilings keep a scenario finite, this keeps one input short).
#include <algorithm>
#include <variant>

#include "sim/script/scenario.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  script::Parsed parsed = [&] {
    fuzz::Budget step("parse");
    return script::parse(fuzz::text(data, size));
  }();
  for (const auto& d : parsed.errors) (void)script::format_diagnostic("fuzz.txt", d);
  if (!parsed.ok()) return 0;
  // What write() gives back parses again (the GUI saves scenarios this way).
  if (!script::parse(script::write(parsed.scenario)).ok()) std::abort();
  // A hundred events at a time, as the window plays a scenario a frame at a time. Moving mail is
  // work in proportion to its size (the language allows 50 MB a message): a step may take one
  // more budget per 512 KB of mail the scenario names, as a server's command on big mail may.
  std::uint64_t octets = 0;
  for (const script::Step& st : parsed.scenario.steps) {
    if (const auto* d = std::get_if<script::Deliver>(&st.what)) octets += std::min<std::uint64_t>(d->size, 1ull << 40) * std::min<std::uint64_t>(d->copies, 1ull << 20);
    if (const auto* m = std::get_if<script::Send>(&st.what)) octets += std::min<std::uint64_t>(m->size, 1ull << 40);
  }
  const long per_step = 1 + static_cast<long>(std::min<std::uint64_t>((octets + (1 << 19) - 1) >> 19, 1000));
  fuzz::Budget budget("play", fuzz::kInputSteps * per_step);
  script::Player player(parsed.scenario);
  for (std::size_t events = 100; events <= 3000 && !player.finished(); events += 100) {
    fuzz::Budget step("100 events", per_step);
    player.run_until(events);
  }
  return 0;
}
