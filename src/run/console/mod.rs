//! The `aws ecs` console: a prompt for AWS CLI command lines. Each line is
//! turned by the engine (`aws_cli::session::action`) into the ECS call it
//! stands for, taken as a run-page action at the current virtual time (the
//! same `Run::with_action` and `on_change` as the actions panel), and what
//! the console prints is the engine's rendering of the recorded response or
//! error (`aws_cli::session::output`). Completion is the engine's `complete`;
//! history is kept in the browser (`history.rs`).

mod history;

use std::rc::Rc;

use ecs_engine::aws_cli::session;
use ecs_engine::aws_cli::{complete, Completion};
use ecs_engine::workspace::run::{Action, Run};
use web_sys::HtmlInputElement;
use yew::prelude::*;

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
    line: String,
    output: Output,
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
    let entries = use_state(|| Rc::new(Vec::<Entry>::new()));
    let open = use_state(|| None::<Open>);
    let history = use_mut_ref(History::load);
    // After Escape, Tab leaves the field instead of completing.
    let tab_leaves = use_mut_ref(|| false);

    // Lines waiting for their output get it from each new recording.
    {
        let entries = entries.clone();
        use_effect_with(props.recorded.clone(), move |recorded| {
            let waiting = entries
                .iter()
                .any(|e| matches!(e.output, Output::Waiting { .. }));
            if waiting {
                let next: Vec<Entry> = entries
                    .iter()
                    .map(|e| match &e.output {
                        Output::Waiting { action, paginate } => {
                            match session::output(&recorded.0, action, *paginate) {
                                Some(printed) => Entry {
                                    line: e.line.clone(),
                                    output: Output::Printed(printed),
                                },
                                None => e.clone(),
                            }
                        }
                        _ => e.clone(),
                    })
                    .collect();
                entries.set(Rc::new(next));
            }
        });
    }

    // The log shows the start of the newest entry (its command and the top
    // of its output), as a terminal would after the line.
    {
        let log = log.clone();
        use_effect_with(entries.clone(), move |_| {
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
        let (entries, run, on_change, at, history, open) = (
            entries.clone(),
            props.run.clone(),
            props.on_change.clone(),
            props.at,
            history.clone(),
            open.clone(),
        );
        move |line: String| {
            let line = line.trim().to_string();
            if line.is_empty() {
                return;
            }
            history.borrow_mut().push(&line);
            open.set(None);
            let output = match session::action(&line, at, &run) {
                Ok((action, paginate)) => match run.with_action(action.clone()) {
                    Ok(next) => {
                        on_change.emit(next);
                        Output::Waiting { action, paginate }
                    }
                    Err(message) => Output::Refused(message),
                },
                Err(error) => Output::Refused(error.message),
            };
            let mut next = (**entries).clone();
            next.push(Entry { line, output });
            entries.set(Rc::new(next));
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
        let (input, open, tab_leaves, history) = (
            input.clone(),
            open.clone(),
            tab_leaves.clone(),
            history.clone(),
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
                    let cursor = cursor_byte(&field);
                    let completion = complete(&line, cursor);
                    match completion.candidates.len() {
                        0 => {}
                        1 => {
                            e.prevent_default();
                            if let Some(only) = completion.candidates.first() {
                                apply(&field, &completion, only);
                            }
                        }
                        _ => {
                            e.prevent_default();
                            let typed = line.get(completion.start..completion.end).unwrap_or("");
                            let common = common_prefix(&completion.candidates);
                            if common.len() > typed.len() {
                                replace(&field, &completion, &common, false);
                            }
                            let completion = complete(&field.value(), cursor_byte(&field));
                            open.set(Some(Open {
                                completion,
                                selected: None,
                            }));
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
        let entries = entries.clone();
        Callback::from(move |_: MouseEvent| entries.set(Rc::new(Vec::new())))
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
                        oninput={oninput} onkeydown={onkeydown} onblur={onblur} />
                    { listbox }
                </div>
                <button type="submit" class="button">{ "Run" }</button>
            </form>
        </section>
    }
}

fn entry_view(entry: &Entry) -> Html {
    let (class, text) = match &entry.output {
        Output::Waiting { .. } => ("console-output", "…".to_string()),
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
