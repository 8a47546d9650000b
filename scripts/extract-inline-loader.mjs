// Trunk post-build hook: moves trunk's inline module loader out of index.html
// into its own file, so the page needs no 'unsafe-inline' in its
// Content-Security-Policy. Runs in trunk's staging directory.
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
// Attribute quotes are optional: trunk's minifier drops them.
const inline = /<script type="?module"?(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;
let moved = 0;
html = html.replace(inline, (_, body) => {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  const name = `loader-${hash}.js`;
  writeFileSync(join(dir, name), body.trim() + "\n");
  moved += 1;
  return `<script type="module" src="./${name}"></script>`;
});
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error("extract-inline-loader: an inline script is left in index.html; the CSP would block it");
  process.exit(1);
}
writeFileSync(indexPath, html);
console.log(`extract-inline-loader: moved ${moved} inline loader(s) out of index.html`);
