#pragma once
// An IMAP client engine that syncs like Thunderbird or a phone's mail app (sans-IO): it keeps a
// local cache of every folder keyed by UIDVALIDITY and UID, fetches headers of new messages,
// resyncs flags (only what changed, with QRESYNC), fetches a body when the user opens a message
// (which sets \Seen on the server and so on every other device) or, with bodies kept offline,
// downloads every body after the headers, and waits in IDLE for the server's news, or polls.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/flags.hpp"
#include "sim/mail/folder.hpp"
#include "sim/mail/message.hpp"
#include "sim/session/client.hpp"

namespace postino::imap {

struct ClientConfig {
  std::string user;
  std::string password;
  bool use_starttls = false;  // upgrade a plain connection before logging in (port 143)
  bool use_idle = true;       // wait in IDLE for news; otherwise the caller calls poll()
  enum class Delete { MoveToTrash, FlagAndExpunge } delete_mode = Delete::MoveToTrash;
  // Bodies kept offline (Thunderbird's "Keep messages for this account on this computer"): once
  // a folder's headers are synced, the bodies it lacks are downloaded too, so opening a message
  // needs no FETCH. Off: a body is fetched when the user opens its message.
  bool keep_offline = false;
  // RFC 2971: the app's name and version, sent as `ID <id>` when the server has ID (e.g.
  // `("name" "Thunderbird" "version" "128.0")`); empty: the app does not say who it is.
  std::string id;
  bool id_before_login = false;  // after CAPABILITY, before logging in; else right after login
};

// Bodies downloaded for offline use per UID FETCH: a folder may hold 10,000 messages, and one
// command for all of them would keep the connection busy (and IDLE away) for minutes.
inline constexpr std::size_t kOfflineBatch = 50;

struct LocalMessage {
  mail::Uid uid = 0;
  mail::Flags flags = 0;
  std::size_t size = 0;
  mail::MessagePtr message;  // the headers only until the body is fetched
  bool has_body = false;
};

struct LocalFolder {
  std::string name;  // as on the wire (modified UTF-7)
  mail::SpecialUse use = mail::SpecialUse::None;
  std::uint32_t uidvalidity = 0;
  // RFC 7162: the server's HIGHESTMODSEQ when `messages` was last complete; 0 when unknown.
  // With QRESYNC the next SELECT asks only for what changed since.
  mail::ModSeq modseq = 0;
  std::map<mail::Uid, LocalMessage> messages;
};

struct ClientEvent {
  enum class Kind {
    Changed,   // the local cache changed (detail: folder)
    StartTls,  // STARTTLS accepted: run the handshake, then call tls_established()
    Idling,    // waiting in IDLE
    Ready,     // connected and synced, nothing queued
    Error,     // `problem`, `command`, `text` (the server's words): for the user, in words the
               // world's formatter chooses
    Finished,  // the connection is over
    Gone,      // a message (`text`: its subject) left the cache of folder `detail`
  };
  using Problem = session::ClientProblem;
  Kind kind;
  std::string detail;
  Problem problem = Problem::Unexpected;  // Error only
  std::string text;
  std::string command;  // Error: the command it was about ("APPEND"), if any
};

// A copy is a complete, independent client at any moment, even mid-command: its queued work is
// plain data (Pending), so a world can be snapshotted at any event.
// The most messages a selected folder may have: a server announcing more is refused.
inline constexpr std::uint32_t kMaxSelectedMessages = 1'000'000;

class Client final : public session::Client {
 public:
  explicit Client(ClientConfig config);
  std::unique_ptr<session::Client> copy() const override { return std::make_unique<Client>(*this); }

  ClientConfig& config() { return config_; }
  const ClientConfig& config() const { return config_; }

  void connect(Time now, bool tls = false) override;
  void receive(std::string_view bytes, Time now) override;
  void tls_established(Time now) override;
  void connection_lost(Time now) override;
  std::string take_output() override { return std::exchange(out_, {}); }
  std::vector<ClientEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ClientNews> take_news() override;
  // Connected and not quiet: something queued or on the wire.
  bool busy() const override { return connected_ && !quiet(); }

  bool connected() const { return connected_; }
  bool idling() const { return idling_; }
  // Connected with nothing queued or in flight (idling counts as idle).
  bool quiet() const;

  // What the user does. Each is queued and runs when the session is ready.
  void poll() override;                          // check every folder for news
  // The user opens `folder`: brought up to date first (SELECT, or NOOP when it is selected
  // without IDLE), as a real app does before the user picks a message in it.
  void view(const std::string& folder);
  void open(const std::string& folder, mail::Uid uid);
  void set_flag(const std::string& folder, mail::Uid uid, mail::Flags flag, bool on);
  // Per config().delete_mode. True when the Trash folder is gone (the user deleted it): like
  // Thunderbird, the app then creates "Trash" again and moves the message there.
  bool remove(const std::string& folder, mail::Uid uid);
  void move(const std::string& folder, mail::Uid uid, const std::string& to);
  // Every message of `folder` flagged \Deleted and expunged, as "Empty Trash" does.
  void empty_folder(const std::string& folder);
  // Stores a message, as a mail app saves what it sent in Sent.
  void append(const std::string& folder, std::string text, mail::Flags flags = mail::kSeen);
  void create_folder(const std::string& name);
  void rename_folder(const std::string& from, const std::string& to);
  void delete_folder(const std::string& name);
  void logout();
  // Nothing more on this connection: LOGOUT once the command on the wire is answered.
  void hang_up() override;

  // The device lost its data (crash, new device).
  void forget_everything() override { folders_.clear(); }
  // RFC 2177: a client in IDLE ends and re-issues it before the server's 30-minute autologout.
  static constexpr Time kIdleRenewal = 28 * kMinute;
  Time deadline() const override;
  void tick(Time now) override;

  const std::map<std::string, LocalFolder>& folders() const { return folders_; }
  const std::vector<std::string>& capabilities() const { return caps_; }

 private:
  // What a queued or sent command is for: what to do when its tagged response comes (done()),
  // or, for a step with no command, which commands it becomes at its turn (expand()).
  enum class Task {
    // Commands.
    Command,         // nothing to do after; a failure is shown to the user
    Unchecked,       // nothing to do after, not even on failure
    Capability,      // then log in (or STARTTLS)
    StartTls,        // then wait for the handshake
    Login,           // then ENABLE, LIST and sync
    List,            // then sync every listed folder
    Selected,        // `folder`'s SELECT: resync its cache
    FlagsFetched,    // `folder`'s flags: drop what vanished, fetch what is new (`modseq`)
    HeadersFetched,  // `folder`'s missing headers: its cache matches `modseq`
    BodiesFetched,   // a batch of `folder`'s bodies, up to UID `uid`: then the next batch
    Unselected,      // nothing is selected any more
    Moved,           // UID MOVE or UID COPY of `uid` from `folder` to `to`: then (COPY) delete
                     // the original, and sync `to`; on failure, nothing more
    // Steps.
    EnableQresync,   // ENABLE QRESYNC if the server has it
    Id,              // ID with config().id if the server has it and it was not sent yet
    View,            // `folder` up to date: NOOP if selected, else SyncFolder
    SyncFolder,      // SELECT `folder` afresh
    SyncIfCached,    // SyncFolder if `folder` is in the cache (after APPEND)
    FetchUnknown,    // headers of messages the server announced with EXISTS
    FetchBodies,     // keep_offline: the next batch of `folder`'s missing bodies above UID `uid`
    RenameFolder,    // `folder` to `to`, leaving it first if selected
    DeleteFolder,    // `folder`, leaving it first if selected
    // Steps in `folder`: SELECT it unless it is selected (once), then do what they say.
    Enter, Open, SetFlag, Remove, Move, EmptyFolder,
  };
  struct Pending {
    Task task = Task::Command;
    std::string command{};  // without tag and CRLF; empty for a step
    std::string literal{};  // sent after "+" when the command ends in a synchronising literal
    std::string folder{};
    std::string to{};       // Move's target folder, RenameFolder's new name
    mail::Uid uid = 0;
    mail::Flags flags = 0;  // SetFlag: which, and whether `on`
    bool on = false;
    mail::ModSeq modseq = 0;  // FlagsFetched, HeadersFetched: the SELECT's HIGHESTMODSEQ
    bool synced = false;      // a step in `folder` that already asked to SELECT it
  };
  static Pending send(std::string command, Task task = Task::Command) {
    return {.task = task, .command = std::move(command)};
  }

  void process();
  void on_response(std::string_view line);
  void on_untagged(std::string_view rest);
  void on_fetch(std::uint32_t msn, std::string_view items);
  void on_tagged(bool ok, std::string_view status, std::string_view text);
  void done(const Pending& p, bool ok, std::string_view text);
  void expand(Pending p);

  void enqueue(Pending p) { queue_.push_back(std::move(p)); }
  void enqueue_front(std::vector<Pending> commands);
  void pump();  // sends the next command, or IDLEs
  void start_auth();
  void logged_in(bool ok, std::string_view text);
  static Pending list_and_sync() { return send("LIST \"\" \"*\"", Task::List); }
  void listed(bool ok);
  static Pending sync_folder(const std::string& name) { return {.task = Task::SyncFolder, .folder = name}; }
  void selected(bool ok, const std::string& name);  // after sync_folder's SELECT
  void flags_fetched(bool ok, const std::string& name, mail::ModSeq modseq);
  // Headers of what the server has and the cache lacks; then the cache is complete.
  void fetch_missing(const std::string& name, const std::set<mail::Uid>& on_server, mail::ModSeq modseq);
  void complete(const std::string& name, mail::ModSeq modseq);
  static Pending fetch_bodies(const std::string& name, mail::Uid after = 0) {
    return {.task = Task::FetchBodies, .folder = name, .uid = after};
  }
  std::vector<Pending> in_folder(const Pending& p) const;  // the commands of Open, SetFlag...
  void fail(ClientEvent::Problem problem, std::string_view text = {}, std::string command = {});
  void changed(const std::string& folder);
  bool has_cap(std::string_view cap) const;
  std::string next_tag();
  LocalFolder* folder(const std::string& name);
  // A message leaves the cache of `folder`: the device's user sees it vanish (Gone).
  void gone(const std::string& folder, const LocalMessage& m);
  void gone(const LocalFolder& f);  // every message of it

  ClientConfig config_;
  bool connected_ = false;
  bool tls_ = false;
  bool greeted_ = false;
  bool logged_in_ = false;
  bool idling_ = false;
  bool done_sent_ = false;
  bool awaiting_tls_ = false;
  bool bye_ = false;  // the server said BYE: the connection is ending, as it says
  bool hanging_up_ = false;  // LOGOUT is queued: start nothing else
  bool id_sent_ = false;     // ID once per connection
  Time now_ = 0;
  Time idle_since_ = 0;  // when the IDLE in flight was sent
  std::uint32_t tag_counter_ = 0;
  std::vector<std::string> caps_;
  std::string in_;
  std::string response_;
  std::uint64_t literal_left_ = 0;

  std::optional<std::pair<std::string, Pending>> in_flight_;  // tag, command
  std::deque<Pending> queue_;
  std::vector<std::pair<std::string, std::string>> listed_;  // LIST: name, attributes

  // The selected folder as the server numbers it: msn - 1 -> UID.
  std::string selected_;
  std::vector<mail::Uid> msn_;
  std::uint32_t exists_ = 0;
  std::uint32_t selected_uidvalidity_ = 0;
  mail::ModSeq selected_modseq_ = 0;  // HIGHESTMODSEQ of the SELECT, 0 if none
  bool qresync_ = false;              // ENABLEd (RFC 7162): VANISHED instead of EXPUNGE
  bool new_mail_ = false;  // EXISTS grew: fetch the new headers

  std::map<std::string, LocalFolder> folders_;
  std::string out_;
  std::vector<ClientEvent> events_;
};

}  // namespace postino::imap
