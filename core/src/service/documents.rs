//! Documents a commune issues and anyone can verify: each carries a verification code (which names its
//! commune) and the fingerprint of its text. The text is kept sealed under the commune's data key, since
//! extracts and copies hold personal data; verifying shows only who issued what and when, and whether a text
//! presented is the one issued.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};
use rand::Rng;

use crate::auth::{Permission, Principal};
use crate::crypto::{self, Keyring};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{DocumentId, RequestId};
use crate::model::verification::{self, CODE_ALPHABET, CODE_LENGTH, VerificationCode};
use crate::model::workflow::{ActorRule, Outcome};
use crate::store::documents::{self, DocumentRecord};
use crate::store::{TenantTx, audit, catalog, communes, keys, requests};

use super::Jamaa;

/// What a use case asks to issue, in its own transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct NewDocument {
    /// What the document is: `request.decision`, `civil_status.extract`, …
    pub kind: String,
    /// What it is about: `request:<id>`, `civil_act:<id>`, … (never personal data).
    pub subject: String,
    pub title: LocalizedText,
    /// The full text, as printed: fingerprinted and sealed.
    pub text: String,
    /// The document of the same commune this one withdraws (a notice of cancellation, its quittance).
    pub withdraws: Option<VerificationCode>,
}

/// A document just issued (or read back by its issuer), with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuedDocument {
    pub id: DocumentId,
    pub code: VerificationCode,
    pub kind: String,
    pub subject: String,
    pub title: LocalizedText,
    pub fingerprint: String,
    pub text: String,
    pub issued_at: DateTime<Utc>,
}

/// What anyone learns by verifying a code: no text, no personal data.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentVerification {
    pub code: VerificationCode,
    pub commune: Commune,
    pub kind: String,
    pub title: LocalizedText,
    pub fingerprint: String,
    pub issued_at: DateTime<Utc>,
    /// Whether the text presented is the one issued; `None` when no text was presented.
    pub text_matches: Option<bool>,
    /// The document that withdrew it, if one did: it no longer proves what it says.
    pub withdrawn: Option<Withdrawal>,
}

/// The document that withdrew another: its code, title and date.
#[derive(Clone, Debug, PartialEq)]
pub struct Withdrawal {
    pub code: VerificationCode,
    pub title: LocalizedText,
    pub issued_at: DateTime<Utc>,
}

/// Issues a document in the caller's transaction: draws its code, fingerprints and seals its text, and
/// records the issuance in the audit chain.
pub(crate) async fn issue(
    tx: &TenantTx,
    keyring: &Keyring,
    commune: &Commune,
    new: NewDocument,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<IssuedDocument, Error> {
    let id = DocumentId::new();
    let code = new_code(commune)?;
    let text = verification::normalize_text(&new.text);
    let fingerprint = verification::fingerprint(&text);
    let (data_key_id, key) = keys::current(tx, keyring, now).await?;
    let sealed_text = crypto::seal(&key, text.as_bytes(), id.as_uuid().as_bytes())?;
    let record = DocumentRecord {
        id,
        code: code.clone(),
        kind: new.kind.clone(),
        subject: new.subject.clone(),
        title: new.title.clone(),
        fingerprint: fingerprint.clone(),
        sealed_text,
        data_key_id,
        issued_by: actor.to_owned(),
        issued_at: now,
        withdraws: new.withdraws.clone(),
    };
    documents::insert(tx, &record).await?;
    audit::append(
        tx,
        NewEvent::new(
            actor,
            AuditKind::DocumentIssued,
            AuditSubject::Document(id),
            serde_json::json!({
                "code": code.to_string(),
                "kind": new.kind,
                "subject": new.subject,
                "fingerprint": fingerprint,
                "withdraws": new.withdraws.as_ref().map(ToString::to_string),
            }),
        ),
        now,
    )
    .await?;
    Ok(IssuedDocument {
        id,
        code,
        kind: new.kind,
        subject: new.subject,
        title: new.title,
        fingerprint,
        text,
        issued_at: now,
    })
}

/// Opens a stored document's text in the caller's transaction.
pub(crate) async fn open(tx: &TenantTx, keyring: &Keyring, record: &DocumentRecord) -> Result<String, Error> {
    let key = keys::by_id(tx, keyring, record.data_key_id).await?;
    let text = crypto::open(&key, &record.sealed_text, record.id.as_uuid().as_bytes())?;
    String::from_utf8(text).map_err(Error::internal)
}

fn new_code(commune: &Commune) -> Result<VerificationCode, Error> {
    let mut rng = rand::rng();
    let random: String =
        (0..CODE_LENGTH).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect();
    VerificationCode::new(&commune.spec.tracking_prefix, &random).map_err(Error::internal)
}

/// The kind of a certificate of tacit acceptance.
const TACIT_ACCEPTANCE: &str = "request.tacit_acceptance";

/// What a certificate of tacit acceptance states, beside the names.
struct TacitFacts {
    number: String,
    tracking_code: String,
    submitted_on: String,
    due: String,
    approved_on: String,
}

fn tacit_certificate_title() -> LocalizedText {
    LocalizedText::ar_fr("شهادة الموافقة الضمنية", "Attestation d'acceptation tacite")
        .with(Locale::En, "Certificate of tacit approval")
        .with(Locale::Tzm, "ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵇⴱⵓⵍ ⵙ ⵓⵙⵙⵓⵙⵎ")
        .with(Locale::Es, "Certificado de aceptación tácita")
}

fn not_tacitly_approved() -> LocalizedText {
    LocalizedText::ar_fr(
        "لم تتم الموافقة على هذا الطلب ضمنيا عند انقضاء أجله.",
        "Cette demande n'a pas été acceptée tacitement à l'échéance de son délai.",
    )
    .with(Locale::En, "This request was not tacitly approved when its time limit ended.")
    .with(Locale::Tzm, "ⴰⵙⵓⵜⵔ ⴰⴷ ⵓⵔ ⵉⵜⵜⵓⵇⴱⴰⵍ ⵙ ⵓⵙⵙⵓⵙⵎ ⴳ ⵜⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ ⵏⵏⵙ.")
    .with(Locale::Es, "Esta solicitud no fue aceptada tácitamente al vencer su plazo.")
}

/// The certificate's text in one language: the commune, the number, the request, its dates, and the rule
/// that the silence of the administration within the legal time limit means acceptance, with the legal
/// references of the procedure.
fn tacit_certificate_text(
    locale: Locale,
    facts: &TacitFacts,
    commune: &str,
    procedure: &str,
    references: &[String],
) -> String {
    let TacitFacts { number, tracking_code, submitted_on, due, approved_on } = facts;
    let title = tacit_certificate_title();
    let title = title.get(locale, &[Locale::Fr]);
    let references = references.join(locale_separator(locale));
    match locale {
        Locale::Ar => format!(
            "{commune}\n{title} رقم {number}\nرقم التتبع: {tracking_code}\nالمسطرة: {procedure}\n\
             تاريخ الإيداع: {submitted_on}\nأجل البت: {due}\n\
             لم تبت الإدارة في الطلب داخل الأجل القانوني، فيعتبر سكوتها موافقة ضمنية ابتداء من {approved_on} \
             (المرسوم رقم 2.22.141؛ القانون رقم 55.19).\nالمراجع: {references}"
        ),
        Locale::Tzm => format!(
            "{commune}\n{title} ⵓⵟⵟⵓⵏ {number}\nⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⴹⴼⴼⵓⵔ: {tracking_code}\nⵜⴰⵙⵍⴽⵉⵜ: {procedure}\n\
             ⴰⵙⵔⵙ: {submitted_on}\nⴰⵣⵎⵣ ⵏ ⵜⴳⵜⵜⵓⵎⵜ: {due}\n\
             ⵜⴰⵏⴱⴱⴰⴹⵜ ⵓⵔ ⵜⴳⵣⵎ ⴳ ⵓⵣⵎⵣ ⴰⵏⵥⵎⴰⵢ: ⴰⵙⵙⵓⵙⵎ ⵏⵏⵙ ⵉⴳⴰ ⴰⵇⴱⵓⵍ ⵙⴳ {approved_on} \
             (ⴰⵙⵖⵏⵓ 2.22.141; ⴰⵏⴰⴹ 55.19).\nⵉⵙⵓⵖⵏ: {references}"
        ),
        Locale::En => format!(
            "{commune}\n{title} no. {number}\nTracking code: {tracking_code}\nProcedure: {procedure}\n\
             Submitted on: {submitted_on}\nDecision due: {due}\n\
             The administration did not decide within the legal time limit: its silence means approval as of \
             {approved_on} (decree no. 2.22.141; law no. 55.19).\nReferences: {references}"
        ),
        Locale::Es => format!(
            "{commune}\n{title} n.º {number}\nCódigo de seguimiento: {tracking_code}\nTrámite: {procedure}\n\
             Presentada el: {submitted_on}\nPlazo de decisión: {due}\n\
             La administración no decidió en el plazo legal: su silencio equivale a aceptación desde el \
             {approved_on} (decreto n.º 2.22.141; ley n.º 55.19).\nReferencias: {references}"
        ),
        Locale::Fr => format!(
            "{commune}\n{title} n° {number}\nCode de suivi : {tracking_code}\nProcédure : {procedure}\n\
             Déposée le : {submitted_on}\nDate limite de décision : {due}\n\
             L'administration n'a pas statué dans le délai légal : son silence vaut acceptation à compter du \
             {approved_on} (décret n° 2.22.141 ; loi n° 55.19).\nRéférences : {references}"
        ),
    }
}

fn locale_separator(locale: Locale) -> &'static str {
    if locale == Locale::Ar { "؛ " } else { "; " }
}

fn invalid_code() -> Error {
    Error::field(
        "code",
        FieldErrorCode::InvalidValue,
        LocalizedText::ar_fr(
            "رمز التحقق غير صالح (مثال: CHF-7K3M-9XQ2-HT4P).",
            "Code de vérification invalide (exemple : CHF-7K3M-9XQ2-HT4P).",
        )
        .with(Locale::En, "Invalid verification code (example: CHF-7K3M-9XQ2-HT4P).")
        .with(Locale::Tzm, "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⵙⵏⵇⴷ ⵓⵔ ⵜⵚⵃⵉ (ⴰⵎ CHF-7K3M-9XQ2-HT4P)."),
    )
}

impl Jamaa {
    /// Verifies a code, and optionally that `text` is the document issued under it. Anyone may ask; an
    /// unknown code is NOT_FOUND. Nothing of the document's content is returned.
    pub async fn verify_document(&self, code: &str, text: Option<&str>) -> Result<DocumentVerification, Error> {
        let code = VerificationCode::parse(code).map_err(|_| invalid_code())?;
        let commune = communes::by_tracking_prefix(self.store.conn(), self.store.cache(), code.prefix())
            .await?
            .ok_or(Error::NotFound("document"))?;
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = documents::by_code(&tx, &code).await?.ok_or(Error::NotFound("document"))?;
        let withdrawn = documents::withdrawal_of(&tx, &code).await?.map(|notice| Withdrawal {
            code: notice.code,
            title: notice.title,
            issued_at: notice.issued_at,
        });
        tx.commit().await?;
        let text_matches = text.map(|text| verification::fingerprint(text) == record.fingerprint);
        Ok(DocumentVerification {
            code: record.code,
            commune,
            kind: record.kind,
            title: record.title,
            fingerprint: record.fingerprint,
            issued_at: record.issued_at,
            text_matches,
            withdrawn,
        })
    }

    /// Issues the decision of a closed request as a verifiable document: the commune, the procedure, the
    /// tracking code, the dates and the outcome, in Arabic and French. Staff of the commune only; a request
    /// still open is refused.
    pub async fn issue_request_decision(
        &self,
        principal: &Principal,
        commune: &Commune,
        request: RequestId,
    ) -> Result<IssuedDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::ActOnRequests)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, request).await?.ok_or(Error::NotFound("request"))?;
        let (Some(outcome), Some(closed_at)) = (record.outcome, record.closed_at) else {
            return Err(Error::field(
                "requestId",
                FieldErrorCode::InvalidValue,
                LocalizedText::ar_fr("لم يتم البت في الطلب بعد.", "La demande n'est pas encore décidée.")
                    .with(Locale::En, "The request is not decided yet.")
                    .with(Locale::Tzm, "ⴰⵙⵓⵜⵔ ⵓⵔ ⴷⴰ ⵉⵜⵜⵓⴳⵣⴰⵎ."),
            ));
        };
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let state = service.definition.workflow.state(&record.state).map(|s| s.label.clone()).unwrap_or_default();
        let fallbacks = commune.fallbacks();
        let name = |text: &LocalizedText, locale: Locale| text.get(locale, &fallbacks).to_owned();
        let commune_name = |locale: Locale| name(&commune.spec.name, locale);
        let date = |at: DateTime<Utc>| at.with_timezone(&commune.time_zone()).format("%Y-%m-%d").to_string();
        let text = [
            format!("{} — {}", commune_name(Locale::Ar), commune_name(Locale::Fr)),
            String::new(),
            "قرار في طلب — Décision sur une demande".to_owned(),
            format!("رقم التتبع / Code de suivi : {}", record.tracking_code),
            format!(
                "المسطرة / Procédure : {} — {}",
                name(&service.definition.name, Locale::Ar),
                name(&service.definition.name, Locale::Fr)
            ),
            format!("تاريخ الإيداع / Déposée le : {}", date(record.submitted_at)),
            format!("تاريخ القرار / Décidée le : {}", date(closed_at)),
            format!(
                "القرار / Décision : {} — {} ({})",
                name(&state, Locale::Ar),
                name(&state, Locale::Fr),
                outcome.as_str()
            ),
        ]
        .join("\n");
        let issued = issue(
            &tx,
            &self.keyring,
            commune,
            NewDocument {
                kind: "request.decision".to_owned(),
                subject: format!("request:{}", record.id),
                title: LocalizedText::ar_fr("قرار في طلب", "Décision sur une demande")
                    .with(Locale::En, "Decision on a request")
                    .with(Locale::Tzm, "ⵜⴰⴳⵜⵜⵓⵎⵜ ⵖⴼ ⵓⵙⵓⵜⵔ"),
                text,
                withdraws: None,
            },
            &principal.actor(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Issues the certificate of tacit acceptance of a request the system approved when its decision date
    /// passed (decree 2.22.141; law 55.19), as a verifiable document numbered per commune and year, its text in
    /// each of the commune's languages. Issued by staff holding a role that may take the decision the silence
    /// stood for (the timer's `standsFor`; else any role of the workflow), with `act_on_requests`. Issuing it
    /// again returns the certificate already issued: the request's certificate counter is taken first, so a
    /// concurrent second call waits, then finds it.
    pub async fn issue_tacit_acceptance_certificate(
        &self,
        principal: &Principal,
        commune: &Commune,
        request: RequestId,
    ) -> Result<IssuedDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::ActOnRequests)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, request).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let workflow = &service.definition.workflow;
        let history = requests::history(&tx, record.id).await?;
        let approved = (record.outcome == Some(Outcome::Approved))
            .then(|| history.iter().rev().find(|step| step.to_state == record.state))
            .flatten()
            .filter(|step| step.actor == "system")
            .and_then(|step| {
                let from = step.from_state.as_deref()?;
                workflow.timers.iter().find(|timer| timer.state == from && timer.action == step.action)
            });
        let (Some(timer), Some(closed_at)) = (approved, record.closed_at) else {
            return Err(Error::field("requestId", FieldErrorCode::InvalidValue, not_tacitly_approved()));
        };
        let deciding: BTreeSet<&str> = match timer.stands_for.as_deref().and_then(|key| workflow.action(key)) {
            Some(action) => action
                .actors
                .iter()
                .filter_map(|actor| match actor {
                    ActorRule::Role(role) => Some(role.as_str()),
                    ActorRule::Applicant | ActorRule::System => None,
                })
                .collect(),
            None => workflow.roles(),
        };
        if !principal.roles_in(commune.id).iter().any(|role| deciding.contains(role.as_str())) {
            return Err(Error::Forbidden(
                "only staff who may take the decision the silence stood for issue its certificate".into(),
            ));
        }
        let subject = format!("request:{}", record.id);
        let year = closed_at.with_timezone(&commune.time_zone()).year();
        // Serializes issuances of this request's certificate (the row stays locked until the end).
        let number = requests::next_in_sequence(&tx, &format!("tacit-certificate:{year}")).await?;
        if let Some(existing) =
            documents::by_subject(&tx, &subject).await?.into_iter().find(|document| document.kind == TACIT_ACCEPTANCE)
        {
            // Already issued: the number just taken is given back with the rolled-back transaction.
            let text = open(&tx, &self.keyring, &existing).await?;
            tx.rollback().await?;
            return Ok(IssuedDocument {
                id: existing.id,
                code: existing.code,
                kind: existing.kind,
                subject: existing.subject,
                title: existing.title,
                fingerprint: existing.fingerprint,
                text,
                issued_at: existing.issued_at,
            });
        }
        let fallbacks = commune.fallbacks();
        let zone = commune.time_zone();
        let date = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d").to_string();
        let facts = TacitFacts {
            number: format!("{year}/{number:06}"),
            tracking_code: record.tracking_code.to_string(),
            submitted_on: date(record.submitted_at),
            due: record.decision_due.to_string(),
            approved_on: date(closed_at),
        };
        let text = commune
            .spec
            .locales
            .iter()
            .map(|&locale| {
                let name = |text: &LocalizedText| text.get(locale, &fallbacks).to_owned();
                let references: Vec<String> =
                    service.definition.legal_references.iter().map(|reference| name(&reference.title)).collect();
                tacit_certificate_text(
                    locale,
                    &facts,
                    &name(&commune.spec.name),
                    &name(&service.definition.name),
                    &references,
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        let issued = issue(
            &tx,
            &self.keyring,
            commune,
            NewDocument {
                kind: TACIT_ACCEPTANCE.to_owned(),
                subject,
                title: tacit_certificate_title(),
                text,
                withdraws: None,
            },
            &principal.actor(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// The documents issued about a request, with their texts, for the commune's staff (each reading is an
    /// audit event, since texts may hold personal data).
    pub async fn request_documents(
        &self,
        principal: &Principal,
        commune: &Commune,
        request: RequestId,
    ) -> Result<Vec<IssuedDocument>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        requests::by_id(&tx, request).await?.ok_or(Error::NotFound("request"))?;
        let issued = read_about_request(&tx, &self.keyring, request, &principal.actor(), now).await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// The documents issued about a request (an extract delivered from the register, a decision, a
    /// certificate), with their texts, for its applicant: the tracking code and the citizen's secret, a wrong
    /// secret answering like an unknown code. Each reading is an audit event.
    pub async fn tracked_documents(
        &self,
        tracking_code: &str,
        secret: &secrecy::SecretString,
    ) -> Result<Vec<IssuedDocument>, Error> {
        let (_, tx, record) = self.tracked(tracking_code, secret).await?;
        let now = self.now();
        let actor = format!("applicant:{}", record.tracking_code);
        let issued = read_about_request(&tx, &self.keyring, record.id, &actor, now).await?;
        tx.commit().await?;
        Ok(issued)
    }
}

/// The documents issued about `request`, opened, each reading recorded as an audit event of `actor`.
pub(super) async fn read_about_request(
    tx: &TenantTx,
    keyring: &Keyring,
    request: RequestId,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<IssuedDocument>, Error> {
    let records = documents::by_subject(tx, &format!("request:{request}")).await?;
    let mut issued = Vec::with_capacity(records.len());
    for record in records {
        let text = open(tx, keyring, &record).await?;
        let event = NewEvent::new(
            actor,
            AuditKind::DocumentRead,
            AuditSubject::Document(record.id),
            serde_json::json!({ "code": record.code.to_string() }),
        );
        audit::append(tx, event, now).await?;
        issued.push(IssuedDocument {
            id: record.id,
            code: record.code,
            kind: record.kind,
            subject: record.subject,
            title: record.title,
            fingerprint: record.fingerprint,
            text,
            issued_at: record.issued_at,
        });
    }
    Ok(issued)
}
