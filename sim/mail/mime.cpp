#include "sim/mail/mime.hpp"

#include "sim/core/text.hpp"

namespace postino::mail {
namespace {


// token / quoted-string, for Content-Type parameters (RFC 2045 section 5.1).
std::string read_value(std::string_view s, std::size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out += s[i++];
    }
    ++i;
    return out;
  }
  while (i < s.size() && s[i] != ';' && s[i] != ' ' && s[i] != '\t') out += s[i++];
  return out;
}

void skip_ws(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
}

// value *(";" attribute "=" value): the leading value and the parameters.
std::pair<std::string, Params> parse_field_with_params(std::string_view v) {
  std::size_t i = 0;
  skip_ws(v, i);
  std::size_t start = i;
  while (i < v.size() && v[i] != ';') ++i;
  std::string value(trim(v.substr(start, i - start)));
  Params params;
  while (i < v.size() && v[i] == ';') {
    ++i;
    skip_ws(v, i);
    std::size_t name_start = i;
    while (i < v.size() && v[i] != '=' && v[i] != ';') ++i;
    std::string name(trim(v.substr(name_start, i - name_start)));
    if (i >= v.size() || v[i] != '=') continue;
    ++i;
    skip_ws(v, i);
    std::string val = read_value(v, i);
    while (i < v.size() && v[i] != ';') ++i;
    if (!name.empty()) params.emplace_back(std::move(name), std::move(val));
  }
  return {value, params};
}

// BODYSTRUCTURE's body-fld-lines: line ends, as Dovecot counts them (a part's last line has
// none when the CRLF before the next boundary belongs to that boundary, RFC 2046 5.1.1).
std::size_t count_lines(std::string_view body) {
  std::size_t n = 0;
  for (char c : body) n += c == '\n';
  return n;
}

MimePart parse_part(std::string_view text, bool digest_child, int depth) {
  MimePart part;
  std::size_t body_start;
  if (text.starts_with("\r\n")) body_start = 2;
  else if (auto e = text.find("\r\n\r\n"); e != std::string_view::npos) body_start = e + 4;
  else body_start = text.size();
  part.header = text.substr(0, body_start);
  part.body = text.substr(body_start);
  part.lines = count_lines(part.body);
  if (digest_child) {
    part.type = "message";
    part.subtype = "rfc822";
  }
  if (auto ct = find_header(part.header, "Content-Type")) {
    auto [value, params] = parse_field_with_params(*ct);
    auto slash = value.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < value.size()) {
      part.type = value.substr(0, slash);
      part.subtype = value.substr(slash + 1);
      part.params = std::move(params);
    }
  }
  if (iequals(part.type, "text") && part.params.empty()) part.params.emplace_back("charset", "us-ascii");
  if (auto v = find_header(part.header, "Content-Transfer-Encoding")) part.encoding = trim(*v);
  part.id = find_header(part.header, "Content-ID");
  part.description = find_header(part.header, "Content-Description");
  part.md5 = find_header(part.header, "Content-MD5");
  part.location = find_header(part.header, "Content-Location");
  part.language = find_header(part.header, "Content-Language");
  if (auto d = find_header(part.header, "Content-Disposition")) {
    auto [value, params] = parse_field_with_params(*d);
    part.disposition = value;
    part.disposition_params = std::move(params);
  }
  if (depth >= kMaxMimeDepth) {
    // Too deep to open: a text leaf, so that nothing (FETCH's part numbers, BODYSTRUCTURE's
    // body-type-msg and body-type-mpart, which need inner parts) looks for children it lacks.
    if (part.is_multipart() || part.is_message()) {
      part.type = "text";
      part.subtype = "plain";
      part.params = {{"charset", "us-ascii"}};
    }
    return part;
  }

  if (part.is_multipart()) {
    std::string boundary;
    for (auto& [k, v] : part.params)
      if (iequals(k, "boundary")) boundary = v;
    if (boundary.empty()) {
      part.type = "text";
      part.subtype = "plain";
      return part;
    }
    const std::string delim = "--" + boundary;
    // Delimiter lines start at the beginning of the body or right after a CRLF.
    std::vector<std::pair<std::size_t, std::size_t>> cuts;  // (line start, content start after)
    std::size_t pos = 0;
    // An unterminated multipart simply ends at the end of the body.
    while (pos <= part.body.size()) {
      std::size_t at = part.body.find(delim, pos);
      if (at == std::string_view::npos) break;
      if (at != 0 && (at < 2 || part.body.substr(at - 2, 2) != "\r\n")) {
        pos = at + 1;
        continue;
      }
      std::size_t after = at + delim.size();
      const bool close = part.body.substr(after, 2) == "--";
      std::size_t eol = part.body.find("\r\n", after);
      std::size_t next = eol == std::string_view::npos ? part.body.size() : eol + 2;
      cuts.emplace_back(at, next);
      pos = next;
      if (close) break;
    }
    const bool digest = iequals(part.subtype, "digest");
    for (std::size_t k = 0; k < cuts.size(); ++k) {
      const std::size_t begin = cuts[k].second;
      std::size_t end;
      if (k + 1 < cuts.size()) end = cuts[k + 1].first >= 2 ? cuts[k + 1].first - 2 : 0;
      else if (part.body.substr(cuts[k].first + delim.size(), 2) == "--") break;
      else end = part.body.size();
      if (end < begin) end = begin;
      part.children.push_back(parse_part(part.body.substr(begin, end - begin), digest, depth + 1));
    }
    if (part.children.empty()) part.children.push_back(parse_part("", false, depth + 1));
  } else if (part.is_message()) {
    part.children.push_back(parse_part(part.body, false, depth + 1));
  }
  return part;
}

// Splits at commas that are outside quotes, comments and angle brackets.
std::vector<std::string_view> split_top_level(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  int paren = 0;
  bool quoted = false, angle = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (paren > 0) {
      if (c == '\\') ++i;
      else if (c == '(') ++paren;
      else if (c == ')') --paren;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++paren;
    } else if (c == '<') {
      angle = true;
    } else if (c == '>') {
      angle = false;
    } else if (c == sep && !angle) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// A phrase without comments, quotes unwrapped, white space collapsed.
std::string clean_phrase(std::string_view s) {
  std::string out;
  int paren = 0;
  bool quoted = false, space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (paren > 0) {
      if (c == '\\') ++i;
      else if (c == '(') ++paren;
      else if (c == ')') --paren;
      continue;
    }
    if (quoted) {
      if (c == '\\' && i + 1 < s.size()) out += s[++i];
      else if (c == '"') quoted = false;
      else out += c;
      continue;
    }
    if (c == '"') { quoted = true; if (space && !out.empty()) out += ' '; space = false; continue; }
    if (c == '(') { ++paren; continue; }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { space = true; continue; }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Address parse_mailbox(std::string_view item) {
  Address a;
  std::string_view spec = item;
  if (auto lt = item.find('<'); lt != std::string_view::npos) {
    auto gt = item.find('>', lt);
    std::string name = clean_phrase(item.substr(0, lt));
    if (!name.empty()) a.name = name;
    spec = item.substr(lt + 1, (gt == std::string_view::npos ? item.size() : gt) - lt - 1);
    if (auto colon = spec.find(':'); colon != std::string_view::npos && spec.starts_with('@')) {
      a.route = clean_phrase(spec.substr(0, colon));  // obs-route (RFC 5322 4.4)
      spec = spec.substr(colon + 1);
    }
  }
  std::string addr = clean_phrase(spec);
  auto at = addr.rfind('@');
  if (at == std::string::npos) {
    a.mailbox = addr;
    a.host = "";  // no domain; distinct from a group marker
  } else {
    a.mailbox = addr.substr(0, at);
    a.host = addr.substr(at + 1);
  }
  return a;
}

}  // namespace

bool MimePart::is_multipart() const { return iequals(type, "multipart"); }
bool MimePart::is_message() const { return iequals(type, "message") && iequals(subtype, "rfc822"); }

MimePart parse_mime(std::string_view message) { return parse_part(message, false, 0); }

namespace {

// Calls `take(value)` for each field `name`, unfolded, until it returns false.
template <typename Take>
void each_header(std::string_view h, std::string_view name, Take take) {
  std::size_t pos = 0;
  while (pos < h.size()) {
    std::size_t eol = h.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = h.size();
    std::string_view line = h.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || line[0] == ' ' || line[0] == '\t') continue;
    if (!iequals(trim(line.substr(0, colon)), name)) continue;
    std::string value(line.substr(colon + 1));
    while (pos < h.size() && (h[pos] == ' ' || h[pos] == '\t')) {
      std::size_t next = h.find("\r\n", pos);
      if (next == std::string_view::npos) next = h.size();
      value += h.substr(pos, next - pos);
      pos = next + 2;
    }
    if (!take(std::string(trim(value)))) return;
  }
}

}  // namespace

std::optional<std::string> find_header(std::string_view h, std::string_view name) {
  std::optional<std::string> out;
  each_header(h, name, [&](std::string v) {
    out = std::move(v);
    return false;
  });
  return out;
}

std::vector<std::string> find_headers(std::string_view h, std::string_view name) {
  std::vector<std::string> out;
  each_header(h, name, [&](std::string v) {
    out.push_back(std::move(v));
    return true;
  });
  return out;
}

std::vector<Address> parse_address_list(std::string_view value) {
  std::vector<Address> out;
  for (std::string_view item : split_top_level(value, ',')) {
    if (trim(item).empty()) continue;
    // A group: display-name ":" [mailbox-list] ";"
    auto parts = split_top_level(item, ':');
    if (parts.size() >= 2 && item.find('<') > item.find(':')) {
      std::string_view group = parts[0];
      std::string_view rest = item.substr(group.size() + 1);
      const bool ends = rest.find(';') != std::string_view::npos;
      if (ends) rest = rest.substr(0, rest.find(';'));
      out.push_back({.mailbox = clean_phrase(group)});
      if (!trim(rest).empty()) out.push_back(parse_mailbox(rest));
      if (ends) out.push_back({});
      continue;
    }
    if (auto semi = item.find(';'); semi != std::string_view::npos) {
      // The end of a group whose members spanned commas.
      if (!trim(item.substr(0, semi)).empty()) out.push_back(parse_mailbox(item.substr(0, semi)));
      out.push_back({});
      continue;
    }
    out.push_back(parse_mailbox(item));
  }
  return out;
}

}  // namespace postino::mail
