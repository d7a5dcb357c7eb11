#pragma once
// Readable protocol sessions (tests/sim/*/sessions/*.txt), replayed against server sessions.
//   # comment            fixture NAME          tls (the server offers STARTTLS/STLS)
//   plaintext-auth no    passwords only over TLS (a provider's disable_plaintext_auth)
//   C: line   the client sends it (CRLF added)      S: line   the server must send it
//   C2: / S2: the same for a second session on the same store (sessions 1..9)
//   deliver SUBJECT      new mail for the fixture's account arrives (all sessions are told)
//   expect inbox N       the INBOX count once every session has ended
//   drop                 marks where the connection ends without a goodbye (for readers)
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/store.hpp"
#include "sim/session/server.hpp"

namespace postino::test {

struct Script {
  struct Step {
    enum class Kind { Send, Deliver } kind;
    int session;       // 1-based
    std::string data;  // bytes to send (with CRLF) or the subject to deliver
  };
  std::string fixture = "demo";
  bool tls = false;
  bool plaintext_auth = true;
  std::vector<Step> steps;
  std::vector<std::string> expected;  // per session, index 0 = session 1
  std::optional<std::size_t> inbox_after;
  int sessions = 1;
};

Script parse_script(const std::string& text, std::string& error);

// What a test needs from a protocol: its server session over a store, configured for the script
// (session::Server drives every protocol the same way). Sessions start at `start`; each byte
// chunk they receive is a millisecond later than the one before.
using DriverFactory =
    std::function<std::unique_ptr<session::Server>(mail::Store&, const Script&, int session, Time start)>;
using StoreFactory = std::function<mail::Store(const std::string& fixture)>;

struct Played {
  std::vector<std::string> outputs;
  std::size_t inbox = 0;
};

// Plays the script; consecutive lines to one session are sent together (pipelined), split in two
// at `cut` when 0 < cut < their length, or byte by byte.
Played play(const Script& s, const StoreFactory& stores, const DriverFactory& drivers,
            std::size_t cut = 0, bool bytewise = false);

// Every file of `dir`: whole, every step split in two (at the places that matter, or at every byte
// with POSTINO_EXHAUSTIVE=1), and byte by byte.
void check_golden_dir(const std::string& dir, const StoreFactory& stores,
                      const DriverFactory& drivers, std::size_t min_files);

}  // namespace postino::test
