//! Documents a commune issues and anyone can verify: each carries a verification code (which names its
//! commune) and the fingerprint of its text. The text is kept sealed under the commune's data key, since
//! extracts and copies hold personal data; verifying shows only who issued what and when, and whether a text
//! presented is the one issued. Each document is also rendered once, when it is issued, as a PDF/A (`crate::pdf`,
//! on a blocking thread): its bytes are sealed beside the text and their SHA-256 is what verifying a PDF
//! compares, so a PDF stays authentic whatever later layouts look like.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::auth::{Permission, Principal};
use crate::crypto::{self, Keyring};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::document_layout::DocumentLayout;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{DocumentId, RequestId};
use crate::model::keys::RoleKey;
use crate::model::settings::SettingsSection;
use crate::model::verification::{self, CODE_ALPHABET, CODE_LENGTH, VerificationCode};
use crate::model::workflow::{ActorRule, Outcome};
use crate::pdf::Sheet;
use crate::store::documents::{self, DocumentRecord, SealedPdf};
use crate::store::{TenantTx, audit, catalog, communes, config, keys, requests};

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
    /// SHA-256 of its PDF, hex; none for a document issued before PDFs were.
    pub pdf_fingerprint: Option<String>,
}

impl IssuedDocument {
    /// A stored document with its text, once opened (`open`).
    pub(crate) fn from_record(record: DocumentRecord, text: String) -> Self {
        Self {
            id: record.id,
            code: record.code,
            kind: record.kind,
            subject: record.subject,
            title: record.title,
            fingerprint: record.fingerprint,
            text,
            issued_at: record.issued_at,
            pdf_fingerprint: record.pdf.map(|pdf| pdf.fingerprint),
        }
    }
}

/// What is presented to be checked against a document: its text, its PDF by fingerprint (SHA-256, hex), both
/// or neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presented<'a> {
    pub text: Option<&'a str>,
    pub pdf_fingerprint: Option<&'a str>,
}

/// An issued document's PDF, for whoever holds its verification code.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentPdf {
    pub code: VerificationCode,
    pub bytes: Vec<u8>,
    pub fingerprint: String,
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
    /// SHA-256 of the PDF issued, hex; `None` for a document issued before PDFs were.
    pub pdf_fingerprint: Option<String>,
    /// Whether the PDF presented is the one issued, byte for byte; `None` when no PDF was presented.
    pub pdf_matches: Option<bool>,
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

/// What issuing a document needs beside the transaction: the keys that seal it and the server's public address
/// (the QR code of its PDF leads to `/verify` there).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Press<'a> {
    pub keyring: &'a Keyring,
    pub public_url: &'a str,
}

impl Jamaa {
    pub(crate) fn press(&self) -> Press<'_> {
        Press { keyring: &self.keyring, public_url: self.public_url() }
    }
}

/// Issues a document in the caller's transaction: draws its code, fingerprints and seals its text, renders,
/// fingerprints and seals its PDF, and records the issuance in the audit chain.
pub(crate) async fn issue(
    tx: &TenantTx,
    press: &Press<'_>,
    commune: &Commune,
    new: NewDocument,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<IssuedDocument, Error> {
    let id = DocumentId::new();
    let code = new_code(commune)?;
    let text = verification::normalize_text(&new.text);
    let fingerprint = verification::fingerprint(&text);
    let layout = match DocumentLayout::from_settings(&config::get(tx).await?.settings) {
        Some(Ok(layout)) => layout,
        Some(Err(problem)) => return Err(Error::internal(format!("settings.documents does not load: {problem}"))),
        None => DocumentLayout::standard(commune.spec.country),
    };
    let sheet = sheet(commune, &layout, &new.title, &text, &code, now, press.public_url);
    let pdf = tokio::task::spawn_blocking(move || crate::pdf::render(&sheet)).await.map_err(Error::internal)??;
    let pdf_fingerprint = hex::encode(Sha256::digest(&pdf));
    let (data_key_id, key) = keys::current(tx, press.keyring, now).await?;
    let sealed_text = crypto::seal(&key, text.as_bytes(), id.as_uuid().as_bytes())?;
    let sealed_pdf = crypto::seal(&key, &pdf, &pdf_context(id))?;
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
        pdf: Some(SealedPdf { fingerprint: pdf_fingerprint.clone(), sealed: sealed_pdf }),
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
                "pdfFingerprint": pdf_fingerprint,
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
        pdf_fingerprint: Some(pdf_fingerprint),
    })
}

/// What a document's PDF is sealed with beside the key: its id, and that it is the PDF (not the text).
fn pdf_context(id: DocumentId) -> Vec<u8> {
    let mut context = id.as_uuid().as_bytes().to_vec();
    context.extend_from_slice(b"pdf");
    context
}

/// Opens a stored document's PDF in the caller's transaction; none for a document issued before PDFs were.
async fn open_pdf(tx: &TenantTx, keyring: &Keyring, record: &DocumentRecord) -> Result<Option<Vec<u8>>, Error> {
    let Some(pdf) = &record.pdf else { return Ok(None) };
    let key = keys::by_id(tx, keyring, record.data_key_id).await?;
    Ok(Some(crypto::open(&key, &pdf.sealed, &pdf_context(record.id))?))
}

/// The sheet of a document: the state's and the commune's names in Arabic and French, the title, the text as
/// issued, the date of issue in the commune's time zone, the code, and how to verify it.
fn sheet(
    commune: &Commune,
    layout: &DocumentLayout,
    title: &LocalizedText,
    text: &str,
    code: &VerificationCode,
    issued_at: DateTime<Utc>,
    public_url: &str,
) -> Sheet {
    let fallbacks = commune.fallbacks();
    let ar = |text: &LocalizedText| text.get(Locale::Ar, &fallbacks).to_owned();
    let fr = |text: &LocalizedText| text.get(Locale::Fr, &fallbacks).to_owned();
    let local = issued_at.with_timezone(&commune.time_zone());
    let date = local.format("%Y-%m-%d").to_string();
    // After Arabic letters, digits are Arabic numbers and a hyphen between them stays a separator, so that
    // `2026-12-06` would read `06-12-2026`; a slash joins them into one number run (UAX #9, rule W4).
    let date_ar = local.format("%Y/%m/%d").to_string();
    let verify_page = format!("{}/verify", public_url.trim_end_matches('/'));
    Sheet {
        heading_ar: layout.heading.iter().chain([&commune.spec.name]).map(ar).collect(),
        heading_fr: layout.heading.iter().chain([&commune.spec.name]).map(fr).collect(),
        title: vec![ar(title), fr(title)],
        body: text.to_owned(),
        facts: vec![
            format!("تاريخ الإصدار: {date_ar}"),
            format!("Délivré le : {date}"),
            format!("رمز التحقق: {code}"),
            format!("Code de vérification : {code}"),
        ],
        code: code.to_string(),
        verify_url: format!("{verify_page}/{code}"),
        footer: vec![layout.footer_in(Locale::Ar, &verify_page), layout.footer_in(Locale::Fr, &verify_page)],
        metadata_title: fr(title),
        author: fr(&commune.spec.name),
        issued_at,
    }
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
        self.verify_presented(code, Presented { text, pdf_fingerprint: None }).await
    }

    /// Verifies a code, and that what is presented (a text, or a PDF by its SHA-256) is the document issued
    /// under it. A PDF matches only the one issued, byte for byte; a document issued before PDFs were matches
    /// none. Anyone may ask; an unknown code is NOT_FOUND.
    pub async fn verify_presented(&self, code: &str, presented: Presented<'_>) -> Result<DocumentVerification, Error> {
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
        let pdf_fingerprint = record.pdf.map(|pdf| pdf.fingerprint);
        let text_matches = presented.text.map(|text| verification::fingerprint(text) == record.fingerprint);
        let pdf_matches = presented.pdf_fingerprint.map(|presented| {
            let presented = presented.trim().to_ascii_lowercase();
            pdf_fingerprint.as_deref().is_some_and(|issued| issued == presented)
        });
        Ok(DocumentVerification {
            code: record.code,
            commune,
            kind: record.kind,
            title: record.title,
            fingerprint: record.fingerprint,
            issued_at: record.issued_at,
            text_matches,
            pdf_fingerprint,
            pdf_matches,
            withdrawn,
        })
    }

    /// The PDF of the document issued under `code` in `commune`, for whoever holds the code (the secret printed
    /// on the document, as `/verify` takes it). A code of another commune, unknown, malformed, or of a document
    /// issued before PDFs were, is NOT_FOUND. Each download is an audit event of the document.
    pub async fn document_pdf(&self, commune: &Commune, code: &str) -> Result<DocumentPdf, Error> {
        let code = VerificationCode::parse(code).map_err(|_| Error::NotFound("document"))?;
        if code.prefix() != commune.spec.tracking_prefix.as_str() {
            return Err(Error::NotFound("document"));
        }
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let record = documents::by_code(&tx, &code).await?.ok_or(Error::NotFound("document"))?;
        let (Some(bytes), Some(pdf)) = (open_pdf(&tx, &self.keyring, &record).await?, record.pdf.as_ref()) else {
            return Err(Error::NotFound("document"));
        };
        let event = NewEvent::new(
            "verification-code",
            AuditKind::DocumentRead,
            AuditSubject::Document(record.id),
            serde_json::json!({ "code": code.to_string(), "pdf": true }),
        );
        audit::append(&tx, event, now).await?;
        tx.commit().await?;
        Ok(DocumentPdf { code, bytes, fingerprint: pdf.fingerprint.clone() })
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
        // An approval follows the conditions the commission's bodies set: the decision states them.
        let mut text = text;
        if outcome == crate::model::workflow::Outcome::Approved {
            let opinions = crate::store::opinions::of_request(&tx, record.id).await?;
            let conditions = opinions
                .iter()
                .filter(|o| o.kind == crate::model::workflow::OpinionKind::FavourableWithConditions)
                .filter_map(|o| o.reasons.as_deref());
            for condition in conditions {
                text.push_str(&format!("\nشرط / Condition : {condition}"));
            }
        }
        let issued = issue(
            &tx,
            &self.press(),
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
        let deciding: BTreeSet<&RoleKey> = match timer.stands_for.as_deref().and_then(|key| workflow.action(key)) {
            Some(action) => action
                .actors
                .iter()
                .filter_map(|actor| match actor {
                    ActorRule::Role(role) => Some(role),
                    ActorRule::Applicant | ActorRule::System => None,
                })
                .collect(),
            None => workflow.roles(),
        };
        if !principal.roles_in(commune.id).iter().any(|role| deciding.contains(role)) {
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
            return Ok(IssuedDocument::from_record(existing, text));
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
            &self.press(),
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
        issued.push(IssuedDocument::from_record(record, text));
    }
    Ok(issued)
}
