//! Opens the page once the browser has read the share link in the address,
//! if any, and the saved workspace (from localStorage at once, from
//! IndexedDB asynchronously), so that the saved workspace never shows as if
//! it were the link's, nor the example as if it were the user's; and, when
//! the saved workspace could not be read in full, once its copy is backed up
//! (`startup::keep_backup`). One path for every case: reading from
//! localStorage takes only microtasks, so the page usually opens before the
//! browser first paints (a synchronous path for that case cost the first
//! load about 0.4 KB).

use std::rc::Rc;

use yew::prelude::*;

use super::startup::{
    address_has_share_link, keep_backup, read_address_link, read_saved, startup, Startup,
};
use crate::app::App;

#[function_component(Playground)]
pub fn playground() -> Html {
    let start = use_state(|| None::<Rc<Startup>>);
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            // Microtasks only when there is no link and the workspace is in
            // localStorage: the page usually opens before the browser first
            // paints (a cold first visit was seen to paint the line below for
            // one frame).
            wasm_bindgen_futures::spawn_local(async move {
                let link = read_address_link().await;
                let opened = startup(link, read_saved().await);
                start.set(Some(Rc::new(keep_backup(opened).await)));
            });
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
