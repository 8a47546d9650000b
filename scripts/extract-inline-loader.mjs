// Trunk post-build hook: moves trunk's inline module loader out of index.html
// into its own file, so the page needs no 'unsafe-inline' in its
// Content-Security-Policy. Runs in trunk's staging directory.
//
// A page's own small startup scripts, written as
// `<script data-append-to-loader src="www/js/NAME.js"></script>` (paths from
// the project's root), are put before that loader's code (its imports are
// hoisted), each in a block of its own, so they run before the wasm loads:
// no request and no tag with its integrity hash each (about 120 bytes
// brotli of the first load for index.html's "start here").
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("extract-inline-loader: TRUNK_STAGING_DIR is not set (run me as a trunk hook)");
  process.exit(1);
}
const indexPath = join(dir, "index.html");
let html = readFileSync(indexPath, "utf8");
const sourceDir = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const appended = [];
html = html.replace(/<script data-append-to-loader src="?([^" >]+)"?><\/script>/g, (_, src) => {
  appended.push(`{\n${readFileSync(join(sourceDir, src), "utf8")}\n}`);
  return "";
});
// Attribute quotes are optional: trunk's minifier drops them.
const inline = /<script type="?module"?(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;
let moved = 0;
html = html.replace(inline, (_, loader) => {
  const body = [...appended.splice(0), loader].join("\n");
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  const name = `loader-${hash}.js`;
  writeFileSync(join(dir, name), body.trim() + "\n");
  moved += 1;
  return `<script type="module" src="./${name}"></script>`;
});
if (appended.length > 0) {
  console.error("extract-inline-loader: scripts to append to a loader, but the page has no inline loader");
  process.exit(1);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error("extract-inline-loader: an inline script is left in index.html; the CSP would block it");
  process.exit(1);
}
writeFileSync(indexPath, html);
console.log(`extract-inline-loader: moved ${moved} inline loader(s) out of index.html`);
