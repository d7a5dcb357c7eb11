#pragma once
// The scenario language (lessons/FORMAT.md): a trainer's demo as a text file. parse() reads it
// into a Scenario with precise diagnostics; play() runs it on a World.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/lang.hpp"
#include "sim/core/time.hpp"
#include "sim/world/world.hpp"

namespace postino::script {

// A text a reader sees (a title, narration), in English and Italian: `say en "..." it "..."`, or
// the second language on the next line. The old one-language form `say "..."` gives both the
// same words; `postino check --bilingual` refuses it.
struct Text {
  std::string en, it;
  Text() = default;
  Text(std::string en_text, std::string it_text) : en(std::move(en_text)), it(std::move(it_text)) {}
  // One text for both languages (the old form, and code that sets a plain title).
  Text(const std::string& both) : en(both), it(both) {}  // NOLINT: implicit on purpose
  Text(const char* both) : Text(std::string(both)) {}    // NOLINT
  // The text in `l`, or in the other language when that one is missing.
  const std::string& in(Lang l) const {
    const std::string& mine = l == Lang::It ? it : en;
    return mine.empty() ? (l == Lang::It ? en : it) : mine;
  }
  // The English, for code written before texts had two languages (the window's title bar).
  operator const std::string&() const { return in(Lang::En); }  // NOLINT
  bool empty() const { return en.empty() && it.empty(); }
  bool operator==(const Text&) const = default;
};

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

// What a statement does, one struct per kind (comparable: a written and re-read scenario must
// give the same statements). `device` is a device's name; a message is named
// by its subject (exact, else a unique part of it) or, for a viewer's click, by `uid` (POP3:
// its position in the inbox).
struct Deliver {
  std::string account;
  std::string from = "sender@example.com", subject = "(no subject)";  // as in files
  std::string body;          // empty: a line naming the message
  std::uint64_t size = 0;    // grown to this many octets with filler lines; 0: as it is
  std::uint64_t copies = 1;  // "count N": N messages, numbered after the subject
  bool operator==(const Deliver&) const = default;
};
struct GetMail { std::string device; bool operator==(const GetMail&) const = default; };
struct Open { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; bool operator==(const Open&) const = default; };
struct Delete { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; bool operator==(const Delete&) const = default; };
struct Flag { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; bool on = true; bool operator==(const Flag&) const = default; };  // on: flag; off: unflag
struct Move { std::string device, folder = "INBOX", subject; mail::Uid uid = 0; std::string to; bool operator==(const Move&) const = default; };
struct CreateFolder { std::string device, folder; bool operator==(const CreateFolder&) const = default; };
struct RenameFolder { std::string device, folder, to; bool operator==(const RenameFolder&) const = default; };
struct DeleteFolder { std::string device, folder; bool operator==(const DeleteFolder&) const = default; };
struct Set { std::string device; world::DeviceConfig settings; bool operator==(const Set&) const = default; };  // the settings after the change
struct Crash { std::string device; bool operator==(const Crash&) const = default; };
struct Replace { std::string device; bool operator==(const Replace&) const = default; };
// `pc connection-drops after "DELE"`: the next line the device sends starting so is its
// connection's last; the network drops it right after the server's answer (RFC 1939 6).
struct DropConnection { std::string device, after; bool operator==(const DropConnection&) const = default; };
struct Backup { bool operator==(const Backup&) const = default; };
struct Restore { std::string account; Time when = 0; bool operator==(const Restore&) const = default; };  // to the backup taken at `when`
// A real client on a socket (the window's --listen), recorded as it happens so that a replay
// shows it too. Not in files.
struct ExternalConnect { world::DeviceConfig settings; bool operator==(const ExternalConnect&) const = default; };  // a new device unless settings.name exists
struct ExternalSend { std::string device, bytes; bool operator==(const ExternalSend&) const = default; };
struct ExternalTlsDone { std::string device; bool operator==(const ExternalTlsDone&) const = default; };  // the handshake STARTTLS/STLS asked for
struct ExternalClose { std::string device; bool operator==(const ExternalClose&) const = default; };
// `DEVICE send to ADDRESS subject "S" [size SIZE] [body "B"]`: over SMTP submission, then a copy in Sent.
struct Send { std::string device, to, subject = "(no subject)", body; std::uint64_t size = 0; bool operator==(const Send&) const = default; };
struct EmptyTrash { std::string device; bool operator==(const EmptyTrash&) const = default; };  // IMAP
// `webmail ADDRESS read|delete|move ... | empty-trash`: the provider's webmail on the server's mailbox.
struct Webmail {
  enum class Op { Read, Delete, Move, EmptyTrash } op = Op::Read;
  std::string account, folder = "INBOX", subject, to;
  bool operator==(const Webmail&) const = default;
};
struct AddDevice { world::DeviceConfig settings; bool operator==(const AddDevice&) const = default; };  // mid-story
struct ChangePassword { std::string account, password; bool operator==(const ChangePassword&) const = default; };  // the provider's
struct Wait { bool operator==(const Wait&) const = default; };  // the time to pass is the statement's `after`
struct Say { Text text; bool operator==(const Say&) const = default; };

// Expectations look at the world once it has settled. `device` empty: the server's own view
// (the provider's webmail) of `account`.
struct ExpectCount { std::string device, account, folder; std::uint64_t count = 0; bool operator==(const ExpectCount&) const = default; };
struct ExpectHas { std::string device, account, folder, subject; bool operator==(const ExpectHas&) const = default; };
struct ExpectLacks { std::string device, account, folder, subject; bool operator==(const ExpectLacks&) const = default; };
struct ExpectUsed { bool below = true; std::string account; std::uint64_t octets = 0; bool operator==(const ExpectUsed&) const = default; };  // or above
// `trace [DEVICE [sent|received]] has|lacks "T" [since WHEN]`: a line of the transcript as `postino
// run` prints it (events in English) contains T, ignoring case; with a device, only its lines
// (sent: what it sent the server, received: what the server sent it); `since`: lines at or after.
struct ExpectTrace {
  enum class Lines { All, Sent, Received };
  std::string text, device;
  Lines lines = Lines::All;
  bool has = true;
  std::optional<Time> since{};
  bool operator==(const ExpectTrace&) const = default;
};
// `DEVICE error "T"`: an error the app showed on its latest connection contains T, ignoring case;
// `DEVICE no error` (shown false): it showed none there.
struct ExpectError { std::string device, text; bool shown = true; bool operator==(const ExpectError&) const = default; };
// `bounces N`, or `bounces to ADDRESS N`: only mail for that address.
struct ExpectBounces { std::uint64_t count = 0; std::string to; bool operator==(const ExpectBounces&) const = default; };
// `server A FOLDER removed "S" [after|before WHEN]`: the message is not in the folder now and left
// it (deleted, moved, expunged), the last time at or after (before) WHEN. `DEVICE FOLDER removed`
// (device set): the device's own view of the folder (IMAP: its copy; POP3: its local folders).
struct ExpectRemoved {
  std::string account, folder, subject;
  std::optional<Time> when{};
  bool before = false;
  std::string device;
  bool operator==(const ExpectRemoved&) const = default;
};
// `has "S" with \Seen` / `without \Deleted`: the message is there, with (without) these flags.
struct ExpectFlags { std::string device, account, folder, subject; mail::Flags flags = 0; bool with = true; bool operator==(const ExpectFlags&) const = default; };
// `server A INBOX has "S" uid 3`: the server gave it this UID.
struct ExpectUid { std::string account, folder, subject; mail::Uid uid = 0; bool operator==(const ExpectUid&) const = default; };
// `folder NAME exists` / `missing`, on a device or the server.
struct ExpectFolder { std::string device, account, folder; bool exists = true; bool operator==(const ExpectFolder&) const = default; };
// `DEVICE setting keep-days 7`: the device's setting as a `set` line would write its value; a
// password is never shown: `setting password current|old` says whether it is the account's.
struct ExpectSetting { std::string device, setting, value; bool operator==(const ExpectSetting&) const = default; };
// `DEVICE sent "DELE 1"` / `never-sent`: a line the device sent the server contains the text.
struct ExpectSent { std::string device, text; bool sent = true; bool operator==(const ExpectSent&) const = default; };
using Expectation =
    std::variant<ExpectCount, ExpectHas, ExpectLacks, ExpectUsed, ExpectTrace, ExpectError, ExpectBounces,
                 ExpectFlags, ExpectUid, ExpectFolder, ExpectSetting, ExpectSent, ExpectRemoved>;
// Looks at a settled world: a Check event with ok, what was expected and what was seen.
world::Event evaluate(const world::World& w, const Expectation& x);
// A device setting's value as `set` writes it ("7", "on", "expunge", "5m", "pop3", "465"); empty
// for an unknown setting and for the password (checks compare it with the account's). The names
// are in `setting_names()`.
std::string setting_value(const world::DeviceConfig& d, std::string_view setting);
const std::vector<std::string>& setting_names();
// The fewest octets `d` can make on the server: its headers and first line (at their widest), so
// a `size` below it cannot be honoured.
std::uint64_t smallest_message(const Deliver& d, const std::string& domain);
// A duration as files write it: "7d", "1h30m", "45s".
std::string duration_text(Time t);

using Action = std::variant<Deliver, GetMail, Open, Delete, Flag, Move, CreateFolder, RenameFolder, DeleteFolder,
                            Set, Crash, Replace, DropConnection, Backup, Restore, ExternalConnect, ExternalSend, ExternalTlsDone,
                            ExternalClose, Wait, Say, Expectation, Send, EmptyTrash, Webmail, AddDevice, ChangePassword>;

// One statement: when, then what.
struct Step {
  int line = 0;
  std::optional<Time> at{};  // absolute time to reach first ("at")
  Time after = 0;            // or a delay to wait first ("after", "wait")
  Action what{};
};

struct Scenario {
  Text title;
  Time start = 0;
  std::string domain = "tuodominio.it";
  std::vector<std::string> more_domains;  // `server D domains D2 D3`: a hosting server's other domains
  std::uint64_t default_quota = 0;
  std::size_t mailboxes = mail::Store::kDefaultMailboxLimit;
  std::optional<Time> backup_at;  // time of day
  bool plaintext_auth = true;      // false: passwords on 110/143 only after STLS/STARTTLS
  std::vector<AccountSpec> accounts;
  std::vector<world::DeviceConfig> devices;
  std::vector<Step> steps;
};

struct Parsed {
  Scenario scenario;
  std::vector<Diagnostic> errors;
  // Texts a reader sees given in one language only (or the old one-text form): errors for
  // `postino check --bilingual` and in lessons.
  std::vector<Diagnostic> monolingual;
  bool ok() const { return errors.empty(); }
};

Parsed parse(std::string_view text);

// A line cut into words as the parser cuts it (quoted text unquoted, its column kept); nullopt
// and an error in `errors` when a quote is not closed. For languages built on this one (lessons).
struct Word {
  std::string text;
  int column = 0;
  bool quoted = false;
};
std::optional<std::vector<Word>> split_line(std::string_view line, int line_no, std::vector<Diagnostic>& errors);
// Which languages a text was given in: `"T"` (plain: the same words for both), `en "T"`,
// `it "T"`. A plain text and one tagged language make both (`say "Hello"` then `it "Ciao"`).
struct TextLangs {
  bool plain = false, en = false, it = false;
  bool both() const { return (en && it) || (plain && (en || it)); }
};
// Reads the text in words[from...] to the end of the line into `text` (a second line adds to
// it); false and an error when the words are not a text.
bool read_text(const std::vector<Word>& words, std::size_t from, std::string_view line, int line_no,
               Text& text, std::vector<Diagnostic>& errors, TextLangs& given);
// "did you mean" for a word among candidates, or empty.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);
// The scenario as text parse() reads back into the same setup and statements (the line numbers
// aside): setup first, then one line per statement, a `set` changing several settings at once
// on several lines. A real client's steps (--listen) cannot be written: they become comments.
std::string write(const Scenario& s);
// A change of several settings as single `set` statements would make it, in the order write()
// writes them: each configuration is the device's after one more line.
std::vector<world::DeviceConfig> split_settings(const world::DeviceConfig& before, const world::DeviceConfig& after);

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
  // Where the run is among the statements: the one running (or next to start), and whether it
  // has not started yet. The window branches the story there.
  std::size_t next_step() const { return next_; }
  bool between_steps() const { return phase_ == Phase::Start; }
  // The statements after the current one were changed (the learner branched the story):
  // checkpoints taken further on belong to another story now.
  void steps_changed();
  const world::World& world() const { return *world_; }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  Played finish();

 private:
  enum class Phase { Start, At, After, View, Viewed, Act, Settle };
  bool run_step(const Step& st);
  void view(const Step& st);
  void act(const Step& st);
  void check(const Step& st, const Expectation& x);
  void outcome(const Step& st, world::Event check);

  struct Checkpoint {
    std::size_t events;
    std::shared_ptr<const world::World> world;
    std::size_t next, outcomes;
    std::uint64_t delivered, copied;
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
  std::uint64_t copied_ = 0;  // of a `deliver ... count N` under way: the messages delivered
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
