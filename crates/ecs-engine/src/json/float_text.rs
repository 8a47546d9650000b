//! Floats as text, the same text as core's `{}` and `{:?}`, without core's
//! float formatter: that formatter (Grisu with a Dragon4 fallback, plus the
//! fixed-precision paths `{:.N}` needs) is about 16 KB of the authoring
//! page's wasm, while this exact Dragon4 (Steele & White's free-format
//! algorithm as Burger & Dybvig state it) on a small bignum is a tenth of
//! that. Only the engine's rare paths format floats (a fraction written back
//! as JSON, a number quoted in a message), so its speed does not matter.
//! The tests compare it with core's output over every exponent.

use std::cmp::Ordering;

/// `x` as `format!("{x}")` writes it: the shortest digits that read back as
/// `x`, never with an exponent (`0.0000001`, `1e21` as 22 digits).
pub fn display(x: f64) -> String {
    let (sign, digits, k) = decompose(x);
    let mut out = String::from(sign);
    push_decimal(&mut out, &digits, k, false);
    out
}

/// `x` as `format!("{x:?}")` writes it: like [`display`] but keeping `.0` on
/// whole numbers, with an exponent below 1e-4 and from 1e16 up (`1e-7`,
/// `1.5e300`).
pub fn debug(x: f64) -> String {
    let (sign, digits, k) = decompose(x);
    let mut out = String::from(sign);
    let magnitude = x.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        let (first, rest) = digits.split_at(1);
        push_digits(&mut out, first);
        if !rest.is_empty() {
            out.push('.');
            push_digits(&mut out, rest);
        }
        out.push('e');
        out.push_str(&(k - 1).to_string());
    } else {
        push_decimal(&mut out, &digits, k, true);
    }
    out
}

/// The sign, the shortest round-trip digits and the decimal exponent `k`
/// with |x| = 0.d1d2… × 10^k. Zero is the digit 0 at k = 1; infinities and
/// NaN (which JSON cannot hold) read as their Display words' nearest
/// stand-in, zero, rather than panicking.
fn decompose(x: f64) -> (&'static str, Vec<u8>, i32) {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 || !x.is_finite() {
        return (sign, vec![0], 1);
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mant, exp) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let (digits, k) = shortest(mant, exp);
    (sign, digits, k)
}

fn push_digits(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|d| char::from(b'0' + d)));
}

/// 0.d1d2… × 10^k in positional notation; `point_zero` keeps a `.0` on a
/// whole number (Debug) where Display leaves it off.
fn push_decimal(out: &mut String, digits: &[u8], k: i32, point_zero: bool) {
    let n = digits.len() as i32;
    if k <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-k) as usize));
        push_digits(out, digits);
    } else if k < n {
        let (whole, part) = digits.split_at(k as usize);
        push_digits(out, whole);
        out.push('.');
        push_digits(out, part);
    } else {
        push_digits(out, digits);
        out.extend(std::iter::repeat_n('0', (k - n) as usize));
        if point_zero {
            out.push_str(".0");
        }
    }
}

/// The shortest digits d1d2… and exponent k such that 0.d1d2… × 10^k lies
/// within the rounding interval of mant × 2^exp (inclusive when mant is
/// even, as round-half-even reading makes it), the closest such when
/// several are that short.
fn shortest(mant: u64, exp: i32) -> (Vec<u8>, i32) {
    let inclusive = mant & 1 == 0;
    // The gap to the next float below is half the gap above at a power of two.
    let closer_below = mant == 1 << 52 && exp > -1074;
    // value = r / s, the half-gaps above and below = plus / s and minus / s.
    let (mut r, mut s, mut plus, mut minus);
    if exp >= 0 {
        let unit = Big::pow2(exp as u32);
        if closer_below {
            r = Big::from(mant).shl(exp as u32 + 2);
            s = Big::from(4);
            plus = unit.shl(1);
            minus = unit;
        } else {
            r = Big::from(mant).shl(exp as u32 + 1);
            s = Big::from(2);
            plus = unit.clone();
            minus = unit;
        }
    } else if closer_below {
        r = Big::from(mant << 2);
        s = Big::pow2((2 - exp) as u32);
        plus = Big::from(2);
        minus = Big::from(1);
    } else {
        r = Big::from(mant << 1);
        s = Big::pow2((1 - exp) as u32);
        plus = Big::from(1);
        minus = Big::from(1);
    }
    let beyond =
        |high: Ordering| high == Ordering::Greater || (inclusive && high == Ordering::Equal);
    // k: the least with the interval's top below 10^k.
    let mut k = 0;
    while beyond(r.add(&plus).cmp(&s)) {
        s.mul_small(10);
        k += 1;
    }
    loop {
        let mut high = r.add(&plus);
        high.mul_small(10);
        if beyond(high.cmp(&s)) {
            break;
        }
        r.mul_small(10);
        plus.mul_small(10);
        minus.mul_small(10);
        k -= 1;
    }
    let mut digits = Vec::new();
    loop {
        r.mul_small(10);
        plus.mul_small(10);
        minus.mul_small(10);
        let mut digit = 0u8;
        while r.cmp(&s) != Ordering::Less {
            r.sub_assign(&s);
            digit += 1;
        }
        let low_stop = match r.cmp(&minus) {
            Ordering::Less => true,
            Ordering::Equal => inclusive,
            Ordering::Greater => false,
        };
        let high_stop = beyond(r.add(&plus).cmp(&s));
        if !low_stop && !high_stop {
            digits.push(digit);
            continue;
        }
        // Both ends reachable: the nearer wins, a tie rounding up.
        let round_up = high_stop && (!low_stop || r.shl(1).cmp(&s) != Ordering::Less);
        digits.push(digit + u8::from(round_up));
        return (digits, k);
    }
}

/// A non-negative integer in base 2^32, least significant limb first; f64's
/// range needs at most about 1,150 bits here.
#[derive(Clone)]
struct Big(Vec<u32>);

impl From<u64> for Big {
    fn from(v: u64) -> Big {
        Big(vec![v as u32, (v >> 32) as u32])
    }
}

impl Big {
    fn pow2(bits: u32) -> Big {
        Big::from(1).shl(bits)
    }

    fn shl(&self, bits: u32) -> Big {
        let mut limbs = vec![0; (bits / 32) as usize];
        let shift = bits % 32;
        let mut carry = 0u32;
        for &limb in &self.0 {
            if shift == 0 {
                limbs.push(limb);
            } else {
                limbs.push((limb << shift) | carry);
                carry = limb >> (32 - shift);
            }
        }
        limbs.push(carry);
        Big(limbs)
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn add(&self, other: &Big) -> Big {
        let len = self.0.len().max(other.0.len());
        let mut limbs = Vec::with_capacity(len + 1);
        let mut carry = 0u64;
        for i in 0..len {
            let v = u64::from(self.limb(i)) + u64::from(other.limb(i)) + carry;
            limbs.push(v as u32);
            carry = v >> 32;
        }
        limbs.push(carry as u32);
        Big(limbs)
    }

    /// self -= other, for other <= self.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.limb(i)) - borrow;
            *limb = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
    }

    fn limb(&self, i: usize) -> u32 {
        self.0.get(i).copied().unwrap_or(0)
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .rev()
            .map(|i| self.limb(i).cmp(&other.limb(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_core(x: f64) {
        assert_eq!(display(x), format!("{x}"), "Display of {:#x}", x.to_bits());
        assert_eq!(debug(x), format!("{x:?}"), "Debug of {:#x}", x.to_bits());
    }

    #[test]
    fn writes_what_core_writes_at_the_edges() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.1,
            0.2 + 0.1,
            1.0 / 3.0,
            2.5,
            10.0,
            100.0,
            1e15,
            1e16,
            9_999_999_999_999_998.0,
            1e21,
            1e22,
            1e23,
            1e-4,
            0.000_099_999_999_999_999_99,
            1e-5,
            1e-7,
            1.5e-7,
            123_456.789,
            9_007_199_254_740_993.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            1e-323,
            2.225_073_858_507_201e-308,
            1_767_225_600.0,
            0.125,
            4.35,
            0.3,
            5e-310,
        ];
        for x in cases {
            same_as_core(x);
            same_as_core(-x);
        }
        for e in -1074..=1023 {
            let p = 2f64.powi(e);
            same_as_core(p);
            same_as_core(f64::from_bits(p.to_bits() + 1));
            same_as_core(f64::from_bits(p.to_bits().saturating_sub(1)));
        }
        for e in -323..=308 {
            same_as_core(format!("1e{e}").parse().unwrap_or(0.0));
        }
    }

    #[test]
    fn writes_what_core_writes_for_random_floats() {
        // A fixed xorshift: every bit pattern class (subnormals, every
        // exponent, odd and even mantissas) without a random-number crate.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let x = f64::from_bits(next());
            if x.is_finite() {
                same_as_core(x);
            }
            // Short decimals, the numbers people type.
            let short =
                (next() % 100_000) as f64 / [10.0, 100.0, 1000.0, 1e6][(next() % 4) as usize];
            same_as_core(short);
        }
    }
}
