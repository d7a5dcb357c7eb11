// The app shell: window, fonts, layout, the loop that applies intents between frames, and
// --screenshot. The loop waits for events when nothing moves, so an idle window costs no CPU.
#include "gui/window.hpp"

#ifdef __EMSCRIPTEN__  // the browser build (web/): WebGL 2, stb_truetype
#include <GLES3/gl3.h>
#include "gui/platform_web.hpp"
#else
#include <epoxy/gl.h>
#include <imgui_freetype.h>
#endif
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <utility>
#include <vector>

#include "gui/app.hpp"
#include "gui/i18n.hpp"
#include "gui/layout.hpp"
#include "gui/listen.hpp"
#include "gui/ui.hpp"
#include "gui/views.hpp"
#include "io/config_dir.hpp"
#include "sim/lesson/lesson.hpp"

namespace postino::gui {
namespace {

// Seconds from process start to glfwInit (glfwGetTime counts from there).
const auto g_process_start = std::chrono::steady_clock::now();
double g_glfw_offset = 0;
double startup_seconds() { return g_glfw_offset; }

// Key presses as GLFW reports them, drained once per frame. ImGui 1.86 only keeps "is it down":
// a press and its release arriving in the same poll (a presenter's clicker, xdotool) were lost.
struct KeyPress {
  int key, mods;
};
std::vector<KeyPress> g_keys;
void on_key(GLFWwindow*, int key, int, int action, int mods) {
  if (action == GLFW_PRESS || action == GLFW_REPEAT) g_keys.push_back({key, mods});
}

bool exists(const char* path) {
  struct stat st{};
  return ::stat(path, &st) == 0;
}

void load_fonts(float size, float picture_size) {
  ImGuiIO& io = ImGui::GetIO();
#ifdef __EMSCRIPTEN__
  size *= web::pixel_ratio();  // a page is drawn in device pixels
#else
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
#endif
  const char* inter = "/usr/share/fonts/opentype/inter/Inter-Regular.otf";
  const char* inter_bold = "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf";
  const char* mono = "/usr/share/fonts/truetype/jetbrains-mono/JetBrainsMono-Regular.ttf";
  const char* awesome = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";
  // Only the icons of ui.hpp's icon:: list: rasterising all of Font Awesome, four times, costs
  // tens of milliseconds before the first frame.
  static const ImWchar icons[] = {0xf00c, 0xf00d, 0xf023, 0xf023, 0xf048, 0xf051, 0xf09c, 0xf09c, 0xf0e0, 0xf0e0, 0xf096, 0xf096, 0xf0e7, 0xf0e7,
                                  0xf108, 0xf10b, 0xf1e6, 0xf1e6, 0xf1f8, 0xf1f8, 0xf233, 0xf233, 0};
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
  auto set = [&](float px) -> FontSet {
    FontSet s;
    s.ui = with_icons(inter, px);
    s.bold = with_icons(inter_bold, px);
    s.mono = with_icons(mono, px * 0.92f);
    s.big = exists(awesome) ? io.Fonts->AddFontFromFileTTF(awesome, px * 2.0f, nullptr, icons) : s.ui;
    return s;
  };
  Fonts& f = fonts();
  static_cast<FontSet&>(f) = set(size);
#ifdef __EMSCRIPTEN__
  picture_size *= web::pixel_ratio();
#endif
  f.picture = picture_size > size ? set(picture_size) : static_cast<FontSet&>(f);
  if (!exists(inter) || !exists(awesome))
    std::fprintf(stderr, "postino: fonts missing (run scripts/setup): using ImGui's default\n");
}

void style(bool dark) {
  set_dark(dark);
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  const Rgb bg = palette(dark).window, ink = palette(dark).text;
  const ImVec4 window(bg.r / 255.0f, bg.g / 255.0f, bg.b / 255.0f, 1), text(ink.r / 255.0f, ink.g / 255.0f, ink.b / 255.0f, 1);
  if (dark) {
    ImGui::StyleColorsDark();
    s.Colors[ImGuiCol_WindowBg] = window;
    s.Colors[ImGuiCol_Text] = text;
  } else {
    ImGui::StyleColorsLight();
    s.Colors[ImGuiCol_WindowBg] = window;
    s.Colors[ImGuiCol_Text] = text;
    s.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.86f, 0.88f, 0.93f, 1);
    s.Colors[ImGuiCol_TitleBg] = ImVec4(0.90f, 0.91f, 0.94f, 1);
    s.FrameBorderSize = 1;  // white fields on a near-white panel: checkboxes and inputs need an edge
    s.Colors[ImGuiCol_Border] = ImVec4(0.72f, 0.74f, 0.80f, 1);
  }
  s.Colors[ImGuiCol_PopupBg].w = 1;  // a popup over the busy picture: no ghost of it showing through
  s.WindowRounding = 0;  // panels tile the window; and a rounded one is a fan of long thin triangles, costly in llvmpipe
  s.FrameRounding = 4;
  s.WindowPadding = {12, 10};
  s.ItemSpacing = {8, 6};
#ifdef __EMSCRIPTEN__
  s.ScaleAllSizes(web::pixel_ratio());
#endif
}

// Fixed layout in fractions of the space under the menu bar: the network picture first.
// Panels the user moved or resized stay so (imgui.ini remembers them) until the window changes
// size or View > Reset layout puts everything back.
ImGuiCond g_layout = ImGuiCond_FirstUseEver;
void place(float x, float y, float w, float h, const ImVec2& size, float top) {
  const float height = size.y - top;
  ImGui::SetNextWindowPos({x * size.x, top + y * height}, g_layout);
  ImGui::SetNextWindowSize({w * size.x, h * height}, g_layout);
}

// The text size: 17 px, or in presenter mode one 28th of the window's height (26 px at 720
// lines, 38 at 1080), in steps of 2 px so that a window being resized does not rebuild the
// fonts at every pixel.
float font_px(bool presenter, int window_height) {
  if (!presenter) return 17;
  return std::clamp(2 * std::round(static_cast<float>(window_height) / 28.0f / 2), 22.0f, 44.0f);
}

struct Shell {  // what the window itself remembers (not the model)
  bool presenter = false, dark = false, fonts_dirty = false, open_dialog = false, quit = false;
  int popups = 0;  // open last frame
  float font_px = 17;  // the fonts' size now
  float picture_px = 17;  // the network picture's
  bool side_by_side = false, variants_dirty = true;
  bool pair_playing = false;  // side by side: the pair plays on one clock (App::tick_pair)
  double pair_wait = 0;
  std::string toast;  // a short message in the menu bar
  double toast_until = 0;
  std::string file;
  char path[512] = "";
  std::string listening;  // --listen: the ports, shown in the menu bar
  // "Save as text/Markdown" (the transcript) and "Save scenario..." (the learner's story)
  enum class Saving { Text, Markdown, Scenario };
  bool save_dialog = false;
  Saving saving = Saving::Text;
  char save_path[512] = "";
  std::string save_confirmed;  // the existing file the user agreed to overwrite
  std::string save_error;
  bool reset_layout = false, was_side_by_side = false;
  bool panels = false, had_panels = false;  // presenter mode: the other panels shown (F6; Tab would put the keyboard in a text field)
  Intent::Kind undo = Intent::Kind::None;  // asked for in the menu, applied with the views' intents
  ImVec2 last_size{0, 0};  // the window's size last frame: a new one lays the panels out again
  // The user's lesson progress (lessons.txt) is read and written: not by a screenshot or a
  // benchmark, which no learner did (and whose picture must not depend on who ran it).
  bool keep_progress = true;
};

// Where "Save as..." proposes to write: the home directory (else the current one), named after
// the scenario.
std::string suggested_path(const std::string& scenario, Shell::Saving what) {
  const char* home = std::getenv("HOME");
  std::string dir = home && *home ? home : ".";
  std::string stem = scenario.empty() ? "postino" : scenario.substr(scenario.find_last_of('/') + 1);
  if (const auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  if (what == Shell::Saving::Scenario) return dir + "/" + stem + "-my-story.txt";
  return dir + "/" + stem + "-transcript" + (what == Shell::Saving::Markdown ? ".md" : ".txt");
}

// Opens the save dialog for the transcript or the scenario.
void ask_where_to_save(Shell& sh, Shell::Saving what) {
  sh.save_dialog = true;
  sh.saving = what;
  sh.save_confirmed.clear();
  sh.save_error.clear();
  std::snprintf(sh.save_path, sizeof sh.save_path, "%s", suggested_path(sh.file, what).c_str());
}


// The bundled scenarios, lessons and stories (lessons/), for Scenario > Open: next to the
// executable in a build tree (build/release/gui/postino), else in the source tree it was built
// from; in a page, embedded at /lessons.
std::string lessons_dir() {
#ifdef __EMSCRIPTEN__
  return "/lessons";
#else
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto near = exe.parent_path() / "../../../lessons";
    if (std::filesystem::is_directory(near / "lessons", ec)) return std::filesystem::weakly_canonical(near, ec).string();
  }
#ifdef POSTINO_LESSONS_DIR
  return POSTINO_LESSONS_DIR;
#else
  return "lessons";
#endif
#endif
}

struct Bundled {
  std::string path, file;  // file: the name alone, as lessons.txt keeps it
  script::Text title;
  bool lesson = false;
};
// One list per folder (scenarios, lessons, stories), read once: titles come from the files.
const std::vector<std::vector<Bundled>>& bundled() {
  static const std::vector<std::vector<Bundled>> all = [] {
    std::vector<std::vector<Bundled>> out;
    const std::string dir = lessons_dir();
    for (const char* folder : {"scenarios", "lessons", "stories"}) {
      std::vector<Bundled> list;
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(dir + "/" + folder, ec)) {
        if (e.path().extension() != ".txt") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        Bundled b{e.path().string(), e.path().filename().string(), {}, false};
        if (lesson::is_lesson(text.str())) {
          const lesson::Parsed p = lesson::parse(text.str());
          b.title = p.lesson.setup.title;
          b.lesson = !p.lesson.story;
        } else {
          b.title = script::parse(text.str()).scenario.title;
        }
        if (b.title.in(Lang::En).empty()) b.title = script::Text(b.file, b.file);
        list.push_back(std::move(b));
      }
      std::sort(list.begin(), list.end(), [](const Bundled& a, const Bundled& b) { return a.file < b.file; });
      out.push_back(std::move(list));
    }
    return out;
  }();
  return all;
}

// The lessons finished, by file name: one a line in the config folder's lessons.txt.
std::string progress_path() { return io::config_dir() + "/lessons.txt"; }
std::set<std::string>& finished_lessons() {
  static std::set<std::string> done = [] {
    std::set<std::string> s;
    std::ifstream in(progress_path());
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) s.insert(line);
    return s;
  }();
  return done;
}
void mark_finished(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.empty() || !finished_lessons().insert(name).second) return;
  io::make_dirs(io::config_dir());
  std::ofstream(progress_path(), std::ios::app) << name << "\n";
}

void toggle_presenter(Shell& sh) {
  sh.presenter = !sh.presenter;
  sh.fonts_dirty = true;
  sh.reset_layout = true;  // the timeline's height follows the text size
}

// The menu bar: view options, language, opening and resetting a scenario.
void menu(Shell& sh, App& app) {
  // The bar's own colour covers it: no window background under it (one strip less for llvmpipe).
  ImGui::PushStyleColor(ImGuiCol_WindowBg, 0u);
  const bool bar = ImGui::BeginMainMenuBar();
  ImGui::PopStyleColor();
  if (!bar) return;
  if (ImGui::BeginMenu(tr("Scenario"))) {
    if (ImGui::MenuItem(tr("Open file..."), "Ctrl+O")) sh.open_dialog = true;
    if (ImGui::MenuItem(tr("Save scenario..."))) ask_where_to_save(sh, Shell::Saving::Scenario);
    // The learner's clicks branch the story; these take them back (app.hpp says how).
    if (ImGui::MenuItem(tr("Undo my last click"), "Ctrl+Z", false, app.user_steps() > 0)) sh.undo = Intent::Kind::Undo;
    if (ImGui::MenuItem(tr("Restore the script"), nullptr, false, app.user_steps() > 0)) sh.undo = Intent::Kind::RestoreScript;
    if (ImGui::MenuItem(tr("Reset (Ctrl+R)"))) {
      std::string error;
      app.load(sh.file, error, lang() == Lang::It);
      sh.variants_dirty = true;
    }
#ifndef __EMSCRIPTEN__  // a page is closed by the browser: a loop that stopped would only freeze it
    if (ImGui::MenuItem(tr("Quit"))) sh.quit = true;
#endif
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("View"))) {
    if (ImGui::MenuItem(tr("Presenter mode (large text)"), "F5", sh.presenter)) toggle_presenter(sh);
    if (ImGui::MenuItem(tr("POP3 and IMAP side by side"), nullptr, sh.side_by_side)) {
      sh.side_by_side = !sh.side_by_side;
      sh.variants_dirty = true;
    }
    if (ImGui::MenuItem(tr("Dark theme"), nullptr, sh.dark)) {
      sh.dark = !sh.dark;
      style(sh.dark);
    }
    if (ImGui::MenuItem(tr("Reset layout"))) sh.reset_layout = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Language"))) {
    if (ImGui::MenuItem("English", nullptr, lang() == Lang::En)) set_lang(Lang::En);
    if (ImGui::MenuItem("Italiano", nullptr, lang() == Lang::It)) set_lang(Lang::It);
    ImGui::EndMenu();
  }
  ImGui::TextDisabled("   %s", app.title(lang()).c_str());
  if (!sh.listening.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImColor(colour::imap()), "   %s %s: 127.0.0.1 %s", icon::kPlug, tr("Your mail client can connect"),
                       sh.listening.c_str());
  }
  if (!sh.toast.empty() && glfwGetTime() < sh.toast_until) {
    ImGui::SameLine();
    ImGui::TextColored(ImColor(colour::server()), "   %s", sh.toast.c_str());
  }
  ImGui::EndMainMenuBar();
}

void open_dialog(Shell& sh, App& app) {
  if (sh.open_dialog) {
    ImGui::OpenPopup("###open");
    sh.open_dialog = false;
  }
  static std::string error;
  if (!ImGui::BeginPopupModal((std::string(tr("Open a scenario file")) + "###open").c_str(), nullptr,
                              ImGuiWindowFlags_AlwaysAutoResize))
    return;
  // The bundled files by title, in the interface's language; a finished lesson has a mark.
  bool picked = false;
  ImGui::BeginChild("bundled", {36 * em(), 22 * em()}, true);
  const char* heads[] = {tr("Scenarios"), tr("Lessons"), tr("Support stories")};
  const auto& all = bundled();
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (all[k].empty()) continue;
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted(heads[k]);
    ImGui::PopFont();
    for (const Bundled& b : all[k]) {
      const bool done = b.lesson && sh.keep_progress && finished_lessons().contains(b.file);
      const std::string label = std::string(done ? icon::kCheck : " ") + "  " + b.title.in(lang()) + "###" + b.path;
      if (ImGui::Selectable(label.c_str(), sh.path == b.path, ImGuiSelectableFlags_AllowDoubleClick)) {
        std::snprintf(sh.path, sizeof sh.path, "%s", b.path.c_str());
        picked = ImGui::IsMouseDoubleClicked(0);
      }
      if (done && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("You finished this lesson"));
    }
    ImGui::Spacing();
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(36 * em());
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();  // Ctrl+O, then type
  const bool enter = ImGui::InputText("##path", sh.path, sizeof sh.path, ImGuiInputTextFlags_EnterReturnsTrue) || picked;
#ifdef __EMSCRIPTEN__
  // In a page the file comes from the browser's picker; it opens when it arrives (one_frame).
  ImGui::SameLine();
  if (ImGui::Button(tr("Choose a file..."))) {
    web::choose_file();
    ImGui::CloseCurrentPopup();
  }
#endif
  if (!error.empty()) ImGui::TextColored(ImColor(colour::danger()), "%s", error.c_str());
  if (ImGui::Button(tr("Open")) || enter) {
    error.clear();
    if (app.load(sh.path, error, lang() == Lang::It)) {  // on error the app keeps its scenario
      sh.file = sh.path;
      sh.variants_dirty = true;
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel"))) {
    error.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// A lesson's state for --state-file: "STEP COUNT PHASE" (step from 1; phase predict, play, task,
// question, done or finished), "-" without a lesson.
std::string lesson_state(const App& app) {
  const lesson::Run* run = app.lesson_run();
  if (!run) return "-";
  static const char* const phases[] = {"predict", "play", "task", "question", "done"};
  return std::to_string(run->step_index() + 1) + " " + std::to_string(run->step_count()) + " " +
         (run->finished() ? "finished" : phases[static_cast<int>(run->phase())]);
}

// --state-file: rewritten (whole, by rename) only when a value changed, so a reader never sees
// half a file and an idle window writes nothing.
void write_state(const std::string& path, const Shell& sh, const App& app) {
  static std::string last;
  const auto sel = app.selected_device();
  const std::string now = "cursor " + std::to_string(app.cursor()) + "\nplaying " + (app.playing() ? "1" : "0") +
                          "\nselected " + (sel ? std::to_string(*sel) : "-") + "\npresenter " +
                          (sh.presenter ? "1" : "0") + "\npanels " + (sh.panels ? "1" : "0") + "\nnarration " +
                          (app.cursor() < app.trace().size() && app.trace()[app.cursor()].is_event(world::EventKind::Say) ? "1" : "0") +
                          "\nlesson " + lesson_state(app) + "\ntyping " + (typing_in_text_field() ? "1" : "0") + "\n";
  if (now == last) return;
  const std::string tmp = path + ".tmp";
  if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
    const bool ok = std::fwrite(now.data(), 1, now.size(), f) == now.size();
    if (std::fclose(f) == 0 && ok && std::rename(tmp.c_str(), path.c_str()) == 0) last = now;
  }
}

// The transcript in the interface's language, or the scenario as it is now (clicks included,
// which `postino run` replays), to a file the user names; an existing file is replaced only when
// the user says so.
void save_dialog(Shell& sh, App& app) {
  if (sh.save_dialog) {
    ImGui::OpenPopup("###save");
    sh.save_dialog = false;
  }
  const bool scenario = sh.saving == Shell::Saving::Scenario;
  if (!ImGui::BeginPopupModal((std::string(tr(scenario ? "Save the scenario" : "Save the transcript")) + "###save").c_str(), nullptr,
                              ImGuiWindowFlags_AlwaysAutoResize))
    return;
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(30 * ImGui::GetFontSize());
  const bool enter = ImGui::InputText("##path", sh.save_path, sizeof sh.save_path, ImGuiInputTextFlags_EnterReturnsTrue);
  if (!sh.save_error.empty()) ImGui::TextColored(ImColor(colour::danger()), "%s", sh.save_error.c_str());
  struct stat st{};
  const bool asking = !sh.save_confirmed.empty() && sh.save_confirmed == sh.save_path;  // asked, and the path was not changed since
  if (asking) ImGui::TextColored(ImColor(colour::danger()), "%s", tr("This file exists already. Overwrite it?"));
  if (ImGui::Button(asking ? tr("Overwrite") : tr("Save")) || enter) {
    if (::stat(sh.save_path, &st) == 0 && !asking) {
      sh.save_confirmed = sh.save_path;
    } else {
      const std::string path = sh.save_path;
      const std::string text = scenario ? app.scenario_text() : app.transcript(sh.saving == Shell::Saving::Markdown, lang());
      std::FILE* f = std::fopen(path.c_str(), "w");
      bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
      if (f) ok = std::fclose(f) == 0 && ok;
      if (ok) {
#ifdef __EMSCRIPTEN__
        web::download(path);  // the file is in the page: the browser saves it for the user
#endif
        sh.toast = std::string(tr("Saved")) + ": " + path;
        sh.toast_until = glfwGetTime() + 4;
        ImGui::CloseCurrentPopup();
      } else {
        sh.save_error = tr("Cannot write this file");
      }
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel"))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The bench: CPU time of the threads of a software renderer (Mesa's llvmpipe-N), which rasterise
// what the GPU would; summed from /proc, 0 elsewhere. Unlike a frame's wall time, it does not
// grow when other programs share the machine.
double renderer_cpu_seconds() {
  double ticks = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream in(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    const auto open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || !stat.substr(open + 1).starts_with("llvmpipe")) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 13 && rest >> field; ++i) {  // fields 3..13: state .. cmajflt
    }
    rest >> utime >> stime;
    ticks += utime + stime;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Window size, presenter mode, theme and language, kept between runs in the config directory.
struct Remembered {
  int width = 0, height = 0;
  int presenter = 0, dark = 0, italian = 0;
};

std::string settings_path() { return io::config_dir() + "/window.txt"; }

Remembered load_settings() {
  Remembered r;
  if (std::FILE* f = std::fopen(settings_path().c_str(), "r")) {
    if (std::fscanf(f, "%d %d %d %d %d", &r.width, &r.height, &r.presenter, &r.dark, &r.italian) != 5) r = {};
    std::fclose(f);
  }
  return r;
}

void save_settings(const Remembered& r) {
  io::make_dirs(io::config_dir());
  if (std::FILE* f = std::fopen(settings_path().c_str(), "w")) {
    std::fprintf(f, "%d %d %d %d %d\n", r.width, r.height, r.presenter, r.dark, r.italian);
    std::fclose(f);
  }
}

#ifdef __EMSCRIPTEN__
void save_settings_when_changed(const Remembered& r) {
  static Remembered last = load_settings();
  if (r.presenter == last.presenter && r.dark == last.dark && r.italian == last.italian) return;
  save_settings(r);
  last = r;
}
#endif

bool save_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}

// "09:05", "09:05:30" (on the scenario's first day) or "2026-11-27T09:05[:30]".
std::optional<Time> parse_at(const std::string& s, Time start) {
  const CivilTime day = to_civil(start);
  int y = day.year, mo = day.month, d = day.day, h = 0, mi = 0, sec = 0;
  char tail = 0;
  const bool dated = s.find('T') != std::string::npos;
  const int n = dated ? std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &sec, &tail)
                      : std::sscanf(s.c_str(), "%d:%d:%d%c", &h, &mi, &sec, &tail);
  const int needed = dated ? 5 : 2;
  if (n < needed || n > needed + 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      sec < 0 || sec > 59)
    return std::nullopt;
  return from_civil(y, mo, d, h, mi, sec);
}

// The side-by-side pair's controls: both stories move on one simulated clock.
void apply_pair(const Intent& i, App& pop, App& imap, Shell& sh) {
  using K = Intent::Kind;
  switch (i.kind) {
    case K::Play:
      sh.pair_playing = true;
      if (pop.finished() && imap.finished() && !pop.next_time() && !imap.next_time()) {
        pop.apply({K::First});
        imap.apply({K::First});
      }
      break;
    case K::Pause: sh.pair_playing = false; break;
    case K::StepForward: sh.pair_playing = false; step_pair(pop, imap); break;
    case K::StepBack: sh.pair_playing = false; step_pair_back(pop, imap); break;
    case K::NextChange:  // the earlier of the two sides' next changes, and the other to that time
      sh.pair_playing = false;
      {
        App* first = pop.time_at_cursor() <= imap.time_at_cursor() ? &pop : &imap;
        first->apply(i);
        (first == &pop ? imap : pop).seek_time(first->time_at_cursor());
      }
      break;
    case K::Seek:  // the slider is the POP3 side's lines: the IMAP side goes to the same time
      sh.pair_playing = false;
      pop.apply(i);
      imap.seek_time(pop.time_at_cursor());
      break;
    default:
      pop.apply(i);
      imap.apply(i);
      if (i.kind == K::First || i.kind == K::Last) sh.pair_playing = false;
      break;
  }
}

}  // namespace

int run_window(const WindowOptions& options) {
  WindowOptions o = options;
  // A screenshot is reproducible: it ignores what the last session remembered.
  const bool remember = o.screenshot.empty() && o.bench == 0;
  if (remember) {
    const Remembered r = load_settings();
    if (!o.size_given && r.width >= 320 && r.height >= 240) {
      o.width = r.width;
      o.height = r.height;
    }
    o.presenter |= r.presenter != 0;
    o.dark |= r.dark != 0;
    o.italian |= r.italian != 0 && !o.lang_given;
  }
  App app;
  app.on_whole_known([] { glfwPostEmptyEvent(); });  // wakes the loop from glfwWaitEvents
  std::string error;
  if (!app.load(o.scenario, error, o.italian)) {
    std::fputs(error.c_str(), stderr);
    return 2;
  }
  std::optional<Time> at_time;
  if (!o.at.empty() && !(at_time = parse_at(o.at, app.scenario().start))) {
    std::fprintf(stderr, "postino: --at wants a time like 09:05, 09:05:30 or 2026-11-27T09:05\n");
    return 2;
  }
  const bool glfw_ok = glfwInit();
  g_glfw_offset = std::chrono::duration<double>(std::chrono::steady_clock::now() - g_process_start).count();
  if (!glfw_ok) {
    std::fprintf(stderr, "postino: cannot open a window (no display? try xvfb-run)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  // Dear ImGui draws with neither: a software renderer (llvmpipe) then has less to keep per pixel.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
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
  if (remember) io::make_dirs(io::config_dir());
  ImGui::GetIO().IniFilename = o.screenshot.empty() ? ini.c_str() : nullptr;
  Shell sh;
  sh.keep_progress = remember;
  sh.side_by_side = sh.was_side_by_side = o.side_by_side;
  App pop_app, imap_app;  // the side-by-side pair, made from `app` when asked for
  sh.presenter = o.presenter;
  sh.dark = o.dark;
  sh.file = o.scenario;
  std::snprintf(sh.path, sizeof sh.path, "%s", o.scenario.c_str());
  set_lang(o.italian ? Lang::It : Lang::En);
  prefs().sequence = o.sequence;
  prefs().wire = o.wire;
  prefs().webmail = o.webmail;
  style(sh.dark);
  sh.font_px = font_px(sh.presenter, o.height);
  sh.picture_px = picture_font_px(sh.font_px, sh.presenter, sh.side_by_side, o.width, o.height);
  load_fonts(sh.font_px, sh.picture_px);
  glfwSetKeyCallback(window, on_key);  // before ImGui's, which calls it on
  ImGui_ImplGlfw_InitForOpenGL(window, true);
#ifdef __EMSCRIPTEN__
  ImGui_ImplOpenGL3_Init("#version 300 es");  // WebGL 2
#else
  ImGui_ImplOpenGL3_Init("#version 330 core");
#endif

  if (at_time) {
    const auto t = at_time;
    app.apply({Intent::Kind::Last});
    const auto& trace = app.trace();
    // The last line sent at or before then (the first line if the story starts later).
    auto it = std::upper_bound(trace.begin(), trace.end(), *t, [](Time v, const world::TraceEntry& e) { return v < e.sent; });
    app.apply({Intent::Kind::Seek, it == trace.begin() ? 0 : static_cast<std::size_t>(it - trace.begin() - 1)});
  } else if (o.step >= 0 && app.current_lesson()) {
    // A lesson: step N (from 1), the steps before it done as a learner who does everything right.
    app.lesson_skip_to(static_cast<std::size_t>(std::max<long>(1, o.step) - 1));
    app.apply({Intent::Kind::Pause});
  } else if (o.step >= 0) {
    // Line N as `postino run` prints it (an entry such as a message body is several lines).
    app.apply({Intent::Kind::Seek, app.entry_at_line(static_cast<std::size_t>(std::max<long>(1, o.step)))});
  } else if (!o.screenshot.empty()) {
    app.apply({Intent::Kind::Last});
    app.apply({Intent::Kind::Seek, app.cursor()});
  }
  // --listen: real clients join this world (gui/listen.cpp).
  std::unique_ptr<Listen> listen;
  if (o.listen) {
    io::ServeConfig sc;
    sc.pop3 = o.pop3, sc.pop3s = o.pop3s, sc.imap = o.imap, sc.imaps = o.imaps;
    listen = std::make_unique<Listen>(app, sc);
    std::string why;
    if (!listen->start(why)) {
      std::fprintf(stderr, "postino: %s\n", why.c_str());
      return 1;
    }
    sh.listening = listen->summary();
    std::printf("Listening for your mail client on 127.0.0.1: %s (user info@tuodominio.it, password segreta)\n",
                sh.listening.c_str());
    std::fflush(stdout);
  }
  // With --listen, a screenshot waits for the clients to come and go (a minute at most).
  const double listen_deadline = glfwGetTime() + 60;
  bool shot_ready = false;  // the cursor is where the picture should show it
  auto clients_done = [&] { return !listen || (listen->connections() > 0 && listen->open() == 0) || glfwGetTime() > listen_deadline; };
  if (!o.screenshot.empty()) {
    app.wait_for_whole();  // the scrubber shows the whole story
    app.tick(0.3);  // catch the line in flight, half way
  }

  int frame = 0, rc = 0, settle = 0;
  double before = glfwGetTime();
  // --bench: frame build times while playing, then the CPU an idle window uses.
  std::vector<double> build_ms, frame_ms, tick_ms, vertices, swap_ms;
  const double bench_start = glfwGetTime();
  double idle_cpu_start = -1, idle_wall_start = 0;
  double play_thread_cpu = 0, play_renderer_cpu = 0;  // CPU while playing: this thread's, the renderer's
  if (o.bench > 0) {
    play_thread_cpu = -thread_cpu_seconds();
    play_renderer_cpu = -renderer_cpu_seconds();
    app.apply({Intent::Kind::Speed, 0, 8.0f});
    app.apply({Intent::Kind::Play});
  }
  // One frame; false when the window is done. A browser calls it once per animation frame (a
  // loop of ours would freeze the page); the desktop loops on it.
  auto one_frame = [&]() -> bool {
    if (glfwWindowShouldClose(window) || sh.quit) return false;
    const double frame_start = glfwGetTime();
    if (o.bench > 0) {
      const double t = frame_start - bench_start;
      if (t > o.bench) return false;
      if (t > o.bench / 2 && idle_cpu_start < 0) {
        app.apply({Intent::Kind::Pause});
        play_thread_cpu += thread_cpu_seconds();
        play_renderer_cpu += renderer_cpu_seconds();
        idle_cpu_start = cpu_seconds();
        idle_wall_start = glfwGetTime();
      }
    }
    // Nothing moves: sleep until the user does something (the bench wakes up to end on time).
    const bool moving = app.animating() || (sh.side_by_side && (sh.pair_playing || pop_app.animating() || imap_app.animating()));
    if (listen) {
      listen->poll();
      if (!moving) glfwWaitEventsTimeout(0.03);  // the sockets are looked at ~30 times a second
      else glfwPollEvents();
    } else if (!o.screenshot.empty() || moving) glfwPollEvents();
    else if (o.bench > 0) {
      const double t = frame_start - bench_start;
      glfwWaitEventsTimeout(std::max(0.01, (t < o.bench / 2 ? o.bench / 2 : o.bench) - t + 0.01));
    }
    else if (settle > 0) {
      --settle;
      glfwPollEvents();
    } else {
      // A task's hints come after a while: the clock is looked at now and then.
      const bool task = app.lesson_run() && app.lesson_run()->phase() == lesson::Phase::Task;
#ifdef __EMSCRIPTEN__
      // A page cannot block: with nothing to draw this frame is skipped and the page's frames
      // stop until input comes. The run ahead for the scrubber goes on in frames (App::tick).
      if (app.whole_known() && !web::wait_events(task ? 1.0 : -1)) return true;
#else
      if (task) glfwWaitEventsTimeout(1.0);
      else glfwWaitEvents();
#endif
      // ImGui acts on some input a frame or two late (a click's release, a tab or a popup
      // opening, the keys a callback queued): draw a few more frames before sleeping again.
      settle = 3;
    }
    // Presenter mode: the text grows with the window (a projector's 1080 lines read from the back);
    // the picture's grows with its view.
    {
      int fw = 0, fh = 0;
      glfwGetWindowSize(window, &fw, &fh);
      if (fh <= 0) fw = o.width, fh = o.height;
      const float font = font_px(sh.presenter, fh);
      const float picture = picture_font_px(font, sh.presenter, sh.side_by_side, fw, fh);
      if (font != sh.font_px || picture != sh.picture_px) sh.fonts_dirty = true;
      if (sh.fonts_dirty) sh.font_px = font, sh.picture_px = picture;
    }
    if (sh.fonts_dirty) {
      // Presenter mode: the fonts at the new size, between frames, and only the font texture
      // made again. (Destroying all the back end's device objects here left every later frame
      // blank with Debian's ImGui 1.86.)
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui::GetIO().Fonts->Clear();
      load_fonts(sh.font_px, sh.picture_px);
      ImGui_ImplOpenGL3_CreateFontsTexture();
      sh.fonts_dirty = false;
    }
    const double now = glfwGetTime();
    app.tick(now - before);
    if (o.bench > 0 && app.playing()) tick_ms.push_back((glfwGetTime() - now) * 1000);
    if (sh.side_by_side) tick_pair(pop_app, imap_app, now - before, sh.pair_playing, sh.pair_wait);
    before = now;

    const double build_start = glfwGetTime();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::PushFont(fonts().ui);
    start_panels();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    if (sh.last_size.x == 0) sh.last_size = size;
    g_layout = sh.reset_layout || size.x != sh.last_size.x || size.y != sh.last_size.y || sh.side_by_side != sh.was_side_by_side
                       || sh.panels != sh.had_panels
                   ? ImGuiCond_Always
                   : ImGuiCond_FirstUseEver;
    sh.had_panels = sh.panels;
    sh.reset_layout = false;
    sh.last_size = size;
    sh.was_side_by_side = sh.side_by_side;
    menu(sh, app);
    const float top = ImGui::GetFrameHeight();  // the menu bar
    // The timeline's height: one row of controls, or two when they do not fit across (the
    // scrubber then gets a line of its own).
    const float tl = (size.x < 58 * ImGui::GetFontSize() ? 5.4f : 3.6f) * ImGui::GetFontSize() / (size.y - top);
    std::vector<Intent> intents, pair_intents;
    if (sh.side_by_side) {
      if (sh.variants_dirty) {
        pop_app.load_variant(app, world::Protocol::Pop3);
        imap_app.load_variant(app, world::Protocol::Imap);
        if (!o.screenshot.empty()) {  // a picture of how each one ends
          pop_app.apply({Intent::Kind::Last});
          imap_app.apply({Intent::Kind::Last});
        }
        sh.variants_dirty = false;
      }
      // The same story twice: every device on POP3 (left) and on IMAP (right).
      place(0, 0, 0.5f, 0.6f, size, top);
      intents.push_back(draw_network(pop_app, tr("Everything on POP3"), "NetworkPop"));
      place(0.5f, 0, 0.5f, 0.6f, size, top);
      intents.push_back(draw_network(imap_app, tr("Everything on IMAP"), "NetworkImap"));
      place(0, 0.6f, 0.5f, 0.4f - tl, size, top);
      const Intent a = draw_server(pop_app, tr("Server (POP3)"), "ServerPop");
      place(0.5f, 0.6f, 0.5f, 0.4f - tl, size, top);
      const Intent b = draw_server(imap_app, tr("Server (IMAP)"), "ServerImap");
      place(0, 1 - tl, 1, tl, size, top);
      const PairState pair{std::max(pop_app.time_at_cursor(), imap_app.time_at_cursor()), sh.pair_playing};
      const Intent t = draw_timeline(pop_app, &pair);
      // What happens on one side happens on the other too: that is the comparison.
      for (const Intent& act : {a, b, t})
        if (act.kind == Intent::Kind::Act) {
          pop_app.apply(act);
          imap_app.apply(act);
        }
      if (t.kind != Intent::Kind::Act && t.kind != Intent::Kind::None) pair_intents.push_back(t);
    } else if (sh.presenter && !sh.panels) {
      // For a projector: the picture, with its narration, is the show; Tab brings the rest. A
      // lesson's panel stays beside it.
      const float w = app.current_lesson() ? 0.62f : 1.0f;
      place(0, 0, w, 1 - tl, size, top);
      intents.push_back(draw_network(app));
      if (app.current_lesson()) {
        place(w, 0, 1 - w, 1 - tl, size, top);
        intents.push_back(draw_lesson(app));
      }
      place(0, 1 - tl, 1, tl, size, top);
      intents.push_back(draw_timeline(app));
    } else if (app.current_lesson()) {
      // A lesson: its panel where the transcript was; the transcript is its other tab.
      place(0, 0, 0.58f, 0.58f, size, top);
      intents.push_back(draw_network(app));
      place(0, 0.58f, 0.58f, 0.42f - tl, size, top);
      intents.push_back(draw_devices(app));
      place(0.58f, 0, 0.42f, 0.58f, size, top);
      intents.push_back(prefs().lesson_transcript ? draw_transcript(app) : draw_lesson(app));
      place(0.58f, 0.58f, 0.42f, 0.42f - tl, size, top);
      intents.push_back(draw_server(app));
      place(0, 1 - tl, 1, tl, size, top);
      intents.push_back(draw_timeline(app));
    } else {
      place(0, 0, 0.58f, 0.58f, size, top);
      intents.push_back(draw_network(app));
      place(0, 0.58f, 0.58f, 0.42f - tl, size, top);
      intents.push_back(draw_devices(app));
      place(0.58f, 0, 0.42f, 0.58f, size, top);
      intents.push_back(draw_transcript(app));
      place(0.58f, 0.58f, 0.42f, 0.42f - tl, size, top);
      intents.push_back(draw_server(app));
      place(0, 1 - tl, 1, tl, size, top);
      intents.push_back(draw_timeline(app));
    }
    open_dialog(sh, app);
    save_dialog(sh, app);
    // The keys README and --help promise; none while a text field has the keyboard (a space
    // typed in a path is not "play").
    if (sh.undo != Intent::Kind::None) intents.push_back({std::exchange(sh.undo, Intent::Kind::None)});
    // A dialog or menu has the keyboard too: Space does not play the story behind it (the Open
    // dialog's path field gets the keyboard a frame or two after the dialog shows).
    const bool typing = ImGui::GetIO().WantTextInput || typing_in_text_field() ||
                        ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
    // A popup opening or closing takes ImGui a few frames (placed, then focused): draw them
    // before sleeping, or the dialog waits for the next input to take the keyboard.
    const int popups = open_popups();
    if (popups != sh.popups) settle = std::max(settle, 3);
    sh.popups = popups;
    for (const KeyPress& k : std::exchange(g_keys, {})) {
      if (typing) continue;
      const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0;
      if (ctrl && k.key == GLFW_KEY_O) sh.open_dialog = true;
      if (ctrl && k.key == GLFW_KEY_Z) intents.push_back({Intent::Kind::Undo});
      if (ctrl && k.key == GLFW_KEY_R) {
        std::string error;
        app.load(sh.file, error, lang() == Lang::It);
        sh.variants_dirty = true;
      }
      if (ctrl) continue;
      if (k.key == GLFW_KEY_SPACE) intents.push_back({app.playing() ? Intent::Kind::Pause : Intent::Kind::Play});
      if (k.key == GLFW_KEY_RIGHT) intents.push_back({Intent::Kind::StepForward});
      if (k.key == GLFW_KEY_LEFT) intents.push_back({Intent::Kind::StepBack});
      const bool shift = (k.mods & GLFW_MOD_SHIFT) != 0;
      if (k.key == GLFW_KEY_N) intents.push_back({shift ? Intent::Kind::PreviousSay : Intent::Kind::NextSay});
      if (k.key == GLFW_KEY_S) intents.push_back({Intent::Kind::NextChange});
      if (k.key == GLFW_KEY_F5) toggle_presenter(sh);
      if (k.key == GLFW_KEY_F6 && sh.presenter) sh.panels = !sh.panels;
    }
    ImGui::PopFont();
    ImGui::Render();
    const bool playing = app.playing();
    if (o.bench > 0 && playing) {
      build_ms.push_back((glfwGetTime() - build_start) * 1000);
      vertices.push_back(ImGui::GetDrawData()->TotalVtxCount);  // what the GPU (llvmpipe here) is given
    }
    int w, h;
    glfwGetFramebufferSize(window, &w, &h);
    glViewport(0, 0, w, h);
    // The panels' background (begin_panel): the clear colour is their colour.
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // Side by side, the keys and the timeline drive the pair, on one clock.
    if (sh.side_by_side) {
      for (const Intent& i : intents)
        if (i.kind == Intent::Kind::Play || i.kind == Intent::Kind::Pause || i.kind == Intent::Kind::StepForward ||
            i.kind == Intent::Kind::StepBack || i.kind == Intent::Kind::NextChange)
          pair_intents.push_back(i);
      std::erase_if(intents, [](const Intent& i) {
        return i.kind == Intent::Kind::Play || i.kind == Intent::Kind::Pause || i.kind == Intent::Kind::StepForward ||
               i.kind == Intent::Kind::StepBack || i.kind == Intent::Kind::NextChange;
      });
      for (const Intent& i : pair_intents) apply_pair(i, pop_app, imap_app, sh);
    }
    // Views never mutate the world while drawing: intents are applied here, between frames.
    for (const Intent& i : intents) {
      if (i.kind == Intent::Kind::Export)  // the shell owns files: it asks where
        ask_where_to_save(sh, i.index == 1 ? Shell::Saving::Markdown : Shell::Saving::Text);
      app.apply(i);
      // Side by side, a click went to both; taking it back does too.
      if (sh.side_by_side && (i.kind == Intent::Kind::Undo || i.kind == Intent::Kind::RestoreScript)) {
        pop_app.apply(i);
        imap_app.apply(i);
      }
    }
    if (sh.keep_progress && app.lesson_run() && app.lesson_run()->finished() && !app.current_lesson()->story)
      mark_finished(sh.file);
    if (!o.state_file.empty()) write_state(o.state_file, sh, app);
    if (!o.screenshot.empty() && !clients_done()) {
      frame = 0;
    } else if (!o.screenshot.empty() && listen && !shot_ready) {
      shot_ready = true;
      frame = 0;
      // The picture: the last command the real client sent, on its way.
      app.apply({Intent::Kind::Last});
      const auto& t = app.trace();
      for (std::size_t k = t.size(); k-- > 0;)
        if (t[k].kind == world::TraceEntry::Kind::Wire && t[k].to_server && app.at_cursor().device(t[k].device) &&
            app.at_cursor().device(t[k].device)->external() && !t[k].text.contains("LOGOUT") && !t[k].text.contains("QUIT")) {
          app.apply({Intent::Kind::Seek, k});
          app.tick(0.3);
          break;
        }
      app.apply({Intent::Kind::Pause});
    } else if (!o.screenshot.empty() && ++frame >= 4) {
      if (!save_png(o.screenshot, w, h)) {
        std::fprintf(stderr, "postino: cannot write %s\n", o.screenshot.c_str());
        rc = 1;
      }
      return false;
    }
    const double swap_start = glfwGetTime();
    glfwSwapBuffers(window);
    if (o.bench > 0 && playing) swap_ms.push_back((glfwGetTime() - swap_start) * 1000);
    if (frame == 0) {
      ++frame;
      if (o.bench > 0) std::printf("first frame shown %.0f ms after start\n", (glfwGetTime() + startup_seconds()) * 1000);
    }
    if (o.bench > 0 && playing) frame_ms.push_back((glfwGetTime() - frame_start) * 1000);
#ifdef __EMSCRIPTEN__
    // A page is closed, never told to end the loop: the settings are kept as they change
    // (the window's size is the page's).
    if (remember) save_settings_when_changed({0, 0, sh.presenter, sh.dark, lang() == Lang::It});
    // A file from the browser's picker, or dropped on the page (web/pre.js copies it in).
    if (const auto chosen = web::take_chosen_file()) {
      std::string why;
      if (app.load(*chosen, why, lang() == Lang::It)) {
        sh.file = *chosen;
        std::snprintf(sh.path, sizeof sh.path, "%s", chosen->c_str());
        sh.variants_dirty = true;
      } else {
        std::fputs(why.c_str(), stderr);  // index.html shows it
      }
    }
    if (web::pixel_ratio_changed()) {  // browser zoom, another screen
      sh.fonts_dirty = true;
      style(sh.dark);
    }
#endif
    return true;
  };
#ifdef __EMSCRIPTEN__
  web::run_main_loop(one_frame);
#endif
  while (one_frame()) {
  }
  if (o.bench > 0) {
    std::printf("frame build (NewFrame..Render, CPU) p50 %.2f ms, p95 %.2f ms, p99 %.2f ms over %zu frames\n",
                percentile(build_ms, 0.5), percentile(build_ms, 0.95), percentile(build_ms, 0.99), build_ms.size());
    std::printf("whole frame p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", percentile(frame_ms, 0.5),
                percentile(frame_ms, 0.95), percentile(frame_ms, 0.99));
    std::printf("  of which the simulation moving on (App::tick) p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n",
                percentile(tick_ms, 0.5), percentile(tick_ms, 0.95), percentile(tick_ms, 0.99));
    std::printf("  of which the buffer swap (the GPU, llvmpipe under Xvfb, finishing) p50 %.2f ms, p95 %.2f ms\n",
                percentile(swap_ms, 0.5), percentile(swap_ms, 0.95));
    std::printf("  vertices per frame p50 %.0f, p95 %.0f\n", percentile(vertices, 0.5), percentile(vertices, 0.95));
    if (!frame_ms.empty())
      std::printf("CPU per frame while playing (mean; steady under load): this thread %.2f ms, the software renderer's threads %.2f ms\n",
                  1000 * play_thread_cpu / static_cast<double>(frame_ms.size()),
                  1000 * play_renderer_cpu / static_cast<double>(frame_ms.size()));
    if (idle_cpu_start >= 0)
      std::printf("paused and idle for %.1f s: %.2f %% of one core\n", glfwGetTime() - idle_wall_start,
                  100 * (cpu_seconds() - idle_cpu_start) / (glfwGetTime() - idle_wall_start));
  }
  if (remember) {
    int w = 0, h = 0;
    glfwGetWindowSize(window, &w, &h);
    save_settings({w, h, sh.presenter, sh.dark, lang() == Lang::It});
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

}  // namespace postino::gui
