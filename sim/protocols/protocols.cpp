#include "sim/protocols/protocols.hpp"

#include "sim/imap/server.hpp"
#include "sim/pop3/server.hpp"

namespace postino::session {

std::unique_ptr<Server> make_server(Protocol protocol, mail::Store& store, const Connection& c, Time now) {
  auto configured = [&](auto config) {
    config.session_id = c.session_id;
    config.tls_available = c.tls_available;
    config.tls_active = c.tls_active;
    config.plaintext_auth = c.plaintext_auth;
    return config;
  };
  switch (protocol) {
    case Protocol::Pop3: return std::make_unique<pop3::ServerSession>(store, configured(pop3::ServerConfig{}), now);
    case Protocol::Imap: return std::make_unique<imap::ServerSession>(store, configured(imap::ServerConfig{}), now);
  }
  return nullptr;
}

}  // namespace postino::session
