#include "sim/mail/folder.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

#include "sim/core/text.hpp"

namespace postino::mail {

const char* special_use_attribute(SpecialUse use) {
  switch (use) {
    case SpecialUse::Sent: return "\\Sent";
    case SpecialUse::Trash: return "\\Trash";
    case SpecialUse::Drafts: return "\\Drafts";
    case SpecialUse::Junk: return "\\Junk";
    case SpecialUse::None: break;
  }
  return "";
}

Folder::Folder(std::string name, std::uint32_t uidvalidity, SpecialUse use)
    : name_(std::move(name)), uidvalidity_(uidvalidity), special_use_(use) {}

const Entry* Folder::find(Uid uid) const {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), uid,
                             [](const Entry& e, Uid u) { return e.uid < u; });
  return it != messages_.end() && it->uid == uid ? &*it : nullptr;
}

Entry* Folder::mutable_entry(Uid uid) { return const_cast<Entry*>(find(uid)); }

std::size_t Folder::new_keywords(const Keywords& names) const {
  Keywords fresh;
  for (const std::string& n : names) {
    auto same = [&](const std::string& k) { return iequals(k, n); };
    if (std::none_of(keywords_.begin(), keywords_.end(), same) &&
        std::none_of(fresh.begin(), fresh.end(), same))
      fresh.push_back(n);
    if (fresh.size() > kMaxKeywords) break;  // too many already: no need to count on
  }
  return fresh.size();
}

Keywords Folder::define_keywords(const Keywords& names) {
  std::vector<bool> used(keywords_.size(), false);
  for (const std::string& n : names) {
    std::size_t k = 0;
    while (k < keywords_.size() && !iequals(keywords_[k], n)) ++k;
    if (k == keywords_.size()) {
      if (keywords_.size() >= kMaxKeywords) continue;
      keywords_.push_back(n);
      used.push_back(false);
    }
    used[k] = true;
  }
  Keywords out;
  for (std::size_t k = 0; k < keywords_.size(); ++k)
    if (used[k]) out.push_back(keywords_[k]);
  return out;
}

Uid Folder::append(MessagePtr message, Flags flags, Time internal_date, const Keywords& keywords) {
  // UIDs strictly ascend and are never reused (RFC 3501 section 2.3.1.1).
  assert(messages_.empty() || messages_.back().uid < uidnext_);
  octets_ += message->size();
  Keywords own = define_keywords(keywords);
  messages_.push_back(
      Entry{uidnext_, flags, internal_date, std::move(message), next_modseq(), std::move(own)});
  return uidnext_++;
}

bool Folder::remove(Uid uid) {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), uid,
                             [](const Entry& e, Uid u) { return e.uid < u; });
  if (it == messages_.end() || it->uid != uid) return false;
  octets_ -= it->message->size();
  messages_.erase(it);
  if (expunged_.size() >= 2 * kKeptExpunges) {  // dropped in halves: amortised O(1)
    const auto drop = static_cast<std::ptrdiff_t>(expunged_.size() - kKeptExpunges);
    forgotten_ = expunged_[static_cast<std::size_t>(drop - 1)].first;
    expunged_.erase(expunged_.begin(), expunged_.begin() + drop);
  }
  expunged_.emplace_back(next_modseq(), uid);
  return true;
}

std::vector<Uid> Folder::vanished_since(ModSeq since) const {
  if (since < forgotten_) {
    std::vector<Uid> out;
    auto here = messages_.begin();
    for (Uid u = 1; u < uidnext_; ++u) {
      while (here != messages_.end() && here->uid < u) ++here;
      if (here == messages_.end() || here->uid != u) out.push_back(u);
    }
    return out;
  }
  auto it = std::upper_bound(expunged_.begin(), expunged_.end(), since,
                             [](ModSeq m, const std::pair<ModSeq, Uid>& e) { return m < e.first; });
  std::vector<Uid> out;
  for (; it != expunged_.end(); ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace postino::mail
