// The GUI's model without a screen: intents move the cursor; the world at the cursor is the
// replay of the run up to that line.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "gui/app.hpp"
#include "gui/i18n.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::gui {
namespace {

std::string lesson(const char* name) { return std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios/" + name; }

Intent act(script::Action what, Time after = 0) { return {Intent::Kind::Act, 0, 0, {.after = after, .what = std::move(what)}}; }

bool has_event(const std::vector<world::TraceEntry>& t, world::EventKind k) {
  return std::any_of(t.begin(), t.end(), [&](const world::TraceEntry& e) { return e.is_event(k); });
}

// The first line at or after `from` that a device sent or received.
std::size_t first_wire_of(const std::vector<world::TraceEntry>& t, const std::string& device, std::size_t from = 0) {
  for (std::size_t i = from; i < t.size(); ++i)
    if (t[i].kind == world::TraceEntry::Kind::Wire && t[i].device == device) return i;
  return t.size();
}

}  // namespace

TEST_SUITE("gui") {
  TEST_CASE("the welcome scenario loads; stepping and seeking replay the world") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    CHECK(error.empty());
    CHECK(app.cursor() == 0);
    CHECK_FALSE(app.finished());  // only what has been looked at is played
    app.apply({Intent::Kind::Last});
    CHECK(app.finished());
    const std::size_t n = app.trace().size();
    REQUIRE(n > 50);
    CHECK(app.cursor() == n - 1);
    // At the end, the laptop (POP3) has the order and the server kept only what IMAP reads.
    const world::World& end = app.at_cursor();
    CHECK(end.store().find_account("info@tuodominio.it")->inbox().count() == 1);
    app.apply({Intent::Kind::StepBack});
    CHECK(app.cursor() == n - 2);
    app.apply({Intent::Kind::Seek, 0});
    CHECK(app.at_cursor().store().find_account("info@tuodominio.it")->inbox().count() == 0);
    app.apply({Intent::Kind::Seek, n + 100});
    CHECK(app.cursor() == n - 1);
    // Moving forward line by line gives the same lines as the whole run.
    App other;
    REQUIRE(other.load("", error));
    for (std::size_t k = 0; k + 1 < n; ++k) other.apply({Intent::Kind::StepForward});
    CHECK(other.cursor() == n - 1);
    for (std::size_t k = 0; k < n; ++k) CHECK(other.trace()[k].same_as(app.trace()[k]));
    app.apply({Intent::Kind::Select, 1});
    CHECK(app.selected_device() == 1u);
  }

  TEST_CASE("playing advances line by line and stops at the end") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    app.apply({Intent::Kind::Play});
    CHECK(app.playing());
    std::size_t last = app.cursor();
    for (int i = 0; i < 100; ++i) app.tick(0.2);
    CHECK(app.cursor() > last);
    app.apply({Intent::Kind::Pause});
    last = app.cursor();
    app.tick(5);
    CHECK(app.cursor() == last);
    CHECK_FALSE(app.animating());  // paused and settled: the window may sleep
    app.apply({Intent::Kind::Speed, 0, 4.0f});
    CHECK(app.speed() == 4.0f);
  }

  TEST_CASE("what the user clicks extends the scenario and plays from there") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    app.apply({Intent::Kind::Last});
    const std::size_t before = app.trace().size();
    Intent deliver{Intent::Kind::Act};
    deliver.step.what = script::Deliver{.account = "info@tuodominio.it", .subject = "Clicked in"};
    app.apply(deliver);
    CHECK(app.user_steps() == 1);
    CHECK(app.trace().size() > before);
    CHECK(app.cursor() == before);
    CHECK(app.playing());
    Intent get{Intent::Kind::Act};
    get.step.what = script::GetMail{"laptop"};
    app.apply(get);
    app.apply({Intent::Kind::Last});
    const world::World& w = app.at_cursor();
    const auto subjects = w.devices()[1]->subjects("INBOX");
    CHECK(std::find(subjects.begin(), subjects.end(), "Clicked in") != subjects.end());
    Intent wait{Intent::Kind::Act};
    wait.step = {.after = 7 * kDay, .what = script::Wait{}};
    const Time then = app.trace().back().sent;
    app.apply(wait);
    app.apply({Intent::Kind::Last});
    CHECK(app.trace().back().sent >= then + 7 * kDay);
    CHECK(app.trace().back().is_event(world::EventKind::TimePasses));
  }

  TEST_CASE("a click happens at the cursor: the script after it is set aside, not played first") {
    App app;
    std::string error;
    REQUIRE(app.load(lesson("01-pop-vs-imap.txt"), error));
    const std::size_t script = app.scenario().steps.size();
    REQUIRE(app.cursor() == 0);  // inside "phone get-mail", the first statement
    app.apply(act(script::GetMail{"pc"}));
    CHECK(app.user_steps() == 1);
    CHECK(app.set_aside() == script - 1);  // all but the statement that was running
    REQUIRE(app.branch_line());
    const std::size_t first = *app.branch_line();
    CHECK(app.cursor() == first);
    app.apply({Intent::Kind::Last});
    const auto& t = app.trace();
    // The phone's statement finished, then the pc talked: its first line is the click's first
    // line, and the 09:00 delivery the script had next never happened.
    REQUIRE(first < t.size());
    CHECK(t[first].device == "pc");
    CHECK(first_wire_of(t, "pc") > first);
    CHECK(first_wire_of(t, "pc") < t.size());
    CHECK(first_wire_of(t, "phone", first) == t.size());  // the phone is quiet in IDLE
    CHECK_FALSE(has_event(t, world::EventKind::Delivered));
    CHECK(t.back().sent < app.scenario().start + kHour);  // long before 09:00
  }

  TEST_CASE("a later `set pop3` in the script does not apply before a click at the cursor") {
    App app;
    std::string error;
    REQUIRE(app.load(test::data_path("gui/branch.txt"), error));
    app.apply(act(script::GetMail{"phone"}));
    app.apply({Intent::Kind::Last});
    const auto& t = app.trace();
    CHECK_FALSE(has_event(t, world::EventKind::ProtocolChanged));
    CHECK(app.at_cursor().device("phone")->config().protocol == world::Protocol::Imap);
    CHECK(std::none_of(t.begin(), t.end(), [](const world::TraceEntry& e) {
      return e.device == "phone" && e.to_server && (e.text.contains("USER ") || e.text.contains("RETR "));
    }));
    // The whole script, without the click, does switch it (so the check above can fail).
    App plain;
    REQUIRE(plain.load(test::data_path("gui/branch.txt"), error));
    plain.apply({Intent::Kind::Last});
    CHECK(has_event(plain.trace(), world::EventKind::ProtocolChanged));
  }

  TEST_CASE("+1 day at the cursor counts from the cursor's time") {
    App app;
    std::string error;
    REQUIRE(app.load(lesson("01-pop-vs-imap.txt"), error));
    const Time start = app.scenario().start;  // 08:00; the script delivers at 09:00
    app.apply(act(script::Wait{}, kDay));
    app.apply({Intent::Kind::Last});
    const auto& t = app.trace();
    REQUIRE(t.back().is_event(world::EventKind::TimePasses));
    CHECK(t.back().sent >= start + kDay);
    CHECK(t.back().sent < start + kDay + kMinute);  // not from 09:00, where the script ends
    CHECK_FALSE(has_event(t, world::EventKind::Delivered));
  }

  TEST_CASE("undo and stepping back take clicks back; with none left the script returns") {
    App plain;
    std::string error;
    REQUIRE(plain.load(lesson("01-pop-vs-imap.txt"), error));
    plain.apply({Intent::Kind::Last});
    const auto script = plain.scenario().steps;
    auto same_as_script = [&](App& app) {
      CHECK(app.user_steps() == 0);
      CHECK(app.set_aside() == 0);
      REQUIRE(app.scenario().steps.size() == script.size());
      for (std::size_t i = 0; i < script.size(); ++i) CHECK(app.scenario().steps[i].what == script[i].what);
      app.apply({Intent::Kind::Last});
      REQUIRE(app.trace().size() == plain.trace().size());
      for (std::size_t i = 0; i < app.trace().size(); ++i) CHECK(app.trace()[i].same_as(plain.trace()[i]));
    };
    App app;
    REQUIRE(app.load(lesson("01-pop-vs-imap.txt"), error));
    app.apply({Intent::Kind::Seek, 3});
    app.apply(act(script::GetMail{"pc"}));
    app.apply(act(script::Deliver{.account = "info@tuodominio.it", .subject = "Second click"}));
    CHECK(app.user_steps() == 2);
    app.apply({Intent::Kind::Undo});  // Ctrl+Z
    CHECK(app.user_steps() == 1);
    CHECK(app.set_aside() > 0);
    app.apply({Intent::Kind::Last});
    CHECK_FALSE(has_event(app.trace(), world::EventKind::Delivered));
    app.apply({Intent::Kind::Undo});
    same_as_script(app);

    // Stepping back: not yet over the click's first line, then over it.
    App back;
    REQUIRE(back.load(lesson("01-pop-vs-imap.txt"), error));
    back.apply(act(script::GetMail{"pc"}));
    back.apply({Intent::Kind::Pause});
    const std::size_t first = *back.branch_line();
    back.apply({Intent::Kind::Seek, first + 1});
    back.apply({Intent::Kind::StepBack});
    CHECK(back.cursor() == first);
    CHECK(back.user_steps() == 1);
    back.apply({Intent::Kind::StepBack});
    CHECK(back.cursor() == first - 1);
    same_as_script(back);

    // "Restore the script" drops every click at once.
    App restore;
    REQUIRE(restore.load(lesson("01-pop-vs-imap.txt"), error));
    restore.apply(act(script::GetMail{"pc"}));
    restore.apply(act(script::GetMail{"phone"}));
    restore.apply({Intent::Kind::RestoreScript});
    same_as_script(restore);
  }

  TEST_CASE("the learner's story, saved, replays the same transcript with postino run") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    app.apply({Intent::Kind::Seek, 20});  // in the middle of the welcome story
    app.apply(act(script::Deliver{.account = "info@tuodominio.it", .from = "a@b.c", .subject = "Clicked \"in\""}));
    app.apply(act(script::GetMail{"laptop"}));
    app.apply({Intent::Kind::Last});
    // A message named by its UID, as the device view's buttons do, and several settings at once.
    app.apply(act(script::Open{.device = "laptop", .uid = 1}));
    world::DeviceConfig c = app.at_cursor().device("laptop")->config();
    c.leave_on_server = true;
    c.keep_days = 3;
    c.poll_every = 10 * kMinute;
    app.apply(act(script::Set{"laptop", c}));
    app.apply(act(script::Wait{}, kHour));
    app.apply(act(script::Backup{}));
    app.apply({Intent::Kind::Last});
    CHECK(app.user_steps() == 6);
    CHECK(app.set_aside() > 0);
    const std::string text = app.scenario_text();
    INFO(text);
    CHECK(text.find(R"(laptop open "Clicked \"in\"")") != std::string::npos);  // by subject
    CHECK(text.find("laptop set keep-days 3") != std::string::npos);
    CHECK(text.find("Listino") == std::string::npos);  // set aside, not saved
    script::Parsed parsed = script::parse(text);
    REQUIRE(parsed.ok());
    script::Played played = script::play(parsed.scenario);
    CHECK(world::transcript(played.world->trace(), world::TranscriptFormat::Text, false, parsed.scenario.title) ==
          app.transcript(false));
  }

  TEST_CASE("the webmail tab's clicks are statements: saved by subject, they replay the same run") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    app.apply({Intent::Kind::Last});
    app.apply(act(script::Deliver{.account = "info@tuodominio.it", .from = "a@b.c", .subject = "Webmail click"}));
    app.apply(act(script::Webmail{.op = script::Webmail::Op::Read, .account = "info@tuodominio.it", .subject = "Webmail click"}));
    app.apply(act(script::Webmail{.op = script::Webmail::Op::Delete, .account = "info@tuodominio.it", .subject = "Webmail click"}));
    app.apply(act(script::Webmail{.op = script::Webmail::Op::EmptyTrash, .account = "info@tuodominio.it"}));
    app.apply({Intent::Kind::Last});
    const std::string text = app.scenario_text();
    INFO(text);
    CHECK(text.find(R"(webmail info@tuodominio.it delete "Webmail click")") != std::string::npos);
    CHECK(text.find("webmail info@tuodominio.it empty-trash") != std::string::npos);
    const mail::Account* a = app.at_cursor().store().find_account("info@tuodominio.it");
    REQUIRE(a);
    CHECK(a->folder("Trash")->count() == 0);
    for (const mail::Entry& e : a->folder("INBOX")->messages()) CHECK(e.message->summary().subject != "Webmail click");
    CHECK(std::none_of(app.trace().begin(), app.trace().end(), [](const world::TraceEntry& t) {
      return t.is_event(world::EventKind::Check) && !t.what->ok;  // no "no such message"
    }));
    script::Parsed parsed = script::parse(text);
    REQUIRE(parsed.ok());
    script::Played played = script::play(parsed.scenario);
    CHECK(world::transcript(played.world->trace(), world::TranscriptFormat::Text, false, parsed.scenario.title) ==
          app.transcript(false));
  }

  TEST_CASE("a real client (--listen) becomes a device; its answers come back once, replays included") {
    App app;
    std::string error;
    REQUIRE(app.load("", error));
    const std::string name = app.external_connect(world::Protocol::Imap, false, 1143);
    CHECK(name == "client1");
    CHECK(app.external_output(name).starts_with("* OK [CAPABILITY IMAP4rev1"));
    CHECK(app.external_output(name).empty());  // taken
    app.external_send(name, "a1 LOGIN info@tuodominio.it segreta\r\na2 SELECT INBOX\r\n");
    std::string out = app.external_output(name);
    CHECK(out.find("a1 OK") != std::string::npos);
    CHECK(out.find("a2 OK [READ-WRITE]") != std::string::npos);
    app.external_send(name, "a3 IDLE\r\n");
    CHECK(app.external_output(name) == "+ idling\r\n");
    // A click delivers mail: the real client in IDLE hears of it at once.
    Intent deliver{Intent::Kind::Act};
    deliver.step.what = script::Deliver{.account = "info@tuodominio.it", .subject = "For the real client"};
    app.apply(deliver);
    CHECK(app.external_output(name).find(" EXISTS\r\n") != std::string::npos);
    // Stepping back and playing again shows the client's lines, and sends nothing twice.
    app.apply({Intent::Kind::First});
    app.apply({Intent::Kind::Last});
    CHECK(app.external_output(name).empty());
    const auto& t = app.trace();
    CHECK(std::any_of(t.begin(), t.end(), [&](const world::TraceEntry& e) {
      return e.device == name && e.to_server && e.text.contains("a3 IDLE");
    }));
    app.external_send(name, "DONE\r\na4 LOGOUT\r\n");
    out = app.external_output(name);
    CHECK(out.find("a3 OK") != std::string::npos);
    CHECK(out.find("* BYE") != std::string::npos);
    CHECK_FALSE(app.external_open(name));
    // STARTTLS on a plain port: the socket is told once to start TLS, then the session goes on
    // encrypted (and the trace marks it).
    const std::string tls = app.external_connect(world::Protocol::Imap, false, 1143);
    CHECK(tls == name);  // the node that hung up is used again
    app.external_output(tls);
    app.external_send(tls, "t1 STARTTLS\r\n");
    CHECK(app.external_output(tls) == "t1 OK Begin TLS negotiation now\r\n");
    CHECK(app.external_take_starttls(tls));
    CHECK_FALSE(app.external_take_starttls(tls));
    app.external_send(tls, "t2 NOOP\r\n");  // plaintext after STARTTLS: never acted on
    CHECK(app.external_output(tls).empty());
    app.external_tls_established(tls);
    app.external_send(tls, "t3 LOGIN info@tuodominio.it segreta\r\n");
    CHECK(app.external_output(tls).find("t3 OK") != std::string::npos);
    app.apply({Intent::Kind::Last});
    const auto& tt = app.trace();
    CHECK(std::any_of(tt.begin(), tt.end(), [&](const world::TraceEntry& e) {
      return e.device == tls && e.to_server && e.tls && e.text.contains("t3 LOGIN");
    }));
    app.external_hang_up(tls);
    // It reconnects: the same node on screen.
    CHECK(app.external_connect(world::Protocol::Imap, false, 1143) == name);
    CHECK(app.external_open(name));
    // A POP3 client that hangs up mid-session: nothing is deleted (no QUIT, no UPDATE).
    const std::string pop = app.external_connect(world::Protocol::Pop3, true, 1995);
    CHECK(pop == "client2");
    app.external_send(pop, "USER info@tuodominio.it\r\nPASS segreta\r\nDELE 1\r\n");
    CHECK(app.external_output(pop).find("+OK") != std::string::npos);
    const std::size_t kept = app.at_cursor().store().find_account("info@tuodominio.it")->inbox().count();
    app.external_hang_up(pop);
    CHECK_FALSE(app.external_open(pop));
    app.apply({Intent::Kind::Last});
    CHECK(app.at_cursor().store().find_account("info@tuodominio.it")->inbox().count() == kept);
    const world::Device* d = app.at_cursor().device(pop);
    REQUIRE(d);
    CHECK(d->external());
    CHECK(d->tls_on_wire() == false);  // disconnected now
  }

  TEST_CASE("side by side: the same story on POP3 and on IMAP ends differently") {
    App base, pop, imap;
    std::string error;
    REQUIRE(base.load("", error));
    pop.load_variant(base, world::Protocol::Pop3);
    imap.load_variant(base, world::Protocol::Imap);
    pop.apply({Intent::Kind::Last});
    imap.apply({Intent::Kind::Last});
    auto inbox = [](const App& a) { return a.at_cursor().store().find_account("info@tuodominio.it")->inbox().count(); };
    CHECK(inbox(imap) == 2);  // IMAP leaves everything on the server (S7, S8)
    CHECK(inbox(pop) < 2);    // POP3 took the first message away (S9)
    CHECK(imap.at_cursor().devices()[0]->count("INBOX") == 2);
    CHECK(pop.at_cursor().devices()[0]->count("INBOX") == 0);
    for (const auto& t : pop.trace()) CHECK_FALSE(t.is_event(world::EventKind::Say));
  }

  TEST_CASE("Italian: interface words and the simulation's event lines") {
    set_lang(Lang::It);
    CHECK(std::string(tr("Open")) == "Apri");
    CHECK(std::string(tr("a sentence nobody translated")) == "a sentence nobody translated");
    const world::Event removed{.kind = world::EventKind::Expunged, .account = "info@tuodominio.it",
                               .folder = "INBOX", .actor = "pop3 #2", .uid = 1};
    CHECK(tr_event(removed) == "eliminato per sempre da info@tuodominio.it, Posta in arrivo: UID 1 (sessione POP3 n. 2)");
    CHECK(tr_folder("Trash") == "Cestino");
    set_lang(Lang::En);
    CHECK(std::string(tr("Open")) == "Open");
    CHECK(tr_event(removed) == "removed from info@tuodominio.it INBOX: UID 1 (by pop3 #2)");
  }

  TEST_CASE("a failed expect is shown from its line until the story speaks again") {
    App app;
    std::string error;
    REQUIRE(app.load(test::data_path("gui/failed_expect.txt"), error));
    app.apply({Intent::Kind::Last});
    const auto& t = app.trace();
    std::size_t check = t.size(), first_say = t.size(), next_say = t.size();
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i].is_event(world::EventKind::Check)) check = i;
      if (t[i].is_event(world::EventKind::Say)) (first_say == t.size() ? first_say : next_say) = i;
    }
    REQUIRE(check < next_say);
    REQUIRE_FALSE(t[check].what->ok);
    app.apply({Intent::Kind::Seek, first_say});
    CHECK_FALSE(app.failed_check());  // not yet
    app.apply({Intent::Kind::Seek, check});
    CHECK(app.failed_check() == check);
    app.apply({Intent::Kind::Seek, next_say - 1});
    CHECK(app.failed_check() == check);  // still, between the lines that follow
    app.apply({Intent::Kind::Seek, next_say});
    CHECK_FALSE(app.failed_check());  // the narration moved on
  }

  TEST_CASE("the saved transcript is in the language asked for") {
    App app;
    std::string error;
    REQUIRE(app.load(test::data_path("gui/failed_expect.txt"), error));
    app.apply({Intent::Kind::Last});
    const std::string en = app.transcript(false, Lang::En), it = app.transcript(false, Lang::It);
    CHECK(en.find(" say * The phone has it.") != std::string::npos);
    CHECK(it.find(" narratore * The phone has it.") != std::string::npos);
    CHECK(it.find(" say * ") == std::string::npos);
  }

  TEST_CASE("a scenario with errors does not load and says why") {
    App app;
    std::string error;
    CHECK_FALSE(app.load(test::data_path("gui/missing.txt"), error));
    CHECK(error.find("cannot read") != std::string::npos);
  }

  // The defect: 10 s after Play the POP side was at 09:00 and the IMAP side still at 08:00.
  TEST_CASE("side by side: both stories move on one clock, line by line, forward and back") {
    App base, pop, imap;
    std::string error;
    REQUIRE(base.load(lesson("03-imap-sync-everywhere.txt"), error));
    pop.load_variant(base, world::Protocol::Pop3);
    imap.load_variant(base, world::Protocol::Imap);
    // After every step no line of either side is still waiting at a time before the clock.
    auto in_step = [&] {
      const Time clock = std::max(pop.time_at_cursor(), imap.time_at_cursor());
      const auto np = pop.next_time(), ni = imap.next_time();
      return (!np || *np >= clock) && (!ni || *ni >= clock);
    };
    std::size_t steps = 0;
    while (step_pair(pop, imap)) {
      REQUIRE(in_step());
      ++steps;
    }
    CHECK(steps >= pop.trace().size() - 1);  // every line of both was shown
    CHECK(pop.finished());
    CHECK(imap.finished());
    CHECK(pop.cursor() == pop.trace().size() - 1);
    CHECK(imap.cursor() == imap.trace().size() - 1);
    for (int k = 0; k < 40; ++k) {  // back: the later side goes first, so they stay in step
      step_pair_back(pop, imap);
      REQUIRE(in_step());
    }
    // Seeking one side by time brings the other to the same moment.
    pop.apply({Intent::Kind::Seek, pop.trace().size() / 2});
    imap.seek_time(pop.time_at_cursor());
    CHECK(imap.time_at_cursor() <= pop.time_at_cursor());
    const auto next = imap.next_time();
    CHECK((!next || *next > pop.time_at_cursor()));
    // Playing the pair keeps them in step too.
    pop.apply({Intent::Kind::First});
    imap.apply({Intent::Kind::First});
    pop.apply({Intent::Kind::Speed, 0, 8.0f});
    imap.apply({Intent::Kind::Speed, 0, 8.0f});
    bool playing = true;
    double wait = 0;
    for (int frame = 0; frame < 50000 && playing; ++frame) {
      tick_pair(pop, imap, 0.05, playing, wait);
      REQUIRE(in_step());
    }
    CHECK_FALSE(playing);  // both ended
  }

  // The defect: --step 82 was the last line in the window and line 82 of 192 in `postino run`.
  TEST_CASE("lines are numbered as postino run prints them") {
    App app;
    std::string error;
    REQUIRE(app.load(lesson("01-pop-vs-imap.txt"), error));
    app.apply({Intent::Kind::Last});
    const std::string printed = world::transcript(app.trace(), world::TranscriptFormat::Text, false);
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < printed.size();) {
      const std::size_t nl = printed.find('\n', at);
      lines.push_back(printed.substr(at, nl - at));
      at = nl + 1;
    }
    REQUIRE(app.printed_line(app.trace().size() - 1) <= lines.size());
    CHECK(lines.size() > app.trace().size());  // message bodies take several lines
    for (std::size_t n = 1; n <= lines.size(); n += 7) {
      const std::size_t k = app.entry_at_line(n);
      CAPTURE(n);
      CHECK(app.printed_line(k) <= n);
      CHECK((k + 1 == app.trace().size() || app.printed_line(k + 1) > n));
      // The entry's first printed line is the transcript's line at that number.
      CHECK(world::transcript({app.trace()[k]}, world::TranscriptFormat::Text, false).starts_with(lines[app.printed_line(k) - 1]));
    }
  }

  TEST_CASE("the scrubber knows the whole story ahead, with its narration marked, and again after a click") {
    App app;
    std::string error;
    REQUIRE(app.load(lesson("03-imap-sync-everywhere.txt"), error));
    app.wait_for_whole();
    CHECK(app.whole_known());
    CHECK(app.cursor() == 0);  // the cursor stayed: only the run ahead moved
    const std::size_t whole = app.whole_length();
    const auto marks = app.narration_marks();
    app.apply({Intent::Kind::Last});
    CHECK(whole == app.trace().size());
    std::vector<std::size_t> says;
    for (std::size_t k = 0; k < app.trace().size(); ++k)
      if (app.trace()[k].is_event(world::EventKind::Say)) says.push_back(k);
    CHECK(marks == says);
    CHECK(marks.size() >= 2);
    // A click makes another story: the run ahead starts over and ends with it.
    app.apply({Intent::Kind::Seek, 10});
    app.apply({Intent::Kind::Act, 0, 0, {.after = kDay, .what = script::Wait{}}});
    CHECK_FALSE(app.whole_known());  // another story now
    app.wait_for_whole();
    const std::size_t branched = app.whole_length();
    app.apply({Intent::Kind::Last});
    CHECK(branched == app.trace().size());
  }
  TEST_CASE("a lesson's question is answered about the world at the cursor; the cursor's world stays there") {
    App app;
    std::string error;
    REQUIRE(app.load(std::string(POSTINO_SOURCE_DIR) + "/lessons/lessons/02-pop3-by-hand.txt", error));
    const lesson::Run& run = *app.lesson_run();
    app.lesson_skip_to(3);  // "Deleting happens at QUIT": which command really deleted them?
    REQUIRE(run.phase() == lesson::Phase::Question);
    const auto& choices = app.current_lesson()->steps[3].question->choices;
    REQUIRE(choices.size() == 3);
    REQUIRE(choices[1].right);
    Intent quit{Intent::Kind::LessonAnswer};
    quit.choices = {1};
    // Back at the first line, nothing has been sent yet: QUIT is not what the window shows.
    app.apply({Intent::Kind::First});
    const std::size_t events = app.at_cursor().events_run();
    app.apply(quit);
    CHECK(app.cursor() == 0);
    CHECK(app.at_cursor().events_run() == events);  // not played on to the end to answer
    REQUIRE(run.last_answer());
    CHECK_FALSE(run.last_answer()->right);
    CHECK(run.phase() == lesson::Phase::Question);
    // At the end of the story the window shows the QUIT: right.
    app.apply({Intent::Kind::Last});
    app.apply(quit);
    CHECK(run.last_answer()->right);
    CHECK(run.phase() == lesson::Phase::Done);
  }

  TEST_CASE("a lesson in the window: its solutions through clicks, right answers, every step done") {
    // 04: questions after tasks; 06: predictions.
    std::size_t wrong_tried = 0;
    for (const char* name : {"04-leave-a-copy.txt", "06-imap-sync.txt"}) {
    CAPTURE(name);
    App app;
    std::string error;
    const std::string file = std::string(POSTINO_SOURCE_DIR) + "/lessons/lessons/" + name;
    REQUIRE(app.load(file, error));
    REQUIRE(app.current_lesson());
    const lesson::Run& run = *app.lesson_run();
    const lesson::Lesson& les = *app.current_lesson();
    CHECK(app.title(Lang::It) == les.setup.title.in(Lang::It));
    // Step 1's actions were appended and play from their first line.
    CHECK(app.playing());
    CHECK(app.scenario().steps.size() == les.steps[0].actions.size());
    std::size_t tasks = 0, questions = 0;
    for (int guard = 0; !run.finished() && guard < 200; ++guard) {
      const lesson::Step& st = les.steps[run.reached()];
      switch (run.phase()) {
        case lesson::Phase::Predict:
        case lesson::Phase::Question: {
          // A question about what happened is answered about the world at the cursor: once the
          // step has played (the panel waits for it too).
          if (run.phase() == lesson::Phase::Question)
            while (app.playing()) app.tick(1.0);
          Intent right{Intent::Kind::LessonAnswer}, wrong{Intent::Kind::LessonAnswer};
          for (std::size_t k = 0; k < st.question->choices.size(); ++k)
            (st.question->choices[k].right ? right : wrong).choices.push_back(k);
          // A wrong answer may be tried again (a prediction is revealed by playing on, right or not).
          if (run.phase() == lesson::Phase::Question && !wrong.choices.empty()) {
            wrong.choices.resize(1);
            app.apply(wrong);
            REQUIRE(run.last_answer());
            CHECK_FALSE(run.last_answer()->right);
            CHECK_FALSE(run.can_next());
            ++wrong_tried;
          }
          app.apply(right);
          REQUIRE(run.last_answer());
          CHECK(run.last_answer()->right);
          ++questions;
          break;
        }
        case lesson::Phase::Task: {
          CHECK_FALSE(run.can_next());
          app.apply({Intent::Kind::Last});  // the story so far, seen to its end: still waiting
          CHECK(run.phase() == lesson::Phase::Task);
          app.apply({Intent::Kind::LessonHint});
          CHECK(run.hints_shown() == std::min<std::size_t>(1, st.task->hints.size()));
          for (const script::Step& s : st.task->solution) app.apply({Intent::Kind::Act, 0, 0, s});
          while (app.playing()) app.tick(1.0);  // the clicks play to the end: the task is judged there
          CHECK(run.phase() != lesson::Phase::Task);
          CHECK(run.condition_met(app.at_cursor()));
          CHECK(app.user_steps() == 0);  // a done task's clicks stay: Undo cannot take them back
          ++tasks;
          break;
        }
        case lesson::Phase::Play: FAIL("the App plays a step's actions itself"); break;
        case lesson::Phase::Done: {
          const std::size_t statements = app.scenario().steps.size();
          app.apply({Intent::Kind::Undo});  // nothing to take back: the lesson's actions stay
          CHECK(app.scenario().steps.size() == statements);
          const std::size_t k = run.step_index();
          app.apply({Intent::Kind::LessonNext});
          if (!run.finished()) CHECK(run.step_index() == k + 1);
          break;
        }
      }
    }
    REQUIRE(run.finished());
    std::size_t want_tasks = 0, want_questions = 0;
    for (const lesson::Step& st : les.steps) {
      want_tasks += st.task ? 1 : 0;
      want_questions += st.question ? 1 : 0;
    }
    CHECK(tasks == want_tasks);
    CHECK(questions == want_questions);
    CHECK(tasks > 0);
    const lesson::Run::Summary sum = run.summary(Lang::It);
    CHECK(sum.steps == les.steps.size());
    CHECK(sum.tasks == want_tasks);
    CHECK(sum.claims == les.claims);
    // Reset (load again) starts over.
    REQUIRE(app.load(file, error));
    CHECK(app.lesson_run()->step_index() == 0);
    CHECK_FALSE(app.lesson_run()->finished());
    }
    CHECK(wrong_tried > 0);
  }

  TEST_CASE("every bundled lesson and story can be played to its end in the window") {
    for (const char* folder : {"lessons", "stories"}) {
      for (const auto& e : std::filesystem::directory_iterator(std::string(POSTINO_SOURCE_DIR) + "/lessons/" + folder)) {
        CAPTURE(e.path().string());
        App app;
        std::string error;
        REQUIRE(app.load(e.path().string(), error));
        REQUIRE(app.lesson_run());
        app.lesson_skip_to(app.lesson_run()->step_count());
        CHECK(app.lesson_run()->finished());
      }
    }
  }

  TEST_CASE("a plain scenario is no lesson; a broken lesson is refused with its line") {
    App app;
    std::string error;
    REQUIRE(app.load(lesson("01-pop-vs-imap.txt"), error));
    CHECK_FALSE(app.current_lesson());
    const std::string bad = "/tmp/postino-app-test-bad-lesson.txt";
    { std::ofstream(bad) << "lesson\ntitle en \"Only English\"\nstep en \"One\"\n"; }
    CHECK_FALSE(app.load(bad, error));
    CHECK(error.find(":2") != std::string::npos);
    CHECK_FALSE(app.current_lesson());  // it kept what it had
    std::filesystem::remove(bad);
  }
}


}  // namespace postino::gui
