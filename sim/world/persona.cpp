#include "sim/world/persona.hpp"

#include <algorithm>

#include "sim/core/text.hpp"

namespace postino::world {
namespace {

using Delete = imap::ClientConfig::Delete;

// One row per app, each value with where it comes from. Only what the simulation can show is
// here; the rest of the order of commands at connect is the engines' own (sim/pop3/client.cpp,
// sim/imap/client.cpp), the same for every app.
const Persona kPersonas[] = {
    // Thunderbird, a new account made by its account wizard: AccountConfig.sys.mjs
    // (createNewIncoming: leaveMessagesOnServer true, daysToLeaveMessagesOnServer 14,
    // deleteByAgeFromServer true, deleteOnServerWhenLocalDelete true, checkInterval 10 minutes);
    // mailnews/mailnews.js: mail.server.default.use_idle true, delete_model 1 (move to Trash,
    // nsIMsgImapDeleteModels MoveToTrash). Bodies offline: mailnews.js,
    // mail.server.default.offline_download true and autosync_offline_stores true ("to activate
    // auto-sync feature (preemptive message download for imap) by default"), shown in Account
    // Settings > Synchronization & Storage as "Keep messages for this account on this computer".
    // ID: mailnews.js, mail.server.default.send_client_info true ("Send IMAP RFC 2971 ID Info to
    // server"), the app's name and version (nsImapProtocol: appInfo name, version); sent right
    // after logging in, before anything else, as a Thunderbird 52.4 session with Dovecot shows
    // ("2 ID ("name" "Thunderbird" "version" "52.4.0")" after "1 authenticate PLAIN"; capture
    // in the Nuit du Hack 2018 "Kebab STO" write-up). The version here: the 128 ESR.
    {.client = "thunderbird", .keep_days = 14, .delete_when_deleted_here = true, .idle = true, .offline = true,
     .delete_mode = Delete::MoveToTrash, .poll_every = 10 * kMinute,
     .id = R"id(("name" "Thunderbird" "version" "128.0"))id"},
    // Outlook for Windows (2010 and later), a new account. POP: "Leave a copy of messages on the
    // server" ticked with "Remove from server after 14 days", "Remove from server when deleted
    // from Deleted Items" unticked. Microsoft documents the three settings (learn.microsoft.com,
    // "PROP_POP_LEAVE_ON_SERVER": LEAVE_ON_SERVER, REMOVE_AFTER with SET_REMOVE_AFTER_DAYS,
    // REMOVE_ON_NUKE) but no page found gives their defaults; Outlook 2002/2003 deleted at once
    // ("Leave e-mail messages on your e-mail server", office.microsoft.com HA001150793). That
    // the box is ticked on a new account is reported by providers' help pages (e.g.
    // servicomecuador.com, "Dejar o desactivar una copia del mensaje en el servidor en Outlook":
    // "se activa por defecto"); the 14 days are an assumption from Outlook's dialog, not found
    // written. Send/Receive: "Schedule an automatic send/receive every 30 minutes" in the All
    // Accounts group (third-party: "Outlook Sync Frequency", laptopload546.netlify.app, "the
    // default of 30 minutes"). IMAP: no IDLE (assumed: Microsoft documents none for IMAP accounts
    // and Outlook checks on its Send/Receive schedule). Deleting: Outlook 2003 and 2010 only
    // marked IMAP mail \Deleted and struck it through until "Purge" (office.microsoft.com,
    // "Purge IMAP items marked for deletion"); Outlook 2013 and later move it to Deleted Items
    // (Trash), which is what is simulated (no source found; the simulation has no "flag only,
    // purge later" mode to show the older behaviour). Bodies offline: assumed on. Outlook's
    // Send/Receive > Download Preferences offers "Download Full Items", "Download Headers and
    // Then Full Items" and "Download Headers" (Microsoft Outlook 2013 Inside Out); no page found
    // says which a new IMAP account gets, but Outlook 2013 and later keep IMAP mail in an .ost
    // data file for working offline.
    // ID: none. No trace of Outlook for Windows sending ID was found (servers that log client
    // IDs list Thunderbird, Apple Mail, iOS); assumed not sent.
    {.client = "outlook", .keep_days = 14, .delete_when_deleted_here = false, .idle = false, .offline = true,
     .delete_mode = Delete::MoveToTrash, .poll_every = 30 * kMinute},
    // Apple Mail (macOS): "The messages remain on the mail server unless you specify that they
    // should be removed" (Mail Help, "What is POP mail?"); "Move deleted messages to the Trash
    // mailbox" (Mail Help, Mailbox Behaviors); IMAP with IDLE, "Check for new messages:
    // Automatically" (no interval given: none here). Bodies offline: Mail Help, Accounts >
    // Advanced, "Keep copies of messages for offline viewing": "It's recommended that you retain
    // the default selection (All messages and their attachments)".
    // ID: before logging in, after CAPABILITY ("CAPABILITY, ID, AUTHENTICATE", observed Mail.app
    // sessions with Gmail; a recorded Mail.app session with QQ Mail sends ID first, then
    // AUTHENTICATE PLAIN), with the fields Mail.app sends: name "Mac OS X Mail", version, os,
    // os-version, vendor "Apple Inc." (values of macOS 12.4, as recorded).
    {.client = "apple-mail", .keep_days = 0, .delete_when_deleted_here = false, .idle = true, .offline = true,
     .delete_mode = Delete::MoveToTrash, .poll_every = 0,
     .id = R"id(("name" "Mac OS X Mail" "version" "16.0 (3696.100.31)" "os" "Mac OS X" "os-version" "12.4 (21F79)" "vendor" "Apple Inc."))id",
     .id_before_login = true},
    // Windows Mail (the Windows 10/11 Mail app): its mailbox sync settings offer "Download new
    // content: as items arrive", every 15 or 30 minutes, hourly or manually (laptops251.com,
    // "Change mail sync settings in Windows computer"); that a new IMAP account gets "as items
    // arrive" (IDLE here) is assumed: no Microsoft page with the default was found, and a
    // third-party guide says IMAP accounts "usually rely on periodic checks" (macmyths.com,
    // "Manage Mail App Sync Settings in Windows 11/10"). Deleted mail to Deleted items (Trash);
    // POP mail kept on the server (assumed, as the app offers no delete-after-download choice
    // in the sources searched). Bodies offline: the Windows 10 Mail app "will also load full
    // messages, not just headers" (Lifewire / email.about.com, "Tweaking Sync Settings in Windows
    // Mail"); that a new IMAP account there keeps them is assumed.
    // ID: none found; assumed not sent.
    {.client = "windows-mail", .keep_days = 0, .delete_when_deleted_here = false, .idle = true, .offline = true,
     .delete_mode = Delete::MoveToTrash, .poll_every = 0},
    // A phone's mail app as iOS Mail sets up an account: "The default setting on iPhone, iPad,
    // and iPod touch for POP accounts is to keep mail on the server" (Apple HT1668); IMAP is
    // fetched every 15, 30 or 60 minutes, push only for Exchange-like servers (Fastmail, "iOS 5
    // and mail application access patterns"), so no IDLE; deleted mail to the server's Trash.
    // Bodies: fetched when a message is opened (assumed: iOS Mail has no setting for keeping
    // mail offline, and a phone saves data and storage; no Apple page found on what it prefetches).
    // ID: iOS Mail sends ID ("name" "iPhone Mail" "version" BUILD) early in the session (notes
    // and tests of IMAP servers written for it); only those two fields are attested here, and
    // before logging in is assumed, as Mail.app on the Mac does.
    {.client = "phone-mail", .keep_days = 0, .delete_when_deleted_here = false, .idle = false, .offline = false,
     .delete_mode = Delete::MoveToTrash, .poll_every = 15 * kMinute,
     .id = R"id(("name" "iPhone Mail" "version" "21F90"))id", .id_before_login = true},
};

}  // namespace

std::optional<Persona> persona(std::string_view client) {
  for (const Persona& p : kPersonas)
    if (iequals(p.client, client)) return p;
  return std::nullopt;
}

std::vector<std::string_view> persona_names() {
  std::vector<std::string_view> out;
  for (const Persona& p : kPersonas) out.push_back(p.client);
  return out;
}

DeviceConfig with_app_defaults(DeviceConfig c) {
  const Persona generic{};  // S9: POP deletes after download; IMAP with IDLE, deleting to Trash
  const Persona app = persona(c.client).value_or(generic);
  if (c.protocol == Protocol::Pop3) {
    c.leave_on_server = app.keep_days >= 0;
    c.keep_days = std::max(app.keep_days, 0);
    c.delete_when_deleted_here = app.delete_when_deleted_here;
    c.idle = true;  // meaningless for POP3: as a POP3 line leaves it
    c.offline = false;  // POP3 downloads every message whole anyway
    c.delete_mode = Delete::MoveToTrash;
  } else {
    c.leave_on_server = c.delete_when_deleted_here = false;
    c.keep_days = 0;
    c.idle = app.idle;
    c.offline = app.offline;
    c.delete_mode = app.delete_mode;
  }
  c.poll_every = app.poll_every;
  return c;
}

DeviceConfig with_new_protocol(DeviceConfig c) {
  const Time poll = c.poll_every;
  c = with_app_defaults(c);
  c.poll_every = poll;
  return c;
}

}  // namespace postino::world
