//! Replication: exporting a commune's configuration as a template, onboarding communes from templates (or
//! from another commune) in one transaction, diffing versions, and upgrading a commune to a newer version by
//! 3-way merge, keeping its local changes.

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::{
    Commune, CommuneSpec, CommuneStatus, Currency, Slug, TrackingPrefix, TrainingReset, Zone, region_name,
    unique_tracking_prefix,
};
use crate::model::i18n::LocalizedText;
use crate::model::ids::TenantId;
use crate::model::keys::{RoleKey, ServiceCode};
use crate::model::standard::RoleDef;
use crate::model::template::{
    Change, Conflict, ContentOverrides, Resolution, TemplateBundle, TemplateContent, TemplateRef, diff, merge,
};
use crate::store::config::CommuneConfig;
use crate::store::templates::{self, TemplateSummary};
use crate::store::{TenantScope, TenantTx, audit, catalog, communes, config, is_unique_violation};

use super::Jamaa;
use super::catalog::{check_publishable, publish_in};

/// Where a new commune's configuration comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnboardSource {
    /// A published template, `name@version`.
    Template(TemplateRef),
    /// Another commune's current configuration (exported as template `<slug>@<next>` first).
    Commune(String),
}

/// A template's content made ready to onboard many communes from ([`Jamaa::prepare_onboarding`]).
#[derive(Clone, Debug)]
pub struct PreparedOnboarding {
    lineage: TemplateRef,
    content_hash: String,
    overrides: ContentOverrides,
    content: TemplateContent,
    /// Each service with the addresses of its definition and workflow in `definitions`.
    services: Vec<(crate::model::catalog::ServiceDefinition, (String, String))>,
    /// The addresses of the calendar, the configuration and the role set in `definitions`.
    calendar: String,
    configuration: String,
    roles: String,
}

/// Who the new commune is: what a template never holds.
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneIdentity {
    pub slug: Slug,
    pub name: LocalizedText,
    pub official_code: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub population: Option<u64>,
    pub tracking_prefix: TrackingPrefix,
}

/// An onboarding: the source, the identity, and what to change of the source's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct OnboardCommune {
    pub source: OnboardSource,
    pub identity: CommuneIdentity,
    pub overrides: ContentOverrides,
}

/// What an upgrade did, or would do.
#[derive(Clone, Debug, PartialEq)]
pub struct UpgradeReport {
    pub from: Option<TemplateRef>,
    pub to: TemplateRef,
    /// What the upgrade changes in the commune.
    pub changes: Vec<Change>,
    /// What the commune had changed locally relative to the version it came from.
    pub local_changes: Vec<Change>,
    /// Paths both sides changed; each is resolved as chosen, or kept as the commune has it.
    pub conflicts: Vec<Conflict>,
    /// Conflicts no resolution chose a side for: while there are any, nothing is applied.
    pub unresolved: Vec<Conflict>,
    pub services_published: Vec<ServiceCode>,
    pub services_retired: Vec<ServiceCode>,
    pub upgraded: bool,
}

fn definition_error(path: String, en: String) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidValue, crate::model::form::messages::invalid_detail(&en))
}

impl Jamaa {
    /// The templates of the registry.
    pub async fn templates(&self) -> Result<Vec<TemplateSummary>, Error> {
        templates::list(self.store.reader()).await
    }

    /// The latest published version of every template, by name, read at once (a commune's lineage says
    /// whether a newer version of its template exists).
    pub async fn latest_template_versions(&self) -> Result<std::collections::HashMap<String, u32>, Error> {
        templates::latest_versions(self.store.reader()).await
    }

    /// The latest published version of one template.
    pub async fn latest_template_version(&self, name: &str) -> Result<Option<u32>, Error> {
        templates::latest_version(self.store.reader(), name).await
    }

    /// A tracking prefix for a new commune that no commune holds, made from its slug (see
    /// [`unique_tracking_prefix`]).
    /// Operators only.
    pub async fn free_tracking_prefix(&self, principal: &Principal, slug: &Slug) -> Result<TrackingPrefix, Error> {
        require_operator(principal)?;
        let taken: std::collections::HashSet<String> =
            communes::tracking_prefixes(self.store.reader()).await?.into_iter().collect();
        TrackingPrefix::parse(&unique_tracking_prefix(slug.as_str(), &taken)).map_err(Error::internal)
    }

    /// One template by `name@version`.
    pub async fn template(&self, reference: &TemplateRef) -> Result<TemplateBundle, Error> {
        Ok(TemplateBundle::clone(&*self.shared_template(reference).await?))
    }

    /// One template by `name@version`, read once per server (published templates never change).
    pub async fn shared_template(&self, reference: &TemplateRef) -> Result<std::sync::Arc<TemplateBundle>, Error> {
        if let Some(held) = self.store.cache().template(reference) {
            return Ok(held);
        }
        let bundle = std::sync::Arc::new(
            templates::get(self.store.reader(), reference).await?.ok_or(Error::NotFound("template"))?,
        );
        self.store.cache().keep_template(bundle.clone());
        Ok(bundle)
    }

    /// Publishes the templates shipped with the platform (`ma-commune`, `mr-commune`) when they are missing.
    /// A shipped template whose content changed without a new version is refused.
    pub async fn install_shipped_templates(&self) -> Result<Vec<TemplateRef>, Error> {
        let mut installed = Vec::new();
        for bundle in crate::model::standard::shipped_templates().map_err(Error::internal)? {
            bundle.content.check().map_err(Error::Validation)?;
            let inserted =
                templates::insert(self.store.conn(), &bundle, self.now()).await.map_err(|error| match error {
                    Error::Conflict(_) => Error::Conflict(format!(
                        "this database holds another content of the shipped template {}: it was made by an earlier \
                     build of the standard (templates are immutable once published); start from a new database",
                        bundle.reference()
                    )),
                    error => error,
                })?;
            if inserted {
                installed.push(bundle.reference());
            }
        }
        Ok(installed)
    }

    /// Imports a bundle (operators): well formed, of a known format, matching its hash, and valid.
    pub async fn import_template(&self, principal: &Principal, json: &str) -> Result<TemplateBundle, Error> {
        require_operator(principal)?;
        let bundle = TemplateBundle::from_json(json)
            .map_err(|e| Error::Validation(vec![definition_error("bundle".into(), e.to_string())]))?;
        bundle.content.check().map_err(|errors| {
            Error::Validation(
                errors
                    .into_iter()
                    .map(|mut e| {
                        e.path = format!("bundle.content.{}", e.path);
                        e
                    })
                    .collect(),
            )
        })?;
        let tx = self.store.platform_tx().await?;
        templates::insert(&*tx, &bundle, self.now()).await?;
        tx.commit().await?;
        Ok(bundle)
    }

    /// A commune's current configuration as template content.
    pub async fn commune_content(&self, principal: &Principal, commune: &Commune) -> Result<TemplateContent, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let content = content_of(&tx, commune).await?;
        tx.commit().await?;
        Ok(content)
    }

    /// Exports a commune's configuration as template `name@version` (the next version when none is given)
    /// and publishes it in the registry. Operators, under any name; or the commune's administrators, under
    /// the commune's slug only: the registry is the platform's, and a template's name is the lineage other
    /// communes upgrade along, so that no commune may publish the next `ma-commune` or `oujda`.
    pub async fn export_template(
        &self,
        principal: &Principal,
        commune: &Commune,
        name: &str,
        version: Option<u32>,
        description: LocalizedText,
    ) -> Result<TemplateBundle, Error> {
        let scope = principal.authorize(commune.id, Permission::PublishService)?;
        if !principal.is_operator() && name != commune.spec.slug.as_str() {
            return Err(Error::Forbidden(format!(
                "a commune's administrators export its configuration under its own name, `{}`",
                commune.spec.slug
            )));
        }
        let tx = self.store.tenant_tx(scope).await?;
        let content = content_of(&tx, commune).await?;
        let version = match version {
            Some(version) => version,
            None => templates::latest_version(tx.conn(), name).await?.unwrap_or(0) + 1,
        };
        let bundle = TemplateBundle::new(name, version, description, content)
            .map_err(|e| Error::Validation(vec![definition_error("name".into(), e.to_string())]))?;
        let now = self.now();
        templates::insert(tx.conn(), &bundle, now).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::TemplateExported,
                AuditSubject::Template(bundle.reference().to_string()),
                serde_json::json!({ "template": bundle.reference(), "contentHash": bundle.content_hash }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(bundle)
    }

    /// The changes from one template version to another.
    pub async fn template_diff(&self, from: &TemplateRef, to: &TemplateRef) -> Result<Vec<Change>, Error> {
        let from = self.template(from).await?;
        let to = self.template(to).await?;
        Ok(diff(&to_value(&from.content)?, &to_value(&to.content)?))
    }

    /// Onboards a commune from a template (or from another commune) with overrides, in one transaction:
    /// the commune, its configuration, roles and services, its lineage and its audit trail are written
    /// together, or nothing is.
    #[tracing::instrument(skip_all, fields(commune = %input.identity.slug))]
    pub async fn onboard_commune(&self, principal: &Principal, input: OnboardCommune) -> Result<Commune, Error> {
        require_operator(principal)?;
        let source = match &input.source {
            OnboardSource::Template(reference) => self.template(reference).await?,
            OnboardSource::Commune(slug) => self.export_as_needed(principal, &self.commune(slug).await?).await?,
        };
        self.onboard_with(principal, &source, input.identity, &input.overrides).await
    }

    /// Onboards a commune from an already loaded template (the national onboarding loads it once).
    pub async fn onboard_with(
        &self,
        principal: &Principal,
        source: &TemplateBundle,
        identity: CommuneIdentity,
        overrides: &ContentOverrides,
    ) -> Result<Commune, Error> {
        self.onboard_as(principal, source, identity, overrides, None).await
    }

    /// Onboards a commune, a training one when `training` names its source commune and reset schedule (marked
    /// in the same transaction, so that it is never listed or counted as a real commune).
    pub(super) async fn onboard_as(
        &self,
        principal: &Principal,
        source: &TemplateBundle,
        identity: CommuneIdentity,
        overrides: &ContentOverrides,
        training: Option<(&str, TrainingReset)>,
    ) -> Result<Commune, Error> {
        let prepared = self.prepare_onboarding(principal, source, overrides).await?;
        self.onboard_prepared_as(principal, &prepared, identity, training).await
    }

    /// Makes a template's content (with `overrides`) ready to onboard communes from, once for any number of them
    /// (operators): its services checked against its roles and currency, and its services' definitions, its
    /// calendar and its configuration stored in `definitions` (shared content, added once), so that each
    /// onboarding only writes the commune's own rows. VALIDATION_FAILED when the content would not publish.
    pub async fn prepare_onboarding(
        &self,
        principal: &Principal,
        source: &TemplateBundle,
        overrides: &ContentOverrides,
    ) -> Result<PreparedOnboarding, Error> {
        require_operator(principal)?;
        let content = source.content.clone().with_overrides(overrides);
        zone(&content.time_zone)?;
        let roles: Vec<RoleKey> = content.roles.iter().map(|role| role.key.clone()).collect();
        let mut errors = Vec::new();
        for service in &content.services {
            let prefix = format!("content.services[{}].", service.code);
            if let Err(Error::Validation(found)) = check_publishable(service, &roles, &content.currency, &prefix) {
                errors.extend(found);
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let conn = self.store.conn();
        let addresses = catalog::put_services(conn, &content.services).await?;
        let calendar = communes::put_calendar(conn, &content.calendar).await?;
        let roles = catalog::put_role_set(conn, &content.roles).await?;
        let configuration = config::store(conn, &CommuneConfig::of(&content)).await?;
        let services = content.services.iter().cloned().zip(addresses).collect();
        Ok(PreparedOnboarding {
            lineage: source.reference(),
            content_hash: source.content_hash.clone(),
            overrides: overrides.clone(),
            content,
            services,
            calendar,
            configuration,
            roles,
        })
    }

    /// Onboards a commune from a prepared content ([`Jamaa::prepare_onboarding`]), in one transaction: the
    /// commune, its configuration, roles and the first version of each service, and one audit event.
    pub async fn onboard_prepared(
        &self,
        principal: &Principal,
        prepared: &PreparedOnboarding,
        identity: CommuneIdentity,
    ) -> Result<Commune, Error> {
        self.onboard_prepared_as(principal, prepared, identity, None).await
    }

    async fn onboard_prepared_as(
        &self,
        principal: &Principal,
        prepared: &PreparedOnboarding,
        identity: CommuneIdentity,
        training: Option<(&str, TrainingReset)>,
    ) -> Result<Commune, Error> {
        require_operator(principal)?;
        let content = &prepared.content;
        let spec = CommuneSpec {
            slug: identity.slug,
            name: identity.name,
            country: content.country,
            official_code: identity.official_code,
            region: identity.region.map(|region| region_name(content.country, &region)),
            province: identity.province,
            population: identity.population,
            default_locale: content.default_locale,
            locales: content.locales.clone(),
            time_zone: zone(&content.time_zone)?,
            currency: currency(&content.currency)?,
            tracking_prefix: identity.tracking_prefix,
            calendar: content.calendar.clone().into(),
        };
        check_spec(&spec)?;
        let id = TenantId::new();
        let now = self.now();
        let lineage = &prepared.lineage;
        let tx = self.store.tenant_tx(TenantScope::new(id)).await?;
        let addresses = communes::Addresses { calendar: prepared.calendar.clone(), roles: prepared.roles.clone() };
        communes::insert_addressed(tx.conn(), id, &spec, CommuneStatus::Active, Some(lineage), now, addresses)
            .await
            .map_err(|error| {
                if is_unique_violation(&error) {
                    Error::Conflict(format!(
                        "a commune with slug `{}`, tracking prefix `{}` or the same official code exists",
                        spec.slug,
                        spec.tracking_prefix.as_str()
                    ))
                } else {
                    Error::from(error)
                }
            })?;
        let mut commune = Commune { id, spec, status: CommuneStatus::Active, lineage: Some(lineage.clone()) };
        if let Some((source, reset)) = training {
            communes::set_training(tx.conn(), id, source, reset, now).await?;
            commune.status = CommuneStatus::Training;
        }
        config::set_address(&tx, &prepared.configuration).await?;
        catalog::publish_first(&tx, &prepared.services, now).await?;
        // One event for the whole onboarding: what it wrote is the template's content (named by its hash) with
        // the overrides; the calendar and configuration are named by their addresses in `definitions`; the
        // services published are every service of that content, each at version 1, so the event counts them
        // rather than repeat them.
        let mut payload = serde_json::json!({
            "slug": commune.spec.slug,
            "template": lineage,
            "contentHash": prepared.content_hash,
            "overrides": prepared.overrides,
            "calendar": prepared.calendar,
            "configuration": prepared.configuration,
            "servicesPublishedCount": prepared.services.len(),
        });
        if let (Some((source, _)), Some(payload)) = (training, payload.as_object_mut()) {
            payload.insert("trainingOf".into(), source.into());
        }
        audit::append(
            &tx,
            NewEvent::new(principal.actor(), AuditKind::CommuneOnboarded, AuditSubject::Commune(id), payload),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(commune)
    }

    /// Creates a commune with roles and no services (an empty catalog to fill by publishing).
    pub async fn create_commune(
        &self,
        principal: &Principal,
        spec: CommuneSpec,
        roles: &[RoleDef],
    ) -> Result<Commune, Error> {
        require_operator(principal)?;
        check_spec(&spec)?;
        let id = TenantId::new();
        let now = self.now();
        let tx = self.store.tenant_tx(TenantScope::new(id)).await?;
        communes::insert(tx.conn(), id, &spec, CommuneStatus::Active, None, now).await.map_err(|error| {
            if is_unique_violation(&error) {
                Error::Conflict(format!("a commune with slug `{}` or the same tracking prefix exists", spec.slug))
            } else {
                Error::from(error)
            }
        })?;
        for role in roles {
            catalog::upsert_role(&tx, role).await?;
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneCreated,
                AuditSubject::Commune(id),
                serde_json::json!({ "slug": spec.slug }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Commune { id, spec, status: CommuneStatus::Active, lineage: None })
    }

    /// Upgrades a commune to template `to` by 3-way merge: base = the version it came from, theirs = `to`,
    /// ours = its current configuration. Upstream changes apply, local changes stay, conflicts are reported
    /// and resolved by `resolutions` (while one is unresolved, or on a dry run, nothing is written). Changed
    /// services are published as new versions, so open requests finish on the versions they started on.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, to = %to))]
    pub async fn upgrade_commune(
        &self,
        principal: &Principal,
        commune: &Commune,
        to: &TemplateRef,
        resolutions: &[Resolution],
        dry_run: bool,
    ) -> Result<UpgradeReport, Error> {
        let scope = principal.authorize(commune.id, Permission::PublishService)?;
        let Some(from) = commune.lineage.clone() else {
            return Err(Error::Validation(vec![definition_error(
                "commune".into(),
                "the commune did not come from a template: there is no base to merge from".into(),
            )]));
        };
        let base = self.template(&from).await?;
        let theirs = self.template(to).await?;
        let tx = self.store.tenant_tx(scope).await?;
        let ours = content_of(&tx, commune).await?;
        let (base_value, theirs_value, ours_value) =
            (to_value(&base.content)?, to_value(&theirs.content)?, to_value(&ours)?);
        let outcome = merge(&base_value, &theirs_value, &ours_value, resolutions);
        let mut merged: TemplateContent = serde_json::from_value(outcome.merged.clone()).map_err(|e| {
            Error::Validation(vec![definition_error(
                "merge".into(),
                format!("the merged configuration is not valid: {e}"),
            )])
        })?;
        merged.normalize();
        let mut report = UpgradeReport {
            from: Some(from),
            to: to.clone(),
            changes: diff(&ours_value, &to_value(&merged)?),
            local_changes: diff(&base_value, &ours_value),
            unresolved: outcome.unresolved(resolutions).cloned().collect(),
            conflicts: outcome.conflicts,
            services_published: Vec::new(),
            services_retired: Vec::new(),
            upgraded: false,
        };
        if dry_run || !report.unresolved.is_empty() {
            return Ok(report);
        }
        let now = self.now();
        let written = write_content(&tx, commune, &principal.actor(), &merged, &ours, now).await?;
        communes::set_lineage(tx.conn(), commune.id, to).await?;
        report.services_published = written.published;
        report.services_retired = written.retired;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneUpgraded,
                AuditSubject::Commune(commune.id),
                serde_json::json!({
                    "from": report.from,
                    "to": to,
                    "contentHash": theirs.content_hash,
                    "servicesPublished": report.services_published,
                    "servicesRetired": report.services_retired,
                    "conflicts": report.conflicts.iter().map(|c| &c.path).collect::<Vec<_>>(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        report.upgraded = true;
        Ok(report)
    }

    /// The latest template exported from a commune, or a new export when its configuration changed since.
    pub(super) async fn export_as_needed(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<TemplateBundle, Error> {
        let slug = commune.spec.slug.as_str();
        let content = self.commune_content(principal, commune).await?;
        if let Some(version) = templates::latest_version(self.store.conn(), slug).await? {
            let latest = self.template(&TemplateRef { name: slug.to_owned(), version }).await?;
            let mut normalized = content.clone();
            normalized.normalize();
            if latest.content_hash == normalized.hash().map_err(Error::internal)? {
                return Ok(latest);
            }
        }
        self.export_template(principal, commune, slug, None, LocalizedText::new()).await
    }
}

pub(super) fn require_operator(principal: &Principal) -> Result<(), Error> {
    match principal {
        _ if principal.is_operator() => Ok(()),
        Principal::Anonymous => Err(Error::Unauthenticated),
        _ => Err(Error::Forbidden("only platform operators onboard communes and import templates".into())),
    }
}

fn to_value(content: &TemplateContent) -> Result<serde_json::Value, Error> {
    serde_json::to_value(content).map_err(Error::internal)
}

/// A commune's configuration, read in its transaction.
async fn content_of(tx: &TenantTx, commune: &Commune) -> Result<TemplateContent, Error> {
    let config = config::get(tx).await?;
    let services = catalog::current_services(tx)
        .await?
        .iter()
        .map(|s| crate::model::catalog::ServiceDefinition::clone(&s.definition))
        .collect();
    let mut content = TemplateContent {
        country: commune.spec.country,
        default_locale: commune.spec.default_locale,
        locales: commune.spec.locales.clone(),
        currency: commune.spec.currency.to_string(),
        time_zone: commune.spec.time_zone.name().to_owned(),
        calendar: crate::model::calendar::WorkingCalendar::clone(&commune.spec.calendar),
        roles: catalog::roles(tx).await?,
        categories: config.categories.clone(),
        services,
        id_formats: config.id_formats,
        settings: config.settings.clone(),
        translations: config.translations.clone(),
    };
    content.normalize();
    Ok(content)
}

/// What [`write_content`] wrote.
struct Written {
    /// The codes of the services published, and of those retired.
    published: Vec<ServiceCode>,
    retired: Vec<ServiceCode>,
}

/// Writes `content` as the commune's configuration in an upgrade: its settings, roles, and a new version of
/// every service that differs from `previous`, each with its `service.published` event; services gone from
/// `content` are retired. (An onboarding writes a new commune's rows directly: `onboard_prepared`.)
async fn write_content(
    tx: &TenantTx,
    commune: &Commune,
    actor: &str,
    content: &TemplateContent,
    previous: &TemplateContent,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Written, Error> {
    let mut spec = commune.spec.clone();
    spec.country = content.country;
    spec.default_locale = content.default_locale;
    spec.locales.clone_from(&content.locales);
    spec.currency = currency(&content.currency)?;
    spec.time_zone = zone(&content.time_zone)?;
    spec.calendar = content.calendar.clone().into();
    communes::update_settings(tx.conn(), commune.id, &spec).await?;
    let commune = Commune { spec, ..commune.clone() };
    config::put(tx, &CommuneConfig::of(content)).await?;
    for role in &content.roles {
        catalog::upsert_role(tx, role).await?;
    }
    let roles = catalog::role_keys(tx).await?;
    let mut published = Vec::new();
    for service in &content.services {
        if !previous.services.iter().any(|s| s == service) {
            let prefix = format!("content.services[{}].", service.code);
            publish_in(tx, &commune, actor, service, &roles, now, &prefix).await?;
            published.push(service.code.clone());
        }
    }
    let mut retired = Vec::new();
    for service in &previous.services {
        if !content.services.iter().any(|s| s.code == service.code) {
            catalog::retire(tx, service.code.as_str()).await?;
            retired.push(service.code.clone());
        }
    }
    Ok(Written { published, retired })
}

/// A new commune's spec checked: each problem is the caller's `input.<field>`.
fn check_spec(spec: &CommuneSpec) -> Result<(), Error> {
    spec.check().map_err(|problems| {
        Error::Validation(
            problems.into_iter().map(|(field, problem)| definition_error(format!("input.{field}"), problem)).collect(),
        )
    })
}

/// A template's currency as a commune's: a code that is not ISO 4217's is the caller's `input.currency`.
fn currency(code: &str) -> Result<Currency, Error> {
    Currency::parse(code).map_err(|_| {
        Error::Validation(vec![definition_error(
            "input.currency".to_owned(),
            format!("`{code}` is not an ISO 4217 code"),
        )])
    })
}

/// A template's time zone as a commune's: an unknown name is the caller's `input.timeZone`.
fn zone(name: &str) -> Result<Zone, Error> {
    Zone::parse(name).map_err(|_| {
        Error::Validation(vec![definition_error("input.timeZone".to_owned(), format!("unknown time zone `{name}`"))])
    })
}
