#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/session/line_reader.hpp"

namespace postino::session {
namespace {

// The lines a reader takes from `pieces` arriving one after another, an over-long line as "!"
// (how much of its tail is left depends on where the input was cut). `most`: the most octets
// the reader kept between pieces.
std::vector<std::string> read(const std::vector<std::string_view>& pieces, std::size_t limit,
                              std::size_t* most = nullptr) {
  LineReader reader;
  std::vector<std::string> lines;
  for (std::string_view piece : pieces) {
    reader.append(piece);
    while (auto line = reader.next(limit))
      lines.push_back(line->too_long ? "!" : std::string(line->text));
    if (most) *most = std::max(*most, reader.buffered());
  }
  return lines;
}

// The same input cut once, and twice, at every position: the lines must not depend on the cuts.
void check_every_cut(std::string_view input, std::size_t limit,
                     const std::vector<std::string>& want) {
  for (std::size_t i = 0; i <= input.size(); ++i) {
    for (std::size_t j = i; j <= input.size(); ++j) {
      CAPTURE(i);
      CAPTURE(j);
      std::size_t most = 0;
      const std::vector<std::string_view> pieces{input.substr(0, i), input.substr(i, j - i),
                                                 input.substr(j)};
      CHECK(read(pieces, limit, &most) == want);
      CHECK(most <= limit);
    }
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  CHECK(read(bytes, limit) == want);
}

}  // namespace

TEST_SUITE("session") {
  TEST_CASE("line reader: CRLF or a bare LF ends a line, wherever the input is cut") {
    check_every_cut("USER anna\r\nPASS se cret\nNOOP\r\n\r\nQUI", 255,
                    {"USER anna", "PASS se cret", "NOOP", ""});
    LineReader reader;
    reader.append("QUI");
    CHECK_FALSE(reader.next(255));
    CHECK(reader.buffered() == 3);
    reader.append("T\r\n");
    auto line = reader.next(255);
    REQUIRE(line);
    CHECK(line->text == "QUIT");
    CHECK_FALSE(line->too_long);
    CHECK(reader.buffered() == 0);
  }

  TEST_CASE("line reader: the limit counts the line with its CRLF") {
    check_every_cut("12345678\r\n123456789\r\n12345678\n123456789\nok\r\n", 10,
                    {"12345678", "!", "12345678", "!", "ok"});
  }

  TEST_CASE("line reader: an over-long line is dropped as it arrives, the next line is whole") {
    const std::string input = std::string(60, 'x') + "\r\nNEXT\r\n" + std::string(30, 'y') + "\n";
    check_every_cut(input, 10, {"!", "NEXT", "!"});
    LineReader reader;
    reader.append(std::string(25, 'x'));
    CHECK_FALSE(reader.next(10));
    CHECK(reader.buffered() == 0);  // dropped, not kept
    reader.append("xx\r\nNOOP\r\n");
    auto line = reader.next(10);
    REQUIRE(line);
    CHECK(line->too_long);
    line = reader.next(10);
    REQUIRE(line);
    CHECK(line->text == "NOOP");
    CHECK_FALSE(line->too_long);
  }

  TEST_CASE("line reader: what was pipelined after STARTTLS is dropped (RFC 3207 section 4.2)") {
    LineReader reader;
    reader.append("STARTTLS\r\nUSER evil\r\nPA");
    auto line = reader.next(255);
    REQUIRE(line);
    CHECK(line->text == "STARTTLS");
    reader.drop_buffered();
    CHECK(reader.buffered() == 0);
    CHECK_FALSE(reader.next(255));
    reader.append("CAPA\r\n");
    line = reader.next(255);
    REQUIRE(line);
    CHECK(line->text == "CAPA");
    CHECK_FALSE(reader.next(255));
    // Dropping also ends an over-long line being dropped: what comes after TLS is new.
    reader.append(std::string(300, 'x'));
    CHECK_FALSE(reader.next(255));
    reader.drop_buffered();
    reader.append("NOOP\r\n");
    line = reader.next(255);
    REQUIRE(line);
    CHECK_FALSE(line->too_long);
  }
}

}  // namespace postino::session
