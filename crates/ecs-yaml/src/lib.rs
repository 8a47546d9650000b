//! The YAML reader the authoring page loads the first time someone imports
//! a CloudFormation YAML template (www/js/page.js): the engine's
//! import with its `yaml` feature, kept out of the page's first load. Glue
//! only; the engine converts (`ecs_engine::export::register_input_from`).

use wasm_bindgen::prelude::*;

/// register-task-definition JSON from `text` (CloudFormation YAML or any
/// other import form); throws the line and reason when it cannot be read.
#[wasm_bindgen(js_name = registerInputFrom)]
pub fn register_input_from(text: &str) -> Result<String, String> {
    ecs_engine::export::register_input_from(text)
}
