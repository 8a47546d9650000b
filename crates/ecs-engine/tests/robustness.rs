//! Adversarial input: every case comes back as diagnostics, quickly.

mod support;

use ecs_engine::export::{export_bytes, ExportTarget};
use ecs_engine::{analyze_bytes, Analysis};
use support::mutate::{mutate, Rng};

/// Speed is not asserted (tests never time themselves): `cargo bench -p
/// ecs-engine --bench import` prints how long each adversarial input takes.
fn timed(_name: &str, bytes: &[u8]) -> Analysis {
    analyze_bytes(bytes)
}

fn first_code(analysis: &Analysis) -> &str {
    analysis.diagnostics.first().map_or("", |d| d.code.as_str())
}

#[test]
fn adversarial_inputs_come_back_as_diagnostics() {
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
}
