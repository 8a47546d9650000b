// The authoring page's JavaScript helpers, one module so that the first load
// fetches one file, not three (each small file costs its own compression
// overhead). Imported through wasm-bindgen by src/workspace/share_link.rs
// and src/workspace/import_files.rs.

// Raw deflate for share links, by the browser's own CompressionStream and
// DecompressionStream ("deflate-raw"), so that the page's WebAssembly carries
// no deflate code. Imported by src/workspace/share_link.rs through
// wasm-bindgen, which copies this module beside the app's own script.

// The bytes may be a view into the WebAssembly memory, valid only during the
// call: the Blob copies them at once.
const streamOf = (bytes) => new Blob([bytes]).stream();

/** Raw deflate of `bytes`. */
export async function deflateRaw(bytes) {
  const compressed = streamOf(bytes).pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/**
 * Inflates raw deflate `bytes`; rejects on damaged or incomplete data, and as
 * soon as the output passes `limit` bytes (a deflate bomb), before it is all
 * in memory.
 */
export async function inflateRaw(bytes, limit) {
  const reader = streamOf(bytes).pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new RangeError(`the data inflates to more than ${limit} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const inflated = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    inflated.set(chunk, at);
    at += chunk.byteLength;
  }
  return inflated;
}

// Files picked or dropped on the authoring page (src/workspace/panels.rs).
// One file is read here as text; several files, a folder, a Terraform file,
// pasted text that is not JSON (CloudFormation YAML, Compose, Terraform) and
// the comparison of a pasted revision with the open document go to the
// workbench (www/workbench/, built into dist/workbench/), loaded on demand:
// it reads, classifies and checks with the engine, shows the workspace
// summary, and gives back the documents to add.

let workbench;
const loadWorkbench = () =>
  (workbench ??= import(new URL("workbench/workbench.js", document.baseURI).href).catch((error) => {
    workbench = undefined;
    throw new Error(`the workbench could not be loaded (${error?.message ?? error})`);
  }));

/** The texts to import, from a FileList, a drop's DataTransfer or pasted text. */
export async function importFiles(source) {
  if (typeof source == "string") return (await loadWorkbench()).importText(source);
  // A drop's entries must be taken before the drop event returns.
  const entries = source.items ? [...source.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean) : null;
  const files = [...(source.files ?? source)];
  const folder = entries?.some((entry) => entry.isDirectory) || files.some((file) => file.webkitRelativePath);
  if (files.length === 1 && !folder && !files[0].name.endsWith(".tf")) return [await files[0].text()];
  return (await loadWorkbench()).importFiles(entries && folder ? entries : files);
}

/** The workbench's comparison of a pasted revision with the open document; the texts to open. */
export async function compareRevisions(pasted) {
  return (await loadWorkbench()).compareRevisions(pasted);
}

/** Downloads an Export panel file of the saved workspace (the workbench writes it); what it left out. */
export async function exportWorkspace(saved, what) {
  return (await loadWorkbench()).exportWorkspace(saved, what);
}

// The editor of large documents and its analysis worker
// (www/large-editor/, built into dist/large-editor/), loaded the first time
// a document reaches src/editor/large.rs's threshold.

let largeEditor;
// The editor's module once loaded, for what must be done synchronously.
let largeEditorLoaded;

/** Shows a large document in `host` (large-editor.js's `show`), loading the editor the first time. */
export function showLargeDocument(host, ...args) {
  if (!host.firstChild) host.textContent = "Opening the editor for large documents…";
  (largeEditor ??= import(new URL("large-editor/large-editor.js", document.baseURI).href)).then(
    (editor) => (largeEditorLoaded = editor).show(host, ...args),
    (error) => {
      largeEditor = undefined;
      host.textContent = `The editor of large documents could not be loaded (${error?.message ?? error}).`;
      host.setAttribute("role", "alert");
    },
  );
}

/** Closes the editor of large documents, if open. */
export function closeLargeDocument() {
  largeEditor?.then((editor) => editor.close());
}

/**
 * Calls `onHidden` each time the page is hidden or closed (`pagehide`, or
 * `visibilitychange` to hidden), in that event's task, after the editor of
 * large documents, if open, has sent what was typed and not yet sent (its
 * own listeners may come after this one): src/workspace/autosave.rs saves then.
 */
export function whenHidden(onHidden) {
  const hidden = (event) => {
    largeEditorLoaded?.flush();
    onHidden(event);
  };
  addEventListener("pagehide", hidden);
  document.addEventListener("visibilitychange", (event) => document.visibilityState === "hidden" && hidden(event));
}

// The saved workspace and its recovery backup (src/workspace/browser.rs):
// each in localStorage, or, when localStorage refuses it (larger than the
// origin's quota, e.g. after a multi-megabyte paste), in IndexedDB, with a
// marker left in localStorage under the same key saying so.
//
// What a save may rely on, and what it does not assume:
// - An IndexedDB transaction commits whole or not at all. The copy is
//   replaced in place by one `put`, so a tab closed (or a write aborted)
//   before the commit leaves the previous copy as it was: the previous save,
//   never nothing. The marker is written only after the transaction has
//   completed, with strict durability (its data flushed to disk first), so it
//   never names a copy that is not there.
// - No browser promises that work begun while a page is being closed
//   finishes. The page starts the write in the same task as `pagehide` or
//   `visibilitychange` to hidden (`whenHidden` below and
//   src/workspace/autosave.rs, after the editor of large documents hands
//   over its text), and asks the transaction to commit at
//   once (`commit()`) rather than at the end of the task: that is the
//   shortest window a page can give. Edits made since the last save that has
//   committed can still be lost if the browser ends the page first.
// - Saves finish in the order they were asked: IndexedDB runs write
//   transactions on one store in the order they were made, and a copy in
//   IndexedDB never replaces (by its marker) a newer one saved in localStorage.
// - A copy in IndexedDB left behind once the workspace fits localStorage
//   again is deleted, `staleCopyDelayMs` later, and only if no newer save was
//   asked meanwhile (it checks when it makes its transaction, so it can never
//   delete a newer copy, and it is ordered after every earlier write). The
//   delay is for a crash of the whole browser: browsers write localStorage
//   to disk in batches, not at each change (Chromium about seconds later), and
//   deleting the copy before the text that replaces it is on disk could
//   leave, after such a crash, the marker with no copy. The delay makes that
//   unlikely; no browser says how long is enough. Copies left by a page closed
//   within the delay are deleted by the next save that fits localStorage.
// - Two tabs saving one workspace are not coordinated: the save that
//   finishes last wins, as it did with localStorage alone.

const savedInDatabaseMarker = "ecs-playground: saved in IndexedDB";
const staleCopyDelayMs = 5000;
let database;
/**
 * Per key: the number of the last save asked, of the last kept in
 * localStorage, and whether IndexedDB has a copy (true: it may; false: this
 * page deleted it; undefined: unknown).
 */
const keys = new Map();
const keyState = (key) => keys.get(key) ?? keys.set(key, { saves: 0, lastSavedLocally: 0 }).get(key);

const openDatabase = () =>
  (database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open("ecs-playground", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("saved");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch((error) => {
    database = undefined;
    throw error;
  }));

/**
 * One request on the "saved" store in its own transaction, made by `use`
 * (which may make none); its result once the transaction commits. The
 * transaction is asked to commit at once.
 */
async function inDatabase(mode, use) {
  const transaction = (await openDatabase()).transaction("saved", mode, { durability: "strict" });
  const request = use(transaction.objectStore("saved"));
  transaction.commit?.();
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = transaction.onabort = () => reject(transaction.error ?? request?.error);
  });
}

/** The saved workspace under `key`, or null; rejects when its copy in IndexedDB cannot be read. */
export async function loadSavedWorkspace(key) {
  const saved = localStorage.getItem(key);
  if (saved !== savedInDatabaseMarker) return saved;
  keyState(key).copy = true;
  const text = await inDatabase("readonly", (store) => store.get(key));
  if (typeof text != "string") throw new Error("the saved workspace is missing from this browser's database");
  return text;
}

/**
 * Saves `text` under `key`: in localStorage, else in IndexedDB. Rejects with
 * localStorage's own error when neither takes it.
 */
export async function saveWorkspace(key, text) {
  const state = keyState(key);
  const save = ++state.saves;
  try {
    localStorage.setItem(key, text);
    state.lastSavedLocally = save;
    if (state.copy !== false) setTimeout(() => deleteStaleCopy(key, save), staleCopyDelayMs);
    return;
  } catch (refused) {
    if (refused?.name != "QuotaExceededError") throw refused;
    state.copy = true;
    try {
      await inDatabase("readwrite", (store) => store.put(text, key));
    } catch (error) {
      if (save < state.lastSavedLocally) return; // a newer save is kept
      console.warn("the workspace could not be saved in IndexedDB either", error);
      throw refused;
    }
    if (save > state.lastSavedLocally) localStorage.setItem(key, savedInDatabaseMarker);
  }
}

/**
 * Deletes the copy of `key` in IndexedDB that save number `save`, kept in
 * localStorage, made stale; nothing when a newer save of `key` was asked
 * since. When this page has seen no copy, it first asks whether the database
 * exists (`indexedDB.databases`, without creating it): a browser that cannot
 * say keeps such a copy, which no marker names, so it is never read.
 */
async function deleteStaleCopy(key, save) {
  const state = keyState(key);
  const stillNewest = () => save === state.saves && localStorage.getItem(key) !== savedInDatabaseMarker;
  try {
    if (stillNewest() && (state.copy || (await indexedDB.databases()).some((d) => d.name == "ecs-playground"))) {
      // Checked again as the transaction is made: a save asked meanwhile is
      // a newer one, and its copy must stay.
      await inDatabase("readwrite", (store) => stillNewest() && store.delete(key));
    }
    if (stillNewest()) state.copy = false;
  } catch {
    // The copy stays; no marker names it, so it is never read.
  }
}
