// A learner's way through a lesson: which step, which phase, answers and hints.
#include <algorithm>

#include "sim/lesson/lesson.hpp"

namespace postino::lesson {

world::Event evaluate(const world::World& w, const Condition& c) {
  world::Event e = script::evaluate(w, c.what);
  e.kind = world::EventKind::Check;
  e.line = c.line;
  return e;
}

namespace {

bool all_hold(const world::World& w, const std::vector<Condition>& cs) {
  return std::all_of(cs.begin(), cs.end(), [&](const Condition& c) { return evaluate(w, c).ok; });
}

}  // namespace

Run::Run(const Lesson& lesson) : lesson_(&lesson) {
  if (!lesson.steps.empty()) enter(0);
  else finished_ = true;
}

void Run::enter(std::size_t k) {
  current_ = viewing_ = k;
  const Step& s = lesson_->steps[k];
  predicted_ = !(s.question && s.question->predict);
  played_ = s.actions.empty();
  task_done_ = !s.task;
  answered_ = !s.question || s.question->predict;
  wrong_ = nullptr;
  hints_shown_ = 0;
  waited_ = 0;
  answer_.reset();
  tries_ = 0;
}

std::vector<std::string> Run::narration(Lang l) const {
  std::vector<std::string> out;
  for (const Text& t : step().narration) out.push_back(t.in(l));
  return out;
}

Phase Run::phase() const {
  if (finished_ || viewing_ < current_) return Phase::Done;
  if (!predicted_) return Phase::Predict;
  if (!played_) return Phase::Play;
  if (!task_done_) return Phase::Task;
  if (!answered_) return Phase::Question;
  return Phase::Done;
}

void Run::played(const world::World& w) {
  if (phase() != Phase::Play) return;
  played_ = true;
  update(w);
}

bool Run::condition_met(const world::World& w) const {
  const Step& s = lesson_->steps[current_];
  return s.task && all_hold(w, s.task->until);
}

void Run::update(const world::World& w) {
  if (phase() != Phase::Task) return;
  const Task& t = *lesson_->steps[current_].task;
  if (condition_met(w)) {
    task_done_ = true;
    wrong_ = nullptr;
    return;
  }
  for (const Wrong& wr : t.wrongs)
    if (all_hold(w, wr.when)) wrong_ = &wr.feedback;
}

std::string Run::hint(Lang l, std::size_t k) const {
  const Task* t = task();
  return t && k < t->hints.size() && k < hints_shown_ ? t->hints[k].in(l) : std::string();
}

void Run::more_hint() {
  const Step& s = lesson_->steps[current_];
  if (s.task && hints_shown_ < s.task->hints.size()) ++hints_shown_;
}

void Run::waited(double seconds) {
  if (phase() != Phase::Task) return;
  waited_ += seconds;
  const std::size_t n = lesson_->steps[current_].task->hints.size();
  while (hints_shown_ < n && waited_ >= kHintAfterSeconds * static_cast<double>(hints_shown_ + 1)) ++hints_shown_;
}

Feedback Run::answer(const std::vector<std::size_t>& chosen, const world::World& w) {
  Feedback f;
  const Phase ph = phase();
  const Step& s = lesson_->steps[current_];
  if ((ph != Phase::Predict && ph != Phase::Question) || !s.question) return f;
  const Question& q = *s.question;
  // A prediction is graded by the key (nothing shows the answer yet); a question about what
  // happened by what `w`, the world the learner is looking at, shows where a choice says (`when`).
  for (std::size_t i = 0; i < q.choices.size(); ++i)
    if ((ph == Phase::Predict || q.choices[i].when.empty()) ? q.choices[i].right : all_hold(w, q.choices[i].when))
      f.right_choices.push_back(i);
  std::vector<std::size_t> picked;
  for (std::size_t i : chosen)
    if (i < q.choices.size()) picked.push_back(i);
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  f.right = picked == f.right_choices;
  for (std::size_t i : picked) {
    const Text& fb = q.choices[i].feedback;
    if (fb.empty()) continue;
    for (auto [into, l] : {std::pair{&f.text.en, Lang::En}, std::pair{&f.text.it, Lang::It}})
      *into += (into->empty() ? "" : " ") + fb.in(l);
  }
  if (f.text.empty())
    f.text = f.right ? Text("Right.", "Giusto.") : Text("Not quite: look again and try another answer.",
                                                         "Non proprio: guarda di nuovo e prova un'altra risposta.");
  if (++tries_ == 1 && f.right) ++right_first_time_;
  if (ph == Phase::Predict) predicted_ = true;  // a prediction is revealed by playing on, right or not
  else if (f.right) answered_ = true;
  answer_ = f;
  return f;
}

std::optional<bool> Run::consistent(const world::World& w) const {
  const Step& s = lesson_->steps[current_];
  if (!s.question) return std::nullopt;
  std::optional<bool> out;
  for (const Choice& c : s.question->choices) {
    if (c.when.empty()) continue;
    const bool holds = all_hold(w, c.when);
    out = out.value_or(true) && holds == c.right;
  }
  return out;
}

bool Run::can_next() const { return !finished_ && (viewing_ < current_ || phase() == Phase::Done); }

void Run::next() {
  if (!can_next()) return;
  if (viewing_ < current_) {
    ++viewing_;
    return;
  }
  if (current_ + 1 < lesson_->steps.size()) enter(current_ + 1);
  else finished_ = true;
}

void Run::previous() {
  if (viewing_ > 0) --viewing_;
}

Run::Summary Run::summary(Lang l) const {
  Summary s{.text = lesson_->summary.in(l), .claims = lesson_->claims, .steps = lesson_->steps.size()};
  for (const Step& st : lesson_->steps) {
    s.tasks += st.task ? 1 : 0;
    s.questions += st.question ? 1 : 0;
  }
  s.right_first_time = right_first_time_;
  return s;
}

}  // namespace postino::lesson
