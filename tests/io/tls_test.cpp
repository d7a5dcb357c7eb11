// The wire view's TLS: real records, and no plaintext in them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "io/tls.hpp"

namespace postino::io {

TEST_SUITE("io") {
  TEST_CASE("a wire tap encrypts for real: handshake records, then application data without the plaintext") {
    const std::string dir = (std::filesystem::temp_directory_path() / "postino-tls-test").string();
    std::string error;
    auto tap = WireTap::start(dir, error);
    REQUIRE_MESSAGE(tap, error);
    REQUIRE(tap->handshake().size() >= 2);
    const auto& hello = tap->handshake().front();
    CHECK(hello.to_server);
    CHECK(static_cast<unsigned char>(hello.bytes[0]) == 0x16);  // handshake: ClientHello
    CHECK(static_cast<unsigned char>(hello.bytes[5]) == 0x01);  // ClientHello
    CHECK_FALSE(tap->handshake()[1].to_server);                 // the server answers
    const std::string secret = "A001 LOGIN info@tuodominio.it segreta\r\n";
    const auto sealed = tap->seal(secret, true);
    REQUIRE(sealed.size() == 1);
    CHECK(static_cast<unsigned char>(sealed[0].bytes[0]) == 0x17);  // application data
    CHECK(sealed[0].bytes.size() > secret.size());
    CHECK(sealed[0].bytes.find("segreta") == std::string::npos);
    CHECK(sealed[0].bytes.find("LOGIN") == std::string::npos);
    // The same line again is different bytes: a listener cannot even tell it repeats.
    CHECK(tap->seal(secret, true)[0].bytes != sealed[0].bytes);
    // Big chunks come out as several records of at most 16 KB of payload.
    const auto big = tap->seal(std::string(40000, 'x'), false);
    CHECK(big.size() >= 3);
    for (const auto& r : big) CHECK_FALSE(r.to_server);
    CHECK(hex("\x17\x03\x03", 2) == "17 03 ...");
  }
}

}  // namespace postino::io
