//! Replication over GraphQL: templates, their diff, exports and imports, onboarding and upgrades.

use async_graphql::{Context, Enum, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use jamaa_core::model::calendar::WorkingCalendar;
use jamaa_core::model::commune::{Country, Slug, TrackingPrefix, TrainingReset};
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::template::{self, ContentOverrides, Resolution, TemplateRef};
use jamaa_core::service::{
    CommuneIdentity, NewTrainingCommune, OnboardCommune, OnboardSource, TemplateSummary, UpgradeReport,
};
use secrecy::ExposeSecret;

use super::call::{Call, InCommune, InLang, keys};
use super::page::{Listing, in_memory};
use super::types::Commune;

/// A template of the registry.
pub struct Template {
    pub summary: TemplateSummary,
}

#[Object]
impl Template {
    async fn name(&self) -> &str {
        &self.summary.reference.name
    }
    async fn version(&self) -> u32 {
        self.summary.reference.version
    }
    /// `name@version`.
    async fn reference(&self) -> String {
        self.summary.reference.to_string()
    }
    /// `sha256:<hex>` of the canonical content.
    async fn content_hash(&self) -> &str {
        &self.summary.content_hash
    }
    async fn published_at(&self) -> DateTime<Utc> {
        self.summary.published_at
    }
    /// The codes of the services it holds.
    async fn services(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let call = Call::new(ctx);
        let bundle = call.jamaa.shared_template(&self.summary.reference).await.in_lang(&call)?;
        Ok(bundle.content.services.iter().map(|s| s.code.to_string()).collect())
    }
    /// The whole bundle (format `jamaa.template/1`), as exported.
    async fn bundle(&self, ctx: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let call = Call::new(ctx);
        let bundle = call.jamaa.shared_template(&self.summary.reference).await.in_lang(&call)?;
        Ok(Json(serde_json::to_value(&*bundle).unwrap_or_default()))
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference between two configurations.
#[derive(SimpleObject)]
pub struct TemplateChange {
    /// `services[legalisation-signature].fees[0].amountMinor`.
    pub path: String,
    pub kind: ChangeKind,
    pub before: Option<Json<serde_json::Value>>,
    pub after: Option<Json<serde_json::Value>>,
    /// One line for a person.
    pub summary: String,
}

impl From<template::Change> for TemplateChange {
    fn from(change: template::Change) -> Self {
        Self {
            summary: change.summary(),
            kind: match change.kind {
                template::ChangeKind::Added => ChangeKind::Added,
                template::ChangeKind::Removed => ChangeKind::Removed,
                template::ChangeKind::Changed => ChangeKind::Changed,
            },
            path: change.path,
            before: change.before.map(Json),
            after: change.after.map(Json),
        }
    }
}

/// A path both the template and the commune changed.
#[derive(SimpleObject)]
pub struct TemplateConflict {
    pub path: String,
    pub base: Option<Json<serde_json::Value>>,
    pub theirs: Option<Json<serde_json::Value>>,
    pub ours: Option<Json<serde_json::Value>>,
}

impl From<template::Conflict> for TemplateConflict {
    fn from(c: template::Conflict) -> Self {
        Self { path: c.path, base: c.base.map(Json), theirs: c.theirs.map(Json), ours: c.ours.map(Json) }
    }
}

/// What an upgrade did (or, on a dry run or with unresolved conflicts, would do).
#[derive(SimpleObject)]
pub struct UpgradeResult {
    pub upgraded: bool,
    pub from: Option<String>,
    pub to: String,
    /// What changes in the commune.
    pub changes: Vec<TemplateChange>,
    /// The commune's own changes since the version it came from.
    pub local_changes: Vec<TemplateChange>,
    pub conflicts: Vec<TemplateConflict>,
    /// Conflicts to resolve before anything is applied.
    pub unresolved: Vec<TemplateConflict>,
    pub services_published: Vec<String>,
    pub services_retired: Vec<String>,
}

impl From<UpgradeReport> for UpgradeResult {
    fn from(r: UpgradeReport) -> Self {
        Self {
            upgraded: r.upgraded,
            from: r.from.map(|f| f.to_string()),
            to: r.to.to_string(),
            changes: r.changes.into_iter().map(Into::into).collect(),
            local_changes: r.local_changes.into_iter().map(Into::into).collect(),
            conflicts: r.conflicts.into_iter().map(Into::into).collect(),
            unresolved: r.unresolved.into_iter().map(Into::into).collect(),
            services_published: keys(r.services_published),
            services_retired: keys(r.services_retired),
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Side {
    Theirs,
    Ours,
}

/// The side to take at a conflicting path.
#[derive(InputObject)]
pub struct ConflictResolution {
    pub path: String,
    pub take: Side,
}

/// A new commune: where its configuration comes from, who it is, and what to change of the source.
#[derive(InputObject)]
pub struct OnboardCommuneInput {
    /// A template, `name@version`.
    pub from: Option<String>,
    /// Or another commune (its current configuration, exported as a template first).
    pub from_commune: Option<String>,
    pub slug: String,
    pub name_ar: Option<String>,
    pub name_fr: Option<String>,
    pub name_en: Option<String>,
    pub official_code: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub population: Option<u64>,
    /// The letters of its tracking codes; when absent, the server picks free ones from the slug.
    pub tracking_prefix: Option<String>,
    /// Overrides of the source's configuration.
    pub country: Option<String>,
    pub default_locale: Option<String>,
    pub locales: Option<Vec<String>>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    /// A working calendar (weekend, fixedHolidays, datedHolidays).
    pub calendar: Option<Json<serde_json::Value>>,
    #[graphql(default)]
    pub drop_legal_references: bool,
    #[graphql(default)]
    pub drop_fees: bool,
}

/// A value the input gives that does not parse: the parser's own words (in English) at `path`.
fn invalid(path: &str, message: impl std::fmt::Display) -> jamaa_core::Error {
    jamaa_core::Error::field(
        path,
        jamaa_core::error::FieldErrorCode::InvalidValue,
        jamaa_core::model::form::messages::invalid_detail(&message.to_string()),
    )
}

fn template_ref(path: &str, value: &str) -> Result<TemplateRef, jamaa_core::Error> {
    TemplateRef::parse(value).map_err(|e| invalid(path, e))
}

impl OnboardCommuneInput {
    async fn into_core(self, call: &Call<'_>) -> Result<OnboardCommune, jamaa_core::Error> {
        let source = match (self.from, self.from_commune) {
            (Some(from), None) => OnboardSource::Template(template_ref("input.from", &from)?),
            (None, Some(commune)) => OnboardSource::Commune(commune),
            _ => {
                let message = jamaa_core::model::form::messages::exactly_one_of("from", "fromCommune");
                return Err(jamaa_core::Error::field(
                    "input.from",
                    jamaa_core::error::FieldErrorCode::InvalidValue,
                    message,
                ));
            }
        };
        let mut name = LocalizedText::new();
        for (locale, text) in [(Locale::Ar, self.name_ar), (Locale::Fr, self.name_fr), (Locale::En, self.name_en)] {
            if let Some(text) = text {
                name = name.with(locale, text);
            }
        }
        let locale = |path: &str, value: String| value.parse::<Locale>().map_err(|e| invalid(path, e));
        let overrides = ContentOverrides {
            country: self.country.map(|c| c.parse::<Country>().map_err(|e| invalid("input.country", e))).transpose()?,
            default_locale: self.default_locale.map(|l| locale("input.defaultLocale", l)).transpose()?,
            locales: self
                .locales
                .map(|list| list.into_iter().map(|l| locale("input.locales", l)).collect::<Result<Vec<_>, _>>())
                .transpose()?,
            currency: self.currency,
            time_zone: self.time_zone,
            calendar: self
                .calendar
                .map(|c| serde_json::from_value::<WorkingCalendar>(c.0).map_err(|e| invalid("input.calendar", e)))
                .transpose()?,
            drop_legal_references: self.drop_legal_references,
            drop_fees: self.drop_fees,
        };
        let slug = Slug::parse(&self.slug).map_err(|e| invalid("input.slug", e))?;
        let tracking_prefix = match self.tracking_prefix {
            Some(prefix) => TrackingPrefix::parse(&prefix).map_err(|e| invalid("input.trackingPrefix", e))?,
            None => call.jamaa.free_tracking_prefix(call.principal, &slug).await?,
        };
        Ok(OnboardCommune {
            source,
            identity: CommuneIdentity {
                slug,
                name,
                official_code: self.official_code,
                region: self.region,
                province: self.province,
                population: self.population,
                tracking_prefix,
            },
            overrides,
        })
    }
}

#[derive(Default)]
pub struct ReplicationQuery;

#[Object]
impl ReplicationQuery {
    /// The templates of the registry, by name and version.
    async fn templates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Template>> {
        let call = Call::new(ctx);
        let list = call.jamaa.templates().await.in_lang(&call)?;
        in_memory(
            list,
            first,
            after,
            call.locale(),
            |summary| summary.reference.to_string(),
            |summary| Template { summary },
        )
    }

    /// The changes from one template version to another (`from` and `to` as `name@version`).
    async fn template_diff(&self, ctx: &Context<'_>, from: String, to: String) -> Result<Vec<TemplateChange>> {
        let call = Call::new(ctx);
        let from = template_ref("from", &from).in_lang(&call)?;
        let to = template_ref("to", &to).in_lang(&call)?;
        let changes = call.jamaa.template_diff(&from, &to).await.in_lang(&call)?;
        Ok(changes.into_iter().map(Into::into).collect())
    }
}

/// When a training commune is set back besides an operator's reset.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum TrainingResetSchedule {
    /// Every night, after midnight in the commune's time zone.
    Nightly,
    /// Only when an operator asks.
    Manual,
}

impl From<TrainingResetSchedule> for TrainingReset {
    fn from(value: TrainingResetSchedule) -> Self {
        match value {
            TrainingResetSchedule::Nightly => TrainingReset::Nightly,
            TrainingResetSchedule::Manual => TrainingReset::Manual,
        }
    }
}

/// A login of a training commune and the role it holds.
#[derive(SimpleObject)]
pub struct TrainingLogin {
    pub role: String,
    pub login: String,
}

/// A training commune just made: its logins, their one password and a staff token, shown once.
#[derive(SimpleObject)]
pub struct TrainingCommuneCreated {
    pub commune: Commune,
    pub logins: Vec<TrainingLogin>,
    pub password: String,
    pub token: String,
}

/// What a reset of a training commune did.
#[derive(SimpleObject)]
pub struct TrainingResetResult {
    /// The commune's slug.
    pub commune: String,
    /// Fictitious requests filed again.
    pub requests: u32,
}

#[derive(Default)]
pub struct ReplicationMutation;

#[Object]
impl ReplicationMutation {
    /// Exports a commune's configuration as template `name@version` (the next version when none is given).
    /// Operators name it as they like; a commune's administrators export under the commune's slug only.
    #[allow(clippy::too_many_arguments)]
    async fn export_template(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: String,
        name: String,
        version: Option<u32>,
        description_fr: Option<String>,
        description_ar: Option<String>,
    ) -> Result<Template> {
        let mut description = LocalizedText::new();
        if let Some(text) = description_ar {
            description = description.with(Locale::Ar, text);
        }
        if let Some(text) = description_fr {
            description = description.with(Locale::Fr, text);
        }
        let call = InCommune::new(ctx, Some(commune), None).await?;
        let bundle = call
            .jamaa
            .export_template(call.principal, &call.commune, &name, version, description)
            .await
            .in_lang(&call)?;
        summary_of(&call, &bundle.reference()).await
    }

    /// Imports a template bundle (operators). Malformed, unknown-format, tampered or invalid bundles are
    /// refused, and nothing is written.
    async fn import_template(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        bundle: Json<serde_json::Value>,
    ) -> Result<Template> {
        let text = bundle.0.to_string();
        let call = Call::new(ctx);
        let imported = call.jamaa.import_template(call.principal, &text).await.in_lang(&call)?;
        summary_of(&call, &imported.reference()).await
    }

    /// Onboards a commune from a template or from another commune, with overrides, in one transaction
    /// (operators).
    async fn onboard_commune(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        input: OnboardCommuneInput,
        locale: Option<String>,
    ) -> Result<Commune> {
        let call = Call::with_locale(ctx, locale)?;
        let input = input.into_core(&call).await.in_lang(&call)?;
        let commune = call.jamaa.onboard_commune(call.principal, input).await.in_lang(&call)?;
        let lang = call.lang_of(&commune);
        Ok(Commune::new(commune, lang))
    }

    /// Makes a training commune from a real one (operators): its configuration, a login per role
    /// (`<slug>.<role>`) sharing one fresh password, a staff token with every role (both shown once), and
    /// fictitious files. It counts in no national figure and publishes no open data.
    async fn create_training_commune(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        from: String,
        slug: Option<String>,
        reset: Option<TrainingResetSchedule>,
        locale: Option<String>,
    ) -> Result<TrainingCommuneCreated> {
        let call = Call::with_locale(ctx, locale)?;
        let reset = reset.map(Into::into).unwrap_or_default();
        let input = NewTrainingCommune { from, slug, reset };
        let made = call.jamaa.create_training_commune(call.principal, input).await.in_lang(&call)?;
        let lang = call.lang_of(&made.commune);
        Ok(TrainingCommuneCreated {
            logins: made.logins.into_iter().map(|(role, login)| TrainingLogin { role: role.into(), login }).collect(),
            password: made.password.expose_secret().to_owned(),
            token: made.token.expose_secret().to_owned(),
            commune: Commune::new(made.commune, lang),
        })
    }

    /// Sets a training commune back to its starting point (operators): its files, registers and audit trail
    /// are deleted (the chain restarts) and its fictitious files filed again; accounts and tokens stay.
    async fn reset_training_commune(&self, ctx: &Context<'_>, commune: String) -> Result<TrainingResetResult> {
        let call = InCommune::new(ctx, Some(commune), None).await?;
        let report = call.jamaa.reset_training_commune(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(TrainingResetResult { commune: report.slug, requests: report.requests as u32 })
    }

    /// Upgrades a commune to a newer template version by 3-way merge, keeping its local changes.
    /// Conflicts are returned with both sides; resolve them by choosing a side per path. With `dryRun`,
    /// nothing is written.
    async fn upgrade_commune(
        &self,
        ctx: &Context<'_>,
        commune: String,
        to: String,
        resolutions: Option<Vec<ConflictResolution>>,
        dry_run: Option<bool>,
    ) -> Result<UpgradeResult> {
        let call = InCommune::new(ctx, Some(commune), None).await?;
        let dry_run = dry_run.unwrap_or(false);
        let to = template_ref("to", &to).in_lang(&call)?;
        let resolutions: Vec<Resolution> = resolutions
            .unwrap_or_default()
            .into_iter()
            .map(|r| Resolution {
                path: r.path,
                take: match r.take {
                    Side::Theirs => template::Side::Theirs,
                    Side::Ours => template::Side::Ours,
                },
            })
            .collect();
        let report = call
            .jamaa
            .upgrade_commune(call.principal, &call.commune, &to, &resolutions, dry_run)
            .await
            .in_lang(&call)?;
        Ok(report.into())
    }

    /// Publishes a service definition (JSON, the format of `Service.definition`) as the next version of that
    /// service in the commune (its administrators, or operators).
    async fn publish_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: String,
        definition: Json<serde_json::Value>,
    ) -> Result<i32> {
        let call = InCommune::new(ctx, Some(commune), None).await?;
        let definition = serde_json::from_value(definition.0).map_err(|e| invalid("definition", e)).in_lang(&call)?;
        let published = call.jamaa.publish_service(call.principal, &call.commune, definition).await.in_lang(&call)?;
        Ok(published.version)
    }
}

async fn summary_of(call: &Call<'_>, reference: &TemplateRef) -> Result<Template> {
    let list = call.jamaa.templates().await.in_lang(call)?;
    list.into_iter()
        .find(|s| &s.reference == reference)
        .map(|summary| Template { summary })
        .ok_or(jamaa_core::Error::NotFound("template"))
        .in_lang(call)
}
