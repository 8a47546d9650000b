//! Saving the workspace as it changes: after each change, and at once when
//! the page is hidden or closed (`pagehide`, `visibilitychange` to hidden),
//! so that the write of a large workspace to IndexedDB starts in the same
//! task as the event, before the browser may end the page. What each save
//! can and cannot rely on is said in `www/js/page.js` (`saveWorkspace`).
//!
//! The save made as the page is hidden is asked again by the render that
//! follows (the editor of large documents hands its text over then); a text
//! is stored once, so that a multi-megabyte workspace is not written twice.

use std::cell::RefCell;
use std::rc::Rc;

use ecs_engine::workspace::storage::STORAGE_KEY;
use yew::UseStateHandle;

use super::browser;

/// The saved form last asked to be stored, shared by the page's saves.
#[derive(Clone, Default)]
pub struct Autosave {
    last_asked: Rc<RefCell<Option<Rc<str>>>>,
}

impl PartialEq for Autosave {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.last_asked, &other.last_asked)
    }
}

impl Autosave {
    /// Whether `saved` differs from the text last asked to be stored; it is
    /// the last asked from now on.
    fn is_new(&self, saved: &Rc<str>) -> bool {
        let mut last = self.last_asked.borrow_mut();
        if last.as_deref() == Some(&**saved) {
            return false;
        }
        *last = Some(saved.clone());
        true
    }

    /// Stores `saved` (the workspace's saved form) unless it is the text last
    /// asked; `outcome` gets how it went. The browser's save starts before
    /// the current task ends (a microtask).
    pub fn store(&self, saved: String, outcome: UseStateHandle<Option<Result<(), String>>>) {
        let saved: Rc<str> = saved.into();
        if self.is_new(&saved) {
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(browser::store_workspace(STORAGE_KEY, &saved).await))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_stored_once_and_a_changed_text_again() {
        let autosave = Autosave::default();
        let first: Rc<str> = Rc::from("first");
        assert!(autosave.is_new(&first));
        assert!(
            !autosave.is_new(&Rc::from("first")),
            "the same text, made again"
        );
        assert!(autosave.is_new(&Rc::from("second")));
        assert!(
            autosave.is_new(&first),
            "back to an earlier text: stored again"
        );
    }
}
