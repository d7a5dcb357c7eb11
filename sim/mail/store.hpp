#pragma once
// The mail server's store: the accounts of one domain. Every change goes through here and is
// appended to a change log, which is how IMAP sessions learn what other sessions did and how the
// world's trace learns what happened to the mail.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/account.hpp"

namespace postino::mail {

struct Change {
  enum class Kind {
    Delivered,      // new mail from outside landed in INBOX
    Bounced,        // new mail refused (detail says why: over quota, no such user)
    Appended,       // a client stored a message (IMAP APPEND, COPY, MOVE)
    FlagsChanged,   // flags now `flags`
    Expunged,       // removed for good (detail: its subject)
    FolderCreated,
    FolderDeleted,
    FolderRenamed,  // `folder` is the old name, `detail` the new one
  };
  std::uint64_t seq = 0;  // 1, 2, 3... in the order things happened
  Kind kind{};
  std::string account;
  std::string folder;
  Uid uid = 0;
  Flags flags = 0;
  std::string actor;   // who did it: "delivery", "pop3 #2", ...
  std::string detail;
};
const char* to_string(Change::Kind kind);

struct Delivery {
  bool accepted = false;
  Uid uid = 0;
  std::string reason;  // why it bounced
};

class Store {
 public:
  // The entry hosting plan allows 10 mailboxes (source claim S1).
  static constexpr std::size_t kDefaultMailboxLimit = 10;

  explicit Store(std::string domain = "tuodominio.it", std::uint32_t first_uidvalidity = 1);

  const std::string& domain() const { return domain_; }
  std::size_t mailbox_limit() const { return mailbox_limit_; }
  void set_mailbox_limit(std::size_t limit) { mailbox_limit_ = limit; }

  // With INBOX and the usual special-use folders (Drafts, Sent, Junk, Trash), all subscribed.
  // nullptr when the address exists already or the plan's mailbox limit is reached.
  Account* add_account(std::string_view address, std::string password, std::uint64_t quota = 0);
  // By full address (any case) or, for an address of this domain, by its local part.
  Account* find_account(std::string_view login);
  const Account* find_account(std::string_view login) const;
  const std::map<std::string, Account, std::less<>>& accounts() const { return accounts_; }

  // Mail from the Internet for `address`: lands in INBOX unseen, or bounces when the account
  // does not exist or the message would put it over quota.
  Delivery deliver(std::string_view address, MessagePtr message, Time now);
  // A client storing a message; nullopt when it would exceed the quota.
  std::optional<Uid> append(Account& account, Folder& folder, MessagePtr message, Flags flags,
                            Time internal_date, std::string_view actor);
  bool set_flags(Account& account, Folder& folder, Uid uid, Flags flags, std::string_view actor);
  bool expunge(Account& account, Folder& folder, Uid uid, std::string_view actor);
  // A copy in `to` (quota permitting); its new UID.
  std::optional<Uid> copy(Account& account, Folder& from, Uid uid, Folder& to,
                          std::string_view actor);
  // Copy then expunge; uses no extra quota. Its new UID.
  std::optional<Uid> move(Account& account, Folder& from, Uid uid, Folder& to,
                          std::string_view actor);
  // Marks every message of `folder` as no longer \Recent for other sessions; returns the UID
  // above which messages were still recent (RFC 3501 section 2.3.2).
  Uid claim_recent(Folder& folder);

  Folder* create_folder(Account& account, std::string_view name,
                        SpecialUse use = SpecialUse::None, std::string_view actor = {});
  bool delete_folder(Account& account, std::string_view name, std::string_view actor = {});
  bool rename_folder(Account& account, std::string_view from, std::string_view to,
                     std::string_view actor = {});

  void subscribe(Account& account, std::string_view name);
  void unsubscribe(Account& account, std::string_view name);

  bool lock_maildrop(Account& account);
  void unlock_maildrop(Account& account);

  // The POP3 unique-id of a message (RFC 1939 section 7): UIDVALIDITY and UID in hex, so it is
  // stable across sessions and never reused.
  static std::string pop3_unique_id(const Folder& folder, Uid uid);

  const std::vector<Change>& changes() const { return changes_; }
  std::uint64_t last_change() const { return changes_.size(); }

 private:
  void record(Change::Kind kind, std::string account, std::string_view folder, Uid uid,
              Flags flags, std::string_view actor, std::string detail = {});

  std::string domain_;
  std::size_t mailbox_limit_ = kDefaultMailboxLimit;
  std::uint32_t next_uidvalidity_;
  std::map<std::string, Account, std::less<>> accounts_;  // key: lower-case address
  std::vector<Change> changes_;
};

}  // namespace postino::mail
