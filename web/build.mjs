// Builds the explorer's JavaScript libraries into src/clustergraph/render/assets/lib/.
// Run with `npm ci && npm run build` (or `make assets`); the outputs are committed, so the
// package and its wheel need no npm. Each library's licence goes beside it.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";

const out = new URL("../src/clustergraph/render/assets/lib/", import.meta.url);
mkdirSync(out, { recursive: true });
const lib = (name) => new URL(name, out);
const mod = (path) => new URL("./node_modules/" + path, import.meta.url);
const version = (pkg) => JSON.parse(readFileSync(mod(pkg + "/package.json"))).version;

copyFileSync(mod("vis-network/standalone/umd/vis-network.min.js"), lib("vis-network.min.js"));
copyFileSync(mod("@zazuko/yasgui/build/yasgui.min.js"), lib("yasgui.min.js"));
copyFileSync(mod("@zazuko/yasgui/build/yasgui.min.css"), lib("yasgui.min.css"));
await build({
  entryPoints: [new URL("./oxigraph-entry.mjs", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  loader: { ".wasm": "binary" },
  legalComments: "none",
  outfile: new URL("oxigraph.min.js", out).pathname,
});

const mit = (holder) =>
  `MIT License\n\nCopyright (c) ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n`;
const licence = (path, fallback) => (existsSync(mod(path)) ? readFileSync(mod(path), "utf8") : fallback);
const parts = [
  ["vis-network " + version("vis-network") + " (Apache-2.0 OR MIT; used under MIT)", licence("vis-network/LICENSE-MIT", mit("vis.js contributors"))],
  ["@zazuko/yasgui " + version("@zazuko/yasgui") + " (MIT)", mit("Triply B.V., Zazuko GmbH and the YASGUI contributors")],
  ["oxigraph " + version("oxigraph") + " (MIT OR Apache-2.0; used under MIT)", mit("Oxigraph developers")],
];
writeFileSync(
  lib("LICENSES.txt"),
  "The JavaScript libraries of the explorer, as published on npm, and their licences.\n\n" +
    parts.map(([name, text]) => "=".repeat(72) + "\n" + name + "\n" + "=".repeat(72) + "\n\n" + text.trim() + "\n").join("\n"),
);
console.log("assets written");
