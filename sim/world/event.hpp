#pragma once
// What happened in the world, as data: a kind and typed fields. The world never writes prose;
// sim/world/narrate.hpp turns an event into a sentence in the reader's language, and views pick
// colour and icon from the kind. (Wire lines are not events: they are the protocol's own bytes.)
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/flags.hpp"
#include "sim/session/client.hpp"
#include "sim/session/protocol.hpp"

namespace postino::world {

using session::Protocol;
// Plain (110/143), upgraded with STLS/STARTTLS (110/143), or implicit TLS (995/993): S5, S10.
enum class Security { Plain, StartTls, Tls };

enum class EventKind {
  // A device and its connection.
  Connected,        // protocol, port, security
  TlsAtConnect,     // implicit TLS (995/993): the handshake before the first protocol byte
  TlsUpgraded,      // the handshake after STARTTLS/STLS
  Disconnected,
  DisconnectedForSettings,  // hung up to connect the new way
  ConnectionCut,    // the network dropped it right after the server answered `command`, before
                    // any goodbye; count: POP3 messages marked with DELE that stay (no UPDATE)
  Downloaded,       // POP3: subject, now stored on the device
  DeletedAtQuit,    // POP3: `text` is the UIDL the server deleted at UPDATE, subject (if downloaded)
  ClientError,      // the app shows its user a problem: problem, command, `text` the server's reply
  DeletedOnDevice,  // POP3: subject, from `folder` (a folder of the device), server_told
  LocalFolderCreated,  // POP3: folder exists on this device only (S13)
  TrashRecreated,   // IMAP: deleting found no Trash folder; the app creates `folder` and moves there
  MovedOnDevice,    // POP3: subject moved from `folder` to `to_folder`, folders of this device only (S13)
  SettingChanged,   // setting, old_value -> new_value
  ProtocolChanged,  // protocol, port: the app starts over
  Crashed,
  Broken,           // asked to do something while crashed: nothing happens until `replace`
  Replaced,
  MailSent,         // SMTP: subject, items (the recipients the server took), text (its reply)
  SentHereOnly,     // POP3: subject kept in the device's own Sent folder (the server has no copy)
  DeviceAdded,      // a new device joins mid-story: protocol, port, security, text (the mail app)
  GoneFromView,     // IMAP: subject no longer in the app's copy of `folder` (expunged on the server,
                    // or the folder is gone): what the device's user sees vanish
  // The server and its store.
  LoginFailed,      // account (as typed by the client)
  Delivered,        // account, folder, uid
  Bounced,          // account; `text` is the SMTP reply ("552 5.2.2 ...")
  Stored,           // account, folder, uid, actor
  FlagsChanged,     // account, folder, uid, flags, actor
  Expunged,         // account, folder, uid, actor, subject
  FolderCreated,    // account, folder, actor
  FolderDeleted,    // account, folder, actor
  FolderRenamed,    // account, folder -> to_folder, actor
  BackupTaken,      // count (messages), nightly
  Restored,         // account, count, when (the backup's time)
  RestoreImpossible,  // account, when (asked for)
  SentOut,          // SMTP: account (a recipient elsewhere), actor: the message left for the Internet
  PasswordChanged,  // account: apps with the old password can no longer log in
  // The story around it.
  TimePasses,       // when (the clock now)
  Say,              // text: the trainer's narration, in the scenario's own words
  Check,            // an expectation's result: see Check
};

// What went wrong, as a mail app tells its user (ClientError).
using session::ClientProblem;

// The device setting a SettingChanged event is about. ServerCopy is POP3's "after downloading":
// -1 deleted at once, 0 kept, N kept for N days (S9, S14). DeleteMode: 0 moves to Trash, 1 expunges.
// PollEvery in ms (0: only when asked); Security as the enum's value; SmtpPort: 587 (STARTTLS) or
// 465 (TLS from the first byte). Password: no values (a password is not shown).
enum class Setting { ServerCopy, DeleteWhenDeletedHere, Idle, DeleteMode, PollEvery, Port, Security, Password, SmtpPort, Offline };

// The expectation behind a Check event (the scenario language's `expect` forms).
enum class CheckKind {
  Count,          // who folder count expected (seen)
  Has, Lacks,     // who folder text (items: the subjects there)
  UsedBelow, UsedAbove,  // account expected octets (seen)
  TraceHas,       // text, expected 1: has, 0: lacks; device (empty: all lines), count: 0 every line of it,
                  // 1 sent, 2 received; when: since then (0: the whole run)
  Error,          // device text, expected 1: shown, 0: none (items: the errors of its latest connection)
  Bounces,        // expected (seen); account: only mail for it (empty: all)
  NoSuchMessage,  // device folder text (items): a statement named a message that is not there
  Late,           // when asked for, at the clock's time `seen`
  Flags,          // who folder text (subject), flags wanted, expected 1: with them, 0: without; seen: its flags
  Uid,            // account folder text (subject), expected UID, seen (0: not there)
  Folder,         // who folder, expected 1: exists, 0: missing (items: the folders there)
  Setting,        // device text (the setting), items: {expected value, value}; for the password the
                  // values are current/old (the account's password on the server, or not)
  Sent,           // device text, expected 1: sent, 0: never sent
  Removed,        // who (device, or server account) folder text (subject) left the folder; when: expected 0
                  // at or after it, 1 before it (0: any time); count 1: it left, seen: when it last did;
                  // items: {subject} if it is there
};

struct Event {
  EventKind kind = EventKind::Say;
  std::string device;   // the device it happened on; empty for the server and the story
  std::string account;
  std::string folder;     // as stored on the server (IMAP's modified UTF-7 for IMAP folders)
  std::string to_folder;  // FolderRenamed: the new name
  std::string subject;
  std::string text;       // Say, ClientError, Bounced, DeletedAtQuit (UIDL), Check (TraceHas, Error...)
  std::string text_it;    // Say: the narration in Italian, when the scenario gives both languages
  std::string actor;      // who changed the store: "pop3 #2", "imap #3", "restore", "delivery"
  std::string command;    // ClientError: the command that failed ("RETR 3"), if any
  std::uint32_t uid = 0;
  mail::Flags flags = 0;
  Protocol protocol = Protocol::Imap;
  int port = 0;
  Security security = Security::Plain;
  ClientProblem problem = ClientProblem::Unexpected;
  Setting setting = Setting::Port;
  std::int64_t old_value = 0, new_value = 0;  // SettingChanged; times in ms, booleans 0/1
  std::uint64_t count = 0;  // messages (BackupTaken, Restored)
  Time when = 0;            // TimePasses, Restored, RestoreImpossible, Check Late
  bool server_told = false;  // DeletedOnDevice: the server copy goes at the next download
  bool nightly = false;      // BackupTaken: the scheduled one, not taken by hand
  // Check
  CheckKind check = CheckKind::Count;
  bool ok = false;
  int line = 0;
  std::uint64_t expected = 0, seen = 0;
  std::vector<std::string> items;

  bool operator==(const Event&) const = default;
};

// Which column of the transcript an event belongs to: a device's, the server's or the story's.
enum class Source { Device, Server, Clock, Narration, Expectation };
Source source_of(EventKind kind);

}  // namespace postino::world
