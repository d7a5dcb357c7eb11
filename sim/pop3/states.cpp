#include "sim/pop3/states.hpp"

namespace postino::pop3 {
namespace {

constexpr StateSet kAuth = in(State::Authorization);
constexpr StateSet kTrans = in(State::Transaction);
constexpr StateSet kBoth = kAuth | kTrans;

constexpr CommandInfo kCommands[] = {
    {Verb::User, "USER", kAuth, "RFC 1939 section 7", "names the mailbox to log in to"},
    {Verb::Pass, "PASS", kAuth, "RFC 1939 section 7", "gives the password (in clear unless TLS)"},
    {Verb::Apop, "APOP", kAuth, "RFC 1939 section 7", "logs in with an MD5 digest of the password"},
    {Verb::Auth, "AUTH", kAuth, "RFC 5034", "logs in with a SASL mechanism (PLAIN)"},
    {Verb::Capa, "CAPA", kBoth, "RFC 2449 section 5", "asks what the server supports"},
    {Verb::Stls, "STLS", kAuth, "RFC 2595 section 4", "switches the connection to TLS"},
    {Verb::Stat, "STAT", kTrans, "RFC 1939 section 5", "how many messages, how many octets"},
    {Verb::List, "LIST", kTrans, "RFC 1939 section 5", "the size of each message"},
    {Verb::Uidl, "UIDL", kTrans, "RFC 1939 section 7", "the unique id of each message"},
    {Verb::Top, "TOP", kTrans, "RFC 1939 section 7", "the headers and first lines of a message"},
    {Verb::Retr, "RETR", kTrans, "RFC 1939 section 5", "downloads a whole message"},
    {Verb::Dele, "DELE", kTrans, "RFC 1939 section 5", "marks a message for deletion at QUIT"},
    {Verb::Noop, "NOOP", kTrans, "RFC 1939 section 5", "does nothing; keeps the session alive"},
    {Verb::Rset, "RSET", kTrans, "RFC 1939 section 5", "unmarks every message marked for deletion"},
    {Verb::Quit, "QUIT", kBoth, "RFC 1939 section 6", "ends the session; deletes marked messages"},
};

constexpr Transition kTransitions[] = {
    {State::Authorization, "USER+PASS, APOP or AUTH accepted", State::Transaction},
    {State::Authorization, "QUIT, a lost connection or the autologout timer", State::Closed},
    {State::Transaction, "QUIT", State::Update},
    {State::Update, "marked messages deleted", State::Closed},
    // RFC 1939 section 6: without QUIT there is no UPDATE, and nothing is deleted.
    {State::Transaction, "a lost connection or the autologout timer", State::Closed},
};

}  // namespace

const char* to_string(State state) {
  switch (state) {
    case State::Authorization: return "AUTHORIZATION";
    case State::Transaction: return "TRANSACTION";
    case State::Update: return "UPDATE";
    case State::Closed: return "CLOSED";
  }
  return "?";
}

std::span<const CommandInfo> commands() { return kCommands; }

const CommandInfo* find_command(std::string_view name) {
  return session::find_command(commands(), name);
}

std::span<const Transition> transitions() { return kTransitions; }

bool is_transition(State from, State to) { return session::is_transition(transitions(), from, to); }

}  // namespace postino::pop3
