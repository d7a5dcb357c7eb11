#include "sim/smtp/states.hpp"

namespace postino::smtp {
namespace {

constexpr StateSet kConnected = in(State::Connected);
constexpr StateSet kIdle = in(State::Ready) | in(State::Authenticated);
constexpr StateSet kTransaction = in(State::Mail) | in(State::Rcpt);
constexpr StateSet kAny = kConnected | kIdle | kTransaction;  // every state that reads commands

constexpr CommandInfo kCommands[] = {
    {Verb::Ehlo, "EHLO", kAny, "RFC 5321 section 4.1.1.1", "says hello and asks for the extensions"},
    {Verb::Helo, "HELO", kAny, "RFC 5321 section 4.1.1.1", "says hello, without extensions"},
    {Verb::Starttls, "STARTTLS", in(State::Ready), "RFC 3207 section 4", "switches the connection to TLS"},
    {Verb::Auth, "AUTH", kIdle, "RFC 4954 section 4", "logs in with a SASL mechanism (PLAIN, LOGIN)"},
    {Verb::Mail, "MAIL", kIdle, "RFC 5321 section 4.1.1.2", "starts a message: who sends it"},
    {Verb::Rcpt, "RCPT", kTransaction, "RFC 5321 section 4.1.1.3", "names one recipient"},
    {Verb::Data, "DATA", kTransaction, "RFC 5321 section 4.1.1.4", "sends the message, up to a line \".\""},
    {Verb::Rset, "RSET", kAny, "RFC 5321 section 4.1.1.5", "abandons the message being sent"},
    {Verb::Noop, "NOOP", kAny, "RFC 5321 section 4.1.1.9", "does nothing; keeps the session alive"},
    {Verb::Quit, "QUIT", kAny, "RFC 5321 section 4.1.1.10", "ends the session"},
};

constexpr Transition kTransitions[] = {
    {State::Connected, "EHLO or HELO", State::Ready},
    {State::Ready, "AUTH accepted", State::Authenticated},
    // RFC 3207 section 4.2: after the handshake the client starts again with EHLO.
    {State::Ready, "STARTTLS and the TLS handshake", State::Connected},
    // Only where the server takes mail without a login (a domain's MX; never on 587 or 465).
    {State::Ready, "MAIL FROM (no login required)", State::Mail},
    {State::Authenticated, "MAIL FROM", State::Mail},
    {State::Mail, "RCPT TO accepted", State::Rcpt},
    {State::Rcpt, "DATA", State::Data},
    {State::Data, "the final \".\" (message taken or refused)", State::Ready},
    {State::Data, "the final \".\" (message taken or refused)", State::Authenticated},
    // RFC 5321 section 4.1.4: RSET, EHLO and HELO abandon the transaction.
    {State::Mail, "RSET, EHLO or HELO", State::Ready},
    {State::Mail, "RSET, EHLO or HELO", State::Authenticated},
    {State::Rcpt, "RSET, EHLO or HELO", State::Ready},
    {State::Rcpt, "RSET, EHLO or HELO", State::Authenticated},
    {State::Connected, "QUIT, a lost connection or the timeout", State::Closed},
    {State::Ready, "QUIT, a lost connection or the timeout", State::Closed},
    {State::Authenticated, "QUIT, a lost connection or the timeout", State::Closed},
    {State::Mail, "QUIT, a lost connection or the timeout", State::Closed},
    {State::Rcpt, "QUIT, a lost connection or the timeout", State::Closed},
    // RFC 5321 section 4.1.1.4: a message cut short is not delivered.
    {State::Data, "a lost connection or the timeout", State::Closed},
};

}  // namespace

const char* to_string(State state) {
  switch (state) {
    case State::Connected: return "Connected";
    case State::Ready: return "Ready";
    case State::Authenticated: return "Authenticated";
    case State::Mail: return "Mail";
    case State::Rcpt: return "Rcpt";
    case State::Data: return "Data";
    case State::Closed: return "Closed";
  }
  return "?";
}

std::span<const CommandInfo> commands() { return kCommands; }

const CommandInfo* find_command(std::string_view name) {
  return session::find_command(commands(), name);
}

std::span<const Transition> transitions() { return kTransitions; }

bool is_transition(State from, State to) { return session::is_transition(transitions(), from, to); }

}  // namespace postino::smtp
