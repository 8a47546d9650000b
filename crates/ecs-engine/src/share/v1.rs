//! Share format v1, frozen: links made with it decode forever. Change
//! nothing here; a new format is a new module.

use serde::{Deserialize, Serialize};

use super::{deflate_base64, inflate_base64, ShareError};
use crate::workspace::{Document, DocumentKind, Workspace};

/// The v1 payload: minified JSON of this, members in this order.
#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub documents: Vec<PayloadDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PayloadDocument {
    pub id: String,
    /// `taskDefinition`, `cluster` or `service`.
    pub kind: String,
    pub name: String,
    pub text: String,
}

pub fn encode(workspace: &Workspace) -> String {
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
    deflate_base64(
        serde_json::to_string(&payload)
            .unwrap_or_default()
            .as_bytes(),
    )
}

pub fn decode(payload: &str) -> Result<Workspace, ShareError> {
    let json = inflate_base64(payload)?;
    let payload: Payload =
        serde_json::from_slice(&json).map_err(|e| ShareError::BadContent(e.to_string()))?;
    let mut documents = Vec::with_capacity(payload.documents.len());
    for d in payload.documents {
        let kind = kind_of(&d.kind)
            .ok_or_else(|| ShareError::BadContent(format!("unknown document kind {:?}", d.kind)))?;
        documents.push(Document {
            id: d.id,
            kind,
            name: d.name,
            text: d.text,
        });
    }
    Ok(Workspace {
        documents,
        selected: payload.selected,
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
