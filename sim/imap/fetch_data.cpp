#include "sim/imap/fetch_data.hpp"

#include <algorithm>

#include "sim/core/text.hpp"
#include "sim/imap/syntax.hpp"

namespace postino::imap {
namespace {

// Text for people (a subject, a display name) the way Dovecot writes it: as it is in quotes when
// it can be, else a literal with its white space collapsed to single spaces and trimmed (and no
// backslash escapes: a quote or backslash makes it a literal).
void append_text_for_humans(std::string& out, const std::optional<std::string>& text) {
  if (!text) {
    out += "NIL";
    return;
  }
  std::string clean;
  bool plain = true, space = false;
  for (const char c : *text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !clean.empty()) clean += ' ';
    space = false;
    plain &= c != '"' && c != '\\' && u != 0 && u < 0x80;
    clean += u == 0 ? '\x80' : c;  // NUL becomes 0x80, as in Dovecot
  }
  if (plain && clean == *text && clean.size() < 1024) {
    out += '"' + clean + '"';
  } else if (clean.empty()) {
    out += "\"\"";
  } else {
    out += '{' + std::to_string(clean.size()) + "}\r\n" + clean;
  }
}

void append_addresses(std::string& out, const std::optional<std::string>& header) {
  if (!header) {
    out += "NIL";
    return;
  }
  auto list = mail::parse_address_list(*header);
  if (list.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  for (const mail::Address& a : list) {
    out += '(';
    append_text_for_humans(out, a.name);
    out += ' ';
    append_nstring(out, a.route);  // addr-adl: an obsolete source route, kept as Dovecot does
    out += ' ';
    // An address without its local part or domain gets Dovecot's placeholders (NIL would mean a
    // group marker).
    const bool group = !a.host;
    append_nstring(out, !group && a.mailbox && a.mailbox->empty() ? "MISSING_MAILBOX" : a.mailbox);
    out += ' ';
    append_nstring(out, !group && a.host->empty() ? std::optional<std::string>("MISSING_DOMAIN") : a.host);
    out += ')';
  }
  out += ')';
}

void append_params(std::string& out, const mail::Params& params) {
  if (params.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) out += ' ';
    append_string(out, params[i].first);
    out += ' ';
    append_string(out, params[i].second);
  }
  out += ')';
}

void append_extension(std::string& out, const mail::MimePart& p) {
  // body-fld-dsp SP body-fld-lang SP body-fld-loc
  out += ' ';
  if (p.disposition) {
    out += '(';
    append_string(out, *p.disposition);
    out += ' ';
    append_params(out, p.disposition_params);
    out += ')';
  } else {
    out += "NIL";
  }
  // body-fld-lang: a list, as Dovecot gives it, of the field's comma-separated tags.
  out += ' ';
  std::string tags;
  if (p.language) {
    std::string_view rest = *p.language;
    while (!rest.empty()) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      const std::string_view tag = trim(rest.substr(0, comma));
      rest.remove_prefix(std::min(comma + 1, rest.size()));
      if (tag.empty()) continue;
      tags += tags.empty() ? "" : " ";
      append_string(tags, tag);
    }
  }
  out += tags.empty() ? std::string("NIL") : "(" + tags + ")";
  out += ' ';
  append_nstring(out, p.location);
}

const mail::MimePart* find_part(const mail::MimePart& root, const std::vector<std::uint32_t>& path) {
  const mail::MimePart* p = &root;
  for (std::uint32_t n : path) {
    // A message/rfc822 part's numbers refer to the parts of the message inside it.
    if (p->is_message()) {
      if (p->children.empty()) return nullptr;  // parse_mime never leaves one so; just in case
      p = &p->children[0];
    }
    if (p->is_multipart()) {
      if (n == 0 || n > p->children.size()) return nullptr;
      p = &p->children[n - 1];
    } else if (n != 1) {
      return nullptr;  // a single-part body has only part 1: itself
    }
  }
  return p;
}

std::string header_fields(std::string_view header, const std::vector<std::string>& fields,
                          bool exclude) {
  std::string out;
  std::size_t pos = 0;
  bool keep = false;
  while (pos < header.size()) {
    std::size_t eol = header.find("\r\n", pos);
    std::size_t next = eol == std::string_view::npos ? header.size() : eol + 2;
    std::string_view line = header.substr(pos, next - pos);
    pos = next;
    if (line == "\r\n") break;
    if (line[0] != ' ' && line[0] != '\t') {
      auto colon = line.find(':');
      std::string_view name = trim(line.substr(0, colon == std::string_view::npos ? 0 : colon));
      bool listed = false;
      for (const std::string& f : fields) listed |= iequals(f, name);
      keep = colon != std::string_view::npos && listed != exclude;
    }
    if (keep) out += line;
  }
  return out + "\r\n";
}

}  // namespace

std::string envelope(const mail::Message& m) {
  std::string out = "(";
  append_nstring(out, m.header("Date"));
  out += ' ';
  append_text_for_humans(out, m.header("Subject"));
  const auto from = m.header("From");
  auto sender = m.header("Sender");
  auto reply_to = m.header("Reply-To");
  for (const auto* h : {&from, sender ? &sender : &from, reply_to ? &reply_to : &from}) {
    out += ' ';
    append_addresses(out, *h);
  }
  for (const char* name : {"To", "Cc", "Bcc"}) {
    out += ' ';
    append_addresses(out, m.header(name));
  }
  out += ' ';
  append_nstring(out, m.header("In-Reply-To"));
  out += ' ';
  append_nstring(out, m.header("Message-ID"));
  return out + ")";
}

std::string body_structure(const mail::MimePart& p, bool extensible) {
  std::string out = "(";
  if (p.is_multipart()) {
    for (const mail::MimePart& child : p.children) out += body_structure(child, extensible);
    out += ' ';
    append_string(out, p.subtype);
    if (extensible) {
      out += ' ';
      append_params(out, p.params);
      append_extension(out, p);
    }
    return out + ")";
  }
  // body-type-basic / body-type-text / body-type-msg
  append_string(out, p.type);
  out += ' ';
  append_string(out, p.subtype);
  out += ' ';
  append_params(out, p.params);
  out += ' ';
  append_nstring(out, p.id);
  out += ' ';
  append_nstring(out, p.description);
  out += ' ';
  append_string(out, p.encoding);
  out += ' ' + std::to_string(p.body.size());
  if (p.is_message() && !p.children.empty()) {
    const mail::MimePart& inner = p.children[0];
    out += ' ' + envelope(mail::Message(std::string(inner.header) + std::string(inner.body)));
    out += ' ' + body_structure(inner, extensible);
    out += ' ' + std::to_string(p.lines);
  } else if (iequals(p.type, "text")) {
    out += ' ' + std::to_string(p.lines);
  }
  if (extensible) {
    out += ' ';
    append_nstring(out, p.md5);
    append_extension(out, p);
  }
  return out + ")";
}

std::optional<std::string> section_data(const mail::Message& m, const Section& s) {
  using T = Section::Text;
  if (s.part.empty()) {
    switch (s.text) {
      case T::All: return m.text();
      case T::Header: return std::string(m.header_section());
      case T::Text: return std::string(m.body());
      case T::HeaderFields: return header_fields(m.header_section(), s.fields, false);
      case T::HeaderFieldsNot: return header_fields(m.header_section(), s.fields, true);
      case T::Mime: return std::nullopt;
    }
  }
  const mail::MimePart root = mail::parse_mime(m.text());
  const mail::MimePart* p = find_part(root, s.part);
  if (!p) return std::nullopt;
  if (s.text == T::All) return std::string(p->body);
  if (s.text == T::Mime) return std::string(p->header);
  // HEADER / TEXT of a part are those of the message/rfc822 inside it.
  if (!p->is_message() || p->children.empty()) return std::nullopt;
  const mail::MimePart& inner = p->children[0];
  switch (s.text) {
    case T::Header: return std::string(inner.header);
    case T::Text: return std::string(inner.body);
    case T::HeaderFields: return header_fields(inner.header, s.fields, false);
    case T::HeaderFieldsNot: return header_fields(inner.header, s.fields, true);
    default: return std::nullopt;
  }
}

}  // namespace postino::imap
