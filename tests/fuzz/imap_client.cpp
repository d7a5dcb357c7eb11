// The IMAP client's response parser: the input is what a (broken or hostile) server sends.
#include "sim/imap/client.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget("input", fuzz::kInputSteps);
  imap::ClientConfig c;
  c.user = "info";
  c.password = "segreta";
  imap::Client client(c);
  Time now = 1'764'000'000'000;
  client.connect(now);
  int k = 0;
  for (std::string_view line : fuzz::lines(fuzz::text(data, size))) {
    fuzz::Budget step("line");
    client.receive(line, now += 100);
    client.take_output();
    client.take_events();
    // The user acts meanwhile, so responses arrive in every state of the client.
    if (++k % 4 == 0) client.open("INBOX", static_cast<mail::Uid>(k));
    if (k % 7 == 0) client.poll();
    if (!client.connected()) break;
  }
  client.connection_lost(now + 1000);
  client.take_events();
  if (client.connected()) std::abort();
  return 0;
}
