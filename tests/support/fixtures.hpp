#pragma once
// Shared test helpers: small stores, a fake link between a client engine and a server session,
// and readers for the readable test files under tests/.
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/store.hpp"
#include <memory>

#include "sim/imap/client.hpp"
#include "sim/imap/server.hpp"
#include "sim/pop3/client.hpp"
#include "sim/pop3/server.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/world.hpp"

namespace postino::test {

inline constexpr Time kT0 = 1795680000000;  // 2026-11-26 08:00:00 UTC, a fixed start

// A message of exactly `size` octets whose subject says `tag`.
std::string message_of_size(std::size_t size, std::string_view tag);

// RFC 1939 section 10's example: mrose (password tanstaaf) with messages of 120 and 200 octets.
mail::Store rfc1939_store();
pop3::ServerConfig rfc1939_config();

// RFC 3501 section 8's example: mrc (password secret), 18 messages, 17 and 18 unseen and
// recent, message 12 is Terry Gray's minutes, UIDVALIDITY 3857529045.
mail::Store rfc3501_store();

// The world tests' provider: one mailbox, info@tuodominio.it (password segreta), 1 MiB quota.
mail::Store one_account();
// A device of that mailbox's user.
world::DeviceConfig device(const std::string& name, world::DeviceKind kind, world::Protocol p,
                           int port, world::Security sec);
// How many events of `kind` the world's trace holds.
std::size_t count_events(const world::World& w, world::EventKind kind);

// The scenario tests' setup lines: a server, info@tuodominio.it, a POP3 pc and an IMAP phone.
extern const char* const kScenarioHead;
// `text` parsed as a scenario: "ok", or its first diagnostic as `postino check` prints it
// (file name demo.txt).
std::string first_error(const std::string& text);
// `text` parsed (a diagnostic fails the test, shown) and played.
script::Played play_text(const std::string& text);
// Its checks' results, in order.
std::vector<bool> results(const script::Played& played);
// `text` played, every check in it holding (a failure says its line and what was seen).
script::Played play_passing(const std::string& text);

std::string read_file(const std::string& path);
std::vector<std::string> list_files(const std::string& dir, std::string_view extension);
std::string data_path(std::string_view relative);  // under tests/

// Moves bytes both ways until both sides are quiet. Each hop takes `latency` of simulated time.
// Returns the wire log as "C: line" / "S: line" lines.
struct Pop3Link {
  Pop3Link(pop3::Client& c, pop3::ServerSession& s, Time start) : client(c), server(s), now(start) {}

  pop3::Client& client;
  pop3::ServerSession& server;
  Time now;
  Time latency = 10;
  std::size_t chunk = 0;  // deliver bytes in pieces of this size (0: whole)
  std::vector<std::string> wire;
  std::vector<pop3::ClientEvent> events;

  void run();
};

// Several IMAP client engines, each with its own server session on one store. run() moves bytes
// until every side is quiet, and tells every session after each step that the store may have
// changed, as the world does.
struct ImapNet {
  explicit ImapNet(mail::Store& s) : store(s) {}
  struct Peer {
    std::unique_ptr<imap::Client> client;
    std::unique_ptr<imap::ServerSession> server;
    imap::ServerConfig config;  // for the next connection's session
  };
  mail::Store& store;
  Time now = kT0;
  std::vector<Peer> peers;
  std::vector<std::string> wire;  // "n C: line" / "n S: line"
  std::vector<std::vector<imap::ClientEvent>> events;
  bool log_wire = true;
  std::size_t chunk = 0;  // deliver bytes in pieces of this size (0: whole)

  imap::Client& add(imap::ClientConfig config, imap::ServerConfig server = {});
  void connect(std::size_t peer);
  void run();
};

}  // namespace postino::test
