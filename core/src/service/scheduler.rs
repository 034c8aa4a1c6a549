//! The scheduler: applies due workflow timers (tacit approval at the legal deadline, escalations) and takes the
//! due steps of request deadlines (a complaint's reminder and lapse; the reminder and escalation of a step whose
//! state has an SLA; the silence of a commission's body at the end of its delay), each exactly once, even with several
//! servers running it against PostgreSQL. A timer standing for a staff action respects that action's guard:
//! when it fails, the timer's other path is taken (its step in the history, and `request.timer_guard_failed` in
//! the audit chain saying which guard failed), or nothing.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::ids::TenantId;
use crate::model::workflow::{Actor, engine};
use crate::store::timers::Scope;
use crate::store::{TenantScope, audit, catalog, communes, requests, timers};

use super::Jamaa;
use super::commissions::count_silence;
use super::lifecycle::{Procedure, apply_action, engine_error, take_step_deadline};
use super::procedures;

/// What one run of the scheduler did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchedulerReport {
    /// Timers whose action was taken.
    pub fired: u64,
    /// Timers dropped because their request had moved on or the action no longer applied.
    pub dropped: u64,
}

impl SchedulerReport {
    /// Counts a timer just finished: fired, or dropped.
    fn count(&mut self, fired: bool) {
        if fired {
            self.fired += 1;
        } else {
            self.dropped += 1;
        }
    }
}

/// How many timers one transaction claims.
const BATCH: u64 = 50;

impl Jamaa {
    /// Applies every timer due at `now`. Each batch of a commune is one transaction: the timer is marked
    /// fired together with the action it took, and on PostgreSQL a timer claimed by another scheduler is
    /// skipped, so that no timer fires twice. A commune whose batch fails (its transaction rolled back) holds
    /// back no other ([`Jamaa::each_commune`]): the run goes on with the next communes and the hearings'
    /// reminders, then answers the first failure; the commune's timers stay due for the next run.
    #[tracing::instrument(skip(self))]
    pub async fn run_due_timers(&self, now: DateTime<Utc>) -> Result<SchedulerReport, Error> {
        let tenants = timers::tenants_with_due_timers(&self.store, now).await?;
        let (reports, mut failed) =
            self.each_commune(tenants, |commune| async move { self.run_commune_timers(&commune, now).await }).await;
        let mut report = SchedulerReport::default();
        for one in reports {
            report.fired += one.fired;
            report.dropped += one.dropped;
        }
        // The reminders of the disputes' hearings, due on the commune's calendar.
        match self.run_hearing_reminders(now).await {
            Ok(recorded) => report.fired += recorded,
            Err(error) => {
                failed.get_or_insert(error);
            }
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(report),
        }
    }

    /// Runs a scheduler's `pass` over each commune of `tenants` that still exists, one after the other. A commune
    /// whose pass fails holds back no other: its failure is logged, the next communes run, and the first failure
    /// comes back beside what the others answered.
    pub(crate) async fn each_commune<T, F, Fut>(&self, tenants: Vec<TenantId>, pass: F) -> (Vec<T>, Option<Error>)
    where
        F: Fn(Commune) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let (mut answers, mut failed) = (Vec::new(), None);
        for tenant in tenants {
            let commune = match communes::by_id(self.store.conn(), self.store.cache(), tenant).await {
                Ok(Some(commune)) => commune,
                Ok(None) => continue,
                Err(error) => {
                    failed.get_or_insert(error);
                    continue;
                }
            };
            let slug = commune.spec.slug.clone();
            match pass(commune).await {
                Ok(answer) => answers.push(answer),
                Err(error) => {
                    tracing::error!(commune = %slug, code = error.code(), "left for the scheduler's next run: {error}");
                    failed.get_or_insert(error);
                }
            }
        }
        (answers, failed)
    }

    /// The due timers of one commune, a batch a transaction.
    async fn run_commune_timers(&self, commune: &Commune, now: DateTime<Utc>) -> Result<SchedulerReport, Error> {
        let mut report = SchedulerReport::default();
        loop {
            let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
            let due = timers::claim_due(&tx, now, BATCH).await?;
            if due.is_empty() {
                tx.commit().await?;
                break;
            }
            for timer in due {
                if timer.scope == Scope::Request {
                    // A timer of the request itself: its kind of procedure takes the step.
                    let fired = match requests::by_id(&tx, timer.request_id).await? {
                        Some(record) => {
                            let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
                            let kind = procedures::of(&service);
                            kind.timer_due(&tx, commune, &service, record, &timer.action, now).await?
                        }
                        None => false,
                    };
                    timers::finish(&tx, timer.id, fired, now).await?;
                    report.count(fired);
                    continue;
                }
                if timer.scope == Scope::Step {
                    // The reminder or the escalation of the step the request is in, if it still is.
                    let fired = match requests::by_id(&tx, timer.request_id).await? {
                        Some(record) if record.version == timer.request_version => {
                            let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
                            match crate::model::workflow::commission::silence_of(&timer.action) {
                                // A body of the commission the request's state asks has let its delay end.
                                Some(role) => count_silence(&tx, commune, &service, record, role, now).await?,
                                None => take_step_deadline(&tx, commune, &service, record, &timer.action, now).await?,
                            }
                        }
                        _ => false,
                    };
                    timers::finish(&tx, timer.id, fired, now).await?;
                    report.count(fired);
                    continue;
                }
                let record = requests::by_id(&tx, timer.request_id).await?;
                let Some(record) = record.filter(|r| r.version == timer.request_version) else {
                    timers::finish(&tx, timer.id, false, now).await?;
                    report.dropped += 1;
                    continue;
                };
                let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
                let request_id = record.id;
                let workflow = &service.definition.workflow;
                let firing = engine::timer_firing(workflow, &record.state, &timer.action, &record.guard_data());
                let applied = match &firing {
                    Ok(firing) => {
                        let (tracking_code, from) = (record.tracking_code.to_string(), record.state.clone());
                        let applied = apply_action(
                            &procedures::of(&service),
                            &tx,
                            commune,
                            &service,
                            record,
                            &firing.action,
                            &Actor::System,
                            "system",
                            None,
                            None,
                            now,
                        )
                        .await;
                        if let (Ok(_), Some(failed)) = (&applied, &firing.guard_failed) {
                            // Why the timer's action gave way, beside the step the history shows.
                            let detail = serde_json::json!({
                                "trackingCode": tracking_code,
                                "from": from,
                                "timerAction": timer.action,
                                "guardFailed": failed,
                                "actionTaken": firing.action,
                            });
                            let event = NewEvent::new(
                                "system",
                                AuditKind::RequestTimerGuardFailed,
                                AuditSubject::Request(request_id),
                                detail,
                            );
                            audit::append(&tx, event, now).await?;
                        }
                        applied
                    }
                    Err(error) => Err(engine_error(error.clone())),
                };
                match applied {
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
        Ok(report)
    }
}
