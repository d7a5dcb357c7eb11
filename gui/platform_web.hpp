#pragma once
// What the window does differently in a web page (the browser build only; gui/platform_web.cpp).
#include <functional>
#include <optional>
#include <string>

namespace postino::gui::web {

// Calls `frame` once per animation frame until it returns false, and never returns: the page's
// own event loop runs instead (a loop of ours would freeze the page). Before each frame the
// canvas takes the page's size in device pixels.
[[noreturn]] void run_main_loop(std::function<bool()> frame);
// The page's glfwWaitEvents (which cannot block there): true when there is something to draw
// (input, a resize or a file since the last frame drawn, or `timeout` seconds passed while
// asleep); false when there is not, and then the animation frames stop until something comes:
// the caller skips this frame. `timeout` < 0: no timeout.
bool wait_events(double timeout);
// Device pixels per CSS pixel: the interface is drawn in device pixels, scaled by this.
float pixel_ratio();
// True once after the ratio changed (browser zoom, another screen): the fonts are made again.
bool pixel_ratio_changed();
// Opens the browser's file picker; the file arrives later through take_chosen_file().
void choose_file();
// Where (in the page's file system) the file the user picked was put; once.
std::optional<std::string> take_chosen_file();
// Offers the file at `path` as a download, named after it.
void download(const std::string& path);
// For tests/web (index.html#test-hooks): every frame drawn records where each labelled widget
// is, which Module.postinoItems() gives the page as JSON, so a test can click what a learner
// would click without knowing the layout.
void enable_test_hooks();

}  // namespace postino::gui::web
