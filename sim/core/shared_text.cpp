#include "sim/core/shared_text.hpp"

namespace postino {

SharedText SharedText::from_output(std::string out, const std::vector<SharedRun>& runs) {
  SharedText t;
  const std::string_view all(out);
  auto at_line_start = [&](std::size_t at) { return at == 0 || (at >= 2 && all.substr(at - 2, 2) == "\r\n"); };
  std::size_t copied = 0;  // out[0, copied) is in pieces already
  auto own = [&](std::size_t end) {
    if (end <= copied) return;
    auto s = std::make_shared<const std::string>(all.substr(copied, end - copied));
    t.pieces_.push_back({s, *s});
    copied = end;
  };
  for (const SharedRun& r : runs) {
    const std::size_t end = r.at + r.bytes.size();
    if (r.at < copied || end > all.size() || r.bytes.empty() || !r.bytes.ends_with("\r\n") ||
        !at_line_start(r.at) || all.substr(r.at, r.bytes.size()) != r.bytes)
      continue;
    own(r.at);
    t.pieces_.push_back({r.owner, r.bytes});
    copied = end;
  }
  if (t.pieces_.empty()) {
    t.own_ = std::move(out);
    return t;
  }
  own(all.size());
  return t;
}

std::size_t SharedText::size() const {
  if (pieces_.empty()) return own_.size();
  std::size_t n = 0;
  for (const Piece& p : pieces_) n += p.bytes.size();
  return n;
}

std::string_view SharedText::first_line() const {
  const std::string_view p = first_piece();
  return p.substr(0, p.find("\r\n"));
}

std::string SharedText::str() const {
  if (pieces_.empty()) return own_;
  std::string s;
  s.reserve(size());
  for (const Piece& p : pieces_) s += p.bytes;
  return s;
}

bool SharedText::contains(std::string_view needle) const {
  if (pieces_.empty()) return own_.find(needle) != std::string::npos;
  return str().find(needle) != std::string::npos;
}

}  // namespace postino
