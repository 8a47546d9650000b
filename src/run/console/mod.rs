//! The `aws ecs` console: a prompt for AWS CLI command lines. Each line is
//! turned by the engine (`aws_cli::session::action`) into the ECS call it
//! stands for, taken as a run-page action at the current virtual time (the
//! same `Run::with_action` and `on_change` as the actions panel), and what
//! the console prints is the engine's rendering of the recorded response or
//! error (`aws_cli::session::print_call`). Completion is the engine's
//! `complete`; history is kept in the browser (`history.rs`).
//!
//! The engine's console code is its own module (`super::chunks::Console`),
//! loaded when the field is first focused: a line entered before it has
//! loaded waits ("…") and is taken once it has; a failed load is said in the
//! panel and in the line's output, and the next use tries again.

mod history;

use std::rc::Rc;

use ecs_engine::aws_cli::Completion;
use ecs_engine::workspace::run::{recorded_call, Action, Run};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::chunks::Console;
use super::view::Recorded;
use history::History;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub run: Rc<Run>,
    pub recorded: Recorded,
    /// The current virtual time (ms): where a line's call is appended.
    pub at: u64,
    /// The run with the line's action taken (the page records it again).
    pub on_change: Callback<Run>,
}

#[derive(Clone, PartialEq)]
enum Output {
    /// Entered before the console module loaded; taken once it has.
    Loading,
    /// Taken as an action; printed once the run with it is recorded.
    Waiting {
        action: Action,
        paginate: bool,
    },
    Printed(String),
    /// The line makes no call: the engine's message, as the CLI words it.
    Refused(String),
}

#[derive(Clone, PartialEq)]
struct Entry {
    /// Which line this is, for outputs that arrive later.
    seq: u64,
    line: String,
    output: Output,
}

/// The console's log of lines.
#[derive(Default, PartialEq)]
struct Log {
    entries: Vec<Entry>,
}

enum LogChange {
    /// A new line with its number (from the panel's counter, so that two
    /// lines entered before a render are told apart).
    Push(u64, String, Output),
    Set(u64, Output),
    Clear,
}

impl Reducible for Log {
    type Action = LogChange;

    fn reduce(self: Rc<Self>, change: LogChange) -> Rc<Self> {
        let mut log = Log {
            entries: self.entries.clone(),
        };
        match change {
            LogChange::Push(seq, line, output) => log.entries.push(Entry { seq, line, output }),
            LogChange::Set(seq, output) => {
                if let Some(entry) = log.entries.iter_mut().find(|e| e.seq == seq) {
                    entry.output = output;
                }
            }
            LogChange::Clear => log.entries.clear(),
        }
        Rc::new(log)
    }
}

/// Whether the console module is loaded, as the panel says it.
#[derive(Clone, PartialEq)]
enum ModuleState {
    NotLoaded,
    Loading,
    Ready,
    Failed(String),
}

/// `line` as an action on `run` at `at`: the output to show until the run
/// with it is recorded, and that run (for `on_change`, once the output is
/// in the log); or why it makes no call.
fn take_line(console: &Console, line: &str, at: u64, run: &Run) -> (Output, Option<Run>) {
    let taken = console
        .action(line, at, run)
        .and_then(|(action, paginate)| Ok((run.with_action(action.clone())?, action, paginate)));
    match taken {
        Ok((next, action, paginate)) => (Output::Waiting { action, paginate }, Some(next)),
        Err(message) => (Output::Refused(message), None),
    }
}

/// Loads the console module, keeping `state` told; `then` runs with it.
fn with_console(
    state: &UseStateHandle<ModuleState>,
    then: impl FnOnce(Result<Console, String>) + 'static,
) {
    if let Some(console) = Console::loaded() {
        then(Ok(console));
        return;
    }
    state.set(ModuleState::Loading);
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = Console::load().await;
        state.set(match &loaded {
            Ok(_) => ModuleState::Ready,
            Err(message) => ModuleState::Failed(message.clone()),
        });
        then(loaded);
    });
}

/// The completion list while it is open, and the highlighted candidate.
#[derive(Clone, PartialEq)]
struct Open {
    completion: Completion,
    selected: Option<usize>,
}

const INPUT_ID: &str = "console-input";
const LIST_ID: &str = "console-completions";

#[function_component(ConsolePanel)]
pub fn console_panel(props: &ConsoleProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    let log_state = use_reducer(Log::default);
    let next_seq = use_mut_ref(|| 0u64);
    let entries = &log_state.entries;
    let module = use_state(|| {
        if Console::loaded().is_some() {
            ModuleState::Ready
        } else {
            ModuleState::NotLoaded
        }
    });
    let open = use_state(|| None::<Open>);
    let history = use_mut_ref(History::load);
    // After Escape, Tab leaves the field instead of completing.
    let tab_leaves = use_mut_ref(|| false);

    // Lines waiting for their output get it from each new recording.
    {
        let log_state = log_state.clone();
        use_effect_with(props.recorded.clone(), move |recorded| {
            let Some(console) = Console::loaded() else {
                return;
            };
            for entry in &log_state.entries {
                if let Output::Waiting { action, paginate } = &entry.output {
                    if let Some(record) = recorded_call(&recorded.0, action) {
                        let output = match console.print(record, *paginate) {
                            Ok(printed) => Output::Printed(printed),
                            Err(message) => Output::Refused(message),
                        };
                        log_state.dispatch(LogChange::Set(entry.seq, output));
                    }
                }
            }
        });
    }

    // The log shows the start of the newest entry (its command and the top
    // of its output), as a terminal would after the line.
    {
        let log = log.clone();
        use_effect_with(log_state.entries.len(), move |_| {
            if let Some(log) = log.cast::<web_sys::HtmlElement>() {
                let newest = log
                    .last_element_child()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let Some(newest) = newest {
                    // The log is positioned, so it is the entries' offset parent.
                    log.set_scroll_top(newest.offset_top());
                }
            }
        });
    }

    let submit = {
        let (log_state, next_seq, run, on_change, at, history, open, module) = (
            log_state.clone(),
            next_seq.clone(),
            props.run.clone(),
            props.on_change.clone(),
            props.at,
            history.clone(),
            open.clone(),
            module.clone(),
        );
        move |line: String| {
            let line = line.trim().to_string();
            if line.is_empty() {
                return;
            }
            history.borrow_mut().push(&line);
            open.set(None);
            let seq = {
                let mut counter = next_seq.borrow_mut();
                *counter += 1;
                *counter
            };
            if let Some(console) = Console::loaded() {
                let (output, next) = take_line(&console, &line, at, &run);
                log_state.dispatch(LogChange::Push(seq, line, output));
                if let Some(next) = next {
                    on_change.emit(next);
                }
                return;
            }
            log_state.dispatch(LogChange::Push(seq, line.clone(), Output::Loading));
            let (log_state, run, on_change) = (log_state.clone(), run.clone(), on_change.clone());
            with_console(&module, move |loaded| {
                let (output, next) = match loaded {
                    Ok(console) => take_line(&console, &line, at, &run),
                    Err(message) => (
                        Output::Refused(format!("{message}. Try the line again.")),
                        None,
                    ),
                };
                // In the log before the run is recorded again, which prints it.
                log_state.dispatch(LogChange::Set(seq, output));
                if let Some(next) = next {
                    on_change.emit(next);
                }
            });
        }
    };

    let onsubmit = {
        let (input, submit) = (input.clone(), submit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let line = field.value();
                field.set_value("");
                submit(line);
            }
        })
    };
    let oninput = {
        let (open, tab_leaves, history) = (open.clone(), tab_leaves.clone(), history.clone());
        Callback::from(move |_: InputEvent| {
            *tab_leaves.borrow_mut() = false;
            history.borrow_mut().reset();
            if open.is_some() {
                open.set(None);
            }
        })
    };
    let onkeydown = {
        let (input, open, tab_leaves, history, module) = (
            input.clone(),
            open.clone(),
            tab_leaves.clone(),
            history.clone(),
            module.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let key = e.key();
            let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
            match key.as_str() {
                "Tab" if !e.shift_key() && !modified && !*tab_leaves.borrow() => {
                    let line = field.value();
                    if line.trim().is_empty() && open.is_none() {
                        return;
                    }
                    if let Some(state) = &*open {
                        let pick = state.selected.unwrap_or(0);
                        if let Some(candidate) = state.completion.candidates.get(pick) {
                            e.prevent_default();
                            apply(&field, &state.completion, candidate);
                            open.set(None);
                        }
                        return;
                    }
                    match Console::loaded() {
                        Some(console) => {
                            if tab_complete(&console, &field, &open) {
                                e.prevent_default();
                            }
                        }
                        None => {
                            // Completes once the module has loaded.
                            e.prevent_default();
                            let open = open.clone();
                            with_console(&module, move |loaded| {
                                if let Ok(console) = loaded {
                                    tab_complete(&console, &field, &open);
                                }
                            });
                        }
                    }
                }
                "Escape" => {
                    if open.is_some() {
                        e.prevent_default();
                        open.set(None);
                    } else {
                        *tab_leaves.borrow_mut() = true;
                    }
                }
                "ArrowDown" | "ArrowUp" => {
                    let down = key == "ArrowDown";
                    e.prevent_default();
                    if let Some(state) = &*open {
                        let count = state.completion.candidates.len();
                        let selected = match (state.selected, down) {
                            (None, true) => 0,
                            (None, false) => count.saturating_sub(1),
                            (Some(i), true) => (i + 1) % count.max(1),
                            (Some(i), false) => (i + count.max(1) - 1) % count.max(1),
                        };
                        open.set(Some(Open {
                            completion: state.completion.clone(),
                            selected: Some(selected),
                        }));
                    } else {
                        let line = field.value();
                        let recalled = if down {
                            history.borrow_mut().newer()
                        } else {
                            history.borrow_mut().older(&line)
                        };
                        if let Some(text) = recalled {
                            field.set_value(&text);
                            let end = text.encode_utf16().count() as u32;
                            let _ = field.set_selection_range(end, end);
                        }
                    }
                }
                "Enter" => {
                    if let Some(Open {
                        completion,
                        selected: Some(i),
                    }) = &*open
                    {
                        e.prevent_default();
                        if let Some(candidate) = completion.candidates.get(*i) {
                            apply(&field, completion, candidate);
                        }
                        open.set(None);
                    } else if open.is_some() {
                        open.set(None);
                    }
                    // Otherwise the form submits.
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(None))
    };
    let clear = {
        let log_state = log_state.clone();
        Callback::from(move |_: MouseEvent| log_state.dispatch(LogChange::Clear))
    };
    // The console module loads when the field is first focused.
    let onfocus = {
        let module = module.clone();
        Callback::from(move |_: FocusEvent| {
            if matches!(*module, ModuleState::NotLoaded | ModuleState::Failed(_)) {
                with_console(&module, |_| {});
            }
        })
    };
    let module_status = match &*module {
        ModuleState::Loading => {
            html! { <p class="panel-note" role="status">{ "Loading the console…" }</p> }
        }
        ModuleState::Failed(message) => html! {
            <p class="notice notice-error" role="alert">{ format!("{message}. Focus the field to try again.") }</p>
        },
        ModuleState::NotLoaded | ModuleState::Ready => html! {},
    };

    let listbox = match &*open {
        Some(state) => {
            let items = state.completion.candidates.iter().enumerate().map(|(i, c)| {
                let selected = state.selected == Some(i);
                let onmousedown = {
                    let (input, open, completion, candidate) = (
                        input.clone(),
                        open.clone(),
                        state.completion.clone(),
                        c.clone(),
                    );
                    Callback::from(move |e: MouseEvent| {
                        // Keep focus in the field.
                        e.prevent_default();
                        if let Some(field) = input.cast::<HtmlInputElement>() {
                            apply(&field, &completion, &candidate);
                            let _ = field.focus();
                        }
                        open.set(None);
                    })
                };
                html! {
                    <li id={format!("console-option-{i}")} role="option" class={classes!("console-option", selected.then_some("selected"))}
                        aria-selected={selected.to_string()} onmousedown={onmousedown}>{ c }</li>
                }
            });
            html! {
                <ul id={LIST_ID} class="console-completions" role="listbox" aria-label="Completions">{ for items }</ul>
            }
        }
        None => html! {},
    };
    let expanded = open.is_some();
    let active = open
        .as_ref()
        .and_then(|s| s.selected)
        .map(|i| format!("console-option-{i}"));

    html! {
        <section class="panel console" aria-labelledby="console-heading" data-testid="console">
            <div class="console-head">
                <h3 id="console-heading">{ "aws ecs console" }</h3>
                if !entries.is_empty() {
                    <button type="button" class="button small" onclick={clear}>{ "Clear" }</button>
                }
            </div>
            <p class="panel-note" id="console-help">
                { "Each line is the ECS call it stands for, added to the run at the current moment. Tab completes, ↑ and ↓ recall earlier lines; after Escape, Tab leaves the field." }
            </p>
            { module_status }
            <div class="console-log" ref={log} role="log" aria-label="Console output" aria-live="polite" tabindex="0">
                if entries.is_empty() {
                    <p class="empty">{ "Try: aws ecs list-services" }</p>
                }
                { for entries.iter().map(entry_view) }
            </div>
            <form class="console-prompt" onsubmit={onsubmit}>
                <label for={INPUT_ID} class="console-label"><span aria-hidden="true">{ "$" }</span><span class="visually-hidden">{ "AWS CLI command line" }</span></label>
                <div class="console-field">
                    <input id={INPUT_ID} ref={input} type="text" class="console-input" role="combobox"
                        aria-autocomplete="list" aria-expanded={expanded.to_string()} aria-controls={LIST_ID}
                        aria-activedescendant={active} aria-describedby="console-help"
                        autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="aws ecs …"
                        oninput={oninput} onkeydown={onkeydown} onfocus={onfocus} onblur={onblur} />
                    { listbox }
                </div>
                <button type="submit" class="button">{ "Run" }</button>
            </form>
        </section>
    }
}

/// Tab at the cursor: completes a single candidate, or the candidates'
/// common prefix and opens the list; false when there is nothing to complete
/// (Tab then leaves the field).
fn tab_complete(
    console: &Console,
    field: &HtmlInputElement,
    open: &UseStateHandle<Option<Open>>,
) -> bool {
    let line = field.value();
    let completion = console.complete(&line, cursor_byte(field));
    match completion.candidates.len() {
        0 => false,
        1 => {
            if let Some(only) = completion.candidates.first() {
                apply(field, &completion, only);
            }
            true
        }
        _ => {
            let typed = line.get(completion.start..completion.end).unwrap_or("");
            let common = common_prefix(&completion.candidates);
            if common.len() > typed.len() {
                replace(field, &completion, &common, false);
            }
            let completion = console.complete(&field.value(), cursor_byte(field));
            open.set(Some(Open {
                completion,
                selected: None,
            }));
            true
        }
    }
}

fn entry_view(entry: &Entry) -> Html {
    let (class, text) = match &entry.output {
        Output::Loading | Output::Waiting { .. } => ("console-output", "…".to_string()),
        Output::Printed(text) => ("console-output", text.clone()),
        Output::Refused(text) => ("console-output console-error", text.clone()),
    };
    let error = matches!(&entry.output, Output::Printed(t) if t.trim_start().starts_with("An error occurred"));
    html! {
        <div class="console-entry" data-testid="console-entry">
            <pre class="console-line">{ format!("$ {}", entry.line) }</pre>
            if !text.is_empty() {
                <pre class={classes!(class, error.then_some("console-error"))}>{ text }</pre>
            }
        </div>
    }
}

/// The cursor of the field as a byte offset of its value (the DOM counts
/// UTF-16 units).
fn cursor_byte(field: &HtmlInputElement) -> usize {
    let value = field.value();
    let units = field
        .selection_start()
        .ok()
        .flatten()
        .map_or(value.encode_utf16().count(), |u| u as usize);
    let mut seen = 0;
    for (byte, c) in value.char_indices() {
        if seen >= units {
            return byte;
        }
        seen += c.len_utf16();
    }
    value.len()
}

/// Puts `candidate` in place of the completion's range, followed by a space
/// when it ends a whole word (not a shorthand key or value).
fn apply(field: &HtmlInputElement, completion: &Completion, candidate: &str) {
    let value = field.value();
    let whole_word = completion.start == 0
        || value
            .get(..completion.start)
            .is_some_and(|b| b.ends_with([' ', '\t']));
    let space = whole_word && !candidate.ends_with('=');
    replace(field, completion, candidate, space);
}

fn replace(field: &HtmlInputElement, completion: &Completion, text: &str, space: bool) {
    let value = field.value();
    let before = value.get(..completion.start).unwrap_or(&value);
    let after = value.get(completion.end..).unwrap_or("");
    let after_has_space = after.starts_with(' ');
    let inserted = if space && !after_has_space {
        format!("{text} ")
    } else {
        text.to_string()
    };
    let next = format!("{before}{inserted}{after}");
    field.set_value(&next);
    let mut cursor = before.encode_utf16().count() + inserted.encode_utf16().count();
    if space && after_has_space {
        cursor += 1;
    }
    let _ = field.set_selection_range(cursor as u32, cursor as u32);
}

fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut end = first.len();
    for other in candidates.iter().skip(1) {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first.get(..end).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::common_prefix;

    #[test]
    fn the_common_prefix_of_candidates() {
        let cases: [(&[&str], &str); 4] = [
            (&[], ""),
            (&["--cluster"], "--cluster"),
            (&["--cluster", "--capacity-provider-strategy"], "--c"),
            (&["create-service", "create-cluster"], "create-"),
        ];
        for (candidates, want) in cases {
            let owned: Vec<String> = candidates.iter().map(|s| s.to_string()).collect();
            assert_eq!(common_prefix(&owned), want, "{candidates:?}");
        }
    }
}
