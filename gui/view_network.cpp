// The network picture, which must tell the story without the transcript: the server in the
// middle and the devices in two columns around it (gui/layout.cpp), each box listing the
// messages it holds; a link per device with its protocol, port, lock and the protocol's state;
// the line being sent travels along its link; mail POP3 took off the server stays there, struck
// through, until the story speaks again.
#include <algorithm>
#include <cmath>
#include <optional>

#include "gui/i18n.hpp"
#include "gui/layout.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/core/text.hpp"
#include "sim/imap/states.hpp"
#include "sim/pop3/states.hpp"
#include "sim/world/narrate.hpp"

namespace postino::gui {
namespace {

ImVec2 v(Point p) { return {p.x, p.y}; }
ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

void centered_text(ImDrawList* dl, ImFont* font, float size, ImVec2 centre, ImU32 col, const std::string& s) {
  const ImVec2 sz = font->CalcTextSizeA(size, 1e9f, 0, s.c_str());
  dl->AddText(font, size, {centre.x - sz.x / 2, centre.y - sz.y / 2}, col, s.c_str());
}

// One message as a box lists it.
struct Row {
  std::string subject;
  bool unread = false, deleted = false, flagged = false;
  bool gone = false;  // taken off the server just now: shown struck through until the story moves on
  std::string note;   // why it is gone
};

std::string subject_of(const mail::MessagePtr& m) {
  const std::string s = m ? m->summary().subject : std::string();
  return s.empty() ? tr("(no subject)") : s;
}

// The first `limit` messages the device holds, folder by folder as mail apps list them (INBOX
// first; the others say which folder they are in), and how many there are in all. A box shows
// a few; a device may hold 10,000.
std::vector<Row> device_rows(const world::Device& d, std::size_t limit, std::size_t& total) {
  std::vector<Row> rows;
  total = 0;
  auto tag = [](const std::string& folder) { return folder == "INBOX" ? std::string() : "- " + tr_folder(folder); };
  if (const imap::Client* c = d.imap_client()) {
    for (const auto* entry : in_mail_app_order(c->folders())) {
      total += entry->second.messages.size();
      for (const auto& [uid, m] : entry->second.messages) {
        if (rows.size() >= limit) break;
        rows.push_back({subject_of(m.message), !(m.flags & mail::kSeen), (m.flags & mail::kDeleted) != 0,
                        (m.flags & mail::kFlagged) != 0, false, tag(entry->first)});
      }
    }
  } else {
    std::vector<std::string> folders{"INBOX"};
    folders.insert(folders.end(), d.local_folders().begin(), d.local_folders().end());
    for (const std::string& f : folders)
      for (const world::PopMessage& m : d.pop_inbox()) {
        if (m.deleted || m.folder != f) continue;
        ++total;
        if (rows.size() < limit) rows.push_back({subject_of(m.message), !m.seen, false, false, false, tag(f)});
      }
  }
  return rows;
}

// Draws `rows` (the first of `total`) from (x, y) down, at most `max_rows` lines; the last says
// how many more there are.
void draw_rows(ImDrawList* dl, const std::vector<Row>& rows, std::size_t total, ImVec2 at, float width, int max_rows) {
  const float e = em(), size = 0.82f * e, row = kRowEm * e;
  if (max_rows <= 0) return;
  const bool cut = total > static_cast<std::size_t>(max_rows);
  const int shown = cut ? max_rows - 1 : static_cast<int>(rows.size());
  for (int i = 0; i < shown; ++i) {
    const Row& r = rows[static_cast<std::size_t>(i)];
    const ImVec2 a{at.x, at.y + static_cast<float>(i) * row};
    const ImU32 ink = r.gone ? colour::danger() : (r.deleted ? colour::muted() : colour::text());
    // A card: a thin bar at its left says read (hollow) or unread (filled), as mail apps do.
    const float h = row - 0.22f * e;
    dl->AddRectFilled(a, {a.x + width, a.y + h}, r.gone ? u32(pal().danger, 28) : u32(pal().window), 0.25f * e);
    if (r.unread) dl->AddCircleFilled({a.x + 0.45f * e, a.y + h / 2}, 0.2f * e, colour::client());
    ImFont* font = r.unread ? fonts().picture.bold : fonts().picture.ui;
    float text_w = width - 1.0f * e;
    if (r.flagged) {
      dl->AddTriangleFilled({a.x + width - 0.75f * e, a.y + 0.2f * e}, {a.x + width - 0.2f * e, a.y + h / 2},
                            {a.x + width - 0.75f * e, a.y + h - 0.2f * e}, colour::danger());
      text_w -= 0.9f * e;
    }
    std::string text = r.subject;
    if (!r.note.empty()) text += "  " + r.note;
    const std::string shown_text = ellipsize(text, text_w, font, size);
    const ImVec2 t{a.x + 0.85f * e, a.y + (h - size) / 2};
    dl->AddText(font, size, t, ink, shown_text.c_str());
    if (r.deleted || r.gone) {
      const float w = font->CalcTextSizeA(size, 1e9f, 0, shown_text.c_str()).x;
      dl->AddLine({t.x, t.y + size * 0.55f}, {t.x + w, t.y + size * 0.55f}, ink, std::max(1.0f, 0.08f * e));
    }
  }
  if (cut) {
    char more[64];
    std::snprintf(more, sizeof more, tr("+ %zu more"), total - static_cast<std::size_t>(shown));
    dl->AddText(fonts().picture.ui, size, {at.x + 0.85f * e, at.y + static_cast<float>(shown) * row + 0.05f * e}, colour::muted(), more);
  }
}

// The protocol's states in the order a session goes through them, from the engine's own table.
template <typename State, typename Table>
std::vector<std::string> states_of(const Table& transitions, State skip) {
  std::vector<std::string> out;
  auto add = [&](State s) {
    const std::string name = to_string(s);
    if (s != skip && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  for (const auto& t : transitions) {
    add(t.from);
    add(t.to);
  }
  return out;
}
const std::vector<std::string>& states(world::Protocol p) {
  static const auto pop = states_of(pop3::transitions(), pop3::State::Closed);
  static const auto imap = states_of(imap::transitions(), imap::State::Logout);
  return p == world::Protocol::Pop3 ? pop : imap;
}

// A strip of dots, one per state of the session, the current one lit and named.
void state_strip(ImDrawList* dl, world::Protocol p, std::string_view now, ImVec2 at, float width, ImU32 col) {
  const float e = em(), r = 0.22f * e;
  const auto& all = states(p);
  float x = at.x + r;
  for (const std::string& s : all) {
    const bool lit = s == now;
    if (lit) dl->AddCircleFilled({x, at.y}, r * 1.25f, col);
    else dl->AddCircle({x, at.y}, r, col, 12, std::max(1.0f, 0.07f * e));
    x += 2.7f * r;
  }
  if (now.empty()) return;
  // The state's RFC name (IMAP's in the interface's language), or only the dots when it does
  // not fit: a name cut short reads worse than none.
  const std::string name = tr(std::string(now).c_str());
  if (fonts().picture.ui->CalcTextSizeA(0.72f * e, 1e9f, 0, name.c_str()).x <= at.x + width - x)
    dl->AddText(fonts().picture.ui, 0.72f * e, {x, at.y - 0.42f * e}, col, name.c_str());
}

// What an event on a node is, briefly, for the caption under the picture.
std::optional<std::size_t> node_of(const world::TraceEntry& t, const std::vector<std::unique_ptr<world::Device>>& devices) {
  for (std::size_t k = 0; k < devices.size(); ++k)
    if (!t.device.empty() && devices[k]->config().name == t.device) return k;
  return std::nullopt;
}

}  // namespace

Intent draw_network(const App& app, const char* title, const char* id) {
  Intent intent;
  begin_panel(std::string(title ? title : tr("Network")) + "###" + id);
  ImGui::PushFont(fonts().picture.ui);  // em() is the picture's from here
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const float e = em();
  const world::World& w = app.at_cursor();
  const auto& devices = w.devices();
  const auto& trace = app.trace();
  const std::size_t cursor = app.cursor();
  const world::TraceEntry* now = cursor < trace.size() ? &trace[cursor] : nullptr;
  const Palette& p = pal();
  const ImU32 text = colour::text();

  // --- Top: the narration, a failed expectation, the learner's branch. Their height is measured,
  // the picture gets what is left.
  float below = p0.y + 0.2f * e;
  const float wrap = size.x - 2 * e;
  std::optional<std::size_t> last_say;
  for (std::size_t i = std::min(cursor + 1, trace.size()); i-- > 0;)
    if (trace[i].is_event(world::EventKind::Say)) {
      last_say = i;
      break;
    }
  {
    std::string said;
    if (last_say) {
      const world::Event& say = *trace[*last_say].what;
      said = lang() == Lang::It && !say.text_it.empty() ? say.text_it : say.text;
    } else if (cursor == 0 && !app.playing()) {
      said = app.title(lang());
    }  // before the story starts: what it is about
    if (title && said.empty())  // side by side: the story's own narration was written for its mix
      said = tr("The same story with every device on one protocol: POP3 on the left, IMAP on the right.");
    if (!said.empty()) {
      const ImVec2 ts = fonts().picture.bold->CalcTextSizeA(1.15f * e, 1e9f, wrap - e, said.c_str());
      const ImVec2 a{p0.x + 0.5f * e, below};
      fill_rounded(dl, a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, u32(p.narration), 0.4f * e);
      dl->AddRect(a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, colour::story(), 0.4f * e);
      dl->AddText(fonts().picture.bold, 1.15f * e, {a.x + 0.5f * e, a.y + 0.4f * e}, u32(p.narration_text), said.c_str(), nullptr,
                  wrap - e);
      below = a.y + ts.y + 1.2f * e;
    }
  }
  // A failed `expect`: the story went otherwise than its author said. Red, with what was expected
  // and what was seen, until the story speaks again. (Not on the side-by-side pair: the story
  // was written for the mix it had, and a POP3 phone that cannot move a message is the point.)
  if (const auto failed = title ? std::nullopt : app.failed_check()) {
    const std::string msg = std::string(icon::kBolt) + " " + tr("Expectation failed") + ": " +
                            world::describe_check(*trace[*failed].what, lang());
    const ImVec2 ts = fonts().picture.bold->CalcTextSizeA(e, 1e9f, wrap - e, msg.c_str());
    const ImVec2 a{p0.x + 0.5f * e, below};
    fill_rounded(dl, a, {a.x + ts.x + e, a.y + ts.y + 0.8f * e}, colour::danger(), 0.4f * e);
    dl->AddText(fonts().picture.bold, e, {a.x + 0.5f * e, a.y + 0.4f * e}, u32(p.on_danger), msg.c_str(), nullptr, wrap - e);
    below = a.y + ts.y + 1.2f * e;
  }
  // The learner's clicks branched the story: the script's rest waits aside, and can come back.
  // (Not on the side-by-side pair: their intents go to both stories.)
  if (!title && app.set_aside() > 0) {
    char msg[300];
    std::snprintf(msg, sizeof msg, tr("You changed the story: the rest of the script (%zu statements) is set aside."),
                  app.set_aside());
    const char* restore = tr("Restore the script");
    const float bw = ImGui::CalcTextSize(restore).x + 2 * ImGui::GetStyle().FramePadding.x;
    const float wrap_b = std::max(8 * e, size.x - bw - 4 * e);
    const ImVec2 ts = ImGui::CalcTextSize(msg, nullptr, false, wrap_b);
    const float h = std::max(ts.y, ImGui::GetFrameHeight());
    const ImVec2 a{p0.x + 0.5f * e, below};
    fill_rounded(dl, a, {a.x + ts.x + bw + 2 * e, a.y + h + 0.6f * e}, u32(p.branch), 0.4f * e);
    dl->AddRect(a, {a.x + ts.x + bw + 2 * e, a.y + h + 0.6f * e}, colour::imap(), 0.4f * e);
    dl->AddText(fonts().picture.ui, e, {a.x + 0.5f * e, a.y + 0.3f * e + (h - ts.y) / 2}, u32(p.branch_text), msg, nullptr, wrap_b);
    ImGui::SetCursorScreenPos({a.x + ts.x + e, a.y + 0.3f * e});
    if (ImGui::Button(restore)) intent = {Intent::Kind::RestoreScript};
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", tr("Drops your clicks and goes back to the scripted story from where you changed it. "
                                 "Ctrl+Z takes back only your last click."));
    below = a.y + h + 1.0f * e;
  }

  // --- Bottom: the legend, and over it a caption for what happens on a node now.
  const float legend_y = p0.y + size.y - 1.3f * e;
  const float caption_y = legend_y - 1.5f * e;
  const Rect area{p0.x + 0.3f * e, below + 0.2f * e, p0.x + size.x - 0.3f * e, caption_y - 0.3f * e};
  const NetworkLayout l = layout_network(area, devices.size(), e);

  // The mailbox the server box shows: the one the story last touched (the first one before).
  const mail::Store& store = w.store();
  const mail::Account* shown = store.accounts().empty() ? nullptr : &store.accounts().begin()->second;
  for (std::size_t i = std::min(cursor + 1, trace.size()); i-- > 0;)
    if (trace[i].what && !trace[i].what->account.empty())
      if (const mail::Account* a = store.find_account(trace[i].what->account)) {
        shown = a;
        break;
      }
  // Mail taken off the server for good stays on screen, struck through, while the two latest
  // narrations are up (the one telling of it usually comes after it): the three latest, of the
  // mailbox shown. A move is not a loss: the message shows in its new folder.
  std::optional<std::size_t> from;
  {
    int says = 0;
    for (std::size_t i = std::min(cursor + 1, trace.size()); i-- > 0;)
      if (trace[i].is_event(world::EventKind::Say) && ++says == 3) {
        from = i;
        break;
      }
  }
  std::vector<Row> gone;
  for (std::size_t i = from ? *from : 0; i <= cursor && i < trace.size(); ++i) {
    const world::TraceEntry& t = trace[i];
    if (t.is_event(world::EventKind::Restored)) gone.clear();  // the backup's mail is back
    if (!t.is_event(world::EventKind::Expunged) || !shown || !iequals(t.what->account, shown->address())) continue;
    bool moved = false;  // an IMAP MOVE stores the copy first, by the same session
    for (std::size_t j = i; j-- > 0 && i - j <= 4 && !moved;)
      moved = trace[j].is_event(world::EventKind::Stored) && trace[j].what->actor == t.what->actor;
    if (moved) continue;
    // POP3's DELE at QUIT and IMAP's EXPUNGE both end here; who did it says which.
    const bool pop = t.what->actor.starts_with("pop3");
    gone.push_back({t.what->subject.empty() ? tr("(no subject)") : t.what->subject, false, false, false, true,
                    pop ? tr("(removed at QUIT)") : tr("(expunged)")});
  }
  if (gone.size() > 3) gone.erase(gone.begin(), gone.end() - 3);

  // --- Links, under the boxes.
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const auto& c = devices[k]->config();
    const ImU32 col = c.protocol == world::Protocol::Pop3 ? colour::pop() : colour::imap();
    const bool up = devices[k]->connected();
    dl->AddLine(v(l.link_from[k]), v(l.link_to[k]), up ? col : (col & 0x00FFFFFF) | 0x60000000, up ? 0.3f * e : 0.12f * e);
  }

  // --- The server.
  {
    const Rect& r = l.server;
    const bool news = now && now->what && world::source_of(now->what->kind) == world::Source::Server;
    fill_rounded(dl, v({r.x0, r.y0}), v({r.x1, r.y1}), colour::box(), 0.6f * e);
    dl->AddRect(v({r.x0, r.y0}), v({r.x1, r.y1}), colour::server(), 0.6f * e, 0, news ? 0.3f * e : 0.15f * e);
    dl->AddText(fonts().picture.big, 1.5f * e, {r.x0 + 0.5f * e, r.y0 + 0.35f * e}, colour::server(), icon::kServer);
    const std::string domain = ellipsize(store.domain(), r.width() - 2.8f * e, fonts().picture.bold, e);
    dl->AddText(fonts().picture.bold, e, {r.x0 + 2.3f * e, r.y0 + 0.3f * e}, text, domain.c_str());
    std::size_t messages = 0;
    const std::uint64_t used = shown ? shown->used() : 0, quota = shown ? shown->quota() : 0;
    const mail::Account* first = shown;
    if (shown)
      for (const auto& [fn, f] : shown->folders()) messages += f.count();
    const std::string count = world::format_count(messages, lang()) + " " + tr(messages == 1 ? "message" : "messages");
    dl->AddText(fonts().picture.ui, 0.82f * e, {r.x0 + 2.3f * e, r.y0 + 1.35f * e}, colour::muted(), count.c_str());
    // The mailbox's folders as webmail lists them, INBOX first; what just left, struck through.
    if (first) {
      std::vector<Row> rows = gone;  // what just left comes first: it is the news
      std::size_t total = gone.size();
      // POP3's DELE only marks: the message goes at QUIT (UPDATE), not before.
      std::vector<mail::Uid> marked;
      for (const auto& d : devices)
        if (iequals(d->config().account, first->address()))
          for (const mail::Uid u : d->marked_for_deletion()) marked.push_back(u);
      const std::size_t limit = static_cast<std::size_t>(std::max(0, l.server_rows));
      for (const auto* entry : in_mail_app_order(first->folders())) {
        total += entry->second.count();
        for (const auto& m : entry->second.messages()) {
          if (rows.size() >= limit) break;
          const bool dele = entry->first == "INBOX" && std::find(marked.begin(), marked.end(), m.uid) != marked.end();
          rows.push_back({subject_of(m.message), !(m.flags & mail::kSeen), (m.flags & mail::kDeleted) != 0 || dele,
                          (m.flags & mail::kFlagged) != 0, false,
                          dele ? tr("(DELE: goes at QUIT)")
                               : entry->first == "INBOX" ? std::string() : "- " + tr_folder(entry->first)});
        }
      }
      const float x = r.x0 + 0.5f * e, width = r.width() - e;
      dl->AddText(fonts().picture.ui, 0.75f * e, {x, r.y0 + kServerHeadEm * e - 0.25f * e}, colour::muted(),
                  ellipsize(first->address(), width, fonts().picture.ui, 0.75f * e).c_str());
      const float top = r.y0 + kServerHeadEm * e + 0.7f * e;
      if (rows.empty()) dl->AddText(fonts().picture.ui, 0.82f * e, {x + 0.85f * e, top}, colour::muted(), tr("(no mail)"));
      draw_rows(dl, rows, total, {x, top}, width, l.server_rows);
    }
    if (quota) {  // the disk gauge at the foot of the box
      const float gw = r.width() - e, gy = r.y1 - 2.0f * e;
      const float fill = std::min(1.0f, static_cast<float>(used) / static_cast<float>(quota));
      dl->AddRectFilled({r.x0 + 0.5f * e, gy}, {r.x0 + 0.5f * e + gw, gy + 0.45f * e}, u32(p.window), 0.2f * e);
      dl->AddRect({r.x0 + 0.5f * e, gy}, {r.x0 + 0.5f * e + gw, gy + 0.45f * e}, colour::muted(), 0.2f * e);
      dl->AddRectFilled({r.x0 + 0.5f * e, gy}, {r.x0 + 0.5f * e + gw * fill, gy + 0.45f * e},
                        fill > 0.9f ? colour::danger() : colour::server(), 0.2f * e);
      const std::string label = human_size(used) + " " + tr("of") + " " + human_size(quota) + " " + tr("used");
      centered_text(dl, fonts().picture.ui, 0.75f * e, {r.centre().x, gy + 1.05f * e}, colour::muted(),
                    ellipsize(label, gw, fonts().picture.ui, 0.75f * e));
    }
  }

  // --- Devices.
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const world::Device& d = *devices[k];
    const auto& c = d.config();
    const Rect& r = l.devices[k];
    const bool pop = c.protocol == world::Protocol::Pop3, tls = c.security != world::Security::Plain;
    const ImU32 col = pop ? colour::pop() : colour::imap();
    const bool selected = app.selected_device() == k;
    // News for this device arriving now: its box lights up (IMAP's changes ripple to every device).
    const bool news = now && now->device == c.name &&
                      ((now->kind == world::TraceEntry::Kind::Wire && !now->to_server) || now->what);
    const ImVec2 a{r.x0, r.y0}, b{r.x1, r.y1};
    fill_rounded(dl, a, b, d.crashed() ? u32(p.danger, 30) : colour::box(), 0.6f * e);
    dl->AddRect(a, b, d.crashed() ? colour::danger() : col, 0.6f * e, 0, selected || news ? 0.3f * e : 0.12f * e);
    if (selected) dl->AddRect({a.x - 0.25f * e, a.y - 0.25f * e}, {b.x + 0.25f * e, b.y + 0.25f * e}, colour::client(), 0.8f * e, 0, 0.1f * e);
    dl->AddText(fonts().picture.big, 1.3f * e, {a.x + 0.45f * e, a.y + 0.3f * e}, d.crashed() ? colour::danger() : text, device_icon(c.kind));
    const float tx = a.x + 2.0f * e, tw = r.width() - 2.4f * e;
    const std::string name = ellipsize(c.name, tw, fonts().picture.bold, e);
    dl->AddText(fonts().picture.bold, e, {tx, a.y + 0.25f * e}, text, name.c_str());
    const float name_w = fonts().picture.bold->CalcTextSizeA(e, 1e9f, 0, name.c_str()).x;
    const std::string client = ellipsize(tr(c.client.c_str()), tw - name_w - 0.5f * e, fonts().picture.ui, 0.75f * e);
    if (name_w + 2 * e < tw) dl->AddText(fonts().picture.ui, 0.75f * e, {tx + name_w + 0.5f * e, a.y + 0.42f * e}, colour::muted(), client.c_str());
    // Line 2: protocol, port, lock; the session's state while connected.
    const std::string proto = std::string(pop ? "POP3 " : "IMAP ") + std::to_string(c.port) + " " + (tls ? icon::kLock : icon::kUnlock);
    dl->AddText(fonts().picture.bold, 0.82f * e, {tx, a.y + 1.45f * e}, tls ? col : colour::danger(), proto.c_str());
    const float pw = fonts().picture.bold->CalcTextSizeA(0.82f * e, 1e9f, 0, proto.c_str()).x;
    // A crowded picture has no room for message rows: the count goes at the end of this line.
    const std::string n = std::to_string(d.count("INBOX")) + " " + icon::kEnvelope;
    const float count_w = l.device_rows > 0 || d.crashed() || d.external() ? 0 : fonts().picture.ui->CalcTextSizeA(0.85f * e, 1e9f, 0, n.c_str()).x + 0.6f * e;
    if (d.connected() && !d.external())
      state_strip(dl, c.protocol, d.server_state(), {tx + pw + 0.5f * e, a.y + 1.95f * e}, tw - pw - 0.5f * e - count_w, col);
    const float top = a.y + kDeviceHeadEm * e;
    if (d.crashed()) {
      const std::string broken = ellipsize(tr("Broken: its mail is gone. Replace it."), r.width() - e, fonts().picture.bold, 0.9f * e);
      dl->AddText(fonts().picture.bold, 0.9f * e, {a.x + 0.5f * e, top}, colour::danger(), broken.c_str());
    } else if (d.external()) {
      dl->AddText(fonts().picture.ui, 0.82f * e, {a.x + 0.5f * e, top}, text, tr(d.connected() ? "connected" : "not connected"));
    } else if (l.device_rows > 0) {
      std::size_t total = 0;
      const std::vector<Row> rows = device_rows(d, static_cast<std::size_t>(l.device_rows), total);
      if (rows.empty())
        dl->AddText(fonts().picture.ui, 0.82f * e, {a.x + 1.35f * e, top}, colour::muted(), tr("(no mail)"));
      draw_rows(dl, rows, total, {a.x + 0.5f * e, top}, r.width() - e, l.device_rows);
    } else {
      dl->AddText(fonts().picture.ui, 0.85f * e, {b.x - count_w + 0.2f * e, a.y + 1.45f * e}, text, n.c_str());
    }
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(static_cast<int>(k));
    if (ImGui::InvisibleButton("device", {r.width(), r.height()})) intent = {Intent::Kind::Select, k};
    ImGui::PopID();
  }

  // --- The line being sent: an envelope on its link, the command beside it when there is room.
  if (now && now->kind == world::TraceEntry::Kind::Wire)
    if (const auto k = node_of(*now, devices)) {
      const ImVec2 from = v(l.link_from[*k]), to = v(l.link_to[*k]);
      const float ph = app.phase();
      const ImVec2 at = now->to_server ? lerp(from, to, ph) : lerp(to, from, ph);
      const ImU32 col = now->to_server ? colour::client() : colour::server();
      const float span = std::abs(to.x - from.x);
      std::string line(now->text.first_line());
      const std::string shown = ellipsize(line, span - 2.4f * e, fonts().picture.mono, 0.85f * e);
      const float tw = shown.size() > 3 ? fonts().picture.mono->CalcTextSizeA(0.85f * e, 1e9f, 0, shown.c_str()).x : 0;
      const float bw = 1.6f * e + (tw > 0 ? tw + 0.5f * e : 0);
      // The label stays between the box and the server, above the link.
      const float lo = std::min(from.x, to.x), hi = std::max(from.x, to.x);
      const float x0 = std::clamp(at.x - bw / 2, lo, std::max(lo, hi - bw));
      const ImVec2 a{x0, at.y - 2.0f * e}, b{x0 + bw, at.y - 0.4f * e};
      fill_rounded(dl, a, b, colour::box(), 0.3f * e);
      dl->AddRect(a, b, col, 0.3f * e, 0, 0.1f * e);
      dl->AddText(fonts().picture.ui, 0.9f * e, {a.x + 0.3f * e, a.y + 0.3f * e}, col, now->tls ? icon::kLock : icon::kEnvelope);
      if (tw > 0) dl->AddText(fonts().picture.mono, 0.85f * e, {a.x + 1.5f * e, a.y + 0.35f * e}, text, shown.c_str());
      dl->AddCircleFilled(at, 0.35f * e, col);
    }

  // --- The caption: what happens now, on which node, in a line of its own.
  if (now && now->kind == world::TraceEntry::Kind::Wire) {
    // The line on its way, whole, in a line of its own: the envelope on a short link has no room.
    const std::string who = now->to_server ? now->device + " -> " + tr("server") : tr("server") + std::string(" -> ") + now->device;
    const std::string head = who + ":  ";
    const ImU32 col = now->to_server ? colour::client() : colour::server();
    dl->AddText(fonts().picture.bold, 0.9f * e, {p0.x + 0.5f * e, caption_y}, col, head.c_str());
    const float hw = fonts().picture.bold->CalcTextSizeA(0.9f * e, 1e9f, 0, head.c_str()).x;
    const std::string line = ellipsize(std::string(now->text.first_line()), size.x - hw - e, fonts().picture.mono, 0.9f * e);
    dl->AddText(fonts().picture.mono, 0.9f * e, {p0.x + 0.5f * e + hw, caption_y}, text, line.c_str());
  } else if (now && now->what && now->what->kind != world::EventKind::Say &&
             !(now->what->kind == world::EventKind::Check && now->what->ok)) {  // a check that held is for authors
    const ImU32 col = tone_colour(tone_of(*now->what));
    std::string who = now->device.empty() ? "" : now->device + ": ";
    const std::string caption = ellipsize(who + tr_event(*now->what), size.x - e, fonts().picture.bold, 0.9f * e);
    dl->AddText(fonts().picture.bold, 0.9f * e, {p0.x + 0.5f * e, caption_y}, col, caption.c_str());
  } else if (cursor == 0 && !app.playing()) {
    const std::string hint = tr("Press Space to play, Right arrow to go one line at a time.");
    const ImVec2 hs = fonts().picture.bold->CalcTextSizeA(e, 1e9f, 0, hint.c_str());
    dl->AddText(fonts().picture.bold, e, {p0.x + std::max(0.5f * e, (size.x - hs.x) / 2), caption_y}, colour::client(), hint.c_str());
  }

  // --- Legend.
  {
    float x = p0.x + 0.5f * e;
    auto key = [&](ImU32 col, const char* label) {
      dl->AddRectFilled({x, legend_y + 0.35f * e}, {x + 1.2f * e, legend_y + 0.65f * e}, col);
      dl->AddText({x + 1.5f * e, legend_y}, text, label);
      x += 1.5f * e + ImGui::CalcTextSize(label).x + e;
    };
    key(colour::pop(), "POP3");
    key(colour::imap(), "IMAP");
    const std::string lock = std::string(icon::kLock) + " " + tr("encrypted (TLS)") + "   " + icon::kUnlock + " " + tr("plain text");
    dl->AddText({x, legend_y}, text, ellipsize(lock, p0.x + size.x - x, fonts().picture.ui, e).c_str());
  }
  ImGui::PopFont();
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
