#pragma once
// An IMAP4rev1 server session (RFC 3501 with IDLE, MOVE, UIDPLUS, NAMESPACE, ID, ENABLE,
// UNSELECT, LITERAL+, SASL-IR, SPECIAL-USE, CHILDREN, QUOTA), sans-IO: bytes in, bytes and events
// out. Several sessions share one Store; each learns what the others did from the store's change
// log and tells its client at the moments RFC 3501 allows.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/shared_text.hpp"
#include "sim/core/time.hpp"
#include "sim/imap/states.hpp"
#include "sim/session/server.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/mail/store.hpp"

namespace postino::imap {

struct ServerConfig {
  std::string hostname = "mail.tuodominio.it";
  std::uint64_t session_id = 1;
  bool tls_available = false;  // offer STARTTLS
  bool tls_active = false;     // already encrypted (port 993)
  bool plaintext_auth = true;  // false: LOGINDISABLED until TLS (RFC 3501 6.2.3, Dovecot)
  bool literal_plus = true;    // advertise LITERAL+ (some real servers do not)
  Time autologout = 30 * kMinute;               // RFC 3501 section 5.4: at least 30 minutes
  std::size_t max_line = 64 * 1024;             // one line of a command (without literals)
  std::uint64_t max_literal = 32 * 1024 * 1024;  // larger literals are refused, never buffered
  // One whole command, its lines and literals together: many chained literals, each under
  // max_literal, are refused once they add up to more. Before login a command only needs to
  // carry a user name and password, so the cap is small there (as in Dovecot's imap-login).
  std::uint64_t max_command = 40 * 1024 * 1024;
  std::uint64_t max_command_unauthenticated = 8 * 1024;
};

struct ServerEvent {
  enum class Kind { StateChanged, LoggedIn, AuthFailed, StartTls, Idling, Closed };
  Kind kind;
  State state;
  std::string detail;
};

class ServerSession final : public session::Server {
 public:
  ServerSession(mail::Store& store, ServerConfig config, Time now);  // queues the greeting
  ~ServerSession() override;
  ServerSession& operator=(const ServerSession&) = delete;
  // The same session on `store`, a copy of this session's store (a world's checkpoint).
  std::unique_ptr<ServerSession> clone(mail::Store& store) const;
  std::unique_ptr<session::Server> copy_onto(mail::Store& store) const override { return clone(store); }

  void receive(std::string_view bytes, Time now) override;
  void tls_established(Time now) override;
  void connection_lost(Time now) override;
  // Something changed in the store: a session in IDLE tells its client at once.
  void store_changed(Time now) override;
  void tick(Time now) override;
  Time deadline() const override { return last_activity_ + config_.autologout; }

  // `runs`, when given, receives the stretches of the output that are a stored message's octets.
  std::string take_output(std::vector<SharedRun>* runs = nullptr) override {
    if (runs) *runs = std::move(shared_);
    shared_.clear();
    return std::exchange(out_, {});
  }
  std::vector<ServerEvent> take_events() { return std::exchange(events_, {}); }
  std::vector<session::ServerNews> take_news() override { return session::news_of(take_events()); }

  State state() const { return state_; }
  // Changes of state that are not in transitions(): 0 unless the server has a bug.
  std::size_t bad_transitions() const override { return bad_transitions_; }
  bool closed() const override { return state_ == State::Logout; }
  bool awaiting_tls() const override { return awaiting_tls_; }
  std::string_view state_name() const override { return to_string(state_); }
  bool idling() const { return idle_tag_.has_value(); }
  bool tls_active() const { return config_.tls_active; }
  std::string actor() const;
  // The folder open in this session, or empty.
  std::string selected_folder() const { return selected_ ? selected_->name : std::string(); }

  std::string capabilities() const;

 private:
  // Member-wise, for clone() only: it then points the copy into its own store.
  ServerSession(const ServerSession&) = default;
  struct Known {  // one message as this session's client knows it
    mail::Uid uid;
    mail::Flags flags;
    bool recent;
    mail::MessagePtr message;  // kept so an expunge not yet announced can still be fetched
    Time internal_date;
    mail::ModSeq modseq = 0;  // of the flags above (RFC 7162)
    mail::Keywords keywords{};
  };
  struct Selection {
    std::string name;
    std::uint32_t uidvalidity;
    bool read_only;
    std::vector<Known> msgs;  // index + 1 = message sequence number
    std::uint64_t seen_change;  // the store's change log has been read up to here
    mail::Uid uid_high = 0;     // the highest UID the client has been told of
    bool expunge_withheld = false;  // an EXPUNGE is owed but was not allowed yet
    std::size_t keywords_told = 0;  // of the folder's keywords, in FLAGS and PERMANENTFLAGS
    std::size_t recent_told = 0;    // the last RECENT count sent
  };
  struct Command {
    std::string tag;
    const CommandInfo* info;
    Reader args;
    bool uid = false;
  };

  // Framing: complete commands out of the byte stream.
  void process();
  void finish_command_bytes();
  void dispatch(std::string_view text);
  void handle_sasl_response(std::string_view line);
  void handle_idle_line(std::string_view line);

  // Commands (server_commands.cpp, server_mailbox.cpp, server_fetch.cpp, server_search.cpp).
  void run(Command& c);
  void cmd_capability(Command& c);
  void cmd_noop(Command& c);
  void cmd_logout(Command& c);
  void cmd_id(Command& c);
  void cmd_starttls(Command& c);
  void cmd_authenticate(Command& c);
  void cmd_login(Command& c);
  void cmd_enable(Command& c);
  void cmd_select(Command& c, bool read_only);
  void cmd_create(Command& c);
  void cmd_delete(Command& c);
  void cmd_rename(Command& c);
  void cmd_subscribe(Command& c, bool subscribe);
  void cmd_list(Command& c, bool lsub);
  void list_subscriptions(const std::string& pattern);
  void cmd_status(Command& c);
  void cmd_append(Command& c);
  void cmd_namespace(Command& c);
  void cmd_idle(Command& c);
  void cmd_getquota(Command& c, bool root);
  void cmd_setquota(Command& c);
  void cmd_check(Command& c);
  void cmd_close(Command& c, bool expunge);
  void cmd_expunge(Command& c);
  void cmd_search(Command& c);
  void cmd_fetch(Command& c);
  void cmd_store(Command& c);
  void cmd_copy(Command& c, bool move);
  void cmd_uid(Command& c);

  void login(const std::string& tag, std::string_view user, std::string_view password);
  // No password over a connection that is not encrypted, when the provider says so.
  bool plaintext_refused() const { return !config_.plaintext_auth && !config_.tls_active; }
  mail::Folder* current_folder();
  // The system flags and keywords of a flag list; false (and a BAD sent) for \Recent, which
  // only the server sets, or an unknown system flag.
  bool read_flags(Command& c, const std::vector<std::string>& list, mail::Flags& flags,
                  mail::Keywords& keywords);
  // False (and a NO sent) when `keywords` would take `f` past mail::kMaxKeywords.
  bool keywords_fit(Command& c, const mail::Folder& f, const mail::Keywords& keywords);
  // Message indexes (0-based) named by a sequence set; false (and a BAD sent) when invalid.
  bool resolve(const Command& c, const SequenceSet& set, std::vector<std::size_t>& out);
  // Tells the client what other sessions changed. EXPUNGE only when `expunge_ok`.
  void send_updates(bool expunge_ok);
  // EXPUNGE n at once, or (QRESYNC) its UID kept for flush_vanished()'s one VANISHED line.
  void announce_expunge(std::size_t index);
  void flush_vanished();
  static std::string flags_of(const Known& k);  // "\\Seen \\Recent $Junk"
  // FLAGS and PERMANENTFLAGS: the system flags and the folder's keywords, as SELECT sends them.
  void send_flag_names(const mail::Folder& f);
  // Both again when the folder has keywords this session has not told (RFC 3501 7.2.6).
  void send_new_keywords();
  static std::string modseq_item(const Known& k);  // "MODSEQ (n)"
  // " MODSEQ (n)" when CONDSTORE is on, else nothing.
  std::string modseq_of(const Known& k) const;
  // "n FETCH ([UID u ]FLAGS (...)[ MODSEQ (m)])": news of a message's flags.
  std::string flags_fetch(std::size_t index) const;
  std::optional<std::string> mailbox_arg(Command& c);  // reads and validates a mailbox name
  void deselect();

  void set_state(State s);
  void tagged(const std::string& tag, std::string_view status, std::string_view text);
  void untagged(std::string_view text);
  void bad(Command& c, std::string_view text) { tagged(c.tag, "BAD", text); }
  void no(Command& c, std::string_view text) { tagged(c.tag, "NO", text); }
  void ok(Command& c, std::string_view text) { tagged(c.tag, "OK", text); }

  mail::Store* store_;
  ServerConfig config_;
  State state_ = State::NotAuthenticated;
  std::size_t bad_transitions_ = 0;
  mail::Account* account_ = nullptr;
  std::optional<Selection> selected_;
  // RFC 7162: CONDSTORE is on once a client used it (MODSEQ in every FETCH with FLAGS);
  // QRESYNC once ENABLEd (VANISHED instead of EXPUNGE).
  bool condstore_ = false;
  bool qresync_ = false;
  std::vector<mail::Uid> vanished_;  // expunges not told yet (QRESYNC)
  // Framing state.
  std::string in_;
  std::string command_;             // the command read so far, literals inline
  std::uint64_t literal_left_ = 0;  // octets of a literal still to come
  std::uint64_t command_size_ = 0;  // octets of the command so far, announced literals included
  bool skipping_ = false;           // this command failed (too big): drop its bytes
  std::string skip_reason_;
  bool discarding_line_ = false;
  // Continuations.
  std::optional<std::string> sasl_tag_;
  std::optional<std::string> idle_tag_;
  bool awaiting_tls_ = false;
  std::string out_;
  std::vector<SharedRun> shared_;  // stored octets in out_ (see take_output)
  std::vector<ServerEvent> events_;
  Time last_activity_;
  Time now_;
};

}  // namespace postino::imap
