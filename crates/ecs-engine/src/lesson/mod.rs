//! Lessons (`ecs-playground-lesson/1`, docs/lesson-format.md): a scenario that
//! sets the scene, then steps, each with a goal the engine checks against the
//! run (`goal.rs`), hints, an optional prediction to make before the answer
//! is shown, and the calls that solve it (the "show me" and the tests).
//!
//! A learner's attempt is the lesson's scenario with the learner's calls
//! appended as timed steps; it is recorded like any run, and each goal reads
//! that recording. Nothing here keeps progress: the page stores it.

pub mod goal;

use serde::Deserialize;
use serde_json::Value;

pub use goal::{Goal, Run, Verdict};

use crate::sim::playback::Recording;
use crate::sim::scenario::Scenario;

/// The format tag of a lesson document.
pub const FORMAT: &str = "ecs-playground-lesson/1";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lesson {
    pub format: String,
    /// Stable, kebab-case: the file name and the key progress is kept under.
    pub id: String,
    pub title: String,
    /// What the learner will be able to do, in a sentence or two.
    pub summary: String,
    /// The next lesson's id on the path; `None` for the last.
    #[serde(default)]
    pub next: Option<String>,
    /// A scenario document (`ecs-playground-scenario/1`): the account before
    /// the learner acts.
    pub scenario: Value,
    pub steps: Vec<LessonStep>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LessonStep {
    pub title: String,
    /// What to do and why, in a paragraph.
    pub text: String,
    pub goal: Goal,
    /// Shown one at a time, on request.
    pub hints: Vec<String>,
    #[serde(default)]
    pub predict: Option<Prediction>,
    /// Calls (`{at, call, input}`, times after the scenario's) that meet the
    /// goal: "show me", and the lesson's own test.
    pub solution: Vec<Value>,
    /// A typical mistake's calls, which must not meet the goal (tested).
    pub wrong: Vec<Value>,
    /// A trainer's note for the presenter mode.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A lesson as the run page shows it: what it says, with what the engine
/// works out for it (each step's solution time, a prediction's answer as
/// shown). The page renders this and checks and judges with the [`Lesson`]
/// itself, where the goals, the solutions and the answers to judge stay.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub next: Option<String>,
    pub scenario: Value,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepView {
    pub title: String,
    pub text: String,
    pub hints: Vec<String>,
    pub notes: Option<String>,
    /// [`LessonStep::solution_at_ms`].
    pub solution_at_ms: Option<u64>,
    pub predict: Option<PredictionView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PredictionView {
    pub question: String,
    /// [`Prediction::answer_text`].
    pub answer_text: String,
    pub arithmetic: String,
}

/// One lesson of the path as `www/lessons/index.json` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LessonCard {
    pub id: String,
    pub title: String,
    pub summary: String,
}

#[derive(Deserialize)]
struct LessonIndex {
    lessons: Vec<LessonCard>,
}

/// The path of lessons, in order, from `index.json`'s text.
pub fn path_from_index(text: &str) -> Result<Vec<LessonCard>, String> {
    serde_json::from_str::<LessonIndex>(text)
        .map(|index| index.lessons)
        .map_err(|e| format!("the lessons' index is not valid: {e}"))
}

/// A question asked before the run shows the answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Prediction {
    pub question: String,
    /// A number or a word; compared ignoring case and surrounding space.
    pub answer: Value,
    /// How the answer is worked out, shown after the guess.
    pub arithmetic: String,
    /// A goal over the solution's run that holds exactly when the answer is
    /// what the engine does (tested, so the lesson cannot state a wrong answer).
    #[serde(default)]
    pub verify: Option<Goal>,
}

impl LessonStep {
    /// Virtual ms of the step's first solution call: where the presenter
    /// mode pins the step's notes on the timeline.
    pub fn solution_at_ms(&self) -> Option<u64> {
        let at = self.solution.first()?.get("at")?;
        crate::sim::scenario::parse_time(at).ok()
    }
}

impl Prediction {
    /// The answer as the page shows it after the guess (`8`, `FARGATE_SPOT`).
    pub fn answer_text(&self) -> String {
        match &self.answer {
            Value::String(s) => s.trim().to_string(),
            other => crate::json::write::compact(other),
        }
    }

    /// Whether the learner's guess is the answer (`"3"`, `3`, `" three "` is not).
    pub fn is_right(&self, guess: &str) -> bool {
        let guess = guess.trim();
        match &self.answer {
            Value::Number(n) => {
                crate::json::number::parse_f64(guess).is_some_and(|g| Some(g) == n.as_f64())
            }
            Value::String(s) => guess.eq_ignore_ascii_case(s.trim()),
            other => guess == crate::json::write::compact(other),
        }
    }
}

impl Lesson {
    /// The lesson as the page shows it.
    pub fn view(&self) -> LessonView {
        LessonView {
            id: self.id.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            next: self.next.clone(),
            scenario: self.scenario.clone(),
            steps: self
                .steps
                .iter()
                .map(|step| StepView {
                    title: step.title.clone(),
                    text: step.text.clone(),
                    hints: step.hints.clone(),
                    notes: step.notes.clone(),
                    solution_at_ms: step.solution_at_ms(),
                    predict: step.predict.as_ref().map(|p| PredictionView {
                        question: p.question.clone(),
                        answer_text: p.answer_text(),
                        arithmetic: p.arithmetic.clone(),
                    }),
                })
                .collect(),
        }
    }

    /// Reads a lesson document; errors name what is wrong.
    pub fn parse(text: &str) -> Result<Lesson, String> {
        let lesson: Lesson =
            serde_json::from_str(text).map_err(|e| format!("the lesson is not valid: {e}"))?;
        if lesson.format != FORMAT {
            return Err(format!(
                "unknown lesson format \"{}\": this runner loads {FORMAT}",
                lesson.format
            ));
        }
        if lesson.steps.is_empty() {
            return Err("a lesson has at least one step".into());
        }
        Scenario::from_value(&lesson.scenario).map_err(|e| format!("scenario: {e}"))?;
        Ok(lesson)
    }

    /// The lesson's scenario with `calls` appended (each `{at, call, input}`,
    /// `at` in the scenario's time forms), recorded; and the index of the
    /// first appended call in the recording's calls.
    pub fn attempt(&self, calls: &[Value]) -> Result<(Recording, usize), String> {
        let mut doc = self.scenario.clone();
        let base = self.learner_from();
        if let Some(steps) = doc.get_mut("steps").and_then(Value::as_array_mut) {
            steps.extend(calls.iter().cloned());
        }
        let scenario = Scenario::from_value(&doc)?;
        Ok((Recording::record(&scenario), base))
    }

    /// Index of the learner's first call in the recording of a run made
    /// from this lesson's scenario (the scenario's own steps come first).
    pub fn learner_from(&self) -> usize {
        self.scenario
            .get("steps")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// The calls that solve steps `0..=step` in order.
    pub fn solution_through(&self, step: usize) -> Vec<Value> {
        self.steps
            .iter()
            .take(step + 1)
            .flat_map(|s| s.solution.iter().cloned())
            .collect()
    }

    /// Step `step`'s goal checked against an attempt.
    pub fn check(
        &self,
        step: usize,
        recording: &Recording,
        learner_from: usize,
    ) -> Option<Verdict> {
        let run = Run {
            recording,
            learner_from,
        };
        self.steps.get(step).map(|s| s.goal.check(&run))
    }
}

#[cfg(test)]
mod tests;
