// Copies the front-end files the pages use from node_modules/ into src/ronghe/static/vendor/.
// The result is committed, so a deployment needs no node; run `make assets` after changing
// package.json. Everything is served from our own static files: the intranet has no internet.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "src", "ronghe", "static", "vendor");

const files = [
  ["@tabler/core/dist/css/tabler.min.css", "tabler/tabler.min.css"],
  ["@tabler/core/dist/js/tabler.min.js", "tabler/tabler.min.js"],
  ["@tabler/icons-webfont/dist/fonts/tabler-icons.woff2", "tabler-icons/fonts/tabler-icons.woff2"],
  ["@tabler/icons-webfont/LICENSE", "tabler-icons/LICENSE"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["htmx.org/LICENSE", "htmx/LICENSE"],
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
  ["echarts/LICENSE", "echarts/LICENSE"],
];

function version(pkg) {
  return JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
}

// Nothing may reach outside the intranet: no @import of web fonts, no absolute URLs to load.
function assertSelfContained(name, css) {
  const outside = css.match(/@import[^;]*;|url\(\s*["']?(https?:)?\/\/[^)]*\)/g);
  if (outside) {
    throw new Error(`${name} loads outside resources: ${outside.join(", ")}`);
  }
}

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of files) {
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  copyFileSync(join(modules, from), join(vendor, to));
}

// Browsers we serve all read woff2, so the icon font's @font-face names only that file
// (the woff and ttf copies would add 2.5 MB for nothing).
const iconsCss = readFileSync(join(modules, "@tabler/icons-webfont/dist/tabler-icons.min.css"), "utf8")
  .replace(/src:url\([^;}]*/, `src:url("./fonts/tabler-icons.woff2?v${version("@tabler/icons-webfont")}") format("woff2")`);
writeFileSync(join(vendor, "tabler-icons/tabler-icons.min.css"), iconsCss);

assertSelfContained("tabler.min.css", readFileSync(join(vendor, "tabler/tabler.min.css"), "utf8"));
assertSelfContained("tabler-icons.min.css", iconsCss);

const versions = ["@tabler/core", "@tabler/icons-webfont", "htmx.org", "echarts"]
  .map((pkg) => `${pkg} ${version(pkg)}`).join("\n");
writeFileSync(join(vendor, "VERSIONS.txt"), versions + "\n");
console.log(`vendor assets copied to ${vendor}:\n${versions}`);
