//! Template bundles: a commune's configuration — never its citizens' data — as a versioned, self-contained
//! JSON document with a content hash, and the tools of replication: a structured diff between two
//! configurations and a 3-way merge that applies upstream changes while keeping local ones.
//!
//! The bundle format (`format: "jamaa.template/1"`) is documented in `docs/TEMPLATES.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::access::Permission;
use crate::model::access::RoleDef;
use crate::model::calendar::WorkingCalendar;
use crate::model::catalog::ServiceDefinition;
use crate::model::commune::{Country, Currency};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::{CategoryKey, RoleKey};
use crate::model::request::DEFAULT_SEQUENCE_DIGITS;
use crate::model::settings::SettingsSection;

pub mod border;
pub mod diff;
pub mod merge;

pub use crate::model::commune::{TemplateRef, valid_template_name as valid_name};
pub use diff::{Change, ChangeKind, diff};
pub use merge::{Conflict, MergeOutcome, Resolution, Side, merge};

/// The only bundle format this version reads and writes.
pub const FORMAT: &str = "jamaa.template/1";

/// A published template: name, version, what it holds, and the hash of what it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateBundle {
    pub format: String,
    pub name: String,
    pub version: u32,
    #[serde(default)]
    pub description: LocalizedText,
    pub content: TemplateContent,
    /// `sha256:<hex>` of the canonical JSON of `content`.
    pub content_hash: String,
}

/// A commune's configuration: everything but its identity (slug, name, codes, tracking prefix) and its
/// citizens' data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateContent {
    pub country: Country,
    pub default_locale: Locale,
    pub locales: Vec<Locale>,
    pub currency: String,
    pub time_zone: String,
    pub calendar: WorkingCalendar,
    pub roles: Vec<RoleDef>,
    #[serde(default)]
    pub categories: Vec<Category>,
    pub services: Vec<ServiceDefinition>,
    #[serde(default)]
    pub id_formats: IdFormats,
    /// Settings of the modules (petition thresholds, …), by key.
    #[serde(default)]
    pub settings: BTreeMap<String, serde_json::Value>,
    /// Interface texts, by key.
    #[serde(default)]
    pub translations: BTreeMap<String, LocalizedText>,
}

/// A category of the service catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub key: CategoryKey,
    pub label: LocalizedText,
}

/// How the commune's identifiers are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdFormats {
    /// Digits of the yearly sequence in tracking codes (6 to 9): `OUJ-2026-000042`.
    pub tracking_sequence_digits: u8,
}

impl Default for IdFormats {
    fn default() -> Self {
        Self { tracking_sequence_digits: DEFAULT_SEQUENCE_DIGITS }
    }
}

/// Why a bundle was refused at import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    #[error("not a template bundle: {0}")]
    Malformed(String),
    #[error("unknown bundle format `{0}` (this version reads `{FORMAT}`)")]
    UnknownFormat(String),
    #[error("the content does not match its hash: the bundle was changed after it was made")]
    Tampered,
    #[error("invalid template name or version")]
    InvalidName,
}

impl TemplateContent {
    /// The canonical JSON of the content (keys sorted, no spaces): what the hash covers.
    pub fn canonical_json(&self) -> Result<String, serde_json::Error> {
        // serde_json's default map keeps keys sorted, so going through a Value makes the text canonical.
        Ok(serde_json::to_value(self)?.to_string())
    }

    pub fn hash(&self) -> Result<String, serde_json::Error> {
        Ok(format!("sha256:{}", hex::encode(Sha256::digest(self.canonical_json()?.as_bytes()))))
    }

    /// Puts the lists in their canonical order (roles by key, categories by key, services by code), so that
    /// the same configuration always has the same hash.
    pub fn normalize(&mut self) {
        self.roles.sort_by(|a, b| a.key.cmp(&b.key));
        self.categories.sort_by(|a, b| a.key.cmp(&b.key));
        self.services.sort_by(|a, b| a.code.cmp(&b.code));
    }

    /// Checks the whole configuration: settings, and every service against the roles. Every problem is
    /// reported with its path (`services[3].workflow.actions[1].to`).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let problem = |path: String, detail: String| {
            FieldError::new(
                path,
                FieldErrorCode::InvalidDefinition,
                crate::model::form::messages::definition_detail(&detail),
            )
        };
        if !self.locales.contains(&self.default_locale) {
            errors.push(problem("defaultLocale".into(), "the default locale must be one of the locales".into()));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            errors.push(problem("timeZone".into(), format!("unknown time zone `{}`", self.time_zone)));
        }
        // The modules' sections of the settings, each by its own rules.
        fn section<S: SettingsSection>(settings: &BTreeMap<String, serde_json::Value>) -> Option<(String, String)> {
            S::from_settings(settings)?.err().map(|e| (format!("settings.{}", S::KEY), e))
        }
        let sections = [
            section::<crate::modules::petitions::model::PetitionRules>(&self.settings),
            section::<crate::model::publication::PublicationList>(&self.settings),
            section::<crate::modules::council::model::CouncilRules>(&self.settings),
            section::<crate::modules::hr::model::HrSettings>(&self.settings),
            section::<crate::modules::disputes::model::DisputeSettings>(&self.settings),
            section::<crate::modules::projects::model::ProjectSettings>(&self.settings),
            section::<crate::modules::finance::entries::FinanceSettings>(&self.settings),
            section::<crate::model::document_layout::DocumentLayout>(&self.settings),
        ];
        errors.extend(sections.into_iter().flatten().map(|(path, e)| problem(path, e)));
        if Currency::parse(&self.currency).is_err() {
            errors.push(problem("currency".into(), format!("`{}` is not an ISO 4217 code", self.currency)));
        }
        if !(6..=9).contains(&self.id_formats.tracking_sequence_digits) {
            errors.push(problem("idFormats.trackingSequenceDigits".into(), "between 6 and 9".into()));
        }
        if let Err(found) = self.calendar.check() {
            errors.extend(found);
        }
        let roles: Vec<RoleKey> = self.roles.iter().map(|r| r.key.clone()).collect();
        for (i, role) in self.roles.iter().enumerate() {
            if self.roles[..i].iter().any(|r| r.key == role.key) {
                errors.push(problem(format!("roles[{i}].key"), format!("duplicate role `{}`", role.key)));
            }
        }
        for (i, role) in self.roles.iter().enumerate() {
            for (j, permission) in role.permissions.iter().enumerate() {
                let path = format!("roles[{i}].permissions[{j}]");
                if role.permissions[..j].contains(permission) {
                    errors.push(problem(path, format!("`{}` grants {permission:?} twice", role.key)));
                } else if *permission == Permission::ReadCatalog {
                    errors.push(problem(path, "the catalog is public: no role grants reading it".into()));
                }
            }
        }
        // Whoever acts in a procedure's workflow must be able to read and act on its requests.
        let acting: std::collections::BTreeSet<&RoleKey> =
            self.services.iter().flat_map(|service| service.workflow.roles()).collect();
        for (i, role) in self.roles.iter().enumerate().filter(|(_, r)| acting.contains(&r.key)) {
            for needed in [Permission::ReadRequests, Permission::ActOnRequests] {
                if !role.permissions.contains(&needed) {
                    errors.push(problem(
                        format!("roles[{i}].permissions"),
                        format!("`{}` acts in workflows but is not granted {needed:?}", role.key),
                    ));
                }
            }
        }
        for (i, service) in self.services.iter().enumerate() {
            if self.services[..i].iter().any(|s| s.code == service.code) {
                errors.push(problem(format!("services[{i}].code"), format!("duplicate service `{}`", service.code)));
            }
            if !self.categories.is_empty() && !self.categories.iter().any(|c| c.key == service.category) {
                errors.push(problem(
                    format!("services[{i}].category"),
                    format!("unknown category `{}`", service.category),
                ));
            }
            if let Err(found) = service.check(&roles) {
                errors.extend(found.into_iter().map(|mut e| {
                    e.path = format!("services[{i}].{}", e.path);
                    e
                }));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

impl TemplateBundle {
    /// Makes a bundle of `content` (normalized) named `name@version`.
    pub fn new(
        name: &str,
        version: u32,
        description: LocalizedText,
        mut content: TemplateContent,
    ) -> Result<Self, BundleError> {
        if !valid_name(name) || version == 0 {
            return Err(BundleError::InvalidName);
        }
        content.normalize();
        let content_hash = content.hash().map_err(|e| BundleError::Malformed(e.to_string()))?;
        Ok(Self { format: FORMAT.to_owned(), name: name.to_owned(), version, description, content, content_hash })
    }

    /// Reads a bundle: the JSON must be well formed, of the known format, and its content must match its
    /// hash. (The content's own rules are checked by [`TemplateContent::check`].)
    pub fn from_json(text: &str) -> Result<Self, BundleError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| BundleError::Malformed(e.to_string()))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => return Err(BundleError::UnknownFormat(other.to_owned())),
            None => return Err(BundleError::Malformed("no `format`".into())),
        }
        // The hash covers the content as written, before any normalization.
        let bundle: TemplateBundle =
            serde_json::from_value(value).map_err(|e| BundleError::Malformed(e.to_string()))?;
        if !valid_name(&bundle.name) || bundle.version == 0 {
            return Err(BundleError::InvalidName);
        }
        let actual = bundle.content.hash().map_err(|e| BundleError::Malformed(e.to_string()))?;
        if actual != bundle.content_hash {
            return Err(BundleError::Tampered);
        }
        Ok(bundle)
    }

    pub fn to_json_pretty(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    pub fn reference(&self) -> TemplateRef {
        TemplateRef { name: self.name.clone(), version: self.version }
    }
}

/// Changes a template may apply on top of another one, for a variant: a country's template derived from
/// another country's by overrides only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentOverrides {
    #[serde(default)]
    pub country: Option<Country>,
    #[serde(default)]
    pub default_locale: Option<Locale>,
    #[serde(default)]
    pub locales: Option<Vec<Locale>>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub calendar: Option<WorkingCalendar>,
    /// Drop every service's legal references (they cite another country's law).
    #[serde(default)]
    pub drop_legal_references: bool,
    /// Drop every service's fees (they are in another currency, under another country's law).
    #[serde(default)]
    pub drop_fees: bool,
}

impl TemplateContent {
    /// The content with `overrides` applied.
    pub fn with_overrides(mut self, overrides: &ContentOverrides) -> Self {
        if let Some(country) = overrides.country {
            if country != self.country {
                // The layout of issued PDFs names the state: a commune of another country gets its country's.
                self.settings.remove(crate::model::document_layout::SETTINGS_KEY);
            }
            self.country = country;
        }
        if let Some(locale) = overrides.default_locale {
            self.default_locale = locale;
        }
        if let Some(locales) = &overrides.locales {
            self.locales.clone_from(locales);
        }
        if let Some(currency) = &overrides.currency {
            self.currency.clone_from(currency);
        }
        if let Some(zone) = &overrides.time_zone {
            self.time_zone.clone_from(zone);
        }
        if let Some(calendar) = &overrides.calendar {
            self.calendar = calendar.clone();
        }
        for service in &mut self.services {
            if overrides.drop_legal_references {
                service.legal_references.clear();
                without_foreign_law(service);
                if let Some(deadline) = service.complaint.as_mut().and_then(|c| c.answer_deadline.as_mut()) {
                    deadline.basis = crate::model::workflow::RuleBasis::CommuneSetting;
                    if let Some(reminder) = &mut deadline.reminder {
                        reminder.basis = crate::model::workflow::RuleBasis::CommuneSetting;
                    }
                }
            }
            if overrides.drop_fees {
                service.fees.clear();
            }
        }
        if overrides.drop_legal_references {
            // Another country's law is neither cited nor named: its numbers become the commune's settings.
            let mut settings = serde_json::Value::Object(std::mem::take(&mut self.settings).into_iter().collect());
            border::settings_across_the_border(&mut settings);
            if let serde_json::Value::Object(settings) = settings {
                self.settings = settings.into_iter().collect();
            }
            for role in &mut self.roles {
                role.label.rewrite(border::without_law_citations);
            }
            for text in self.translations.values_mut() {
                text.rewrite(border::without_law_citations);
            }
        }
        self
    }
}

/// A procedure of another country's template: a number its law set is, here, the commune's own choice, and
/// its texts stop naming that law.
fn without_foreign_law(service: &mut ServiceDefinition) {
    use crate::model::form::FieldKind;
    use crate::model::workflow::{Guard, RuleBasis};

    fn commune_setting(basis: &mut Option<RuleBasis>) {
        if let Some(RuleBasis::LegalReference(_)) = basis {
            *basis = Some(RuleBasis::CommuneSetting);
        }
    }
    fn guard_basis(guard: &mut Guard) {
        match guard {
            Guard::Compare { basis, .. } => commune_setting(basis),
            Guard::All(guards) | Guard::Any(guards) => guards.iter_mut().for_each(guard_basis),
            Guard::Not(guard) => guard_basis(guard),
            _ => {}
        }
    }
    let strip = border::without_law_citations;
    for timer in &mut service.workflow.timers {
        commune_setting(&mut timer.basis);
    }
    for fee in &mut service.fees {
        commune_setting(&mut fee.basis);
        fee.legal_basis = None;
    }
    service.name.rewrite(strip);
    service.description.rewrite(strip);
    for document in &mut service.documents {
        document.label.rewrite(strip);
    }
    for field in &mut service.form.fields {
        field.label.rewrite(strip);
        if let Some(help) = &mut field.help {
            help.rewrite(strip);
        }
        if let FieldKind::Choice { options } | FieldKind::MultiChoice { options } = &mut field.kind {
            options.iter_mut().for_each(|option| option.label.rewrite(strip));
        }
    }
    for state in &mut service.workflow.states {
        state.label.rewrite(strip);
    }
    for action in &mut service.workflow.actions {
        action.label.rewrite(strip);
        if let Some(guard) = &mut action.guard {
            guard_basis(guard);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::standard;

    pub(crate) fn moroccan_content() -> TemplateContent {
        TemplateContent {
            country: Country::Morocco,
            default_locale: Locale::Ar,
            locales: vec![Locale::Ar, Locale::Fr],
            currency: "MAD".into(),
            time_zone: "Africa/Casablanca".into(),
            calendar: standard::moroccan_calendar().unwrap(),
            roles: standard::moroccan_roles().unwrap(),
            categories: Vec::new(),
            services: standard::moroccan_services().unwrap(),
            id_formats: IdFormats::default(),
            settings: BTreeMap::new(),
            translations: BTreeMap::new(),
        }
    }

    #[test]
    fn references_parse() {
        assert_eq!(TemplateRef::parse("ma-commune@1").unwrap(), TemplateRef { name: "ma-commune".into(), version: 1 });
        for bad in ["ma-commune", "ma-commune@0", "@1", "Ma@1", "ma@x", "ma@-1"] {
            assert!(TemplateRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bundles_round_trip_and_refuse_tampering() {
        let bundle = TemplateBundle::new("ma-commune", 1, LocalizedText::new(), moroccan_content()).unwrap();
        let json = bundle.to_json_pretty().unwrap();
        assert_eq!(TemplateBundle::from_json(&json).unwrap(), bundle);
        assert!(bundle.content.check().is_ok(), "{:?}", bundle.content.check());

        let tampered = json.replacen("\"amountMinor\": 200", "\"amountMinor\": 20000", 1);
        assert_ne!(tampered, json);
        assert_eq!(TemplateBundle::from_json(&tampered), Err(BundleError::Tampered));

        let future = json.replacen(FORMAT, "jamaa.template/9", 1);
        assert_eq!(TemplateBundle::from_json(&future), Err(BundleError::UnknownFormat("jamaa.template/9".into())));
        assert!(matches!(
            TemplateBundle::from_json("{\"format\": \"jamaa.template/1\"}"),
            Err(BundleError::Malformed(_))
        ));
        assert!(matches!(TemplateBundle::from_json("not json"), Err(BundleError::Malformed(_))));
        let unknown_field = json.replacen("\"format\"", "\"extra\": 1, \"format\"", 1);
        assert!(matches!(TemplateBundle::from_json(&unknown_field), Err(BundleError::Malformed(_))));
    }

    #[test]
    fn the_hash_does_not_depend_on_list_order() {
        let mut shuffled = moroccan_content();
        shuffled.services.reverse();
        shuffled.roles.reverse();
        let a = TemplateBundle::new("ab", 1, LocalizedText::new(), moroccan_content()).unwrap();
        let b = TemplateBundle::new("ab", 1, LocalizedText::new(), shuffled).unwrap();
        assert_eq!(a.content_hash, b.content_hash);
    }

    #[test]
    fn content_checks_find_broken_services() {
        let mut content = moroccan_content();
        content.services[0].workflow.actions[0].actors = vec![crate::model::workflow::ActorRule::Role("mayor".into())];
        content.currency = "dirham".into();
        content.settings.insert("petitions".into(), serde_json::json!({ "signatureThreshold": "many" }));
        content.settings.insert("proactivePublication".into(), serde_json::json!({ "items": [{ "key": "budget" }] }));
        let errors = content.check().unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"currency"), "{paths:?}");
        assert!(paths.contains(&"settings.petitions") && paths.contains(&"settings.proactivePublication"), "{paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("services[0].workflow.actions[0]")), "{paths:?}");
    }

    #[test]
    fn content_checks_the_permissions_of_roles() {
        let mut content = moroccan_content();
        let registrar = content.roles.iter().position(|r| r.key == "civil_registrar").unwrap();
        content.roles[registrar].permissions.retain(|p| *p != Permission::ActOnRequests);
        content.roles[registrar].permissions.push(Permission::ManageCivilStatus);
        content.roles[0].permissions.push(Permission::ReadCatalog);
        let errors = content.check().unwrap_err();
        let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        paths.sort();
        let twice = format!("roles[{registrar}].permissions[{}]", content.roles[registrar].permissions.len() - 1);
        let public = format!("roles[0].permissions[{}]", content.roles[0].permissions.len() - 1);
        let acting = format!("roles[{registrar}].permissions");
        let mut expected = [twice.as_str(), public.as_str(), acting.as_str()];
        expected.sort();
        assert_eq!(paths, expected);
    }

    #[test]
    fn overrides_make_a_variant() {
        let overrides = ContentOverrides {
            country: Some(Country::Mauritania),
            currency: Some("MRU".into()),
            time_zone: Some("Africa/Nouakchott".into()),
            calendar: Some(standard::mauritanian_calendar().unwrap()),
            drop_legal_references: true,
            drop_fees: true,
            ..ContentOverrides::default()
        };
        let variant = moroccan_content().with_overrides(&overrides);
        assert_eq!(variant.currency, "MRU");
        assert!(variant.services.iter().all(|s| s.legal_references.is_empty() && s.fees.is_empty()));
        let bases: Vec<_> =
            variant.services.iter().flat_map(|s| &s.workflow.timers).filter_map(|t| t.basis.clone()).collect();
        assert!(!bases.is_empty(), "the standard's timers name their basis");
        assert!(
            bases.iter().all(|b| *b == crate::model::workflow::RuleBasis::CommuneSetting),
            "no Moroccan reference is left on a timer: {bases:?}"
        );
        assert!(variant.check().is_ok());
    }
}
