// The scenario language's parser: one statement per line, precise errors with suggestions.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "sim/core/text.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/persona.hpp"

namespace postino::script {
namespace {

// Ceilings (lessons/FORMAT.md, "Limits"): a scenario file is input from anyone, and `postino
// check` must refuse, with a clear error, what would overflow, allocate gigabytes or play for
// hours, rather than crash or hang.
constexpr std::uint64_t kMB = 1024 * 1024;
constexpr std::uint64_t kMaxMessageSize = 50 * kMB;       // deliver ... size
constexpr std::uint64_t kMaxDeliverCount = 10000;         // deliver ... count
constexpr std::uint64_t kMaxDeliveredTotal = 200 * kMB;   // every deliver of a scenario together
constexpr std::uint64_t kMaxSize = 1024 * 1024 * kMB;     // any other size (quotas): 1 TB
constexpr std::uint64_t kMaxDays = 3650;                  // a duration, a day number, keep-days
constexpr Time kMaxSpan = static_cast<Time>(kMaxDays) * kDay;  // a scenario's length

using Token = Word;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (to_lower(a[i - 1]) == to_lower(b[j - 1]) ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

const std::vector<std::string> kStatements = {"title", "start", "server", "account", "device",
                                              "at", "after", "deliver", "backup", "restore",
                                              "wait", "say", "expect", "webmail", "add"};
// Names a device cannot have: they are statements, or words `expect` and the transcript use for
// the server and the story (a device called "clock" would read like the clock's own lines).
const std::vector<std::string> kReservedNames = {"server", "webmail", "clock", "say", "expect", "trace",
                                                 "bounces", "verifica", "orologio", "narratore",
                                                 "en", "it", "both",  // a text's other language on its own line
                                                 // the lesson language's own statements (sim/lesson/parse.cpp)
                                                 "lesson", "story", "claims", "summary", "step", "task", "hint",
                                                 "question", "choice", "feedback", "until", "when", "wrong", "solution"};
const std::vector<std::string> kActions = {"get-mail", "open", "delete", "move", "flag", "unflag",
                                           "create-folder", "rename-folder", "delete-folder",
                                           "set", "crash", "replace", "connection-drops", "send", "empty-trash"};
const std::vector<std::string> kDeviceOptions = {
    "client", "pop3", "imap", "starttls", "account", "password", "leave-on-server", "keep-days",
    "delete-when-deleted", "idle", "offline", "poll", "delete", "smtp"};

// TEXT = [QUOTED] *( ("en" / "it" / "both") QUOTED )    ; at least one of them
// A plain QUOTED is the same words in both languages, untranslated yet; a tagged one then replaces
// its language. `both` is for words that read the same in both (a command, a number: "RETR 1").
bool read_text_words(const std::vector<Token>& words, std::size_t& i, std::string_view line, int line_no, Text& text,
                     std::vector<Diagnostic>& errors, TextLangs& given) {
  auto fail = [&](int col, std::string message) {
    errors.push_back({line_no, col, std::move(message), std::string(line), {}});
    return false;
  };
  const int end_col = static_cast<int>(line.size()) + 1;
  if (i >= words.size()) return fail(end_col, "missing the text: en \"...\" it \"...\"");
  if (words[i].quoted) {
    text = Text(words[i++].text);
    given.plain = true;
  }
  const std::size_t first = i;
  while (i < words.size()) {
    const Word& tag = words[i];
    const std::string l = lower(tag.text);
    if (i == first && !tag.quoted && l != "en" && l != "it" && l != "both")
      return fail(tag.column, "the text must be in double quotes: \"" + tag.text + "\" (or en \"...\" it \"...\")");
    if (tag.quoted || (l != "en" && l != "it" && l != "both"))
      return fail(tag.column, "expected en \"...\", it \"...\" or both \"...\", found \"" + tag.text + "\"");
    if (++i >= words.size() || !words[i].quoted)
      return fail(i < words.size() ? words[i].column : end_col, "after \"" + tag.text + "\" comes the text in double quotes");
    if ((l != "it" && given.en) || (l != "en" && given.it))
      return fail(tag.column, "this text already has its " + std::string(l == "it" ? "Italian" : "English"));
    if (l != "it") {
      given.en = true;
      text.en = words[i].text;
    }
    if (l != "en") {
      given.it = true;
      text.it = words[i].text;
    }
    ++i;
  }
  return true;
}

class LineParser {
 public:
  LineParser(Parsed& out, std::string_view line, int line_no)
      : out_(out), line_(line), line_no_(line_no) {}

  bool tokenize() {
    std::size_t i = 0;
    while (i < line_.size()) {
      const char c = line_[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
        continue;
      }
      if (c == '#') break;
      const int col = static_cast<int>(i) + 1;
      if (c == '"') {
        std::string text;
        ++i;
        bool closed = false;
        while (i < line_.size()) {
          // \" and \\ are escapes; any other backslash is itself (\Seen stays \Seen).
          if (line_[i] == '\\' && i + 1 < line_.size() && (line_[i + 1] == '"' || line_[i + 1] == '\\')) {
            text += line_[i + 1];
            i += 2;
          } else if (line_[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            text += line_[i++];
          }
        }
        if (!closed) return error(col, "this quoted text has no closing \"");
        tokens_.push_back({text, col, true});  // NOLINT
        continue;
      }
      const std::size_t start = i;
      while (i < line_.size() && line_[i] != ' ' && line_[i] != '\t' && line_[i] != '\r' &&
             line_[i] != '"')
        ++i;
      tokens_.push_back({std::string(line_.substr(start, i - start)), col, false});
    }
    return true;
  }

  bool empty() const { return tokens_.empty(); }
  bool done() const { return pos_ >= tokens_.size(); }
  const Token& peek() const { return tokens_[pos_]; }
  int col() const { return done() ? static_cast<int>(line_.size()) + 1 : peek().column; }

  bool error(int col, std::string message, std::string suggestion = {}) {
    out_.errors.push_back({line_no_, col, std::move(message), std::string(line_), std::move(suggestion)});
    return false;
  }
  bool error(std::string message, std::string suggestion = {}) {
    return error(col(), std::move(message), std::move(suggestion));
  }

  std::optional<Token> next(const std::string& what) {
    if (done()) {
      error("missing " + what);
      return std::nullopt;
    }
    return tokens_[pos_++];
  }
  bool accept(std::string_view word) {
    if (!done() && !peek().quoted && iequals(peek().text, word)) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool expect_word(std::string_view word) {
    if (accept(word)) return true;
    return error("expected \"" + std::string(word) + "\"" +
                 (done() ? "" : ", found \"" + peek().text + "\""));
  }
  std::optional<std::string> quoted(const char* what) {
    auto t = next(what);
    if (!t) return std::nullopt;
    if (!t->quoted) {
      error(t->column, std::string(what) + " must be in double quotes: \"" + t->text + "\"");
      return std::nullopt;
    }
    return t->text;
  }
  bool end() {
    if (done()) return true;
    return error("unexpected \"" + peek().text + "\" at the end of the statement");
  }

  // 45s, 5m, 2h, 7d, 1h30m
  std::optional<Time> duration(const char* what) {
    auto t = next(what);
    if (!t) return std::nullopt;
    Time total = 0;
    std::size_t i = 0;
    const std::string& s = t->text;
    while (i < s.size()) {
      std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      auto n = parse_decimal(std::string_view(s).substr(start, i - start));
      if (!n || i >= s.size()) break;
      const char unit = to_lower(s[i++]);
      const Time mult = unit == 's' ? kSecond : unit == 'm' ? kMinute : unit == 'h' ? kHour : unit == 'd' ? kDay : 0;
      if (!mult) break;
      // Checked before multiplying: 999999999999999999d must not overflow.
      if (*n > static_cast<std::uint64_t>(kMaxSpan / mult) || total + static_cast<Time>(*n) * mult > kMaxSpan) {
        error(t->column, "\"" + s + "\" is too long: a duration is at most " + std::to_string(kMaxDays) +
                          "d (10 years)");
        return std::nullopt;
      }
      total += static_cast<Time>(*n) * mult;
      if (i == s.size()) return total;
    }
    error(t->column, "\"" + s + "\" is not a duration: write e.g. 30s, 5m, 2h, 7d or 1h30m");
    return std::nullopt;
  }

  // 500B, 80KB, 20MB, 1GB (1 KB = 1024 octets), at most `max` octets (`limit` says why).
  std::optional<std::uint64_t> size(const char* what, std::uint64_t max = kMaxSize,
                                    const char* limit = "a size is at most 1TB") {
    auto t = next(what);
    if (!t) return std::nullopt;
    const std::string u = upper(t->text);
    std::size_t i = 0;
    while (i < u.size() && is_digit(u[i])) ++i;
    auto n = parse_decimal(std::string_view(u).substr(0, i));
    const std::string unit = u.substr(i);
    const std::uint64_t mult = unit == "B" || unit.empty() ? 1 : unit == "KB" ? 1024 : unit == "MB" ? 1024 * 1024 : unit == "GB" ? 1024ull * 1024 * 1024 : 0;
    if (!n || !mult) {
      error(t->column, "\"" + t->text + "\" is not a size: write e.g. 500B, 80KB or 20MB");
      return std::nullopt;
    }
    if (*n > max / mult) {
      error(t->column, "\"" + t->text + "\" is too big: " + limit);
      return std::nullopt;
    }
    return *n * mult;
  }

  std::optional<std::uint64_t> number(const char* what) {
    auto t = next(what);
    if (!t) return std::nullopt;
    auto n = parse_decimal(t->text);
    if (!n) error(t->column, "\"" + t->text + "\" is not a number");
    return n;
  }
  // A number from `min` to `max`; `name` says what it is in the error.
  std::optional<std::uint64_t> number(const char* what, std::uint64_t min, std::uint64_t max,
                                      const std::string& name) {
    const int at = col();
    auto n = number(what);
    if (n && (*n < min || *n > max)) {
      error(at, name + " is " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
                    std::to_string(*n));
      return std::nullopt;
    }
    return n;
  }

  // HH:MM[:SS] -> ms after midnight
  std::optional<Time> clock(const char* what) {
    auto t = next(what);
    if (!t) return std::nullopt;
    // H:MM, HH:MM or HH:MM:SS, digits only (sscanf took "-1:-30").
    const std::string& x = t->text;
    const bool short_hour = x.size() >= 2 && x[1] == ':';
    const std::string full = short_hour ? "0" + x : x;
    bool ok = (full.size() == 5 || full.size() == 8) && full[2] == ':' && (full.size() == 5 || full[5] == ':');
    for (std::size_t k = 0; ok && k < full.size(); ++k) ok = k % 3 == 2 || is_digit(full[k]);
    int h = 0, m = 0, s = 0;
    if (ok) {
      auto d2 = [&](std::size_t at) { return (full[at] - '0') * 10 + (full[at + 1] - '0'); };
      h = d2(0);
      m = d2(3);
      s = full.size() == 8 ? d2(6) : 0;
    }
    if (!ok || h > 23 || m > 59 || s > 59) {
      error(t->column, "\"" + t->text + "\" is not a time of day: write e.g. 09:30");
      return std::nullopt;
    }
    return h * kHour + m * kMinute + s * kSecond;
  }

  std::optional<Time> date(const char* what) {
    auto t = next(what);
    if (!t) return std::nullopt;
    // YYYY-MM-DD, digits only, a day the month has.
    const std::string& x = t->text;
    bool ok = x.size() == 10 && x[4] == '-' && x[7] == '-';
    for (std::size_t k = 0; ok && k < x.size(); ++k) ok = k == 4 || k == 7 || is_digit(x[k]);
    int y = 0, mo = 0, d = 0;
    if (ok) {
      y = std::stoi(x.substr(0, 4));
      mo = std::stoi(x.substr(5, 2));
      d = std::stoi(x.substr(8, 2));
    }
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (!ok || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) {
      error(t->column, "\"" + t->text + "\" is not a date (from 1970): write e.g. 2026-11-26");
      return std::nullopt;
    }
    return from_civil(y, mo, d);
  }

  std::size_t mark() const { return pos_; }
  void reset(std::size_t m) { pos_ = m; }
  const std::vector<Token>& words() const { return tokens_; }
  int line_no() const { return line_no_; }
  std::string_view source() const { return line_; }

  // The rest of the line is a two-language text (TEXT above).
  bool text(Text& t, TextLangs& given) {
    std::vector<Diagnostic> errors;
    const bool ok = read_text_words(tokens_, pos_, line_, line_no_, t, errors, given);
    out_.errors.insert(out_.errors.end(), errors.begin(), errors.end());
    return ok;
  }

 private:
  Parsed& out_;
  std::string_view line_;
  int line_no_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(Parsed& out) : out_(out) {
    out_.scenario.start = end_ = default_start();
  }

  void line(std::string_view text, int no) {
    LineParser p(out_, text, no);
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto u = static_cast<unsigned char>(text[i]);
      if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", u);
        p.error(static_cast<int>(i) + 1, std::string("control character ") + hex +
                                             " in the line: a scenario file is plain text");
        return;
      }
    }
    if (!p.tokenize() || p.empty()) return;
    const Token first = *p.next("a statement");
    const std::string kw = lower(first.text);
    if (!first.quoted && (kw == "en" || kw == "it" || kw == "both")) return more_text(p, first);
    last_text_.reset();  // blank lines and comments do not end a text; any statement does
    if (kw == "title") return title(p);
    if (kw == "start") return start(p);
    if (kw == "server") return server(p);
    // `account ADDRESS password "NEW"` for a known account once the devices are set up: the
    // provider changes the password (a statement).
    const bool new_password = (!out_.scenario.steps.empty() || !out_.scenario.devices.empty()) && p.words().size() > 1 &&
                              find_account(p.words()[1].text);
    if (kw == "account" && !new_password) return account(p);
    if (kw == "device") return device(p);
    Step step;
    step.line = no;
    std::string word = kw;
    int word_col = first.column;
    if (kw == "at" || kw == "after") {
      if (kw == "after") {
        auto d = p.duration("a delay, e.g. 5m");
        if (!d) return;
        step.after = *d;
      } else {
        Time day = 0;
        if (p.accept("day")) {
          const int day_col = p.col();
          auto n = p.number("a day number");
          if (!n) return;
          if (*n < 1) {
            p.error("days count from 1 (the start day)");
            return;
          }
          if (*n > kMaxDays) {
            p.error(day_col, "a day number is at most " + std::to_string(kMaxDays) + " (10 years)");
            return;
          }
          day = static_cast<Time>(*n - 1) * kDay;
        }
        auto c = p.clock("a time of day");
        if (!c) return;
        // A bare time is on the current day: the day the clock is on by here.
        const bool bare = !iequals(p.words()[1].text, "day");
        const Time at = (bare ? midnight(end_) : midnight(out_.scenario.start) + day) + *c;
        if (at < end_) {
          p.error(p.words()[1].column, when_text(at) + " has passed by here: the clock is already at " + when_text(end_) +
                                           " (time only goes forward)" +
                                           (bare ? "; for the next day write \"at day " + std::to_string(day_of(end_) + 1) + " " + clock_text(*c) + "\"" : ""));
          return;
        }
        step.at = at;
      }
      auto t = p.next("a statement after the time");
      if (!t) return;
      word = lower(t->text);
      word_col = t->column;
    }
    const std::size_t before = out_.scenario.steps.size();
    here_ = std::max(end_, step.at.value_or(end_)) + step.after;
    statement(p, step, word, word_col);
    if (out_.scenario.steps.size() > before) {
      // When the scenario can end at the latest: it lasts at most 10 years.
      end_ = std::max(end_, step.at.value_or(end_)) + step.after;
      if (end_ - out_.scenario.start > kMaxSpan)
        p.error(first.column, "the scenario would last more than " + std::to_string(kMaxDays) +
                               " days (10 years) by this statement");
    }
  }

  void finish() {
    for (const PendingText& t : texts_)
      if (!t.given.both())
        out_.monolingual.push_back({t.line, t.column,
                                    std::string("this text is in one language only: give it in English and Italian (") +
                                        (t.given.plain && !t.given.en && !t.given.it ? "a plain \"...\" then an it \"...\" line, or " : "") +
                                        "en \"...\" it \"...\")",
                                    t.source, {}});
    Scenario& s = out_.scenario;
    // At the end: the server line may come after the accounts. (Without one, a quick test file
    // names any domain.)
    for (std::size_t i = 0; server_line_ && i < s.accounts.size() && i < account_lines_.size(); ++i) {
      const std::string& a = s.accounts[i].address;
      const std::string domain = lower(a.substr(a.rfind('@') + 1));
      if (domain == s.domain || std::find(s.more_domains.begin(), s.more_domains.end(), domain) != s.more_domains.end()) continue;
      Diagnostic d = account_lines_[i];
      d.column += static_cast<int>(a.rfind('@')) + 1;
      d.message = "the server serves " + s.domain + (s.more_domains.empty() ? "" : " and " + join(s.more_domains)) + ", not " +
                  domain + ": add it to the server line (server " + s.domain + " domains " + domain + ")";
      out_.errors.push_back(std::move(d));
    }
    if (s.accounts.empty() && out_.errors.empty())
      out_.errors.push_back({1, 1, "a scenario needs at least one account (account ADDRESS password \"...\")", {}, {}});
  }

 private:
  void title(LineParser& p) {
    Text t;
    TextLangs given;
    const int col = p.col();
    if (!p.text(t, given)) return;
    out_.scenario.title = t;
    remember_text(p, col, given, kTitle);
  }

  // A text's other language on the next line: `it "..."` after `say "..."`.
  void more_text(LineParser& p, const Token& first) {
    if (!last_text_) {
      p.error(first.column, "an \"" + first.text + "\" line gives the other language of the text on the line above "
                            "(title, say); there is none");
      return;
    }
    PendingText& pending = texts_[*last_text_];
    Text& t = pending.step == kTitle ? out_.scenario.title : std::get<Say>(out_.scenario.steps[pending.step].what).text;
    p.reset(0);
    TextLangs given = pending.given;
    if (!p.text(t, given)) return;
    pending.given.en |= given.en;
    pending.given.it |= given.it;
  }

  static constexpr std::size_t kTitle = static_cast<std::size_t>(-1);
  // poll DURATION: more than nothing ("poll off" says never).
  static std::optional<Time> poll_duration(LineParser& p) {
    const int col = p.col();
    auto every = p.duration("how often, e.g. 5m, or off");
    if (every && *every < kSecond) {
      p.error(col, "the app cannot check every 0 seconds: write \"poll off\" to check only when asked, or e.g. \"poll 5m\"");
      return std::nullopt;
    }
    return every;
  }
  static Time midnight(Time t) { return t - ((t % kDay) + kDay) % kDay; }
  // 1 for the start's day.
  Time day_of(Time t) const { return (midnight(t) - midnight(out_.scenario.start)) / kDay + 1; }
  static std::string clock_text(Time in_day) {
    char buf[48];
    const long h = static_cast<long>(in_day / kHour), m = static_cast<long>(in_day % kHour / kMinute),
               sec = static_cast<long>(in_day % kMinute / kSecond);
    if (sec) std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", h, m, sec);
    else std::snprintf(buf, sizeof buf, "%02ld:%02ld", h, m);
    return buf;
  }
  // "day 2 09:00", as `at` reads it.
  std::string when_text(Time t) const { return "day " + std::to_string(day_of(t)) + " " + clock_text(t - midnight(t)); }
  // WHEN = ["day" N] HH:MM[:SS]; a bare time is on the current day (the clock's, by this line).
  std::optional<Time> when(LineParser& p) {
    Time day = 0;
    const bool bare = !p.accept("day");
    if (!bare) {
      auto n = p.number("a day number", 1, kMaxDays, "a day number");
      if (!n) return std::nullopt;
      day = static_cast<Time>(*n - 1) * kDay;
    }
    auto c = p.clock("a time of day, e.g. 09:00 or day 2 09:00");
    if (!c) return std::nullopt;
    return (bare ? midnight(here_) : midnight(out_.scenario.start) + day) + *c;
  }
  void remember_text(LineParser& p, int col, const TextLangs& given, std::size_t step) {
    texts_.push_back({step, p.line_no(), col, std::string(p.source()), given});
    last_text_ = texts_.size() - 1;
  }

  void start(LineParser& p) {
    if (!out_.scenario.steps.empty()) {
      p.error("\"start\" must come before the first action");
      return;
    }
    auto d = p.date("a date");
    if (!d) return;
    auto c = p.clock("a time of day");
    if (!c || !p.end()) return;
    out_.scenario.start = *d + *c;
    end_ = out_.scenario.start;
  }

  void server(LineParser& p) {
    if (server_line_)
      return (void)p.error(1, "there is one server, already described on line " + std::to_string(server_line_) +
                                  ": put every option on that line (more domains with \"domains D2 D3\")");
    server_line_ = p.line_no();
    auto domain = p.next("the mail domain, e.g. tuodominio.it");
    if (!domain) return;
    out_.scenario.domain = lower(domain->text);
    while (!p.done()) {
      if (p.accept("domains")) {
        // A hosting server serves several domains: the accounts may be on any of them.
        // (The domains run to the next option word: a test's account may be on "x", no dot.)
        auto option = [&] {
          const std::string w = lower(p.peek().text);
          return w == "quota" || w == "backup" || w == "mailboxes" || w == "plaintext-auth" || w == "domains";
        };
        if (p.done() || option()) return (void)p.error("name a domain after \"domains\", e.g. domains altrodominio.com");
        while (!p.done() && !option()) out_.scenario.more_domains.push_back(lower(p.next("a domain")->text));
      } else if (p.accept("quota")) {
        auto q = p.size("a quota");
        if (!q) return;
        out_.scenario.default_quota = *q;
      } else if (p.accept("backup")) {
        if (!p.expect_word("daily")) return;
        auto c = p.clock("the backup time");
        if (!c) return;
        out_.scenario.backup_at = *c;
      } else if (p.accept("mailboxes")) {
        auto n = p.number("how many mailboxes the plan allows");
        if (!n) return;
        out_.scenario.mailboxes = *n;
      } else if (p.accept("plaintext-auth")) {
        // Dovecot's disable_plaintext_auth: passwords on 110/143 only after STLS/STARTTLS.
        if (p.accept("yes")) out_.scenario.plaintext_auth = true;
        else if (p.accept("no")) out_.scenario.plaintext_auth = false;
        else return (void)p.error("write \"plaintext-auth yes\" or \"plaintext-auth no\"");
      } else {
        p.error("unknown server option \"" + p.peek().text + "\"",
                closest(p.peek().text, {"quota", "backup", "mailboxes", "plaintext-auth", "domains"}));
        return;
      }
    }
  }

  void account(LineParser& p) {
    auto a = p.next("an address");
    if (!a) return;
    if (a->text.find('@') == std::string::npos) {
      p.error(a->column, "\"" + a->text + "\" is not an address: write e.g. info@" + out_.scenario.domain);
      return;
    }
    for (const auto& existing : out_.scenario.accounts)
      if (iequals(existing.address, a->text)) {
        p.error(a->column, "account " + a->text + " is already defined");
        return;
      }
    AccountSpec spec{a->text, "", out_.scenario.default_quota};
    if (!p.expect_word("password")) return;
    auto pw = p.quoted("the password");
    if (!pw) return;
    spec.password = *pw;
    if (p.accept("quota")) {
      auto q = p.size("a quota");
      if (!q) return;
      spec.quota = *q;
    }
    if (!p.end()) return;
    if (out_.scenario.accounts.size() >= out_.scenario.mailboxes) {
      p.error(a->column, "the plan allows " + std::to_string(out_.scenario.mailboxes) +
                          " mailboxes (source claim S1); raise it with \"server ... mailboxes N\"");
      return;
    }
    out_.scenario.accounts.push_back(spec);
    account_lines_.push_back({p.line_no(), a->column, {}, std::string(p.source()), {}});
  }

  // `late`: `add device ...` in the middle of the story, a statement.
  void device(LineParser& p, Step* late = nullptr) {
    auto name = p.next("a device name");
    if (!name) return;
    const std::string low = lower(name->text);
    if (std::find(kStatements.begin(), kStatements.end(), low) != kStatements.end() ||
        std::find(kReservedNames.begin(), kReservedNames.end(), low) != kReservedNames.end()) {
      p.error(name->column, "\"" + name->text + "\" is a reserved word; give the device another name");
      return;
    }
    if (find_device(name->text)) {
      p.error(name->column, "a device called \"" + name->text + "\" already exists");
      return;
    }
    world::DeviceConfig d;
    d.name = name->text;
    auto kind = p.next("the kind of device (phone, tablet, laptop, desktop)");
    if (!kind) return;
    const std::string k = lower(kind->text);
    if (k == "phone") d.kind = world::DeviceKind::Phone;
    else if (k == "tablet") d.kind = world::DeviceKind::Tablet;
    else if (k == "laptop") d.kind = world::DeviceKind::Laptop;
    else if (k == "desktop") d.kind = world::DeviceKind::Desktop;
    else {
      p.error(kind->column, "unknown kind of device \"" + kind->text + "\"",
              closest(kind->text, {"phone", "tablet", "laptop", "desktop"}));
      return;
    }
    bool have_protocol = false, starttls = false;
    int port_col = 0, imap_only_col = 0;  // where an IMAP-only option (idle, offline, delete) was
    std::string imap_only;
    // What the line says, by setting, in its own words: each setting once, so that no option
    // silently wins over another. The app's defaults (sim/world/persona.cpp) fill in the rest.
    std::map<std::string, std::string> said;
    auto once = [&](const std::string& setting, const std::string& words, int col) {
      const auto [it, fresh] = said.emplace(setting, words);
      if (fresh) return true;
      auto meaning = [](std::string w) {  // a bare flag says on
        w = lower(w);
        return w.ends_with(" on") ? w.substr(0, w.size() - 3) : w;
      };
      if (meaning(it->second) == meaning(words)) return p.error(col, "\"" + words + "\" is said twice on this line");
      return p.error(col, "\"" + words + "\" contradicts \"" + it->second + "\" earlier on this line");
    };
    // `on` or `off` after an option; a bare option says on.
    auto on_off = [&](bool& flag, std::string& words) {
      flag = !p.accept("off");
      if (flag && p.accept("on")) words += " on";
      if (!flag) words += " off";
    };
    while (!p.done()) {
      const Token opt = p.peek();
      const std::string o = lower(opt.text);
      p.next("an option");
      if (o == "client") {
        auto c = p.next("the mail app (thunderbird, outlook, apple-mail, phone-mail, windows-mail)");
        if (!c) return;
        if (!once("client", "client " + c->text, opt.column)) return;
        d.client = c->text;
        if (!world::persona(d.client)) {
          // A name Postino does not know is a label with the generic settings; one a typo away
          // from an app it knows is most likely that app.
          std::vector<std::string> names;
          for (auto n : world::persona_names()) names.emplace_back(n);
          if (const std::string near = closest(d.client, names); !near.empty())
            return (void)p.error(c->column, "\"" + c->text + "\" is not a mail app Postino knows (" + join(names) + ")", near);
        }
      } else if (o == "pop3" || o == "imap") {
        if (have_protocol)
          return (void)p.error(opt.column, "a device uses one protocol: this line already says " +
                                               std::string(d.protocol == world::Protocol::Pop3 ? "pop3 " : "imap ") + std::to_string(d.port) +
                                               " (another app on the same device is another device line)");
        d.protocol = o == "pop3" ? world::Protocol::Pop3 : world::Protocol::Imap;
        port_col = p.col();
        auto port = p.number("the port", 1, 65535, "a port");
        if (!port) return;
        d.port = static_cast<int>(*port);
        have_protocol = true;
      } else if (o == "starttls") {
        if (!once("starttls", "starttls", opt.column)) return;
        starttls = true;
      } else if (o == "account") {
        auto a = p.next("an account address");
        if (!a || !once("account", "account " + a->text, opt.column)) return;
        d.account = a->text;
      } else if (o == "password") {
        auto pw = p.quoted("the password");
        if (!pw || !once("password", "password \"" + *pw + "\"", opt.column)) return;
        d.password = *pw;
      } else if (o == "leave-on-server") {
        std::string words = "leave-on-server";
        on_off(d.leave_on_server, words);
        if (!once("copy", words, opt.column)) return;
        d.keep_days = 0;  // kept until deleted: `keep-days N` says otherwise
      } else if (o == "keep-days") {
        auto n = p.number("how many days", 0, kMaxDays, "keep-days");
        if (!n || !once("copy", "keep-days " + std::to_string(*n), opt.column)) return;
        d.keep_days = static_cast<int>(*n);
        d.leave_on_server = true;
      } else if (o == "delete-when-deleted") {
        std::string words = "delete-when-deleted";
        on_off(d.delete_when_deleted_here, words);
        if (!once("delete-when-deleted", words, opt.column)) return;
      } else if (o == "idle") {
        imap_only_col = opt.column;
        imap_only = "idle";
        if (p.accept("on")) d.idle = true;
        else if (p.accept("off")) d.idle = false;
        else return (void)p.error("write \"idle on\" or \"idle off\"");
        if (!once("idle", std::string("idle ") + (d.idle ? "on" : "off"), opt.column)) return;
      } else if (o == "offline") {
        imap_only_col = opt.column;
        imap_only = "offline";
        if (p.accept("on")) d.offline = true;
        else if (p.accept("off")) d.offline = false;
        else return (void)p.error("write \"offline on\" (bodies downloaded with the headers) or \"offline off\" (each body when opened)");
        if (!once("offline", std::string("offline ") + (d.offline ? "on" : "off"), opt.column)) return;
      } else if (o == "poll") {
        if (p.accept("off")) {
          d.poll_every = 0;
          if (!once("poll", "poll off", opt.column)) return;
          continue;
        }
        const std::string every_words = "poll " + (p.done() ? std::string() : p.peek().text);
        auto every = poll_duration(p);
        if (!every || !once("poll", every_words, opt.column)) return;
        d.poll_every = *every;
      } else if (o == "delete") {
        imap_only_col = opt.column;
        imap_only = "delete " + (p.done() ? std::string() : lower(p.peek().text));
        if (p.accept("trash")) d.delete_mode = imap::ClientConfig::Delete::MoveToTrash;
        else if (p.accept("expunge")) d.delete_mode = imap::ClientConfig::Delete::FlagAndExpunge;
        else return (void)p.error("write \"delete trash\" or \"delete expunge\"");
        if (!once("delete", imap_only, opt.column)) return;
      } else if (o == "smtp") {
        auto port = smtp_port(p);
        if (!port) return;
        if (!once("smtp", "smtp " + std::to_string(*port), opt.column)) return;
        d.smtp_port = *port;
      } else {
        p.error(opt.column, "unknown device option \"" + opt.text + "\"", closest(opt.text, kDeviceOptions));
        return;
      }
    }
    if (!have_protocol) {
      p.error("say which protocol and port, e.g. \"imap 993\" or \"pop3 995\"");
      return;
    }
    if (!port_and_security(p, d, starttls, port_col)) return;
    const bool pop = d.protocol == world::Protocol::Pop3;
    if (pop && imap_only_col)
      return (void)p.error(imap_only_col, "\"" + imap_only + "\" is an IMAP setting: POP3 has no IDLE, no Trash on the server and "
                                          "downloads every message whole anyway (for POP3: leave-on-server, keep-days, delete-when-deleted, poll)");
    if (!pop && (said.count("copy") || said.count("delete-when-deleted"))) {
      p.error("keep-days, leave-on-server and delete-when-deleted are POP3 settings; IMAP always leaves mail on the server");
      return;
    }
    // What the line does not say, the app's defaults say (the generic ones for no app or one
    // not known here).
    const world::DeviceConfig app = world::with_app_defaults(d);
    if (!said.count("copy")) {
      d.leave_on_server = app.leave_on_server;
      d.keep_days = app.keep_days;
    }
    // Without a copy on the server there is nothing to delete there later (Thunderbird greys the
    // box out then).
    if (!said.count("delete-when-deleted")) d.delete_when_deleted_here = d.leave_on_server && app.delete_when_deleted_here;
    if (!said.count("idle")) d.idle = app.idle;
    if (!said.count("offline")) d.offline = app.offline;
    if (!said.count("delete")) d.delete_mode = app.delete_mode;
    if (!said.count("poll")) d.poll_every = app.poll_every;
    if (pop && !d.idle) d.idle = true;  // meaningless for POP3
    if (d.account.empty()) {
      if (out_.scenario.accounts.empty()) {
        p.error("define an account before the devices that use it");
        return;
      }
      d.account = out_.scenario.accounts.front().address;
    }
    const AccountSpec* acc = find_account(d.account);
    if (!acc) {
      std::vector<std::string> names;
      for (auto& a : out_.scenario.accounts) names.push_back(a.address);
      p.error("no account \"" + d.account + "\" is defined", closest(d.account, names));
      return;
    }
    if (d.password.empty()) d.password = acc->password;
    if (!late) return out_.scenario.devices.push_back(d);
    late_devices_.push_back(d);
    push(*late, AddDevice{d});
  }

  // account ADDRESS password "NEW"
  void change_password(LineParser& p, Step& step) {
    auto a = p.next("an address");
    if (!a || !known_account(p, a->text, a->column) || !p.expect_word("password")) return;
    auto pw = p.quoted("the new password");
    if (pw && p.end()) push(step, ChangePassword{find_account(a->text)->address, *pw});
  }

  // webmail ADDRESS (read|delete "S" [in F] | move "S" [in F] to F | empty-trash)
  void webmail(LineParser& p, Step& step) {
    auto a = p.next("an account address");
    if (!a || !known_account(p, a->text, a->column)) return;
    Webmail w{.account = find_account(a->text)->address};
    auto op = p.next("what the webmail does: read, delete, move or empty-trash");
    if (!op) return;
    const std::string o = lower(op->text);
    if (o == "empty-trash") {
      w.op = Webmail::Op::EmptyTrash;
      if (p.end()) push(step, w);
      return;
    }
    if (o != "read" && o != "delete" && o != "move")
      return (void)p.error(op->column, "unknown webmail action \"" + op->text + "\"",
                           closest(op->text, {"read", "delete", "move", "empty-trash"}));
    w.op = o == "read" ? Webmail::Op::Read : o == "delete" ? Webmail::Op::Delete : Webmail::Op::Move;
    auto subject = p.quoted("the subject of the message");
    if (!subject) return;
    w.subject = *subject;
    if (p.accept("in")) {
      auto f = p.next("a folder");
      if (!f) return;
      w.folder = f->text;
    }
    if (w.op == Webmail::Op::Move) {
      if (!p.expect_word("to")) return;
      auto t = p.next("the folder to move to");
      if (!t) return;
      w.to = t->text;
    }
    if (p.end()) push(step, w);
  }

  void statement(LineParser& p, Step& step, const std::string& word, int col) {
    if (word == "deliver") {
      if (!p.expect_word("to")) return;
      auto to = address(p, "an address", "info@tuodominio.it");
      if (!to) return;
      Deliver d{.account = *to};
      while (!p.done()) {
        if (p.accept("from")) {
          auto f = p.quoted("the sender");
          if (!f) return;
          d.from = *f;
        } else if (const Option o = message_option(p, d.subject, d.size, d.body); o != Option::None) {
          if (o == Option::Bad) return;
        } else if (p.accept("count")) {
          auto n = p.number("how many messages", 1, kMaxDeliverCount, "count");
          if (!n) return;
          d.copies = *n;
        } else {
          return (void)p.error("unknown option \"" + p.peek().text + "\"", closest(p.peek().text, {"from", "subject", "size", "body", "count"}));
        }
      }
      if (d.size && d.size < smallest_message(d, out_.scenario.domain))
        return (void)p.error(col, "a message like this one takes at least " + std::to_string(smallest_message(d, out_.scenario.domain)) +
                                      " octets (its headers and first line): write that size or more, or leave size out");
      // Every message is made whole in memory: the total is capped, not only each one.
      const std::uint64_t each =
          std::max<std::uint64_t>(d.size, d.from.size() + d.subject.size() + d.body.size() + 200);
      delivered_ += each * d.copies;
      if (delivered_ > kMaxDeliveredTotal)
        return (void)p.error(col, "the scenario's deliveries would make more than 200MB of mail "
                                  "(size x count, all deliver lines together)");
      return push(step, std::move(d));
    }
    if (word == "backup") {
      if (p.end()) push(step, Backup{});
      return;
    }
    if (word == "restore") {
      auto a = p.next("an address");
      if (!a || !p.expect_word("to")) return;
      if (!known_account(p, a->text, a->column)) return;
      Time day = 0;
      if (p.accept("day")) {
        auto n = p.number("a day number", 1, kMaxDays, "a day number");
        if (!n) return;
        day = static_cast<Time>(*n - 1) * kDay;
      }
      auto c = p.clock("the time to restore to");
      if (!c || !p.end()) return;
      const Time midnight = out_.scenario.start - ((out_.scenario.start % kDay) + kDay) % kDay;
      return push(step, Restore{a->text, midnight + day + *c});
    }
    if (word == "wait") {
      auto d = p.duration("how long, e.g. 10m or 7d");
      if (d && p.end()) {
        step.after += *d;
        push(step, Wait{});
      }
      return;
    }
    if (word == "say") {
      Text t;
      TextLangs given;
      const int text_col = p.col();
      if (!p.text(t, given)) return;
      push(step, Say{t});
      remember_text(p, text_col, given, out_.scenario.steps.size() - 1);
      return;
    }
    if (word == "expect") return expect(p, step);
    if (word == "webmail") return webmail(p, step);
    if (word == "account") return change_password(p, step);
    if (word == "add") {
      if (!p.expect_word("device")) return;
      return device(p, &step);
    }
    if (const auto* d = find_device(word)) return action(p, step, *d);
    std::vector<std::string> candidates = kStatements;
    for (auto& d : out_.scenario.devices) candidates.push_back(d.name);
    p.error(col, "unknown statement or device \"" + word + "\"", closest(word, candidates));
  }

  // The protocol's ports (S5, S10) and the security they imply; false (and an error) otherwise.
  bool port_and_security(LineParser& p, world::DeviceConfig& d, bool starttls, int port_col) {
    const bool pop = d.protocol == world::Protocol::Pop3;
    const int plain = pop ? 110 : 143, tls = pop ? 995 : 993;
    if (d.port != plain && d.port != tls) {
      p.error(port_col, std::string(pop ? "POP3" : "IMAP") + " uses port " + std::to_string(plain) +
                            " (plain or STARTTLS) or " + std::to_string(tls) + " (SSL/TLS), not " +
                            std::to_string(d.port) + std::string(pop ? " (source claim S10)" : " (source claim S5)"));
      return false;
    }
    if (starttls && d.port == tls) {
      p.error(port_col, "port " + std::to_string(tls) + " is TLS from the first byte; \"starttls\" is for port " + std::to_string(plain));
      return false;
    }
    d.security = d.port == tls ? world::Security::Tls : starttls ? world::Security::StartTls : world::Security::Plain;
    return true;
  }

  // address = 1*VCHAR "@" 1*VCHAR   ; unquoted (a quoted text is not an address: `deliver
  // to"Ordine 43"` was taken for one, a fuzz finding)
  std::optional<std::string> address(LineParser& p, const char* what, const char* example) {
    auto to = p.next(what);
    if (!to) return std::nullopt;
    if (to->quoted || to->text.find('@') == std::string::npos) {
      p.error(to->column, "\"" + to->text + "\" is not an address: write e.g. " + example);
      return std::nullopt;
    }
    return to->text;
  }

  // message-option = "subject" quoted / "size" size / "body" quoted   ; deliver's and send's
  enum class Option { None, Read, Bad };  // not one of them; read; one, but wrong (error given)
  Option message_option(LineParser& p, std::string& subject, std::uint64_t& size, std::string& body) {
    std::optional<std::string> text;
    if (p.accept("subject")) {
      if (!(text = p.quoted("the subject"))) return Option::Bad;
      subject = *text;
    } else if (p.accept("size")) {
      auto n = p.size("a size", kMaxMessageSize, "a message is at most 50MB");
      if (!n) return Option::Bad;
      size = *n;
    } else if (p.accept("body")) {
      if (!(text = p.quoted("the body"))) return Option::Bad;
      body = *text;
    } else {
      return Option::None;
    }
    return Option::Read;
  }

  // smtp-port = "587" / "465"   ; submission: STARTTLS (RFC 6409) or TLS from the start (RFC 8314)
  std::optional<int> smtp_port(LineParser& p) {
    const int at = p.col();
    auto port = p.number("the sending port, 587 or 465", 1, 65535, "a port");
    if (!port) return std::nullopt;
    if (*port != 587 && *port != 465) {
      p.error(at, "sending (SMTP submission) uses port 587 (STARTTLS) or 465 (SSL/TLS), not " + std::to_string(*port));
      return std::nullopt;
    }
    return static_cast<int>(*port);
  }

  void action(LineParser& p, Step& step, const world::DeviceConfig& declared) {
    // Settings changed by earlier "set" lines count from there on.
    auto now = current_.find(declared.name);
    const world::DeviceConfig& d = now == current_.end() ? declared : now->second;
    auto a = p.next("what the device does (get-mail, open, delete, move, flag, create-folder, crash, replace)");
    if (!a) return;
    const std::string w = lower(a->text);
    std::string folder = "INBOX";
    auto in_folder = [&]() {
      if (p.accept("in")) {
        auto f = p.next("a folder");
        if (!f) return false;
        folder = f->text;
      }
      return true;
    };
    Action what;
    if (w == "get-mail") what = GetMail{d.name};
    else if (w == "empty-trash") what = EmptyTrash{d.name};
    else if (w == "send") {
      // send to ADDRESS [subject "S"] [size SIZE] [body "B"]
      if (!p.expect_word("to")) return;
      auto to = address(p, "the address to send to", "cliente@example.com");
      if (!to) return;
      Send m{.device = d.name, .to = *to};
      while (!p.done()) {
        if (const Option o = message_option(p, m.subject, m.size, m.body); o != Option::None) {
          if (o == Option::Bad) return;
        } else {
          return (void)p.error("unknown option \"" + p.peek().text + "\"", closest(p.peek().text, {"subject", "size", "body"}));
        }
      }
      delivered_ += std::max<std::uint64_t>(m.size, m.subject.size() + m.body.size() + 200);
      if (delivered_ > kMaxDeliveredTotal)
        return (void)p.error(a->column, "the scenario's messages would make more than 200MB of mail");
      what = std::move(m);
    }
    else if (w == "crash") what = Crash{d.name};
    else if (w == "replace") what = Replace{d.name};
    else if (w == "connection-drops") {
      if (!p.expect_word("after")) return;
      auto t = p.quoted("the start of a line the device sends, e.g. \"RETR\"");
      if (!t) return;
      if (t->empty()) return (void)p.error("write the start of a line the device sends, e.g. \"RETR\"");
      what = DropConnection{d.name, *t};
    }
    else if (w == "open" || w == "delete" || w == "flag" || w == "unflag" || w == "move") {
      auto s = p.quoted("the subject of the message");
      if (!s || !in_folder()) return;
      if (w == "open") what = Open{d.name, folder, *s};
      else if (w == "delete") what = Delete{d.name, folder, *s};
      else if (w == "flag" || w == "unflag") what = Flag{.device = d.name, .folder = folder, .subject = *s, .on = w == "flag"};
      else {
        if (!p.expect_word("to")) return;
        auto f = p.next("the folder to move to");
        if (!f) return;
        what = Move{.device = d.name, .folder = folder, .subject = *s, .to = f->text};
      }
    } else if (w == "create-folder" || w == "delete-folder") {
      auto f = p.next("the folder name");
      if (!f) return;
      if (w == "create-folder") what = CreateFolder{d.name, f->text};
      else what = DeleteFolder{d.name, f->text};
    } else if (w == "rename-folder") {
      auto f = p.next("the folder to rename");
      if (!f || !p.expect_word("to")) return;
      auto t = p.next("the new name");
      if (!t) return;
      what = RenameFolder{d.name, f->text, t->text};
    } else if (w == "set") {
      world::DeviceConfig c = d;
      const bool pop = d.protocol == world::Protocol::Pop3;
      auto o = p.next("a setting: pop3|imap PORT [starttls], poll DURATION|off, keep-days N, leave-on-server on|off, "
                      "delete-when-deleted on|off, idle on|off, offline on|off, delete trash|expunge, smtp 587|465, password \"PW\"");
      if (!o) return;
      const std::string opt = lower(o->text);
      auto on_off = [&](bool& flag) {
        if (p.accept("on")) flag = true;
        else if (p.accept("off")) flag = false;
        else return p.error("write on or off");
        return true;
      };
      if (opt == "password") {
        auto pw = p.quoted("the password");
        if (!pw) return;
        c.password = *pw;
      } else if (opt == "pop3" || opt == "imap") {
        // Another protocol or port: the app reconnects that way (and with another protocol it
        // starts over, as a new account in the same app would).
        c.protocol = opt == "pop3" ? world::Protocol::Pop3 : world::Protocol::Imap;
        const int port_col = p.col();
        auto port = p.number("the port", 1, 65535, "a port");
        if (!port) return;
        c.port = static_cast<int>(*port);
        const bool starttls = p.accept("starttls");
        if (!port_and_security(p, c, starttls, port_col)) return;
        if (c.protocol != d.protocol) c = world::with_new_protocol(c);
      } else if (opt == "smtp") {
        // The outgoing server's port, as in the app's account settings: used from the next send.
        auto port = smtp_port(p);
        if (!port) return;
        c.smtp_port = *port;
      } else if (opt == "poll") {
        if (p.accept("off")) {
          c.poll_every = 0;
        } else {
          auto every = poll_duration(p);
          if (!every) return;
          c.poll_every = *every;
        }
      } else if (pop && opt == "keep-days") {
        auto n = p.number("how many days", 0, kMaxDays, "keep-days");
        if (!n) return;
        c.keep_days = static_cast<int>(*n);
        c.leave_on_server = *n > 0;
      } else if (pop && opt == "leave-on-server") {
        if (!on_off(c.leave_on_server)) return;
        if (!c.leave_on_server) c.keep_days = 0;
      } else if (pop && opt == "delete-when-deleted") {
        if (!on_off(c.delete_when_deleted_here)) return;
      } else if (!pop && opt == "idle") {
        if (!on_off(c.idle)) return;
      } else if (!pop && opt == "offline") {
        if (!on_off(c.offline)) return;
      } else if (!pop && opt == "delete") {
        if (p.accept("trash")) c.delete_mode = imap::ClientConfig::Delete::MoveToTrash;
        else if (p.accept("expunge")) c.delete_mode = imap::ClientConfig::Delete::FlagAndExpunge;
        else return (void)p.error("write \"delete trash\" or \"delete expunge\"");
      } else {
        p.error(o->column, "\"" + o->text + "\" is not " + (pop ? "a POP3" : "an IMAP") + " setting",
                closest(o->text, pop ? std::vector<std::string>{"keep-days", "leave-on-server", "delete-when-deleted", "poll", "imap", "pop3", "password", "smtp"}
                                     : std::vector<std::string>{"idle", "offline", "delete", "poll", "imap", "pop3", "password", "smtp"}));
        return;
      }
      what = Set{d.name, c};
      current_[d.name] = c;
    } else {
      p.error(a->column, "unknown action \"" + a->text + "\" for device " + d.name, closest(a->text, kActions));
      return;
    }
    // (A POP3 device moves mail between folders of its own: S13.)
    const bool server_folders = w == "flag" || w == "unflag" || w == "rename-folder" || w == "delete-folder" || w == "empty-trash";
    if (server_folders && d.protocol == world::Protocol::Pop3) {
      p.error(a->column, d.name + " uses POP3, which has no folders or flags on the server (source claim S13)");
      return;
    }
    if (p.end()) push(step, std::move(what));
  }

  void expect(LineParser& p, Step& step) {
    auto who = p.next("what to check: server, a device, trace or bounces");
    if (!who) return;
    if (iequals(who->text, "trace")) return expect_trace(p, step);
    if (iequals(who->text, "bounces")) {
      ExpectBounces x;
      if (!p.done() && !p.peek().quoted && !parse_decimal(p.peek().text) && !iequals(p.peek().text, "to"))
        return (void)p.error("write \"bounces N\" or \"bounces to ADDRESS N\", not \"" + p.peek().text + "\"", closest(p.peek().text, {"to"}));
      if (p.accept("to")) {
        auto a = p.next("the address the mail was for");
        if (!a) return;
        x.to = a->text;
      }
      auto n = p.number("how many bounces");
      if (!n || !p.end()) return;
      x.count = *n;
      return push(step, x);
    }
    std::string device, account;  // no device: the server's view of the account
    if (iequals(who->text, "server") || iequals(who->text, "webmail")) {
      // The provider's webmail shows the server's own state (S2).
      auto a = p.next("an account address");
      if (!a || !known_account(p, a->text, a->column)) return;
      account = a->text;
      if (p.accept("used")) {
        const bool below = p.accept("<");
        if (!below && !p.accept(">")) return (void)p.error("write \"used < 1MB\" or \"used > 1MB\"");
        auto n = p.size("a size");
        if (n && p.end()) push(step, ExpectUsed{below, account, *n});
        return;
      }
    } else {
      const auto* d = find_device(who->text);
      if (!d) {
        std::vector<std::string> names = {"server", "trace", "bounces"};
        for (auto& dev : out_.scenario.devices) names.push_back(dev.name);
        p.error(who->column, "unknown device \"" + who->text + "\"", closest(who->text, names));
        return;
      }
      device = d->name;
      if (p.accept("error")) {
        auto t = p.quoted("part of the error message");
        if (t && p.end()) push(step, ExpectError{device, *t});
        return;
      }
      if (p.accept("no")) {
        if (p.expect_word("error") && p.end()) push(step, ExpectError{device, "", false});
        return;
      }
      // (`expect pc Sent has "X"` is about the folder Sent: a word, not a text, follows it.)
      const bool sent_folder = p.mark() + 1 < p.words().size() && !p.words()[p.mark() + 1].quoted;
      if (!sent_folder && (p.accept("sent") || p.accept("never-sent"))) {
        const bool sent = iequals(p.words()[p.mark() - 1].text, "sent");
        auto t = p.quoted("part of a protocol line, e.g. \"DELE 1\"");
        if (t && p.end()) push(step, ExpectSent{device, *t, sent});
        return;
      }
      if (p.accept("setting")) {
        auto name = p.next("a setting: " + join(setting_names()));
        if (!name) return;
        const std::string n = lower(name->text);
        if (std::find(setting_names().begin(), setting_names().end(), n) == setting_names().end())
          return (void)p.error(name->column, "unknown setting \"" + name->text + "\"", closest(name->text, setting_names()));
        std::string value;
        if (n == "poll" && !p.done() && !iequals(p.peek().text, "off")) {
          auto every = p.duration("how often, e.g. 5m, or off");
          if (!every) return;
          value = duration_text(*every);
        } else if (n == "smtp") {
          auto port = smtp_port(p);
          if (!port) return;
          value = std::to_string(*port);
        } else if (n == "password") {
          // A password is not shown, in checks either: whether the app has the account's own
          // (after `account ... password "NEW"`, the old one fails to log in).
          const std::vector<std::string> kinds = {"current", "old"};
          auto v = p.next("current (the account's password) or old (any other)");
          if (!v) return;
          value = lower(v->text);
          if (v->quoted || std::find(kinds.begin(), kinds.end(), value) == kinds.end())
            return (void)p.error(v->column, "write \"setting password current\" (the app has the account's password) or "
                                 "\"setting password old\" (it has another one), not " + (v->quoted ? "the password itself" : "\"" + v->text + "\""),
                                 v->quoted ? std::string() : closest(v->text, kinds));
        } else {
          auto v = p.next("the setting's value");
          if (!v) return;
          value = lower(v->text);
        }
        if (p.end()) push(step, ExpectSetting{device, n, value});
        return;
      }
    }
    if (p.accept("folder")) {
      auto f = p.next("the folder's name");
      if (!f) return;
      const bool exists = p.accept("exists");
      if (!exists && !p.accept("missing")) return (void)p.error("write \"exists\" or \"missing\"");
      if (p.end()) push(step, ExpectFolder{device, account, f->text, exists});
      return;
    }
    auto folder = p.next("a folder, e.g. INBOX");
    if (!folder) return;
    auto what = p.next("count, has, lacks or removed");
    if (!what) return;
    const std::string w = lower(what->text);
    if (w == "removed") {
      // removed "S" [after|before WHEN]: it left the folder (the server's, or the device's own
      // view of it), at or after (before) then.
      ExpectRemoved x{.account = account, .folder = folder->text, .device = device};
      auto s = p.quoted("the subject");
      if (!s) return;
      x.subject = *s;
      if (!p.done()) {
        x.before = p.accept("before");
        if (!x.before && !p.accept("after"))
          return (void)p.error("write \"after [day N] HH:MM\" or \"before [day N] HH:MM\", or nothing", closest(p.peek().text, {"after", "before"}));
        x.when = when(p);
        if (!x.when) return;
      }
      if (p.end()) push(step, x);
      return;
    }
    if (w == "count") {
      auto n = p.number("the expected number of messages");
      if (!n || !p.end()) return;
      push(step, ExpectCount{device, account, folder->text, *n});
    } else if (w == "has" || w == "lacks") {
      auto s = p.quoted("the subject");
      if (!s) return;
      if (w == "has" && (p.accept("with") || p.accept("without"))) {
        // has "S" with \Seen \Flagged: the message is there with (without) these flags.
        const bool with = iequals(p.words()[p.mark() - 1].text, "with");
        mail::Flags flags = 0;
        while (!p.done()) {
          const mail::Flag f = mail::flag_from_name(p.peek().text);
          if (!f) return (void)p.error("\"" + p.peek().text + "\" is not a flag: \\Seen, \\Answered, \\Flagged, \\Deleted or \\Draft");
          flags |= f;
          p.next("a flag");
        }
        if (!flags) return (void)p.error("name a flag, e.g. \\Seen");
        return push(step, ExpectFlags{device, account, folder->text, *s, flags, with});
      }
      if (w == "has" && p.accept("uid")) {
        if (!device.empty()) return (void)p.error("a message's UID is the server's: write expect server ADDRESS ...");
        auto n = p.number("the UID", 1, 4294967295ull, "a UID");
        if (!n || !p.end()) return;
        return push(step, ExpectUid{account, folder->text, *s, static_cast<mail::Uid>(*n)});
      }
      if (!p.end()) return;
      if (w == "has") push(step, ExpectHas{device, account, folder->text, *s});
      else push(step, ExpectLacks{device, account, folder->text, *s});
    } else {
      p.error(what->column, "unknown check \"" + what->text + "\"", closest(what->text, {"count", "has", "lacks", "removed"}));
    }
  }

  // trace [DEVICE] (has|lacks|sent|received|never-sent|never-received) "TEXT" [since WHEN]
  void expect_trace(LineParser& p, Step& step) {
    static const std::vector<std::string> kAll = {"has", "lacks"};
    static const std::vector<std::string> kDevice = {"has", "lacks", "sent", "received", "never-sent", "never-received"};
    ExpectTrace x;
    if (!p.done() && !p.peek().quoted && !iequals(p.peek().text, "has") && !iequals(p.peek().text, "lacks")) {
      const Token t = *p.next("a device");
      if (const auto* d = find_device(t.text)) {
        x.device = d->name;
      } else {
        std::vector<std::string> names = kAll;
        for (auto& dev : out_.scenario.devices) names.push_back(dev.name);
        return (void)p.error(t.column, "expected has, lacks or a device's name, found \"" + t.text + "\"", closest(t.text, names));
      }
    }
    const std::vector<std::string>& verbs = x.device.empty() ? kAll : kDevice;
    auto verb = p.next(x.device.empty() ? "has or lacks" : "has, lacks, sent, received, never-sent or never-received");
    if (!verb) return;
    const std::string v = lower(verb->text);
    if (verb->quoted || std::find(verbs.begin(), verbs.end(), v) == verbs.end())
      return (void)p.error(verb->column, "expected " + join(verbs) + ", found \"" + verb->text + "\"", closest(verb->text, verbs));
    x.has = !v.starts_with("never-") && v != "lacks";
    x.lines = v.ends_with("sent") ? ExpectTrace::Lines::Sent : v.ends_with("received") ? ExpectTrace::Lines::Received : ExpectTrace::Lines::All;
    auto t = p.quoted("the text to find in the transcript");
    if (!t) return;
    x.text = *t;
    if (p.accept("since")) {
      x.since = when(p);
      if (!x.since) return;
    }
    if (p.end()) push(step, x);
  }

  bool known_account(LineParser& p, const std::string& address, int col) {
    if (find_account(address)) return true;
    std::vector<std::string> names;
    for (auto& a : out_.scenario.accounts) names.push_back(a.address);
    return p.error(col, "no account \"" + address + "\" is defined", closest(address, names));
  }

  const AccountSpec* find_account(const std::string& a) const {
    for (const auto& acc : out_.scenario.accounts)
      if (iequals(acc.address, a)) return &acc;
    return nullptr;
  }
  const world::DeviceConfig* find_device(const std::string& n) const {
    for (const auto& d : out_.scenario.devices)
      if (d.name == n) return &d;
    for (const auto& d : late_devices_)  // `add device` lines so far
      if (d.name == n) return &d;
    return nullptr;
  }
  void push(Step& s, Action what) {
    s.what = std::move(what);
    out_.scenario.steps.push_back(s);
  }

  // Texts a reader sees, to check at the end that each has both languages.
  struct PendingText {
    std::size_t step;  // the Say statement's index, or kTitle
    int line, column;
    std::string source;
    TextLangs given;
  };
  std::vector<PendingText> texts_;
  std::optional<std::size_t> last_text_;  // the text an `en`/`it` line adds to

  Parsed& out_;
  std::map<std::string, world::DeviceConfig> current_;  // devices' settings after "set" lines
  int server_line_ = 0;
  std::vector<Diagnostic> account_lines_;  // where each account was defined
  // The clock after the statements so far, at least (each takes some time too, at most seconds):
  // where a bare `at HH:MM` and `since HH:MM` put the current day, and what `at` cannot go back to.
  Time end_ = 0;
  Time here_ = 0;  // the same, as the statement being read starts
  std::vector<world::DeviceConfig> late_devices_;        // added by `add device` statements
  std::uint64_t delivered_ = 0;     // octets every deliver so far makes, about
};

}  // namespace

Time default_start() { return from_civil(2026, 11, 26, 8, 0); }

Parsed parse(std::string_view text) {
  Parsed out;
  Parser parser(out);
  std::size_t pos = 0;
  int no = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    ++no;
    parser.line(text.substr(pos, eol - pos), no);
    if (out.errors.size() >= 20) break;  // enough to fix first
    pos = eol + 1;
  }
  parser.finish();
  return out;
}

std::optional<std::vector<Word>> split_line(std::string_view line, int line_no, std::vector<Diagnostic>& errors) {
  Parsed scratch;
  LineParser p(scratch, line, line_no);
  const bool ok = p.tokenize();
  errors.insert(errors.end(), scratch.errors.begin(), scratch.errors.end());
  if (!ok) return std::nullopt;
  return p.words();
}

bool read_text(const std::vector<Word>& words, std::size_t from, std::string_view line, int line_no, Text& text,
               std::vector<Diagnostic>& errors, TextLangs& given) {
  return read_text_words(words, from, line, line_no, text, errors, given);
}

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  return closest(word, candidates);
}

std::string format_diagnostic(const std::string& file, const Diagnostic& d) {
  std::string out = file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) +
                    ": error: " + d.message;
  if (!d.suggestion.empty()) out += "; did you mean \"" + d.suggestion + "\"?";
  out += "\n";
  if (!d.source_line.empty()) {
    std::string src = d.source_line;
    if (!src.empty() && src.back() == '\r') src.pop_back();
    // Control bytes (a NUL, an escape) would break the terminal line and the caret under it.
    for (char& c : src)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) c = '?';
    out += "    " + src + "\n    ";
    for (int i = 1; i < d.column; ++i) out += src.size() >= static_cast<std::size_t>(i) && src[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
    out += "^\n";
  }
  return out;
}

}  // namespace postino::script
