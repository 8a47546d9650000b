//! The AWS CLI's names for the model's operations and members
//! (`CreateService` → `create-service`, `serviceName` → `service-name`), and
//! the nearest name for a misspelt one.

/// botocore's `xform_name(name, '-')`: a trailing run of capitals plus `s`
/// (`ARNs`) becomes one word, then a capital that starts a word gets a hyphen
/// before it, and everything is lower-cased.
pub fn cli_name(name: &str) -> String {
    if name.contains('-') || !name.is_ascii() {
        return name.to_string();
    }
    let b = name.as_bytes();
    // _special_case_transform: [A-Z]{2,}s$ is cut off and becomes one word.
    let mut body_len = b.len();
    if b.last() == Some(&b's') {
        let capitals = b
            .iter()
            .rev()
            .skip(1)
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if capitals >= 2 {
            body_len = b.len() - 1 - capitals;
        }
    }
    let body = b.get(..body_len).unwrap_or(b);
    // _first_cap_regex: (.)([A-Z][a-z]+) → \1-\2, non-overlapping, left to
    // right; then _end_cap_regex: ([a-z0-9])([A-Z]) → \1-\2 over the result.
    let mut first: Vec<u8> = Vec::with_capacity(b.len() + 8);
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        first.push(c);
        let starts_word = body.get(i + 1).is_some_and(u8::is_ascii_uppercase)
            && body.get(i + 2).is_some_and(u8::is_ascii_lowercase);
        i += 1;
        if starts_word {
            first.push(b'-');
            // The matched word is consumed whole: none of its letters can be
            // the `(.)` of the next match.
            if let Some(&capital) = body.get(i) {
                first.push(capital);
            }
            i += 1;
            while let Some(&lower) = body.get(i).filter(|c| c.is_ascii_lowercase()) {
                first.push(lower);
                i += 1;
            }
        }
    }
    if body_len < b.len() {
        first.push(b'-');
        first.extend_from_slice(b.get(body_len..).unwrap_or(&[]));
    }
    let mut out = String::with_capacity(first.len() + 4);
    let mut previous = 0u8;
    for &c in &first {
        if c.is_ascii_uppercase() && (previous.is_ascii_lowercase() || previous.is_ascii_digit()) {
            out.push('-');
        }
        out.push(char::from(c.to_ascii_lowercase()));
        previous = c;
    }
    out
}

/// The candidate closest to `word` (by edit distance, close enough to be a
/// likely typo), for "did you mean".
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(word, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            let value = (above + 1).min(left + 1).min(diagonal + cost);
            diagonal = above;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_botocore_does() {
        let cases = [
            ("CreateService", "create-service"),
            ("serviceName", "service-name"),
            ("desiredCount", "desired-count"),
            ("enableECSManagedTags", "enable-ecs-managed-tags"),
            ("containerInstanceARNs", "container-instance-arns"),
            ("taskARNs", "task-arns"),
            ("ListTagsForResource", "list-tags-for-resource"),
            (
                "PutClusterCapacityProviders",
                "put-cluster-capacity-providers",
            ),
            ("awsvpcConfiguration", "awsvpc-configuration"),
            (
                "healthCheckGracePeriodSeconds",
                "health-check-grace-period-seconds",
            ),
            ("cluster", "cluster"),
            ("ipcMode", "ipc-mode"),
            ("ephemeralStorage", "ephemeral-storage"),
        ];
        for (name, want) in cases {
            assert_eq!(cli_name(name), want, "{name}");
        }
    }

    #[test]
    fn suggests_the_nearest_name() {
        let names = ["create-service", "create-cluster", "delete-service"];
        assert_eq!(nearest("create-servce", names), Some("create-service"));
        assert_eq!(nearest("crate-cluster", names), Some("create-cluster"));
        assert_eq!(nearest("zzz", names), None);
    }
}
