// Trunk post-build hook (release builds only): minifies every .js file in
// trunk's staging directory with esbuild — wasm-bindgen's glue, its snippets
// and the extracted loader — because trunk minifies only HTML and CSS. The
// HTML pins some of these files with Subresource Integrity, so each rewritten
// file's integrity attribute is recomputed; a stale hash would make the
// browser refuse the script.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join, posix, relative, sep } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("minify-js: TRUNK_STAGING_DIR is not set (run me as a trunk hook)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  console.log("minify-js: not a release build, JavaScript left as is");
  process.exit(0);
}

// esbuild is one of the build's npm tools in tests/e2e (installed by scripts/setup.sh).
const requireFromTools = createRequire(new URL("../tests/e2e/package.json", import.meta.url));
let esbuild;
try {
  esbuild = requireFromTools("esbuild");
} catch {
  console.error(
    "minify-js: esbuild is missing, so the release build cannot minify its JavaScript.\n" +
      "  Install the build's npm tools: scripts/setup.sh   (or: cd tests/e2e && npm ci)",
  );
  process.exit(1);
}

/** Paths of the files under `root` whose names end with `suffix`, relative to `root`, with `/` separators. */
function filesEnding(root, suffix) {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

function integrityOf(algorithm, bytes) {
  return `${algorithm}-${createHash(algorithm).update(bytes).digest("base64")}`;
}

const scripts = filesEnding(dir, ".js");
let before = 0;
let after = 0;
for (const path of scripts) {
  const source = readFileSync(join(dir, path), "utf8");
  // ESM in, ESM out: the export names (the glue's `default` and `initSync`) and
  // the import paths stay as they are; only local names are shortened.
  const { code } = await esbuild.transform(source, { loader: "js", format: "esm", minify: true });
  writeFileSync(join(dir, path), code);
  before += Buffer.byteLength(source);
  after += Buffer.byteLength(code);
}

// Attribute values may be quoted or not: trunk's HTML minifier drops the quotes.
const attribute = (name) => new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`);
const hrefAttribute = attribute("href");
const srcAttribute = attribute("src");
const integrityAttribute = attribute("integrity");
const valueOf = (match) => match && (match[1] ?? match[2] ?? match[3]);
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? "./";

/** The staging-relative path a tag in `htmlPath` refers to, or null for other origins. */
function targetOf(tag, htmlPath) {
  let url = valueOf(tag.match(hrefAttribute)) ?? valueOf(tag.match(srcAttribute));
  if (!url || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return null;
  url = url.split(/[?#]/)[0];
  if (publicUrl !== "./" && url.startsWith(publicUrl)) return url.slice(publicUrl.length);
  return posix.normalize(posix.join(posix.dirname(htmlPath), url)).replace(/^\//, "");
}

let updated = 0;
const rewritten = new Set(scripts);
for (const htmlPath of filesEnding(dir, ".html")) {
  const html = readFileSync(join(dir, htmlPath), "utf8");
  const result = html.replace(/<(?:link|script)\b[^>]*>/g, (tag) => {
    const integrity = valueOf(tag.match(integrityAttribute));
    const target = targetOf(tag, htmlPath);
    if (!integrity || target === null) return tag;
    const bytes = readFileSync(join(dir, target));
    const algorithm = integrity.split("-")[0];
    const expected = integrityOf(algorithm, bytes);
    if (integrity === expected) return tag;
    if (!rewritten.has(target)) {
      console.error(`minify-js: ${htmlPath} pins ${target} with an integrity hash that does not match the file`);
      process.exit(1);
    }
    updated += 1;
    return tag.replace(integrityAttribute, (whole) => whole.replace(integrity, expected));
  });
  writeFileSync(join(dir, htmlPath), result);
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(
  `minify-js: ${scripts.length} file(s), ${kb(before)} → ${kb(after)} KB; ` +
    `${updated} integrity attribute(s) updated`,
);
