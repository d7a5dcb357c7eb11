#include "gui/platform_web.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cmath>
#include <utility>

namespace postino::gui::web {
namespace {

float g_ratio = 0;  // 0: not measured yet
bool g_ratio_changed = false;

// The canvas fills the page (index.html's style); its drawing buffer, and so the window GLFW
// reports, is that size in device pixels, so text is drawn 1:1 on the screen.
void follow_page() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const float ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (g_ratio != 0 && ratio != g_ratio) g_ratio_changed = true;
  g_ratio = ratio;
  GLFWwindow* window = glfwGetCurrentContext();
  if (!window || css_w < 1 || css_h < 1) return;
  const int w = static_cast<int>(std::lround(css_w * ratio)), h = static_cast<int>(std::lround(css_h * ratio));
  int now_w = 0, now_h = 0;
  glfwGetWindowSize(window, &now_w, &now_h);
  if (w != now_w || h != now_h) glfwSetWindowSize(window, w, h);
}

void step(void* frame) {
  follow_page();
  const bool go_on = (*static_cast<std::function<bool()>*>(frame))();
  static bool first = true;
  if (std::exchange(first, false))  // when the first frame was drawn, for tests/web (start-up time)
    EM_ASM(document.documentElement.dataset.firstFrameMs = performance.now().toFixed(0));
  if (!go_on) emscripten_cancel_main_loop();
}

}  // namespace

void run_main_loop(std::function<bool()> frame) {
  follow_page();
  static std::function<bool()> kept;
  kept = std::move(frame);
  // 0 frames per second: requestAnimationFrame's pace. `true`: this call does not return, and
  // what the caller has on its stack stays alive for the frames.
  emscripten_set_main_loop_arg(step, &kept, 0, true);
  __builtin_unreachable();
}

float pixel_ratio() {
  if (g_ratio == 0) g_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  return g_ratio;
}

bool pixel_ratio_changed() { return std::exchange(g_ratio_changed, false); }

// The picker, the download and the storage are JavaScript in web/pre.js.
void choose_file() { EM_ASM(Module.postinoPick()); }

std::optional<std::string> take_chosen_file() {
  if (!EM_ASM_INT(return Module.postinoChosen ? 1 : 0)) return std::nullopt;
  return std::string(emscripten_run_script_string("Module.postinoTakeChosen()"));
}

void download(const std::string& path) { EM_ASM(Module.postinoDownload(UTF8ToString($0)), path.c_str()); }

}  // namespace postino::gui::web
