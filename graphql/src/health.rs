//! The database's health as `/readyz` tells it: a task probes the database every second (each probe bounded),
//! and `/readyz` answers from the last probe at once, never waiting on the database itself. A probe older than
//! [`STALE_AFTER`] counts as a failure (the probing task is stuck), so that a load balancer stops sending
//! traffic while the database cannot be reached, and sends it again when it can.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jamaa_core::store::Store;

/// How often the database is probed.
pub const PROBE_INTERVAL: Duration = Duration::from_secs(1);
/// The longest a probe may take before it counts as a failure.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(800);
/// How old the last probe may be before the server reads as not ready.
pub const STALE_AFTER: Duration = Duration::from_secs(3);

/// The last probe's outcome, shared by the probing task and `/readyz`.
#[derive(Debug)]
pub struct Health {
    started: Instant,
    ready: AtomicBool,
    /// Milliseconds since `started` at the end of the last probe.
    probed_at: AtomicU64,
}

impl Health {
    /// Starts probing `store` in the background (the task ends with the runtime, or when the last handle
    /// to this health goes).
    pub fn start(store: Store) -> Arc<Self> {
        let health =
            Arc::new(Self { started: Instant::now(), ready: AtomicBool::new(true), probed_at: AtomicU64::new(0) });
        let weak = Arc::downgrade(&health);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(PROBE_INTERVAL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let ok = matches!(tokio::time::timeout(PROBE_TIMEOUT, store.ping()).await, Ok(Ok(())));
                let Some(health) = weak.upgrade() else { break };
                let was = health.ready.swap(ok, Ordering::Relaxed);
                let now = u64::try_from(health.started.elapsed().as_millis()).unwrap_or(u64::MAX);
                health.probed_at.store(now, Ordering::Relaxed);
                if was != ok {
                    if ok {
                        tracing::info!("database reachable again");
                    } else {
                        tracing::warn!("database unreachable");
                    }
                }
            }
        });
        health
    }

    /// Whether the last probe succeeded, and is recent.
    pub fn is_ready(&self) -> bool {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let age = now.saturating_sub(self.probed_at.load(Ordering::Relaxed));
        self.ready.load(Ordering::Relaxed) && age <= u64::try_from(STALE_AFTER.as_millis()).unwrap_or(u64::MAX)
    }
}
