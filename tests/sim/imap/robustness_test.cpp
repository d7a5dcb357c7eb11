// Garbage in: no crash, no unbounded buffering, and the session still answers when it can.
#include <doctest/doctest.h>

#include "sim/imap/client.hpp"
#include "sim/imap/server.hpp"
#include "sim/pop3/client.hpp"
#include "sim/mail/demo.hpp"
#include "sim/pop3/server.hpp"
#include "support/fixtures.hpp"

namespace postino {
namespace {

// Random bytes biased towards what protocol parsers care about.
std::string noise(std::uint64_t& seed, std::size_t n) {
  static const std::string kPieces[] = {"\r\n", "{", "}", "{5}\r\n", "{3+}\r\n", "\"", "\\", " ",
                                        "(", ")", "[", "]", "*", "1:*", "A1 ", "LOGIN ", "FETCH ",
                                        "BODY[", "UID ", "SELECT ", "INBOX", "DONE", ".", "+", "\0"};
  std::string out;
  while (out.size() < n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const auto r = seed >> 33;
    if (r % 3 == 0) out += kPieces[r / 3 % std::size(kPieces)];
    else out += static_cast<char>(r & 0xFF);
  }
  return out;
}

}  // namespace

TEST_SUITE("imap") {
  TEST_CASE("IMAP: 500 sessions of random bytes: no crash, no message invented or lost") {
    std::uint64_t seed = 42;
    for (int round = 0; round < 500; ++round) {
      mail::Store store = mail::make_demo_store();
      imap::ServerConfig c;
      c.max_literal = 4096;
      imap::ServerSession s(store, c, test::kT0);
      s.receive("a LOGIN info segreta\r\nb SELECT INBOX\r\n", test::kT0);
      for (int k = 0; k < 20 && !s.closed(); ++k) {
        s.receive(noise(seed, 1 + seed % 300), test::kT0 + k);
        s.store_changed(test::kT0 + k);
      }
      s.take_output();
      CHECK(store.find_account(mail::kDemoAddress)->inbox().count() <= 7);
    }
  }
}

TEST_SUITE("imap") {
  TEST_CASE("IMAP client: random bytes from a broken server never crash it") {
    std::uint64_t seed = 99;
    for (int round = 0; round < 300; ++round) {
      imap::ClientConfig c;
      c.user = "info";
      c.password = "segreta";
      imap::Client client(c);
      client.connect(test::kT0);
      client.receive("* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN SASL-IR LITERAL+] hi\r\n", test::kT0);
      for (int k = 0; k < 20 && client.connected(); ++k) {
        client.receive(noise(seed, 1 + seed % 300), test::kT0 + k);
        client.take_output();
        client.open("INBOX", 1);
      }
      client.connection_lost(test::kT0 + 100);
      client.take_events();
      CHECK_FALSE(client.connected());
    }
  }
}

TEST_SUITE("pop3") {
  TEST_CASE("POP3 client: random bytes from a broken server never crash it") {
    std::uint64_t seed = 5;
    for (int round = 0; round < 300; ++round) {
      pop3::ClientConfig c;
      c.user = "info";
      c.password = "segreta";
      pop3::Client client(c);
      client.connect(test::kT0);
      for (int k = 0; k < 20 && client.busy(); ++k) {
        client.receive(noise(seed, 1 + seed % 300), test::kT0 + k);
        client.take_output();
      }
      client.connection_lost(test::kT0 + 100);
      client.take_events();
      CHECK_FALSE(client.busy());
    }
  }

  TEST_CASE("POP3: 500 sessions of random bytes, then a clean command still gets an answer") {
    std::uint64_t seed = 7;
    for (int round = 0; round < 500; ++round) {
      mail::Store store = mail::make_demo_store();
      pop3::ServerSession s(store, {}, test::kT0);
      for (int k = 0; k < 20 && !s.closed(); ++k) s.receive(noise(seed, 1 + seed % 400), test::kT0);
      if (s.closed()) continue;  // the noise may contain QUIT
      s.take_output();
      s.receive("\r\nNOOP\r\n", test::kT0);
      const std::string out = s.take_output();
      CHECK(out.ends_with("\r\n"));
      CHECK((out.find("+OK") != std::string::npos || out.find("-ERR") != std::string::npos));
    }
  }
}

}  // namespace postino

// A hostile client's small inputs that used to crash or freeze `postino serve` (one thread for
// every client). Each one is pathological for the old code and takes milliseconds now.
namespace postino {
namespace {

struct Hostile {
  mail::Store store = mail::make_demo_store();
  imap::ServerSession s{store, imap::ServerConfig{}, test::kT0};
  Hostile() {
    s.receive("a LOGIN info segreta\r\n", test::kT0);
    s.take_output();
  }
  std::string say(std::string_view bytes) {
    s.receive(std::string(bytes) + "\r\n", test::kT0 + 1);
    return s.take_output();
  }
  // APPENDs `message` to INBOX (a LITERAL+ literal) and SELECTs INBOX.
  void append_and_select(std::string_view message) {
    const std::string out =
        say("b APPEND INBOX {" + std::to_string(message.size()) + "+}\r\n" + std::string(message));
    REQUIRE(out.find("b OK") != std::string::npos);
    REQUIRE(say("c SELECT INBOX").find("c OK") != std::string::npos);
  }
};

// Parentheses balance outside quoted strings, and the whole is one parenthesised list.
bool balanced(std::string_view s) {
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (quoted) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '"') quoted = false;
    } else if (s[i] == '"') {
      quoted = true;
    } else if (s[i] == '(') {
      ++depth;
    } else if (s[i] == ')' && --depth == 0) {
      return i + 1 == s.size();
    }
  }
  return false;
}

}  // namespace

TEST_SUITE("imap") {
  TEST_CASE("IMAP: message/rfc822 nested past the MIME depth limit: a text leaf, never a crash") {
    Hostile h;
    std::string message = "Subject: core\r\n\r\nhello\r\n";
    for (int k = 0; k < 30; ++k) message = "Content-Type: message/rfc822\r\n\r\n" + message;
    h.append_and_select(message);
    std::string deep = "1";
    for (int k = 1; k < 25; ++k) deep += ".1";
    const std::string out = h.say("d FETCH 8 (BODYSTRUCTURE BODY.PEEK[" + deep + "] BODY.PEEK[" +
                                  deep + ".HEADER] BODY.PEEK[" + deep + ".TEXT])");
    REQUIRE(out.ends_with("d OK FETCH completed\r\n"));
    // body-type-msg needs an envelope and a body inside, body-type-mpart at least one body: the
    // part at the limit is neither, but text/plain with its size and lines.
    const auto at = out.find("BODYSTRUCTURE ") + 14;
    const std::string structure = out.substr(at, out.find(" BODY[") - at);
    CHECK(balanced(structure));
    CHECK(structure.find("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" ") !=
          std::string::npos);
    // Its content is the rest, unopened; it has no HEADER or TEXT of its own: empty, as a part
    // that does not exist is in Dovecot.
    CHECK(out.find("BODY[" + deep + "] {") != std::string::npos);
    CHECK(out.find("BODY[" + deep + "] {0}") == std::string::npos);
    CHECK(out.find("BODY[" + deep + ".HEADER] {0}\r\n") != std::string::npos);
    CHECK(out.find("BODY[" + deep + ".TEXT] {0}\r\n") != std::string::npos);
  }

  TEST_CASE("IMAP: keywords are capped per folder; long repetitive flag lists cost little") {
    Hostile h;
    h.append_and_select("Subject: k\r\n\r\nx\r\n");
    std::string many = "a STORE 1:* +FLAGS (";
    for (int k = 0; k < 300; ++k) many += (k ? " $k" : "$k") + std::to_string(k);
    CHECK(h.say(many + ")") == "a NO [LIMIT] Too many keywords: a folder keeps at most 256\r\n");
    // 10000 times the same two keywords (the line is under the 64 KiB cap): stored once each.
    std::string same = "b STORE 1:* +FLAGS.SILENT (";
    for (int k = 0; k < 10000; ++k) same += k % 2 ? " $A" : (k ? " $b" : "$b");
    std::string out = h.say(same + ")");
    CHECK(out.find("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $b $A)\r\n") == 0);
    CHECK(out.ends_with("b OK STORE completed\r\n"));
    std::string minus = "c STORE 1:* -FLAGS.SILENT (";
    for (int k = 0; k < 5000; ++k) minus += (k ? " $gone" : "$gone") + std::to_string(k);
    CHECK(h.say(minus + ")") == "c OK STORE completed\r\n");
    out = h.say("d FETCH 8 FLAGS");
    CHECK(out.find("$b $A)") != std::string::npos);
  }

  TEST_CASE("IMAP: LIST patterns of 300000 wildcards, and of 40 stars, are matched at once") {
    Hostile h;
    h.say("b CREATE " + std::string(60, 'a'));
    const std::string many(300000, '*');  // was one level of recursion per character
    std::string out = h.say("c LIST \"\" {300000+}\r\n" + many);
    CHECK(out.find("\"/\" Trash\r\n") != std::string::npos);
    CHECK(out.ends_with("c OK LIST completed\r\n"));
    // was exponential: every way of splitting 60 characters among 40 stars before failing on "b"
    out = h.say("d LIST \"\" \"" + std::string(40, '*') + "b\"");
    CHECK(out == "d OK LIST completed\r\n");
    out = h.say("e LIST \"\" \"" + std::string(40, '%') + "a\"");
    CHECK(out.find("\"/\" " + std::string(60, 'a')) != std::string::npos);
  }

  TEST_CASE("IMAP: SEARCH BODY with a long self-similar needle in a long message is linear") {
    Hostile h;
    // A naive search compared ~needle x body = 10^10 characters here.
    h.append_and_select("Subject: s\r\n\r\n" + std::string(200000, 'a') + "\r\n");
    const std::string needle = std::string(50000, 'A') + "b";
    std::string out = h.say("d SEARCH BODY {50001+}\r\n" + needle);
    CHECK(out == "* SEARCH\r\nd OK SEARCH completed\r\n");
    out = h.say("e SEARCH TEXT {50000+}\r\n" + needle.substr(0, 50000));
    CHECK(out == "* SEARCH 8\r\ne OK SEARCH completed\r\n");
  }

  TEST_CASE("IMAP: a Subject full of broken encoded-word starts is decoded in one pass") {
    Hostile h;
    // Each "=?" used to search the rest of the header for "?=": 10^5 x 7*10^5 steps, at APPEND
    // (the summary's subject) and again at every SEARCH.
    std::string subject;
    for (int k = 0; k < 100000; ++k) subject += "=?x?Q?a";
    h.append_and_select("Subject: " + subject + "\r\n\r\nbody\r\n");
    CHECK(h.say("d SEARCH SUBJECT zzz") == "* SEARCH\r\nd OK SEARCH completed\r\n");
    CHECK(h.say("e SEARCH TEXT \"=?x?Q?a=?x\"") == "* SEARCH 8\r\ne OK SEARCH completed\r\n");
  }
}

}  // namespace postino
