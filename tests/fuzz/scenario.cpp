// The scenario language: parse, and play what parses (a bounded number of events: the
// language's own ceilings keep a scenario finite, this keeps one input short).
#include "sim/script/scenario.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget("input", fuzz::kInputSteps);
  script::Parsed parsed = [&] {
    fuzz::Budget step("parse");
    return script::parse(fuzz::text(data, size));
  }();
  for (const auto& d : parsed.errors) (void)script::format_diagnostic("fuzz.txt", d);
  if (!parsed.ok()) return 0;
  // What write() gives back parses again (the GUI saves scenarios this way).
  if (!script::parse(script::write(parsed.scenario)).ok()) std::abort();
  // A hundred events at a time, as the window plays a scenario a frame at a time.
  script::Player player(parsed.scenario);
  for (std::size_t events = 100; events <= 3000 && !player.finished(); events += 100) {
    fuzz::Budget step("100 events");
    player.run_until(events);
  }
  return 0;
}
