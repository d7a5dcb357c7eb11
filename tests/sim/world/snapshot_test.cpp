// A world copied at any event, even with commands half sent, bytes on the wire and IMAP apps
// with queued work, goes on exactly as the original would have: a viewer may step back to any
// event from a checkpoint, not only to the start of a statement.
#include <doctest/doctest.h>

#include <string>

#include "sim/script/scenario.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::script {
namespace {

std::string full_text(const Player& p) {
  return world::transcript(p.world().trace(), world::TranscriptFormat::Text, true);
}

// An IMAP app is in the middle of something: commands queued or awaiting their answer.
bool imap_busy(const world::World& w) {
  for (const auto& d : w.devices())
    if (const imap::Client* c = d->imap_client(); c && c->connected() && !c->quiet()) return true;
  return false;
}

// The first line where two transcripts differ, to show instead of two whole transcripts.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) break;
    if (a[i] == '\n') line_start = i + 1;
  }
  auto line = [&](const std::string& s) { return s.substr(line_start, s.find('\n', line_start) - line_start); };
  return "expected: " + line(a) + "\n     got: " + line(b);
}

}  // namespace

TEST_SUITE("world") {
  // For every event n: a copy of the player taken at n (a fresh run stopped there) plays to the
  // end and gives the uninterrupted run's transcript; the original goes on unharmed by its copies.
  // 04 has two IMAP apps moving, expunging and resyncing; 01 adds a POP3 app; 06 STARTTLS and
  // STLS handshakes. All three take about 0.2 s in a release build (03, with 565 events, would
  // take ten times that: too slow under AddressSanitizer).
  TEST_CASE("a player copied at any event finishes exactly like the uninterrupted run") {
    for (const char* name : {"01-pop-vs-imap.txt", "04-imap-delete-not-lost.txt", "06-ports-and-tls.txt"}) {
      CAPTURE(name);
      Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/" + name));
      REQUIRE(parsed.ok());
      Player uninterrupted(parsed.scenario);
      uninterrupted.run_until();
      const std::string expected = full_text(uninterrupted);
      const std::size_t total = uninterrupted.world().events_run();
      REQUIRE(total > 20);

      Player original(parsed.scenario);
      std::size_t busy_copies = 0, differences = 0;
      for (std::size_t n = 1; n <= total; ++n) {
        original.run_until(n);
        REQUIRE(original.world().events_run() == n);
        if (imap_busy(original.world())) ++busy_copies;
        Player copy(original);
        copy.run_until();
        const std::string got = full_text(copy);
        if (got != expected && differences++ == 0)
          FAIL_CHECK("copied at event " << n << " of " << total << ":\n" << first_difference(expected, got));
      }
      CHECK(differences == 0);
      // Most copies were taken with an IMAP command in flight or queued, not between statements.
      CHECK(busy_copies > total / 2);
      original.run_until();
      CHECK(full_text(original) == expected);
    }
  }
}

}  // namespace postino::script
