//! Saving the workspace as it changes: after each change, and at once when
//! the page is hidden or closed (`pagehide`, `visibilitychange` to hidden),
//! so that the write of a large workspace to IndexedDB starts in the same
//! task as the event, before the browser may end the page. What each save
//! can and cannot rely on is said in `www/js/page.js` (`saveWorkspace`).
//!
//! The save made as the page is hidden is asked again by the render that
//! follows (the editor of large documents hands its text over then); a text
//! is stored once, so that a multi-megabyte workspace is not written twice.
//! The page has one workspace, so the text last asked is kept here, not in a
//! hook, and the page registers the hidden-page save in the effect that runs
//! once it opens (a hook and an effect of their own cost the first load
//! about 0.4 KB brotli, measured).

use std::cell::RefCell;
use std::rc::Rc;

use ecs_engine::workspace::storage::STORAGE_KEY;
use yew::UseStateHandle;

use super::browser;

thread_local! {
    /// The saved form last asked to be stored.
    static LAST_ASKED: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
}

/// Whether `saved` differs from the text last asked to be stored; it is the
/// last asked from now on.
fn is_new(saved: &Rc<str>) -> bool {
    LAST_ASKED.with_borrow_mut(|last| {
        if last.as_deref() == Some(&**saved) {
            return false;
        }
        *last = Some(saved.clone());
        true
    })
}

/// Stores `saved` (the workspace's saved form) unless it is the text last
/// asked; `outcome` gets how it went. The browser's save starts before the
/// current task ends (a microtask).
pub fn store(saved: String, outcome: UseStateHandle<Option<Result<(), String>>>) {
    let saved: Rc<str> = saved.into();
    if is_new(&saved) {
        wasm_bindgen_futures::spawn_local(async move {
            outcome.set(Some(browser::store_workspace(STORAGE_KEY, &saved).await))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_stored_once_and_a_changed_text_again() {
        let first: Rc<str> = Rc::from("first");
        assert!(is_new(&first));
        assert!(!is_new(&Rc::from("first")), "the same text, made again");
        assert!(is_new(&Rc::from("second")));
        assert!(is_new(&first), "back to an earlier text: stored again");
    }
}
