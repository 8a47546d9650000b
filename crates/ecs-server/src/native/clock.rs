//! The endpoint's virtual clock: where every region's simulation should be
//! when a request arrives.
//!
//! In wall mode virtual time runs at `speed` times wall time from an anchor;
//! in manual mode it stands still. Either way a simulation may run ahead of
//! the clock (`Simulator.AdvanceClock`); the clock then re-anchors there, so
//! the time a client sees never goes backwards, across regions and restarts.

use std::time::Instant;

use crate::options::ClockMode;

#[derive(Debug, Clone)]
pub struct VirtualClock {
    mode: ClockMode,
    /// Virtual milliseconds at `anchor_wall`.
    anchor_virtual: u64,
    anchor_wall: Instant,
}

impl VirtualClock {
    pub fn new(mode: ClockMode, start_virtual: u64) -> VirtualClock {
        VirtualClock {
            mode,
            anchor_virtual: start_virtual,
            anchor_wall: Instant::now(),
        }
    }

    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    /// Virtual milliseconds now.
    pub fn now(&self) -> u64 {
        self.at(Instant::now())
    }

    fn at(&self, wall: Instant) -> u64 {
        match self.mode {
            ClockMode::Manual => self.anchor_virtual,
            ClockMode::Wall { speed } => {
                let elapsed = wall
                    .saturating_duration_since(self.anchor_wall)
                    .as_secs_f64();
                let ahead = (elapsed * speed * 1000.0) as u64;
                self.anchor_virtual.saturating_add(ahead)
            }
        }
    }

    /// A simulation reached `virtual_ms` (AdvanceClock, or a replayed
    /// journal): the clock never shows less from now on.
    pub fn reached(&mut self, virtual_ms: u64) {
        let wall = Instant::now();
        if virtual_ms > self.at(wall) {
            self.anchor_virtual = virtual_ms;
            self.anchor_wall = wall;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn manual_time_moves_only_when_reached() {
        let mut clock = VirtualClock::new(ClockMode::Manual, 5_000);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), 5_000);
        clock.reached(65_000);
        assert_eq!(clock.now(), 65_000);
        clock.reached(1_000);
        assert_eq!(clock.now(), 65_000, "never backwards");
    }

    #[test]
    fn wall_time_runs_at_speed_and_never_backwards() {
        let mut clock = VirtualClock::new(ClockMode::Wall { speed: 1000.0 }, 0);
        std::thread::sleep(Duration::from_millis(20));
        let first = clock.now();
        assert!(first >= 20_000, "20 ms at 1000x is at least 20 s: {first}");
        clock.reached(first + 3_600_000);
        let jumped = clock.now();
        assert!(jumped >= first + 3_600_000);
        clock.reached(0);
        assert!(clock.now() >= jumped);
    }
}
