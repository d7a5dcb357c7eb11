#include "gui/ui.hpp"

#include "gui/i18n.hpp"
#include "gui/layout.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace postino::gui {

Fonts& fonts() {
  static Fonts f;
  return f;
}

Prefs& prefs() {
  static Prefs p;
  return p;
}

void FollowCursor::update(std::size_t cursor, bool playing) {
  if (followed != cursor) {
    followed = cursor;
    frames = 3;
  }
  if (frames > 0 || playing) {
    ImGui::SetScrollHereY(1.0f);  // the end of the content, as laid out this frame
    --frames;
  }
}

const char* device_icon(world::DeviceKind k) {
  switch (k) {
    case world::DeviceKind::Phone: return icon::kPhone;
    case world::DeviceKind::Tablet: return icon::kTablet;
    case world::DeviceKind::Laptop: return icon::kLaptop;
    case world::DeviceKind::Desktop: return icon::kDesktop;
  }
  return icon::kDesktop;
}

void fill_rounded(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float rounding) {
  const float r = std::min({rounding, (b.x - a.x) / 2, (b.y - a.y) / 2});
  // (A see-through colour would show where the pieces' edges overlap: one fan then.)
  if (r < 1 || ((col >> IM_COL32_A_SHIFT) & 0xFF) != 0xFF) return dl->AddRectFilled(a, b, col, rounding);
  dl->AddRectFilled({a.x + r, a.y}, {b.x - r, b.y}, col);
  dl->AddRectFilled({a.x, a.y + r}, {a.x + r, b.y - r}, col);
  dl->AddRectFilled({b.x - r, a.y + r}, {b.x, b.y - r}, col);
  // Corners: a quarter circle each (PathArcToFast counts 12 steps a turn, 0 = +x, 3 = down).
  const struct { ImVec2 centre; int from; } corners[] = {
      {{a.x + r, a.y + r}, 6}, {{b.x - r, a.y + r}, 9}, {{b.x - r, b.y - r}, 0}, {{a.x + r, b.y - r}, 3}};
  for (const auto& c : corners) {
    dl->PathLineTo(c.centre);
    dl->PathArcToFast(c.centre, r, c.from, c.from + 3);
    dl->PathFillConvex(col);
  }
}

namespace {
struct Panels {
  std::vector<Rect> now, before;
  bool see_through = true;
};
Panels& panels() {
  static Panels p;
  return p;
}
}  // namespace

void start_panels() {
  Panels& p = panels();
  p.before = std::exchange(p.now, {});
  p.see_through = tiles(p.before);
}

bool typing_in_text_field() {
  const ImGuiID active = ImGui::GetActiveID();
  return active != 0 && ImGui::GetInputTextState(active) != nullptr;
}

int open_popups() { return GImGui->OpenPopupStack.Size; }

bool begin_panel(const std::string& name, ImGuiWindowFlags flags) {
  Panels& p = panels();
  const bool open = ImGui::Begin(name.c_str(), nullptr, flags | (p.see_through ? ImGuiWindowFlags_NoBackground : 0));
  const ImVec2 at = ImGui::GetWindowPos();
  p.now.push_back({at.x, at.y, at.x + ImGui::GetWindowWidth(), at.y + ImGui::GetWindowHeight()});
  return open;
}

std::string ellipsize(const std::string& s, float width, ImFont* font, float size) {
  if (!font) {
    font = ImGui::GetFont();
    size = ImGui::GetFontSize();
  }
  auto w = [&](const std::string& t) { return font->CalcTextSizeA(size, 1e9f, 0, t.c_str()).x; };
  if (w(s) <= width) return s;
  std::string out = s;
  while (!out.empty() && w(out + "...") > width) {
    out.pop_back();
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  }
  return out + "...";
}

void subject_cell(const std::string& subject, bool unread, bool deleted, bool flagged) {
  ImGui::PushFont(unread ? fonts().bold : fonts().ui);
  if (flagged) {  // a red flag mark before the subject, as mail apps show \Flagged
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float e = em(), h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddTriangleFilled({p.x, p.y + 0.15f * h}, {p.x + 0.6f * e, p.y + h / 2},
                                                  {p.x, p.y + 0.85f * h}, colour::danger());
    ImGui::SetCursorScreenPos({p.x + 0.9f * e, p.y});
  }
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted(ellipsize(subject.empty() ? std::string(tr("(no subject)")) : subject, ImGui::GetContentRegionAvail().x).c_str());
  if (deleted) {
    const ImVec2 sz = ImGui::GetItemRectSize();
    ImGui::GetWindowDrawList()->AddLine({at.x, at.y + sz.y / 2}, {at.x + sz.x, at.y + sz.y / 2}, colour::danger(), 0.1f * em());
  }
  ImGui::PopFont();
}

void next_in_toolbar(const char* label) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float need = ImGui::CalcTextSize(label, nullptr, true).x + 2 * st.FramePadding.x;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < need) ImGui::NewLine();
}

std::string human_size(std::uint64_t n) {
  char buf[32];
  if (n < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(n) / 1024);
  else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024));
  std::string out = buf;
  if (lang() == Lang::It)  // 20,0 MB
    for (char& c : out)
      if (c == '.') c = ',';
  return out;
}

Tone tone_of(const world::Event& e) {
  using K = world::EventKind;
  switch (e.kind) {
    case K::Bounced:
    case K::Crashed:
    case K::ConnectionCut:
    case K::ClientError:
    case K::Expunged:
    case K::DeletedAtQuit:
    case K::FolderDeleted:
    case K::LoginFailed:
    case K::RestoreImpossible: return Tone::Loss;
    case K::BackupTaken:
    case K::Restored:
    case K::TlsAtConnect:
    case K::TlsUpgraded: return Tone::Safe;
    case K::Say:
    case K::TimePasses: return Tone::Story;
    case K::Check: return e.ok ? Tone::Safe : Tone::Loss;
    case K::Connected: return e.security == world::Security::Plain ? Tone::Loss : Tone::News;
    default: return Tone::News;
  }
}

ImU32 tone_colour(Tone t) {
  switch (t) {
    case Tone::Loss: return colour::danger();
    case Tone::Safe: return colour::server();
    case Tone::Story: return colour::story();
    case Tone::News: return colour::muted();
  }
  return colour::muted();
}

namespace {
bool g_dark = false;
}
void set_dark(bool dark) { g_dark = dark; }
bool dark() { return g_dark; }

int folder_rank(std::string_view name) {
  constexpr std::string_view kOrder[] = {"INBOX", "Drafts", "Sent", "Archive", "Junk", "Trash"};
  for (int i = 0; i < 6; ++i)
    if (name == kOrder[i]) return i;
  return 6;
}

}  // namespace postino::gui
