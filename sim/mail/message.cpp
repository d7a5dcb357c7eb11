#include "sim/mail/message.hpp"

#include "sim/core/text.hpp"
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
  std::string_view h = header_section();
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
    // Unfold continuation lines (RFC 5322 section 2.2.3).
    while (pos < h.size() && (h[pos] == ' ' || h[pos] == '\t')) {
      std::size_t next = h.find("\r\n", pos);
      if (next == std::string_view::npos) next = h.size();
      value += h.substr(pos, next - pos);
      pos = next + 2;
    }
    return std::string(trim(value));
  }
  return std::nullopt;
}

MessagePtr make_message(std::string_view text) { return std::make_shared<const Message>(text); }

}  // namespace postino::mail
