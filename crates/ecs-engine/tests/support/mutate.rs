//! Random mutations of documents, for the stable fuzz harness: no nightly,
//! no dependencies, reproducible from a seed.

/// xorshift64*: small, fast and good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b",",
    b":",
    b"null",
    b"true",
    b"-",
    b"0",
    b"1e999",
    b"\\u0000",
    b"\\ud800",
    b"\xff",
    b"\xc3",
    b"\n",
    b"  ",
    b"!Ref ",
    b"- ",
    b"Resources:\n",
    b"\"taskDefinition\":",
    b"{\"Ref\": \"X\"}",
    b"\"Type\": \"AWS::ECS::TaskDefinition\"",
    b"\"containerDefinitions\": [",
    b"\"requiresCompatibilities\": [\"FARGATE\"]",
    b"&a ",
    b"*a",
    b"'",
    b"|\n",
    b"\t",
    b"#",
];

/// Applies one to four random mutations to `input`.
pub fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.truncate(at),
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            3 if at < out.len() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                // Deep nesting: a run of one bracket kind.
                let bracket = if rng.below(2) == 0 { b'[' } else { b'{' };
                let n = 1 + rng.below(300);
                out.splice(at..at, std::iter::repeat_n(bracket, n));
            }
            5 if !out.is_empty() => {
                // Duplicate a slice somewhere else.
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(64)).min(out.len());
                let slice: Vec<u8> = out[start..end].to_vec();
                out.splice(at..at, slice);
            }
            6 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let n = 1 + rng.below(50);
                out.splice(at..at, token.iter().copied().cycle().take(token.len() * n));
            }
            _ => {
                let b = rng.below(256) as u8;
                out.insert(at, b);
            }
        }
    }
    out
}
