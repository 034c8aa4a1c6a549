//! Use cases that the API and the CLI call. Each checks the caller's permission, runs in one transaction
//! (the change and its audit events together), and returns core errors with stable codes.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::crypto::Keyring;
use crate::error::Error;
use crate::model::commune::{Commune, Slug};
use crate::store::{Store, communes};

mod audit;
mod calendar;
mod catalog;
mod commissions;
mod complaints;
pub mod demo;
pub(crate) mod documents;
mod idempotency;
pub use idempotency::{CallClaim, KeyScope, PENDING_CLAIM, PendingCall};
mod inbox;
mod indicators;
pub(crate) mod lifecycle;
mod notifications;
pub(crate) mod personal;
mod portable;
pub(crate) mod procedures;
mod publications;
mod replication;
pub(crate) mod requests;
mod scheduler;
mod site;
mod tokens;
mod training;
pub(crate) mod uploads;
mod users;

pub use crate::model::catalog::PublishedService;
pub use crate::modules::civil_status::requests::CivilRequestMatch;
pub use crate::modules::civil_status::service::{CivilAct, CivilActFilter, CivilActSummary, IssuedCivilDocument};
pub use crate::modules::council::model::{AgendaItem, Deliberation, Member, Session};
pub use crate::modules::council::service::{
    NewAgendaItem, NewCouncilMember, NewDeliberation, NewSession, PublishedDecisions,
};
pub use crate::modules::courier::model::{MailEvent, MailRecord};
pub use crate::modules::courier::service::{MailItem, MailQuery};
pub use crate::modules::disputes::service::{CaseDocumentUpload, CaseView, UpcomingHearing};
pub use crate::modules::finance::recording::{CommitmentInput, FinanceLedger, LineExecution, LineRef, TitleInput};
pub use crate::modules::finance::service::{BudgetExecution, BudgetImport, MAX_BUDGET_LINES, parse_budget_csv};
pub use crate::modules::hr::service::{DirectoryEntry, LeaveView, StaffView};
pub use crate::modules::payments::online::{
    CallbackAnswer, OnlineCheckout, OnlinePaymentView, RefundView, RefusedCallback, StatementView,
};
pub use crate::modules::payments::provider::PaymentProviders;
pub use crate::modules::petitions::service::{PETITION_SERVICE, PetitionView, SignPetition};
pub use crate::modules::projects::service::{ProjectView, PublishedProjects};
pub use crate::store::citizen::{MessageRecord, PublicationRecord};
pub use crate::store::notifications::{DeliveryRecord, WebhookEndpointRecord};
pub use crate::store::opinions::OpinionRecord;
pub use crate::store::requests::{RequestRecord, TransitionRecord};
pub use crate::store::templates::TemplateSummary;
pub use crate::store::tokens::TokenSummary;
pub use calendar::{HOLIDAYS_CHANGED, HolidayTarget, HolidayUpdate};
pub use catalog::{Catalog, CurrentServices, ServiceView};
pub use commissions::{BodyView, CommissionView, GiveOpinion};
pub use complaints::{MAX_LISTING, PublicComplaint, PublicFilter, PublicQuery, RatedComplaint};
pub use documents::{DocumentPdf, DocumentVerification, IssuedDocument, NewDocument, Presented, Withdrawal};
pub use inbox::{
    AssignmentFilter, InboxCounts, InboxCursor, InboxFilter, InboxPage, StaffMember, StateCount, Workload,
};
pub use indicators::{CommuneIndicators, NationalIndicators, RegionIndicators};
pub use lifecycle::RequestDetails;
pub use notifications::{
    ClaimedDelivery, CreatedEndpoint, DEFAULT_IN_FLIGHT, DEFAULT_TIMEOUT_SECONDS, DeliveryTarget, EmailMessage,
    EndpointLimits, MAX_IN_FLIGHT, MAX_TIMEOUT_SECONDS, Notice, SIGNATURE_HEADER, SmtpConfig, SmtpInput, SmtpTls,
    SmtpView, sign_webhook,
};
pub use personal::PersonalData;
pub use portable::{ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, Manifest, ManifestCommune, Part};
pub use publications::PublicationStatus;
pub use replication::{CommuneIdentity, OnboardCommune, OnboardSource, PreparedOnboarding, UpgradeReport};
pub use requests::{Reading, Submission, SubmitRequest, Tracking};
pub use scheduler::SchedulerReport;
pub use site::{MAX_SITE_ORIGINS, SiteOrigins, check_site_origins};
pub use tokens::{IssuedToken, NewApiToken, check_issuer};
pub use training::{NewTrainingCommune, TrainingCommune, TrainingResetReport, training_secret};
pub use uploads::{DocumentFile, DownloadedFile};
pub use users::{CommuneUser, IssuedSession, MembershipView, NewCommuneUser, NewUser, UserView};

/// A source of the current time, replaceable in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The platform's use cases over one store.
#[derive(Clone)]
pub struct Jamaa {
    pub(crate) store: Store,
    clock: Clock,
    pub(crate) keyring: Arc<Keyring>,
    /// How long a login session lasts.
    session_ttl: chrono::Duration,
    /// How long an idempotency key and its answer are kept.
    pub(crate) idempotency_ttl: chrono::Duration,
    /// Every commune's website origins, for the CORS layer (site.rs).
    site_origins: site::SiteOrigins,
    /// The communes' online payment providers, from the server's settings.
    pub(crate) payment_providers: Arc<crate::modules::payments::provider::PaymentProviders>,
}

impl std::fmt::Debug for Jamaa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jamaa").field("store", &self.store).finish_non_exhaustive()
    }
}

/// A page of a list, in the order of its cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

/// A page and the number of items of the whole list under the same filter, counted in the same transaction.
pub struct CountedPage<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    pub total: u64,
}

/// How long an idempotency key is kept unless configured otherwise.
pub const DEFAULT_IDEMPOTENCY_TTL: chrono::Duration = chrono::Duration::hours(24);

/// How long a login session lasts unless configured otherwise.
pub const DEFAULT_SESSION_TTL: chrono::Duration = chrono::Duration::hours(12);

/// The largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

impl Jamaa {
    /// The use cases over `store`, sealing personal data with data keys wrapped by `keyring`.
    pub fn new(store: Store, keyring: Keyring) -> Self {
        Self {
            store,
            clock: Arc::new(Utc::now),
            keyring: Arc::new(keyring),
            session_ttl: DEFAULT_SESSION_TTL,
            idempotency_ttl: DEFAULT_IDEMPOTENCY_TTL,
            site_origins: site::SiteOrigins::default(),
            payment_providers: Arc::default(),
        }
    }

    /// Sets how long idempotency keys and their answers are kept (at least that long: the scheduler purges
    /// them at its pace).
    pub fn with_idempotency_ttl(mut self, ttl: chrono::Duration) -> Self {
        self.idempotency_ttl = ttl;
        self
    }

    /// Sets how long login sessions last.
    pub fn with_session_ttl(mut self, ttl: chrono::Duration) -> Self {
        self.session_ttl = ttl;
        self
    }

    /// Replaces the clock (tests of deadlines and timers).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The server's address as citizens reach it (`JAMAA_PUBLIC_URL`, else the bound address), without a
    /// trailing slash: the QR codes of issued PDFs lead under it.
    pub(crate) fn public_url(&self) -> &str {
        match self.payment_providers.public_url.trim_end_matches('/') {
            "" => "http://localhost",
            url => url,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Today in the commune's time zone, by the server's clock: the day against which due dates are overdue.
    pub fn today_in(&self, commune: &crate::model::commune::Commune) -> chrono::NaiveDate {
        self.now().with_timezone(&commune.time_zone()).date_naive()
    }

    /// A commune by slug; unknown slugs are NOT_FOUND.
    pub async fn commune(&self, slug: &str) -> Result<Commune, Error> {
        let slug = Slug::parse(slug).map_err(|_| Error::NotFound("commune"))?;
        communes::by_slug(self.store.reader(), self.store.cache(), slug.as_str())
            .await?
            .ok_or(Error::NotFound("commune"))
    }

    /// The commune whose tracking prefix leads a tracking or verification code (`OUJ` of `OUJ-2026-000042`),
    /// if any: public, like the commune's name and languages.
    pub async fn commune_by_tracking_prefix(&self, prefix: &str) -> Result<Option<Commune>, Error> {
        communes::by_tracking_prefix(self.store.conn(), self.store.cache(), prefix).await
    }

    /// A commune by id.
    pub async fn commune_by_id(&self, id: crate::model::ids::TenantId) -> Result<Commune, Error> {
        communes::by_id(self.store.reader(), self.store.cache(), id).await?.ok_or(Error::NotFound("commune"))
    }

    /// A commune by its official code (HCP code for Moroccan communes), if any.
    pub async fn commune_by_official_code(&self, code: &str) -> Result<Option<Commune>, Error> {
        communes::by_official_code(self.store.reader(), self.store.cache(), code).await
    }

    /// Communes in slug order, after the `after` slug. The list of communes is public; training communes are
    /// in it only when asked (`with_training`: operators, the platform's jobs), so that no directory or
    /// national listing shows them.
    pub async fn communes(&self, after: Option<&str>, first: u64, with_training: bool) -> Result<Page<Commune>, Error> {
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let mut items =
            communes::page(self.store.reader(), self.store.cache(), after, first + 1, with_training).await?;
        let has_next = items.len() as u64 > first;
        items.truncate(first as usize);
        Ok(Page { items, has_next })
    }

    /// Every commune, in slug order (for the platform's own jobs: audit verification, key rotation, the CLI).
    pub async fn all_communes(&self) -> Result<Vec<Commune>, Error> {
        let mut all = Vec::new();
        loop {
            let after = all.last().map(|c: &Commune| c.spec.slug.to_string());
            let page = self.communes(after.as_deref(), MAX_PAGE_SIZE, true).await?;
            all.extend(page.items);
            if !page.has_next {
                return Ok(all);
            }
        }
    }

    /// How many communes [`Jamaa::communes`] lists.
    pub async fn commune_count(&self, with_training: bool) -> Result<u64, Error> {
        communes::count(self.store.reader(), with_training).await
    }
}
