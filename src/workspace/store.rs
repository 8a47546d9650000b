//! The workspace with its undo history, as a hook. The history lives in a
//! mutable cell (cloning every past workspace on each keystroke would be
//! wasteful); the present workspace is state, so the page re-renders.

use std::cell::RefCell;
use std::rc::Rc;

use ecs_engine::workspace::history::History;
use ecs_engine::workspace::{Edit, Workspace};
use yew::prelude::*;

#[derive(Clone)]
pub struct WorkspaceStore {
    history: Rc<RefCell<History>>,
    present: UseStateHandle<Rc<Workspace>>,
}

impl PartialEq for WorkspaceStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.history, &other.history) && *self.present == *other.present
    }
}

impl WorkspaceStore {
    pub fn workspace(&self) -> Rc<Workspace> {
        (*self.present).clone()
    }

    /// The latest workspace, also from callbacks made before the last render.
    pub fn current(&self) -> Workspace {
        self.history.borrow().present().clone()
    }

    pub fn apply(&self, edit: Edit) {
        let changed = self.history.borrow_mut().apply(edit);
        if changed {
            self.publish();
        }
    }

    pub fn undo(&self) -> bool {
        let done = self.history.borrow_mut().undo();
        if done {
            self.publish();
        }
        done
    }

    pub fn redo(&self) -> bool {
        let done = self.history.borrow_mut().redo();
        if done {
            self.publish();
        }
        done
    }

    pub fn can_undo(&self) -> bool {
        self.history.borrow().can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.borrow().can_redo()
    }

    fn publish(&self) {
        let present = self.history.borrow().present().clone();
        self.present.set(Rc::new(present));
    }
}

#[hook]
pub fn use_workspace_store(initial: impl FnOnce() -> Workspace) -> WorkspaceStore {
    let history = use_mut_ref(|| None::<Rc<RefCell<History>>>);
    let shared = history
        .borrow_mut()
        .get_or_insert_with(|| Rc::new(RefCell::new(History::new(initial()))))
        .clone();
    let present = {
        let shared = shared.clone();
        use_state(move || Rc::new(shared.borrow().present().clone()))
    };
    WorkspaceStore {
        history: shared,
        present,
    }
}
