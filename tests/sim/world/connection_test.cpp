// How the world's connections behave as real servers and apps do: capabilities offered to every
// plain-port connection, the provider's plaintext-auth rule, the greeting after an implicit TLS
// handshake, the servers' autologout and IDLE renewal, polite hang-ups, and folders opened (and
// so brought up to date) before the user acts in them.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::world {
using test::count_events;
using test::device;
using test::kT0;
using test::one_account;

namespace {

// The wire lines of one device, in one direction, in the order sent.
std::vector<std::string> lines(const World& w, const std::string& name, bool to_server) {
  std::vector<std::string> out;
  for (const TraceEntry& t : w.trace())
    if (t.kind == TraceEntry::Kind::Wire && t.device == name && t.to_server == to_server) out.push_back(t.text.str());
  return out;
}

bool any_contains(const std::vector<std::string>& v, std::string_view needle) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

script::Played run(const std::string& text) {
  script::Parsed p = script::parse(text);
  REQUIRE(p.ok());
  static script::Scenario kept;  // play() keeps a pointer to it
  kept = p.scenario;
  return script::play(kept);
}

std::string failures(const script::Played& p) {
  std::string out;
  for (const auto& o : p.outcomes)
    if (!o.passed) out += std::to_string(o.line) + ": " + describe_check(o.check, Lang::En) + "\n";
  return out;
}

}  // namespace

TEST_SUITE("world") {
  TEST_CASE("every plain-port connection is offered STARTTLS/STLS; the app decides whether to use it") {
    World w(one_account(), kT0);
    Device& imap = w.add_device(device("imap", DeviceKind::Laptop, Protocol::Imap, 143, Security::Plain));
    Device& pop = w.add_device(device("pop", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain));
    w.get_mail(imap);
    w.get_mail(pop);
    w.settle();
    const auto greeting = lines(w, "imap", false).at(0);
    CHECK(greeting.find(" STARTTLS AUTH=PLAIN]") != std::string::npos);
    CHECK(any_contains(lines(w, "pop", false), "\r\nSTLS\r\n"));
    CHECK_FALSE(any_contains(lines(w, "imap", true), "STARTTLS"));  // not asked for: not used
    CHECK_FALSE(any_contains(lines(w, "pop", true), "STLS"));
    CHECK(imap.errors().empty());
    CHECK(pop.errors().empty());
  }

  TEST_CASE("server ... plaintext-auth no: apps without TLS are refused with a sentence a learner reads") {
    const script::Played p = run(R"SC(server tuodominio.it plaintext-auth no
account info@tuodominio.it password "segreta"
device vecchio laptop client outlook imap 143 idle on poll off
device nuovo laptop client thunderbird imap 143 starttls poll off
device posta laptop client outlook pop3 110 leave-on-server off poll off
device sicuro laptop client thunderbird pop3 995 leave-on-server off poll off
at 09:00 deliver to info@tuodominio.it subject "Benvenuto"
vecchio get-mail
expect vecchio error "The server accepts passwords only over an encrypted connection"
expect vecchio INBOX count 0
nuovo get-mail
expect nuovo INBOX has "Benvenuto"
posta get-mail
expect posta error "STARTTLS (port 110) or SSL/TLS (port 995)"
sicuro get-mail
expect sicuro INBOX has "Benvenuto"
)SC");
    CHECK(failures(p) == "");
    const World& w = *p.world;
    CHECK(lines(w, "vecchio", false).at(0).find("STARTTLS LOGINDISABLED]") != std::string::npos);
    CHECK_FALSE(any_contains(lines(w, "vecchio", true), "LOGIN "));  // RFC 3501 6.2.3
    CHECK_FALSE(any_contains(lines(w, "vecchio", true), "AUTHENTICATE"));
    CHECK(any_contains(lines(w, "vecchio", true), "LOGOUT"));
    CHECK(any_contains(lines(w, "posta", false), "Plaintext authentication disallowed"));
    CHECK_FALSE(any_contains(lines(w, "posta", true), "PASS"));
    CHECK(any_contains(lines(w, "posta", true), "QUIT"));
    CHECK(w.device("nuovo")->errors().empty());
    CHECK(w.device("sicuro")->errors().empty());
    const Event& e = w.device("vecchio")->errors().at(0);
    CHECK(e.problem == ClientProblem::PlaintextDisabled);
    CHECK(describe(e, Lang::It).find("solo su una connessione cifrata") != std::string::npos);
    CHECK(describe(e, Lang::It).find("porta 993") != std::string::npos);
    CHECK(describe(w.device("posta")->errors().at(0), Lang::En).find("port 995") != std::string::npos);
  }

  TEST_CASE("implicit TLS: the server greets once the handshake is done") {
    World w(one_account(), kT0);
    w.add_device(device("phone", DeviceKind::Phone, Protocol::Imap, 993, Security::Tls));
    w.add_device(device("pc", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    w.add_device(device("old", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain));
    for (const char* name : {"phone", "pc", "old"}) {
      CAPTURE(name);
      Device& d = *w.device(name);
      const Time start = w.now();
      w.get_mail(d);
      w.settle();
      const Time lat = latency_of(d.config().kind);
      const auto greeting = std::find_if(w.trace().begin(), w.trace().end(), [&](const TraceEntry& t) {
        return t.kind == TraceEntry::Kind::Wire && t.device == name && !t.to_server;
      });
      REQUIRE(greeting != w.trace().end());
      // Three trips of the handshake, then the greeting; in clear, at once.
      CHECK(greeting->sent == start + (d.config().security == Security::Tls ? 3 * lat : 0));
      CHECK(greeting->arrived == greeting->sent + lat);
    }
    const std::string text = transcript(w.trace(), TranscriptFormat::Text, false);
    CHECK(text.find("phone * TLS handshake") < text.find("phone S:tls * OK"));
  }

  TEST_CASE("the server logs out an app idle for 30 minutes; the app reconnects at its next action") {
    World w(one_account(), kT0);
    w.deliver("info@tuodominio.it", "Subject: uno\r\n\r\nciao\r\n");
    DeviceConfig c = device("pc", DeviceKind::Laptop, Protocol::Imap, 993, Security::Tls);
    c.idle = false;  // and no polling: it only sits there
    Device& d = w.add_device(c);
    w.get_mail(d);
    w.settle();
    REQUIRE(d.connected());
    w.advance_to(kT0 + 29 * kMinute);
    CHECK(d.connected());
    w.advance_to(kT0 + 31 * kMinute);
    CHECK_FALSE(d.connected());
    CHECK(any_contains(lines(w, "pc", false), "* BYE Autologout"));
    CHECK(d.errors().empty());  // nothing to tell the user
    CHECK(count_events(w, EventKind::Disconnected) == 1);
    w.open(d, "INBOX", 1);
    w.settle();
    CHECK(d.connected());
    CHECK(d.imap_client()->folders().at("INBOX").messages.at(1).has_body);
    CHECK(count_events(w, EventKind::Connected) == 2);

    // A real client outside the world is logged out the same way.
    DeviceConfig x = device("outside", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain);
    x.external = true;
    Device& out = w.add_device(x);
    w.external_connect(out);
    w.external_send(out, "CAPA\r\n");
    w.settle();
    const Time quiet = w.now();
    w.advance_to(quiet + 9 * kMinute);
    CHECK(out.connected());
    w.advance_to(quiet + 11 * kMinute);
    CHECK_FALSE(out.connected());  // RFC 1939 section 3: without a word
  }

  TEST_CASE("new settings while connected: the app says goodbye first, then connects the new way") {
    World w(one_account(), kT0);
    Device& d = w.add_device(device("phone", DeviceKind::Phone, Protocol::Imap, 993, Security::Tls));
    w.get_mail(d);
    w.settle();
    REQUIRE(d.imap_client()->idling());
    DeviceConfig next = d.config();
    next.port = 143;
    next.security = Security::StartTls;
    w.change_settings(d, next);
    w.settle();
    const auto up = lines(w, "phone", true);
    REQUIRE(up.size() >= 2);
    CHECK(up[up.size() - 2] == "DONE\r\n");
    CHECK(up.back().ends_with(" LOGOUT\r\n"));
    CHECK(any_contains(lines(w, "phone", false), "* BYE"));
    CHECK(count_events(w, EventKind::DisconnectedForSettings) == 1);
    CHECK(count_events(w, EventKind::Disconnected) == 0);
    CHECK(d.errors().empty());
    w.get_mail(d);
    w.settle();
    CHECK(d.tls_on_wire());
    CHECK(any_contains(lines(w, "phone", true), "STARTTLS"));

    // Another protocol: the IMAP app logs out, then the POP3 app starts on 995.
    next.protocol = Protocol::Pop3;
    next.port = 995;
    next.security = Security::Tls;
    const std::size_t logouts = std::count_if(up.begin(), up.end(), [](auto& l) { return l.ends_with(" LOGOUT\r\n"); });
    w.change_settings(d, next);
    w.get_mail(d);  // asked at once: it connects once the goodbye is done
    w.settle();
    const auto after = lines(w, "phone", true);
    CHECK(std::count_if(after.begin(), after.end(), [](auto& l) { return l.ends_with(" LOGOUT\r\n"); }) ==
          static_cast<std::ptrdiff_t>(logouts + 1));
    CHECK(after.back() == "QUIT\r\n");
    CHECK(d.pop_client() != nullptr);
    CHECK(d.errors().empty());
    CHECK(count_events(w, EventKind::DisconnectedForSettings) == 2);
  }

  TEST_CASE("a crash says no goodbye: the server's side just drops") {
    World w(one_account(), kT0);
    Device& d = w.add_device(device("phone", DeviceKind::Phone, Protocol::Imap, 993, Security::Tls));
    w.get_mail(d);
    w.settle();
    const std::size_t before = lines(w, "phone", true).size();
    w.crash(d);
    w.settle();
    CHECK(lines(w, "phone", true).size() == before);  // no DONE, no LOGOUT
    CHECK_FALSE(d.connected());
    CHECK(count_events(w, EventKind::Crashed) == 1);
  }

  TEST_CASE("a connection cut after DELE, before QUIT, deletes nothing; the next session does (RFC 1939 6)") {
    script::Played p = run(
        "server tuodominio.it\n"
        "account info@tuodominio.it password \"segreta\"\n"
        "device pc laptop client thunderbird pop3 995 leave-on-server off poll off\n"
        "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
        "deliver to info@tuodominio.it subject \"Listino 2027\"\n"
        "pc connection-drops after \"dele 2\"\n"  // case aside, as servers read commands
        "pc get-mail\n"
        "expect pc sent \"DELE 2\"\n"
        "expect pc never-sent \"QUIT\"\n"
        "expect server info@tuodominio.it INBOX count 2\n"
        "expect pc INBOX count 2\n"
        "expect pc error \"dropped before QUIT\"\n");
    CHECK(failures(p) == "");
    World& w = *p.world;
    Device& d = *w.device("pc");
    CHECK_FALSE(d.connected());
    CHECK(d.server_state().empty());
    // The server's answer to DELE 2 arrived; the app's next line (QUIT) never left.
    CHECK(lines(w, "pc", true).back() == "DELE 2\r\n");
    CHECK(lines(w, "pc", false).back().rfind("+OK", 0) == 0);
    REQUIRE(count_events(w, EventKind::ConnectionCut) == 1);
    const auto cut = std::find_if(w.trace().begin(), w.trace().end(), [](const TraceEntry& t) { return t.is_event(EventKind::ConnectionCut); });
    CHECK(cut->what->command == "DELE 2");
    CHECK(cut->what->count == 2);  // both marked, both kept
    CHECK(describe(*cut->what, Lang::En).find("the 2 messages marked with DELE stay on the server") != std::string::npos);
    CHECK(describe(*cut->what, Lang::It).find("i 2 messaggi segnati con DELE restano sul server") != std::string::npos);
    CHECK(count_events(w, EventKind::DeletedAtQuit) == 0);
    CHECK(count_events(w, EventKind::Expunged) == 0);

    // Next time: the server still has both; the app knows them by UIDL, so it does not download
    // them twice, it deletes them, and this time QUIT makes it so. The cut happened once.
    const auto first = lines(w, "pc", true);
    const auto retr_before = std::count(first.begin(), first.end(), "RETR 1\r\n");
    CHECK(retr_before == 1);
    w.get_mail(d);
    w.settle();
    const auto sent = lines(w, "pc", true);
    CHECK(std::count(sent.begin(), sent.end(), "RETR 1\r\n") == retr_before);
    CHECK(sent.back() == "QUIT\r\n");
    CHECK(count_events(w, EventKind::ConnectionCut) == 1);
    CHECK(count_events(w, EventKind::DeletedAtQuit) == 2);
    CHECK(w.store().find_account("info@tuodominio.it")->inbox().count() == 0);
    CHECK(d.count("INBOX") == 2);
  }

  TEST_CASE("an IMAP connection cut: the app says so and connects again at the next action") {
    script::Played p = run(
        "server tuodominio.it\n"
        "account info@tuodominio.it password \"segreta\"\n"
        "device phone phone client apple-mail imap 993\n"
        "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
        "phone connection-drops after \"SELECT\"\n"  // after the tag
        "phone get-mail\n"
        "expect phone error \"connection to the server was lost\"\n"
        "phone get-mail\n"
        "expect phone INBOX has \"Ordine 42\"\n");
    CHECK(failures(p) == "");
    const World& w = *p.world;
    CHECK(count_events(w, EventKind::ConnectionCut) == 1);
    CHECK(count_events(w, EventKind::Connected) == 2);
    const auto cut = std::find_if(w.trace().begin(), w.trace().end(), [](const TraceEntry& t) { return t.is_event(EventKind::ConnectionCut); });
    CHECK(cut->what->command.find(" SELECT INBOX") != std::string::npos);
    CHECK(describe(*cut->what, Lang::It).find("il programma dovrà ricollegarsi") != std::string::npos);
  }

  TEST_CASE("a cut waits for its line: a session that never sends it ends as usual") {
    script::Played p = run(
        "server tuodominio.it\n"
        "account info@tuodominio.it password \"segreta\"\n"
        "device pc laptop client thunderbird pop3 995 leave-on-server delete-when-deleted off poll off\n"
        "at 09:00 deliver to info@tuodominio.it subject \"Ordine 42\"\n"
        "pc connection-drops after \"DELE\"\n"
        "pc get-mail\n"  // leave-on-server: no DELE, so no cut
        "expect pc sent \"QUIT\"\n"
        "pc set leave-on-server off\n"
        "pc get-mail\n"  // now DELE 1 is sent: cut
        "expect server info@tuodominio.it INBOX count 1\n");
    CHECK(failures(p) == "");
    CHECK(count_events(*p.world, EventKind::ConnectionCut) == 1);
  }

  TEST_CASE("acting in a folder the app has not synced since: it is opened, and so brought up to date") {
    // Before: "phone delete ... in Trash" found Trash empty (its state at login) until get-mail.
    const script::Played p = run(R"SC(account info@tuodominio.it password "segreta"
device phone phone client apple-mail imap 993 idle on
device pc laptop client thunderbird imap 993 poll off
at 09:00 deliver to info@tuodominio.it subject "Fattura"
phone get-mail
pc get-mail
pc delete "Fattura"
expect server info@tuodominio.it Trash has "Fattura"
phone delete "Fattura" in Trash
expect server info@tuodominio.it Trash count 0
expect phone Trash count 0
expect phone INBOX count 0
)SC");
    CHECK(failures(p) == "");
    CHECK(p.passed());
  }
}

}  // namespace postino::world
