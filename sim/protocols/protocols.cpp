#include "sim/protocols/protocols.hpp"

#include "sim/imap/server.hpp"
#include "sim/pop3/server.hpp"
#include "sim/smtp/server.hpp"

namespace postino::session {

std::unique_ptr<Server> make_server(Protocol protocol, mail::Store& store, const Connection& c, Time now) {
  auto configured = [&](auto config) {
    config.session_id = c.session_id;
    config.tls_available = c.tls_available;
    config.tls_active = c.tls_active;
    // (SMTP submission offers AUTH only under TLS whenever it can start TLS, in any case.)
    if constexpr (requires { config.plaintext_auth; }) config.plaintext_auth = c.plaintext_auth;
    return config;
  };
  switch (protocol) {
    case Protocol::Pop3: return std::make_unique<pop3::ServerSession>(store, configured(pop3::ServerConfig{}), now);
    case Protocol::Imap: return std::make_unique<imap::ServerSession>(store, configured(imap::ServerConfig{}), now);
    case Protocol::Smtp: return std::make_unique<smtp::ServerSession>(store, configured(smtp::ServerConfig{}), now);
  }
  return nullptr;
}

std::string_view busy_greeting(Protocol protocol) {
  switch (protocol) {
    case Protocol::Pop3: return "-ERR [SYS/TEMP] Too many connections, try again later\r\n";  // RFC 3206
    case Protocol::Imap: return "* BYE Too many connections, try again later\r\n";             // RFC 3501 7.1.5
    case Protocol::Smtp: return "421 4.7.0 Too many connections, try again later\r\n";         // RFC 5321 3.8
  }
  return {};
}

}  // namespace postino::session
