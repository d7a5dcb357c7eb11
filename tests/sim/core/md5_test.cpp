#include <doctest/doctest.h>

#include <string>

#include "sim/core/md5.hpp"

namespace postino {
namespace {
std::string hex(std::string_view bytes) {
  std::string out;
  for (const std::uint8_t b : md5(bytes)) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}
}  // namespace

TEST_SUITE("core") {
  TEST_CASE("md5 per RFC 1321 appendix A.5 test suite") {
    CHECK(hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(hex("a") == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
    // 62 bytes: the length no longer fits the first padding block.
    CHECK(hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == "d174ab98d277d9f5a5611c2c9f419d9f");
    // 80 bytes: one whole block, then the rest.
    CHECK(hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
  }

  TEST_CASE("md5 at the padding and block boundaries") {
    CHECK(hex(std::string(55, 'x')) == "04364420e25c512fd958a70738aa8f72");
    CHECK(hex(std::string(56, 'x')) == "668a72d5ba17f08e62dabcafad6db14b");
    CHECK(hex(std::string(63, 'x')) == "7dc2ca208106a2f703567bdff99d8981");
    CHECK(hex(std::string(64, 'x')) == "c1bb4f81d892b2d57947682aeb252456");
    CHECK(hex(std::string(65, 'x')) == "1bc932052302d074bdec39795fe00cf6");
    CHECK(hex(std::string(128, 'x')) == "d69cb61a6ee87200676eb0d4b90edbcb");
  }
}

}  // namespace postino
