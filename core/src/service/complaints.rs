//! Complaints: their listing facts recorded with the submission, the public listing (never personal data),
//! the applicant's satisfaction rating, and the procedures offered as Open311 services.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::{self, Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::NewEvent;
use crate::model::catalog::Channel;
use crate::model::commune::Commune;
use crate::model::complaint::{ComplaintSettings, ComplaintStatus, Rating};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::RequestId;
use crate::model::request::TrackingCode;
use crate::store::catalog::{self, PublishedService};
use crate::store::complaints::{self, ComplaintRecord};
use crate::store::requests::{self, RequestRecord};
use crate::store::{TenantTx, audit, communes};

pub use crate::store::complaints::PublicFilter;

use super::requests::normalize_secret;
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

    /// What the complaint is about, as the applicant wrote it.
    pub fn description(&self) -> Option<&str> {
        self.settings().and_then(|s| s.description(&self.request.data))
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

/// Records the listing facts of a complaint in the submission's transaction; other services have none.
pub(crate) async fn record_submission(
    tx: &TenantTx,
    service: &PublishedService,
    record: &RequestRecord,
) -> Result<(), Error> {
    let Some(settings) = &service.definition.complaint else { return Ok(()) };
    complaints::insert(
        tx,
        &ComplaintRecord {
            request_id: record.id,
            tracking_code: record.tracking_code.clone(),
            service_code: service.definition.code.clone(),
            facts: settings.facts(&record.data),
            submitted_at: record.submitted_at,
            rating: None,
            rated_at: None,
        },
    )
    .await
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
        let commune =
            communes::by_tracking_prefix(self.store.conn(), code.prefix()).await?.ok_or(Error::NotFound("request"))?;
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
                "complaint.rated",
                format!("request:{}", request.id),
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
}
