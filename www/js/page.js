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

/** Shows a large document in `host` (large-editor.js's `show`), loading the editor the first time. */
export function showLargeDocument(host, ...args) {
  if (!host.firstChild) host.textContent = "Opening the editor for large documents…";
  (largeEditor ??= import(new URL("large-editor/large-editor.js", document.baseURI).href)).then(
    (editor) => editor.show(host, ...args),
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

// The saved workspace (src/workspace/browser.rs): in localStorage, or, when
// localStorage refuses it (larger than the origin's quota, e.g. after a
// multi-megabyte paste), in IndexedDB, with a marker left in localStorage
// under the same key saying so. Saves finish in the order they were asked
// (IndexedDB runs write transactions in the order they are made), and a
// copy in IndexedDB never replaces a newer one saved in localStorage.

const savedInDatabaseMarker = "ecs-playground: saved in IndexedDB";
let database;
let saves = 0;
let lastSavedLocally = 0;

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

/** One request on the "saved" store in its own transaction; its result once the transaction commits. */
async function inDatabase(mode, use) {
  const transaction = (await openDatabase()).transaction("saved", mode);
  const request = use(transaction.objectStore("saved"));
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = transaction.onabort = () => reject(transaction.error ?? request.error);
  });
}

/** Whether the workspace under `key` is in IndexedDB (read it with `loadSavedWorkspace`). */
export function isSavedInDatabase(key) {
  return localStorage.getItem(key) === savedInDatabaseMarker;
}

/** The saved workspace under `key`, or null; rejects when its copy in IndexedDB cannot be read. */
export async function loadSavedWorkspace(key) {
  const saved = localStorage.getItem(key);
  if (saved !== savedInDatabaseMarker) return saved;
  const text = await inDatabase("readonly", (store) => store.get(key));
  if (typeof text != "string") throw new Error("the saved workspace is missing from this browser's database");
  return text;
}

/**
 * Saves `text` under `key`: in localStorage, else in IndexedDB. Rejects with
 * localStorage's own error when neither takes it.
 */
export async function saveWorkspace(key, text) {
  const save = ++saves;
  try {
    localStorage.setItem(key, text);
    lastSavedLocally = save;
    return;
  } catch (refused) {
    if (refused?.name != "QuotaExceededError") throw refused;
    try {
      await inDatabase("readwrite", (store) => store.put(text, key));
    } catch (error) {
      if (save < lastSavedLocally) return; // a newer save is kept
      console.warn("the workspace could not be saved in IndexedDB either", error);
      throw refused;
    }
    if (save > lastSavedLocally) localStorage.setItem(key, savedInDatabaseMarker);
  }
}
