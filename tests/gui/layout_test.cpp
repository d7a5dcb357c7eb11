#include "gui/layout.hpp"

#include <doctest/doctest.h>

#include <cmath>

namespace postino::gui {

TEST_SUITE("gui layout") {
  // Every size a window gives its network view, from a small laptop to presenter mode on a
  // projector: boxes stay in the view and never cover each other or the server.
  TEST_CASE("the network picture: no box overlaps another or leaves the view, up to 8 devices") {
    for (const float em : {17.0f, 26.0f})
      for (float w = 30; w <= 120; w += 3.5f)
        for (float h = 10; h <= 60; h += 2.5f)
          for (std::size_t n = 0; n <= 8; ++n) {
            const Rect area{10, 40, 10 + w * em, 40 + h * em};
            const NetworkLayout l = layout_network(area, n, em);
            CAPTURE(em);
            CAPTURE(w);
            CAPTURE(h);
            CAPTURE(n);
            REQUIRE(l.devices.size() == n);
            CHECK(l.server.inside(area));
            for (std::size_t a = 0; a < n; ++a) {
              CHECK(l.devices[a].inside(area));
              CHECK_FALSE(l.devices[a].overlaps(l.server));
              CHECK(l.devices[a].width() >= 7 * em);
              // The link runs from the box to the server, outside both.
              CHECK(std::abs(l.link_from[a].x - l.link_to[a].x) >= 3 * em - 0.01f);
              for (std::size_t b = a + 1; b < n; ++b) CHECK_FALSE(l.devices[a].overlaps(l.devices[b]));
            }
          }
  }

  // 1280x720, the smallest screen we promise: the network view is about 42 x 17 em there.
  TEST_CASE("at 1280x720 a box has room for its heading, and for messages up to 6 devices") {
    const float em = 17;
    const Rect area{0, 0, 42 * em, 17 * em};
    for (std::size_t n = 1; n <= 8; ++n) {
      const NetworkLayout l = layout_network(area, n, em);
      CAPTURE(n);
      CHECK(l.devices[0].height() >= kDeviceHeadEm * em);
      if (n <= 6) CHECK(l.device_rows >= 1);
      if (n <= 2) CHECK(l.device_rows >= 4);
      CHECK(l.server_rows >= 5);
    }
  }

  TEST_CASE("devices alternate left and right of the server, the first on the left") {
    const NetworkLayout l = layout_network({0, 0, 800, 400}, 3, 17);
    CHECK(l.devices[0].x1 <= l.server.x0);
    CHECK(l.devices[1].x0 >= l.server.x1);
    CHECK(l.devices[2].x1 <= l.server.x0);
    CHECK(l.devices[2].y0 > l.devices[0].y1);
  }

  TEST_CASE("the picture's text grows with a large screen, and leaves room for the line on its way") {
    CHECK(picture_font_px(17, false, false, 1280, 800) == 17);
    CHECK(picture_font_px(17, false, false, 1280, 720) == 17);
    const float big = picture_font_px(17, false, false, 1920, 1080);
    CHECK(big >= 22);
    CHECK(picture_font_px(38, true, false, 1920, 1080) == 38);  // presenter: its own size
    CHECK(picture_font_px(17, false, false, 3840, 2160) <= 30);
    // The 1920x1080 network view at that size: boxes keep a gap the command can be read in.
    const NetworkLayout l = layout_network({0, 0, 0.58f * 1920, 0.58f * 1080 - 6 * big}, 2, big);
    CHECK(l.server.x0 - l.devices[0].x1 >= 4.5f * big);
  }

  // The main window's panels as the layout places them share edges (give or take the pixel
  // rounding) and need no background; one dragged over another does.
  TEST_CASE("panels that share edges tile the window; one over another does not") {
    const float w = 1280, h = 778, x = 0.58f * w, y = 0.58f * h;
    std::vector<Rect> panels{{0, 22, x, y}, {0, y, x, h}, {x, 22, w, y}, {std::floor(x), y, w, h}};
    CHECK(tiles(panels));
    CHECK(tiles({}));
    panels.push_back({x - 40, y - 40, x + 200, y + 100});  // dragged across the others
    CHECK_FALSE(tiles(panels));
    CHECK_FALSE(tiles({{0, 0, 100, 100}, {10, 10, 50, 50}}));  // one inside another
  }
}

}  // namespace postino::gui
