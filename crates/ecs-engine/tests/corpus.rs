//! Real task definitions from public repositories must pass the rules: an
//! error-level diagnostic there is a false alarm unless AWS rejects the file
//! too, in which case it is listed in `KNOWN_REJECTIONS` with the reason.

use std::path::{Path, PathBuf};

use ecs_engine::check::task_definition;
use ecs_engine::{analyze_task_definition, Severity};

/// (file name, rule code, why AWS rejects it as well).
/// The aws-containers-task-definitions samples predate task execution roles
/// and were written for the console, which adds the role; registered as they
/// are, AWS rejects them just as the rules do.
const KNOWN_REJECTIONS: &[(&str, &str, &str)] = &[
    (
        "gunicorn_gunicorn_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    (
        "jetty_jetty_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    (
        "kibana_kibana_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    (
        "nginx_nginx_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    (
        "tomcat_tomcat_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    (
        "wildfly_wildfly_fargate.json",
        "execution-role-required",
        FARGATE_AWSLOGS_ROLE,
    ),
    ("kibana_kibana_ec2.json", "host-port-mismatch", AWSVPC_PORTS),
    ("tomcat_tomcat_ec2.json", "host-port-mismatch", AWSVPC_PORTS),
];

/// RegisterTaskDefinition answers: "ClientException: Fargate requires task
/// definition to have execution role ARN to support log driver awslogs."
const FARGATE_AWSLOGS_ROLE: &str = "Fargate with awslogs and no executionRoleArn";

/// RegisterTaskDefinition answers: "ClientException: When networkMode=awsvpc,
/// the host ports and container ports in port mappings must match." These
/// files use awsvpc with hostPort 80 in front of containerPort 5601 / 8080.
const AWSVPC_PORTS: &str = "awsvpc with hostPort different from containerPort";

fn corpus_dir() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ))
    .to_path_buf()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("the corpus is missing at {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn corpus_task_definitions_have_no_false_errors() {
    let mut files = Vec::new();
    json_files(&corpus_dir(), &mut files);
    files.sort();
    assert!(
        files.len() >= 50,
        "expected the corpus, found {} files",
        files.len()
    );
    let mut unexpected = Vec::new();
    let mut warnings = 0;
    let mut seen_rejections = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let analysis = analyze_task_definition(&text);
        for d in &analysis.diagnostics {
            if !task_definition::RULES.iter().any(|r| r.code == d.code) {
                continue;
            }
            if d.severity != Severity::Error {
                warnings += 1;
                continue;
            }
            let known = KNOWN_REJECTIONS
                .iter()
                .position(|(file, code, _)| *file == name && *code == d.code);
            seen_rejections.extend(known);
            if known.is_none() {
                unexpected.push(format!(
                    "{name}: {}[{}] {} {}",
                    d.severity.as_str(),
                    d.code,
                    d.path,
                    d.message
                ));
            }
        }
    }
    eprintln!(
        "{} corpus files, {warnings} warnings and infos",
        files.len()
    );
    for (index, (file, code, _)) in KNOWN_REJECTIONS.iter().enumerate() {
        if !seen_rejections.contains(&index) {
            unexpected.push(format!(
                "{file}: listed as rejected by {code}, but the rule no longer fires"
            ));
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected errors:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
