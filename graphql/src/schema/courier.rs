//! The courier registry over GraphQL: registering, routing and following up mail, and listing it by year,
//! direction, department, state or overdue, a page at a time.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::ids::MailId;
use jamaa_core::modules::courier::model::{DeliberationRef, NewMail};
use jamaa_core::service::{MailEvent, MailItem as CoreItem, MailQuery};

use super::call::{InCommune, InLang, idempotency, input_id, subject_id};
use super::page::page_size;
use super::page::{Listing, after_key, connection};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::courier::model::Direction")]
pub enum MailDirection {
    /// Arrivée: numbered `ARR-<year>-<n>`.
    Incoming,
    /// Départ: numbered `DEP-<year>-<n>`.
    Outgoing,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::courier::model::FollowUp")]
pub enum MailState {
    Open,
    Answered,
    Closed,
}

/// A letter to register.
#[derive(InputObject)]
pub struct RegisterMailInput {
    pub direction: MailDirection,
    /// The sender (incoming) or the recipient (outgoing).
    pub correspondent: String,
    pub subject: String,
    /// Received (incoming) or sent (outgoing) on.
    pub date: NaiveDate,
    /// The department it is routed to (`urbanisme`).
    pub department: String,
    pub due_on: Option<NaiveDate>,
    /// The tracking code of a request of the commune it concerns.
    pub request_code: Option<String>,
    /// The id of a deliberation of the council it concerns.
    pub deliberation_id: Option<ID>,
}

/// A step of a mail item's history.
#[derive(SimpleObject)]
pub struct MailHistoryEntry {
    /// `registered`, `routed`, `answered`, `closed`, `reopened`.
    pub kind: String,
    pub department: String,
    pub state: MailState,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: String,
}

impl From<&MailEvent> for MailHistoryEntry {
    fn from(e: &MailEvent) -> Self {
        MailHistoryEntry {
            kind: e.kind.as_str().to_owned(),
            department: e.department.to_string(),
            state: e.state.into(),
            note: e.note.clone(),
            at: e.occurred_at,
            actor: e.actor.clone(),
        }
    }
}

/// An item of the courier registry.
pub struct MailItem(CoreItem);

#[Object]
impl MailItem {
    async fn id(&self) -> ID {
        ID(self.0.record.id.to_string())
    }
    /// `ARR-2026-000123`.
    async fn number(&self) -> String {
        self.0.record.number.to_string()
    }
    async fn direction(&self) -> MailDirection {
        self.0.record.number.direction.into()
    }
    async fn year(&self) -> i32 {
        self.0.record.number.year
    }
    async fn correspondent(&self) -> &str {
        &self.0.record.correspondent
    }
    async fn subject(&self) -> &str {
        &self.0.record.subject
    }
    async fn date(&self) -> NaiveDate {
        self.0.record.date
    }
    /// The department it is with now.
    async fn department(&self) -> &str {
        self.0.record.department.as_str()
    }
    async fn due_on(&self) -> Option<NaiveDate> {
        self.0.record.due_on
    }
    async fn state(&self) -> MailState {
        self.0.record.state.into()
    }
    /// Still open after its due date, on the commune's calendar day.
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    async fn request_code(&self) -> Option<&str> {
        self.0.record.request_code.as_deref()
    }
    async fn deliberation_id(&self) -> Option<ID> {
        self.0.record.deliberation.map(|d| ID(d.as_uuid().to_string()))
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.record.registered_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.record.updated_at
    }
    /// Its registration, routings and follow-up, oldest first (on one item; null in lists).
    async fn history(&self) -> Option<Vec<MailHistoryEntry>> {
        self.0.history.as_ref().map(|h| h.iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct CourierQuery;

#[Object]
impl CourierQuery {
    /// The courier registry in registration order, filtered by year, direction, department, state or overdue
    /// (ManageCourier).
    #[allow(clippy::too_many_arguments)]
    async fn mail_items(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        year: Option<i32>,
        direction: Option<MailDirection>,
        department: Option<String>,
        state: Option<MailState>,
        overdue: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<MailItem>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let after = after_key(after, |c| c.parse::<MailId>().ok())?;
        let query = MailQuery {
            year,
            direction: direction.map(Into::into),
            department,
            state: state.map(Into::into),
            overdue: overdue.unwrap_or(false),
        };
        let size = page_size(first, call.locale())?;
        let page = call.jamaa.mail_items(call.principal, &call.commune, query, after, size).await.in_lang(&call)?;
        Ok(connection(after.is_some(), page, |item| (item.record.id.to_string(), MailItem(item))))
    }

    /// One mail item with its history (ManageCourier).
    async fn mail_item(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<MailItem> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id(&id, "mail item").in_lang(&call)?;
        Ok(MailItem(call.jamaa.mail_item(call.principal, &call.commune, id).await.in_lang(&call)?))
    }
}

#[derive(Default)]
pub struct CourierMutation;

#[Object]
impl CourierMutation {
    /// Registers incoming or outgoing mail, numbered in the commune's registry of the year (ManageCourier).
    /// `idempotencyKey` (or the `Idempotency-Key` header): a retry with the same key and input answers with the
    /// item first registered and numbers nothing; the key with another input is IDEMPOTENCY_KEY_REUSED.
    async fn register_mail(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        input: RegisterMailInput,
        idempotency_key: Option<String>,
    ) -> Result<MailItem> {
        let idempotency = idempotency(ctx, idempotency_key);
        let call = InCommune::new(ctx, commune, None).await?;
        let idempotency = idempotency.in_lang(&call)?;
        // A deliberation id that does not parse names no deliberation: it is refused with the other checks.
        let deliberation = input
            .deliberation_id
            .map(|id| input_id(&id, "input.deliberationId").map(DeliberationRef::from_uuid))
            .transpose()
            .in_lang(&call)?;
        let mail = NewMail {
            direction: input.direction.into(),
            correspondent: input.correspondent,
            subject: input.subject,
            date: input.date,
            department: input.department,
            due_on: input.due_on,
            request_code: input.request_code,
            deliberation,
        };
        let item = call.jamaa.register_mail_once(call.principal, &call.commune, mail, idempotency.as_ref());
        Ok(MailItem(item.await.in_lang(&call)?))
    }

    /// Routes a mail item to another department, with a note (ManageCourier).
    async fn route_mail(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        department: String,
        note: Option<String>,
    ) -> Result<MailItem> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id(&id, "mail item").in_lang(&call)?;
        let item = call.jamaa.route_mail(call.principal, &call.commune, id, &department, note).await.in_lang(&call)?;
        Ok(MailItem(item))
    }

    /// Moves a mail item's follow-up: open, answered, closed; a closed item stays closed (ManageCourier).
    async fn set_mail_follow_up(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        state: MailState,
        note: Option<String>,
    ) -> Result<MailItem> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id(&id, "mail item").in_lang(&call)?;
        let item = call
            .jamaa
            .set_mail_follow_up(call.principal, &call.commune, id, state.into(), note)
            .await
            .in_lang(&call)?;
        Ok(MailItem(item))
    }
}
