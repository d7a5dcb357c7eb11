#pragma once
// POP3's states and the commands each allows (RFC 1939 section 3; RFC 2449, 2595, 5034), as data:
// the server dispatches from this table and lessons draw the state diagram from it.
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/session/states.hpp"

namespace postino::pop3 {

enum class State : std::uint8_t { Authorization, Transaction, Update, Closed };
const char* to_string(State state);

using session::in;
using session::StateSet;

enum class Verb : std::uint8_t {
  User, Pass, Apop, Auth, Capa, Stls, Stat, List, Uidl, Top, Retr, Dele, Noop, Rset, Quit
};

using CommandInfo = session::CommandInfo<Verb>;

std::span<const CommandInfo> commands();
const CommandInfo* find_command(std::string_view name);  // case-insensitive

using Transition = session::Transition<State>;
// Every change of state a session makes, for the server to check and a GUI to draw.
std::span<const Transition> transitions();
// Whether `from` -> `to` is a row of transitions().
bool is_transition(State from, State to);

}  // namespace postino::pop3
