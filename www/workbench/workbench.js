// The workbench (loaded on demand by www/js/page.js, served from
// dist/workbench/ with the engine's wasm, crates/ecs-workbench): several
// files or a folder imported at once. Every file is classified and checked
// by the engine (what `ecs-playground check` runs on each file), the
// documents it gives are handed back to the authoring page, and a dialog
// shows the workspace summary: files, findings by severity, each file with
// its findings in its own text (and a button that opens it in the editor),
// and a comparison of two task definitions or of one with the workspace's
// open document (with what UpdateService does under the workspace service's
// bounds, and a link that runs that deployment on the run page). Pasted text
// that is not JSON (CloudFormation YAML, Compose, Terraform) is read here too.
// The Export panel's files are written and downloaded here as well.
// This file only renders what the engine returns; it judges nothing.

import init, { checkFile, documentsFrom, diffTaskDefinitions, compareWithWorkspace, workspaceStorageKey, runFragment, exportWorkspace as exportFile } from "./ecs-workbench.js";

const ready = init();
const MAX_BYTES = 10 * 1024 * 1024;
// Folders a repository's check never wants (the command line honours .gitignore).
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", ".terraform", "target", "dist"]);
const KIND_LABELS = { taskDefinition: "task definition", service: "service", terraform: "Terraform", unrelated: "no ECS document" };
const SEVERITIES = ["error", "warning", "info"];
const SEVERITY_LABELS = { error: ["error", "errors"], warning: ["warning", "warnings"], info: ["note", "notes"] };

let stylesheet;

/** Reads, classifies and checks every file; shows the summary; resolves, when it closes, the texts of the documents to add. */
export async function importFiles(source) {
  await ready;
  const files = await collect(source);
  const checked = [];
  for (const { path, file } of files) {
    if (file.size > MAX_BYTES) {
      checked.push({ path, kind: "unrelated", diagnostics: [], documents: [], note: "larger than 10 MB: not read" });
      continue;
    }
    checked.push(checkText(path, await file.text()));
  }
  return show(checked);
}

/**
 * The texts of the documents pasted text gives (YAML, Compose, Terraform);
 * Terraform shows its summary first, as a picked .tf file does. Rejects with
 * why the text gives none.
 */
export async function importText(text) {
  await ready;
  let documents;
  try {
    documents = JSON.parse(documentsFrom(text));
  } catch (error) {
    throw new Error(`The pasted text could not be read: ${error?.message ?? error}. Your work is unchanged.`);
  }
  const entry = checkText("pasted text", text);
  return entry.kind === "terraform" ? show([entry]) : documents.map((d) => d.text);
}

/** The comparison of a pasted revision with the workspace's open document, alone in the dialog; resolves [] when it closes. */
export async function compareRevisions(pasted) {
  await ready;
  return show([], pasted);
}

/**
 * Downloads one of the Export panel's files (`what`: register,
 * cloudformation, script or scenario) of the saved workspace; resolves what
 * the export left out (messages), throws why there is no file.
 */
export async function exportWorkspace(saved, what) {
  await ready;
  const { name, mime, text, warnings } = JSON.parse(exportFile(saved, what));
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name, className: "visually-hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
  return warnings;
}

/** One file's kind, findings and the documents it gives (or why none). */
function checkText(path, text) {
  const entry = { path, text, ...JSON.parse(checkFile(text)), documents: [] };
  if (entry.kind !== "unrelated") {
    try {
      entry.documents = JSON.parse(documentsFrom(text));
    } catch (error) {
      entry.note = `not added to the workspace: ${error?.message ?? error}`;
    }
  }
  return entry;
}

/** Files with their paths, from picked files or a drop's entries (folders walked). */
async function collect(source) {
  const out = [];
  for (const item of source) {
    if (item instanceof File) out.push({ path: item.webkitRelativePath || item.name, file: item });
    else await walk(item, out);
  }
  return out
    .filter(({ path }) => !path.split("/").some((part) => SKIPPED_FOLDERS.has(part)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ""), file });
    return;
  }
  if (SKIPPED_FOLDERS.has(entry.name)) return;
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const plural = (n, [one, many]) => `${n} ${n === 1 ? one : many}`;
const count = (diagnostics, severity) => diagnostics.filter((d) => d.severity === severity).length;

/** Shows the dialog; resolves, when it closes, the texts of the files' documents (the one opened in the editor last, so it is the open document). */
function show(checked, pasted) {
  if (!stylesheet) {
    stylesheet = el("link", { rel: "stylesheet", href: new URL("workbench.css", import.meta.url).href });
    document.head.append(stylesheet);
  }
  document.getElementById("workbench")?.remove();
  const related = checked.filter((c) => c.kind !== "unrelated");
  const all = related.flatMap((c) => c.diagnostics);
  const added = related.reduce((n, c) => n + c.documents.length, 0);
  const byKind = Object.entries(KIND_LABELS)
    .filter(([kind]) => kind !== "unrelated")
    .map(([kind, label]) => [related.filter((c) => c.kind === kind).length, label])
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}${n === 1 || label === "Terraform" ? "" : "s"}`);
  const dialog = el("dialog", { id: "workbench", class: "workbench", "aria-labelledby": "workbench-heading" });
  const view = el("section", { class: "workbench-file", "aria-live": "polite" });
  let opened;
  const open = (c) => {
    opened = c;
    dialog.close();
  };
  const rows = checked.map((c, index) => fileRow(c, index, view, open));
  const files = pasted === undefined;
  dialog.append(...[
    el("div", { class: "workbench-head" },
      el("h2", { id: "workbench-heading" }, files ? "Imported files" : "Compare revisions"),
      el("button", { type: "button", class: "button", "data-close": true }, "Close")),
    files ? el("p", { class: "workbench-summary", "data-testid": "workbench-summary" },
      `${plural(checked.length, ["file", "files"])}: checked ${related.length}${byKind.length ? ` (${byKind.join(", ")})` : ""}, skipped ${checked.length - related.length} with no ECS document; `,
      ...SEVERITIES.map((s, i) => el("span", { class: `workbench-count workbench-${s}` }, `${plural(count(all, s), SEVERITY_LABELS[s])}${i < 2 ? ", " : ""}`)),
      `. ${plural(added, ["document", "documents"])} added to the workspace when this closes.`) : null,
    files ? el("table", { class: "workbench-files" },
      el("caption", { class: "visually-hidden" }, "Files and their findings"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "File"), el("th", { scope: "col" }, "Holds"),
        ...SEVERITIES.map((s) => el("th", { scope: "col" }, SEVERITY_LABELS[s][1])))),
      el("tbody", {}, rows)) : null,
    files ? view : null,
    compare(related.filter((c) => c.kind === "taskDefinition"), pasted),
  ].filter(Boolean));
  const closed = new Promise((resolve) => dialog.addEventListener("close", () => {
    dialog.remove();
    const ordered = opened ? [...related.filter((c) => c !== opened), opened] : related;
    resolve(ordered.flatMap((c) => c.documents.map((d) => d.text)));
  }));
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  document.body.append(dialog);
  dialog.showModal();
  const worst = related.find((c) => c.diagnostics.length > 0);
  if (worst) openFile(worst, view, open);
  if (pasted) dialog.querySelector(".workbench-compare .button-primary").click();
  return closed;
}

function fileRow(c, index, view, open) {
  const name = el("button", { type: "button", class: "workbench-open", "aria-describedby": `workbench-holds-${index}` }, c.path);
  name.addEventListener("click", () => openFile(c, view, open));
  return el("tr", { class: c.kind === "unrelated" ? "workbench-skipped" : null },
    el("th", { scope: "row" }, c.kind === "unrelated" ? c.path : name),
    el("td", { id: `workbench-holds-${index}` }, KIND_LABELS[c.kind], c.note ? el("span", { class: "workbench-note" }, ` (${c.note})`) : null),
    ...SEVERITIES.map((s) => el("td", { class: count(c.diagnostics, s) ? `workbench-${s}` : null }, String(count(c.diagnostics, s)))));
}

/** One file's text with its findings at their lines (ranges are the engine's, in this file's text). */
function openFile(c, view, open) {
  const lines = c.text.split("\n");
  const at = new Map();
  for (const d of c.diagnostics) {
    const line = d.range.start.line;
    if (!at.has(line)) at.set(line, []);
    at.get(line).push(d);
  }
  const body = lines.map((text, i) => {
    const found = at.get(i + 1) ?? [];
    const worst = SEVERITIES.find((s) => found.some((d) => d.severity === s));
    return [
      el("div", { class: `workbench-line${worst ? ` workbench-line-${worst}` : ""}` },
        el("span", { class: "workbench-line-number", "aria-hidden": "true" }, String(i + 1)), text),
      ...found.map((d) => el("div", { class: `workbench-finding workbench-${d.severity}`, "data-testid": "workbench-finding" },
        `${d.range.start.line}:${d.range.start.column} ${d.severity} [${d.code}] ${d.message}`)),
    ];
  });
  const edit = c.documents.length ? el("button", { type: "button", class: "button" }, "Open in the editor") : null;
  edit?.addEventListener("click", () => open(c));
  view.replaceChildren(
    el("div", { class: "workbench-file-head" },
      el("h3", {}, c.path, ` — ${KIND_LABELS[c.kind]}, ${SEVERITIES.map((s) => plural(count(c.diagnostics, s), SEVERITY_LABELS[s])).join(", ")}`),
      edit),
    el("div", { class: "workbench-text", role: "region", "aria-label": `${c.path} with its findings`, tabindex: "0" }, body.flat()),
  );
}

/** The bytes raw-deflated by the browser (the share links' compression). */
async function deflateRaw(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Two task definitions compared by the engine (`ecs_engine::diff`), or one
 * with the workspace's open document (`workspace::compare`, under the
 * workspace service's own bounds, with a run of the deployment), and what
 * UpdateService would do.
 */
function compare(taskDefinitions, pasted) {
  const section = el("section", { class: "workbench-compare", "aria-labelledby": "workbench-compare-heading" },
    el("h3", { id: "workbench-compare-heading" }, "Compare two task definitions"));
  const choose = (id, label, selected) => {
    const select = el("select", { id },
      ...taskDefinitions.map((c, i) => el("option", { value: String(i), selected: selected === i }, c.path)),
      el("option", { value: "workspace", selected: selected === "workspace" }, "The open document in the workspace"),
      el("option", { value: "pasted", selected: selected === "pasted" }, "(pasted below)"));
    return [el("label", { for: id }, label), select];
  };
  // Two files by default; else a pasted revision against the open document.
  const files = pasted === undefined && taskDefinitions.length > 0;
  const [beforeLabel, before] = choose("workbench-before", "First (the running revision)", files ? 0 : "pasted");
  const [afterLabel, after] = choose("workbench-after", "Second (the new revision)", files && taskDefinitions.length > 1 ? 1 : "workspace");
  const paste = el("textarea", { id: "workbench-pasted", rows: "4", spellcheck: "false" });
  paste.value = pasted ?? "";
  const number = (id, label, value) => [el("label", { for: id }, label), el("input", { id, type: "number", min: "0", value: String(value) })];
  const [desiredLabel, desired] = number("workbench-desired", "Desired tasks", 4);
  const [minimumLabel, minimum] = number("workbench-minimum", "Minimum healthy %", 100);
  const [maximumLabel, maximum] = number("workbench-maximum", "Maximum %", 200);
  const bounds = el("div", { class: "workbench-compare-fields" }, desiredLabel, desired, minimumLabel, minimum, maximumLabel, maximum);
  const run = el("button", { type: "button", class: "button button-primary" }, "Compare");
  const result = el("div", { class: "workbench-diff", "aria-live": "polite", "data-testid": "workbench-diff" });
  const text = (select) => (select.value === "pasted" ? paste.value : taskDefinitions[Number(select.value)]?.text ?? "");
  // With the workspace's document on one side, the bounds are its service's.
  const sync = () => { bounds.hidden = before.value === "workspace" || after.value === "workspace"; };
  before.addEventListener("change", sync);
  after.addEventListener("change", sync);
  sync();
  run.addEventListener("click", async () => {
    try {
      const withWorkspace = before.value === "workspace" || after.value === "workspace";
      if (before.value === "workspace" && after.value === "workspace") throw new Error("Choose another revision to compare the open document with.");
      let compared;
      if (withWorkspace) {
        const workspaceIsNew = after.value === "workspace";
        compared = JSON.parse(compareWithWorkspace(localStorage.getItem(workspaceStorageKey()), text(workspaceIsNew ? before : after), workspaceIsNew));
      } else {
        compared = { diff: JSON.parse(diffTaskDefinitions(text(before), text(after), Number(desired.value) || 0, Number(minimum.value) || 0, Number(maximum.value) || 0)) };
      }
      const { diff } = compared;
      const shown = (value) => (value === undefined || value === null ? "(absent)" : JSON.stringify(value));
      const rollout = diff.deployment?.rollout;
      const link = compared.run ? el("a", { class: "button button-primary", href: new URL(`run/#run=${runFragment(await deflateRaw(compared.run))}`, document.baseURI).href }, "Run this deployment") : null;
      result.replaceChildren(...[
        withWorkspace ? el("p", {}, `The open document: ${compared.document}. `, compared.service
          ? `Its service: ${compared.service.service} in cluster ${compared.service.cluster}${rollout ? ` (desiredCount ${rollout.desiredCount}, minimumHealthyPercent ${rollout.minimumHealthyPercent}, maximumPercent ${rollout.maximumPercent})` : ""}.`
          : "No service in the workspace runs it.") : null,
        diff.changes.length
          ? el("table", {},
            el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Field"), el("th", { scope: "col" }, "First"), el("th", { scope: "col" }, "Second"))),
            el("tbody", {}, diff.changes.map((change) =>
              el("tr", {}, el("th", { scope: "row" }, change.path), el("td", {}, shown(change.before)), el("td", {}, shown(change.after))))))
          : null,
        el("p", {}, `UpdateService: ${diff.explanation}`),
        diff.deployment ? el("p", { "data-testid": "workbench-deployment" }, `Deployment: ${diff.deployment.summary}`) : null,
        compared.noRun ? el("p", {}, compared.noRun) : null,
        link,
      ].filter(Boolean));
    } catch (error) {
      result.replaceChildren(el("p", { class: "workbench-error", role: "alert" }, String(error?.message ?? error)));
    }
  });
  section.append(
    el("div", { class: "workbench-compare-fields" }, beforeLabel, before, afterLabel, after),
    bounds,
    el("label", { for: "workbench-pasted" }, "A pasted revision (describe-task-definition output or any task definition)"),
    paste, run, result);
  return section;
}
