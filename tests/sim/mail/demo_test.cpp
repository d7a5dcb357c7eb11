#include <doctest/doctest.h>

#include "sim/mail/assets.hpp"
#include "sim/mail/demo.hpp"

namespace postino::mail {

TEST_SUITE("mail") {
  TEST_CASE("the demo store has the FAQ's mailboxes and the sample mail") {
    Store store = make_demo_store();
    CHECK(store.domain() == "tuodominio.it");
    for (auto box : {"info", "amministrazione", "commerciale"}) CHECK(store.find_account(box));
    const Account& info = *store.find_account(kDemoAddress);
    CHECK(info.password() == kDemoPassword);
    const Folder& inbox = info.inbox();
    REQUIRE(inbox.count() == sample_mail().size());
    CHECK(inbox.count() >= 6);

    bool dot_line = false, encoded = false, big_attachment = false, italian = false,
         english = false;
    for (const Entry& e : inbox.messages()) {
      const Message& m = *e.message;
      for (std::size_t i = 0; i < m.size(); ++i)  // CRLF line ends only
        if (m.text()[i] == '\n') REQUIRE((i > 0 && m.text()[i - 1] == '\r'));
      CHECK(m.summary().date);
      CHECK(e.internal_date == *m.summary().date);
      CHECK_FALSE(m.summary().subject.empty());
      dot_line |= m.body().find("\r\n.") != std::string_view::npos;
      encoded |= m.header("Subject")->find("=?") != std::string::npos &&
                 m.summary().subject.find("\xC3") != std::string::npos;
      big_attachment |= m.size() > 100 * 1024 &&
                        m.text().find("Content-Disposition: attachment") != std::string::npos;
      italian |= m.summary().subject == "Ordine 42";
      english |= m.summary().subject == "Team meeting on Friday";
    }
    CHECK(dot_line);
    CHECK(encoded);
    CHECK(big_attachment);
    CHECK(italian);
    CHECK(english);
    CHECK(info.used() < info.quota());
  }
}

}  // namespace postino::mail
