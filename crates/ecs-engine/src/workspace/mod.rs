//! The user's workspace: task definitions, clusters and services, each kept as
//! the JSON text the user edits (so formatting and unknown fields survive),
//! plus which one is open.
//!
//! A workspace is a scenario underneath: [`scenario::to_scenario`] turns it
//! into the ECS API calls that would create it, so anything built here can be
//! run by the simulator, shared ([`crate::share`]) and exported
//! ([`crate::export::cli_script`]).

#[cfg(test)]
mod agreement;
pub mod analysis;
pub mod cluster;
pub mod compare;
pub mod defaults;
pub mod history;
pub mod preview;
pub mod run;
pub mod scenario;
pub mod storage;

use serde::{Deserialize, Serialize};

use serde_json::Value;

use crate::json;

pub use defaults::default_workspace;

/// Parses JSON with the engine's own parser: it is in the web build already,
/// and serde_json's text parser would add to it.
pub fn parse_value(text: &str) -> Result<Value, String> {
    json::parse(text)
        .map(|node| node.to_value())
        .map_err(|e| e.message)
}

/// What a document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    /// A task definition in any form the analyser accepts; one revision of a family.
    TaskDefinition,
    /// A cluster: CreateCluster input plus the playground's `instanceGroups`.
    Cluster,
    /// A service: CreateService input.
    Service,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::TaskDefinition,
        DocumentKind::Cluster,
        DocumentKind::Service,
    ];

    /// The JSON member that names the resource.
    pub fn name_field(self) -> &'static str {
        match self {
            DocumentKind::TaskDefinition => "family",
            DocumentKind::Cluster => "clusterName",
            DocumentKind::Service => "serviceName",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::TaskDefinition => "Task definition",
            DocumentKind::Cluster => "Cluster",
            DocumentKind::Service => "Service",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            DocumentKind::TaskDefinition => "Task definitions",
            DocumentKind::Cluster => "Clusters",
            DocumentKind::Service => "Services",
        }
    }

    /// The name stored in workspace files and links.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::TaskDefinition => "taskDefinition",
            DocumentKind::Cluster => "cluster",
            DocumentKind::Service => "service",
        }
    }

    pub fn from_id(id: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.id() == id)
    }

    fn default_name(self) -> &'static str {
        match self {
            DocumentKind::TaskDefinition => "new-task",
            DocumentKind::Cluster => "new-cluster",
            DocumentKind::Service => "new-service",
        }
    }
}

/// One document of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub kind: DocumentKind,
    /// The resource's name as last read from the text, derived on every
    /// construction and text change (`Document::new`, `with_name`,
    /// `set_text`): what the sidebar, revisions and compare read. It keeps
    /// the last name while the text does not parse or names none.
    pub name: String,
    pub text: String,
}

impl Document {
    pub fn new(id: &str, kind: DocumentKind, text: &str) -> Document {
        Document::with_name(id, kind, kind.default_name(), text)
    }

    /// A document read back (storage, a share link) with the name it was
    /// stored with: the text's own name wins; `name` stays only when the
    /// text gives none.
    pub fn with_name(id: &str, kind: DocumentKind, name: &str, text: &str) -> Document {
        Document {
            id: id.to_string(),
            kind,
            name: name_in_text(kind, text).unwrap_or_else(|| name.to_string()),
            text: text.to_string(),
        }
    }

    /// The user's new text, and the name it gives (the last one when none).
    pub fn set_text(&mut self, text: String) {
        if let Some(name) = name_in_text(self.kind, &text) {
            self.name = name;
        }
        self.text = text;
    }
}

impl Document {
    /// Reads a stored document; `None` unless it has an id, a known kind, a name and a text.
    pub fn from_value(value: &Value) -> Option<Document> {
        let field = |key: &str| value.get(key).and_then(Value::as_str);
        Some(Document::with_name(
            field("id")?,
            DocumentKind::from_id(field("kind")?)?,
            field("name")?,
            field("text")?,
        ))
    }
}

impl Workspace {
    /// Reads a stored workspace, or says what is wrong with it.
    pub fn from_value(value: &Value) -> Result<Workspace, String> {
        let documents = value
            .get("documents")
            .and_then(Value::as_array)
            .ok_or("it has no documents list")?;
        let mut read = Vec::with_capacity(documents.len());
        for (i, doc) in documents.iter().enumerate() {
            read.push(
                Document::from_value(doc)
                    .ok_or_else(|| format!("document {} is incomplete", i + 1))?,
            );
        }
        Ok(Workspace {
            documents: read,
            selected: value
                .get("selected")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

/// The name a document's text gives its resource (a describe output's
/// `taskDefinition.family` counts), if the text parses and has one. Parsed
/// once per text change (`Document::set_text`): everything else reads
/// `Document::name` (a 5 MB document's parse costs ~45 ms).
pub fn name_in_text(kind: DocumentKind, text: &str) -> Option<String> {
    use crate::import::{cloudformation, import_parsed, Parsed, Syntax};
    let root = json::parse(text).ok()?;
    // A CloudFormation task definition names its family in its Properties. It
    // is imported from the root parsed above: parsing the text again cost as
    // much as a keystroke's analysis in a 5 MB document (this runs on every edit).
    if kind == DocumentKind::TaskDefinition
        && root.get("taskDefinition").is_none()
        && matches!(
            cloudformation::find(&root),
            cloudformation::Shape::TaskDefinition(_)
        )
    {
        let parsed = Parsed {
            root,
            syntax: Syntax::Json,
        };
        let imported = import_parsed(parsed, &|_| None).ok()?;
        return imported
            .task_def()
            .node
            .get("family")
            .and_then(|n| n.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
    }
    let node = match (kind, root.get("taskDefinition")) {
        (DocumentKind::TaskDefinition, Some(inner)) if inner.is_object() => inner,
        _ => &root,
    };
    node.get(kind.name_field())
        .and_then(|n| n.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub documents: Vec<Document>,
    /// The id of the open document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

/// A change to the workspace: what the UI's reducer applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// The user typed: the document's new text.
    SetText {
        id: String,
        text: String,
    },
    /// A new document from the template for `kind`; it becomes the open one.
    Add {
        kind: DocumentKind,
    },
    /// Adds a document with the given text (an import) and opens it.
    AddText {
        kind: DocumentKind,
        text: String,
    },
    /// Renames the resource: rewrites the name member in the text when there is one.
    Rename {
        id: String,
        name: String,
    },
    Delete {
        id: String,
    },
    Select {
        id: String,
    },
    /// Replaces everything (a template, a share link, a file).
    Replace(Workspace),
}

impl Edit {
    /// Edits that are not work (opening a document) stay out of undo history.
    pub fn changes_work(&self) -> bool {
        !matches!(self, Edit::Select { .. })
    }
}

impl Workspace {
    pub fn empty() -> Workspace {
        Workspace {
            documents: Vec::new(),
            selected: None,
        }
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn selected_document(&self) -> Option<&Document> {
        self.selected.as_deref().and_then(|id| self.document(id))
    }

    pub fn of_kind(&self, kind: DocumentKind) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(move |d| d.kind == kind)
    }

    /// An id no document has.
    pub fn next_id(&self) -> String {
        let highest = self
            .documents
            .iter()
            .filter_map(|d| d.id.strip_prefix('d').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0);
        format!("d{}", highest.saturating_add(1))
    }

    /// A name no document of `kind` has, starting from `base`.
    fn unused_name(&self, kind: DocumentKind, base: &str) -> String {
        let taken = |name: &str| self.of_kind(kind).any(|d| d.name == name);
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|name| !taken(name))
            .unwrap_or_else(|| base.to_string())
    }

    /// The workspace after `edit`. Edits naming a document that does not
    /// exist change nothing.
    pub fn apply(&self, edit: Edit) -> Workspace {
        let mut next = self.clone();
        match edit {
            Edit::SetText { id, text } => {
                if let Some(doc) = next.documents.iter_mut().find(|d| d.id == id) {
                    doc.set_text(text);
                }
            }
            Edit::Add { kind } => {
                let name = next.unused_name(kind, kind.default_name());
                let text = defaults::template(kind, &name);
                next.push(kind, &text);
            }
            Edit::AddText { kind, text } => next.push(kind, &text),
            Edit::Rename { id, name } => {
                if let Some(doc) = next.documents.iter_mut().find(|d| d.id == id) {
                    if let Some(text) = rename_in_text(doc.kind, &doc.text, &name) {
                        doc.text = text;
                    }
                    doc.name = name;
                }
            }
            Edit::Delete { id } => {
                let position = next.documents.iter().position(|d| d.id == id);
                if let Some(position) = position {
                    next.documents.remove(position);
                    if next.selected.as_deref() == Some(id.as_str()) {
                        let neighbour = position.min(next.documents.len().saturating_sub(1));
                        next.selected = next.documents.get(neighbour).map(|d| d.id.clone());
                    }
                }
            }
            Edit::Select { id } => {
                if next.document(&id).is_some() {
                    next.selected = Some(id);
                }
            }
            Edit::Replace(workspace) => next = workspace.normalized(),
        }
        next
    }

    fn push(&mut self, kind: DocumentKind, text: &str) {
        let id = self.next_id();
        self.documents.push(Document::new(&id, kind, text));
        self.selected = Some(id);
    }

    /// The same workspace with unique, non-empty ids and a selection that
    /// names a document (or none when there are no documents). Applied to
    /// everything read from storage or a link. The first holder of a
    /// duplicated id keeps it, and with it the selection.
    pub fn normalized(mut self) -> Workspace {
        let mut seen = std::collections::BTreeSet::new();
        let mut counter = 0u64;
        for doc in &mut self.documents {
            if doc.id.is_empty() || seen.contains(&doc.id) {
                loop {
                    counter += 1;
                    let candidate = format!("r{counter}");
                    if !seen.contains(&candidate) {
                        doc.id = candidate;
                        break;
                    }
                }
            }
            seen.insert(doc.id.clone());
        }
        let selection_valid = self.selected.as_deref().is_some_and(|id| seen.contains(id));
        if !selection_valid {
            self.selected = self.documents.first().map(|d| d.id.clone());
        }
        self
    }

    /// Task definitions by family, with the revision each document would get
    /// when registered in workspace order (1, 2, … per family).
    pub fn revisions(&self) -> Vec<Revision> {
        let mut counts: Vec<(String, u32)> = Vec::new();
        let mut out = Vec::new();
        for doc in self.of_kind(DocumentKind::TaskDefinition) {
            let family = doc.name.clone();
            let revision = match counts.iter_mut().find(|(f, _)| *f == family) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((family.clone(), 1));
                    1
                }
            };
            out.push(Revision {
                id: doc.id.clone(),
                family,
                revision,
            });
        }
        out
    }
}

/// One task definition document's place in its family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: String,
    pub family: String,
    pub revision: u32,
}

/// The text with the resource's name member set to `name`, touching nothing
/// else; `None` when the text does not parse or has no such string member.
pub fn rename_in_text(kind: DocumentKind, text: &str, name: &str) -> Option<String> {
    let root = json::parse(text).ok()?;
    let node = match (kind, root.get("taskDefinition")) {
        (DocumentKind::TaskDefinition, Some(inner)) if inner.is_object() => inner,
        _ => &root,
    };
    let member = node.member(kind.name_field())?;
    member.value.as_str()?;
    let span = member.value.span;
    let quoted = crate::json::write::quoted(name);
    let (start, end) = (span.start as usize, span.end as usize);
    let mut out = String::with_capacity(text.len() + quoted.len());
    out.push_str(text.get(..start)?);
    out.push_str(&quoted);
    out.push_str(text.get(end..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_workspace_has_one_of_each_and_opens_the_task_definition() {
        let ws = default_workspace();
        let kinds: Vec<_> = ws.documents.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, DocumentKind::ALL.to_vec());
        let names: Vec<_> = ws.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["web-app", "demo", "web"]);
        assert_eq!(
            ws.selected_document().map(|d| d.kind),
            Some(DocumentKind::TaskDefinition)
        );
    }

    #[test]
    fn adding_uses_a_fresh_id_and_name_and_opens_the_new_document() {
        let ws = default_workspace()
            .apply(Edit::Add {
                kind: DocumentKind::Cluster,
            })
            .apply(Edit::Add {
                kind: DocumentKind::Cluster,
            });
        let clusters: Vec<_> = ws
            .of_kind(DocumentKind::Cluster)
            .map(|d| (d.id.as_str(), d.name.as_str()))
            .collect();
        assert_eq!(
            clusters,
            [
                ("d2", "demo"),
                ("d4", "new-cluster"),
                ("d5", "new-cluster-2")
            ]
        );
        assert_eq!(ws.selected.as_deref(), Some("d5"));
        for kind in DocumentKind::ALL {
            let ws = Workspace::empty().apply(Edit::Add { kind });
            let doc = &ws.documents[0];
            assert_eq!(
                name_in_text(kind, &doc.text).as_deref(),
                Some(doc.name.as_str()),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_cloudformation_task_definition_is_named_by_its_family() {
        let template = r#"{"Resources": {"Api": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "api", "ContainerDefinitions": []}}}}"#;
        let properties = r#"{"Family": "cron", "ContainerDefinitions": []}"#;
        let by_ref = r#"{"Family": {"Ref": "Name"}, "ContainerDefinitions": []}"#;
        for (text, name) in [
            (template, Some("api")),
            (properties, Some("cron")),
            (by_ref, None),
        ] {
            assert_eq!(
                name_in_text(DocumentKind::TaskDefinition, text).as_deref(),
                name,
                "{text}"
            );
        }
    }

    #[test]
    fn renaming_rewrites_only_the_name_member() {
        let text = "{\n  \"family\" : \"web\",  \"x\": {\"family\": \"keep\"}\n}";
        let ws = Workspace::empty().apply(Edit::AddText {
            kind: DocumentKind::TaskDefinition,
            text: text.into(),
        });
        let ws = ws.apply(Edit::Rename {
            id: "d1".into(),
            name: "api \"v2\"".into(),
        });
        assert_eq!(
            ws.documents[0].text,
            "{\n  \"family\" : \"api \\\"v2\\\"\",  \"x\": {\"family\": \"keep\"}\n}"
        );
        assert_eq!(ws.documents[0].name, "api \"v2\"");

        // Inside a describe output, the family is under taskDefinition.
        let describe = r#"{"taskDefinition": {"family": "a", "revision": 3}}"#;
        assert_eq!(
            rename_in_text(DocumentKind::TaskDefinition, describe, "b").as_deref(),
            Some(r#"{"taskDefinition": {"family": "b", "revision": 3}}"#)
        );
        // Text that does not parse keeps its text; only the label changes.
        let ws = Workspace::empty()
            .apply(Edit::AddText {
                kind: DocumentKind::Service,
                text: "{ broken".into(),
            })
            .apply(Edit::Rename {
                id: "d1".into(),
                name: "svc".into(),
            });
        assert_eq!(
            (ws.documents[0].text.as_str(), ws.documents[0].name.as_str()),
            ("{ broken", "svc")
        );
    }

    #[test]
    fn typing_updates_the_name_when_the_text_has_one() {
        let ws = default_workspace().apply(Edit::SetText {
            id: "d3".into(),
            text: r#"{"serviceName": "api"}"#.into(),
        });
        assert_eq!(ws.documents[2].name, "api");
        let ws = ws.apply(Edit::SetText {
            id: "d3".into(),
            text: "{".into(),
        });
        assert_eq!(ws.documents[2].name, "api");
    }

    #[test]
    fn deleting_the_open_document_opens_its_neighbour() {
        let ws = default_workspace()
            .apply(Edit::Select { id: "d2".into() })
            .apply(Edit::Delete { id: "d2".into() });
        assert_eq!(ws.selected.as_deref(), Some("d3"));
        let ws = ws.apply(Edit::Delete { id: "d3".into() });
        assert_eq!(ws.selected.as_deref(), Some("d1"));
        let ws = ws.apply(Edit::Delete { id: "d1".into() });
        assert_eq!((ws.documents.len(), ws.selected), (0, None));
        // Unknown ids change nothing.
        assert_eq!(
            default_workspace().apply(Edit::Delete { id: "nope".into() }),
            default_workspace()
        );
        assert_eq!(
            default_workspace().apply(Edit::Select { id: "nope".into() }),
            default_workspace()
        );
    }

    #[test]
    fn normalizing_repairs_ids_and_selection() {
        let doc = |id: &str| Document::new(id, DocumentKind::Service, "{}");
        let ws = Workspace {
            documents: vec![doc("a"), doc("a"), doc(""), doc("r1")],
            selected: Some("zzz".into()),
        }
        .normalized();
        let ids: Vec<_> = ws.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "r1", "r2", "r3"]);
        assert_eq!(ws.selected.as_deref(), Some("a"));
    }

    /// Every way a document is made or changed derives its name from its
    /// text (the one place revisions and compare read it); a stored or
    /// shared name stays only while the text gives none.
    #[test]
    fn every_construction_path_names_the_document_from_its_text() {
        let td = DocumentKind::TaskDefinition;
        assert_eq!(Document::new("a", td, r#"{"family": "web"}"#).name, "web");
        assert_eq!(Document::new("a", td, "{").name, td.default_name());
        // Stored with a stale name: the text's wins; without one, the stored.
        let stored = |name: &str, text: &str| serde_json::json!({"id": "a", "kind": td.id(), "name": name, "text": text});
        let read = |value: &Value| Document::from_value(value).unwrap().name;
        assert_eq!(read(&stored("old", r#"{"family": "new"}"#)), "new");
        assert_eq!(read(&stored("kept", "{")), "kept");
        let shared = crate::share::v1::workspace_from_json(
            br#"{"documents": [{"id": "a", "kind": "taskDefinition", "name": "old", "text": "{\"family\": \"new\"}"}]}"#,
        )
        .unwrap();
        assert_eq!(shared.documents[0].name, "new");
        // Typing: the new name, or the last while the text does not parse;
        // revisions read it.
        let ws = default_workspace().apply(Edit::AddText {
            kind: td,
            text: r#"{"family": "big"}"#.into(),
        });
        let id = ws.selected.clone().unwrap();
        let family = |ws: &Workspace| {
            let revision = ws.revisions().into_iter().find(|r| r.id == id).unwrap();
            (ws.document(&id).unwrap().name.clone(), revision.family)
        };
        let ws = ws.apply(Edit::SetText {
            id: id.clone(),
            text: r#"{"family": "bigger"}"#.into(),
        });
        assert_eq!(family(&ws), ("bigger".into(), "bigger".into()));
        let ws = ws.apply(Edit::SetText {
            id: id.clone(),
            text: r#"{"family": "bigg"#.into(),
        });
        assert_eq!(family(&ws), ("bigger".into(), "bigger".into()));
    }

    #[test]
    fn revisions_count_per_family_in_order() {
        let td = |family: &str| Edit::AddText {
            kind: DocumentKind::TaskDefinition,
            text: format!(r#"{{"family": "{family}"}}"#),
        };
        let ws = default_workspace()
            .apply(td("worker"))
            .apply(td("web-app"))
            .apply(td("worker"));
        let revisions: Vec<_> = ws
            .revisions()
            .into_iter()
            .map(|r| format!("{}:{}", r.family, r.revision))
            .collect();
        assert_eq!(
            revisions,
            ["web-app:1", "worker:1", "web-app:2", "worker:2"]
        );
    }
}
