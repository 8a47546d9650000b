//! The run page's on-demand module, reached through www/js/run-chunks.js:
//! the `aws ecs` console (`crates/ecs-console`), its own wasm under
//! `dist/chunks/`, fetched the first time it is needed so the run page's wasm
//! does not carry AWS's ECS model or the CLI's parsing and printing.
//! (Lessons are read and checked in the page: a goal reads the recording the
//! page shows, and their reader costs the page 2.2 KB brotli.)
//!
//! Only JSON crosses: each call here forwards to the module and reads back
//! the engine's own types (`Action`, `Completion`).
//! A loaded module is kept for the page's life.

use std::cell::RefCell;

use ecs_engine::aws_cli::Completion;
use ecs_engine::sim::scenario::CallRecord;
use ecs_engine::workspace::run::{Action, Run};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::Promise;

use crate::workspace::browser::error_message;

// A raw module (copied into dist/run/ by run.html), not a snippet: snippets
// of this crate are shipped with the authoring page too.
#[wasm_bindgen(raw_module = "./run-chunks.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadConsole)]
    fn load_console_module() -> Promise;

    #[derive(Clone)]
    type ConsoleModule;
    #[wasm_bindgen(method, catch, js_name = lineAction)]
    fn line_action(
        this: &ConsoleModule,
        line: &str,
        at_ms: f64,
        taken: u32,
    ) -> Result<String, JsValue>;
    #[wasm_bindgen(method, js_name = completeLine)]
    fn complete_line(this: &ConsoleModule, line: &str, cursor: u32) -> String;
    #[wasm_bindgen(method, catch, js_name = printCall)]
    fn print_call(this: &ConsoleModule, record: &str, paginate: bool) -> Result<String, JsValue>;
}

thread_local! {
    static CONSOLE: RefCell<Option<Console>> = const { RefCell::new(None) };
}

/// The loaded module; else "The console could not be loaded (why)".
async fn load(promise: Promise, what: &str) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(|e| {
        format!(
            "The {what} could not be loaded ({})",
            error_message(&e, "no reason given")
        )
    })
}

fn thrown(e: JsValue) -> String {
    error_message(&e, "the module failed")
}

fn read<T: for<'de> Deserialize<'de>>(text: Result<String, JsValue>) -> Result<T, String> {
    serde_json::from_str(&text.map_err(thrown)?).map_err(|e| e.to_string())
}

/// The console module, loaded.
#[derive(Clone)]
pub struct Console(ConsoleModule);

#[derive(Deserialize)]
struct LineAction {
    action: Action,
    paginate: bool,
}

impl Console {
    /// The module if it is already loaded (completion answers at once then).
    pub fn loaded() -> Option<Console> {
        CONSOLE.with(|c| c.borrow().clone())
    }

    /// Loads the module once; the message says why it could not be.
    pub async fn load() -> Result<Console, String> {
        if let Some(console) = Console::loaded() {
            return Ok(console);
        }
        let module = load(load_console_module(), "console").await?;
        let console = Console(module.unchecked_into());
        CONSOLE.with(|c| *c.borrow_mut() = Some(console.clone()));
        Ok(console)
    }

    /// The action `line` stands for at `at_ms` on `run`, and whether the CLI
    /// would fetch further pages (`aws_cli::session::action`); else the
    /// engine's message.
    pub fn action(&self, line: &str, at_ms: u64, run: &Run) -> Result<(Action, bool), String> {
        let taken = u32::try_from(run.actions.len()).unwrap_or(u32::MAX);
        let read: LineAction = read(self.0.line_action(line, at_ms as f64, taken))?;
        Ok((read.action, read.paginate))
    }

    /// Completion at byte offset `cursor` (`aws_cli::complete`).
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        let cursor = u32::try_from(cursor).unwrap_or(u32::MAX);
        serde_json::from_str(&self.0.complete_line(line, cursor)).unwrap_or_default()
    }

    /// What the CLI prints for a recorded call (`aws_cli::session::print_call`).
    pub fn print(&self, record: &CallRecord, paginate: bool) -> Result<String, String> {
        let record = serde_json::to_string(record).map_err(|e| e.to_string())?;
        self.0.print_call(&record, paginate).map_err(thrown)
    }
}
