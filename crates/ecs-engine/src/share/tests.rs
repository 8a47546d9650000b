use super::*;
use crate::workspace::{default_workspace, DocumentKind, Edit};

/// A v1 link made by the first release of share links (the default
/// workspace with a service renamed to `api` and a note in a label).
/// It must decode to the same workspace forever.
const FIXED_V1_LINK: &str = include_str!("fixed-v1-link.txt");

/// A v1 link holding `json` as its payload, whatever it is.
fn link_of_json(json: &[u8]) -> String {
    fragment_for(1, &deflate(json))
}

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
    let not_a_workspace = link_of_json(b"[1, 2]");
    assert!(matches!(
        decode(&not_a_workspace),
        Err(ShareError::BadContent(_))
    ));
    let bad_kind =
        link_of_json(br#"{"documents": [{"id": "a", "kind": "rocket", "name": "", "text": ""}]}"#);
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
        decode(&link_of_json(&bomb)),
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

/// The split API is what the browser uses around its own deflate: the same
/// links as `encode`, the same workspaces as `decode`.
#[test]
fn the_split_api_makes_and_reads_the_same_links() {
    for ws in [
        default_workspace(),
        Workspace::empty(),
        fixed_v1_workspace(),
    ] {
        let json = payload_json(&ws);
        let link = fragment_for(CURRENT_VERSION, &deflate(json.as_bytes()));
        assert_eq!(link, encode(&ws));
        let split = split_link(&format!("#{link}")).expect("a link just made");
        assert_eq!(split.version, CURRENT_VERSION);
        let inflated = inflate(&split.deflated).expect("inflates");
        assert_eq!(inflated, json.as_bytes());
        assert_eq!(workspace_from_json(split.version, &inflated), Ok(ws));
    }
}

/// The fixed link, read the browser's way, holds exactly the JSON today's
/// `payload_json` writes: the v1 format has not moved.
#[test]
fn the_fixed_v1_link_reads_through_the_split_api() {
    let split = split_link(FIXED_V1_LINK.trim()).expect("the fixed link splits");
    assert_eq!(split.version, 1);
    let json = inflate(&split.deflated).expect("the fixed link inflates");
    assert_eq!(
        std::str::from_utf8(&json),
        Ok(payload_json(&fixed_v1_workspace()).as_str())
    );
    assert_eq!(workspace_from_json(1, &json), Ok(fixed_v1_workspace()));
}

#[test]
fn split_link_refuses_before_inflating() {
    let cases: [(String, ShareError); 7] = [
        ("#main".into(), ShareError::NotAShareLink),
        ("v0.AAAA".into(), ShareError::NotAShareLink),
        // Newer links are told apart whatever their payload looks like.
        ("#v2.@@@".into(), ShareError::NewerVersion(2)),
        ("v1.ab*c".into(), ShareError::BadEncoding),
        // One character too many or too few for base64: a link cut short.
        ("v1.A".into(), ShareError::BadCompression),
        ("v1.AAAAA".into(), ShareError::BadCompression),
        (
            "v1.A".repeat(MAX_LINK_CHARS),
            ShareError::TooLong(MAX_LINK_CHARS * 4),
        ),
    ];
    for (fragment, error) in cases {
        let shown: String = fragment.chars().take(12).collect();
        assert_eq!(split_link(&fragment), Err(error), "{shown}");
    }
    assert_eq!(
        split_link("v1.AAAA="),
        Ok(SplitLink {
            version: 1,
            deflated: vec![0, 0, 0]
        }),
        "padding some tools add is tolerated"
    );
}

#[test]
fn workspace_from_json_refuses_what_a_link_never_holds() {
    let json = payload_json(&default_workspace());
    assert_eq!(
        workspace_from_json(2, json.as_bytes()),
        Err(ShareError::NewerVersion(2))
    );
    assert_eq!(
        workspace_from_json(0, json.as_bytes()),
        Err(ShareError::NotAShareLink)
    );
    // Whatever inflated it must have stopped at the limit.
    let oversized = vec![b' '; MAX_INFLATED_BYTES + 1];
    assert_eq!(
        workspace_from_json(1, &oversized),
        Err(ShareError::BadCompression)
    );
    assert!(matches!(
        workspace_from_json(1, &[0xff, 0xfe]),
        Err(ShareError::BadContent(m)) if m.contains("UTF-8")
    ));
    assert!(matches!(
        workspace_from_json(1, b"{\"documents\": [{\"kind\": \"cluster\"}]}"),
        Err(ShareError::BadContent(m)) if m.contains("incomplete")
    ));
}
