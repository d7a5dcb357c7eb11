// Play, pause, step, step back (a replay), speed, the simulated clock, and a slider over the run.
#include <algorithm>
#include <cstdio>
#include <utility>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"

namespace postino::gui {

Intent draw_timeline(const App& app, const PairState* pair) {
  Intent intent;
  begin_panel("###Timeline", ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  const auto& trace = app.trace();
  const float b = 2.4f * em();
  auto button = [&](const char* label, Intent::Kind k, const char* tip) {
    if (ImGui::Button(label, {b, b})) intent = {k};
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(tip));
    ImGui::SameLine();
  };
  button(icon::kFirst, Intent::Kind::First, "Back to the start");
  button(icon::kStepB, Intent::Kind::StepBack, "One line back (Left arrow)");
  if (pair ? pair->playing : app.playing()) button(icon::kPause, Intent::Kind::Pause, "Pause (Space)");
  else button(icon::kPlay, Intent::Kind::Play, "Play (Space)");
  button(icon::kStepF, Intent::Kind::StepForward, "One line forward (Right arrow)");
  button(icon::kLast, Intent::Kind::Last, "To the end");
  if (ImGui::Button(tr("Skip quiet time"))) intent = {Intent::Kind::NextChange};
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("To the next thing that changes: mail, folders, flags, a device, the story (S). N: next narration, Shift+N: the previous one."));
  ImGui::SameLine();
  const Time shown = pair ? pair->clock : trace.empty() ? 0 : trace[app.cursor()].sent;
  const std::string day = trace.empty() ? "" : world::format_when(shown, lang()).substr(0, 10);
  const std::string clock = trace.empty() ? "" : world::format_time(shown).substr(11);
  ImGui::PushFont(fonts().bold);
  ImGui::TextUnformatted(day.c_str());
  ImGui::SameLine();
  ImGui::TextUnformatted(clock.c_str());
  ImGui::PopFont();
  // Sliders show their value beside them, not under their handle.
  ImGui::SameLine();
  float speed = app.speed();
  char value[32];
  std::snprintf(value, sizeof value, "%.2g", static_cast<double>(speed));
  if (lang() == Lang::It) std::replace(value, value + sizeof value, '.', ',');  // 0,5x
  char speed_label[64];
  std::snprintf(speed_label, sizeof speed_label, tr("speed %sx"), value);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(speed_label);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(4.5f * em());
  if (ImGui::SliderFloat("##speed", &speed, 0.25f, 8.0f, "", ImGuiSliderFlags_Logarithmic))
    intent = {Intent::Kind::Speed, 0, speed};
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("How fast the story plays: from a quarter of real time to 8 times"));
  // Skip ahead: "leave a copy for 7 days" needs days to pass.
  // (On a narrow window, presenter mode's large text, they go to the next line, as a group.)
  const auto skips = {std::pair{"+1 h", kHour}, std::pair{"+1 day", kDay}, std::pair{"+7 days", 7 * kDay}};
  float group = 0;
  for (auto [label, d] : skips) group += ImGui::CalcTextSize(tr(label)).x + 2 * ImGui::GetStyle().FramePadding.x + ImGui::GetStyle().ItemSpacing.x;
  bool first_skip = true;
  for (auto [label, d] : skips) {
    ImGui::SameLine();
    if (std::exchange(first_skip, false) && ImGui::GetContentRegionAvail().x < group) ImGui::NewLine();
    if (ImGui::Button(tr(label))) {
      intent = {Intent::Kind::Act, 0, 0, {.after = d, .what = script::Wait{}}};
    }
  }
  // The scrubber takes the rest of the line, or a line of its own when little is left
  // (presenter mode on a small screen).
  ImGui::SameLine();
  int at = static_cast<int>(app.cursor());
  const std::size_t whole = app.whole_length();  // the whole story once it is known (run ahead)
  const int last = whole == 0 ? 0 : static_cast<int>(whole) - 1;
  // Numbered as `postino run` prints the transcript (an entry can be several lines there).
  char label[64];
  const std::size_t first = app.printed_line(app.cursor()),
                    last_line = app.cursor() + 1 < trace.size() ? app.printed_line(app.cursor() + 1) - 1 : first;
  if (last_line > first) std::snprintf(label, sizeof label, tr("lines %zu-%zu"), first, last_line);
  else std::snprintf(label, sizeof label, tr("line %zu"), first);
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(label).x + 10 * em()) ImGui::NewLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##cursor", &at, 0, last, "")) intent = {Intent::Kind::Seek, static_cast<std::size_t>(at)};
  // The narration's places: small marks along the top of the slider (N jumps to the next).
  if (last > 0) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    for (const std::size_t k : app.narration_marks()) {
      const float x = lo.x + (hi.x - lo.x) * std::min(1.0f, static_cast<float>(k) / static_cast<float>(last));
      ImGui::GetWindowDrawList()->AddTriangleFilled({x - 0.3f * em(), lo.y}, {x + 0.3f * em(), lo.y}, {x, lo.y + 0.45f * em()},
                                                    colour::story());
    }
  }
  // Where the learner changed the story: a mark on the slider at their first click's line.
  if (const auto branch = app.branch_line(); branch && last > 0) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    const float x = lo.x + (hi.x - lo.x) * std::min(1.0f, static_cast<float>(*branch) / static_cast<float>(last));
    ImGui::GetWindowDrawList()->AddLine({x, lo.y}, {x, hi.y}, colour::imap(), 0.2f * em());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("The purple mark: where you changed the story (Ctrl+Z takes back your last click)"));
  }
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
