//! The ECS Playground SDK: the engine's single API entry point exported to
//! JavaScript with wasm-bindgen, so that a page drives the simulated ECS as
//! an AWS SDK drives ECS. Glue only: every decision is the engine's
//! (`ecs_engine::sim::Ecs::call_json`, `ecs_engine::sdk`). docs/sdk.md
//! documents the API; `scripts/build-sdk.sh` builds it into `dist/sdk/`.
//!
//! Requests and responses cross the boundary as JSON text: measured against
//! serde-wasm-bindgen in `tests/bench.rs` (see ARCHITECTURE.md, "The SDK's
//! boundary").

use wasm_bindgen::prelude::*;

/// A simulated AWS account with ECS, on its own virtual clock.
#[wasm_bindgen]
pub struct Ecs {
    inner: ecs_engine::sim::Ecs,
}

/// For Rust callers (the benchmark): wraps an account built natively.
impl From<ecs_engine::sim::Ecs> for Ecs {
    fn from(inner: ecs_engine::sim::Ecs) -> Ecs {
        Ecs { inner }
    }
}

#[wasm_bindgen]
impl Ecs {
    /// A fresh account. `config` is optional JSON text such as
    /// `{"seed": 7, "region": "eu-west-1", "account": "111122223333"}`;
    /// members left out take their defaults. Throws an `Error` whose message
    /// starts with `SerializationException` when the configuration is not valid.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Option<String>) -> Result<Ecs, JsError> {
        ecs_engine::sdk::new_ecs(config.as_deref())
            .map(|inner| Ecs { inner })
            .map_err(|e| JsError::new(&format!("{}: {}", e.error_type, e.message)))
    }

    /// Calls an ECS operation (`"CreateCluster"`) or a simulator call
    /// (`"Simulator.AdvanceClock"`) with the request as JSON text. Returns the
    /// AWS-shaped response as JSON text, or `{"__type": "...", "message": "..."}`
    /// when the call fails. Never throws.
    pub fn call(&mut self, operation: &str, request: &str) -> String {
        self.inner.call_json(operation, request)
    }

    /// Answers one AWS JSON 1.1 request as the local ECS endpoint does:
    /// `target` is the `X-Amz-Target` header
    /// (`"AmazonEC2ContainerServiceV20141113.DescribeServices"`, or
    /// `"EcsPlayground.Simulator.AdvanceClock"`) and `body` the request body
    /// (empty means `{}`). Returns `{status, body}`: 200 and the response,
    /// or 400 (500 for `ServerException`) and `{"__type", "message"}`, so a
    /// page or a service worker can answer an AWS SDK's request with
    /// `new Response(r.body, {status: r.status})`. Never throws.
    #[wasm_bindgen(js_name = callTarget)]
    pub fn call_target(&mut self, target: &str, body: &str) -> WireResponse {
        let (status, body) = self.inner.call_target(target, body.as_bytes());
        WireResponse { status, body }
    }

    /// Virtual milliseconds since the start (virtual time 0 is 2026-01-01T00:00:00Z).
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// Runs every event due in the next `ms` virtual milliseconds: the same as
    /// `call("Simulator.AdvanceClock", {"seconds": ms / 1000})`, whose
    /// response (`{"now": seconds}`) or error it returns as JSON text.
    pub fn advance(&mut self, ms: f64) -> String {
        let request = serde_json::json!({ "seconds": ms / 1000.0 });
        self.inner
            .call_json("Simulator.AdvanceClock", &request.to_string())
    }
}

/// What `callTarget` answers: the HTTP status and the JSON body.
#[wasm_bindgen]
pub struct WireResponse {
    status: u16,
    body: String,
}

#[wasm_bindgen]
impl WireResponse {
    /// 200, 400, or 500 for `ServerException`.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response, or `{"__type": "...", "message": "..."}`, as JSON text.
    #[wasm_bindgen(getter)]
    pub fn body(&self) -> String {
        self.body.clone()
    }
}

/// Runs a scenario document (docs/scenario-format.md) given as JSON text;
/// `untilMs` overrides its `until`. Returns the run as JSON text
/// (`{format, name, calls, timeline, timelineDropped, snapshots, final, end}`),
/// or `{"__type": "InvalidScenarioException", "message": "..."}`.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(scenario: &str, until_ms: Option<f64>) -> String {
    // A time that is not a number leaves the document's own; `as` saturates
    // negative times to 0.
    let until_ms = until_ms.filter(|ms| ms.is_finite()).map(|ms| ms as u64);
    ecs_engine::sdk::run_scenario_json(scenario, until_ms)
}

/// Validates a task definition in any accepted form (register input,
/// describe output, a containers array, a CloudFormation JSON resource).
/// Returns `{form, diagnostics, requirements}` as JSON text.
#[wasm_bindgen(js_name = analyzeTaskDefinition)]
pub fn analyze_task_definition(text: &str) -> String {
    ecs_engine::sdk::analyze_task_definition_json(text)
}

/// The same entry point with JavaScript objects instead of JSON text,
/// converted by serde-wasm-bindgen. Built only with the `objects` feature:
/// the benchmark compares it with `call` (ARCHITECTURE.md, "The SDK's boundary").
#[cfg(feature = "objects")]
#[wasm_bindgen]
impl Ecs {
    /// `call` with a request object; returns the response object or the
    /// `{__type, message}` error object.
    #[wasm_bindgen(js_name = callObject)]
    pub fn call_object(&mut self, operation: &str, request: JsValue) -> JsValue {
        use serde::Serialize;
        let result = match serde_wasm_bindgen::from_value::<serde_json::Value>(request) {
            Ok(request) => self.inner.call(operation, &request),
            Err(e) => Err(ecs_engine::sim::AwsError::new(
                "SerializationException",
                format!("the request is not a JSON object: {e}"),
            )),
        };
        let value = result
            .map(|answer| answer.into_value())
            .unwrap_or_else(|e| serde_json::json!({"__type": e.error_type, "message": e.message}));
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL)
    }
}
