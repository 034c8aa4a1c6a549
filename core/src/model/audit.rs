//! Audit events and the per-commune hash chain: each event's hash covers its content and the previous hash,
//! so editing, deleting or reordering any event breaks every hash after it.
//!
//! Beside that chain runs the public one, of links: an event's content hash covers every field but the chain's
//! (the payload included), and its link is `H(previous link, content hash)`. A link can be recomputed from the
//! content hashes alone, so that a citizen checks, without the payloads of others, that a head published earlier
//! is in today's chain and that their own events (whose content they see) are in it ([`verify_proof`]).

use std::fmt;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use uuid::Uuid;

use crate::model::ids::{
    AgendaItemId, CivilActId, CouncilMemberId, CouncilSessionId, DeliberationId, DepartmentId, DisputeId, DocumentId,
    FinanceEntryId, MailId, OnlinePaymentId, PaymentId, PaymentStatementId, ProjectId, RefundId, RequestId, ServiceId,
    StaffId, TenantId, TokenId, UserId,
};

/// The `prev_hash` of a commune's first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub tenant_id: TenantId,
    /// 1, 2, 3, … per commune, without gaps.
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    /// `token:<id>`, `applicant:<tracking code>`, `system`.
    pub actor: String,
    /// The name of its [`AuditKind`] (`request.submitted`, `request.action`, …), kept as recorded.
    pub kind: String,
    /// What the event is about ([`AuditSubject`]): `request:<id>`.
    pub subject: String,
    /// Canonical JSON (sorted keys, no spaces), hashed as is.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
    /// SHA-256 of the event's content ([`content_hash`]), hex.
    pub content_hash: String,
    /// `H(previous link, content hash)` ([`link`]): the public chain.
    pub link: String,
}

/// What an audit event records. Its name (`request.submitted`) is the event's `kind` as stored and hashed: a
/// name never changes, or the chains recorded before would no longer verify.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString, strum::EnumIter, strum::Display,
)]
pub enum AuditKind {
    #[strum(serialize = "access.granted")]
    AccessGranted,
    #[strum(serialize = "access.revoked")]
    AccessRevoked,
    #[strum(serialize = "budget.imported")]
    BudgetImported,
    #[strum(serialize = "calendar.holidays_set")]
    CalendarHolidaysSet,
    #[strum(serialize = "civil_act.document_issued")]
    CivilActDocumentIssued,
    #[strum(serialize = "civil_act.mention_added")]
    CivilActMentionAdded,
    #[strum(serialize = "civil_act.read")]
    CivilActRead,
    #[strum(serialize = "civil_act.registered")]
    CivilActRegistered,
    #[strum(serialize = "commune.created")]
    CommuneCreated,
    #[strum(serialize = "commune.exported")]
    CommuneExported,
    #[strum(serialize = "commune.imported")]
    CommuneImported,
    #[strum(serialize = "commune.onboarded")]
    CommuneOnboarded,
    #[strum(serialize = "commune.site_origins_set")]
    CommuneSiteOriginsSet,
    #[strum(serialize = "commune.training_reset")]
    CommuneTrainingReset,
    #[strum(serialize = "commune.upgraded")]
    CommuneUpgraded,
    #[strum(serialize = "complaint.answer_reminder")]
    ComplaintAnswerReminder,
    #[strum(serialize = "complaint.lapsed")]
    ComplaintLapsed,
    #[strum(serialize = "complaint.moderated")]
    ComplaintModerated,
    #[strum(serialize = "complaint.rated")]
    ComplaintRated,
    #[strum(serialize = "council.agenda_item_added")]
    CouncilAgendaItemAdded,
    #[strum(serialize = "council.decisions_published")]
    CouncilDecisionsPublished,
    #[strum(serialize = "council.deliberation_recorded")]
    CouncilDeliberationRecorded,
    #[strum(serialize = "council.member_added")]
    CouncilMemberAdded,
    #[strum(serialize = "council.session_scheduled")]
    CouncilSessionScheduled,
    #[strum(serialize = "delivery.replayed")]
    DeliveryReplayed,
    #[strum(serialize = "document.issued")]
    DocumentIssued,
    #[strum(serialize = "document.read")]
    DocumentRead,
    #[strum(serialize = "mail.answered")]
    MailAnswered,
    #[strum(serialize = "mail.closed")]
    MailClosed,
    #[strum(serialize = "mail.registered")]
    MailRegistered,
    #[strum(serialize = "mail.reopened")]
    MailReopened,
    #[strum(serialize = "mail.routed")]
    MailRouted,
    #[strum(serialize = "personal_data.read")]
    PersonalDataRead,
    #[strum(serialize = "petition.signed")]
    PetitionSigned,
    #[strum(serialize = "publication.published")]
    PublicationPublished,
    #[strum(serialize = "request.action")]
    RequestAction,
    #[strum(serialize = "request.assigned")]
    RequestAssigned,
    #[strum(serialize = "request.file_downloaded")]
    RequestFileDownloaded,
    #[strum(serialize = "request.submitted")]
    RequestSubmitted,
    #[strum(serialize = "request.timer_guard_failed")]
    RequestTimerGuardFailed,
    /// The holder of a request was reminded that the step it is in is almost due (its state's SLA).
    #[strum(serialize = "request.step_reminder")]
    RequestStepReminder,
    /// A step's due date ended with the request still in its state: the role the state names was told.
    #[strum(serialize = "request.step_escalated")]
    RequestStepEscalated,
    /// A body of a commission gave its opinion on a request, or its silence was counted after its delay.
    #[strum(serialize = "request.opinion")]
    RequestOpinion,
    #[strum(serialize = "service.published")]
    ServicePublished,
    #[strum(serialize = "smtp.updated")]
    SmtpUpdated,
    #[strum(serialize = "template.exported")]
    TemplateExported,
    #[strum(serialize = "token.issued")]
    TokenIssued,
    #[strum(serialize = "token.revoked")]
    TokenRevoked,
    #[strum(serialize = "user.created")]
    UserCreated,
    #[strum(serialize = "user.disabled")]
    UserDisabled,
    #[strum(serialize = "user.enabled")]
    UserEnabled,
    #[strum(serialize = "user.password_reset")]
    UserPasswordReset,
    #[strum(serialize = "webhook.created")]
    WebhookCreated,
    #[strum(serialize = "webhook.deleted")]
    WebhookDeleted,
    #[strum(serialize = "webhook.updated")]
    WebhookUpdated,
    #[strum(serialize = "staff.recorded")]
    StaffRecorded,
    #[strum(serialize = "staff.updated")]
    StaffUpdated,
    #[strum(serialize = "staff.personal_read")]
    StaffPersonalRead,
    #[strum(serialize = "staff.leave_recorded")]
    StaffLeaveRecorded,
    #[strum(serialize = "staff.leave_cancelled")]
    StaffLeaveCancelled,
    #[strum(serialize = "department.saved")]
    DepartmentSaved,
    #[strum(serialize = "project.created")]
    ProjectCreated,
    #[strum(serialize = "project.updated")]
    ProjectUpdated,
    #[strum(serialize = "project.milestone_saved")]
    ProjectMilestoneSaved,
    #[strum(serialize = "project.progress_recorded")]
    ProjectProgressRecorded,
    #[strum(serialize = "dispute.opened")]
    DisputeOpened,
    #[strum(serialize = "dispute.parties_read")]
    DisputePartiesRead,
    #[strum(serialize = "dispute.hearing_set")]
    DisputeHearingSet,
    #[strum(serialize = "dispute.hearing_outcome")]
    DisputeHearingOutcome,
    #[strum(serialize = "dispute.hearing_reminder")]
    DisputeHearingReminder,
    #[strum(serialize = "dispute.decided")]
    DisputeDecided,
    #[strum(serialize = "dispute.appealed")]
    DisputeAppealed,
    #[strum(serialize = "dispute.closed")]
    DisputeClosed,
    #[strum(serialize = "finance.commitment_recorded")]
    CommitmentRecorded,
    #[strum(serialize = "finance.commitment_approved")]
    CommitmentApproved,
    #[strum(serialize = "finance.payment_ordered")]
    PaymentOrdered,
    #[strum(serialize = "finance.payment_recorded")]
    PaymentRecorded,
    #[strum(serialize = "finance.title_recorded")]
    RevenueTitleRecorded,
    #[strum(serialize = "finance.collection_recorded")]
    CollectionRecorded,
    #[strum(serialize = "finance.entry_corrected")]
    FinanceEntryCorrected,
    #[strum(serialize = "payment.recorded")]
    PaymentCollected,
    #[strum(serialize = "payment.cancelled")]
    PaymentCancelled,
    #[strum(serialize = "payment.online_started")]
    OnlinePaymentStarted,
    #[strum(serialize = "payment.online_paid")]
    OnlinePaymentPaid,
    #[strum(serialize = "payment.online_refused")]
    OnlinePaymentRefused,
    #[strum(serialize = "payment.callback_refused")]
    PaymentCallbackRefused,
    #[strum(serialize = "payment.statement_imported")]
    PaymentStatementImported,
    #[strum(serialize = "payment.refund_requested")]
    RefundRequested,
    #[strum(serialize = "payment.refund_approved")]
    RefundApproved,
    #[strum(serialize = "payment.refund_rejected")]
    RefundRejected,
    #[strum(serialize = "dispute.updated")]
    DisputeUpdated,
    #[strum(serialize = "dispute.document_added")]
    DisputeDocumentAdded,
    #[strum(serialize = "dispute.document_read")]
    DisputeDocumentRead,
}

impl AuditKind {
    /// The kind's name, as stored and hashed.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What an audit event is about, written `<subject>:<id>` (`request:<id>`) in the event's `subject` as stored and
/// hashed; the smtp settings, one per commune, are `smtp`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AuditSubject {
    AgendaItem(AgendaItemId),
    /// A budget by its year.
    Budget(i32),
    CivilAct(CivilActId),
    Commune(TenantId),
    CouncilMember(CouncilMemberId),
    CouncilSession(CouncilSessionId),
    Deliberation(DeliberationId),
    /// A webhook delivery.
    Delivery(Uuid),
    Document(DocumentId),
    /// A project of the commune's action plan.
    Project(ProjectId),
    Mail(MailId),
    /// An item of the proactive publication list, by its key.
    Publication(String),
    Request(RequestId),
    Service(ServiceId),
    Smtp,
    /// A template bundle, by its reference (`name@version`).
    Template(String),
    Token(TokenId),
    User(UserId),
    /// A webhook endpoint.
    Webhook(Uuid),
    /// A staff record (human resources).
    Staff(StaffId),
    /// A department of the organisation chart.
    Department(DepartmentId),
    /// A dispute (a court case of the commune).
    Dispute(DisputeId),
    /// A recorded expenditure or revenue entry.
    FinanceEntry(FinanceEntryId),
    /// A payment of a fee, or its cancellation.
    Payment(PaymentId),
    /// A payment started online.
    OnlinePayment(OnlinePaymentId),
    /// An imported provider statement.
    PaymentStatement(PaymentStatementId),
    /// A refund of an online payment.
    Refund(RefundId),
    /// The provider's callbacks of the commune that were refused (one subject for all).
    PaymentCallbacks,
}

impl fmt::Display for AuditSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AgendaItem(id) => write!(f, "agenda_item:{id}"),
            Self::Budget(year) => write!(f, "budget:{year}"),
            Self::Project(id) => write!(f, "project:{id}"),
            Self::CivilAct(id) => write!(f, "civil_act:{id}"),
            Self::Commune(id) => write!(f, "commune:{id}"),
            Self::CouncilMember(id) => write!(f, "council_member:{id}"),
            Self::CouncilSession(id) => write!(f, "council_session:{id}"),
            Self::Deliberation(id) => write!(f, "deliberation:{id}"),
            Self::Delivery(id) => write!(f, "delivery:{id}"),
            Self::Document(id) => write!(f, "document:{id}"),
            Self::Mail(id) => write!(f, "mail:{id}"),
            Self::Publication(key) => write!(f, "publication:{key}"),
            Self::Request(id) => write!(f, "request:{id}"),
            Self::Service(id) => write!(f, "service:{id}"),
            Self::Smtp => f.write_str("smtp"),
            Self::Template(reference) => write!(f, "template:{reference}"),
            Self::Token(id) => write!(f, "token:{id}"),
            Self::User(id) => write!(f, "user:{id}"),
            Self::Webhook(id) => write!(f, "webhook:{id}"),
            Self::Staff(id) => write!(f, "staff:{id}"),
            Self::Department(id) => write!(f, "department:{id}"),
            Self::Dispute(id) => write!(f, "dispute:{id}"),
            Self::FinanceEntry(id) => write!(f, "finance-entry:{id}"),
            Self::Payment(id) => write!(f, "payment:{id}"),
            Self::OnlinePayment(id) => write!(f, "online-payment:{id}"),
            Self::PaymentStatement(id) => write!(f, "payment-statement:{id}"),
            Self::Refund(id) => write!(f, "refund:{id}"),
            Self::PaymentCallbacks => f.write_str("payment-callbacks"),
        }
    }
}

/// An event before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: String,
    pub kind: AuditKind,
    pub subject: AuditSubject,
    pub payload: serde_json::Value,
}

impl NewEvent {
    pub fn new(actor: impl Into<String>, kind: AuditKind, subject: AuditSubject, payload: serde_json::Value) -> Self {
        Self { actor: actor.into(), kind, subject, payload }
    }

    /// Chains the event after `prev_hash` (and `prev_link`) as event number `sequence`. The time is kept to the
    /// microsecond, the precision both databases store.
    pub fn chain(
        self,
        tenant_id: TenantId,
        sequence: i64,
        occurred_at: DateTime<Utc>,
        prev_hash: &str,
        prev_link: &str,
    ) -> AuditEvent {
        let occurred_at = occurred_at.trunc_subsecs(6);
        // serde_json's default map is ordered by key, so this is canonical.
        let payload = self.payload.to_string();
        let mut event = AuditEvent {
            tenant_id,
            sequence,
            occurred_at,
            actor: self.actor,
            kind: self.kind.as_str().to_owned(),
            subject: self.subject.to_string(),
            payload,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
            content_hash: String::new(),
            link: String::new(),
        };
        event.hash = event.compute_hash();
        event.content_hash = event.compute_content_hash();
        event.link = link(prev_link, &event.content_hash);
        event
    }
}

impl AuditEvent {
    /// SHA-256 over every field but the hash itself, each length-prefixed so that no two events collide by
    /// moving text from one field to the next.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let time = self.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let sequence = self.sequence.to_string();
        let tenant = self.tenant_id.to_string();
        for part in [
            tenant.as_str(),
            sequence.as_str(),
            time.as_str(),
            self.actor.as_str(),
            self.kind.as_str(),
            self.subject.as_str(),
            self.payload.as_str(),
            self.prev_hash.as_str(),
        ] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part.as_bytes());
        }
        hex::encode(hasher.finalize())
    }

    /// The hash of the event's content: [`content_hash`] of its fields.
    pub fn compute_content_hash(&self) -> String {
        content_hash(
            self.tenant_id,
            self.sequence,
            &self.occurred_at,
            &self.actor,
            &self.kind,
            &self.subject,
            &self.payload,
        )
    }
}

/// SHA-256 over an event's content (commune, sequence, time to the microsecond, actor, kind, subject, payload),
/// each part length-prefixed; hex. It leaves the chain out, so that it can be published without the content.
pub fn content_hash(
    tenant_id: TenantId,
    sequence: i64,
    occurred_at: &DateTime<Utc>,
    actor: &str,
    kind: &str,
    subject: &str,
    payload: &str,
) -> String {
    content_hash_at(tenant_id, sequence, &HashedTime::of(occurred_at), actor, kind, subject, payload)
}

/// [`content_hash`] with the time as hashed: what a proof's verifier has, without reading dates.
fn content_hash_at(
    tenant_id: TenantId,
    sequence: i64,
    time: &HashedTime,
    actor: &str,
    kind: &str,
    subject: &str,
    payload: &str,
) -> String {
    let sequence = sequence.to_string();
    let tenant = tenant_id.to_string();
    hash_parts(&[&tenant, &sequence, time.as_str(), actor, kind, subject, payload])
}

/// An event's time as its content hash covers it: RFC 3339 in UTC to the microsecond, with `Z`
/// (`2026-03-02T09:00:00.001234Z`).
///
/// A proof carries its events' times in this form. Read from text ([`HashedTime::parse`]), any spelling of a UTC
/// time in RFC 3339 (`+00:00` or `Z`, a fraction of 0 to 9 digits, as the API's `DateTime` gives it) is brought to
/// it, with nothing but string operations: the SDK checks proofs without linking a date parser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HashedTime(String);

impl HashedTime {
    /// The hashed form of a time (truncated to the microsecond).
    pub fn of(at: &DateTime<Utc>) -> Self {
        Self(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    }

    /// Reads a UTC time in RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00|-00:00)`, `T` or `t`, `Z` or `z`)
    /// into its hashed form; `None` for anything else, another offset included. Digits beyond the microsecond
    /// must be zeros: the chain keeps microseconds.
    pub fn parse(text: &str) -> Option<Self> {
        let (rest, offset) = if let Some(rest) = text.strip_suffix(['Z', 'z']) {
            (rest, "")
        } else {
            let (rest, offset) = text.split_at_checked(text.len().checked_sub(6)?)?;
            (rest, offset)
        };
        if !offset.is_empty() && offset != "+00:00" && offset != "-00:00" {
            return None;
        }
        let (seconds, fraction) = rest.split_once('.').unwrap_or((rest, ""));
        let shape = seconds.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T' || b == b't',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
        let (micros, beyond) = fraction.split_at(fraction.len().min(6));
        if seconds.len() != 19
            || !shape
            || (rest.contains('.') && fraction.is_empty())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || beyond.len() > 3
            || beyond.bytes().any(|b| b != b'0')
        {
            return None;
        }
        let (date, time) = seconds.split_at(10);
        Some(Self(format!("{date}T{}.{micros:0<6}Z", &time[1..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The time itself.
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.0).ok().map(|at| at.with_timezone(&Utc))
    }
}

impl TryFrom<String> for HashedTime {
    type Error = &'static str;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or("a UTC time in RFC 3339, to the microsecond at most")
    }
}

impl From<HashedTime> for String {
    fn from(time: HashedTime) -> Self {
        time.0
    }
}

/// An event's link in the public chain: SHA-256 of the previous link and the event's content hash (each
/// length-prefixed), hex. The first event's previous link is [`GENESIS_HASH`].
pub fn link(prev_link: &str, content_hash: &str) -> String {
    hash_parts(&[prev_link, content_hash])
}

fn hash_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// A commune's chain head, which anyone may read and keep: an event rewritten, removed or reordered later
/// changes every hash from it on, so a head kept earlier no longer matches the chain at its sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditHead {
    /// The number of events in the chain (the last one's sequence).
    pub sequence: i64,
    /// The last event's hash (the genesis hash before any event).
    pub hash: String,
    /// The last event's link in the public chain (the genesis hash before any event).
    pub link: String,
    /// When the last event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// A head the commune published (the scheduler's daily pass, when the chain moved): an append-only history that
/// anyone reads, from which a citizen picks the head to ask a proof since ([`AuditProof`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedHead {
    /// The day (UTC) it was published.
    pub day: NaiveDate,
    pub sequence: i64,
    pub hash: String,
    pub link: String,
    /// When its last event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
}

/// The result of checking a commune's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub valid: bool,
    pub events_checked: i64,
    /// The hash of the last event: publish it so that history cannot be rewritten unseen.
    pub head_hash: String,
    /// The first broken event, if any.
    pub first_broken_sequence: Option<i64>,
    pub problem: Option<String>,
}

/// Checks a chain given in sequence order, stopping at the first broken link.
pub fn verify_chain<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> ChainReport {
    let mut checker = ChainChecker::default();
    for event in events {
        if !checker.push(event) {
            break;
        }
    }
    checker.finish()
}

/// Checks a chain event by event, so that a long chain can be streamed from storage.
#[derive(Clone, Debug)]
pub struct ChainChecker {
    expected_sequence: i64,
    prev_hash: String,
    prev_link: String,
    broken: Option<(i64, String)>,
}

impl Default for ChainChecker {
    fn default() -> Self {
        Self {
            expected_sequence: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            prev_link: GENESIS_HASH.to_owned(),
            broken: None,
        }
    }
}

impl ChainChecker {
    /// Checks the next event; false once the chain is broken.
    pub fn push(&mut self, event: &AuditEvent) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let problem = if event.sequence != self.expected_sequence {
            Some(format!("expected event #{}, found #{}", self.expected_sequence, event.sequence))
        } else if event.prev_hash != self.prev_hash {
            Some(format!("event #{} does not follow the previous event's hash", event.sequence))
        } else if event.compute_hash() != event.hash || event.compute_content_hash() != event.content_hash {
            Some(format!("event #{} was changed after it was recorded", event.sequence))
        } else if link(&self.prev_link, &event.content_hash) != event.link {
            Some(format!("event #{} does not follow the previous event's link", event.sequence))
        } else {
            None
        };
        match problem {
            Some(problem) => {
                self.broken = Some((event.sequence, problem));
                false
            }
            None => {
                self.expected_sequence += 1;
                self.prev_hash.clone_from(&event.hash);
                self.prev_link.clone_from(&event.link);
                true
            }
        }
    }

    /// The link of the last event checked (the genesis hash before any).
    pub fn link(&self) -> &str {
        &self.prev_link
    }

    pub fn finish(self) -> ChainReport {
        let events_checked = self.expected_sequence - 1;
        match self.broken {
            Some((sequence, problem)) => ChainReport {
                valid: false,
                events_checked,
                head_hash: self.prev_hash,
                first_broken_sequence: Some(sequence),
                problem: Some(problem),
            },
            None => ChainReport {
                valid: true,
                events_checked,
                head_hash: self.prev_hash,
                first_broken_sequence: None,
                problem: None,
            },
        }
    }
}

/// The most events one proof covers: a proof from further back is refused (`OUT_OF_RANGE` at `since`), and the
/// citizen asks from a more recent published head.
pub const MAX_PROOF_EVENTS: i64 = 10_000;

/// A head someone kept: one the commune published (`auditHeads`), or the head of a day (`auditHead`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeptHead {
    /// The commune's slug, when the kept head names it.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub commune: Option<String>,
    pub sequence: i64,
    pub link: String,
}

/// What lets a citizen check, without trusting the server, that a head kept earlier is in the commune's chain
/// today and that the events of their request are in it: every link from `since` to the head, with the content
/// hashes they are computed from, and the content of the request's own events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditProof {
    /// The commune's slug.
    pub commune: String,
    /// The commune's id, part of every event's content hash.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub tenant_id: TenantId,
    /// What the request's events are about: `request:<id>`.
    pub subject: String,
    /// The sequence the proof starts after, and the link there (the genesis hash at 0).
    pub since: i64,
    pub since_link: String,
    /// Every event after `since` up to the head, in order; the last one is the head when the proof was made.
    pub steps: Vec<ProofStep>,
}

/// One event of a proof: its content hash and link, and its content when it is one of the request's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditProofStep"))]
pub struct ProofStep {
    pub sequence: i64,
    pub content_hash: String,
    pub link: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub event: Option<ProvenEvent>,
}

/// The content of one of the request's events, from which its content hash is recomputed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditProofEvent"))]
pub struct ProvenEvent {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub occurred_at: HashedTime,
    pub actor: String,
    pub kind: String,
    pub subject: String,
    /// Canonical JSON, as hashed.
    pub payload: String,
}

/// Why a proof does not hold: stable codes, for a client to word in its language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditProofProblem"))]
pub enum ProofProblem {
    /// The kept head names another commune.
    OtherCommune,
    /// The kept head's sequence is not between the proof's start and its end.
    HeadOutsideProof,
    /// The chain holds another link at the kept head's sequence: history was rewritten behind it.
    HeadMismatch,
    /// An event is missing or out of order.
    SequenceGap,
    /// A link is not the hash of the previous link and the event's content hash.
    LinkBroken,
    /// A shown event's content does not give its content hash.
    ContentChanged,
    /// A shown event is about another subject than the proof's.
    OtherSubject,
}

impl ProofProblem {
    /// The problem's stable code, as serialized (`HEAD_MISMATCH`).
    pub fn code(self) -> &'static str {
        match self {
            Self::OtherCommune => "OTHER_COMMUNE",
            Self::HeadOutsideProof => "HEAD_OUTSIDE_PROOF",
            Self::HeadMismatch => "HEAD_MISMATCH",
            Self::SequenceGap => "SEQUENCE_GAP",
            Self::LinkBroken => "LINK_BROKEN",
            Self::ContentChanged => "CONTENT_CHANGED",
            Self::OtherSubject => "OTHER_SUBJECT",
        }
    }
}

/// The result of checking a proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditProofReport"))]
pub struct ProofReport {
    pub valid: bool,
    /// Where the proof ends: the commune's head when it was made, to keep in place of the older one.
    pub head_sequence: i64,
    pub head_link: String,
    /// The sequences of the request's events, each checked against its content.
    pub own_events: Vec<i64>,
    pub problem: Option<ProofProblem>,
    /// The sequence where the proof first fails.
    pub broken_sequence: Option<i64>,
}

/// Checks a proof against a head kept earlier, with nothing but SHA-256: every link follows from the previous
/// one and its event's content hash, each shown event gives its content hash, and the kept head's link is the
/// chain's at its sequence.
pub fn verify_proof(proof: &AuditProof, kept: &KeptHead) -> ProofReport {
    let mut report = ProofReport {
        valid: false,
        head_sequence: proof.since,
        head_link: proof.since_link.clone(),
        own_events: Vec::new(),
        problem: None,
        broken_sequence: None,
    };
    let fail = |mut report: ProofReport, problem: ProofProblem, sequence: i64| {
        report.problem = Some(problem);
        report.broken_sequence = Some(sequence);
        report
    };
    if kept.commune.as_deref().is_some_and(|commune| commune != proof.commune) {
        return fail(report, ProofProblem::OtherCommune, kept.sequence);
    }
    let mut kept_found = false;
    if kept.sequence == proof.since {
        if kept.link != proof.since_link {
            return fail(report, ProofProblem::HeadMismatch, kept.sequence);
        }
        kept_found = true;
    }
    for step in &proof.steps {
        if step.sequence != report.head_sequence + 1 {
            return fail(report, ProofProblem::SequenceGap, step.sequence);
        }
        if link(&report.head_link, &step.content_hash) != step.link {
            return fail(report, ProofProblem::LinkBroken, step.sequence);
        }
        if let Some(event) = &step.event {
            let hash = content_hash_at(
                proof.tenant_id,
                step.sequence,
                &event.occurred_at,
                &event.actor,
                &event.kind,
                &event.subject,
                &event.payload,
            );
            if hash != step.content_hash {
                return fail(report, ProofProblem::ContentChanged, step.sequence);
            }
            if event.subject != proof.subject {
                return fail(report, ProofProblem::OtherSubject, step.sequence);
            }
            report.own_events.push(step.sequence);
        }
        if step.sequence == kept.sequence {
            if step.link != kept.link {
                return fail(report, ProofProblem::HeadMismatch, step.sequence);
            }
            kept_found = true;
        }
        report.head_sequence = step.sequence;
        report.head_link.clone_from(&step.link);
    }
    if !kept_found {
        return fail(report, ProofProblem::HeadOutsideProof, kept.sequence);
    }
    report.valid = true;
    report
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// The subject of the chain's request `n`.
    fn request(n: i64) -> AuditSubject {
        AuditSubject::Request(RequestId::from_uuid(Uuid::from_u128(n.unsigned_abs().into())))
    }

    fn chain(n: i64) -> Vec<AuditEvent> {
        let tenant = TenantId::new();
        let mut prev = GENESIS_HASH.to_owned();
        let mut prev_link = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|sequence| {
                let time = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
                    + chrono::Duration::nanoseconds(sequence * 1_234_567);
                let event = NewEvent::new(
                    "system",
                    AuditKind::RequestSubmitted,
                    request(sequence),
                    serde_json::json!({"b": 1, "a": [sequence]}),
                )
                .chain(tenant, sequence, time, &prev, &prev_link);
                prev.clone_from(&event.hash);
                prev_link.clone_from(&event.link);
                event
            })
            .collect()
    }

    #[test]
    fn a_utc_time_is_read_in_any_rfc3339_spelling_into_its_hashed_form() {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + chrono::Duration::microseconds(1_230);
        let hashed = HashedTime::of(&at);
        assert_eq!(hashed.as_str(), "2026-03-02T09:00:00.001230Z");
        for spelling in [
            "2026-03-02T09:00:00.001230Z",
            "2026-03-02T09:00:00.00123+00:00",
            "2026-03-02t09:00:00.001230000z",
            "2026-03-02T09:00:00.001230-00:00",
            &at.to_rfc3339(),
            serde_json::to_value(at).unwrap().as_str().unwrap(),
        ] {
            assert_eq!(HashedTime::parse(spelling).as_ref(), Some(&hashed), "{spelling}");
        }
        assert_eq!(HashedTime::parse("2026-03-02T09:00:00Z").unwrap().as_str(), "2026-03-02T09:00:00.000000Z");
        assert_eq!(hashed.to_datetime(), Some(at));
        for refused in [
            "2026-03-02T10:00:00.001230+01:00",
            "2026-03-02T09:00:00.0012301Z",
            "2026-03-02T09:00:00.Z",
            "2026-03-02 09:00:00Z",
            "2026-3-02T09:00:00Z",
            "2026-03-02T09:00:00",
            "Z",
            "",
        ] {
            assert_eq!(HashedTime::parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let report = verify_chain(&events);
        assert!(report.valid, "{report:?}");
        assert_eq!(report.events_checked, 5);
        assert_eq!(report.head_hash, events[4].hash);
        assert_eq!(events[0].payload, r#"{"a":[1],"b":1}"#);
        assert_eq!(verify_chain(&[]).head_hash, GENESIS_HASH);
    }

    #[test]
    fn every_kind_of_tampering_is_found() {
        type Tamper = fn(&mut Vec<AuditEvent>);
        let cases: [(&str, Tamper, i64); 8] = [
            ("payload edited", |e| e[2].payload = r#"{"a":[3],"b":2}"#.into(), 3),
            ("actor edited", |e| e[1].actor = "token:someone-else".into(), 2),
            ("time edited", |e| e[3].occurred_at += chrono::Duration::seconds(1), 4),
            (
                "event deleted",
                |e| {
                    e.remove(2);
                },
                4,
            ),
            ("events swapped", |e| e.swap(1, 2), 3),
            (
                "hash recomputed after an edit",
                |e| {
                    e[1].kind = "request.deleted".into();
                    e[1].hash = e[1].compute_hash();
                },
                // Its content hash no longer matches.
                2,
            ),
            (
                "hashes and link recomputed after an edit",
                |e| {
                    e[1].kind = "request.deleted".into();
                    e[1].hash = e[1].compute_hash();
                    e[1].content_hash = e[1].compute_content_hash();
                    e[1].link = link(&e[0].link, &e[1].content_hash);
                },
                3,
            ),
            ("link rewritten", |e| e[2].link = GENESIS_HASH.into(), 3),
        ];
        for (name, tamper, broken_at) in cases {
            let mut events = chain(5);
            tamper(&mut events);
            let report = verify_chain(&events);
            assert!(!report.valid, "{name}");
            assert_eq!(report.first_broken_sequence, Some(broken_at), "{name}: {report:?}");
        }
    }

    fn proof_of(events: &[AuditEvent], since: usize, own: &str) -> AuditProof {
        AuditProof {
            commune: "oujda".into(),
            tenant_id: events[0].tenant_id,
            subject: own.into(),
            since: since as i64,
            since_link: if since == 0 { GENESIS_HASH.into() } else { events[since - 1].link.clone() },
            steps: events[since..]
                .iter()
                .map(|e| ProofStep {
                    sequence: e.sequence,
                    content_hash: e.content_hash.clone(),
                    link: e.link.clone(),
                    event: (e.subject == own).then(|| ProvenEvent {
                        occurred_at: HashedTime::of(&e.occurred_at),
                        actor: e.actor.clone(),
                        kind: e.kind.clone(),
                        subject: e.subject.clone(),
                        payload: e.payload.clone(),
                    }),
                })
                .collect(),
        }
    }

    #[test]
    fn a_proof_links_a_kept_head_to_the_request_events() {
        let events = chain(8);
        let kept = KeptHead { commune: Some("oujda".into()), sequence: 3, link: events[2].link.clone() };
        let proof = proof_of(&events, 3, &request(5).to_string());
        let report = verify_proof(&proof, &kept);
        assert!(report.valid, "{report:?}");
        assert_eq!(report.own_events, vec![5]);
        assert_eq!((report.head_sequence, report.head_link.as_str()), (8, events[7].link.as_str()));
        // A head kept inside the proof's span is checked too; one from the genesis as well.
        let inside = KeptHead { commune: None, sequence: 6, link: events[5].link.clone() };
        assert!(verify_proof(&proof, &inside).valid);
        assert!(
            verify_proof(
                &proof_of(&events, 0, &request(1).to_string()),
                &KeptHead { commune: None, sequence: 0, link: GENESIS_HASH.into() }
            )
            .valid
        );
        // A public link is the chain's: recomputed from the content hashes alone.
        assert_eq!(link(&events[3].link, &events[4].content_hash), events[4].link);
    }

    #[test]
    fn a_tampered_proof_fails() {
        let events = chain(8);
        let kept = KeptHead { commune: Some("oujda".into()), sequence: 3, link: events[2].link.clone() };
        type Tamper = fn(&mut AuditProof, &mut KeptHead);
        let cases: [(&str, Tamper, ProofProblem, i64); 8] = [
            ("content hash altered", |p, _| p.steps[1].content_hash = GENESIS_HASH.into(), ProofProblem::LinkBroken, 5),
            (
                "payload altered",
                |p, _| {
                    if let Some(e) = p.steps[1].event.as_mut() {
                        e.payload = r#"{"a":[6],"b":1}"#.into();
                    }
                },
                ProofProblem::ContentChanged,
                5,
            ),
            ("event removed", |p, _| drop(p.steps.remove(2)), ProofProblem::SequenceGap, 7),
            (
                "kept head of another commune",
                |_, k| k.commune = Some("chefchaouen".into()),
                ProofProblem::OtherCommune,
                3,
            ),
            ("kept head rewritten", |_, k| k.link = GENESIS_HASH.into(), ProofProblem::HeadMismatch, 3),
            (
                "kept head inside rewritten",
                |_, k| {
                    k.sequence = 6;
                    k.link = GENESIS_HASH.into();
                },
                ProofProblem::HeadMismatch,
                6,
            ),
            ("kept head later than the proof", |_, k| k.sequence = 9, ProofProblem::HeadOutsideProof, 9),
            (
                "an event of another subject shown",
                |p, _| {
                    p.subject = request(4).to_string();
                },
                ProofProblem::OtherSubject,
                5,
            ),
        ];
        for (name, tamper, problem, at) in cases {
            let mut proof = proof_of(&events, 3, &request(5).to_string());
            let mut kept = kept.clone();
            tamper(&mut proof, &mut kept);
            let report = verify_proof(&proof, &kept);
            assert!(!report.valid, "{name}");
            assert_eq!((report.problem, report.broken_sequence), (Some(problem), Some(at)), "{name}");
        }
    }

    /// The names recorded in chains before the kinds were typed: each kind keeps its name, or those chains would
    /// no longer verify.
    #[test]
    fn every_kind_keeps_the_name_its_events_were_recorded_with() {
        use strum::IntoEnumIterator;
        let names = [
            (AuditKind::AccessGranted, "access.granted"),
            (AuditKind::AccessRevoked, "access.revoked"),
            (AuditKind::BudgetImported, "budget.imported"),
            (AuditKind::CalendarHolidaysSet, "calendar.holidays_set"),
            (AuditKind::CivilActDocumentIssued, "civil_act.document_issued"),
            (AuditKind::CivilActMentionAdded, "civil_act.mention_added"),
            (AuditKind::CivilActRead, "civil_act.read"),
            (AuditKind::CivilActRegistered, "civil_act.registered"),
            (AuditKind::CommuneCreated, "commune.created"),
            (AuditKind::CommuneExported, "commune.exported"),
            (AuditKind::CommuneImported, "commune.imported"),
            (AuditKind::CommuneOnboarded, "commune.onboarded"),
            (AuditKind::CommuneSiteOriginsSet, "commune.site_origins_set"),
            (AuditKind::CommuneTrainingReset, "commune.training_reset"),
            (AuditKind::CommuneUpgraded, "commune.upgraded"),
            (AuditKind::ComplaintAnswerReminder, "complaint.answer_reminder"),
            (AuditKind::ComplaintLapsed, "complaint.lapsed"),
            (AuditKind::ComplaintModerated, "complaint.moderated"),
            (AuditKind::ComplaintRated, "complaint.rated"),
            (AuditKind::CouncilAgendaItemAdded, "council.agenda_item_added"),
            (AuditKind::CouncilDecisionsPublished, "council.decisions_published"),
            (AuditKind::CouncilDeliberationRecorded, "council.deliberation_recorded"),
            (AuditKind::CouncilMemberAdded, "council.member_added"),
            (AuditKind::CouncilSessionScheduled, "council.session_scheduled"),
            (AuditKind::DeliveryReplayed, "delivery.replayed"),
            (AuditKind::DocumentIssued, "document.issued"),
            (AuditKind::DocumentRead, "document.read"),
            (AuditKind::MailAnswered, "mail.answered"),
            (AuditKind::MailClosed, "mail.closed"),
            (AuditKind::MailRegistered, "mail.registered"),
            (AuditKind::MailReopened, "mail.reopened"),
            (AuditKind::MailRouted, "mail.routed"),
            (AuditKind::PersonalDataRead, "personal_data.read"),
            (AuditKind::PetitionSigned, "petition.signed"),
            (AuditKind::PublicationPublished, "publication.published"),
            (AuditKind::RequestAction, "request.action"),
            (AuditKind::RequestAssigned, "request.assigned"),
            (AuditKind::RequestFileDownloaded, "request.file_downloaded"),
            (AuditKind::RequestSubmitted, "request.submitted"),
            (AuditKind::ProjectCreated, "project.created"),
            (AuditKind::ProjectUpdated, "project.updated"),
            (AuditKind::ProjectMilestoneSaved, "project.milestone_saved"),
            (AuditKind::ProjectProgressRecorded, "project.progress_recorded"),
            (AuditKind::RequestTimerGuardFailed, "request.timer_guard_failed"),
            (AuditKind::RequestStepReminder, "request.step_reminder"),
            (AuditKind::RequestStepEscalated, "request.step_escalated"),
            (AuditKind::RequestOpinion, "request.opinion"),
            (AuditKind::ServicePublished, "service.published"),
            (AuditKind::SmtpUpdated, "smtp.updated"),
            (AuditKind::TemplateExported, "template.exported"),
            (AuditKind::TokenIssued, "token.issued"),
            (AuditKind::TokenRevoked, "token.revoked"),
            (AuditKind::UserCreated, "user.created"),
            (AuditKind::UserDisabled, "user.disabled"),
            (AuditKind::UserEnabled, "user.enabled"),
            (AuditKind::UserPasswordReset, "user.password_reset"),
            (AuditKind::WebhookCreated, "webhook.created"),
            (AuditKind::WebhookDeleted, "webhook.deleted"),
            (AuditKind::WebhookUpdated, "webhook.updated"),
            (AuditKind::StaffRecorded, "staff.recorded"),
            (AuditKind::StaffUpdated, "staff.updated"),
            (AuditKind::StaffPersonalRead, "staff.personal_read"),
            (AuditKind::StaffLeaveRecorded, "staff.leave_recorded"),
            (AuditKind::StaffLeaveCancelled, "staff.leave_cancelled"),
            (AuditKind::DepartmentSaved, "department.saved"),
            (AuditKind::DisputeOpened, "dispute.opened"),
            (AuditKind::DisputePartiesRead, "dispute.parties_read"),
            (AuditKind::DisputeHearingSet, "dispute.hearing_set"),
            (AuditKind::DisputeHearingOutcome, "dispute.hearing_outcome"),
            (AuditKind::DisputeHearingReminder, "dispute.hearing_reminder"),
            (AuditKind::DisputeDecided, "dispute.decided"),
            (AuditKind::DisputeAppealed, "dispute.appealed"),
            (AuditKind::DisputeClosed, "dispute.closed"),
            (AuditKind::CommitmentRecorded, "finance.commitment_recorded"),
            (AuditKind::CommitmentApproved, "finance.commitment_approved"),
            (AuditKind::PaymentOrdered, "finance.payment_ordered"),
            (AuditKind::PaymentRecorded, "finance.payment_recorded"),
            (AuditKind::RevenueTitleRecorded, "finance.title_recorded"),
            (AuditKind::CollectionRecorded, "finance.collection_recorded"),
            (AuditKind::FinanceEntryCorrected, "finance.entry_corrected"),
            (AuditKind::PaymentCollected, "payment.recorded"),
            (AuditKind::PaymentCancelled, "payment.cancelled"),
            (AuditKind::OnlinePaymentStarted, "payment.online_started"),
            (AuditKind::OnlinePaymentPaid, "payment.online_paid"),
            (AuditKind::OnlinePaymentRefused, "payment.online_refused"),
            (AuditKind::PaymentCallbackRefused, "payment.callback_refused"),
            (AuditKind::PaymentStatementImported, "payment.statement_imported"),
            (AuditKind::RefundRequested, "payment.refund_requested"),
            (AuditKind::RefundApproved, "payment.refund_approved"),
            (AuditKind::RefundRejected, "payment.refund_rejected"),
            (AuditKind::DisputeUpdated, "dispute.updated"),
            (AuditKind::DisputeDocumentAdded, "dispute.document_added"),
            (AuditKind::DisputeDocumentRead, "dispute.document_read"),
        ];
        assert_eq!(names.len(), AuditKind::iter().count(), "a kind without its recorded name here");
        for (kind, name) in names {
            assert_eq!(kind.as_str(), name);
            assert_eq!(kind.to_string(), name);
            assert_eq!(name.parse::<AuditKind>(), Ok(kind));
        }
    }

    #[test]
    fn a_subject_is_written_as_it_was_recorded() {
        let id = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        assert_eq!(request(1).to_string(), "request:00000000-0000-0000-0000-000000000001");
        assert_eq!(AuditSubject::Commune(TenantId::from_uuid(id)).to_string(), format!("commune:{id}"));
        assert_eq!(AuditSubject::CivilAct(CivilActId::from_uuid(id)).to_string(), format!("civil_act:{id}"));
        assert_eq!(
            AuditSubject::CouncilMember(CouncilMemberId::from_uuid(id)).to_string(),
            format!("council_member:{id}")
        );
        assert_eq!(AuditSubject::Budget(2026).to_string(), "budget:2026");
        assert_eq!(AuditSubject::Template("bureau-ordre@3".into()).to_string(), "template:bureau-ordre@3");
        assert_eq!(AuditSubject::Smtp.to_string(), "smtp");
    }
}
