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
