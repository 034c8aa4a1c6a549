//! Civil status: the registrar registers acts (numbered per office and year in the transaction), adds
//! marginal mentions, reads full records and issues extracts and full copies. Persons are sealed under the
//! commune's data key; every reading of a full record, every mention and every issued document is an audit
//! event about the act, and the act's audit trail is part of its full record.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::auth::{Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditEvent, AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::idempotency::Idempotency;
use crate::model::ids::CivilActId;
use crate::model::national_id;
use crate::model::request::TrackingCode;
use crate::modules::civil_status::model::{
    self as civil_status, Act, ActDetails, ActKind, ActNumber, ActPersons, DocumentKind, Mention, NewAct, NewMention,
    OfficeCode, RenderedDocument,
};
use crate::modules::civil_status::store::{self as store, ActFilter, ActRow, MentionRow};
use crate::store::{TenantTx, audit, keys, requests};

use crate::service::documents::{self, IssuedDocument, NewDocument};
use crate::service::{CountedPage, Jamaa, MAX_PAGE_SIZE};

/// The blind-index field of a subject's national id.
pub(super) const SUBJECT_ID: &str = "civil_subject_national_id";
/// The most audit events shown with an act.
const MAX_HISTORY: u64 = 500;

/// An act with its persons opened, its mentions, and its audit trail: the registrar's full record.
#[derive(Clone, Debug, PartialEq)]
pub struct CivilAct {
    pub id: CivilActId,
    pub act: Act,
    pub mentions: Vec<Mention>,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
    /// Every event about the act (registration, mentions, readings, issued documents), oldest first.
    pub history: Vec<AuditEvent>,
}

/// An act as a listing shows it: its number and event, no persons.
#[derive(Clone, Debug, PartialEq)]
pub struct CivilActSummary {
    pub id: CivilActId,
    pub kind: ActKind,
    pub number: ActNumber,
    pub event_date: NaiveDate,
    pub registered_on: NaiveDate,
}

/// Which acts a listing wants.
#[derive(Clone, Debug, Default)]
pub struct CivilActFilter {
    pub office: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<ActKind>,
}

/// An extract or a full copy, as issued: a verifiable document (code, fingerprint, the text as issued) and
/// the fields it was rendered from.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuedCivilDocument {
    pub act_id: CivilActId,
    pub number: ActNumber,
    pub rendered: RenderedDocument,
    pub issued: IssuedDocument,
}

fn subject(id: CivilActId) -> AuditSubject {
    AuditSubject::CivilAct(id)
}

fn local_today(commune: &Commune, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&commune.time_zone()).date_naive()
}

impl Jamaa {
    /// Whether the caller keeps the commune's civil-status registers: for an edge that checks the caller
    /// before it parses the input.
    pub fn may_keep_civil_status(&self, principal: &Principal, commune: &Commune) -> Result<(), Error> {
        principal.authorize(commune.id, Permission::ManageCivilStatus).map(|_| ())
    }

    /// Registers an act: checks it (every failure at once), numbers it in its office's register of the year,
    /// seals its persons and records the registration in the audit trail, in one transaction.
    pub async fn register_civil_act(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewAct,
    ) -> Result<CivilAct, Error> {
        self.register_civil_act_once(principal, commune, input, None).await
    }

    /// [`Jamaa::register_civil_act`] with an idempotency key: a retry of the same registration answers with
    /// the act the first one registered (read again, and audited so), and numbers nothing.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn register_civil_act_once(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewAct,
        idempotency: Option<&Idempotency>,
    ) -> Result<CivilAct, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let now = self.now();
        let today = local_today(commune, now);
        let (office, input) =
            civil_status::validate_act(input, commune.spec.country, today).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        if let Some(first) = self.claim_key::<CivilActId>(&tx, principal, idempotency, self.idempotency_ttl).await? {
            drop(tx);
            return self.civil_act(principal, commune, first).await;
        }
        let year = today.year();
        let number = requests::next_in_sequence(&tx, &civil_status::counter_name(&office, year)).await?;
        let number = ActNumber {
            office,
            year,
            number: u32::try_from(number).map_err(|_| Error::internal("act number overflow"))?,
        };
        let id = CivilActId::new();
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let text = serde_json::to_vec(&input.persons).map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &text, id.as_uuid().as_bytes())?;
        let subject_digest = input
            .persons
            .subject_national_id
            .as_deref()
            .map(|value| crypto::blind_index(&key, SUBJECT_ID, value))
            .transpose()?;
        let row = ActRow {
            id,
            kind: input.kind,
            number: number.clone(),
            details: input.details.clone(),
            persons: sealed,
            data_key_id: key_id,
            subject_digest,
            registered_on: today,
            registered_at: now,
            registered_by: principal.actor(),
        };
        store::insert_act(&tx, &row).await?;
        let event = audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CivilActRegistered,
                subject(id),
                serde_json::json!({ "number": number.to_string(), "kind": input.kind.as_str() }),
            ),
            now,
        )
        .await?;
        self.record_answer(&tx, principal, idempotency, &id).await?;
        tx.commit().await?;
        tracing::info!(civil_act.id = %id, number = %number, "civil-status act registered");
        let act =
            Act { kind: input.kind, number, details: input.details, persons: input.persons, registered_on: today };
        Ok(CivilAct {
            id,
            act,
            mentions: Vec::new(),
            registered_at: now,
            registered_by: row.registered_by,
            history: vec![event],
        })
    }

    /// Adds a marginal mention to an act (the one way an act changes): sealed text, reference, and an audit
    /// event about the act.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, civil_act.id = %id))]
    pub async fn add_civil_mention(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: CivilActId,
        input: NewMention,
    ) -> Result<Mention, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let act = store::act_by_id(&tx, id).await?.ok_or(Error::NotFound("civil act"))?;
        civil_status::validate_mention(&input, act.registered_on, local_today(commune, now))
            .map_err(Error::Validation)?;
        let sequence = requests::next_in_sequence(&tx, &format!("civil-mention:{id}")).await?;
        let mention_id = uuid::Uuid::now_v7();
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let sealed = crypto::seal(&key, input.text.trim().as_bytes(), mention_id.as_bytes())?;
        let reference = input.reference.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        let row = MentionRow {
            id: mention_id,
            act_id: id,
            sequence,
            kind: input.kind,
            reference: reference.clone(),
            effective_on: input.effective_on,
            text: sealed,
            data_key_id: key_id,
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        store::insert_mention(&tx, &row).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CivilActMentionAdded,
                subject(id),
                serde_json::json!({
                    "number": act.number.to_string(),
                    "mention": sequence,
                    "kind": input.kind.as_str(),
                    "reference": reference,
                    "effectiveOn": input.effective_on,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(civil_act.id = %id, mention = sequence, "marginal mention added");
        Ok(Mention {
            sequence,
            kind: input.kind,
            text: input.text.trim().to_owned(),
            reference,
            effective_on: input.effective_on,
            recorded_at: now,
        })
    }

    /// The full record of an act, persons opened: the registrar only, and the reading is an audit event.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, civil_act.id = %id))]
    pub async fn civil_act(&self, principal: &Principal, commune: &Commune, id: CivilActId) -> Result<CivilAct, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (row, act, mentions) = self.open_act(&tx, id).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CivilActRead,
                subject(id),
                serde_json::json!({ "number": act.number.to_string() }),
            ),
            now,
        )
        .await?;
        let history = audit::about(&tx, &subject(id).to_string(), MAX_HISTORY).await?;
        tx.commit().await?;
        Ok(CivilAct { id, act, mentions, registered_at: row.registered_at, registered_by: row.registered_by, history })
    }

    /// The commune's acts in registration order, without persons (the registrar).
    pub async fn civil_acts(
        &self,
        principal: &Principal,
        commune: &Commune,
        filter: CivilActFilter,
        after: Option<CivilActId>,
        first: u64,
    ) -> Result<CountedPage<CivilActSummary>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let office = filter
            .office
            .as_deref()
            .map(|o| {
                OfficeCode::parse(o)
                    .map_err(|_| Error::field("office", FieldErrorCode::InvalidValue, messages::invalid_office_code()))
            })
            .transpose()?;
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let tx = self.store.tenant_tx(scope).await?;
        let filter = ActFilter { office, year: filter.year, kind: filter.kind };
        let mut rows = store::act_page(&tx, &filter, after, first + 1).await?;
        let total = store::act_count(&tx, &filter).await?;
        tx.commit().await?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok(CountedPage { items: rows.into_iter().map(summary).collect(), has_next, total })
    }

    /// The commune's acts whose subject has this national id, found by blind index without opening any
    /// (the registrar).
    pub async fn find_civil_acts(
        &self,
        principal: &Principal,
        commune: &Commune,
        national_id: &str,
    ) -> Result<Vec<CivilActSummary>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let normalized = national_id::normalize_national_id(commune.spec.country, national_id).map_err(|_| {
            Error::field("nationalId", FieldErrorCode::InvalidNationalId, messages::national_id_not_valid())
        })?;
        let tx = self.store.tenant_tx(scope).await?;
        let Some(key) = keys::existing(&tx, &self.keyring).await? else {
            tx.commit().await?;
            return Ok(Vec::new());
        };
        let digest = crypto::blind_index(&key, SUBJECT_ID, &normalized)?;
        let rows = store::acts_by_subject(&tx, &digest).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(summary).collect())
    }

    /// Issues an extract or a full copy of an act: rendered from the act and its mentions as they stand now,
    /// issued as a verifiable document (its code and fingerprint; its text sealed), and recorded in the act's
    /// audit trail, in one transaction (the registrar).
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, civil_act.id = %id))]
    pub async fn issue_civil_document(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: CivilActId,
        kind: DocumentKind,
    ) -> Result<IssuedCivilDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCivilStatus)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let issued = self.issue_from_act(&tx, principal, commune, id, kind, subject(id).to_string(), None, now).await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Renders an act's extract or full copy from the act and its mentions as they stand now, issues it as a
    /// verifiable document about `about` (the act, or the online request that asked for it), and records it in
    /// the act's audit trail, with the request's tracking code when one asked, in the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn issue_from_act(
        &self,
        tx: &TenantTx,
        principal: &Principal,
        commune: &Commune,
        id: CivilActId,
        kind: DocumentKind,
        about: String,
        tracking_code: Option<&TrackingCode>,
        now: DateTime<Utc>,
    ) -> Result<IssuedCivilDocument, Error> {
        let (_, act, mentions) = self.open_act(tx, id).await?;
        let name = commune.spec.name.get(Locale::Fr, &commune.fallbacks()).to_owned();
        let rendered = civil_status::render(&name, &act, &mentions, kind, local_today(commune, now));
        let new = NewDocument {
            kind: format!("civil_status.{}", kind.as_str()),
            subject: about,
            title: LocalizedText::ar_fr(rendered.title_ar.clone(), rendered.title.clone()),
            text: rendered.text.clone(),
            withdraws: None,
        };
        let issued = documents::issue(tx, &self.press(), commune, new, &principal.actor(), now).await?;
        let mut payload = serde_json::json!({
            "number": act.number.to_string(),
            "document": kind.as_str(),
            "code": issued.code.to_string(),
            "fingerprint": issued.fingerprint,
            "mentions": mentions.len(),
        });
        if let Some(code) = tracking_code {
            payload["trackingCode"] = serde_json::json!(code);
        }
        let event = NewEvent::new(principal.actor(), AuditKind::CivilActDocumentIssued, subject(id), payload);
        audit::append(tx, event, now).await?;
        Ok(IssuedCivilDocument { act_id: id, number: act.number, rendered, issued })
    }

    /// Reads an act and its mentions and opens them, in the caller's transaction.
    pub(super) async fn open_act(&self, tx: &TenantTx, id: CivilActId) -> Result<(ActRow, Act, Vec<Mention>), Error> {
        let row = store::act_by_id(tx, id).await?.ok_or(Error::NotFound("civil act"))?;
        let key = keys::by_id(tx, &self.keyring, row.data_key_id).await?;
        let text = crypto::open(&key, &row.persons, id.as_uuid().as_bytes())?;
        let persons: ActPersons = serde_json::from_slice(&text).map_err(Error::internal)?;
        let mut mentions = Vec::new();
        for mention in store::mentions_of(tx, id).await? {
            let key = keys::by_id(tx, &self.keyring, mention.data_key_id).await?;
            let text = crypto::open(&key, &mention.text, mention.id.as_bytes())?;
            mentions.push(Mention {
                sequence: mention.sequence,
                kind: mention.kind,
                text: String::from_utf8(text).map_err(Error::internal)?,
                reference: mention.reference,
                effective_on: mention.effective_on,
                recorded_at: mention.recorded_at,
            });
        }
        let details: ActDetails = row.details.clone();
        let act =
            Act { kind: row.kind, number: row.number.clone(), details, persons, registered_on: row.registered_on };
        Ok((row, act, mentions))
    }
}

pub(super) fn summary(row: ActRow) -> CivilActSummary {
    CivilActSummary {
        id: row.id,
        kind: row.kind,
        event_date: row.details.event.date,
        number: row.number,
        registered_on: row.registered_on,
    }
}
