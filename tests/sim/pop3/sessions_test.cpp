// Replays the readable sessions in tests/sim/pop3/sessions/*.txt against a server session and
// checks its bytes exactly: all input at once (pipelined), split at every byte position, and one
// byte at a time. File format:
//   # comment                  fixture rfc1939|demo      tls (offer STLS)
//   C: line   what the client sends (CRLF added)          S: line   what the server must send
//   drop      the connection ends here without QUIT       expect inbox N   INBOX count afterwards
#include <doctest/doctest.h>

#include "sim/core/text.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"

namespace postino::test {
namespace {

struct Script {
  std::string fixture = "demo";
  bool tls = false;
  std::string input, expected;
  std::optional<std::size_t> inbox_after;
};

Script parse_script(const std::string& text) {
  Script s;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto payload = [&](std::string_view l) { return l.size() > 3 ? l.substr(3) : ""; };
    if (line.starts_with("C:")) s.input += std::string(payload(line)) + "\r\n";
    else if (line.starts_with("S:")) s.expected += std::string(payload(line)) + "\r\n";
    else if (line.starts_with("fixture ")) s.fixture = std::string(line.substr(8));
    else if (line == "tls") s.tls = true;
    else if (line.starts_with("expect inbox ")) s.inbox_after = *parse_decimal(line.substr(13));
    else if (line == "drop") continue;  // the default when the script has no QUIT
    else FAIL("line " << line_no << ": cannot read '" << line << "'");
  }
  return s;
}

struct Result {
  std::string output;
  std::size_t inbox = 0;
};

Result play(const Script& s, const std::vector<std::string_view>& chunks) {
  mail::Store store = s.fixture == "rfc1939" ? rfc1939_store() : mail::make_demo_store();
  pop3::ServerConfig config = s.fixture == "rfc1939" ? rfc1939_config() : pop3::ServerConfig{};
  if (s.fixture != "rfc1939") config.apop_timestamp = "<1.0@mail.tuodominio.it>";
  config.tls_available = s.tls;
  Result r;
  {
    pop3::ServerSession session(store, config, kT0);
    Time now = kT0;
    for (std::string_view c : chunks) session.receive(c, ++now);
    if (!session.closed()) session.connection_lost(now);
    r.output = session.take_output();
  }
  r.inbox = store.accounts().begin()->second.inbox().count();
  if (s.fixture == "demo") r.inbox = store.find_account(mail::kDemoAddress)->inbox().count();
  return r;
}

}  // namespace

TEST_SUITE("pop3") {
  TEST_CASE("golden POP3 sessions, whole and split at every byte") {
    const auto files = list_files(data_path("sim/pop3/sessions"), ".txt");
    REQUIRE(files.size() >= 5);
    for (const std::string& file : files) {
      CAPTURE(file);
      const Script s = parse_script(read_file(file));
      const Result whole = play(s, {s.input});
      CHECK(whole.output == s.expected);
      if (s.inbox_after) CHECK(whole.inbox == *s.inbox_after);

      std::string_view in = s.input;
      for (std::size_t cut = 0; cut <= in.size(); ++cut) {
        CAPTURE(cut);
        const Result split = play(s, {in.substr(0, cut), in.substr(cut)});
        REQUIRE(split.output == whole.output);
        REQUIRE(split.inbox == whole.inbox);
      }
      std::vector<std::string_view> bytes;
      for (std::size_t i = 0; i < in.size(); ++i) bytes.push_back(in.substr(i, 1));
      CHECK(play(s, bytes).output == whole.output);
    }
  }
}

}  // namespace postino::test
