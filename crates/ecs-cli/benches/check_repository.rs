//! `check` over a generated repository of 1,000 task definitions, as CI runs
//! it: the release binary on a directory, wall time and files per second,
//! and the CPU time it used, on every core and on one (`--sequential`).
//! Prints its figures:
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
    let bytes: u64 = ignore::Walk::new(&dir)
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    println!(
        "check over {FILES} task definitions ({:.1} MB) in {} ({} cores available)",
        bytes as f64 / 1e6,
        dir.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (label, extra) in [("all cores", None), ("one thread", Some("--sequential"))] {
        let mut runs: Vec<(Duration, f64)> = (0..RUNS).map(|_| time_check(&dir, extra)).collect();
        runs.sort_by_key(|run| run.0);
        let (median, cpu) = runs[RUNS / 2];
        println!(
            "  {label:>10}: median {:7.1} ms wall ({:6.0} files/s), {:6.1} ms CPU; best {:7.1} ms, worst {:7.1} ms over {RUNS} runs",
            median.as_secs_f64() * 1e3,
            FILES as f64 / median.as_secs_f64(),
            cpu * 1e3,
            runs[0].0.as_secs_f64() * 1e3,
            runs[RUNS - 1].0.as_secs_f64() * 1e3,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 900 small task definitions (the editor's example, each its own family) and
/// 100 large ones (ten containers using every field, about 40 KB: the
/// smallest such document), in two trees of 20 directories.
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

/// Wall time of one run, and the CPU time (user + system) it used: on a
/// loaded machine the wall time says little about using both cores, the
/// ratio of CPU to wall time does.
fn time_check(dir: &Path, extra: Option<&str>) -> (Duration, f64) {
    let cpu_before = children_cpu_seconds();
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
    (elapsed, children_cpu_seconds() - cpu_before)
}

/// User and system time of waited-for children, from /proc (Linux; 0 elsewhere).
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let after = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // cutime and cstime are fields 16 and 17; `fields` starts at field 3. Clock ticks are 100 a second on Linux.
    (ticks(13) + ticks(14)) / 100.0
}
