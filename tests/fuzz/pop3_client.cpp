// The POP3 client's response parser: the input is what a (broken or hostile) server sends.
#include "sim/pop3/client.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget("input", fuzz::kInputSteps);
  pop3::ClientConfig c;
  c.user = "info";
  c.password = "segreta";
  c.leave_on_server = size % 2 == 0;
  pop3::Client client(c);
  Time now = 1'764'000'000'000;
  client.connect(now);
  for (std::string_view line : fuzz::lines(fuzz::text(data, size))) {
    fuzz::Budget step("line");
    client.receive(line, now += 100);
    client.take_output();
    client.take_events();
    if (!client.busy()) break;
  }
  client.connection_lost(now + 1000);
  client.take_events();
  if (client.busy()) std::abort();
  return 0;
}
