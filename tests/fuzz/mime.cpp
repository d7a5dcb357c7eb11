// MIME and RFC 2047: a message as the server stores it, every part's headers, addresses and
// encoded-words decoded.
#include "sim/mail/message.hpp"
#include "sim/mail/mime.hpp"
#include "sim/mail/rfc2047.hpp"
#include "tests/fuzz/budget.hpp"

using namespace postino;

namespace {

std::size_t visit(const mail::MimePart& p, int depth) {
  if (depth > 1000) std::abort();  // the parser's own limit is far below
  std::size_t n = 1;
  if (p.is_message() && p.children.size() != 1) std::abort();  // FETCH indexes children[0]
  for (const char* h : {"Subject", "From", "To", "Cc"}) {
    if (auto v = mail::find_header(p.header, h)) {
      mail::decode_rfc2047(*v);
      mail::parse_address_list(*v);
    }
  }
  for (const mail::MimePart& c : p.children) n += visit(c, depth + 1);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Budget budget;
  const std::string_view in = fuzz::text(data, size);
  visit(mail::parse_mime(in), 0);
  mail::decode_rfc2047(in);
  mail::MessagePtr m = mail::make_message(in);
  (void)m->summary();
  return 0;
}
