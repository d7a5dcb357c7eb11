// The server's own state (what the provider's webmail shows, S2): accounts, folders, messages
// with UID and flags, the quota gauge, backups.
#include <cmath>
#include <optional>
#include <algorithm>
#include <vector>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"

namespace postino::gui {
namespace {

// What the customer sees logging in to the provider's webmail (S2): the server's own folders,
// read in place, nothing downloaded: the same mail IMAP devices show, and what POP3 took away
// missing. Its buttons act on the server's mailbox directly (S2, S8), as scenario statements.
void webmail(const mail::Account& a, Intent& intent) {
  auto act = [&](script::Webmail w) {
    w.account = a.address();
    intent = {Intent::Kind::Act, 0, 0, {.what = std::move(w)}};
  };
  for (const auto* entry : in_mail_app_order(a.folders())) {
    const auto& [name, f] = *entry;
    const std::string head = tr_folder(name) + "  (" + std::to_string(f.count()) + ")";
    if (!ImGui::TreeNodeEx((head + "##web" + name).c_str(), name == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
    if (f.special_use() == mail::SpecialUse::Trash && f.count() > 0 && ImGui::SmallButton(tr("Empty Trash")))
      act({.op = script::Webmail::Op::EmptyTrash});
    if (f.count() == 0) ImGui::TextDisabled("%s", tr("(empty)"));
    else if (ImGui::BeginTable("web", 5, ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("from", ImGuiTableColumnFlags_WidthStretch, 2);
      ImGui::TableSetupColumn("subject", ImGuiTableColumnFlags_WidthStretch, 3);
      ImGui::TableSetupColumn("date", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("2026-11-26 00:00").x);
      ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthFixed, 4 * em());
      ImGui::TableSetupColumn("actions", ImGuiTableColumnFlags_WidthFixed,
                              ImGui::CalcTextSize(tr("Mark as read")).x + ImGui::CalcTextSize(tr("Delete")).x + 2.5f * em());
      ImGuiListClipper clip;
      clip.Begin(static_cast<int>(f.count()));
      while (clip.Step())
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
          const mail::Entry& e = f.messages()[static_cast<std::size_t>(r)];
          const auto& s = e.message->summary();
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextDisabled("%s", ellipsize(s.from, ImGui::GetContentRegionAvail().x).c_str());
          ImGui::TableNextColumn();
          // \Flagged starred; \Deleted (not yet expunged) struck through.
          subject_cell(std::string(e.flags & mail::kFlagged ? "* " : "") + (s.subject.empty() ? tr("(no subject)") : s.subject),
                       !(e.flags & mail::kSeen), (e.flags & mail::kDeleted) != 0);
          ImGui::TableNextColumn();
          ImGui::TextDisabled("%s", world::format_when(s.date.value_or(e.internal_date), lang()).c_str());
          ImGui::TableNextColumn();
          ImGui::TextDisabled("%s", human_size(e.message->size()).c_str());
          ImGui::TableNextColumn();
          ImGui::PushID(r);
          using Op = script::Webmail::Op;
          if (!(e.flags & mail::kSeen) && ImGui::SmallButton(tr("Mark as read")))
            act({.op = Op::Read, .folder = name, .subject = s.subject});
          ImGui::SameLine();
          if (ImGui::SmallButton(tr("Delete"))) act({.op = Op::Delete, .folder = name, .subject = s.subject});
          ImGui::PopID();
        }
      ImGui::EndTable();
    }
    ImGui::TreePop();
  }
}

}  // namespace

Intent draw_server(const App& app, const char* title, const char* id) {
  Intent intent;
  begin_panel(std::string(title ? title : tr("Server")) + "###" + id);
  const world::World& w = app.at_cursor();
  // Mail from the Internet, and the provider's backups (S12).
  // The subject offered follows the interface language until the user types one.
  static char subject[80] = "";
  static bool typed = false;
  if (!typed) std::snprintf(subject, sizeof subject, "%s", tr("New order"));
  static std::string to;
  ImGui::PushID(id);
  if (to.empty() || !w.store().find_account(to)) to = w.store().accounts().begin()->second.address();
  ImGui::SetNextItemWidth(9 * em());
  if (ImGui::InputText("##subject", subject, sizeof subject)) typed = true;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em());
  if (ImGui::BeginCombo("##to", to.c_str())) {
    for (const auto& [key, a] : w.store().accounts())
      if (ImGui::Selectable(a.address().c_str(), a.address() == to)) to = a.address();
    ImGui::EndCombo();
  }
  next_in_toolbar(tr("New mail"));
  if (ImGui::Button(tr("New mail"))) {
    intent = {Intent::Kind::Act, 0, 0,
              {.what = script::Deliver{.account = to, .from = "cliente@example.com",
                                       .subject = subject[0] ? subject : "(no subject)"}}};
  }
  next_in_toolbar(tr("Backup now"));
  if (ImGui::Button(tr("Backup now"))) {
    intent = {Intent::Kind::Act, 0, 0, {.what = script::Backup{}}};
  }
  // Disk use over time, all mailboxes: POP3 frees it, IMAP keeps it (S8, S11).
  const auto& use = w.disk_use();
  if (!use.empty()) {
    const std::string label = std::string(tr("disk used")) + ": " + human_size(use.back().second);
    ImGui::TextUnformatted(label.c_str());
    std::uint64_t top = 1;
    for (const auto& [t, v] : use) top = std::max(top, v);
    const Time t0 = use.front().first, t1 = std::max(w.now(), t0 + 1);
    // Axes: the highest use and 0 on the left, the first and the last time under the graph.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float small = 0.8f * em();
    const std::string high = human_size(top), when0 = world::format_when(t0, lang()), when1 = world::format_when(t1, lang());
    const float axis = fonts().ui->CalcTextSizeA(small, 1e9f, 0, high.c_str()).x + 0.4f * em();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImVec2 a{o.x + axis, o.y};
    const ImVec2 size{std::max(em(), ImGui::GetContentRegionAvail().x - axis), 2.5f * em()};
    dl->AddText(fonts().ui, small, {o.x, a.y}, colour::muted(), high.c_str());
    dl->AddText(fonts().ui, small, {a.x - 0.4f * em() - fonts().ui->CalcTextSizeA(small, 1e9f, 0, "0").x, a.y + size.y - small},
                colour::muted(), "0");
    dl->AddText(fonts().ui, small, {a.x, a.y + size.y + 0.1f * em()}, colour::muted(), when0.c_str());
    const float w1 = fonts().ui->CalcTextSizeA(small, 1e9f, 0, when1.c_str()).x;
    if (when1 != when0 && w1 + fonts().ui->CalcTextSizeA(small, 1e9f, 0, when0.c_str()).x + em() < size.x)
      dl->AddText(fonts().ui, small, {a.x + size.x - w1, a.y + size.y + 0.1f * em()}, colour::muted(), when1.c_str());
    dl->AddRectFilled(a, {a.x + size.x, a.y + size.y}, ImGui::GetColorU32(ImGuiCol_FrameBg), 0.2f * em());
    auto point = [&](Time t, std::uint64_t v) {
      return ImVec2{a.x + size.x * static_cast<float>(t - t0) / static_cast<float>(t1 - t0),
                    a.y + size.y - 0.15f * em() - (size.y - 0.3f * em()) * static_cast<float>(v) / static_cast<float>(top)};
    };
    // A step curve: usage holds until the next change. Changes that fall on one pixel column
    // (10,000 deliveries in a minute) become one vertical stroke from their lowest to highest.
    std::vector<ImVec2> line;
    struct Column {
      ImVec2 first, last;
      float top, bottom;
    };
    std::optional<Column> col;  // the points of the current pixel column
    auto flush = [&] {
      if (!col) return;
      line.push_back(col->first);
      if (col->top < std::min(col->first.y, col->last.y)) line.push_back({col->first.x, col->top});
      if (col->bottom > std::max(col->first.y, col->last.y)) line.push_back({col->first.x, col->bottom});
      if (col->last.x != col->first.x || col->last.y != col->first.y) line.push_back(col->last);
      col.reset();
    };
    auto add = [&](ImVec2 p) {
      if (col && std::floor(col->first.x) == std::floor(p.x)) {
        col->last = p;
        col->top = std::min(col->top, p.y);
        col->bottom = std::max(col->bottom, p.y);
        return;
      }
      flush();
      col = Column{p, p, p.y, p.y};
    };
    for (std::size_t i = 0; i < use.size(); ++i) {
      if (i > 0) add(point(use[i].first, use[i - 1].second));
      add(point(use[i].first, use[i].second));
    }
    add(point(t1, use.back().second));  // and it holds until now
    flush();
    dl->AddPolyline(line.data(), static_cast<int>(line.size()), colour::server(), 0, 0.12f * em());
    ImGui::Dummy({size.x + axis, size.y + small + 0.2f * em()});
  }
  // The provider's view (UIDs, flags, UIDVALIDITY) or the customer's (webmail).
  bool web = false;
  if (ImGui::BeginTabBar("how")) {
    if (ImGui::BeginTabItem((std::string(tr("On the server")) + "###server").c_str())) ImGui::EndTabItem();
    static bool first = true;  // --webmail opens on it
    const ImGuiTabItemFlags pick = first && prefs().webmail ? ImGuiTabItemFlags_SetSelected : 0;
    first = false;
    if (ImGui::BeginTabItem((std::string(tr("Webmail")) + "###webmail").c_str(), nullptr, pick)) {
      web = true;
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  if (web) {
    if (const mail::Account* a = w.store().find_account(to)) {
      ImGui::TextDisabled("%s %s", tr("Logged in to the webmail as"), a->address().c_str());
      webmail(*a, intent);
    }
  }
  for (const auto& [key, a] : w.store().accounts()) {
    if (web) break;
    if (!ImGui::CollapsingHeader(a.address().c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    if (a.quota()) {
      const float f = static_cast<float>(a.used()) / static_cast<float>(a.quota());
      const std::string label = human_size(a.used()) + " " + tr("of") + " " + human_size(a.quota()) + " " + tr("used");
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, f > 0.9f ? colour::danger() : colour::server());
      ImGui::ProgressBar(std::min(f, 1.0f), {-1, 0}, label.c_str());
      ImGui::PopStyleColor();
    }
    for (const auto* entry : in_mail_app_order(a.folders())) {
      const auto& [name, f] = *entry;
      if (f.count() == 0 && name != "INBOX") continue;
      const std::string head = tr_folder(name) + "  (" + std::to_string(f.count()) + ")   UIDVALIDITY " + std::to_string(f.uidvalidity());
      if (!ImGui::TreeNodeEx((head + "##" + key + name).c_str(), name == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
      if (ImGui::BeginTable("msgs", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(f.count()));
        while (clip.Step())
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
          const mail::Entry& e = f.messages()[static_cast<std::size_t>(r)];
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextDisabled("UID %u", e.uid);
          ImGui::TableNextColumn();
          ImGui::PushFont(e.flags & mail::kSeen ? fonts().ui : fonts().bold);
          ImGui::TextUnformatted(ellipsize(e.message->summary().subject, 16 * em()).c_str());
          ImGui::PopFont();
          ImGui::TableNextColumn();
          ImGui::TextDisabled("%s", mail::flags_to_string(e.flags).c_str());
        }
        ImGui::EndTable();
      }
      ImGui::TreePop();
    }
  }
  if (!w.backups().empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted(tr("Backups"));
    for (const auto& b : w.backups()) {
      ImGui::BulletText("%s", world::format_when(b.taken, lang()).c_str());
      for (const auto& [key, a] : w.store().accounts()) {
        ImGui::SameLine();
        ImGui::PushID(static_cast<int>(b.taken % 100000));
        // "Restore info" read as "restore information": name the whole mailbox.
        char label[200];
        std::snprintf(label, sizeof label, tr("Restore the mailbox %s"), a.address().c_str());
        if (ImGui::SmallButton(label)) {
          intent = {Intent::Kind::Act, 0, 0, {.what = script::Restore{a.address(), b.taken}}};
        }
        ImGui::PopID();
      }
    }
  }
  ImGui::PopID();
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
