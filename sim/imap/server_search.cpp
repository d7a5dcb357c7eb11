// IMAP server session: SEARCH (RFC 3501 6.4.4).
#include <algorithm>

#include "sim/core/text.hpp"
#include "sim/imap/server.hpp"
#include "sim/mail/mime.hpp"
#include "sim/mail/rfc2047.hpp"

namespace postino::imap {
namespace {

struct Key {
  enum class Kind {
    All, Flag, NotFlag, Keyword, Unkeyword, New, Old, Recent, Header, Body, Text, Before, On, Since, SentBefore, SentOn,
    SentSince, Larger, Smaller, Uid, Seq, ModSeq, Not, Or, And
  } kind;
  mail::Flags flag = 0;
  std::string field{}, value{};
  Time date = 0;
  std::uint64_t number = 0;
  SequenceSet set{};
  std::vector<Key> sub{};
};

// SEARCH matches substrings case-insensitively (RFC 3501 6.4.4), ASCII letters folded.
// Knuth-Morris-Pratt: at most 2 x the text's length in comparisons, however the needle and the
// text repeat themselves (a naive scan is needle x text: a hostile client's freeze).
bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (hay.size() < needle.size()) return false;
  // fail[k]: the length of the longest proper border of needle[0..k].
  std::vector<std::size_t> fail(needle.size(), 0);
  for (std::size_t k = 1, b = 0; k < needle.size(); ++k) {
    while (b > 0 && to_lower(needle[k]) != to_lower(needle[b])) b = fail[b - 1];
    if (to_lower(needle[k]) == to_lower(needle[b])) ++b;
    fail[k] = b;
  }
  for (std::size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k > 0 && to_lower(hay[i]) != to_lower(needle[k])) k = fail[k - 1];
    if (to_lower(hay[i]) == to_lower(needle[k]) && ++k == needle.size()) return true;
  }
  return false;
}

std::optional<Key> parse_key(Reader& r, int depth);

// search-key, per RFC 3501's list
std::optional<Key> parse_key(Reader& r, int depth) {
  using K = Key::Kind;
  if (depth > 32) return std::nullopt;
  if (r.eat('(')) {
    Key k{K::And};
    do {
      auto sub = parse_key(r, depth + 1);
      if (!sub) return std::nullopt;
      k.sub.push_back(std::move(*sub));
    } while (r.sp());
    if (!r.eat(')')) return std::nullopt;
    return k;
  }
  if (r.peek() == '*' || is_digit(r.peek())) {
    auto set = r.sequence_set();
    if (!set) return std::nullopt;
    return Key{K::Seq, 0, {}, {}, 0, 0, *set};
  }
  auto word = r.atom();
  if (!word) return std::nullopt;
  const std::string w = upper(*word);
  struct FlagKey { const char* name; K kind; mail::Flags flag; };
  static constexpr FlagKey kFlags[] = {
      {"ANSWERED", K::Flag, mail::kAnswered},   {"DELETED", K::Flag, mail::kDeleted},
      {"DRAFT", K::Flag, mail::kDraft},         {"FLAGGED", K::Flag, mail::kFlagged},
      {"SEEN", K::Flag, mail::kSeen},           {"UNANSWERED", K::NotFlag, mail::kAnswered},
      {"UNDELETED", K::NotFlag, mail::kDeleted}, {"UNDRAFT", K::NotFlag, mail::kDraft},
      {"UNFLAGGED", K::NotFlag, mail::kFlagged}, {"UNSEEN", K::NotFlag, mail::kSeen}};
  for (const FlagKey& f : kFlags)
    if (w == f.name) return Key{f.kind, f.flag};
  if (w == "ALL") return Key{K::All};
  if (w == "NEW") return Key{K::New};
  if (w == "OLD") return Key{K::Old};
  if (w == "RECENT") return Key{K::Recent};
  auto string_arg = [&](K kind, std::string field) -> std::optional<Key> {
    if (!r.sp()) return std::nullopt;
    auto v = r.astring();
    if (!v) return std::nullopt;
    return Key{kind, 0, std::move(field), *v};
  };
  if (w == "FROM" || w == "TO" || w == "CC" || w == "BCC" || w == "SUBJECT")
    return string_arg(K::Header, w);
  if (w == "BODY") return string_arg(K::Body, {});
  if (w == "TEXT") return string_arg(K::Text, {});
  // KEYWORD flag-keyword / UNKEYWORD flag-keyword
  if (w == "KEYWORD" || w == "UNKEYWORD") {
    if (!r.sp()) return std::nullopt;
    auto a = r.atom();
    if (!a) return std::nullopt;
    return Key{w == "KEYWORD" ? K::Keyword : K::Unkeyword, 0, {}, *a};
  }
  if (w == "HEADER") {
    if (!r.sp()) return std::nullopt;
    auto field = r.astring();
    if (!field) return std::nullopt;
    return string_arg(K::Header, upper(*field));
  }
  struct DateKey { const char* name; K kind; };
  static constexpr DateKey kDates[] = {{"BEFORE", K::Before},         {"ON", K::On},
                                       {"SINCE", K::Since},           {"SENTBEFORE", K::SentBefore},
                                       {"SENTON", K::SentOn},         {"SENTSINCE", K::SentSince}};
  for (const DateKey& d : kDates) {
    if (w != d.name) continue;
    if (!r.sp()) return std::nullopt;
    auto date = r.date();
    if (!date) return std::nullopt;
    Key k{d.kind};
    k.date = *date;
    return k;
  }
  if (w == "LARGER" || w == "SMALLER") {
    if (!r.sp()) return std::nullopt;
    auto n = r.number();
    if (!n) return std::nullopt;
    Key k{w == "LARGER" ? K::Larger : K::Smaller};
    k.number = *n;
    return k;
  }
  // search-modsequence = "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer
  // (RFC 7162; one mod-sequence per message here, so the entry is read and not needed)
  if (w == "MODSEQ") {
    if (!r.sp()) return std::nullopt;
    if (r.peek() == '"') {
      if (!r.string() || !r.sp() || !r.atom() || !r.sp()) return std::nullopt;
    }
    auto n = r.mod_sequence();
    if (!n) return std::nullopt;
    Key k{K::ModSeq};
    k.number = *n;
    return k;
  }
  if (w == "UID") {
    if (!r.sp()) return std::nullopt;
    auto set = r.sequence_set();
    if (!set) return std::nullopt;
    return Key{K::Uid, 0, {}, {}, 0, 0, *set};
  }
  if (w == "NOT") {
    if (!r.sp()) return std::nullopt;
    auto sub = parse_key(r, depth + 1);
    if (!sub) return std::nullopt;
    Key k{K::Not};
    k.sub.push_back(std::move(*sub));
    return k;
  }
  if (w == "OR") {
    Key k{K::Or};
    for (int i = 0; i < 2; ++i) {
      if (!r.sp()) return std::nullopt;
      auto sub = parse_key(r, depth + 1);
      if (!sub) return std::nullopt;
      k.sub.push_back(std::move(*sub));
    }
    return k;
  }
  return std::nullopt;
}

struct Candidate {
  const mail::Message& message;
  mail::Flags flags;
  const mail::Keywords& keywords;
  bool recent;
  Time internal_date;
  mail::Uid uid;
  std::uint32_t msn, count, uid_star;
  mail::ModSeq modseq;
};

bool uses_modseq(const Key& k) {
  if (k.kind == Key::Kind::ModSeq) return true;
  for (const Key& s : k.sub)
    if (uses_modseq(s)) return true;
  return false;
}

Time day_of(Time t) { return t - ((t % kDay) + kDay) % kDay; }

bool match(const Key& k, const Candidate& c) {
  using K = Key::Kind;
  switch (k.kind) {
    case K::All: return true;
    case K::Flag: return (c.flags & k.flag) != 0;
    case K::NotFlag: return (c.flags & k.flag) == 0;
    case K::New: return c.recent && !(c.flags & mail::kSeen);
    case K::Old: return !c.recent;
    case K::Recent: return c.recent;
    case K::Keyword:
    case K::Unkeyword: {
      const bool has = std::any_of(c.keywords.begin(), c.keywords.end(),
                                   [&](const std::string& w) { return iequals(w, k.value); });
      return has == (k.kind == K::Keyword);
    }
    case K::Header:
      // Every field of that name (Received: comes many times); "" finds any that is there.
      for (const std::string& v : mail::find_headers(c.message.header_section(), k.field))
        if (contains_ci(v, k.value) || contains_ci(mail::decode_rfc2047(v), k.value)) return true;
      return false;
    case K::Body: return contains_ci(c.message.body(), k.value);
    case K::Text: return contains_ci(c.message.text(), k.value) ||
                         contains_ci(mail::decode_rfc2047(c.message.header_section()), k.value);
    case K::Before: return day_of(c.internal_date) < k.date;
    case K::On: return day_of(c.internal_date) == k.date;
    case K::Since: return day_of(c.internal_date) >= k.date;
    case K::SentBefore:
    case K::SentOn:
    case K::SentSince: {
      // The date as written, in its own zone, time of day ignored (RFC 3501 6.4.4).
      int zone = 0;
      const auto date = c.message.header("Date");
      const auto sent = date ? parse_rfc5322_date(*date, &zone) : std::nullopt;
      if (!sent) return false;
      const Time d = day_of(*sent + zone * kMinute);
      return k.kind == K::SentBefore ? d < k.date : k.kind == K::SentOn ? d == k.date : d >= k.date;
    }
    case K::Larger: return c.message.size() > k.number;
    case K::Smaller: return c.message.size() < k.number;
    case K::Uid: return k.set.contains(c.uid, c.uid_star);
    case K::ModSeq: return c.modseq >= k.number;
    case K::Seq: return k.set.contains(c.msn, c.count);
    case K::Not: return !match(k.sub[0], c);
    case K::Or: return match(k.sub[0], c) || match(k.sub[1], c);
    case K::And:
      for (const Key& s : k.sub)
        if (!match(s, c)) return false;
      return true;
  }
  return false;
}

}  // namespace

// search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)
void ServerSession::cmd_search(Command& c) {
  if (!c.args.sp()) return bad(c, "Usage: SEARCH [CHARSET name] keys");
  if (c.args.eat_word("CHARSET")) {
    auto charset = c.args.sp() ? c.args.astring() : std::nullopt;
    if (!charset || !c.args.sp()) return bad(c, "Usage: SEARCH [CHARSET name] keys");
    if (!iequals(*charset, "UTF-8") && !iequals(*charset, "US-ASCII"))
      return no(c, "[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
  }
  Key all{Key::Kind::And};
  do {
    const std::size_t at = c.args.pos();
    auto k = parse_key(c.args, 0);
    if (!k) {
      c.args.seek(at);
      return bad(c, "Invalid search key at: " + printable(c.args.rest().substr(0, 30)));
    }
    all.sub.push_back(std::move(*k));
  } while (c.args.sp());
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  const auto& msgs = selected_->msgs;
  const auto count = static_cast<std::uint32_t>(msgs.size());
  const std::uint32_t uid_star = msgs.empty() ? 0 : msgs.back().uid;
  std::string out = "SEARCH";
  mail::ModSeq highest = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const Known& k = msgs[i];
    Candidate cand{*k.message, k.flags, k.keywords, k.recent, k.internal_date, k.uid, i + 1, count, uid_star, k.modseq};
    if (!match(all, cand)) continue;
    out += " " + std::to_string(c.uid ? k.uid : i + 1);
    highest = std::max(highest, k.modseq);
  }
  // RFC 7162 3.1.5: a search by MODSEQ tells the highest mod-sequence of what it found.
  if (uses_modseq(all)) {
    condstore_ = true;
    if (highest) out += " (MODSEQ " + std::to_string(highest) + ")";
  }
  untagged(out);
  send_updates(c.uid);
  ok(c, c.uid ? "UID SEARCH completed" : "SEARCH completed");
}

}  // namespace postino::imap
