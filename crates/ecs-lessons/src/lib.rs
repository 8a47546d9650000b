//! The run page's lessons module, loaded when the learner opens a lesson
//! (www/js/run-chunks.js, built into `dist/chunks/lessons/` by
//! `scripts/build-run-chunks.sh`): reading lesson documents
//! (`ecs_engine::lesson`) and judging predictions are kept out of the run
//! page's own wasm.
//!
//! Glue only: each function forwards to the engine and hands back JSON text
//! or a yes/no for the page. A step's goal is not checked here: it travels in
//! the `LessonView` `openLesson` hands over, and the page checks it
//! (`LessonView::check`) against the recording it already shows, so this
//! module needs no simulator.

use ecs_engine::lesson::Lesson;
use wasm_bindgen::prelude::*;

/// A lesson document read for the page (`ecs_engine::lesson::LessonView`
/// as JSON, with each step's goal); throws what is wrong with the document.
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

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_engine::lesson::LessonView;
    use ecs_engine::sim::playback::Recording;
    use ecs_engine::workspace::run::{Action, ActionStep, Run, RunSource};
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
        assert_eq!(
            opened["learnerFrom"], 2,
            "the scenario's own two calls come first"
        );
        assert_eq!(
            opened["steps"][0]["goal"]["type"], "callSucceeded",
            "{opened}"
        );
        assert!(opened["scenario"]["steps"].is_array());
        assert!(open_lesson("{}").is_err());
    }

    /// The page's path: the view `openLesson` hands over, read back, checks
    /// step 1's goal against the recording of the learner's run: not met
    /// before the solution's calls, met after.
    #[test]
    fn the_opened_lessons_goals_check_the_run_and_predictions_are_judged() {
        let text = lesson_text("first-task-definition");
        let lesson = Lesson::parse(&text).unwrap();
        let view: LessonView = serde_json::from_str(&open_lesson(&text).unwrap()).unwrap();
        let check = |run: &Run| {
            let recording = Recording::record(&run.scenario().unwrap());
            view.check(0, &recording).unwrap()
        };
        let mut run = Run::new(
            RunSource::Lesson {
                id: lesson.id.clone(),
            },
            view.scenario.clone(),
        );
        let not_yet = check(&run);
        assert!(!not_yet.met, "{not_yet:?}");
        let at_ms = view.steps[0].solution_at_ms.unwrap();
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
        assert!(view
            .check(99, &Recording::record(&run.scenario().unwrap()))
            .is_none());

        let (step, predict) = lesson
            .steps
            .iter()
            .enumerate()
            .find_map(|(i, s)| Some((i, s.predict.as_ref()?)))
            .expect("the lesson asks a prediction");
        let answer = predict.answer_text();
        assert!(judge_prediction(&text, step as u32, &answer).unwrap());
        assert!(!judge_prediction(&text, step as u32, "not the answer").unwrap());
        assert!(judge_prediction("{}", 0, &answer).is_err());
    }
}
