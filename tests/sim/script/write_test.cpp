// The writer: a scenario written and read back is the same scenario, and plays the same.
#include <doctest/doctest.h>

#include "sim/script/scenario.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::script {
namespace {

std::string run_text(const Scenario& s) {
  Played p = play(s);
  return world::transcript(p.world->trace(), world::TranscriptFormat::Text, false, s.title);
}

// Setup and statements equal; line numbers are where the text put them, so they are not compared.
void check_same(const Scenario& a, const Scenario& b) {
  CHECK(a.title == b.title);
  CHECK(a.start == b.start);
  CHECK(a.domain == b.domain);
  CHECK(a.default_quota == b.default_quota);
  CHECK(a.mailboxes == b.mailboxes);
  CHECK(a.backup_at == b.backup_at);
  CHECK(a.plaintext_auth == b.plaintext_auth);
  REQUIRE(a.accounts.size() == b.accounts.size());
  for (std::size_t i = 0; i < a.accounts.size(); ++i) {
    CHECK(a.accounts[i].address == b.accounts[i].address);
    CHECK(a.accounts[i].password == b.accounts[i].password);
    CHECK(a.accounts[i].quota == b.accounts[i].quota);
  }
  CHECK(a.devices == b.devices);
  REQUIRE(a.steps.size() == b.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    CAPTURE(i);
    CAPTURE(a.steps[i].line);
    CHECK(a.steps[i].at == b.steps[i].at);
    CHECK(a.steps[i].after == b.steps[i].after);
    CHECK(a.steps[i].what == b.steps[i].what);
  }
}

}  // namespace

TEST_SUITE("script") {
  TEST_CASE("write: every example scenario reads back as the same statements and plays the same") {
    const auto files = test::list_files(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios", ".txt");
    REQUIRE(files.size() >= 8);
    for (const std::string& file : files) {
      CAPTURE(file);
      Parsed first = parse(test::read_file(file));
      REQUIRE(first.ok());
      const std::string text = write(first.scenario);
      Parsed again = parse(text);
      INFO(text);
      REQUIRE(again.ok());
      check_same(first.scenario, again.scenario);
      CHECK(run_text(again.scenario) == run_text(first.scenario));
      CHECK(write(again.scenario) == text);  // a fixed point: saving a saved file changes nothing
    }
  }

  TEST_CASE("write: quotes, escapes, folders with spaces, times, sizes and several settings at once") {
    Parsed p = parse(R"(title "Say \"hi\" to C:\\temp and \Seen"
start 2026-12-01 07:30
server example.org quota 2MB backup daily 03:15 mailboxes 3 plaintext-auth no
account a@example.org password "p\"w"
account b@example.org password "x" quota 1KB
device pc laptop client thunderbird pop3 110 starttls keep-days 7 delete-when-deleted poll 1h30m
device phone phone client apple-mail imap 993 idle off delete expunge
at 09:00:05 deliver to a@example.org from "x@y.z" subject "Spaced \"out\"" size 1500B body "Hi \\ there" count 3
after 5m pc get-mail
phone create-folder "My Stuff"
phone move "Spaced" in INBOX to "My Stuff"
phone rename-folder "My Stuff" to Archive
at day 2 10:00 backup
restore a@example.org to day 2 10:00:01
pc set leave-on-server off
pc set imap 143 starttls
at day 3 08:00 wait 2h
expect server a@example.org used < 3MB
expect server a@example.org "My Stuff" count 0
expect phone Archive has "Spaced"
expect pc error "Login"
expect bounces 0
expect trace has "DELE"
)");
    REQUIRE(p.ok());
    // The window's settings dialog changes several settings in one go.
    world::DeviceConfig next = p.scenario.devices[0];
    next.leave_on_server = true;
    next.keep_days = 0;
    next.delete_when_deleted_here = false;
    next.poll_every = 0;
    next.protocol = world::Protocol::Pop3;
    next.port = 995;
    next.security = world::Security::Tls;
    const world::DeviceConfig before = std::get<Set>(p.scenario.steps[8].what).settings;  // IMAP 143 after the sets
    const auto singles = split_settings(before, next);
    // Protocol and port (a new POP3 account in Thunderbird: its 14 days, delete when deleted
    // here), poll, leave-on-server off then on (a copy with no day limit), delete-when-deleted.
    REQUIRE(singles.size() == 5);
    CHECK(singles.back() == next);
    for (const auto& c : singles) p.scenario.steps.push_back({.what = Set{"pc", c}});
    const std::string text = write(p.scenario);
    Parsed again = parse(text);
    INFO(text);
    REQUIRE(again.ok());
    check_same(p.scenario, again.scenario);
    CHECK(text.find("title \"Say \\\"hi\\\" to C:\\\\temp and \\\\Seen\"") != std::string::npos);
    CHECK(text.find("phone move \"Spaced\" to \"My Stuff\"") != std::string::npos);
    CHECK(text.find("at day 3 08:00 wait 2h") != std::string::npos);
    CHECK(text.find("poll 1h30m") != std::string::npos);
  }

  TEST_CASE("write: a file without a server line, its accounts on other domains, reads back (fuzz finding)") {
    // The default server line written for it served tuodominio.it only, and refused the accounts.
    for (const char* text : {"account info@tuodom@nio.it password \"p\"\ndevice pc laptop pop3 995\npc get-mail\n",
                             "account a@x password \"p\"\naccount b@y.org password \"q\"\ndevice pc laptop imap 993\n"}) {
      Parsed p = parse(text);
      REQUIRE(p.ok());
      const std::string written = write(p.scenario);
      INFO(written);
      Parsed again = parse(written);
      REQUIRE(again.ok());
      check_same(p.scenario, again.scenario);
    }
  }

  TEST_CASE("write: bodies kept offline, on device lines and in set lines, read back and play the same") {
    Parsed p = parse(R"(server tuodominio.it
account info@tuodominio.it password "x"
device tb laptop client thunderbird imap 993 offline off
device ph phone client phone-mail imap 993 offline on
device pc laptop imap 993
at 09:00 deliver to info@tuodominio.it subject "Ordine 42"
tb get-mail
ph get-mail
pc get-mail
tb set offline on
pc set offline on
ph set offline off
after 1m tb get-mail
pc open "Ordine 42"
expect tb setting offline on
expect ph setting offline off
)");
    REQUIRE(p.ok());
    CHECK_FALSE(p.scenario.devices[0].offline);
    CHECK(p.scenario.devices[1].offline);
    CHECK_FALSE(p.scenario.devices[2].offline);
    const std::string text = write(p.scenario);
    INFO(text);
    CHECK(text.find("device tb laptop client thunderbird imap 993 account info@tuodominio.it password \"x\" offline off\n") !=
          std::string::npos);
    CHECK(text.find("client phone-mail imap 993 account info@tuodominio.it password \"x\" offline on\n") != std::string::npos);
    CHECK(text.find("device pc laptop imap 993 account info@tuodominio.it password \"x\"\n") != std::string::npos);
    CHECK(text.find("pc set offline on\n") != std::string::npos);
    CHECK(text.find("ph set offline off\n") != std::string::npos);
    Parsed again = parse(text);
    REQUIRE(again.ok());
    check_same(p.scenario, again.scenario);
    CHECK(run_text(again.scenario) == run_text(p.scenario));
    CHECK(write(again.scenario) == text);
  }

  TEST_CASE("a quoted text is not an address to deliver or send to (fuzz finding: written back, it did not parse)") {
    for (const char* line : {"deliver to\"Ordine 43\"\n", "pc send to \"a@b.it\"\n", "deliver to Ordine\n"}) {
      Parsed p = parse(std::string("account a@b.it password \"p\"\ndevice pc laptop imap 993\n") + line);
      INFO(line);
      REQUIRE_FALSE(p.ok());
      CHECK(p.errors.front().message.find("is not an address") != std::string::npos);
    }
  }
}

}  // namespace postino::script
