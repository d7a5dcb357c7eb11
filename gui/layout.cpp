#include "gui/layout.hpp"

#include <algorithm>
#include <cmath>

namespace postino::gui {

NetworkLayout layout_network(const Rect& area, std::size_t devices, float em) {
  NetworkLayout out;
  out.em = em;
  const float w = std::max(area.width(), 1.0f), h = std::max(area.height(), 1.0f);
  // Between a box and the server: room for the envelope and the command it carries.
  // The gap is wider where there is room, so the command on its way is read whole.
  const float gap_min = 3.0f * em, gap_room = 4.5f * em, vgap = 0.5f * em;
  float sw = std::clamp(w * 0.28f, 9.0f * em, 15.0f * em);
  float bw = std::clamp((w - sw - 2 * gap_room) / 2, 7.0f * em, 15.0f * em);
  if (sw + 2 * bw + 2 * gap_min > w) {  // a small view: everything narrower, the gaps kept
    sw = std::max(0.3f * w, 4.0f * em);
    bw = std::max(1.0f, (w - sw - 2 * gap_min) / 2);
  }
  const float cx = area.x0 + w / 2, cy = area.y0 + h / 2;
  const float sh = std::min(h, std::max(14.0f * em, 0.8f * h));
  out.server = {cx - sw / 2, cy - sh / 2, cx + sw / 2, cy + sh / 2};
  const float gauge = 2.2f * em;  // the disk gauge at the server box's foot
  out.server_rows = std::max(0, static_cast<int>(std::floor((sh - kServerHeadEm * em - gauge) / (kRowEm * em))));

  const std::size_t rows = std::max<std::size_t>((devices + 1) / 2, 1);
  // (a hair under the exact share: rounding must not push the last box out of the view)
  const float bh = std::min(9.5f * em, (h - static_cast<float>(rows - 1) * vgap) / static_cast<float>(rows) - 0.01f);
  out.device_rows = std::max(0, static_cast<int>(std::floor((bh - kDeviceHeadEm * em - 0.3f * em) / (kRowEm * em))));
  for (std::size_t k = 0; k < devices; ++k) {
    const bool left = k % 2 == 0;
    const std::size_t row = k / 2, in_column = left ? (devices + 1) / 2 : devices / 2;
    const float column_h = static_cast<float>(in_column) * bh + static_cast<float>(in_column - 1) * vgap;
    const float y0 = cy - column_h / 2 + static_cast<float>(row) * (bh + vgap);
    const float x0 = left ? area.x0 : area.x1 - bw;
    const Rect box{x0, y0, x0 + bw, y0 + bh};
    out.devices.push_back(box);
    const float y = box.centre().y;
    out.link_from.push_back({left ? box.x1 : box.x0, y});
    out.link_to.push_back({left ? out.server.x0 : out.server.x1,
                           std::clamp(y, out.server.y0 + em, std::max(out.server.y0 + em, out.server.y1 - em))});
  }
  return out;
}

// The network picture's text: the panels' size where its view is as at 1280x800 (about 44 x 27
// em), larger where it has more room (22 px at 1920x1080), so its boxes and what they list grow
// with the screen; in steps of 2 px, so that a window being resized does not rebuild the fonts
// at every pixel. Presenter mode's fonts are large already.
float picture_font_px(float font, bool presenter, bool side_by_side, int w, int h) {
  if (presenter) return font;
  const float vw = (side_by_side ? 0.5f : 0.58f) * static_cast<float>(w);
  const float vh = (side_by_side ? 0.6f : 0.58f) * static_cast<float>(h);
  const float fit = std::min(vw / 43.6f, vh / 27.3f);
  return std::max(font, std::min(30.0f, 2 * std::floor(fit / 2)));
}

bool tiles(const std::vector<Rect>& panels) {
  for (std::size_t i = 0; i < panels.size(); ++i)
    for (std::size_t j = i + 1; j < panels.size(); ++j) {
      const Rect a{panels[i].x0 + 1, panels[i].y0 + 1, panels[i].x1 - 1, panels[i].y1 - 1};
      if (a.overlaps(panels[j])) return false;
    }
  return true;
}

}  // namespace postino::gui
