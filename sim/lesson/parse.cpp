// The lesson language (lessons/FORMAT.md, "Lessons"): the scenario language and a few statements
// of its own. Lesson lines are read here; every other line goes to script::parse() at its own line
// and column, so setup, actions and conditions get the scenario language's diagnostics: `solution
// pc get-mail` reaches it as `         pc get-mail`, `until pc INBOX count 1` as `expect pc INBOX
// count 1` (columns mapped back). The scenario's statements are then dealt to the steps by line.
#include <algorithm>
#include <map>

#include "sim/core/text.hpp"
#include "sim/lesson/lesson.hpp"

namespace postino::lesson {
namespace {

using script::Diagnostic;
using script::TextLangs;
using script::Word;

const std::vector<std::string> kLessonWords = {"lesson", "story", "claims", "summary", "step", "task", "hint",
                                               "question", "choice", "feedback", "until", "when", "wrong",
                                               "solution"};

// What a line passed to the scenario parser is, in the lesson.
enum class Role { Plain, Until, When, Wrong, Solution };
struct LineRole {
  Role role = Role::Plain;
  std::size_t step = 0;  // index of the lesson step (steps.size() when before the first)
  int keyword_col = 0;   // Until/When/Wrong: where the keyword was (columns after it shift)
  int keyword_len = 0;
};

class LessonParser {
 public:
  explicit LessonParser(Parsed& out) : out_(out) {}

  // The line as the scenario parser should see it ("" for a lesson line).
  std::string line(std::string_view text, int no) {
    std::vector<Diagnostic> errors;
    auto words = script::split_line(text, no, errors);
    if (!words || words->empty()) {
      // A broken quote: the scenario parser says it (once) for lines it reads; lesson lines not.
      return std::string(text);
    }
    const Word& first = (*words)[0];
    const std::string kw = first.quoted ? std::string() : lower(first.text);
    Lesson& l = out_.lesson;
    auto here = [&]() -> Step* { return l.steps.empty() ? nullptr : &l.steps.back(); };
    auto err = [&](int col, std::string message, std::string suggestion = {}) {
      out_.errors.push_back({no, col, std::move(message), std::string(text), std::move(suggestion)});
    };
    // Reads the text after word `from` into `t`; remembers it for an en/it line and the check.
    auto text_from = [&](std::size_t from, script::Text& t) {
      TextLangs given;
      const int col = from < words->size() ? (*words)[from].column : static_cast<int>(text.size()) + 1;
      if (!script::read_text(*words, from, text, no, t, out_.errors, given)) return false;
      texts_.push_back({no, col, std::string(text), given});
      last_ = &t;
      return true;
    };

    if ((kw == "en" || kw == "it" || kw == "both") && last_) {  // the other language of the lesson text above
      TextLangs given = texts_.back().given;
      const TextLangs before = given;
      given.plain = false;
      if (script::read_text(*words, 0, text, no, *last_, out_.errors, given)) {
        texts_.back().given.en |= given.en && !before.en;
        texts_.back().given.it |= given.it && !before.it;
      }
      return {};
    }
    last_ = nullptr;
    if (std::find(kLessonWords.begin(), kLessonWords.end(), kw) == kLessonWords.end()) {
      if (kw == "title" || kw == "en" || kw == "it" || kw == "both" || kw.empty()) return std::string(text);
      // A setup line or an action: an action belongs to a step, before its task and question.
      const bool setup = kw == "server" || kw == "account" || kw == "device" || kw == "start";
      if (kw == "device" && words->size() > 1) devices_.push_back((*words)[1].text);
      const bool known = setup || kw == "say" || kw == "at" || kw == "after" || kw == "deliver" || kw == "backup" ||
                         kw == "restore" || kw == "wait" || kw == "expect" ||
                         std::find(devices_.begin(), devices_.end(), (*words)[0].text) != devices_.end();
      if (!known) {  // said here, with the lesson's words among the suggestions; the line is left out
        std::vector<std::string> words_known = kLessonWords;
        for (const char* w : {"title", "say", "at", "after", "deliver", "backup", "restore", "wait", "expect"}) words_known.push_back(w);
        words_known.insert(words_known.end(), devices_.begin(), devices_.end());
        err(first.column, "unknown statement or device \"" + first.text + "\"", script::closest_word(first.text, words_known));
        return {};
      }
      if (!setup) {
        if (!here()) err(first.column, "a lesson's actions and narration belong to a step: put a \"step\" line before this");
        else if (block_started_) err(first.column, "the step's actions and narration come before its task and question (a prediction's may follow it)");
        else roles_[no] = {Role::Plain, l.steps.size() - 1};
        last_block_ = Block::None;
      }
      return std::string(text);
    }

    if (kw == "lesson" || kw == "story") {
      if (words->size() > 1) err((*words)[1].column, "\"" + kw + "\" stands alone; the title goes on a title line");
      else if (!l.steps.empty()) err(first.column, "\"" + kw + "\" belongs at the top, before the first step");
      l.story = kw == "story";
      return {};
    }
    if (kw == "claims") {
      if (words->size() < 2) err(static_cast<int>(text.size()) + 1, "name the source's claims, e.g. claims S3 S9");
      for (std::size_t i = 1; i < words->size(); ++i) {
        const std::string c = upper((*words)[i].text);
        auto n = c.size() > 1 && c[0] == 'S' ? parse_decimal(std::string_view(c).substr(1)) : std::nullopt;
        if (!n || *n < 1 || *n > 14) err((*words)[i].column, "\"" + (*words)[i].text + "\" is not a claim of the source: S1 to S14");
        else l.claims.push_back(c);
      }
      return {};
    }
    if (kw == "summary") {
      text_from(1, l.summary);
      return {};
    }
    if (kw == "step") {
      l.steps.push_back({.line = no});
      block_started_ = false;
      last_block_ = Block::None;
      text_from(1, l.steps.back().title);
      return {};
    }
    Step* st = here();
    if (!st) {
      err(first.column, "\"" + kw + "\" belongs to a step: put a \"step\" line before it");
      return {};
    }
    if (kw == "task") {
      block_started_ = true;
      if (l.story) return err(first.column, "a support story has no tasks (it is shown, not done)"), std::string();
      if (st->task) return err(first.column, "this step already has a task (line " + std::to_string(st->task->line) + "): one per step"), std::string();
      st->task = Task{.line = no};
      text_from(1, st->task->text);
      last_block_ = Block::Task;
      return {};
    }
    if (kw == "question") {
      if (st->question)
        return err(first.column, "this step already has a question (line " + std::to_string(st->question->line) + "): one per step"), std::string();
      st->question = Question{.line = no};
      std::size_t i = 1;
      for (; i < words->size() && !(*words)[i].quoted; ++i) {
        const std::string w = lower((*words)[i].text);
        if (w == "predict") st->question->predict = true;
        else if (w == "multiple") st->question->multiple = true;
        else if (w == "en" || w == "it" || w == "both") break;
        else return err((*words)[i].column, "unknown question option \"" + (*words)[i].text + "\"", script::closest_word(w, {"predict", "multiple"})), std::string();
      }
      // A prediction is asked before the step's actions, which may follow it; the rest come after.
      if (!st->question->predict) block_started_ = true;
      else if (st->task) err(first.column, "a prediction comes before the step's task: its actions reveal the answer");
      text_from(i, st->question->text);
      last_block_ = Block::Question;
      return {};
    }
    if (kw == "choice") {
      if (!st->question || (last_block_ != Block::Question && last_block_ != Block::Choice))
        return err(first.column, "a choice belongs to a question: put it under the question line"), std::string();
      Choice c{.line = no};
      std::size_t i = 1;
      if (i < words->size() && !(*words)[i].quoted && iequals((*words)[i].text, "right")) {
        c.right = true;
        ++i;
      }
      st->question->choices.push_back(std::move(c));
      text_from(i, st->question->choices.back().text);
      last_block_ = Block::Choice;
      return {};
    }
    if (kw == "feedback") {
      script::Text* into = nullptr;
      if (last_block_ == Block::Choice && st->question && !st->question->choices.empty()) into = &st->question->choices.back().feedback;
      else if (last_block_ == Block::Wrong && st->task && !st->task->wrongs.empty()) into = &st->task->wrongs.back().feedback;
      if (!into) return err(first.column, "feedback belongs to a choice or a wrong line just above it"), std::string();
      if (!into->empty()) return err(first.column, "this already has its feedback"), std::string();
      text_from(1, *into);
      return {};
    }
    if (kw == "hint") {
      if (!st->task || (last_block_ != Block::Task && last_block_ != Block::Wrong))
        return err(first.column, "a hint belongs to a task: put it under the task line"), std::string();
      st->task->hints.emplace_back();
      text_from(1, st->task->hints.back());
      return {};
    }
    // Lines the scenario parser reads, as a condition or an action.
    const bool task_line = kw == "until" || kw == "wrong" || kw == "solution";
    if (task_line && (!st->task || (last_block_ != Block::Task && last_block_ != Block::Wrong)))
      return err(first.column, "\"" + kw + "\" belongs to a task: put it under the task line"), std::string();
    if (kw == "when" && (!st->question || last_block_ != Block::Choice))
      return err(first.column, "\"when\" says what the world shows when a choice is true: put it under the choice"), std::string();
    if (words->size() < 2) return err(static_cast<int>(text.size()) + 1, "\"" + kw + "\" needs " + (kw == "solution" ? "an action" : "a condition")), std::string();
    const std::size_t at = static_cast<std::size_t>(first.column - 1);
    LineRole r{.step = l.steps.size() - 1, .keyword_col = first.column, .keyword_len = static_cast<int>(kw.size())};
    ++task_lines_[{st->task->line, kw}];
    if (kw == "solution") {
      r.role = Role::Solution;
      roles_[no] = r;
      const std::string second = lower((*words)[1].text);
      if (second == "say" || second == "expect")
        return err((*words)[1].column, "a solution is what the learner does: an action, not \"" + second + "\""), std::string();
      return std::string(text.substr(0, at)) + std::string(kw.size(), ' ') + std::string(text.substr(at + kw.size()));
    }
    r.role = kw == "until" ? Role::Until : kw == "when" ? Role::When : Role::Wrong;
    if (r.role == Role::Wrong) {
      st->task->wrongs.push_back({.line = no});
      last_block_ = Block::Wrong;
    }
    roles_[no] = r;
    return std::string(text.substr(0, at)) + "expect" + std::string(text.substr(at + kw.size()));
  }

  // Columns of errors on rewritten lines are the original line's.
  void map_back(std::vector<Diagnostic>& ds, const std::vector<std::string>& original) {
    for (Diagnostic& d : ds) {
      if (d.line < 1 || static_cast<std::size_t>(d.line) > original.size()) continue;
      d.source_line = original[static_cast<std::size_t>(d.line - 1)];
      auto it = roles_.find(d.line);
      if (it == roles_.end() || it->second.role == Role::Solution || it->second.role == Role::Plain) continue;
      const LineRole& r = it->second;
      const int shift = 6 - r.keyword_len;  // "expect" in place of the keyword
      if (d.column >= r.keyword_col + 6) d.column -= shift;
      else if (d.column > r.keyword_col) d.column = r.keyword_col;
    }
  }

  // Deals the scenario's statements to the steps.
  void deal(script::Scenario& s) {
    Lesson& l = out_.lesson;
    for (script::Step& st : s.steps) {
      auto it = roles_.find(st.line);
      if (it == roles_.end() || l.steps.empty()) continue;  // errors said so
      Step& step = l.steps[std::min(it->second.step, l.steps.size() - 1)];
      switch (it->second.role) {
        case Role::Plain:
          if (auto* say = std::get_if<script::Say>(&st.what)) step.narration.push_back(say->text);
          else step.actions.push_back(std::move(st));
          break;
        case Role::Solution: step.task->solution.push_back(std::move(st)); break;
        case Role::Until:
          step.task->until.push_back({st.line, std::get<script::Expectation>(st.what)});
          break;
        case Role::Wrong:
          for (Wrong& w : step.task->wrongs)
            if (w.line == st.line) w.when.push_back({st.line, std::get<script::Expectation>(st.what)});
          break;
        case Role::When: {  // the nearest choice above the line
          Choice* c = nullptr;
          for (Choice& d : step.question->choices)
            if (d.line < st.line) c = &d;
          if (c) c->when.push_back({st.line, std::get<script::Expectation>(st.what)});
          break;
        }
      }
    }
    s.steps.clear();
  }

  // Say lines of a step in a lesson are its narration; they are read by the scenario parser,
  // which keeps them in order with the actions.
  void finish(const std::vector<Diagnostic>& monolingual, const std::vector<std::string>& original) {
    Lesson& l = out_.lesson;
    auto err = [&](int line, std::string message) {
      const std::string& src = original[static_cast<std::size_t>(line - 1)];
      const std::size_t col = src.find_first_not_of(" \t");
      out_.errors.push_back({line, col == std::string::npos ? 1 : static_cast<int>(col) + 1, std::move(message), src, {}});
    };
    for (const PendingText& t : texts_)
      if (!t.given.both())
        out_.errors.push_back({t.line, t.column, "this text is in one language only: a lesson gives every text in English and Italian (en \"...\" it \"...\")", t.source, {}});
    out_.errors.insert(out_.errors.end(), monolingual.begin(), monolingual.end());
    if (l.steps.empty()) err(1, "a lesson needs at least one step (step en \"...\" it \"...\")");
    for (const Step& st : l.steps) {
      if (const auto& t = st.task) {
        // (A line that is there but wrong has its own error.)
        if (!task_lines_.count({t->line, "until"})) err(t->line, "this task has no \"until\" line: say when it is done");
        if (!task_lines_.count({t->line, "solution"})) err(t->line, "this task has no \"solution\" line: what would the learner do?");
        if (t->hints.empty()) err(t->line, "this task has no \"hint\" line");
        for (const Wrong& w : t->wrongs)
          if (w.feedback.empty()) err(w.line, "this wrong move has no \"feedback\" line under it");
      }
      if (const auto& q = st.question) {
        const auto right = std::count_if(q->choices.begin(), q->choices.end(), [](const Choice& c) { return c.right; });
        if (q->choices.size() < 2) err(q->line, "a question needs at least two choices");
        else if (right == 0) err(q->line, "no choice of this question is marked right (choice right en \"...\")");
        else if (right > 1 && !q->multiple) err(q->line, "several choices are right: write \"question multiple\"");
        const bool checked = std::any_of(q->choices.begin(), q->choices.end(), [](const Choice& c) { return !c.when.empty(); });
        if (q->predict && !checked)
          err(q->line, "a prediction is checked against the simulation: put a \"when\" line under its right choice");
        if (q->predict && st.actions.empty())
          err(q->line, "a prediction is revealed by the step's actions, and this step has none");
      }
    }
  }

 private:
  struct PendingText {
    int line, column;
    std::string source;
    TextLangs given;
  };
  enum class Block { None, Task, Wrong, Question, Choice };

  Parsed& out_;
  std::vector<PendingText> texts_;
  script::Text* last_ = nullptr;  // the lesson text an en/it line adds to
  Block last_block_ = Block::None;
  bool block_started_ = false;    // the step's task or question has begun
  std::map<int, LineRole> roles_;
  std::map<std::pair<int, std::string>, int> task_lines_;  // (task line, until/solution/wrong): how many
  std::vector<std::string> devices_;
};

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    lines.emplace_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return lines;
}

}  // namespace

bool is_lesson(std::string_view text) {
  for (const std::string& line : split_lines(text)) {
    std::vector<Diagnostic> ignored;
    auto words = script::split_line(line, 0, ignored);
    if (!words || words->empty() || (*words)[0].quoted) continue;
    const std::string kw = lower((*words)[0].text);
    if (kw == "step" || kw == "lesson" || kw == "story") return true;
  }
  return false;
}

Parsed parse(std::string_view text) {
  Parsed out;
  LessonParser lp(out);
  const std::vector<std::string> original = split_lines(text);
  std::string scenario_text;
  int no = 0;
  for (const std::string& line : original) {
    scenario_text += lp.line(line, ++no);
    scenario_text += '\n';
  }
  script::Parsed s = script::parse(scenario_text);
  lp.map_back(s.errors, original);
  lp.map_back(s.monolingual, original);
  out.errors.insert(out.errors.end(), s.errors.begin(), s.errors.end());
  lp.deal(s.scenario);
  out.lesson.setup = std::move(s.scenario);
  lp.finish(s.monolingual, original);
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (out.errors.size() > 20) out.errors.resize(20);
  return out;
}

}  // namespace postino::lesson
