//! Share format v1, frozen: links made with it decode forever. Change
//! nothing here; a new format is a new module.

use serde::Serialize;
use serde_json::Value;

use super::ShareError;
use crate::workspace::{parse_value, Document, DocumentKind, Workspace};

/// The v1 payload: minified JSON of this, members in this order.
#[derive(Debug, Serialize)]
pub struct Payload {
    pub documents: Vec<PayloadDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PayloadDocument {
    pub id: String,
    /// `taskDefinition`, `cluster` or `service`.
    pub kind: String,
    pub name: String,
    pub text: String,
}

/// The minified JSON of the payload (before deflate).
pub fn payload_json(workspace: &Workspace) -> String {
    let payload = Payload {
        documents: workspace
            .documents
            .iter()
            .map(|d| PayloadDocument {
                id: d.id.clone(),
                kind: kind_name(d.kind).to_string(),
                name: d.name.clone(),
                text: d.text.clone(),
            })
            .collect(),
        selected: workspace.selected.clone(),
    };
    crate::json::write::compact_of(&payload).unwrap_or_default()
}

/// The workspace in the payload's JSON (after inflate).
pub fn workspace_from_json(json: &[u8]) -> Result<Workspace, ShareError> {
    let text = std::str::from_utf8(json)
        .map_err(|_| ShareError::BadContent("the data is not UTF-8 text".into()))?;
    let value = parse_value(text).map_err(ShareError::BadContent)?;
    let documents = value
        .get("documents")
        .and_then(Value::as_array)
        .ok_or_else(|| ShareError::BadContent("it has no documents list".into()))?;
    let mut read = Vec::with_capacity(documents.len());
    for (i, d) in documents.iter().enumerate() {
        let field = |key: &str| d.get(key).and_then(Value::as_str);
        let kind_name = field("kind").unwrap_or_default();
        let kind = kind_of(kind_name).ok_or_else(|| {
            ShareError::BadContent(format!("unknown document kind {kind_name:?}"))
        })?;
        let (Some(id), Some(name), Some(text)) = (field("id"), field("name"), field("text")) else {
            return Err(ShareError::BadContent(format!(
                "document {} is incomplete",
                i + 1
            )));
        };
        read.push(Document::with_name(id, kind, name, text));
    }
    Ok(Workspace {
        documents: read,
        selected: value
            .get("selected")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
    .normalized())
}

fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::TaskDefinition => "taskDefinition",
        DocumentKind::Cluster => "cluster",
        DocumentKind::Service => "service",
    }
}

fn kind_of(name: &str) -> Option<DocumentKind> {
    match name {
        "taskDefinition" => Some(DocumentKind::TaskDefinition),
        "cluster" => Some(DocumentKind::Cluster),
        "service" => Some(DocumentKind::Service),
        _ => None,
    }
}
