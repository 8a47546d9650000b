//! The suggestion popup: a listbox the textarea points into with
//! `aria-activedescendant`, so focus never leaves the text.

use ecs_engine::completion::Completion;
use yew::prelude::*;

pub const LIST_ID: &str = "editor-suggestions";

pub fn option_id(index: usize) -> String {
    format!("editor-suggestion-{index}")
}

/// An open popup: the engine's suggestions and the highlighted one.
#[derive(Clone, PartialEq, Debug)]
pub struct Popup {
    pub completion: Completion,
    pub active: usize,
}

impl Popup {
    pub fn moved(&self, by: isize) -> Popup {
        let count = self.completion.items.len().max(1) as isize;
        let active = (self.active as isize + by).rem_euclid(count) as usize;
        Popup {
            completion: self.completion.clone(),
            active,
        }
    }
}

/// The listbox is always in the document (hidden while closed), so that
/// opening and closing it never restructures the editor around the textarea.
pub fn render_popup(popup: Option<&Popup>, node: &NodeRef, on_choose: Callback<usize>) -> Html {
    let (items, active) = popup.map_or((&[][..], 0), |p| (&p.completion.items[..], p.active));
    let items = items.iter().enumerate().map(|(i, item)| {
        let selected = i == active;
        let onmousedown = {
            let on_choose = on_choose.clone();
            // Keeps focus in the textarea, then accepts.
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                on_choose.emit(i);
            })
        };
        html! {
            <li id={option_id(i)} role="option" aria-selected={if selected { "true" } else { "false" }}
                class={classes!("suggestion", selected.then_some("active"))} onmousedown={onmousedown}>
                <span class="suggestion-label">{ &item.label }</span>
                <span class="suggestion-detail">{ item.detail }</span>
            </li>
        }
    });
    html! {
        <ul id={LIST_ID} ref={node.clone()} class="suggestions" role="listbox" aria-label="Suggestions" hidden={popup.is_none()}>
            { for items }
        </ul>
    }
}
