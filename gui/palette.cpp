#include "gui/palette.hpp"

#include <algorithm>
#include <cmath>

namespace postino::gui {

const Palette& palette(bool dark) {
  // Chosen for a projector as much as a screen; tests/gui/palette_test.cpp holds them to WCAG AA.
  static const Palette light{
      .window = {247, 247, 250},
      .box = {255, 255, 255},
      .narration = {255, 246, 214},
      .branch = {240, 232, 248},
      .text = {22, 24, 32},
      .muted = {88, 92, 104},
      .client = {26, 86, 196},
      .server = {16, 116, 66},
      .pop = {176, 78, 0},
      .imap = {122, 48, 160},
      .danger = {186, 28, 28},
      .safe = {16, 116, 66},
      .story = {128, 88, 0},
      .narration_text = {60, 44, 8},
      .branch_text = {52, 20, 74},
      .on_danger = {255, 255, 255},
  };
  static const Palette night{
      .window = {28, 31, 36},
      .box = {40, 44, 52},
      .narration = {66, 56, 24},
      .branch = {54, 40, 70},
      .text = {232, 234, 240},
      .muted = {170, 175, 188},
      .client = {120, 168, 255},
      .server = {86, 204, 138},
      .pop = {246, 156, 70},
      .imap = {196, 150, 240},
      .danger = {255, 118, 118},
      .safe = {86, 204, 138},
      .story = {236, 192, 80},
      .narration_text = {255, 240, 200},
      .branch_text = {240, 226, 255},
      .on_danger = {30, 8, 8},
  };
  return dark ? night : light;
}

double contrast(Rgb a, Rgb b) {
  auto lum = [](Rgb c) {
    auto lin = [](std::uint8_t v) {
      const double s = v / 255.0;
      return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const double la = lum(a), lb = lum(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace postino::gui
