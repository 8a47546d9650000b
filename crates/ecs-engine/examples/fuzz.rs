//! A stable-Rust fuzzer: mutates the corpus files at random for a number of
//! seconds, runs analysis and both exports on each input, and reports
//! executions per second and any finding (a panic, a diagnostic outside the
//! text, an export that does not re-import).
//!
//! Run: `cargo run --release -p ecs-engine --example fuzz -- SECONDS [SEED]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use ecs_engine::export::{export_bytes, ExportTarget};
use support::mutate::{mutate, Rng};

fn check(input: &[u8]) -> Option<String> {
    let analysis = ecs_engine::analyze_bytes(input);
    let units = String::from_utf8_lossy(input).encode_utf16().count() as u32;
    if let Some(d) = analysis.diagnostics.iter().find(|d| {
        d.range.start.offset_utf16 > d.range.end.offset_utf16 || d.range.end.offset_utf16 > units
    }) {
        return Some(format!("diagnostic outside the text: {d:?}"));
    }
    for target in [ExportTarget::Register, ExportTarget::CloudFormation] {
        if let Ok(text) = export_bytes(input, target) {
            if ecs_engine::analyze_task_definition(&text).form.is_none() {
                return Some(format!("{target:?} export does not re-import"));
            }
        }
    }
    None
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let files = support::fuzz_seeds();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng::new(seed);
    let mut executions = 0u64;
    let mut findings = 0u64;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(seconds) {
        let input = mutate(&files[rng.below(files.len())], &mut rng);
        executions += 1;
        let finding = match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(finding) => finding,
            Err(_) => Some("panic".to_string()),
        };
        if let Some(what) = finding {
            findings += 1;
            let path = std::env::temp_dir().join(format!("ecs-fuzz-finding-{findings}.bin"));
            let _ = std::fs::write(&path, &input);
            eprintln!(
                "finding {findings}: {what} (input saved to {})",
                path.display()
            );
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{executions} executions in {elapsed:.1} s ({:.0}/s), seed {seed}, {findings} findings",
        executions as f64 / elapsed
    );
}
