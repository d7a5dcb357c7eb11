#pragma once
// MIME structure of a message (RFC 2045, 2046) and RFC 5322 address lists: what IMAP's
// BODYSTRUCTURE, ENVELOPE and BODY[part] sections are built from.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postino::mail {

using Params = std::vector<std::pair<std::string, std::string>>;

struct MimePart {
  std::string_view header;  // this part's header section, with the empty line that ends it
  std::string_view body;    // its content (for multipart: everything after the header)
  // Type, subtype, parameter names, encoding and disposition are kept as the message writes
  // them, which BODYSTRUCTURE repeats (as Dovecot does); compare them without case.
  std::string type = "text", subtype = "plain";
  Params params;            // Content-Type parameters
  std::optional<std::string> id, description, md5, location, language;
  std::string encoding = "7bit";
  std::optional<std::string> disposition;
  Params disposition_params;
  std::size_t lines = 0;    // lines of the body
  std::vector<MimePart> children;  // multipart parts; for message/rfc822, the one inner message

  bool is_multipart() const;
  bool is_message() const;  // message/rfc822: children[0] is the encapsulated message
};

// Nesting bombs stop here: a multipart or message/rfc822 part this deep is read as a text/plain
// leaf (depth 0 is the message itself).
inline constexpr int kMaxMimeDepth = 20;

// The whole message as its root part. Never fails: anything unreadable is text/plain.
MimePart parse_mime(std::string_view message);

// The unfolded value of the first field `name` in a header section.
std::optional<std::string> find_header(std::string_view header_section, std::string_view name);
// The unfolded values of every field `name` (Received: and the like come many times).
std::vector<std::string> find_headers(std::string_view header_section, std::string_view name);

struct Address {
  std::optional<std::string> name;     // display name, raw (encoded-words kept)
  std::optional<std::string> route;    // obsolete source route "@relay.example", as written
  std::optional<std::string> mailbox;  // local part; for a group start: the group name
  std::optional<std::string> host;     // nullopt for group start and end markers
};
// address-list = (mailbox / group) *("," (mailbox / group)); groups become a start marker
// (host nullopt, mailbox = name), their members, and an end marker (all nullopt).
std::vector<Address> parse_address_list(std::string_view value);

}  // namespace postino::mail
