#pragma once
// Lessons and support stories (lessons/FORMAT.md, "Lessons"): a scenario with a learner in it.
// A lesson is a list of steps; each has a title, narration, the actions that play when it begins,
// and at most one task (a condition on the world the learner must make true, with hints and a
// solution) and one question (single or multiple choice, or a prediction asked before the step's
// actions play). Every text exists in English and Italian.
//
// The engine is sans-IO and owns no world: the host (the window, or `postino run --solve`) plays
// the actions the engine hands out on its own script::Player, then shows the engine the world it
// has. A Run never changes once a step is done, so the window can redraw from it every frame.
//
//   lesson::Run run(lesson);
//   for (;;) switch (run.phase()) {
//     case Phase::Predict: ...show run.question(); run.answer({k}, world) ...
//     case Phase::Play:    host plays run.actions(); run.played(world)
//     case Phase::Task:    learner acts; run.update(world) every time the world changed
//     case Phase::Question: run.answer({k}, world)
//     case Phase::Done:    run.next() (run.finished() after the last step: run.summary())
//   }
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/lang.hpp"
#include "sim/script/scenario.hpp"

namespace postino::lesson {

using script::Text;

// A condition on the world: the vocabulary of `expect` (script::Expectation), with its line.
struct Condition {
  int line = 0;
  script::Expectation what;
};

// A recognisable wrong move while a task waits ("you deleted it instead of moving it").
struct Wrong {
  int line = 0;
  std::vector<Condition> when;  // all hold: the learner did that
  Text feedback;
};

struct Task {
  int line = 0;
  Text text;                        // "Open the message on the phone"
  std::vector<Condition> until;     // all hold: done
  std::vector<Text> hints;          // shown one by one, on request or after a while
  std::vector<script::Step> solution;  // what a learner would click, as scenario statements
  std::vector<Wrong> wrongs;
};

struct Choice {
  int line = 0;
  Text text;
  Text feedback;                 // shown when this choice is picked (may be empty)
  bool right = false;            // the answer key
  std::vector<Condition> when;   // what the world shows when this choice is true (optional)
};

struct Question {
  int line = 0;
  Text text;
  bool predict = false;   // asked before the step's actions play, revealed by them
  bool multiple = false;  // several choices may be right; the answer must pick exactly those
  std::vector<Choice> choices;
};

struct Step {
  int line = 0;
  Text title;
  std::vector<Text> narration;         // paragraphs (the step's `say` lines)
  std::vector<script::Step> actions;   // played when the step begins (after a prediction)
  std::optional<Task> task;
  std::optional<Question> question;
};

struct Lesson {
  bool story = false;                  // a support story: no tasks, for a presenter
  script::Scenario setup;              // title, server, accounts, devices; no statements
  Text summary;                        // what was learned, shown at the end
  std::vector<std::string> claims;     // "S3", "S9": the source's claims it shows
  std::vector<Step> steps;
};

struct Parsed {
  Lesson lesson;
  std::vector<script::Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};
// Reads a lesson or story (a scenario file with `step` lines). Every text a reader sees must
// exist in both languages: a missing one is an error with its line and column.
Parsed parse(std::string_view text);
// True when the text is a lesson or story (has a `lesson`, `story` or `step` line), not a plain
// scenario.
bool is_lesson(std::string_view text);

// What the learner is asked for now.
enum class Phase {
  Predict,   // the step's question is a prediction: answer before the actions play
  Play,      // the host must play actions() and then call played()
  Task,      // waiting until the task's condition holds (update())
  Question,  // waiting for an answer to question()
  Done,      // the step is complete: next() may go on
};

struct Feedback {
  bool right = false;
  Text text;           // the chosen answers' feedback, or a general word when none is written
  // The choices that were right (see answer()). A prediction answered before the reveal: whether
  // the world then agreed with the key is known after played(); consistent() says it.
  std::vector<std::size_t> right_choices;
};

// A learner's way through a lesson. `lesson` must outlive the run.
class Run {
 public:
  explicit Run(const Lesson& lesson);

  std::size_t step_index() const { return viewing_; }  // 0-based, the step shown
  std::size_t step_count() const { return lesson_->steps.size(); }
  std::size_t reached() const { return current_; }     // the step the learner works on
  const Step& step() const { return lesson_->steps[viewing_]; }
  const std::string& title(Lang l) const { return step().title.in(l); }
  std::vector<std::string> narration(Lang l) const;
  Phase phase() const;  // of the step shown (Done for a step reviewed with previous())

  // Phase::Play: the statements the host plays now (once), then tells played().
  const std::vector<script::Step>& actions() const { return lesson_->steps[current_].actions; }
  void played(const world::World& w);

  // The task, if the step has one; empty text when none.
  const Task* task() const { return step().task ? &*step().task : nullptr; }
  bool condition_met(const world::World& w) const;  // the shown step's task is complete in `w`
  // Phase::Task: the task is done once its condition holds; a wrong move's feedback is kept.
  void update(const world::World& w);
  // The feedback for a recognised wrong move since the task began, if any (empty otherwise).
  const Text* wrong_feedback() const { return wrong_; }
  // Hints: how many are shown; ask for the next, or let the host say the learner has waited
  // `seconds` more (a hint appears every kHintAfterSeconds of waiting).
  static constexpr double kHintAfterSeconds = 60;
  std::size_t hints_shown() const { return hints_shown_; }
  std::string hint(Lang l, std::size_t k) const;  // k < hints_shown()
  void more_hint();
  void waited(double seconds);

  // The step's question (Predict or Question phase, and after it was answered).
  const Question* question() const { return step().question ? &*step().question : nullptr; }
  // Answers the question with the choices picked (indices). Right or wrong, the feedback says
  // so; a wrong answer may be tried again. A prediction is graded by the key; in Phase::Question
  // a choice with `when` conditions is right when they hold in `w`, the world the learner is
  // looking at (the window's, at its cursor: not one played further), and the others by the key.
  // Played as written, the two agree (consistent(); `postino run --solve` checks it).
  Feedback answer(const std::vector<std::size_t>& chosen, const world::World& w);
  const std::optional<Feedback>& last_answer() const { return answer_; }
  // Whether the key agrees with the world: the right choices' `when` conditions hold and the
  // wrong ones' do not (for a prediction, in the world after the reveal). nullopt: no condition
  // to compare with. A lesson whose key disagrees is broken: `postino run --solve` fails.
  std::optional<bool> consistent(const world::World& w) const;

  // Moves between steps: next() only from Done (or while reviewing); previous() reviews an
  // earlier step (read only), next() comes back.
  bool can_next() const;
  void next();
  bool can_previous() const { return viewing_ > 0; }
  void previous();
  bool finished() const { return finished_; }

  struct Summary {
    std::string text;                  // the lesson's summary in the language
    std::vector<std::string> claims;   // "S3", "S9"
    std::size_t steps = 0, tasks = 0, questions = 0, right_first_time = 0;
  };
  Summary summary(Lang l) const;

 private:
  void enter(std::size_t k);  // the learner starts step k
  const Lesson* lesson_;
  std::size_t current_ = 0, viewing_ = 0;
  bool predicted_ = false, played_ = false, task_done_ = false, answered_ = false;
  bool finished_ = false;
  const Text* wrong_ = nullptr;
  std::size_t hints_shown_ = 0;
  double waited_ = 0;
  std::optional<Feedback> answer_;
  std::size_t tries_ = 0, right_first_time_ = 0;
};

// Whether a condition holds in `w`, with what was seen (world::describe_check says it).
world::Event evaluate(const world::World& w, const Condition& c);

// `postino run --solve`: plays every step, the task's solutions and the right answers, on a
// script::Player. Ok when every task completes (and was not complete before the solution), every
// `expect` holds and every key agrees with the world. `log` gets one line per step in `lang`.
struct SolveProblem {
  int line = 0;          // the task's, question's or expectation's line
  std::string message;   // "step 3 \"Title\": the task cannot be completed: ..." (English)
};
struct SolveResult {
  std::vector<SolveProblem> problems;
  std::string log;
  bool ok() const { return problems.empty(); }
};
SolveResult solve(const Lesson& lesson, Lang lang);

// The lesson as a plain scenario, played as solve() plays it: each step's title and narration
// as `say`, its actions, its task's solution. `postino run LESSON` prints its transcript; a window
// without the lesson panel can show it as a demo.
script::Scenario walkthrough(const Lesson& lesson);

}  // namespace postino::lesson
