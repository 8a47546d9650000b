//! The share, import and export panels under the toolbar.

use std::rc::Rc;

use ecs_engine::share::LONG_LINK_CHARS;
use ecs_engine::workspace::analysis::task_definition_to_place;
use ecs_engine::workspace::{storage, Workspace};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::browser;
use super::import_files::{self, compare, import_files};
use super::notices::{Notice, Tone};
use super::share_link;

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub workspace: Rc<Workspace>,
    pub on_notice: Callback<Notice>,
}

/// Shows the link and copies it as soon as it opens (one action). The browser
/// compresses the link asynchronously: it shows once made.
#[function_component(SharePanel)]
pub fn share_panel(props: &SharePanelProps) -> Html {
    // The link made for which workspace: one made for an earlier state is not shown.
    let made = use_state(|| None::<(Rc<Workspace>, Result<String, String>)>);
    // The workspace shown now, so that a link finishing late is dropped.
    let latest = use_mut_ref(|| props.workspace.clone());
    {
        let (made, latest) = (made.clone(), latest.clone());
        use_effect_with(props.workspace.clone(), move |ws| {
            let ws = ws.clone();
            *latest.borrow_mut() = ws.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let link = share_link::encode(&ws)
                    .await
                    .map(|fragment| format!("{}#{fragment}", browser::base_url()));
                if *latest.borrow() == ws {
                    made.set(Some((ws, link)));
                }
            });
        });
    }
    let made_now = made
        .as_ref()
        .filter(|(ws, _)| *ws == props.workspace)
        .map(|(_, link)| link.clone());
    let link = made_now.clone().and_then(Result::ok);
    let status = use_state(|| None::<String>);
    let input = use_node_ref();
    let copy = {
        let (link, status, input) = (link.clone(), status.clone(), input.clone());
        Callback::from(move |_: ()| {
            let Some(link) = link.clone() else { return };
            let (status, input) = (status.clone(), input.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy(link).await {
                    Ok(()) => status.set(Some("Link copied to the clipboard.".into())),
                    Err(_) => {
                        if let Some(i) = input.cast::<HtmlInputElement>() {
                            let _ = i.focus();
                            i.select();
                        }
                        status.set(Some("This browser did not allow copying. The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.".into()));
                    }
                }
            });
        })
    };
    {
        let copy = copy.clone();
        use_effect_with(link.clone(), move |link| {
            if link.is_some() {
                copy.emit(());
            }
        });
    }
    let download = {
        let (workspace, on_notice) = (props.workspace.clone(), props.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            download_or_notice(
                &on_notice,
                "ecs-playground-workspace.json",
                "application/json",
                &storage::save_pretty(&workspace),
            );
        })
    };
    let long = link.as_ref().map_or(0, String::len);
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            i.select();
        }
    });
    let status_text = match &made_now {
        Some(Err(why)) => format!("This browser could not compress the workspace into a link ({why}). Download the workspace file instead."),
        _ => (*status).clone().unwrap_or_default(),
    };
    html! {
        <section class="drawer" aria-labelledby="share-heading">
            <h2 id="share-heading">{ "Share this workspace" }</h2>
            <p class="drawer-note">{ "The whole workspace is in the link itself, after the #: opening it sends nothing to any server." }</p>
            if let Some(link) = &link {
                <div class="share-row">
                    <label class="visually-hidden" for="share-link">{ "Share link" }</label>
                    <input id="share-link" ref={input} class="share-link" type="text" readonly=true value={link.clone()} onfocus={select_all} />
                    <button type="button" class="button button-primary" onclick={copy.reform(|_: MouseEvent| ())}>{ "Copy link" }</button>
                </div>
            }
            <p class="drawer-status" role="status" data-testid="share-status">{ status_text }</p>
            if long > LONG_LINK_CHARS {
                <p class="drawer-warning" data-testid="share-long">
                    { format!("This link is {long} characters long. Some chat tools and browsers cut links longer than about {LONG_LINK_CHARS} characters; a file is safer.") }
                </p>
            }
            <button type="button" class="button" onclick={download}>{ "Download workspace file" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    /// Called with the text to import (pasted or read from a file).
    pub on_import: Callback<String>,
    pub on_notice: Callback<Notice>,
}

#[function_component(ImportPanel)]
pub fn import_panel(props: &ImportPanelProps) -> Html {
    let pasted = use_node_ref();
    let dragging = use_state(|| false);
    let import_pasted = {
        let (pasted, on_import) = (pasted.clone(), props.on_import.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = pasted.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                // The text stays until the import succeeds and the panel
                // closes: a refused import loses nothing.
                if !text.trim().is_empty() {
                    on_import.emit(text);
                }
            }
        })
    };
    let compare_pasted = {
        let (pasted, on_import, on_notice) = (
            pasted.clone(),
            props.on_import.clone(),
            props.on_notice.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = pasted.cast::<HtmlTextAreaElement>() {
                compare(&area.value(), on_import.clone(), on_notice.clone());
            }
        })
    };
    let on_file = {
        let (on_import, on_notice) = (props.on_import.clone(), props.on_notice.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Some(files) = input.files() {
                    import_files(&files, on_import.clone(), on_notice.clone());
                }
                input.set_value("");
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let (on_import, on_notice, dragging) = (
            props.on_import.clone(),
            props.on_notice.clone(),
            dragging.clone(),
        );
        Callback::from(move |e: DragEvent| {
            // The page imports what is dropped anywhere else: only once here.
            e.prevent_default();
            e.stop_propagation();
            dragging.set(false);
            drop_then_import(&e, on_import.clone(), on_notice.clone());
        })
    };
    html! {
        <section class={classes!("drawer", "import-drawer", dragging.then_some("dragging"))} aria-labelledby="import-heading"
            ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <h2 id="import-heading">{ "Import" }</h2>
            <p class="drawer-note">{ "A task definition (register-task-definition input, describe-task-definition output, a containerDefinitions array, or a CloudFormation template, resource or Properties in JSON or YAML), a service, a cluster, a workspace file or a share link; or several files, a folder, Terraform and Compose files, checked together. Drop them anywhere on the page. YAML, Compose and Terraform become JSON documents." }</p>
            <label class="field-label" for="import-text">{ "Paste here" }</label>
            <textarea id="import-text" ref={pasted} class="import-text" spellcheck="false" rows="6" />
            <div class="drawer-actions">
                <button type="button" class="button button-primary" onclick={import_pasted}>{ "Import pasted text" }</button>
                <button type="button" class="button" onclick={compare_pasted}>{ "Compare with the open document" }</button>
                <label class="button file-button">
                    { "Choose a file…" }
                    <input type="file" multiple=true class="visually-hidden" accept=".json,.yaml,.yml,.tf,.txt,application/json" onchange={on_file.clone()} />
                </label>
                <label class="button file-button">
                    { "Choose a folder…" }
                    <input type="file" webkitdirectory=true class="visually-hidden" onchange={on_file} />
                </label>
            </div>
        </section>
    }
}

/// Imports the dropped files or folders.
pub fn drop_then_import(e: &DragEvent, on_import: Callback<String>, on_notice: Callback<Notice>) {
    if let Some(dropped) = e.data_transfer() {
        import_files(&dropped, on_import, on_notice);
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportPanelProps {
    pub workspace: Rc<Workspace>,
    pub on_notice: Callback<Notice>,
}

#[function_component(ExportPanel)]
pub fn export_panel(props: &ExportPanelProps) -> Html {
    let export = |what: ExportKind| {
        let (workspace, on_notice) = (props.workspace.clone(), props.on_notice.clone());
        Callback::from(move |_: MouseEvent| export_now(&workspace, what, &on_notice))
    };
    let task_definition = task_definition_to_place(&props.workspace).map(|d| d.name.clone());
    let item = |what: ExportKind, label: &'static str, note: &'static str| {
        html! {
            <li>
                <button type="button" class="button" onclick={export(what)} disabled={what.needs_task_definition() && task_definition.is_none()}>{ label }</button>
                <span class="export-note">{ note }</span>
            </li>
        }
    };
    html! {
        <section class="drawer" aria-labelledby="export-heading">
            <h2 id="export-heading">{ "Export" }</h2>
            <p class="drawer-note">
                { "Downloads a file; nothing leaves your browser otherwise. " }
                if let Some(name) = &task_definition {
                    { "The task definition exports use " }<strong>{ name }</strong>{ ", the open task definition (or the first one)." }
                } else {
                    { "There is no task definition to export." }
                }
            </p>
            <ul class="export-list">
                { item(ExportKind::Register, "Task definition (register-task-definition input)", "For aws ecs register-task-definition --cli-input-json: your text, minus the fields describe-task-definition adds") }
                { item(ExportKind::CloudFormation, "Task definition (CloudFormation resource)", "An AWS::ECS::TaskDefinition resource for a template's Resources") }
                { item(ExportKind::Script, "aws ecs command script", "A shell script that creates the task definitions, clusters and services on real AWS") }
                { item(ExportKind::Scenario, "Scenario JSON", "The ECS API calls the simulator runs to build this workspace") }
                { item(ExportKind::Workspace, "Workspace file", "Everything, to import again later") }
            </ul>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum ExportKind {
    Register,
    CloudFormation,
    Script,
    Scenario,
    Workspace,
}

impl ExportKind {
    fn needs_task_definition(self) -> bool {
        matches!(self, ExportKind::Register | ExportKind::CloudFormation)
    }
}

fn export_now(workspace: &Workspace, what: ExportKind, on_notice: &Callback<Notice>) {
    let what = match what {
        ExportKind::Register => "register",
        ExportKind::CloudFormation => "cloudformation",
        ExportKind::Script => "script",
        ExportKind::Scenario => "scenario",
        ExportKind::Workspace => {
            return download_or_notice(
                on_notice,
                "ecs-playground-workspace.json",
                "application/json",
                &storage::save_pretty(workspace),
            );
        }
    };
    import_files::export(&storage::save(workspace), what, on_notice.clone());
}

fn download_or_notice(on_notice: &Callback<Notice>, name: &str, mime: &str, text: &str) {
    if let Err(message) = browser::download(name, mime, text) {
        on_notice.emit(Notice::new(Tone::Error, message));
    }
}
