//! The workspace in localStorage: a versioned envelope, migrations from every
//! earlier version, and recovery of whatever can be read from a damaged copy.
//!
//! Version 1 is what the playground stored before it had workspaces: one task
//! definition's text. Version 2 is the workspace.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{default_workspace, parse_value, Document, DocumentKind, Workspace};

/// The localStorage key the workspace lives under.
pub const STORAGE_KEY: &str = "ecs-playground.workspace";
/// Where an unreadable or partly recovered copy is kept, untouched.
pub const BACKUP_KEY: &str = "ecs-playground.workspace.unreadable";
pub const FORMAT: &str = "ecs-playground-workspace";
pub const CURRENT_VERSION: u64 = 2;

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'static str,
    version: u64,
    workspace: &'a Workspace,
}

/// The text to store.
pub fn save(workspace: &Workspace) -> String {
    crate::json::write::compact_of(&EnvelopeOut {
        format: FORMAT,
        version: CURRENT_VERSION,
        workspace,
    })
    .unwrap_or_default()
}

/// The same as [`save`], indented: for a workspace file people may read.
pub fn save_pretty(workspace: &Workspace) -> String {
    crate::json::write::pretty_of(&EnvelopeOut {
        format: FORMAT,
        version: CURRENT_VERSION,
        workspace,
    })
    .unwrap_or_default()
}

/// How the stored copy was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum LoadOutcome {
    /// Nothing was stored: the default workspace.
    Fresh,
    /// Read as stored.
    Restored,
    /// Read and brought up to date from an earlier version.
    Migrated { from: u64 },
    /// Damaged: these documents were recovered; the raw copy should be kept.
    Recovered { documents: usize, reason: String },
    /// Nothing could be recovered (or it is from a newer version of the
    /// playground); the default workspace, and the raw copy should be kept.
    Unreadable { reason: String },
}

impl LoadOutcome {
    /// Whether the stored text must be kept under [`BACKUP_KEY`] before it is overwritten.
    pub fn keep_raw_copy(&self) -> bool {
        matches!(
            self,
            LoadOutcome::Recovered { .. } | LoadOutcome::Unreadable { .. }
        )
    }

    /// What to tell the user, if anything.
    pub fn message(&self) -> Option<String> {
        match self {
            LoadOutcome::Fresh | LoadOutcome::Restored | LoadOutcome::Migrated { .. } => None,
            LoadOutcome::Recovered { documents, reason } => Some(format!(
                "Your saved workspace was damaged ({reason}). {documents} document{} could be recovered; the damaged copy is kept in this browser's storage under \"{BACKUP_KEY}\".",
                if *documents == 1 { "" } else { "s" }
            )),
            LoadOutcome::Unreadable { reason } => Some(format!(
                "Your saved workspace could not be read ({reason}), so the example workspace is open. The unreadable copy is kept in this browser's storage under \"{BACKUP_KEY}\"."
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub workspace: Workspace,
    pub outcome: LoadOutcome,
}

/// Reads what was stored (`None`: nothing was). Never fails: the worst case
/// is the default workspace with an outcome that says why.
pub fn load(stored: Option<&str>) -> Loaded {
    let Some(raw) = stored else {
        return Loaded {
            workspace: default_workspace(),
            outcome: LoadOutcome::Fresh,
        };
    };
    let value: Value = match parse_value(raw) {
        Ok(value) => value,
        Err(e) => return recover_from_text(raw, &format!("not valid JSON: {e}")),
    };
    let version = value.get("version").and_then(Value::as_u64);
    match version {
        Some(CURRENT_VERSION) => read_current(&value),
        Some(1) => migrate_v1(&value),
        Some(v) if v > CURRENT_VERSION => Loaded {
            workspace: default_workspace(),
            outcome: LoadOutcome::Unreadable {
                reason: format!(
                    "it was saved by a newer version of the playground (storage format {v}; this version reads up to {CURRENT_VERSION})"
                ),
            },
        },
        _ => recover_from_value(&value, "it has no known format version"),
    }
}

fn read_current(value: &Value) -> Loaded {
    match value.get("workspace").map(Workspace::from_value) {
        Some(Ok(workspace)) => Loaded {
            workspace: workspace.normalized(),
            outcome: LoadOutcome::Restored,
        },
        Some(Err(e)) => recover_from_value(value, &format!("unexpected content: {e}")),
        None => recover_from_value(value, "the workspace is missing"),
    }
}

/// Version 1: `{"version": 1, "taskDefinition": "<text>"}`, the single
/// editor's text. It becomes that task definition plus the default cluster
/// and service.
fn migrate_v1(value: &Value) -> Loaded {
    let Some(text) = value.get("taskDefinition").and_then(Value::as_str) else {
        return recover_from_value(value, "the version 1 task definition is missing");
    };
    let mut workspace = default_workspace();
    if let Some(first) = workspace.documents.first_mut() {
        *first = Document::new(&first.id, DocumentKind::TaskDefinition, text);
    }
    Loaded {
        workspace,
        outcome: LoadOutcome::Migrated { from: 1 },
    }
}

/// Keeps every document that still has an id, kind, name and text.
fn recover_from_value(value: &Value, reason: &str) -> Loaded {
    let documents: Vec<Document> = value
        .get("workspace")
        .and_then(|w| w.get("documents"))
        .and_then(Value::as_array)
        .map(|docs| docs.iter().filter_map(Document::from_value).collect())
        .unwrap_or_default();
    recovered(documents, reason)
}

/// The text is not JSON (typically cut off): reads every complete document
/// object that still starts with `{"id":`, in order.
fn recover_from_text(raw: &str, reason: &str) -> Loaded {
    let mut documents = Vec::new();
    let mut from = 0;
    while let Some(found) = raw.get(from..).and_then(|rest| rest.find("{\"id\":")) {
        let start = from + found;
        let object = raw
            .get(start..)
            .and_then(|rest| rest.get(..object_length(rest)?))
            .and_then(|text| parse_value(text).ok())
            .and_then(|value| Document::from_value(&value).map(|doc| (doc, value)));
        match object {
            Some((doc, _)) => {
                from = start + doc_end(raw, start);
                documents.push(doc);
            }
            None => from = start + 1,
        }
    }
    recovered(documents, reason)
}

/// The byte length of the JSON object `text` starts with, if it is complete.
fn object_length(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{' | b'[') => depth += 1,
            (false, _, b'}' | b']') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn doc_end(raw: &str, start: usize) -> usize {
    raw.get(start..).and_then(object_length).unwrap_or(1)
}

fn recovered(documents: Vec<Document>, reason: &str) -> Loaded {
    if documents.is_empty() {
        return Loaded {
            workspace: default_workspace(),
            outcome: LoadOutcome::Unreadable {
                reason: reason.to_string(),
            },
        };
    }
    let count = documents.len();
    Loaded {
        workspace: Workspace {
            documents,
            selected: None,
        }
        .normalized(),
        outcome: LoadOutcome::Recovered {
            documents: count,
            reason: reason.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Edit;

    fn edited() -> Workspace {
        default_workspace()
            .apply(Edit::Add {
                kind: DocumentKind::Service,
            })
            .apply(Edit::SetText {
                id: "d1".into(),
                text: "{ \"family\": \"x\",\n  \"unknownField\": [1,2] }".into(),
            })
    }

    #[test]
    fn a_saved_workspace_loads_back_identically() {
        let ws = edited();
        for saved in [save(&ws), save_pretty(&ws)] {
            let loaded = load(Some(&saved));
            assert_eq!(loaded.outcome, LoadOutcome::Restored);
            assert_eq!(loaded.workspace, ws);
        }
        assert_eq!(load(None).outcome, LoadOutcome::Fresh);
    }

    #[test]
    fn version_1_migrates_into_a_workspace_around_its_task_definition() {
        let loaded = load(Some(
            r#"{"version": 1, "taskDefinition": "{\"family\": \"legacy\"}"}"#,
        ));
        assert_eq!(loaded.outcome, LoadOutcome::Migrated { from: 1 });
        assert_eq!(
            loaded.workspace.documents[0].text,
            r#"{"family": "legacy"}"#
        );
        assert_eq!(loaded.workspace.documents[0].name, "legacy");
        assert_eq!(loaded.workspace.documents.len(), 3);
    }

    #[test]
    fn a_cut_off_copy_recovers_its_complete_documents() {
        let saved = save(&edited());
        // Cut in the middle of the last document.
        let cut = &saved[..saved.len() - 30];
        let loaded = load(Some(cut));
        assert!(loaded.outcome.keep_raw_copy());
        match &loaded.outcome {
            LoadOutcome::Recovered { documents, reason } => {
                assert_eq!(*documents, 3);
                assert!(reason.starts_with("not valid JSON"), "{reason}");
            }
            other => panic!("expected Recovered, got {other:?}"),
        }
        assert_eq!(loaded.workspace.documents, edited().documents[..3].to_vec());
        assert!(loaded.outcome.message().is_some_and(|m| m
            .contains("3 documents could be recovered")
            && m.contains(BACKUP_KEY)));
    }

    #[test]
    fn a_damaged_document_is_dropped_and_the_others_kept() {
        let mut value: Value = serde_json::from_str(&save(&edited())).unwrap_or_default();
        value["workspace"]["documents"][1]["kind"] = Value::from("spaceship");
        let loaded = load(Some(&value.to_string()));
        assert!(
            matches!(loaded.outcome, LoadOutcome::Recovered { documents: 3, .. }),
            "{:?}",
            loaded.outcome
        );
        assert!(loaded
            .workspace
            .documents
            .iter()
            .all(|d| d.kind != DocumentKind::Cluster));
    }

    #[test]
    fn nothing_readable_and_newer_versions_open_the_default_and_keep_the_copy() {
        for raw in [
            "",
            "garbage",
            "[]",
            "{\"version\": 2}",
            "{\"version\": 1}",
            "{\"version\": 99, \"workspace\": {}}",
        ] {
            let loaded = load(Some(raw));
            assert!(
                matches!(loaded.outcome, LoadOutcome::Unreadable { .. }),
                "{raw}: {:?}",
                loaded.outcome
            );
            assert!(loaded.outcome.keep_raw_copy());
            assert_eq!(loaded.workspace, default_workspace(), "{raw}");
        }
        let newer = load(Some("{\"version\": 99}"))
            .outcome
            .message()
            .unwrap_or_default();
        assert!(newer.contains("newer version of the playground"), "{newer}");
    }
}
