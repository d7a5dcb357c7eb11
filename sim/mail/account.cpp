#include "sim/mail/account.hpp"

#include <utility>

#include "sim/core/text.hpp"

namespace postino::mail {

Account::Account(std::string address, std::string password, std::uint64_t quota)
    : address_(std::move(address)), password_(std::move(password)), quota_(quota) {}

std::uint64_t Account::used() const {
  std::uint64_t total = 0;
  for (const auto& [name, f] : folders_) total += f.octets();
  return total;
}

Folder* Account::folder(std::string_view name) {
  return const_cast<Folder*>(std::as_const(*this).folder(name));
}

const Folder* Account::folder(std::string_view name) const {
  if (iequals(name, "INBOX")) name = "INBOX";
  auto it = folders_.find(name);
  return it == folders_.end() ? nullptr : &it->second;
}

}  // namespace postino::mail
