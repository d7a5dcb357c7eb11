// Garbage in: no crash, no unbounded buffering, every reply a well-formed reply line, and the
// client engine survives a broken server.
#include <doctest/doctest.h>

#include "sim/mail/demo.hpp"
#include "sim/smtp/client.hpp"
#include "sim/smtp/server.hpp"
#include "sim/smtp/wire.hpp"
#include "support/fixtures.hpp"

namespace postino::smtp {
namespace {

// Random bytes biased towards what SMTP parsers care about.
std::string noise(std::uint64_t& seed, std::size_t n) {
  static const std::string kPieces[] = {"\r\n", "\n", ".", "\r\n.\r\n", "<", ">", "@", ":", "=", " ",
                                        "EHLO x\r\n", "MAIL FROM:", "RCPT TO:", "<a@b.it>", "<info@tuodominio.it>",
                                        "DATA\r\n", "AUTH PLAIN", "AUTH LOGIN\r\n", "SIZE=", "RSET\r\n",
                                        "STARTTLS\r\n", "*\r\n", std::string(1, '\0'), "250-", "334 "};
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

TEST_SUITE("smtp") {
  TEST_CASE("server: 500 sessions of random bytes: no crash, well-formed replies, nothing lost") {
    std::uint64_t seed = 7;
    for (int round = 0; round < 500; ++round) {
      mail::Store store = mail::make_demo_store();
      ServerSession s(store, {.tls_active = round % 2 == 0, .max_message_size = 2000}, test::kT0);
      s.receive("EHLO pc\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n", test::kT0);
      std::string out = s.take_output();
      for (int k = 0; k < 20 && !s.closed() && !s.awaiting_tls(); ++k) {
        s.receive(noise(seed, 1 + seed % 700), test::kT0 + k);
        out += s.take_output();
      }
      CHECK((out.empty() || out.ends_with("\r\n")));
      std::size_t p = 0;
      bool well_formed = true;
      while (p < out.size()) {
        const auto e = out.find("\r\n", p);
        well_formed &= parse_reply_line(std::string_view(out).substr(p, e - p)).has_value();
        p = e + 2;
      }
      CHECK(well_formed);
      CHECK(s.bad_transitions() == 0);
      CHECK(store.find_account(mail::kDemoAddress)->inbox().count() >= 7);  // nothing taken away
    }
  }

  TEST_CASE("client: random bytes from a broken server never crash it, and it ends") {
    std::uint64_t seed = 11;
    for (int round = 0; round < 300; ++round) {
      Client client({.user = "info@tuodominio.it", .password = "segreta"});
      client.submit({"info@tuodominio.it", {"a@b.it"}, mail::make_message("Subject: x\r\n\r\nx\r\n")});
      client.connect(test::kT0, true);
      client.receive("220 hi\r\n250-x\r\n250 AUTH PLAIN\r\n", test::kT0);
      for (int k = 0; k < 20 && client.busy(); ++k) client.receive(noise(seed, 1 + seed % 300), test::kT0 + k);
      client.take_output();
      client.connection_lost(test::kT0 + 30);
      CHECK_FALSE(client.busy());
      CHECK(client.outbox().size() <= 1);
    }
  }
}

}  // namespace postino::smtp
