//! The scheduler: applies due workflow timers (tacit approval at the legal deadline, escalations), each
//! exactly once, even with several servers running it against PostgreSQL.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::workflow::Actor;
use crate::store::{TenantScope, catalog, communes, requests, timers};

use super::Jamaa;
use super::requests::apply_action;

/// What one run of the scheduler did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchedulerReport {
    /// Timers whose action was taken.
    pub fired: u64,
    /// Timers dropped because their request had moved on or the action no longer applied.
    pub dropped: u64,
}

/// How many timers one transaction claims.
const BATCH: u64 = 50;

impl Jamaa {
    /// Applies every timer due at `now`. Each batch of a commune is one transaction: the timer is marked
    /// fired together with the action it took, and on PostgreSQL a timer claimed by another scheduler is
    /// skipped, so that no timer fires twice.
    #[tracing::instrument(skip(self))]
    pub async fn run_due_timers(&self, now: DateTime<Utc>) -> Result<SchedulerReport, Error> {
        let mut report = SchedulerReport::default();
        for tenant in timers::tenants_with_due_timers(&self.store, now).await? {
            let Some(commune) = communes::by_id(self.store.conn(), tenant).await? else { continue };
            loop {
                let tx = self.store.tenant_tx(TenantScope::new(tenant)).await?;
                let due = timers::claim_due(&tx, now, BATCH).await?;
                if due.is_empty() {
                    tx.commit().await?;
                    break;
                }
                for timer in due {
                    let record = requests::by_id(&tx, timer.request_id).await?;
                    let Some(record) = record.filter(|r| r.version == timer.request_version) else {
                        timers::finish(&tx, timer.id, false, now).await?;
                        report.dropped += 1;
                        continue;
                    };
                    let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
                    let request_id = record.id;
                    match apply_action(
                        &tx,
                        &commune,
                        &service,
                        record,
                        &timer.action,
                        &Actor::System,
                        "system",
                        None,
                        now,
                    )
                    .await
                    {
                        Ok(_) => {
                            // The action cancelled the request's pending timers; this one is marked fired.
                            timers::finish(&tx, timer.id, true, now).await?;
                            report.fired += 1;
                        }
                        Err(error @ (Error::Internal(_) | Error::Unavailable(_))) => return Err(error),
                        Err(error) => {
                            tracing::warn!(request.id = %request_id, code = error.code(), "timer dropped: {error}");
                            timers::finish(&tx, timer.id, false, now).await?;
                            report.dropped += 1;
                        }
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(report)
    }
}
