#pragma once
// The scenario language (lessons/FORMAT.md): a trainer's demo as a text file. parse() reads it
// into a Scenario with precise diagnostics; play() runs it on a World.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/world/world.hpp"

namespace postino::script {

struct Diagnostic {
  int line = 0, column = 0;  // 1-based
  std::string message;
  std::string source_line;
  std::string suggestion;    // "did you mean ...?" or empty
};
// "file:line:column: error: message", the line, a caret under the column, the suggestion.
std::string format_diagnostic(const std::string& file, const Diagnostic& d);

struct AccountSpec {
  std::string address, password;
  std::uint64_t quota = 0;
};

// What a statement does, one struct per kind. `device` is a device's name; a message is named
// by its subject (exact, else a unique part of it) or, for a viewer's click, by `uid` (POP3:
// its position in the inbox).
struct Deliver {
  std::string account;
  std::string from = "sender@example.com", subject = "(no subject)";  // as in files
  std::string body;          // empty: a line naming the message
  std::uint64_t size = 0;    // grown to this many octets with filler lines; 0: as it is
  std::uint64_t copies = 1;  // "count N": N messages, numbered after the subject
};
struct GetMail { std::string device; };
struct Open { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; };
struct Delete { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; };
struct Flag { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; };
struct Move { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; std::string to; };
struct CreateFolder { std::string device, folder; };
struct RenameFolder { std::string device, folder, to; };
struct DeleteFolder { std::string device, folder; };
struct Set { std::string device; world::DeviceConfig settings; };  // the settings after the change
struct Crash { std::string device; };
struct Replace { std::string device; };
struct Backup {};
struct Restore { std::string account; Time when = 0; };  // to the backup taken at `when`
// A real client on a socket (the window's --listen), recorded as it happens so that a replay
// shows it too. Not in files.
struct ExternalConnect { world::DeviceConfig settings; };  // a new device unless settings.name exists
struct ExternalSend { std::string device, bytes; };
struct ExternalTlsDone { std::string device; };  // the handshake STARTTLS/STLS asked for
struct ExternalClose { std::string device; };
struct Wait {};  // the time to pass is the statement's `after`
struct Say { std::string text; };

// Expectations look at the world once it has settled. `device` empty: the server's own view
// (the provider's webmail) of `account`.
struct ExpectCount { std::string device, account, folder; std::uint64_t count = 0; };
struct ExpectHas { std::string device, account, folder, subject; };
struct ExpectLacks { std::string device, account, folder, subject; };
struct ExpectUsed { bool below = true; std::string account; std::uint64_t octets = 0; };  // or above
struct ExpectTrace { std::string text; };  // as `postino run` prints it, events in English
struct ExpectError { std::string device, text; };
struct ExpectBounces { std::uint64_t count = 0; };
using Expectation =
    std::variant<ExpectCount, ExpectHas, ExpectLacks, ExpectUsed, ExpectTrace, ExpectError, ExpectBounces>;

using Action = std::variant<Deliver, GetMail, Open, Delete, Flag, Move, CreateFolder, RenameFolder, DeleteFolder,
                            Set, Crash, Replace, Backup, Restore, ExternalConnect, ExternalSend, ExternalTlsDone,
                            ExternalClose, Wait, Say, Expectation>;

// One statement: when, then what.
struct Step {
  int line = 0;
  std::optional<Time> at{};  // absolute time to reach first ("at")
  Time after = 0;            // or a delay to wait first ("after", "wait")
  Action what{};
};

struct Scenario {
  std::string title;
  Time start = 0;
  std::string domain = "tuodominio.it";
  std::uint64_t default_quota = 0;
  std::size_t mailboxes = mail::Store::kDefaultMailboxLimit;
  std::optional<Time> backup_at;  // time of day
  std::vector<AccountSpec> accounts;
  std::vector<world::DeviceConfig> devices;
  std::vector<Step> steps;
};

struct Parsed {
  Scenario scenario;
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

Parsed parse(std::string_view text);

// The default start: 2026-11-26 08:00 (simulated time is UTC-free wall time).
Time default_start();

struct Outcome {
  int line;
  bool passed;
  world::Event check;  // what was expected and what was seen (world::describe_check says it)
};


// Builds the world and runs every step; expectation results in order.
struct Played;

// A scenario being played, that can stop at an event count and go on later: a viewer moves
// forward one line at a time without replaying from the start.
class Player {
 public:
  // `s` must outlive the player. A checkpoint is taken every `checkpoint_every` events or so.
  explicit Player(const Scenario& s, std::size_t checkpoint_every = 400);
  // An independent player at the same event, even mid-statement: its own copy of the world; the
  // checkpoints (never changed once taken) are shared.
  Player(const Player& o);
  Player(Player&&) = default;
  Player& operator=(Player&&) = default;
  // Runs until `event_limit` events (statements included) have run, or the scenario ends.
  void run_until(std::size_t event_limit = static_cast<std::size_t>(-1));
  // Back to the state after `event_limit` events: from the nearest checkpoint at or before it
  // (taken as the player goes, between statements or where run_until() stopped in one), not
  // from the start.
  void rewind_to(std::size_t event_limit);
  std::size_t checkpoints() const { return checkpoints_.size(); }
  bool finished() const { return next_ >= s_->steps.size(); }
  const world::World& world() const { return *world_; }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  Played finish();

 private:
  enum class Phase { Start, At, After, Act, Settle };
  bool run_step(const Step& st);
  void act(const Step& st);
  void check(const Step& st, const Expectation& x);
  void outcome(const Step& st, world::Event check);

  struct Checkpoint {
    std::size_t events;
    std::shared_ptr<const world::World> world;
    std::size_t next, outcomes;
    std::uint64_t delivered;
    Phase phase;  // how far statement `next` had got
    Time target;
  };
  void maybe_checkpoint();

  static constexpr std::size_t kMaxCheckpoints = 8;

  const Scenario* s_;
  std::size_t checkpoint_every_;  // a step back runs about this many events at most
  std::unique_ptr<world::World> world_;
  std::vector<Outcome> outcomes_;
  std::size_t next_ = 0;
  Phase phase_ = Phase::Start;
  Time target_ = 0;
  std::uint64_t delivered_ = 0;
  std::vector<Checkpoint> checkpoints_;
};

struct Played {
  std::unique_ptr<world::World> world;
  std::vector<Outcome> outcomes;
  bool passed() const;
};
// `event_limit`: stop once that many events (statements included) have run: replaying to
// event N-1 is how a viewer steps back.
Played play(const Scenario& s, std::size_t event_limit = static_cast<std::size_t>(-1));

}  // namespace postino::script
