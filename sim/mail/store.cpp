#include "sim/mail/store.hpp"

#include <cstdio>

#include <utility>

#include "sim/core/text.hpp"

namespace postino::mail {

const char* to_string(Change::Kind kind) {
  switch (kind) {
    case Change::Kind::Delivered: return "delivered";
    case Change::Kind::Bounced: return "bounced";
    case Change::Kind::Appended: return "appended";
    case Change::Kind::FlagsChanged: return "flags";
    case Change::Kind::Expunged: return "expunged";
    case Change::Kind::FolderCreated: return "folder-created";
    case Change::Kind::FolderDeleted: return "folder-deleted";
    case Change::Kind::FolderRenamed: return "folder-renamed";
  }
  return "?";
}

Store::Store(std::string domain, std::uint32_t first_uidvalidity)
    : domain_(lower(domain)), next_uidvalidity_(first_uidvalidity ? first_uidvalidity : 1) {}

Account* Store::add_account(std::string_view address, std::string password,
                            std::uint64_t quota) {
  std::string key = lower(address);
  if (accounts_.size() >= mailbox_limit_ || accounts_.contains(key)) return nullptr;
  auto [it, ok] = accounts_.emplace(key, Account(std::string(address), std::move(password), quota));
  Account& a = it->second;
  static constexpr std::pair<const char*, SpecialUse> kFolders[] = {
      {"INBOX", SpecialUse::None}, {"Drafts", SpecialUse::Drafts}, {"Sent", SpecialUse::Sent},
      {"Junk", SpecialUse::Junk},  {"Trash", SpecialUse::Trash}};
  for (auto [name, use] : kFolders) {
    a.folders_.emplace(name, Folder(name, next_uidvalidity_++, use));
    a.subscriptions_.insert(name);
  }
  return &a;
}

const Account* Store::find_account(std::string_view login) const {
  std::string key = lower(login);
  if (key.find('@') == std::string::npos) key += "@" + domain_;
  auto it = accounts_.find(key);
  if (it == accounts_.end()) it = accounts_.find(lower(login));
  return it == accounts_.end() ? nullptr : &it->second;
}

Account* Store::find_account(std::string_view login) {
  return const_cast<Account*>(std::as_const(*this).find_account(login));
}

Delivery Store::deliver(std::string_view address, MessagePtr message, Time now) {
  Account* account = find_account(address);
  if (!account) {
    const std::string reason = "550 5.1.1 no such mailbox";
    record(Change::Kind::Bounced, std::string(address), "INBOX", 0, 0, "delivery", reason);
    return {false, 0, reason};
  }
  if (account->would_exceed_quota(message->size())) {
    const std::string reason = "552 5.2.2 mailbox full (over quota)";
    record(Change::Kind::Bounced, account->address(), "INBOX", 0, 0, "delivery", reason);
    return {false, 0, reason};
  }
  const Uid uid = account->inbox().append(std::move(message), 0, now);
  record(Change::Kind::Delivered, account->address(), "INBOX", uid, 0, "delivery");
  return {true, uid, {}};
}

std::optional<Uid> Store::append(Account& account, Folder& folder, MessagePtr message,
                                 Flags flags, Time internal_date, std::string_view actor) {
  if (account.would_exceed_quota(message->size())) return std::nullopt;
  Uid uid = folder.append(std::move(message), flags, internal_date);
  record(Change::Kind::Appended, account.address(), folder.name(), uid, flags, actor);
  return uid;
}

bool Store::set_flags(Account& account, Folder& folder, Uid uid, Flags flags,
                      std::string_view actor) {
  Entry* e = folder.mutable_entry(uid);
  if (!e) return false;
  if (e->flags == flags) return true;
  e->flags = flags;
  e->modseq = folder.next_modseq();
  record(Change::Kind::FlagsChanged, account.address(), folder.name(), uid, flags, actor);
  return true;
}

bool Store::expunge(Account& account, Folder& folder, Uid uid, std::string_view actor) {
  const Entry* e = folder.find(uid);
  std::string subject = e ? e->message->summary().subject : std::string();  // for people watching it go
  if (!folder.remove(uid)) return false;
  record(Change::Kind::Expunged, account.address(), folder.name(), uid, 0, actor, std::move(subject));
  return true;
}

std::optional<Uid> Store::copy(Account& account, Folder& from, Uid uid, Folder& to,
                               std::string_view actor) {
  const Entry* e = from.find(uid);
  if (!e) return std::nullopt;
  return append(account, to, e->message, e->flags, e->internal_date, actor);
}

std::optional<Uid> Store::move(Account& account, Folder& from, Uid uid, Folder& to,
                               std::string_view actor) {
  const Entry* e = from.find(uid);
  if (!e || &from == &to) return std::nullopt;
  const Uid new_uid = to.append(e->message, e->flags, e->internal_date);
  record(Change::Kind::Appended, account.address(), to.name(), new_uid, e->flags, actor);
  expunge(account, from, uid, actor);
  return new_uid;
}

Uid Store::claim_recent(Folder& folder) {
  return std::exchange(folder.recent_claimed_, folder.uidnext_ - 1);
}

void Store::subscribe(Account& account, std::string_view name) {
  account.subscriptions_.insert(std::string(iequals(name, "INBOX") ? "INBOX" : name));
}

void Store::unsubscribe(Account& account, std::string_view name) {
  account.subscriptions_.erase(std::string(iequals(name, "INBOX") ? "INBOX" : name));
}

Folder* Store::create_folder(Account& account, std::string_view name, SpecialUse use,
                             std::string_view actor) {
  if (name.empty() || account.folder(name)) return nullptr;
  auto [it, ok] =
      account.folders_.emplace(std::string(name), Folder(std::string(name), next_uidvalidity_++, use));
  record(Change::Kind::FolderCreated, account.address(), std::string(name), 0, 0, actor);
  return &it->second;
}

bool Store::delete_folder(Account& account, std::string_view name, std::string_view actor) {
  if (iequals(name, "INBOX")) return false;
  auto it = account.folders_.find(name);
  if (it == account.folders_.end()) return false;
  account.folders_.erase(it);
  record(Change::Kind::FolderDeleted, account.address(), std::string(name), 0, 0, actor);
  return true;
}

bool Store::rename_folder(Account& account, std::string_view from, std::string_view to,
                          std::string_view actor) {
  if (iequals(from, "INBOX") || to.empty() || account.folder(to)) return false;
  auto node = account.folders_.extract(std::string(from));
  if (node.empty()) return false;
  node.key() = std::string(to);
  node.mapped().name_ = std::string(to);
  account.folders_.insert(std::move(node));
  if (account.subscriptions_.erase(std::string(from))) account.subscriptions_.insert(std::string(to));
  record(Change::Kind::FolderRenamed, account.address(), std::string(from), 0, 0, actor, std::string(to));
  return true;
}

bool Store::lock_maildrop(Account& account) {
  if (account.pop3_locked_) return false;
  account.pop3_locked_ = true;
  return true;
}

void Store::unlock_maildrop(Account& account) { account.pop3_locked_ = false; }

std::string Store::pop3_unique_id(const Folder& folder, Uid uid) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08x%08x", static_cast<unsigned>(uid),
                static_cast<unsigned>(folder.uidvalidity()));
  return buf;
}

void Store::record(Change::Kind kind, std::string account, std::string_view folder, Uid uid,
                   Flags flags, std::string_view actor, std::string detail) {
  changes_.push_back(Change{changes_.size() + 1, kind, std::move(account), std::string(folder),
                            uid, flags, std::string(actor), std::move(detail)});
}

}  // namespace postino::mail
