//! The watiqa path: a citizen's online request for an extract or a full copy of an act, matched to the register
//! and answered from it. The request names its act by number and year (every office of the commune), or, when
//! the applicant asks for their own act, by their national id: its blind index under the register's label is
//! recorded at submission, while the value is still in clear, so that matching never opens a sealed field.
//! The civil registrar sees the match on the file, issues the register's own verifiable document from it (the
//! document, the request's step and the audit events in one transaction; the applicant reads and downloads it
//! when tracking) or refuses the request with a reason the applicant reads.

use crate::auth::{Permission, Principal};
use crate::crypto::{self, Keyring};
use crate::error::{Error, FieldErrorCode};
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{CivilActId, RequestId};
use crate::model::national_id;
use crate::model::request::TrackingCode;
use crate::model::workflow::{Actor, Outcome};
use crate::modules::civil_status::model::{ActLookup, RequestedDocument, act_lookup, requested_document};
use crate::modules::civil_status::service::{CivilActSummary, IssuedCivilDocument, SUBJECT_ID, summary};
use crate::modules::civil_status::store;
use crate::service::Jamaa;
use crate::service::lifecycle::{Procedure, RequestDetails, apply_action};
use crate::service::personal;
use crate::store::catalog::{self, PublishedService};
use crate::store::citizen::{self as citizen_store, MessageRecord};
use crate::store::requests::{self, RequestRecord};
use crate::store::{TenantTx, documents as document_store, keys};

/// The workflow's action that delivers the document, and the one that refuses the request.
const ISSUE: &str = "issue";
const REFUSE: &str = "reject";

/// The longest reason of a refusal, in characters.
pub const MAX_REASON_CHARS: usize = 2000;

/// The civil-status requests' kind of procedure: what the request asks the register for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CivilRequests(pub RequestedDocument);

/// How a request stands against the register, as the civil registrar sees it on the file.
#[derive(Clone, Debug, PartialEq)]
pub struct CivilRequestMatch {
    pub request: RequestId,
    pub tracking_code: TrackingCode,
    pub requested: RequestedDocument,
    /// How the request names its act.
    pub lookup: ActLookup,
    /// The acts it names (none: no act matches; more than one: the registrar chooses).
    pub acts: Vec<CivilActSummary>,
    /// Whether the request is still open (issuing or refusing it is possible).
    pub open: bool,
}

fn request_subject(id: RequestId) -> String {
    format!("request:{id}")
}

fn document_kind(requested: RequestedDocument) -> String {
    format!("civil_status.{}", requested.document.as_str())
}

fn not_a_civil_request() -> Error {
    Error::field(
        "requestId",
        FieldErrorCode::InvalidValue,
        LocalizedText::ar_fr(
            "هذا الطلب لا يتعلق بنسخة من رسم للحالة المدنية.",
            "Cette demande ne porte pas sur un extrait ou une copie d'acte d'état civil.",
        )
        .with(Locale::En, "This request is not for an extract or a copy of a civil-status act.")
        .with(Locale::Tzm, "ⴰⵙⵓⵜⵔ ⴰⴷ ⵓⵔ ⵉⵇⵇⵏ ⵙ ⵜⵏⵙⵅⵜ ⵏ ⵓⵙⵖⵍ ⵏ ⵡⴰⴷⴷⴰⴷ ⴰⵖⵍⵏⴰⵡ."),
    )
}

fn act_not_matched() -> Error {
    Error::field(
        "actId",
        FieldErrorCode::InvalidValue,
        LocalizedText::ar_fr("هذا الرسم لا يطابق الطلب.", "Cet acte ne correspond pas à la demande.")
            .with(Locale::En, "This act does not match the request.")
            .with(Locale::Tzm, "ⴰⵙⵖⵍ ⴰⴷ ⵓⵔ ⵉⵎⵙⴰⵙⴰ ⴷ ⵓⵙⵓⵜⵔ."),
    )
}

fn issue_from_the_register() -> Error {
    Error::field(
        "action",
        FieldErrorCode::InvalidValue,
        LocalizedText::ar_fr(
            "تسلم الوثيقة انطلاقا من السجل: اختر الرسم المطابق للطلب.",
            "Le document se délivre depuis le registre : choisissez l'acte correspondant à la demande.",
        )
        .with(Locale::En, "The document is issued from the register: choose the act that matches the request.")
        .with(Locale::Tzm, "ⴰⵔⵔⴰ ⵉⵜⵜⵓⴼⴽⴰ ⵙⴳ ⵓⵎⵣⵔⵓⵢ: ⵙⵜⵉ ⴰⵙⵖⵍ ⵉⵎⵙⴰⵙⴰⵏ ⴷ ⵓⵙⵓⵜⵔ."),
    )
}

fn reason_required() -> Error {
    Error::field(
        "reason",
        FieldErrorCode::Required,
        LocalizedText::ar_fr("يجب تعليل الرفض.", "Le motif du refus est obligatoire.")
            .with(Locale::En, "The reason for the refusal is required.")
            .with(Locale::Tzm, "ⴰⵙⵎⵎⴰⵍ ⵏ ⵓⴳⴳⵓⵢ ⵉⵇⵇⴰⵏ."),
    )
}

fn reason_too_long() -> Error {
    Error::field(
        "reason",
        FieldErrorCode::TooLong,
        LocalizedText::ar_fr(
            format!("يجب ألا يتجاوز التعليل {MAX_REASON_CHARS} حرف."),
            format!("Le motif ne doit pas dépasser {MAX_REASON_CHARS} caractères."),
        )
        .with(Locale::En, format!("The reason must not exceed {MAX_REASON_CHARS} characters."))
        .with(Locale::Tzm, format!("ⴰⵙⵎⵎⴰⵍ ⵓⵔ ⵉⵣⵔⵉ {MAX_REASON_CHARS} ⵏ ⵉⵙⴽⴽⵉⵍⵏ.")),
    )
}

impl Procedure for CivilRequests {
    /// An applicant asking for their own act: the blind index of their national id under the register's label,
    /// recorded with the request's other look-ups.
    async fn submitted(
        &self,
        tx: &TenantTx,
        keyring: &Keyring,
        commune: &Commune,
        _service: &PublishedService,
        record: &RequestRecord,
        personal: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Error> {
        if record.data.get("relation").and_then(serde_json::Value::as_str) != Some("self") {
            return Ok(());
        }
        let Some(value) = personal.get("cin").and_then(serde_json::Value::as_str) else { return Ok(()) };
        let Ok(normalized) = national_id::normalize_national_id(commune.spec.country, value) else { return Ok(()) };
        let (_, key) = keys::current(tx, keyring, record.submitted_at).await?;
        let digest = crypto::blind_index(&key, SUBJECT_ID, &normalized)?;
        requests::insert_lookups(tx, record.id, &[(SUBJECT_ID.to_owned(), digest)]).await
    }

    /// The request is delivered only with the register's document: a workflow action alone does not deliver it.
    async fn moved(
        &self,
        tx: &TenantTx,
        _service: &PublishedService,
        request: RequestId,
        _to: &str,
        outcome: Option<Outcome>,
    ) -> Result<(), Error> {
        if outcome != Some(Outcome::Approved) {
            return Ok(());
        }
        let kind = document_kind(self.0);
        let issued = document_store::by_subject(tx, &request_subject(request)).await?;
        if issued.iter().any(|document| document.kind == kind) { Ok(()) } else { Err(issue_from_the_register()) }
    }
}

/// The request `record` (read, or locked by a use case that changes it), its service version and what it asks the
/// register for, read in `tx`.
async fn civil_request(
    tx: &TenantTx,
    record: Option<RequestRecord>,
) -> Result<(RequestRecord, PublishedService, RequestedDocument), Error> {
    let record = record.ok_or(Error::NotFound("request"))?;
    let service = catalog::service_version(tx, record.service_id, record.workflow_id).await?;
    let requested = requested_document(service.definition.code.as_str()).ok_or_else(not_a_civil_request)?;
    Ok((record, service, requested))
}

/// The acts of the register that `record` names, without opening any.
async fn matching_acts(
    tx: &TenantTx,
    record: &RequestRecord,
    requested: RequestedDocument,
) -> Result<(ActLookup, Vec<CivilActSummary>), Error> {
    let lookup = act_lookup(&record.data);
    let rows = match lookup {
        ActLookup::Number { number, year } => store::acts_by_number(tx, requested.act, year, number).await?,
        ActLookup::Subject => match requests::lookup_of(tx, record.id, SUBJECT_ID).await? {
            Some(digest) => {
                store::acts_by_subject(tx, &digest).await?.into_iter().filter(|row| row.kind == requested.act).collect()
            }
            None => Vec::new(),
        },
        ActLookup::Unknown => Vec::new(),
    };
    Ok((lookup, rows.into_iter().map(summary).collect()))
}

impl Jamaa {
    /// How an online request for an extract or a full copy stands against the register: how it names its act
    /// and the acts it names (the civil registrar; no act is opened).
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, request.id = %id))]
    pub async fn civil_request_match(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
    ) -> Result<CivilRequestMatch, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let tx = self.store.tenant_tx(scope).await?;
        let (record, _, requested) = civil_request(&tx, requests::by_id(&tx, id).await?).await?;
        let (lookup, acts) = matching_acts(&tx, &record, requested).await?;
        tx.commit().await?;
        Ok(CivilRequestMatch {
            request: record.id,
            tracking_code: record.tracking_code,
            requested,
            lookup,
            acts,
            open: record.outcome.is_none(),
        })
    }

    /// Issues the document a request asks for from the act it matches (`act`, one of the match's), and
    /// delivers the request: the register's verifiable document (about the request, so that its applicant
    /// reads it when tracking), the act's audit event, and the request's `issue` step, in one transaction
    /// (the civil registrar). `expected_version` is the request's version the registrar saw.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, request.id = %id, civil_act.id = %act))]
    pub async fn issue_civil_request(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
        act: CivilActId,
        expected_version: i64,
    ) -> Result<IssuedCivilDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        // The request's row first, the commune's audit head (issuing the document appends to it) after: the one
        // lock order (ARCHITECTURE.md).
        let (record, service, requested) = civil_request(&tx, requests::by_id_locked(&tx, id).await?).await?;
        check_version(&record, expected_version)?;
        let (_, acts) = matching_acts(&tx, &record, requested).await?;
        if !acts.iter().any(|summary| summary.id == act) {
            return Err(act_not_matched());
        }
        let about = request_subject(record.id);
        let issued = self
            .issue_from_act(&tx, principal, commune, act, requested.document, about, Some(&record.tracking_code), now)
            .await?;
        let actor = Actor::Staff { roles: principal.roles_in(commune.id).to_vec() };
        // The kind of procedure is known: a civil-status request (its actions name no petition check).
        let procedure = CivilRequests(requested);
        apply_action(&procedure, &tx, commune, &service, record, ISSUE, &actor, &principal.actor(), None, None, now)
            .await?;
        tx.commit().await?;
        tracing::info!(document = %issued.issued.code, "civil-status request delivered from the register");
        Ok(issued)
    }

    /// Refuses an online request for an extract or a full copy (no act matches it, or the applicant may not
    /// have it) with a reason, which becomes a message the applicant reads when tracking; the request's
    /// `reject` step, in one transaction (the civil registrar).
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, request.id = %id))]
    pub async fn refuse_civil_request(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
        expected_version: i64,
        reason: &str,
    ) -> Result<RequestDetails, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(reason_required());
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(reason_too_long());
        }
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (record, service, requested) = civil_request(&tx, requests::by_id_locked(&tx, id).await?).await?;
        check_version(&record, expected_version)?;
        let actor = Actor::Staff { roles: principal.roles_in(commune.id).to_vec() };
        // The kind of procedure is known: a civil-status request (its actions name no petition check).
        let procedure = CivilRequests(requested);
        let notified = service.definition.workflow.action(REFUSE).is_some_and(|action| action.notify_applicant);
        let request = record.id;
        let record = apply_action(
            &procedure,
            &tx,
            commune,
            &service,
            record,
            REFUSE,
            &actor,
            &principal.actor(),
            Some(reason.to_owned()),
            None,
            now,
        )
        .await?;
        if !notified {
            let message = MessageRecord { action: REFUSE.to_owned(), body: reason.to_owned(), created_at: now };
            citizen_store::insert_message(&tx, request, &message).await?;
        }
        tx.commit().await?;
        let personal = personal::sealed_keys(&service.definition.form, &record);
        Ok(RequestDetails { commune: std::sync::Arc::new(commune.clone()), service, record, personal })
    }
}

fn check_version(record: &RequestRecord, expected: i64) -> Result<(), Error> {
    if record.version == expected {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the request is at version {}, not {expected}: reload it and try again",
            record.version
        )))
    }
}
