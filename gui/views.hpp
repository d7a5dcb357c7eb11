#pragma once
// One draw function per view (one file each); they read the App and return intents.
#include "gui/app.hpp"

namespace postino::gui {

// `title` and `id` let the side-by-side mode draw two of them.
Intent draw_network(const App& app, const char* title = nullptr, const char* id = "Network");
Intent draw_transcript(const App& app);
// Drawn inside the transcript window, in its "Sequence" tab.
Intent draw_sequence(const App& app);
Intent draw_devices(const App& app);
// A lesson's or story's panel (when one is loaded): the step, its task and question.
Intent draw_lesson(const App& app);
Intent draw_server(const App& app, const char* title = nullptr, const char* id = "Server");
// Side by side, the pair's clock and play state are given (the pair plays, neither App does).
struct PairState {
  Time clock = 0;
  bool playing = false;
};
Intent draw_timeline(const App& app, const PairState* pair = nullptr);

}  // namespace postino::gui
