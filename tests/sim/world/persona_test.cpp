// The mail apps' defaults (sim/world/persona.cpp): the same statements play differently with
// another app named on the device line, and a scenario written back keeps each device's settings.
#include <doctest/doctest.h>

#include "sim/script/scenario.hpp"
#include "sim/world/persona.hpp"
#include "support/fixtures.hpp"

namespace postino::world {

TEST_SUITE("world") {
  TEST_CASE("the same statements: Thunderbird's POP keeps the mail on the server, the generic app deletes it (S9)") {
    auto server_inbox_after = [](const std::string& app) {
      script::Parsed p = script::parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                       "device pc laptop " + app + " pop3 995\n"
                                       "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                                       "pc get-mail\n");
      REQUIRE(p.ok());
      script::Played played = script::play(p.scenario);
      CHECK(played.world->device("pc")->count("INBOX") == 1);
      return played.world->store().find_account("info@tuodominio.it")->inbox().count();
    };
    CHECK(server_inbox_after("client thunderbird") == 1);
    CHECK(server_inbox_after("client apple-mail") == 1);
    CHECK(server_inbox_after("") == 0);
    CHECK(server_inbox_after("client mutt") == 0);
    CHECK(server_inbox_after("client thunderbird leave-on-server off") == 0);
  }

  // `set pop3 995` on an IMAP device is a new account in the same app: that app's POP3 defaults.
  TEST_CASE("another protocol: the app's defaults for it; the checks stay as set") {
    auto after_switch = [](const std::string& app) {
      script::Parsed p = script::parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                       "device pc laptop " + app + " imap 993 poll 5m\n"
                                       "pc set pop3 995\n");
      REQUIRE(p.ok());
      return std::get<script::Set>(p.scenario.steps.back().what).settings;
    };
    const DeviceConfig tb = after_switch("client thunderbird");
    CHECK(tb.leave_on_server);
    CHECK(tb.keep_days == 14);
    CHECK(tb.delete_when_deleted_here);
    CHECK(tb.poll_every == 5 * kMinute);
    const DeviceConfig generic = after_switch("");
    CHECK_FALSE(generic.leave_on_server);
    CHECK(generic.poll_every == 5 * kMinute);
    script::Parsed back = script::parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                        "device pc laptop client outlook pop3 995\npc set imap 993\n");
    REQUIRE(back.ok());
    const DeviceConfig ol = std::get<script::Set>(back.scenario.steps.back().what).settings;
    CHECK_FALSE(ol.idle);  // Outlook's IMAP: no IDLE
    CHECK_FALSE(ol.leave_on_server);
    CHECK(ol.keep_days == 0);
  }

  TEST_CASE("Thunderbird deletes the server copy 14 days after the download; Outlook checks every 30 minutes") {
    script::Played played = test::play_passing("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                               "device tb laptop client thunderbird pop3 995 poll off\n"
                                               "device ol desktop client outlook imap 993\n"
                                               "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                                               "tb get-mail\n"
                                               "at 09:31 expect ol INBOX has \"Ordine 42\"\n"
                                               "at day 14 09:01 tb get-mail\n"
                                               "expect server info@tuodominio.it INBOX has \"Ordine 42\"\n"
                                               "at day 15 09:01 tb get-mail\n"
                                               "expect server info@tuodominio.it INBOX count 0\n");
    CHECK(played.outcomes.size() == 3);
    // Outlook on IMAP: no IDLE, a check every 30 minutes (at 09:30 the message was there).
    bool idle = false;
    for (const TraceEntry& e : played.world->trace())
      if (e.kind == TraceEntry::Kind::Wire && e.device == "ol" && e.to_server && e.text.first_piece().find("IDLE") != std::string_view::npos) idle = true;
    CHECK_FALSE(idle);
  }

  TEST_CASE("Thunderbird keeps bodies offline: opening sends no FETCH; the phone's app fetches the body on open") {
    script::Parsed p = script::parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                     "device tb laptop client thunderbird imap 993\n"
                                     "device ph phone client phone-mail imap 993\n"
                                     "device gen laptop imap 993\n"
                                     "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                                     "tb get-mail\nph get-mail\ngen get-mail\n"
                                     "after 1m tb open \"Ordine 42\"\n"
                                     "after 1m ph open \"Ordine 42\"\n"
                                     "after 1m gen open \"Ordine 42\"\n");
    REQUIRE(p.ok());
    script::Played played = script::play(p.scenario);
    // What each device sent after the delivery, the FETCHes of a body among it.
    auto sent = [&](const std::string& device, std::string_view needle) {
      std::vector<std::string> out;
      for (const TraceEntry& e : played.world->trace())
        if (e.kind == TraceEntry::Kind::Wire && e.device == device && e.to_server) {
          const std::string line(e.text.first_piece());
          if (line.find(needle) != std::string::npos) out.push_back(line.substr(line.find(' ') + 1));
        }
      return out;
    };
    auto bodies_here = [&](const std::string& device) {
      const imap::Client* c = played.world->device(device)->imap_client();
      REQUIRE(c);
      std::size_t n = 0;
      for (const auto& [uid, m] : c->folders().at("INBOX").messages) n += m.has_body;
      return n;
    };
    // Thunderbird downloaded the body with the headers: opening only told the server it was read.
    CHECK(sent("tb", "BODY.PEEK[]") == std::vector<std::string>{"UID FETCH 1 BODY.PEEK[]\r\n"});
    CHECK(sent("tb", "(BODY[])").empty());
    CHECK(sent("tb", "UID STORE") == std::vector<std::string>{"UID STORE 1 +FLAGS (\\Seen)\r\n"});
    CHECK(bodies_here("tb") == 1);
    // The phone's app and the generic one: headers at sync, the body on open.
    for (const std::string d : {"ph", "gen"}) {
      CAPTURE(d);
      CHECK(sent(d, "BODY.PEEK[]").empty());
      CHECK(sent(d, "(BODY[])") == std::vector<std::string>{"UID FETCH 1 (BODY[])\r\n"});
      CHECK(bodies_here(d) == 1);
    }
    CHECK(played.world->device("tb")->config().offline);
    CHECK_FALSE(played.world->device("ph")->config().offline);
  }

  TEST_CASE("set offline: an event narrated in both languages; the next sync downloads the bodies") {
    script::Played played = test::play_passing("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                               "device ph phone client phone-mail imap 993\n"
                                               "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                                               "ph get-mail\n"
                                               "after 1m ph set offline on\n"
                                               "after 1m ph get-mail\n"
                                               "expect ph setting offline on\n");
    const Event* changed = nullptr;
    for (const TraceEntry& e : played.world->trace())
      if (e.is_event(EventKind::SettingChanged) && e.what->setting == Setting::Offline) changed = e.what.get();
    REQUIRE(changed);
    CHECK(changed->old_value == 0);
    CHECK(changed->new_value == 1);
    const imap::Client* c = played.world->device("ph")->imap_client();
    REQUIRE(c);
    CHECK(c->folders().at("INBOX").messages.at(1).has_body);
  }

  TEST_CASE("each app says who it is (RFC 2971 ID) where the real one does: Thunderbird after login, Apple's before, Outlook never") {
    script::Parsed p = script::parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                                     "device tb laptop client thunderbird imap 993\n"
                                     "device mac laptop client apple-mail imap 993\n"
                                     "device ph phone client phone-mail imap 993\n"
                                     "device ol desktop client outlook imap 993\n"
                                     "device gen laptop imap 993\n"
                                     "tb get-mail\nmac get-mail\nph get-mail\nol get-mail\ngen get-mail\n");
    REQUIRE(p.ok());
    script::Played played = script::play(p.scenario);
    // Each device's first three commands, without tags.
    auto first = [&](const std::string& device) {
      std::vector<std::string> out;
      for (const TraceEntry& e : played.world->trace())
        if (e.kind == TraceEntry::Kind::Wire && e.device == device && e.to_server && out.size() < 3) {
          const std::string line(e.text.first_piece());
          out.push_back(line.substr(line.find(' ') + 1, line.find(' ', line.find(' ') + 1) - line.find(' ') - 1));
        }
      return out;
    };
    CHECK(first("tb") == std::vector<std::string>{"AUTHENTICATE", "ID", "ENABLE"});
    CHECK(first("mac") == std::vector<std::string>{"ID", "AUTHENTICATE", "ENABLE"});
    CHECK(first("ph") == std::vector<std::string>{"ID", "AUTHENTICATE", "ENABLE"});
    CHECK(first("ol") == std::vector<std::string>{"AUTHENTICATE", "ENABLE", "LIST"});
    CHECK(first("gen") == std::vector<std::string>{"AUTHENTICATE", "ENABLE", "LIST"});
    bool thunderbird_named = false;
    for (const TraceEntry& e : played.world->trace())
      if (e.kind == TraceEntry::Kind::Wire && e.device == "tb" && e.to_server &&
          e.text.first_piece().ends_with(" ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")\r\n"))
        thunderbird_named = true;
    CHECK(thunderbird_named);
  }

  TEST_CASE("with_app_defaults: a persona's settings for the device's protocol, the generic ones otherwise") {
    DeviceConfig c;
    c.protocol = Protocol::Pop3;
    c.client = "outlook";
    DeviceConfig d = with_app_defaults(c);
    CHECK(d.leave_on_server);
    CHECK(d.keep_days == 14);
    CHECK_FALSE(d.delete_when_deleted_here);
    CHECK(d.poll_every == 30 * kMinute);
    c.protocol = Protocol::Imap;
    d = with_app_defaults(c);
    CHECK_FALSE(d.leave_on_server);
    CHECK_FALSE(d.idle);
    c.client = "";
    d = with_app_defaults(c);
    CHECK(d.idle);
    CHECK(d.poll_every == 0);
    CHECK(persona_names().size() == 5);
    for (auto name : persona_names()) CHECK(persona(name).has_value());
    CHECK_FALSE(persona("mutt").has_value());
  }

  TEST_CASE("written back, every device keeps its settings whatever its app's defaults") {
    const std::string text =
        "server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
        "device a laptop client thunderbird pop3 995\n"
        "device b laptop client thunderbird pop3 995 leave-on-server off poll 5m\n"
        "device c laptop client thunderbird pop3 995 leave-on-server on delete-when-deleted off\n"
        "device d laptop pop3 995 keep-days 3 delete-when-deleted\n"
        "device e desktop client outlook imap 993 idle on poll off\n"
        "device f phone client phone-mail imap 993 delete expunge\n"
        "device g phone client mutt imap 143 starttls idle off\n"
        "device h phone imap 993\n"
        "at 09:00 add device i desktop client outlook pop3 995 keep-days 0\n"
        "add device j desktop client apple-mail pop3 110 starttls leave-on-server off\n";
    script::Parsed first = script::parse(text);
    REQUIRE(first.ok());
    const std::string written = script::write(first.scenario);
    INFO(written);
    script::Parsed again = script::parse(written);
    REQUIRE(again.ok());
    CHECK(again.scenario.devices == first.scenario.devices);
    REQUIRE(again.scenario.steps.size() == first.scenario.steps.size());
    for (std::size_t i = 0; i < first.scenario.steps.size(); ++i) CHECK(again.scenario.steps[i].what == first.scenario.steps[i].what);
    // Only what differs from the app's defaults is spelled out.
    CHECK(written.find("device a laptop client thunderbird pop3 995 account info@tuodominio.it password \"x\"\n") != std::string::npos);
    CHECK(written.find("device h phone imap 993 account info@tuodominio.it password \"x\"\n") != std::string::npos);
    CHECK(written.find("client thunderbird pop3 995 account info@tuodominio.it password \"x\" leave-on-server off poll 5m\n") !=
          std::string::npos);
  }
}

}  // namespace postino::world
