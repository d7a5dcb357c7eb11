#!/usr/bin/env python3
"""idle.py WEB_DIR [SECONDS]: what an idle page costs. Opens WEB_DIR's index.html (the welcome
scenario, paused) in headless Chromium, lets it settle, then counts for SECONDS (default 5) the
frames the page draws (its WebGL clear() calls: one per frame drawn) and the CPU time all of
Chromium's processes use; then moves the mouse over it, which must draw again. Prints the figures.
browser_test.py uses measure(); run alone, it compares builds (e.g. one made before a change)."""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

# Counts the frames drawn: gui/window.cpp clears the canvas once per frame it draws.
COUNT_FRAMES = """(function () {
  var clear = WebGL2RenderingContext.prototype.clear;
  window.postinoFramesDrawn = 0;
  WebGL2RenderingContext.prototype.clear = function (mask) { ++window.postinoFramesDrawn; return clear.call(this, mask); };
})();"""


def measure(chromium, web_dir, tmp, seconds=5.0, fragment=""):
    """{'frames': drawn while idle, 'cpu_percent': Chromium's CPU while idle (% of one core),
    'woken': frames drawn in the half second after a mouse move, 'first_frame_ms'}."""
    server, base = cdp.serve(web_dir)
    b = cdp.Browser(chromium, tempfile.mkdtemp(prefix="profile-", dir=tmp), "about:blank")
    try:
        b.open(base + "/index.html" + ("#" + fragment if fragment else ""), before=COUNT_FRAMES)
        first = b.wait_for("document.documentElement.dataset.firstFrameMs", 60)
        if not first:
            raise cdp.Error("the page drew no first frame within 60 s")
        # The scrubber's run ahead goes on in frames after the first: the page is idle once no
        # frame came for 1.5 s (20 s at most; a page that never stops is measured anyway).
        settled, last, since = time.time() + 20, b.eval("window.postinoFramesDrawn"), time.time()
        while time.time() < settled and time.time() - since < 1.5:
            time.sleep(0.25)
            now = b.eval("window.postinoFramesDrawn")
            if now != last:
                last, since = now, time.time()
        frames0, cpu0, t0 = b.eval("window.postinoFramesDrawn"), b.cpu_seconds(), time.time()
        time.sleep(seconds)
        frames1, cpu1, t1 = b.eval("window.postinoFramesDrawn"), b.cpu_seconds(), time.time()
        for x in range(300, 700, 40):  # the pointer crosses the network view
            b.mouse("mouseMoved", x, 300)
            time.sleep(0.02)
        time.sleep(0.5)
        woken = b.eval("window.postinoFramesDrawn") - frames1
        return {"frames": frames1 - frames0, "seconds": t1 - t0, "cpu_percent": 100 * (cpu1 - cpu0) / (t1 - t0),
                "woken": woken, "first_frame_ms": float(first)}
    finally:
        b.close()
        server.shutdown()


def main():
    web_dir = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    tmp = tempfile.mkdtemp(prefix="postino-idle-")
    try:
        m = measure(chromium, web_dir, tmp, seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"idle {m['seconds']:.1f} s: {m['frames']} frames drawn, Chromium {m['cpu_percent']:.1f} % of one core; "
          f"a mouse move then drew {m['woken']} frames")


if __name__ == "__main__":
    main()
