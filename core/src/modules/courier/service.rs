//! The courier registry (bureau d'ordre): registering incoming and outgoing mail (numbered per commune,
//! direction and year in the transaction), routing it to departments, following it up, and listing it by
//! year, direction, department, state or overdue. Each change is recorded in the item's history and the
//! audit trail; correspondents and subjects stay out of the audit payloads.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::i18n::LocalizedText;
use crate::model::idempotency::Idempotency;
use crate::model::ids::MailId;
use crate::model::request::TrackingCode;
use crate::modules::courier::model::{self as courier, Department, FollowUp, MailNumber, NewMail};
use crate::modules::courier::model::{MailEvent, MailRecord, MailStep};
use crate::modules::courier::store::{self as store, MailFilter};
use crate::store::{TenantTx, audit, requests};

use crate::service::{CountedPage, Jamaa, MAX_PAGE_SIZE};

/// A mail item as staff see it: overdue is computed on the commune's date; the history comes with one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailItem {
    pub record: MailRecord,
    pub overdue: bool,
    pub history: Option<Vec<MailEvent>>,
}

/// Which items a listing wants (all of them by default).
#[derive(Clone, Debug, Default)]
pub struct MailQuery {
    pub year: Option<i32>,
    pub direction: Option<courier::Direction>,
    pub department: Option<String>,
    pub state: Option<FollowUp>,
    pub overdue: bool,
}

fn local_today(commune: &Commune, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&commune.time_zone()).date_naive()
}

fn invalid(path: &str, message: LocalizedText) -> Error {
    Error::field(path, FieldErrorCode::InvalidValue, message)
}

fn department(path: &str, text: &str) -> Result<Department, Error> {
    Department::parse(text).ok_or_else(|| Error::Validation(vec![courier::invalid_department(path)]))
}

impl Jamaa {
    /// Registers a mail item: checks it (every failure at once), checks that a linked request is the
    /// commune's, numbers it (`ARR-2026-000123`) and records it, in one transaction.
    pub async fn register_mail(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewMail,
    ) -> Result<MailItem, Error> {
        self.register_mail_once(principal, commune, input, None).await
    }

    /// [`Jamaa::register_mail`] with an idempotency key: a retry of the same registration answers with the
    /// item the first one registered, and numbers nothing.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn register_mail_once(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewMail,
        idempotency: Option<&Idempotency>,
    ) -> Result<MailItem, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCourier)?;
        let now = self.now();
        let today = local_today(commune, now);
        let department = courier::validate_mail(&input, today).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        if let Some(first) = self.claim_key::<MailId>(&tx, principal, idempotency, self.idempotency_ttl).await? {
            drop(tx);
            return self.mail_item(principal, commune, first).await;
        }
        let request_code = match input.request_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(code) => {
                let unknown = || invalid("input.requestCode", messages::unknown_request_code());
                let code = TrackingCode::parse(code).map_err(|_| unknown())?;
                requests::by_tracking_code(&tx, &code).await?.ok_or_else(unknown)?;
                Some(code.to_string())
            }
        };
        let year = today.year();
        let number = requests::next_in_sequence(&tx, &input.direction.counter_name(year)).await?;
        let number = MailNumber {
            direction: input.direction,
            year,
            number: u32::try_from(number).map_err(|_| Error::internal("mail number overflow"))?,
        };
        let record = MailRecord {
            id: MailId::new(),
            number: number.clone(),
            correspondent: input.correspondent.trim().to_owned(),
            subject: input.subject.trim().to_owned(),
            date: input.date,
            department: department.clone(),
            due_on: input.due_on,
            state: FollowUp::Open,
            request_code,
            deliberation: input.deliberation,
            registered_at: now,
            updated_at: now,
        };
        store::insert(&tx, &record).await?;
        let event = MailEvent {
            kind: MailStep::Registered,
            department: department.clone(),
            state: FollowUp::Open,
            note: None,
            occurred_at: now,
            actor: principal.actor(),
        };
        store::insert_event(&tx, record.id, &event).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::MailRegistered,
                AuditSubject::Mail(record.id),
                serde_json::json!({ "number": number.to_string(), "department": department.as_str() }),
            ),
            now,
        )
        .await?;
        self.record_answer(&tx, principal, idempotency, &record.id).await?;
        tx.commit().await?;
        let overdue = courier::is_overdue(record.state, record.due_on, today);
        Ok(MailItem { record, overdue, history: Some(vec![event]) })
    }

    /// Routes a mail item to another department, with a note.
    pub async fn route_mail(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: MailId,
        to: &str,
        note: Option<String>,
    ) -> Result<MailItem, Error> {
        let to = department("department", to)?;
        self.change_mail(principal, commune, id, note, |item| {
            if item.department == to {
                return Err(invalid("department", messages::already_in_department()));
            }
            Ok((MailStep::Routed, to.clone(), item.state))
        })
        .await
    }

    /// Moves a mail item's follow-up (open, answered, closed); a closed item stays closed.
    pub async fn set_mail_follow_up(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: MailId,
        state: FollowUp,
        note: Option<String>,
    ) -> Result<MailItem, Error> {
        self.change_mail(principal, commune, id, note, |item| {
            if !item.state.may_become(state) {
                return Err(invalid("state", messages::follow_up_refused(item.state.as_str(), state.as_str())));
            }
            Ok((MailStep::to(state), item.department.clone(), state))
        })
        .await
    }

    /// One change of a mail item in one transaction: the update (conditional on the state seen), its history
    /// step and its audit event.
    async fn change_mail(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: MailId,
        note: Option<String>,
        change: impl FnOnce(&MailRecord) -> Result<(MailStep, Department, FollowUp), Error>,
    ) -> Result<MailItem, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCourier)?;
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2_000) {
            return Err(invalid("note", messages::register_too_long(2000)));
        }
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let mut record = store::by_id(&tx, id).await?.ok_or(Error::NotFound("mail item"))?;
        let (kind, department, state) = change(&record)?;
        if !store::update(&tx, id, record.state, &department, state, now).await? {
            return Err(Error::Conflict("the mail item changed meanwhile".into()));
        }
        let event =
            MailEvent { kind, department: department.clone(), state, note, occurred_at: now, actor: principal.actor() };
        store::insert_event(&tx, id, &event).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                kind.audit_kind(),
                AuditSubject::Mail(id),
                serde_json::json!({
                    "number": record.number.to_string(),
                    "from": { "department": record.department.as_str(), "state": record.state.as_str() },
                    "to": { "department": department.as_str(), "state": state.as_str() },
                }),
            ),
            now,
        )
        .await?;
        let history = store::history(&tx, id).await?;
        tx.commit().await?;
        record.department = department;
        record.state = state;
        record.updated_at = now;
        let overdue = courier::is_overdue(record.state, record.due_on, local_today(commune, now));
        Ok(MailItem { record, overdue, history: Some(history) })
    }

    /// One mail item with its history.
    pub async fn mail_item(&self, principal: &Principal, commune: &Commune, id: MailId) -> Result<MailItem, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCourier)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = store::by_id(&tx, id).await?.ok_or(Error::NotFound("mail item"))?;
        let history = store::history(&tx, id).await?;
        tx.commit().await?;
        let overdue = courier::is_overdue(record.state, record.due_on, local_today(commune, self.now()));
        Ok(MailItem { record, overdue, history: Some(history) })
    }

    /// The registry in registration order, filtered.
    pub async fn mail_items(
        &self,
        principal: &Principal,
        commune: &Commune,
        query: MailQuery,
        after: Option<MailId>,
        first: u64,
    ) -> Result<CountedPage<MailItem>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCourier)?;
        let department = query.department.as_deref().map(|d| department("department", d)).transpose()?;
        let today = local_today(commune, self.now());
        let filter = MailFilter {
            year: query.year,
            direction: query.direction,
            department,
            state: query.state,
            overdue_on: query.overdue.then_some(today),
        };
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let tx = self.store.tenant_tx(scope).await?;
        let mut rows = page(&tx, &filter, after, first + 1).await?;
        let total = store::count(&tx, &filter).await?;
        tx.commit().await?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let items = rows
            .into_iter()
            .map(|record| MailItem {
                overdue: courier::is_overdue(record.state, record.due_on, today),
                record,
                history: None,
            })
            .collect();
        Ok(CountedPage { items, has_next, total })
    }
}

async fn page(tx: &TenantTx, filter: &MailFilter, after: Option<MailId>, limit: u64) -> Result<Vec<MailRecord>, Error> {
    store::page(tx, filter, after, limit).await
}
