//! The front door for validation: text in, located diagnostics out.
//!
//! Analysis never fails: bad input of any kind (not UTF-8, too large, not JSON,
//! the wrong shape) comes back as diagnostics, never as a panic or an `Err`.

use serde::{Deserialize, Serialize};

use crate::check::{shape, task_definition, Located, Sink};
use crate::diagnostic::{sort_diagnostics, Diagnostic, Finding, Severity};
use crate::import::{import_parsed, import_with, InputForm, Parsed};
#[cfg(feature = "terraform")]
use crate::json;
use crate::json::JsonPath;
use crate::place::TaskRequirements;
use crate::text::{LineIndex, Span};

/// Documents larger than this are refused before parsing. A task definition
/// is at most 64 KiB; 10 MB leaves room for whole CloudFormation templates.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The form the input was recognised as, if it parsed.
    pub form: Option<InputForm>,
    pub diagnostics: Vec<Diagnostic>,
    /// What a task of this definition needs from an instance, when it can be known.
    pub requirements: Option<TaskRequirements>,
}

impl Analysis {
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Analyses raw bytes, as read from a file or a drop: checks size and UTF-8 first.
pub fn analyze_bytes(bytes: &[u8]) -> Analysis {
    if bytes.len() > MAX_INPUT_BYTES {
        return input_error("input-too-large", "", Span::new(0, 0), format!(
            "the input is {} bytes, more than the {} bytes the playground reads (a task definition is at most 64 KiB)",
            bytes.len(),
            MAX_INPUT_BYTES
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => analyze_task_definition(text),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction, so positions can be computed on it.
            let text = std::str::from_utf8(valid).unwrap_or("");
            input_error(
                "invalid-utf8",
                text,
                Span::new(text.len(), text.len()),
                format!(
                    "the input is not valid UTF-8: invalid byte at offset {}",
                    e.valid_up_to()
                ),
            )
        }
    }
}

/// Analyses a task definition in any accepted form, as kept in a repository:
/// template placeholders are recognised (one info each) and the values
/// holding them are judged after substitution, not before.
pub fn analyze_task_definition(text: &str) -> Analysis {
    analyze_task_definition_with(text, &|_| None)
}

/// Like [`analyze_task_definition`], with the text of files the document
/// names (a Compose file's `env_file`), which the caller reads.
pub fn analyze_task_definition_with(
    text: &str,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Analysis {
    analyze(text, Placeholders::Recognised, file_text)
}

/// [`analyze_task_definition_with`] of a text already parsed (by
/// `document::classify_parsed`): the same analysis without parsing again.
/// `parsed` must be `text`'s own tree.
pub fn analyze_parsed_task_definition(
    text: &str,
    parsed: Parsed,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Analysis {
    if text.len() > MAX_INPUT_BYTES {
        return analyze_bytes(text.as_bytes());
    }
    let imported = import_parsed(parsed, file_text);
    match findings_of(imported, text, Placeholders::Recognised) {
        Ok((form, findings, requirements)) => located(text, Some(form), &findings, requirements),
        Err((code, span, message)) => input_error(code, text, span, message),
    }
}

/// Analyses a task definition as RegisterTaskDefinition receives it: text
/// that looks like a placeholder is a value like any other, as AWS sees it.
pub fn analyze_registered_task_definition(text: &str) -> Analysis {
    analyze(text, Placeholders::AreValues, &|_| None)
}

/// Analyses a template after substituting the placeholders `lookup` has
/// values for (see [`crate::template::render`]); diagnostics point into the
/// template, and fixes that would write into a substituted value are dropped.
pub fn analyze_template(
    text: &str,
    lookup: &dyn Fn(&crate::template::Variable<'_>) -> Option<String>,
) -> Analysis {
    let rendered = crate::template::render(text, lookup);
    if rendered.is_unchanged() {
        return analyze_task_definition(text);
    }
    let (form, mut findings, requirements) =
        match analyzed_findings(&rendered.text, Placeholders::Recognised, &|_| None) {
            Ok(analysed) => analysed,
            Err((code, span, message)) => {
                return input_error(code, text, rendered.template_span(span), message)
            }
        };
    for finding in &mut findings {
        let touches = finding.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|(span, _)| rendered.touches_substitution(*span))
        });
        if touches {
            finding.fix = None;
        }
        if let Some(fix) = &mut finding.fix {
            for (span, _) in &mut fix.edits {
                *span = rendered.template_span(*span);
            }
        }
        finding.span = rendered.template_span(finding.span);
    }
    located(text, Some(form), &findings, requirements)
}

/// [`analyze_template`] for raw bytes, as [`analyze_bytes`] checks them.
pub fn analyze_template_bytes(
    bytes: &[u8],
    lookup: &dyn Fn(&crate::template::Variable<'_>) -> Option<String>,
) -> Analysis {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.len() <= MAX_INPUT_BYTES => analyze_template(text, lookup),
        _ => analyze_bytes(bytes),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Placeholders {
    Recognised,
    AreValues,
}

fn analyze(
    text: &str,
    placeholders: Placeholders,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Analysis {
    if text.len() > MAX_INPUT_BYTES {
        return analyze_bytes(text.as_bytes());
    }
    match analyzed_findings(text, placeholders, file_text) {
        Ok((form, findings, requirements)) => located(text, Some(form), &findings, requirements),
        Err((code, span, message)) => input_error(code, text, span, message),
    }
}

type Analysed = (InputForm, Vec<Finding>, Option<TaskRequirements>);

/// The findings on `text`, spans in `text`, or the one input error that stops it.
fn analyzed_findings(
    text: &str,
    placeholders: Placeholders,
    file_text: &dyn Fn(&str) -> Option<String>,
) -> Result<Analysed, (&'static str, Span, String)> {
    findings_of(import_with(text, file_text), text, placeholders)
}

/// The findings on an imported `text`, or the error that stopped its import.
fn findings_of(
    imported: Result<crate::import::Imported, Box<Finding>>,
    text: &str,
    placeholders: Placeholders,
) -> Result<Analysed, (&'static str, Span, String)> {
    let imported = imported.map_err(|error| (error.code, error.span, error.message))?;
    let task_def = imported.task_def();
    let mut sink = Sink::default();
    let root_located = Located::root(&imported.root, JsonPath::root());
    // Described and CloudFormation task definitions are register input once
    // read (CloudFormation translated to API names, spans kept).
    let shape_form = match imported.form {
        InputForm::DescribeOutput | InputForm::ContainerDefinitions => imported.form,
        _ => InputForm::RegisterInput,
    };
    shape::check_task_definition_shape(&root_located, shape_form, &task_def, &mut sink);
    let requirements = match imported.form {
        InputForm::ContainerDefinitions => {
            task_definition::check_bare_containers(&task_def, &mut sink);
            None
        }
        _ => {
            task_definition::check(&task_def, &mut sink);
            Some(TaskRequirements::of(&task_def))
        }
    };
    sink.summarise_dropped();
    imported.adapt(&mut sink.findings);
    if placeholders == Placeholders::Recognised {
        let functions: Vec<Span> = imported
            .converted
            .iter()
            .flat_map(|c| c.intrinsics.iter().map(|i| i.span))
            .collect();
        task_definition::placeholders::apply(&imported.root, text, &functions, &mut sink.findings);
    }
    sink.findings.extend(imported.findings.iter().cloned());
    Ok((imported.form, sink.findings, requirements))
}

fn located(
    text: &str,
    form: Option<InputForm>,
    findings: &[Finding],
    requirements: Option<TaskRequirements>,
) -> Analysis {
    // Most documents being typed have few findings, many have none; the
    // index is built only for those that have some.
    let mut diagnostics: Vec<Diagnostic> = if findings.is_empty() {
        Vec::new()
    } else {
        let index = LineIndex::new(text);
        findings.iter().map(|f| f.locate(&index)).collect()
    };
    sort_diagnostics(&mut diagnostics);
    Analysis {
        form,
        diagnostics,
        requirements,
    }
}

/// Analyses every ECS resource of a Terraform `.tf` text: task definitions
/// as RegisterTaskDefinition input, services as CreateService input (with
/// the task definition of the same file it names, if any), clusters as
/// CreateCluster input. Paths start with the resource's address
/// (`aws_ecs_service.web.desiredCount`, API names below it); ranges are in
/// the `.tf` text. `file_text` gives the text of a file `file("...")` names.
#[cfg(feature = "terraform")]
pub fn analyze_terraform(text: &str, file_text: &dyn Fn(&str) -> Option<String>) -> Analysis {
    use crate::check::request::{self, Operation};
    use crate::import::terraform::{self, ResourceKind};

    if text.len() > MAX_INPUT_BYTES {
        return analyze_bytes(text.as_bytes());
    }
    let resources = match terraform::read(text, file_text) {
        Ok(resources) => resources,
        Err(e) => return input_error("terraform-syntax", text, e.span, e.message),
    };
    let mut findings = Vec::new();
    for resource in &resources {
        let mut sink = Sink::default();
        let path = JsonPath::root()
            .key(resource.kind.resource_type())
            .key(&resource.name);
        let located = Located::root(&resource.node, path);
        match resource.kind {
            ResourceKind::TaskDefinition => {
                shape::check_task_definition_shape(
                    &located,
                    InputForm::RegisterInput,
                    &located,
                    &mut sink,
                );
                task_definition::check(&located, &mut sink);
            }
            ResourceKind::Service => {
                let account = crate::DocumentAccount::with_task_definition(task_definition_named(
                    &resources,
                    &resource.node,
                ));
                request::check(Operation::CreateService, &located, &account, &mut sink);
            }
            ResourceKind::Cluster => {
                let account = crate::DocumentAccount::default();
                request::check(Operation::CreateCluster, &located, &account, &mut sink);
            }
        }
        sink.summarise_dropped();
        for mut finding in sink.findings {
            // A value Terraform computes is not known here: nothing to say about it.
            let inside = |s: &Span| s.start <= finding.span.start && finding.span.end <= s.end;
            if resource.placeholders.iter().any(inside) {
                continue;
            }
            // Missing members are reported at the resource's labels.
            if finding.span == resource.node.span {
                finding.span = resource.header_span;
            }
            // Only fixes that put a plain value in place of a value are also Terraform.
            let plain = finding.fix.as_ref().is_some_and(|fix| {
                fix.edits.iter().all(|(_, text)| {
                    json::parse(text).is_ok_and(|n| !n.is_object() && !n.is_array())
                })
            });
            if !plain {
                finding.fix = None;
            }
            findings.push(finding);
        }
    }
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = findings.iter().map(|f| f.locate(&index)).collect();
    sort_diagnostics(&mut diagnostics);
    Analysis {
        form: None,
        diagnostics,
        requirements: None,
    }
}

/// The task definition a service names as `aws_ecs_task_definition.NAME.arn`, as a value.
#[cfg(feature = "terraform")]
fn task_definition_named(
    resources: &[crate::import::terraform::Resource],
    service: &crate::json::Node,
) -> Option<serde_json::Value> {
    let named = service.get("taskDefinition")?.as_str()?;
    let name = named
        .strip_prefix("${aws_ecs_task_definition.")?
        .strip_suffix(".arn}")?;
    resources
        .iter()
        .find(|r| {
            r.kind == crate::import::terraform::ResourceKind::TaskDefinition && r.name == name
        })
        .map(|r| r.node.to_value())
}

/// An analysis that is one error about the input as a whole (too large, not
/// UTF-8, not JSON, not the expected kind of document).
pub(crate) fn input_error(code: &'static str, text: &str, span: Span, message: String) -> Analysis {
    let finding = Finding {
        code,
        severity: Severity::Error,
        path: JsonPath::root(),
        span,
        message,
        exception: None,
        fix: None,
    };
    Analysis {
        form: None,
        diagnostics: vec![finding.locate(&LineIndex::new(text))],
        requirements: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_come_back_as_located_diagnostics() {
        let analysis = analyze_task_definition("{\n  \"family\": \"web\",\n  \"cpu\": 256,,\n}");
        assert_eq!(analysis.diagnostics.len(), 1);
        let d = &analysis.diagnostics[0];
        assert_eq!(d.code, "json-syntax");
        assert_eq!((d.range.start.line, d.range.start.column), (3, 14));
    }

    #[test]
    fn invalid_utf8_and_oversized_input_are_errors_not_panics() {
        let mut bytes = b"{\"family\": \"".to_vec();
        bytes.push(0xff);
        let analysis = analyze_bytes(&bytes);
        assert_eq!(analysis.diagnostics[0].code, "invalid-utf8");
        assert_eq!(analysis.diagnostics[0].range.start.column, 13);

        let big = vec![b' '; MAX_INPUT_BYTES + 1];
        assert_eq!(analyze_bytes(&big).diagnostics[0].code, "input-too-large");
    }

    #[test]
    fn a_describe_output_is_recognised_and_paths_include_the_wrapper() {
        let analysis = analyze_task_definition(
            r#"{"taskDefinition": {"containerDefinitions": [{"name": "a", "image": "x", "memory": 128}]}}"#,
        );
        assert_eq!(analysis.form, Some(InputForm::DescribeOutput));
        assert_eq!(analysis.diagnostics[0].path, "taskDefinition.family");
    }

    #[test]
    fn describe_output_with_tags_has_no_false_findings() {
        // `aws ecs describe-task-definition --include TAGS` (ecs-semantics E4),
        // with the console's empty lists and the equal memory limits and
        // "True" boolean AWS registers (E1, E2).
        let text = r#"{"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
            "family": "web", "revision": 7, "status": "ACTIVE", "requiresAttributes": [], "compatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 256, "memoryReservation": 256,
              "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
                "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web", "awslogs-create-group": "True"}}}]},
          "tags": [{"key": "team", "value": "web"}]}"#;
        let analysis = analyze_task_definition(text);
        assert_eq!(analysis.form, Some(InputForm::DescribeOutput));
        let noisy: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{} {}", d.code, d.path))
            .collect();
        assert!(noisy.is_empty(), "{noisy:?}");
    }

    #[test]
    fn templates_are_judged_after_substitution_with_findings_in_the_template() {
        let template = r#"{"family": "${FAMILY}", "containerDefinitions": [{"name": "web", "image": "${IMAGE}", "memory": 256,
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "<region>", "mode": "Blocking"}}}]}"#;
        // Unrendered: one info per placeholder, nothing else on those values.
        let plain = analyze_task_definition(template);
        let codes: Vec<&str> = plain.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes
                .iter()
                .filter(|c| **c == "template-placeholder")
                .count(),
            3,
            "{codes:?}"
        );
        assert!(!codes.contains(&"family-format") && !codes.contains(&"image-format"));
        // The simulator registers what it is given: a placeholder is a bad value there.
        let registered = analyze_registered_task_definition(template);
        assert!(registered
            .diagnostics
            .iter()
            .any(|d| d.code == "family-format"));
        // Rendered: the substituted family is judged, and both findings and
        // fixes point into the template.
        let rendered = analyze_template(template, &|v| match v.name {
            "FAMILY" => Some("web.app".to_string()),
            "IMAGE" => Some("nginx:1.27".to_string()),
            _ => None,
        });
        let family = rendered
            .diagnostics
            .iter()
            .find(|d| d.code == "family-format")
            .expect("the rendered family is checked");
        let at = |d: &Diagnostic| {
            &template[d.range.start.offset_utf16 as usize..d.range.end.offset_utf16 as usize]
        };
        assert_eq!(at(family), "\"${FAMILY}\"");
        assert!(
            family.fix.is_none(),
            "a fix would overwrite the placeholder"
        );
        let mode = rendered
            .diagnostics
            .iter()
            .find(|d| d.code == "log-option-value")
            .expect("mode is checked");
        assert_eq!(at(mode), "\"Blocking\"");
        let fix = mode
            .fix
            .as_ref()
            .expect("a fix outside the substitutions is kept");
        assert!(crate::apply_fix(template, fix).contains("\"mode\": \"blocking\""));
        assert!(rendered
            .diagnostics
            .iter()
            .any(|d| d.code == "template-placeholder" && at(d) == "<region>"));
    }

    #[test]
    fn a_scalar_is_not_a_task_definition() {
        let analysis = analyze_task_definition("42");
        assert_eq!(analysis.diagnostics[0].code, "not-a-task-definition");
    }
}
