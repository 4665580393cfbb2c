// Compiles the app's WebAssembly off the page's thread (see start_app.js): the page sends the
// file's address and gets the compiled module back, or null when it could not be fetched or
// compiled (the page then tries itself).
"use strict";
self.onmessage = function (event) {
  WebAssembly.compileStreaming(fetch(event.data, { priority: "low" })).then(
    function (module) {
      self.postMessage(module);
    },
    function () {
      self.postMessage(null);
    },
  );
};
