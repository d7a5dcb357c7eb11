// IMAP server session: commands on folders (RFC 3501 6.3, 6.4.2-3, 6.4.7; RFC 6851, 4315, 9208).
#include <algorithm>
#include <set>

#include "sim/core/text.hpp"
#include "sim/imap/mutf7.hpp"
#include "sim/imap/server.hpp"

namespace postino::imap {
namespace {

constexpr char kDelimiter = '/';

// list-wildcards = "%" / "*": "*" matches anything, "%" anything but the hierarchy delimiter.
// Iterative, two pointers: on a mismatch only the last "%" (while it has not reached a delimiter)
// or else the last "*" takes one more character. Backtracking further is never needed, so a
// hostile pattern costs at most pattern x name steps, with no recursion (RFC 3501 6.3.8).
bool matches(std::string_view pattern, std::string_view name) {
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t p = 0, n = 0;
  std::size_t star_p = kNone, star_n = 0;  // the last "*", and where its match ends
  std::size_t pct_p = kNone, pct_n = 0;    // the last "%" after it, likewise
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
      pct_p = kNone;  // what a "%" before this star matched can stay as it is
    } else if (p < pattern.size() && pattern[p] == '%') {
      pct_p = p++;
      pct_n = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (pct_p != kNone && name[pct_n] != kDelimiter) {
      p = pct_p + 1;
      n = ++pct_n;
    } else if (star_p != kNone) {
      p = star_p + 1;
      n = ++star_n;
      pct_p = kNone;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && (pattern[p] == '*' || pattern[p] == '%')) ++p;
  return p == pattern.size();
}

bool matches_mailbox(std::string pattern, std::string_view name) {
  // INBOX is case-insensitive, also as the start of a pattern.
  if (name == "INBOX" && istarts_with(pattern, "INBOX")) pattern.replace(0, 5, "INBOX");
  return matches(pattern, name);
}

// The name a CREATE or RENAME makes, or nullopt: not empty, not starting with the delimiter and
// no empty level ("a//b"), the same rule for both; a trailing delimiter is dropped ("CREATE foo/"
// creates foo, RFC 3501 6.3.3).
const std::string kNameTooLong =
    "[LIMIT] Mailbox name too long (at most " + std::to_string(mail::Store::kMaxFolderName) + " octets)";

std::optional<std::string> new_folder_name(std::string n) {
  while (n.ends_with(kDelimiter)) n.pop_back();
  if (n.empty() || n.starts_with(kDelimiter) || n.find("//") != std::string::npos)
    return std::nullopt;
  return n;
}

}  // namespace

// mailbox = "INBOX" / astring, in modified UTF-7 (RFC 3501 5.1.3)
std::optional<std::string> ServerSession::mailbox_arg(Command& c) {
  auto name = c.args.astring();
  if (!name) {
    bad(c, "Missing or malformed mailbox name");
    return std::nullopt;
  }
  if (iequals(*name, "INBOX")) return std::string("INBOX");
  if (!mutf7_decode(*name)) {
    no(c, "Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)");
    return std::nullopt;
  }
  return name;
}

// select = "SELECT" SP mailbox [select-params]; examine likewise (RFC 7162 7)
// select-params = SP "(" select-param *(SP select-param) ")"
// select-param = "CONDSTORE" / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
//                [SP known-uids] [SP seq-match-data] ")"
// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
void ServerSession::cmd_select(Command& c, bool read_only) {
  if (!c.args.sp()) return bad(c, "Usage: SELECT mailbox");
  auto name = mailbox_arg(c);
  if (!name) return;
  struct Resync {
    std::uint32_t uidvalidity;
    mail::ModSeq modseq;
    std::optional<SequenceSet> known_uids;
  };
  std::optional<Resync> resync;
  bool condstore = false;
  if (c.args.sp()) {
    if (!c.args.eat('(')) return bad(c, "Usage: SELECT mailbox [(CONDSTORE | QRESYNC (...))]");
    do {
      if (c.args.eat_word("CONDSTORE")) {
        condstore = true;
        continue;
      }
      if (!c.args.eat_word("QRESYNC")) return bad(c, "Unknown SELECT parameter");
      // The seq-match-data hint is read and not needed: VANISHED comes from exact records.
      Resync r{};
      auto uv = c.args.sp() && c.args.eat('(') ? c.args.number() : std::nullopt;
      auto ms = uv && c.args.sp() ? c.args.mod_sequence() : std::nullopt;
      if (!uv || *uv == 0 || !ms) return bad(c, "Usage: QRESYNC (uidvalidity modseq [known-uids])");
      r.uidvalidity = *uv;
      r.modseq = *ms;
      if (c.args.sp() && c.args.peek() != '(' && !(r.known_uids = c.args.sequence_set()))
        return bad(c, "Malformed known-uids");
      if ((r.known_uids ? c.args.sp() : true) && c.args.eat('(')) {
        if (!c.args.sequence_set() || !c.args.sp() || !c.args.sequence_set() || !c.args.eat(')'))
          return bad(c, "Malformed seq-match-data");
      }
      if (!c.args.eat(')')) return bad(c, "Usage: QRESYNC (uidvalidity modseq [known-uids])");
      resync = r;
    } while (c.args.sp());
    if (!c.args.eat(')')) return bad(c, "Malformed SELECT parameters");
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (resync && !qresync_) return bad(c, "QRESYNC parameter without ENABLE QRESYNC first (RFC 7162 3.2.5)");
  if (condstore) condstore_ = true;
  // Selecting closes any open folder first, even when the new one cannot be opened.
  if (selected_ && qresync_) untagged("OK [CLOSED] Previous mailbox closed");
  deselect();
  set_state(State::Authenticated);
  mail::Folder* f = account_->folder(*name);
  if (!f) return no(c, "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  const mail::Uid recent_above = read_only ? f->recent_claimed() : store_->claim_recent(*f);
  Selection sel{f->name(), f->uidvalidity(), read_only, {}, store_->last_change()};
  sel.msgs.reserve(f->count());
  std::size_t first_unseen = 0, recent = 0;
  for (const mail::Entry& e : f->messages()) {
    sel.msgs.push_back({e.uid, e.flags, e.uid > recent_above, e.message, e.internal_date, e.modseq,
                        e.keywords});
    recent += e.uid > recent_above;
    if (!first_unseen && !(e.flags & mail::kSeen)) first_unseen = sel.msgs.size();
  }
  sel.uid_high = f->uidnext() - 1;
  sel.recent_told = recent;
  selected_ = std::move(sel);
  set_state(State::Selected);
  send_flag_names(*f);
  untagged(std::to_string(f->count()) + " EXISTS");
  untagged(std::to_string(recent) + " RECENT");
  if (first_unseen)
    untagged("OK [UNSEEN " + std::to_string(first_unseen) + "] First unseen");
  untagged("OK [UIDVALIDITY " + std::to_string(f->uidvalidity()) + "] UIDs valid");
  untagged("OK [UIDNEXT " + std::to_string(f->uidnext()) + "] Predicted next UID");
  if (condstore_) untagged("OK [HIGHESTMODSEQ " + std::to_string(f->highest_modseq()) + "] Highest");
  if (resync && resync->uidvalidity == f->uidvalidity()) {
    // RFC 7162 3.2.5.1: what was expunged and what changed since the client's mod-sequence.
    std::vector<mail::Uid> gone;
    for (mail::Uid u : f->vanished_since(resync->modseq))
      if (!resync->known_uids || resync->known_uids->contains(u, f->uidnext() - 1)) gone.push_back(u);
    if (!gone.empty()) untagged("VANISHED (EARLIER) " + uid_set(gone));
    for (std::size_t i = 0; i < selected_->msgs.size(); ++i)
      if (selected_->msgs[i].modseq > resync->modseq) untagged(flags_fetch(i));
  }
  ok(c, read_only ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

void ServerSession::cmd_create(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: CREATE mailbox");
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  const auto valid = new_folder_name(*name);
  if (!valid) return no(c, "[CANNOT] Invalid mailbox name");
  const std::string& n = *valid;
  if (account_->folder(n)) return no(c, "[ALREADYEXISTS] Mailbox already exists");
  if (n.size() > mail::Store::kMaxFolderName) return no(c, kNameTooLong);
  if (account_->folders().size() + static_cast<std::size_t>(std::count(n.begin(), n.end(), kDelimiter)) >=
      mail::Store::kMaxFolders)
    return no(c, "[LIMIT] Too many mailboxes (at most " + std::to_string(mail::Store::kMaxFolders) + ")");
  // Superior names are created as needed (RFC 3501 6.3.3).
  for (std::size_t slash = n.find(kDelimiter); slash != std::string::npos;
       slash = n.find(kDelimiter, slash + 1))
    if (!account_->folder(n.substr(0, slash)))
      store_->create_folder(*account_, n.substr(0, slash), mail::SpecialUse::None, actor());
  store_->create_folder(*account_, n, mail::SpecialUse::None, actor());
  send_updates(true);
  ok(c, "CREATE completed");
}

void ServerSession::cmd_delete(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: DELETE mailbox");
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (*name == "INBOX") return no(c, "INBOX cannot be deleted");
  if (!account_->folder(*name)) return no(c, "[NONEXISTENT] Mailbox doesn't exist");
  if (selected_ && selected_->name == *name) return no(c, "Close the folder before deleting it");
  store_->delete_folder(*account_, *name, actor());
  send_updates(true);
  ok(c, "DELETE completed");
}

// rename = "RENAME" SP mailbox SP mailbox
void ServerSession::cmd_rename(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: RENAME from to");
  auto from = mailbox_arg(c);
  if (!from) return;
  if (!c.args.sp()) return bad(c, "Usage: RENAME from to");
  auto to = mailbox_arg(c);
  if (!to) return;
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (*from == "INBOX") return no(c, "Renaming INBOX is not supported");
  if (!account_->folder(*from)) return no(c, "[NONEXISTENT] Mailbox doesn't exist");
  auto valid = new_folder_name(*to);
  if (!valid) return no(c, "[CANNOT] Invalid mailbox name");
  *to = *valid;
  if (account_->folder(*to)) return no(c, "[ALREADYEXISTS] Target mailbox already exists");
  if (to->starts_with(*from + kDelimiter)) return no(c, "[CANNOT] A mailbox cannot move under itself");
  // Inferior names move along (RFC 3501 6.3.5), none of them past the length limit.
  std::vector<std::string> children;
  for (const auto& [n, f] : account_->folders())
    if (n.starts_with(*from + kDelimiter)) children.push_back(n);
  for (const std::string& n : children)
    if (to->size() + n.size() - from->size() > mail::Store::kMaxFolderName) return no(c, kNameTooLong);
  if (to->size() > mail::Store::kMaxFolderName) return no(c, kNameTooLong);
  store_->rename_folder(*account_, *from, *to, actor());
  for (const std::string& child : children)
    store_->rename_folder(*account_, child, *to + child.substr(from->size()), actor());
  send_updates(true);
  ok(c, "RENAME completed");
}

void ServerSession::cmd_subscribe(Command& c, bool subscribe) {
  if (!c.args.sp()) return bad(c, "Usage: SUBSCRIBE mailbox");
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  // As Dovecot: only an existing folder can be subscribed; any name can be unsubscribed (the
  // subscription of a folder deleted or renamed since).
  if (subscribe && !account_->folder(*name)) return no(c, "Mailbox doesn't exist: " + *name);
  if (subscribe) store_->subscribe(*account_, *name);
  else store_->unsubscribe(*account_, *name);
  ok(c, subscribe ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
}

// list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
// (RFC 3501 6.3.8, with the selection and return options of RFC 5258 that RFC 6154 uses)
void ServerSession::cmd_list(Command& c, bool lsub) {
  const char* usage = lsub ? "Usage: LSUB reference pattern" : "Usage: LIST reference pattern";
  if (!c.args.sp()) return bad(c, usage);
  bool only_special = false, only_subscribed = false, return_subscribed = false;
  auto options = [&](bool selection) {
    if (!c.args.eat('(')) return true;
    bool first = true;
    while (!c.args.eat(')')) {
      if (!first && !c.args.sp()) return false;
      first = false;
      auto o = c.args.atom();
      if (!o) return false;
      const std::string opt = upper(*o);
      if (opt == "SPECIAL-USE") only_special |= selection;
      else if (opt == "SUBSCRIBED") (selection ? only_subscribed : return_subscribed) = true;
      else if (opt != "CHILDREN" && opt != "RECURSIVEMATCH") return false;
    }
    return true;
  };
  if (!lsub && c.args.peek() == '(') {
    if (!options(true) || !c.args.sp()) return bad(c, "Unsupported LIST selection options");
  }
  auto reference = c.args.astring();
  if (!reference || !c.args.sp()) return bad(c, usage);
  auto pattern = c.args.list_mailbox();
  if (!pattern) return bad(c, usage);
  if (!lsub && c.args.sp()) {
    if (!c.args.eat_word("RETURN") || !c.args.sp() || !options(false))
      return bad(c, "Unsupported LIST return options");
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (!lsub && pattern->empty()) {
    untagged("LIST (\\Noselect) \"/\" \"\"");
    return ok(c, "LIST completed");
  }
  const std::string full = *reference + *pattern;
  const auto& folders = account_->folders();
  auto has_children = [&](const std::string& name) {
    auto lb = folders.lower_bound(name + kDelimiter);
    return lb != folders.end() && lb->first.starts_with(name + kDelimiter);
  };
  auto line = [&](const std::string& name, std::string attrs) {
    std::string out = "LIST (";
    out += attrs + ") \"/\" ";
    append_astring(out, name);
    untagged(out);
  };
  if (lsub) {
    list_subscriptions(full);
    return ok(c, "LSUB completed");
  }
  // INBOX first, then the rest in name order.
  std::vector<const mail::Folder*> order;
  order.push_back(&account_->inbox());
  for (const auto& [n, f] : folders)
    if (n != "INBOX") order.push_back(&f);
  for (const mail::Folder* f : order) {
    const std::string& n = f->name();
    const bool subscribed = account_->subscriptions().contains(n);
    if (!matches_mailbox(full, n)) continue;
    if (only_subscribed && !subscribed) continue;
    if (only_special && f->special_use() == mail::SpecialUse::None) continue;
    std::string attrs = has_children(n) ? "\\HasChildren" : "\\HasNoChildren";
    if (f->special_use() != mail::SpecialUse::None)
      attrs += std::string(" ") + mail::special_use_attribute(f->special_use());
    if ((return_subscribed || only_subscribed) && subscribed) attrs += " \\Subscribed";
    line(n, attrs);
  }
  ok(c, "LIST completed");
}

// LSUB lists subscribed names, whether their folders exist or not, with the special-use
// attribute of those that do (as Dovecot). A subscribed name that "%" stops short of shows
// its unsubscribed parent as \Noselect (RFC 3501 6.3.9).
void ServerSession::list_subscriptions(const std::string& pattern) {
  const auto& subs = account_->subscriptions();
  std::set<std::string, std::less<>> parents;  // told as \Noselect already
  auto line = [&](std::string_view name, std::string_view attrs) {
    std::string out = "LSUB (" + std::string(attrs) + ") \"/\" ";
    append_astring(out, name);
    untagged(out);
  };
  std::vector<std::string> order;  // INBOX first, then the rest in name order
  if (subs.contains("INBOX")) order.emplace_back("INBOX");
  for (const std::string& n : subs)
    if (n != "INBOX") order.push_back(n);
  for (const std::string& n : order) {
    if (matches_mailbox(pattern, n)) {
      const mail::Folder* f = account_->folder(n);
      line(n, f ? mail::special_use_attribute(f->special_use()) : "");
      continue;
    }
    for (std::size_t slash = n.find(kDelimiter); slash != std::string::npos;
         slash = n.find(kDelimiter, slash + 1)) {
      const std::string parent = n.substr(0, slash);
      if (subs.contains(parent) || parents.contains(parent) || !matches_mailbox(pattern, parent))
        continue;
      parents.insert(parent);
      line(parent, "\\Noselect");
    }
  }
}

// status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
void ServerSession::cmd_status(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: STATUS mailbox (items)");
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.sp() || !c.args.eat('(')) return bad(c, "Usage: STATUS mailbox (items)");
  std::vector<std::string> items;
  while (!c.args.eat(')')) {
    if (!items.empty() && !c.args.sp()) return bad(c, "Malformed STATUS item list");
    auto a = c.args.atom();
    if (!a) return bad(c, "Malformed STATUS item list");
    items.push_back(upper(*a));
  }
  if (!c.args.at_end() || items.empty()) return bad(c, "Usage: STATUS mailbox (items)");
  const mail::Folder* f = account_->folder(*name);
  if (!f) return no(c, "[NONEXISTENT] Mailbox doesn't exist");
  std::string out = "STATUS ";
  append_astring(out, f->name());
  out += " (";
  for (std::size_t k = 0; k < items.size(); ++k) {
    const std::string& it = items[k];
    std::uint64_t v;
    if (it == "MESSAGES") v = f->count();
    else if (it == "RECENT")
      v = static_cast<std::uint64_t>(std::count_if(
          f->messages().begin(), f->messages().end(),
          [&](const mail::Entry& e) { return e.uid > f->recent_claimed(); }));
    else if (it == "UIDNEXT") v = f->uidnext();
    else if (it == "UIDVALIDITY") v = f->uidvalidity();
    else if (it == "HIGHESTMODSEQ") {
      v = f->highest_modseq();
      condstore_ = true;  // RFC 7162 3.1: a CONDSTORE-enabling command
    }
    else if (it == "UNSEEN")
      v = static_cast<std::uint64_t>(
          std::count_if(f->messages().begin(), f->messages().end(),
                        [](const mail::Entry& e) { return !(e.flags & mail::kSeen); }));
    else return bad(c, "Unknown STATUS item: " + it);
    if (k) out += ' ';
    out += it + " " + std::to_string(v);
  }
  untagged(out + ")");
  send_updates(true);
  ok(c, "STATUS completed");
}

// append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
void ServerSession::cmd_append(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: APPEND mailbox [(flags)] [date-time] {size}");
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.sp()) return bad(c, "Usage: APPEND mailbox [(flags)] [date-time] {size}");
  mail::Flags flags = 0;
  mail::Keywords keywords;
  if (c.args.peek() == '(') {
    auto list = c.args.flag_list();
    if (!list || !c.args.sp()) return bad(c, "Malformed flag list");
    if (!read_flags(c, *list, flags, keywords)) return;
  }
  Time date = now_;
  if (c.args.peek() == '"') {
    auto d = c.args.date_time();
    if (!d || !c.args.sp()) return bad(c, "Malformed date-time");
    date = *d;
  }
  if (c.args.peek() != '{') return bad(c, "APPEND needs the message as a literal");
  auto text = c.args.string();
  if (!text || !c.args.at_end()) return bad(c, "Malformed APPEND literal");
  mail::Folder* f = account_->folder(*name);
  if (!f) return no(c, "[TRYCREATE] Mailbox doesn't exist: " + *name);
  if (!keywords_fit(c, *f, keywords)) return;
  auto uid = store_->append(*account_, *f, mail::make_message(*text), flags, date, actor(), keywords);
  if (!uid) return no(c, "[OVERQUOTA] Quota exceeded: the mailbox is full");
  send_updates(true);
  ok(c, "[APPENDUID " + std::to_string(f->uidvalidity()) + " " + std::to_string(*uid) +
            "] APPEND completed");
}

// getquota = "GETQUOTA" SP quota-root-name; getquotaroot = "GETQUOTAROOT" SP mailbox
void ServerSession::cmd_getquota(Command& c, bool root) {
  if (!c.args.sp()) return bad(c, root ? "Usage: GETQUOTAROOT mailbox" : "Usage: GETQUOTA root");
  std::string mailbox;
  if (root) {
    auto name = mailbox_arg(c);
    if (!name) return;
    mailbox = *name;
  } else {
    auto r = c.args.astring();
    if (!r) return bad(c, "Usage: GETQUOTA root");
    if (!r->empty()) return no(c, "[NONEXISTENT] No such quota root; the only one is \"\"");
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (root && !account_->folder(mailbox)) return no(c, "[NONEXISTENT] Mailbox doesn't exist");
  const std::uint64_t quota = account_->quota();
  if (root) {
    std::string out = "QUOTAROOT ";
    append_astring(out, mailbox);
    untagged(quota ? out + " \"\"" : out);
  }
  if (quota) {
    // STORAGE is counted in units of 1024 octets (RFC 9208 section 5.1).
    untagged("QUOTA \"\" (STORAGE " + std::to_string((account_->used() + 1023) / 1024) + " " +
             std::to_string(quota / 1024) + ")");
  }
  ok(c, root ? "GETQUOTAROOT completed" : "GETQUOTA completed");
}

void ServerSession::cmd_setquota(Command& c) {
  no(c, "[NOPERM] Quotas are set by the hosting plan");
}

// close = "CLOSE"; unselect = "UNSELECT"
void ServerSession::cmd_close(Command& c, bool expunge) {
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (expunge && !selected_->read_only) {
    if (mail::Folder* f = current_folder()) {
      // Silently: CLOSE sends no EXPUNGE responses (RFC 3501 6.4.2).
      for (const Known& k : selected_->msgs)
        if (const mail::Entry* e = f->find(k.uid); e && (e->flags & mail::kDeleted))
          store_->expunge(*account_, *f, k.uid, actor());
    }
  }
  deselect();
  set_state(State::Authenticated);
  ok(c, expunge ? "CLOSE completed" : "UNSELECT completed");
}

// expunge = "EXPUNGE"; uid-expunge = "UID" SP "EXPUNGE" SP sequence-set
void ServerSession::cmd_expunge(Command& c) {
  std::optional<SequenceSet> set;
  if (c.uid && (!c.args.sp() || !(set = c.args.sequence_set())))
    return bad(c, "Usage: UID EXPUNGE uid-set");
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  if (selected_->read_only) return no(c, "[READ-ONLY] The folder is open read-only");
  send_updates(true);
  if (closed()) return;
  mail::Folder* f = current_folder();
  const std::uint32_t star = selected_->msgs.empty() ? 0 : selected_->msgs.back().uid;
  for (std::size_t i = 0; i < selected_->msgs.size();) {
    const Known& k = selected_->msgs[i];
    const mail::Entry* e = f->find(k.uid);
    if (e && (e->flags & mail::kDeleted) && (!set || set->contains(k.uid, star))) {
      store_->expunge(*account_, *f, k.uid, actor());
      announce_expunge(i);
      continue;
    }
    ++i;
  }
  flush_vanished();
  selected_->seen_change = store_->last_change();
  ok(c, "EXPUNGE completed");
}

// copy = "COPY" SP sequence-set SP mailbox; move = "MOVE" SP sequence-set SP mailbox
void ServerSession::cmd_copy(Command& c, bool move) {
  const char* usage = move ? "Usage: MOVE set mailbox" : "Usage: COPY set mailbox";
  std::optional<SequenceSet> set;
  if (!c.args.sp() || !(set = c.args.sequence_set()) || !c.args.sp()) return bad(c, usage);
  auto name = mailbox_arg(c);
  if (!name) return;
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  std::vector<std::size_t> indexes;
  if (!resolve(c, *set, indexes)) return;
  mail::Folder* dest = account_->folder(*name);
  if (!dest) return no(c, "[TRYCREATE] Mailbox doesn't exist: " + *name);
  if (move && selected_->read_only) return no(c, "[READ-ONLY] The folder is open read-only");
  mail::Folder* src = current_folder();
  if (!src) return no(c, "The open folder is gone");
  if (!move) {
    std::uint64_t total = 0;
    for (std::size_t i : indexes) total += selected_->msgs[i].message->size();
    if (account_->would_exceed_quota(total))
      return no(c, "[OVERQUOTA] Quota exceeded: nothing was copied");
  }
  std::vector<mail::Uid> from, to;
  for (std::size_t i : indexes) {
    const mail::Uid uid = selected_->msgs[i].uid;
    auto copied = move ? store_->move(*account_, *src, uid, *dest, actor())
                       : store_->copy(*account_, *src, uid, *dest, actor());
    if (!copied) continue;  // expunged meanwhile by another session
    from.push_back(uid);
    to.push_back(*copied);
  }
  const std::string copyuid = from.empty() ? std::string()
                                           : "[COPYUID " + std::to_string(dest->uidvalidity()) +
                                                 " " + uid_set(from) + " " + uid_set(to) + "] ";
  if (!move) {
    send_updates(true);
    return ok(c, copyuid + "COPY completed");
  }
  // RFC 6851 section 4.3: COPYUID goes in an untagged OK, then the EXPUNGEs.
  if (!copyuid.empty()) untagged("OK " + copyuid + "Moved");
  for (std::size_t k = indexes.size(); k-- > 0;) {
    const mail::Uid uid = selected_->msgs[indexes[k]].uid;
    if (std::find(from.begin(), from.end(), uid) != from.end()) announce_expunge(indexes[k]);
  }
  flush_vanished();
  send_updates(true);
  ok(c, "MOVE completed");
}

}  // namespace postino::imap
