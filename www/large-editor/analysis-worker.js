// The engine's analysis of large documents, off the page's main thread
// (started by large-editor.js): the workbench's build of the engine
// (dist/workbench/, crates/ecs-workbench), whose analyzeWorkspaceDocument
// runs the analysis the page runs itself on smaller documents.
import init, { analyzeWorkspaceDocument } from "../workbench/ecs-workbench.js";

const ready = init();

onmessage = async ({ data: { saved, id } }) => {
  try {
    await ready;
    postMessage({ findings: analyzeWorkspaceDocument(saved, id) });
  } catch (error) {
    postMessage({ error: String(error?.message ?? error) });
  }
};
