// Replays tests/sim/smtp/sessions/*.txt (format: tests/support/golden.hpp) against SMTP
// submission server sessions: whole, split in two (at line ends and seeded random places; at
// every byte with POSTINO_EXHAUSTIVE=1), and one byte at a time.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "sim/smtp/server.hpp"
#include "support/fixtures.hpp"
#include "support/golden.hpp"

namespace postino::test {
TEST_SUITE("smtp") {
  TEST_CASE("golden SMTP sessions, whole, split and byte by byte") {
    // demo: port 587 (STARTTLS when the script says tls); implicit: port 465; mx: no login
    // required; small: port 465 taking messages of at most 300 octets.
    auto stores = [](const std::string&) { return mail::make_demo_store(); };
    auto drivers = [](mail::Store& store, const Script& s, int n, Time start) -> std::unique_ptr<session::Server> {
      smtp::ServerConfig config;
      config.session_id = static_cast<std::uint64_t>(n);
      config.tls_available = s.tls;
      config.tls_active = s.fixture == "implicit" || s.fixture == "small";
      config.require_auth = s.fixture != "mx";
      if (s.fixture == "small") config.max_message_size = 300;
      return std::make_unique<smtp::ServerSession>(store, config, start);
    };
    check_golden_dir(data_path("sim/smtp/sessions"), stores, drivers, 7);
  }
}

}  // namespace postino::test
