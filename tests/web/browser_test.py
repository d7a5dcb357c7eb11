#!/usr/bin/env python3
"""browser_test.py WEB_DIR POSTINO [RESULTS]: the browser build (scripts/build web) in headless
Chromium, served on a free loopback port, against the desktop window's pictures of the same steps.

Checks: the page draws the welcome scenario (not blank, close to the desktop picture of the same
step, allowing for stb_truetype's text against FreeType's), a URL parameter steps (#step=N is
nearer the desktop's step N than its step 0), #lang=it is the Italian interface, #lesson=01
opens a bundled lesson, settings survive a second visit, #listen says it is a desktop feature,
the gzip-compressed download stays under 5 MB, the first frame comes within 3 s, and a page left
alone stops drawing (a mouse move wakes it). Prints the
figures; with RESULTS, writes them there too (bench/web.txt).
Exits 77 (skipped) when the web folder was not built or Chromium is missing."""
import functools
import glob
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import idle  # noqa: E402

SKIP = 77
SIZE_BUDGET = 5 * 1024 * 1024
FIRST_FRAME_BUDGET_MS = 3000
STEP = 6  # a step of the welcome scenario with envelopes on the network view
W, H = 1280, 800


def skip(why):
    print(f"SKIPPED web.browser: {why}")
    sys.exit(SKIP)


class Site(http.server.SimpleHTTPRequestHandler):
    """The web folder; index.html?report=1 also gets a probe that reports the first frame's time."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript"}
    reports = []

    def do_GET(self):
        if self.path.startswith("/report?"):
            Site.reports.append(self.path.split("?", 1)[1])
            self.send_response(204)
            self.end_headers()
            return
        if self.path.startswith("/probe.html"):
            page = open(os.path.join(self.directory, "index.html"), encoding="utf-8").read()
            # Once the first frame is drawn: its time, and the settings file as the browser's
            # storage gave it back (empty when there is none).
            probe = ("<script>setInterval(function () { var ms = document.documentElement.dataset.firstFrameMs;"
                     " if (!ms || window.sent) return; window.sent = 1; var kept = '';"
                     " try { kept = Module.FS.readFile('/home/web_user/.config/postino/window.txt', {encoding: 'utf8'}); }"
                     " catch (e) {} fetch('/report?' + ms + '&' + encodeURIComponent(kept.trim())); }, 20);</script>")
            body = page.replace("</body>", probe + "</body>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def gray(png, crop=None, size=(128, 80)):
    """The picture (or a crop W,H,X,Y of it) shrunk to size, as 8-bit grey values."""
    args = ["convert", png]
    if crop:
        args += ["-crop", "%dx%d+%d+%d" % crop, "+repage"]
    args += ["-resize", "%dx%d!" % size, "-colorspace", "Gray", "-depth", "8", "gray:-"]
    return subprocess.run(args, check=True, capture_output=True).stdout


def diff(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


def spread(a):
    mean = sum(a) / len(a)
    return (sum((x - mean) ** 2 for x in a) / len(a)) ** 0.5


def main():
    web_dir, postino = sys.argv[1], sys.argv[2]
    results = sys.argv[3] if len(sys.argv) > 3 else None
    files = [os.path.join(web_dir, f) for f in ("index.html", "postino.js", "postino.wasm")]
    if not all(os.path.exists(f) for f in files):
        skip(f"{web_dir} has no browser build (run scripts/build web; it needs Emscripten, which scripts/setup installs)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        skip("no chromium (scripts/setup installs it)")
    if not shutil.which("convert") or not shutil.which("xvfb-run"):
        skip("ImageMagick or xvfb-run missing (scripts/setup installs them)")

    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    # The download: what a browser fetches, gzip-compressed as a web server would send it.
    raw = sum(os.path.getsize(f) for f in files)
    packed = sum(len(gzip.compress(open(f, "rb").read(), 9)) for f in files)
    check(packed < SIZE_BUDGET, f"download {packed / 1e6:.2f} MB gzip-compressed ({raw / 1e6:.2f} MB raw), budget 5 MB")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Site, directory=web_dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tempfile.mkdtemp(prefix="postino-web-")
    flags = ["--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio"]

    def browser(name, page, extra):
        # A profile of its own each time: nothing remembered in the browser's storage carries over.
        profile = os.path.join(tmp, "profile-" + name)
        return [chromium, *flags, f"--user-data-dir={profile}", f"--window-size={W},{H}", *extra, base + "/" + page]

    def web_shot(name, fragment):
        out = os.path.join(tmp, f"web-{name}.png")
        subprocess.run(browser(name, "index.html#" + fragment, ["--virtual-time-budget=4000", f"--screenshot={out}"]),
                       capture_output=True, timeout=120)
        if not os.path.exists(out):
            failures.append(f"no screenshot for #{fragment}")
            print(f"FAIL no screenshot for #{fragment}")
            return None
        return out

    def desktop_shot(name, *args):
        out = os.path.join(tmp, f"desktop-{name}.png")
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                   ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
        subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", postino, *args, "--screenshot", out,
                        "--size", f"{W}x{H}"], env=env, capture_output=True, timeout=120)
        return out if os.path.exists(out) else None

    try:
        def probe(fragment, linger, profile="timing"):
            """Opens the page in real time; (first frame ms, settings)."""
            Site.reports.clear()
            proc = subprocess.Popen(browser(profile, "probe.html#" + fragment, []), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.time() + 30
            while not Site.reports and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(linger if Site.reports else 0)
            proc.terminate()
            proc.wait()
            if not Site.reports:
                return None, None
            ms, kept = Site.reports[0].split("&", 1)
            return float(ms), urllib.parse.unquote(kept)

        # First frame, in real time, and the settings kept in the browser's storage: Italian
        # chosen on one visit is there on the next.
        first_ms, _ = probe("lang=it", 3.5)
        _, kept = probe("", 0)
        # The better of two first visits (each with an empty cache): the cores are shared with
        # whatever else this machine runs.
        again, _ = probe("", 0, "timing-again")
        if again is not None:
            first_ms = again if first_ms is None else min(first_ms, again)
        check(kept is not None and kept.split()[-1:] == ["1"],
              f"settings kept in the browser's storage between visits (window.txt: {kept!r})")
        check(first_ms is not None and first_ms < FIRST_FRAME_BUDGET_MS,
              f"first frame {first_ms:.0f} ms after navigation (better of two), budget {FIRST_FRAME_BUDGET_MS} ms" if first_ms is not None
              else "no first frame within 30 s")

        # #lesson=01 is the first bundled 01-*.txt in path order: lessons/lessons/ comes first.
        lesson = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lessons",
                                               "lessons", "01-*.txt")))[0]
        web_n = web_shot("step", f"step={STEP}")
        web_0 = web_shot("start", "step=0")
        web_it = web_shot("italian", f"step={STEP}&lang=it")
        web_lesson = web_shot("lesson", f"lesson=01&step={STEP}")
        desk_n = desktop_shot("step", "--step", str(STEP))
        desk_0 = desktop_shot("start", "--step", "0")
        desk_it = desktop_shot("italian", "--step", str(STEP), "--lang", "it")
        desk_lesson = desktop_shot("lesson", "open", lesson, "--step", str(STEP))
        if not all((web_n, web_0, web_it, web_lesson, desk_n, desk_0, desk_it, desk_lesson)):
            check(False, "every picture was taken")
            return 1
        g = {k: gray(v) for k, v in dict(web_n=web_n, web_0=web_0, web_lesson=web_lesson, web_it=web_it,
                                         desk_n=desk_n, desk_0=desk_0, desk_it=desk_it,
                                         desk_lesson=desk_lesson).items()}
        check(spread(g["web_n"]) > 12, f"the page is not blank (grey spread {spread(g['web_n']):.1f})")
        # The network view: the upper left panel, as the desktop draws it at the same step.
        net = (int(W * 0.58), int(H * 0.55), 0, 0)
        wn, dn, d0 = gray(web_n, net), gray(desk_n, net), gray(desk_0, net)
        check(diff(wn, dn) < 4, f"network view like the desktop's at step {STEP} (mean difference {diff(wn, dn):.1f} of 255)")
        whole_n, whole_0 = diff(g["web_n"], g["desk_n"]), diff(g["web_n"], g["desk_0"])
        check(whole_n < 4, f"whole window like the desktop's at step {STEP} (mean difference {whole_n:.1f})")
        # Stepping by URL: #step=N draws step N, not the start.
        stepped = diff(g["web_n"], g["web_0"])
        check(stepped > 0.5 and whole_n < whole_0 and diff(g["web_0"], g["desk_0"]) < diff(g["web_0"], g["desk_n"]),
              f"#step={STEP} is step {STEP} (web {STEP} against desktop {STEP}: {whole_n:.1f}, against desktop 0: "
              f"{whole_0:.1f}; web 0 against web {STEP}: {stepped:.1f})")
        # Italian: every label (menus, panels, buttons) is as wide as the desktop's --lang it
        # draws it, not as the English one.
        it_it, it_en = diff(g["web_it"], g["desk_it"]), diff(g["web_it"], g["desk_n"])
        check(it_it < 0.8 * it_en, f"#lang=it is Italian (against desktop Italian {it_it:.1f}, English {it_en:.1f})")
        le_le, le_welcome = diff(g["web_lesson"], g["desk_lesson"]), diff(g["web_lesson"], g["desk_n"])
        check(le_le < 0.8 * le_welcome, f"#lesson=01 opens {lesson} (against the desktop's {le_le:.1f}, "
                                        f"the welcome scenario {le_welcome:.1f})")
        # Listening for real clients is the desktop's: the page says so instead of drawing.
        dom = subprocess.run(browser("listen", "index.html#listen", ["--virtual-time-budget=3000", "--dump-dom"]),
                             capture_output=True, text=True, timeout=120).stdout
        check("desktop program only" in dom, "#listen says plainly that it is a desktop feature")
        # Idle: the welcome scenario, paused, no input: the page stops drawing (tests/web/idle.py).
        m = idle.measure(chromium, web_dir, tmp)
        check(m["frames"] <= 1, f"idle for {m['seconds']:.0f} s the page drew {m['frames']} frames (Chromium "
                                f"{m['cpu_percent']:.1f} % of one core)")
        check(m["woken"] >= 2, f"a mouse move wakes it ({m['woken']} frames)")
        if results:
            with open(results, "w") as f:
                f.write(f"# The browser build, {time.strftime('%Y-%m-%d')}, on this machine (2 shared cores, headless "
                        f"Chromium, SwiftShader WebGL). Made by:\n#   scripts/build web && python3 "
                        f"tests/web/browser_test.py build/web build/release/gui/postino bench/web.txt\n"
                        f"# download: index.html + postino.js + postino.wasm, gzip -9 as a server would send them;\n"
                        f"# first frame: performance.now() when the first frame was drawn, from navigation start.\n")
                f.write(f"download_gzip_bytes {packed}\ndownload_raw_bytes {raw}\n")
                f.write(f"first_frame_ms {first_ms:.0f}\n")
                f.write(f"# idle: the welcome scenario paused, no input, {m['seconds']:.0f} s after it settled "
                        f"(tests/web/idle.py):\n# frames drawn (WebGL clear() calls) and the CPU of all Chromium's "
                        f"processes (% of one core).\n")
                f.write(f"idle_frames {m['frames']}\nidle_chromium_cpu_percent {m['cpu_percent']:.1f}\n")
                f.write("# Before the page slept when idle (main at 6a8659c, tests/web/idle.py WEB_DIR 10, load ~15 on the\n"
                        "# 2 cores): 74 and 98 frames drawn in 10 s (every animation frame; SwiftShader managed ~8 a\n"
                        "# second here), Chromium 55 and 68 % of one core; this build in the same runs: 0 frames, 1.8\n"
                        "# and 1.5 %. A lesson's task wakes once a second for its hints (4 frames: the desktop's rule).\n")
    finally:
        server.shutdown()
        if os.environ.get("POSTINO_KEEP_SHOTS"):
            print(f"pictures kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
