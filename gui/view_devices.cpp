// Each device as a small mail client: its folders and messages as its user sees them.
#include "gui/ui.hpp"
#include "gui/views.hpp"

namespace postino::gui {
namespace {

void message_row(const std::string& subject, const std::string& from, std::size_t size, bool unread, bool deleted) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushFont(unread ? fonts().bold : fonts().ui);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted(ellipsize(subject.empty() ? "(no subject)" : subject, ImGui::GetContentRegionAvail().x).c_str());
  if (deleted) {  // struck through
    const ImVec2 sz = ImGui::GetItemRectSize();
    ImGui::GetWindowDrawList()->AddLine({at.x, at.y + sz.y / 2}, {at.x + sz.x, at.y + sz.y / 2}, colour::kDanger, 0.1f * em());
  }
  ImGui::PopFont();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", ellipsize(from, ImGui::GetContentRegionAvail().x).c_str());
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", human_size(size).c_str());
}

}  // namespace

Intent draw_devices(const App& app) {
  Intent intent;
  ImGui::Begin("Devices");
  const auto& devices = app.at_cursor().devices();
  if (ImGui::BeginTabBar("devices")) {
    for (std::size_t k = 0; k < devices.size(); ++k) {
      const world::Device& d = *devices[k];
      const auto& c = d.config();
      const std::string label = std::string(device_icon(c.kind)) + " " + c.name;
      ImGuiTabItemFlags flags = app.selected_device() == k ? ImGuiTabItemFlags_SetSelected : 0;
      if (!ImGui::BeginTabItem(label.c_str(), nullptr, flags)) continue;
      ImGui::TextDisabled("%s, %s port %d, %s", c.client.c_str(), c.protocol == world::Protocol::Pop3 ? "POP3" : "IMAP",
                          c.port, d.connected() ? "connected" : "not connected");
      for (const auto& err : d.errors()) ImGui::TextColored(ImColor(colour::kDanger), "%s", err.c_str());
      const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
      if (d.pop_client()) {
        ImGui::TextUnformatted("INBOX (on this device only)");
        if (ImGui::BeginTable("pop", 3, tf)) {
          for (const auto& m : d.pop_inbox())
            message_row(m.message->summary().subject, m.message->summary().from, m.message->size(), !m.seen, m.deleted);
          ImGui::EndTable();
        }
      } else if (const imap::Client* ic = d.imap_client()) {
        for (const auto& [name, f] : ic->folders()) {
          const std::string head = name + "  (" + std::to_string(f.messages.size()) + ")";
          if (!ImGui::TreeNodeEx(head.c_str(), name == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
          if (ImGui::BeginTable(name.c_str(), 3, tf)) {
            for (const auto& [uid, m] : f.messages)
              message_row(m.message ? m.message->summary().subject : "", m.message ? m.message->summary().from : "",
                          m.size, !(m.flags & mail::kSeen), (m.flags & mail::kDeleted) != 0);
            ImGui::EndTable();
          }
          ImGui::TreePop();
        }
      }
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
