// Replays tests/sim/imap/sessions/*.txt (format: tests/support/golden.hpp) against IMAP server
// sessions sharing one store: whole, split in two (at line ends, literals and seeded random
// places; at every byte with POSTINO_EXHAUSTIVE=1), and one byte at a time.
#include <doctest/doctest.h>

#include "sim/imap/server.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"
#include "support/golden.hpp"

namespace postino::test {
mail::Store imap_fixture(const std::string& name) {
  return name == "rfc3501" ? rfc3501_store() : mail::make_demo_store();
}

std::unique_ptr<session::Server> imap_driver(mail::Store& store, const Script& s, int n, Time start) {
  imap::ServerConfig config;
  config.session_id = static_cast<std::uint64_t>(n);
  config.tls_available = s.tls;
  config.plaintext_auth = s.plaintext_auth;
  config.max_literal = 1000;  // small, so the tests can exceed it
  config.max_line = 8192;
  config.max_command = 10000;  // whole commands, literals included: small too
  config.max_command_unauthenticated = 2000;
  return std::make_unique<imap::ServerSession>(store, config, start);
}

TEST_SUITE("imap") {
  TEST_CASE("golden IMAP sessions, whole, split and byte by byte") {
    check_golden_dir(data_path("sim/imap/sessions"), imap_fixture, imap_driver, 14);
  }
}

}  // namespace postino::test
