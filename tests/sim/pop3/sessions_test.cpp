// Replays tests/sim/pop3/sessions/*.txt (format: tests/support/golden.hpp) against POP3 server
// sessions: whole, split in two (at line ends, literals and seeded random places; at every byte
// with POSTINO_EXHAUSTIVE=1), and one byte at a time.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"
#include "support/golden.hpp"

namespace postino::test {
namespace {

struct Pop3Driver : SessionDriver {
  pop3::ServerSession session;
  Time now = kT0;
  Pop3Driver(mail::Store& store, pop3::ServerConfig config) : session(store, std::move(config), kT0) {}
  void receive(std::string_view bytes) override { session.receive(bytes, ++now); }
  void store_changed() override {}
  void end() override {
    if (!session.closed()) session.connection_lost(now);
    CHECK(session.bad_transitions() == 0);  // every change of state is in the diagram
  }
  std::string take_output() override { return session.take_output(); }
};

}  // namespace

TEST_SUITE("pop3") {
  TEST_CASE("golden POP3 sessions, whole, split and byte by byte") {
    auto stores = [](const std::string& fixture) {
      return fixture == "rfc1939" ? rfc1939_store() : mail::make_demo_store();
    };
    auto drivers = [](mail::Store& store, const Script& s, int) -> std::unique_ptr<SessionDriver> {
      pop3::ServerConfig config = s.fixture == "rfc1939" ? rfc1939_config() : pop3::ServerConfig{};
      if (s.fixture != "rfc1939") config.apop_timestamp = "<1.0@mail.tuodominio.it>";
      config.tls_available = s.tls;
      return std::make_unique<Pop3Driver>(store, config);
    };
    check_golden_dir(data_path("sim/pop3/sessions"), stores, drivers, 6);
  }
}

}  // namespace postino::test
