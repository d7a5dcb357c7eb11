#pragma once
// IMAP4rev1's states (RFC 3501 section 3) and the commands each allows, as data: the server
// dispatches from this table and lessons draw the state diagram from it.
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/session/states.hpp"

namespace postino::imap {

enum class State : std::uint8_t { NotAuthenticated, Authenticated, Selected, Logout };
const char* to_string(State state);

using session::in;
using session::StateSet;

enum class Verb : std::uint8_t {
  Capability, Noop, Logout, Id,                                      // any state
  Starttls, Authenticate, Login,                                     // not authenticated
  Enable, Select, Examine, Create, Delete, Rename, Subscribe, Unsubscribe, List, Lsub, Status,
  Append, Namespace, Idle, GetQuota, GetQuotaRoot, SetQuota,          // authenticated
  Check, Close, Unselect, Expunge, Search, Fetch, Store, Copy, Move, Uid,  // selected
};

using CommandInfo = session::CommandInfo<Verb>;

std::span<const CommandInfo> commands();
const CommandInfo* find_command(std::string_view name);  // case-insensitive

using Transition = session::Transition<State>;
// Every change of state a session makes, for the server to check and a GUI to draw.
std::span<const Transition> transitions();
// Whether `from` -> `to` is a row of transitions().
bool is_transition(State from, State to);

}  // namespace postino::imap
