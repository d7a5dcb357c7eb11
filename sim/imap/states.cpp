#include "sim/imap/states.hpp"

namespace postino::imap {
namespace {

constexpr StateSet kNotAuth = in(State::NotAuthenticated);
constexpr StateSet kAuth = in(State::Authenticated) | in(State::Selected);
constexpr StateSet kSel = in(State::Selected);
constexpr StateSet kAny = kNotAuth | kAuth;

constexpr CommandInfo kCommands[] = {
    {Verb::Capability, "CAPABILITY", kAny, "RFC 3501 6.1.1", "asks what the server supports"},
    {Verb::Noop, "NOOP", kAny, "RFC 3501 6.1.2", "does nothing, but collects news"},
    {Verb::Logout, "LOGOUT", kAny, "RFC 3501 6.1.3", "ends the session"},
    {Verb::Id, "ID", kAny, "RFC 2971", "client and server tell each other their names"},
    {Verb::Starttls, "STARTTLS", kNotAuth, "RFC 3501 6.2.1", "switches the connection to TLS"},
    {Verb::Authenticate, "AUTHENTICATE", kNotAuth, "RFC 3501 6.2.2", "logs in with SASL (PLAIN)"},
    {Verb::Login, "LOGIN", kNotAuth, "RFC 3501 6.2.3", "logs in with name and password"},
    {Verb::Enable, "ENABLE", kAuth, "RFC 5161", "turns on extensions"},
    {Verb::Select, "SELECT", kAuth, "RFC 3501 6.3.1", "opens a folder to read and change it"},
    {Verb::Examine, "EXAMINE", kAuth, "RFC 3501 6.3.2", "opens a folder read-only"},
    {Verb::Create, "CREATE", kAuth, "RFC 3501 6.3.3", "creates a folder on the server"},
    {Verb::Delete, "DELETE", kAuth, "RFC 3501 6.3.4", "deletes a folder"},
    {Verb::Rename, "RENAME", kAuth, "RFC 3501 6.3.5", "renames a folder"},
    {Verb::Subscribe, "SUBSCRIBE", kAuth, "RFC 3501 6.3.6", "shows a folder in the client"},
    {Verb::Unsubscribe, "UNSUBSCRIBE", kAuth, "RFC 3501 6.3.7", "hides a folder"},
    {Verb::List, "LIST", kAuth, "RFC 3501 6.3.8", "lists the folders"},
    {Verb::Lsub, "LSUB", kAuth, "RFC 3501 6.3.9", "lists the subscribed folders"},
    {Verb::Status, "STATUS", kAuth, "RFC 3501 6.3.10", "counts messages in a folder"},
    {Verb::Append, "APPEND", kAuth, "RFC 3501 6.3.11", "stores a message (e.g. in Sent)"},
    {Verb::Namespace, "NAMESPACE", kAuth, "RFC 2342", "where folders live"},
    {Verb::Idle, "IDLE", kAuth, "RFC 2177", "waits for news pushed by the server"},
    {Verb::GetQuota, "GETQUOTA", kAuth, "RFC 9208 4.2", "how much disk is used"},
    {Verb::GetQuotaRoot, "GETQUOTAROOT", kAuth, "RFC 9208 4.3", "which quota a folder uses"},
    {Verb::SetQuota, "SETQUOTA", kAuth, "RFC 9208 4.1", "changes a quota (not allowed)"},
    {Verb::Check, "CHECK", kSel, "RFC 3501 6.4.1", "a checkpoint"},
    {Verb::Close, "CLOSE", kSel, "RFC 3501 6.4.2", "closes the folder, removing \\Deleted mail"},
    {Verb::Unselect, "UNSELECT", kSel, "RFC 3691", "closes the folder, removing nothing"},
    {Verb::Expunge, "EXPUNGE", kSel, "RFC 3501 6.4.3", "removes \\Deleted mail for good"},
    {Verb::Search, "SEARCH", kSel, "RFC 3501 6.4.4", "finds messages"},
    {Verb::Fetch, "FETCH", kSel, "RFC 3501 6.4.5", "reads flags, headers or whole messages"},
    {Verb::Store, "STORE", kSel, "RFC 3501 6.4.6", "changes flags (read, flagged, deleted)"},
    {Verb::Copy, "COPY", kSel, "RFC 3501 6.4.7", "copies messages to another folder"},
    {Verb::Move, "MOVE", kSel, "RFC 6851", "moves messages to another folder"},
    {Verb::Uid, "UID", kSel, "RFC 3501 6.4.8", "the same, by UID instead of position"},
};

constexpr Transition kTransitions[] = {
    {State::NotAuthenticated, "LOGIN or AUTHENTICATE accepted", State::Authenticated},
    {State::Authenticated, "SELECT or EXAMINE", State::Selected},
    {State::Selected, "CLOSE, UNSELECT, or SELECT (it closes the open folder first, even if it fails)", State::Authenticated},
    {State::NotAuthenticated, "LOGOUT, a lost connection or the autologout timer", State::Logout},
    {State::Authenticated, "LOGOUT, a lost connection or the autologout timer", State::Logout},
    // Also when another session deletes the open folder (BYE, as Dovecot does).
    {State::Selected, "LOGOUT, a lost connection or the autologout timer", State::Logout},
};

}  // namespace

const char* to_string(State state) {
  switch (state) {
    case State::NotAuthenticated: return "Not Authenticated";
    case State::Authenticated: return "Authenticated";
    case State::Selected: return "Selected";
    case State::Logout: return "Logout";
  }
  return "?";
}

std::span<const CommandInfo> commands() { return kCommands; }

const CommandInfo* find_command(std::string_view name) {
  return session::find_command(commands(), name);
}

std::span<const Transition> transitions() { return kTransitions; }

bool is_transition(State from, State to) { return session::is_transition(transitions(), from, to); }

}  // namespace postino::imap
