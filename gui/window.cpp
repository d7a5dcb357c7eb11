// The app shell: window, fonts, layout, the loop that applies intents between frames, and
// --screenshot. The loop waits for events when nothing moves, so an idle window costs no CPU.
#include "gui/window.hpp"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>
#include <sys/stat.h>

#include <cstdio>
#include <vector>

#include "gui/app.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "sim/io/tls.hpp"

namespace postino::gui {
namespace {

bool exists(const char* path) {
  struct stat st{};
  return ::stat(path, &st) == 0;
}

void load_fonts(float size) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  const char* inter = "/usr/share/fonts/opentype/inter/Inter-Regular.otf";
  const char* inter_bold = "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf";
  const char* mono = "/usr/share/fonts/truetype/jetbrains-mono/JetBrainsMono-Regular.ttf";
  const char* awesome = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";
  static const ImWchar icons[] = {0xf000, 0xf3ff, 0};
  static const ImWchar text[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2000, 0x206F, 0x20AC, 0x20AC, 0};
  auto with_icons = [&](const char* path, float px) -> ImFont* {
    ImFont* f = exists(path) ? io.Fonts->AddFontFromFileTTF(path, px, nullptr, text) : io.Fonts->AddFontDefault();
    if (exists(awesome)) {
      ImFontConfig merge;
      merge.MergeMode = true;
      merge.GlyphMinAdvanceX = px;
      io.Fonts->AddFontFromFileTTF(awesome, px * 0.9f, &merge, icons);
    }
    return f;
  };
  Fonts& f = fonts();
  f.ui = with_icons(inter, size);
  f.bold = with_icons(inter_bold, size);
  f.mono = with_icons(mono, size * 0.92f);
  f.big = exists(awesome) ? io.Fonts->AddFontFromFileTTF(awesome, size * 2.0f, nullptr, icons) : f.ui;
  if (!exists(inter) || !exists(awesome))
    std::fprintf(stderr, "postino: fonts missing (run scripts/setup): using ImGui's default\n");
}

void style() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6;
  s.FrameRounding = 4;
  s.WindowPadding = {12, 10};
  s.ItemSpacing = {8, 6};
  s.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1);
  s.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.86f, 0.88f, 0.93f, 1);
  s.Colors[ImGuiCol_TitleBg] = ImVec4(0.90f, 0.91f, 0.94f, 1);
}

// Fixed layout in fractions of the window: the network picture first.
void place(const char* name, float x, float y, float w, float h, const ImVec2& size) {
  ImGui::SetNextWindowPos({x * size.x, y * size.y}, ImGuiCond_Always);
  ImGui::SetNextWindowSize({w * size.x, h * size.y}, ImGuiCond_Always);
  (void)name;
}

bool save_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}

}  // namespace

int run_window(const WindowOptions& o) {
  App app;
  std::string error;
  if (!app.load(o.scenario, error)) {
    std::fputs(error.c_str(), stderr);
    return 2;
  }
  if (!glfwInit()) {
    std::fprintf(stderr, "postino: cannot open a window (no display? try xvfb-run)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  const std::string title = "Postino - " + app.title();
  GLFWwindow* window = glfwCreateWindow(o.width, o.height, title.c_str(), nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "postino: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  ImGui::CreateContext();
  static std::string ini = io::config_dir() + "/imgui.ini";
  ImGui::GetIO().IniFilename = o.screenshot.empty() ? ini.c_str() : nullptr;
  style();
  load_fonts(o.presenter ? 26.0f : 17.0f);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  const long last = static_cast<long>(app.trace().size()) - 1;
  if (o.step >= 0) app.apply({Intent::Kind::Seek, static_cast<std::size_t>(std::min(o.step, last))});
  else if (!o.screenshot.empty()) app.apply({Intent::Kind::Seek, static_cast<std::size_t>(std::max(last, 0L))});
  if (!o.screenshot.empty()) app.tick(0.3);  // catch the line in flight, half way

  int frame = 0, rc = 0;
  double before = glfwGetTime();
  while (!glfwWindowShouldClose(window)) {
    if (o.screenshot.empty() && !app.animating()) glfwWaitEventsTimeout(1.0);
    else glfwPollEvents();
    const double now = glfwGetTime();
    app.tick(now - before);
    before = now;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::PushFont(fonts().ui);
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    const float tl = 3.6f * ImGui::GetFontSize() / size.y;  // timeline height
    std::vector<Intent> intents;
    place("Network", 0, 0, 0.58f, 0.58f, size);
    intents.push_back(draw_network(app));
    place("Devices", 0, 0.58f, 0.58f, 0.42f - tl, size);
    intents.push_back(draw_devices(app));
    place("Transcript", 0.58f, 0, 0.42f, 0.58f, size);
    intents.push_back(draw_transcript(app));
    place("Server", 0.58f, 0.58f, 0.42f, 0.42f - tl, size);
    intents.push_back(draw_server(app));
    place("Timeline", 0, 1 - tl, 1, tl, size);
    intents.push_back(draw_timeline(app));
    if (!ImGui::GetIO().WantTextInput) {
      if (ImGui::IsKeyPressed(ImGuiKey_Space)) intents.push_back({app.playing() ? Intent::Kind::Pause : Intent::Kind::Play});
      if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) intents.push_back({Intent::Kind::StepForward});
      if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow)) intents.push_back({Intent::Kind::StepBack});
    }
    ImGui::PopFont();
    ImGui::Render();
    int w, h;
    glfwGetFramebufferSize(window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.93f, 0.94f, 0.96f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // Views never mutate the world while drawing: intents are applied here, between frames.
    for (const Intent& i : intents) app.apply(i);
    if (!o.screenshot.empty() && ++frame >= 4) {
      if (!save_png(o.screenshot, w, h)) {
        std::fprintf(stderr, "postino: cannot write %s\n", o.screenshot.c_str());
        rc = 1;
      }
      break;
    }
    glfwSwapBuffers(window);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

}  // namespace postino::gui
