#!/usr/bin/env python3
"""lesson_test.py WEB_DIR POSTINO: a learner plays lesson 03 to its end, in Italian, in the
browser build (scripts/build web) in headless Chromium, through the DevTools protocol: mouse
clicks on the buttons the lesson asks for (the device's tab and "Scarica posta" for the task, the
right choices and "Verifica la risposta" for the questions, "Avanti" and "Concludi" between the
steps), and the Right key when a step's lines wait to be played.

Two test hooks, both read-only: #test-hooks makes Module.postinoItems() list where each labelled
widget of the last frame was drawn (gui/platform_web.hpp), so the clicks land on the widgets
without a layout written here; #state-file=PATH is the desktop's --state-file, whose `lesson`
line says the step and its phase. What drives the lesson is only the clicks and keys.

Checks: every step reached in order, the lesson ends finished; the lesson panel then shows the
summary (close to the desktop's picture of the lesson's end in Italian, not its middle); the
progress is in the browser's storage (IndexedDB) on the next visit; the Scenario menu has no
Quit (a page cannot quit: it would freeze); the finished page, left alone, draws (almost)
nothing, and a mouse move draws again. Exits 77 (skipped) when the web folder was not built or
Chromium is missing. POSTINO_KEEP_SHOTS=1 keeps the pictures."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402
import idle  # noqa: E402

SKIP = 77
W, H = 1280, 800
LESSON = "03"
STATE = "/tmp/postino-state"
PROGRESS = "/home/web_user/.config/postino/lessons.txt"
# The Italian labels the learner clicks (gui/i18n.cpp): finding them says the page is Italian.
GET_MAIL, CHECK, NEXT, FINISH = "Scarica posta", "Verifica la risposta", "Avanti", "Concludi"


def skip(why):
    print(f"SKIPPED web.lesson: {why}")
    sys.exit(SKIP)


def lesson_file():
    here = os.path.dirname(os.path.abspath(__file__))
    return sorted(glob.glob(os.path.join(here, "..", "..", "lessons", "lessons", LESSON + "-*.txt")))[0]


def read_lesson(path):
    """Per step: {'right': [indexes of the right choices] or None, 'solution': [[device, action...]]}."""
    steps = []
    for line in open(path, encoding="utf-8"):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "step":
            steps.append({"right": None, "choices": 0, "solution": []})
        elif steps and w[0] == "question":
            steps[-1]["right"] = []
        elif steps and w[0] == "choice":
            if w[1] == "right":
                steps[-1]["right"].append(steps[-1]["choices"])
            steps[-1]["choices"] += 1
        elif steps and w[0] == "solution":
            steps[-1]["solution"].append(w[1:])
    return steps


def gray(png, crop):
    args = ["convert", png, "-crop", "%dx%d+%d+%d" % crop, "+repage", "-resize", "64x64!", "-colorspace", "Gray",
            "-depth", "8", "gray:-"]
    return subprocess.run(args, check=True, capture_output=True).stdout


def diff(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


def main():
    web_dir, postino = sys.argv[1], sys.argv[2]
    if not all(os.path.exists(os.path.join(web_dir, f)) for f in ("index.html", "postino.js", "postino.wasm")):
        skip(f"{web_dir} has no browser build (run scripts/build web)")
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
        return ok

    tmp = tempfile.mkdtemp(prefix="postino-web-lesson-")
    profile = os.path.join(tmp, "profile")
    server, base = cdp.serve(web_dir)
    b = cdp.Browser(chromium, profile, "about:blank", W, H)
    steps = read_lesson(lesson_file())
    try:
        b.open(f"{base}/index.html#lesson={LESSON}&lang=it&test-hooks&state-file={STATE}", before=idle.COUNT_FRAMES)
        if not check(b.wait_for("document.documentElement.dataset.firstFrameMs", 60), "the lesson's page draws"):
            return 1

        def state():
            text = b.eval(f"(function () {{ try {{ return Module.FS.readFile('{STATE}', {{encoding: 'utf8'}}); }}"
                          " catch (e) { return ''; } })()") or ""
            return dict(line.split(" ", 1) for line in text.splitlines() if " " in line)

        def lesson():
            """(step from 1, steps, phase) or None."""
            w = state().get("lesson", "-").split()
            return (int(w[0]), int(w[1]), w[2]) if len(w) == 3 else None

        def items(window=None):
            return [i for i in (b.eval("Module.postinoItems()") or []) if window is None or window in i["window"]]

        def click(label, window=None, nth=0):
            """Clicks the nth widget labelled `label` (before any ###) in the last frame drawn."""
            found = [i for i in items(window) if i["label"].split("###")[0] == label]
            if len(found) <= nth:
                return False
            i = found[nth]
            b.click(i["x"] + i["w"] / 2, i["y"] + i["h"] / 2)
            return True

        def shown(label, window):
            """Scrolls the window (the wheel over the lesson panel) until `label` is drawn."""
            for _ in range(8):
                if any(i["label"].split("###")[0] == label for i in items(window)):
                    return True
                b.wheel(W * 0.79, H * 0.3, 120)
                time.sleep(0.4)
            return False

        def changed(before, timeout=20):
            """Waits for the lesson's state to move on from `before`; the new one."""
            deadline = time.time() + timeout
            while time.time() < deadline:
                now = lesson()
                if now != before:
                    return now
                time.sleep(0.1)
            return before

        # The learner's way through: what the panel asks for, one thing at a time.
        seen, done_tasks, actions = [], set(), 0
        now = changed(None, 30)
        deadline = time.time() + 240
        while now and now[2] != "finished" and time.time() < deadline and actions < 60:
            step, count, phase = now
            if step not in seen:
                seen.append(step)
            this = steps[step - 1]
            actions += 1
            if phase == "play" or (phase == "task" and step in done_tasks):
                # The step's lines are still travelling: the learner steps them on with Right.
                if state().get("playing") == "0":
                    b.key("ArrowRight", "ArrowRight", 39)
                now = changed(now, 2)
                continue
            if phase == "task":
                for device, *what in this["solution"]:
                    if what != ["get-mail"]:
                        check(False, f"step {step}: this test knows no click for `solution {device} {' '.join(what)}`")
                        return 1
                    # The device's tab, then its button.
                    check(click(next((i["label"] for i in items("###Devices") if i["label"].endswith(" " + device)), "?"),
                                "###Devices"), f"step {step}: the {device} tab is there")
                    time.sleep(0.5)
                    check(click(GET_MAIL, "###Devices"), f"step {step}: '{GET_MAIL}' clicked on {device}")
                done_tasks.add(step)
                now = changed(now)
                continue
            if phase in ("predict", "question"):
                shown(CHECK, "###Lesson")  # below the choices: the panel may need scrolling
                radios = [i for i in items("###Lesson") if i["label"] == "##c"]
                if not check(len(radios) == this["choices"], f"step {step}: {len(radios)} choices shown, "
                                                             f"{this['choices']} in the lesson"):
                    return 1
                for k in this["right"]:
                    r = radios[k]
                    b.click(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2)
                    time.sleep(0.3)
                check(click(CHECK, "###Lesson"), f"step {step}: '{CHECK}' clicked ({phase})")
                now = changed(now)
                time.sleep(0.3)
                b.screenshot(os.path.join(tmp, f"web-step{step}-answered.png"))  # for a person to look at
                continue
            if phase == "done":
                label = FINISH if step == count else NEXT
                shown(label, "###Lesson")
                check(click(label, "###Lesson"), f"step {step} of {count}: '{label}' clicked")
                now = changed(now)
                continue
            now = changed(now)
        check(now is not None and now[2] == "finished", f"the lesson ends finished (state: {now}, after {actions} actions)")
        check(seen == list(range(1, len(steps) + 1)), f"every step in order: {seen}")
        labels = [i["label"].split("###")[0] for i in items("###Lesson")]
        check(NEXT not in labels and FINISH not in labels and CHECK not in labels,
              "the lesson panel has no step buttons left (the summary is shown)")
        time.sleep(0.5)
        web_end = os.path.join(tmp, "web-end-it.png")
        b.screenshot(web_end)

        # A page cannot quit: the Scenario menu offers no Quit ("Esci").
        check(click("Scenario"), "the Scenario menu opens")
        time.sleep(0.5)
        menu = [i["label"] for i in items("##Menu_")]
        check(len(menu) >= 3 and "Esci" not in menu, f"the Scenario menu has no Quit: {menu}")
        b.key("Escape", "Escape", 27)
        b.click(W * 0.3, H * 0.3)  # the menu closes

        # Idle: a finished lesson, nothing moving, no input: once the scrubber's run ahead of
        # the story as played is done (a few frames' work), no frames drawn.
        settled, last, t = time.time() + 20, b.eval("window.postinoFramesDrawn"), time.time()
        while time.time() < settled:
            time.sleep(0.5)
            now_frames = b.eval("window.postinoFramesDrawn")
            if now_frames != last:
                last, t = now_frames, time.time()
            elif time.time() - t >= 1.5:
                break
        f0 = b.eval("window.postinoFramesDrawn")
        time.sleep(3)
        f1 = b.eval("window.postinoFramesDrawn")
        check(f1 - f0 <= 1, f"left alone for 3 s the page drew {f1 - f0} frames (at most 1)")
        for x in range(300, 600, 30):
            b.mouse("mouseMoved", x, 300)
            time.sleep(0.03)
        time.sleep(0.5)
        check(b.eval("window.postinoFramesDrawn") - f1 >= 2, "a mouse move wakes the page up")

        # The progress was written to IndexedDB (every 2 s): a new visit finds it.
        progress = b.eval(f"Module.FS.readFile('{PROGRESS}', {{encoding: 'utf8'}})") or ""
        check(os.path.basename(lesson_file()) in progress.split(), f"progress recorded: {progress.split()}")
        time.sleep(2.5)
        b.open("about:blank")  # a new document (a new #address alone reloads the page, index.html)
        time.sleep(0.5)
        b.open(f"{base}/index.html#lang=it")
        b.wait_for("document.documentElement.dataset.firstFrameMs", 60)
        kept = b.eval(f"(function () {{ try {{ return Module.FS.readFile('{PROGRESS}', {{encoding: 'utf8'}}); }}"
                      " catch (e) { return ''; } })()") or ""
        check(os.path.basename(lesson_file()) in kept.split(), f"the next visit finds the lesson finished: {kept.split()}")
    finally:
        b.close()
        server.shutdown()

    # The picture: the lesson panel (the upper right) as the desktop draws the lesson's end in
    # Italian, not as it draws its second step.
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")

    def desktop(name, step):
        out = os.path.join(tmp, f"desktop-{name}.png")
        subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", postino, "open", lesson_file(), "--lang", "it",
                        "--step", str(step), "--screenshot", out, "--size", f"{W}x{H}"], env=env, capture_output=True,
                       timeout=120)
        return out if os.path.exists(out) else None

    desk_end, desk_mid = desktop("end-it", 99), desktop("step2-it", 2)
    if check(bool(desk_end and desk_mid and os.path.exists(web_end)), "every picture was taken"):
        panel = (int(W * 0.42), int(H * 0.55), int(W * 0.58), 0)
        we, de, dm = gray(web_end, panel), gray(desk_end, panel), gray(desk_mid, panel)
        check(diff(we, de) < 0.6 * diff(we, dm), f"the lesson panel shows the end's summary (against the desktop's "
                                                 f"end {diff(we, de):.1f}, its step 2 {diff(we, dm):.1f})")
    if os.environ.get("POSTINO_KEEP_SHOTS"):
        print(f"pictures kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
