//! The gallery's guide: the optional `guide` member of a scenario document
//! (title, description, what to look for, a suggested action, topics), and
//! the gallery index (`www/scenarios/index.json`) built from the guides.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Topics a guided scenario is tagged with.
pub const TOPICS: &[&str] = &[
    "placement",
    "deployments",
    "capacity",
    "service-connect",
    "failures",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guide {
    pub title: String,
    pub description: String,
    /// What to watch for while it plays.
    pub look_for: Vec<String>,
    /// What to try next, e.g. "now set minimumHealthyPercent to 50 and deploy again".
    pub suggested_action: String,
    /// Some of [`TOPICS`].
    pub topics: Vec<String>,
}

impl Guide {
    /// Reads `guide`; errors name the offending member.
    pub fn from_value(value: &Value) -> Result<Guide, String> {
        let text = |name: &str| -> Result<String, String> {
            value
                .get(name)
                .and_then(Value::as_str)
                .filter(|t| !t.trim().is_empty())
                .map(str::to_string)
                .ok_or(format!("guide.{name} is a non-empty string"))
        };
        let list = |name: &str| -> Result<Vec<String>, String> {
            let items = value
                .get(name)
                .and_then(Value::as_array)
                .ok_or(format!("guide.{name} is a list of strings"))?;
            items
                .iter()
                .enumerate()
                .map(|(n, item)| {
                    item.as_str()
                        .map(str::to_string)
                        .ok_or(format!("guide.{name}[{n}] is a string"))
                })
                .collect()
        };
        if !value.is_object() {
            return Err(
                "guide is an object with title, description, lookFor, suggestedAction and topics"
                    .into(),
            );
        }
        let topics = list("topics")?;
        if let Some((n, topic)) = topics
            .iter()
            .enumerate()
            .find(|(_, t)| !TOPICS.contains(&t.as_str()))
        {
            return Err(format!(
                "guide.topics[{n}]: \"{topic}\" is not a topic; use {}",
                TOPICS.join(", ")
            ));
        }
        Ok(Guide {
            title: text("title")?,
            description: text("description")?,
            look_for: list("lookFor")?,
            suggested_action: text("suggestedAction")?,
            topics,
        })
    }
}

/// The gallery index: `{"scenarios": [{"file", "title", "topics"}, …]}` in
/// file-name order.
pub fn index(entries: &[(String, Guide)]) -> Value {
    let mut sorted: Vec<&(String, Guide)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    json!({
        "scenarios": sorted
            .iter()
            .map(|(file, guide)| json!({"file": file, "title": guide.title, "topics": guide.topics}))
            .collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_guides_name_the_member() {
        let good = json!({"title": "t", "description": "d", "lookFor": ["x"], "suggestedAction": "a", "topics": ["placement"]});
        assert!(Guide::from_value(&good).is_ok());
        for (change, needle) in [
            (json!({"title": ""}), "guide.title"),
            (json!({"lookFor": "x"}), "guide.lookFor"),
            (json!({"lookFor": [1]}), "guide.lookFor[0]"),
            (json!({"topics": ["cooking"]}), "guide.topics[0]"),
            (json!({"suggestedAction": null}), "guide.suggestedAction"),
        ] {
            let mut bad = good.clone();
            for (k, v) in change.as_object().unwrap() {
                bad[k] = v.clone();
            }
            let e = Guide::from_value(&bad).unwrap_err();
            assert!(e.contains(needle), "{e}");
        }
        assert!(Guide::from_value(&json!([])).is_err());
    }
}
