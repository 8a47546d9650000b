//! Undo and redo across the workspace: the UI's reducer keeps one of these.
//!
//! Every edit that changes work is a step; consecutive text edits of the same
//! document merge into one step, so undo goes back to before that document
//! was last typed in (the editor's own undo still goes keystroke by keystroke).

use super::{Edit, Workspace};

/// How many steps back undo can go.
pub const HISTORY_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    past: Vec<Workspace>,
    present: Workspace,
    future: Vec<Workspace>,
    /// The document the last step typed into, while further typing merges.
    typing_in: Option<String>,
}

impl History {
    pub fn new(present: Workspace) -> History {
        History {
            past: Vec::new(),
            present,
            future: Vec::new(),
            typing_in: None,
        }
    }

    pub fn present(&self) -> &Workspace {
        &self.present
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    /// Applies `edit`; returns whether the workspace changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let merges = match &edit {
            Edit::SetText { id, .. } => self.typing_in.as_deref() == Some(id.as_str()),
            _ => false,
        };
        let typing_in = match &edit {
            Edit::SetText { id, .. } => Some(id.clone()),
            _ => None,
        };
        let records = edit.changes_work();
        let next = self.present.apply(edit);
        if next == self.present {
            return false;
        }
        if records {
            if !merges {
                self.past.push(std::mem::replace(&mut self.present, next));
                if self.past.len() > HISTORY_LIMIT {
                    self.past.remove(0);
                }
            } else {
                self.present = next;
            }
            self.future.clear();
            self.typing_in = typing_in;
        } else {
            self.present = next;
            self.typing_in = None;
        }
        true
    }

    pub fn undo(&mut self) -> bool {
        match self.past.pop() {
            Some(previous) => {
                self.future
                    .push(std::mem::replace(&mut self.present, previous));
                self.typing_in = None;
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.future.pop() {
            Some(next) => {
                self.past.push(std::mem::replace(&mut self.present, next));
                self.typing_in = None;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{default_workspace, DocumentKind};

    fn set(id: &str, text: &str) -> Edit {
        Edit::SetText {
            id: id.into(),
            text: text.into(),
        }
    }

    #[test]
    fn typing_in_one_document_is_one_step_and_switching_starts_another() {
        let start = default_workspace();
        let mut h = History::new(start.clone());
        assert!(h.apply(set("d3", "{\"serviceName\": \"a\"}")));
        assert!(h.apply(set("d3", "{\"serviceName\": \"ab\"}")));
        assert!(h.apply(set("d2", "{}")));
        assert!(h.apply(set("d3", "{}")));
        assert!(h.undo());
        assert_eq!(h.present().documents[2].text, "{\"serviceName\": \"ab\"}");
        assert!(h.undo());
        assert_eq!(h.present().documents[1].text, start.documents[1].text);
        assert!(h.undo());
        assert_eq!(h.present(), &start);
        assert!(!h.undo());
        assert!(h.redo() && h.redo() && h.redo());
        assert_eq!(h.present().documents[2].text, "{}");
        assert!(!h.redo());
    }

    #[test]
    fn a_replaced_workspace_can_be_undone_and_a_new_edit_drops_redo() {
        let mut h = History::new(default_workspace());
        assert!(h.apply(Edit::Replace(Workspace::empty())));
        assert!(h.present().documents.is_empty());
        assert!(h.undo());
        assert_eq!(h.present(), &default_workspace());
        assert!(h.can_redo());
        assert!(h.apply(Edit::Add {
            kind: DocumentKind::Service
        }));
        assert!(!h.can_redo());
    }

    #[test]
    fn opening_a_document_is_not_a_step_and_no_op_edits_record_nothing() {
        let mut h = History::new(default_workspace());
        assert!(h.apply(Edit::Select { id: "d2".into() }));
        assert!(!h.can_undo());
        assert!(!h.apply(set("d2", &default_workspace().documents[1].text)));
        assert!(!h.can_undo());
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new(Workspace::empty());
        for _ in 0..HISTORY_LIMIT + 20 {
            h.apply(Edit::Add {
                kind: DocumentKind::Cluster,
            });
        }
        let mut steps = 0;
        while h.undo() {
            steps += 1;
        }
        assert_eq!(steps, HISTORY_LIMIT);
        assert_eq!(h.present().documents.len(), 20);
    }
}
