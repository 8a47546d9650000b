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
