// The transcript: every line up to the cursor, C: blue, S: green, what happened in grey, a lock
// on what travelled encrypted; hovering a command explains it with its RFC section.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gui/i18n.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "io/config_dir.hpp"
#include "io/tls.hpp"
#include "sim/core/text.hpp"
#include "sim/imap/states.hpp"
#include "sim/pop3/states.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"

namespace postino::gui {
namespace {

struct Row {
  std::size_t entry;
  const world::TraceEntry* t;
  std::string_view line;
  int dir = -1;  // wire view: 1 client to server, 0 server to client (-1: as the entry says)
};

// "What a listener on the wire sees": what went under TLS is encrypted for real (io::WireTap,
// one per connection) and shown as its records; plain text stays readable, passwords included.
// Kept between frames for one run; the trace only grows or is made again the same.
class WireView {
 public:
  struct Line {
    bool to_server;
    std::string text;
  };
  // The rows to show for trace entry `i` instead of its text (none: show the text).
  const std::vector<Line>* at(const App& app, std::size_t i) {
    if (run_ != app.run_id()) {
      *this = WireView();
      run_ = app.run_id();
    }
    const auto& trace = app.trace();
    for (; done_ <= i && done_ < trace.size(); ++done_) look_at(trace[done_], done_);
    auto it = lines_.find(i);
    return it == lines_.end() ? nullptr : &it->second;
  }
  const std::string& error() const { return error_; }

 private:
  void look_at(const world::TraceEntry& t, std::size_t i) {
    if (t.what) {
      if (t.what->kind == world::EventKind::Connected) taps_.erase(t.device);
      if (t.what->kind == world::EventKind::TlsAtConnect || t.what->kind == world::EventKind::TlsUpgraded) {
        auto tap = io::WireTap::start(io::config_dir(), error_);
        if (!tap) return;
        add(i, tap->handshake(), "handshake");
        taps_[t.device] = std::move(tap);
      }
      return;
    }
    if (!t.tls) return;
    auto& tap = taps_[t.device];
    if (!tap && !(tap = io::WireTap::start(io::config_dir(), error_))) return;
    add(i, tap->seal(t.text.str(), t.to_server), "application data");
  }
  void add(std::size_t i, const std::vector<io::WireTap::Record>& records, const char* what) {
    auto& out = lines_[i];
    std::size_t shown = 0, octets = 0;
    for (const auto& r : records) {
      if (shown++ < 4)
        out.push_back({r.to_server, "[" + std::string(tr(what)) + ", " + std::to_string(r.bytes.size()) + " " + tr("bytes") + "] " + io::hex(r.bytes, 20)});
      else octets += r.bytes.size();
    }
    if (shown > 4) {
      char more[160];
      std::snprintf(more, sizeof more, tr("[... %zu more records, %zu bytes ...]"), shown - 4, octets);
      out.push_back({records.back().to_server, more});
    }
  }

  std::uint64_t run_ = ~0ull;
  std::size_t done_ = 0;
  std::map<std::string, std::unique_ptr<io::WireTap>> taps_;
  std::map<std::size_t, std::vector<Line>> lines_;
  std::string error_;
};

// "USER x" (POP3) or "A001 LOGIN x" (IMAP): what the command is, in plain words.
std::string explain(std::string_view line) {
  auto words = split_words(line);
  if (words.empty()) return {};
  // The server's news about the open folder: "* 3 EXPUNGE", "* VANISHED 4:6", "* 7 EXISTS".
  if (words[0] == "*" && words.size() >= 2) {
    struct News {
      const char* key;
      std::size_t at;  // which word names it
      const char* what;
      const char* rfc;
    };
    static constexpr News kNews[] = {
        {"EXISTS", 2, "how many messages the folder has now", "RFC 3501 7.3.1"},
        {"EXPUNGE", 2, "the message with this number was removed; the ones after it move up", "RFC 3501 7.4.1"},
        {"FETCH", 2, "a message's data, or flags that changed", "RFC 3501 7.4.2"},
        {"VANISHED", 1, "these UIDs were removed (QRESYNC's EXPUNGE)", "RFC 7162 3.2.10"},
        {"ENABLED", 1, "the extensions now on", "RFC 5161"},
    };
    for (const News& n : kNews)
      if (n.at < words.size() && words[n.at] == n.key)
        return std::string("* ") + n.key + ": " + tr_command(std::string("* ") + n.key, n.what) + " (" + n.rfc + ")";
    return {};
  }
  if (line.find("(QRESYNC (") != std::string_view::npos)
    return "SELECT QRESYNC: " +
           tr_command("SELECT QRESYNC", "opens the folder and asks only for what changed since last time") +
           " (RFC 7162 3.2.5)";
  if (const auto* c = pop3::find_command(words[0]))
    return std::string(c->name) + ": " + tr_command(c->name, c->what) + " (" + std::string(c->rfc) + ")";
  if (words.size() >= 2) {
    std::string_view verb = words[1];
    if (iequals(verb, "UID") && words.size() >= 3) verb = words[2];
    if (const auto* c = imap::find_command(verb))
      return std::string(c->name) + ": " + tr_command(c->name, c->what) + " (" + std::string(c->rfc) + ")";
  }
  return {};
}

}  // namespace

Intent draw_transcript(const App& app) {
  Intent intent;
  begin_panel(std::string(tr("Transcript")) + "###Transcript");
  // Two ways to read the same exchange: the lines, or who talks to whom.
  bool sequence = false;
  if (ImGui::BeginTabBar("how")) {
    // In a lesson the transcript is a tab of the lesson's panel: this one goes back to it.
    if (app.current_lesson() && ImGui::TabItemButton((std::string(tr("Lesson")) + "###tolesson").c_str(), ImGuiTabItemFlags_Leading))
      prefs().lesson_transcript = false;
    static bool first = true;  // --sequence opens on the diagram
    const ImGuiTabItemFlags pick = first && prefs().sequence ? ImGuiTabItemFlags_SetSelected : 0;
    first = false;
    if (ImGui::BeginTabItem((std::string(tr("Lines")) + "###lines").c_str())) ImGui::EndTabItem();
    if (ImGui::BeginTabItem((std::string(tr("Sequence")) + "###sequence").c_str(), nullptr, pick)) {
      sequence = true;
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  if (sequence) {
    intent = draw_sequence(app);
    ImGui::End();
    return intent;
  }
  // Filter by device; copy or save what is shown.
  static int only = -1;  // -1: every device
  const auto& devs = app.at_cursor().devices();
  ImGui::SetNextItemWidth(10 * em());
  const char* shown = only < 0 || only >= static_cast<int>(devs.size()) ? tr("All devices")
                                                                         : devs[static_cast<std::size_t>(only)]->config().name.c_str();
  if (ImGui::BeginCombo("##only", shown)) {
    if (ImGui::Selectable(tr("All devices"), only < 0)) only = -1;
    for (std::size_t k = 0; k < devs.size(); ++k)
      if (ImGui::Selectable(devs[k]->config().name.c_str(), only == static_cast<int>(k))) only = static_cast<int>(k);
    ImGui::EndCombo();
  }
  bool& wire = prefs().wire;
  next_in_toolbar(tr("What a listener sees"));
  ImGui::Checkbox(tr("What a listener sees"), &wire);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("Lines sent under TLS are shown as the encrypted records someone on the network "
                               "would capture; plain text (ports 110 and 143 without STLS/STARTTLS) stays "
                               "readable, passwords included."));
#ifdef __EMSCRIPTEN__
  if (wire) {  // no TLS library in the browser build (io/tls_web.cpp)
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("(encrypted records: in the desktop program only)"));
  }
#endif
  next_in_toolbar(tr("Copy"));
  if (ImGui::Button(tr("Copy"))) ImGui::SetClipboardText(app.transcript(false, lang()).c_str());
  next_in_toolbar(tr("Save as text"));
  if (ImGui::Button(tr("Save as text"))) intent = {Intent::Kind::Export, 0};
  next_in_toolbar(tr("Save as Markdown"));
  if (ImGui::Button(tr("Save as Markdown"))) intent = {Intent::Kind::Export, 1};
  const std::string only_name = only >= 0 && only < static_cast<int>(devs.size()) ? devs[static_cast<std::size_t>(only)]->config().name : "";
  ImGui::Separator();
  ImGui::BeginChild("lines");
  const auto& trace = app.trace();
  // The rows up to the cursor, kept between frames and extended as the cursor moves on: a
  // 10,000-message run has hundreds of thousands of lines.
  static std::vector<Row> rows;
  static const world::TraceEntry* rows_of = nullptr;
  static std::uint64_t rows_epoch = 0;
  static std::size_t rows_upto = 0;  // entries [0, rows_upto) are in `rows`
  static std::string rows_only;
  static bool rows_wire = false;
  static WireView wire_view;
  if (rows_only != only_name || rows_wire != wire) {
    rows_only = only_name;
    rows_wire = wire;
    rows_of = nullptr;
  }
  const std::size_t upto = trace.empty() ? 0 : std::min(app.cursor() + 1, trace.size());
  if (rows_of != trace.data() || upto < rows_upto || rows_epoch != app.trace_epoch()) {
    rows.clear();
    rows_of = trace.data();
    rows_epoch = app.trace_epoch();
    rows_upto = 0;
  }
  for (std::size_t i = rows_upto; i < upto; ++i) {
    // One device's lines keep the story's and the server's around them.
    if (!only_name.empty() && trace[i].device != only_name && !trace[i].device.empty()) continue;
    const std::vector<WireView::Line>* sealed = wire ? wire_view.at(app, i) : nullptr;
    if (trace[i].what) {
      rows.push_back({i, &trace[i], {}});  // its sentence is made when drawn, in today's language
      if (sealed)
        for (const auto& l : *sealed) rows.push_back({i, &trace[i], l.text, l.to_server ? 1 : 0});
      continue;
    }
    if (sealed) {
      for (const auto& l : *sealed) rows.push_back({i, &trace[i], l.text, l.to_server ? 1 : 0});
      continue;
    }
    std::size_t lines = 0;
    bool more = false;
    trace[i].text.for_each_piece([&](std::string_view text) {  // pieces end at line ends
      while (!text.empty()) {
        if (lines == 40) {  // long bodies: the first 40 lines
          more = true;
          return;
        }
        auto eol = text.find("\r\n");
        rows.push_back({i, &trace[i], text.substr(0, eol)});
        ++lines;
        if (eol == std::string_view::npos) break;
        text.remove_prefix(eol + 2);
      }
    });
    if (more) rows.push_back({i, &trace[i], tr("[... more lines ...]")});
  }
  rows_upto = upto;
  ImGui::PushFont(fonts().mono);
  float name_width = 0;
  for (auto s : {world::Source::Server, world::Source::Clock, world::Source::Narration, world::Source::Expectation})
    name_width = std::max(name_width, ImGui::CalcTextSize(world::source_label(s, lang()).c_str()).x);
  for (const auto& d : app.at_cursor().devices())
    name_width = std::max(name_width, ImGui::CalcTextSize(d->config().name.c_str()).x);
  const float column = ImGui::CalcTextSize("00:00:00 ").x + name_width + em();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const Row& row = rows[static_cast<std::size_t>(r)];
      const world::TraceEntry& t = *row.t;
      const std::string time = world::format_time(t.sent).substr(11, 8);
      ImGui::TextDisabled("%s", time.c_str());
      ImGui::SameLine();
      ImGui::TextUnformatted(world::who_of(t, lang()).c_str());
      ImGui::SameLine(column);
      if (row.dir >= 0) {  // a TLS record, as captured on the wire
        ImGui::PushStyleColor(ImGuiCol_Text, row.dir ? colour::client() : colour::server());
        ImGui::Text("%s %.*s", row.dir ? "C:" : "S:", static_cast<int>(row.line.size()), row.line.data());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          ImGui::PushFont(fonts().ui);
          ImGui::TextUnformatted(tr("A TLS record: 16 = handshake, 17 = application data, then the version (03 03) "
                                    "and the length. The rest is encrypted: without the keys it means nothing."));
          ImGui::PopFont();
          ImGui::EndTooltip();
        }
      } else if (t.what) {
        ImGui::PushStyleColor(ImGuiCol_Text, tone_colour(tone_of(*t.what)));
        ImGui::TextWrapped("* %s", tr_event(*t.what).c_str());
        ImGui::PopStyleColor();
      } else {
        // A long line (a FETCH with its items, a header) wraps in its column, as events do:
        // cut at the panel's edge it hid the part that mattered.
        ImGui::PushStyleColor(ImGuiCol_Text, t.to_server ? colour::client() : colour::server());
        ImGui::PushTextWrapPos(0);
        ImGui::Text("%s %s%.*s", t.to_server ? "C:" : "S:", t.tls ? "\xef\x80\xa3 " : "",
                    static_cast<int>(row.line.size()), row.line.data());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
          const std::string why = explain(row.line);
          ImGui::BeginTooltip();
          ImGui::PushFont(fonts().ui);
          ImGui::TextUnformatted(tr(t.to_server ? "Sent by the device to the server" : "Sent by the server to the device"));
          if (!why.empty()) ImGui::TextUnformatted(why.c_str());
          ImGui::TextUnformatted(tr(t.tls ? "Encrypted on the wire (shown decrypted)" : "Plain text: readable on the network"));
          ImGui::PopFont();
          ImGui::EndTooltip();
        }
      }
      if (ImGui::IsItemClicked()) intent = {Intent::Kind::Seek, row.entry};
    }
  }
  ImGui::PopFont();
  static FollowCursor follow;
  follow.update(app.cursor(), app.playing());
  ImGui::EndChild();
  ImGui::End();
  return intent;
}

}  // namespace postino::gui
