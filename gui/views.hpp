#pragma once
// One draw function per view (one file each); they read the App and return intents.
#include "gui/app.hpp"

namespace postino::gui {

Intent draw_network(const App& app);
Intent draw_transcript(const App& app);
Intent draw_devices(const App& app);
Intent draw_server(const App& app);
Intent draw_timeline(const App& app);

}  // namespace postino::gui
