//! Container images (V-CD-002) and the floating `latest` tag.

use super::{name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const IMAGE_FORMAT: Rule = Rule {
    code: "image-format",
    severity: Severity::Error,
    summary: "`image` is up to 255 letters, digits, hyphens, underscores, colons, periods, slashes, number signs and `@` (for digests).",
    covers: &["V-CD-002"],
    exception: Some("ClientException"),
};

pub const IMAGE_LATEST_TAG: Rule = Rule {
    code: "image-latest-tag",
    severity: Severity::Warning,
    summary: "An image without a tag, or tagged `latest`, changes under you: tasks of one revision may run different code.",
    covers: &[],
    exception: None,
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        let Some(field) = container.field("image") else {
            continue;
        };
        let Some(image) = field.node.as_str() else {
            continue;
        };
        if image.is_empty() {
            continue; // container-image-required says it in AWS's words.
        }
        if !is_image_reference(image) {
            sink.report(
                &IMAGE_FORMAT,
                field.path.clone(),
                field.span(),
                format!("container '{}': image \"{image}\" is invalid: up to 255 letters (uppercase and lowercase), numbers, hyphens, underscores, colons, periods, forward slashes, and number signs are allowed", name_of(container)),
            );
            continue;
        }
        check_tag(container, &field, image, sink);
    }
}

fn is_image_reference(image: &str) -> bool {
    !image.is_empty()
        && image.chars().count() <= 255
        && image
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:./#@".contains(c))
}

/// The tag of `repository[:tag][@digest]`, if any; a port in the registry
/// host (`host:5000/repo`) is not a tag.
fn tag_of(image: &str) -> Option<&str> {
    if image.contains('@') {
        return Some("");
    }
    let last_segment = image.rsplit('/').next().unwrap_or(image);
    last_segment.split_once(':').map(|(_, tag)| tag)
}

fn check_tag(container: &Located<'_>, field: &Located<'_>, image: &str, sink: &mut Sink) {
    let message = match tag_of(image) {
        Some("latest") => "is tagged latest",
        None => "has no tag, so it means latest",
        Some(_) => return,
    };
    sink.report(
        &IMAGE_LATEST_TAG,
        field.path.clone(),
        field.span(),
        format!("container '{}': image \"{image}\" {message}: each task pulls whatever latest is when it starts, so tasks of one revision can run different code. Pin a version tag or a digest", name_of(container)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_from_the_last_path_segment() {
        assert_eq!(tag_of("nginx"), None);
        assert_eq!(tag_of("nginx:1.27"), Some("1.27"));
        assert_eq!(tag_of("registry:5000/team/app"), None);
        assert_eq!(tag_of("registry:5000/team/app:latest"), Some("latest"));
        assert_eq!(tag_of("app@sha256:abc"), Some(""));
        assert!(is_image_reference(
            "123.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc"
        ));
        assert!(!is_image_reference("app name"));
    }
}
