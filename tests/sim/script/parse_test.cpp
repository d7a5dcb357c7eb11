// The scenario language's errors: file:line:column, the line, a caret, a suggestion.
#include <doctest/doctest.h>

#include "sim/script/scenario.hpp"
#include "support/fixtures.hpp"

namespace postino::script {
namespace {

const char* const kHead = test::kScenarioHead;

std::string first_error(const std::string& body) { return test::first_error(std::string(kHead) + body); }

}  // namespace

TEST_SUITE("script") {
  TEST_CASE("a good scenario parses into setup and steps") {
    Parsed p = parse(std::string(kHead) +
                     "# comment\n"
                     "at 09:00 deliver to info@tuodominio.it from \"a@b.c\" subject \"Ordine 42\" size 80KB\n"
                     "pc get-mail   # trailing comment\n"
                     "after 5m phone open \"Ordine 42\"\n"
                     "expect server info@tuodominio.it INBOX count 0\n"
                     "say \"Fatto \\\"bene\\\" \\\\Seen\"\n");
    REQUIRE(p.ok());
    const Scenario& s = p.scenario;
    CHECK(s.default_quota == 20u * 1024 * 1024);
    REQUIRE(s.devices.size() == 2);
    CHECK(s.devices[0].security == world::Security::Tls);
    CHECK(s.devices[0].password == "segreta");
    REQUIRE(s.steps.size() == 5);
    CHECK(s.steps[0].at == from_civil(2026, 11, 26, 9, 0));
    CHECK(s.steps[0].line == 6);
    const auto& deliver = std::get<Deliver>(s.steps[0].what);
    CHECK(deliver.size == 80u * 1024);
    CHECK(deliver.from == "a@b.c");
    CHECK(deliver.subject == "Ordine 42");
    CHECK(std::get<GetMail>(s.steps[1].what).device == "pc");
    CHECK(s.steps[2].after == 5 * kMinute);
    const auto& open = std::get<Open>(s.steps[2].what);
    CHECK(open.device == "phone");
    CHECK(open.folder == "INBOX");
    CHECK(open.subject == "Ordine 42");
    const auto& count = std::get<ExpectCount>(std::get<Expectation>(s.steps[3].what));
    CHECK(count.device.empty());  // the server's own view
    CHECK(count.account == "info@tuodominio.it");
    CHECK(count.count == 0);
    CHECK(std::get<Say>(s.steps[4].what).text == "Fatto \"bene\" \\Seen");
  }

  TEST_CASE("each statement becomes a step of its own kind, with what it says") {
    Parsed p = parse(std::string(kHead) +
                     "deliver to info@tuodominio.it body \"Ciao\" count 3\n"
                     "phone move \"Ordine\" in Archivio to Cestino\n"
                     "phone rename-folder Archivio to Vecchi\n"
                     "pc set keep-days 7\n"
                     "restore info@tuodominio.it to day 2 03:00\n"
                     "after 1m wait 10m\n"
                     "expect phone Vecchi lacks \"Ordine\"\n"
                     "expect webmail info@tuodominio.it used > 1KB\n"
                     "expect pc error \"password\"\n"
                     "expect trace has \"RETR\"\n"
                     "expect bounces 2\n");
    REQUIRE(p.ok());
    const auto& st = p.scenario.steps;
    REQUIRE(st.size() == 11);
    const auto& deliver = std::get<Deliver>(st[0].what);
    CHECK(deliver.from == "sender@example.com");
    CHECK(deliver.subject == "(no subject)");
    CHECK(deliver.body == "Ciao");
    CHECK(deliver.copies == 3);
    const auto& move = std::get<Move>(st[1].what);
    CHECK(move.folder == "Archivio");
    CHECK(move.to == "Cestino");
    CHECK(move.subject == "Ordine");
    const auto& rename = std::get<RenameFolder>(st[2].what);
    CHECK(rename.folder == "Archivio");
    CHECK(rename.to == "Vecchi");
    const auto& set = std::get<Set>(st[3].what);
    CHECK(set.device == "pc");
    CHECK(set.settings.keep_days == 7);
    CHECK(set.settings.leave_on_server);
    CHECK(std::get<Restore>(st[4].what).when == from_civil(2026, 11, 27, 3, 0));
    CHECK(std::holds_alternative<Wait>(st[5].what));
    CHECK(st[5].after == 11 * kMinute);  // the delay and the wait, one after the other
    const auto expectation = [&](std::size_t i) { return std::get<Expectation>(st[i].what); };
    const auto lacks = std::get<ExpectLacks>(expectation(6));
    CHECK(lacks.device == "phone");
    CHECK(lacks.account.empty());
    CHECK(lacks.folder == "Vecchi");
    const auto used = std::get<ExpectUsed>(expectation(7));
    CHECK_FALSE(used.below);
    CHECK(used.octets == 1024);
    CHECK(std::get<ExpectError>(expectation(8)).device == "pc");
    CHECK(std::get<ExpectTrace>(expectation(9)).text == "RETR");
    CHECK(std::get<ExpectBounces>(expectation(10)).count == 2);
  }

  TEST_CASE("errors name the line and column, show a caret, suggest the likely word") {
    CHECK(first_error("pc get-mial\n") ==
          "demo.txt:5:4: error: unknown action \"get-mial\" for device pc; did you mean \"get-mail\"?\n"
          "    pc get-mial\n"
          "       ^\n");
    CHECK(first_error("phnoe get-mail\n") ==
          "demo.txt:5:1: error: unknown statement or device \"phnoe\"; did you mean \"phone\"?\n"
          "    phnoe get-mail\n"
          "    ^\n");
    CHECK(first_error("device tab tablet client x imap 995\n") ==
          "demo.txt:5:33: error: IMAP uses port 143 (plain or STARTTLS) or 993 (SSL/TLS), not 995 (source claim S5)\n"
          "    device tab tablet client x imap 995\n"
          "                                    ^\n");
    CHECK(first_error("device pc laptop pop3 110\n").find("a device called \"pc\" already exists") != std::string::npos);
    CHECK(first_error("device x laptop pop3 995 starttls\n").find("port 995 is TLS from the first byte") != std::string::npos);
    CHECK(first_error("device x laptop imap 993 keep-days 7\n").find("are POP3 settings") != std::string::npos);
    CHECK(first_error("device x laptop pop3 110 acount info@tuodominio.it\n").find("did you mean \"account\"") != std::string::npos);
    CHECK(first_error("device x laptop pop3 110 account nobody@tuodominio.it\n").find("no account \"nobody@tuodominio.it\"") != std::string::npos);
    CHECK(first_error("device x smartwatch pop3 110\n").find("unknown kind of device") != std::string::npos);
    // Names the transcript uses for the server and the story cannot be devices' names.
    for (const char* reserved : {"clock", "Server", "say", "expect", "webmail"})
      CHECK(first_error("device " + std::string(reserved) + " laptop pop3 995\n").find("is a reserved word") != std::string::npos);
    CHECK(first_error("at 25:00 pc get-mail\n").find("is not a time of day") != std::string::npos);
    CHECK(first_error("at 10:00 pc get-mail\nat 09:00 pc get-mail\n").find("demo.txt:6:") != std::string::npos);
    CHECK(first_error("after 5 pc get-mail\n").find("is not a duration") != std::string::npos);
    CHECK(first_error("deliver to info@tuodominio.it size big\n").find("is not a size") != std::string::npos);
    CHECK(first_error("say \"unterminated\n").find("no closing") != std::string::npos);
    CHECK(first_error("say hello\n").find("must be in double quotes") != std::string::npos);
    CHECK(first_error("pc flag \"x\"\n").find("POP3, which has no folders") != std::string::npos);
    // Settings: another protocol and port, polling; what follows a switch is checked against it.
    CHECK(first_error("pc set imap 993\npc move \"x\" to Archivio\n") == "ok");
    CHECK(first_error("pc set pop3 443\n").find("POP3 uses port 110 (plain or STARTTLS) or 995") != std::string::npos);
    CHECK(first_error("phone set imap 993 starttls\n").find("port 993 is TLS from the first byte") != std::string::npos);
    CHECK(first_error("phone set pop3 110 starttls\nphone set keep-days 7\n") == "ok");
    CHECK(first_error("phone set keep-days 7\n").find("is not an IMAP setting") != std::string::npos);
    CHECK(first_error("pc set poll 5m\npc set poll off\n") == "ok");
    CHECK(first_error("pc set poll often\n").find("is not a duration") != std::string::npos);
    CHECK(first_error("expect phnoe INBOX count 1\n").find("did you mean \"phone\"") != std::string::npos);
    CHECK(first_error("expect phone INBOX cuont 1\n").find("did you mean \"count\"") != std::string::npos);
    CHECK(first_error("expect server info@tuodominio.it INBOX count\n").find("missing the expected number") != std::string::npos);
    CHECK(first_error("pc get-mail now\n").find("unexpected \"now\"") != std::string::npos);
    CHECK(first_error("pc get-mail\n") == "ok");
  }

  TEST_CASE("DEVICE connection-drops after \"TEXT\": parsed, its mistakes named") {
    Parsed p = parse(std::string(kHead) + "pc connection-drops after \"DELE\"\n");
    REQUIRE(p.ok());
    REQUIRE(p.scenario.steps.size() == 1);
    CHECK(std::get<DropConnection>(p.scenario.steps[0].what) == DropConnection{"pc", "DELE"});
    CHECK(first_error("pc conection-drops after \"RETR\"\n") ==
          "demo.txt:5:4: error: unknown action \"conection-drops\" for device pc; did you mean \"connection-drops\"?\n"
          "    pc conection-drops after \"RETR\"\n"
          "       ^\n");
    CHECK(first_error("pc connection-drops \"RETR\"\n").find("expected \"after\"") != std::string::npos);
    CHECK(first_error("pc connection-drops after RETR\n").find("must be in double quotes") != std::string::npos);
    CHECK(first_error("pc connection-drops after \"\"\n").find("the start of a line the device sends") != std::string::npos);
    CHECK(first_error("pc connection-drops after \"RETR\" now\n").find("unexpected \"now\"") != std::string::npos);
  }

  TEST_CASE("server ... plaintext-auth yes|no: the provider's rule for passwords on 110/143") {
    CHECK(parse("account a@x password \"p\"\n").scenario.plaintext_auth);  // the default, as most hosts
    CHECK_FALSE(parse("server x plaintext-auth no\naccount a@x password \"p\"\n").scenario.plaintext_auth);
    CHECK(parse("server x plaintext-auth yes\naccount a@x password \"p\"\n").scenario.plaintext_auth);
    Parsed bad = parse("server x plaintext-auth off\naccount a@x password \"p\"\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(format_diagnostic("demo.txt", bad.errors[0]) ==
          "demo.txt:1:25: error: write \"plaintext-auth yes\" or \"plaintext-auth no\"\n"
          "    server x plaintext-auth off\n"
          "                            ^\n");
    Parsed typo = parse("server x plaintext-aut no\naccount a@x password \"p\"\n");
    REQUIRE_FALSE(typo.ok());
    CHECK(format_diagnostic("demo.txt", typo.errors[0]).find("did you mean \"plaintext-auth\"") != std::string::npos);
  }

  TEST_CASE("whole-file problems: no account, too many mailboxes, garbage") {
    CHECK_FALSE(parse("device pc laptop pop3 995\n").ok());
    CHECK_FALSE(parse("").ok());
    std::string many = "server x.it mailboxes 2\n";
    for (int i = 0; i < 3; ++i) many += "account a" + std::to_string(i) + "@x.it password \"p\"\n";
    Parsed p = parse(many);
    REQUIRE_FALSE(p.ok());
    CHECK(p.errors[0].message.find("(source claim S1)") != std::string::npos);
    CHECK(p.errors[0].line == 4);
    std::string junk(5000, '\x01');
    junk += "\n\"\n{\n";
    CHECK_FALSE(parse(junk).ok());  // and no crash
  }

  TEST_CASE("ceilings: no overflow, no gigabytes, no hours of play; each error names its limit") {
    // (UBSan: signed overflow before; size 100GB: bad_alloc; count 1000000 x 20MB: hours.)
    auto err = [](const std::string& body) { return first_error(body); };
    CHECK(err("wait 999999999999999999d\n") ==
          "demo.txt:5:6: error: \"999999999999999999d\" is too long: a duration is at most 3650d (10 years)\n"
          "    wait 999999999999999999d\n"
          "         ^\n");
    CHECK(err("wait 3651d\n").find("at most 3650d") != std::string::npos);
    CHECK(err("wait 3000d\nwait 3000d\n").find("demo.txt:6:1: error: the scenario would last more than 3650 days") == 0);
    CHECK(err("wait 87600h\n") == "ok");
    CHECK(err("at day 99999999999999999 09:00 pc get-mail\n").find("demo.txt:5:8: error: a day number is at most 3650") == 0);
    CHECK(err("at day 2 -1:-30 pc get-mail\n").find("demo.txt:5:10: error: \"-1:-30\" is not a time of day") == 0);
    CHECK(err("at day 2 9:05 pc get-mail\n") == "ok");
    CHECK(err("restore info@tuodominio.it to day 99999999999999999 09:00\n").find("a day number is 1 to 3650") != std::string::npos);
    CHECK(err("deliver to info@tuodominio.it size 100GB\n") ==
          "demo.txt:5:36: error: \"100GB\" is too big: a message is at most 50MB\n"
          "    deliver to info@tuodominio.it size 100GB\n"
          "                                       ^\n");
    CHECK(err("deliver to info@tuodominio.it size 18446744073709551615GB\n").find("demo.txt:5:36: error:") == 0);
    CHECK(err("deliver to info@tuodominio.it size 20MB count 1000000\n").find("demo.txt:5:47: error: count is 1 to 10000, not 1000000") == 0);
    CHECK(err("deliver to info@tuodominio.it size 20MB count 11\n").find("demo.txt:5:1: error: the scenario's deliveries would make more than 200MB") == 0);
    CHECK(err("deliver to info@tuodominio.it size 20MB count 5\ndeliver to info@tuodominio.it size 20MB count 6\n").find("demo.txt:6:1:") == 0);
    CHECK(err("deliver to info@tuodominio.it size 50MB count 4\n") == "ok");
    CHECK(parse("server x quota 99999999999999999GB\naccount a@x password \"p\"\n").errors.at(0).message ==
          "\"99999999999999999GB\" is too big: a size is at most 1TB");
    CHECK(err("device t tablet imap 4294967439\n").find("demo.txt:5:22: error: a port is 1 to 65535, not 4294967439") == 0);
    CHECK(err("device t tablet pop3 995 keep-days 4294967295\n").find("keep-days is 0 to 3650, not 4294967295") != std::string::npos);
    CHECK(err("pc set keep-days 4294967295\n").find("keep-days is 0 to 3650") != std::string::npos);
    CHECK(err("device t tablet pop3 995 keep-days 3650\n") == "ok");
    CHECK(parse("start 2026-02-30 08:00\naccount a@x password \"p\"\n").errors.at(0).message.find("is not a date") != std::string::npos);
    CHECK(parse("start 2028-02-29 08:00\naccount a@x password \"p\"\n").ok());
  }

  TEST_CASE("a control character (a NUL byte) is a clear error, printed without it") {
    const std::string out = first_error(std::string("pc get", 6) + '\0' + "mail\n");
    CHECK(out == "demo.txt:5:7: error: control character 0x00 in the line: a scenario file is plain text\n"
                 "    pc get?mail\n"
                 "          ^\n");
    CHECK(out.find('\0') == std::string::npos);
  }
  TEST_CASE("client NAME: the app's own defaults for what the line does not say; options on the line win") {
    auto device = [](const std::string& line) {
      Parsed p = parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n" + line + "\n");
      INFO((p.errors.empty() ? std::string() : format_diagnostic("t.txt", p.errors.front())));
      REQUIRE(p.ok());
      REQUIRE(p.scenario.devices.size() == 1);
      return p.scenario.devices[0];
    };
    // The label alone: Thunderbird's account wizard (sim/world/persona.cpp).
    const world::DeviceConfig tb = device("device pc laptop client thunderbird pop3 995");
    CHECK(tb.client == "thunderbird");
    CHECK(tb.leave_on_server);
    CHECK(tb.keep_days == 14);
    CHECK(tb.delete_when_deleted_here);
    CHECK(tb.poll_every == 10 * kMinute);
    const world::DeviceConfig outlook = device("device pc laptop client Outlook imap 993");
    CHECK_FALSE(outlook.idle);
    CHECK(outlook.poll_every == 30 * kMinute);
    CHECK(outlook.delete_mode == imap::ClientConfig::Delete::MoveToTrash);
    const world::DeviceConfig phone = device("device phone phone client phone-mail pop3 995");
    CHECK(phone.leave_on_server);
    CHECK(phone.keep_days == 0);
    CHECK(phone.poll_every == 15 * kMinute);
    // What the line says wins, setting by setting.
    const world::DeviceConfig tb3 = device("device pc laptop client thunderbird pop3 995 keep-days 3 poll 1m");
    CHECK(tb3.keep_days == 3);
    CHECK(tb3.poll_every == kMinute);
    CHECK(tb3.delete_when_deleted_here);  // not said: Thunderbird's
    const world::DeviceConfig off = device("device pc laptop client thunderbird pop3 995 leave-on-server off poll off");
    CHECK_FALSE(off.leave_on_server);
    CHECK(off.keep_days == 0);
    CHECK_FALSE(off.delete_when_deleted_here);  // nothing left on the server to delete
    CHECK(off.poll_every == 0);
    const world::DeviceConfig forever = device("device pc laptop client thunderbird pop3 995 leave-on-server on delete-when-deleted off");
    CHECK(forever.leave_on_server);
    CHECK(forever.keep_days == 0);
    CHECK_FALSE(forever.delete_when_deleted_here);
    CHECK(device("device pc laptop client outlook imap 993 idle on").idle);
    CHECK(device("device pc laptop client thunderbird imap 993 idle off delete expunge").delete_mode ==
          imap::ClientConfig::Delete::FlagAndExpunge);
    // No app, or one Postino does not know: the generic settings (S9: deleted after download).
    for (const char* line : {"device pc laptop pop3 995", "device pc laptop client mutt pop3 995"}) {
      CAPTURE(line);
      const world::DeviceConfig generic = device(line);
      CHECK_FALSE(generic.leave_on_server);
      CHECK_FALSE(generic.delete_when_deleted_here);
      CHECK(generic.poll_every == 0);
    }
    CHECK(device("device pc laptop pop3 995").client.empty());
    CHECK(device("device pc laptop client mutt imap 993").idle);
  }

  TEST_CASE("client NAME: a typo of a known app, a setting said twice or contradicted, are errors") {
    CHECK(first_error("device x laptop client thunderbrid pop3 995\n") ==
          "demo.txt:5:24: error: \"thunderbrid\" is not a mail app Postino knows (thunderbird, outlook, apple-mail, "
          "windows-mail, phone-mail); did you mean \"thunderbird\"?\n    device x laptop client thunderbrid pop3 995\n"
          "                           ^\n");
    CHECK(first_error("device x laptop client \"apple mail\" imap 993\n").find("did you mean \"apple-mail\"") != std::string::npos);
    CHECK(first_error("device x laptop client outlook pop3 995 keep-days 7 leave-on-server off\n")
              .find("5:53: error: \"leave-on-server off\" contradicts \"keep-days 7\" earlier on this line") != std::string::npos);
    CHECK(first_error("device x laptop imap 993 idle on idle off\n").find("5:34: error: \"idle off\" contradicts \"idle on\"") !=
          std::string::npos);
    CHECK(first_error("device x laptop imap 993 poll off poll 5m\n").find("\"poll 5m\" contradicts \"poll off\"") != std::string::npos);
    CHECK(first_error("device x laptop pop3 995 delete-when-deleted delete-when-deleted on\n").find("is said twice on this line") !=
          std::string::npos);
    CHECK(first_error("device x laptop client outlook client thunderbird pop3 995\n").find("contradicts \"client outlook\"") !=
          std::string::npos);
    CHECK(first_error("device x laptop imap 993 leave-on-server off\n").find("are POP3 settings") != std::string::npos);
    CHECK(first_error("device x laptop pop3 995 leave-on-server maybe\n").find("unknown device option \"maybe\"") != std::string::npos);
    CHECK(first_error("device x laptop client defaults pop3 995\n") == "ok");  // a label like any other
  }

  TEST_CASE("offline on|off: bodies kept offline, the app's default; an IMAP setting; set and expect know it") {
    auto device = [](const std::string& line) {
      Parsed p = parse("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n" + line + "\n");
      INFO((p.errors.empty() ? std::string() : format_diagnostic("t.txt", p.errors.front())));
      REQUIRE(p.ok());
      return p.scenario.devices.at(0);
    };
    CHECK(device("device pc laptop client thunderbird imap 993").offline);
    CHECK(device("device pc laptop client outlook imap 993").offline);
    CHECK(device("device pc laptop client apple-mail imap 993").offline);
    CHECK(device("device pc laptop client windows-mail imap 993").offline);
    CHECK_FALSE(device("device ph phone client phone-mail imap 993").offline);
    CHECK_FALSE(device("device pc laptop imap 993").offline);  // generic: as before
    CHECK_FALSE(device("device pc laptop client mutt imap 993").offline);
    CHECK_FALSE(device("device pc laptop client thunderbird imap 993 offline off").offline);
    CHECK(device("device ph phone client phone-mail imap 993 offline on").offline);
    CHECK_FALSE(device("device pc laptop client thunderbird pop3 995").offline);  // POP3: meaningless, off
    CHECK(first_error("device x laptop pop3 995 offline on\n")
              .find("5:26: error: \"offline\" is an IMAP setting") != std::string::npos);
    CHECK(first_error("device x laptop imap 993 offline maybe\n").find("write \"offline on\"") != std::string::npos);
    CHECK(first_error("device x laptop imap 993 offline on offline off\n").find("\"offline off\" contradicts \"offline on\"") !=
          std::string::npos);
    CHECK(first_error("device x laptop imap 993 ofline on\n").find("did you mean \"offline\"") != std::string::npos);
    CHECK(first_error("device x laptop imap 993\nx set ofline on\n").find("did you mean \"offline\"") != std::string::npos);
    CHECK(first_error("device x laptop pop3 995\nx set offline on\n").find("\"offline\" is not a POP3 setting") != std::string::npos);
    CHECK(first_error("device x laptop imap 993\nx set offline sometimes\n").find("write on or off") != std::string::npos);
    CHECK(first_error("device x laptop imap 993\nexpect x setting oflline on\n").find("did you mean \"offline\"") != std::string::npos);
    Parsed p = parse(std::string(kHead) + "device x laptop imap 993\nx set offline on\nexpect x setting offline on\n");
    REQUIRE(p.ok());
    CHECK(std::get<Set>(p.scenario.steps.at(p.scenario.steps.size() - 2).what).settings.offline);
  }
}

}  // namespace postino::script
