// Two-language texts (title, say) and the conditions added for lessons: flags, UIDs, folders,
// settings, lines a device sent.
#include <doctest/doctest.h>

#include "sim/script/scenario.hpp"
#include "support/fixtures.hpp"
#include "sim/world/narrate.hpp"

namespace postino::script {
namespace {

const char* kHead =
    "server tuodominio.it quota 20MB\n"
    "account info@tuodominio.it password \"segreta\"\n"
    "device pc laptop client thunderbird pop3 995 keep-days 7 delete-when-deleted off poll off\n"
    "device phone phone client apple-mail imap 993\n";

std::string first_error(const std::string& body) { return test::first_error(std::string(kHead) + body); }

// The checks' results, in order, after playing `body`.
std::vector<bool> results(const std::string& body) { return test::results(test::play_text(std::string(kHead) + body)); }

}  // namespace

TEST_SUITE("script texts") {
  TEST_CASE("a text in two languages: on one line, on the next line, or both the same") {
    Parsed p = parse(std::string("title en \"The phone\" it \"Il telefono\"\n") + kHead +
                     "say en \"Hello\"\n"
                     "    it \"Ciao\"\n"
                     "# a comment between does not end the text\n"
                     "say \"Plain first\"\n"
                     "  it \"Prima semplice\"\n"
                     "say both \"RETR 1\"\n");
    REQUIRE(p.ok());
    CHECK(p.monolingual.empty());
    CHECK(p.scenario.title.in(Lang::En) == "The phone");
    CHECK(p.scenario.title.in(Lang::It) == "Il telefono");
    REQUIRE(p.scenario.steps.size() == 3);
    CHECK(std::get<Say>(p.scenario.steps[0].what).text == Text("Hello", "Ciao"));
    CHECK(std::get<Say>(p.scenario.steps[1].what).text == Text("Plain first", "Prima semplice"));
    CHECK(std::get<Say>(p.scenario.steps[2].what).text == Text("RETR 1", "RETR 1"));
  }

  TEST_CASE("the old one-text form still reads, and is noted as one language only") {
    Parsed p = parse(std::string(kHead) + "say \"Solo italiano\"\nsay en \"Only English\"\n");
    REQUIRE(p.ok());
    REQUIRE(p.monolingual.size() == 2);
    CHECK(p.monolingual[0].line == 5);
    CHECK(p.monolingual[0].column == 5);
    CHECK(p.monolingual[1].line == 6);
    CHECK(std::get<Say>(p.scenario.steps[0].what).text.in(Lang::En) == "Solo italiano");
    CHECK(std::get<Say>(p.scenario.steps[1].what).text.in(Lang::It) == "Only English");  // falls back
  }

  TEST_CASE("mistakes in texts are errors at their column") {
    CHECK(first_error("say en \"A\" fr \"B\"\n") ==
          "demo.txt:5:12: error: expected en \"...\", it \"...\" or both \"...\", found \"fr\"\n"
          "    say en \"A\" fr \"B\"\n"
          "               ^\n");
    CHECK(first_error("say en \"A\" en \"B\"\n").find("demo.txt:5:12: error: this text already has its English") == 0);
    CHECK(first_error("pc get-mail\nit \"Ciao\"\n").find("demo.txt:6:1: error: an \"it\" line gives the other language") == 0);
    CHECK(first_error("say it\n").find("demo.txt:5:7: error: after \"it\" comes the text in double quotes") == 0);
    CHECK(first_error("device it laptop pop3 110\n").find("reserved word") != std::string::npos);
  }

  TEST_CASE("narration follows the language of the transcript") {
    Parsed p = parse(std::string(kHead) + "say en \"Hello\" it \"Ciao\"\n");
    REQUIRE(p.ok());
    Played played = play(p.scenario);
    const world::TraceEntry& t = played.world->trace().back();
    REQUIRE(t.is_event(world::EventKind::Say));
    CHECK(world::describe(*t.what, Lang::En) == "Hello");
    CHECK(world::describe(*t.what, Lang::It) == "Ciao");
  }

  TEST_CASE("conditions: flags, UID, folders, settings, lines sent") {
    const std::string mail = "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n";
    CHECK(results(mail + "phone get-mail\n"
                         "expect server info@tuodominio.it INBOX has \"Ordine 42\" without \\Seen\n"
                         "phone open \"Ordine 42\"\n"
                         "expect server info@tuodominio.it INBOX has \"Ordine 42\" with \\Seen\n"
                         "expect phone INBOX has \"Ordine 42\" with \\Seen\n"
                         "expect server info@tuodominio.it INBOX has \"Ordine 42\" with \\Seen \\Flagged\n"
                         "expect server info@tuodominio.it INBOX has \"Ordine 42\" uid 1\n"
                         "expect server info@tuodominio.it INBOX has \"Ordine 42\" uid 2\n"
                         "expect server info@tuodominio.it INBOX has \"Nessuno\" with \\Seen\n") ==
          std::vector<bool>{true, true, true, false, true, false, false});
    CHECK(results("phone create-folder Clienti\npc create-folder Bollette\n"
                  "expect server info@tuodominio.it folder Clienti exists\n"
                  "expect server info@tuodominio.it folder Bollette missing\n"
                  "expect pc folder Bollette exists\n"
                  "expect phone folder Clienti exists\n"
                  "expect phone folder Bollette exists\n") == std::vector<bool>{true, true, true, true, false});
    CHECK(results("expect pc setting keep-days 7\nexpect pc setting leave-on-server on\n"
                  "pc set leave-on-server off\nexpect pc setting keep-days 7\nexpect pc setting keep-days 0\n"
                  "phone set poll 5m\nexpect phone setting poll 300s\nexpect phone setting security tls\n"
                  "expect phone setting protocol pop3\n") == std::vector<bool>{true, true, false, true, true, true, false});
    CHECK(results(mail + "pc get-mail\nexpect pc sent \"RETR 1\"\nexpect pc never-sent \"DELE\"\n"
                         "expect phone sent \"RETR\"\nexpect pc sent \"DELE\"\n") ==
          std::vector<bool>{true, true, false, false});
  }

  TEST_CASE("set ... starttls on the same protocol and port: the next connection upgrades") {
    CHECK(results("phone set imap 143\nphone get-mail\nexpect phone never-sent \"STARTTLS\"\n"
                  "phone set imap 143 starttls\nphone get-mail\nexpect phone sent \"STARTTLS\"\n"
                  "pc set pop3 110\npc get-mail\nexpect pc never-sent \"STLS\"\n"
                  "pc set pop3 110 starttls\npc get-mail\nexpect pc sent \"STLS\"\n") ==
          std::vector<bool>{true, true, true, true});
  }

  TEST_CASE("a failed new condition says what was seen, in both languages") {
    Parsed p = parse(std::string(kHead) + "expect pc setting keep-days 3\nexpect phone folder Clienti exists\n");
    REQUIRE(p.ok());
    Played played = play(p.scenario);
    REQUIRE(played.outcomes.size() == 2);
    CHECK(world::describe_check(played.outcomes[0].check, Lang::En) == "pc setting keep-days is 3, but it is 7");
    CHECK(world::describe_check(played.outcomes[0].check, Lang::It) == "pc, impostazione «giorni di copia sul server»: 3, ma è 7");
    CHECK(world::describe_check(played.outcomes[1].check, Lang::En).find("phone has folder \"Clienti\"; its folders: ") == 0);
  }

  TEST_CASE("errors in the new conditions") {
    CHECK(first_error("expect pc setting keep-dayz 3\n").find("demo.txt:5:19: error: unknown setting \"keep-dayz\"; did you mean \"keep-days\"?") == 0);
    CHECK(first_error("expect server info@tuodominio.it INBOX has \"A\" with \\Sean\n").find("\"\\Sean\" is not a flag") != std::string::npos);
    CHECK(first_error("expect phone INBOX has \"A\" uid 3\n").find("a message's UID is the server's") != std::string::npos);
    CHECK(first_error("expect pc folder X there\n").find("write \"exists\" or \"missing\"") != std::string::npos);
  }

  TEST_CASE("written back, texts and conditions read the same") {
    Parsed p = parse(std::string("title en \"T\" it \"Titolo\"\n") + kHead +
                     "say en \"Hello\" it \"Ciao\"\nsay \"Uguale\"\n"
                     "expect server info@tuodominio.it INBOX has \"A\" with \\Seen \\Deleted\n"
                     "expect server info@tuodominio.it INBOX has \"A\" uid 4\n"
                     "expect pc folder \"Le mie cose\" missing\nexpect phone setting poll 5m\n"
                     "expect pc never-sent \"DELE 1\"\n");
    REQUIRE(p.ok());
    Parsed again = parse(write(p.scenario));
    REQUIRE(again.ok());
    CHECK(again.scenario.title == p.scenario.title);
    REQUIRE(again.scenario.steps.size() == p.scenario.steps.size());
    for (std::size_t i = 0; i < p.scenario.steps.size(); ++i) CHECK(again.scenario.steps[i].what == p.scenario.steps[i].what);
  }
}

}  // namespace postino::script
