#pragma once
// The simulated world (docs/ARCHITECTURE.md): a mail server, devices with their mail apps, links with
// latency between them, a clock and an event queue ordered by (time, insertion sequence), and the
// Trace of everything that happened. Deterministic: the same calls give the same trace.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sim/core/shared_text.hpp"
#include "sim/core/time.hpp"
#include "sim/imap/client.hpp"
#include "sim/mail/store.hpp"
#include "sim/pop3/client.hpp"
#include "sim/session/client.hpp"
#include "sim/session/server.hpp"
#include "sim/world/event.hpp"

namespace postino::world {

enum class DeviceKind { Phone, Tablet, Laptop, Desktop };

const char* to_string(Protocol p);
const char* to_string(Security s);
const char* to_string(DeviceKind k);
// How long bytes take to reach the server: a phone on mobile data is slower than a laptop on LAN.
Time latency_of(DeviceKind k);

struct DeviceConfig {
  std::string name;
  DeviceKind kind = DeviceKind::Laptop;
  // The mail app: thunderbird, outlook, apple-mail... (its defaults: sim/world/persona.cpp), or
  // empty: none named, the generic settings.
  std::string client;
  Protocol protocol = Protocol::Imap;
  int port = 993;
  Security security = Security::Tls;
  std::string account;
  std::string password;
  // POP3 (S9, S14)
  bool leave_on_server = false;
  int keep_days = 0;
  bool delete_when_deleted_here = false;
  // IMAP
  bool idle = true;
  bool offline = false;  // bodies downloaded with the headers (imap::ClientConfig::keep_offline)
  imap::ClientConfig::Delete delete_mode = imap::ClientConfig::Delete::MoveToTrash;
  // Sending: SMTP submission on 587 with STARTTLS (RFC 6409) or 465 with TLS from the start (RFC 8314).
  int smtp_port = 587;
  // Both: check for mail every this often (0: only when asked).
  Time poll_every = 0;
  // A real mail client outside the simulation (`postino open --listen`): no client engine here;
  // its bytes come in through external_send() and the server's answers are read off the trace.
  bool external = false;
  bool operator==(const DeviceConfig&) const = default;  // a re-read scenario file is compared
};

// What a POP3 device keeps. Its folders are its own (S13: POP has no folders on the server):
// INBOX, where downloads land, and those the user made on the device.
struct PopMessage {
  std::string uidl;
  mail::MessagePtr message;
  bool seen = false;
  bool deleted = false;  // deleted here, kept for "delete from server when deleted here"
  std::string folder = "INBOX";
};

struct TraceEntry {
  enum class Kind { Wire, Event };
  Kind kind = Kind::Event;
  Time sent = 0;
  Time arrived = 0;        // Wire: when the bytes reach the other side
  std::string device;      // the device; for an Event of the server or the story, empty
  bool to_server = false;  // Wire: direction
  bool tls = false;        // Wire: travelled encrypted
  SharedText text;         // Wire: the bytes (a stored message's octets shared)
  std::shared_ptr<const world::Event> what;  // Event: what happened (shared: entries are copied)
  std::size_t event = 0;   // how many events had run when it happened: replay to it with this limit

  bool is_event(EventKind k) const { return what && what->kind == k; }
  // The same line of the record: the same bytes or the same event, at the same times.
  bool same_as(const TraceEntry& o) const {
    return kind == o.kind && sent == o.sent && arrived == o.arrived && device == o.device &&
           to_server == o.to_server && tls == o.tls && text == o.text && event == o.event &&
           (what && o.what ? *what == *o.what : what == o.what);
  }
};

class World;

class Device {
 public:
  const DeviceConfig& config() const { return config_; }
  bool connected() const { return link_.connected; }
  bool tls_on_wire() const { return link_.tls; }
  // POP3: the local inbox; IMAP: the client's cache (client()->folders()).
  const std::vector<PopMessage>& pop_inbox() const { return pop_inbox_; }
  // POP3: the folders made on this device (INBOX not included), in the order they were made.
  const std::vector<std::string>& local_folders() const { return local_folders_; }
  // Crashed and not replaced yet: the device is dead, it does nothing until `replace`.
  bool crashed() const { return crashed_; }
  // The server session's state by its RFC name ("TRANSACTION", "Selected"); empty when no
  // connection is open.
  std::string_view server_state() const { return server_ ? server_->state_name() : std::string_view{}; }
  // POP3: the INBOX UIDs its session marked with DELE, to go at QUIT.
  std::vector<mail::Uid> marked_for_deletion() const { return server_ ? server_->marked_for_deletion() : std::vector<mail::Uid>{}; }
  // The app's engine for what is particular to its protocol; nullptr for the other one.
  const imap::Client* imap_client() const { return dynamic_cast<const imap::Client*>(app_.get()); }
  const pop3::Client* pop_client() const { return dynamic_cast<const pop3::Client*>(app_.get()); }
  bool external() const { return config_.external; }
  // The server accepted STARTTLS/STLS and waits for the TLS handshake.
  bool server_awaiting_tls() const { return server_ && server_->awaiting_tls(); }
  // Messages the user sees in `folder` (POP3 has only INBOX).
  std::size_t count(const std::string& folder) const;
  std::vector<std::string> subjects(const std::string& folder) const;
  // What the app showed its user (ClientError events), oldest first.
  const std::vector<Event>& errors() const { return errors_; }
  // The app's SMTP submission connection (its own link and server session), once it has sent.
  const Device* sender() const { return sender_.get(); }

 private:
  friend class World;
  // A copy whose server session (if connected) works on `store`, the copy of the world's store.
  Device(const Device& o, mail::Store& store);
  Device() = default;

  // The device's connection to the server, as plain data.
  struct Link {
    bool connected = false;
    bool tls = false;      // the wire carries TLS records
    bool closing = false;  // the server closed; the Close event is queued
    Time last_arrival = 0;  // bytes cannot overtake each other on one link
    std::string external_out;  // an external client's bytes, to put on the link
    std::uint64_t poll_generation = 0;  // a new poll interval starts a new schedule
    std::uint64_t session_id = 0;  // the connection's: an Accept for an older one is stale
    Time timer_at = 0;  // the pending Timer (autologout, IDLE renewal); 0: none
    bool hanging_up = false;  // the app says goodbye to use new settings
    bool reconnect = false;   // asked for mail meanwhile: connect again once closed
    // cut_connection_after(): the line the server got (its answer is the link's last), and
    // whether that answer is still to be sent.
    std::string cut_line;
    bool cut_pending = false;
  };

  DeviceConfig config_;
  imap::Client* imap() { return dynamic_cast<imap::Client*>(app_.get()); }
  pop3::Client* pop() { return dynamic_cast<pop3::Client*>(app_.get()); }
  std::unique_ptr<session::Client> app_;     // the mail app; none for a real client outside
  // The app of the protocol just left, saying goodbye on the old connection until it closes.
  std::unique_ptr<session::Client> leaving_;
  session::Client* on_link() { return leaving_ ? leaving_.get() : app_.get(); }
  std::unique_ptr<session::Server> server_;  // the server's side of the connection, while connected
  Link link_;
  std::vector<PopMessage> pop_inbox_;
  std::vector<std::string> local_folders_;
  std::vector<Event> errors_;
  bool crashed_ = false;
  std::string cut_after_;  // cut_connection_after(): the start of the line to cut after; empty: none
  std::unique_ptr<Device> sender_;  // protocol Smtp; its errors and news go to this device
};

struct Backup {
  Time taken;
  mail::Store store;
};

class World {
 public:
  World(mail::Store store, Time start);
  // A complete, independent copy, trace included, at any event (even with bytes on the wire and
  // commands half sent).
  World(const World& o);
  World& operator=(const World&) = delete;

  // Checkpoints, so that stepping back does not replay from the start. A snapshot holds
  // everything but the trace (only its length); it can be taken at any event.
  std::unique_ptr<World> snapshot() const;
  // Becomes `snap` again; the trace is cut back to the length it had then (it only ever grows,
  // so the lines up to there are the same).
  void rewind_to(const World& snap);

  Time now() const { return timeline_.now; }
  mail::Store& store() { return store_; }
  const mail::Store& store() const { return store_; }
  const std::vector<TraceEntry>& trace() const { return trace_; }
  const std::vector<Backup>& backups() const { return provider_.backups; }
  // Disk used by all mailboxes after each change of the store: (time, octets). Source claims S8
  // and S11 are about this curve.
  const std::vector<std::pair<Time, std::uint64_t>>& disk_use() const { return provider_.disk_use; }

  // `announce`: a device that joins mid-story, with an event saying so.
  Device& add_device(DeviceConfig config, bool announce = false);
  Device* device(const std::string& name);
  const Device* device(const std::string& name) const;
  const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }

  // What people and scenarios do.
  void get_mail(Device& d);
  // The user looks at `folder` on the device (before picking a message in it): an IMAP app
  // brings it up to date; POP3 has only what it downloaded.
  void view_folder(Device& d, const std::string& folder);
  void open(Device& d, const std::string& folder, mail::Uid uid_or_index);
  void remove(Device& d, const std::string& folder, mail::Uid uid_or_index);
  void move(Device& d, const std::string& folder, mail::Uid uid, const std::string& to);
  void flag(Device& d, const std::string& folder, mail::Uid uid, bool on);
  void create_folder(Device& d, const std::string& name);
  void rename_folder(Device& d, const std::string& from, const std::string& to);
  void delete_folder(Device& d, const std::string& name);
  // New settings (POP3 leave-on-server/keep-days, IMAP idle...) take effect at the next connection;
  // another protocol, port or security hangs up first, and another protocol starts the app over
  // (mail it downloaded stays on the device). A new poll interval counts from now.
  void change_settings(Device& d, const DeviceConfig& config);
  void crash(Device& d);    // the device and its local mail are gone (S12); it does nothing more
  // The next line `d` sends that starts with `line_start` (case aside; IMAP: after the tag) is
  // its connection's last: right after the server's answer arrives, the network drops it. Both
  // sides see connection_lost, so a POP3 session never reaches UPDATE (RFC 1939 6).
  void cut_connection_after(Device& d, std::string line_start);
  void replace(Device& d);  // a new, empty device with the same settings
  mail::Delivery deliver(const std::string& to, const std::string& text);
  // The user sends `text` to `to`: the app submits it over SMTP (config smtp_port), then keeps a
  // copy in Sent: IMAP APPENDs it to the server's Sent, POP3 keeps it on the device only.
  void send(Device& d, const std::string& to, const std::string& text);
  void empty_trash(Device& d);  // IMAP: every message of the Trash flagged \Deleted and expunged
  // The provider's webmail acting on the server's mailbox directly (S2, S8), as "webmail".
  // Delete moves to Trash (and deletes for good in Trash); false when nothing matched.
  bool webmail_read(const std::string& address, const std::string& folder, mail::Uid uid);
  bool webmail_delete(const std::string& address, const std::string& folder, mail::Uid uid);
  bool webmail_move(const std::string& address, const std::string& folder, mail::Uid uid, const std::string& to);
  bool webmail_empty_trash(const std::string& address);
  // The provider changes an account's password: apps with the old one fail to log in.
  bool change_password(const std::string& address, const std::string& password);
  // An external client (DeviceConfig::external): connects, sends bytes, hangs up.
  void external_connect(Device& d);
  void external_send(Device& d, std::string bytes);
  // Its TLS handshake after STARTTLS/STLS finished (the socket's side did it).
  void external_tls_established(Device& d);
  void external_close(Device& d);
  // A backup of every mailbox, by hand or (`nightly`) on the schedule.
  void backup(bool nightly = false);
  // The provider restores `address` to the newest backup taken at or before `when` (S12).
  bool restore(const std::string& address, Time when);
  // Records what the story says (narration, the clock, an expectation's result).
  void note(Event e);

  // The provider's rule for passwords on plain ports (Dovecot's disable_plaintext_auth): false
  // makes every new connection on 110/143 refuse them until STLS/STARTTLS.
  void set_plaintext_auth(bool allowed) { provider_.plaintext_auth = allowed; }
  bool plaintext_auth() const { return provider_.plaintext_auth; }

  // Daily backups at this time of day (ms after midnight); nullopt: none.
  void schedule_backups(std::optional<Time> time_of_day);

  // Runs events until the clock reaches `t` (timers included), then sets the clock to `t`.
  // False when the event limit stopped it before `t`.
  bool advance_to(Time t);
  // Runs events until nothing is in flight and no session is busy; timers are not run.
  // False when the event limit stopped it first.
  bool settle();
  // Runs one event; false when none is due before `limit`.
  bool step(Time limit);
  std::size_t events_run() const { return timeline_.events_run; }
  // Replay support (step back = replay to event N-1): no event runs once `n` have run.
  void set_event_limit(std::size_t n) { timeline_.event_limit = n; }
  bool exhausted() const { return timeline_.events_run >= timeline_.event_limit; }
  // A scenario statement counts as one event too.
  void count_statement() { ++timeline_.events_run; }

 private:
  // A crashed device does nothing until replaced: says so, and true.
  bool broken(Device& d);
  struct Queued {
    // Accept: the server's side of a TLS connection starts once the handshake is done.
    // Timer: a session's deadline (the server's autologout, the app's IDLE renewal).
    enum class Kind { ToServer, ToDevice, TlsDone, Close, Poll, Backup, Accept, Timer } kind;
    Time at;
    std::uint64_t seq;
    std::size_t device;
    std::string bytes;
    std::uint64_t generation = 0;  // Poll: the device's polling schedule; Accept: the connection
    bool then_cut = false;  // ToDevice: the network drops the connection once these bytes arrive
    bool operator>(const Queued& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void schedule(Queued e);
  void connect(std::size_t k);
  void accept(std::size_t k);  // the server's side of the connection: its session and greeting
  void arm_timer(std::size_t k);  // a Timer at the device's next deadline, if none comes sooner
  void make_engine(Device& d);  // the mail app for d's protocol and settings
  // The connection drops on the server's side: its session ends without goodbye (POP3: no
  // UPDATE); the app is not told.
  void drop_server_side(Device& d);
  void tls_done(Device& d);  // the handshake after STARTTLS/STLS finished, on both ends
  void cut(std::size_t k);   // the network drops the connection (cut_connection_after)
  // Connects if needed, gives the IMAP app its task and moves its bytes; nothing for POP3.
  template <typename Action>
  void with_imap(Device& d, Action action);
  void run(const Queued& e);
  void pump(std::size_t k);   // moves both sides' output onto the link
  void client_events(std::size_t k);
  void server_events(std::size_t k);
  mail::MessagePtr shared_copy(const std::string& account, const std::string& uidl,
                               mail::MessagePtr downloaded) const;
  void store_news();          // store changes -> trace, and IMAP sessions told
  void add_event(Event e);
  // The app shows its user a problem; `reply` is the server's own words, if any.
  void client_error(Device& d, ClientProblem problem, std::string command, std::string reply);
  void add_event(const Device& d, EventKind kind);  // a device's event with no fields
  bool busy() const;
  bool in_flight() const { return timeline_.in_flight > 0; }
  static bool is_timer(const Queued& e) {
    return e.kind == Queued::Kind::Poll || e.kind == Queued::Kind::Backup || e.kind == Queued::Kind::Timer;
  }
  std::size_t index_of(const Device& d) const;
  // Queue and link index of a device's SMTP connection: its device's index with this bit set.
  static constexpr std::size_t kSender = std::size_t{1} << (sizeof(std::size_t) * 8 - 1);
  Device& at(std::size_t k) { return k & kSender ? *devices_[k & ~kSender]->sender_ : *devices_[k]; }
  void sent(Device& d, session::ClientNews& n);  // the copy in Sent, per protocol
  void after_webmail();

  void copy_state_from(const World& o);  // everything but the trace

  // The clock and what is due: plain data.
  struct Timeline {
    Time now = 0;
    std::uint64_t seq = 0;
    std::uint64_t session_ids = 0;
    std::size_t events_run = 0;
    std::size_t event_limit = static_cast<std::size_t>(-1);
    std::priority_queue<Queued, std::vector<Queued>, std::greater<>> queue;
    std::size_t in_flight = 0;  // queued events that are not timers: bytes, handshakes, closes
  };
  // What the hosting provider keeps about the server: plain data.
  struct Provider {
    std::vector<Backup> backups;
    std::optional<Time> backup_time;
    std::uint64_t seen_changes = 0;  // the store's change log, read up to here
    std::vector<std::pair<Time, std::uint64_t>> disk_use;
    bool plaintext_auth = true;
  };

  mail::Store store_;
  Timeline timeline_;
  Provider provider_;
  std::vector<std::unique_ptr<Device>> devices_;  // copied with Device(const Device&, Store&)
  std::vector<TraceEntry> trace_;
  std::size_t snapshot_trace_size_ = 0;  // in a snapshot: how long the trace was
};

}  // namespace postino::world
