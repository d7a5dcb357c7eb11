#include "sim/mail/message.hpp"

#include "sim/core/text.hpp"
#include "sim/mail/mime.hpp"
#include "sim/mail/rfc2047.hpp"

namespace postino::mail {

Message::Message(std::string_view text) : text_(to_crlf(text)) {
  if (text_.starts_with("\r\n")) {
    body_start_ = 2;
  } else if (auto end = text_.find("\r\n\r\n"); end != std::string::npos) {
    body_start_ = end + 4;
  } else {
    body_start_ = text_.size();  // all header, no body
  }
  auto decoded = [this](std::string_view name) {
    auto v = header(name);
    return v ? std::string(trim(decode_rfc2047(*v))) : std::string();
  };
  summary_.from = decoded("From");
  summary_.to = decoded("To");
  summary_.subject = decoded("Subject");
  summary_.message_id = decoded("Message-ID");
  if (auto d = header("Date")) summary_.date = parse_rfc5322_date(*d);
}

std::string_view Message::header_section() const {
  return std::string_view(text_).substr(0, body_start_);
}

std::string_view Message::body() const { return std::string_view(text_).substr(body_start_); }

std::optional<std::string> Message::header(std::string_view name) const {
  return find_header(header_section(), name);
}

MessagePtr make_message(std::string_view text) { return std::make_shared<const Message>(text); }

}  // namespace postino::mail
