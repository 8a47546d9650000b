//! The open document's title bar: its kind and name, Rename and Delete.

use ecs_engine::workspace::Document;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DocumentHeadProps {
    pub document: Document,
    /// A tag shown beside the title (e.g. the recognised input form).
    #[prop_or_default]
    pub tag: Option<AttrValue>,
    pub on_rename: Callback<String>,
    pub on_delete: Callback<()>,
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(DocumentHead)]
pub fn document_head(props: &DocumentHeadProps) -> Html {
    let renaming = use_state(|| false);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(*renaming, move |renaming| {
            if *renaming {
                if let Some(i) = input.cast::<HtmlInputElement>() {
                    let _ = i.focus();
                    i.select();
                }
            }
        });
    }
    let doc = &props.document;
    if *renaming {
        let submit = {
            let (renaming, input, on_rename) =
                (renaming.clone(), input.clone(), props.on_rename.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if let Some(i) = input.cast::<HtmlInputElement>() {
                    let name = i.value();
                    if !name.trim().is_empty() {
                        on_rename.emit(name.trim().to_string());
                    }
                }
                renaming.set(false);
            })
        };
        let cancel = {
            let renaming = renaming.clone();
            Callback::from(move |_: MouseEvent| renaming.set(false))
        };
        let on_key = {
            let renaming = renaming.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    renaming.set(false);
                }
            })
        };
        return html! {
            <form class="panel-head rename-form" onsubmit={submit}>
                <label for="rename-input" class="doc-kind">{ format!("Rename {}", doc.kind.label().to_ascii_lowercase()) }</label>
                <input id="rename-input" ref={input} class="rename-input" type="text" value={doc.name.clone()} onkeydown={on_key} />
                <button type="submit" class="button button-primary">{ "Save name" }</button>
                <button type="button" class="button" onclick={cancel}>{ "Cancel" }</button>
            </form>
        };
    }
    let start_rename = {
        let renaming = renaming.clone();
        Callback::from(move |_: MouseEvent| renaming.set(true))
    };
    let delete = {
        let on_delete = props.on_delete.clone();
        Callback::from(move |_: MouseEvent| on_delete.emit(()))
    };
    html! {
        <div class="panel-head">
            <h2 id="editor-heading"><span class="doc-kind">{ doc.kind.label() }</span><span class="doc-title">{ &doc.name }</span></h2>
            if let Some(tag) = &props.tag { <span class="form-tag" title="Recognised input form">{ tag.clone() }</span> }
            if !props.read_only {
                <div class="doc-actions">
                    <button type="button" class="button button-small" onclick={start_rename} aria-label={format!("Rename {}", doc.name)}>{ "Rename" }</button>
                    <button type="button" class="button button-small" onclick={delete} aria-label={format!("Delete {}", doc.name)}>{ "Delete" }</button>
                </div>
            }
        </div>
    }
}
