// Runs in <head> of every page (before the WASM). Small on purpose: plain JavaScript, no
// dependency on hydration, so it also works while the WASM is still loading.
(function () {
  var root = document.documentElement;
  function showOffline() {
    if (navigator.onLine) root.removeAttribute("data-offline");
    else root.setAttribute("data-offline", "");
  }
  showOffline();
  addEventListener("online", showOffline);
  addEventListener("offline", showOffline);
  // Offline, a link is followed as a full page load, which the service worker answers from
  // the pages kept on the device; the in-app router would ask the server for data instead.
  addEventListener(
    "click",
    function (event) {
      if (navigator.onLine || event.defaultPrevented || event.button !== 0) return;
      var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || link.origin !== location.origin || link.hasAttribute("download") || link.target) return;
      event.stopPropagation();
    },
    true,
  );
  if (!("serviceWorker" in navigator)) return;
  var container = navigator.serviceWorker;
  // Pages reached by in-app navigation are kept too (the worker decides which).
  function keep() {
    if (container.controller) container.controller.postMessage({ type: "keep", url: location.href });
  }
  var push = history.pushState;
  history.pushState = function () {
    var result = push.apply(this, arguments);
    setTimeout(keep, 0);
    return result;
  };
  addEventListener("popstate", function () {
    setTimeout(keep, 0);
  });
  var reloading = false;
  function offerUpdate(registration) {
    var banner = document.getElementById("update-ready");
    var button = document.getElementById("update-reload");
    if (!banner || !button || !registration.waiting) return;
    banner.hidden = false;
    button.onclick = function () {
      button.disabled = true;
      container.addEventListener("controllerchange", function () {
        if (!reloading) {
          reloading = true;
          location.reload();
        }
      });
      registration.waiting.postMessage({ type: "skip-waiting" });
    };
  }
  // On the very first visit the page arrived before the worker; keep it once it takes over.
  if (!container.controller) container.addEventListener("controllerchange", keep, { once: true });
  addEventListener("load", function () {
    container
      .register("/sw.js", { scope: "/" })
      .then(function (registration) {
        // A version that finished installing before this page loaded.
        if (registration.waiting && container.controller) offerUpdate(registration);
        registration.addEventListener("updatefound", function () {
          var worker = registration.installing;
          if (!worker) return;
          worker.addEventListener("statechange", function () {
            // The first install needs no prompt: nothing older is running.
            if (worker.state === "installed" && container.controller) offerUpdate(registration);
          });
        });
      })
      .catch(function () {});
  });
})();
