#include "sim/world/transcript.hpp"

#include <cstdio>

#include "sim/world/narrate.hpp"

namespace postino::world {
namespace {

constexpr std::size_t kHead = 12, kTail = 3;  // lines kept of a long block

std::vector<std::string_view> lines_of(const SharedText& text) {
  std::vector<std::string_view> out;
  text.for_each_piece([&](std::string_view bytes) {  // pieces end at line ends
    while (!bytes.empty()) {
      auto eol = bytes.find("\r\n");
      out.push_back(bytes.substr(0, eol));
      if (eol == std::string_view::npos) break;
      bytes.remove_prefix(eol + 2);
    }
  });
  return out;
}

std::string md_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '`') out += "'";
    else out += c;
  }
  return out;
}

}  // namespace

std::string format_time(Time t) {
  const CivilTime c = to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", c.year, c.month, c.day,
                c.hour, c.minute, c.second, static_cast<int>(((t % 1000) + 1000) % 1000));
  return buf;
}

std::size_t printed_lines(const TraceEntry& e) {
  if (e.kind == TraceEntry::Kind::Event) return 1;
  const std::size_t n = lines_of(e.text).size();
  return n <= kHead + kTail + 1 ? n : kHead + kTail + 1;
}

std::string who_of(const TraceEntry& e, Lang lang) {
  if (!e.what || !e.device.empty()) return e.device;
  return source_label(source_of(e.what->kind), lang);
}

std::string transcript(const std::vector<TraceEntry>& trace, TranscriptFormat format, bool full,
                       const std::string& title, Lang lang) {
  const bool md = format == TranscriptFormat::Markdown;
  const bool it = lang == Lang::It;
  std::string out;
  if (md) {
    out += "# " + (title.empty() ? std::string(it ? "Trascrizione di Postino" : "Postino transcript") : md_escape(title)) + "\n\n";
    out += it ? "C: è il dispositivo che parla, S: il server; il lucchetto segna ciò che ha viaggiato cifrato "
                "(qui mostrato in chiaro).\n\n| ora | chi | | |\n|---|---|---|---|\n"
              : "C: is the device speaking, S: the server; a lock marks what travelled encrypted "
                "(shown here decrypted).\n\n| time | who | | |\n|---|---|---|---|\n";
  }
  auto row = [&](Time t, const std::string& who, const std::string& dir, std::string_view text) {
    if (md) {
      const bool event = dir == "*";
      out += "| " + format_time(t).substr(11) + " | " + md_escape(who) + " | " +
             (event ? "" : dir == "C:tls" ? "C: 🔒" : dir == "S:tls" ? "S: 🔒" : dir) + " | " +
             (event ? "*" + md_escape(text) + "*" : "`" + md_escape(text) + "`") + " |\n";
    } else {
      out += format_time(t) + " " + who + " " + dir + " ";
      out += text;
      out += "\n";
    }
  };
  for (const TraceEntry& e : trace) {
    if (e.kind == TraceEntry::Kind::Event) {
      row(e.sent, who_of(e, lang), "*", e.what ? describe(*e.what, lang) : std::string());
      continue;
    }
    const std::string dir = std::string(e.to_server ? "C:" : "S:") + (e.tls ? "tls" : "");
    const auto lines = lines_of(e.text);
    if (full || lines.size() <= kHead + kTail + 1) {
      for (auto l : lines) row(e.sent, e.device, dir, l);
      continue;
    }
    std::size_t hidden_octets = 0;
    for (std::size_t i = kHead; i + kTail < lines.size(); ++i) hidden_octets += lines[i].size() + 2;
    for (std::size_t i = 0; i < kHead; ++i) row(e.sent, e.device, dir, lines[i]);
    const std::uint64_t more = lines.size() - kHead - kTail;
    row(e.sent, e.device, dir,
        it ? "[... altre " + count_of(more, lang, "riga", "righe") + ", " + count_of(hidden_octets, lang, "ottetto", "ottetti") +
                 ": con --full si vedono tutte ...]"
           : "[... " + std::to_string(more) + " more lines, " + std::to_string(hidden_octets) +
                 " octets: run with --full to see them ...]");
    for (std::size_t i = lines.size() - kTail; i < lines.size(); ++i) row(e.sent, e.device, dir, lines[i]);
  }
  return out;
}

}  // namespace postino::world
