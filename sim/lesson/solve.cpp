// `postino run --solve`: the learner who does everything right, to prove a lesson completable
// and its answer keys true to the simulation.
#include <algorithm>

#include "sim/lesson/lesson.hpp"
#include "sim/world/narrate.hpp"

namespace postino::lesson {

SolveResult solve(const Lesson& lesson, Lang lang) {
  SolveResult out;
  const bool it = lang == Lang::It;
  script::Scenario played = lesson.setup;  // the statements grow as the learner goes
  played.steps.clear();
  script::Player player(played);
  std::size_t outcomes_seen = 0;
  Run run(lesson);

  // Plays statements at the end of the story, as the window appends a learner's clicks.
  auto play = [&](const std::vector<script::Step>& steps) {
    played.steps.insert(played.steps.end(), steps.begin(), steps.end());
    player.run_until();
  };
  for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
    const Step& st = lesson.steps[k];
    const std::string name = "step " + std::to_string(k + 1) + " \"" + st.title.in(Lang::En) + "\"";
    auto problem = [&](int line, const std::string& what) { out.problems.push_back({line, name + ": " + what}); };
    // Expectations (and a solution naming a message that is not there) failed on the way.
    auto failed_checks = [&] {
      for (; outcomes_seen < player.outcomes().size(); ++outcomes_seen) {
        const script::Outcome& o = player.outcomes()[outcomes_seen];
        if (!o.passed) problem(o.line, "expectation failed: " + world::describe_check(o.check, Lang::En));
      }
    };
    auto right_choices = [&] {
      std::vector<std::size_t> r;
      for (std::size_t i = 0; i < st.question->choices.size(); ++i)
        if (st.question->choices[i].right) r.push_back(i);
      return r;
    };
    auto key_agrees = [&] {
      if (run.consistent(player.world()) == false)
        problem(st.question->line, "the answer key disagrees with the simulation: " + [&] {
          std::string seen;
          for (const Choice& c : st.question->choices)
            for (const Condition& cond : c.when)
              seen += std::string(seen.empty() ? "" : "; ") + "choice \"" + c.text.in(Lang::En) + "\"" +
                      (c.right ? " (right)" : "") + ": " + world::describe_check(evaluate(player.world(), cond), Lang::En);
          return seen;
        }());
    };

    out.log += (it ? "passo " : "step ") + std::to_string(k + 1) + "/" + std::to_string(lesson.steps.size()) + "  " +
               st.title.in(lang) + "\n";
    if (run.phase() == Phase::Predict) run.answer(right_choices(), player.world());
    if (run.phase() == Phase::Play) {
      play(st.actions);
      run.played(player.world());
      failed_checks();
    }
    if (st.question && st.question->predict) {
      key_agrees();
      out.log += std::string(it ? "  previsione: " : "  prediction: ") + st.question->text.in(lang) + " -> " +
                 st.question->choices[right_choices().front()].text.in(lang) + "\n";
    }
    if (st.task) {
      const Task& t = *st.task;
      if (run.phase() == Phase::Done || run.condition_met(player.world()))
        problem(t.line, "the task is complete before the learner does anything");
      auto holds = [&](const Wrong& w) {
        return std::all_of(w.when.begin(), w.when.end(), [&](const Condition& c) { return evaluate(player.world(), c).ok; });
      };
      for (const Wrong& w : t.wrongs)
        if (holds(w)) problem(w.line, "this wrong move is recognised before the learner does anything");
      play(t.solution);
      failed_checks();
      run.update(player.world());
      if (!run.condition_met(player.world())) {
        std::string why;
        for (const Condition& c : t.until)
          if (auto e = evaluate(player.world(), c); !e.ok) why += (why.empty() ? "" : "; ") + world::describe_check(e, Lang::En);
        problem(t.line, "the task cannot be completed: after its solution, " + why);
        out.log += std::string(it ? "  compito NON completato: " : "  task NOT completed: ") + t.text.in(lang) + "\n";
        return out;  // the steps after it would start from a world the lesson does not expect
      }
      for (const Wrong& w : t.wrongs)
        if (holds(w)) problem(w.line, "the solution itself is recognised as this wrong move");
      out.log += std::string(it ? "  compito fatto: " : "  task done: ") + t.text.in(lang) + "\n";
    }
    if (run.phase() == Phase::Question) {
      key_agrees();
      const Feedback f = run.answer(right_choices(), player.world());
      if (!f.right) problem(st.question->line, "the right answer was not accepted");
      out.log += std::string(it ? "  domanda: " : "  question: ") + st.question->text.in(lang) + " -> " +
                 st.question->choices[right_choices().front()].text.in(lang) + "\n";
    }
    if (!run.can_next()) {
      problem(st.line, "the step cannot be finished");
      return out;
    }
    run.next();
  }
  if (!run.finished()) out.problems.push_back({lesson.steps.empty() ? 1 : lesson.steps.back().line, "the lesson does not finish"});
  const Run::Summary s = run.summary(lang);
  out.log += (it ? "fine: " : "end: ") + s.text + "\n";
  if (!s.claims.empty()) {
    out.log += it ? "affermazioni mostrate:" : "claims shown:";
    for (const std::string& c : s.claims) out.log += " " + c;
    out.log += "\n";
  }
  return out;
}

script::Scenario walkthrough(const Lesson& lesson) {
  script::Scenario s = lesson.setup;
  s.steps.clear();
  for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
    const Step& st = lesson.steps[k];
    const std::string n = std::to_string(k + 1);
    auto say = [&](const Text& t, int line) { s.steps.push_back({.line = line, .what = script::Say{t}}); };
    say(Text("Step " + n + ": " + st.title.in(Lang::En), "Passo " + n + ": " + st.title.in(Lang::It)), st.line);
    for (const Text& t : st.narration) say(t, st.line);
    s.steps.insert(s.steps.end(), st.actions.begin(), st.actions.end());
    if (st.task) s.steps.insert(s.steps.end(), st.task->solution.begin(), st.task->solution.end());
  }
  return s;
}

}  // namespace postino::lesson
