#pragma once
// A mail folder as the server keeps it (RFC 3501 section 2.3.1.1): messages ordered by UID,
// UIDVALIDITY fixed for the folder's life, UIDNEXT only ever grows, so a UID is never reused.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/flags.hpp"
#include "sim/mail/message.hpp"

namespace postino::mail {

using Uid = std::uint32_t;
// RFC 7162 mod-sequence: every change of a message in a folder gets the next one.
using ModSeq = std::uint64_t;

// Keywords one folder may hold: FLAGS lists them all, so a client cannot grow it without bound.
// IMAP STORE and APPEND refuse more; a COPY or MOVE bringing more drops the extra ones.
inline constexpr std::size_t kMaxKeywords = 256;

// RFC 6154 special-use attributes.
enum class SpecialUse { None, Sent, Trash, Drafts, Junk };
const char* special_use_attribute(SpecialUse use);  // "\\Trash", or "" for None

struct Entry {
  Uid uid = 0;
  Flags flags = 0;
  Time internal_date = 0;
  MessagePtr message;
  ModSeq modseq = 1;  // of its last change (append or flags)
  Keywords keywords{};  // spelt and ordered as the folder's keywords()
};

class Folder {
 public:
  Folder(std::string name, std::uint32_t uidvalidity, SpecialUse use = SpecialUse::None);

  const std::string& name() const { return name_; }
  std::uint32_t uidvalidity() const { return uidvalidity_; }
  Uid uidnext() const { return uidnext_; }
  SpecialUse special_use() const { return special_use_; }
  // Every keyword used in this folder, in order of first use (IMAP FLAGS and PERMANENTFLAGS).
  const Keywords& keywords() const { return keywords_; }
  // How many of `names` this folder does not have yet (counted up to kMaxKeywords + 1).
  std::size_t new_keywords(const Keywords& names) const;
  // RFC 3501 \Recent: messages above this UID have not yet been seen by any session.
  Uid recent_claimed() const { return recent_claimed_; }

  const std::vector<Entry>& messages() const { return messages_; }
  std::size_t count() const { return messages_.size(); }
  std::uint64_t octets() const { return octets_; }
  const Entry* find(Uid uid) const;
  // RFC 7162 HIGHESTMODSEQ: the mod-sequence of the latest change in this folder.
  ModSeq highest_modseq() const { return highest_modseq_; }
  // UIDs expunged after `since`, ascending (QRESYNC's VANISHED (EARLIER)). The latest
  // kKeptExpunges are remembered exactly; for an older `since` the answer is every UID below
  // UIDNEXT that is not here, which RFC 7162 section 3.2.10 allows (a client ignores UIDs it
  // does not know) and which needs no memory beyond the folder itself.
  static constexpr std::size_t kKeptExpunges = 1024;
  std::vector<Uid> vanished_since(ModSeq since) const;

 private:
  friend class Store;  // every change goes through Store, which records it
  Entry* mutable_entry(Uid uid);
  ModSeq next_modseq() { return ++highest_modseq_; }
  Uid append(MessagePtr message, Flags flags, Time internal_date, const Keywords& keywords);
  // `names` as this folder spells and orders them, duplicates dropped; new ones are added, up
  // to kMaxKeywords.
  Keywords define_keywords(const Keywords& names);
  bool remove(Uid uid);

  std::string name_;
  std::uint32_t uidvalidity_;
  Uid uidnext_ = 1;
  SpecialUse special_use_;
  Uid recent_claimed_ = 0;
  std::vector<Entry> messages_;  // ascending UID
  Keywords keywords_;
  std::uint64_t octets_ = 0;
  ModSeq highest_modseq_ = 1;
  std::vector<std::pair<ModSeq, Uid>> expunged_;  // ascending mod-sequence, the latest only
  ModSeq forgotten_ = 0;                           // expunges up to this one are not in expunged_
};

}  // namespace postino::mail
