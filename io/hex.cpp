// io::hex (io/tls.hpp), apart from the OpenSSL code: the browser build has it without TLS.
#include "io/tls.hpp"

namespace postino::io {

std::string hex(std::string_view bytes, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    if (i) s += ' ';
    s += kHex[static_cast<unsigned char>(bytes[i]) >> 4];
    s += kHex[static_cast<unsigned char>(bytes[i]) & 15];
  }
  if (bytes.size() > max) s += " ...";
  return s;
}

}  // namespace postino::io
