//! Share links: the whole workspace in the URL fragment, so nothing is sent
//! to any server.
//!
//! A link's fragment is `v<N>.<payload>`. Version 1's payload is
//! base64url (no padding) of raw deflate of the minified JSON of
//! [`v1::Payload`]. Every version ever published keeps decoding: each has its
//! own frozen module and converts into today's [`Workspace`].
//!
//! The format is apart from the compression: [`payload_json`] and
//! [`fragment_for`] make a link, [`split_link`] and [`workspace_from_json`]
//! read one, and the caller deflates and inflates in between. The web app uses
//! the browser's own `CompressionStream("deflate-raw")`, which keeps a deflate
//! implementation out of its download; [`encode`] and [`decode`] do the same
//! natively with miniz_oxide (cargo feature `deflate`, on by default).

mod base64url;
pub mod v1;

use std::fmt;

use crate::workspace::Workspace;

/// The version new links are written in.
pub const CURRENT_VERSION: u32 = 1;
/// Longer links are refused before decoding (about 8 MB of workspace).
pub const MAX_LINK_CHARS: usize = 4 * 1024 * 1024;
/// A link never inflates to more than this (guards against deflate bombs).
pub const MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;
/// Above this many characters, a link may be cut off by chat tools and
/// browsers; the UI suggests downloading a file instead.
pub const LONG_LINK_CHARS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is not a share link at all.
    NotAShareLink,
    /// Made by a newer version of the playground.
    NewerVersion(u32),
    /// Too long to be a link this playground made.
    TooLong(usize),
    /// Not base64url: usually a link cut off or altered when copied.
    BadEncoding,
    /// The compressed data is damaged or incomplete.
    BadCompression,
    /// Decompressed, but not a workspace.
    BadContent(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotAShareLink => write!(f, "This link does not hold a workspace: a share link's address ends with #v1. followed by the workspace."),
            ShareError::NewerVersion(v) => write!(f, "This link was made by a newer version of ECS Playground (share format v{v}; this version reads up to v{CURRENT_VERSION}). Reload the page to get the latest version."),
            ShareError::TooLong(n) => write!(f, "This link is {n} characters long, more than a share link can be ({MAX_LINK_CHARS})."),
            ShareError::BadEncoding => write!(f, "This share link is damaged: it contains characters a share link never has. It may have been changed or cut off when it was copied."),
            ShareError::BadCompression => write!(f, "This share link is damaged or incomplete: its data does not decompress. It may have been cut off when it was copied."),
            ShareError::BadContent(why) => write!(f, "This share link is damaged: it does not hold a workspace ({why})."),
        }
    }
}

impl std::error::Error for ShareError {}

/// A share link taken apart, its payload still compressed: what the caller
/// inflates (the browser does it natively, see [`decode`] for the native path)
/// and then reads with [`workspace_from_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitLink {
    pub version: u32,
    /// Raw deflate of the payload's JSON.
    pub deflated: Vec<u8>,
}

/// The minified JSON of `workspace` in the current version's payload; raw
/// deflate of it, passed to [`fragment_for`], makes the link.
pub fn payload_json(workspace: &Workspace) -> String {
    v1::payload_json(workspace)
}

/// The fragment (without `#`) for a payload of `version` already deflated.
pub fn fragment_for(version: u32, deflated: &[u8]) -> String {
    format!("v{version}.{}", base64url::encode(deflated))
}

/// The version and the compressed payload in a fragment (with or without its
/// `#`). Long, foreign, newer and damaged links are refused here, before
/// anything is inflated.
pub fn split_link(fragment: &str) -> Result<SplitLink, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(fragment.len()));
    }
    let (version, payload) = split_version(fragment).ok_or(ShareError::NotAShareLink)?;
    match version {
        1 => Ok(SplitLink {
            version,
            deflated: base64_decode(payload)?,
        }),
        v if v > CURRENT_VERSION => Err(ShareError::NewerVersion(v)),
        _ => Err(ShareError::NotAShareLink),
    }
}

/// The workspace in an inflated payload of `version`.
pub fn workspace_from_json(version: u32, json: &[u8]) -> Result<Workspace, ShareError> {
    // Whatever inflated it, a payload is never larger than a link allows.
    if json.len() > MAX_INFLATED_BYTES {
        return Err(ShareError::BadCompression);
    }
    match version {
        1 => v1::workspace_from_json(json),
        v if v > CURRENT_VERSION => Err(ShareError::NewerVersion(v)),
        _ => Err(ShareError::NotAShareLink),
    }
}

/// The fragment (without `#`) for `workspace`, compressed natively.
#[cfg(feature = "deflate")]
pub fn encode(workspace: &Workspace) -> String {
    fragment_for(
        CURRENT_VERSION,
        &deflate(payload_json(workspace).as_bytes()),
    )
}

/// The workspace in a fragment (with or without its `#`), inflated natively.
#[cfg(feature = "deflate")]
pub fn decode(fragment: &str) -> Result<Workspace, ShareError> {
    let link = split_link(fragment)?;
    workspace_from_json(link.version, &inflate(&link.deflated)?)
}

/// Raw deflate, as share links use it.
#[cfg(feature = "deflate")]
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

/// Raw inflate, refusing more than [`MAX_INFLATED_BYTES`] (deflate bombs).
#[cfg(feature = "deflate")]
pub fn inflate(deflated: &[u8]) -> Result<Vec<u8>, ShareError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_INFLATED_BYTES)
        .map_err(|_| ShareError::BadCompression)
}

/// Whether a fragment is meant as a share link (even a damaged one), so that
/// other fragments (`#main`, …) are left alone.
pub fn looks_like_share_link(fragment: &str) -> bool {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    split_version(fragment).is_some()
}

fn split_version(fragment: &str) -> Option<(u32, &str)> {
    let rest = fragment.strip_prefix('v')?;
    let (number, payload) = rest.split_once('.')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().unwrap_or(u32::MAX), payload))
}

fn base64_decode(payload: &str) -> Result<Vec<u8>, ShareError> {
    // Tolerate `=` padding some tools add; nothing else.
    base64url::decode(payload.trim_end_matches('=')).map_err(|e| match e {
        // A wrong length or a stray last symbol is what cutting a link short does.
        base64url::DecodeError::WrongLength | base64url::DecodeError::StrayLastBits => {
            ShareError::BadCompression
        }
        base64url::DecodeError::ForeignSymbol => ShareError::BadEncoding,
    })
}

// The tests make links natively, with miniz_oxide.
#[cfg(all(test, feature = "deflate"))]
mod tests;
