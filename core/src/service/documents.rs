//! Documents a commune issues and anyone can verify: each carries a verification code (which names its
//! commune) and the fingerprint of its text. The text is kept sealed under the commune's data key, since
//! extracts and copies hold personal data; verifying shows only who issued what and when, and whether a text
//! presented is the one issued.

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::auth::{Permission, Principal};
use crate::crypto::{self, Keyring};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::NewEvent;
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{DocumentId, RequestId};
use crate::model::verification::{self, CODE_ALPHABET, CODE_LENGTH, VerificationCode};
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
    };
    documents::insert(tx, &record).await?;
    audit::append(
        tx,
        NewEvent::new(
            actor,
            "document.issued",
            format!("document:{id}"),
            serde_json::json!({
                "code": code.to_string(),
                "kind": new.kind,
                "subject": new.subject,
                "fingerprint": fingerprint,
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
        let records = documents::by_subject(&tx, &format!("request:{request}")).await?;
        let mut issued = Vec::with_capacity(records.len());
        for record in records {
            let text = open(&tx, &self.keyring, &record).await?;
            audit::append(
                &tx,
                NewEvent::new(
                    principal.actor(),
                    "document.read",
                    format!("document:{}", record.id),
                    serde_json::json!({ "code": record.code.to_string() }),
                ),
                now,
            )
            .await?;
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
        tx.commit().await?;
        Ok(issued)
    }
}
