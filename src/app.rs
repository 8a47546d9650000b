//! The page: the workspace's documents, the open one in the editor with its
//! problems, and where its task would land in the workspace's cluster.

use std::rc::Rc;

use ecs_engine::share;
use ecs_engine::workspace::analysis::{
    analyze_document, cluster_to_show, import_text, task_definition_to_place, Imported,
};
use ecs_engine::workspace::preview::{preview, service_to_place};
use ecs_engine::workspace::storage;
use ecs_engine::workspace::{default_workspace, DocumentKind, Edit, Workspace};
use ecs_engine::{analyze_task_definition, Severity};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::cluster_panel::ClusterPanel;
use crate::editor::large::{self, is_large, LargeCallbacks};
use crate::editor::{CursorRequest, Editor, FixRequest};
use crate::forms::{ClusterForm, ServiceForm, TaskDefinitionForm};
use crate::problems::Problems;
use crate::shortcuts::ShortcutSheet;
use crate::theme::ThemeSwitch;
use crate::workspace::autosave;
use crate::workspace::browser;
use crate::workspace::dialog::ConfirmDialog;
use crate::workspace::document_head::DocumentHead;
use crate::workspace::import_files::import_files;
use crate::workspace::notices::{Notice, NoticeAction, NoticeList, Notices, Tone};
use crate::workspace::panels::{drop_then_import, ExportPanel, ImportPanel, SharePanel};
use crate::workspace::share_link;
use crate::workspace::sidebar::Sidebar;
use crate::workspace::startup::Startup;
use crate::workspace::store::use_workspace_store;

#[derive(Clone, Copy, PartialEq)]
enum Drawer {
    Share,
    Import,
    Export,
}

/// A whole workspace waiting for the user to confirm it replaces theirs.
#[derive(Clone, PartialEq)]
struct PendingReplace {
    title: String,
    body: String,
    confirm_label: String,
    workspace: Workspace,
    done: String,
}

impl PendingReplace {
    fn shared_link(workspace: Workspace) -> PendingReplace {
        PendingReplace {
            title: "Open the shared workspace?".into(),
            body: "The link holds a workspace. Opening it replaces the work saved in this browser; Undo brings your work back.".into(),
            confirm_label: "Open shared workspace".into(),
            workspace,
            done: "Opened the shared workspace.".into(),
        }
    }

    fn imported(workspace: Workspace) -> PendingReplace {
        PendingReplace {
            title: "Replace your workspace?".into(),
            body: format!("The import holds a whole workspace ({} documents). It replaces everything in yours; Undo brings your work back.", workspace.documents.len()),
            confirm_label: "Replace workspace".into(),
            workspace,
            done: "Imported the workspace.".into(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// What the page opens with (`workspace::opening` reads it).
    pub start: Rc<Startup>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let start = props.start.clone();
    let store = {
        let start = start.clone();
        use_workspace_store(move || start.workspace.clone())
    };
    let notices = use_reducer(Notices::default);
    let drawer = use_state(|| None::<Drawer>);
    let read_only = use_state(|| start.embed);
    let save_state = use_state(|| None::<Result<(), String>>);
    let cursor_request = use_state(|| None::<CursorRequest>);
    let pending = use_state(|| start.pending_link.clone().map(PendingReplace::shared_link));
    // Once the page opens: its notices, and saving at once when it is hidden
    // or closed, after the editor of large documents has handed over its
    // text, so that the save starts in that same task.
    {
        let notices = notices.clone();
        let start = start.clone();
        let (save_state, store) = (save_state.clone(), store.clone());
        use_effect_with((), move |_| {
            for notice in &start.notices {
                notices.dispatch(NoticeAction::Push(notice.clone()));
            }
            if !start.save_blocked {
                browser::when_hidden(move |_| {
                    autosave::store(storage::save(&store.current()), save_state.clone())
                });
            }
        });
    }
    let on_notice = {
        let notices = notices.clone();
        Callback::from(move |n: Notice| notices.dispatch(NoticeAction::Push(n)))
    };
    let fix_request = use_state(|| None::<FixRequest>);
    let form_view = use_state(|| false);

    let workspace = store.workspace();
    // The open large document's findings, counted (id, errors, warnings):
    // the analysis worker's, through the editor of large documents.
    let large_counts = use_state(|| None::<(String, u32, u32)>);
    let large_host = use_node_ref();
    let large_callbacks = {
        let (store, large_counts) = (store.clone(), large_counts.clone());
        use_memo((), move |_| {
            LargeCallbacks::new(
                Callback::from(move |(id, text)| store.apply(Edit::SetText { id, text })),
                Callback::from(move |counts| large_counts.set(Some(counts))),
            )
        })
    };

    // Autosave on every change (never in embed mode, never over a copy that
    // could not be backed up). A large open document is shown in the editor
    // of large documents, which has the worker analyse the same saved text
    // (it sends its text when typing pauses, so this runs once per pause).
    {
        let (save_state, blocked) = (save_state.clone(), start.save_blocked);
        let (large_host, large_callbacks) = (large_host.clone(), large_callbacks.clone());
        let json_view = !*read_only && !*form_view;
        use_effect_with((workspace.clone(), json_view), move |(ws, json_view)| {
            let large_doc = ws
                .selected_document()
                .filter(|doc| *json_view && is_large(&doc.text));
            if large_doc.is_none() {
                large::close();
                if blocked {
                    return;
                }
            }
            let saved = storage::save(ws);
            if let Some(doc) = large_doc {
                large::show(&large_host, &saved, doc, &large_callbacks);
            }
            if !blocked {
                // In IndexedDB when too large for localStorage: asynchronous.
                autosave::store(saved, save_state);
            }
        });
    }
    // Ctrl/Cmd+Z undoes and Ctrl/Cmd+Shift+Z or Ctrl+Y redoes across the
    // workspace, except in text fields, which keep their own undo.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                if !(e.ctrl_key() || e.meta_key()) || e.alt_key() || in_text_field(&e) {
                    return;
                }
                let key = e.key().to_ascii_lowercase();
                let handled = match (key.as_str(), e.shift_key()) {
                    ("z", false) => store.undo(),
                    ("z", true) | ("y", false) => store.redo(),
                    _ => return,
                };
                if handled {
                    e.prevent_default();
                }
            });
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                let _ = d
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // A share link pasted into the address bar of an open page.
    {
        let (store, pending, notices, embed) =
            (store.clone(), pending.clone(), notices.clone(), start.embed);
        use_effect_with((), move |_| {
            let listener = browser::WindowListener::new("hashchange", move |_: Event| {
                let fragment = browser::fragment();
                if embed || !share::looks_like_share_link(&fragment) {
                    return;
                }
                browser::clear_fragment();
                // The browser inflates the link asynchronously.
                let (store, pending, notices) = (store.clone(), pending.clone(), notices.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match share_link::decode(&fragment).await {
                        Ok(shared) if shared == store.current() => {}
                        Ok(shared) => pending.set(Some(PendingReplace::shared_link(shared))),
                        Err(e) => notices.dispatch(NoticeAction::Push(Notice::new(
                            Tone::Error,
                            format!("{e} Your current work is unchanged."),
                        ))),
                    }
                });
            });
            move || drop(listener)
        });
    }

    let selected = workspace.selected_document().cloned();
    let analysis = use_memo(
        (workspace.clone(), selected.as_ref().map(|d| d.id.clone())),
        // A large document is analysed in the worker (above), never here.
        |(ws, _)| {
            ws.selected_document()
                .filter(|doc| !is_large(&doc.text))
                .map(|doc| analyze_document(ws, doc))
        },
    );
    let to_place_doc = task_definition_to_place(&workspace);
    let cluster_doc = cluster_to_show(&workspace);
    let service = service_to_place(&workspace, to_place_doc, cluster_doc);
    let to_place = to_place_doc.map(|d| d.text.clone());
    let cluster_text = cluster_doc.map(|d| d.text.clone());
    // A selected task definition is the one placed: its analysis above serves,
    // so a keystroke analyses the document once.
    let placing_selected = selected
        .as_ref()
        .is_some_and(|d| d.kind == DocumentKind::TaskDefinition);
    let selected_analysis = analysis.clone();
    let placement = use_memo(
        (to_place, cluster_text, service),
        move |(to_place, cluster_text, service)| {
            let analysed_here;
            let task = if placing_selected {
                selected_analysis.as_ref().as_ref()
            } else {
                analysed_here = to_place
                    .as_deref()
                    .filter(|text| !is_large(text))
                    .map(analyze_task_definition);
                analysed_here.as_ref()
            };
            preview(task, cluster_text.as_deref(), service.as_ref())
        },
    );

    let on_select_doc = {
        let store = store.clone();
        Callback::from(move |id: String| store.apply(Edit::Select { id }))
    };
    let on_add = {
        let store = store.clone();
        Callback::from(move |kind: DocumentKind| store.apply(Edit::Add { kind }))
    };
    let on_change = {
        let (store, id) = (store.clone(), selected.as_ref().map(|d| d.id.clone()));
        Callback::from(move |text: String| {
            if let Some(id) = &id {
                store.apply(Edit::SetText {
                    id: id.clone(),
                    text,
                });
            }
        })
    };
    let on_rename = {
        let (store, id) = (store.clone(), selected.as_ref().map(|d| d.id.clone()));
        Callback::from(move |name: String| {
            if let Some(id) = &id {
                store.apply(Edit::Rename {
                    id: id.clone(),
                    name,
                });
            }
        })
    };
    let on_delete = {
        let (store, doc, on_notice) = (store.clone(), selected.clone(), on_notice.clone());
        Callback::from(move |_: ()| {
            if let Some(doc) = &doc {
                store.apply(Edit::Delete { id: doc.id.clone() });
                on_notice.emit(
                    Notice::new(
                        Tone::Info,
                        format!(
                            "Deleted {} {}.",
                            doc.kind.label().to_ascii_lowercase(),
                            doc.name
                        ),
                    )
                    .with_undo(),
                );
            }
        })
    };
    let on_undo = {
        let store = store.clone();
        Callback::from(move |_: ()| {
            store.undo();
        })
    };
    let on_redo = {
        let store = store.clone();
        Callback::from(move |_: ()| {
            store.redo();
        })
    };
    // Choosing a problem in the Form view opens the JSON view at it.
    let on_select_problem = {
        let (cursor_request, form_view) = (cursor_request.clone(), form_view.clone());
        let serial = cursor_request.as_ref().map_or(0, |r| r.serial + 1);
        Callback::from(move |(start, end): (u32, u32)| {
            form_view.set(false);
            cursor_request.set(Some(CursorRequest { start, end, serial }));
        })
    };
    // A newly mounted editor must not replay an old request: switching views
    // forgets them.
    let on_view = {
        let (form_view, cursor_request, fix_request) = (
            form_view.clone(),
            cursor_request.clone(),
            fix_request.clone(),
        );
        Callback::from(move |form: bool| {
            cursor_request.set(None);
            fix_request.set(None);
            form_view.set(form);
        })
    };
    // One document to add and open (pasted, a file, or what the workbench read).
    let add_document = {
        let (store, on_notice, drawer) = (store.clone(), on_notice.clone(), drawer.clone());
        Callback::from(move |(kind, text): (DocumentKind, String)| {
            store.apply(Edit::AddText { kind, text });
            drawer.set(None);
            on_notice.emit(
                Notice::new(
                    Tone::Info,
                    format!(
                        "Imported a {} and opened it.",
                        kind.label().to_ascii_lowercase()
                    ),
                )
                .with_undo(),
            );
        })
    };
    let on_import = {
        let (on_notice, pending, add_document) =
            (on_notice.clone(), pending.clone(), add_document.clone());
        Callback::from(move |text: String| match import_text(&text) {
            Imported::Workspace(workspace) => {
                pending.set(Some(PendingReplace::imported(workspace)))
            }
            Imported::ShareLink(link) => {
                let (pending, on_notice) = (pending.clone(), on_notice.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match share_link::read(link).await {
                        Ok(workspace) => pending.set(Some(PendingReplace::imported(workspace))),
                        Err(e) => on_notice.emit(Notice::new(Tone::Error, e.to_string())),
                    }
                });
            }
            Imported::Document { kind, text } => add_document.emit((kind, text)),
            // YAML, Compose or Terraform: the workbench reads it into documents.
            Imported::Foreign(text) => {
                let add_document = add_document.clone();
                let read = Callback::from(move |text: String| {
                    if let Imported::Document { kind, text } = import_text(&text) {
                        add_document.emit((kind, text))
                    }
                });
                import_files(&text.into(), read, on_notice.clone());
            }
            Imported::Unrecognised(message) => on_notice.emit(Notice::new(Tone::Error, message)),
        })
    };
    let load_example = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| {
            pending.set(Some(PendingReplace {
                title: "Open the example workspace?".into(),
                body: "The example (a task definition, a cluster and a service) replaces your workspace; Undo brings your work back.".into(),
                confirm_label: "Open example".into(),
                workspace: default_workspace(),
                done: "Opened the example workspace.".into(),
            }))
        })
    };
    let confirm_replace = {
        let (store, pending, on_notice, drawer) = (
            store.clone(),
            pending.clone(),
            on_notice.clone(),
            drawer.clone(),
        );
        Callback::from(move |_: ()| {
            if let Some(p) = (*pending).clone() {
                store.apply(Edit::Replace(p.workspace));
                drawer.set(None);
                on_notice.emit(Notice::new(Tone::Info, p.done).with_undo());
            }
            pending.set(None);
        })
    };
    let cancel_replace = {
        let pending = pending.clone();
        Callback::from(move |_: ()| pending.set(None))
    };
    let toggle = |which: Drawer| {
        let drawer = drawer.clone();
        Callback::from(move |_: MouseEvent| {
            drawer.set(if *drawer == Some(which) {
                None
            } else {
                Some(which)
            })
        })
    };
    let toggle_edit = {
        let read_only = read_only.clone();
        Callback::from(move |_: MouseEvent| read_only.set(!*read_only))
    };
    let reset = {
        let (store, original) = (store.clone(), start.original.clone());
        Callback::from(move |_: MouseEvent| store.apply(Edit::Replace(original.clone())))
    };
    let on_page_drop = {
        let (on_import, on_notice) = (on_import.clone(), on_notice.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drop_then_import(&e, on_import.clone(), on_notice.clone());
        })
    };
    let on_page_drag_over = Callback::from(|e: DragEvent| e.prevent_default());

    // In the JSON view a fix goes through the editor (so the textarea's undo
    // has it); in the Form view it is applied to the text directly.
    let on_fix = {
        let (fix_request, form_view, on_change) =
            (fix_request.clone(), form_view.clone(), on_change.clone());
        let text = selected.as_ref().map(|d| d.text.clone());
        let serial = fix_request.as_ref().map_or(0, |r| r.serial + 1);
        Callback::from(move |fix: ecs_engine::Fix| {
            if *form_view {
                if let Some(text) = &text {
                    on_change.emit(ecs_engine::apply_fix(text, &fix));
                }
            } else {
                fix_request.set(Some(FixRequest { fix, serial }));
            }
        })
    };

    let embed = start.embed;
    let editable = !*read_only;
    let drawer_view = match *drawer {
        Some(Drawer::Share) => {
            html! { <SharePanel workspace={workspace.clone()} on_notice={on_notice.clone()} /> }
        }
        Some(Drawer::Import) => {
            html! { <ImportPanel on_import={on_import.clone()} on_notice={on_notice.clone()} /> }
        }
        Some(Drawer::Export) => {
            html! { <ExportPanel workspace={workspace.clone()} on_notice={on_notice.clone()} /> }
        }
        None => html! {},
    };
    let drawer_button = |which: Drawer, label: &'static str| {
        html! {
            <button type="button" class={classes!("button", (*drawer == Some(which)).then_some("active"))}
                aria-expanded={(*drawer == Some(which)).to_string()} onclick={toggle(which)}>{ label }</button>
        }
    };
    let save_status = match (&*save_state, embed) {
        (_, true) => html! {},
        (Some(Err(message)), _) => {
            html! { <span class="save-state save-error" role="alert">{ message }</span> }
        }
        (Some(Ok(())), _) => {
            html! { <span class="save-state" data-testid="save-state">{ "Saved in this browser" }</span> }
        }
        (None, _) => html! {},
    };

    html! {
        <div class={classes!("page", embed.then_some("embed"))} ondragover={on_page_drag_over} ondrop={on_page_drop}>
            <header class="topbar">
                <h1 class="brand">{ "ECS Playground" }</h1>
                if !embed { <p class="tagline">{ "Amazon ECS, simulated in your browser. Nothing you write leaves it." }</p> }
                <div class="header-tools">
                    <ShortcutSheet />
                    <ThemeSwitch />
                </div>
                <div class="toolbar" role="toolbar" aria-label="Workspace">
                    if embed {
                        <button type="button" class="button" aria-pressed={editable.to_string()} onclick={toggle_edit}>{ "Edit" }</button>
                        <button type="button" class="button" onclick={reset}>{ "Reset" }</button>
                    }
                    if editable {
                        <button type="button" class="button" disabled={!store.can_undo()} onclick={on_undo.reform(|_: MouseEvent| ())} title="Undo (Ctrl+Z)">{ "Undo" }</button>
                        <button type="button" class="button" disabled={!store.can_redo()} onclick={on_redo.reform(|_: MouseEvent| ())} title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
                    }
                    { drawer_button(Drawer::Share, "Share") }
                    if editable { { drawer_button(Drawer::Import, "Import") } }
                    { drawer_button(Drawer::Export, "Export") }
                    if !embed { <button type="button" class="button" onclick={load_example}>{ "Example" }</button> }
                    // The run page is its own wasm, loaded only when opened.
                    if !embed { <a class="button" href="run/#gallery">{ "Gallery" }</a> }
                    if !embed { <a class="button button-primary" href="run/#workspace">{ "Run" }</a> }
                    { save_status }
                </div>
            </header>
            <NoticeList notices={notices.items.clone()} on_dismiss={Callback::from({ let n = notices.clone(); move |id| n.dispatch(NoticeAction::Dismiss(id)) })} on_undo={on_undo.clone()} />
            { drawer_view }
            <main class="workspace workspace-shell">
                <Sidebar workspace={workspace.clone()} on_select={on_select_doc} on_add={on_add} read_only={!editable} />
                { document_view(selected.as_ref(), analysis.as_ref().as_ref(), large_counts.as_ref(), large_host, editable, on_change, on_rename, on_delete, on_select_problem, (*cursor_request).clone(), (*fix_request).clone(), on_fix, *form_view, on_view) }
                <ClusterPanel instances={placement.instances.clone()} decision={placement.decision.clone()} blocked={placement.blocked} />
            </main>
            <ConfirmDialog open={pending.is_some()}
                title={pending.as_ref().map(|p| p.title.clone()).unwrap_or_default()}
                body={pending.as_ref().map(|p| p.body.clone()).unwrap_or_default()}
                confirm_label={pending.as_ref().map(|p| p.confirm_label.clone()).unwrap_or_default()}
                on_confirm={confirm_replace} on_cancel={cancel_replace} />
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn document_view(
    doc: Option<&ecs_engine::workspace::Document>,
    analysis: Option<&ecs_engine::Analysis>,
    large_counts: Option<&(String, u32, u32)>,
    large_host: NodeRef,
    editable: bool,
    on_change: Callback<String>,
    on_rename: Callback<String>,
    on_delete: Callback<()>,
    on_select_problem: Callback<(u32, u32)>,
    cursor_request: Option<CursorRequest>,
    fix_request: Option<FixRequest>,
    on_fix: Callback<ecs_engine::Fix>,
    form_view: bool,
    on_view: Callback<bool>,
) -> Html {
    let Some(doc) = doc else {
        return html! {
            <section class="panel editor-panel empty-workspace" aria-label="No document open">
                <p>{ "The workspace is empty. Add a task definition, a cluster or a service from the list, import one, or open the example." }</p>
            </section>
        };
    };
    let large = is_large(&doc.text);
    // A large document's findings come from the worker, for this document:
    // the editor of large documents lists them, the status counts them.
    let large_counts = large_counts.filter(|(id, _, _)| large && *id == doc.id);
    let diagnostics = analysis.map(|a| a.diagnostics.clone()).unwrap_or_default();
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = match large_counts {
        Some(&(_, errors, warnings)) => (errors as usize, warnings as usize),
        None => (count(Severity::Error), count(Severity::Warning)),
    };
    let noun = match doc.kind {
        DocumentKind::TaskDefinition => "task definition",
        DocumentKind::Cluster => "cluster",
        DocumentKind::Service => "service",
    };
    let status = match (errors, warnings) {
        _ if large && large_counts.is_none() => {
            format!("Checking this large {noun} in the background…")
        }
        (0, 0) => format!("Valid: AWS would accept this {noun}"),
        (0, w) => format!("Valid, with {w} warning{}", plural(w)),
        (e, _) => format!("{e} error{}: AWS would reject this {noun}", plural(e)),
    };
    let status_class = if errors > 0 {
        "status status-error"
    } else {
        "status status-ok"
    };
    let tag = (doc.kind == DocumentKind::TaskDefinition && !large).then(|| {
        analysis
            .and_then(|a| a.form)
            .map(|f| AttrValue::from(f.describe()))
            .unwrap_or(AttrValue::Static("not recognised"))
    });
    html! {
        <section class="panel editor-panel" aria-labelledby="editor-heading">
            <DocumentHead document={doc.clone()} tag={tag} on_rename={on_rename} on_delete={on_delete} read_only={!editable} />
            if editable {
                <div class="view-switch" role="group" aria-label={format!("{} view", doc.kind.label())}>
                    { view_button(form_view, &on_view, true, "Form") }{ view_button(form_view, &on_view, false, "JSON") }
                </div>
            }
            if editable && form_view {
                { form_for(doc, &diagnostics, on_change.clone()) }
            } else if editable && large {
                <p class="large-editor-note">{ "A large document: this editor shows only the lines in view, the document is checked in the background, and its problems are listed under it." }</p>
                <div class="large-editor" data-testid="large-editor" key={doc.id.clone()} ref={large_host}></div>
            } else if editable {
                <Editor text={doc.text.clone()} diagnostics={diagnostics.clone()} on_change={on_change}
                    cursor_request={cursor_request} fix_request={fix_request} label={format!("{} JSON", doc.kind.label())} />
            } else {
                <pre class="readonly-code" tabindex="0" aria-label={format!("{} JSON (read only)", doc.kind.label())}>{ &doc.text }</pre>
            }
            <p class={status_class} role="status" aria-live="polite" data-testid="validation-status">{ status }</p>
            if editable && !large { <Problems diagnostics={diagnostics} on_select={on_select_problem} on_fix={on_fix} /> }
        </section>
    }
}

/// One of the Form / JSON toggle buttons.
fn view_button(form_view: bool, on_view: &Callback<bool>, form: bool, label: &'static str) -> Html {
    let pressed = form_view == form;
    let onclick = on_view.reform(move |_: MouseEvent| form);
    html! {
        <button type="button" class={classes!("view-toggle", pressed.then_some("active"))}
            aria-pressed={if pressed { "true" } else { "false" }} onclick={onclick}>{ label }</button>
    }
}

/// The form view of a document: it edits the same text the JSON editor does.
fn form_for(
    doc: &ecs_engine::workspace::Document,
    diagnostics: &[ecs_engine::Diagnostic],
    on_change: Callback<String>,
) -> Html {
    let text = AttrValue::from(doc.text.clone());
    let diagnostics = diagnostics.to_vec();
    match doc.kind {
        DocumentKind::TaskDefinition => {
            html! { <TaskDefinitionForm text={text} diagnostics={diagnostics} on_change={on_change} /> }
        }
        DocumentKind::Service => {
            html! { <ServiceForm text={text} diagnostics={diagnostics} on_change={on_change} /> }
        }
        DocumentKind::Cluster => {
            html! { <ClusterForm text={text} diagnostics={diagnostics} on_change={on_change} /> }
        }
    }
}

/// Whether a key event comes from somewhere that has its own undo.
fn in_text_field(e: &KeyboardEvent) -> bool {
    let Some(element) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    tag == "textarea"
        || tag == "input"
        || tag == "select"
        || element.has_attribute("contenteditable")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
