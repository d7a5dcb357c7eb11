// The IMAP state diagram (sim/imap/states.cpp) is what a real session does: every row of
// transitions() is driven by a session, and commands() says exactly what each state accepts.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "sim/core/base64.hpp"
#include "sim/imap/server.hpp"
#include "sim/mail/demo.hpp"
#include "support/fixtures.hpp"

namespace postino::imap {
using test::kT0;

namespace {

struct Session {
  ServerSession s;
  explicit Session(mail::Store& store) : s(store, ServerConfig{}, kT0) { s.take_output(); }
  std::string say(std::string_view lines) {
    s.receive(std::string(lines), kT0 + 1);
    return s.take_output();
  }
  // The states the session went through since the last call.
  std::vector<State> moves() {
    std::vector<State> out;
    for (const ServerEvent& e : s.take_events())
      if (e.kind == ServerEvent::Kind::StateChanged) out.push_back(e.state);
    return out;
  }
};

// One way to make a row's move: `setup` brings a new session to `from`, `cause` moves it.
// `other` is a second session on the same store, logged in.
struct Case {
  State from, to;
  std::string setup;
  std::function<void(Session& s, Session& other)> cause;
};

const std::string kLogin = "a LOGIN info segreta\r\n";
const std::string kSelect = kLogin + "b SELECT INBOX\r\n";

std::string authenticate_plain() {
  std::string plain;
  plain += '\0';
  plain += "info";
  plain += '\0';
  plain += "segreta";
  return "a AUTHENTICATE PLAIN " + base64_encode(plain) + "\r\n";
}

std::vector<Case> cases() {
  auto say = [](std::string lines) { return [lines](Session& s, Session&) { s.say(lines); }; };
  auto lost = [](Session& s, Session&) { s.s.connection_lost(kT0 + 2); };
  auto timeout = [](Session& s, Session&) { s.s.tick(s.s.deadline()); };
  auto folder_deleted = [](Session& s, Session& other) {
    REQUIRE(other.say("o DELETE Lavoro\r\n").starts_with("o OK"));
    CHECK(s.say("c NOOP\r\n").starts_with("* BYE"));
  };
  return {
      {State::NotAuthenticated, State::Authenticated, "", say(kLogin)},
      {State::NotAuthenticated, State::Authenticated, "", say(authenticate_plain())},
      {State::Authenticated, State::Selected, kLogin, say("b SELECT INBOX\r\n")},
      {State::Authenticated, State::Selected, kLogin, say("b EXAMINE INBOX\r\n")},
      {State::Selected, State::Authenticated, kSelect, say("c CLOSE\r\n")},
      {State::Selected, State::Authenticated, kSelect, say("c UNSELECT\r\n")},
      {State::Selected, State::Authenticated, kSelect, say("c SELECT Nessuna\r\n")},
      {State::NotAuthenticated, State::Logout, "", say("a LOGOUT\r\n")},
      {State::NotAuthenticated, State::Logout, "", lost},
      {State::NotAuthenticated, State::Logout, "", timeout},
      {State::Authenticated, State::Logout, kLogin, say("c LOGOUT\r\n")},
      {State::Authenticated, State::Logout, kLogin, lost},
      {State::Authenticated, State::Logout, kLogin, timeout},
      {State::Selected, State::Logout, kSelect, say("c LOGOUT\r\n")},
      {State::Selected, State::Logout, kSelect, lost},
      {State::Selected, State::Logout, kSelect, timeout},
      {State::Selected, State::Logout, kLogin + "b SELECT Lavoro\r\n", folder_deleted},
  };
}

}  // namespace

TEST_SUITE("imap states") {
  TEST_CASE("every row of transitions() is what a session does, and nothing else") {
    const auto all = cases();
    for (const Transition& t : transitions()) {
      CAPTURE(t.on);
      std::size_t driven = 0;
      for (const Case& c : all) {
        if (c.from != t.from || c.to != t.to) continue;
        ++driven;
        mail::Store store = mail::make_demo_store();
        Session other(store);
        REQUIRE(other.say(kLogin + "o CREATE Lavoro\r\n").find("o OK") != std::string::npos);
        Session s(store);
        s.say(c.setup);
        REQUIRE(s.s.state() == c.from);
        s.moves();
        c.cause(s, other);
        const std::vector<State> moves = s.moves();
        REQUIRE_FALSE(moves.empty());
        CHECK(moves.front() == c.to);
        CHECK(s.s.state() == c.to);
        CHECK(s.s.bad_transitions() == 0);
      }
      CHECK(driven > 0);
    }
    // Every case is a row: the table is the whole diagram.
    for (const Case& c : cases()) CHECK(is_transition(c.from, c.to));
    CHECK_FALSE(is_transition(State::Logout, State::NotAuthenticated));
    CHECK_FALSE(is_transition(State::NotAuthenticated, State::Selected));
  }

  TEST_CASE("each state accepts exactly the commands commands() allows in it") {
    const std::pair<State, std::string> states[] = {
        {State::NotAuthenticated, ""}, {State::Authenticated, kLogin}, {State::Selected, kSelect}};
    for (const auto& [state, setup] : states) {
      for (const CommandInfo& c : commands()) {
        CAPTURE(to_string(state));
        CAPTURE(c.name);
        mail::Store store = mail::make_demo_store();
        Session s(store);
        s.say(setup);
        REQUIRE(s.s.state() == state);
        // Bare names: a missing argument gets its own error, never the state's refusal.
        const std::string reply = s.say("t " + std::string(c.name) + "\r\n");
        const std::string refusal =
            state == State::Authenticated && (c.states & in(State::Selected))
                ? "t BAD No mailbox selected\r\n"
                : "t BAD " + std::string(c.name) + " is not allowed in the " + to_string(state) + " state\r\n";
        if (c.states & in(state)) CHECK(reply != refusal);
        else CHECK(reply == refusal);
        CHECK(s.s.bad_transitions() == 0);
      }
    }
    // A session in Logout takes nothing at all.
    mail::Store store = mail::make_demo_store();
    Session s(store);
    s.say("a LOGOUT\r\n");
    CHECK(s.say("b CAPABILITY\r\n").empty());
  }
}

}  // namespace postino::imap
