// The network picture: the server in the middle, devices around it, a link per device labelled
// with protocol, port and lock; the line being sent travels along its link as an envelope.
#include <cmath>
#include <optional>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/narrate.hpp"

namespace postino::gui {
namespace {

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

void centered_text(ImDrawList* dl, ImFont* font, float size, ImVec2 centre, ImU32 col, const std::string& s) {
  const ImVec2 sz = font->CalcTextSizeA(size, 1e9f, 0, s.c_str());
  dl->AddText(font, size, {centre.x - sz.x / 2, centre.y - sz.y / 2}, col, s.c_str());
}

}  // namespace

Intent draw_network(const App& app, const char* title, const char* id) {
  Intent intent;
  ImGui::Begin((std::string(title ? title : tr("Network")) + "###" + id).c_str());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const float e = em();
  // The narration takes the top, the legend the bottom; the picture gets what is between.
  const float top = 2.6f * e, bottom = 1.9f * e;
  const ImVec2 centre{p0.x + size.x / 2, p0.y + top + (size.y - top - bottom) / 2};
  const world::World& w = app.at_cursor();
  const auto& devices = w.devices();
  // Devices sit on an ellipse that uses the rest of the view, boxes clear of its edges.
  // Many devices leave short links: their labels go inside the boxes, which grow a line for it.
  const bool compact = devices.size() > 4;
  const float bw = 7.5f * e, bh = compact ? 5.1f * e : 4.2f * e;
  const float rx = size.x / 2 - 4.6f * e, ry = std::max(2.0f * e, (size.y - top - bottom) / 2 - bh / 2 - 0.1f * e);
  std::vector<bool> label_inside(devices.size(), false);
  std::vector<std::string> labels;  // "POP3 995" and a lock: on the link, or in the box
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 panel = ImGui::GetColorU32(ImGuiCol_FrameBg);

  // Device positions on a circle around the server, the first at the left.
  std::vector<ImVec2> pos;
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const float a = 3.14159f + 6.28318f * static_cast<float>(k) / static_cast<float>(std::max<std::size_t>(devices.size(), 1));
    pos.push_back({centre.x + std::cos(a) * rx, centre.y + std::sin(a) * ry});
  }
  // Links.
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const auto& c = devices[k]->config();
    const bool pop = c.protocol == world::Protocol::Pop3;
    const ImU32 col = pop ? colour::kPop : colour::kImap;
    const bool up = devices[k]->connected();
    dl->AddLine(pos[k], centre, up ? col : (col & 0x50FFFFFF), up ? 0.25f * e : 0.12f * e);
    const bool tls = c.security != world::Security::Plain;
    const std::string& label = labels.emplace_back(std::string(pop ? "POP3 " : "IMAP ") + std::to_string(c.port) + " " +
                                                   (tls ? icon::kLock : icon::kUnlock));
    const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
    // In the middle of the stretch between the box and the server circle when it has room.
    const float dist = std::hypot(pos[k].x - centre.x, pos[k].y - centre.y);
    const float gap = dist - 3.2f * e - 3.9f * e;
    ImVec2 mid = lerp(pos[k], centre, (3.9f * e + gap / 2) / std::max(dist, 1.0f));
    if (gap <= ls.x + 1.5f * e && compact) {
      label_inside[k] = true;
      continue;
    }
    if (gap <= ls.x + 1.5f * e) {
      // Beside the box, on the side away from the server, if the view has room; else under it
      // (over it for the lower boxes: the view's edge is there).
      const float side = pos[k].x < centre.x ? -1.0f : 1.0f;
      const float x = pos[k].x + side * (3.75f * e + 0.6f * e + ls.x / 2);
      if (x - ls.x / 2 > p0.x + 0.2f * e && x + ls.x / 2 < p0.x + size.x - 0.2f * e) mid = {x, pos[k].y};
      else mid = {pos[k].x, pos[k].y + (pos[k].y < centre.y ? 2.9f * e : -2.9f * e)};
    }
    dl->AddRectFilled({mid.x - ls.x / 2 - 0.4f * e, mid.y - ls.y / 2 - 0.2f * e},
                      {mid.x + ls.x / 2 + 0.4f * e, mid.y + ls.y / 2 + 0.2f * e}, panel, 0.4f * e);
    dl->AddText({mid.x - ls.x / 2, mid.y - ls.y / 2}, tls ? col : colour::kDanger, label.c_str());
  }
  // The server.
  {
    const mail::Store& store = w.store();
    const float r = 3.2f * e;
    dl->AddCircleFilled(centre, r, panel, 48);
    dl->AddCircle(centre, r, colour::kServer, 48, 0.15f * e);
    centered_text(dl, fonts().big, 2.0f * e, {centre.x, centre.y - 0.8f * e}, colour::kServer, icon::kServer);
    std::size_t messages = 0;
    std::uint64_t used = 0, quota = 0;
    for (const auto& [n, a] : store.accounts()) {
      for (const auto& [fn, f] : a.folders()) messages += f.count();
      used += a.used();
      quota += a.quota();
    }
    centered_text(dl, fonts().bold, e, {centre.x, centre.y + 0.9f * e}, text, store.domain());
    centered_text(dl, fonts().ui, 0.85f * e, {centre.x, centre.y + 1.9f * e}, text,
                  std::to_string(messages) + " " + tr(messages == 1 ? "message" : "messages"));
    if (quota) {  // disk gauge under the server
      const float gw = 6 * e, gy = centre.y + r + 0.6f * e;
      const float fill = std::min(1.0f, static_cast<float>(used) / static_cast<float>(quota));
      dl->AddRectFilled({centre.x - gw / 2, gy}, {centre.x + gw / 2, gy + 0.5f * e}, panel, 0.25f * e);
      dl->AddRectFilled({centre.x - gw / 2, gy}, {centre.x - gw / 2 + gw * fill, gy + 0.5f * e},
                        fill > 0.9f ? colour::kDanger : colour::kServer, 0.25f * e);
      centered_text(dl, fonts().ui, 0.8f * e, {centre.x, gy + 1.1f * e}, text,
                    human_size(used) + " " + tr("of") + " " + human_size(quota) + " " + tr("used"));
    }
  }
  // Devices.
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const world::Device& d = *devices[k];
    const auto& c = d.config();
    const ImVec2 p = pos[k];
    const ImVec2 a{p.x - bw / 2, p.y - bh / 2}, b{p.x + bw / 2, p.y + bh / 2};
    const bool selected = app.selected_device() == k;
    dl->AddRectFilled(a, b, panel, 0.6f * e);
    dl->AddRect(a, b, c.protocol == world::Protocol::Pop3 ? colour::kPop : colour::kImap, 0.6f * e, 0,
                selected ? 0.3f * e : 0.12f * e);
    dl->AddText(fonts().big, 1.6f * e, {a.x + 0.5f * e, a.y + 0.4f * e}, text, device_icon(c.kind));
    dl->AddText(fonts().bold, e, {a.x + 2.4f * e, a.y + 0.35f * e}, text, c.name.c_str());
    ImGui::PushFont(fonts().ui);
    const std::string client = ellipsize(tr(c.client.c_str()), (bw - 2.9f * e) / 0.8f);
    ImGui::PopFont();
    dl->AddText(fonts().ui, 0.8f * e, {a.x + 2.4f * e, a.y + 1.45f * e}, colour::kEvent, client.c_str());
    // A real client's mail lives in that program: say whether it is on the line instead.
    const std::string inbox = d.external() ? std::string(tr(d.connected() ? "connected" : "not connected"))
                                           : std::to_string(d.count("INBOX")) + " " + tr("in INBOX");
    dl->AddText(fonts().ui, 0.85f * e, {a.x + 2.4f * e, a.y + 2.5f * e}, text, inbox.c_str());
    if (label_inside[k]) {  // the link's label, on the box's last line
      const bool pop = c.protocol == world::Protocol::Pop3, tls = c.security != world::Security::Plain;
      dl->AddText(fonts().ui, 0.85f * e, {a.x + 2.4f * e, a.y + 3.55f * e},
                  tls ? (pop ? colour::kPop : colour::kImap) : colour::kDanger, labels[k].c_str());
    }
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(static_cast<int>(k));
    if (ImGui::InvisibleButton("device", {bw, bh})) intent = {Intent::Kind::Select, k};
    ImGui::PopID();
  }
  // The narration: the last thing the scenario said, big, at the top (what a teacher points at).
  {
    const auto& trace = app.trace();
    std::optional<std::string> said;
    for (std::size_t i = std::min(app.cursor() + 1, trace.size()); i-- > 0;)
      if (trace[i].is_event(world::EventKind::Say)) {
        said = trace[i].what->text;
        break;
      }
    float below = p0.y + 0.3f * e;  // where a banner under the narration starts
    if (said) {
      const float wrap = size.x - 3 * e;
      const ImVec2 ts = fonts().bold->CalcTextSizeA(1.15f * e, 1e9f, wrap, said->c_str());
      const ImVec2 a{p0.x + 0.5f * e, p0.y + 0.3f * e};
      dl->AddRectFilled(a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, IM_COL32(255, 248, 220, 255), 0.4f * e);
      dl->AddRect(a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, colour::kTls, 0.4f * e);
      dl->AddText(fonts().bold, 1.15f * e, {a.x + 0.5f * e, a.y + 0.4f * e}, IM_COL32(50, 40, 10, 255),
                  said->c_str(), nullptr, wrap);
      below = a.y + ts.y + 1.2f * e;
    }
    // A failed `expect`: the lesson went otherwise than its author said. Red, under the
    // narration, with what was expected and what was seen, until the story speaks again.
    if (const auto failed = app.failed_check()) {
      const std::string msg = std::string(icon::kBolt) + " " + tr("Expectation failed") + ": " +
                              world::describe_check(*trace[*failed].what, lang());
      const float wrap = size.x - 3 * e;
      const ImVec2 ts = fonts().bold->CalcTextSizeA(e, 1e9f, wrap, msg.c_str());
      const ImVec2 a{p0.x + 0.5f * e, below};
      dl->AddRectFilled(a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, colour::kDanger, 0.4f * e);
      dl->AddText(fonts().bold, e, {a.x + 0.5f * e, a.y + 0.4f * e}, IM_COL32(255, 255, 255, 255), msg.c_str(), nullptr, wrap);
      below = a.y + ts.y + 1.2f * e;
    }
    // The learner's clicks branched the story: say plainly that the script's rest waits aside,
    // and offer it back. (Not on the side-by-side pair: their intents go to the main story.)
    if (!title && app.set_aside() > 0) {
      char msg[300];
      std::snprintf(msg, sizeof msg, tr("You changed the story: the rest of the script (%zu statements) is set aside."),
                    app.set_aside());
      const char* restore = tr("Restore the script");
      const float bw = ImGui::CalcTextSize(restore).x + 2 * ImGui::GetStyle().FramePadding.x;
      const float wrap = std::max(8 * e, size.x - bw - 4 * e);
      const ImVec2 ts = ImGui::CalcTextSize(msg, nullptr, false, wrap);
      const float h = std::max(ts.y, ImGui::GetFrameHeight());
      const ImVec2 a{p0.x + 0.5f * e, below};
      dl->AddRectFilled(a, {a.x + ts.x + bw + 2 * e, a.y + h + 0.6f * e}, IM_COL32(236, 226, 245, 255), 0.4f * e);
      dl->AddRect(a, {a.x + ts.x + bw + 2 * e, a.y + h + 0.6f * e}, colour::kImap, 0.4f * e);
      dl->AddText(fonts().ui, e, {a.x + 0.5f * e, a.y + 0.3f * e + (h - ts.y) / 2}, IM_COL32(50, 20, 70, 255), msg, nullptr, wrap);
      ImGui::SetCursorScreenPos({a.x + ts.x + e, a.y + 0.3f * e});
      if (ImGui::Button(restore)) intent = {Intent::Kind::RestoreScript};
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr("Drops your clicks and goes back to the scripted story from where you changed it. "
                                   "Ctrl+Z takes back only your last click."));
    }
    // Legend.
    const float y = p0.y + size.y - 1.4f * e;
    float x = p0.x + 0.5f * e;
    auto key = [&](ImU32 col, const char* label) {
      dl->AddRectFilled({x, y + 0.35f * e}, {x + 1.2f * e, y + 0.65f * e}, col);
      dl->AddText({x + 1.5f * e, y}, text, label);
      x += 1.5f * e + ImGui::CalcTextSize(label).x + e;
    };
    key(colour::kPop, "POP3");
    key(colour::kImap, "IMAP");
    const std::string lock = std::string(icon::kLock) + " " + tr("encrypted (TLS)") + "   " + icon::kUnlock + " " + tr("plain text");
    dl->AddText({x, y}, text, lock.c_str());
  }
  // Something happening on a node (a crash, a bounce, a backup, mail removed...) flashes there.
  {
    const auto& trace = app.trace();
    if (!trace.empty() && app.cursor() < trace.size() && trace[app.cursor()].what) {
      const world::TraceEntry& t = trace[app.cursor()];
      std::optional<ImVec2> where;
      if (world::source_of(t.what->kind) == world::Source::Server) where = centre;
      for (std::size_t k = 0; k < devices.size(); ++k)
        if (!t.device.empty() && devices[k]->config().name == t.device) where = pos[k];
      if (where) {
        const ImU32 col = tone_of(*t.what) == Tone::Loss ? colour::kDanger : colour::kTls;
        const float pulse = 1.0f - app.phase();
        dl->AddCircle(*where, (4.5f + 2.0f * app.phase()) * e, (col & 0x00FFFFFF) | (static_cast<ImU32>(60 + 195 * pulse) << 24), 48, 0.3f * e);
        std::string label = ellipsize(tr_event(*t.what), 20 * e);
        const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
        const ImVec2 at{where->x - ls.x / 2, where->y + 3.6f * e};
        dl->AddRectFilled({at.x - 0.4f * e, at.y - 0.2f * e}, {at.x + ls.x + 0.4f * e, at.y + ls.y + 0.2f * e}, panel, 0.3f * e);
        dl->AddText(at, col, label.c_str());
      }
    }
  }
  // The line being sent, as an envelope along its link.
  const auto& trace = app.trace();
  if (!trace.empty() && app.cursor() < trace.size()) {
    const world::TraceEntry& t = trace[app.cursor()];
    for (std::size_t k = 0; k < devices.size(); ++k) {
      if (t.kind != world::TraceEntry::Kind::Wire || devices[k]->config().name != t.device) continue;
      const float ph = app.phase();
      const ImVec2 at = t.to_server ? lerp(pos[k], centre, ph) : lerp(centre, pos[k], ph);
      std::string line(t.text.first_line());
      line = ellipsize(line, 16 * e);
      const ImU32 col = t.to_server ? colour::kClient : colour::kServer;
      const ImVec2 ts = ImGui::CalcTextSize(line.c_str());
      const ImVec2 box_a{at.x - ts.x / 2 - 2.2f * e, at.y - 0.9f * e};
      const ImVec2 box_b{at.x + ts.x / 2 + 0.6f * e, at.y + 0.9f * e};
      dl->AddRectFilled(box_a, box_b, IM_COL32(255, 255, 255, 240), 0.4f * e);
      dl->AddRect(box_a, box_b, col, 0.4f * e, 0, 0.12f * e);
      dl->AddText(fonts().ui, e, {box_a.x + 0.4f * e, at.y - 0.55f * e}, col, t.tls ? icon::kLock : icon::kEnvelope);
      dl->AddText(fonts().mono, e, {box_a.x + 1.8f * e, at.y - 0.55f * e}, IM_COL32(20, 20, 30, 255), line.c_str());
    }
  }
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
