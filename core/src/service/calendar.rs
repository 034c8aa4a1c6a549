//! The dated (lunar) holidays of a year, set by an operator for a country or a commune without a template
//! upgrade, and the decision dates of open requests that follow them, as do the due dates of their steps.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::calendar::{DatedHoliday, DayCounting, WorkingCalendar, end_of_day_utc};
use crate::model::commune::{Commune, Country};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{ServiceId, WorkflowId};
use crate::model::workflow::engine::{self, ApplyContext};
use crate::store::catalog::{self, PublishedService};
use crate::store::requests::{self, TransitionRecord};
use crate::store::timers::Scope;
use crate::store::{audit, communes, timers};

use super::Jamaa;

/// Whose dated holidays are set: every commune of a country, or one commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolidayTarget {
    Country(Country),
    Commune(String),
}

/// What setting a year's dated holidays changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HolidayUpdate {
    /// The communes whose calendar changed (those already holding exactly these holidays are left alone).
    pub communes: u64,
    /// The open requests whose decision date moved later.
    pub requests_moved: u64,
}

/// The action recorded in a request's history when a holiday moved its decision date.
pub const HOLIDAYS_CHANGED: &str = "holidays_changed";

/// The years an operator may set holidays for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Jamaa {
    /// Sets the dated holidays of `year` (the lunar feasts as announced, exceptional days off) for every
    /// commune of a country or for one commune, replacing those of that year; operators only. Each commune
    /// changes in its own transaction with its audit event (`calendar.holidays_set`). An open request whose
    /// decision date a new holiday pushes back gets the new date (see
    /// [`WorkingCalendar::moved_decision_date`](crate::model::calendar::WorkingCalendar::moved_decision_date))
    /// and a step `holidays_changed` in its history saying why; its timers that ended with the old date end
    /// with the new one. Dates are never brought forward.
    #[tracing::instrument(skip_all, fields(year))]
    pub async fn set_dated_holidays(
        &self,
        principal: &Principal,
        target: &HolidayTarget,
        year: i32,
        holidays: Vec<DatedHoliday>,
    ) -> Result<HolidayUpdate, Error> {
        match principal {
            _ if principal.is_operator() => {}
            Principal::Anonymous => return Err(Error::Unauthenticated),
            _ => return Err(Error::Forbidden("only platform operators set the holidays of a calendar".into())),
        }
        if !YEARS.contains(&year) {
            return Err(Error::field(
                "year",
                FieldErrorCode::InvalidValue,
                LocalizedText::ar_fr(
                    "السنة يجب أن تكون بين 2000 و2100.",
                    "L'année doit être comprise entre 2000 et 2100.",
                )
                .with(Locale::Tzm, "ⴰⵙⴳⴳⵯⴰⵙ ⵉⵇⵇⴰⵏ ⴰⴷ ⵉⵍⵉ ⴳⵔ 2000 ⴷ 2100.")
                .with(Locale::En, "The year must be between 2000 and 2100."),
            ));
        }
        let targets = match target {
            HolidayTarget::Commune(slug) => vec![self.commune(slug).await?],
            HolidayTarget::Country(country) => self.communes_of(*country).await?,
        };
        let mut update = HolidayUpdate::default();
        for commune in targets {
            let moved = self.set_commune_holidays(principal, &commune, year, holidays.clone()).await?;
            if let Some(moved) = moved {
                update.communes += 1;
                update.requests_moved += moved;
            }
        }
        Ok(update)
    }

    /// Every commune of `country`.
    async fn communes_of(&self, country: Country) -> Result<Vec<Commune>, Error> {
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = communes::page(self.store.conn(), self.store.cache(), after.as_deref(), 500, true).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.spec.slug.as_str().to_owned());
            found.extend(page.into_iter().filter(|c| c.spec.country == country));
        }
        Ok(found)
    }

    /// One commune's part of [`Jamaa::set_dated_holidays`]: `None` when its calendar already held these
    /// holidays, else the number of requests moved.
    async fn set_commune_holidays(
        &self,
        principal: &Principal,
        commune: &Commune,
        year: i32,
        holidays: Vec<DatedHoliday>,
    ) -> Result<Option<u64>, Error> {
        let scope = principal.authorize(commune.id, Permission::PublishService)?;
        let old = &commune.spec.calendar;
        let new = old.with_dated_holidays(year, holidays).map_err(Error::Validation)?;
        if new == **old {
            return Ok(None);
        }
        let added: Vec<&DatedHoliday> =
            new.dated_holidays_of(year).into_iter().filter(|h| old.is_working_day(h.date)).collect();
        let now = self.now();
        let tz = commune.time_zone();
        let tx = self.store.tenant_tx(scope).await?;
        let mut spec = commune.spec.clone();
        spec.calendar = new.clone().into();
        communes::update_settings(tx.conn(), commune.id, &spec).await?;
        let commune_now = Commune { spec, ..commune.clone() };

        let mut moved = Vec::new();
        let mut steps_moved = Vec::new();
        if let Some(first) = added.iter().map(|h| h.date).min() {
            let why = added
                .iter()
                .map(|h| format!("{} ({})", h.name.get(commune.spec.default_locale, &commune.fallbacks()), h.date))
                .collect::<Vec<_>>()
                .join(", ");
            let mut services: HashMap<(ServiceId, WorkflowId), PublishedService> = HashMap::new();
            for record in requests::open_due_from(&tx, first).await? {
                let key = (record.service_id, record.workflow_id);
                if let Entry::Vacant(slot) = services.entry(key) {
                    slot.insert(catalog::service_version(&tx, record.service_id, record.workflow_id).await?);
                }
                let Some(service) = services.get(&key) else { continue };
                let submitted_on = record.submitted_at.with_timezone(&tz).date_naive();
                let counting = service.definition.deadline.counting;
                let Some(due) = old.moved_decision_date(&new, submitted_on, record.decision_due, counting) else {
                    continue;
                };
                if !requests::move_decision_due(&tx, record.id, record.version, due, now).await? {
                    return Err(Error::Conflict("a request changed meanwhile: set the holidays again".into()));
                }
                let (old_end, new_end) = (end_of_day_utc(record.decision_due, tz), end_of_day_utc(due, tz));
                timers::follow_decision_date(&tx, record.id, (record.version, record.version + 1), old_end, new_end)
                    .await?;
                let step = TransitionRecord {
                    from_state: Some(record.state.clone()),
                    to_state: record.state.clone(),
                    action: HOLIDAYS_CHANGED.to_owned(),
                    actor: principal.actor(),
                    comment: Some(format!("{} → {due}: {why}", record.decision_due)),
                    occurred_at: now,
                    assignee: None,
                    step_due: None,
                    ended_step_due: None,
                    form: None,
                };
                super::lifecycle::record_step(&tx, &commune_now, service, record.id, &step, None, now).await?;
                moved.push(serde_json::json!({
                    "trackingCode": record.tracking_code,
                    "from": record.decision_due,
                    "to": due,
                }));
            }
            steps_moved = move_step_dates(&tx, commune, (old, &new), first, &mut services).await?;
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CalendarHolidaysSet,
                AuditSubject::Commune(commune.id),
                serde_json::json!({
                    "year": year,
                    "holidays": new.dated_holidays_of(year).iter().map(|h| h.date).collect::<Vec<_>>(),
                    "estimated": new.dated_holidays_of(year).iter().filter(|h| h.estimated).map(|h| h.date)
                        .collect::<Vec<_>>(),
                    "requestsMoved": moved,
                    "stepsMoved": steps_moved,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(moved.len() as u64))
    }
}

/// The steps under way (of open requests in a state with an SLA) due on or after `first`, the first day that
/// became a holiday, moved as a decision date moves (`WorkingCalendar::moved_decision_date`, counted from the
/// local day the step began): never brought forward. The step's pending reminder and escalation follow, each
/// at least as late as it was; one already taken is not armed again. Returns what moved, for the audit event.
async fn move_step_dates(
    tx: &crate::store::TenantTx,
    commune: &Commune,
    (old, new): (&WorkingCalendar, &WorkingCalendar),
    first: chrono::NaiveDate,
    services: &mut HashMap<(ServiceId, WorkflowId), PublishedService>,
) -> Result<Vec<serde_json::Value>, Error> {
    let tz = commune.time_zone();
    let mut moved = Vec::new();
    for record in requests::open_steps_due_from(tx, first).await? {
        let (Some(step_due), Some(began)) = (record.step_due, requests::step_began_at(tx, record.id).await?) else {
            continue;
        };
        let entered = began.with_timezone(&tz).date_naive();
        let Some(due) = old.moved_decision_date(new, entered, step_due, DayCounting::Working) else { continue };
        let key = (record.service_id, record.workflow_id);
        if let Entry::Vacant(slot) = services.entry(key) {
            slot.insert(catalog::service_version(tx, record.service_id, record.workflow_id).await?);
        }
        let Some(service) = services.get(&key) else { continue };
        if !requests::move_step_due(tx, record.id, step_due, due).await? {
            continue;
        }
        let pending = timers::pending_of(tx, record.id, Scope::Step).await?;
        timers::cancel_pending(tx, record.id, Scope::Step).await?;
        let context = ApplyContext {
            now: began,
            time_zone: tz,
            calendar: new,
            decision_due: record.decision_due,
            submitted_on: record.submitted_at.with_timezone(&tz).date_naive(),
        };
        let step = engine::step_deadline(&service.definition.workflow, &record.state, &context);
        for timer in step.iter().flat_map(|step| &step.timers) {
            let Some((_, was)) = pending.iter().find(|(action, _)| *action == timer.action) else { continue };
            let at = if timer.action == crate::model::workflow::STEP_ESCALATED {
                end_of_day_utc(due, tz)
            } else {
                timer.due_at
            };
            timers::insert(tx, record.id, record.version, &timer.action, at.max(*was), Scope::Step).await?;
        }
        moved.push(serde_json::json!({ "trackingCode": record.tracking_code, "from": step_due, "to": due }));
    }
    Ok(moved)
}
