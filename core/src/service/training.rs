//! Training communes: a copy of a real commune's configuration (catalog, workflows, forms, calendar, settings),
//! with its own staff accounts (`<slug>.<role>`, one password printed once) and fictitious files — the demo's
//! generated applicants, a birth, mail — for staff to practise on. A training commune is marked
//! (`CommuneStatus::Training`), counted in no national figure, listed in no public directory and publishes no
//! open data. An operator, or the scheduler every night when the commune is so set, puts it back to its
//! starting point: its files, registers and audit trail are deleted (the audit chain restarts: a training
//! commune's trail is no real register), then the same fictitious files are filed again; accounts and tokens
//! stay.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::Principal;
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::{Commune, CommuneStatus, Slug, TrainingReset};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::RoleKey;
use crate::model::template::ContentOverrides;
use crate::model::workflow::Actor;
use crate::store::{TenantScope, audit, communes, training};

use super::demo::{birth_at, demo_mail, sample_requests};
use super::{CommuneIdentity, Jamaa, NewApiToken, NewUser};

/// A training commune just made: its accounts, their password and a staff token (shown once).
#[derive(Debug)]
pub struct TrainingCommune {
    pub commune: Commune,
    /// One login per role of the commune (`oujda-training.counter_agent`), each holding that role.
    pub logins: Vec<(RoleKey, String)>,
    /// The password of every login.
    pub password: SecretString,
    /// A staff token with every role.
    pub token: SecretString,
}

/// What a reset did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingResetReport {
    pub slug: String,
    /// Fictitious requests filed again.
    pub requests: usize,
}

/// How an operator asks for a training commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTrainingCommune {
    /// The real commune whose configuration it copies.
    pub from: String,
    /// Its slug: `<from>-training` unless given.
    pub slug: Option<String>,
    pub reset: TrainingReset,
}

/// The citizen's secret of a training commune's `n`-th fictitious file (from 1), e.g. `TRAINING-OUJDA-TRAINING-1`:
/// trainees try tracking with it.
pub fn training_secret(slug: &str, n: usize) -> String {
    format!("TRAINING-{}-{n}", slug.to_ascii_uppercase())
}

/// The mark a training commune's name carries, in every language the platform writes.
fn training_mark(locale: Locale) -> &'static str {
    match locale {
        Locale::Ar => "تدريب",
        Locale::Tzm => "ⴰⵙⵍⵎⴷ",
        Locale::En => "training",
        Locale::Es => "formación",
        _ => "formation",
    }
}

fn field(path: &str, code: FieldErrorCode, fr: &str, en: &str, ar: &str, tzm: &str) -> Error {
    Error::Validation(vec![FieldError::new(
        path,
        code,
        LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm),
    )])
}

fn not_training() -> Error {
    field(
        "commune",
        FieldErrorCode::InvalidValue,
        "Cette commune n'est pas une commune de formation : elle n'est jamais remise à zéro.",
        "This commune is not a training commune: it is never reset.",
        "هذه الجماعة ليست جماعة تدريب: لا تُعاد أبدا إلى حالتها الأولى.",
        "ⵜⴰⵊⵎⴰⵄⵜ ⴰⴷ ⵓⵔ ⵜⴳⵉ ⵜⴰⵊⵎⴰⵄⵜ ⵏ ⵓⵙⵍⵎⴷ: ⵓⵔ ⴷ ⵜⵜⵓⵔⴰⵔ ⴰⴱⴷⴰ ⵖⵔ ⵜⵉⵣⵡⵉⵔⵉ ⵏⵏⵙ.",
    )
}

impl Jamaa {
    /// Makes a training commune from a real one (operators): its configuration copied by replication, a
    /// login per role with one fresh password, a staff token, and the fictitious files.
    #[tracing::instrument(skip_all, fields(from = %input.from))]
    pub async fn create_training_commune(
        &self,
        principal: &Principal,
        input: NewTrainingCommune,
    ) -> Result<TrainingCommune, Error> {
        super::replication::require_operator(principal)?;
        let source = self.commune(&input.from).await?;
        if source.status == CommuneStatus::Training {
            return Err(field(
                "from",
                FieldErrorCode::InvalidValue,
                "Une commune de formation se copie d'une commune réelle, pas d'une autre commune de formation.",
                "A training commune is copied from a real commune, not from another training commune.",
                "تُنسخ جماعة التدريب من جماعة حقيقية، لا من جماعة تدريب أخرى.",
                "ⵜⴰⵊⵎⴰⵄⵜ ⵏ ⵓⵙⵍⵎⴷ ⵜⵜⵓⵙⵏⵖⵍ ⵙⴳ ⵜⵊⵎⴰⵄⵜ ⵜⵉⴷⵜ, ⵓⵔ ⵜⵜⵓⵙⵏⵖⵍ ⵙⴳ ⵜⵊⵎⴰⵄⵜ ⵏⵏⵉⴹⵏ ⵏ ⵓⵙⵍⵎⴷ.",
            ));
        }
        let slug = input.slug.unwrap_or_else(|| format!("{}-training", source.spec.slug));
        let slug = Slug::parse(&slug).map_err(|_| {
            field(
                "slug",
                FieldErrorCode::InvalidValue,
                "Identifiant : 2 à 64 minuscules, chiffres et tirets simples.",
                "Slug: 2–64 lowercase letters, digits and single hyphens.",
                "المعرّف: من 2 إلى 64 حرفا صغيرا أو رقما أو شرطة مفردة.",
                "ⴰⵎⴰⵜⴰⵔ: 2–64 ⵏ ⵜⵙⴽⴽⵉⵡⵉⵏ ⵜⵉⵎⵥⵥⵉⵢⵏ, ⵉⵎⴹⴰⵏ ⴷ ⵉⵣⵔⵉⵔⵉⴳⵏ.",
            )
        })?;
        let mut name = LocalizedText::new();
        for locale in source.spec.name.locales() {
            let text = source.spec.name.exact(locale).unwrap_or_default();
            name = name.with(locale, format!("{text} ({})", training_mark(locale)));
        }
        let identity = CommuneIdentity {
            tracking_prefix: self.free_tracking_prefix(principal, &slug).await?,
            slug,
            name,
            official_code: None,
            region: source.spec.region.clone(),
            province: source.spec.province.clone(),
            population: source.spec.population,
        };
        let bundle = Box::pin(self.export_as_needed(principal, &source)).await?;
        let training = Some((source.spec.slug.as_str(), input.reset));
        let commune =
            Box::pin(self.onboard_as(principal, &bundle, identity, &ContentOverrides::default(), training)).await?;

        let mut bytes = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let password = SecretString::from(hex::encode(bytes));
        let roles = self.commune_content(principal, &commune).await?.roles;
        // Accounts' names are in the commune's own language (Arabic for a Moroccan commune), as its staff's are.
        let fallbacks = commune.fallbacks();
        let in_commune_language = |text: &LocalizedText| text.get(commune.spec.default_locale, &fallbacks).to_owned();
        let commune_name = in_commune_language(&commune.spec.name);
        let mut logins = Vec::new();
        for role in &roles {
            let login = format!("{}.{}", commune.spec.slug, role.key);
            let new = NewUser {
                login: login.clone(),
                display_name: format!("{} — {commune_name}", in_commune_language(&role.label)),
                password: password.clone(),
                operator: false,
            };
            match self.create_user(&Principal::Platform, new).await {
                Ok(_) => {}
                // A login left by an earlier training commune of this slug: it gets the new password.
                Err(Error::Conflict(_)) => self.set_password(&Principal::Platform, &login, password.clone()).await?,
                Err(error) => return Err(error),
            }
            self.grant_membership(&Principal::Platform, &login, &commune, vec![role.key.clone()]).await?;
            logins.push((role.key.clone(), login));
        }
        let keys = roles.into_iter().map(|r| r.key).collect();
        let label = format!("training staff of {}", commune.spec.slug);
        let token = self.issue_token(NewApiToken::Staff { tenant: commune.id, roles: keys }, &label, None).await?.token;
        Box::pin(self.file_fictitious(&commune)).await?;
        Ok(TrainingCommune { commune, logins, password, token })
    }

    /// Puts a training commune back to its starting point (operators; the scheduler as the platform): its
    /// files, registers and audit trail are deleted in one transaction, whose `commune.training_reset` event
    /// starts the new chain; then the fictitious files are filed again. Accounts and tokens stay.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn reset_training_commune(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<TrainingResetReport, Error> {
        self.reset_training_since(principal, commune, None, self.now()).await?.ok_or_else(not_training)
    }

    /// A reset at `now`, unless the commune was set back since `since` (`None`: whenever it was).
    async fn reset_training_since(
        &self,
        principal: &Principal,
        commune: &Commune,
        since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Option<TrainingResetReport>, Error> {
        super::replication::require_operator(principal)?;
        if commune.status != CommuneStatus::Training {
            return Err(not_training());
        }
        let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
        if !communes::claim_training_reset(tx.conn(), commune.id, since, now).await? {
            tx.rollback().await?;
            return if since.is_some() { Ok(None) } else { Err(not_training()) };
        }
        let Some(row) = communes::training(tx.conn(), commune.id).await? else { return Err(not_training()) };
        training::clear(&tx).await?;
        let payload = serde_json::json!({ "slug": commune.spec.slug, "trainingOf": row.source });
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneTrainingReset,
                AuditSubject::Commune(commune.id),
                payload,
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        let requests = self.file_fictitious(commune).await?;
        Ok(Some(TrainingResetReport { slug: commune.spec.slug.to_string(), requests }))
    }

    /// Resets the training communes set to `nightly` whose last reset came before the start of their local
    /// day: the scheduler's part.
    pub async fn run_training_resets(&self, now: DateTime<Utc>) -> Result<Vec<TrainingResetReport>, Error> {
        let mut done = Vec::new();
        for (id, last) in communes::training_scheduled(self.store.conn(), TrainingReset::Nightly).await? {
            let commune = self.commune_by_id(id).await?;
            let tz = commune.time_zone();
            let midnight =
                now.with_timezone(&tz).date_naive().and_hms_opt(0, 0, 0).and_then(|t| {
                    chrono::TimeZone::from_local_datetime(&tz, &t).earliest().map(|t| t.with_timezone(&Utc))
                });
            let (Some(midnight), true) = (midnight, last.is_none_or(|last| Some(last) < midnight)) else { continue };
            if let Some(report) = self.reset_training_since(&Principal::Platform, &commune, Some(midnight), now).await?
            {
                done.push(report);
            }
        }
        Ok(done)
    }

    /// Files a training commune's fictitious starting data through the ordinary use cases: the demo's sample
    /// requests (generated applicants, never a real commune's) in several states, a birth in its register and
    /// mail in its courier registry. The staff work is done under a token that expires within the hour.
    async fn file_fictitious(&self, commune: &Commune) -> Result<usize, Error> {
        let roles = self.commune_content(&Principal::Platform, commune).await?.roles;
        let keys: Vec<RoleKey> = roles.into_iter().map(|r| r.key).collect();
        let expires = self.now() + chrono::Duration::hours(1);
        let label = format!("fictitious files of {}", commune.spec.slug);
        let issued = self
            .issue_token(NewApiToken::Staff { tenant: commune.id, roles: keys.clone() }, &label, Some(expires))
            .await?;
        let staff = self.authenticate(&issued.token).await?;
        let slug = commune.spec.slug.as_str();
        let mut filed = 0;
        for (i, sample) in sample_requests(commune.spec.country).into_iter().enumerate() {
            let secret = SecretString::from(training_secret(slug, i + 1));
            let submission = match self
                .submit_with_secret(&Principal::Anonymous, commune, sample, Vec::new(), None, secret, None)
                .await
            {
                Ok(submission) => submission,
                // A procedure the source does not offer: that file is left out.
                Err(Error::NotFound(_)) => continue,
                Err(error) => return Err(error),
            };
            filed += 1;
            // The legalisation waits at the counter; the complaint and the building permit have moved a step.
            let steps = [0, 1, 1].get(i).copied().unwrap_or(0);
            let mut request = submission.request;
            for _ in 0..steps {
                let actor = Actor::Staff { roles: keys.clone() };
                let Some(action) = request
                    .available_actions(&actor)
                    .into_iter()
                    .find(|a| !a.comment_required && a.form.is_none())
                    .cloned()
                else {
                    break;
                };
                request = self
                    .act_on_request(
                        &staff,
                        commune,
                        request.record.id,
                        &action.key,
                        request.record.version,
                        None,
                        None,
                        None,
                    )
                    .await?;
            }
        }
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let office = format!("{}-1", commune.spec.tracking_prefix.as_str());
        // A source whose roles keep no register gets none.
        match self.register_civil_act(&staff, commune, birth_at(today, &office)).await {
            Ok(_) | Err(Error::Forbidden(_)) => {}
            Err(error) => return Err(error),
        }
        for mail in demo_mail(today) {
            match self.register_mail(&staff, commune, mail).await {
                Ok(_) | Err(Error::Forbidden(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(filed)
    }
}
