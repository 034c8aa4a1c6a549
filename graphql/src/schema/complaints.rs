//! Complaints: the public listing of a commune's public complaints (anyone, never personal data) and the
//! applicant's satisfaction rating. Reopening is the workflow action `reopen` of `actOnRequest`.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::complaint::ComplaintStatus as CoreStatus;
use jamaa_core::model::ids::RequestId;
use jamaa_core::service::{PublicComplaint as CoreComplaint, PublicFilter, PublicQuery};
use secrecy::SecretString;

use super::Lang;
use super::call::{Call, InCommune, InLang};
use super::page::page_size;
use super::page::{Listing, after_key, connection};

#[derive(Default)]
pub struct ComplaintQuery;

#[derive(Default)]
pub struct ComplaintMutation;

/// Whether a complaint is being handled or has its answer.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComplaintStatus {
    Open,
    Closed,
}

impl From<CoreStatus> for ComplaintStatus {
    fn from(status: CoreStatus) -> Self {
        match status {
            CoreStatus::Open => ComplaintStatus::Open,
            CoreStatus::Closed => ComplaintStatus::Closed,
        }
    }
}

impl From<ComplaintStatus> for CoreStatus {
    fn from(status: ComplaintStatus) -> Self {
        match status {
            ComplaintStatus::Open => CoreStatus::Open,
            ComplaintStatus::Closed => CoreStatus::Closed,
        }
    }
}

/// A place: coordinates, an address, or both.
#[derive(SimpleObject)]
pub struct Place {
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: Option<String>,
}

/// A complaint its applicant made public: what it is about and where, how it is handled, never who filed it.
pub struct PublicComplaint {
    complaint: CoreComplaint,
    lang: Lang,
}

#[Object]
impl PublicComplaint {
    async fn tracking_code(&self) -> String {
        self.complaint.request.tracking_code.to_string()
    }
    async fn service_code(&self) -> &str {
        &self.complaint.service.definition.code
    }
    async fn service_name(&self) -> String {
        self.lang.text(&self.complaint.service.definition.name)
    }
    /// The category's key (`lighting`).
    async fn category(&self) -> Option<&str> {
        self.complaint.complaint.facts.category.as_deref()
    }
    async fn category_label(&self) -> Option<String> {
        self.complaint.category_label().map(|l| self.lang.text(&l))
    }
    async fn description(&self) -> Option<&str> {
        self.complaint.description()
    }
    async fn place(&self) -> Option<Place> {
        let facts = &self.complaint.complaint.facts;
        (facts.latitude.is_some() || facts.address.is_some()).then(|| Place {
            lat: facts.latitude,
            lng: facts.longitude,
            address: facts.address.clone(),
        })
    }
    async fn media_url(&self) -> Option<&str> {
        self.complaint.media_url()
    }
    async fn status(&self) -> ComplaintStatus {
        self.complaint.status.into()
    }
    async fn state(&self) -> &str {
        &self.complaint.request.state
    }
    async fn state_label(&self) -> String {
        self.lang.text(&self.complaint.state_label())
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.complaint.request.submitted_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.complaint.request.updated_at
    }
    /// The legal answer date (60 days for complaints).
    async fn answer_due(&self) -> NaiveDate {
        self.complaint.request.decision_due
    }
    /// The applicant's satisfaction, 1 to 5, once rated.
    async fn rating(&self) -> Option<u8> {
        self.complaint.complaint.rating
    }
}

/// A rating as recorded.
#[derive(SimpleObject)]
pub struct ComplaintRating {
    pub tracking_code: String,
    pub rating: u8,
}

#[Object]
impl ComplaintQuery {
    /// The commune's public complaints, newest first (anyone; no personal data): optionally of one procedure
    /// and one status.
    #[allow(clippy::too_many_arguments)]
    async fn public_complaints(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        service_code: Option<String>,
        status: Option<ComplaintStatus>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<PublicComplaint>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let after = after_key(after, |c| {
            let (at, id) = c.split_once('|')?;
            Some((DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc), id.parse::<RequestId>().ok()?))
        })?;
        let query = PublicQuery {
            filter: PublicFilter { service_codes: service_code.into_iter().collect(), ..PublicFilter::default() },
            status: status.map(Into::into),
            after,
            limit: page_size(first, call.locale())?,
        };
        let page = call.jamaa.public_complaints(&call.commune, &query).await.in_lang(&call)?;
        Ok(connection(after.is_some(), page, |complaint| {
            let key = format!(
                "{}|{}",
                complaint.complaint.submitted_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                complaint.complaint.request_id
            );
            (key, PublicComplaint { complaint, lang: call.lang.clone() })
        }))
    }
}

#[Object]
impl ComplaintMutation {
    /// The applicant rates the answer to their complaint, 1 (not satisfied) to 5 (very satisfied), with the
    /// tracking code and the secret of the receipt; a later rating replaces the earlier one.
    async fn rate_complaint(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        secret: String,
        rating: i32,
    ) -> Result<ComplaintRating> {
        let call = Call::new(ctx);
        let rated = call
            .jamaa
            .rate_complaint(&tracking_code, &SecretString::from(secret), i64::from(rating))
            .await
            .in_lang(&call)?;
        Ok(ComplaintRating { tracking_code: rated.tracking_code.to_string(), rating: rated.rating.value() })
    }
}
