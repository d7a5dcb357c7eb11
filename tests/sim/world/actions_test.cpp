// What a trainer shows with the newer actions: sending mail over SMTP and where the copy in Sent
// goes, the provider's webmail acting on the server, emptying the Trash, a device that joins
// mid-story, a password changed by the provider.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "support/fixtures.hpp"

namespace postino::script {
namespace {

const char* kHead =
    "server tuodominio.it\n"
    "account info@tuodominio.it password \"segreta\"\n"
    "account vendite@tuodominio.it password \"vendite\"\n"
    "device pc laptop client thunderbird pop3 995 leave-on-server off poll off\n"
    "device phone phone client apple-mail imap 993\n";

struct Run {
  Played played;
  const world::World& w() const { return *played.world; }
};

Run run(const std::string& body) { return {test::play_passing(std::string(kHead) + body)}; }

// The lines `device` sent the server, in order.
std::vector<std::string> sent_lines(const world::World& w, const std::string& device) {
  std::vector<std::string> out;
  for (const world::TraceEntry& t : w.trace())
    if (t.kind == world::TraceEntry::Kind::Wire && t.to_server && t.device == device) out.push_back(t.text.str());
  return out;
}

std::size_t count(const world::World& w, world::EventKind k) {
  return static_cast<std::size_t>(std::count_if(w.trace().begin(), w.trace().end(), [&](const world::TraceEntry& t) { return t.is_event(k); }));
}

}  // namespace

TEST_SUITE("world actions") {
  TEST_CASE("send from a POP3 device: SMTP submission on 587 with STARTTLS, the copy stays on the device") {
    Run r = run("at 09:00 pc send to cliente@example.com subject \"Preventivo\" body \"Ecco.\"\n"
                "expect pc Sent has \"Preventivo\"\n"
                "expect server info@tuodominio.it Sent lacks \"Preventivo\"\n"
                "expect phone Sent count 0\n"
                "expect pc folder Sent exists\n");
    const auto lines = sent_lines(r.w(), "pc");
    REQUIRE(lines.size() == 9);
    CHECK(lines[0] == "EHLO pc\r\n");
    CHECK(lines[1] == "STARTTLS\r\n");
    CHECK(lines[2] == "EHLO pc\r\n");
    CHECK(lines[3].starts_with("AUTH PLAIN "));
    CHECK(lines[4].starts_with("MAIL FROM:<info@tuodominio.it>"));
    CHECK(lines[5] == "RCPT TO:<cliente@example.com>\r\n");
    CHECK(lines[6] == "DATA\r\n");
    CHECK(lines[7].find("Subject: Preventivo") != std::string::npos);  // the message, then "."
    CHECK(count(r.w(), world::EventKind::MailSent) == 1);
    CHECK(count(r.w(), world::EventKind::SentOut) == 1);
    CHECK(count(r.w(), world::EventKind::SentHereOnly) == 1);
    CHECK(lines[8] == "QUIT\r\n");
  }

  TEST_CASE("send from an IMAP device to an account here: delivered locally, APPENDed to Sent for every IMAP device") {
    Run r = run("add device tablet tablet client phone-mail imap 993 smtp 465 idle on poll off\n"
                "at 09:00 phone send to vendite@tuodominio.it subject \"Ordine 42\"\n"
                "expect server vendite@tuodominio.it INBOX has \"Ordine 42\"\n"
                "expect server info@tuodominio.it Sent has \"Ordine 42\" with \\Seen\n"
                "tablet get-mail\n"
                "expect tablet Sent has \"Ordine 42\"\n"
                "tablet send to cliente@example.com subject \"Foto\" size 20KB\n"
                "expect tablet never-sent \"STARTTLS\"\n"
                "expect server info@tuodominio.it Sent count 2\n");
    CHECK(count(r.w(), world::EventKind::SentOut) == 1);  // only the tablet's went out
    CHECK(count(r.w(), world::EventKind::DeviceAdded) == 1);
    // The tablet's submission connection was on 465 with TLS from the start.
    bool on_465 = false;
    for (const world::TraceEntry& t : r.w().trace())
      if (t.is_event(world::EventKind::Connected) && t.device == "tablet" && t.what->port == 465)
        on_465 = t.what->security == world::Security::Tls && t.what->protocol == world::Protocol::Smtp;
    CHECK(on_465);
  }

  TEST_CASE("a message sent while the app says goodbye goes on a second connection") {
    Run r = run("at 09:00 pc send to a@example.com subject \"Uno\"\n"
                "pc send to b@example.com subject \"Due\"\n"
                "expect pc Sent count 2\n");
    CHECK(count(r.w(), world::EventKind::SentOut) == 2);
  }

  TEST_CASE("webmail read, delete, move and empty-trash act on the server; IMAP devices see it") {
    Run r = run("at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                "deliver to info@tuodominio.it subject \"Foto grandi\" size 100KB\n"
                "phone get-mail\n"
                "webmail info@tuodominio.it read \"Ordine 42\"\n"
                "expect server info@tuodominio.it INBOX has \"Ordine 42\" with \\Seen\n"
                "phone get-mail\n"
                "expect phone INBOX has \"Ordine 42\" with \\Seen\n"
                "webmail info@tuodominio.it move \"Ordine\" to Junk\n"
                "expect server info@tuodominio.it Junk has \"Ordine 42\"\n"
                "webmail info@tuodominio.it delete \"Foto\"\n"
                "expect server info@tuodominio.it Trash has \"Foto grandi\"\n"
                "expect server info@tuodominio.it INBOX count 0\n"
                "phone get-mail\n"
                "expect phone INBOX count 0\n"
                "expect phone Trash has \"Foto grandi\"\n"
                "webmail info@tuodominio.it empty-trash\n"
                "expect server info@tuodominio.it Trash count 0\n"
                "webmail info@tuodominio.it delete \"Ordine 42\" in Junk\n"
                "webmail info@tuodominio.it delete \"Ordine 42\" in Trash\n"
                "expect server info@tuodominio.it used < 1KB\n"
                "phone get-mail\n"
                "expect phone Trash count 0\n");
    CHECK(r.played.passed());
  }

  TEST_CASE("webmail naming a message that is not there fails the run with what is there") {
    Parsed p = parse(std::string(kHead) + "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                                          "webmail info@tuodominio.it delete \"Fattura\"\n");
    REQUIRE(p.ok());
    Played played = play(p.scenario);
    REQUIRE(played.outcomes.size() == 1);
    CHECK_FALSE(played.outcomes[0].passed);
    CHECK(played.outcomes[0].check.check == world::CheckKind::NoSuchMessage);
    CHECK(played.outcomes[0].check.items == std::vector<std::string>{"Ordine 42"});
  }

  TEST_CASE("empty-trash on an IMAP device expunges the Trash on the server") {
    Run r = run("at 09:00 deliver to info@tuodominio.it subject \"A\"\n"
                "deliver to info@tuodominio.it subject \"B\"\n"
                "phone get-mail\n"
                "phone delete \"A\"\n"
                "phone delete \"B\"\n"
                "expect server info@tuodominio.it Trash count 2\n"
                "phone empty-trash\n"
                "expect server info@tuodominio.it Trash count 0\n"
                "expect phone Trash count 0\n"
                "expect phone sent \"+FLAGS.SILENT (\\Deleted)\"\n"
                "phone empty-trash\n");  // an empty Trash: nothing to send, no error
    CHECK(count(r.w(), world::EventKind::ClientError) == 0);
  }

  TEST_CASE("the provider changes the password: apps fail to log in until it is set on them") {
    Run r = run("account info@tuodominio.it password \"nuova\"\n"
                "phone get-mail\n"
                "pc get-mail\n"
                "expect phone error \"Login failed\"\n"
                "expect pc error \"Login failed\"\n"
                "deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                "pc set password \"nuova\"\n"
                "pc get-mail\n"
                "expect pc INBOX has \"Ordine 42\"\n");
    CHECK(count(r.w(), world::EventKind::PasswordChanged) == 1);
    CHECK(count(r.w(), world::EventKind::LoginFailed) >= 2);
    const world::Event changed{.kind = world::EventKind::PasswordChanged, .account = "info@tuodominio.it"};
    CHECK(world::describe(changed, Lang::It).find("password") != std::string::npos);
  }

  TEST_CASE("a device added mid-story starts empty and works like the others") {
    Run r = run("at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
                "add device pc2 desktop client outlook imap 993 poll 5m idle on\n"
                "after 6m expect pc2 INBOX has \"Ordine 42\"\n");
    REQUIRE(r.w().device("pc2"));
    CHECK(r.w().devices().size() == 3);
  }
}

TEST_SUITE("script") {
  TEST_CASE("parse: the new actions' errors name the line, the column and the likely word") {
    auto first_error = [](const std::string& body) { return test::first_error(std::string(kHead) + body); };
    CHECK(first_error("pc send cliente@example.com\n").find("expected \"to\"") != std::string::npos);
    CHECK(first_error("pc send to cliente subject \"x\"\n").find("is not an address") != std::string::npos);
    CHECK(first_error("pc send to a@b.it subjet \"x\"\n").find("did you mean \"subject\"") != std::string::npos);
    CHECK(first_error("pc sendd to a@b.it\n").find("did you mean \"send\"") != std::string::npos);
    CHECK(first_error("pc empty-trash\n").find("uses POP3") != std::string::npos);
    CHECK(first_error("webmail info@tuodominio.it delte \"x\"\n").find("did you mean \"delete\"") != std::string::npos);
    CHECK(first_error("webmail nobody@tuodominio.it empty-trash\n").find("no account") != std::string::npos);
    CHECK(first_error("webmail info@tuodominio.it move \"x\" Junk\n").find("expected \"to\"") != std::string::npos);
    CHECK(first_error("add devise pc2 laptop imap 993\n").find("expected \"device\"") != std::string::npos);
    CHECK(first_error("add device pc laptop imap 993\n").find("already exists") != std::string::npos);
    CHECK(first_error("pc2 get-mail\nadd device pc2 laptop imap 993\n").find("unknown statement or device \"pc2\"") != std::string::npos);
    CHECK(parse("server tuodominio.it\naccount a@tuodominio.it password \"x\"\naccount a@tuodominio.it password \"y\"\n")
              .errors.front().message.find("already defined") != std::string::npos);
    CHECK(first_error("pc get-mail\naccount info@tuodominio.it password nuova\n").find("double quotes") != std::string::npos);
    CHECK(first_error("pc set password\n").find("missing the password") != std::string::npos);
    const std::string smtp = "server tuodominio.it\naccount a@tuodominio.it password \"x\"\ndevice pc laptop imap 993 smtp 25\n";
    Parsed p = parse(smtp);
    REQUIRE_FALSE(p.ok());
    CHECK(p.errors.front().message.find("587 (STARTTLS) or 465") != std::string::npos);
    CHECK(p.errors.front().column == 32);
  }

  TEST_CASE("write: the new actions read back as the same statements") {
    const std::string text = std::string(kHead) +
                             "at 09:00 pc send to cliente@example.com subject \"Pre \\\"ventivo\\\"\" size 2KB body \"Ciao\"\n"
                             "phone empty-trash\n"
                             "webmail info@tuodominio.it read \"Ordine\"\n"
                             "webmail info@tuodominio.it delete \"Ordine\" in \"Il mio archivio\"\n"
                             "webmail info@tuodominio.it move \"Ordine\" in Junk to INBOX\n"
                             "webmail info@tuodominio.it empty-trash\n"
                             "add device pc2 desktop client outlook imap 143 starttls smtp 465 poll 5m idle on\n"
                             "pc2 get-mail\n"
                             "account info@tuodominio.it password \"nu\\\"ova\"\n"
                             "pc set password \"nu\\\"ova\"\n";
    Parsed first = parse(text);
    REQUIRE(first.ok());
    const std::string written = write(first.scenario);
    INFO(written);
    Parsed again = parse(written);
    REQUIRE(again.ok());
    REQUIRE(again.scenario.steps.size() == first.scenario.steps.size());
    for (std::size_t i = 0; i < first.scenario.steps.size(); ++i) {
      CAPTURE(i);
      CHECK(again.scenario.steps[i].what == first.scenario.steps[i].what);
    }
    CHECK(write(again.scenario) == written);
    CHECK(std::holds_alternative<AddDevice>(first.scenario.steps[6].what));
    CHECK(std::get<AddDevice>(first.scenario.steps[6].what).settings.smtp_port == 465);
  }
}

}  // namespace postino::script
