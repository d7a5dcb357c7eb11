// The scenario language's writer: a Scenario as the text parse() reads back into the same
// statements (the window's "Save scenario..." writes the learner's story with it).
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "sim/core/overloaded.hpp"
#include "sim/core/text.hpp"
#include "sim/script/scenario.hpp"
#include "sim/world/persona.hpp"

namespace postino::script {
namespace {

// In double quotes, with the two escapes the parser knows (any other backslash is itself there,
// but "\\" is always read back as one backslash, so doubling every one is safe).
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A reader's text: one quoted text when both languages say the same, else both tagged.
std::string text(const Text& t) {
  if (t.en == t.it) return quote(t.en);
  return "en " + quote(t.en) + " it " + quote(t.it);
}

// Folder names are words in files; one the parser would split or misread goes in quotes.
std::string word(const std::string& s) {
  if (s.empty()) return quote(s);
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '"' || c == '#' || c == '\\' || c == '\r' || c == '\n') return quote(s);
  return s;
}

}  // namespace

std::string duration_text(Time t) {
  if (t <= 0) return "0s";
  std::string out;
  for (auto [unit, ms] : {std::pair{'d', kDay}, std::pair{'h', kHour}, std::pair{'m', kMinute}, std::pair{'s', kSecond}}) {
    if (t < ms) continue;
    out += std::to_string(t / ms);
    out += unit;
    t %= ms;
  }
  return out.empty() ? "0s" : out;  // below a second: files cannot say it
}

namespace {

std::string duration(Time t) { return duration_text(t); }

std::string size(std::uint64_t n) {
  if (n && n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + "MB";
  if (n && n % 1024 == 0) return std::to_string(n / 1024) + "KB";
  return std::to_string(n) + "B";
}

Time midnight(Time t) { return t - ((t % kDay) + kDay) % kDay; }

// "[day N ]HH:MM[:SS]" counted from the start's day, as `at` and `restore ... to` read it.
std::string when(Time t, Time start) {
  const Time day = (midnight(t) - midnight(start)) / kDay + 1;
  const Time in_day = t - midnight(t);
  char buf[48];
  const long h = static_cast<long>(in_day / kHour), m = static_cast<long>(in_day % kHour / kMinute),
             s = static_cast<long>(in_day % kMinute / kSecond);
  if (s) std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", h, m, s);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", h, m);
  return (day > 1 ? "day " + std::to_string(day) + " " : std::string()) + buf;
}

const char* kind_word(world::DeviceKind k) {
  switch (k) {
    case world::DeviceKind::Phone: return "phone";
    case world::DeviceKind::Tablet: return "tablet";
    case world::DeviceKind::Laptop: return "laptop";
    case world::DeviceKind::Desktop: return "desktop";
  }
  return "laptop";
}

std::string protocol_words(const world::DeviceConfig& d) {
  return std::string(d.protocol == world::Protocol::Pop3 ? "pop3 " : "imap ") + std::to_string(d.port) +
         (d.security == world::Security::StartTls ? " starttls" : "");
}

const char* on_off(bool b) { return b ? "on" : "off"; }

// One `set` option and what the parser makes of it from `c`: the next configuration on the way
// from one set of settings to another.
struct SetLine {
  std::string text;
  world::DeviceConfig after;
};

// The first `set` option that brings `c` closer to `to`, as the parser would apply it; none
// when they agree on every setting a `set` can change.
std::optional<SetLine> next_set(const world::DeviceConfig& c, const world::DeviceConfig& to) {
  SetLine l{{}, c};
  world::DeviceConfig& n = l.after;
  const bool pop = c.protocol == world::Protocol::Pop3;
  if (c.protocol != to.protocol || c.port != to.port || c.security != to.security) {
    n.protocol = to.protocol;
    n.port = to.port;
    n.security = to.security;
    if (n.protocol != c.protocol) n = world::with_new_protocol(n);  // as the parser does
    l.text = protocol_words(to);
  } else if (c.poll_every != to.poll_every) {
    n.poll_every = to.poll_every;
    l.text = to.poll_every ? "poll " + duration(to.poll_every) : "poll off";
  } else if (pop && (c.leave_on_server != to.leave_on_server || c.keep_days != to.keep_days)) {
    if (!to.leave_on_server || (c.keep_days > 0 && to.keep_days == 0)) {
      n.leave_on_server = false;  // "keep-days 0" would say the same; this reads better
      n.keep_days = 0;
      l.text = "leave-on-server off";
    } else if (to.keep_days > 0) {
      n.keep_days = to.keep_days;
      n.leave_on_server = true;
      l.text = "keep-days " + std::to_string(to.keep_days);
    } else {
      n.leave_on_server = true;
      l.text = "leave-on-server on";
    }
  } else if (pop && c.delete_when_deleted_here != to.delete_when_deleted_here) {
    n.delete_when_deleted_here = to.delete_when_deleted_here;
    l.text = std::string("delete-when-deleted ") + on_off(to.delete_when_deleted_here);
  } else if (!pop && c.idle != to.idle) {
    n.idle = to.idle;
    l.text = std::string("idle ") + on_off(to.idle);
  } else if (!pop && c.offline != to.offline) {
    n.offline = to.offline;
    l.text = std::string("offline ") + on_off(to.offline);
  } else if (!pop && c.delete_mode != to.delete_mode) {
    n.delete_mode = to.delete_mode;
    l.text = to.delete_mode == imap::ClientConfig::Delete::MoveToTrash ? "delete trash" : "delete expunge";
  } else if (c.smtp_port != to.smtp_port) {
    n.smtp_port = to.smtp_port;
    l.text = "smtp " + std::to_string(to.smtp_port);
  } else if (c.password != to.password) {
    n.password = to.password;
    l.text = "password " + quote(to.password);
  } else {
    return std::nullopt;
  }
  return l;
}

}  // namespace

const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> names = {"protocol", "port", "security", "keep-days", "leave-on-server",
                                                 "delete-when-deleted", "idle", "offline", "delete", "poll", "smtp", "password"};
  return names;
}

std::string setting_value(const world::DeviceConfig& d, std::string_view setting) {
  if (setting == "protocol") return d.protocol == world::Protocol::Pop3 ? "pop3" : "imap";
  if (setting == "port") return std::to_string(d.port);
  if (setting == "security")
    return d.security == world::Security::Tls ? "tls" : d.security == world::Security::StartTls ? "starttls" : "plain";
  if (setting == "keep-days") return std::to_string(d.keep_days);
  if (setting == "leave-on-server") return on_off(d.leave_on_server);
  if (setting == "delete-when-deleted") return on_off(d.delete_when_deleted_here);
  if (setting == "idle") return on_off(d.idle);
  if (setting == "offline") return on_off(d.offline);
  if (setting == "delete") return d.delete_mode == imap::ClientConfig::Delete::MoveToTrash ? "trash" : "expunge";
  if (setting == "poll") return d.poll_every ? duration(d.poll_every) : "off";
  if (setting == "smtp") return std::to_string(d.smtp_port);
  return {};
}

namespace {

class Writer {
 public:
  explicit Writer(const Scenario& s) : s_(s) {
    for (const auto& d : s.devices) current_[d.name] = d;
  }

  std::string run() {
    setup();
    for (const Step& st : s_.steps) step(st);
    return out_;
  }

 private:
  void line(const std::string& text) { out_ += text + "\n"; }

  void setup() {
    if (!s_.title.empty()) line("title " + text(s_.title));
    if (s_.start != default_start()) {
      const CivilTime c = to_civil(s_.start);
      char buf[64];
      std::snprintf(buf, sizeof buf, "start %04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute,
                    c.second);
      line(buf);
    }
    std::string server = "server " + s_.domain;
    // A file without a server line may name accounts on any domain: the written line serves them.
    std::vector<std::string> domains = s_.more_domains;
    for (const AccountSpec& a : s_.accounts) {
      const std::string d = lower(a.address.substr(a.address.rfind('@') + 1));
      if (d != s_.domain && std::find(domains.begin(), domains.end(), d) == domains.end()) domains.push_back(d);
    }
    if (!domains.empty()) {
      server += " domains";
      for (const std::string& d : domains) server += " " + d;
    }
    if (s_.default_quota) server += " quota " + size(s_.default_quota);
    if (s_.backup_at) server += " backup daily " + when(midnight(s_.start) + *s_.backup_at, s_.start);
    if (s_.mailboxes != mail::Store::kDefaultMailboxLimit) server += " mailboxes " + std::to_string(s_.mailboxes);
    if (!s_.plaintext_auth) server += " plaintext-auth no";
    line(server);
    for (const AccountSpec& a : s_.accounts)
      line("account " + a.address + " password " + quote(a.password) +
           (a.quota != s_.default_quota ? " quota " + size(a.quota) : ""));
    for (const world::DeviceConfig& d : s_.devices) line(device_line(d));
    line("");
  }

  // A `device` line (and, after `add `, a device that joins mid-story): the settings that differ
  // from what its app starts with (sim/world/persona.cpp), as the parser fills those in.
  static std::string device_line(const world::DeviceConfig& d) {
    std::string l = "device " + d.name + " " + kind_word(d.kind) + (d.client.empty() ? "" : " client " + word(d.client)) + " " +
                    protocol_words(d) + " account " + d.account + " password " + quote(d.password);
    const world::DeviceConfig app = world::with_app_defaults(d);
    if (d.protocol == world::Protocol::Pop3) {
      if (d.leave_on_server != app.leave_on_server || d.keep_days != app.keep_days)
        l += !d.leave_on_server ? " leave-on-server off" : d.keep_days > 0 ? " keep-days " + std::to_string(d.keep_days) : " leave-on-server on";
      if (d.delete_when_deleted_here != (d.leave_on_server && app.delete_when_deleted_here))
        l += std::string(" delete-when-deleted ") + on_off(d.delete_when_deleted_here);
    } else {
      if (d.idle != app.idle) l += std::string(" idle ") + on_off(d.idle);
      if (d.offline != app.offline) l += std::string(" offline ") + on_off(d.offline);
      if (d.delete_mode != app.delete_mode)
        l += d.delete_mode == imap::ClientConfig::Delete::FlagAndExpunge ? " delete expunge" : " delete trash";
    }
    if (d.poll_every != app.poll_every) l += d.poll_every ? " poll " + duration(d.poll_every) : " poll off";
    if (d.smtp_port != 587) l += " smtp " + std::to_string(d.smtp_port);
    return l;
  }

  void step(const Step& st) {
    // "wait" carries its own delay; other statements say it in front ("after 5m ...").
    const bool wait = std::holds_alternative<Wait>(st.what);
    std::string head;
    if (st.at) head = "at " + when(*st.at, s_.start) + " ";
    else if (st.after && !wait) head = "after " + duration(st.after) + " ";
    auto say = [&](const std::string& text) { line(head + text); };
    auto msg = [](const std::string& verb, const auto& a) {
      return a.device + " " + verb + " " + quote(a.subject) + (a.folder == "INBOX" ? "" : " in " + word(a.folder));
    };
    std::visit(
        overloaded{
            [&](const Deliver& a) {
              std::string l = "deliver to " + a.account + " from " + quote(a.from) + " subject " + quote(a.subject);
              if (a.size) l += " size " + size(a.size);
              if (!a.body.empty()) l += " body " + quote(a.body);
              if (a.copies != 1) l += " count " + std::to_string(a.copies);
              say(l);
            },
            [&](const GetMail& a) { say(a.device + " get-mail"); },
            [&](const Open& a) { say(msg("open", a)); },
            [&](const Delete& a) { say(msg("delete", a)); },
            [&](const Flag& a) { say(msg(a.on ? "flag" : "unflag", a)); },
            [&](const Move& a) { say(msg("move", a) + " to " + word(a.to)); },
            [&](const CreateFolder& a) { say(a.device + " create-folder " + word(a.folder)); },
            [&](const RenameFolder& a) { say(a.device + " rename-folder " + word(a.folder) + " to " + word(a.to)); },
            [&](const DeleteFolder& a) { say(a.device + " delete-folder " + word(a.folder)); },
            [&](const Set& a) {
              // One option per line, as files write it; a change of several settings at once
              // (split_settings() makes the window's into single ones) gives several lines.
              world::DeviceConfig& c = current_[a.device];
              std::optional<SetLine> l = next_set(c, a.settings);
              if (!l) {  // nothing changes: still a statement, so say a setting as it is
                const bool pop = c.protocol == world::Protocol::Pop3;
                say(a.device + " set " + (pop ? std::string("delete-when-deleted ") + on_off(c.delete_when_deleted_here)
                                              : std::string("idle ") + on_off(c.idle)));
                return;
              }
              for (int k = 0; l && k < 8; ++k) {  // bounded: a mix files cannot say never converges
                const bool first = k == 0;
                line((first ? head : std::string()) + a.device + " set " + l->text);
                c = l->after;
                l = next_set(c, a.settings);
              }
            },
            [&](const Crash& a) { say(a.device + " crash"); },
            [&](const Replace& a) { say(a.device + " replace"); },
            [&](const DropConnection& a) { say(a.device + " connection-drops after " + quote(a.after)); },
            [&](const Backup&) { say("backup"); },
            [&](const Restore& a) {
              // The newest backup at or before `when`: rounded up to the second, files have no
              // smaller unit, and rounding down could miss the very backup meant.
              say("restore " + a.account + " to " + when((a.when + kSecond - 1) / kSecond * kSecond, s_.start));
            },
            // A real client's bytes are not part of the language: what it did cannot be replayed.
            [&](const ExternalConnect& a) { line("# a real mail client connected as " + a.settings.name); },
            [&](const ExternalSend& a) { line("# " + a.device + " sent " + std::to_string(a.bytes.size()) + " bytes"); },
            [&](const ExternalTlsDone& a) { line("# " + a.device + " started TLS"); },
            [&](const ExternalClose& a) { line("# " + a.device + " hung up"); },
            [&](const Wait&) { say("wait " + duration(st.after)); },
            [&](const Say& a) { say("say " + text(a.text)); },
            [&](const Expectation& x) { say(expectation(x)); },
            [&](const Send& a) {
              std::string l = a.device + " send to " + a.to + " subject " + quote(a.subject);
              if (a.size) l += " size " + size(a.size);
              if (!a.body.empty()) l += " body " + quote(a.body);
              say(l);
            },
            [&](const EmptyTrash& a) { say(a.device + " empty-trash"); },
            [&](const Webmail& a) {
              using Op = Webmail::Op;
              std::string l = "webmail " + a.account + " ";
              if (a.op == Op::EmptyTrash) return say(l + "empty-trash");
              l += std::string(a.op == Op::Read ? "read " : a.op == Op::Delete ? "delete " : "move ") + quote(a.subject);
              if (a.folder != "INBOX") l += " in " + word(a.folder);
              if (a.op == Op::Move) l += " to " + word(a.to);
              say(l);
            },
            [&](const AddDevice& a) {
              current_[a.settings.name] = a.settings;
              say("add " + device_line(a.settings));
            },
            [&](const ChangePassword& a) { say("account " + a.account + " password " + quote(a.password)); },
        },
        st.what);
  }

  std::string expectation(const Expectation& x) {
    auto who = [](const std::string& device, const std::string& account) {
      return "expect " + (device.empty() ? "server " + account : device) + " ";
    };
    return std::visit(
        overloaded{
            [&](const ExpectCount& c) { return who(c.device, c.account) + word(c.folder) + " count " + std::to_string(c.count); },
            [&](const ExpectHas& c) { return who(c.device, c.account) + word(c.folder) + " has " + quote(c.subject); },
            [&](const ExpectLacks& c) { return who(c.device, c.account) + word(c.folder) + " lacks " + quote(c.subject); },
            [&](const ExpectUsed& c) {
              return "expect server " + c.account + " used " + (c.below ? "< " : "> ") + size(c.octets);
            },
            [&](const ExpectTrace& c) {
              static const char* kVerbs[2][3] = {{"lacks", "never-sent", "never-received"}, {"has", "sent", "received"}};
              return "expect trace " + (c.device.empty() ? std::string() : c.device + " ") + kVerbs[c.has][static_cast<int>(c.lines)] +
                     " " + quote(c.text) + (c.since ? " since " + when(*c.since, s_.start) : "");
            },
            [&](const ExpectError& c) { return "expect " + c.device + (c.shown ? " error " + quote(c.text) : " no error"); },
            [&](const ExpectBounces& c) {
              return "expect bounces " + (c.to.empty() ? std::string() : "to " + c.to + " ") + std::to_string(c.count);
            },
            [&](const ExpectFlags& c) {
              return who(c.device, c.account) + word(c.folder) + " has " + quote(c.subject) + (c.with ? " with " : " without ") +
                     mail::flags_to_string(c.flags);
            },
            [&](const ExpectUid& c) {
              return "expect server " + c.account + " " + word(c.folder) + " has " + quote(c.subject) + " uid " + std::to_string(c.uid);
            },
            [&](const ExpectFolder& c) {
              return who(c.device, c.account) + "folder " + word(c.folder) + (c.exists ? " exists" : " missing");
            },
            [&](const ExpectSetting& c) { return "expect " + c.device + " setting " + c.setting + " " + c.value; },
            [&](const ExpectSent& c) { return "expect " + c.device + (c.sent ? " sent " : " never-sent ") + quote(c.text); },
            [&](const ExpectRemoved& c) {
              return who(c.device, c.account) + word(c.folder) + " removed " + quote(c.subject) +
                     (c.when ? (c.before ? " before " : " after ") + when(*c.when, s_.start) : "");
            },
        },
        x);
  }

  const Scenario& s_;
  std::map<std::string, world::DeviceConfig> current_;  // devices' settings after the `set`s so far
  std::string out_;
};

}  // namespace

std::string write(const Scenario& s) { return Writer(s).run(); }

std::vector<world::DeviceConfig> split_settings(const world::DeviceConfig& before, const world::DeviceConfig& after) {
  std::vector<world::DeviceConfig> out;
  world::DeviceConfig c = before;
  for (int k = 0; k < 8; ++k) {  // bounded: a mix files cannot say never converges
    auto l = next_set(c, after);
    if (!l) break;
    out.push_back(c = l->after);
  }
  return out;
}

}  // namespace postino::script
