// The SMTP state diagram (sim/smtp/states.cpp) is what a real session does: every row of
// transitions() is driven by a session, and commands() says exactly what each state accepts.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "sim/mail/demo.hpp"
#include "sim/smtp/server.hpp"
#include "support/fixtures.hpp"

namespace postino::smtp {
using test::kT0;

namespace {

// Port 587 (STARTTLS offered), or a domain's MX (no login required).
struct Session {
  mail::Store store = mail::make_demo_store();
  ServerSession s;
  explicit Session(bool mx) : s(store, {.tls_available = !mx, .require_auth = !mx}, kT0) { s.take_output(); }
  std::string say(std::string_view lines) {
    s.receive(std::string(lines), kT0 + 1);
    return s.take_output();
  }
  std::vector<State> moves() {
    std::vector<State> out;
    for (const ServerEvent& e : s.take_events())
      if (e.kind == ServerEvent::Kind::StateChanged) out.push_back(e.state);
    return out;
  }
};

using Step = std::function<void(Session&)>;
Step say(std::string lines) {
  return [lines](Session& s) { s.say(lines); };
}
Step then(Step a, Step b) {
  return [a, b](Session& s) { a(s); b(s); };
}
const Step kTls = then(say("EHLO pc\r\nSTARTTLS\r\n"), [](Session& s) { s.s.tls_established(kT0 + 1); });
const Step kAuth = then(kTls, say("EHLO pc\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\n"));
const Step kMail = then(kAuth, say("MAIL FROM:<info@tuodominio.it>\r\n"));
const Step kRcpt = then(kMail, say("RCPT TO:<commerciale@tuodominio.it>\r\n"));
const Step kData = then(kRcpt, say("DATA\r\nSubject: x\r\n"));
const std::string kMxMail = "EHLO mx\r\nMAIL FROM:<a@example.com>\r\n";
const std::string kMxRcpt = kMxMail + "RCPT TO:<info@tuodominio.it>\r\n";
const Step kNothing = [](Session&) {};
const Step kLost = [](Session& s) { s.s.connection_lost(kT0 + 2); };
const Step kTimeout = [](Session& s) { s.s.tick(s.s.deadline()); };

struct Case {
  State from, to;
  bool mx;
  Step setup, cause;
  State rests;
};

std::vector<Case> cases() {
  return {
      {State::Connected, State::Ready, false, kNothing, say("EHLO pc\r\n"), State::Ready},
      {State::Connected, State::Ready, false, kNothing, say("HELO pc\r\n"), State::Ready},
      {State::Ready, State::Authenticated, false, then(kTls, say("EHLO pc\r\n")), say("AUTH LOGIN aW5mb0B0dW9kb21pbmlvLml0\r\nc2VncmV0YQ==\r\n"), State::Authenticated},
      {State::Ready, State::Connected, false, say("EHLO pc\r\n"), then(say("STARTTLS\r\n"), [](Session& s) { s.s.tls_established(kT0 + 2); }), State::Connected},
      {State::Ready, State::Mail, true, say("EHLO mx\r\n"), say("MAIL FROM:<a@example.com>\r\n"), State::Mail},
      {State::Authenticated, State::Mail, false, kAuth, say("MAIL FROM:<info@tuodominio.it>\r\n"), State::Mail},
      {State::Mail, State::Rcpt, false, kMail, say("RCPT TO:<a@example.com>\r\n"), State::Rcpt},
      {State::Rcpt, State::Data, false, kRcpt, say("DATA\r\n"), State::Data},
      {State::Data, State::Ready, true, say(kMxRcpt + "DATA\r\n"), say("\r\nx\r\n.\r\n"), State::Ready},
      {State::Data, State::Authenticated, false, kData, say("\r\nx\r\n.\r\n"), State::Authenticated},
      {State::Mail, State::Ready, true, say(kMxMail), say("RSET\r\n"), State::Ready},
      {State::Mail, State::Authenticated, false, kMail, say("EHLO pc\r\n"), State::Authenticated},
      {State::Rcpt, State::Ready, true, say(kMxRcpt), say("HELO mx\r\n"), State::Ready},
      {State::Rcpt, State::Authenticated, false, kRcpt, say("RSET\r\n"), State::Authenticated},
      {State::Connected, State::Closed, false, kNothing, say("QUIT\r\n"), State::Closed},
      {State::Ready, State::Closed, false, say("EHLO pc\r\n"), kLost, State::Closed},
      {State::Authenticated, State::Closed, false, kAuth, kTimeout, State::Closed},
      {State::Mail, State::Closed, false, kMail, say("QUIT\r\n"), State::Closed},
      {State::Rcpt, State::Closed, false, kRcpt, kLost, State::Closed},
      {State::Data, State::Closed, false, kData, kTimeout, State::Closed},
  };
}

// The refusals of a command out of its state (sim/smtp/server.cpp, handle_line).
bool is_refusal(const std::string& reply) {
  for (const char* r : {"503 5.5.1 Error: send EHLO first\r\n", "503 5.5.1 Error: nested MAIL command\r\n",
                        "503 5.5.1 Error: STARTTLS is not allowed after AUTH\r\n", "503 5.5.1 Error: need MAIL command\r\n"})
    if (reply == r) return true;
  return reply.starts_with("503 5.5.1 Error: ") && reply.ends_with(" is not allowed during a mail transaction\r\n");
}

}  // namespace

TEST_SUITE("smtp states") {
  TEST_CASE("every row of transitions() is what a session does, and nothing else") {
    const auto all = cases();
    for (const Transition& t : transitions()) {
      CAPTURE(t.on);
      CAPTURE(to_string(t.from));
      CAPTURE(to_string(t.to));
      std::size_t driven = 0;
      for (const Case& c : all) {
        if (c.from != t.from || c.to != t.to) continue;
        ++driven;
        Session s(c.mx);
        c.setup(s);
        REQUIRE(s.s.state() == c.from);
        s.moves();
        c.cause(s);
        const std::vector<State> moves = s.moves();
        REQUIRE(moves.size() == 1);
        CHECK(moves[0] == c.to);
        CHECK(s.s.state() == c.rests);
        CHECK(s.s.bad_transitions() == 0);
      }
      CHECK(driven > 0);
    }
    for (const Case& c : all) CHECK(is_transition(c.from, c.to));
    CHECK_FALSE(is_transition(State::Connected, State::Authenticated));
    CHECK_FALSE(is_transition(State::Closed, State::Connected));
  }

  TEST_CASE("each state accepts exactly the commands commands() allows in it") {
    const std::vector<std::pair<State, Step>> reach = {
        {State::Connected, kNothing}, {State::Ready, say("EHLO pc\r\n")}, {State::Authenticated, kAuth},
        {State::Mail, kMail},         {State::Rcpt, kRcpt}};
    for (const auto& [state, setup] : reach) {
      for (const CommandInfo& c : commands()) {
        CAPTURE(to_string(state));
        CAPTURE(c.name);
        Session s(false);
        setup(s);
        REQUIRE(s.s.state() == state);
        // Bare names: a missing argument gets its own error, never the state's refusal.
        const std::string reply = s.say(std::string(c.name) + "\r\n");
        CHECK(is_refusal(reply) == !(c.states & in(state)));
        CHECK(s.s.bad_transitions() == 0);
      }
    }
    CHECK(find_command("ehlo") == find_command("EHLO"));
    CHECK(find_command("VRFY") == nullptr);
    // A closed session takes nothing at all.
    Session s(false);
    s.say("QUIT\r\n");
    CHECK(s.say("NOOP\r\n").empty());
  }
}

}  // namespace postino::smtp
