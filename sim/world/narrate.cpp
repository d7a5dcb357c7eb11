#include "sim/world/narrate.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "sim/core/text.hpp"
#include "sim/imap/mutf7.hpp"

namespace postino::world {

Source source_of(EventKind kind) {
  switch (kind) {
    case EventKind::LoginFailed:
    case EventKind::Delivered:
    case EventKind::Bounced:
    case EventKind::Stored:
    case EventKind::FlagsChanged:
    case EventKind::Expunged:
    case EventKind::FolderCreated:
    case EventKind::FolderDeleted:
    case EventKind::FolderRenamed:
    case EventKind::BackupTaken:
    case EventKind::Restored:
    case EventKind::RestoreImpossible:
    case EventKind::SentOut:
    case EventKind::PasswordChanged: return Source::Server;
    case EventKind::TimePasses: return Source::Clock;
    case EventKind::Say: return Source::Narration;
    case EventKind::Check: return Source::Expectation;
    case EventKind::Connected:
    case EventKind::TlsAtConnect:
    case EventKind::TlsUpgraded:
    case EventKind::Disconnected:
    case EventKind::DisconnectedForSettings:
    case EventKind::ConnectionCut:
    case EventKind::Downloaded:
    case EventKind::DeletedAtQuit:
    case EventKind::ClientError:
    case EventKind::DeletedOnDevice:
    case EventKind::LocalFolderCreated:
    case EventKind::TrashRecreated:
    case EventKind::MovedOnDevice:
    case EventKind::SettingChanged:
    case EventKind::ProtocolChanged:
    case EventKind::Crashed:
    case EventKind::Broken:
    case EventKind::Replaced:
    case EventKind::MailSent:
    case EventKind::SentHereOnly:
    case EventKind::DeviceAdded:
    case EventKind::GoneFromView: return Source::Device;
  }
  return Source::Device;
}

std::string source_label(Source s, Lang lang) {
  const bool it = lang == Lang::It;
  switch (s) {
    case Source::Device: return {};
    case Source::Server: return "server";
    case Source::Clock: return it ? "orologio" : "clock";
    case Source::Narration: return it ? "narratore" : "say";
    case Source::Expectation: return it ? "verifica" : "expect";
  }
  return {};
}

std::string folder_name(std::string_view stored, Lang lang) {
  if (lang == Lang::It) {
    // The names Italian mail apps (Thunderbird, Outlook, Apple Mail) show for these folders.
    if (iequals(stored, "INBOX")) return "Posta in arrivo";
    if (stored == "Sent") return "Posta inviata";
    if (stored == "Drafts") return "Bozze";
    if (stored == "Trash") return "Cestino";
    if (stored == "Junk") return "Posta indesiderata";
    if (stored == "Archive") return "Archivio";
  }
  if (auto utf8 = imap::mutf7_decode(stored)) return *utf8;
  return std::string(stored);
}

std::string format_count(std::uint64_t n, Lang lang) {
  std::string digits = std::to_string(n), out;
  const char sep = lang == Lang::It ? '.' : ',';
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::string format_when(Time t, Lang lang) {
  if (lang == Lang::En) return format_short(t);
  const CivilTime c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.minute);
  return buf;
}

std::string format_size(std::uint64_t n, Lang lang) {
  if (n < 1024) return format_count(n, lang) + (lang == Lang::It ? " byte" : " bytes");
  // One decimal, as mail apps show sizes: "1.2 MB", "1,2 MB".
  const char* units[] = {"KB", "MB", "GB", "TB"};
  double v = static_cast<double>(n) / 1024;
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(units)) {
    v /= 1024;
    ++u;
  }
  char buf[48];
  // "200 KB" rather than "200.0 KB".
  const bool whole = static_cast<std::uint64_t>(v * 10 + 0.5) % 10 == 0;
  std::snprintf(buf, sizeof buf, whole ? "%.0f %s" : "%.1f %s", v, units[u]);
  std::string out = buf;
  if (lang == Lang::It) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string count_of(std::uint64_t n, Lang lang, const char* one, const char* many) {
  return format_count(n, lang) + " " + (n == 1 ? one : many);
}

std::string describe(const Event& e, Lang lang) {
  return lang == Lang::It ? detail::describe_it(e) : detail::describe_en(e);
}

std::string client_problem(const Event& e, Lang lang) {
  return lang == Lang::It ? detail::problem_it(e) : detail::problem_en(e);
}

std::string describe_check(const Event& e, Lang lang) {
  return lang == Lang::It ? detail::check_it(e) : detail::check_en(e);
}

namespace detail {

std::string quoted_list(const std::vector<std::string>& v, const char* open, const char* close,
                        const char* none) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + (open + s + close);
  return out.empty() ? none : out;
}

}  // namespace detail

}  // namespace postino::world
