// The POP3 state diagram (sim/pop3/states.cpp) is what a real session does: every row of
// transitions() is driven by a session, and commands() says exactly what each state accepts.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "sim/core/base64.hpp"
#include "sim/mail/demo.hpp"
#include "sim/pop3/server.hpp"
#include "support/fixtures.hpp"

namespace postino::pop3 {
using test::kT0;

namespace {

struct Session {
  mail::Store& store;
  ServerSession s;
  explicit Session(mail::Store& st) : store(st), s(st, ServerConfig{}, kT0) { s.take_output(); }
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
struct Case {
  State from, to;
  std::string setup;
  std::function<void(Session&)> cause;
  State rests;  // where the session is afterwards (UPDATE does not last)
};

std::string auth_plain() {
  std::string plain;
  plain += '\0';
  plain += "info";
  plain += '\0';
  plain += "segreta";
  return "AUTH PLAIN " + base64_encode(plain) + "\r\n";
}

const std::string kLogin = "USER info\r\nPASS segreta\r\n";

std::vector<Case> cases() {
  auto say = [](std::string lines) { return [lines](Session& s) { s.say(lines); }; };
  auto lost = [](Session& s) { s.s.connection_lost(kT0 + 2); };
  auto timeout = [](Session& s) { s.s.tick(s.s.deadline()); };
  return {
      {State::Authorization, State::Transaction, "", say(kLogin), State::Transaction},
      {State::Authorization, State::Transaction, "", say(auth_plain()), State::Transaction},
      {State::Authorization, State::Closed, "", say("QUIT\r\n"), State::Closed},
      {State::Authorization, State::Closed, "", lost, State::Closed},
      {State::Authorization, State::Closed, "USER info\r\n", timeout, State::Closed},
      {State::Transaction, State::Update, kLogin + "DELE 1\r\n", say("QUIT\r\n"), State::Closed},
      {State::Update, State::Closed, kLogin, say("QUIT\r\n"), State::Closed},
      {State::Transaction, State::Closed, kLogin + "DELE 1\r\n", lost, State::Closed},
      {State::Transaction, State::Closed, kLogin, timeout, State::Closed},
  };
}

// A new session in `state` (AUTHORIZATION or TRANSACTION: the others take no commands).
void reach(Session& s, State state) {
  if (state == State::Transaction) s.say(kLogin);
  REQUIRE(s.s.state() == state);
}

}  // namespace

TEST_SUITE("pop3 states") {
  TEST_CASE("every row of transitions() is what a session does, and nothing else") {
    const auto all = cases();
    for (const Transition& t : transitions()) {
      CAPTURE(t.on);
      std::size_t driven = 0;
      for (const Case& c : all) {
        if (c.from != t.from || c.to != t.to) continue;
        ++driven;
        mail::Store store = mail::make_demo_store();
        Session s(store);
        s.say(c.setup);
        // UPDATE is passed through within QUIT: it is reached from TRANSACTION.
        const State before = c.from == State::Update ? State::Transaction : c.from;
        REQUIRE(s.s.state() == before);
        s.moves();
        c.cause(s);
        const std::vector<State> moves = s.moves();
        REQUIRE_FALSE(moves.empty());
        // The move of this row happened: `from` then `to` on the session's path.
        std::vector<State> path{before};
        path.insert(path.end(), moves.begin(), moves.end());
        bool found = false;
        for (std::size_t i = 0; i + 1 < path.size(); ++i) found |= path[i] == c.from && path[i + 1] == c.to;
        CHECK(found);
        CHECK(s.s.state() == c.rests);
        CHECK(s.s.bad_transitions() == 0);
      }
      CHECK(driven > 0);
    }
    // Every case is a row: the table is the whole diagram.
    for (const Case& c : all) CHECK(is_transition(c.from, c.to));
    CHECK_FALSE(is_transition(State::Closed, State::Authorization));
    CHECK_FALSE(is_transition(State::Authorization, State::Update));
  }

  TEST_CASE("each state accepts exactly the commands commands() allows in it") {
    for (State state : {State::Authorization, State::Transaction}) {
      for (const CommandInfo& c : commands()) {
        CAPTURE(to_string(state));
        CAPTURE(c.name);
        mail::Store store = mail::make_demo_store();
        Session s(store);
        reach(s, state);
        // Bare names: a missing argument gets its own error, never the state's refusal.
        const std::string reply = s.say(std::string(c.name) + "\r\n");
        const std::string refusal = "-ERR " + std::string(c.name) + " is not allowed in the " + to_string(state) + " state\r\n";
        if (c.states & in(state)) CHECK(reply != refusal);
        else CHECK(reply == refusal);
        CHECK(s.s.bad_transitions() == 0);
      }
    }
    // A closed session takes nothing at all.
    mail::Store store = mail::make_demo_store();
    Session s(store);
    s.say("QUIT\r\n");
    CHECK(s.say("CAPA\r\n").empty());
  }
}

}  // namespace postino::pop3
