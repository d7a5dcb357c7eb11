#pragma once
// The shape of every protocol's state table (sim/pop3/states, sim/imap/states,
// sim/smtp/states): a row a command, a row a change of state, and the look-ups in them.
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "sim/core/text.hpp"

namespace postino::session {

using StateSet = std::uint8_t;  // one bit a state
template <class State>
  requires std::is_enum_v<State>
constexpr StateSet in(State s) {
  return static_cast<StateSet>(1u << static_cast<unsigned>(s));
}

template <class Verb>
struct CommandInfo {
  Verb verb;
  std::string_view name;  // as on the wire
  StateSet states;        // where it is allowed
  std::string_view rfc;   // where it is specified
  std::string_view what;  // one line for people reading a transcript
};

template <class State>
struct Transition {
  State from;
  std::string_view on;  // what causes it
  State to;
};

// The row of the command `name` (case-insensitive), or nullptr.
template <class Verb>
const CommandInfo<Verb>* find_command(std::span<const CommandInfo<Verb>> table,
                                      std::string_view name) {
  for (const CommandInfo<Verb>& c : table)
    if (iequals(c.name, name)) return &c;
  return nullptr;
}

// Whether `from` -> `to` is a row of the table.
template <class State>
bool is_transition(std::span<const Transition<State>> table, State from, State to) {
  for (const Transition<State>& t : table)
    if (t.from == from && t.to == to) return true;
  return false;
}

}  // namespace postino::session
