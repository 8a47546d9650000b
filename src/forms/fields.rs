//! The document a form edits, and the labelled controls every form is built
//! from. Each control is bound to a JSON path.

use std::rc::Rc;

use ecs_engine::json::{edit, parse, JsonPath, Node, NodeKind};
use ecs_engine::Diagnostic;
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// One document as a form sees it: its text, its parsed tree (when it
/// parses), the engine's diagnostics, and where new text goes.
#[derive(Clone)]
pub struct Doc {
    pub text: Rc<str>,
    pub root: Option<Rc<Node>>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub on_change: Callback<String>,
    /// Keeps control ids unique when several forms share the page.
    pub id_prefix: &'static str,
}

impl PartialEq for Doc {
    fn eq(&self, other: &Doc) -> bool {
        self.text == other.text
            && self.diagnostics == other.diagnostics
            && self.on_change == other.on_change
            && self.id_prefix == other.id_prefix
    }
}

impl Doc {
    pub fn new(
        text: &str,
        diagnostics: Vec<Diagnostic>,
        on_change: Callback<String>,
        id_prefix: &'static str,
    ) -> Doc {
        Doc {
            text: Rc::from(text),
            root: parse(text).ok().map(Rc::new),
            diagnostics: Rc::new(diagnostics),
            on_change,
            id_prefix,
        }
    }

    pub fn node(&self, path: &JsonPath) -> Option<&Node> {
        self.root
            .as_deref()
            .and_then(|r| r.at(path))
            .filter(|n| !n.is_null())
    }

    /// A string's value, or a number or boolean as written; empty if absent.
    pub fn text_at(&self, path: &JsonPath) -> String {
        match self.node(path).map(|n| &n.kind) {
            Some(NodeKind::String(s)) => s.clone(),
            Some(NodeKind::Number(raw)) => raw.clone(),
            Some(NodeKind::Bool(b)) => b.to_string(),
            _ => String::new(),
        }
    }

    pub fn bool_at(&self, path: &JsonPath) -> Option<bool> {
        self.node(path).and_then(Node::as_bool)
    }

    pub fn len_at(&self, path: &JsonPath) -> usize {
        self.node(path).map_or(0, |n| n.items().len())
    }

    /// The strings of an array of strings.
    pub fn strings_at(&self, path: &JsonPath) -> Vec<String> {
        self.node(path)
            .map(|n| {
                n.items()
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn emit(&self, result: Result<edit::Edited, edit::EditError>) {
        // A refused edit changes nothing: the text is never half-written.
        if let Ok(edited) = result {
            self.on_change.emit(edited.text);
        }
    }

    pub fn set(&self, path: &JsonPath, value: Value) {
        self.emit(edit::set(&self.text, path, &value));
    }

    pub fn remove(&self, path: &JsonPath) {
        self.emit(edit::remove(&self.text, path));
    }

    pub fn insert(&self, array: &JsonPath, index: usize, value: Value) {
        self.emit(edit::insert(&self.text, array, index, &value));
    }

    pub fn move_item(&self, array: &JsonPath, from: usize, to: usize) {
        self.emit(edit::move_item(&self.text, array, from, to));
    }

    /// Applies several edits in turn; stops at the first refused one.
    pub fn batch(&self, edits: &[(JsonPath, Option<Value>)]) {
        let mut text = self.text.to_string();
        for (path, value) in edits {
            let result = match value {
                Some(v) => edit::set(&text, path, v),
                None => edit::remove(&text, path),
            };
            match result {
                Ok(edited) => text = edited.text,
                Err(edit::EditError::NotFound { .. }) => {}
                Err(_) => return,
            }
        }
        self.on_change.emit(text);
    }

    /// The engine's diagnostics about exactly this path.
    pub fn diagnostics_at(&self, path: &JsonPath) -> Vec<Diagnostic> {
        let key = path.to_string();
        self.diagnostics
            .iter()
            .filter(|d| d.path == key)
            .cloned()
            .collect()
    }

    pub fn id(&self, path: &JsonPath) -> String {
        let mut id = format!("{}-", self.id_prefix);
        for c in path.to_string().chars() {
            id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
        }
        id
    }
}

/// The messages under a control: the engine's diagnostics for its path and
/// the form's own input message. Returns the ids for aria-describedby.
fn messages(doc: &Doc, path: &JsonPath, local: Option<&str>) -> (Html, Option<String>) {
    let base = doc.id(path);
    let mut ids = Vec::new();
    let mut items = Vec::new();
    if let Some(message) = local {
        let id = format!("{base}-input");
        items.push(html! { <p id={id.clone()} class="field-message field-error" role="alert">{ message }</p> });
        ids.push(id);
    }
    for (i, d) in doc.diagnostics_at(path).iter().enumerate() {
        let id = format!("{base}-d{i}");
        let class = classes!("field-message", format!("field-{}", d.severity.as_str()));
        items.push(html! {
            <p id={id.clone()} class={class}>
                <span class="field-severity">{ d.severity.as_str() }</span>{ " " }{ &d.message }
            </p>
        });
        ids.push(id);
    }
    let described_by = (!ids.is_empty()).then(|| ids.join(" "));
    (html! { <>{ for items }</> }, described_by)
}

/// The engine's diagnostics about a whole section (a member no single control
/// edits, such as `networkConfiguration`), shown at the top of the section.
pub fn section_messages(doc: &Doc, paths: &[JsonPath]) -> Html {
    let items = paths
        .iter()
        .flat_map(|path| doc.diagnostics_at(path))
        .map(|d| {
            let class = classes!("field-message", format!("field-{}", d.severity.as_str()));
            html! {
                <p class={class}>
                    <span class="field-severity">{ d.severity.as_str() }</span>{ " " }{ &d.message }
                </p>
            }
        });
    html! { <>{ for items }</> }
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub doc: Doc,
    pub path: JsonPath,
    pub label: AttrValue,
    /// Empty input removes the member instead of writing "".
    #[prop_or(true)]
    pub optional: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub hint: AttrValue,
}

/// A string member.
#[function_component(TextField)]
pub fn text_field(props: &FieldProps) -> Html {
    let id = props.doc.id(&props.path);
    let (messages, described_by) = messages(&props.doc, &props.path, None);
    let oninput = {
        let (doc, path, optional) = (props.doc.clone(), props.path.clone(), props.optional);
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let value = input.value();
                if value.is_empty() && optional {
                    doc.remove(&path);
                } else {
                    doc.set(&path, Value::String(value));
                }
            }
        })
    };
    html! {
        <div class="field">
            <label for={id.clone()}>{ &props.label }</label>
            <input id={id} type="text" value={props.doc.text_at(&props.path)} oninput={oninput}
                placeholder={props.placeholder.clone()} spellcheck="false" autocomplete="off"
                aria-describedby={described_by.clone()} aria-invalid={described_by.is_some().then_some("true")} />
            { messages }
        </div>
    }
}

/// How a number field reads what was typed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NumberKind {
    /// A JSON integer within `min..=max`.
    Integer { min: i64, max: i64 },
    /// Task-level CPU, a string like "256" or "1 vCPU".
    TaskCpu,
    /// Task-level memory, a string like "512" or "2GB".
    TaskMemory,
}

#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub doc: Doc,
    pub path: JsonPath,
    pub label: AttrValue,
    pub kind: NumberKind,
    #[prop_or(true)]
    pub optional: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// A number; what does not read as one gets a message and is not written.
#[function_component(NumberField)]
pub fn number_field(props: &NumberProps) -> Html {
    // What was typed and why it was not written: the field keeps showing the
    // typed text next to the message rather than snapping back.
    let problem = use_state(|| None::<(String, String)>);
    let current = props.doc.text_at(&props.path);
    {
        // When the JSON changes from elsewhere, the field shows it afresh.
        let problem = problem.clone();
        use_effect_with(current.clone(), move |_| problem.set(None));
    }
    let id = props.doc.id(&props.path);
    let (messages, described_by) = messages(
        &props.doc,
        &props.path,
        problem.as_ref().map(|(_, message)| message.as_str()),
    );
    let shown = problem
        .as_ref()
        .map_or_else(|| current.clone(), |(typed, _)| typed.clone());
    let oninput = {
        let (doc, path, optional, kind) = (
            props.doc.clone(),
            props.path.clone(),
            props.optional,
            props.kind,
        );
        let label = props.label.clone();
        let problem = problem.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let typed = input.value();
            let trimmed = typed.trim();
            if trimmed.is_empty() {
                if optional {
                    problem.set(None);
                    doc.remove(&path);
                } else {
                    problem.set(Some((typed.clone(), format!("{label} is required."))));
                }
                return;
            }
            match read_number(trimmed, kind) {
                Ok(value) => {
                    problem.set(None);
                    doc.set(&path, value);
                }
                Err(message) => problem.set(Some((typed.clone(), message))),
            }
        })
    };
    let inputmode = match props.kind {
        NumberKind::Integer { .. } => "numeric",
        _ => "text",
    };
    html! {
        <div class="field field-number">
            <label for={id.clone()}>{ &props.label }</label>
            <input id={id} type="text" inputmode={inputmode} value={shown} oninput={oninput}
                placeholder={props.placeholder.clone()} autocomplete="off"
                aria-describedby={described_by.clone()} aria-invalid={described_by.is_some().then_some("true")} />
            { messages }
        </div>
    }
}

fn read_number(typed: &str, kind: NumberKind) -> Result<Value, String> {
    match kind {
        NumberKind::Integer { min, max } => match typed.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Value::from(n)),
            Ok(_) => Err(format!("Enter a whole number from {min} to {max}.")),
            Err(_) => Err(format!("“{typed}” is not a whole number.")),
        },
        NumberKind::TaskCpu => ecs_engine::units::parse_cpu_units(typed)
            .map(|_| Value::String(typed.to_string()))
            .ok_or_else(|| {
                format!("“{typed}” is not a CPU size: write CPU units (256) or vCPUs (1 vCPU).")
            }),
        NumberKind::TaskMemory => ecs_engine::units::parse_memory_mib(typed)
            .map(|_| Value::String(typed.to_string()))
            .ok_or_else(|| format!("“{typed}” is not a memory size: write MiB (512) or GB (2GB).")),
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub doc: Doc,
    pub path: JsonPath,
    pub label: AttrValue,
    /// What ECS assumes when the member is absent.
    #[prop_or_default]
    pub default_value: bool,
}

/// A boolean member.
#[function_component(CheckField)]
pub fn check_field(props: &CheckProps) -> Html {
    let id = props.doc.id(&props.path);
    let checked = props
        .doc
        .bool_at(&props.path)
        .unwrap_or(props.default_value);
    let (messages, described_by) = messages(&props.doc, &props.path, None);
    let onchange = {
        let (doc, path) = (props.doc.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                doc.set(&path, Value::Bool(input.checked()));
            }
        })
    };
    html! {
        <div class="field field-check">
            <input id={id.clone()} type="checkbox" checked={checked} onchange={onchange}
                aria-describedby={described_by} />
            <label for={id}>{ &props.label }</label>
            { messages }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SyncedSelectProps {
    pub id: String,
    /// The value to show; set as a property after every render, because a
    /// select the user has touched ignores `selected` attributes.
    pub value: String,
    pub onchange: Callback<Event>,
    #[prop_or_default]
    pub described_by: Option<String>,
    pub children: Html,
}

#[function_component(SyncedSelect)]
pub fn synced_select(props: &SyncedSelectProps) -> Html {
    let select = use_node_ref();
    {
        let (select, value) = (select.clone(), props.value.clone());
        use_effect(move || {
            if let Some(element) = select.cast::<HtmlSelectElement>() {
                if element.value() != value {
                    element.set_value(&value);
                }
            }
        });
    }
    html! {
        <select ref={select} id={props.id.clone()} onchange={props.onchange.clone()}
            aria-describedby={props.described_by.clone()}>
            { props.children.clone() }
        </select>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub doc: Doc,
    pub path: JsonPath,
    pub label: AttrValue,
    /// (value written, text shown)
    pub options: Vec<(String, String)>,
    /// Offers "not set", which removes the member.
    #[prop_or(true)]
    pub optional: bool,
    /// What a number-valued select writes: numbers rather than strings.
    #[prop_or_default]
    pub numbers: bool,
}

/// A member with a fixed set of values. A value outside the set is shown as
/// itself, so nothing the JSON says is hidden.
#[function_component(SelectField)]
pub fn select_field(props: &SelectProps) -> Html {
    let id = props.doc.id(&props.path);
    let current = props.doc.text_at(&props.path);
    let (messages, described_by) = messages(&props.doc, &props.path, None);
    let onchange = {
        let (doc, path, numbers) = (props.doc.clone(), props.path.clone(), props.numbers);
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                if value.is_empty() {
                    doc.remove(&path);
                } else if numbers {
                    if let Ok(n) = value.parse::<i64>() {
                        doc.set(&path, Value::from(n));
                    }
                } else {
                    doc.set(&path, Value::String(value));
                }
            }
        })
    };
    let known = props.options.iter().any(|(v, _)| *v == current);
    html! {
        <div class="field">
            <label for={id.clone()}>{ &props.label }</label>
            <SyncedSelect id={id} value={current.clone()} onchange={onchange} described_by={described_by}>
                if props.optional || current.is_empty() {
                    <option value="" selected={current.is_empty()}>{ "Not set" }</option>
                }
                if !known && !current.is_empty() {
                    <option value={current.clone()} selected=true>{ format!("{current} (from the JSON)") }</option>
                }
                { for props.options.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={*value == current}>{ text }</option>
                }) }
            </SyncedSelect>
            { messages }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoicesProps {
    pub doc: Doc,
    /// An array of strings.
    pub path: JsonPath,
    pub legend: AttrValue,
    pub choices: Vec<(String, String)>,
}

/// Checkboxes over an array of strings: checking appends, unchecking
/// removes that item; other strings in the array stay.
#[function_component(ChoicesField)]
pub fn choices_field(props: &ChoicesProps) -> Html {
    let present = props.doc.strings_at(&props.path);
    let (messages, described_by) = messages(&props.doc, &props.path, None);
    let boxes = props.choices.iter().map(|(value, text)| {
        let id = format!("{}-{value}", props.doc.id(&props.path));
        let index = present.iter().position(|p| p == value);
        let onchange = {
            let (doc, path, value) = (props.doc.clone(), props.path.clone(), value.clone());
            let len = present.len();
            Callback::from(move |_: Event| match index {
                Some(i) => doc.remove(&path.index(i)),
                None => doc.insert(&path, len, Value::String(value.clone())),
            })
        };
        html! {
            <span class="choice">
                <input id={id.clone()} type="checkbox" checked={index.is_some()} onchange={onchange} />
                <label for={id}>{ text }</label>
            </span>
        }
    });
    html! {
        <fieldset class="choices" aria-describedby={described_by}>
            <legend>{ &props.legend }</legend>
            { for boxes }
            { messages }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub doc: Doc,
    pub path: JsonPath,
    pub label: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// An array of strings typed as a comma-separated list.
#[function_component(CommaListField)]
pub fn comma_list_field(props: &ListProps) -> Html {
    let id = props.doc.id(&props.path);
    let current = props.doc.strings_at(&props.path).join(", ");
    let (messages, described_by) = messages(&props.doc, &props.path, None);
    let oninput = {
        let (doc, path) = (props.doc.clone(), props.path.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let items: Vec<Value> = input
                    .value()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                if items.is_empty() {
                    doc.remove(&path);
                } else {
                    doc.set(&path, Value::Array(items));
                }
            }
        })
    };
    html! {
        <div class="field field-wide">
            <label for={id.clone()}>{ &props.label }</label>
            <input id={id} type="text" value={current} oninput={oninput} spellcheck="false"
                placeholder={props.placeholder.clone()} autocomplete="off" aria-describedby={described_by} />
            { messages }
        </div>
    }
}

/// A button that runs one edit.
pub fn action_button(label: &str, class: &'static str, action: impl Fn() + 'static) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| action());
    html! { <button type="button" class={classes!("form-button", class)} onclick={onclick}>{ label }</button> }
}

/// A short visible label ("Remove") whose accessible name also says what it
/// acts on ("Remove port mapping 1"), so every button's name is unique.
fn row_button(visible: &str, noun: &str, class: &'static str, action: impl Fn() + 'static) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| action());
    html! {
        <button type="button" class={classes!("form-button", class)} onclick={onclick}>
            { visible }<span class="visually-hidden">{ format!(" {noun}") }</span>
        </button>
    }
}

/// Remove / move-up / move-down buttons for item `index` of an array.
pub fn row_actions(doc: &Doc, array: &JsonPath, index: usize, noun: &str, reorder: bool) -> Html {
    let len = doc.len_at(array);
    let mut buttons = Vec::new();
    if reorder && index > 0 {
        let (d, a) = (doc.clone(), array.clone());
        buttons.push(row_button(
            "Move up",
            noun,
            "form-button-quiet",
            move || d.move_item(&a, index, index - 1),
        ));
    }
    if reorder && index + 1 < len {
        let (d, a) = (doc.clone(), array.clone());
        buttons.push(row_button(
            "Move down",
            noun,
            "form-button-quiet",
            move || d.move_item(&a, index, index + 1),
        ));
    }
    let (d, item) = (doc.clone(), array.index(index));
    buttons.push(row_button(
        "Remove",
        noun,
        "form-button-danger",
        move || d.remove(&item),
    ));
    html! { <div class="row-actions">{ for buttons }</div> }
}

/// Shown instead of a form when the JSON does not parse.
pub fn unparsed_notice() -> Html {
    html! {
        <p class="form-notice" role="status">
            { "The JSON has a syntax error, so the form cannot read it. Fix it in the JSON view; nothing is lost." }
        </p>
    }
}

/// What kind of control `field` renders.
#[derive(Clone, Copy)]
pub enum F {
    /// A string; empty removes the member. The text is a placeholder.
    Text(&'static str),
    /// A string that stays even when empty.
    Required(&'static str),
    Number(NumberKind, &'static str),
    /// A boolean, with what ECS assumes when it is absent.
    Check(bool),
    /// A fixed set of strings.
    Select(&'static [&'static str]),
}

/// One labelled control bound to `path`. The forms describe their fields as
/// data through this one function, which keeps the wasm small.
#[inline(never)]
pub fn field(doc: &Doc, path: JsonPath, label: impl Into<AttrValue>, kind: F) -> Html {
    let (doc, label) = (doc.clone(), label.into());
    match kind {
        F::Text(placeholder) => {
            html! { <TextField {doc} {path} {label} placeholder={placeholder} /> }
        }
        F::Required(placeholder) => {
            html! { <TextField {doc} {path} {label} optional={false} placeholder={placeholder} /> }
        }
        F::Number(kind, placeholder) => {
            html! { <NumberField {doc} {path} {label} {kind} placeholder={placeholder} /> }
        }
        F::Check(default_value) => html! { <CheckField {doc} {path} {label} {default_value} /> },
        F::Select(values) => {
            let options = values
                .iter()
                .map(|v| (v.to_string(), v.to_string()))
                .collect::<Vec<_>>();
            html! { <SelectField {doc} {path} {label} {options} /> }
        }
    }
}
