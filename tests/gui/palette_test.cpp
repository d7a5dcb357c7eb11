#include "gui/palette.hpp"

#include <doctest/doctest.h>

#include <initializer_list>

namespace postino::gui {

TEST_SUITE("gui palette") {
  TEST_CASE("contrast: the WCAG formula's known values") {
    CHECK(contrast({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(contrast({255, 255, 255}, {255, 255, 255}) == doctest::Approx(1.0));
    CHECK(contrast({118, 118, 118}, {255, 255, 255}) == doctest::Approx(4.54).epsilon(0.01));
  }

  // WCAG AA: 4.5:1 for text (every colour here is also used for text), on every background it
  // is drawn on, in both themes.
  TEST_CASE("every text and line colour reads on its backgrounds, light and dark") {
    for (const bool dark : {false, true}) {
      const Palette& p = palette(dark);
      CAPTURE(dark);
      const Rgb texts[] = {p.text, p.muted, p.client, p.server, p.pop, p.imap, p.danger, p.safe, p.story};
      for (const Rgb bg : {p.window, p.box})
        for (const Rgb t : texts) {
          CAPTURE(int(t.r));
          CAPTURE(int(t.g));
          CAPTURE(int(t.b));
          CHECK(contrast(t, bg) >= 4.5);
        }
      CHECK(contrast(p.narration_text, p.narration) >= 4.5);
      CHECK(contrast(p.branch_text, p.branch) >= 4.5);
      CHECK(contrast(p.on_danger, p.danger) >= 4.5);
      // The story boxes stand out from the panel they sit on (3:1, as lines and shapes must).
      CHECK(contrast(p.story, p.narration) >= 3.0);
    }
  }
}

}  // namespace postino::gui
