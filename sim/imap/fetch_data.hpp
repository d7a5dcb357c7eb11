#pragma once
// What FETCH returns about a message (RFC 3501 section 7.4.2): ENVELOPE, BODYSTRUCTURE and body
// sections, built from the message's octets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/message.hpp"
#include "sim/mail/mime.hpp"

namespace postino::imap {

// envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP
//            env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
std::string envelope(const mail::Message& message);

// body = "(" (body-type-1part / body-type-mpart) ")"; `extensible` adds the extension data of
// BODYSTRUCTURE.
std::string body_structure(const mail::MimePart& part, bool extensible);

struct Section {
  std::vector<std::uint32_t> part;  // "1.2" -> {1, 2}; empty for the whole message
  enum class Text { All, Header, HeaderFields, HeaderFieldsNot, Text, Mime } text = Text::All;
  std::vector<std::string> fields;  // for HEADER.FIELDS [.NOT]
  std::string spec;                 // as it goes back between the brackets
};

// The octets of a section; nullopt when the part does not exist.
std::optional<std::string> section_data(const mail::Message& message, const Section& section);

}  // namespace postino::imap
