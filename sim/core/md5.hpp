#pragma once
// MD5 (RFC 1321), for APOP only (RFC 1939 section 7). Our own rather than libcrypto's so sim/
// links no library and builds unchanged for the browser (WebAssembly has no OpenSSL here).
#include <array>
#include <cstdint>
#include <string_view>

namespace postino {

std::array<std::uint8_t, 16> md5(std::string_view bytes);

}  // namespace postino
