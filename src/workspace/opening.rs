//! Opens the page: at once, or, when the address holds a share link or the
//! saved workspace is in IndexedDB, once the browser has read them, so that
//! the saved workspace never shows as if it were the link's, nor the example
//! as if it were the user's; and, when the saved workspace could not be read
//! in full, once its copy is backed up (`startup::keep_backup`).

use std::rc::Rc;

use yew::prelude::*;

use super::startup::{
    address_has_share_link, keep_backup, opens_asynchronously, read_address_link, read_saved,
    saved_now, startup, Startup,
};
use crate::app::App;

#[function_component(Playground)]
pub fn playground() -> Html {
    // A start read at once whose damaged copy must still be backed up
    // (asynchronously: it may go to IndexedDB) before the page opens.
    let backing_up = use_mut_ref(|| None::<Startup>);
    let start = {
        let backing_up = backing_up.clone();
        use_state(move || {
            if opens_asynchronously() {
                return None;
            }
            let start = startup(None, saved_now());
            if start.backup.is_none() {
                return Some(Rc::new(start));
            }
            *backing_up.borrow_mut() = Some(start);
            None
        })
    };
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            if start.is_none() {
                let read_at_once = backing_up.borrow_mut().take();
                wasm_bindgen_futures::spawn_local(async move {
                    let opened = match read_at_once {
                        Some(opened) => opened,
                        None => {
                            let link = read_address_link().await;
                            startup(link, read_saved().await)
                        }
                    };
                    start.set(Some(Rc::new(keep_backup(opened).await)));
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
