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
