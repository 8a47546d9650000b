//! Opens the page: at once, or, when the address holds a share link or the
//! saved workspace is in IndexedDB, once the browser has read them, so that
//! the saved workspace never shows as if it were the link's, nor the example
//! as if it were the user's.

use std::rc::Rc;

use yew::prelude::*;

use super::startup::{
    address_has_share_link, opens_asynchronously, read_address_link, read_saved, saved_now, startup,
};
use crate::app::App;

#[function_component(Playground)]
pub fn playground() -> Html {
    let start =
        use_state(|| (!opens_asynchronously()).then(|| Rc::new(startup(None, saved_now()))));
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            if start.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let link = read_address_link().await;
                    let saved = read_saved().await;
                    start.set(Some(Rc::new(startup(link, saved))));
                });
            }
        });
    }
    match &*start {
        Some(start) => html! { <App start={start.clone()} /> },
        None if address_has_share_link() => html! {
            <p class="opening" role="status">{ "Opening the shared workspace…" }</p>
        },
        None => html! { <p class="opening" role="status">{ "Opening your saved workspace…" }</p> },
    }
}
