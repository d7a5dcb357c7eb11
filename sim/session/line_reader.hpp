#pragma once
// Frames a line-based protocol's input (POP3, SMTP) into lines. IMAP frames its own: its
// commands carry literals.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postino::session {

class LineReader {
 public:
  struct Line {
    std::string_view text;  // without CRLF (or a bare LF); valid until the next call
    bool too_long = false;  // over the limit: text is at most its tail, the rest was dropped
  };

  void append(std::string_view bytes) { in_.append(bytes); }
  // The next complete line, or nothing until one has come. `limit` counts the line with its
  // CRLF, as RFC 2449 and RFC 5321 do. An over-long line is dropped as it arrives, so that at
  // most one line's worth of bytes is kept, and comes out too_long once its end has come.
  std::optional<Line> next(std::size_t limit);
  // RFC 3207 section 4.2, RFC 2595 section 4 (and the STARTTLS injection attacks): anything
  // pipelined after STARTTLS or STLS arrived in plaintext and must be thrown away.
  void drop_buffered();
  // Octets read but not yet taken as lines.
  std::size_t buffered() const { return in_.size() - pos_; }

 private:
  std::string in_;
  std::size_t pos_ = 0;  // where the octets not yet taken start
  bool discarding_ = false;  // inside an over-long line: drop octets up to its end
};

}  // namespace postino::session
