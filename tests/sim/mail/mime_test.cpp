#include <doctest/doctest.h>

#include "sim/imap/fetch_data.hpp"
#include "sim/mail/mime.hpp"

namespace postino::mail {

TEST_SUITE("mail") {
  TEST_CASE("address lists: display names, quotes, comments, groups") {
    auto a = parse_address_list(
        "\"Rossi, Giulia\" <giulia@example.com>, anna@example.net (Anna), "
        "Team: a@x.it, b@y.it;, <@route:c@z.it>");
    REQUIRE(a.size() == 7);
    CHECK(a[0].name == "Rossi, Giulia");
    CHECK(a[0].mailbox == "giulia");
    CHECK(a[0].host == "example.com");
    CHECK_FALSE(a[1].name);
    CHECK(a[1].mailbox == "anna");
    CHECK(a[2].mailbox == "Team");  // group start
    CHECK_FALSE(a[2].host);
    CHECK(a[3].host == "x.it");
    CHECK(a[4].host == "y.it");
    CHECK_FALSE(a[5].mailbox);      // group end
    CHECK(a[6].mailbox == "c");     // source route dropped
    CHECK(parse_address_list("").empty());
  }

  TEST_CASE("MIME: nested multiparts, message/rfc822, defaults, and broken input") {
    const std::string text =
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        "preamble\r\n--outer\r\n"
        "Content-Type: multipart/alternative; boundary=\"in ner\"\r\n\r\n"
        "--in ner\r\n\r\nplain\r\n--in ner\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--in ner--\r\n"
        "--outer\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nhi\r\n"
        "--outer--\r\nepilogue\r\n";
    MimePart root = parse_mime(text);
    REQUIRE(root.is_multipart());
    REQUIRE(root.children.size() == 2);
    const MimePart& alt = root.children[0];
    REQUIRE(alt.children.size() == 2);
    CHECK(alt.children[0].type == "text");
    CHECK(alt.children[0].params[0].second == "us-ascii");  // RFC 2045 default
    CHECK(alt.children[0].body == "plain");
    CHECK(alt.children[1].subtype == "html");
    const MimePart& msg = root.children[1];
    REQUIRE(msg.is_message());
    CHECK(msg.children[0].header == "Subject: inner\r\n\r\n");

    Message m(text);
    imap::Section s;
    s.part = {2};
    s.text = imap::Section::Text::Header;
    CHECK(imap::section_data(m, s) == "Subject: inner\r\n\r\n");
    s.part = {1, 2};
    s.text = imap::Section::Text::All;
    CHECK(imap::section_data(m, s) == "<p>x</p>");
    s.part = {3};
    CHECK_FALSE(imap::section_data(m, s));

    // No boundary, an unterminated multipart, a nesting bomb: no crash, something sensible.
    CHECK(parse_mime("Content-Type: multipart/mixed\r\n\r\nx").type == "text");
    CHECK(parse_mime("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nonly").children.size() == 1);
    std::string bomb;
    for (int i = 0; i < 200; ++i) bomb += "Content-Type: message/rfc822\r\n\r\n";
    CHECK_NOTHROW(parse_mime(bomb));
  }

  TEST_CASE("ENVELOPE and BODYSTRUCTURE of RFC 3501's example shapes") {
    Message m("From: \"A \\\"q\\\"\" <a@b.c>\r\nTo: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody\r\n");
    // A display name with quotes is a literal, as Dovecot writes it (no backslash escapes).
    CHECK(imap::envelope(m) ==
          "(NIL \"x\" (({5}\r\nA \"q\" NIL \"a\" \"b.c\")) (({5}\r\nA \"q\" NIL \"a\" \"b.c\")) "
          "(({5}\r\nA \"q\" NIL \"a\" \"b.c\")) ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) "
          "NIL NIL NIL NIL)");
    // A subject with runs of white space is collapsed into a literal; an address without a
    // domain gets Dovecot's placeholder, so that NIL keeps meaning a group marker.
    Message w("Subject: a  \"b\"\r\n c\r\nTo: nobody\r\n\r\n");
    CHECK(imap::envelope(w) ==
          "(NIL {7}\r\na \"b\" c NIL NIL NIL ((NIL NIL \"nobody\" \"MISSING_DOMAIN\")) NIL NIL NIL NIL)");
    CHECK(imap::body_structure(parse_mime(m.text()), false) ==
          "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1)");
  }

  TEST_CASE("BODYSTRUCTURE repeats MIME fields as written; ENVELOPE keeps a source route (Dovecot)") {
    Message m("From: Relay <@r.example:a@b.c>\r\nContent-Type: TEXT/Plain; CHARSET=US-ASCII\r\n"
              "Content-Transfer-Encoding: Quoted-Printable\r\nContent-Language: it, EN\r\n"
              "Content-Disposition: INLINE; FileName=x.txt\r\n\r\nx=3D1\r\n");
    CHECK(imap::body_structure(parse_mime(m.text()), true) ==
          "(\"TEXT\" \"Plain\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"Quoted-Printable\" 7 1 NIL "
          "(\"INLINE\" (\"FileName\" \"x.txt\")) (\"it\" \"EN\") NIL)");
    CHECK(imap::envelope(m).find("((\"Relay\" \"@r.example\" \"a\" \"b.c\"))") != std::string::npos);
    // Without case: a multipart in capitals is still one.
    CHECK(parse_mime("Content-Type: MULTIPART/Mixed; Boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n")
              .is_multipart());
  }
}

}  // namespace postino::mail

namespace postino::mail {
TEST_SUITE("mail") {
  TEST_CASE("MIME: a multipart or message/rfc822 at the depth limit is a text/plain leaf") {
    std::string text = "Subject: core\r\n\r\nhello\r\n";
    for (int k = 0; k < kMaxMimeDepth + 5; ++k)
      text = (k % 2 ? "Content-Type: message/rfc822\r\n\r\n"
                    : "Content-Type: multipart/mixed; boundary=b" + std::to_string(k) +
                          "\r\n\r\n--b" + std::to_string(k) + "\r\n") + text;
    const MimePart root = parse_mime(text);
    const MimePart* p = &root;
    int depth = 0;
    while (!p->children.empty()) {
      p = &p->children[0];
      ++depth;
    }
    CHECK(depth == kMaxMimeDepth);
    CHECK(p->type == "text");
    CHECK(p->subtype == "plain");
  }
}
}  // namespace postino::mail
