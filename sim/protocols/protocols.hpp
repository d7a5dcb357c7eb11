#pragma once
// Every protocol Postino speaks, in one place: the world, `postino serve` and the tests ask here
// for a session and never name POP3, IMAP or SMTP themselves. A new protocol is added here.
#include <memory>

#include "sim/session/server.hpp"

namespace postino::session {

std::unique_ptr<Server> make_server(Protocol protocol, mail::Store& store, const Connection& c, Time now);

}  // namespace postino::session
