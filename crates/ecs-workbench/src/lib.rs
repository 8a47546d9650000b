//! The workbench the authoring page loads the first time someone imports
//! several files, a folder or a Terraform file (www/workbench/workbench.js,
//! built into `dist/workbench/` by `scripts/build-workbench.sh`): the engine
//! with its YAML and Terraform readers, kept out of the page's first load.
//!
//! Glue only: each function forwards to the engine and hands back JSON text
//! for the page to render. Classification is `ecs_engine::document`, the
//! check `document::check` (what `ecs-playground check` runs on each file),
//! the documents to add `workspace::analysis::documents_from`, the comparison
//! `ecs_engine::diff`.

use ecs_engine::diff::{diff_task_definitions, Rollout};
use ecs_engine::document::{self, DocumentKind};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One file as the workbench shows it: what it holds and what the engine
/// found in it (ranges in the file's own text).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckedFile {
    kind: DocumentKind,
    diagnostics: Vec<ecs_engine::Diagnostic>,
}

/// `{"kind": ..., "diagnostics": [...]}` for a file's text: `kind` is
/// `taskDefinition`, `service`, `terraform` or `unrelated` (no diagnostics).
#[wasm_bindgen(js_name = checkFile)]
pub fn check_file(text: &str) -> String {
    let classified = document::classify_parsed(text);
    let kind = classified.kind;
    let diagnostics = document::check(text, classified, &|_| None)
        .map(|analysis| analysis.diagnostics)
        .unwrap_or_default();
    serde_json::to_string(&CheckedFile { kind, diagnostics }).unwrap_or_default()
}

#[derive(Serialize)]
struct WorkspaceDocument {
    kind: ecs_engine::workspace::DocumentKind,
    text: String,
}

/// The workspace documents a file gives, as JSON `[{"kind", "text"}]`:
/// JSON as written, YAML and Compose as register input, each ECS resource
/// of a Terraform file as its API input; throws why when it gives none.
#[wasm_bindgen(js_name = documentsFrom)]
pub fn documents_from(text: &str) -> Result<String, String> {
    let documents: Vec<WorkspaceDocument> =
        ecs_engine::workspace::analysis::documents_from(text, &|_| None)?
            .into_iter()
            .map(|(kind, text)| WorkspaceDocument { kind, text })
            .collect();
    serde_json::to_string(&documents).map_err(|e| e.to_string())
}

/// Two task definitions compared field by field, and what UpdateService
/// with the second does to a service of `desired_count` tasks under the
/// given bounds (`ecs_engine::diff::RevisionDiff` as JSON); throws which
/// document could not be read.
#[wasm_bindgen(js_name = diffTaskDefinitions)]
pub fn diff(
    before: &str,
    after: &str,
    desired_count: u32,
    minimum_healthy_percent: u32,
    maximum_percent: u32,
) -> Result<String, String> {
    let rollout = Rollout {
        desired_count,
        minimum_healthy_percent,
        maximum_percent,
    };
    let diff = diff_task_definitions(before, after, rollout)?;
    serde_json::to_string(&diff).map_err(|e| e.to_string())
}

/// The findings of one document of a saved workspace (`storage::save`'s
/// text, what the authoring page stores), as the JSON array of
/// `ecs_engine::Diagnostic`: `workspace::analysis::analyze_document`, the
/// analysis the page runs itself on smaller documents, run in a Web Worker
/// for large ones (www/big-editor/analysis-worker.js). Throws when the
/// workspace has no such document.
#[wasm_bindgen(js_name = analyzeWorkspaceDocument)]
pub fn analyze_workspace_document(saved_workspace: &str, id: &str) -> Result<String, String> {
    let workspace = ecs_engine::workspace::storage::load(Some(saved_workspace)).workspace;
    let document = workspace
        .documents
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| format!("the workspace has no document {id}"))?;
    let analysis = ecs_engine::workspace::analysis::analyze_document(&workspace, document);
    serde_json::to_string(&analysis.diagnostics).map_err(|e| e.to_string())
}

/// One of the authoring page's Export panel's files for a saved workspace
/// (`storage::save`'s text): `what` is `register` or `cloudformation` (the
/// workspace's task definition to place, as register input or a
/// CloudFormation resource: `ecs_engine::export`), `script` (an `aws ecs`
/// script: `export::cli_script`) or `scenario` (the scenario JSON:
/// `workspace::scenario::to_scenario`). JSON `{name, mime, text, warnings}`
/// (warnings: what the export left out); throws why there is no file. Kept
/// out of the page's first load: the page downloads what this returns.
#[wasm_bindgen(js_name = exportWorkspace)]
pub fn export_workspace(saved_workspace: &str, what: &str) -> Result<String, String> {
    use ecs_engine::export::{export, ExportTarget};
    use ecs_engine::workspace::scenario::{to_scenario, ScenarioSettings};

    #[derive(Serialize)]
    struct Exported {
        name: String,
        mime: &'static str,
        text: String,
        warnings: Vec<String>,
    }
    let workspace = ecs_engine::workspace::storage::load(Some(saved_workspace)).workspace;
    let exported = match what {
        "register" | "cloudformation" => {
            let doc = ecs_engine::workspace::analysis::task_definition_to_place(&workspace)
                .ok_or("There is no task definition to export.")?;
            let (target, suffix) = match what {
                "cloudformation" => (ExportTarget::CloudFormation, "-cloudformation"),
                _ => (ExportTarget::Register, ""),
            };
            let text = export(&doc.text, target).map_err(|analysis| {
                let errors = analysis.error_count();
                format!(
                    "{} was not exported: AWS would reject it ({errors} error{}). Fix what Problems lists, then export again.",
                    doc.name,
                    if errors == 1 { "" } else { "s" }
                )
            })?;
            Exported {
                name: format!("{}{suffix}.json", file_stem(&doc.name)),
                mime: "application/json",
                text,
                warnings: Vec::new(),
            }
        }
        "script" | "scenario" => {
            let export = to_scenario(&workspace, &ScenarioSettings::default());
            let warnings = export
                .skipped
                .iter()
                .map(|skipped| format!("Left out of the export: {}", skipped.reason))
                .collect();
            if what == "script" {
                Exported {
                    name: "create-workspace.sh".into(),
                    mime: "text/x-shellscript",
                    text: ecs_engine::export::cli_script::cli_script(&export.scenario),
                    warnings,
                }
            } else {
                Exported {
                    name: "workspace-scenario.json".into(),
                    mime: "application/json",
                    text: ecs_engine::json::write::pretty(&export.scenario) + "\n",
                    warnings,
                }
            }
        }
        _ => return Err(format!("no export called {what}")),
    };
    serde_json::to_string(&exported).map_err(|e| e.to_string())
}

/// A file name from a resource name: letters, digits, `-` and `_` only.
fn file_stem(name: &str) -> String {
    let stem = ecs_engine::text::dashed_name(name);
    if stem.trim_matches('-').is_empty() {
        "task-definition".into()
    } else {
        stem
    }
}

/// The localStorage key the authoring page keeps the workspace under.
#[wasm_bindgen(js_name = workspaceStorageKey)]
pub fn workspace_storage_key() -> String {
    ecs_engine::workspace::storage::STORAGE_KEY.to_string()
}

/// The stored workspace's open task definition compared with `other`
/// (`ecs_engine::workspace::compare::WorkspaceComparison` as JSON, with
/// `run`: the deployment as a saved run, for the run page's link, when there
/// is one); `workspace_is_new` makes the workspace document the new revision.
#[wasm_bindgen(js_name = compareWithWorkspace)]
pub fn compare_with_workspace(
    stored_workspace: Option<String>,
    other: &str,
    workspace_is_new: bool,
) -> Result<String, String> {
    let workspace = ecs_engine::workspace::storage::load(stored_workspace.as_deref()).workspace;
    let compared = ecs_engine::workspace::compare::compare_with_workspace(
        &workspace,
        other,
        workspace_is_new,
    )?;
    let mut value = serde_json::to_value(&compared).map_err(|e| e.to_string())?;
    if let (Some(run), Some(object)) = (&compared.run, value.as_object_mut()) {
        object.insert("run".into(), run.save().into());
    }
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

/// The run page's address fragment (after `#run=`) for a run whose saved
/// JSON the page deflated (the browser's `CompressionStream`): the share
/// links' own format (`ecs_engine::share`).
#[wasm_bindgen(js_name = runFragment)]
pub fn run_fragment(deflated: &[u8]) -> String {
    ecs_engine::share::fragment_for(ecs_engine::share::CURRENT_VERSION, deflated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terraform_file_is_checked_in_its_own_text() {
        let tf = "resource \"aws_ecs_service\" \"web\" {\n  name = \"web app\"\n  task_definition = \"web:1\"\n}\n";
        let checked: serde_json::Value = serde_json::from_str(&check_file(tf)).unwrap();
        assert_eq!(checked["kind"], "terraform");
        let finding = checked["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "service-name-format")
            .expect("the service name is refused");
        assert_eq!(finding["range"]["start"]["line"], 2);
    }

    #[test]
    fn a_saved_workspace_document_is_analysed_as_the_page_analyses_it() {
        let workspace = ecs_engine::workspace::default_workspace();
        let saved = ecs_engine::workspace::storage::save(&workspace);
        for document in &workspace.documents {
            let expected = ecs_engine::workspace::analysis::analyze_document(&workspace, document);
            let found: Vec<ecs_engine::Diagnostic> =
                serde_json::from_str(&analyze_workspace_document(&saved, &document.id).unwrap())
                    .unwrap();
            assert_eq!(found, expected.diagnostics, "{}", document.id);
        }
        assert!(analyze_workspace_document(&saved, "no-such-document").is_err());
    }

    #[test]
    fn the_export_panel_files_come_from_the_saved_workspace() {
        let saved =
            ecs_engine::workspace::storage::save(&ecs_engine::workspace::default_workspace());
        let file = |what: &str| -> serde_json::Value {
            serde_json::from_str(&export_workspace(&saved, what).unwrap()).unwrap()
        };
        let register = file("register");
        let text: serde_json::Value =
            serde_json::from_str(register["text"].as_str().unwrap()).unwrap();
        assert!(text["containerDefinitions"].is_array());
        assert!(register["name"].as_str().unwrap().ends_with(".json"));
        assert!(file("cloudformation")["name"]
            .as_str()
            .unwrap()
            .ends_with("-cloudformation.json"));
        assert!(file("script")["text"]
            .as_str()
            .unwrap()
            .starts_with("#!/bin/sh\n"));
        assert_eq!(file("scenario")["name"], "workspace-scenario.json");
        assert!(export_workspace(&saved, "nothing").is_err());
        assert_eq!(file_stem("web app/1"), "web-app-1");
        assert_eq!(file_stem("?"), "task-definition");
    }

    #[test]
    fn unrelated_files_are_classified_with_nothing_to_say() {
        let checked: serde_json::Value =
            serde_json::from_str(&check_file("{\"name\": \"my-package\"}")).unwrap();
        assert_eq!(checked["kind"], "unrelated");
        assert_eq!(checked["diagnostics"], serde_json::json!([]));
    }

    #[test]
    fn files_give_workspace_documents() {
        let compose = "services:\n  web:\n    image: nginx:1.27\n";
        let docs: serde_json::Value =
            serde_json::from_str(&documents_from(compose).unwrap()).unwrap();
        assert_eq!(docs[0]["kind"], "taskDefinition");
        assert!(
            docs[0]["text"].as_str().unwrap().contains("\"nginx:1.27\""),
            "{docs}"
        );

        let tf = "resource \"aws_ecs_cluster\" \"prod\" {\n  name = \"prod\"\n}\nresource \"aws_ecs_service\" \"web\" {\n  name = \"web\"\n  cluster = aws_ecs_cluster.prod.id\n  task_definition = \"web:1\"\n}\n";
        let docs: serde_json::Value = serde_json::from_str(&documents_from(tf).unwrap()).unwrap();
        assert_eq!(docs[0]["kind"], "cluster");
        assert_eq!(docs[1]["kind"], "service");
        assert!(
            docs[1]["text"]
                .as_str()
                .unwrap()
                .contains("\"serviceName\": \"web\""),
            "{docs}"
        );

        assert!(documents_from("# a README\n").is_err());
    }

    #[test]
    fn the_stored_workspace_is_compared_and_its_deployment_is_a_run() {
        let workspace = ecs_engine::workspace::default_workspace();
        let stored = ecs_engine::workspace::storage::save(&workspace);
        let open = workspace.selected_document().unwrap().text.clone();
        let running = open.replace("nginx:1.27", "nginx:1.26");
        let compared: serde_json::Value =
            serde_json::from_str(&compare_with_workspace(Some(stored), &running, true).unwrap())
                .unwrap();
        assert_eq!(compared["diff"]["startsDeployment"], true);
        assert!(compared["service"]["service"].is_string(), "{compared}");
        let run = ecs_engine::workspace::run::Run::load(compared["run"].as_str().unwrap())
            .expect("the run reads back");
        assert_eq!(run.actions[0].steps[1].call, "UpdateService");
        assert!(run_fragment(&[1, 2, 3]).starts_with("v1."));
    }

    #[test]
    fn a_changed_image_starts_a_deployment() {
        let before = r#"{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.26", "memory": 512}]}"#;
        let after = before.replace("1.26", "1.27");
        let diff: serde_json::Value =
            serde_json::from_str(&diff(before, &after, 4, 50, 200).unwrap()).unwrap();
        assert_eq!(
            diff["changes"][0]["path"],
            "containerDefinitions[web].image"
        );
        assert_eq!(diff["startsDeployment"], true);
    }
}
