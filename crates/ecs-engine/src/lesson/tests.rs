//! Every lesson in www/lessons/, natively: a scripted learner's calls meet
//! each step's goal, a typical mistake does not, and each prediction's answer
//! is what the engine does.

use serde_json::Value;

use super::*;

fn lessons_dir() -> String {
    format!("{}/../../www/lessons", env!("CARGO_MANIFEST_DIR"))
}

fn index() -> Value {
    let text = std::fs::read_to_string(format!("{}/index.json", lessons_dir()))
        .expect("www/lessons/index.json");
    serde_json::from_str(&text).expect("index.json is JSON")
}

fn load(id: &str) -> Lesson {
    let path = format!("{}/{id}.json", lessons_dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Lesson::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The lessons in path order, from index.json's `start` along `next`.
fn path() -> Vec<Lesson> {
    let mut out = Vec::new();
    let mut next = index()["start"].as_str().map(str::to_string);
    while let Some(id) = next {
        assert!(
            out.iter().all(|l: &Lesson| l.id != id),
            "the path loops at {id}"
        );
        let lesson = load(&id);
        next = lesson.next.clone();
        out.push(lesson);
    }
    out
}

#[test]
fn the_lessons_form_one_path_through_the_topics() {
    let lessons = path();
    let ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "first-task-definition",
            "placement",
            "query-language",
            "rolling-deployments",
            "circuit-breaker",
            "capacity-providers",
            "spot",
            "service-connect"
        ]
    );
    let index = index();
    let listed: Vec<&str> = index["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    assert_eq!(listed, ids, "index.json lists the path in order");
    let text = std::fs::read_to_string(format!("{}/index.json", lessons_dir())).unwrap();
    let cards = path_from_index(&text).unwrap();
    let card_ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(card_ids, ids, "the page reads the same path");
    assert!(path_from_index("{\"lessons\": 3}").is_err());
    let mut files: Vec<String> = std::fs::read_dir(lessons_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f != "index.json")
        .collect();
    files.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("{id}.json")).collect();
    expected.sort();
    assert_eq!(files, expected, "every file in www/lessons is on the path");
}

#[test]
fn scripted_learners_meet_every_goal_and_mistakes_do_not() {
    let mut problems = Vec::new();
    for lesson in path() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let name = format!("{} step {} ({})", lesson.id, i + 1, step.title);
            let (recording, from) = lesson.attempt(&lesson.solution_through(i)).unwrap();
            let verdict = lesson.check(i, &recording, from).unwrap();
            if !verdict.met {
                problems.push(format!(
                    "{name}: the solution does not meet the goal: {}",
                    verdict.detail
                ));
            }
            if let Some(predict) = &step.predict {
                let shown = crate::json::write::compact(&predict.answer);
                if !predict.is_right(shown.trim_matches('"')) {
                    problems.push(format!("{name}: the answer does not match itself"));
                }
                if let Some(verify) = &predict.verify {
                    let v = verify.check(&Run {
                        recording: &recording,
                        learner_from: 0,
                    });
                    if !v.met {
                        problems.push(format!(
                            "{name}: the prediction's answer is not what the engine does: {}",
                            v.detail
                        ));
                    }
                }
            }
            let mut wrong = lesson.solution_through(i.saturating_sub(1));
            if i == 0 {
                wrong.clear();
            }
            wrong.extend(step.wrong.iter().cloned());
            let (recording, from) = lesson.attempt(&wrong).unwrap();
            let verdict = lesson.check(i, &recording, from).unwrap();
            if verdict.met {
                problems.push(format!(
                    "{name}: the wrong attempt meets the goal: {}",
                    verdict.detail
                ));
            }
            assert!(!step.hints.is_empty(), "{name}: no hints");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The run page checks a lesson on its own run (the lesson's scenario with
/// the learner's actions appended, `until` extended past the last action):
/// the solutions taken as actions meet every goal there too.
#[test]
fn goals_are_met_on_the_run_pages_run_of_a_lesson() {
    use crate::workspace::run::{Action, ActionStep, Run as PageRun, RunSource};
    let mut problems = Vec::new();
    for lesson in path() {
        let mut run = PageRun::new(
            RunSource::Lesson {
                id: lesson.id.clone(),
            },
            lesson.scenario.clone(),
        );
        for (i, step) in lesson.steps.iter().enumerate() {
            for call in &step.solution {
                let at_ms = crate::sim::scenario::parse_time(&call["at"]).unwrap();
                let action = Action {
                    at_ms,
                    label: call["call"].as_str().unwrap_or_default().to_string(),
                    steps: vec![ActionStep {
                        call: call["call"].as_str().unwrap_or_default().to_string(),
                        input: call["input"].clone(),
                    }],
                };
                run = run.with_action(action).unwrap();
            }
            assert!(
                step.solution_at_ms().is_some(),
                "{}: no solution time",
                lesson.id
            );
            let recording = Recording::record(&run.scenario().unwrap());
            let verdict = lesson.check(i, &recording, lesson.learner_from()).unwrap();
            if !verdict.met {
                problems.push(format!("{} step {}: {}", lesson.id, i + 1, verdict.detail));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What the run page does with a lesson: its run (the lesson's scenario) is
/// recorded, and a step's goal is not met before the learner takes the
/// step's solution as an action, then met on the run recorded again.
#[test]
fn a_page_runs_goal_is_met_only_after_the_solution() {
    use crate::workspace::run::{Action, ActionStep, Run as PageRun, RunSource};
    let lesson = load("first-task-definition");
    let mut run = PageRun::new(
        RunSource::Lesson {
            id: lesson.id.clone(),
        },
        lesson.scenario.clone(),
    );
    let check = |run: &PageRun| {
        let recording = Recording::record(&run.scenario().unwrap());
        lesson.check(0, &recording, lesson.learner_from()).unwrap()
    };
    let not_yet = check(&run);
    assert!(!not_yet.met, "{not_yet:?}");
    assert_eq!(not_yet.detail, "No RegisterTaskDefinition call yet.");
    let at_ms = lesson.steps[0].solution_at_ms().unwrap();
    for call in &lesson.steps[0].solution {
        run = run
            .with_action(Action {
                at_ms,
                label: "solution".into(),
                steps: vec![ActionStep {
                    call: call["call"].as_str().unwrap().into(),
                    input: call["input"].clone(),
                }],
            })
            .unwrap();
    }
    let met = check(&run);
    assert!(met.met, "{met:?}");
    let recording = Recording::record(&run.scenario().unwrap());
    assert!(lesson
        .check(99, &recording, lesson.learner_from())
        .is_none());
}

#[test]
fn predictions_accept_the_answer_only() {
    let p = Prediction {
        question: "q".into(),
        answer: serde_json::json!(3),
        arithmetic: "a".into(),
        verify: None,
    };
    assert!(p.is_right(" 3 "));
    assert!(p.is_right("3.0"));
    assert!(!p.is_right("4"));
    assert!(!p.is_right("three"));
    let p = Prediction {
        answer: serde_json::json!("FAILED"),
        ..p
    };
    assert!(p.is_right("failed"));
}

#[test]
fn bad_lessons_are_refused_with_a_reason() {
    let good = std::fs::read_to_string(format!("{}/placement.json", lessons_dir())).unwrap();
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    doc["format"] = "ecs-playground-lesson/9".into();
    assert!(Lesson::parse(&doc.to_string())
        .unwrap_err()
        .contains("unknown lesson format"));
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    doc["steps"][0]["goal"] = serde_json::json!({"type": "teleport"});
    assert!(Lesson::parse(&doc.to_string()).is_err());
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    doc["scenario"]["format"] = "nope".into();
    assert!(Lesson::parse(&doc.to_string())
        .unwrap_err()
        .contains("scenario"));
}
