// Every example scenario: it parses, every expectation holds, the transcript equals its golden
// file in tests/scenarios/ (POSTINO_UPDATE_GOLDEN=1 rewrites them: review the diff like code),
// two runs give the same bytes, and replaying to any event gives a prefix of the full trace.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::script {

namespace {

std::string run_text(const Scenario& s, std::size_t limit = static_cast<std::size_t>(-1)) {
  Played p = play(s, limit);
  return world::transcript(p.world->trace(), world::TranscriptFormat::Text, false, s.title);
}

}  // namespace

TEST_SUITE("script") {
  TEST_CASE("example scenarios: expectations hold, golden transcripts, deterministic") {
    const auto files = test::list_files(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios", ".txt");
    REQUIRE(files.size() >= 8);
    for (const std::string& file : files) {
      CAPTURE(file);
      Parsed parsed = parse(test::read_file(file));
      REQUIRE(parsed.ok());
      Played played = play(parsed.scenario);
      for (const Outcome& o : played.outcomes) {
        CAPTURE(o.line);
        CHECK_MESSAGE(o.passed, world::describe_check(o.check, Lang::En));
      }
      CHECK_FALSE(played.outcomes.empty());
      const std::string text = world::transcript(played.world->trace(), world::TranscriptFormat::Text, false, parsed.scenario.title);
      const std::string golden = test::data_path("scenarios/" + std::filesystem::path(file).stem().string() + ".transcript");
      if (std::getenv("POSTINO_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << text;
      CHECK(text == test::read_file(golden));
      CHECK(run_text(parsed.scenario) == text);
    }
  }

  TEST_CASE("replaying to event N gives the first part of the full run") {
    Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/03-imap-sync-everywhere.txt"));
    REQUIRE(parsed.ok());
    Played full = play(parsed.scenario);
    const std::size_t n = full.world->events_run();
    REQUIRE(n > 50);
    const auto& all = full.world->trace();
    for (std::size_t k : {std::size_t{1}, n / 3, n / 2, n - 1, n}) {
      CAPTURE(k);
      Played part = play(parsed.scenario, k);
      CHECK(part.world->events_run() == k);
      const auto& some = part.world->trace();
      REQUIRE(some.size() <= all.size());
      for (std::size_t i = 0; i < some.size(); ++i) {
        CHECK(some[i].same_as(all[i]));
        CHECK(some[i].sent == all[i].sent);
      }
    }
    CHECK(play(parsed.scenario, n).world->trace().size() == all.size());
  }

  TEST_CASE("a player stopped at event N and resumed gives the same run as one replay") {
    Parsed parsed = parse(test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/07-pop-crash-restore.txt"));
    REQUIRE(parsed.ok());
    Played full = play(parsed.scenario);
    const std::size_t n = full.world->events_run();
    Player player(parsed.scenario, 5);  // many checkpoints, so rewinding uses them
    for (std::size_t k = 0; k <= n + 5; k += 7) {
      CAPTURE(k);
      player.run_until(k);
      Played replay = play(parsed.scenario, k);
      REQUIRE(player.world().trace().size() == replay.world->trace().size());
      CHECK(player.world().events_run() == replay.world->events_run());
      CHECK(player.world().now() == replay.world->now());
    }
    player.run_until();
    CHECK(player.finished());
    // Step back through checkpoints: the same state as a replay from the start.
    CHECK(player.checkpoints() >= 4);
    CHECK(player.checkpoints() <= 9);
    for (std::size_t k : {n - 1, n / 2, std::size_t{3}, n - 2, std::size_t{0}, n}) {
      CAPTURE(k);
      player.rewind_to(k);
      Played replay = play(parsed.scenario, k);
      REQUIRE(player.world().trace().size() == replay.world->trace().size());
      CHECK(player.world().events_run() == replay.world->events_run());
      CHECK(player.world().now() == replay.world->now());
      CHECK(player.world().store().changes().size() == replay.world->store().changes().size());
      for (std::size_t i = 0; i < replay.world->trace().size(); ++i)
        CHECK(player.world().trace()[i].same_as(replay.world->trace()[i]));
    }
    const auto& a = player.world().trace();
    const auto& b = full.world->trace();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].same_as(b[i]));
    CHECK(player.outcomes().size() == full.outcomes.size());
  }

  // A viewer stepping through `deliver ... count N` sees the mailbox fill one message at a time
  // (it once showed all N at the first "new mail" line).
  TEST_CASE("deliver count N: each message is an event of its own, stepping and stepping back alike") {
    Parsed parsed = parse(std::string(test::kScenarioHead) +
                          "deliver to info@tuodominio.it subject \"Ordine\" count 5\n"
                          "expect server info@tuodominio.it INBOX count 5\n");
    REQUIRE(parsed.ok());
    CHECK(play(parsed.scenario).passed());
    auto inbox = [](const Player& p) -> const mail::Folder& {
      return p.world().store().find_account("info@tuodominio.it")->folders().at("INBOX");
    };
    Player player(parsed.scenario, 2);
    std::size_t first = 0;
    while (inbox(player).count() == 0) {
      REQUIRE(first < 50);
      player.run_until(++first);
    }
    for (std::size_t i = 0; i < 5; ++i) {
      CAPTURE(i);
      player.run_until(first + i);
      CHECK(inbox(player).count() == i + 1);
      CHECK(player.world().events_run() == first + i);
    }
    player.rewind_to(first + 2);
    CHECK(inbox(player).count() == 3);
    CHECK(inbox(player).messages().back().message->text().find("Subject: Ordine 3") != std::string::npos);
    player.run_until();
    CHECK(inbox(player).count() == 5);
    CHECK(player.outcomes().size() == 1);
    CHECK(player.outcomes().front().passed);
  }
}

}  // namespace postino::script
