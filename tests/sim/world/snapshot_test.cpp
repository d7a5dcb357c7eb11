// A world copied at any event, even with commands half sent, bytes on the wire and IMAP apps
// with queued work, goes on exactly as the original would have: a viewer may step back to any
// event from a checkpoint, not only to the start of a statement.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

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

// For every event n: a copy of the player taken at n (a fresh run stopped there) plays to the
// end and gives the uninterrupted run's transcript; the original goes on unharmed by its copies.
// Returns at how many events an IMAP app was busy (commands queued or awaiting their answer).
std::size_t check_every_copy(const Scenario& s) {
  Player uninterrupted(s);
  uninterrupted.run_until();
  const std::string expected = full_text(uninterrupted);
  const std::size_t total = uninterrupted.world().events_run();
  REQUIRE(total > 10);
  Player original(s);
  std::size_t busy = 0, differences = 0;
  for (std::size_t n = 1; n <= total; ++n) {
    original.run_until(n);
    REQUIRE(original.world().events_run() == n);
    if (imap_busy(original.world())) ++busy;
    Player copy(original);
    copy.run_until();
    const std::string got = full_text(copy);
    CHECK(copy.outcomes().size() == uninterrupted.outcomes().size());
    if (got != expected && differences++ == 0)
      FAIL_CHECK("copied at event " << n << " of " << total << ":\n" << first_difference(expected, got));
  }
  CHECK(differences == 0);
  original.run_until();
  CHECK(full_text(original) == expected);
  return busy;
}

// Stepping back to event k from a checkpoint taken exactly there (mostly inside a statement:
// a viewer steps one event at a time) gives the run's trace up to event k (what a replay from
// the start gives: scenarios_test.cpp), and playing on from there gives the whole run.
void check_stepping_back(const Scenario& s) {
  Player uninterrupted(s);
  uninterrupted.run_until();
  const std::string expected = full_text(uninterrupted);
  const std::size_t total = uninterrupted.world().events_run();
  std::size_t differences = 0;
  for (std::size_t k = 1; k < total; ++k) {
    // Checkpoints every k events: at the start and where run_until(k) stops, and none more
    // before 2k; the viewer goes on past k (into later statements) before stepping back.
    Player viewer(s, k);
    viewer.run_until(k);
    viewer.run_until(std::max(k + 1, std::min(total, 2 * k - 1)));
    REQUIRE(viewer.checkpoints() >= 2);
    viewer.rewind_to(k);
    REQUIRE(viewer.world().events_run() == k);
    const auto& all = uninterrupted.world().trace();
    const auto upto = std::find_if(all.begin(), all.end(), [&](const world::TraceEntry& t) { return t.event > k; });
    const std::string want = world::transcript({all.begin(), upto}, world::TranscriptFormat::Text, true);
    const std::string back = full_text(viewer);
    viewer.run_until();
    const std::string on = full_text(viewer);
    CHECK(viewer.outcomes().size() == uninterrupted.outcomes().size());
    if ((back != want || on != expected) && differences++ == 0)
      FAIL_CHECK("stepped back to event " << k << " of " << total << ":\n"
                                          << (back != want ? first_difference(want, back) : first_difference(expected, on)));
  }
  CHECK(differences == 0);
}

// A real client's bytes, as the window records them (`open --listen`).
Step send(const std::string& device, std::string bytes) { return {.what = ExternalSend{device, std::move(bytes)}}; }

// Real clients send what they like when they like: here the server sessions are left between
// events halfway through a line and through an APPEND's literal. Meanwhile an app without IDLE
// polls every minute, also while a statement waits.
Scenario half_commands() {
  Scenario s;
  s.start = default_start();
  s.accounts.push_back({"info@tuodominio.it", "segreta"});
  world::DeviceConfig tablet;
  tablet.name = "tablet";
  tablet.kind = world::DeviceKind::Tablet;
  tablet.account = "info@tuodominio.it";
  tablet.password = "segreta";
  tablet.idle = false;
  tablet.poll_every = kMinute;
  s.devices.push_back(tablet);
  const std::string body = "Subject: Met\r\n\r\nHalf now, half later.\r\n";
  for (world::Protocol protocol : {world::Protocol::Imap, world::Protocol::Pop3}) {
    const std::string name = protocol == world::Protocol::Imap ? "imap-client" : "pop-client";
    world::DeviceConfig c;
    c.name = name;
    c.protocol = protocol;
    c.port = protocol == world::Protocol::Imap ? 143 : 110;
    c.security = world::Security::Plain;
    c.external = true;
    s.steps.push_back({.what = ExternalConnect{c}});
  }
  for (const char* bytes : {"a LOGIN info@tuodominio.it seg", "reta\r\nb APPEND INBOX {"})
    s.steps.push_back(send("imap-client", bytes));
  s.steps.push_back(send("imap-client", std::to_string(body.size()) + "}\r\n" + body.substr(0, 10)));
  s.steps.push_back({.after = 3 * kMinute, .what = Say{"three minutes later"}});
  s.steps.push_back(send("imap-client", body.substr(10)));
  s.steps.push_back(send("imap-client", "\r\nc LOG"));
  s.steps.push_back(send("pop-client", "USER info@tuodominio.it\r\nPA"));
  s.steps.push_back(send("pop-client", "SS segreta\r\nSTAT\r\nRETR 1\r\nQU"));
  s.steps.push_back(send("imap-client", "OUT\r\n"));
  s.steps.push_back(send("pop-client", "IT\r\n"));
  return s;
}

}  // namespace

TEST_SUITE("world") {
  // 04 has two IMAP apps moving, expunging and resyncing; 01 adds a POP3 app; 06 STARTTLS and
  // STLS handshakes. All three take about 0.2 s in a release build (03, with 565 events, would
  // take ten times that: too slow under AddressSanitizer).
  TEST_CASE("a player copied at any event finishes exactly like the uninterrupted run") {
    for (const std::string name : {"01-pop-vs-imap.txt", "04-imap-delete-not-lost.txt", "06-ports-and-tls.txt"}) {
      CAPTURE(name);
      Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/" + name));
      REQUIRE(parsed.ok());
      const std::size_t events = play(parsed.scenario).world->events_run();
      // Half the copies or more were taken with an IMAP command in flight or queued, not between
      // statements (an IDLE renewal, DONE and IDLE again, counts as quiet). A statement is an event
      // of its own (an `expect` is nothing else): those are not counted.
      CHECK(check_every_copy(parsed.scenario) >= (events - parsed.scenario.steps.size()) / 2);
    }
  }

  // A cut pending (the server got the line, its answer not yet sent, or on the wire) is copied
  // too, and stepping back over the cut replays it.
  TEST_CASE("a player copied while a connection cut is pending finishes like the original") {
    Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/10-pop-dropped-connection.txt"));
    REQUIRE(parsed.ok());
    check_every_copy(parsed.scenario);
    check_stepping_back(parsed.scenario);
  }

  // 04 as above; the scenario below adds a statement that waits (`after`) while an app polls,
  // so the player stops inside that wait too. (06 too would double the time under
  // AddressSanitizer, for little more.)
  TEST_CASE("stepping back to any event from checkpoints taken inside statements") {
    Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/04-imap-delete-not-lost.txt"));
    REQUIRE(parsed.ok());
    check_stepping_back(parsed.scenario);
    check_stepping_back(half_commands());
  }

  TEST_CASE("a player copied while a server session holds half a command finishes like the original") {
    const Scenario s = half_commands();
    {  // the pieces make sense: the message is stored, then downloaded
      Player p(s);
      p.run_until();
      const std::string text = full_text(p);
      CHECK(text.find("imap-client S: b OK [APPENDUID") != std::string::npos);
      CHECK(text.find("pop-client S: Half now, half later.") != std::string::npos);
      CHECK(text.find("08:02:00.000 tablet C:tls") != std::string::npos);  // polled during the wait
    }
    check_every_copy(s);
  }

  // Sending: a device's second connection (SMTP) copied mid-session, STARTTLS and DATA included,
  // with the IMAP APPEND that follows and a webmail change while the other app idles.
  TEST_CASE("a player copied at any event of a send finishes exactly like the uninterrupted run") {
    Parsed parsed = parse(
        "server tuodominio.it\n"
        "account info@tuodominio.it password \"segreta\"\n"
        "device pc laptop client thunderbird pop3 995 leave-on-server off poll off\n"
        "device phone phone client apple-mail imap 993\n"
        "at 09:00 phone send to info@tuodominio.it subject \"A\"\n"
        "pc send to x@example.com subject \"B\"\n"
        "webmail info@tuodominio.it delete \"A\"\n");
    REQUIRE(parsed.ok());
    CHECK(check_every_copy(parsed.scenario) > 0);
  }
}

}  // namespace postino::script
