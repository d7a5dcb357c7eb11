// What a trainer can check (expect trace per device and direction, since a time; a device's
// current error; bounces to an address; when a message left a folder), and the mistakes `postino
// check` catches instead of playing something else than what was written.
#include <doctest/doctest.h>

#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "support/fixtures.hpp"

namespace postino::script {
namespace {

const char* const kHead = test::kScenarioHead;
const std::string kMail = "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n";

using test::first_error;
std::string body_error(const std::string& body) { return first_error(std::string(kHead) + body); }

Played run(const std::string& text) { return test::play_text(text); }
// The checks' results, in order.
std::vector<bool> results(const std::string& text) { return test::results(run(text)); }
std::vector<bool> body_results(const std::string& body) { return results(std::string(kHead) + body); }

}  // namespace

TEST_SUITE("script checks") {
  TEST_CASE("one server line; accounts on its domains, more with `domains`") {
    CHECK(body_error("server altro.it\n") ==
          "demo.txt:5:1: error: there is one server, already described on line 1: put every option on that line "
          "(more domains with \"domains D2 D3\")\n    server altro.it\n    ^\n");
    CHECK(first_error("server tuodominio.it\naccount info@altrodominio.com password \"x\"\n") ==
          "demo.txt:2:14: error: the server serves tuodominio.it, not altrodominio.com: add it to the server line "
          "(server tuodominio.it domains altrodominio.com)\n    account info@altrodominio.com password \"x\"\n"
          "                 ^\n");
    // The server line may come after the accounts; the check waits for it.
    CHECK(first_error("account info@altrodominio.com password \"x\"\nserver tuodominio.it\n").find("demo.txt:1:14:") == 0);
    Parsed p = parse("server tuodominio.it domains altrodominio.com Altro.IT quota 1MB\n"
                     "account info@altrodominio.com password \"x\"\naccount b@altro.it password \"y\"\n"
                     "account c@tuodominio.it password \"z\"\n");
    REQUIRE(p.ok());
    CHECK(p.scenario.more_domains == std::vector<std::string>{"altrodominio.com", "altro.it"});
    CHECK(p.scenario.default_quota == 1024 * 1024);
    CHECK(first_error("server tuodominio.it domains quota 1MB\naccount a@tuodominio.it password \"x\"\n")
              .find("name a domain after \"domains\"") != std::string::npos);
    CHECK(first_error("server tuodominio.it domain altro.it\n").find("did you mean \"domains\"") != std::string::npos);
    // Mail for the other domain's mailbox arrives.
    CHECK(results("server tuodominio.it domains altrodominio.com\naccount info@altrodominio.com password \"x\"\n"
                  "deliver to info@altrodominio.com subject \"Ciao\"\nexpect server info@altrodominio.com INBOX count 1\n") ==
          std::vector<bool>{true});
  }

  TEST_CASE("device options that contradict or do not apply are errors") {
    CHECK(body_error("device x laptop pop3 995 imap 993\n") ==
          "demo.txt:5:26: error: a device uses one protocol: this line already says pop3 995 (another app on the same "
          "device is another device line)\n    device x laptop pop3 995 imap 993\n                             ^\n");
    CHECK(body_error("device x laptop pop3 995 delete expunge\n").find("5:26: error: \"delete expunge\" is an IMAP setting: POP3 has no IDLE") != std::string::npos);
    CHECK(body_error("device x laptop pop3 995 idle on\n").find("5:26: error: \"idle\" is an IMAP setting") != std::string::npos);
    CHECK(body_error("device x laptop imap 993 keep-days 3\n").find("are POP3 settings") != std::string::npos);
    CHECK(body_error("device x laptop imap 993 poll 0m\n").find("5:31: error: the app cannot check every 0 seconds: write \"poll off\"") != std::string::npos);
    CHECK(body_error("pc set poll 0s\n").find("write \"poll off\"") != std::string::npos);
    CHECK(body_error("device x laptop imap 993 poll off\n") == "ok");
    CHECK(body_error("phone set keep-days 7\n").find("\"keep-days\" is not an IMAP setting") != std::string::npos);
  }

  TEST_CASE("deliver ... size below the message's own headers says the smallest size") {
    const std::string e = body_error("deliver to info@tuodominio.it subject \"Piccolo\" size 10B\n");
    const std::string lead = "demo.txt:5:1: error: a message like this one takes at least ";
    REQUIRE(e.starts_with(lead));
    const std::uint64_t least = std::stoull(e.substr(lead.size()));
    CHECK(least > 200);
    CHECK(least < 400);
    CHECK(e.find("octets (its headers and first line): write that size or more, or leave size out") != std::string::npos);
    // That size is honoured: the server stores a message of about it.
    const std::string at_least = "deliver to info@tuodominio.it subject \"Piccolo\" size " + std::to_string(least) + "B\n";
    CHECK(body_error(at_least) == "ok");
    CHECK(body_results(at_least + "expect server info@tuodominio.it used > " + std::to_string(least - 3) + "B\n"
                                  "expect server info@tuodominio.it used < " + std::to_string(least + 1) + "B\n") ==
          std::vector<bool>{true, true});
  }

  TEST_CASE("a bare `at` time is on the clock's current day; check refuses a time already past") {
    Parsed p = parse(std::string(kHead) + "wait 1d\nat 09:00 pc get-mail\n");
    REQUIRE(p.ok());
    CHECK(*p.scenario.steps[1].at == default_start() + kDay + kHour);  // day 2 09:00
    CHECK(body_error("wait 1d\nat 07:00 pc get-mail\n") ==
          "demo.txt:6:4: error: day 2 07:00 has passed by here: the clock is already at day 2 08:00 (time only goes "
          "forward); for the next day write \"at day 3 07:00\"\n    at 07:00 pc get-mail\n       ^\n");
    CHECK(body_error("wait 1d\nat day 1 09:00 pc get-mail\n").find("6:4: error: day 1 09:00 has passed by here: the clock is already at day 2 08:00 (time only goes forward)\n") == 0 + std::string("demo.txt:").size());
    CHECK(body_error("at 09:00 pc get-mail\nafter 2h pc get-mail\nat 10:00 pc get-mail\n").find("7:4: error: day 1 10:00 has passed by here: the clock is already at day 1 11:00") != std::string::npos);
    CHECK(body_error("at 09:00 pc get-mail\nwait 20h\nat 06:00 pc get-mail\nat day 3 06:00 pc get-mail\n") == "ok");
    // What check accepts, run plays without a late `at`.
    CHECK(body_results("wait 1d\nat 09:00 pc get-mail\nexpect trace has \"time passes\"\n") == std::vector<bool>{true});
  }

  TEST_CASE("expect trace: ignoring case, one device's lines, sent or received, since a time") {
    CHECK(body_results(kMail + "phone get-mail\npc get-mail\n"
                               "expect trace has \"retr 1\"\n"
                               "expect trace lacks \"UID MOVE\"\n"
                               "expect trace has \"uid move\"\n"
                               "expect trace pc sent \"retr 1\"\n"
                               "expect trace pc never-received \"VANISHED\"\n"
                               "expect trace phone received \"vanished\"\n"
                               "expect trace phone never-sent \"RETR\"\n"
                               "expect trace pc has \"downloaded and stored\"\n"
                               "expect trace phone has \"downloaded and stored\"\n"
                               "expect trace phone lacks \"downloaded and stored\"\n"
                               "expect trace pc received \"RETR\"\n") ==
          std::vector<bool>{true, true, false, true, true, true, true, true, false, true, false});
    CHECK(body_results(kMail + "pc get-mail\nat 10:00 pc get-mail\n"
                               "expect trace pc never-sent \"RETR\" since 10:00\n"
                               "expect trace pc sent \"RETR\" since 09:00\n"
                               "expect trace pc sent \"QUIT\" since 10:00\n"
                               "expect trace has \"new mail\" since day 1 10:00\n"
                               "expect trace lacks \"new mail\" since day 1 10:00\n") ==
          std::vector<bool>{true, true, true, false, true});
    Played p = run(std::string(kHead) + kMail + "pc get-mail\nexpect trace pc never-sent \"retr\" since 09:00\n");
    REQUIRE(p.outcomes.size() == 1);
    CHECK(world::describe_check(p.outcomes[0].check, Lang::En) ==
          "pc never sent a line with \"retr\" since 2026-11-26 09:00, but it did");
    CHECK(world::describe_check(p.outcomes[0].check, Lang::It) ==
          "pc non ha mai inviato una riga con «retr» dal 26/11/2026, ore 09:00, ma l'ha fatto");
  }

  TEST_CASE("expect DEVICE error / no error: the latest connection's errors, ignoring case") {
    const std::string head = "server tuodominio.it plaintext-auth no\naccount info@tuodominio.it password \"segreta\"\n"
                             "device pc laptop client outlook imap 143 idle on poll off\n";
    Played p = run(head + "pc get-mail\nexpect pc error \"ENCRYPTED CONNECTION\"\nexpect pc no error\n"
                          "pc set imap 143 starttls\npc get-mail\nexpect pc no error\nexpect pc error \"encrypted\"\n");
    CHECK(test::results(p) == std::vector<bool>{true, false, true, false});
    CHECK(world::describe_check(p.outcomes[1].check, Lang::En).starts_with(
        "pc shows no error; it shows \"The server accepts passwords only over an encrypted connection"));
    CHECK(world::describe_check(p.outcomes[3].check, Lang::En) ==
          "pc shows an error with \"encrypted\"; errors since it last connected: nothing");
    CHECK(world::describe_check(p.outcomes[2].check, Lang::It) == "pc non mostra errori");
  }

  TEST_CASE("expect bounces to ADDRESS N: only mail for that address") {
    CHECK(results("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                  "account b@tuodominio.it password \"y\" quota 1KB\n"
                  "deliver to b@tuodominio.it subject \"Grande\" size 2KB\ndeliver to info@tuodominio.it subject \"Ok\"\n"
                  "expect bounces 1\nexpect bounces to B@tuodominio.it 1\nexpect bounces to info@tuodominio.it 0\n"
                  "expect bounces to info@tuodominio.it 1\n") == std::vector<bool>{true, true, true, false});
  }

  TEST_CASE("expect server ... removed \"S\" after/before WHEN: when a message left the folder") {
    const std::string text = std::string(kHead) + kMail + "at 10:00 pc get-mail\n";
    Played p = run(text + "expect server info@tuodominio.it INBOX removed \"Ordine 42\"\n"
                          "expect server info@tuodominio.it INBOX removed \"Ordine 42\" after 10:00\n"
                          "expect server info@tuodominio.it INBOX removed \"Ordine 42\" after 11:00\n"
                          "expect server info@tuodominio.it INBOX removed \"Ordine 42\" before 11:00\n"
                          "expect server info@tuodominio.it INBOX removed \"Ordine 42\" before day 1 10:00\n"
                          "expect server info@tuodominio.it INBOX removed \"Nessuno\"\n"
                          "deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                          "expect server info@tuodominio.it INBOX removed \"Ordine 42\"\n");
    CHECK(test::results(p) == std::vector<bool>{true, true, false, true, false, false, false});
    CHECK(world::describe_check(p.outcomes[2].check, Lang::En) ==
          "server info@tuodominio.it INBOX: \"Ordine 42\" left the folder at or after 2026-11-26 11:00, but it last left at 2026-11-26 10:00");
    CHECK(world::describe_check(p.outcomes[5].check, Lang::En).ends_with(", but it never did"));
    CHECK(world::describe_check(p.outcomes[6].check, Lang::En).ends_with(", but it is there"));
    CHECK(world::describe_check(p.outcomes[3].check, Lang::It) ==
          "server info@tuodominio.it, Posta in arrivo: «Ordine 42» è uscito dalla cartella prima del 26/11/2026, ore 11:00");
  }

  TEST_CASE("Trash deleted by the user: the next delete creates it again, and the transcript says so") {
    Played p = run(std::string(kHead) + "phone delete-folder Trash\n" + kMail +
                   "phone delete \"Ordine 42\"\n"
                   "expect server info@tuodominio.it INBOX removed \"Ordine 42\"\n"
                   "expect server info@tuodominio.it Trash has \"Ordine 42\"\n"
                   "expect trace phone sent \"CREATE Trash\"\n"
                   "expect trace phone never-sent \"\\Deleted\"\n"
                   "at 10:00 deliver to info@tuodominio.it subject \"Secondo\"\n"
                   "phone delete \"Secondo\"\n"
                   "expect trace phone never-sent \"CREATE\" since 10:00\n"
                   "expect server info@tuodominio.it Trash count 2\n");
    for (const Outcome& o : p.outcomes) CHECK_MESSAGE(o.passed, world::describe_check(o.check, Lang::En));
    CHECK(p.outcomes.size() == 6);
    const world::TraceEntry* said = nullptr;
    for (const world::TraceEntry& t : p.world->trace())
      if (t.is_event(world::EventKind::TrashRecreated)) said = said ? said : &t;
    REQUIRE(said);
    CHECK(said->device == "phone");
    CHECK(world::describe(*said->what, Lang::En) ==
          "there is no Trash folder any more: the app creates \"Trash\" again on the server and moves the message there, as Thunderbird does");
    CHECK(world::describe(*said->what, Lang::It) ==
          "il Cestino non c'è più: l'app ricrea «Cestino» sul server e ci sposta il messaggio, come fa Thunderbird");
    // With "delete expunge" nothing is created: that app never used Trash.
    CHECK(body_results("phone set delete expunge\nphone delete-folder Trash\n" + kMail + "phone delete \"Ordine 42\"\n"
                       "expect trace phone never-sent \"CREATE\"\nexpect server info@tuodominio.it folder Trash missing\n") ==
          std::vector<bool>{true, true});
  }

  TEST_CASE("mistakes in the new checks: clear errors, did you mean") {
    CHECK(body_error("expect trace phnoe sent \"X\"\n").find("5:14: error: expected has, lacks or a device's name, found \"phnoe\"; did you mean \"phone\"?") != std::string::npos);
    CHECK(body_error("expect trace phone recieved \"X\"\n").find("did you mean \"received\"") != std::string::npos);
    CHECK(body_error("expect trace phone sent X\n").find("must be in double quotes") != std::string::npos);
    CHECK(body_error("expect trace sent \"X\"\n").find("found \"sent\"") != std::string::npos);
    CHECK(body_error("expect trace has \"X\" since 25:00\n").find("is not a time of day") != std::string::npos);
    CHECK(body_error("expect trace has \"X\" sicne 09:00\n").find("unexpected \"sicne\"") != std::string::npos);
    CHECK(body_error("expect pc no eror\n").find("expected \"error\", found \"eror\"") != std::string::npos);
    CHECK(body_error("expect bounces to info@tuodominio.it\n").find("missing how many bounces") != std::string::npos);
    CHECK(body_error("expect bounces ot info@tuodominio.it 1\n").find("did you mean \"to\"") != std::string::npos);
    CHECK(body_error("expect server info@tuodominio.it INBOX remvoed \"X\"\n").find("did you mean \"removed\"") != std::string::npos);
    CHECK(body_error("expect server info@tuodominio.it INBOX removed \"X\" aftr 09:00\n").find("did you mean \"after\"") != std::string::npos);
    CHECK(body_error("expect phone INBOX removed \"X\" aftr 09:00\n").find("did you mean \"after\"") != std::string::npos);
    CHECK(body_error("expect phnoe INBOX removed \"X\"\n").find("did you mean \"phone\"") != std::string::npos);
    CHECK(body_error("pc set smpt 465\n").find("\"smpt\" is not a POP3 setting; did you mean \"smtp\"") != std::string::npos);
    CHECK(body_error("pc set smtp 25\n") ==
          "demo.txt:5:13: error: sending (SMTP submission) uses port 587 (STARTTLS) or 465 (SSL/TLS), not 25\n    pc set smtp 25\n                ^\n");
    CHECK(body_error("pc set smtp\n").find("missing the sending port, 587 or 465") != std::string::npos);
    CHECK(body_error("expect pc setting smtp 995\n").find("uses port 587 (STARTTLS) or 465 (SSL/TLS), not 995") != std::string::npos);
    // The device line's option says the same (one rule).
    CHECK(test::first_error("server tuodominio.it\naccount info@tuodominio.it password \"x\"\n"
                            "device pc laptop pop3 995 smtp 25\n")
              .find("demo.txt:3:32: error: sending (SMTP submission) uses port 587 (STARTTLS) or 465 (SSL/TLS), not 25") !=
          std::string::npos);
    CHECK(body_error("expect pc setting smpt 465\n").find("did you mean \"smtp\"") != std::string::npos);
    CHECK(body_error("expect pc setting password curent\n").find("did you mean \"current\"") != std::string::npos);
    CHECK(body_error("expect pc setting password \"segreta\"\n").find("not the password itself") != std::string::npos);
  }

  TEST_CASE("expect DEVICE FOLDER removed: the device's own view (IMAP: its copy; POP3: its local folders)") {
    // The phone (IMAP, IDLE) sees the webmail's delete; the PC (POP3) moves and deletes on its own.
    Played p = run(std::string(kHead) + kMail + "phone get-mail\npc get-mail\n" +
                   "at 09:30 deliver to info@tuodominio.it subject \"Foto\"\nphone get-mail\n"
                   "at 10:00 webmail info@tuodominio.it delete \"Foto\" in INBOX\n"
                   "expect phone INBOX removed \"Foto\" after 10:00\n"          // 0 true
                   "expect phone INBOX removed \"Foto\" before 10:00\n"         // 1 false: it left at 10:00
                   "expect phone Trash removed \"Foto\"\n"                     // 2 false: it never did (nor is it there yet: IDLE watches INBOX)
                   "expect phone INBOX removed \"Ordine 42\"\n"                // 3 true: POP3 took it at 09:00
                   "pc create-folder Clienti\n"
                   "at 11:00 pc move \"Ordine 42\" to Clienti\n"
                   "expect pc INBOX removed \"Ordine 42\" after 11:00\n"       // 4 true
                   "expect pc Clienti removed \"Ordine 42\"\n"                 // 5 false: it is there
                   "at 12:00 pc delete \"Ordine 42\" in Clienti\n"
                   "expect pc Clienti removed \"Ordine 42\" after 12:00\n"     // 6 true
                   "expect server info@tuodominio.it INBOX removed \"Ordine 42\" before 09:01\n"  // 7 true: the server's own
                   "pc crash\npc replace\n"
                   "expect pc INBOX removed \"Ordine 42\"\n");                 // 8 false: a new device had nothing
    CHECK(test::results(p) == std::vector<bool>{true, false, false, true, true, false, true, true, false});
    const std::string left = world::describe_check(p.outcomes[1].check, Lang::En);
    CHECK(left.starts_with("phone INBOX: \"Foto\" left the folder before 2026-11-26 10:00, but it last left at 2026-11-26 10:00"));
    CHECK(world::describe_check(p.outcomes[2].check, Lang::En) == "phone Trash: \"Foto\" left the folder, but it never did");
    CHECK(world::describe_check(p.outcomes[5].check, Lang::En) == "pc Clienti: \"Ordine 42\" left the folder, but it is there");
    CHECK(world::describe_check(p.outcomes[4].check, Lang::It) ==
          "pc, Posta in arrivo: «Ordine 42» è uscito dalla cartella dal 26/11/2026, ore 11:00 in poi");
    CHECK(world::describe_check(p.outcomes[8].check, Lang::It) == "pc, Posta in arrivo: «Ordine 42» è uscito dalla cartella, ma non ne è mai uscito");
  }

  TEST_CASE("expect DEVICE setting password current|old: the support call after a password change") {
    Played p = run(std::string(kHead) + kMail +
                   "expect phone setting password current\n"
                   "account info@tuodominio.it password \"nuova\"\n"
                   "phone get-mail\n"
                   "expect phone setting password old\n"
                   "expect phone error \"login failed\"\n"
                   "expect phone setting password current\n"  // fails: what the call is about
                   "phone set password \"nuova\"\n"
                   "phone get-mail\n"
                   "expect phone setting password current\nexpect phone no error\n"
                   "expect pc setting password old\n");
    CHECK(test::results(p) == std::vector<bool>{true, true, true, false, true, true, true});
    CHECK(world::describe_check(p.outcomes[3].check, Lang::En) ==
          "phone has the account's current password, but it has an old one: the server refuses it at login");
    CHECK(world::describe_check(p.outcomes[1].check, Lang::En) == "phone still has an old password, not the account's current one");
    CHECK(world::describe_check(p.outcomes[3].check, Lang::It) ==
          "phone ha la password attuale dell'account, ma ne ha una vecchia: il server la rifiuta all'accesso");
    // The transcript never shows a password, not even in a check.
    for (const world::TraceEntry& t : p.world->trace())
      if (t.is_event(world::EventKind::Check)) CHECK(world::describe(*t.what, Lang::En).find("nuova") == std::string::npos);
  }

  TEST_CASE("DEVICE set smtp 465: the next send uses it; expect DEVICE setting smtp") {
    Played p = run(std::string(kHead) + "expect pc setting smtp 587\n"
                   "pc set smtp 465\n"
                   "expect pc setting smtp 465\n"
                   "expect pc setting smtp 587\n"  // fails
                   "pc send to cliente@example.com subject \"Preventivo\"\n"
                   "expect trace pc has \"SMTP port 465 with TLS from the start\"\n"
                   "expect trace pc never-sent \"STARTTLS\"\n"
                   "pc set smtp 587\n"
                   "at 10:00 pc send to cliente@example.com subject \"Secondo\"\n"
                   "expect trace pc sent \"STARTTLS\" since 10:00\n"
                   "expect trace has \"setting changed: outgoing server (SMTP): port 587\"\n");
    CHECK(test::results(p) == std::vector<bool>{true, true, false, true, true, true, true});
    CHECK(world::describe_check(p.outcomes[2].check, Lang::En) == "pc setting smtp is 587, but it is 465");
    CHECK(world::describe_check(p.outcomes[2].check, Lang::It) == "pc, impostazione «server in uscita (SMTP)»: 587, ma è 465");
  }

  TEST_CASE("written back, the new checks read the same") {
    Parsed p = parse(std::string("server tuodominio.it domains altrodominio.com\n") +
                     "account info@tuodominio.it password \"segreta\"\n"
                     "device pc laptop client thunderbird pop3 995 leave-on-server off poll off\ndevice phone phone client apple-mail imap 993\n"
                     "expect trace has \"A\"\nexpect trace lacks \"B\" since 09:00\nexpect trace pc has \"C\"\n"
                     "expect trace pc lacks \"D\"\nexpect trace phone sent \"E\" since day 2 10:30\n"
                     "expect trace phone received \"F\"\nexpect trace phone never-sent \"G\"\n"
                     "expect trace phone never-received \"H\"\nexpect pc no error\nexpect pc error \"x\"\n"
                     "expect bounces to info@tuodominio.it 2\nexpect bounces 1\n"
                     "expect server info@tuodominio.it INBOX removed \"I\"\n"
                     "expect server info@tuodominio.it \"Le mie\" removed \"J\" after day 3 08:00\n"
                     "expect server info@tuodominio.it Trash removed \"K\" before 12:00:30\n"
                     "expect phone INBOX removed \"L\" after day 2 09:00\nexpect pc \"Le mie\" removed \"M\"\n"
                     "pc set smtp 465\nphone set smtp 587\nexpect pc setting smtp 465\n"
                     "expect phone setting password current\nexpect pc setting password old\n");
    REQUIRE(p.ok());
    const std::string text = write(p.scenario);
    Parsed again = parse(text);
    INFO(text);
    REQUIRE(again.ok());
    CHECK(again.scenario.more_domains == p.scenario.more_domains);
    REQUIRE(again.scenario.steps.size() == p.scenario.steps.size());
    for (std::size_t i = 0; i < p.scenario.steps.size(); ++i) CHECK(again.scenario.steps[i].what == p.scenario.steps[i].what);
    CHECK(text.find("expect trace phone sent \"E\" since day 2 10:30\n") != std::string::npos);
    CHECK(text.find("expect trace lacks \"B\" since 09:00\n") != std::string::npos);
    CHECK(text.find("expect phone INBOX removed \"L\" after day 2 09:00\n") != std::string::npos);
    CHECK(text.find("pc set smtp 465\n") != std::string::npos);
    CHECK(text.find("expect pc setting password old\n") != std::string::npos);
    CHECK(text.find("server tuodominio.it domains altrodominio.com\n") == 0);
  }

  TEST_CASE("a failed `used` check says the use in the units mail apps show") {
    Played p = run(std::string(kHead) + kMail + "expect server info@tuodominio.it used > 20MB\n");
    REQUIRE(p.outcomes.size() == 1);
    const std::string en = world::describe_check(p.outcomes[0].check, Lang::En);
    CHECK(en.starts_with("server info@tuodominio.it uses more than 20 MB; it uses "));
    CHECK(en.ends_with(" octets)"));
  }
}

}  // namespace postino::script
