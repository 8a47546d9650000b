//! A learner's progress through the lessons, kept in the browser
//! (localStorage, one object keyed by lesson id): the step they are on, the
//! steps whose goal the engine found met, how many hints they opened, and
//! the predictions they made. The engine keeps none of it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::workspace::browser;

const PROGRESS_KEY: &str = "ecs-playground.lessons";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LessonProgress {
    pub step: usize,
    pub done: Vec<usize>,
    /// Hints shown, by step.
    pub hints: BTreeMap<usize, usize>,
    /// The learner's prediction, by step (made before the answer is shown).
    pub predictions: BTreeMap<usize, String>,
}

impl LessonProgress {
    pub fn is_done(&self, step: usize) -> bool {
        self.done.contains(&step)
    }

    pub fn mark_done(&mut self, step: usize) {
        if !self.is_done(step) {
            self.done.push(step);
        }
    }

    pub fn hints_shown(&self, step: usize) -> usize {
        self.hints.get(&step).copied().unwrap_or(0)
    }
}

type Book = BTreeMap<String, LessonProgress>;

fn book() -> Book {
    browser::load(PROGRESS_KEY)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The stored progress of one lesson (empty when there is none).
pub fn load(id: &str) -> LessonProgress {
    book().remove(id).unwrap_or_default()
}

/// Every lesson's stored progress.
pub fn load_all() -> BTreeMap<String, LessonProgress> {
    book()
}

/// Stores one lesson's progress; the message says why it could not be kept.
pub fn store(id: &str, progress: &LessonProgress) -> Result<(), String> {
    let mut all = book();
    all.insert(id.to_string(), progress.clone());
    let text = serde_json::to_string(&all).map_err(|e| e.to_string())?;
    browser::store(PROGRESS_KEY, &text)
}
