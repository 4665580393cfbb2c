// Starts the app on pages that need it (inlined in <head> without its comments; the server
// adds the call with the file names). The WebAssembly is fetched and compiled by a worker
// thread from the moment <head> is read: compiling 4 MB on the page's own thread blocked it
// for a fifth of a second on a slow phone. Once the page is parsed and idle, the compiled
// module is instantiated, and the page hydrated in a task of its own. Without workers (or
// when the worker fails) the page fetches and compiles the file itself.
// With `unsentPrefix` (a plain page a person lands on after signing in), the app starts only
// when this device holds edits under that prefix that never reached the server: the app
// sends them, and a visit without any costs no WebAssembly.
// With `islands` (the islands build), the build only prepares itself; each <leptos-island>
// of the page is then hydrated by the function the build exports under its name, and the
// body is marked as hydrated (the whole app marks it itself).
(function (jsUrl, wasmUrl, workerUrl, unsentPrefix, islands) {
  function holdsUnsent() {
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(unsentPrefix) === 0) return true;
      }
    } catch (blocked) {
      // Storage switched off: nothing can be waiting in it.
    }
    return false;
  }
  if (unsentPrefix && !holdsUnsent()) return;
  var compiled = new Promise(function (resolve) {
    var worker;
    try {
      worker = new Worker(workerUrl);
    } catch (unavailable) {
      resolve(wasmUrl);
      return;
    }
    function done(result) {
      worker.terminate();
      resolve(result);
    }
    worker.onmessage = function (event) {
      done(event.data instanceof WebAssembly.Module ? event.data : wasmUrl);
    };
    worker.onerror = function () {
      done(wasmUrl);
    };
    worker.onmessageerror = worker.onerror;
    worker.postMessage(wasmUrl);
  });
  // The whole page must be there before it is hydrated: this script runs in <head>.
  function parsed() {
    return new Promise(function (resolve) {
      if (document.readyState !== "loading") resolve();
      else document.addEventListener("DOMContentLoaded", resolve, { once: true });
    });
  }
  function idle() {
    return new Promise(function (resolve) {
      // `timeout`: a page that is never idle still becomes interactive.
      if ("requestIdleCallback" in window) requestIdleCallback(resolve, { timeout: 2000 });
      else setTimeout(resolve);
    });
  }
  function nextTask() {
    return new Promise(function (resolve) {
      setTimeout(resolve);
    });
  }
  function hydrateIslands(app, root) {
    root.querySelectorAll("leptos-island").forEach(function (island) {
      var hydrateIsland = app[island.dataset.component];
      if (hydrateIsland) hydrateIsland(island);
      else console.error("no function in the islands build for", island.dataset.component);
    });
  }
  // An island that changed what the server HTML around it shows (the uploader, after each
  // accepted file: documents::upload::UPLOADED_EVENT) says so with an event. The parts of
  // the page marked data-refresh are then fetched again and swapped in place, their islands
  // hydrated, so the page shows the change without a reload; one fetch at a time.
  var refreshing = false;
  var again = false;
  function refreshParts(app) {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) throw new Error("status " + answer.status);
        return answer.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-refresh]").forEach(function (part) {
          var next = part.id && fresh.getElementById(part.id);
          if (!next) return;
          part.innerHTML = next.innerHTML;
          hydrateIslands(app, part);
        });
      })
      .catch(function (failure) {
        console.error("the page could not show its change:", failure);
      })
      .then(function () {
        refreshing = false;
        if (again) {
          again = false;
          refreshParts(app);
        }
      });
  }
  parsed()
    .then(idle)
    .then(function () {
      return Promise.all([import(jsUrl), compiled]);
    })
    .then(function (loaded) {
      var app = loaded[0];
      return app
        .default({ module_or_path: loaded[1] })
        .then(nextTask)
        .then(function () {
          app.hydrate();
          if (!islands) return;
          hydrateIslands(app, document);
          window.addEventListener("riyada-uploaded", function () {
            refreshParts(app);
          });
          document.body.setAttribute("data-hydrated", "true");
        });
    });
})
