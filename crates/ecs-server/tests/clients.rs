//! The endpoint driven by the real clients from the worktree's .venv
//! (scripts/setup.sh installs the pinned AWS CLI and boto3): the journeys in
//! tests/clients/, each against its own freshly started server.
//! `cargo test -p ecs-server --features real-clients --test clients`

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::Served;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn journey(script: &str, server_args: &[&str]) {
    let python = workspace().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (or `python3 -m venv .venv && .venv/bin/pip install -r scripts/python-requirements.txt`)",
        python.display()
    );
    let server = Served::start(server_args);
    let output = Command::new(python)
        .arg(script)
        .current_dir(workspace().join("tests/clients"))
        .env("ECS_ENDPOINT", &server.endpoint.url)
        .env("AWS_ACCESS_KEY_ID", "AKIDPLAYGROUND")
        .env("AWS_SECRET_ACCESS_KEY", "playground")
        .env("AWS_DEFAULT_REGION", "eu-west-1")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("python runs");
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{script} failed");
}

#[test]
fn the_aws_cli_journey_at_the_default_speed() {
    journey("aws_cli_journey.py", &[]);
}

#[test]
fn the_boto3_journey_on_the_manual_clock() {
    journey("boto3_journey.py", &["--clock", "manual"]);
}
