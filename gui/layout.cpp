#include "gui/layout.hpp"

#include <algorithm>
#include <cmath>

namespace postino::gui {

NetworkLayout layout_network(const Rect& area, std::size_t devices, float em) {
  NetworkLayout out;
  out.em = em;
  const float w = std::max(area.width(), 1.0f), h = std::max(area.height(), 1.0f);
  // Between a box and the server: room for the envelope and the command it carries.
  const float gap_min = 3.0f * em, vgap = 0.5f * em;
  float sw = std::clamp(w * 0.28f, 9.0f * em, 15.0f * em);
  float bw = std::clamp((w - sw - 2 * gap_min) / 2, 7.0f * em, 15.0f * em);
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

}  // namespace postino::gui
