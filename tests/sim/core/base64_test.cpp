#include <doctest/doctest.h>

#include "sim/core/base64.hpp"

namespace postino {

TEST_SUITE("core") {
  TEST_CASE("base64 per RFC 4648 section 10 test vectors") {
    const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; ++i) {
      CHECK(base64_encode(plain[i]) == coded[i]);
      CHECK(base64_decode(coded[i]) == std::string(plain[i]));
      CHECK(base64_decode_lenient(coded[i]) == plain[i]);
    }
    CHECK(base64_encode(std::string_view("\0u\0p", 4)) == "AHUAcA==");
  }

  TEST_CASE("strict base64 refuses malformed input") {
    CHECK_FALSE(base64_decode("Zg="));
    CHECK_FALSE(base64_decode("Zm9v!A=="));
    CHECK_FALSE(base64_decode("Zg==Zg=="));  // padding only at the end
    CHECK_FALSE(base64_decode("Zm 9v"));
    CHECK(base64_decode_lenient("Zm9v\r\nYmFy") == "foobar");
  }
}

}  // namespace postino
