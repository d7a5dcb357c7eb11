#include "sim/core/md5.hpp"

#include <bit>
#include <string>

namespace postino {
namespace {

// RFC 1321 section 3.4: T[i] = floor(2^32 * abs(sin(i + 1))), and the per-round shift amounts.
constexpr std::uint32_t kT[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

// One 64-byte block into the state (section 3.4).
void block(std::uint32_t s[4], const unsigned char* p) {
  std::uint32_t x[16];
  for (int i = 0; i < 16; ++i)  // little-endian words
    x[i] = std::uint32_t(p[4 * i]) | std::uint32_t(p[4 * i + 1]) << 8 | std::uint32_t(p[4 * i + 2]) << 16 |
           std::uint32_t(p[4 * i + 3]) << 24;
  std::uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
  for (int i = 0; i < 64; ++i) {
    const int round = i / 16;
    std::uint32_t f;
    int k;
    switch (round) {
      case 0: f = (b & c) | (~b & d), k = i; break;
      case 1: f = (b & d) | (c & ~d), k = (5 * i + 1) % 16; break;
      case 2: f = b ^ c ^ d, k = (3 * i + 5) % 16; break;
      default: f = c ^ (b | ~d), k = (7 * i) % 16; break;
    }
    const std::uint32_t rotated = b + std::rotl(a + f + x[k] + kT[i], kShift[round][i % 4]);
    a = d, d = c, c = b, b = rotated;
  }
  s[0] += a, s[1] += b, s[2] += c, s[3] += d;
}

}  // namespace

std::array<std::uint8_t, 16> md5(std::string_view bytes) {
  std::uint32_t s[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  // Padding (section 3.1-3.2): a 1 bit, zeros up to 56 mod 64, the bit length little-endian.
  std::string tail(bytes.substr(bytes.size() / 64 * 64));
  tail += '\x80';
  while (tail.size() % 64 != 56) tail += '\0';
  const std::uint64_t bits = std::uint64_t(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) tail += static_cast<char>(bits >> (8 * i));
  const auto* whole = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i + 64 <= bytes.size(); i += 64) block(s, whole + i);
  for (std::size_t i = 0; i < tail.size(); i += 64) block(s, reinterpret_cast<const unsigned char*>(tail.data()) + i);
  std::array<std::uint8_t, 16> out{};
  for (int i = 0; i < 16; ++i) out[i] = static_cast<std::uint8_t>(s[i / 4] >> (8 * (i % 4)));
  return out;
}

}  // namespace postino
