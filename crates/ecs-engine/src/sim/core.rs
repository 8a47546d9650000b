//! The deterministic discrete-event core: a virtual clock in milliseconds, an
//! event queue ordered by (time, sequence), a seeded random generator and a
//! bounded timeline. Nothing here reads the wall clock or OS randomness, so
//! the same seed and the same calls give a byte-identical run.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use serde::Serialize;

/// A small, fast, seeded generator (SplitMix64). Not for cryptography.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.next_u64() % bound
        }
    }

    /// `len` lowercase hex digits, like the ids in task ARNs.
    pub fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        // Sixteen digits of a draw at a time, as bytes: every task id is 32
        // of these, and a char pushed per digit costs several times as much.
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            let mut bits = self.next_u64();
            let mut chunk = [0u8; 16];
            for digit in &mut chunk {
                *digit = DIGITS[(bits & 15) as usize];
                bits >>= 4;
            }
            let take = (len - out.len()).min(16);
            out.extend_from_slice(chunk.get(..take).unwrap_or_default());
        }
        // Hex digits are ASCII: the conversion cannot fail.
        String::from_utf8(out).unwrap_or_default()
    }

    /// `len` decimal digits, the first not zero (deployment and revision ids).
    pub fn digits(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        out.push(char::from(b'1' + (self.below(9) as u8)));
        while out.len() < len {
            out.push(char::from(b'0' + (self.below(10) as u8)));
        }
        out
    }
}

/// A scheduled event: ordered by time, then by the order it was scheduled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scheduled<E: Ord> {
    at: u64,
    sequence: u64,
    event: E,
}

/// Events waiting to happen. Equal times pop in scheduling order.
#[derive(Debug, Clone)]
pub struct EventQueue<E: Ord> {
    heap: BinaryHeap<Reverse<Scheduled<E>>>,
    next_sequence: u64,
}

impl<E: Ord> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_sequence: 0,
        }
    }
}

impl<E: Ord> EventQueue<E> {
    pub fn schedule(&mut self, at: u64, event: E) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Reverse(Scheduled {
            at,
            sequence,
            event,
        }));
    }

    /// The time of the next event, if any.
    pub fn next_time(&self) -> Option<u64> {
        self.heap.peek().map(|Reverse(s)| s.at)
    }

    /// Removes and returns the next event due at or before `until`.
    pub fn pop_due(&mut self, until: u64) -> Option<(u64, E)> {
        if self.next_time()? > until {
            return None;
        }
        self.heap.pop().map(|Reverse(s)| (s.at, s.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// One line of the timeline: what happened to which resource, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    /// Virtual milliseconds since the simulation started.
    pub at: u64,
    /// A short resource label such as `task/web/3f2a…` or `service/web/api`.
    pub resource: String,
    /// A stable machine-readable kind such as `task-state` or `service-event`
    /// (one of a fixed few, so not copied into each event).
    pub kind: &'static str,
    pub message: String,
}

/// The event timeline with bounded memory: once it holds `capacity` events the
/// oldest are dropped (a count of dropped events is kept), so a long run uses
/// constant memory. Snapshots of recent history stay exact.
#[derive(Debug, Clone)]
pub struct Timeline {
    events: VecDeque<TimelineEvent>,
    capacity: usize,
    dropped: u64,
}

impl Timeline {
    pub const DEFAULT_CAPACITY: usize = 100_000;

    pub fn new(capacity: usize) -> Timeline {
        Timeline {
            events: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    pub fn push(&mut self, event: TimelineEvent) {
        if self.events.len() >= self.capacity {
            self.events.pop_front();
            self.dropped += 1;
        }
        self.events.push_back(event);
    }

    pub fn events(&self) -> impl Iterator<Item = &TimelineEvent> {
        self.events.iter()
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many of the oldest events were dropped to respect the capacity.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// `12:34.567`-style rendering of a virtual time (hours when needed).
pub fn format_time(ms: u64) -> String {
    let total_seconds = ms / 1000;
    let millis = ms % 1000;
    let hours = total_seconds / 3600;
    let minutes = (total_seconds / 60) % 60;
    let seconds = total_seconds % 60;
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{minutes:02}:{seconds:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_in_scheduling_order() {
        let mut queue = EventQueue::default();
        queue.schedule(5, 'c');
        queue.schedule(1, 'z');
        queue.schedule(5, 'a');
        queue.schedule(5, 'b');
        let mut order = Vec::new();
        while let Some((at, event)) = queue.pop_due(10) {
            order.push((at, event));
        }
        assert_eq!(order, vec![(1, 'z'), (5, 'c'), (5, 'a'), (5, 'b')]);
    }

    #[test]
    fn pop_due_respects_the_horizon() {
        let mut queue = EventQueue::default();
        queue.schedule(20, 1u8);
        assert_eq!(queue.pop_due(19), None);
        assert_eq!(queue.pop_due(20), Some((20, 1)));
    }

    #[test]
    fn rng_is_deterministic_per_seed() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let c: Vec<u64> = (0..5)
            .scan(Rng::new(8), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut rng = Rng::new(1);
        let hex = rng.hex(32);
        assert_eq!(hex.len(), 32);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        let digits = rng.digits(19);
        assert_eq!(digits.len(), 19);
        assert!(!digits.starts_with('0'));
    }

    #[test]
    fn timeline_drops_the_oldest_beyond_capacity() {
        let mut timeline = Timeline::new(3);
        for at in 0..5 {
            timeline.push(TimelineEvent {
                at,
                resource: "r".into(),
                kind: "k",
                message: format!("m{at}"),
            });
        }
        let kept: Vec<u64> = timeline.events().map(|e| e.at).collect();
        assert_eq!(kept, vec![2, 3, 4]);
        assert_eq!(timeline.dropped(), 2);
    }

    #[test]
    fn times_render_readably() {
        assert_eq!(format_time(0), "00:00.000");
        assert_eq!(format_time(61_250), "01:01.250");
        assert_eq!(format_time(3_723_004), "1:02:03.004");
    }
}
