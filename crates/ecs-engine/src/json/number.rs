//! Numbers read and written without core's decimal-to-float parser or
//! serde_json's float formatter: both carry large tables, and the web build
//! already holds serde_json's number reader (fractions are written by
//! float_text, which keeps core's float formatter out of the page too).

use serde_json::Number;

/// The value of a JSON number's text (`-1`, `0.25`, `2e3`); `None` for
/// anything JSON would not accept as a number (`+1`, `.5`, `NaN`, `1,5`).
pub fn parse_f64(text: &str) -> Option<f64> {
    text.parse::<Number>().ok()?.as_f64()
}

/// A number as JSON text: integers exactly, fractions in their shortest
/// round-trip form.
pub fn number_text(n: &Number) -> String {
    if let Some(u) = n.as_u64() {
        u.to_string()
    } else if let Some(i) = n.as_i64() {
        i.to_string()
    } else {
        // Debug, unlike Display, keeps the `.0` of whole fractions (1.0 stays
        // a fraction) and writes an exponent for very large or small
        // magnitudes instead of hundreds of digits.
        super::float_text::debug(n.as_f64().unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_numbers_and_nothing_else() {
        let cases: &[(&str, Option<f64>)] = &[
            ("0", Some(0.0)),
            ("-1", Some(-1.0)),
            ("0.25", Some(0.25)),
            ("2e3", Some(2000.0)),
            ("1E-2", Some(0.01)),
            ("18446744073709551616", Some(18446744073709551616.0)),
            ("+1", None),
            (".5", None),
            ("5.", None),
            ("NaN", None),
            ("inf", None),
            ("1,5", None),
            (" 1", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_f64(text), *want, "{text:?}");
        }
    }

    #[test]
    fn integers_are_exact_and_fractions_round_trip() {
        assert_eq!(number_text(&Number::from(u64::MAX)), "18446744073709551615");
        assert_eq!(number_text(&Number::from(i64::MIN)), "-9223372036854775808");
        for x in [0.25, 1.0, -0.5, 0.1, 1e21, 1e-7, f64::MAX, 5e-324] {
            let Some(n) = Number::from_f64(x) else {
                panic!("{x} is finite")
            };
            let text = number_text(&n);
            assert_eq!(parse_f64(&text), Some(x), "{text}");
            assert!(
                text.contains('.') || text.contains('e'),
                "{text} must stay a fraction"
            );
        }
    }
}
