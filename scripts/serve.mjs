// A small static server for the built playground, as a static host serves it:
// the files of dist/, the headers of www/_headers, at the root or under a
// sub-path. Used by scripts/serve.sh and by the end-to-end tests.
//
//   node scripts/serve.mjs [--dir dist] [--port 8080] [--base /sub/path/]

import { createServer } from "node:http";
import { readFileSync, statSync, existsSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Reads the `/*` block of a _headers file into [name, value] pairs. */
export function readHeaders(path = join(root, "www", "_headers")) {
  const headers = [];
  let inBlock = false;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (!line.startsWith(" ")) {
      inBlock = line.trim() === "/*";
      continue;
    }
    const i = line.indexOf(":");
    if (inBlock && i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return headers;
}

/**
 * Starts serving `dir` under `base` ("/" or "/some/path/"). Resolves to
 * { server, url } once listening; port 0 picks a free port.
 */
export function serve({ dir = join(root, "dist"), port = 0, base = "/", host = "127.0.0.1" } = {}) {
  if (!base.startsWith("/") || !base.endsWith("/")) throw new Error(`base must start and end with "/": ${base}`);
  const headers = readHeaders();
  const distRoot = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (base !== "/" && path === base.slice(0, -1)) {
      res.writeHead(301, { Location: base });
      return res.end();
    }
    if (!path.startsWith(base)) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    path = path.slice(base.length);
    let file = normalize(join(distRoot, path));
    if (file !== distRoot && !file.startsWith(distRoot + sep)) {
      res.writeHead(403);
      return res.end();
    }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      const index = join(file, "index.html");
      file = existsSync(index) ? index : join(distRoot, "index.html");
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-cache",
      ...Object.fromEntries(headers),
    });
    res.end(body);
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      done({ server, url: `http://${host}:${actual}${base}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const dir = resolve(option("--dir", join(root, "dist")));
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`serve: ${dir}/index.html does not exist; build first (scripts/serve.sh does)`);
    process.exit(1);
  }
  const { url } = await serve({ dir, port: Number(option("--port", "8080")), base: option("--base", "/") });
  console.log(`ECS Playground is being served at ${url}`);
  console.log("Press Ctrl+C to stop.");
}
