// The run page's on-demand modules (scripts/build-run-chunks.sh builds them
// into dist/chunks/): the `aws ecs` console (crates/ecs-console), loaded the
// first time the learner uses the console. Imported by
// src/run/chunks.rs through wasm-bindgen as "./run-chunks.js" (run.html
// copies it beside the page's script; not a snippet, so the authoring page's
// build does not ship it). Each promise is kept, so a module loads once; a
// failed load is forgotten, and the next use asks again under a new address,
// because the browser remembers a module that failed to load.

const loaded = {};
const failures = {};
function load(name) {
  return (loaded[name] ??= (async () => {
    const url = new URL(`../chunks/${name}/ecs-${name}.js`, document.baseURI);
    if (failures[name]) url.searchParams.set("retry", failures[name]);
    const module = await import(url.href);
    await module.default();
    return module;
  })().catch((error) => {
    delete loaded[name];
    failures[name] = (failures[name] ?? 0) + 1;
    throw error;
  }));
}

/** The console module, initialised. */
export const loadConsole = () => load("console");
