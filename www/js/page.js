// The authoring page's JavaScript helpers, one module so that the first load
// fetches one file, not three (each small file costs its own compression
// overhead). Imported through wasm-bindgen by src/workspace/share_link.rs,
// src/workspace/import_files.rs and src/workspace/yaml_reader.rs.

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
// One file is read here as text; several files, a folder or a Terraform file
// go to the workbench (www/workbench/, built into dist/workbench/), loaded on
// demand: it classifies and checks each file with the engine, shows the
// workspace summary, and gives back the documents to add.

let workbench;

/** The texts to import, from a FileList or a drop's DataTransfer. */
export async function importFiles(source) {
  // A drop's entries must be taken before the drop event returns.
  const entries = source.items ? [...source.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean) : null;
  const files = [...(source.files ?? source)];
  const folder = entries?.some((entry) => entry.isDirectory) || files.some((file) => file.webkitRelativePath);
  if (files.length === 1 && !folder && !files[0].name.endsWith(".tf")) return [await files[0].text()];
  workbench ??= import(new URL("workbench/workbench.js", document.baseURI).href).catch((error) => {
    workbench = undefined;
    throw new Error(`the workbench could not be loaded (${error?.message ?? error})`);
  });
  return (await workbench).importFiles(entries && folder ? entries : files);
}

// The YAML reader (crates/ecs-yaml, built into dist/yaml/), loaded the first
// time a CloudFormation YAML template is imported: YAML is rare enough that
// its parser stays out of the page's first load. Imported by
// src/workspace/yaml_reader.rs through wasm-bindgen.

let reader;

/**
 * register-task-definition JSON from a CloudFormation YAML template; rejects
 * with the line that stops it, or if the reader cannot be loaded.
 */
export async function registerInputFromYaml(text) {
  reader ??= import(new URL("yaml/ecs-yaml.js", document.baseURI).href).then(async (module) => {
    await module.default();
    return module;
  });
  let module;
  try {
    module = await reader;
  } catch (error) {
    reader = undefined;
    throw new Error(`the YAML reader could not be loaded (${error?.message ?? error})`);
  }
  return module.registerInputFrom(text);
}
