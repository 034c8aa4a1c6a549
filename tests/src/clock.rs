//! A clock the test moves: the server's use cases (and a dispatcher's) read it instead of the system's.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Whole seconds since the epoch, shared by the test and every [`Clock`](jamaa_core::service::Clock) it hands out.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    /// A clock at the system's time now.
    pub fn new() -> Self {
        Self(Arc::new(AtomicI64::new(Utc::now().timestamp())))
    }

    /// A clock at `instant` (RFC 3339).
    pub fn at(instant: &str) -> anyhow::Result<Self> {
        Ok(Self(Arc::new(AtomicI64::new(instant.parse::<DateTime<Utc>>()?.timestamp()))))
    }

    /// What the server reads.
    pub fn clock(&self) -> jamaa_core::service::Clock {
        let seconds = self.0.clone();
        Arc::new(move || DateTime::from_timestamp(seconds.load(Ordering::SeqCst), 0).unwrap_or_default())
    }

    pub fn set(&self, instant: &str) -> anyhow::Result<()> {
        self.0.store(instant.parse::<DateTime<Utc>>()?.timestamp(), Ordering::SeqCst);
        Ok(())
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Default for TestClock {
    fn default() -> Self {
        Self::new()
    }
}
