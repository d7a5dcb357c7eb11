#include "gui/platform_web.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

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

// Asleep: the main loop is paused (no animation frames at all, so an idle tab costs nothing)
// until web/pre.js reports input, a resize or a file (postino_wake), or a timer ends the sleep.
bool g_woken = true;  // something happened since the last frame drawn; the first frame is drawn
bool g_asleep = false;
std::uintptr_t g_sleep = 0;  // which sleep a timer was set for: an older one's timer is ignored

void wake_up() {
  g_woken = true;
  if (std::exchange(g_asleep, false)) emscripten_resume_main_loop();
}

void on_timer(void* sleep) {
  if (reinterpret_cast<std::uintptr_t>(sleep) == g_sleep) wake_up();
}

bool g_test_hooks = false;

void step(void* frame) {
  follow_page();
  if (g_test_hooks && ImGui::GetCurrentContext()) GImGui->TestEngineHookItems = true;
  const bool go_on = (*static_cast<std::function<bool()>*>(frame))();
  static bool first = true;
  if (!g_asleep && std::exchange(first, false))  // the first frame drawn, for tests/web (start-up time)
    EM_ASM(document.documentElement.dataset.firstFrameMs = performance.now().toFixed(0));
  if (!go_on) {
    emscripten_cancel_main_loop();
    std::fputs("Postino has stopped: reload the page to start again.\n", stderr);  // index.html shows it
  }
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

bool wait_events(double timeout) {
  if (std::exchange(g_woken, false)) return true;
  ++g_sleep;
  if (timeout >= 0)
    emscripten_async_call(on_timer, reinterpret_cast<void*>(g_sleep), static_cast<int>(std::lround(timeout * 1000)));
  g_asleep = true;
  emscripten_pause_main_loop();  // the frame running now ends without drawing; wake_up resumes
  return false;
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

void enable_test_hooks() { g_test_hooks = true; }

}  // namespace postino::gui::web

namespace {

// The labelled widgets of the last frame drawn (#test-hooks only): ImGui's test engine hooks
// (IMGUI_ENABLE_TEST_ENGINE, web/CMakeLists.txt) report each one as it is laid out.
struct Item {
  std::string window, label;
  ImRect box;
};
std::vector<Item> g_items;
int g_items_frame = -1;

void json_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else out += c;
  }
  out += '"';
}

}  // namespace

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect&, ImGuiID) {}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID, const char* label, ImGuiItemStatusFlags) {
  if (ctx->FrameCount != g_items_frame) {
    g_items.clear();
    g_items_frame = ctx->FrameCount;
  }
  const char* window = ctx->CurrentWindow ? ctx->CurrentWindow->Name : "";
  g_items.push_back({window, label ? label : "", ctx->LastItemData.Rect});
}

// [{"window": "Lezione###Lesson", "label": "Avanti", "x": .., "y": .., "w": .., "h": ..}, ...] in
// canvas pixels, for web/pre.js's Module.postinoItems().
extern "C" EMSCRIPTEN_KEEPALIVE const char* postino_items() {
  static std::string out;
  out = "[";
  for (const Item& i : g_items) {
    if (out.size() > 1) out += ',';
    out += "{\"window\":";
    json_string(out, i.window);
    out += ",\"label\":";
    json_string(out, i.label);
    char box[128];
    std::snprintf(box, sizeof box, ",\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f}", i.box.Min.x, i.box.Min.y,
                  i.box.GetWidth(), i.box.GetHeight());
    out += box;
  }
  out += "]";
  return out.c_str();
}

// web/pre.js calls this on input, a resize or a file: the next animation frame draws.
extern "C" EMSCRIPTEN_KEEPALIVE void postino_wake() { postino::gui::web::wake_up(); }
