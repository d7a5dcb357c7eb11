// Each device as a small mail client: its folders and messages as its user sees them.
#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/world/narrate.hpp"

namespace postino::gui {
namespace {

// What the user clicked, as a statement of the scenario.
Intent act(script::Action what) { return {Intent::Kind::Act, 0, 0, {.what = std::move(what)}}; }

// The row's buttons; returns what the user asked for, if anything.
std::optional<Intent> row_actions(const world::Device& d, const std::string& folder, mail::Uid uid,
                                  const std::vector<std::string>& folders, bool flagged = false) {
  const std::string& name = d.config().name;
  std::optional<Intent> out;
  ImGui::PushID(static_cast<int>(uid));
  if (ImGui::SmallButton(tr("Open"))) out = act(script::Open{.device = name, .folder = folder, .uid = uid});
  ImGui::SameLine();
  if (ImGui::SmallButton(tr("Delete"))) out = act(script::Delete{.device = name, .folder = folder, .uid = uid});
  if (d.imap_client()) {
    ImGui::SameLine();
    // One button that says what it will do: flag, or take the flag off.
    if (ImGui::SmallButton(flagged ? tr("Unflag") : tr("Flag")))
      out = act(script::Flag{.device = name, .folder = folder, .uid = uid, .on = !flagged});
  }
  if (!folders.empty()) {  // IMAP's folders on the server; POP3's own, on the device (S13)
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Move to..."))) ImGui::OpenPopup("move");
    if (ImGui::BeginPopup("move")) {
      for (const std::string& f : folders)
        if (f != folder && ImGui::Selectable((tr_folder(f) + "##" + f).c_str()))
          out = act(script::Move{.device = name, .folder = folder, .uid = uid, .to = f});
      ImGui::EndPopup();
    }
  }
  ImGui::PopID();
  return out;
}

// Subject and sender share what the buttons leave; size and buttons take what they need.
void setup_columns(bool imap) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float buttons = 0;
  for (const char* b : {"Open", "Delete", "Unflag", "Move to..."}) {
    if (!imap && std::string_view(b) == "Unflag") continue;
    buttons += ImGui::CalcTextSize(tr(b)).x + 2 * st.FramePadding.x + st.ItemSpacing.x;
  }
  ImGui::TableSetupColumn("subject", ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn("from", ImGuiTableColumnFlags_WidthStretch, 2);
  ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthFixed, 4 * em());
  ImGui::TableSetupColumn("actions", ImGuiTableColumnFlags_WidthFixed, buttons);
}

void message_row(const std::string& subject, const std::string& from, std::size_t size, bool unread, bool deleted,
                 bool flagged = false) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  subject_cell(subject, unread, deleted, flagged);
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", ellipsize(from, ImGui::GetContentRegionAvail().x).c_str());
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", human_size(size).c_str());
}

}  // namespace

Intent draw_devices(const App& app) {
  Intent intent;
  begin_panel(std::string(tr("Devices")) + "###Devices");
  const auto& devices = app.at_cursor().devices();
  // The app's selection picks the tab only when it changes (a click on the network view);
  // forcing it every frame made the tabs ignore clicks. A tab the user opens selects its device.
  static std::optional<std::size_t> pushed, shown;  // the selection last given to the tab bar; the tab shown
  static std::uint64_t run = 0;
  if (run != app.run_id()) {  // another story: other tabs
    run = app.run_id();
    pushed = shown = std::nullopt;
  }
  const std::optional<std::size_t> selected = app.selected_device();
  const bool push = selected != pushed;
  pushed = selected;
  if (ImGui::BeginTabBar("devices")) {
    for (std::size_t k = 0; k < devices.size(); ++k) {
      const world::Device& d = *devices[k];
      const auto& c = d.config();
      const std::string label = std::string(device_icon(c.kind)) + " " + c.name;
      const ImGuiTabItemFlags flags = push && selected == k ? ImGuiTabItemFlags_SetSelected : 0;
      if (!ImGui::BeginTabItem(label.c_str(), nullptr, flags)) continue;
      // Another tab shown than last frame, or the shown one clicked, and not the app's
      // selection: the user chose it. (A pushed selection shows a frame or two later, and then
      // the app agrees already.)
      const bool chosen = (shown && shown != k) || ImGui::IsItemClicked();
      shown = k;
      if (chosen && selected != k) intent = {Intent::Kind::Select, k};
      ImGui::TextDisabled("%s, %s %s %d, %s", tr(c.client.empty() ? "mail app" : c.client.c_str()), c.protocol == world::Protocol::Pop3 ? "POP3" : "IMAP",
                          tr("port"), c.port, tr(d.connected() ? "connected" : "not connected"));
      if (d.external()) {
        // Its mail lives in the real program; here it is only what it says on the wire.
        ImGui::TextWrapped("%s", tr("A real mail client, connected from outside Postino. Its commands are in the "
                                    "transcript and travel on the network view; its messages live in that program."));
        ImGui::EndTabItem();
        continue;
      }
      if (d.crashed()) {
        // Dead until replaced: only Replace does anything (the world would refuse the rest).
        ImGui::TextColored(ImColor(colour::danger()), "%s", tr("Broken: its mail is gone. Replace it."));
        if (ImGui::Button(tr("Replace"))) intent = act(script::Replace{c.name});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("A new, empty device with the same settings"));
        ImGui::EndTabItem();
        continue;
      }
      if (ImGui::Button(tr("Get mail"))) intent = act(script::GetMail{c.name});
      next_in_toolbar(tr("Crash"));
      if (ImGui::Button(tr("Crash"))) intent = act(script::Crash{c.name});
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("The device breaks: everything stored only on it is lost"));
      next_in_toolbar(tr("Replace"));
      if (ImGui::Button(tr("Replace"))) intent = act(script::Replace{c.name});
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("A new, empty device with the same settings"));
      next_in_toolbar(tr("Settings"));
      static world::DeviceConfig next;  // the settings being edited
      if (ImGui::Button(tr("Settings"))) {
        next = c;
        ImGui::OpenPopup("settings");
      }
      // No taller than the window (it scrolls then), and kept inside it: a popup is placed only
      // when it opens, and choosing POP3 makes this one grow past the bottom. Moved before it is
      // drawn (moved while drawn, its background stayed behind, and the top showed through).
      const ImVec2 screen = ImGui::GetIO().DisplaySize;
      static ImVec2 popup_at, popup_size;  // last frame's
      if (ImGui::IsPopupOpen("settings") && popup_size.y > 0 &&
          (popup_at.y + popup_size.y > screen.y - em() || popup_at.x + popup_size.x > screen.x - em()))
        ImGui::SetNextWindowPos({std::max(em(), std::min(popup_at.x, screen.x - em() - popup_size.x)),
                                 std::max(em(), std::min(popup_at.y, screen.y - em() - popup_size.y))});
      ImGui::SetNextWindowSizeConstraints({0, 0}, {screen.x - 2 * em(), screen.y - 2 * em()});
      if (ImGui::BeginPopup("settings")) {
        popup_at = ImGui::GetWindowPos();
        popup_size = ImGui::GetWindowSize();
        // The account settings a mail app offers; applied, they become a "set" statement.
        ImGui::TextUnformatted(tr("Server settings"));
        int protocol = next.protocol == world::Protocol::Pop3 ? 0 : 1;
        const bool was_pop = protocol == 0;
        ImGui::RadioButton("POP3", &protocol, 0);
        ImGui::SameLine();
        ImGui::RadioButton("IMAP", &protocol, 1);
        next.protocol = protocol == 0 ? world::Protocol::Pop3 : world::Protocol::Imap;
        // The ports of the source document: 110/995 (S10), 143/993 (S5).
        const int plain = protocol == 0 ? 110 : 143, tls = protocol == 0 ? 995 : 993;
        if (was_pop != (protocol == 0)) next.port = next.port == 110 || next.port == 143 ? plain : tls;
        int security = next.security == world::Security::Tls ? 0 : next.security == world::Security::StartTls ? 1 : 2;
        const std::string ssl = std::string(tr("SSL/TLS, port")) + " " + std::to_string(tls);
        const std::string starttls = std::string("STARTTLS, ") + tr("port") + " " + std::to_string(plain);
        const std::string none = std::string(tr("None (plain text), port")) + " " + std::to_string(plain);
        ImGui::RadioButton(ssl.c_str(), &security, 0);
        ImGui::RadioButton(starttls.c_str(), &security, 1);
        ImGui::RadioButton(none.c_str(), &security, 2);
        next.security = security == 0 ? world::Security::Tls : security == 1 ? world::Security::StartTls : world::Security::Plain;
        next.port = security == 0 ? tls : plain;
        int minutes = static_cast<int>(next.poll_every / kMinute);
        ImGui::SetNextItemWidth(6 * em());
        ImGui::InputInt(tr("check every N minutes (0: only when asked)"), &minutes);
        next.poll_every = std::clamp(minutes, 0, 24 * 60) * kMinute;
        if (next.protocol != c.protocol)
          ImGui::TextColored(ImColor(colour::danger()), "%s", tr("Another protocol: the app starts over, as a new account would"));
        ImGui::Separator();
        if (next.protocol == world::Protocol::Pop3) {
          ImGui::TextUnformatted(tr("POP3: what happens on the server after downloading"));
          ImGui::Checkbox(tr("Leave a copy of messages on the server"), &next.leave_on_server);
          ImGui::BeginDisabled(!next.leave_on_server);
          ImGui::SetNextItemWidth(6 * em());
          ImGui::InputInt(tr("days (0: until deleted here)"), &next.keep_days);
          ImGui::Checkbox(tr("Delete from the server when I delete it here"), &next.delete_when_deleted_here);
          ImGui::EndDisabled();
          next.keep_days = std::clamp(next.keep_days, 0, 3650);
          if (!next.leave_on_server) next.keep_days = 0;
        } else {
          next.leave_on_server = next.delete_when_deleted_here = false;
          next.keep_days = 0;
          ImGui::TextUnformatted(tr("IMAP"));
          ImGui::Checkbox(tr("Push: wait for news with IDLE"), &next.idle);
          ImGui::Checkbox(tr("Keep messages on this computer (bodies downloaded with the headers)"), &next.offline);
          bool trash = next.delete_mode == imap::ClientConfig::Delete::MoveToTrash;
          if (ImGui::RadioButton(tr("Delete moves to Trash"), trash)) trash = true;
          if (ImGui::RadioButton(tr("Delete marks \\Deleted and expunges"), !trash)) trash = false;
          next.delete_mode = trash ? imap::ClientConfig::Delete::MoveToTrash : imap::ClientConfig::Delete::FlagAndExpunge;
        }
        ImGui::Separator();
        // Submission (RFC 6409 on 587 with STARTTLS, RFC 8314 on 465): used from the next send.
        ImGui::TextUnformatted(tr("Outgoing server (SMTP)"));
        int smtp = next.smtp_port == 465 ? 0 : 1;
        ImGui::RadioButton((std::string(tr("SSL/TLS, port")) + " 465").c_str(), &smtp, 0);
        ImGui::RadioButton((std::string("STARTTLS, ") + tr("port") + " 587").c_str(), &smtp, 1);
        next.smtp_port = smtp == 0 ? 465 : 587;
        ImGui::Separator();
        if (ImGui::Button(tr("Apply"))) {
          intent = act(script::Set{c.name, next});
          ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr("Cancel"))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
      }
      {  // IMAP: a folder on the server; POP3: on this device only (S13)
        ImGui::SameLine();
        static char folder_name[64] = "";
        ImGui::SetNextItemWidth(8 * em());
        ImGui::InputTextWithHint("##newfolder", tr("new folder"), folder_name, sizeof folder_name);
        ImGui::SameLine();
        if (ImGui::Button(tr("Create")) && folder_name[0]) {
          intent = act(script::CreateFolder{c.name, folder_name});
          folder_name[0] = 0;
        }
      }
      for (const auto& err : d.errors()) ImGui::TextColored(ImColor(colour::danger()), "%s", world::client_problem(err, lang()).c_str());
      const ImGuiTableFlags tf = ImGuiTableFlags_RowBg;
      if (d.pop_client()) {
        // Every folder here is the device's own: the server has INBOX only (S13).
        std::vector<std::string> folders{"INBOX"};
        folders.insert(folders.end(), d.local_folders().begin(), d.local_folders().end());
        const auto& all = d.pop_inbox();
        for (const std::string& folder : folders) {
          std::vector<std::size_t> here;  // places in pop_inbox(): the message numbers clicks use
          for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].folder == folder) here.push_back(i);
          const std::string head = tr_folder(folder) + "  (" + std::to_string(here.size()) + ") - " +
                                   tr("a folder on this device only") + "##" + folder;
          if (!ImGui::TreeNodeEx(head.c_str(), folder == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
          if (ImGui::BeginTable(folder.c_str(), 4, tf)) {
            setup_columns(false);
            ImGuiListClipper clip;  // only the visible rows: a device may hold 10,000 messages
            clip.Begin(static_cast<int>(here.size()));
            while (clip.Step())
              for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
                const std::size_t i = here[static_cast<std::size_t>(r)];
                const auto& m = all[i];
                message_row(m.message->summary().subject, m.message->summary().from, m.message->size(), !m.seen, m.deleted);
                ImGui::TableNextColumn();
                if (!m.deleted)
                  if (auto a = row_actions(d, folder, static_cast<mail::Uid>(i + 1), folders.size() > 1 ? folders : std::vector<std::string>{}))
                    intent = *a;
              }
            ImGui::EndTable();
          }
          ImGui::TreePop();
        }
      } else if (const imap::Client* ic = d.imap_client()) {
        std::vector<std::string> folders;
        const auto ordered = in_mail_app_order(ic->folders());
        for (const auto* entry : ordered) folders.push_back(entry->first);
        for (const auto* entry : ordered) {
          const auto& [name, f] = *entry;
          const std::string head = tr_folder(name) + "  (" + std::to_string(f.messages.size()) + ")##" + name;
          if (!ImGui::TreeNodeEx(head.c_str(), name == "INBOX" ? ImGuiTreeNodeFlags_DefaultOpen : 0)) continue;
          if (ImGui::BeginTable(name.c_str(), 4, tf)) {
            setup_columns(true);
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(f.messages.size()));
            auto it = f.messages.begin();
            int at = 0;
            while (clip.Step())
            for (; at < clip.DisplayEnd; ++at, ++it) {
              if (at < clip.DisplayStart) continue;
              const auto& [uid, m] = *it;
              message_row(m.message ? m.message->summary().subject : "", m.message ? m.message->summary().from : "",
                          m.size, !(m.flags & mail::kSeen), (m.flags & mail::kDeleted) != 0, (m.flags & mail::kFlagged) != 0);
              ImGui::TableNextColumn();
              if (auto a = row_actions(d, name, uid, folders, (m.flags & mail::kFlagged) != 0)) intent = *a;
            }
            ImGui::EndTable();
          }
          ImGui::TreePop();
        }
        // Switched from POP3: what it downloaded then is here only (the server may not have it).
        if (!d.pop_inbox().empty() && ImGui::TreeNodeEx(tr("Downloaded earlier with POP3 (on this device only)"))) {
          if (ImGui::BeginTable("earlier", 3, tf)) {
            ImGui::TableSetupColumn("subject", ImGuiTableColumnFlags_WidthStretch, 3);
            ImGui::TableSetupColumn("from", ImGuiTableColumnFlags_WidthStretch, 2);
            ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthFixed, 4 * em());
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(d.pop_inbox().size()));
            while (clip.Step())
              for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const auto& m = d.pop_inbox()[static_cast<std::size_t>(i)];
                message_row(m.message->summary().subject, m.message->summary().from, m.message->size(), !m.seen, m.deleted);
              }
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
