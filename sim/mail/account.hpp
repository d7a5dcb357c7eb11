#pragma once
// One mailbox of the hosting plan (source claim S1): an address, its password, its folders and
// its disk quota.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "sim/mail/folder.hpp"

namespace postino::mail {

class Account {
 public:
  Account(std::string address, std::string password, std::uint64_t quota);

  const std::string& address() const { return address_; }
  const std::string& password() const { return password_; }
  void set_password(std::string password) { password_ = std::move(password); }
  // Octets the account may use in all its folders; 0 means unlimited.
  std::uint64_t quota() const { return quota_; }
  std::uint64_t used() const;
  bool would_exceed_quota(std::uint64_t extra) const {
    return quota_ != 0 && used() + extra > quota_;
  }

  Folder& inbox() { return *folder("INBOX"); }
  const Folder& inbox() const { return *folder("INBOX"); }
  // "INBOX" matches in any case (RFC 3501 section 5.1); other names match exactly.
  Folder* folder(std::string_view name);
  const Folder* folder(std::string_view name) const;
  const std::map<std::string, Folder, std::less<>>& folders() const { return folders_; }
  // Folder names the user subscribed to (RFC 3501 section 6.3.6); may name missing folders.
  const std::set<std::string, std::less<>>& subscriptions() const { return subscriptions_; }

  // A POP3 maildrop lock (RFC 1939 section 4): one POP3 session at a time.
  bool pop3_locked() const { return pop3_locked_; }

 private:
  friend class Store;
  std::string address_;
  std::string password_;
  std::uint64_t quota_;
  std::map<std::string, Folder, std::less<>> folders_;
  std::set<std::string, std::less<>> subscriptions_;
  bool pop3_locked_ = false;
};

}  // namespace postino::mail
