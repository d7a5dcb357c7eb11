// The English formatter: events as `postino run` has always written them.
#include "sim/mail/flags.hpp"
#include "sim/world/narrate.hpp"

namespace postino::world::detail {
namespace {

constexpr Lang kLang = Lang::En;

std::string q(const std::string& s) { return "\"" + s + "\""; }
std::string where(const Event& e) { return e.account + " " + folder_name(e.folder, kLang); }
std::string by(const Event& e) { return e.actor.empty() ? std::string() : " (by " + e.actor + ")"; }
std::string list(const std::vector<std::string>& v) { return quoted_list(v, "\"", "\"", "nothing"); }

std::string security(Security s) {
  switch (s) {
    case Security::Tls: return "TLS from the start";
    case Security::StartTls: return "upgraded to TLS with STARTTLS";
    case Security::Plain: return "plain text";
  }
  return {};
}

std::string server_copy(std::int64_t days) {
  if (days < 0) return "deleted after downloading";
  if (days == 0) return "kept";
  return "kept for " + count_of(static_cast<std::uint64_t>(days), kLang, "day", "days");
}

std::string setting_value(Setting s, std::int64_t v) {
  switch (s) {
    case Setting::ServerCopy: return server_copy(v);
    case Setting::DeleteWhenDeletedHere:
    case Setting::Idle:
    case Setting::Offline: return v ? "on" : "off";
    case Setting::DeleteMode: return v ? "flags \\Deleted and expunges" : "moves to Trash";
    case Setting::PollEvery:
      if (v <= 0) return "only when asked";
      if (v % kMinute) return "every " + count_of(static_cast<std::uint64_t>(v / kSecond), kLang, "second", "seconds");
      return v == kMinute ? "every minute" : "every " + count_of(static_cast<std::uint64_t>(v / kMinute), kLang, "minute", "minutes");
    case Setting::Port: return std::to_string(v);
    case Setting::Security: return security(static_cast<Security>(v));
    case Setting::Password: return "(not shown)";
    case Setting::SmtpPort: return v == 465 ? "port 465, TLS from the start" : "port " + std::to_string(v) + ", upgraded to TLS with STARTTLS";
  }
  return {};
}

const char* setting_name(Setting s) {
  switch (s) {
    case Setting::ServerCopy: return "the copy on the server";
    case Setting::DeleteWhenDeletedHere: return "delete from the server when deleted here";
    case Setting::Idle: return "push with IDLE";
    case Setting::DeleteMode: return "delete";
    case Setting::PollEvery: return "check for mail";
    case Setting::Port: return "port";
    case Setting::Security: return "security";
    case Setting::Password: return "password";
    case Setting::SmtpPort: return "outgoing server (SMTP)";
    case Setting::Offline: return "keep messages on this computer";  // Thunderbird's words
  }
  return "";
}

std::string protocol(Protocol p) { return p == Protocol::Pop3 ? "POP3" : p == Protocol::Imap ? "IMAP" : "SMTP"; }

std::string who(const Event& e) { return e.device.empty() ? "server " + e.account : e.device; }

}  // namespace

std::string problem_en(const Event& e) {
  const bool pop = e.protocol == Protocol::Pop3;
  const std::string& r = e.text;
  switch (e.problem) {
    case ClientProblem::Refused: return "The server refused the connection: " + r;
    case ClientProblem::AuthFailed: return "Login failed (check the password): " + r;
    case ClientProblem::NoApop: return "The server does not offer APOP (no timestamp)";
    case ClientProblem::MailboxInUse: return "The mailbox is in use by another POP3 client: " + r;
    case ClientProblem::TlsNotOffered:
      return std::string("The server does not offer ") + (pop ? "STLS" : "STARTTLS") + "; not sending the password in clear";
    case ClientProblem::TlsRefused: return (pop ? "STLS" : "STARTTLS") + std::string(" refused: ") + r;
    case ClientProblem::PlaintextDisabled:
      return std::string("The server accepts passwords only over an encrypted connection: set the account to ") +
             (pop ? "STARTTLS (port 110) or SSL/TLS (port 995)" : "STARTTLS (port 143) or SSL/TLS (port 993)");
    case ClientProblem::CommandFailed:
    case ClientProblem::OverQuota: return e.command + " failed: " + r;
    case ClientProblem::NoUidl: return "The server does not support UIDL, so downloaded mail cannot be told apart";
    case ClientProblem::QuitFailed: return "QUIT failed, deletions may not have happened: " + r;
    case ClientProblem::Unexpected:
      return e.command.empty() ? "Unexpected data from the server: " + r : "Unexpected " + e.command + " reply: " + r;
    case ClientProblem::ConnectionLost:
      return pop ? "The connection dropped before QUIT: the server deleted nothing" : "The connection to the server was lost";
  }
  return {};
}

std::string check_en(const Event& e) {
  const bool ok = e.ok;
  switch (e.check) {
    case CheckKind::Count:
      return who(e) + " " + folder_name(e.folder, kLang) + " count " + std::to_string(e.expected) +
             (ok ? "" : ", but there are " + std::to_string(e.seen));
    case CheckKind::Has:
    case CheckKind::Lacks:
      return who(e) + " " + folder_name(e.folder, kLang) + (e.check == CheckKind::Has ? " has " : " lacks ") +
             q(e.text) + (ok ? "" : "; it has " + list(e.items));
    case CheckKind::UsedBelow:
    case CheckKind::UsedAbove:
      return "server " + e.account + " uses " + (e.check == CheckKind::UsedBelow ? "less" : "more") + " than " +
             format_size(e.expected, kLang) + (ok ? "" : "; it uses " + format_size(e.seen, kLang) + " (" + format_count(e.seen, kLang) + " octets)");
    case CheckKind::TraceHas: {
      const std::string since = e.when ? " since " + format_when(e.when, kLang) : "";
      if (e.count == 1 || e.count == 2)  // a device's lines one way
        return e.device + (e.expected ? " " : " never ") + (e.count == 1 ? "sent" : "received") + " a line with " + q(e.text) +
               since + (ok ? "" : e.expected ? ", but it did not" : ", but it did");
      const std::string whose = e.device.empty() ? "the transcript" : e.device + "'s part of the transcript";
      return whose + since + (e.expected ? " has " : " lacks ") + q(e.text) + (ok ? "" : e.expected ? ", but it does not" : ", but it does");
    }
    case CheckKind::Error:
      if (!e.expected) return e.device + " shows no error" + (ok ? "" : "; it shows " + list(e.items));
      return e.device + " shows an error with " + q(e.text) + (ok ? "" : "; errors since it last connected: " + list(e.items));
    case CheckKind::Bounces:
      return "bounces" + (e.account.empty() ? std::string() : " to " + e.account) + " " + std::to_string(e.expected) +
             (ok ? "" : ", but there were " + std::to_string(e.seen));
    case CheckKind::Removed: {
      const std::string limit = e.when ? (e.expected ? " before " : " at or after ") + format_when(e.when, kLang) : "";
      return who(e) + " " + folder_name(e.folder, kLang) + ": " + q(e.text) + " left the folder" + limit +
             (ok ? "" : !e.items.empty() ? ", but it is there" : !e.count ? ", but it never did" : ", but it last left at " + format_when(static_cast<Time>(e.seen), kLang));
    }
    case CheckKind::NoSuchMessage:
      return e.device + " has no single message " + q(e.text) + " in " + folder_name(e.folder, kLang) +
             " (it has " + list(e.items) + ")";
    case CheckKind::Late:
      return "line " + std::to_string(e.line) + " asks for " + format_when(e.when, kLang) +
             " but the clock is already at " + format_when(static_cast<Time>(e.seen), kLang);
    case CheckKind::Flags: {  // count: 1 when the message is there
      const std::string had = mail::flags_to_string(static_cast<mail::Flags>(e.seen));
      return who(e) + " " + folder_name(e.folder, kLang) + " has " + q(e.text) + (e.expected ? " with " : " without ") +
             mail::flags_to_string(e.flags) +
             (ok ? "" : e.count ? "; its flags: " + (had.empty() ? std::string("none") : had) : "; it is not there: " + list(e.items));
    }
    case CheckKind::Uid:
      return "server " + e.account + " " + folder_name(e.folder, kLang) + " has " + q(e.text) + " with UID " +
             std::to_string(e.expected) + (ok ? "" : e.seen ? ", but its UID is " + std::to_string(e.seen) : ", but it is not there");
    case CheckKind::Folder:
      return who(e) + " has " + (e.expected ? "" : "no ") + "folder " + q(folder_name(e.folder, kLang)) +
             (ok ? "" : "; its folders: " + list(e.items));
    case CheckKind::Setting:
      if (e.text == "password" && e.items.size() == 2) {  // current or old, never the password itself
        if (e.items[0] == "current")
          return e.device + " has the account's current password" + (ok ? "" : ", but it has an old one: the server refuses it at login");
        return e.device + " still has an old password, not the account's current one" + (ok ? "" : ", but it has the current one");
      }
      return e.device + " setting " + e.text + " is " + (e.items.empty() ? "" : e.items[0]) +
             (ok || e.items.size() < 2 ? "" : ", but it is " + e.items[1]);
    case CheckKind::Sent:
      return e.device + (e.expected ? " sent a line with " : " never sent a line with ") + q(e.text) +
             (ok ? "" : e.expected ? ", but it did not" : ", but it did");
  }
  return {};
}

std::string describe_en(const Event& e) {
  switch (e.kind) {
    case EventKind::Connected:
      return "connects to the server: " + protocol(e.protocol) +
             " port " + std::to_string(e.port) +
             (e.security == Security::Tls        ? " with TLS from the start"
              : e.security == Security::StartTls ? ", upgraded to TLS"
                                                 : ", plain text: anyone on the network can read it");
    case EventKind::TlsAtConnect: return "TLS handshake: from now on the wire carries only encrypted records";
    case EventKind::TlsUpgraded: return "TLS handshake done: from now on the wire carries only encrypted records";
    case EventKind::Disconnected: return e.protocol == Protocol::Smtp ? "disconnected from the SMTP server" : "disconnected";
    case EventKind::DisconnectedForSettings: return "disconnected to use the new settings";
    case EventKind::ConnectionCut:
      return "the connection drops right after the server's answer to " + q(e.command) +
             (e.protocol != Protocol::Pop3 ? std::string(": the app will have to connect again")
              : e.count == 0 ? std::string(", before QUIT: the session never reaches UPDATE, so the server deletes nothing")
                             : ", before QUIT: the session never reaches UPDATE, so " +
                                   (e.count == 1 ? std::string("the message marked with DELE stays")
                                                 : "the " + count_of(e.count, kLang, "message", "messages") + " marked with DELE stay") +
                                   " on the server");
    case EventKind::Downloaded: return "downloaded and stored on the device: " + q(e.subject);
    case EventKind::DeletedAtQuit:
      return "the server confirmed at QUIT: message " + (e.subject.empty() ? e.text : q(e.subject) + " (UIDL " + e.text + ")") +
             " deleted from the server";
    case EventKind::ClientError: return "error shown to the user: " + problem_en(e);
    case EventKind::DeletedOnDevice:
      return "deleted on the device: " + q(e.subject) +
             (e.server_told ? " (the server copy goes at the next download)" : " (the server is not told)");
    case EventKind::LocalFolderCreated:
      return "folder " + q(folder_name(e.folder, kLang)) + " created on the device only: POP3 cannot sync folders";
    case EventKind::TrashRecreated:
      return "there is no Trash folder any more: the app creates " + q(folder_name(e.folder, kLang)) +
             " again on the server and moves the message there, as Thunderbird does";
    case EventKind::Broken: return "the device is broken: nothing happens until it is replaced";
    case EventKind::MovedOnDevice:
      return "moved " + q(e.subject) + " from " + q(folder_name(e.folder, kLang)) + " to " + q(folder_name(e.to_folder, kLang)) +
             " on the device only: the server still has its own copy, or none";
    case EventKind::SettingChanged:
      if (e.setting == Setting::Password) return "setting changed: the password (used from the next login)";
      return std::string("setting changed: ") + setting_name(e.setting) + ": " + setting_value(e.setting, e.new_value) +
             " (was: " + setting_value(e.setting, e.old_value) + ")";
    case EventKind::ProtocolChanged:
      return std::string("now uses ") + (e.protocol == Protocol::Pop3 ? "POP3" : "IMAP") + " on port " +
             std::to_string(e.port) + ": the app starts over with that protocol";
    case EventKind::Crashed: return "crashed: the device and every message stored only on it are gone";
    case EventKind::Replaced: return "replaced by a new device with the same settings and no mail yet";
    case EventKind::MailSent:
      return "sent " + q(e.subject) + " to " + quoted_list(e.items, "", "", "nobody") + ": the server took it (" + e.text + ")";
    case EventKind::SentHereOnly:
      return "kept a copy of " + q(e.subject) + " in Sent on this device only: with POP3 the server has no Sent copy";
    case EventKind::DeviceAdded:
      return "a new device joins" + (e.text.empty() ? "" : ": " + e.text) + " with " + protocol(e.protocol) + " on port " + std::to_string(e.port);
    case EventKind::GoneFromView:
      return q(e.subject) + " is no longer in " + q(folder_name(e.folder, kLang)) + " on this device: the app follows the server";
    case EventKind::SentOut: return "message for " + e.account + " sent on to the Internet" + by(e);
    case EventKind::PasswordChanged:
      return "the password of " + e.account + " was changed: apps still using the old one can no longer log in";
    case EventKind::LoginFailed: return "login failed for " + q(e.account);
    case EventKind::Delivered: return "new mail for " + where(e) + ", UID " + std::to_string(e.uid);
    case EventKind::Bounced: return "mail for " + e.account + " bounced: " + e.text;
    case EventKind::Stored: return "stored in " + where(e) + ", UID " + std::to_string(e.uid) + by(e);
    case EventKind::FlagsChanged:
      return where(e) + " UID " + std::to_string(e.uid) + " flags now (" + mail::flags_to_string(e.flags) + ")" + by(e);
    case EventKind::Expunged: return "removed from " + where(e) + ": UID " + std::to_string(e.uid) + by(e);
    case EventKind::FolderCreated: return "folder created: " + where(e) + by(e);
    case EventKind::FolderDeleted: return "folder deleted: " + where(e) + by(e);
    case EventKind::FolderRenamed:
      return "folder renamed: " + where(e) + " -> " + folder_name(e.to_folder, kLang) + by(e);
    case EventKind::BackupTaken:
      return std::string(e.nightly ? "nightly backup taken (" : "backup taken (") +
             count_of(e.count, kLang, "message", "messages") + ")";
    case EventKind::Restored:
      return "restored " + count_of(e.count, kLang, "message", "messages") + " of " + e.account +
             " from the backup of " + format_when(e.when, kLang);
    case EventKind::RestoreImpossible:
      return "restore of " + e.account + " impossible: no backup taken before " + format_when(e.when, kLang);
    case EventKind::TimePasses: return "time passes: it is now " + format_when(e.when, kLang);
    case EventKind::Say: return e.text;  // the English (or the only) narration
    case EventKind::Check:
      return (e.ok ? std::string("ok: ") : "FAILED (line " + std::to_string(e.line) + "): ") + check_en(e);
  }
  return {};
}

}  // namespace postino::world::detail
