//! Citizens' rights beyond procedures: petitions (reading, signing) and the proactive-publication list of
//! law 31.13 (reading, marking an item published).

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::ids::RequestId;
use jamaa_core::modules::petitions::model::ThresholdSource;
use jamaa_core::service::{PetitionView, PublicationStatus, SignPetition};
use secrecy::SecretString;

use super::Lang;
use super::call::{InCommune, InLang, subject_id};
use super::page::{Listing, in_memory};

#[derive(Default)]
pub struct CitizenQuery;

#[derive(Default)]
pub struct CitizenMutation;

/// A petition to the council, as anyone sees it: what it asks and how many signed, never who.
#[derive(SimpleObject)]
pub struct Petition {
    /// The petition's id and the locale of its text.
    pub id: ID,
    pub subject: String,
    pub text: String,
    /// Who presents the petition; null when the form's answer is neither (a form the commune changed).
    pub petitioner_type: Option<PetitionerType>,
    pub association_name: Option<String>,
    pub state: String,
    pub state_label: String,
    /// Verified signatures collected on the platform (one per national id).
    pub signatures: i64,
    /// The signatures a petition by citizens needs in this commune: the law's tier for its population
    /// (organic law 113.14, art. 123, in Morocco), or the commune's own setting when lower; null when neither
    /// is set.
    pub signature_threshold: Option<i64>,
    /// Where `signatureThreshold` comes from: the law and article, or "set by the commune" in the language
    /// asked for.
    pub signature_threshold_source: Option<String>,
    /// True when `signatureThreshold` is the law's, false when it is the commune's own setting.
    pub signature_threshold_by_law: Option<bool>,
    pub open_for_signatures: bool,
    pub submitted_at: DateTime<Utc>,
}

/// Who may present a petition to the council (organic law 113.14): citizens, or an association. Stored as the
/// petition form's `petitioner_type` answer (`citizens`, `association`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PetitionerType {
    Citizens,
    Association,
}

impl PetitionerType {
    fn of(stored: &str) -> Option<Self> {
        match stored {
            "citizens" => Some(PetitionerType::Citizens),
            "association" => Some(PetitionerType::Association),
            _ => None,
        }
    }
}

/// What a number the commune chose, not the law, is called.
fn set_by_the_commune() -> LocalizedText {
    LocalizedText::ar_fr("حددته الجماعة", "Fixé par la commune")
        .with(Locale::En, "Set by the commune")
        .with(Locale::Es, "Fijado por el municipio")
        .with(Locale::Tzm, "ⵜⵙⴱⴷⴷ ⵜ ⵜⵎⵙⵎⵓⵏⵜ")
}

impl Petition {
    fn new(view: PetitionView, lang: &Lang) -> Self {
        Self {
            id: lang.id(view.id),
            subject: view.subject,
            text: view.text,
            petitioner_type: PetitionerType::of(&view.petitioner_type),
            association_name: view.association_name,
            state: view.state,
            state_label: lang.text(&view.state_label),
            signatures: i64::try_from(view.signatures).unwrap_or(i64::MAX),
            signature_threshold: view.signature_threshold.as_ref().map(|t| i64::from(t.signatures)),
            signature_threshold_source: view.signature_threshold.as_ref().map(|t| match &t.source {
                ThresholdSource::Law { reference } => reference.clone(),
                ThresholdSource::CommuneSetting => lang.text(&set_by_the_commune()),
            }),
            signature_threshold_by_law: view
                .signature_threshold
                .as_ref()
                .map(|t| matches!(t.source, ThresholdSource::Law { .. })),
            open_for_signatures: view.open_for_signatures,
            submitted_at: view.submitted_at,
        }
    }
}

/// What a signature returns: the petition's count (the signature itself is not shown back).
#[derive(SimpleObject)]
pub struct SignPetitionPayload {
    pub signatures: i64,
}

/// An item of the list of documents the commune must publish of its own accord (law 31.13, art. 10).
#[derive(SimpleObject)]
pub struct Publication {
    pub key: String,
    pub label: String,
    pub published: bool,
    /// Where: an address on the web or a place.
    pub location: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Publication {
    fn new(status: PublicationStatus, lang: &Lang) -> Self {
        Self {
            key: status.item.key,
            label: lang.text(&status.item.label),
            published: status.published.is_some(),
            location: status.published.as_ref().map(|p| p.location.clone()),
            published_at: status.published.map(|p| p.published_at),
        }
    }
}

#[Object]
impl CitizenQuery {
    /// The commune's petitions, from submission to inscription on the council's agenda (public), oldest
    /// first.
    async fn petitions(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Petition>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let views = call.jamaa.petitions(&call.commune).await.in_lang(&call)?;
        in_memory(
            views,
            first,
            after,
            call.locale(),
            |view| view.id.to_string(),
            |view| Petition::new(view, &call.lang),
        )
    }

    /// The documents the commune must publish of its own accord (law 31.13, art. 10), each with whether and
    /// where it is published (public).
    async fn publications(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Publication>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let list = call.jamaa.publications(&call.commune).await.in_lang(&call)?;
        in_memory(
            list,
            first,
            after,
            call.locale(),
            |status| status.item.key.clone(),
            |status| Publication::new(status, &call.lang),
        )
    }
}

#[Object]
impl CitizenMutation {
    /// Signs a petition by citizens (anyone, with their national id and full name). A second signature with
    /// the same national id is refused: VALIDATION_FAILED with `ALREADY_SIGNED` at `nationalId`.
    #[allow(clippy::too_many_arguments)]
    async fn sign_petition(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        petition: ID,
        national_id: String,
        name: String,
        locale: Option<String>,
    ) -> Result<SignPetitionPayload> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let petition: RequestId = subject_id(&petition, "petition").in_lang(&call)?;
        let input =
            SignPetition { petition, national_id: SecretString::from(national_id), name: SecretString::from(name) };
        let count = call.jamaa.sign_petition(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(SignPetitionPayload { signatures: i64::try_from(count).unwrap_or(i64::MAX) })
    }

    /// Records where an item of the proactive-publication list is published (staff allowed to manage
    /// publications: the information officer, the president, administrators).
    async fn mark_published(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        item: String,
        location: String,
        locale: Option<String>,
    ) -> Result<Publication> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let status = call.jamaa.mark_published(call.principal, &call.commune, &item, &location).await.in_lang(&call)?;
        Ok(Publication::new(status, &call.lang))
    }
}
