//! CloudFormation YAML, read by a module the page loads on demand
//! (`crates/ecs-yaml`, built into `dist/yaml/`; www/js/page.js loads
//! it): the YAML parser stays out of the first load, and only someone who
//! imports YAML downloads it.

use wasm_bindgen::prelude::*;

use super::browser::error_message;

#[wasm_bindgen(module = "/www/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerInputFromYaml, catch)]
    async fn register_input_from_yaml(text: &str) -> Result<JsValue, JsValue>;
}

/// register-task-definition JSON from a CloudFormation YAML template, or why
/// it could not be read.
pub async fn register_input(text: &str) -> Result<String, String> {
    match register_input_from_yaml(text).await {
        Ok(json) => json
            .as_string()
            .ok_or_else(|| "the YAML reader returned no text".to_string()),
        Err(e) => Err(error_message(&e, "the YAML reader failed")),
    }
}
