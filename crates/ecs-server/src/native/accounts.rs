//! The simulated accounts behind the endpoint: one `Ecs` per region, created
//! on a region's first request, on one virtual clock, with every call that
//! changes an account journaled (durably, with `--state`) before it is
//! acknowledged.
//!
//! Locks are taken in one order: the region map, then a region; the clock
//! and the journal are leaves (nothing else is taken while one is held). A call holds its region while it
//! runs and is journaled, so the journal's order is the order calls ran in;
//! a reset takes every region before it writes its entry, so no call lands
//! on the wrong side of it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};

use ecs_engine::sim::wire::{WireAnswer, WireRequest};
use ecs_engine::sim::{Ecs, SimConfig};
use serde_json::Value;

use crate::clock::VirtualClock;
use crate::journal::{Entry, Header, Journal};
use crate::options::ClockMode;

/// How far past an answer's virtual time a horizon entry reaches: at the
/// default 20x, one horizon `fsync` per 3 wall seconds at most.
const HORIZON_SLACK_MS: u64 = 60_000;

/// How a call went, as the HTTP layer answers it.
#[derive(Debug)]
pub enum Outcome {
    /// The engine's answer (a success or an AWS error).
    Answer(WireAnswer),
    /// The server failed (HTTP 500, `ServerException`): a panic in the engine
    /// or a journal that could not be written. The account is as it was
    /// before the call.
    Internal(String),
}

struct Region {
    ecs: Ecs,
    /// The calls since the region was created or reset, to rebuild it after
    /// a failed call (a panic may leave the account half-changed).
    calls: Vec<(u64, String, Value)>,
    /// A reset discarded this region: look it up again.
    discarded: bool,
}

pub struct Accounts {
    header: Header,
    clock: Mutex<VirtualClock>,
    regions: Mutex<BTreeMap<String, Arc<Mutex<Region>>>>,
    journal: Option<Mutex<Journal>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic is contained around engine calls, never while a lock is held
    // half-way through an update of ours; the data stays consistent.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Accounts {
    /// Accounts from a journal's entries (none for a fresh start). Returns
    /// the replay warnings (a call whose outcome differs: an engine change
    /// since the file was written).
    pub fn restore(
        header: Header,
        mode: ClockMode,
        journal: Option<Journal>,
        entries: &[Entry],
    ) -> (Accounts, Vec<String>) {
        let mut warnings = Vec::new();
        let mut regions: BTreeMap<String, Region> = BTreeMap::new();
        let mut reached = 0;
        for entry in entries {
            reached = reached.max(entry.reaches());
            match entry {
                Entry::Reset { .. } => regions.clear(),
                Entry::Horizon { .. } => {}
                Entry::Call {
                    at,
                    region,
                    operation,
                    request,
                    ok,
                } => {
                    let state = regions
                        .entry(region.clone())
                        .or_insert_with(|| new_region(&header, region));
                    state.ecs.advance_to(*at);
                    let result =
                        catch_unwind(AssertUnwindSafe(|| state.ecs.call(operation, request)));
                    let replayed_ok = matches!(result, Ok(Ok(_)));
                    if replayed_ok != *ok {
                        warnings.push(format!(
                            "replaying {operation} at {:.3} s in {region}: it {} now but {} when it was journaled",
                            *at as f64 / 1000.0,
                            if replayed_ok { "succeeds" } else { "fails" },
                            if *ok { "succeeded" } else { "failed" },
                        ));
                    }
                    state.calls.push((*at, operation.clone(), request.clone()));
                    reached = reached.max(state.ecs.now());
                }
            }
        }
        let regions = regions
            .into_iter()
            .map(|(name, region)| (name, Arc::new(Mutex::new(region))))
            .collect();
        let accounts = Accounts {
            header,
            clock: Mutex::new(VirtualClock::new(mode, reached)),
            regions: Mutex::new(regions),
            journal: journal.map(Mutex::new),
        };
        (accounts, warnings)
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn clock_mode(&self) -> ClockMode {
        lock(&self.clock).mode()
    }

    /// Virtual milliseconds now.
    pub fn now(&self) -> u64 {
        lock(&self.clock).now()
    }

    pub fn region_names(&self) -> Vec<String> {
        lock(&self.regions).keys().cloned().collect()
    }

    pub fn journal_path(&self) -> Option<String> {
        self.journal
            .as_ref()
            .map(|j| lock(j).path().display().to_string())
    }

    fn region(&self, name: &str) -> Arc<Mutex<Region>> {
        lock(&self.regions)
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(Mutex::new(new_region(&self.header, name))))
            .clone()
    }

    /// Answers `request` in `region`'s account at the clock's time.
    pub fn call(&self, region_name: &str, request: &WireRequest) -> Outcome {
        loop {
            let region = self.region(region_name);
            let mut region = lock(&region);
            if region.discarded {
                continue;
            }
            return self.call_in(&mut region, region_name, request);
        }
    }

    fn call_in(&self, region: &mut Region, name: &str, request: &WireRequest) -> Outcome {
        let operation = &request.operation;
        let now = self.now();
        region.ecs.advance_to(now);
        let at = region.ecs.now();
        let answer = catch_unwind(AssertUnwindSafe(|| run(&mut region.ecs, request)));
        let answer = match answer {
            Ok(answer) => answer,
            Err(panic) => {
                let what = panic_text(&panic);
                self.rebuild(region, name);
                return Outcome::Internal(format!(
                    "internal error in {operation}: {what}; the account is as it was before the call"
                ));
            }
        };
        lock(&self.clock).reached(region.ecs.now());
        if !request.is_read_only() {
            let entry = Entry::Call {
                at,
                region: name.to_string(),
                operation: operation.to_string(),
                request: request.input.clone(),
                ok: answer.is_success(),
            };
            if let Some(journal) = &self.journal {
                if let Err(problem) = lock(journal).append(&entry) {
                    self.rebuild(region, name);
                    return Outcome::Internal(format!("{problem}; the call was not applied"));
                }
            }
            region
                .calls
                .push((at, operation.to_string(), request.input.clone()));
        }
        // The answer shows the account at `shown`: a restart must not resume
        // the clock before it.
        let shown = region.ecs.now();
        if let Some(journal) = &self.journal {
            let mut journal = lock(journal);
            if shown > journal.horizon() {
                let horizon = Entry::Horizon {
                    at,
                    until: shown.saturating_add(HORIZON_SLACK_MS),
                };
                if let Err(problem) = journal.append(&horizon) {
                    return Outcome::Internal(problem);
                }
            }
        }
        Outcome::Answer(answer)
    }

    /// Rebuilds a region from its journaled calls, dropping whatever the
    /// failed call did.
    fn rebuild(&self, region: &mut Region, name: &str) {
        let mut fresh = new_region(&self.header, name);
        for (at, operation, request) in &region.calls {
            fresh.ecs.advance_to(*at);
            // These calls ran before without panicking; the engine is
            // deterministic, so they do again.
            let _ = catch_unwind(AssertUnwindSafe(|| fresh.ecs.call(operation, request)));
        }
        fresh.calls = std::mem::take(&mut region.calls);
        region.ecs = fresh.ecs;
    }

    /// Discards every region's account (moto's and LocalStack's reset
    /// calls). The clock keeps running, so timestamps never go backwards.
    pub fn reset(&self) -> Result<(), String> {
        let mut regions = lock(&self.regions);
        let held: Vec<Arc<Mutex<Region>>> = regions.values().cloned().collect();
        let mut guards: Vec<MutexGuard<'_, Region>> = held.iter().map(|r| lock(r)).collect();
        if let Some(journal) = &self.journal {
            lock(journal).append(&Entry::Reset { at: self.now() })?;
        }
        for guard in &mut guards {
            guard.discarded = true;
        }
        drop(guards);
        regions.clear();
        Ok(())
    }
}

/// The engine call; tests add a call that panics, standing for a bug.
fn run(ecs: &mut Ecs, request: &WireRequest) -> WireAnswer {
    #[cfg(test)]
    if request.operation == TEST_PANIC {
        panic!("a deliberate panic for the containment test");
    }
    ecs.answer(request)
}

/// A call that panics (tests only, to check containment): the engine names
/// no such call, so it is reached only through [`Accounts::call`].
#[cfg(test)]
pub const TEST_PANIC: &str = "Simulator.TestPanic";

fn new_region(header: &Header, name: &str) -> Region {
    Region {
        ecs: Ecs::new(SimConfig {
            region: name.to_string(),
            account: header.account.clone(),
            epoch_seconds: header.epoch_seconds,
            ..SimConfig::default()
        }),
        calls: Vec::new(),
        discarded: false,
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_string()
    }
}
