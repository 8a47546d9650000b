//! Opens the page: at once, or, when the address holds a share link, once the
//! browser has inflated it, so that the saved workspace never shows as if it
//! were the link's.

use std::rc::Rc;

use yew::prelude::*;

use super::startup::{address_has_share_link, read_address_link, startup};
use crate::app::App;

#[function_component(Playground)]
pub fn playground() -> Html {
    let start = use_state(|| (!address_has_share_link()).then(|| Rc::new(startup(None))));
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            if start.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let link = read_address_link().await;
                    start.set(Some(Rc::new(startup(link))));
                });
            }
        });
    }
    match &*start {
        Some(start) => html! { <App start={start.clone()} /> },
        None => html! {
            <p class="opening" role="status">{ "Opening the shared workspace…" }</p>
        },
    }
}
