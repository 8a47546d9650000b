// Prints the bytes of every file in dist/ raw, gzip -9 and brotli 11, and the
// total; the whole product's first-load budget is 300 KB brotli (the authoring
// page; the run page under run/ is reported apart).
//   node scripts/size-report.mjs [dist] [--budget-kb 300] [--enforce]
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--")) ?? "dist";
const budgetIndex = args.indexOf("--budget-kb");
const budgetKb = budgetIndex >= 0 ? Number(args[budgetIndex + 1]) : 300;

function files(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// The run page (dist/run/) is its own wasm, loaded only when the user opens
// it, and the SDK (dist/sdk/, scripts/build-sdk.sh) only by pages that import
// it: each is reported apart, and the first load is the authoring page.
const isRunPage = (file) => file.startsWith("run/") || file.startsWith("run\\");
const isSdk = (file) => file.startsWith("sdk/") || file.startsWith("sdk\\");
// The workbench (dist/workbench/, scripts/build-workbench.sh) loads the first
// time several files, a folder, a Terraform file or pasted text that is not
// JSON (YAML, Compose, Terraform) are imported, or revisions compared.
const isWorkbench = (file) => file.startsWith("workbench/") || file.startsWith("workbench\\");
// The editor of large documents (dist/large-editor/, scripts/build-large-editor.sh)
// loads when a document reaches its threshold (src/editor/large.rs).
const isLargeEditor = (file) => file.startsWith("large-editor/") || file.startsWith("large-editor\\");
// The run page's on-demand modules (dist/chunks/NAME/, scripts/build-run-chunks.sh):
// the console, loaded when its field is first used. Each is reported with its
// brotli size.
const chunkOf = (file) => /^chunks[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
// The gallery's scenario files are fetched by the run page, not the first load.
// Lessons (www/lessons/) likewise: fetched when a lesson is opened.
const isScenario = (file) =>
  ["scenarios/", "scenarios\\", "lessons/", "lessons\\"].some((prefix) => file.startsWith(prefix));
const measured = files(dir)
  .filter((f) => !f.endsWith("_headers"))
  .map((f) => {
    const data = readFileSync(f);
    return {
      file: relative(dir, f),
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  })
  .sort((a, b) => b.brotli - a.brotli);
const pad = (s, n) => String(s).padStart(n);
const sum = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const lines = [];
function table(rows, label) {
  const t = sum(rows);
  lines.push(`${"file".padEnd(48)} ${pad("raw", 10)} ${pad("gzip", 10)} ${pad("brotli", 10)}`);
  for (const r of rows) lines.push(`${r.file.padEnd(48)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
  lines.push(`${label.padEnd(48)} ${pad(t.raw, 10)} ${pad(t.gzip, 10)} ${pad(t.brotli, 10)}`);
  return t;
}
const total = table(measured.filter((r) => !isRunPage(r.file) && !isSdk(r.file) && !isWorkbench(r.file) && !isLargeEditor(r.file) && !isScenario(r.file) && !chunkOf(r.file)), "TOTAL");
const kb = (total.brotli / 1000).toFixed(1);
lines.push(`first load: ${kb} KB brotli of the ${budgetKb} KB budget`);
const runRows = measured.filter((r) => isRunPage(r.file) || isScenario(r.file));
if (runRows.length > 0) {
  lines.push("");
  const run = table(runRows, "RUN PAGE TOTAL");
  lines.push(`run page (loaded when opened): ${(run.brotli / 1000).toFixed(1)} KB brotli`);
}
const sdk = measured.filter((r) => isSdk(r.file));
if (sdk.length > 0) {
  const module = sdk.filter((r) => /\.(js|wasm)$/.test(r.file) && !r.file.startsWith("sdk/example"));
  const kbOf = (rs) => (rs.reduce((t, r) => t + r.brotli, 0) / 1000).toFixed(1);
  lines.push(`on demand, not in the first load: sdk/ ${kbOf(sdk)} KB brotli (the SDK module and its wasm: ${kbOf(module)} KB)`);
}
const workbench = measured.filter((r) => isWorkbench(r.file) && /\.(js|wasm|css)$/.test(r.file));
if (workbench.length > 0) {
  const kbOf = (rs) => (rs.reduce((t, r) => t + r.brotli, 0) / 1000).toFixed(1);
  lines.push(`on demand, not in the first load: workbench/ ${kbOf(workbench)} KB brotli (the workbench, loaded when several files, a folder, Terraform or YAML are imported, revisions compared, a file exported or a large document analysed: its wasm ${kbOf(workbench.filter((r) => r.file.endsWith(".wasm")))} KB)`);
}
const largeEditor = measured.filter((r) => isLargeEditor(r.file));
if (largeEditor.length > 0) {
  lines.push(`on demand, not in the first load: large-editor/ ${(largeEditor.reduce((t, r) => t + r.brotli, 0) / 1000).toFixed(1)} KB brotli (the editor of large documents and its analysis worker, which runs the workbench's wasm)`);
}
const chunks = measured.filter((r) => chunkOf(r.file) && /\.(js|wasm)$/.test(r.file));
for (const name of [...new Set(chunks.map((r) => chunkOf(r.file)))].sort()) {
  const rows = chunks.filter((r) => chunkOf(r.file) === name);
  const kbOf = (rs) => (rs.reduce((t, r) => t + r.brotli, 0) / 1000).toFixed(1);
  lines.push(`on demand, not in the first load: run page's ${name} chunks/${name}/ ${kbOf(rows)} KB brotli (its wasm ${kbOf(rows.filter((r) => r.file.endsWith(".wasm")))} KB)`);
}
console.log(lines.join("\n"));
mkdirSync("artifacts", { recursive: true });
writeFileSync(join("artifacts", "sizes.txt"), lines.join("\n") + "\n");
// Over budget is reported loudly; `--enforce` (what CI runs) makes it fatal.
if (total.brotli > budgetKb * 1000) {
  console.log(`OVER BUDGET: ${kb} KB > ${budgetKb} KB brotli`);
  if (args.includes("--enforce")) process.exit(1);
}
