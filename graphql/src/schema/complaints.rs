//! Complaints: the public listing of a commune's public complaints (anyone, never personal data), their
//! moderation queue and the moderators' decisions (staff), and the applicant's satisfaction rating. Reopening is
//! the workflow action `reopen` of `actOnRequest`.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::complaint::ComplaintStatus as CoreStatus;
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::moderation::{Moderation as CoreModeration, ModerationDecision, PersonalDataKind as CoreKind};
use jamaa_core::service::{PublicComplaint as CoreComplaint, PublicFilter, PublicQuery};
use secrecy::SecretString;

use super::Lang;
use super::call::{Call, InCommune, InLang};
use super::page::page_size;
use super::page::{Listing, after_key, connection};

#[derive(Default)]
pub struct ComplaintQuery;

/// A complaint's place in a listing ordered by submission: `<submitted at>|<request id>`.
fn complaint_cursor(complaint: &CoreComplaint) -> String {
    let at = complaint.complaint.submitted_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    format!("{at}|{}", complaint.complaint.request_id)
}

/// The place a [`complaint_cursor`] names.
fn complaint_position(cursor: &str) -> Option<(DateTime<Utc>, RequestId)> {
    let (at, id) = cursor.split_once('|')?;
    Some((DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc), id.parse::<RequestId>().ok()?))
}

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
        self.complaint.service.definition.code.as_str()
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

/// Where a complaint stands with moderation: only CLEAR, APPROVED and REDACTED ones are published.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComplaintModeration {
    /// Its applicant did not make it public.
    NotPublic,
    /// Held for a moderator: personal data was found in its text, or it was public before texts were screened.
    Pending,
    /// Screened, nothing found: published as typed.
    Clear,
    /// Published as typed by a moderator's decision.
    Approved,
    /// Published with a moderator's text in place of the applicant's.
    Redacted,
    /// Not published, by a moderator's decision.
    KeptPrivate,
}

impl From<CoreModeration> for ComplaintModeration {
    fn from(moderation: CoreModeration) -> Self {
        match moderation {
            CoreModeration::NotPublic => ComplaintModeration::NotPublic,
            CoreModeration::Pending => ComplaintModeration::Pending,
            CoreModeration::Clear => ComplaintModeration::Clear,
            CoreModeration::Approved => ComplaintModeration::Approved,
            CoreModeration::Redacted => ComplaintModeration::Redacted,
            CoreModeration::KeptPrivate => ComplaintModeration::KeptPrivate,
        }
    }
}

/// A kind of personal data the screen finds in a text bound for the public listing.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonalDataKind {
    Phone,
    NationalId,
    Email,
    /// The applicant's own name.
    Name,
}

impl From<CoreKind> for PersonalDataKind {
    fn from(kind: CoreKind) -> Self {
        match kind {
            CoreKind::Phone => PersonalDataKind::Phone,
            CoreKind::NationalId => PersonalDataKind::NationalId,
            CoreKind::Email => PersonalDataKind::Email,
            CoreKind::Name => PersonalDataKind::Name,
        }
    }
}

/// What a moderator decides about a public complaint.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModerationAction {
    /// Publish the text as typed.
    Approve,
    /// Publish the given description (and address) in place of the applicant's.
    Redact,
    /// Do not publish it.
    KeepPrivate,
}

/// A complaint as its moderators see it: the applicant's text (never their contact details) and what the screen
/// found in it.
pub struct ModeratedComplaint {
    complaint: CoreComplaint,
    lang: Lang,
}

#[Object]
impl ModeratedComplaint {
    async fn tracking_code(&self) -> String {
        self.complaint.request.tracking_code.to_string()
    }
    async fn service_code(&self) -> &str {
        self.complaint.service.definition.code.as_str()
    }
    async fn category(&self) -> Option<&str> {
        self.complaint.complaint.facts.category.as_deref()
    }
    async fn category_label(&self) -> Option<String> {
        self.complaint.category_label().map(|l| self.lang.text(&l))
    }
    /// The description as the applicant typed it.
    async fn description(&self) -> Option<&str> {
        self.complaint.original_description()
    }
    /// The address of the place as the applicant typed it.
    async fn address(&self) -> Option<&str> {
        self.complaint.original_address()
    }
    /// What is published: the applicant's description, the moderator's, or nothing.
    async fn published_description(&self) -> Option<&str> {
        self.complaint.complaint.moderation.is_published().then(|| self.complaint.description()).flatten()
    }
    /// The address published (a moderator may have replaced it).
    async fn published_address(&self) -> Option<&str> {
        if self.complaint.complaint.moderation.is_published() {
            self.complaint.complaint.facts.address.as_deref()
        } else {
            None
        }
    }
    /// The kinds of personal data found in its text at submission; null when it was never screened.
    async fn findings(&self) -> Option<Vec<PersonalDataKind>> {
        self.complaint.complaint.findings.as_ref().map(|f| f.iter().copied().map(Into::into).collect())
    }
    /// The description with the phone numbers, ids and e-mail addresses found replaced by `[…]`.
    async fn suggested_redaction(&self) -> Option<String> {
        self.complaint.suggested_redaction()
    }
    async fn moderation(&self) -> ComplaintModeration {
        self.complaint.complaint.moderation.into()
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.complaint.request.submitted_at
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
    /// The commune's complaints held for moderation, oldest first (staff who read requests): each with the
    /// applicant's text and what the screen found in it.
    async fn complaint_moderation_queue(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<ModeratedComplaint>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let after = after_key(after, |c| complaint_position(&c))?;
        let limit = page_size(first, call.locale())?;
        let page = call.jamaa.moderation_queue(call.principal, &call.commune, after, limit).await.in_lang(&call)?;
        let lang = call.lang.clone();
        Ok(connection(after.is_some(), page, |complaint| {
            let key = complaint_cursor(&complaint);
            (key, ModeratedComplaint { complaint, lang: lang.clone() })
        }))
    }

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
        let after = after_key(after, |c| complaint_position(&c))?;
        let query = PublicQuery {
            filter: PublicFilter { service_codes: service_code.into_iter().collect(), ..PublicFilter::default() },
            status: status.map(Into::into),
            after,
            limit: page_size(first, call.locale())?,
        };
        let page = call.jamaa.public_complaints(&call.commune, &query).await.in_lang(&call)?;
        Ok(connection(after.is_some(), page, |complaint| {
            let key = complaint_cursor(&complaint);
            (key, PublicComplaint { complaint, lang: call.lang.clone() })
        }))
    }
}

#[Object]
impl ComplaintMutation {
    /// A moderator's decision on a public complaint (staff who act on requests): APPROVE publishes it as typed,
    /// REDACT publishes `description` (and `address`, when given) in its place — a text that must itself hold
    /// no phone number, id or e-mail address — and KEEP_PRIVATE withdraws it from the listing. Audited.
    async fn moderate_complaint(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        tracking_code: String,
        action: ModerationAction,
        description: Option<String>,
        address: Option<String>,
    ) -> Result<ModeratedComplaint> {
        let call = InCommune::new(ctx, commune, None).await?;
        let decision = match action {
            ModerationAction::Approve => ModerationDecision::Approve,
            ModerationAction::KeepPrivate => ModerationDecision::KeepPrivate,
            ModerationAction::Redact => {
                ModerationDecision::Redact { description: description.unwrap_or_default(), address }
            }
        };
        let complaint = call
            .jamaa
            .moderate_complaint(call.principal, &call.commune, &tracking_code, &decision)
            .await
            .in_lang(&call)?;
        Ok(ModeratedComplaint { complaint, lang: call.lang.clone() })
    }

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
