//! Complaints: their listing facts recorded with the submission, the public listing (never personal data),
//! the moderation of their public text (screened at submission; held when personal data is found, until the
//! staff approve, redact or keep it private), the applicant's satisfaction rating, and the procedures offered
//! as Open311 services.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::{self, Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::catalog::Channel;
use crate::model::commune::Commune;
use crate::model::complaint::{ANSWER_LAPSED, ANSWER_REMINDER, ComplaintSettings, ComplaintStatus, Rating};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::RequestId;
use crate::model::moderation::{self, Moderation, ModerationDecision};
use crate::model::request::TrackingCode;
use crate::model::workflow::Outcome;
use crate::store::catalog::{self, PublishedService};
use crate::store::complaints::{self, ComplaintRecord};
use crate::store::requests::{self, RequestRecord, TransitionRecord};
use crate::store::timers::{self, Scope};
use crate::store::{TenantTx, audit, communes};

pub use crate::store::complaints::PublicFilter;

use super::lifecycle::{Procedure, normalize_secret, record_step};
use super::{CountedPage, Jamaa};

/// The most complaints a page of the listing holds (Open311's `GET requests` asks for that many).
pub const MAX_LISTING: u64 = 1000;

/// A public complaint as anyone may see it: its request's state and plain facts, its service, its rating.
/// Personal fields are not part of it.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicComplaint {
    pub service: PublishedService,
    pub request: RequestRecord,
    pub complaint: ComplaintRecord,
    pub status: ComplaintStatus,
}

impl PublicComplaint {
    fn settings(&self) -> Option<&ComplaintSettings> {
        self.service.definition.complaint.as_ref()
    }

    /// What the complaint is about, as published: the applicant's text, or the moderator's in its place.
    pub fn description(&self) -> Option<&str> {
        match &self.complaint.published_description {
            Some(published) => Some(published),
            None => self.original_description(),
        }
    }

    /// What the applicant wrote (for the moderators).
    pub fn original_description(&self) -> Option<&str> {
        self.settings().and_then(|s| s.description(&self.request.data))
    }

    /// The applicant's address of the place (for the moderators).
    pub fn original_address(&self) -> Option<&str> {
        let settings = self.settings()?;
        let key = settings.location_field.as_deref()?;
        self.request.data.get(key)?.get("address")?.as_str()
    }

    /// The original description with the personal data the screen finds (but the applicant's name, which is
    /// sealed) replaced by `[…]`: a starting point for a moderator's redaction.
    pub fn suggested_redaction(&self) -> Option<String> {
        self.original_description().map(|text| moderation::redact(text, &moderation::screen(text, &[])))
    }

    /// The address of the photo the applicant gave, if any.
    pub fn media_url(&self) -> Option<&str> {
        self.settings().and_then(|s| s.media_url(&self.request.data))
    }

    /// The label of the request's state.
    pub fn state_label(&self) -> LocalizedText {
        self.service.definition.workflow.state(&self.request.state).map(|s| s.label.clone()).unwrap_or_default()
    }

    /// The label of the complaint's category.
    pub fn category_label(&self) -> Option<LocalizedText> {
        let settings = self.settings()?;
        let category = self.complaint.facts.category.as_deref()?;
        let field = self.service.definition.form.fields.iter().find(|f| f.key == settings.category_field)?;
        match &field.kind {
            crate::model::form::FieldKind::Choice { options } => {
                options.iter().find(|o| o.value == category).map(|o| o.label.clone())
            }
            _ => None,
        }
    }
}

/// Which public complaints to list, and which page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublicQuery {
    pub filter: PublicFilter,
    pub status: Option<ComplaintStatus>,
    /// The last complaint of the previous page: its submission time and request.
    pub after: Option<(DateTime<Utc>, RequestId)>,
    pub limit: u64,
}

/// The applicant's rating, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatedComplaint {
    pub tracking_code: TrackingCode,
    pub rating: Rating,
}

/// What a complaint adds to the lifecycle of its request (its kind's hook, chosen in `procedures.rs`).
pub(crate) struct Complaints<'a>(pub(crate) &'a ComplaintSettings);

impl Procedure for Complaints<'_> {
    /// Records the listing facts of the complaint and arms its answer period.
    async fn submitted(
        &self,
        tx: &TenantTx,
        _keyring: &crate::crypto::Keyring,
        commune: &Commune,
        service: &PublishedService,
        record: &RequestRecord,
        personal: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Error> {
        record_submission(tx, self.0, service, record, personal).await?;
        arm_answer_deadline(tx, self.0, commune, record).await
    }

    /// An answer (or an end) meets the answer period: neither its reminder nor its lapse follows.
    async fn moved(
        &self,
        tx: &TenantTx,
        _service: &PublishedService,
        request: RequestId,
        to: &str,
        outcome: Option<Outcome>,
    ) -> Result<(), Error> {
        if self.0.is_answered(to, outcome) {
            timers::cancel_pending(tx, request, Scope::Request).await?;
        }
        Ok(())
    }

    /// A step of the answer period: its reminder, or its lapse.
    async fn timer_due(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        service: &PublishedService,
        record: RequestRecord,
        step: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        take_deadline_step(tx, self.0, commune, service, record, step, now).await
    }
}

/// Records the listing facts of a complaint in the submission's transaction, with
/// where it stands with moderation: the text bound for the public listing (description and address) is
/// screened for personal data, the applicant's own name (from the personal fields, before they are sealed)
/// included; a public complaint with a finding is held.
async fn record_submission(
    tx: &TenantTx,
    settings: &ComplaintSettings,
    service: &PublishedService,
    record: &RequestRecord,
    personal: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), Error> {
    let facts = settings.facts(&record.data);
    let names: Vec<&str> = settings
        .contact
        .name
        .as_deref()
        .and_then(|key| personal.get(key))
        .and_then(|v| v.as_str())
        .into_iter()
        .collect();
    let texts = [settings.description(&record.data), facts.address.as_deref()];
    let findings: Vec<_> = texts.into_iter().flatten().flat_map(|text| moderation::screen(text, &names)).collect();
    let state = Moderation::initial(facts.public, &findings);
    complaints::insert(
        tx,
        &ComplaintRecord {
            request_id: record.id,
            tracking_code: record.tracking_code.clone(),
            service_code: service.definition.code.clone(),
            facts,
            submitted_at: record.submitted_at,
            rating: None,
            rated_at: None,
            moderation: state,
            findings: Some(moderation::kinds(&findings)),
            published_description: None,
        },
    )
    .await
}

/// Arms the answer period of a complaint just submitted, if it has one: the reminder and the lapse, timers of
/// the whole request, in the submission's transaction.
async fn arm_answer_deadline(
    tx: &TenantTx,
    settings: &ComplaintSettings,
    commune: &Commune,
    record: &RequestRecord,
) -> Result<(), Error> {
    let Some(deadline) = settings.answer_deadline.as_ref() else { return Ok(()) };
    for step in deadline.steps(record.decision_due, commune.time_zone()) {
        timers::insert(tx, record.id, record.version, step.step, step.due_at, Scope::Request).await?;
    }
    Ok(())
}

/// Takes a due step of a complaint's answer period, claimed by the scheduler in `tx`: records the reminder, or
/// the lapse, in the history (and so the outbox) and the audit chain; false when it no longer applies (the
/// complaint was answered or ended, or its lapse is already recorded).
async fn take_deadline_step(
    tx: &TenantTx,
    settings: &ComplaintSettings,
    commune: &Commune,
    service: &PublishedService,
    record: RequestRecord,
    step: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    if settings.is_answered(&record.state, record.outcome) {
        return Ok(false);
    }
    let kind = match step {
        ANSWER_REMINDER => AuditKind::ComplaintAnswerReminder,
        ANSWER_LAPSED => {
            if !requests::mark_lapsed(tx, record.id, now).await? {
                return Ok(false);
            }
            AuditKind::ComplaintLapsed
        }
        _ => return Err(Error::internal(format!("unknown step of an answer period `{step}`"))),
    };
    let transition = TransitionRecord::system_step(&record.state, step, now);
    let event = NewEvent::new(
        "system",
        kind,
        AuditSubject::Request(record.id),
        serde_json::json!({
            "trackingCode": record.tracking_code,
            "state": record.state,
            "decisionDue": record.decision_due,
            "assignee": record.assignee,
        }),
    );
    record_step(tx, commune, service, record.id, &transition, Some(event), now).await?;
    Ok(true)
}

/// The complaints with their requests, services and statuses, in their order (one query for the requests, one
/// per service version).
async fn resolve(tx: &TenantTx, rows: Vec<ComplaintRecord>) -> Result<Vec<PublicComplaint>, Error> {
    let ids: Vec<RequestId> = rows.iter().map(|c| c.request_id).collect();
    let mut requests: std::collections::HashMap<RequestId, RequestRecord> =
        requests::by_ids(tx, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let mut services: Vec<PublishedService> = Vec::new();
    let mut items = Vec::with_capacity(rows.len());
    for complaint in rows {
        let Some(request) = requests.remove(&complaint.request_id) else { continue };
        let service = match services.iter().find(|s| s.id == request.service_id && s.workflow_id == request.workflow_id)
        {
            Some(service) => service.clone(),
            None => {
                let service = catalog::service_version(tx, request.service_id, request.workflow_id).await?;
                services.push(service.clone());
                service
            }
        };
        let Some(settings) = &service.definition.complaint else { continue };
        let status = settings.status(&request.state, request.outcome);
        items.push(PublicComplaint { service, request, complaint, status });
    }
    Ok(items)
}

fn rating_refused() -> Error {
    Error::field(
        "rating",
        FieldErrorCode::InvalidValue,
        LocalizedText::ar_fr(
            "يمكن تقييم الشكاية بعد الإجابة عليها.",
            "La réclamation peut être notée une fois traitée.",
        )
        .with(Locale::En, "A complaint can be rated once it has been answered.")
        .with(Locale::Tzm, "ⵜⴰⵙⵓⵜⵔⴰ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵜⵓⵙⵙⵏⵇⴷ ⴷⴼⴼⵉⵔ ⵎⴰ ⵜⵜⵓⵔⴰⵔ."),
    )
}

impl Jamaa {
    /// The commune's complaint procedures offered online: the services of its Open311 facade.
    pub async fn complaint_services(&self, commune: &Commune) -> Result<Vec<PublishedService>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let services = catalog::current_services(&tx).await?;
        tx.commit().await?;
        let services = services
            .iter()
            .filter(|s| s.definition.complaint.is_some() && s.definition.channels.contains(&Channel::Online))
            .cloned()
            .collect();
        Ok(services)
    }

    /// A page of the commune's public complaints, newest first, and their number in all: only those whose
    /// applicant made them public, and of them only what is not personal. Anyone may list them.
    pub async fn public_complaints(
        &self,
        commune: &Commune,
        query: &PublicQuery,
    ) -> Result<CountedPage<PublicComplaint>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let limit = query.limit.clamp(1, MAX_LISTING);
        let tx = self.store.tenant_tx(scope).await?;
        let (listed, total) = match query.status {
            None => {
                let rows = complaints::public(&tx, &query.filter, query.after, Some(limit + 1)).await?;
                let total = complaints::public_count(&tx, &query.filter).await?;
                (resolve(&tx, rows).await?, total)
            }
            Some(wanted) => {
                // The status depends on each service version's answered states: every complaint the filter
                // finds is resolved, to count those in that status.
                let rows = complaints::public(&tx, &query.filter, None, None).await?;
                let found: Vec<_> = resolve(&tx, rows).await?.into_iter().filter(|c| c.status == wanted).collect();
                let total = found.len() as u64;
                let key = |c: &PublicComplaint| (c.complaint.submitted_at, c.complaint.request_id);
                let after: Vec<_> =
                    found.into_iter().filter(|c| query.after.is_none_or(|after| key(c) < after)).collect();
                (after, total)
            }
        };
        tx.commit().await?;
        let has_next = listed.len() as u64 > limit;
        let items = listed.into_iter().take(usize::try_from(limit).unwrap_or(usize::MAX)).collect();
        Ok(CountedPage { items, has_next, total })
    }

    /// The tracking code of a complaint of the commune, from the request id an Open311 submission returned
    /// as its token.
    pub async fn complaint_by_token(&self, commune: &Commune, id: RequestId) -> Result<TrackingCode, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let complaint = complaints::by_request(&tx, id).await?.ok_or(Error::NotFound("token"))?;
        tx.commit().await?;
        Ok(complaint.tracking_code)
    }

    /// The applicant rates the answer to their complaint, 1 to 5, with the tracking code and secret of its
    /// receipt; a later rating replaces the earlier one. A wrong secret is NOT_FOUND, as when tracking.
    pub async fn rate_complaint(
        &self,
        tracking_code: &str,
        secret: &SecretString,
        rating: i64,
    ) -> Result<RatedComplaint, Error> {
        let rating = Rating::parse(rating, "rating").map_err(|e| Error::Validation(vec![e]))?;
        let code = TrackingCode::parse(tracking_code).map_err(|_| Error::NotFound("request"))?;
        let commune = communes::by_tracking_prefix(self.store.conn(), self.store.cache(), code.prefix())
            .await?
            .ok_or(Error::NotFound("request"))?;
        let scope = Principal::Anonymous.authorize(commune.id, Permission::SubmitRequest)?;
        let tx = self.store.tenant_tx(scope).await?;
        let request = match requests::by_tracking_code(&tx, &code).await? {
            Some(request) if auth::secret_matches(&normalize_secret(secret), &request.secret_hash) => request,
            _ => return Err(Error::NotFound("request")),
        };
        let complaint = complaints::by_request(&tx, request.id).await?.ok_or(Error::NotFound("complaint"))?;
        let service = catalog::service_version(&tx, request.service_id, request.workflow_id).await?;
        let settings = service.definition.complaint.as_ref().ok_or(Error::NotFound("complaint"))?;
        if !settings.may_rate(&request.state, request.outcome) {
            return Err(rating_refused());
        }
        let now = self.now();
        complaints::rate(&tx, request.id, rating.value(), now).await?;
        audit::append(
            &tx,
            NewEvent::new(
                format!("applicant:{}", request.tracking_code),
                AuditKind::ComplaintRated,
                AuditSubject::Request(request.id),
                serde_json::json!({
                    "trackingCode": request.tracking_code,
                    "rating": rating.value(),
                    "replaces": complaint.rating,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(RatedComplaint { tracking_code: request.tracking_code, rating })
    }

    /// A page of the commune's complaints waiting for a moderator, oldest first, and their number: the staff
    /// who read requests see each one's original text and what the screen found in it.
    pub async fn moderation_queue(
        &self,
        principal: &Principal,
        commune: &Commune,
        after: Option<(DateTime<Utc>, RequestId)>,
        limit: u64,
    ) -> Result<CountedPage<PublicComplaint>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let limit = limit.clamp(1, MAX_LISTING);
        let tx = self.store.tenant_tx(scope).await?;
        let rows = complaints::pending(&tx, after, limit + 1).await?;
        let total = complaints::pending_count(&tx).await?;
        let listed = resolve(&tx, rows).await?;
        tx.commit().await?;
        let has_next = listed.len() as u64 > limit;
        let items = listed.into_iter().take(usize::try_from(limit).unwrap_or(usize::MAX)).collect();
        Ok(CountedPage { items, has_next, total })
    }

    /// A moderator's decision on a public complaint of the commune (staff who act on requests): publish it as
    /// typed, publish a redacted text (which must screen clear), or keep it private. One transaction with the
    /// audit event `complaint.moderated` (which names the decision, never the text).
    pub async fn moderate_complaint(
        &self,
        principal: &Principal,
        commune: &Commune,
        tracking_code: &str,
        decision: &ModerationDecision,
    ) -> Result<PublicComplaint, Error> {
        let scope = principal.authorize(commune.id, Permission::ActOnRequests)?;
        let code = TrackingCode::parse(tracking_code).map_err(|_| Error::NotFound("complaint"))?;
        let tx = self.store.tenant_tx(scope).await?;
        let request = requests::by_tracking_code(&tx, &code).await?.ok_or(Error::NotFound("complaint"))?;
        let complaint = complaints::by_request(&tx, request.id).await?.ok_or(Error::NotFound("complaint"))?;
        let state = decision.apply(complaint.moderation).map_err(Error::Validation)?;
        let (description, address) = match decision {
            ModerationDecision::Redact { description, address } => (Some(description.trim()), address.as_deref()),
            _ => (None, None),
        };
        complaints::moderate(&tx, request.id, state, description, address.map(str::trim)).await?;
        let now = self.now();
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::ComplaintModerated,
                AuditSubject::Request(request.id),
                serde_json::json!({
                    "trackingCode": request.tracking_code,
                    "from": complaint.moderation.as_str(),
                    "to": state.as_str(),
                    "findings": complaint.findings.as_ref().map(|f| f.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                    "addressReplaced": address.is_some(),
                }),
            ),
            now,
        )
        .await?;
        let updated = complaints::by_request(&tx, request.id).await?.ok_or(Error::NotFound("complaint"))?;
        let mut resolved = resolve(&tx, vec![updated]).await?;
        tx.commit().await?;
        resolved.pop().ok_or(Error::NotFound("complaint"))
    }
}
