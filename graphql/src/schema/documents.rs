//! Verifiable documents over GraphQL: anyone verifies a code (and a text); staff issue a closed request's
//! decision and read the documents of a request.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use jamaa_core::service::{DocumentVerification as CoreVerification, IssuedDocument as CoreIssued, Presented};

use super::call::{Call, InCommune, InLang, subject_id};
use super::page::{Listing, in_memory};
use super::types::Commune;
use super::{Lang, jamaa};

/// The path of a code's verification page, relative to the server.
pub fn verify_path(code: &str) -> String {
    format!("/verify/{code}")
}

/// The path of a document's PDF on this server, found from its code's commune; none for a document issued
/// before PDFs were.
async fn pdf_path_of(ctx: &Context<'_>, code: &jamaa_core::model::verification::VerificationCode) -> Result<String> {
    let commune = jamaa(ctx)
        .commune_by_tracking_prefix(code.prefix())
        .await?
        .ok_or_else(|| async_graphql::Error::new("the document's commune is unknown"))?;
    Ok(crate::document_pdfs::pdf_path(commune.spec.slug.as_str(), &code.to_string()))
}

/// What verifying a code shows: who issued what, when, and its fingerprint; never the text.
pub struct DocumentVerification {
    verification: CoreVerification,
    lang: Lang,
}

#[Object]
impl DocumentVerification {
    async fn code(&self) -> String {
        self.verification.code.to_string()
    }
    /// The issuing commune.
    async fn commune(&self) -> Commune {
        Commune::new(self.verification.commune.clone(), self.lang.clone())
    }
    /// What the document is: `request.decision`, `civil_status.extract`, …
    async fn kind(&self) -> &str {
        &self.verification.kind
    }
    async fn title(&self) -> String {
        self.lang.text(&self.verification.title)
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.verification.issued_at
    }
    /// SHA-256 of the normalized text, hex; documents print its first 16 digits.
    async fn fingerprint(&self) -> &str {
        &self.verification.fingerprint
    }
    /// Whether the text given is the one issued; null when no text was given.
    async fn text_matches(&self) -> Option<bool> {
        self.verification.text_matches
    }
    /// SHA-256 of the PDF issued, hex: a PDF is the authentic document when its own SHA-256 is this one. Null for
    /// a document issued before PDFs were.
    async fn pdf_fingerprint(&self) -> Option<&str> {
        self.verification.pdf_fingerprint.as_deref()
    }
    /// Whether the PDF given (by `pdfFingerprint`) is the one issued, byte for byte; null when none was given.
    async fn pdf_matches(&self) -> Option<bool> {
        self.verification.pdf_matches
    }
    /// Where whoever holds the code downloads the PDF issued (a path on this server); null for a document issued
    /// before PDFs were.
    async fn pdf_path(&self) -> Option<String> {
        self.verification.pdf_fingerprint.as_ref().map(|_| {
            crate::document_pdfs::pdf_path(
                self.verification.commune.spec.slug.as_str(),
                &self.verification.code.to_string(),
            )
        })
    }
    /// Whether a later document of the commune withdrew it (a notice of cancellation, its quittance): it then
    /// no longer proves what it states.
    async fn withdrawn(&self) -> bool {
        self.verification.withdrawn.is_some()
    }
    /// The code of the document that withdrew it; null while it stands.
    async fn withdrawn_by(&self) -> Option<String> {
        self.verification.withdrawn.as_ref().map(|w| w.code.to_string())
    }
    /// When it was withdrawn; null while it stands.
    async fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        self.verification.withdrawn.as_ref().map(|w| w.issued_at)
    }
}

/// A document issued by the commune, with its text (staff only).
pub struct IssuedDocument {
    issued: CoreIssued,
    lang: Lang,
}

impl IssuedDocument {
    pub(crate) fn new(issued: CoreIssued, lang: Lang) -> Self {
        Self { issued, lang }
    }
}

#[Object]
impl IssuedDocument {
    /// The document's id and the locale of its title.
    async fn id(&self) -> ID {
        self.lang.id(self.issued.id)
    }
    /// The verification code printed on the document.
    async fn code(&self) -> String {
        self.issued.code.to_string()
    }
    async fn kind(&self) -> &str {
        &self.issued.kind
    }
    async fn title(&self) -> String {
        self.lang.text(&self.issued.title)
    }
    async fn fingerprint(&self) -> &str {
        &self.issued.fingerprint
    }
    /// The text as issued (and fingerprinted).
    async fn text(&self) -> &str {
        &self.issued.text
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.issued.issued_at
    }
    /// Where anyone verifies it (the path of the page on this server).
    async fn verify_path(&self) -> String {
        verify_path(&self.issued.code.to_string())
    }
    /// SHA-256 of its PDF, hex; null for a document issued before PDFs were.
    async fn pdf_fingerprint(&self) -> Option<&str> {
        self.issued.pdf_fingerprint.as_deref()
    }
    /// Where its PDF is downloaded (a path on this server; the code is the key); null for a document issued
    /// before PDFs were.
    async fn pdf_path(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if self.issued.pdf_fingerprint.is_none() {
            return Ok(None);
        }
        pdf_path_of(ctx, &self.issued.code).await.map(Some)
    }
}

#[derive(Default)]
pub struct DocumentQuery;

#[Object]
impl DocumentQuery {
    /// Verifies a document's code and, when `text` is given, that the text is the one issued; when
    /// `pdfFingerprint` is given (the SHA-256 of a PDF, hex), that the PDF is the one issued. Anyone may ask; an
    /// unknown code is NOT_FOUND.
    async fn verify_document(
        &self,
        ctx: &Context<'_>,
        code: String,
        text: Option<String>,
        pdf_fingerprint: Option<String>,
        locale: Option<String>,
    ) -> Result<DocumentVerification> {
        let call = Call::with_locale(ctx, locale)?;
        let presented = Presented { text: text.as_deref(), pdf_fingerprint: pdf_fingerprint.as_deref() };
        let verification = call.jamaa.verify_presented(&code, presented).await.in_lang(&call)?;
        let lang = call.lang_of(&verification.commune);
        Ok(DocumentVerification { verification, lang })
    }

    /// The documents issued about a request (an extract or a copy delivered from the civil-status register, a
    /// decision, a certificate), with their texts, for its applicant: the tracking code and the citizen's
    /// secret, a wrong secret answering like an unknown code (each reading is audited).
    async fn tracked_documents(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        secret: String,
        locale: Option<String>,
    ) -> Result<Vec<IssuedDocument>> {
        let call = Call::with_locale(ctx, locale)?;
        let secret = secrecy::SecretString::from(secret);
        let documents = call.jamaa.tracked_documents(&tracking_code, &secret).await.in_lang(&call)?;
        let lang = call.lang.clone();
        Ok(documents.into_iter().map(|issued| IssuedDocument { issued, lang: lang.clone() }).collect())
    }

    /// The documents issued about a request, with their texts (the commune's staff; each reading is audited).
    async fn request_documents(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<IssuedDocument>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id = subject_id(&request_id, "request").in_lang(&call)?;
        let principal = call.principal;
        let documents = call.jamaa.request_documents(principal, &call.commune, id).await.in_lang(&call)?;
        in_memory(
            documents,
            first,
            after,
            call.locale(),
            |issued| issued.id.to_string(),
            |issued| IssuedDocument { issued, lang: call.lang.clone() },
        )
    }
}

#[derive(Default)]
pub struct DocumentMutation;

#[Object]
impl DocumentMutation {
    /// Issues the decision of a closed request as a verifiable document (the commune's staff).
    async fn issue_request_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        request_id: ID,
        locale: Option<String>,
    ) -> Result<IssuedDocument> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id = subject_id(&request_id, "request").in_lang(&call)?;
        let principal = call.principal;
        let issued = call.jamaa.issue_request_decision(principal, &call.commune, id).await.in_lang(&call)?;
        Ok(IssuedDocument { issued, lang: call.lang.clone() })
    }

    /// Issues the certificate of tacit acceptance of a request approved by the silence of the administration
    /// (decree 2.22.141), as a verifiable document in the commune's languages: staff who may take the decision
    /// the silence stood for. Issuing it again returns the same certificate.
    async fn issue_tacit_acceptance_certificate(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        request_id: ID,
        locale: Option<String>,
    ) -> Result<IssuedDocument> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id = subject_id(&request_id, "request").in_lang(&call)?;
        let principal = call.principal;
        let issued =
            call.jamaa.issue_tacit_acceptance_certificate(principal, &call.commune, id).await.in_lang(&call)?;
        Ok(IssuedDocument { issued, lang: call.lang.clone() })
    }
}
