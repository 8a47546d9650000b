//! `check` over a generated repository of 1,000 task definitions, as CI runs
//! it: the release binary on a directory, wall time and files per second,
//! on every core and on one (`--sequential`). Prints its figures:
//! `cargo bench -p ecs-cli --bench check_repository`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ecs_engine::examples::{synthetic_task_definition, DEFAULT_TASK_DEFINITION};

const FILES: usize = 1_000;
const RUNS: usize = 5;

fn main() {
    let dir = std::env::temp_dir().join(format!("ecs-cli-bench-{}", std::process::id()));
    generate(&dir);
    let bytes: u64 = std::fs::read_dir(dir.join("services"))
        .into_iter()
        .chain(std::fs::read_dir(dir.join("platform")))
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "check over {FILES} task definitions ({:.1} MB) in {} ({} cores available)",
        bytes as f64 / 1e6,
        dir.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (label, extra) in [("all cores", None), ("one thread", Some("--sequential"))] {
        let mut times: Vec<Duration> = (0..RUNS).map(|_| time_check(&dir, extra)).collect();
        times.sort();
        let median = times[RUNS / 2];
        println!(
            "  {label:>10}: median {:7.1} ms wall ({:6.0} files/s); best {:7.1} ms, worst {:7.1} ms over {RUNS} runs",
            median.as_secs_f64() * 1e3,
            FILES as f64 / median.as_secs_f64(),
            times[0].as_secs_f64() * 1e3,
            times[RUNS - 1].as_secs_f64() * 1e3,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 900 small task definitions (the editor's example, each its own family) and
/// 100 large ones (ten containers using every field, about 8 KB), in two trees.
fn generate(dir: &Path) {
    let large = synthetic_task_definition(8 * 1024);
    for i in 0..FILES {
        let (sub, text) = if i % 10 == 0 {
            (
                "platform",
                large.replacen("\"synthetic\"", &format!("\"large-{i}\""), 1),
            )
        } else {
            (
                "services",
                DEFAULT_TASK_DEFINITION.replace("\"web-app\"", &format!("\"web-app-{i}\"")),
            )
        };
        let path = dir.join(sub).join(format!("team-{}/td-{i}.json", i % 20));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn time_check(dir: &Path, extra: Option<&str>) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-playground"))
        .arg("check")
        .args(extra)
        .args(["--no-config", "--format", "json", "."])
        .current_dir(dir)
        .output()
        .expect("run ecs-playground");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("checked {FILES} files")),
        "{stderr}"
    );
    elapsed
}
