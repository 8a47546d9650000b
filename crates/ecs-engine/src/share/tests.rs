use super::*;
use crate::workspace::{default_workspace, DocumentKind, Edit};

/// A v1 link made by the first release of share links (the default
/// workspace with a service renamed to `api` and a note in a label).
/// It must decode to the same workspace forever.
const FIXED_V1_LINK: &str = include_str!("fixed-v1-link.txt");

fn fixed_v1_workspace() -> Workspace {
    default_workspace()
        .apply(Edit::Rename {
            id: "d3".into(),
            name: "api".into(),
        })
        .apply(Edit::AddText {
            kind: DocumentKind::TaskDefinition,
            text: "{\"family\": \"ünïcode-☃\", \"note\": \"<img src=x onerror=alert(1)>\"}".into(),
        })
}

#[test]
fn a_fixed_v1_link_decodes_forever() {
    let link = FIXED_V1_LINK.trim();
    assert!(link.starts_with("#v1."), "the fixed link keeps its prefix");
    assert_eq!(decode(link), Ok(fixed_v1_workspace()));
}

#[test]
fn workspaces_round_trip_through_links() {
    let cases = [
        default_workspace(),
        Workspace::empty(),
        fixed_v1_workspace(),
        default_workspace().apply(Edit::SetText {
            id: "d1".into(),
            text: "  {\n\t\"family\":\"x\",  \"unknown\": null }\n\n".into(),
        }),
    ];
    for ws in cases {
        let link = encode(&ws);
        assert!(link.starts_with("v1."));
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{link}"
        );
        assert_eq!(decode(&link), Ok(ws.clone()));
        assert_eq!(decode(&format!("#{link}")), Ok(ws));
    }
}

#[test]
fn the_default_workspace_fits_in_a_short_link() {
    let length = encode(&default_workspace()).len();
    assert!(length < LONG_LINK_CHARS, "{length} characters");
}

#[test]
fn other_fragments_and_newer_versions_are_told_apart() {
    assert_eq!(decode("#main"), Err(ShareError::NotAShareLink));
    assert_eq!(decode(""), Err(ShareError::NotAShareLink));
    assert_eq!(decode("#v0.abc"), Err(ShareError::NotAShareLink));
    assert_eq!(decode("#v2.abc"), Err(ShareError::NewerVersion(2)));
    assert_eq!(
        decode("#v99999999999.abc"),
        Err(ShareError::NewerVersion(u32::MAX))
    );
    assert!(!looks_like_share_link("#main") && !looks_like_share_link("#vx.1"));
    assert!(looks_like_share_link("#v1.") && looks_like_share_link("v7.zzz"));
    let message = ShareError::NewerVersion(2).to_string();
    assert!(message.contains("newer version"), "{message}");
}

#[test]
fn damaged_links_say_how() {
    let link = encode(&default_workspace());
    assert_eq!(
        decode(&link.replace('.', ".*")),
        Err(ShareError::BadEncoding)
    );
    assert_eq!(
        decode(&link[..link.len() / 2]),
        Err(ShareError::BadCompression)
    );
    let not_a_workspace = format!("v1.{}", deflate_base64(b"[1, 2]"));
    assert!(matches!(
        decode(&not_a_workspace),
        Err(ShareError::BadContent(_))
    ));
    let bad_kind = format!(
        "v1.{}",
        deflate_base64(
            br#"{"documents": [{"id": "a", "kind": "rocket", "name": "", "text": ""}]}"#
        )
    );
    assert!(matches!(decode(&bad_kind), Err(ShareError::BadContent(m)) if m.contains("rocket")));
    assert!(matches!(
        decode(&"v1.A".repeat(MAX_LINK_CHARS)),
        Err(ShareError::TooLong(_))
    ));
}

#[test]
fn a_deflate_bomb_is_refused() {
    let bomb = vec![b' '; MAX_INFLATED_BYTES + 1];
    assert_eq!(
        decode(&format!("v1.{}", deflate_base64(&bomb))),
        Err(ShareError::BadCompression)
    );
}

/// Random damage never panics; cut-off links never decode to a different workspace.
#[test]
fn random_mutations_are_errors_or_harmless() {
    let ws = fixed_v1_workspace();
    let link = encode(&ws);
    let alphabet: Vec<char> =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=%# é"
            .chars()
            .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let mut errors = 0;
    const ROUNDS: usize = 3000;
    for _ in 0..ROUNDS {
        let mut chars: Vec<char> = link.chars().collect();
        match next(4) {
            0 => chars.truncate(next(chars.len())),
            1 => {
                let at = next(chars.len());
                chars[at] = alphabet[next(alphabet.len())];
            }
            2 => {
                let at = next(chars.len());
                chars.insert(at, alphabet[next(alphabet.len())]);
            }
            _ => {
                let at = next(chars.len());
                chars.remove(at);
            }
        }
        let damaged: String = chars.into_iter().collect();
        match decode(&damaged) {
            Err(e) => {
                assert!(!e.to_string().is_empty());
                errors += 1;
            }
            Ok(decoded) => {
                if link.starts_with(&damaged) {
                    assert_eq!(
                        decoded, ws,
                        "a cut-off link decoded to a different workspace"
                    );
                }
            }
        }
    }
    assert!(
        errors > ROUNDS * 9 / 10,
        "only {errors} of {ROUNDS} damaged links were refused"
    );
}
