//! "Edit this scenario": a gallery scenario's set-up opened in the authoring
//! workspace. The engine turns the scenario into documents
//! (`workspace::scenario::from_scenario`); they travel as a share link, which
//! the authoring page already reads (and asks before it replaces the user's
//! work), so the authoring page's first load carries nothing new.

use ecs_engine::workspace::scenario::from_scenario;
use serde_json::Value;
use yew::prelude::*;

use crate::workspace::notices::{Notice, Tone};
use crate::workspace::share_link;

#[derive(Properties, PartialEq)]
pub struct EditScenarioProps {
    pub scenario: Value,
    pub on_notice: Callback<Notice>,
}

#[function_component(EditScenario)]
pub fn edit_scenario(props: &EditScenarioProps) -> Html {
    let converted = use_memo(props.scenario.clone(), from_scenario);
    let (workspace, skipped) = (*converted).clone();
    let onclick = {
        let (workspace, on_notice) = (workspace.clone(), props.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let (workspace, on_notice) = (workspace.clone(), on_notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match share_link::encode(&workspace).await {
                    Ok(fragment) => {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().set_href(&format!("../#{fragment}"));
                        }
                    }
                    Err(message) => on_notice.emit(Notice::new(
                        Tone::Error,
                        format!("The scenario could not be opened in the editor: {message}"),
                    )),
                }
            });
        })
    };
    html! {
        <div class="edit-scenario">
            <button type="button" class="button" {onclick}>{ "Edit this scenario" }</button>
            <span class="panel-note">{ format!("Opens its {} document{} (task definitions, clusters, services) in the editor.",
                workspace.documents.len(), if workspace.documents.len() == 1 { "" } else { "s" }) }</span>
            if !skipped.is_empty() {
                <details class="edit-skipped">
                    <summary>{ format!("{} step{} stay in the scenario: the workspace has no document for them", skipped.len(), if skipped.len() == 1 { "" } else { "s" }) }</summary>
                    <ul>{ for skipped.iter().map(|s| html! { <li>{ format!("{}: {}", s.name, s.reason) }</li> }) }</ul>
                </details>
            }
        </div>
    }
}
