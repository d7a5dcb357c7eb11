#pragma once
// Where the network picture puts its boxes: pure geometry, so a test can check that nothing
// overlaps or leaves the view at any window size and number of devices (no ImGui here).
#include <cstddef>
#include <vector>

namespace postino::gui {

struct Point {
  float x = 0, y = 0;
};

struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float width() const { return x1 - x0; }
  float height() const { return y1 - y0; }
  Point centre() const { return {(x0 + x1) / 2, (y0 + y1) / 2}; }
  // Sharing an edge is not overlapping.
  bool overlaps(const Rect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool inside(const Rect& o) const { return x0 >= o.x0 && y0 >= o.y0 && x1 <= o.x1 && y1 <= o.y1; }
};

// Whether the panels tile the window: none covers another (by more than the pixel rounding
// leaves). Then they need no background of their own (gui/ui.hpp, begin_panel).
bool tiles(const std::vector<Rect>& panels);

struct NetworkLayout {
  Rect server;
  std::vector<Rect> devices;
  // Each device's link: from its box's edge facing the server to the server box's edge.
  std::vector<Point> link_from, link_to;
  float em = 0;
  // Lines of text a device box has room for under its two heading lines (name; protocol and
  // state), and the server box under its heading.
  int device_rows = 0;
  int server_rows = 0;
};

// Devices stand in two columns, left and right of the server (the first on the left, then
// alternating), each column's boxes one under the other: links are short horizontal lines that
// cross nothing, and the messages each box holds can be listed in it. `area` is the picture's
// rectangle (narration and legend excluded); sizes are in units of `em` (the font size).
NetworkLayout layout_network(const Rect& area, std::size_t devices, float em);

// The height of one listed line (a message) in a box, in em.
inline constexpr float kRowEm = 1.15f;
// The heading of a device box: its name and client, then protocol, port and state.
inline constexpr float kDeviceHeadEm = 2.75f;
inline constexpr float kServerHeadEm = 2.6f;

// The network picture's font size (px) for a window of w x h: `font`, the panels', where the
// view is as at 1280x800, larger where it has more room.
float picture_font_px(float font, bool presenter, bool side_by_side, int w, int h);

}  // namespace postino::gui
