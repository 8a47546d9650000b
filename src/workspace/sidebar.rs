//! The workspace's documents, grouped by kind: choosing one opens it.

use std::rc::Rc;

use ecs_engine::workspace::{DocumentKind, Workspace};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub workspace: Rc<Workspace>,
    pub on_select: Callback<String>,
    pub on_add: Callback<DocumentKind>,
    /// Read-only (embed mode): no new documents.
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(Sidebar)]
pub fn sidebar(props: &SidebarProps) -> Html {
    let revisions = props.workspace.revisions();
    let groups = DocumentKind::ALL.iter().map(|&kind| {
        let heading_id = format!("group-{}", kind_slug(kind));
        let items = props.workspace.of_kind(kind).map(|doc| {
            let selected = props.workspace.selected.as_deref() == Some(doc.id.as_str());
            let onclick = {
                let on_select = props.on_select.clone();
                let id = doc.id.clone();
                Callback::from(move |_: MouseEvent| on_select.emit(id.clone()))
            };
            let revision = revisions
                .iter()
                .find(|r| r.id == doc.id)
                .map(|r| format!("revision {}", r.revision));
            // Keyed by the document's id: Yew matches unkeyed children from
            // the end of the list, so a document added to a group rewrote the
            // last item's element with the new document's name and made a new
            // element for the document it showed (the focused button, and
            // any element held by a script or assistive technology, then
            // named another document).
            html! {
                <li key={doc.id.clone()}>
                    <button type="button" class={classes!("doc-link", selected.then_some("selected"))}
                        aria-current={selected.then_some("true")} onclick={onclick}>
                        <span class="doc-name">{ &doc.name }</span>
                        if let Some(revision) = revision { <span class="doc-meta">{ revision }</span> }
                    </button>
                </li>
            }
        });
        let add = (!props.read_only).then(|| {
            let on_add = props.on_add.clone();
            let onclick = Callback::from(move |_: MouseEvent| on_add.emit(kind));
            let label = format!("New {}", kind.label().to_ascii_lowercase());
            html! {
                <button type="button" class="icon-button" aria-label={label.clone()} title={label} onclick={onclick}>
                    <span aria-hidden="true">{ "+" }</span>
                </button>
            }
        });
        let count = props.workspace.of_kind(kind).count();
        html! {
            <div class="doc-group">
                <div class="doc-group-head">
                    <h2 id={heading_id.clone()}>{ kind.plural_label() }<span class="doc-count">{ format!(" {count}") }</span></h2>
                    { for add }
                </div>
                if count == 0 {
                    <p class="doc-empty">{ "None yet" }</p>
                } else {
                    <ul class="doc-list" aria-labelledby={heading_id}>{ for items }</ul>
                }
            </div>
        }
    });
    html! {
        <nav class="sidebar" aria-label="Workspace documents">{ for groups }</nav>
    }
}

pub fn kind_slug(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::TaskDefinition => "task-definitions",
        DocumentKind::Cluster => "clusters",
        DocumentKind::Service => "services",
    }
}
