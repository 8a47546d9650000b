//! The service and cluster builders: each form beside its JSON, both live.
//! This holds its own two documents until the workspace shell owns them.
//! Service diagnostics (`analyze_request("CreateService", …)`) are left to the
//! shell: the request rules weigh about 60 KB brotli, and the shell pays for
//! them once for every service it holds.

use ecs_engine::console::{EXAMPLE_CLUSTER_DOCUMENT, EXAMPLE_SERVICE};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::{ClusterForm, ServiceForm};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Builder {
    Service,
    Cluster,
}

#[function_component(Builders)]
pub fn builders() -> Html {
    let chosen = use_state(|| Builder::Service);
    let service = use_state(|| EXAMPLE_SERVICE.to_string());
    let cluster = use_state(|| EXAMPLE_CLUSTER_DOCUMENT.to_string());

    let tab = |builder: Builder, label: &'static str| {
        let chosen_now = *chosen == builder;
        let onclick = {
            let chosen = chosen.clone();
            Callback::from(move |_: MouseEvent| chosen.set(builder))
        };
        html! {
            <button type="button" class={classes!("view-toggle", chosen_now.then_some("active"))}
                aria-pressed={if chosen_now { "true" } else { "false" }} onclick={onclick}>{ label }</button>
        }
    };
    let setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |text: String| state.set(text))
    };
    let (form, text, on_change, json_label) = match *chosen {
        Builder::Service => (
            html! { <ServiceForm text={(*service).clone()} diagnostics={Vec::new()} on_change={setter(&service)} /> },
            (*service).clone(),
            setter(&service),
            "Service JSON (CreateService request)",
        ),
        Builder::Cluster => (
            html! { <ClusterForm text={(*cluster).clone()} on_change={setter(&cluster)} /> },
            (*cluster).clone(),
            setter(&cluster),
            "Cluster JSON",
        ),
    };
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
            on_change.emit(area.value());
        }
    });
    html! {
        <section class="panel builders-panel" aria-labelledby="builders-heading">
            <div class="panel-head">
                <h2 id="builders-heading">{ "Service and cluster" }</h2>
                <div class="view-switch" role="group" aria-label="Builder">
                    { tab(Builder::Service, "Service") }
                    { tab(Builder::Cluster, "Cluster") }
                </div>
            </div>
            <div class="builder-columns">
                <div class="builder-form">{ form }</div>
                <div class="builder-json">
                    <label for="builder-json" class="builder-json-label">{ json_label }</label>
                    <textarea id="builder-json" class="builder-json-input" spellcheck="false" wrap="off"
                        value={text} oninput={oninput} />
                </div>
            </div>
        </section>
    }
}
