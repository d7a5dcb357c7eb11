// The lesson panel: the step the learner is on (its narration, task, hints and question), the way
// between steps, and the summary at the end. It reads the App's lesson::Run and returns intents.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/narrate.hpp"

namespace postino::gui {
namespace {

void wrapped(ImU32 colour, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void heading(const std::string& text) {
  ImGui::PushFont(fonts().bold);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopFont();
}

// The question, its choices (picked by the learner, kept per step) and what the answer got.
// `playing`: the story is still playing on; a question about what happened waits for it, as it
// is checked against the world at the cursor.
Intent draw_question(const lesson::Run& run, const lesson::Question& q, std::vector<bool>& picked, bool playing) {
  Intent out;
  const lesson::Phase ph = run.phase();
  const bool open = ph == lesson::Phase::Predict || ph == lesson::Phase::Question;
  picked.resize(q.choices.size(), false);
  ImGui::Spacing();
  heading(q.text.in(lang()));
  if (q.multiple) ImGui::TextDisabled("%s", tr("More than one answer may be right."));
  const auto& answer = run.last_answer();
  ImGui::BeginDisabled(!open);
  for (std::size_t k = 0; k < q.choices.size(); ++k) {
    const lesson::Choice& c = q.choices[k];
    ImGui::PushID(static_cast<int>(k));
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x + ImGui::GetCursorPosX() - em());
    if (q.multiple) {
      bool on = picked[k];
      if (ImGui::Checkbox("##c", &on)) picked[k] = on;
    } else if (ImGui::RadioButton("##c", picked[k])) {
      picked.assign(picked.size(), false);
      picked[k] = true;
    }
    ImGui::SameLine();
    ImGui::TextWrapped("%s", c.text.in(lang()).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopID();
  }
  ImGui::EndDisabled();
  // What each picked choice says, once the answer was checked.
  if (answer) {
    for (std::size_t k = 0; k < q.choices.size(); ++k) {
      // Right as the answer found it: what the world at the cursor showed, for a question about it.
      const bool right = std::find(answer->right_choices.begin(), answer->right_choices.end(), k) != answer->right_choices.end();
      if (picked[k] && !q.choices[k].feedback.in(lang()).empty())
        wrapped(right ? tone_colour(Tone::Safe) : colour::danger(),
                (right ? std::string(icon::kCheck) : std::string(icon::kCross)) + " " + q.choices[k].feedback.in(lang()));
    }
    if (answer->right) wrapped(tone_colour(Tone::Safe), std::string(icon::kCheck) + " " + tr("Right!"));
    else if (q.predict) wrapped(colour::danger(), tr("Not what happens: watch the network."));
    else wrapped(colour::danger(), tr("Not quite: try again."));
  }
  if (open) {
    bool any = false;
    for (bool b : picked) any |= b;
    const bool wait = playing && ph == lesson::Phase::Question;
    ImGui::BeginDisabled(!any || wait);
    if (ImGui::Button(tr("Check answer"))) {
      out.kind = Intent::Kind::LessonAnswer;
      for (std::size_t k = 0; k < picked.size(); ++k)
        if (picked[k]) out.choices.push_back(k);
    }
    ImGui::EndDisabled();
    if (wait) wrapped(colour::muted(), tr("Answer once it has played: the answer is about what the window shows."));
  }
  return out;
}

}  // namespace

Intent draw_lesson(const App& app) {
  Intent out;
  const lesson::Lesson* les = app.current_lesson();
  const lesson::Run* run = app.lesson_run();
  const char* name = les && les->story ? tr("Story") : tr("Lesson");
  begin_panel(std::string(name) + "###Lesson");
  if (!les || !run || les->steps.empty()) {
    ImGui::End();
    return out;
  }
  // The learner's picks, per step; forgotten when another lesson is loaded.
  static std::uint64_t run_id = 0;
  static std::vector<std::vector<bool>> picked;
  if (run_id != app.run_id() || picked.size() != run->step_count()) {
    run_id = app.run_id();
    picked.assign(run->step_count(), {});
  }
  // The transcript is this panel's other tab (drawn by the window in its place).
  if (ImGui::BeginTabBar("lesson")) {
    if (ImGui::BeginTabItem((std::string(name) + "###lessontab").c_str())) ImGui::EndTabItem();
    if (ImGui::TabItemButton((std::string(tr("Transcript")) + "###totranscript").c_str())) prefs().lesson_transcript = true;
    ImGui::EndTabBar();
  }
  const float buttons = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("step", {0, -buttons});
  if (run->finished()) {
    const lesson::Run::Summary s = run->summary(lang());
    heading(std::string(icon::kCheck) + " " + (les->story ? tr("The story is over") : tr("Lesson complete")));
    ImGui::Spacing();
    ImGui::TextWrapped("%s", s.text.c_str());
    ImGui::Spacing();
    if (!s.claims.empty()) {
      std::string claims;
      for (const std::string& c : s.claims) claims += (claims.empty() ? "" : ", ") + c;
      ImGui::TextDisabled("%s %s", tr("What it showed of the guide:"), claims.c_str());
    }
    // Singular and plural as each language has them ("1 compito svolto", "2 compiti svolti").
    const bool it = lang() == Lang::It;
    char right[96];
    std::snprintf(right, sizeof right, tr("%zu of %zu right the first time"), s.right_first_time, s.questions);
    const std::string line = world::count_of(s.steps, lang(), it ? "passo" : "step", it ? "passi" : "steps") + ", " +
                             world::count_of(s.tasks, lang(), it ? "compito svolto" : "task done", it ? "compiti svolti" : "tasks done") +
                             ", " + world::count_of(s.questions, lang(), it ? "domanda" : "question", it ? "domande" : "questions") +
                             ": " + right;
    ImGui::TextDisabled("%s", line.c_str());
    ImGui::EndChild();
    ImGui::End();
    return out;
  }
  char of[64];
  std::snprintf(of, sizeof of, tr("Step %zu of %zu"), run->step_index() + 1, run->step_count());
  ImGui::TextDisabled("%s", of);
  if (run->step_index() < run->reached()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", tr("a step already done"));
  }
  heading(run->title(lang()));
  ImGui::Spacing();
  for (const std::string& p : run->narration(lang())) {
    ImGui::TextWrapped("%s", p.c_str());
    ImGui::Spacing();
  }
  const lesson::Phase ph = run->phase();
  if (const lesson::Task* t = run->task()) {
    ImGui::Separator();
    const bool done = ph != lesson::Phase::Task && ph != lesson::Phase::Play && ph != lesson::Phase::Predict;
    ImGui::PushFont(fonts().bold);
    ImGui::TextColored(ImColor(done ? tone_colour(Tone::Safe) : colour::story()), "%s", done ? icon::kCheck : icon::kSquare);
    ImGui::SameLine();
    ImGui::TextWrapped("%s", t->text.in(lang()).c_str());
    ImGui::PopFont();
    if (ph == lesson::Phase::Task) {
      if (const lesson::Text* w = run->wrong_feedback()) wrapped(colour::danger(), w->in(lang()));
      for (std::size_t k = 0; k < run->hints_shown(); ++k)
        wrapped(colour::muted(), std::string(tr("Hint")) + " " + std::to_string(k + 1) + ": " + run->hint(lang(), k));
      if (run->hints_shown() < t->hints.size() && ImGui::SmallButton(tr("Show a hint"))) out.kind = Intent::Kind::LessonHint;
    } else if (done) {
      wrapped(tone_colour(Tone::Safe), tr("Done."));
    }
  }
  if (const lesson::Question* q = run->question())
    if (ph != lesson::Phase::Task && ph != lesson::Phase::Play) {
      ImGui::Separator();
      const Intent a = draw_question(*run, *q, picked[run->step_index()], app.playing());
      if (a.kind != Intent::Kind::None) out = a;
    }
  ImGui::EndChild();
  // Between steps.
  ImGui::BeginDisabled(!run->can_previous());
  if (ImGui::Button(tr("Previous"))) out.kind = Intent::Kind::LessonPrevious;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!run->can_next());
  const bool last = run->step_index() + 1 >= run->step_count();
  if (ImGui::Button(last ? tr("Finish") : tr("Next"))) out.kind = Intent::Kind::LessonNext;
  ImGui::EndDisabled();
  if (!run->can_next() && ph == lesson::Phase::Task) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("Do the task to go on"));
  } else if (!run->can_next() && ph == lesson::Phase::Question) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("Answer to go on"));
  }
  ImGui::End();
  return out;
}

}  // namespace postino::gui
