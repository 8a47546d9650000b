//! Template placeholders: task definitions kept in repositories are templates
//! that a tool renders before registering them (ecs-semantics E7).
//!
//! [`placeholders`] finds them in a string value's text, whatever the tool:
//! ecspresso's `{{ must_env `TAG` }}` and `{{ tfstate `…` }}` (any Go or
//! Mustache `{{ … }}`), `${IMAGE}` (envsubst, CI pipelines, Terraform's
//! `${var.image}`), `$$$$IMAGE$$$$`-style markers, Azure DevOps and Octopus
//! `#{IMAGE}#` and `__IMAGE__` tokens, and `<region>`-style angle
//! placeholders where the whole token is one (so `a<b` or `<b>text` is not).
//! [`render`] substitutes the ones it has values for and keeps a map from the
//! rendered text back to the template, so that findings on the rendered
//! definition point into the text the user wrote.

use crate::text::Span;

/// Which syntax a placeholder is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `{{ … }}`: Go templates (ecspresso), Mustache, Jinja.
    Braces,
    /// `${…}`: envsubst, shells, CI pipelines, Terraform.
    Dollar,
    /// `$$NAME$$` (any run of two or more `$` each side), `#{NAME}#`, `__NAME__`.
    Marker,
    /// `<name>` standing alone as a token.
    Angle,
}

/// A placeholder found in a text: where, and in which syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte offsets in the scanned text.
    pub start: usize,
    pub end: usize,
    pub syntax: Syntax,
}

/// Longest angle placeholder recognised: longer `<…>` runs are text.
const MAX_ANGLE: usize = 64;

/// True when `text` holds at least one placeholder.
pub fn has_placeholder(text: &str) -> bool {
    may_hold(text.as_bytes()) && !placeholders(text).is_empty()
}

/// True unless `text` certainly holds no placeholder: every syntax starts
/// with one of these sequences. Cheaper than [`placeholders`] on a whole document.
pub fn may_hold_placeholder(text: &str) -> bool {
    ["{{", "${", "$$", "#{", "__", "<"]
        .iter()
        .any(|start| text.contains(start))
}

/// A cheap first look: every syntax needs one of these bytes.
fn may_hold(bytes: &[u8]) -> bool {
    bytes.iter().any(|b| matches!(b, b'{' | b'$' | b'<' | b'_'))
}

/// Every placeholder in `text`, in order, not overlapping.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    if !may_hold(bytes) {
        return found;
    }
    let mut at = 0;
    while at < bytes.len() {
        match placeholder_at(text, at) {
            Some(p) => {
                at = p.end;
                found.push(p);
            }
            None => at += 1,
        }
    }
    found
}

fn placeholder_at(text: &str, at: usize) -> Option<Placeholder> {
    let bytes = text.as_bytes();
    let rest = bytes.get(at..)?;
    let found = |len: usize, syntax| {
        Some(Placeholder {
            start: at,
            end: at + len,
            syntax,
        })
    };
    if rest.starts_with(b"{{") {
        let close = find(&rest[2..], b"}}")?;
        return found(close + 4, Syntax::Braces);
    }
    if rest.starts_with(b"${") {
        // Terraform nests braces: `${jsonencode({a = 1})}`.
        let mut depth = 0usize;
        for (i, b) in rest.iter().enumerate().skip(1) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return (i > 2).then_some(()).and(found(i + 1, Syntax::Dollar));
                    }
                }
                _ => {}
            }
        }
        return None;
    }
    if rest.starts_with(b"$$") {
        let run = rest.iter().take_while(|&&b| b == b'$').count();
        let name = identifier_len(&rest[run..]);
        let after = run + name;
        let closing = rest.get(after..after + run)?;
        if name > 0 && closing.iter().all(|&b| b == b'$') {
            return found(after + run, Syntax::Marker);
        }
        return None;
    }
    if rest.starts_with(b"#{") {
        let name = identifier_len(&rest[2..]);
        if name > 0 && rest.get(2 + name) == Some(&b'}') {
            let hash = usize::from(rest.get(3 + name) == Some(&b'#'));
            return found(3 + name + hash, Syntax::Marker);
        }
        return None;
    }
    if rest.starts_with(b"__") && (at == 0 || !is_word(bytes[at - 1])) {
        let name = rest[2..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
            .count();
        // `__NAME__`: the name's own trailing underscores are the closing pair.
        let body = &rest[2..2 + name];
        if name > 2 && body.ends_with(b"__") && body[0].is_ascii_uppercase() {
            let end = 2 + name;
            if !bytes.get(at + end).copied().is_some_and(is_word) {
                return found(end, Syntax::Marker);
            }
        }
        return None;
    }
    if rest.first() == Some(&b'<') && (at == 0 || !is_word(bytes[at - 1])) {
        let inner = rest[1..]
            .iter()
            .take(MAX_ANGLE)
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' '))
            .count();
        let closes = rest.get(1 + inner) == Some(&b'>');
        let body = &rest[1..1 + inner];
        let well_formed = inner > 0
            && body[0].is_ascii_alphabetic()
            && body.last() != Some(&b' ')
            && !bytes.get(at + inner + 2).copied().is_some_and(is_word);
        if closes && well_formed {
            return found(inner + 2, Syntax::Angle);
        }
    }
    None
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn identifier_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {
            bytes.iter().take_while(|&&b| is_word(b)).count()
        }
        _ => 0,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What a placeholder asks for: the variable's name, and whether the
/// environment may supply it (`${NAME}` and ecspresso's `must_env`/`env` read
/// the environment; markers and angle placeholders are filled by a tool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable<'a> {
    pub name: &'a str,
    pub from_environment: bool,
    /// `${NAME:-default}` and `{{ env `NAME` `default` }}`.
    pub default: Option<&'a str>,
}

/// The variable a placeholder's text (as [`placeholders`] delimits it) names,
/// if it is a simple lookup; `{{ tfstate `…` }}` and other expressions name none.
pub fn variable<'a>(placeholder: &'a str) -> Option<Variable<'a>> {
    if let Some(inner) = placeholder
        .strip_prefix("{{")
        .and_then(|p| p.strip_suffix("}}"))
    {
        let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let words: Vec<&str> = inner.split_whitespace().collect();
        let quoted = |w: &'a str| {
            w.strip_prefix('`')
                .and_then(|w| w.strip_suffix('`'))
                .or_else(|| w.strip_prefix('"').and_then(|w| w.strip_suffix('"')))
        };
        return match words.as_slice() {
            ["must_env", name] => Some(Variable {
                name: quoted(name)?,
                from_environment: true,
                default: None,
            }),
            ["env", name, rest @ ..] if rest.len() <= 1 => Some(Variable {
                name: quoted(name)?,
                from_environment: true,
                default: match rest {
                    [default] => Some(quoted(default)?),
                    _ => None,
                },
            }),
            [name] if is_name(name.trim_start_matches('.')) => Some(Variable {
                name: name.trim_start_matches('.'),
                from_environment: false,
                default: None,
            }),
            _ => None,
        };
    }
    if let Some(inner) = placeholder
        .strip_prefix("${")
        .and_then(|p| p.strip_suffix('}'))
    {
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        // `${var.image}`, `${local.tag}`: Terraform names, set with --var var.image=…
        let dotted = name.split('.').all(is_name);
        return dotted.then_some(Variable {
            name,
            from_environment: is_name(name),
            default,
        });
    }
    let name = placeholder
        .trim_start_matches(['$', '#', '{', '<'])
        .trim_end_matches(['$', '#', '}', '>']);
    let name = if placeholder.starts_with("__") {
        placeholder.trim_matches('_')
    } else {
        name
    };
    (!name.is_empty() && !name.starts_with(' ')).then_some(Variable {
        name,
        from_environment: false,
        default: None,
    })
}

fn is_name(name: &str) -> bool {
    identifier_len(name.as_bytes()) == name.len() && !name.is_empty()
}

/// A template with the placeholders that had values substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Each substitution: (span in the template, span in `text`), in order.
    substitutions: Vec<(Span, Span)>,
}

/// Substitutes every placeholder `lookup` (or the placeholder's own default)
/// has a value for, anywhere in `text`: templates are rendered as text, so
/// values are inserted as they are, as envsubst and ecspresso do.
pub fn render(text: &str, lookup: &dyn Fn(&Variable<'_>) -> Option<String>) -> Rendered {
    let mut out = String::with_capacity(text.len());
    let mut substitutions = Vec::new();
    let mut copied = 0;
    for p in placeholders(text) {
        let Some(var) = variable(&text[p.start..p.end]) else {
            continue;
        };
        let Some(value) = lookup(&var).or_else(|| var.default.map(str::to_string)) else {
            continue;
        };
        out.push_str(&text[copied..p.start]);
        let start = out.len();
        out.push_str(&value);
        substitutions.push((Span::new(p.start, p.end), Span::new(start, out.len())));
        copied = p.end;
    }
    out.push_str(&text[copied..]);
    Rendered {
        text: out,
        substitutions,
    }
}

impl Rendered {
    /// True when nothing was substituted.
    pub fn is_unchanged(&self) -> bool {
        self.substitutions.is_empty()
    }

    /// Where an offset of the rendered text was in the template. An offset
    /// inside a substituted value maps to its placeholder's start or end.
    pub fn template_offset(&self, offset: usize, is_end: bool) -> usize {
        let mut shift: isize = 0;
        for (template, rendered) in &self.substitutions {
            let (t_start, t_end) = (template.start as usize, template.end as usize);
            let (r_start, r_end) = (rendered.start as usize, rendered.end as usize);
            if offset < r_start || (offset == r_start && !is_end) {
                break;
            }
            if offset < r_end || (offset == r_end && is_end) {
                return if is_end { t_end } else { t_start };
            }
            shift = t_end as isize - r_end as isize;
        }
        offset.saturating_add_signed(shift)
    }

    /// A span of the rendered text in the template's offsets.
    pub fn template_span(&self, span: Span) -> Span {
        let start = self.template_offset(span.start as usize, false);
        let end = self.template_offset(span.end as usize, true).max(start);
        Span::new(start, end)
    }

    /// True when `span` of the rendered text touches a substituted value: an
    /// edit there would write into the template's placeholder.
    pub fn touches_substitution(&self, span: Span) -> bool {
        let (start, end) = (span.start, span.end.max(span.start + 1));
        self.substitutions
            .iter()
            .any(|(_, r)| start < r.end.max(r.start + 1) && r.start < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        placeholders(text)
            .iter()
            .map(|p| &text[p.start..p.end])
            .collect()
    }

    #[test]
    fn each_syntax_is_recognised_where_it_stands() {
        let cases: &[(&str, &[&str])] = &[
            ("{{ must_env `TAG` }}", &["{{ must_env `TAG` }}"]),
            (
                "app:{{ tfstate `aws_ecr_repository.app.url` }}",
                &["{{ tfstate `aws_ecr_repository.app.url` }}"],
            ),
            ("${IMAGE}", &["${IMAGE}"]),
            (
                "${var.image}:${jsonencode({a = 1})}",
                &["${var.image}", "${jsonencode({a = 1})}"],
            ),
            ("$$$$IMAGE$$$$", &["$$$$IMAGE$$$$"]),
            ("#{Image}#", &["#{Image}#"]),
            ("__IMAGE_TAG__", &["__IMAGE_TAG__"]),
            ("arn:aws:iam::<account-id>:role/x", &["<account-id>"]),
            (
                "<account>.dkr.ecr.<region>.amazonaws.com/app:<tag>",
                &["<account>", "<region>", "<tag>"],
            ),
            ("<AWS Account ID>", &["<AWS Account ID>"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&found(text), expected, "{text}");
        }
    }

    #[test]
    fn real_values_with_the_same_characters_are_not_placeholders() {
        for text in [
            "test $a -lt 2",
            "echo $HOME",
            "a<b",
            "x < 2 > y",
            "<b>bold</b>",
            "1 <2 3>",
            "${}",
            "{{ unclosed",
            "$$ 5 $$",
            "__init__",
            "my__VAR__x",
            "nginx:1.27",
            "",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
            assert!(!has_placeholder(text));
        }
    }

    #[test]
    fn variables_are_named_by_their_placeholder() {
        let name = |p: &'static str| variable(p).map(|v| (v.name, v.from_environment, v.default));
        assert_eq!(name("{{ must_env `TAG` }}"), Some(("TAG", true, None)));
        assert_eq!(
            name("{{ env `TAG` `latest` }}"),
            Some(("TAG", true, Some("latest")))
        );
        assert_eq!(name("{{ .Image }}"), Some(("Image", false, None)));
        assert_eq!(name("{{ tfstate `x.y` }}"), None);
        assert_eq!(name("${IMAGE}"), Some(("IMAGE", true, None)));
        assert_eq!(name("${TAG:-latest}"), Some(("TAG", true, Some("latest"))));
        assert_eq!(name("${var.image}"), Some(("var.image", false, None)));
        assert_eq!(name("$$$$IMAGE$$$$"), Some(("IMAGE", false, None)));
        assert_eq!(name("#{Image}#"), Some(("Image", false, None)));
        assert_eq!(name("__IMAGE__"), Some(("IMAGE", false, None)));
        assert_eq!(name("<region>"), Some(("region", false, None)));
    }

    #[test]
    fn rendering_substitutes_known_values_and_maps_offsets_back() {
        let template = r#"{"image": "${IMAGE}", "cpu": "{{ must_env `CPU` }}", "x": "<region>"}"#;
        let rendered = render(template, &|v| match v.name {
            "IMAGE" => Some("nginx:1.27".into()),
            "CPU" => Some("256".into()),
            _ => None,
        });
        assert_eq!(
            rendered.text,
            r#"{"image": "nginx:1.27", "cpu": "256", "x": "<region>"}"#
        );
        // Before any substitution: unchanged.
        assert_eq!(rendered.template_offset(1, false), 1);
        // The substituted value maps to its whole placeholder.
        let image = rendered.text.find("nginx").unwrap();
        let span = rendered.template_span(Span::new(image - 1, image + 11));
        assert_eq!(
            &template[span.start as usize..span.end as usize],
            "\"${IMAGE}\""
        );
        // After it: shifted by the difference.
        let x = rendered.text.find("\"x\"").unwrap();
        let span = rendered.template_span(Span::new(x, x + 3));
        assert_eq!(&template[span.start as usize..span.end as usize], "\"x\"");
        assert!(rendered.touches_substitution(Span::new(image, image + 1)));
        assert!(!rendered.touches_substitution(Span::new(x, x + 3)));
    }

    #[test]
    fn defaults_fill_in_when_no_value_is_given() {
        let rendered = render("${TAG:-1.27} {{ env `X` `y` }} ${NONE}", &|_| None);
        assert_eq!(rendered.text, "1.27 y ${NONE}");
    }
}
