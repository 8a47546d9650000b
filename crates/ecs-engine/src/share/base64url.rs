//! Base64url without padding (RFC 4648 §5), the alphabet share links use.
//! Our own few lines rather than a general-purpose crate: the web build
//! carries only this one alphabet.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why text is not base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside the alphabet.
    ForeignSymbol,
    /// One character too many or too few: what cutting text short does.
    WrongLength,
    /// The last character carries bits no encoder writes.
    StrayLastBits,
}

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let group = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // n bytes make n + 1 characters.
        for i in 0..=chunk.len() {
            let index = (group >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let symbols = text.as_bytes();
    // A foreign character is the more telling error, so it is looked for first.
    if symbols.iter().any(|&symbol| value_of(symbol).is_err()) {
        return Err(DecodeError::ForeignSymbol);
    }
    if symbols.len() % 4 == 1 {
        return Err(DecodeError::WrongLength);
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3 + 2);
    for chunk in symbols.chunks(4) {
        let mut group = 0u32;
        for (i, &symbol) in chunk.iter().enumerate() {
            group |= u32::from(value_of(symbol)?) << (18 - 6 * i);
        }
        // n characters carry n - 1 whole bytes; the rest must be zero bits.
        let whole = chunk.len() - 1;
        let unused_bits = 24 - 8 * whole;
        if chunk.len() < 4 && group & ((1 << unused_bits) - 1) != 0 {
            return Err(DecodeError::StrayLastBits);
        }
        for i in 0..whole {
            out.push((group >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}

fn value_of(symbol: u8) -> Result<u8, DecodeError> {
    match symbol {
        b'A'..=b'Z' => Ok(symbol - b'A'),
        b'a'..=b'z' => Ok(symbol - b'a' + 26),
        b'0'..=b'9' => Ok(symbol - b'0' + 52),
        b'-' => Ok(62),
        b'_' => Ok(63),
        _ => Err(DecodeError::ForeignSymbol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10's vectors, in the URL alphabet without padding.
    #[test]
    fn the_rfc_vectors_round_trip() {
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn every_length_and_byte_round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len])).unwrap(), &bytes[..len]);
        }
    }

    #[test]
    fn damaged_text_is_refused_with_the_reason() {
        assert_eq!(decode("Zm9vY"), Err(DecodeError::WrongLength));
        assert_eq!(decode("Zm9v+g"), Err(DecodeError::ForeignSymbol));
        assert_eq!(decode("Zm9v*Yg"), Err(DecodeError::ForeignSymbol));
        assert_eq!(decode("Zm9v=="), Err(DecodeError::ForeignSymbol));
        assert_eq!(decode("Zh"), Err(DecodeError::StrayLastBits));
        assert_eq!(decode("Zm9"), Err(DecodeError::StrayLastBits));
    }
}
