// The scenario language: parse, and play what parses (a bounded number of events: the
// language's own ceilings keep a scenario finite, this keeps one input short).
#include "sim/script/scenario.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget;
  script::Parsed parsed = script::parse(fuzz::text(data, size));
  for (const auto& d : parsed.errors) (void)script::format_diagnostic("fuzz.txt", d);
  if (!parsed.ok()) return 0;
  // What write() gives back parses again (the GUI saves scenarios this way).
  if (!script::parse(script::write(parsed.scenario)).ok()) std::abort();
  script::play(parsed.scenario, 3000);
  return 0;
}
