//! nextToken / maxResults paging as the List* operations document it.

use serde_json::Value;

use super::request::{opt_int, opt_str};
use super::AwsError;

/// A List request's paging members, read with its other members.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    pub max_results: Option<i64>,
    pub next_token: Option<&'a str>,
}

impl<'a> PageRequest<'a> {
    pub fn read(r: &'a Value) -> Result<PageRequest<'a>, AwsError> {
        Ok(PageRequest {
            max_results: opt_int(r, "maxResults")?,
            next_token: opt_str(r, "nextToken")?,
        })
    }
}

/// One page of `items` and the token of the next page (`None` at the end).
pub fn page<T: Clone>(
    request: &PageRequest<'_>,
    items: &[T],
    default_max: usize,
) -> Result<(Vec<T>, Option<String>), AwsError> {
    let max = match request.max_results {
        None => default_max,
        Some(n) if (1..=100).contains(&n) => n as usize,
        Some(_) => return Err(AwsError::invalid("maxResults must be between 1 and 100.")),
    };
    let start = match request.next_token {
        None => 0,
        Some(token) => decode(token)
            .filter(|&offset| offset <= items.len())
            .ok_or_else(|| AwsError::invalid("Invalid nextToken."))?,
    };
    let end = start.saturating_add(max).min(items.len());
    let page = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next = (end < items.len()).then(|| encode(end));
    Ok((page, next))
}

fn encode(offset: usize) -> String {
    format!("ecs-playground-page-{offset}")
}

fn decode(token: &str) -> Option<usize> {
    token.strip_prefix("ecs-playground-page-")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page<T: Clone>(
        r: &Value,
        items: &[T],
        max: usize,
    ) -> Result<(Vec<T>, Option<String>), AwsError> {
        super::page(&PageRequest::read(r)?, items, max)
    }

    #[test]
    fn pages_walk_the_whole_list() {
        let items: Vec<u32> = (0..25).collect();
        let (first, token) = page(&json!({"maxResults": 10}), &items, 100).unwrap();
        assert_eq!(first, (0..10).collect::<Vec<_>>());
        let token = token.unwrap();
        let (second, token) =
            page(&json!({"maxResults": 10, "nextToken": token}), &items, 100).unwrap();
        assert_eq!(second, (10..20).collect::<Vec<_>>());
        let (third, token) = page(
            &json!({"maxResults": 10, "nextToken": token.unwrap()}),
            &items,
            100,
        )
        .unwrap();
        assert_eq!(third, (20..25).collect::<Vec<_>>());
        assert_eq!(token, None);
    }

    #[test]
    fn bad_tokens_and_limits_are_refused() {
        let items = [1, 2, 3];
        assert_eq!(
            page(&json!({"nextToken": "x"}), &items, 10)
                .unwrap_err()
                .error_type,
            "InvalidParameterException"
        );
        assert_eq!(
            page(&json!({"maxResults": 0}), &items, 10)
                .unwrap_err()
                .error_type,
            "InvalidParameterException"
        );
        assert_eq!(
            page(&json!({"maxResults": 101}), &items, 10)
                .unwrap_err()
                .error_type,
            "InvalidParameterException"
        );
        assert!(page(&json!({}), &items, 2).unwrap().1.is_some());
    }
}
