#include "sim/session/line_reader.hpp"

namespace postino::session {

// line = *(%x00-09 / %x0B-FF) [CR] LF    (a bare LF ends a line too)
std::optional<LineReader::Line> LineReader::next(std::size_t limit) {
  const std::size_t lf = in_.find('\n', pos_);
  if (lf == std::string::npos) {
    // Only the start of a line is left: forget the lines taken, keep at most one line's worth.
    if (discarding_ || in_.size() - pos_ > limit) {
      discarding_ = true;
      in_.clear();
    } else {
      in_.erase(0, pos_);
    }
    pos_ = 0;
    return std::nullopt;
  }
  std::string_view text(in_.data() + pos_, lf - pos_);
  pos_ = lf + 1;
  if (text.ends_with('\r')) text.remove_suffix(1);
  const bool too_long = discarding_ || text.size() + 2 > limit;
  discarding_ = false;
  return Line{text, too_long};
}

void LineReader::drop_buffered() {
  in_.clear();
  pos_ = 0;
  discarding_ = false;
}

}  // namespace postino::session
