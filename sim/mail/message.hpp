#pragma once
// One RFC 5322 message: its exact octets (CRLF line ends) and what a mail client shows of it.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace postino::mail {

// What a message list shows, decoded for display (RFC 2047 encoded-words become UTF-8).
struct Summary {
  std::string from;
  std::string to;
  std::string subject;
  std::string message_id;
  std::optional<Time> date;  // the Date: header, when it parses
};

class Message {
 public:
  // Line ends are made CRLF (bare LF and bare CR are converted); nothing else changes.
  explicit Message(std::string_view text);

  const std::string& text() const { return text_; }
  // The octets POP3 LIST/STAT and IMAP RFC822.SIZE report.
  std::size_t size() const { return text_.size(); }

  // The header section including the empty line that ends it (RFC 3501 BODY[HEADER]).
  std::string_view header_section() const;
  // Everything after that empty line (RFC 3501 BODY[TEXT]).
  std::string_view body() const;

  // The unfolded raw value of the first field called `name` (case-insensitive), without the
  // leading white space.
  std::optional<std::string> header(std::string_view name) const;

  const Summary& summary() const { return summary_; }

 private:
  std::string text_;
  std::size_t body_start_ = 0;
  Summary summary_;
};

using MessagePtr = std::shared_ptr<const Message>;
MessagePtr make_message(std::string_view text);

}  // namespace postino::mail
