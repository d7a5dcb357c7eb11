#pragma once
// The mail apps' own defaults: `device ... client outlook` sets up the account as a freshly
// installed Outlook would, for everything the device line does not say, so that a story can show
// "Outlook with its defaults on a second PC". No `client`, or an app not known here (`client
// mutt`: a label for people), gives the simulator's generic settings (POP deletes after download,
// S9).
#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/imap/client.hpp"
#include "sim/world/world.hpp"

namespace postino::world {

struct Persona {
  std::string_view client;
  // POP3: the copy on the server after downloading: -1 deleted at once, 0 kept, N days.
  int keep_days = -1;
  bool delete_when_deleted_here = false;  // deleting here deletes the server copy too
  // IMAP
  bool idle = true;
  bool offline = false;  // bodies downloaded with the headers, for reading offline
  imap::ClientConfig::Delete delete_mode = imap::ClientConfig::Delete::MoveToTrash;
  Time poll_every = 0;  // both: automatic checks (0: only when asked)
  // IMAP, the order of commands at connect: the RFC 2971 ID the app sends when the server offers
  // ID (empty: none), and whether before logging in (else right after).
  std::string_view id{};
  bool id_before_login = false;
};

// nullopt for an app whose defaults are not known.
std::optional<Persona> persona(std::string_view client);
std::vector<std::string_view> persona_names();

// `c` with the settings its app starts with for c.protocol (its persona's, or the generic ones):
// leave-on-server, keep-days, delete-when-deleted, idle, offline, delete, poll. The others are kept.
DeviceConfig with_app_defaults(DeviceConfig c);
// `c`, whose protocol was just changed (`set imap 993`): a new account in the same app, so the
// app's defaults for that protocol; its checks (poll) stay as they were set.
DeviceConfig with_new_protocol(DeviceConfig c);

}  // namespace postino::world
