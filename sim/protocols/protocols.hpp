#pragma once
// Every protocol Postino speaks, in one place: the world, `postino serve` and the tests ask here
// for a session and never name POP3, IMAP or SMTP themselves. A new protocol is added here.
#include <memory>
#include <string_view>

#include "sim/session/server.hpp"

namespace postino::session {

std::unique_ptr<Server> make_server(Protocol protocol, mail::Store& store, const Connection& c, Time now);

// What a server says to a connection it cannot take (too many already), before closing it.
std::string_view busy_greeting(Protocol protocol);

}  // namespace postino::session
