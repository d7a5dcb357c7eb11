#include "cli/cli.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fstream>
#include <sstream>

#include <csignal>

#include "io/stdio_server.hpp"
#include "io/tcp_server.hpp"
#include "sim/lesson/lesson.hpp"
#include "sim/mail/demo.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"

namespace postino::cli {
namespace {

constexpr const char* kUsage =
    "Usage: postino [--help] [--version] <command> [options]\n"
    "\n"
    "Postino simulates a mail server and the devices that read it, to show the difference\n"
    "between POP3 and IMAP.\n"
    "\n"
    "Without a command, postino opens its window on a welcome scenario.\n"
    "\n"
    "Commands:\n"
    "  open FILE [--screenshot OUT.png] [--size WxH] [--step N | --at TIME] [--presenter]\n"
    "       [--lang en|it] [--dark] [--side-by-side] [--sequence] [--wire]\n"
    "       [--webmail] [--state-file PATH]\n"
    "       [--listen [--pop3 PORT] [--pop3s PORT] [--imap PORT] [--imaps PORT]]\n"
    "                       Open a scenario, lesson or story in the window. --screenshot\n"
    "                       renders it (at transcript line N or the time HH:MM[:SS],\n"
    "                       default the end), saves a PNG and exits; for a lesson --step N\n"
    "                       is its step N, the steps before done;\n"
    "                       these options work without 'open' for the welcome scenario.\n"
    "                       --wire shows TLS lines as the records a listener captures;\n"
    "                       --webmail opens the server panel on the customer's webmail.\n"
    "                       --listen lets a real mail client connect on 127.0.0.1 (ports\n"
    "                       as for serve): it appears as a device and its commands travel\n"
    "                       on screen; with --screenshot the picture waits for it to finish.\n"
    "                       --state-file (for tests and debugging) keeps PATH rewritten\n"
    "                       with the cursor line, playing, selected device, presenter mode,\n"
    "                       a lesson's step and phase.\n"
    "  run FILE [--format text|markdown] [--full] [--lang en|it]\n"
    "                       Play a scenario to the end and print what went over the wire.\n"
    "                       Exit 0 when every expect held, 1 when one failed, 2 when the\n"
    "                       file has errors. --full prints long message bodies whole.\n"
    "                       A lesson or story plays as a learner who does every task.\n"
    "  run --solve LESSON [--lang en|it]\n"
    "                       Play a lesson or support story as a learner who does every task\n"
    "                       (its solution) and answers right. Exit 0 when every task\n"
    "                       completes, every expect holds and every answer key agrees with\n"
    "                       the simulation; 1 naming the step's line otherwise.\n"
    "  check [--bilingual] FILE...\n"
    "                       Check scenarios and lessons for errors without running them\n"
    "                       (exit 0 or 2). Lessons must give every text in English and\n"
    "                       Italian; --bilingual asks the same of scenarios.\n"
    "  serve [--scenario FILE] [--pop3 PORT] [--pop3s PORT] [--imap PORT] [--imaps PORT]\n"
    "        [--smtp PORT] [--smtps PORT] [--listen ADDR] [--verbose]\n"
    "        [--max-connections N] [--max-per-address N]\n"
    "                       Serve POP3, IMAP and SMTP submission on 127.0.0.1 for real mail\n"
    "                       clients (defaults 1110, 1995, 1143, 1993, 1587 and 1465 for\n"
    "                       ports 110, 995, 143, 993, 587 and 465; 0 picks a free port, -1\n"
    "                       turns one off), with a self-signed certificate made on first\n"
    "                       start. Mail sent to the served domain lands in its mailboxes;\n"
    "                       mail to other domains goes nowhere (it is only logged).\n"
    "                       Without --scenario: the demo mailboxes. Ctrl+C stops it. At most\n"
    "                       64 connections, 32 from one address, unless told (README, Limits).\n"
    "  serve --stdio pop3   Run one POP3 server session on standard input and output,\n"
    "                       against the demo mailboxes (like a server started by inetd).\n"
    "  serve --stdio imap   The same with an IMAP4rev1 server session.\n"
    "  serve --stdio smtp   The same with an SMTP submission server session.\n"
    "                       Log in as info@tuodominio.it with password \"segreta\".\n"
    "\n"
    "Options:\n"
    "  -h, --help           Show this help and exit.\n"
    "  -V, --version        Show the version and exit.\n"
    "\n"
    "Example:\n"
    "  printf 'USER info@tuodominio.it\\r\\nPASS segreta\\r\\nSTAT\\r\\nQUIT\\r\\n' \\\n"
    "    | postino serve --stdio pop3\n"
    "\n"
    "Keys in the window: Space plays or pauses, Left and Right step one line,\n"
    "N and Shift+N go to the next and previous narration, S skips quiet time,\n"
    "Ctrl+O opens a scenario, Ctrl+R starts it again, Ctrl+Z takes back your last click,\n"
    "F5 switches presenter mode, F6 shows or hides the other panels there.\n";

// Reads and parses a scenario; prints its errors. nullopt when it cannot be used.
std::optional<script::Scenario> load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "postino: cannot read %s\n", file.c_str());
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  script::Parsed parsed = script::parse(text.str());
  for (const auto& d : parsed.errors)
    std::fputs(script::format_diagnostic(file, d).c_str(), stderr);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.scenario);
}

std::optional<std::string> read_text_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "postino: cannot read %s\n", file.c_str());
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads and parses a lesson or story; prints its errors. nullopt when it cannot be used.
std::optional<lesson::Lesson> load_lesson(const std::string& file) {
  auto text = read_text_file(file);
  if (!text) return std::nullopt;
  lesson::Parsed parsed = lesson::parse(*text);
  for (const auto& d : parsed.errors) std::fputs(script::format_diagnostic(file, d).c_str(), stderr);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.lesson);
}

int solve(const std::string& file, Lang lang) {
  auto l = load_lesson(file);
  if (!l) return 2;
  const lesson::SolveResult r = lesson::solve(*l, lang);
  std::fputs(r.log.c_str(), stdout);
  for (const auto& p : r.problems)
    std::fprintf(stderr, "%s:%d: error: %s\n", file.c_str(), p.line, p.message.c_str());
  return r.ok() ? 0 : 1;
}

int run_scenario(const std::vector<std::string_view>& args) {
  std::string file;
  auto format = world::TranscriptFormat::Text;
  bool full = false, solving = false;
  Lang lang = Lang::En;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--full") {
      full = true;
    } else if (args[i] == "--solve") {
      solving = true;
    } else if (args[i] == "--lang" && i + 1 < args.size()) {
      const std::string_view l = args[++i];
      if (l != "en" && l != "it") return usage_error("--lang is en or it");
      lang = l == "it" ? Lang::It : Lang::En;
    } else if (args[i] == "--format" && i + 1 < args.size()) {
      const std::string_view f = args[++i];
      if (f == "markdown") format = world::TranscriptFormat::Markdown;
      else if (f != "text") return usage_error("--format is text or markdown");
    } else if (args[i].starts_with("-") || !file.empty()) {
      return usage_error("usage: postino run FILE [--format text|markdown] [--full] [--lang en|it]");
    } else {
      file = std::string(args[i]);
    }
  }
  if (file.empty()) return usage_error("usage: postino run FILE [--format text|markdown] [--full] [--lang en|it]");
  if (solving) return solve(file, lang);
  std::optional<script::Scenario> scenario;
  if (auto text = read_text_file(file); text && lesson::is_lesson(*text)) {
    // A lesson played as a learner who does every task: its transcript.
    auto l = load_lesson(file);
    if (!l) return 2;
    scenario = lesson::walkthrough(*l);
  } else {
    scenario = load(file);
  }
  if (!scenario) return 2;
  script::Played played = script::play(*scenario);
  std::fputs(world::transcript(played.world->trace(), format, full, scenario->title.in(lang), lang).c_str(), stdout);
  int failed = 0;
  for (const auto& o : played.outcomes)
    if (!o.passed) {
      std::fprintf(stderr, "%s:%d: %s: %s\n", file.c_str(), o.line,
                   lang == Lang::It ? "verifica non riuscita" : "expectation failed",
                   world::describe_check(o.check, lang).c_str());
      ++failed;
    }
  return failed ? 1 : 0;
}

int check(const std::vector<std::string_view>& args) {
  bool bilingual = false;
  std::vector<std::string> files;
  for (auto a : args) {
    if (a == "--bilingual") bilingual = true;
    else if (a.starts_with("-")) return usage_error("usage: postino check [--bilingual] FILE...");
    else files.emplace_back(a);
  }
  if (files.empty()) return usage_error("usage: postino check [--bilingual] FILE...");
  bool ok = true;
  for (const std::string& file : files) {
    auto text = read_text_file(file);
    if (!text) {
      ok = false;
      continue;
    }
    if (lesson::is_lesson(*text)) {
      lesson::Parsed parsed = lesson::parse(*text);
      for (const auto& d : parsed.errors) std::fputs(script::format_diagnostic(file, d).c_str(), stderr);
      ok &= parsed.ok();
      if (parsed.ok()) {
        std::size_t tasks = 0, questions = 0;
        for (const auto& st : parsed.lesson.steps) {
          tasks += st.task ? 1 : 0;
          questions += st.question ? 1 : 0;
        }
        auto n = [](std::size_t k, const char* one) { return std::to_string(k) + " " + one + (k == 1 ? "" : "s"); };
        std::printf("%s: ok (%s, %s, %s, %s)\n", file.c_str(), parsed.lesson.story ? "story" : "lesson",
                    n(parsed.lesson.steps.size(), "step").c_str(), n(tasks, "task").c_str(), n(questions, "question").c_str());
      }
      continue;
    }
    script::Parsed parsed = script::parse(*text);
    // A scenario that gives one text in two languages means to give them all so.
    const script::Scenario& s = parsed.scenario;
    bool two = s.title.en != s.title.it;
    for (const auto& st : s.steps)
      if (const auto* say = std::get_if<script::Say>(&st.what)) two |= say->text.en != say->text.it;
    if (bilingual || two) parsed.errors.insert(parsed.errors.end(), parsed.monolingual.begin(), parsed.monolingual.end());
    std::stable_sort(parsed.errors.begin(), parsed.errors.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    for (const auto& d : parsed.errors) std::fputs(script::format_diagnostic(file, d).c_str(), stderr);
    ok &= parsed.ok();
    if (parsed.ok()) std::printf("%s: ok (%zu devices, %zu steps)\n", file.c_str(), s.devices.size(), s.steps.size());
  }
  return ok ? 0 : 2;
}

std::atomic<bool> g_stop{false};

int serve_tcp(const std::vector<std::string_view>& args) {
  io::ServeConfig config;
  config.submission = 1587;
  config.submissions = 1465;
  std::string scenario_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return std::string(args[++i]);
    };
    auto port = [&](int& out) {
      auto v = value();
      if (!v) return false;
      char* end = nullptr;
      const long p = std::strtol(v->c_str(), &end, 10);
      if (*end || p < -1 || p > 65535) return false;
      out = static_cast<int>(p);
      return true;
    };
    bool ok = true;
    if (a == "--pop3") ok = port(config.pop3);
    else if (a == "--pop3s") ok = port(config.pop3s);
    else if (a == "--imap") ok = port(config.imap);
    else if (a == "--imaps") ok = port(config.imaps);
    else if (a == "--smtp") ok = port(config.submission);
    else if (a == "--smtps") ok = port(config.submissions);
    else if (a == "--listen") {
      auto v = value();
      ok = v.has_value();
      if (ok) config.listen = *v;
    } else if (a == "--scenario") {
      auto v = value();
      ok = v.has_value();
      if (ok) scenario_file = *v;
    } else if (a == "--verbose") {
      config.log_wire = true;
    } else if (a == "--max-connections" || a == "--max-per-address") {
      auto v = value();
      char* end = nullptr;
      const long n = v ? std::strtol(v->c_str(), &end, 10) : 0;
      ok = v && !*end && n >= 1 && n <= 10000;
      if (ok) (a == "--max-connections" ? config.max_connections : config.max_per_address) = static_cast<std::size_t>(n);
      if (!ok) return usage_error(("'" + std::string(a) + "' needs a number from 1 to 10000").c_str());
    } else {
      return usage_error(("unknown serve option '" + std::string(a) + "'").c_str());
    }
    if (!ok) return usage_error(("'" + std::string(a) + "' needs a value (a port is 0 to 65535, or -1)").c_str());
  }
  if (config.listen != "127.0.0.1")
    std::fprintf(stderr, "postino: warning: listening on %s, not only on this computer; the demo passwords are public\n",
                 config.listen.c_str());
  mail::Store store = mail::make_demo_store();
  if (!scenario_file.empty()) {
    auto scenario = load(scenario_file);
    if (!scenario) return 2;
    script::Played played = script::play(*scenario);
    store = played.world->store();
  }
  io::TcpServer server(store, config);
  std::string error;
  if (!server.start(error)) {
    std::fprintf(stderr, "postino: %s\n", error.c_str());
    return 1;
  }
  std::printf("Postino is serving %s on %s:\n", scenario_file.empty() ? "the demo mailboxes" : scenario_file.c_str(),
              config.listen.c_str());
  for (const auto& l : server.listeners())
    std::printf("  %-5s port %d%s\n", l.name.c_str(), l.port,
                l.tls ? "  (SSL/TLS)" : "  (plain; STARTTLS/STLS available)");
  std::printf("Mail client settings: server %s (incoming and outgoing), user info@tuodominio.it,\n"
              "password segreta, "
              "accept the self-signed certificate %s.\nCtrl+C stops the server.\n",
              config.listen == "0.0.0.0" ? "<this computer's address>" : config.listen.c_str(),
              server.certificate_path().c_str());
  std::fflush(stdout);
  struct sigaction sa{};
  sa.sa_handler = [](int) { g_stop = true; };
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const int rc = server.run(g_stop);
  std::printf("Postino stopped.\n");
  return rc;
}

int serve(const std::vector<std::string_view>& args) {
  if (args.empty() || args[0] != "--stdio") return serve_tcp(args);
  const std::string_view name = args.size() == 2 ? args[1] : "";
  std::optional<session::Protocol> protocol;
  if (name == "pop3") protocol = session::Protocol::Pop3;
  if (name == "imap") protocol = session::Protocol::Imap;
  if (name == "smtp") protocol = session::Protocol::Smtp;
  if (!protocol) return usage_error("serve --stdio needs a protocol: pop3, imap or smtp");
  mail::Store store = mail::make_demo_store();
  return io::serve_stdio(*protocol, store);
}

}  // namespace

int usage_error(const char* message) {
  std::fprintf(stderr, "postino: %s\nTry 'postino --help' for more information.\n", message);
  return 2;
}

int run(int argc, char** argv, OpenWindow open_window) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--screenshot" || args[0] == "--size" || args[0] == "--presenter" ||
      args[0] == "--step" || args[0] == "--at" || args[0] == "--lang" || args[0] == "--dark" || args[0] == "--bench" ||
      args[0] == "--side-by-side" || args[0] == "--listen" || args[0] == "--wire" || args[0] == "--sequence" || args[0] == "--webmail" ||
      args[0] == "--state-file")
    return open_window(args);
  const std::string_view first = args[0];
  if (first == "-h" || first == "--help" || first == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (first == "-V" || first == "--version") {
    std::printf("postino %s\n", POSTINO_VERSION);
    return 0;
  }
  if (first == "serve") return serve({args.begin() + 1, args.end()});
  if (first == "run") return run_scenario({args.begin() + 1, args.end()});
  if (first == "open") {
    if (args.size() < 2) return usage_error("usage: postino open FILE [--screenshot OUT.png]");
    return open_window({args.begin() + 1, args.end()});
  }
  if (first == "check") return check({args.begin() + 1, args.end()});
  std::string message = "unknown command or option '" + std::string(first) + "'";
  return usage_error(message.c_str());
}

}  // namespace postino::cli
