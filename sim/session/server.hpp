#pragma once
// One face for every protocol's server session (POP3, IMAP and SMTP submission):
// what the world, a socket or a test needs to carry a session's bytes, without knowing which
// protocol it speaks. Sessions stay sans-IO: bytes and time in, bytes and news out.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/shared_text.hpp"
#include "sim/core/time.hpp"
#include "sim/session/protocol.hpp"

namespace postino::mail {
class Store;
using Uid = std::uint32_t;  // as in sim/mail/folder.hpp
}

namespace postino::session {

// What a server session tells the layer that carries its bytes.
struct ServerNews {
  enum class Kind {
    LoggedIn,    // detail: the account
    AuthFailed,  // detail: the login name tried; a socket may delay the next reply
    StartTls,    // the reply to STLS/STARTTLS is in the output: start TLS once it is sent
    Closed,      // the session ends once its output is sent
    SentOut,     // SMTP: detail: a recipient elsewhere; the message left "for the Internet"
  };
  Kind kind;
  std::string detail;
};

// How the connection was made: what every protocol's session is told at the start.
struct Connection {
  std::uint64_t session_id = 1;
  bool tls_available = false;  // the carrier can start TLS (STLS/STARTTLS is offered)
  bool tls_active = false;     // encrypted from the first byte (995, 993, 465)
  // Passwords accepted before TLS (Dovecot's disable_plaintext_auth = no). When false, a plain
  // connection must upgrade with STLS/STARTTLS first: IMAP says LOGINDISABLED, POP3 refuses USER.
  bool plaintext_auth = true;
};

class Server {
 public:
  virtual ~Server() = default;
  // The same session on `store`, a copy of this session's store (a world's checkpoint).
  virtual std::unique_ptr<Server> copy_onto(mail::Store& store) const = 0;

  virtual void receive(std::string_view bytes, Time now) = 0;
  // The TLS handshake asked for by STLS/STARTTLS finished; the session listens again.
  virtual void tls_established(Time now) = 0;
  // The connection dropped without a goodbye (POP3: no UPDATE, nothing deleted).
  virtual void connection_lost(Time now) = 0;
  // Another session changed the store (IMAP tells its client; POP3's maildrop is locked).
  virtual void store_changed(Time now) = 0;
  // Autologout once deadline() has passed.
  virtual void tick(Time now) = 0;
  virtual Time deadline() const = 0;

  // `runs`, when given, receives the stretches of the output that are a stored message's octets.
  virtual std::string take_output(std::vector<SharedRun>* runs = nullptr) = 0;
  virtual std::vector<ServerNews> take_news() = 0;

  virtual bool closed() const = 0;
  virtual bool awaiting_tls() const = 0;
  // The protocol's state by its RFC name ("TRANSACTION", "Selected"), for people.
  virtual std::string_view state_name() const = 0;
  // Changes of state that are not in the protocol's transition table: 0 unless there is a bug.
  virtual std::size_t bad_transitions() const = 0;
  // POP3: the INBOX UIDs marked with DELE in this session; they go at QUIT (the UPDATE state),
  // or stay if the connection drops. Empty for other protocols.
  virtual std::vector<mail::Uid> marked_for_deletion() const { return {}; }
};

// A protocol's own server events (with Kind::LoggedIn, AuthFailed, StartTls, Closed among
// others) as the news every carrier understands; the rest (changes of state...) stays with those
// who know the protocol.
template <typename ServerEvent>
std::vector<ServerNews> news_of(std::vector<ServerEvent> events) {
  std::vector<ServerNews> news;
  using K = typename ServerEvent::Kind;
  for (ServerEvent& e : events) {
    if (e.kind == K::LoggedIn) news.push_back({ServerNews::Kind::LoggedIn, std::move(e.detail)});
    if (e.kind == K::AuthFailed) news.push_back({ServerNews::Kind::AuthFailed, std::move(e.detail)});
    if (e.kind == K::StartTls) news.push_back({ServerNews::Kind::StartTls, {}});
    if (e.kind == K::Closed) news.push_back({ServerNews::Kind::Closed, {}});
  }
  return news;
}

// make_server (sim/protocols/protocols.hpp) makes one for a protocol.

}  // namespace postino::session
