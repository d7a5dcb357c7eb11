#include "support/fixtures.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace postino::test
