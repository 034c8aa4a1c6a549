//! Civil status over GraphQL: registering acts, adding marginal mentions, reading full records (each reading
//! recorded), listing and finding acts, and issuing extracts and full copies. The civil registrar only.

use async_graphql::{Context, Enum, ID, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use jamaa_core::error::{FieldError, FieldErrorCode};
use jamaa_core::model::audit::AuditEvent;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::form::messages;
use jamaa_core::model::ids::CivilActId;
use jamaa_core::model::ids::RequestId;
use jamaa_core::modules::civil_status::model::ActLookup;
use jamaa_core::modules::civil_status::model::{
    self as core, ActDetails, ActPersons, DateAsKnown, Declarant, DocumentKind, Event, Mention, NewAct, NewMention,
    Parent, PersonName,
};
use jamaa_core::service::{
    CivilAct as CoreAct, CivilActFilter, CivilActSummary, CivilRequestMatch as CoreMatch, IssuedCivilDocument,
};

use super::call::{InCommune, InLang, idempotency, subject_id};
use super::page::page_size;
use super::page::{Listing, after_key, connection, in_memory};
use super::query::viewer_of;
use super::types::Request;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CivilActKind", remote = "jamaa_core::modules::civil_status::model::ActKind")]
pub enum GqlActKind {
    Birth,
    Death,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Sex", remote = "jamaa_core::modules::civil_status::model::Sex")]
pub enum GqlSex {
    Male,
    Female,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CivilMentionKind", remote = "jamaa_core::modules::civil_status::model::MentionKind")]
pub enum GqlMentionKind {
    Recognition,
    Rectification,
    Marriage,
    Divorce,
    Death,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::civil_status::model::DocumentKind")]
pub enum CivilDocumentKind {
    /// Extrait: identity, event, parents' names and the marginal mentions.
    Extract,
    /// Copie intégrale: everything the act and its mentions record.
    FullCopy,
}

/// A name in Arabic and Latin script.
#[derive(InputObject, SimpleObject, Clone)]
#[graphql(input_name = "PersonNameInput")]
pub struct GqlPersonName {
    pub given_ar: String,
    pub family_ar: String,
    pub given_latin: String,
    pub family_latin: String,
}

impl From<GqlPersonName> for PersonName {
    fn from(n: GqlPersonName) -> Self {
        PersonName {
            given_ar: n.given_ar,
            family_ar: n.family_ar,
            given_latin: n.given_latin,
            family_latin: n.family_latin,
        }
    }
}

impl From<&PersonName> for GqlPersonName {
    fn from(n: &PersonName) -> Self {
        GqlPersonName {
            given_ar: n.given_ar.clone(),
            family_ar: n.family_ar.clone(),
            given_latin: n.given_latin.clone(),
            family_latin: n.family_latin.clone(),
        }
    }
}

/// A parent, with what is known of them.
#[derive(InputObject)]
pub struct ParentInput {
    pub name: GqlPersonName,
    pub nationality: Option<String>,
    /// `1990`, `1990-04` or `1990-04-17`.
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub national_id: Option<String>,
}

#[derive(InputObject)]
pub struct DeclarantInput {
    pub name: GqlPersonName,
    /// `father`, `mother`, `doctor`, …
    pub relation: String,
    pub national_id: Option<String>,
}

/// The birth or death: date, time (`HH:MM`) and place.
#[derive(InputObject)]
pub struct CivilEventInput {
    pub date: NaiveDate,
    pub time: Option<String>,
    pub place: String,
}

/// An act to register.
#[derive(InputObject)]
pub struct RegisterCivilActInput {
    pub kind: GqlActKind,
    /// The civil-status office whose register numbers the act (`CHF-1`).
    pub office: String,
    pub sex: Option<GqlSex>,
    pub event: CivilEventInput,
    /// For a death: the deceased's birth date as known.
    pub subject_birth_date: Option<String>,
    pub subject: GqlPersonName,
    pub subject_national_id: Option<String>,
    pub father: Option<ParentInput>,
    pub mother: Option<ParentInput>,
    pub declarant: DeclarantInput,
    /// The judgment that orders the registration of an event declared after the legal period (30 days after a
    /// birth or a death, law 36.21): required then.
    pub judgment_reference: Option<String>,
}

/// A marginal mention: what it records and why, the judgment or act it comes from, the date it takes effect.
#[derive(InputObject)]
pub struct CivilMentionInput {
    pub kind: GqlMentionKind,
    pub text: String,
    pub reference: Option<String>,
    pub effective_on: NaiveDate,
}

fn invalid_date(path: &str) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidDate, messages::invalid_date_as_known())
}

fn known_date(errors: &mut Vec<FieldError>, path: &str, text: Option<String>) -> Option<DateAsKnown> {
    let text = text.filter(|t| !t.trim().is_empty())?;
    DateAsKnown::parse(&text).map_err(|_| errors.push(invalid_date(path))).ok()
}

fn parent(errors: &mut Vec<FieldError>, path: &str, input: Option<ParentInput>) -> Option<Parent> {
    let input = input?;
    Some(Parent {
        name: input.name.into(),
        nationality: input.nationality,
        birth_date: known_date(errors, &format!("{path}.birthDate"), input.birth_date),
        birth_place: input.birth_place,
        national_id: input.national_id,
    })
}

impl RegisterCivilActInput {
    /// The core's act; the wire-only formats (time, dates as known) are checked here.
    fn into_core(self) -> std::result::Result<NewAct, jamaa_core::Error> {
        let mut errors = Vec::new();
        let time = self.event.time.filter(|t| !t.trim().is_empty()).and_then(|t| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "input.event.time",
                        FieldErrorCode::InvalidDate,
                        messages::invalid_time_of_day(),
                    ))
                })
                .ok()
        });
        let subject_birth_date = known_date(&mut errors, "input.subjectBirthDate", self.subject_birth_date);
        let father = parent(&mut errors, "input.father", self.father);
        let mother = parent(&mut errors, "input.mother", self.mother);
        if !errors.is_empty() {
            return Err(jamaa_core::Error::Validation(errors));
        }
        Ok(NewAct {
            kind: self.kind.into(),
            office: self.office,
            details: ActDetails {
                sex: self.sex.map(Into::into),
                event: Event { date: self.event.date, time, place: self.event.place },
                subject_birth_date,
                judgment_reference: self.judgment_reference,
            },
            persons: ActPersons {
                subject: self.subject.into(),
                subject_national_id: self.subject_national_id,
                father,
                mother,
                declarant: Declarant {
                    name: self.declarant.name.into(),
                    relation: self.declarant.relation,
                    national_id: self.declarant.national_id,
                },
            },
        })
    }
}

/// A parent as the act names them.
#[derive(SimpleObject)]
pub struct CivilParent {
    pub name: GqlPersonName,
    pub nationality: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub national_id: Option<String>,
}

impl From<&Parent> for CivilParent {
    fn from(p: &Parent) -> Self {
        CivilParent {
            name: (&p.name).into(),
            nationality: p.nationality.clone(),
            birth_date: p.birth_date.as_ref().map(|d| d.as_str().to_owned()),
            birth_place: p.birth_place.clone(),
            national_id: p.national_id.clone(),
        }
    }
}

#[derive(SimpleObject)]
pub struct CivilDeclarant {
    pub name: GqlPersonName,
    pub relation: String,
    pub national_id: Option<String>,
}

/// A marginal mention, the `sequence`-th of its act.
#[derive(SimpleObject)]
pub struct CivilMention {
    pub sequence: i64,
    pub kind: GqlMentionKind,
    pub text: String,
    pub reference: Option<String>,
    pub effective_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

impl From<&Mention> for CivilMention {
    fn from(m: &Mention) -> Self {
        CivilMention {
            sequence: m.sequence,
            kind: m.kind.into(),
            text: m.text.clone(),
            reference: m.reference.clone(),
            effective_on: m.effective_on,
            recorded_at: m.recorded_at,
        }
    }
}

/// An event of the audit trail.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub sequence: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `civil_act.registered`, `civil_act.mention_added`, `civil_act.read`, `civil_act.document_issued`.
    pub kind: String,
    pub payload: Json<serde_json::Value>,
    pub hash: String,
}

impl From<&AuditEvent> for AuditEntry {
    fn from(e: &AuditEvent) -> Self {
        AuditEntry {
            sequence: e.sequence,
            at: e.occurred_at,
            actor: e.actor.clone(),
            kind: e.kind.clone(),
            payload: Json(serde_json::from_str(&e.payload).unwrap_or_default()),
            hash: e.hash.clone(),
        }
    }
}

/// An act's full record: the registrar's view, each reading recorded in its audit trail.
pub struct CivilAct(CoreAct);

#[Object]
impl CivilAct {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> GqlActKind {
        self.0.act.kind.into()
    }
    /// `CHF-1/2026/12`: office, year, number.
    async fn number(&self) -> String {
        self.0.act.number.to_string()
    }
    async fn office(&self) -> &str {
        self.0.act.number.office.as_str()
    }
    async fn year(&self) -> i32 {
        self.0.act.number.year
    }
    async fn act_number(&self) -> u32 {
        self.0.act.number.number
    }
    async fn sex(&self) -> Option<GqlSex> {
        self.0.act.details.sex.map(Into::into)
    }
    async fn event_date(&self) -> NaiveDate {
        self.0.act.details.event.date
    }
    /// `HH:MM`.
    async fn event_time(&self) -> Option<String> {
        self.0.act.details.event.time.map(|t| t.format("%H:%M").to_string())
    }
    async fn event_place(&self) -> &str {
        &self.0.act.details.event.place
    }
    async fn subject_birth_date(&self) -> Option<&str> {
        self.0.act.details.subject_birth_date.as_ref().map(DateAsKnown::as_str)
    }
    async fn subject(&self) -> GqlPersonName {
        (&self.0.act.persons.subject).into()
    }
    /// The judgment a late declaration was registered on.
    async fn judgment_reference(&self) -> Option<&str> {
        self.0.act.details.judgment_reference.as_deref()
    }
    async fn subject_national_id(&self) -> Option<&str> {
        self.0.act.persons.subject_national_id.as_deref()
    }
    async fn father(&self) -> Option<CivilParent> {
        self.0.act.persons.father.as_ref().map(Into::into)
    }
    async fn mother(&self) -> Option<CivilParent> {
        self.0.act.persons.mother.as_ref().map(Into::into)
    }
    async fn declarant(&self) -> CivilDeclarant {
        let d = &self.0.act.persons.declarant;
        CivilDeclarant { name: (&d.name).into(), relation: d.relation.clone(), national_id: d.national_id.clone() }
    }
    async fn registered_on(&self) -> NaiveDate {
        self.0.act.registered_on
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }
    async fn mentions(&self) -> Vec<CivilMention> {
        self.0.mentions.iter().map(Into::into).collect()
    }
    /// The act's audit trail: its registration, mentions, readings and issued documents, oldest first.
    async fn history(&self) -> Vec<AuditEntry> {
        self.0.history.iter().map(Into::into).collect()
    }
}

/// An act in a listing: its number and event, no persons.
#[derive(SimpleObject)]
pub struct CivilActSummaryView {
    pub id: ID,
    pub kind: GqlActKind,
    pub number: String,
    pub office: String,
    pub year: i32,
    pub act_number: u32,
    pub event_date: NaiveDate,
    pub registered_on: NaiveDate,
}

impl From<CivilActSummary> for CivilActSummaryView {
    fn from(s: CivilActSummary) -> Self {
        CivilActSummaryView {
            id: ID(s.id.to_string()),
            kind: s.kind.into(),
            number: s.number.to_string(),
            office: s.number.office.to_string(),
            year: s.number.year,
            act_number: s.number.number,
            event_date: s.event_date,
            registered_on: s.registered_on,
        }
    }
}

/// One line of an issued document.
#[derive(SimpleObject)]
pub struct CivilDocumentField {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// An extract or a full copy, rendered from the act and its mentions when it was issued, and issued as a
/// verifiable document: anyone checks its code at `verifyPath`.
#[derive(SimpleObject)]
pub struct CivilDocument {
    pub act_id: ID,
    /// The act's number.
    pub number: String,
    pub kind: CivilDocumentKind,
    pub title: String,
    pub title_ar: String,
    pub fields: Vec<CivilDocumentField>,
    /// The document's text as issued (one `label: value` line per field): its fingerprint is the document's.
    pub text: String,
    /// The verification code printed on the document (`CHF-7K3M-9XQ2-HT4P`).
    pub code: String,
    /// SHA-256 of the text, hex.
    pub fingerprint: String,
    /// The verification page (`/verify/{code}`), which its QR code points at.
    pub verify_path: String,
    /// Where whoever holds the code downloads the PDF issued (a path on this server); null for a document issued
    /// before PDFs were.
    pub pdf_path: Option<String>,
    pub issued_at: DateTime<Utc>,
}

impl CivilDocument {
    /// The document issued by `commune`.
    fn issued(civil: IssuedCivilDocument, commune: &Commune) -> Self {
        let (document, issued) = (civil.rendered, civil.issued);
        let code = issued.code.to_string();
        let pdf_path =
            issued.pdf_fingerprint.as_ref().map(|_| crate::document_pdfs::pdf_path(commune.spec.slug.as_str(), &code));
        CivilDocument {
            act_id: ID(civil.act_id.to_string()),
            number: civil.number.to_string(),
            kind: document.kind.into(),
            title: document.title,
            title_ar: document.title_ar,
            fields: document
                .fields
                .into_iter()
                .map(|f| CivilDocumentField { key: f.key, label: f.label, value: f.value })
                .collect(),
            text: issued.text,
            verify_path: super::verify_path(&code),
            pdf_path,
            code,
            fingerprint: issued.fingerprint,
            issued_at: issued.issued_at,
        }
    }
}

/// How an online request names the act it asks for.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CivilActLookup")]
pub enum GqlActLookup {
    /// By the act's number and year (in every office of the commune).
    ActNumber,
    /// By the applicant's own national id, through the blind index.
    NationalId,
    /// Neither: the register has no key for what the request gives.
    None,
}

/// How an online request for an extract or a full copy stands against the register: the acts it names,
/// found without opening any (the civil registrar).
#[derive(SimpleObject)]
pub struct CivilRequestMatch {
    pub request_id: ID,
    pub tracking_code: String,
    /// What the request asks for.
    pub document: CivilDocumentKind,
    pub act_kind: GqlActKind,
    pub lookup: GqlActLookup,
    /// The act's number and year the request gives, when it names its act so.
    pub act_number: Option<u32>,
    pub act_year: Option<i32>,
    /// The acts it names: none when no act matches (the request is then refused with a reason).
    pub acts: Vec<CivilActSummaryView>,
    /// Whether the request is still open, to be issued or refused.
    pub open: bool,
}

impl From<CoreMatch> for CivilRequestMatch {
    fn from(found: CoreMatch) -> Self {
        let (lookup, act_number, act_year) = match found.lookup {
            ActLookup::Number { number, year } => (GqlActLookup::ActNumber, Some(number), Some(year)),
            ActLookup::Subject => (GqlActLookup::NationalId, None, None),
            ActLookup::Unknown => (GqlActLookup::None, None, None),
        };
        CivilRequestMatch {
            request_id: ID(found.request.to_string()),
            tracking_code: found.tracking_code.to_string(),
            document: found.requested.document.into(),
            act_kind: found.requested.act.into(),
            lookup,
            act_number,
            act_year,
            acts: found.acts.into_iter().map(Into::into).collect(),
            open: found.open,
        }
    }
}

/// An id that does not parse is as unknown as one of another commune.
fn act_id(id: &ID) -> std::result::Result<CivilActId, jamaa_core::Error> {
    id.parse::<CivilActId>().map_err(|_| jamaa_core::Error::NotFound("civil act"))
}

#[derive(Default)]
pub struct CivilStatusQuery;

#[Object]
impl CivilStatusQuery {
    /// An act's full record with its mentions and audit trail (the civil registrar; the reading is recorded).
    async fn civil_act(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<CivilAct> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = act_id(&id).in_lang(&call)?;
        let act = call.jamaa.civil_act(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(CivilAct(act))
    }

    /// The commune's acts in registration order, by office, year and kind (the civil registrar).
    #[allow(clippy::too_many_arguments)]
    async fn civil_acts(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        office: Option<String>,
        year: Option<i32>,
        kind: Option<GqlActKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CivilActSummaryView>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let after = after_key(after, |c| c.parse::<CivilActId>().ok())?;
        let filter = CivilActFilter { office, year, kind: kind.map(Into::into) };
        let page = call
            .jamaa
            .civil_acts(call.principal, &call.commune, filter, after, page_size(first, call.locale())?)
            .await
            .in_lang(&call)?;
        Ok(connection(after.is_some(), page, |summary| (summary.id.to_string(), summary.into())))
    }

    /// The commune's acts whose subject has this national id, found by blind index (the civil registrar), in
    /// registration order.
    async fn find_civil_acts(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        national_id: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CivilActSummaryView>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let found = call.jamaa.find_civil_acts(call.principal, &call.commune, &national_id).await.in_lang(&call)?;
        in_memory(found, first, after, call.locale(), |act| act.id.to_string(), Into::into)
    }

    /// How an online request for an extract or a full copy stands against the register: how it names its act
    /// and the acts it names, found by number or blind index without opening any (the civil registrar).
    async fn civil_request_match(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
    ) -> Result<CivilRequestMatch> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: RequestId = subject_id(&request_id, "request").in_lang(&call)?;
        let found = call.jamaa.civil_request_match(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(found.into())
    }
}

#[derive(Default)]
pub struct CivilStatusMutation;

#[Object]
impl CivilStatusMutation {
    /// Registers a birth or death act in an office's register of the year (the civil registrar).
    /// `idempotencyKey` (or the `Idempotency-Key` header): a retry with the same key and input answers with the
    /// act first registered and numbers nothing; the key with another input is IDEMPOTENCY_KEY_REUSED.
    async fn register_civil_act(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        input: RegisterCivilActInput,
        idempotency_key: Option<String>,
    ) -> Result<CivilAct> {
        let idempotency = idempotency(ctx, idempotency_key);
        let call = InCommune::new(ctx, commune, None).await?;
        let principal = call.principal;
        let jamaa = call.jamaa;
        // The caller is checked before the input, so that a stranger learns nothing from validation.
        jamaa.may_keep_civil_status(principal, &call.commune).in_lang(&call)?;
        let idempotency = idempotency.in_lang(&call)?;
        let input = input.into_core().in_lang(&call)?;
        let act = jamaa
            .register_civil_act_once(principal, &call.commune, input, idempotency.as_ref())
            .await
            .in_lang(&call)?;
        Ok(CivilAct(act))
    }

    /// Adds a marginal mention to an act: the only way an act changes (the civil registrar).
    async fn add_civil_mention(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        act_id: ID,
        input: CivilMentionInput,
    ) -> Result<CivilMention> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = self::act_id(&act_id).in_lang(&call)?;
        let mention = NewMention {
            kind: input.kind.into(),
            text: input.text,
            reference: input.reference,
            effective_on: input.effective_on,
        };
        let mention = call.jamaa.add_civil_mention(call.principal, &call.commune, id, mention).await.in_lang(&call)?;
        Ok((&mention).into())
    }

    /// Issues an extract or a full copy of an act, from the act and its mentions as they stand now (the civil
    /// registrar).
    async fn issue_civil_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        act_id: ID,
        kind: CivilDocumentKind,
    ) -> Result<CivilDocument> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = self::act_id(&act_id).in_lang(&call)?;
        let issued =
            call.jamaa.issue_civil_document(call.principal, &call.commune, id, kind.into()).await.in_lang(&call)?;
        Ok(CivilDocument::issued(issued, &call.commune))
    }

    /// Issues the extract or full copy an online request asks for, from an act its match names, and delivers
    /// the request: the register's verifiable document, which its applicant reads and downloads when tracking
    /// (`trackedDocuments`), the request's step and the audit events in one transaction (the civil registrar).
    /// `expectedVersion` is the request's version the caller saw (else CONFLICT); an act the request does not
    /// name is VALIDATION_FAILED at `actId`.
    #[allow(clippy::too_many_arguments)]
    async fn issue_civil_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        request_id: ID,
        act_id: ID,
        expected_version: i64,
    ) -> Result<CivilDocument> {
        let call = InCommune::new(ctx, commune, None).await?;
        let request: RequestId = subject_id(&request_id, "request").in_lang(&call)?;
        let act = self::act_id(&act_id).in_lang(&call)?;
        let issued = call
            .jamaa
            .issue_civil_request(call.principal, &call.commune, request, act, expected_version)
            .await
            .in_lang(&call)?;
        Ok(CivilDocument::issued(issued, &call.commune))
    }

    /// Refuses an online request for an extract or a full copy with a reason (required), which its applicant
    /// reads when tracking (the civil registrar). `expectedVersion` as for `issueCivilRequest`.
    async fn refuse_civil_request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
        expected_version: i64,
        reason: String,
        locale: Option<String>,
    ) -> Result<Request> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let principal = call.principal;
        let id: RequestId = subject_id(&request_id, "request").in_lang(&call)?;
        let details = call
            .jamaa
            .refuse_civil_request(principal, &call.commune, id, expected_version, &reason)
            .await
            .in_lang(&call)?;
        let viewer = viewer_of(principal, call.commune.id);
        Ok(Request { details, history: None, messages: None, fees: None, viewer, lang: call.lang.clone() })
    }
}

// The model's rendering is what the API returns: nothing is re-rendered at the edge.
const _: fn(&str, &core::Act, &[Mention], DocumentKind, NaiveDate) -> core::RenderedDocument = core::render;
