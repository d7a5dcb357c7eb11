#include "support/golden.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include "sim/core/text.hpp"
#include "support/fixtures.hpp"

namespace postino::test {
namespace {

// New mail goes to the demo account, or to the fixture's only account.
std::string main_account(const mail::Store& store) {
  if (const mail::Account* info = store.find_account("info@tuodominio.it")) return info->address();
  return store.accounts().begin()->second.address();
}

}  // namespace

Script parse_script(const std::string& text, std::string& error) {
  Script s;
  std::size_t pos = 0;
  int line_no = 0;
  auto expected = [&s](int n) -> std::string& {
    if (static_cast<int>(s.expected.size()) < n) s.expected.resize(static_cast<std::size_t>(n));
    s.sessions = std::max(s.sessions, n);
    return s.expected[static_cast<std::size_t>(n - 1)];
  };
  expected(1);
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line[0] == '#' || line == "drop") continue;
    if ((line[0] == 'C' || line[0] == 'S') && line.size() >= 2) {
      int n = 1;
      std::size_t colon = 1;
      if (is_digit(line[1])) {
        n = line[1] - '0';
        colon = 2;
      }
      if (colon < line.size() && line[colon] == ':' && n >= 1) {
        std::string payload(line.size() > colon + 2 ? line.substr(colon + 2) : "");
        if (line[0] == 'C') {
          expected(n);
          s.steps.push_back({Script::Step::Kind::Send, n, payload + "\r\n"});
        } else {
          expected(n) += payload + "\r\n";
        }
        continue;
      }
    }
    if (line.starts_with("fixture ")) s.fixture = std::string(line.substr(8));
    else if (line == "tls") s.tls = true;
    else if (line == "plaintext-auth no") s.plaintext_auth = false;
    else if (line.starts_with("deliver ")) s.steps.push_back({Script::Step::Kind::Deliver, 0, std::string(line.substr(8))});
    else if (line.starts_with("expect inbox ")) s.inbox_after = parse_decimal(line.substr(13));
    else {
      error = "line " + std::to_string(line_no) + ": cannot read '" + std::string(line) + "'";
      return s;
    }
  }
  return s;
}

// Consecutive lines to the same session travel together, pipelined, as a client may send them.
std::vector<Script::Step> merged_steps(const Script& s) {
  std::vector<Script::Step> out;
  for (const auto& step : s.steps) {
    if (!out.empty() && step.kind == Script::Step::Kind::Send &&
        out.back().kind == Script::Step::Kind::Send && out.back().session == step.session)
      out.back().data += step.data;
    else
      out.push_back(step);
  }
  return out;
}

namespace {

// One session as the tests drive it: its own clock, a millisecond further for each chunk of bytes.
struct Driver {
  std::unique_ptr<session::Server> session;
  Time now = kT0;
  void receive(std::string_view bytes) { session->receive(bytes, ++now); }
  void store_changed() { session->store_changed(now); }
  void end() {  // the connection ends, unless the session closed it
    if (!session->closed()) session->connection_lost(now);
    CHECK(session->bad_transitions() == 0);  // every change of state is in the diagram
  }
  std::string take_output() { return session->take_output(); }
};

std::vector<Driver> start(const Script& s, mail::Store& store, const DriverFactory& drivers) {
  std::vector<Driver> sessions;
  for (int n = 1; n <= s.sessions; ++n) sessions.push_back({drivers(store, s, n, kT0)});
  return sessions;
}

}  // namespace

Played play(const Script& s, const StoreFactory& stores, const DriverFactory& drivers,
            std::size_t cut, bool bytewise) {
  mail::Store store = stores(s.fixture);
  std::vector<Driver> sessions = start(s, store, drivers);
  Played p;
  p.outputs.resize(sessions.size());
  auto collect = [&] {
    for (std::size_t k = 0; k < sessions.size(); ++k) p.outputs[k] += sessions[k].take_output();
  };
  collect();
  const std::string account = main_account(store);
  for (const auto& step : merged_steps(s)) {
    if (step.kind == Script::Step::Kind::Deliver) {
      store.deliver(account,
                    mail::make_message("From: someone@example.com\r\nSubject: " + step.data +
                                       "\r\n\r\nNew mail.\r\n"),
                    kT0);
    } else {
      Driver& d = sessions[static_cast<std::size_t>(step.session - 1)];
      std::string_view bytes = step.data;
      if (bytewise) {
        for (std::size_t i = 0; i < bytes.size(); ++i) d.receive(bytes.substr(i, 1));
      } else if (cut > 0 && cut < bytes.size()) {
        d.receive(bytes.substr(0, cut));
        d.receive(bytes.substr(cut));
      } else {
        d.receive(bytes);
      }
    }
    // As the world does: every session hears that the store may have changed.
    for (auto& other : sessions) other.store_changed();
    collect();
  }
  for (auto& d : sessions) d.end();
  collect();
  sessions.clear();
  p.inbox = store.find_account(main_account(store))->inbox().count();
  return p;
}

namespace {

// POSTINO_UPDATE_GOLDEN=1: rewrites a session file with what the server says now, each reply
// right after the line that caused it. The result is reviewed like code before it is committed.
void rewrite(const std::string& file, const std::string& text, const Script& s,
             const StoreFactory& stores, const DriverFactory& drivers) {
  mail::Store store = stores(s.fixture);
  std::vector<Driver> sessions = start(s, store, drivers);
  const std::string account = main_account(store);
  std::string out;
  auto emit = [&] {
    for (std::size_t k = 0; k < sessions.size(); ++k) {
      const std::string bytes = sessions[k].take_output();
      const std::string prefix = s.sessions > 1 ? "S" + std::to_string(k + 1) + ":" : "S:";
      std::size_t p = 0;
      while (p < bytes.size()) {
        std::size_t e = bytes.find("\r\n", p);
        if (e == std::string::npos) e = bytes.size();
        const std::string line = bytes.substr(p, e - p);
        out += line.empty() ? prefix + "\n" : prefix + " " + line + "\n";
        p = e + 2;
      }
    }
  };
  bool started = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const bool is_s = line.size() >= 2 && line[0] == 'S' && (line[1] == ':' || (is_digit(line[1]) && line.size() > 2 && line[2] == ':'));
    if (is_s) continue;
    const bool is_c = line.size() >= 2 && line[0] == 'C' && (line[1] == ':' || (is_digit(line[1]) && line.size() > 2 && line[2] == ':'));
    const bool is_deliver = line.starts_with("deliver ");
    if ((is_c || is_deliver || line.starts_with("expect") || line == "drop") && !started) {
      started = true;
      emit();
    }
    out += line + "\n";
    if (is_c) {
      const int n = is_digit(line[1]) ? line[1] - '0' : 1;
      const std::size_t colon = is_digit(line[1]) ? 2 : 1;
      sessions[static_cast<std::size_t>(n - 1)].receive(
          (line.size() > colon + 2 ? line.substr(colon + 2) : "") + "\r\n");
      for (auto& d : sessions) d.store_changed();
      emit();
    } else if (is_deliver) {
      store.deliver(account,
                    mail::make_message("From: someone@example.com\r\nSubject: " + line.substr(8) +
                                       "\r\n\r\nNew mail.\r\n"),
                    kT0);
      for (auto& d : sessions) d.store_changed();
      emit();
    } else if (line == "drop") {
      for (auto& d : sessions) d.end();
      emit();
    }
  }
  std::ofstream(file, std::ios::binary) << out;
}

// Where a step is split in two: everywhere with POSTINO_EXHAUSTIVE=1 (slow: a replay per byte of
// the longest step). Otherwise where framing bugs live: around every line end (before CR, between
// CR and LF, after LF), an IMAP literal's "{N}" and the end of its N bytes, plus a few seeded
// pseudo-random places. A cut applies to every step long enough, so each also splits the others.
std::vector<std::size_t> cuts(const Script& s) {
  const auto steps = merged_steps(s);
  std::size_t longest = 0;
  for (const auto& step : steps) longest = std::max(longest, step.data.size());
  std::set<std::size_t> out;
  if (const char* all = std::getenv("POSTINO_EXHAUSTIVE"); all && *all && std::string_view(all) != "0") {
    for (std::size_t cut = 1; cut < longest; ++cut) out.insert(cut);
    return {out.begin(), out.end()};
  }
  auto around = [&out](std::size_t at) {
    for (std::size_t c = at > 0 ? at - 1 : 0; c <= at + 1; ++c) out.insert(c);
  };
  for (const auto& step : steps) {
    const std::string_view b = step.data;
    for (std::size_t lf = b.find('\n'); lf != std::string_view::npos; lf = b.find('\n', lf + 1)) {
      around(lf);
      // "{N}\r\n" or "{N+}\r\n": N bytes of literal follow the line end.
      if (lf < 2 || b[lf - 2] != '}') continue;
      const std::size_t open = b.rfind('{', lf - 2);
      if (open == std::string_view::npos) continue;
      const std::string_view n = b.substr(open + 1, lf - 2 - open);
      const auto size = parse_decimal(n.ends_with('+') ? n.substr(0, n.size() - 1) : n);
      if (!size) continue;
      around(open);
      around(lf + 1 + *size);
    }
  }
  std::mt19937 random(20261126);  // fixed: the same places every run
  for (int k = 0; k < 16 && longest > 1; ++k) out.insert(1 + random() % (longest - 1));
  std::vector<std::size_t> result;
  for (std::size_t cut : out)
    if (cut > 0 && cut < longest) result.push_back(cut);
  return result;
}

}  // namespace

void check_golden_dir(const std::string& dir, const StoreFactory& stores,
                      const DriverFactory& drivers, std::size_t min_files) {
  const auto files = list_files(dir, ".txt");
  REQUIRE(files.size() >= min_files);
  for (const std::string& file : files) {
    CAPTURE(file);
    std::string error;
    const std::string text = read_file(file);
    const Script s = parse_script(text, error);
    REQUIRE_MESSAGE(error.empty(), error);
    if (std::getenv("POSTINO_UPDATE_GOLDEN")) rewrite(file, text, s, stores, drivers);
    const Played whole = play(s, stores, drivers);
    for (std::size_t k = 0; k < s.expected.size(); ++k) {
      CAPTURE(k + 1);
      CHECK(whole.outputs[k] == s.expected[k]);
    }
    if (s.inbox_after) CHECK(whole.inbox == *s.inbox_after);
    for (const std::size_t cut : cuts(s)) {
      CAPTURE(cut);
      const Played split = play(s, stores, drivers, cut);
      REQUIRE(split.outputs == whole.outputs);
      REQUIRE(split.inbox == whole.inbox);
    }
    CHECK(play(s, stores, drivers, 0, true).outputs == whole.outputs);
  }
}

}  // namespace postino::test
