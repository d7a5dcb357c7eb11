#pragma once
// The colours of the light and dark themes, as data: views draw with them, and a test checks
// every text and line colour against the backgrounds it is drawn on (WCAG 2.1 contrast).
#include <cstdint>

namespace postino::gui {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

struct Palette {
  // Backgrounds.
  Rgb window;     // panels
  Rgb box;        // device and server boxes, labels on the picture
  Rgb narration;  // the story's box at the top of the picture
  Rgb branch;     // "you changed the story" box
  // Text and lines, readable on window and box (4.5:1).
  Rgb text, muted;
  Rgb client, server;  // C: and S: lines, and the two ends of a link
  Rgb pop, imap;       // a device's protocol: its link, its label
  Rgb danger, safe, story;
  Rgb narration_text, branch_text;
  Rgb on_danger;  // text on a `danger` banner
};

const Palette& palette(bool dark);
// WCAG 2.1 contrast ratio (1..21) of two colours.
double contrast(Rgb a, Rgb b);

}  // namespace postino::gui
