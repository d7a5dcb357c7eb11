// The POP3 server: one session on the demo store; a line starting "2|" goes to a second session
// (which finds the maildrop locked while the first holds it).
#include "sim/mail/demo.hpp"
#include "sim/protocols/protocols.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget("input", fuzz::kInputSteps);
  static const mail::Store demo = mail::make_demo_store();  // parsed once; a copy per input
  mail::Store store = demo;
  Time now = 1'764'000'000'000;
  std::unique_ptr<session::Server> s[2] = {
      session::make_server(session::Protocol::Pop3, store, {.session_id = 1, .tls_available = true}, now),
      session::make_server(session::Protocol::Pop3, store, {.session_id = 2}, now)};
  for (std::string_view line : fuzz::lines(fuzz::text(data, size))) {
    fuzz::Budget step("line");
    const int k = line.starts_with("2|") ? 1 : 0;
    if (k) line.remove_prefix(2);
    now += 1000;
    s[k]->receive(line, now);
    if (s[k]->awaiting_tls()) s[k]->tls_established(now);
    s[k]->take_output();
    s[k]->take_news();
  }
  now += 11 * 60 * 1000;
  for (auto& one : s) {
    one->tick(now);
    one->connection_lost(now);
    one->take_output();
    if (one->bad_transitions() != 0) std::abort();
  }
  // Nothing invented: the demo maildrop holds 7 messages, and a session can only take some away.
  if (store.find_account(mail::kDemoAddress)->inbox().count() > 7) std::abort();
  return 0;
}
