// Oxigraph (WebAssembly) as a classic script: the WASM bytes travel inside the script, so
// the page needs no fetch() and works from file://. Use: cgOxigraph.ready.then(ox => ...).
import init, * as ox from "oxigraph/web.js";
import bytes from "oxigraph/web_bg.wasm";

globalThis.cgOxigraph = {
  ready: init({ module_or_path: bytes }).then(function () { return ox; }),
};
