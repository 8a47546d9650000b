//! The run page's lessons engine, loaded when the learner opens a lesson (www/js/run-chunks.js, built into `dist/chunks/lessons/` by
//! `scripts/build-run-chunks.sh`): reading lesson documents
//! (`ecs_engine::lesson`), judging predictions and checking each step's goal
//! against the learner's run are kept out of the run page's own wasm.
//!
//! Glue only: each function forwards to the engine and hands back JSON text
//! for the page to render. A goal is checked against the run's recording,
//! recorded here again from the saved run the page passes (the same
//! scenario gives the same timeline, so it is the recording the page shows).

use ecs_engine::lesson::Lesson;
use ecs_engine::sim::playback::Recording;
use ecs_engine::workspace::run::Run;
use wasm_bindgen::prelude::*;

/// A lesson document read for the page (`ecs_engine::lesson::LessonView`
/// as JSON); throws what is wrong with the document.
#[wasm_bindgen(js_name = openLesson)]
pub fn open_lesson(text: &str) -> Result<String, String> {
    serde_json::to_string(&Lesson::parse(text)?.view()).map_err(|e| e.to_string())
}

/// Whether `guess` is the answer to step `step`'s prediction (false when the
/// step asks none); throws what is wrong with the document.
#[wasm_bindgen(js_name = judgePrediction)]
pub fn judge_prediction(text: &str, step: u32, guess: &str) -> Result<bool, String> {
    let lesson = Lesson::parse(text)?;
    Ok(lesson
        .steps
        .get(step as usize)
        .and_then(|s| s.predict.as_ref())
        .is_some_and(|p| p.is_right(guess)))
}

/// Step `step`'s goal checked against the run saved as `run` (what
/// `Run::save` writes), as `{"met", "detail"}`; throws when the lesson, the
/// run or the step cannot be read.
#[wasm_bindgen(js_name = checkStep)]
pub fn check_step(text: &str, step: u32, run: &str) -> Result<String, String> {
    let lesson = Lesson::parse(text)?;
    let run = Run::load(run).ok_or("the run could not be read")?;
    let recording = Recording::record(&run.scenario()?);
    let verdict = lesson
        .check(step as usize, &recording, lesson.learner_from())
        .ok_or_else(|| format!("the lesson has no step {}", step + 1))?;
    serde_json::to_string(&verdict).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_engine::workspace::run::{Action, ActionStep, RunSource};
    use serde_json::Value;

    fn lesson_text(id: &str) -> String {
        let path = format!("{}/../../www/lessons/{id}.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_lesson_opens_with_what_the_engine_works_out() {
        let opened: Value =
            serde_json::from_str(&open_lesson(&lesson_text("first-task-definition")).unwrap())
                .unwrap();
        assert_eq!(opened["id"], "first-task-definition");
        assert_eq!(opened["next"], "placement");
        assert!(opened["steps"][0]["solutionAtMs"].is_u64(), "{opened}");
        assert!(opened["scenario"]["steps"].is_array());
        assert!(open_lesson("{}").is_err());
    }

    #[test]
    fn a_step_is_checked_against_the_saved_run_and_predictions_are_judged() {
        let text = lesson_text("first-task-definition");
        let lesson = Lesson::parse(&text).unwrap();
        let mut run = Run::new(
            RunSource::Lesson {
                id: lesson.id.clone(),
            },
            lesson.scenario.clone(),
        );
        let not_yet: Value =
            serde_json::from_str(&check_step(&text, 0, &run.save()).unwrap()).unwrap();
        assert_eq!(not_yet["met"], false, "{not_yet}");
        for call in &lesson.steps[0].solution {
            let at_ms = lesson.steps[0].solution_at_ms().unwrap();
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
        let met: Value = serde_json::from_str(&check_step(&text, 0, &run.save()).unwrap()).unwrap();
        assert_eq!(met["met"], true, "{met}");
        assert!(check_step(&text, 99, &run.save()).is_err());
        assert!(check_step(&text, 0, "not a run").is_err());

        let (step, predict) = lesson
            .steps
            .iter()
            .enumerate()
            .find_map(|(i, s)| Some((i, s.predict.as_ref()?)))
            .expect("the lesson asks a prediction");
        let answer = predict.answer_text();
        assert!(judge_prediction(&text, step as u32, &answer).unwrap());
        assert!(!judge_prediction(&text, step as u32, "not the answer").unwrap());
    }
}
