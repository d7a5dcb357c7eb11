#pragma once
// Shared look: colours, fonts and small drawing helpers for the views. Sizes are in font units
// (em), so presenter mode only changes the font size.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "gui/palette.hpp"
#include "sim/world/world.hpp"

namespace postino::gui {

struct FontSet {
  ImFont* ui = nullptr;
  ImFont* bold = nullptr;
  ImFont* mono = nullptr;
  ImFont* big = nullptr;
};
struct Fonts : FontSet {
  // The network picture's fonts: larger than the panels' when its view has room (a 1080-line
  // screen), so its boxes grow with it, crisp; the same fonts otherwise.
  FontSet picture;
};
Fonts& fonts();

struct Prefs {
  bool sequence = false;  // the transcript opens on its sequence diagram
  bool wire = false;      // the transcript shows what a listener on the wire sees
  bool webmail = false;   // the server panel opens on its webmail tab
  bool lesson_transcript = false;  // a lesson's panel shows the transcript (its tab) instead
};
Prefs& prefs();

// Colours that read on a projector, in the current theme (gui/palette.cpp).
void set_dark(bool dark);
bool dark();
inline const Palette& pal() { return palette(dark()); }
inline ImU32 u32(Rgb c, int alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }
namespace colour {
inline ImU32 client() { return u32(pal().client); }  // C: lines, device side
inline ImU32 server() { return u32(pal().server); }  // S: lines, server side
inline ImU32 muted() { return u32(pal().muted); }
inline ImU32 pop() { return u32(pal().pop); }    // POP3 links
inline ImU32 imap() { return u32(pal().imap); }  // IMAP links
inline ImU32 danger() { return u32(pal().danger); }
inline ImU32 story() { return u32(pal().story); }  // the narration, TLS
inline ImU32 text() { return u32(pal().text); }
inline ImU32 box() { return u32(pal().box); }
}  // namespace colour

inline float em() { return ImGui::GetFontSize(); }

// Font Awesome 4 icons (Debian's fonts-font-awesome), UTF-8 encoded. A new one needs its code
// point in load_fonts()'s glyph ranges (window.cpp) too.
namespace icon {
inline constexpr const char* kServer = "\xef\x88\xb3";    // f233
inline constexpr const char* kPhone = "\xef\x84\x8b";     // f10b mobile
inline constexpr const char* kTablet = "\xef\x84\x8a";    // f10a
inline constexpr const char* kLaptop = "\xef\x84\x89";    // f109
inline constexpr const char* kDesktop = "\xef\x84\x88";   // f108
inline constexpr const char* kLock = "\xef\x80\xa3";      // f023
inline constexpr const char* kUnlock = "\xef\x82\x9c";    // f09c
inline constexpr const char* kEnvelope = "\xef\x83\xa0";  // f0e0
inline constexpr const char* kPlay = "\xef\x81\x8b";      // f04b
inline constexpr const char* kPause = "\xef\x81\x8c";     // f04c
inline constexpr const char* kStepF = "\xef\x81\x91";     // f051
inline constexpr const char* kStepB = "\xef\x81\x88";     // f048
inline constexpr const char* kFirst = "\xef\x81\x89";     // f049 fast-backward
inline constexpr const char* kLast = "\xef\x81\x90";      // f050 fast-forward
inline constexpr const char* kTrash = "\xef\x87\xb8";     // f1f8
inline constexpr const char* kBolt = "\xef\x83\xa7";      // f0e7
inline constexpr const char* kPlug = "\xef\x87\xa6";      // f1e6
inline constexpr const char* kCheck = "\xef\x80\x8c";     // f00c
inline constexpr const char* kCross = "\xef\x80\x8d";     // f00d times
inline constexpr const char* kSquare = "\xef\x82\x96";    // f096 square-o
}  // namespace icon

const char* device_icon(world::DeviceKind k);
// How an event reads on screen, chosen by its kind (never by its words): mail lost or refused,
// something done to keep it safe, the story's own lines, or plain news.
enum class Tone { News, Loss, Safe, Story };
Tone tone_of(const world::Event& e);
ImU32 tone_colour(Tone t);

// Keeps the newest row of a scrolling list in view for a few frames after the cursor moves (a
// clipped list learns its height late) and while playing; a reader scrolling back while paused
// is left alone. One per list; call at the end of the list's content.
struct FollowCursor {
  std::size_t followed = static_cast<std::size_t>(-1);
  int frames = 0;
  void update(std::size_t cursor, bool playing);
};
// A filled rounded rectangle, as AddRectFilled draws it, made of three rectangles and four small
// corners instead of one fan of long thin triangles over the whole box: a software renderer
// (llvmpipe: school PCs without a GPU driver, CI) pays per triangle for the area it spans.
void fill_rounded(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float rounding);

// A panel of the main window (ImGui::Begin, End as usual). While the panels tile the window,
// as the layout places them, their background is the frame's clear colour, not a filled quad:
// llvmpipe, the software renderer of machines without a GPU, blends every pixel of a quad
// (1.5-2 ms a panel at 1280x800), a clear costs nothing. Panels the user dragged over one
// another get their own background again, from the next frame.
bool begin_panel(const std::string& name, ImGuiWindowFlags flags = 0);
// Once per frame, before the panels: looks at where they were last frame.
void start_panels();

// A text field has the keyboard now (io.WantTextInput says so only from the next frame).
bool typing_in_text_field();
int open_popups();  // dialogs, menus and popups open now
// `s` cut with "..." to `width` pixels, in `font` at `size` (default: the current font).
std::string ellipsize(const std::string& s, float width, ImFont* font = nullptr, float size = 0);
// A message's subject in a list: bold while unread, struck through when deleted, cut to the column.
void subject_cell(const std::string& subject, bool unread, bool deleted, bool flagged = false);
// Before a button of a toolbar: stays on the line when `label` fits, else wraps (presenter mode
// on a small screen).
void next_in_toolbar(const char* label);

// Where mail apps list a folder: INBOX, Drafts, Sent, Archive, Junk, Trash, then the others.
int folder_rank(std::string_view name);
// A map of folders (name -> folder) in the order mail apps list them; others by name.
template <typename Map>
std::vector<const typename Map::value_type*> in_mail_app_order(const Map& folders) {
  std::vector<const typename Map::value_type*> out;
  for (const auto& entry : folders) out.push_back(&entry);
  std::stable_sort(out.begin(), out.end(),
                   [](auto* a, auto* b) { return folder_rank(a->first) < folder_rank(b->first); });
  return out;
}

// 512 B, 14 KB, 20 MB: sizes as people read them.
std::string human_size(std::uint64_t octets);

}  // namespace postino::gui
