#pragma once
#include <string>

namespace postino::gui {

struct WindowOptions {
  std::string scenario;    // empty: the welcome scenario
  std::string screenshot;  // render, save this PNG, exit
  int width = 1280, height = 800;
  bool size_given = false;  // --size: do not use the remembered window size
  bool lang_given = false;  // --lang: do not use the remembered language
  std::string at;          // or on the last line sent at or before this time ("09:05", "2026-11-27T09:05:30")
  long step = -1;          // start with the cursor on this transcript line (-1: the end for
                           // screenshots, the start otherwise)
  bool presenter = false;  // large text for a projector
  bool italian = false;    // the interface in Italian
  bool dark = false;       // dark theme
  bool side_by_side = false;
  bool webmail = false;       // the server panel shows the webmail
  bool wire = false;          // the transcript shows TLS records as a listener would see them
  bool sequence = false;      // the transcript shows the sequence diagram  // the same scenario on POP3 and on IMAP, next to each other
  // A debugging and testing aid: the window rewrites this file whenever what it shows changes
  // (cursor line, playing, selected device, presenter mode), so a script driving the window
  // with keys and clicks can see their effect.
  std::string state_file;
  double bench = 0;        // seconds: play half of it, sit idle the other half, print timings
  // --listen: real mail clients connect on these loopback ports (-1: not that one; 0: any free
  // one). With --screenshot the picture is taken once the first clients have hung up.
  bool listen = false;
  int pop3 = 1110, pop3s = 1995, imap = 1143, imaps = 1993;
};

// Opens the window and runs until it is closed; returns a process exit code.
int run_window(const WindowOptions& options);

}  // namespace postino::gui
