// Runs inside postino.js before the program starts (emcc --pre-js): the page's address becomes
// options, the settings folder lives in the browser's storage, and the helpers the C++ side
// calls (gui/platform_web.cpp) for the file picker and downloads.

// #lesson=06&lang=it&step=3 (or ?lesson=06...) gives --lesson 06 --lang it --step 3; a name
// alone (#dark) gives --dark.
if (!Module['arguments']) {
  Module['arguments'] = [];
  var query = (location.search.slice(1) + '&' + location.hash.slice(1)).split('&');
  for (var i = 0; i < query.length; ++i) {
    if (!query[i]) continue;
    var eq = query[i].indexOf('=');
    var key = decodeURIComponent(eq < 0 ? query[i] : query[i].slice(0, eq));
    Module['arguments'].push('--' + key);
    if (eq >= 0) Module['arguments'].push(decodeURIComponent(query[i].slice(eq + 1)));
  }
}

// The desktop's ~/.config/postino (window settings, panel layout, progress) is kept in
// IndexedDB: loaded before main() runs, written back every two seconds and when the page is
// left. A browser whose storage does not answer within a second (private windows, some
// headless ones) gets a start without it, not a blank page.
Module['preRun'] = [].concat(Module['preRun'] || [], function () {
  var dir = '/home/web_user/.config/postino';
  FS.mkdirTree(dir);
  FS.mount(IDBFS, {}, dir);
  var saving = true;  // until the stored files are read: a write now would cross that read
  var save = function () {
    if (saving) return;
    saving = true;
    FS.syncfs(false, function (err) {
      saving = false;
      if (err) console.warn('postino: the browser storage cannot be written', err);
    });
  };
  var loaded = false;
  var start = function (err) {
    if (loaded) return;
    loaded = true;
    if (err) console.warn('postino: the browser storage cannot be read', err);
    removeRunDependency('postino-storage');
    setInterval(save, 2000);
    addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', function () { if (document.hidden) save(); });
  };
  addRunDependency('postino-storage');
  FS.syncfs(true, function (err) {
    saving = false;
    start(err);
  });
  setTimeout(function () { start('no answer within a second'); }, 1000);
});

// A scenario file from the user's disk (Scenario > Open file..., or dropped on the page): copied
// into /home/web_user/opened/, then taken by the window's next frame.
Module.postinoChosen = null;
Module.postinoOpen = function (file) {
  file.arrayBuffer().then(function (bytes) {
    var dir = '/home/web_user/opened';
    FS.mkdirTree(dir);
    var path = dir + '/' + file.name.replace(/[\/\\]/g, '_');
    FS.writeFile(path, new Uint8Array(bytes));
    Module.postinoChosen = path;
    postinoWake();
  });
};
Module.postinoPick = function () {
  var input = document.createElement('input');
  input.type = 'file';
  input.accept = '.txt,text/plain';
  input.onchange = function () { if (input.files.length) Module.postinoOpen(input.files[0]); };
  input.click();
};
Module.postinoTakeChosen = function () {
  var path = Module.postinoChosen;
  Module.postinoChosen = null;
  return path;
};

// "Save as..." writes into the page's file system; the browser then downloads that file.
Module.postinoDownload = function (path) {
  var blob = new Blob([FS.readFile(path)], { type: 'text/plain' });
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = path.slice(path.lastIndexOf('/') + 1);
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
};

// The window draws only when something changed (gui/platform_web.cpp: an idle page stops its
// animation frames); whatever the user does to the page wakes it. Listened to before the
// canvas's own handlers (capture), and never stopped: GLFW still gets every event.
function postinoWake() {
  if (runtimeInitialized && Module['_postino_wake']) Module['_postino_wake']();
}
['keydown', 'keyup', 'keypress', 'mousedown', 'mouseup', 'mousemove', 'wheel', 'touchstart', 'touchmove',
 'touchend', 'touchcancel', 'resize', 'focus', 'blur', 'drop'].forEach(function (type) {
  addEventListener(type, postinoWake, { capture: true, passive: true });
});
document.addEventListener('visibilitychange', postinoWake);
document.addEventListener('mouseleave', postinoWake);

// For tests/web (index.html#test-hooks): the labelled widgets of the last frame drawn, with
// their boxes in canvas pixels: [{window, label, x, y, w, h}, ...].
Module.postinoItems = function () {
  return JSON.parse(UTF8ToString(Module['_postino_items']()));
};
