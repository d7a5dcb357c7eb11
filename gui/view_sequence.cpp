// The sequence diagram: a lifeline per device and one for the server; every chunk of bytes is an
// arrow between them, labelled with its first line, newest at the bottom.
#include <algorithm>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/transcript.hpp"

namespace postino::gui {

Intent draw_sequence(const App& app) {
  Intent intent;
  const auto& trace = app.trace();
  const auto& devs = app.at_cursor().devices();
  const float e = em();
  const float row = 1.5f * e;
  const float width = ImGui::GetContentRegionAvail().x;
  const float time_col = 5.5f * e;
  // Lifelines: the devices left, the server at the right.
  const std::size_t lanes = devs.size() + 1;
  auto lane_x = [&](std::size_t k, float x0) {
    return x0 + time_col + (width - time_col - 2 * e) * (static_cast<float>(k) + 0.5f) / static_cast<float>(lanes);
  };
  std::vector<std::size_t> entries;  // wire chunks and device events up to the cursor
  for (std::size_t i = 0; i <= app.cursor() && i < trace.size(); ++i)
    if (trace[i].kind == world::TraceEntry::Kind::Wire) entries.push_back(i);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  // Heads of the lifelines.
  {
    // Each head keeps to its lane: the icon, then the name, cut to fit; a narrow lane (many
    // devices) keeps the name only. (With 6 and more devices the heads overlapped.)
    // When a name does not fit its lane, the heads take two rows, every other one lower, each
    // with the room of two lanes.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float lane = (width - time_col - 2 * e) / static_cast<float>(lanes);
    auto full_name = [&](std::size_t k) { return k < devs.size() ? devs[k]->config().name : std::string(tr("server")); };
    bool stagger = false;
    for (std::size_t k = 0; k < lanes; ++k) stagger |= ImGui::CalcTextSize(full_name(k).c_str()).x > lane - 0.4f * e;
    const float lane_w = (stagger ? 2 * lane : lane) - 0.4f * e;
    for (std::size_t k = 0; k < lanes; ++k) {
      const char* glyph = k < devs.size() ? device_icon(devs[k]->config().kind) : icon::kServer;
      const std::string full = full_name(k);
      const bool with_icon = lane_w > ImGui::CalcTextSize(full.c_str()).x + 1.6f * e;
      const float icon_w = with_icon ? 1.4f * e : 0;
      const std::string name = ellipsize(full, lane_w - icon_w);
      const float w = icon_w + ImGui::CalcTextSize(name.c_str()).x;
      const float x = lane_x(k, p.x) - w / 2, y = p.y + (stagger && k % 2 ? row : 0);
      if (with_icon) dl->AddText(fonts().ui, e, {x, y}, text, glyph);
      dl->AddText({x + icon_w, y}, text, name.c_str());
    }
    ImGui::Dummy({width, stagger ? 2 * row : row});
  }
  ImGui::BeginChild("sequence");
  ImDrawList* cl = ImGui::GetWindowDrawList();
  ImGuiListClipper clipper;
  // Each row is an invisible button `row` high plus the item spacing below it.
  clipper.Begin(static_cast<int>(entries.size()), row + ImGui::GetStyle().ItemSpacing.y);
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const world::TraceEntry& t = trace[entries[static_cast<std::size_t>(r)]];
      const ImVec2 p = ImGui::GetCursorScreenPos();
      std::size_t k = 0;
      while (k < devs.size() && devs[k]->config().name != t.device) ++k;
      const float xd = lane_x(k, p.x), xs = lane_x(lanes - 1, p.x);
      for (std::size_t l = 0; l < lanes; ++l)  // lifelines
        cl->AddLine({lane_x(l, p.x), p.y}, {lane_x(l, p.x), p.y + row}, IM_COL32(160, 160, 170, 120));
      const ImU32 col = t.to_server ? colour::client() : colour::server();
      const float y = p.y + row * 0.75f;
      const float from = t.to_server ? xd : xs, to = t.to_server ? xs : xd;
      cl->AddLine({from, y}, {to, y}, col, 0.12f * e);
      const float dir = to > from ? -1.0f : 1.0f;
      cl->AddTriangleFilled({to, y}, {to + dir * 0.6f * e, y - 0.3f * e}, {to + dir * 0.6f * e, y + 0.3f * e}, col);
      std::string label(t.text.first_line());
      std::size_t lines = 0;
      t.text.for_each_piece([&](std::string_view p) { lines += static_cast<std::size_t>(std::count(p.begin(), p.end(), '\n')); });
      if (lines > 1) label += "  (+" + std::to_string(lines - 1) + ")";
      label = ellipsize(label, std::abs(to - from) - e);
      ImGui::PushFont(fonts().mono);
      cl->AddText({std::min(from, to) + 0.5f * e, p.y}, col, label.c_str());
      ImGui::PopFont();
      const std::string time = world::format_time(t.sent).substr(11, 12);
      cl->AddText({p.x, p.y + 0.1f * e}, colour::muted(), time.c_str());
      ImGui::PushID(r);
      if (ImGui::InvisibleButton("row", {width, row})) intent = {Intent::Kind::Seek, entries[static_cast<std::size_t>(r)]};
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushFont(fonts().mono);
        ImGui::TextUnformatted(t.text.str().substr(0, 600).c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
  }
  static FollowCursor follow;
  follow.update(app.cursor(), app.playing());
  ImGui::EndChild();
  return intent;
}

}  // namespace postino::gui
