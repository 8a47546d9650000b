//! The HTTP conventions of AWS that the endpoint reads from a request: the
//! region and service of a SigV4 credential scope, form-encoded awsQuery
//! bodies, and request ids. Which call a request names and how it is
//! answered is the engine's wire form (`ecs_engine::sim::wire`), which a
//! page answers through too.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::options::valid_region;

/// The region of a SigV4 `Authorization` header's credential scope
/// (`Credential=AKID/20261204/eu-west-1/ecs/aws4_request`), if it has one.
pub fn signed_region(authorization: &str) -> Option<&str> {
    let (_, after) = authorization.split_once("Credential=")?;
    let credential = after.split([',', ' ']).next()?;
    let region = credential.split('/').nth(2)?;
    valid_region(region).then_some(region)
}

/// The service of the credential scope (`ecs`, `sts`).
pub fn signed_service(authorization: &str) -> Option<&str> {
    let (_, after) = authorization.split_once("Credential=")?;
    after.split([',', ' ']).next()?.split('/').nth(3)
}

/// A form-encoded (awsQuery) body's value for `key`, decoded.
pub fn form_value(body: &[u8], key: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k)? == key)
            .then(|| percent_decode(v))
            .flatten()
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A fresh request id in AWS's UUID form, unique within the process.
pub fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static SALT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let salt = *SALT.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        nanos ^ (u64::from(std::process::id()) << 32)
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mixed = splitmix(salt ^ splitmix(n));
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        (mixed >> 32) as u32,
        (mixed >> 16) as u16,
        mixed & 0xfff,
        (salt >> 4) & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_credential_scopes() {
        let signed = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/eu-west-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(signed_region(signed), Some("eu-west-1"));
        assert_eq!(signed_service(signed), Some("ecs"));
        for unsigned in [
            "",
            "Bearer x",
            "AWS4-HMAC-SHA256 Credential=AKID/2026",
            "AWS4-HMAC-SHA256 Credential=A/1/EU WEST/ecs/aws4_request",
        ] {
            assert_eq!(signed_region(unsigned), None, "{unsigned}");
        }
    }

    #[test]
    fn form_bodies() {
        let body = b"Action=GetCallerIdentity&Version=2011-06-15&Note=a%2Fb+c";
        assert_eq!(
            form_value(body, "Action").as_deref(),
            Some("GetCallerIdentity")
        );
        assert_eq!(form_value(body, "Note").as_deref(), Some("a/b c"));
        assert_eq!(form_value(body, "Missing"), None);
        assert_eq!(form_value(b"Action=%zz", "Action"), None);
    }

    #[test]
    fn request_ids_are_unique_uuids() {
        let a = request_id();
        let b = request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }
}
