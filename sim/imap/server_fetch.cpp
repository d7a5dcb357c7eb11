// IMAP server session: FETCH and STORE (RFC 3501 6.4.5, 6.4.6).
#include <algorithm>
#include <memory>

#include "sim/core/text.hpp"
#include "sim/imap/fetch_data.hpp"
#include "sim/imap/server.hpp"

namespace postino::imap {
namespace {

struct Item {
  enum class Kind {
    Envelope, Flags, InternalDate, Rfc822, Rfc822Header, Rfc822Size, Rfc822Text, Body,
    BodyStructure, Uid, ModSeq, Section
  } kind;
  Section section{};
  bool peek = false;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> partial{};  // <origin.count>

  bool sets_seen() const {
    return kind == Kind::Rfc822 || kind == Kind::Rfc822Text || (kind == Kind::Section && !peek);
  }
};

// section = "[" [section-spec] "]"
// section-spec = section-msgtext / (section-part ["." section-text])
// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
bool parse_section(Reader& r, Section& s) {
  if (!r.eat('[')) return false;
  bool dot = false;
  while (r.peek() >= '0' && r.peek() <= '9') {
    auto n = r.number();
    if (!n || *n == 0) return false;
    s.part.push_back(*n);
    dot = r.eat('.');
    if (!dot) break;
  }
  using T = Section::Text;
  if (s.part.empty() || dot) {
    if (r.eat_word("HEADER.FIELDS.NOT")) s.text = T::HeaderFieldsNot;
    else if (r.eat_word("HEADER.FIELDS")) s.text = T::HeaderFields;
    else if (r.eat_word("HEADER")) s.text = T::Header;
    else if (r.eat_word("TEXT")) s.text = T::Text;
    else if (!s.part.empty() && r.eat_word("MIME")) s.text = T::Mime;
    else if (dot) return false;
  }
  if (s.text == T::HeaderFields || s.text == T::HeaderFieldsNot) {
    // header-list = "(" header-fld-name *(SP header-fld-name) ")"
    if (!r.sp() || !r.eat('(')) return false;
    do {
      auto f = r.astring();
      if (!f) return false;
      s.fields.push_back(*f);
    } while (r.sp());
    if (!r.eat(')')) return false;
  }
  if (!r.eat(']')) return false;
  for (std::size_t i = 0; i < s.part.size(); ++i)
    s.spec += (i ? "." : "") + std::to_string(s.part[i]);
  static constexpr const char* kNames[] = {"", "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT",
                                           "TEXT", "MIME"};
  if (s.text != T::All) s.spec += std::string(s.part.empty() ? "" : ".") +
                                  kNames[static_cast<int>(s.text)];
  if (!s.fields.empty()) {
    s.spec += " (";
    for (std::size_t i = 0; i < s.fields.size(); ++i) {
      if (i) s.spec += ' ';
      append_astring(s.spec, upper(s.fields[i]));  // as Dovecot echoes them
    }
    s.spec += ')';
  }
  return true;
}

// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
//   "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["<" number "." nz-number ">"] /
//   "BODY.PEEK" section ["<" number "." nz-number ">"] / "MODSEQ" (RFC 7162)
std::optional<Item> parse_item(Reader& r) {
  using K = Item::Kind;
  if (r.eat_word("MODSEQ")) return Item{K::ModSeq};
  if (r.eat_word("ENVELOPE")) return Item{K::Envelope};
  if (r.eat_word("FLAGS")) return Item{K::Flags};
  if (r.eat_word("INTERNALDATE")) return Item{K::InternalDate};
  if (r.eat_word("RFC822.HEADER")) return Item{K::Rfc822Header};
  if (r.eat_word("RFC822.SIZE")) return Item{K::Rfc822Size};
  if (r.eat_word("RFC822.TEXT")) return Item{K::Rfc822Text};
  if (r.eat_word("RFC822")) return Item{K::Rfc822};
  if (r.eat_word("BODYSTRUCTURE")) return Item{K::BodyStructure};
  if (r.eat_word("UID")) return Item{K::Uid};
  Item item{K::Section};
  if (r.eat_word("BODY.PEEK")) item.peek = true;
  else if (!r.eat_word("BODY")) return std::nullopt;
  if (r.peek() != '[') {
    if (item.peek) return std::nullopt;
    return Item{K::Body};
  }
  if (!parse_section(r, item.section)) return std::nullopt;
  if (r.eat('<')) {
    auto origin = r.number();
    if (!origin || !r.eat('.')) return std::nullopt;
    auto count = r.number();
    if (!count || *count == 0 || !r.eat('>')) return std::nullopt;
    item.partial = std::make_pair(*origin, *count);
  }
  return item;
}

// "ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"
std::optional<std::vector<Item>> parse_items(Reader& r) {
  using K = Item::Kind;
  if (r.eat_word("ALL")) return std::vector<Item>{{K::Flags}, {K::InternalDate}, {K::Rfc822Size}, {K::Envelope}};
  if (r.eat_word("FAST")) return std::vector<Item>{{K::Flags}, {K::InternalDate}, {K::Rfc822Size}};
  if (r.eat_word("FULL"))
    return std::vector<Item>{{K::Flags}, {K::InternalDate}, {K::Rfc822Size}, {K::Envelope}, {K::Body}};
  std::vector<Item> items;
  if (!r.eat('(')) {
    auto one = parse_item(r);
    if (!one) return std::nullopt;
    items.push_back(*one);
    return items;
  }
  do {
    auto one = parse_item(r);
    if (!one) return std::nullopt;
    items.push_back(*one);
  } while (r.sp());
  if (!r.eat(')')) return std::nullopt;
  return items;
}

void append_literal(std::string& out, std::string_view data) {
  out += '{';
  out += std::to_string(data.size());
  out += "}\r\n";
  out += data;
}

// A literal of the stored octets themselves, which the world's trace can share.
void append_literal(std::string& out, std::string_view data, const mail::MessagePtr& owner,
                    std::vector<SharedRun>& runs) {
  out += '{' + std::to_string(data.size()) + "}\r\n";
  runs.push_back({out.size(), data, owner});
  out += data;
}

}  // namespace

// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
//         "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
// fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"
// fetch-modifier = "CHANGEDSINCE" SP mod-sequence-valzer / "VANISHED"   (RFC 7162)
void ServerSession::cmd_fetch(Command& c) {
  std::optional<SequenceSet> set;
  if (!c.args.sp() || !(set = c.args.sequence_set()) || !c.args.sp())
    return bad(c, "Usage: FETCH set items");
  auto items = parse_items(c.args);
  if (!items) return bad(c, "Invalid FETCH item list");
  std::optional<mail::ModSeq> changed_since;
  bool vanished = false;
  if (c.args.sp()) {
    if (!c.args.eat('(')) return bad(c, "Unexpected arguments after the FETCH items");
    do {
      if (c.args.eat_word("VANISHED")) {
        vanished = true;
      } else if (c.args.eat_word("CHANGEDSINCE")) {
        if (!c.args.sp() || !(changed_since = c.args.mod_sequence()))
          return bad(c, "Usage: CHANGEDSINCE mod-sequence");
      } else {
        return bad(c, "Unknown FETCH modifier");
      }
    } while (c.args.sp());
    if (!c.args.eat(')')) return bad(c, "Malformed FETCH modifiers");
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments after the FETCH items");
  if (vanished && (!c.uid || !qresync_ || !changed_since))
    return bad(c, "VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC (RFC 7162 3.2.6)");
  std::vector<std::size_t> indexes;
  if (!resolve(c, *set, indexes)) return;
  using K = Item::Kind;
  // Using MODSEQ or CHANGEDSINCE turns CONDSTORE on for the session (RFC 7162 3.1).
  if (changed_since || std::any_of(items->begin(), items->end(), [](const Item& i) { return i.kind == K::ModSeq; }))
    condstore_ = true;
  if (changed_since) {
    std::erase_if(indexes, [&](std::size_t i) { return selected_->msgs[i].modseq <= *changed_since; });
    if (std::none_of(items->begin(), items->end(), [](const Item& i) { return i.kind == K::ModSeq; }))
      items->push_back({K::ModSeq});
  }
  if (vanished) {
    std::vector<mail::Uid> gone;
    if (const mail::Folder* f = current_folder())
      for (mail::Uid u : f->vanished_since(*changed_since))
        if (set->contains(u, f->uidnext() - 1)) gone.push_back(u);
    if (!gone.empty()) untagged("VANISHED (EARLIER) " + uid_set(gone));
  }
  const bool wants_uid = std::any_of(items->begin(), items->end(),
                                     [](const Item& i) { return i.kind == K::Uid; });
  const bool wants_flags = std::any_of(items->begin(), items->end(),
                                       [](const Item& i) { return i.kind == K::Flags; });
  const bool sets_seen = std::any_of(items->begin(), items->end(),
                                     [](const Item& i) { return i.sets_seen(); });
  const bool wants_modseq = std::any_of(items->begin(), items->end(),
                                        [](const Item& i) { return i.kind == K::ModSeq; });
  mail::Folder* f = current_folder();
  std::vector<SharedRun> runs;  // in `out` below
  for (std::size_t index : indexes) {
    Known& k = selected_->msgs[index];
    bool flags_changed = false;
    if (sets_seen && !selected_->read_only && !(k.flags & mail::kSeen) && f) {
      if (const mail::Entry* e = f->find(k.uid)) {
        // Reading a message marks it read on the server, and so on every device (S4).
        k.flags = e->flags | mail::kSeen;
        store_->set_flags(*account_, *f, k.uid, k.flags, actor());
        k.modseq = e->modseq;
        flags_changed = true;
      }
    }
    const mail::Message& m = *k.message;
    std::unique_ptr<mail::MimePart> mime;
    std::string out = "* " + std::to_string(index + 1) + " FETCH (";
    bool first = true;
    auto next = [&](std::string_view name) {
      if (!first) out += ' ';
      first = false;
      out += name;
    };
    if (c.uid && !wants_uid) next("UID " + std::to_string(k.uid));
    for (const Item& item : *items) {
      switch (item.kind) {
        case K::Flags:
          next("FLAGS (" + flags_of(k) + ")");
          // With CONDSTORE on, flags come with their mod-sequence (RFC 7162 3.1.4.1).
          if (condstore_ && !wants_modseq) next(modseq_item(k));
          break;
        case K::Uid: next("UID " + std::to_string(k.uid)); break;
        case K::ModSeq: next(modseq_item(k)); break;
        case K::InternalDate: next("INTERNALDATE \"" + format_date_time(k.internal_date) + "\""); break;
        case K::Rfc822Size: next("RFC822.SIZE " + std::to_string(m.size())); break;
        case K::Envelope: next("ENVELOPE " + envelope(m)); break;
        case K::Body:
        case K::BodyStructure:
          if (!mime) mime = std::make_unique<mail::MimePart>(mail::parse_mime(m.text()));
          next(item.kind == K::Body ? "BODY " : "BODYSTRUCTURE ");
          out += body_structure(*mime, item.kind == K::BodyStructure);
          break;
        case K::Rfc822: next("RFC822 "); append_literal(out, m.text(), k.message, runs); break;
        case K::Rfc822Header: next("RFC822.HEADER "); append_literal(out, m.header_section()); break;
        case K::Rfc822Text: next("RFC822.TEXT "); append_literal(out, m.body(), k.message, runs); break;
        case K::Section: {
          // BODY[] and BODY[TEXT] are the stored octets themselves: sent from the message,
          // so that the world's trace can share them.
          const bool stored = item.section.part.empty() &&
                              (item.section.text == Section::Text::All || item.section.text == Section::Text::Text);
          auto data = stored ? std::nullopt : section_data(m, item.section);
          std::string label = "BODY[" + item.section.spec + "]";
          if (item.partial) label += "<" + std::to_string(item.partial->first) + ">";
          next(label + " ");
          // A part the message does not have is empty, as in Dovecot (RFC 3501 leaves it open).
          if (!stored && !data) data.emplace();
          std::string_view view = !stored ? std::string_view(*data)
                                  : item.section.text == Section::Text::All ? std::string_view(m.text())
                                                                            : m.body();
          if (item.partial) {
            const std::size_t origin = std::min<std::size_t>(item.partial->first, view.size());
            view = view.substr(origin, item.partial->second);
          }
          if (stored) append_literal(out, view, k.message, runs);
          else append_literal(out, view);
          break;
        }
      }
    }
    if (flags_changed && !wants_flags) {
      next("FLAGS (" + flags_of(k) + ")");
      if (condstore_ && !wants_modseq) next(modseq_item(k));
    }
    out += ")\r\n";
    for (SharedRun& r : runs) shared_.push_back({out_.size() + r.at, r.bytes, std::move(r.owner)});
    runs.clear();
    out_ += out;
  }
  // RFC 3501 7.4.1: no EXPUNGE while answering FETCH (UID FETCH may carry one).
  send_updates(c.uid);
  ok(c, c.uid ? "UID FETCH completed" : "FETCH completed");
}

// store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
// store-modifiers = SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"   (RFC 7162)
// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
void ServerSession::cmd_store(Command& c) {
  std::optional<SequenceSet> set;
  if (!c.args.sp() || !(set = c.args.sequence_set()) || !c.args.sp())
    return bad(c, "Usage: STORE set [+|-]FLAGS[.SILENT] (flags)");
  std::optional<mail::ModSeq> unchanged_since;
  if (c.args.eat('(')) {
    if (!c.args.eat_word("UNCHANGEDSINCE") || !c.args.sp() || !(unchanged_since = c.args.mod_sequence()) ||
        !c.args.eat(')') || !c.args.sp())
      return bad(c, "Usage: STORE set (UNCHANGEDSINCE modseq) [+|-]FLAGS[.SILENT] (flags)");
    condstore_ = true;
  }
  const char sign = c.args.eat('+') ? '+' : c.args.eat('-') ? '-' : '=';
  bool silent = false;
  if (c.args.eat_word("FLAGS.SILENT")) silent = true;
  else if (!c.args.eat_word("FLAGS")) return bad(c, "Usage: STORE set [+|-]FLAGS[.SILENT] (flags)");
  if (!c.args.sp()) return bad(c, "Missing flags");
  std::vector<std::string> list;
  if (c.args.peek() == '(') {
    auto l = c.args.flag_list();
    if (!l) return bad(c, "Malformed flag list");
    list = *l;
  } else {
    do {
      const bool system = c.args.eat('\\');
      auto a = c.args.atom();
      if (!a) return bad(c, "Malformed flag");
      list.push_back(system ? "\\" + *a : *a);
    } while (c.args.sp());
  }
  if (!c.args.at_end()) return bad(c, "Unexpected arguments");
  mail::Flags flags = 0;
  mail::Keywords keywords;
  if (!read_flags(c, list, flags, keywords)) return;
  if (selected_->read_only) return no(c, "[READ-ONLY] The folder is open read-only");
  std::vector<std::size_t> indexes;
  if (!resolve(c, *set, indexes)) return;
  mail::Folder* f = current_folder();
  if (f && sign != '-' && !keywords_fit(c, *f, keywords)) return;
  // A keyword the folder never had is on none of its messages: nothing to take away.
  if (f && sign == '-')
    std::erase_if(keywords, [&](const std::string& k) {
      return std::none_of(f->keywords().begin(), f->keywords().end(),
                          [&](const std::string& known) { return iequals(known, k); });
    });
  // Once, not per message: a long list naming the same keywords again and again.
  mail::Keywords unique;
  for (const std::string& k : keywords)
    if (std::none_of(unique.begin(), unique.end(), [&](const std::string& u) { return iequals(u, k); }))
      unique.push_back(k);
  keywords = std::move(unique);
  std::vector<std::uint32_t> modified;  // failed UNCHANGEDSINCE: UIDs for UID STORE, else numbers
  std::vector<std::string> fetches;     // sent after FLAGS, when a keyword is new to the folder
  for (std::size_t index : indexes) {
    Known& k = selected_->msgs[index];
    const mail::Entry* e = f ? f->find(k.uid) : nullptr;
    if (!e) continue;  // expunged by another session; the EXPUNGE will follow
    if (unchanged_since && e->modseq > *unchanged_since) {
      modified.push_back(c.uid ? k.uid : static_cast<std::uint32_t>(index + 1));
      continue;
    }
    const mail::Flags now = sign == '+' ? e->flags | flags : sign == '-' ? e->flags & ~flags : flags;
    mail::Keywords words = sign == '=' ? keywords : e->keywords;
    if (sign == '+') words.insert(words.end(), keywords.begin(), keywords.end());
    if (sign == '-')
      std::erase_if(words, [&](const std::string& w) {
        return std::any_of(keywords.begin(), keywords.end(),
                           [&](const std::string& x) { return iequals(w, x); });
      });
    store_->set_flags(*account_, *f, k.uid, static_cast<mail::Flags>(now), words, actor());
    k.flags = static_cast<mail::Flags>(now);
    k.keywords = e->keywords;
    k.modseq = e->modseq;
    // With CONDSTORE on, even .SILENT reports the new mod-sequence (RFC 7162 3.1.3).
    if (!silent || condstore_)
      fetches.push_back(std::to_string(index + 1) + " FETCH (" +
                        (c.uid ? "UID " + std::to_string(k.uid) + " " : std::string()) +
                        (silent ? modseq_item(k) : "FLAGS (" + flags_of(k) + ")" + modseq_of(k)) +
                        ")");
  }
  // A keyword new to the folder: FLAGS and PERMANENTFLAGS come first (RFC 3501 7.2.6).
  if (f && !selected_->read_only) send_new_keywords();
  for (const std::string& line : fetches) untagged(line);
  send_updates(c.uid);
  if (!modified.empty()) return ok(c, "[MODIFIED " + uid_set(modified) + "] Conditional STORE failed");
  ok(c, c.uid ? "UID STORE completed" : "STORE completed");
}

}  // namespace postino::imap
