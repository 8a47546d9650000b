//! `export --to terraform`, Compose files, and `diff`, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo")
}

fn ecs_playground(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run ecs-playground");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn task_definitions_and_services_export_to_terraform_that_checks_clean() {
    let dir = repo();
    let (code, hcl, err) =
        ecs_playground(&["export", "--to", "terraform", "taskdefs/web.json"], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        hcl.starts_with("resource \"aws_ecs_task_definition\" \"web-app\" {"),
        "{hcl}"
    );
    assert!(hcl.contains("container_definitions = jsonencode("), "{hcl}");

    let service = r#"{"serviceName": "api", "cluster": "production", "taskDefinition": "api:12", "desiredCount": 2,
        "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200}}"#;
    let tmp = std::env::temp_dir().join(format!("ecs-cli-convert-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("service.json"), service).unwrap();
    std::fs::write(tmp.join("td.tf"), &hcl).unwrap();
    let (code, service_hcl, err) =
        ecs_playground(&["export", "--to", "terraform", "service.json"], &tmp);
    assert_eq!(code, 0, "{err}");
    assert!(
        service_hcl.contains("resource \"aws_ecs_service\" \"api\""),
        "{service_hcl}"
    );
    assert!(
        service_hcl.contains("deployment_minimum_healthy_percent = 50"),
        "{service_hcl}"
    );
    std::fs::write(tmp.join("service.tf"), &service_hcl).unwrap();

    // What was written reads back, with nothing to report.
    let (code, out, err) = ecs_playground(
        &[
            "check",
            "--no-config",
            "--fail-on",
            "info",
            "td.tf",
            "service.tf",
        ],
        &tmp,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("checked 2 files"), "{err}");

    // A service CreateService would reject is not exported.
    let (code, out, _) = ecs_playground(
        &["export", "--to", "terraform", "services/api-service.json"],
        &dir,
    );
    assert_eq!(code, 1);
    assert!(out.contains("service-name-format"), "{out}");
}

#[test]
fn a_cluster_exports_to_terraform_that_checks_clean() {
    let tmp = std::env::temp_dir().join(format!("ecs-cli-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(
        tmp.join("cluster.json"),
        r#"{"clusterName": "prod", "settings": [{"name": "containerInsights", "value": "enabled"}],
            "capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}"#,
    )
    .unwrap();
    let (code, hcl, err) = ecs_playground(&["export", "--to", "terraform", "cluster.json"], &tmp);
    assert_eq!(code, 0, "{err}");
    assert!(
        hcl.starts_with("resource \"aws_ecs_cluster\" \"prod\" {"),
        "{hcl}"
    );
    assert!(
        hcl.contains("resource \"aws_ecs_cluster_capacity_providers\" \"prod\" {"),
        "{hcl}"
    );
    std::fs::write(tmp.join("cluster.tf"), &hcl).unwrap();
    let (code, out, err) = ecs_playground(
        &["check", "--no-config", "--fail-on", "info", "cluster.tf"],
        &tmp,
    );
    assert_eq!(code, 0, "{out}{err}");

    // A cluster CreateCluster would reject is not exported.
    std::fs::write(
        tmp.join("bad.json"),
        r#"{"clusterName": "no spaces allowed"}"#,
    )
    .unwrap();
    let (code, out, _) = ecs_playground(&["export", "--to", "terraform", "bad.json"], &tmp);
    assert_eq!(code, 1, "{out}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn a_compose_file_exports_as_a_task_definition_with_its_env_file() {
    let dir = repo().join("compose");
    let tmp = std::env::temp_dir().join(format!("ecs-cli-compose-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::copy(dir.join("web.env"), tmp.join("web.env")).unwrap();
    std::fs::write(
        tmp.join("compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27\n    env_file: web.env\n    ports: [\"8080:80\"]\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n",
    )
    .unwrap();
    let (code, out, err) = ecs_playground(&["export", "--to", "register", "compose.yaml"], &tmp);
    assert_eq!(code, 0, "{out}{err}");
    let register: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let web = &register["containerDefinitions"][0];
    assert_eq!(web["memory"], 512);
    assert_eq!(web["portMappings"][0]["hostPort"], 8080);
    assert_eq!(web["environment"][0]["name"], "FEATURE_FLAGS");
    assert_eq!(web["environment"][1]["value"], "hello");
}

#[test]
fn diff_lists_changed_fields_and_the_deployment() {
    let dir = repo();
    let tmp = std::env::temp_dir().join(format!("ecs-cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let before = std::fs::read_to_string(dir.join("taskdefs/web.json")).unwrap();
    std::fs::write(tmp.join("before.json"), &before).unwrap();
    std::fs::write(
        tmp.join("after.json"),
        before.replace("nginx:1.27", "nginx:1.28"),
    )
    .unwrap();
    let described = format!(
        "{{\"taskDefinition\": {}}}",
        before.replacen('{', "{\"revision\": 4,", 1)
    );
    std::fs::write(tmp.join("described.json"), described).unwrap();

    let args = [
        "diff",
        "before.json",
        "after.json",
        "--desired-count",
        "4",
        "--minimum-healthy-percent",
        "50",
        "--maximum-percent",
        "100",
    ];
    let (code, out, err) = ecs_playground(&args, &tmp);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "containerDefinitions[web].image: \"public.ecr.aws/nginx/nginx:1.27\" -> \"public.ecr.aws/nginx/nginx:1.28\""
    );
    assert!(
        lines[1].starts_with("UpdateService: 1 field differs:"),
        "{out}"
    );
    assert!(lines[2].starts_with("Deployment: At least 2 of 4 tasks stay healthy and at most 4 run: ECS starts up to 0 new tasks and stops up to 2 old ones"), "{out}");

    let (code, out, _) = ecs_playground(
        &["diff", "before.json", "described.json", "--format", "json"],
        &tmp,
    );
    assert_eq!(code, 0);
    let diff: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(diff["changes"], serde_json::json!([]));
    assert_eq!(diff["startsDeployment"], false);

    std::fs::write(tmp.join("broken.json"), "{").unwrap();
    let (code, _, err) = ecs_playground(&["diff", "before.json", "broken.json"], &tmp);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json: line 1"), "{err}");
}
