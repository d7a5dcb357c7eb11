#include "support/fixtures.hpp"

#include "sim/world/narrate.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

namespace postino::test {

std::string message_of_size(std::size_t size, std::string_view tag) {
  std::string m = "From: sender@example.com\r\nSubject: " + std::string(tag) + "\r\n\r\n";
  while (m.size() + 2 < size) {
    std::size_t room = size - m.size() - 2;
    m += std::string(std::min<std::size_t>(room, 60), 'x') + "\r\n";
  }
  m.resize(size, '\n');
  if (m.size() >= 2) m.replace(m.size() - 2, 2, "\r\n");
  return m;
}

mail::Store rfc1939_store() {
  mail::Store store("dbc.mtview.ca.us", 1000);
  mail::Account& a = *store.add_account("mrose@dbc.mtview.ca.us", "tanstaaf");
  store.append(a, a.inbox(), mail::make_message(message_of_size(120, "one")), 0, kT0, "test");
  store.append(a, a.inbox(), mail::make_message(message_of_size(200, "two")), 0, kT0, "test");
  return store;
}

pop3::ServerConfig rfc1939_config() {
  pop3::ServerConfig c;
  c.hostname = "dewey";
  c.greeting = "POP3 server ready";
  c.apop_timestamp = "<1896.697170952@dbc.mtview.ca.us>";
  return c;
}

mail::Store rfc3501_store() {
  mail::Store store("cac.washington.edu", 3857529045u);
  mail::Account& a = *store.add_account("mrc@cac.washington.edu", "secret");
  std::string minutes =
      "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
      "From: Terry Gray <gray@cac.washington.edu>\r\n"
      "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
      "To: imap@cac.washington.edu\r\n"
      "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n"
      "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n";
  // 92 lines, 3028 octets: the BODY numbers in the RFC's example.
  for (int i = 0; i < 92; ++i) minutes += std::string(i < 84 ? 31 : 30, 'm') + "\r\n";
  for (int n = 1; n <= 18; ++n) {
    if (n == 17) store.claim_recent(a.inbox());  // only 17 and 18 are recent
    const bool seen = n < 17;
    const std::string text = n == 12 ? minutes : message_of_size(200 + n, "message " + std::to_string(n));
    const Time date = n == 12 ? from_civil(1996, 7, 17, 2, 44, 25, -7 * 60) : kT0;
    store.append(a, a.inbox(), mail::make_message(text), seen ? mail::kSeen : 0, date, "test");
  }
  return store;
}

mail::Store one_account() {
  mail::Store s("tuodominio.it", 100);
  s.add_account("info@tuodominio.it", "segreta", 1024 * 1024);
  return s;
}

world::DeviceConfig device(const std::string& name, world::DeviceKind kind, world::Protocol p,
                           int port, world::Security sec) {
  world::DeviceConfig c;
  c.name = name;
  c.kind = kind;
  c.protocol = p;
  c.port = port;
  c.security = sec;
  c.account = "info@tuodominio.it";
  c.password = "segreta";
  return c;
}

std::size_t count_events(const world::World& w, world::EventKind kind) {
  const auto& trace = w.trace();
  return static_cast<std::size_t>(std::count_if(
      trace.begin(), trace.end(), [&](const world::TraceEntry& t) { return t.is_event(kind); }));
}

const char* const kScenarioHead =
    "server tuodominio.it quota 20MB\n"
    "account info@tuodominio.it password \"segreta\"\n"
    "device pc laptop client thunderbird pop3 995 leave-on-server off poll off\n"
    "device phone phone client apple-mail imap 993\n";

std::string first_error(const std::string& text) {
  script::Parsed p = script::parse(text);
  if (p.ok()) return "ok";
  return script::format_diagnostic("demo.txt", p.errors.front());
}

script::Played play_text(const std::string& text) {
  script::Parsed p = script::parse(text);
  REQUIRE_MESSAGE(p.ok(), first_error(text));
  return script::play(p.scenario);
}

std::vector<bool> results(const script::Played& played) {
  std::vector<bool> out;
  for (const script::Outcome& o : played.outcomes) out.push_back(o.passed);
  return out;
}

script::Played play_passing(const std::string& text) {
  script::Played played = play_text(text);
  for (const script::Outcome& o : played.outcomes)
    CHECK_MESSAGE(o.passed, "line " << o.line << ": " << world::describe_check(o.check, Lang::En));
  return played;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> list_files(const std::string& dir, std::string_view extension) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == extension) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string data_path(std::string_view relative) {
  return std::string(POSTINO_TEST_DATA) + "/" + std::string(relative);
}

namespace {
void log_lines(std::vector<std::string>& wire, std::string_view prefix, std::string_view bytes) {
  while (!bytes.empty()) {
    auto eol = bytes.find("\r\n");
    std::string_view line = bytes.substr(0, eol);
    wire.push_back(std::string(prefix) + std::string(line));
    if (eol == std::string_view::npos) break;
    bytes.remove_prefix(eol + 2);
  }
}
}  // namespace

void Pop3Link::run() {
  for (int guard = 0; guard < 100000; ++guard) {
    std::string down = server.take_output();
    std::string up = client.take_output();
    if (down.empty() && up.empty()) break;
    now += latency;
    auto deliver = [this](std::string_view bytes, auto&& to) {
      const std::size_t step = chunk ? chunk : bytes.size();
      for (std::size_t i = 0; i < bytes.size(); i += step) to(bytes.substr(i, step));
    };
    if (!down.empty()) {
      log_lines(wire, "S: ", down);
      deliver(down, [&](std::string_view b) { client.receive(b, now); });
    }
    if (!up.empty()) {
      log_lines(wire, "C: ", up);
      deliver(up, [&](std::string_view b) { server.receive(b, now); });
    }
    for (auto& e : client.take_events()) {
      if (e.kind == pop3::ClientEvent::Kind::StartTls) {
        // No real TLS in sim tests: both ends agree the handshake is done.
        now += latency;
        server.tls_established(now);
        client.tls_established(now);
      }
      events.push_back(std::move(e));
    }
  }
  if (server.closed() && client.busy()) {
    // The server hung up: the client sees the connection close.
    client.connection_lost(now);
    for (auto& e : client.take_events()) events.push_back(std::move(e));
  }
}

imap::Client& ImapNet::add(imap::ClientConfig config, imap::ServerConfig server) {
  server.session_id = peers.size() + 1;
  Peer p;
  p.client = std::make_unique<imap::Client>(std::move(config));
  p.server = std::make_unique<imap::ServerSession>(store, server, now);
  p.config = server;
  peers.push_back(std::move(p));
  events.emplace_back();
  return *peers.back().client;
}

void ImapNet::connect(std::size_t k) {
  Peer& p = peers[k];
  if (p.server->closed()) p.server = std::make_unique<imap::ServerSession>(store, p.config, now);
  p.client->connect(now);
}

void ImapNet::run() {
  for (int guard = 0; guard < 1000000; ++guard) {
    bool moved = false;
    for (std::size_t k = 0; k < peers.size(); ++k) {
      Peer& p = peers[k];
      std::string down = p.server->take_output();
      std::string up = p.client->take_output();
      if (down.empty() && up.empty()) {
        if (p.server->closed() && p.client->connected()) {
          p.client->connection_lost(now);  // the server hung up
          for (auto& e : p.client->take_events()) events[k].push_back(std::move(e));
          moved = true;
        }
        continue;
      }
      moved = true;
      ++now;
      const std::string who = std::to_string(k + 1);
      if (log_wire) {
        log_lines(wire, who + " S: ", down);
        log_lines(wire, who + " C: ", up);
      }
      const std::size_t step = chunk ? chunk : std::max(down.size(), up.size()) + 1;
      for (std::size_t i = 0; i < down.size(); i += step) p.client->receive(std::string_view(down).substr(i, step), now);
      for (std::size_t i = 0; i < up.size(); i += step) p.server->receive(std::string_view(up).substr(i, step), now);
      for (auto& e : p.client->take_events()) {
        if (e.kind == imap::ClientEvent::Kind::StartTls) {
          p.server->tls_established(now);
          p.client->tls_established(now);
        }
        events[k].push_back(std::move(e));
      }
      for (Peer& other : peers) other.server->store_changed(now);
    }
    if (!moved) return;
  }
  FAIL("ImapNet::run did not settle");
}

}  // namespace postino::test
