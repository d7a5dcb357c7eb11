#pragma once
// IMAP4rev1's states (RFC 3501 section 3) and the commands each allows, as data: the server
// dispatches from this table and lessons draw the state diagram from it.
#include <cstdint>
#include <span>
#include <string_view>

namespace postino::imap {

enum class State : std::uint8_t { NotAuthenticated, Authenticated, Selected, Logout };
const char* to_string(State state);

using StateSet = std::uint8_t;
constexpr StateSet in(State s) { return static_cast<StateSet>(1u << static_cast<unsigned>(s)); }

enum class Verb : std::uint8_t {
  Capability, Noop, Logout, Id,                                      // any state
  Starttls, Authenticate, Login,                                     // not authenticated
  Enable, Select, Examine, Create, Delete, Rename, Subscribe, Unsubscribe, List, Lsub, Status,
  Append, Namespace, Idle, GetQuota, GetQuotaRoot, SetQuota,          // authenticated
  Check, Close, Unselect, Expunge, Search, Fetch, Store, Copy, Move, Uid,  // selected
};

struct CommandInfo {
  Verb verb;
  std::string_view name;
  StateSet states;
  std::string_view rfc;
  std::string_view what;  // one line for people reading a transcript
};

std::span<const CommandInfo> commands();
const CommandInfo* find_command(std::string_view name);  // case-insensitive

struct Transition {
  State from;
  std::string_view on;
  State to;
};
// Every change of state a session makes, for the server to check and a GUI to draw.
std::span<const Transition> transitions();
// Whether `from` -> `to` is a row of transitions().
bool is_transition(State from, State to);

}  // namespace postino::imap
