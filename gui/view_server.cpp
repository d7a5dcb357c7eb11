// The server's own state (what the provider's webmail shows, S2): accounts, folders, messages
// with UID and flags, the quota gauge, backups.
#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/transcript.hpp"

namespace postino::gui {

Intent draw_server(const App& app, const char* title, const char* id) {
  Intent intent;
  ImGui::Begin((std::string(title ? title : tr("Server")) + "###" + id).c_str());
  const world::World& w = app.at_cursor();
  using K = script::Step::Kind;
  // Mail from the Internet, and the provider's backups (S12).
  static char subject[80] = "Nuovo ordine";
  ImGui::PushID(id);
  ImGui::SetNextItemWidth(12 * em());
  ImGui::InputText("##subject", subject, sizeof subject);
  for (const auto& [key, a] : w.store().accounts()) {
    ImGui::SameLine();
    const std::string label = std::string(tr("New mail for")) + " " + a.address().substr(0, a.address().find('@'));
    if (ImGui::Button(label.c_str())) {
      intent.kind = Intent::Kind::Act;
      intent.step.kind = K::Deliver;
      intent.step.account = a.address();
      intent.step.from = "cliente@example.com";
      intent.step.text = subject[0] ? subject : "(no subject)";
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Backup now"))) {
    intent.kind = Intent::Kind::Act;
    intent.step.kind = K::Backup;
  }
  for (const auto& [key, a] : w.store().accounts()) {
    if (!ImGui::CollapsingHeader(a.address().c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    if (a.quota()) {
      const float f = static_cast<float>(a.used()) / static_cast<float>(a.quota());
      const std::string label = human_size(a.used()) + " " + tr("of") + " " + human_size(a.quota()) + " " + tr("used");
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, f > 0.9f ? colour::kDanger : colour::kServer);
      ImGui::ProgressBar(std::min(f, 1.0f), {-1, 0}, label.c_str());
      ImGui::PopStyleColor();
    }
    for (const auto& [name, f] : a.folders()) {
      if (f.count() == 0 && name != "INBOX") continue;
      const std::string head = name + "  (" + std::to_string(f.count()) + ")   UIDVALIDITY " + std::to_string(f.uidvalidity());
      if (!ImGui::TreeNodeEx((head + "##" + key).c_str(), name == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
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
      ImGui::BulletText("%s", format_short(b.taken).c_str());
      for (const auto& [key, a] : w.store().accounts()) {
        ImGui::SameLine();
        ImGui::PushID(static_cast<int>(b.taken % 100000));
        const std::string label = std::string(tr("Restore")) + " " + a.address().substr(0, a.address().find('@'));
        if (ImGui::SmallButton(label.c_str())) {
          intent.kind = Intent::Kind::Act;
          intent.step.kind = K::Restore;
          intent.step.account = a.address();
          intent.step.when = b.taken;
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
