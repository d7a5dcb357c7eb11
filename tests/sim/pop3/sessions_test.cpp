// Replays tests/sim/pop3/sessions/*.txt (format: tests/support/golden.hpp) against POP3 server
// sessions: whole, split in two (at line ends, literals and seeded random places; at every byte
// with POSTINO_EXHAUSTIVE=1), and one byte at a time.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"
#include "support/golden.hpp"

namespace postino::test {
TEST_SUITE("pop3") {
  TEST_CASE("golden POP3 sessions, whole, split and byte by byte") {
    auto stores = [](const std::string& fixture) {
      return fixture == "rfc1939" ? rfc1939_store() : mail::make_demo_store();
    };
    auto drivers = [](mail::Store& store, const Script& s, int, Time start) -> std::unique_ptr<session::Server> {
      pop3::ServerConfig config = s.fixture == "rfc1939" ? rfc1939_config() : pop3::ServerConfig{};
      if (s.fixture != "rfc1939") config.apop_timestamp = "<1.0@mail.tuodominio.it>";
      config.tls_available = s.tls;
      config.plaintext_auth = s.plaintext_auth;
      return std::make_unique<pop3::ServerSession>(store, config, start);
    };
    check_golden_dir(data_path("sim/pop3/sessions"), stores, drivers, 7);
  }
}

}  // namespace postino::test
