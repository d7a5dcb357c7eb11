#pragma once
// Bytes that are kept for a long time (the world's trace) without copying what already lives
// elsewhere, immutable: a stored message's octets that a server session sent (issue 4: message
// bytes are shared, not copied per device).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace postino {

// A stretch of a session's output equal to octets kept alive by `owner`.
struct SharedRun {
  std::size_t at = 0;  // offset in the output
  std::string_view bytes;
  std::shared_ptr<const void> owner;
};

class SharedText {
 public:
  struct Piece {
    std::shared_ptr<const void> owner;
    std::string_view bytes;
  };

  SharedText() = default;
  SharedText(std::string s) : own_(std::move(s)) {}  // NOLINT: owned text converts implicitly
  // `out` with the runs in it held by reference. A run is shared only when it starts and ends
  // at a line boundary ("\r\n"), so that no line is ever split across pieces.
  static SharedText from_output(std::string out, const std::vector<SharedRun>& runs);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  bool shared() const { return !pieces_.empty(); }
  // Calls f(std::string_view) for each piece, in order; every piece but the last ends a line.
  template <typename F>
  void for_each_piece(F&& f) const {
    if (pieces_.empty()) return f(std::string_view(own_));
    for (const Piece& p : pieces_) f(p.bytes);
  }
  std::string_view first_piece() const { return pieces_.empty() ? std::string_view(own_) : pieces_.front().bytes; }
  // Up to the first CRLF (or all of it).
  std::string_view first_line() const;
  std::string str() const;
  bool contains(std::string_view needle) const;
  bool starts_with(std::string_view prefix) const { return first_piece().starts_with(prefix); }
  friend bool operator==(const SharedText& a, const SharedText& b) { return a.str() == b.str(); }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.str() == b; }

 private:
  std::string own_;            // the whole text when nothing is shared
  std::vector<Piece> pieces_;  // otherwise
};

}  // namespace postino
