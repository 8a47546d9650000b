//! The console's history: the lines entered, newest last, kept in the
//! browser (localStorage) across reloads; Up and Down walk it, and the line
//! being typed is kept while walking.

use crate::workspace::browser;

const HISTORY_KEY: &str = "ecs-playground.console-history";
const MAX_LINES: usize = 100;

#[derive(Debug, Default, PartialEq)]
pub struct History {
    lines: Vec<String>,
    /// While walking: the index shown, and the line typed before walking.
    walking: Option<(usize, String)>,
}

impl History {
    pub fn load() -> History {
        let lines = browser::load(HISTORY_KEY)
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
            .unwrap_or_default();
        History {
            lines,
            walking: None,
        }
    }

    #[cfg(test)]
    fn with_lines(lines: Vec<String>) -> History {
        History {
            lines,
            walking: None,
        }
    }

    /// Adds a line (not twice in a row) and stores the history.
    pub fn push(&mut self, line: &str) {
        self.walking = None;
        if self.lines.last().map(String::as_str) != Some(line) {
            self.lines.push(line.to_string());
        }
        if self.lines.len() > MAX_LINES {
            let extra = self.lines.len() - MAX_LINES;
            self.lines.drain(..extra);
        }
        if let Ok(text) = serde_json::to_string(&self.lines) {
            // A full or unavailable storage only loses the history.
            let _ = browser::store(HISTORY_KEY, &text);
        }
    }

    /// Typing leaves the walk.
    pub fn reset(&mut self) {
        self.walking = None;
    }

    /// The line before the one shown (Up); `typed` is kept to come back to.
    pub fn older(&mut self, typed: &str) -> Option<String> {
        let index = match &self.walking {
            Some((i, _)) => i.checked_sub(1)?,
            None => self.lines.len().checked_sub(1)?,
        };
        let draft = match self.walking.take() {
            Some((_, draft)) => draft,
            None => typed.to_string(),
        };
        self.walking = Some((index, draft));
        self.lines.get(index).cloned()
    }

    /// The line after the one shown (Down), and at the end the typed line.
    pub fn newer(&mut self) -> Option<String> {
        let (index, draft) = self.walking.take()?;
        if index + 1 < self.lines.len() {
            self.walking = Some((index + 1, draft));
            self.lines.get(index + 1).cloned()
        } else {
            Some(draft)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn up_and_down_walk_the_lines_and_come_back_to_the_draft() {
        let mut h = History::with_lines(vec!["a".into(), "b".into()]);
        assert_eq!(h.newer(), None, "not walking");
        assert_eq!(h.older("dra").as_deref(), Some("b"));
        assert_eq!(h.older("b").as_deref(), Some("a"));
        assert_eq!(h.older("a"), None, "the oldest stays");
        assert_eq!(h.newer().as_deref(), Some("b"));
        assert_eq!(h.newer().as_deref(), Some("dra"));
        assert_eq!(h.newer(), None);
        let mut empty = History::default();
        assert_eq!(empty.older("x"), None);
    }
}
