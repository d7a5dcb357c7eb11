#pragma once
// One face for every protocol's client engine (the simulated mail apps): what the world needs to
// carry an app's bytes and hear what it has to say, without knowing which protocol it speaks.
// What is particular to a protocol (POP3's downloads, IMAP's folders) stays on the engine itself.
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/message.hpp"

namespace postino::session {

inline constexpr Time kNoDeadline = std::numeric_limits<Time>::max();

// What went wrong, as a mail app tells its user.
enum class ClientProblem {
  Refused,         // the greeting was -ERR / not OK
  AuthFailed,
  NoApop,          // POP3: APOP asked for, no timestamp in the greeting
  MailboxInUse,    // POP3 [IN-USE] (RFC 2449): another session holds the maildrop
  TlsNotOffered,   // STLS/STARTTLS wanted, not offered: the password is not sent in clear
  TlsRefused,      // STLS/STARTTLS refused
  PlaintextDisabled,  // the server takes passwords only over TLS (LOGINDISABLED, POP3 USER refused)
  CommandFailed,   // `command` refused
  OverQuota,       // IMAP: `command` answered [OVERQUOTA]
  NoUidl,          // POP3: without UIDL downloaded mail cannot be told apart
  QuitFailed,      // POP3: deletions may not have happened
  Unexpected,      // a reply that makes no sense (to `command`, or none asked)
  ConnectionLost,  // POP3: before QUIT, so the server deleted nothing
};

struct ClientNews {
  enum class Kind {
    Downloaded,       // uidl, message: now stored on the device (POP3)
    DeletedOnServer,  // uidl: the server confirmed the deletion (POP3, at QUIT)
    StartTls,         // STLS/STARTTLS accepted: run the handshake, then call tls_established()
    Error,            // problem, command, text (the server's own words): to show the user
    Sent,             // SMTP: message taken for `recipients`; text: the server's reply
    Gone,             // IMAP: `text` (a subject) left the app's copy of `folder`
  };
  Kind kind;
  std::string uidl;
  mail::MessagePtr message;
  ClientProblem problem = ClientProblem::Unexpected;
  std::string command;
  std::string text;
  std::vector<std::string> recipients;
  std::string folder;
};

class Client {
 public:
  virtual ~Client() = default;
  // A complete, independent copy, at any moment (a world's checkpoint).
  virtual std::unique_ptr<Client> copy() const = 0;

  virtual void connect(Time now, bool tls) = 0;
  virtual void receive(std::string_view bytes, Time now) = 0;
  virtual void tls_established(Time now) = 0;
  virtual void connection_lost(Time now) = 0;
  // The user asks for mail while connected (a new connection is the world's to make).
  virtual void poll() = 0;
  // The user is done with this connection (new account settings): the app says goodbye where it
  // can (IMAP LOGOUT, POP3 QUIT after the reply it waits for) and the server closes. A crash
  // says nothing: that is connection_lost().
  virtual void hang_up() = 0;
  // The device lost its data (crash, new device).
  virtual void forget_everything() = 0;
  // When the app wants to act on its own (IMAP: renew IDLE), and tick() at that time.
  virtual Time deadline() const { return kNoDeadline; }
  virtual void tick(Time) {}

  virtual std::string take_output() = 0;
  virtual std::vector<ClientNews> take_news() = 0;
  // Work queued or on the wire; an app waiting in IDLE is not busy.
  virtual bool busy() const = 0;
};

}  // namespace postino::session
