//! Import + full validation timings: the largest corpus file, a synthetic
//! 64 KiB task definition with ten containers using every field, exports,
//! and the adversarial 10 MB inputs. A hand-rolled loop (warm-up, then the
//! median and 95th percentile), so no benchmark framework ships in the build.
//!
//! Run: `cargo bench -p ecs-engine --bench import`

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ecs_engine::analyze_task_definition;
use ecs_engine::export::{export, ExportTarget};

fn measure(name: &str, bytes: usize, mut run: impl FnMut()) {
    let warmup = Instant::now();
    while warmup.elapsed() < Duration::from_millis(300) {
        run();
    }
    let mut samples: Vec<Duration> = Vec::new();
    let started = Instant::now();
    while samples.len() < 2000 && (samples.len() < 50 || started.elapsed() < Duration::from_secs(2))
    {
        let t = Instant::now();
        run();
        samples.push(t.elapsed());
    }
    samples.sort();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let median = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    println!(
        "{name:<48} {bytes:>8} B  median {:>9.1} µs  p95 {:>9.1} µs  ({} runs)",
        micros(median),
        micros(p95),
        samples.len()
    );
}

fn main() {
    let largest = support::corpus_files()
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a corpus file");
    let corpus_text = std::fs::read_to_string(&largest).expect("readable corpus file");
    let synthetic = ecs_engine::examples::synthetic_task_definition(64 * 1024);
    let cloudformation = export(&synthetic, ExportTarget::CloudFormation)
        .unwrap_or_else(|a| panic!("the synthetic document has errors: {:#?}", a.diagnostics));
    let name = largest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    println!("import + full validation (analyze_task_definition):");
    measure(
        &format!("largest corpus file ({name})"),
        corpus_text.len(),
        || {
            black_box(analyze_task_definition(black_box(&corpus_text)));
        },
    );
    measure(
        "synthetic, 10 containers, every field",
        synthetic.len(),
        || {
            black_box(analyze_task_definition(black_box(&synthetic)));
        },
    );
    // The same document without template-placeholder recognition (as the
    // simulator registers): the difference is what recognising placeholders costs.
    measure(
        "synthetic, placeholders not recognised",
        synthetic.len(),
        || {
            black_box(ecs_engine::analyze_registered_task_definition(black_box(
                &synthetic,
            )));
        },
    );
    measure(
        "synthetic as a CloudFormation resource",
        cloudformation.len(),
        || {
            black_box(analyze_task_definition(black_box(&cloudformation)));
        },
    );
    // The big paste of the e2e test (tests/e2e/big-paste.test.mjs): the
    // authoring page analyses the whole document after each edit.
    let pasted = big_paste(5_000_000);
    let t = Instant::now();
    let analysis = analyze_task_definition(black_box(&pasted));
    println!(
        "{:<48} {:>8} B  {:>9.1} ms  {} diagnostics (one run)",
        "5 MB paste, 10 containers, long environments",
        pasted.len(),
        t.elapsed().as_secs_f64() * 1e3,
        analysis.diagnostics.len()
    );
    // What the page's store does with each keystroke before analysing: the
    // edit, which reads the document's name from its text.
    let workspace = ecs_engine::workspace::default_workspace();
    if let Some(doc) = workspace
        .documents
        .iter()
        .find(|d| d.kind == ecs_engine::workspace::DocumentKind::TaskDefinition)
    {
        let edit = || ecs_engine::workspace::Edit::SetText {
            id: doc.id.clone(),
            text: pasted.clone(),
        };
        let t = Instant::now();
        black_box(workspace.apply(edit()));
        println!(
            "{:<48} {:>8} B  {:>9.1} ms  (one run)",
            "5 MB paste, the workspace edit (SetText)",
            pasted.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    println!("export (validation included):");
    measure("synthetic → CloudFormation", synthetic.len(), || {
        black_box(export(black_box(&synthetic), ExportTarget::CloudFormation).ok());
    });
    measure("CloudFormation → register", cloudformation.len(), || {
        black_box(export(black_box(&cloudformation), ExportTarget::Register).ok());
    });
    println!("adversarial inputs (one run each):");
    for case in support::adversarial_cases() {
        let t = Instant::now();
        let analysis = ecs_engine::analyze_bytes(black_box(&case.bytes));
        let elapsed = t.elapsed();
        println!(
            "{:<48} {:>8} B  {:>9.1} ms  {} diagnostics",
            case.name,
            case.bytes.len(),
            elapsed.as_secs_f64() * 1e3,
            analysis.diagnostics.len()
        );
    }
}

/// About `bytes` of pretty-printed task definition shaped like the e2e test's
/// paste: ten containers sharing many environment variables.
fn big_paste(bytes: usize) -> String {
    let with_variables = |count: usize| {
        let containers: Vec<serde_json::Value> = (0..10)
            .map(|c| {
                let environment: Vec<serde_json::Value> = (c..count)
                    .step_by(10)
                    .map(|i| {
                        serde_json::json!({"name": format!("SETTING_{i:06}"), "value": format!("value-{i}-lorem-ipsum")})
                    })
                    .collect();
                serde_json::json!({"name": format!("app-{c}"), "image": format!("public.ecr.aws/nginx/nginx:1.{c}"),
                    "essential": c == 0, "cpu": 64, "memory": 256, "environment": environment})
            })
            .collect();
        let doc = serde_json::json!({"family": "big-app", "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"], "containerDefinitions": containers});
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    };
    let sample = 1000;
    with_variables(sample * bytes / with_variables(sample).len())
}
