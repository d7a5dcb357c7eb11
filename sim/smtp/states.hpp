#pragma once
// SMTP submission's states and the commands each allows (RFC 5321 section 4.1.4, RFC 6409,
// RFC 3207, RFC 4954), as data: the server dispatches from this table and lessons draw the state
// diagram from it. RFC 5321 names no states; these follow its "mail transaction".
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/session/states.hpp"

namespace postino::smtp {

enum class State : std::uint8_t {
  Connected,      // greeting sent; the client has not said EHLO/HELO yet
  Ready,          // after EHLO/HELO, not logged in
  Authenticated,  // after AUTH: MAIL may start a transaction
  Mail,           // MAIL FROM accepted: a transaction has a sender
  Rcpt,           // at least one RCPT TO accepted
  Data,           // after 354: the message's lines, up to "."
  Closed,
};
const char* to_string(State state);

using session::in;
using session::StateSet;

enum class Verb : std::uint8_t { Ehlo, Helo, Starttls, Auth, Mail, Rcpt, Data, Rset, Noop, Quit };

using CommandInfo = session::CommandInfo<Verb>;

std::span<const CommandInfo> commands();
const CommandInfo* find_command(std::string_view name);  // case-insensitive

using Transition = session::Transition<State>;
// Every change of state a session makes, for the server to check and a GUI to draw.
std::span<const Transition> transitions();
// Whether `from` -> `to` is a row of transitions().
bool is_transition(State from, State to);

}  // namespace postino::smtp
