//! Diagnostics for any workspace document, and what an imported text is.

use serde_json::Value;

use super::scenario::{register_input, INSTANCE_GROUPS};
use super::{parse_value, storage, Document, DocumentKind, Workspace};
use crate::arn::task_definition_family;
use crate::{analyze_request, analyze_task_definition, share, Analysis, DocumentAccount};

/// Task definitions are analysed as such; clusters as CreateCluster input
/// (the playground's own `instanceGroups` aside); services as CreateService
/// input, against the workspace's task definition of the family they name.
pub fn analyze_document(workspace: &Workspace, doc: &Document) -> Analysis {
    match doc.kind {
        DocumentKind::TaskDefinition => analyze_task_definition(&doc.text),
        DocumentKind::Cluster => {
            let mut analysis =
                analyze_request("CreateCluster", &doc.text, &DocumentAccount::default());
            analysis
                .diagnostics
                .retain(|d| !is_under(&d.path, INSTANCE_GROUPS));
            analysis
        }
        DocumentKind::Service => {
            let account = DocumentAccount::with_task_definition(service_task_definition(
                workspace, &doc.text,
            ));
            analyze_request("CreateService", &doc.text, &account)
        }
    }
}

fn is_under(path: &str, member: &str) -> bool {
    path.strip_prefix(member)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// The register input of the latest workspace revision of the service's family.
fn service_task_definition(workspace: &Workspace, service_text: &str) -> Option<Value> {
    let service = parse_value(service_text).ok()?;
    let family = task_definition_family(service.get("taskDefinition")?.as_str()?).to_string();
    let revision = workspace
        .revisions()
        .into_iter()
        .rfind(|r| r.family == family)?;
    let doc = workspace.document(&revision.id)?;
    let value = parse_value(&doc.text).ok()?;
    register_input(value, &family).ok()
}

/// The task definition a document places: the open one when it is a task
/// definition, else the one the open service names, else the first.
pub fn task_definition_to_place(workspace: &Workspace) -> Option<&Document> {
    let selected = workspace.selected_document();
    if let Some(doc) = selected.filter(|d| d.kind == DocumentKind::TaskDefinition) {
        return Some(doc);
    }
    if let Some(service) = selected.filter(|d| d.kind == DocumentKind::Service) {
        let named = parse_value(&service.text).ok().and_then(|v| {
            v.get("taskDefinition")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        if let Some(reference) = named {
            let family = task_definition_family(&reference);
            let found = workspace
                .revisions()
                .into_iter()
                .rfind(|r| r.family == family)
                .and_then(|r| workspace.document(&r.id));
            if found.is_some() {
                return found;
            }
        }
    }
    workspace.of_kind(DocumentKind::TaskDefinition).next()
}

/// The cluster the panel shows: the open one, else the one the open service
/// names (by name or ARN), else the first.
pub fn cluster_to_show(workspace: &Workspace) -> Option<&Document> {
    let selected = workspace.selected_document();
    if let Some(cluster) = selected.filter(|d| d.kind == DocumentKind::Cluster) {
        return Some(cluster);
    }
    let named = selected
        .filter(|d| d.kind == DocumentKind::Service)
        .and_then(|service| parse_value(&service.text).ok())
        .and_then(|v| v.get("cluster").and_then(Value::as_str).map(str::to_string));
    if let Some(reference) = named {
        let name = crate::arn::short_name(&reference);
        if let Some(found) = workspace
            .of_kind(DocumentKind::Cluster)
            .find(|c| c.name == name)
        {
            return Some(found);
        }
    }
    workspace.of_kind(DocumentKind::Cluster).next()
}

/// What a pasted, picked or dropped text holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// A whole workspace (a saved workspace file): replaces the work.
    Workspace(Workspace),
    /// A share link, still compressed: inflated by the caller (the browser
    /// does it natively), then read with [`share::workspace_from_json`]; a
    /// whole workspace like [`Imported::Workspace`].
    ShareLink(share::SplitLink),
    /// One document to add.
    Document { kind: DocumentKind, text: String },
    /// Text that is not JSON (it does not start like JSON): CloudFormation
    /// YAML, Docker Compose or Terraform, read by [`documents_from`] built
    /// with `yaml` and `terraform`. The browser's first load reads JSON only
    /// and hands it to the workbench it loads on demand, which reads it (or
    /// says why it cannot) and gives back the documents to add. The text is
    /// the user's, as given.
    Foreign(String),
    /// Not something the playground reads, and why.
    Unrecognised(String),
}

pub fn import_text(text: &str) -> Imported {
    let trimmed = text.trim();
    // A share link, whole or just its fragment.
    if let Some(fragment) = trimmed
        .rsplit_once('#')
        .map(|(_, f)| f)
        .filter(|f| share::looks_like_share_link(f) && !trimmed.starts_with('{'))
    {
        return match share::split_link(fragment) {
            Ok(link) => Imported::ShareLink(link),
            Err(e) => Imported::Unrecognised(e.to_string()),
        };
    }
    let value: Option<Value> = parse_value(trimmed).ok();
    // One path for every form that is not JSON, to one reader.
    if value.is_none() && !trimmed.starts_with(['{', '[', '"']) {
        return Imported::Foreign(text.to_string());
    }
    if let Some(format) = value
        .as_ref()
        .and_then(|v| v.get("format"))
        .and_then(Value::as_str)
    {
        if format == storage::FORMAT {
            let loaded = storage::load(Some(trimmed));
            return match loaded.outcome {
                storage::LoadOutcome::Unreadable { reason } => Imported::Unrecognised(format!(
                    "the workspace file could not be read ({reason})"
                )),
                _ => Imported::Workspace(loaded.workspace),
            };
        }
    }
    let object = value.as_ref().and_then(Value::as_object);
    let has = |key: &str| object.is_some_and(|o| o.contains_key(key));
    let kind = if has("serviceName") {
        DocumentKind::Service
    } else if has("clusterName") || has(INSTANCE_GROUPS) {
        DocumentKind::Cluster
    } else {
        DocumentKind::TaskDefinition
    };
    if kind == DocumentKind::TaskDefinition {
        let analysis = analyze_task_definition(trimmed);
        if analysis.form.is_none() {
            let first = analysis.diagnostics.first();
            let reason = first.map_or_else(|| "not recognised".into(), |d| d.message.clone());
            return Imported::Unrecognised(format!(
                "This is not a task definition, cluster, service or workspace the playground reads: {reason}"
            ));
        }
    }
    Imported::Document {
        kind,
        text: text.to_string(),
    }
}

/// The workspace documents a file's text gives (the workbench adds each):
/// a task definition, service or cluster in JSON as written; a task
/// definition in YAML (CloudFormation) or Compose as register input; each ECS
/// resource of a Terraform file as its API input, what Terraform computes
/// kept as `${...}` placeholders. Why, when it gives none.
pub fn documents_from(
    text: &str,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(DocumentKind, String)>, String> {
    match import_text(text) {
        Imported::Foreign(text) if crate::import::terraform_markers(&text) => {
            terraform_documents(&text, file_text)
        }
        Imported::Document { kind, text } => Ok(vec![(kind, text)]),
        // Not JSON: a YAML template or a Compose file.
        Imported::Foreign(text) => Ok(vec![(
            DocumentKind::TaskDefinition,
            crate::export::register_input_from(&text)?,
        )]),
        Imported::Workspace(_) | Imported::ShareLink(_) => {
            Err("this is a whole workspace: import it on its own".into())
        }
        Imported::Unrecognised(why) => Err(why),
    }
}

#[cfg(feature = "terraform")]
fn terraform_documents(
    text: &str,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(DocumentKind, String)>, String> {
    use crate::import::terraform::{read, ResourceKind};
    let resources = read(text, file_text).map_err(|e| e.message)?;
    if resources.is_empty() {
        return Err("this Terraform file declares no aws_ecs_task_definition, aws_ecs_service or aws_ecs_cluster resource".into());
    }
    Ok(resources
        .iter()
        .map(|resource| {
            let kind = match resource.kind {
                ResourceKind::TaskDefinition => DocumentKind::TaskDefinition,
                ResourceKind::Service => DocumentKind::Service,
                ResourceKind::Cluster => DocumentKind::Cluster,
            };
            (kind, crate::json::write::pretty(&resource.node.to_value()))
        })
        .collect())
}

#[cfg(not(feature = "terraform"))]
fn terraform_documents(
    _: &str,
    _: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(DocumentKind, String)>, String> {
    Err("Terraform is read by the workbench, which this build does not include".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{default_workspace, Edit};

    #[test]
    fn the_default_documents_have_no_errors() {
        let ws = default_workspace();
        for doc in &ws.documents {
            let analysis = analyze_document(&ws, doc);
            assert_eq!(
                analysis.error_count(),
                0,
                "{}: {:?}",
                doc.name,
                analysis.diagnostics
            );
        }
    }

    #[test]
    fn a_service_is_checked_against_its_task_definition() {
        let ws = default_workspace().apply(Edit::SetText {
            id: "d3".into(),
            text: r#"{"cluster": "demo", "serviceName": "web", "taskDefinition": "web-app:1", "desiredCount": 1, "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}"#.into(),
        });
        let analysis = analyze_document(&ws, &ws.documents[2]);
        // web-app uses bridge networking, so a network configuration is refused.
        assert!(analysis.error_count() > 0, "{:?}", analysis.diagnostics);
    }

    #[test]
    fn placement_follows_the_open_document() {
        let ws = default_workspace().apply(Edit::AddText {
            kind: DocumentKind::TaskDefinition,
            text: r#"{"family": "other"}"#.into(),
        });
        assert_eq!(
            task_definition_to_place(&ws).map(|d| d.id.as_str()),
            Some("d4")
        );
        let ws = ws.apply(Edit::Select { id: "d3".into() });
        assert_eq!(
            task_definition_to_place(&ws).map(|d| d.id.as_str()),
            Some("d1")
        );
        assert_eq!(cluster_to_show(&ws).map(|d| d.id.as_str()), Some("d2"));
        // An open service shows the cluster it names, by name or ARN.
        let ws = ws
            .apply(Edit::AddText {
                kind: DocumentKind::Cluster,
                text: r#"{"clusterName": "shop"}"#.into(),
            })
            .apply(Edit::SetText {
                id: "d3".into(),
                text:
                    r#"{"serviceName": "web", "cluster": "arn:aws:ecs:us-east-1:1:cluster/shop"}"#
                        .into(),
            })
            .apply(Edit::Select { id: "d3".into() });
        assert_eq!(cluster_to_show(&ws).map(|d| d.name.as_str()), Some("shop"));
    }

    #[test]
    fn imports_are_recognised_by_what_they_hold() {
        let describe = r#"{"taskDefinition": {"family": "x", "containerDefinitions": []}}"#;
        assert!(matches!(
            import_text(describe),
            Imported::Document {
                kind: DocumentKind::TaskDefinition,
                ..
            }
        ));
        assert!(matches!(
            import_text(r#"{"serviceName": "s"}"#),
            Imported::Document {
                kind: DocumentKind::Service,
                ..
            }
        ));
        assert!(matches!(
            import_text(r#"{"clusterName": "c"}"#),
            Imported::Document {
                kind: DocumentKind::Cluster,
                ..
            }
        ));
        let ws = default_workspace();
        assert_eq!(
            import_text(&storage::save(&ws)),
            Imported::Workspace(ws.clone())
        );
        // A link is split here and inflated by the caller.
        let fixed = include_str!("../share/fixed-v1-link.txt").trim();
        let Imported::ShareLink(link) = import_text(&format!("https://example.com/play/{fixed}"))
        else {
            panic!("a share link is recognised");
        };
        assert_eq!(Ok(link), share::split_link(fixed));
        assert!(matches!(import_text("42"), Imported::Unrecognised(_)));
        // Terraform is handed to the workbench's reader, as given.
        let tf = "# the web service\nresource \"aws_ecs_service\" \"web\" {\n  name = \"web\"\n}\n";
        assert_eq!(import_text(tf), Imported::Foreign(tf.to_string()));
        let compose = "services:\n  web:\n    image: nginx\n";
        assert_eq!(import_text(compose), Imported::Foreign(compose.to_string()));
        assert!(matches!(
            import_text("{\"family\": "),
            Imported::Unrecognised(_)
        ));
        assert!(
            matches!(import_text("https://x/#v1.@@"), Imported::Unrecognised(m) if m.contains("damaged"))
        );
    }
}
