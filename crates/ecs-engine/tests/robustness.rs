//! Adversarial input: every case comes back as diagnostics, quickly.

mod support;

use std::time::{Duration, Instant};

use ecs_engine::export::{export_bytes, ExportTarget};
use ecs_engine::{analyze_bytes, Analysis};
use support::mutate::{mutate, Rng};

fn timed(name: &str, bytes: &[u8]) -> Analysis {
    let start = Instant::now();
    let analysis = analyze_bytes(bytes);
    let elapsed = start.elapsed();
    assert!(
        elapsed < LIMIT,
        "{name}: took {elapsed:?} on {} bytes",
        bytes.len()
    );
    analysis
}

fn first_code(analysis: &Analysis) -> &str {
    analysis.diagnostics.first().map_or("", |d| d.code.as_str())
}

/// One second in an optimised build. Unoptimised test builds run the same
/// code up to ten times slower, and this machine is shared by several
/// builds, so there the limit only catches hangs and quadratic blow-ups
/// (which take minutes at 10 MB); `cargo bench -p ecs-engine --bench import`
/// prints the optimised figures (all under 0.6 s when measured).
const LIMIT: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(30)
} else {
    Duration::from_secs(1)
};

#[test]
fn adversarial_inputs_return_within_a_second() {
    for case in support::adversarial_cases() {
        let analysis = timed(case.name, &case.bytes);
        if case.code.is_empty() {
            assert!(
                analysis.form.is_some(),
                "{}: {:?}",
                case.name,
                analysis.diagnostics.first()
            );
        } else {
            assert!(
                analysis.diagnostics.iter().any(|d| d.code == case.code),
                "{}: expected {}, got {:?}",
                case.name,
                case.code,
                first_code(&analysis)
            );
        }
    }
}

/// Mutated corpus files: analysis and export never panic, and every
/// diagnostic's range lies inside the text. Reproducible: the seed is fixed.
#[test]
fn mutated_corpus_files_never_panic() {
    let files = support::fuzz_seeds();
    let yaml = ecs_engine::analyze_task_definition(support::YAML_TEMPLATE);
    assert_eq!(
        yaml.error_count(),
        0,
        "the YAML seed is valid: {:#?}",
        yaml.diagnostics
    );
    let mut rng = Rng::new(0x5eed);
    let iterations = 3000;
    let start = Instant::now();
    for i in 0..iterations {
        let input = mutate(&files[rng.below(files.len())], &mut rng);
        let analysis = analyze_bytes(&input);
        let text_units = String::from_utf8_lossy(&input).encode_utf16().count() as u32;
        for d in &analysis.diagnostics {
            assert!(
                d.range.start.offset_utf16 <= d.range.end.offset_utf16
                    && d.range.end.offset_utf16 <= text_units,
                "iteration {i}: range out of the text: {d:?}"
            );
        }
        let target = if i % 2 == 0 {
            ExportTarget::Register
        } else {
            ExportTarget::CloudFormation
        };
        if let Ok(exported) = export_bytes(&input, target) {
            let again = ecs_engine::analyze_task_definition(&exported);
            assert!(
                again.form.is_some(),
                "iteration {i}: export does not re-import"
            );
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "fuzzing took {:?}",
        start.elapsed()
    );
}
