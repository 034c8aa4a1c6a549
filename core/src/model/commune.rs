//! Communes (the tenants) and the values that name them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::calendar::WorkingCalendar;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::TenantId;

/// A country the platform serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Country {
    #[serde(rename = "MA")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "MA"))]
    Morocco,
    #[serde(rename = "MR")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "MR"))]
    Mauritania,
    #[serde(rename = "ES")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "ES"))]
    Spain,
}

impl Country {
    pub const fn code(self) -> &'static str {
        match self {
            Country::Morocco => "MA",
            Country::Mauritania => "MR",
            Country::Spain => "ES",
        }
    }
}

impl FromStr for Country {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "MA" => Ok(Country::Morocco),
            "MR" => Ok(Country::Mauritania),
            "ES" => Ok(Country::Spain),
            _ => Err(InvalidValue::new("country", s, "MA, MR or ES")),
        }
    }
}

/// A value that does not parse, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} `{value}`: expected {expected}")]
pub struct InvalidValue {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl InvalidValue {
    pub fn new(what: &'static str, value: &str, expected: &'static str) -> Self {
        Self { what, value: value.chars().take(64).collect(), expected }
    }
}

/// A commune's URL-safe name: `oujda`, `sidi-bennour`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        let ok = (2..=64).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidValue::new("slug", value, "2–64 lowercase letters, digits and single hyphens"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The letters that open a commune's tracking codes: `OUJ` in `OUJ-2026-000042`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingPrefix(String);

impl TrackingPrefix {
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        if (2..=6).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidValue::new("tracking prefix", value, "2–6 capital letters"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TrackingPrefix {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        TrackingPrefix::parse(&value)
    }
}

impl From<TrackingPrefix> for String {
    fn from(prefix: TrackingPrefix) -> String {
        prefix.0
    }
}

/// A tracking prefix for a commune that no other commune has: the first three letters of its slug, then
/// other letters of it, then longer prefixes, until one is free.
pub fn unique_tracking_prefix(slug: &str, taken: &std::collections::HashSet<String>) -> String {
    let letters: Vec<char> = slug.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()).collect();
    let letters = if letters.len() < 2 { vec!['C', 'O', 'M'] } else { letters };
    let first = letters[0];
    // First letter plus two later letters, in order.
    for i in 1..letters.len() {
        for j in i + 1..letters.len() {
            let candidate: String = [first, letters[i], letters[j]].iter().collect();
            if !taken.contains(&candidate) {
                return candidate;
            }
        }
    }
    // Then four letters, then a letter suffix.
    for width in 4..=letters.len().min(6) {
        let candidate: String = letters[..width].iter().collect();
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
    let stem: String = letters.iter().take(3).collect();
    for a in 'A'..='Z' {
        for b in 'A'..='Z' {
            let candidate = format!("{stem}{a}{b}");
            if !taken.contains(&candidate) {
                return candidate;
            }
        }
    }
    stem
}

/// Where a commune is in its life on the platform.
/// Stored by its snake-case name (`onboarding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum CommuneStatus {
    Onboarding,
    Active,
    Suspended,
    Training,
}

impl CommuneStatus {
    /// The stored name (`onboarding`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// When a training commune is set back to its starting point, besides an operator's `reset`: a commune
/// setting chosen when it is made.
/// Stored by its name (`nightly`, `manual`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum TrainingReset {
    /// Every night: by the first pass of the scheduler after midnight in the commune's time zone.
    #[default]
    Nightly,
    /// Only when an operator asks.
    Manual,
}

impl TrainingReset {
    pub const fn as_str(self) -> &'static str {
        match self {
            TrainingReset::Nightly => "nightly",
            TrainingReset::Manual => "manual",
        }
    }

    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        match value {
            "nightly" => Ok(TrainingReset::Nightly),
            "manual" => Ok(TrainingReset::Manual),
            _ => Err(InvalidValue::new("training reset", value, "`nightly` or `manual`")),
        }
    }
}

/// Morocco's twelve regions (decree 2.15.40 of 20 February 2015 fixing their number, names and seats), by the code
/// the national list of communes gives them (HCP, `region_code`: "01" to "12") and their French name, the name
/// Jamaa stores and the national indicators group by.
pub const MOROCCAN_REGIONS: [(&str, &str); 12] = [
    ("01", "Tanger-Tétouan-Al Hoceima"),
    ("02", "Oriental"),
    ("03", "Fès-Meknès"),
    ("04", "Rabat-Salé-Kénitra"),
    ("05", "Béni Mellal-Khénifra"),
    ("06", "Casablanca-Settat"),
    ("07", "Marrakech-Safi"),
    ("08", "Drâa-Tafilalet"),
    ("09", "Souss-Massa"),
    ("10", "Guelmim-Oued Noun"),
    ("11", "Laâyoune-Sakia El Hamra"),
    ("12", "Dakhla-Oued Ed-Dahab"),
];

/// A commune's region as stored: a Moroccan region given by its code ("02", or "2") becomes its name ("Oriental");
/// any other value is kept as given, trimmed.
pub fn region_name(country: Country, region: &str) -> String {
    let region = region.trim();
    if country == Country::Morocco
        && !region.is_empty()
        && region.len() <= 2
        && region.bytes().all(|b| b.is_ascii_digit())
    {
        let code = format!("{region:0>2}");
        if let Some((_, name)) = MOROCCAN_REGIONS.iter().find(|(c, _)| *c == code) {
            return (*name).to_owned();
        }
    }
    region.to_owned()
}

/// A commune's IANA time zone (`Africa/Casablanca`), read once from its name and written back as it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Zone(chrono_tz::Tz);

impl Zone {
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        value.parse().map(Self).map_err(|_| InvalidValue::new("time zone", value, "an IANA time zone"))
    }

    pub const fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    /// The zone's IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl From<chrono_tz::Tz> for Zone {
    fn from(tz: chrono_tz::Tz) -> Self {
        Self(tz)
    }
}

impl TryFrom<String> for Zone {
    type Error = InvalidValue;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> Self {
        zone.name().to_owned()
    }
}

/// An ISO 4217 currency by its alphabetic code (`MAD`, `MRU`, `EUR`: three capital letters), read once where it
/// enters and written back as it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "store", sea_orm(value_type = "String"))]
pub struct Currency(String);

impl Currency {
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidValue::new("currency", value, "an ISO 4217 code"))
        }
    }

    /// The alphabetic code (`MAD`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Currency {
    type Err = InvalidValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

impl TryFrom<String> for Currency {
    type Error = InvalidValue;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> Self {
        currency.0
    }
}

/// The settings of a new commune, before it has an id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommuneSpec {
    pub slug: Slug,
    pub name: LocalizedText,
    pub country: Country,
    /// The official code (HCP code for Moroccan communes).
    #[serde(default)]
    pub official_code: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub population: Option<u64>,
    pub default_locale: Locale,
    pub locales: Vec<Locale>,
    /// IANA time zone: `Africa/Casablanca`.
    pub time_zone: Zone,
    pub currency: Currency,
    pub tracking_prefix: TrackingPrefix,
    /// Shared by every commune that holds the same (communes onboarded from one template).
    pub calendar: std::sync::Arc<WorkingCalendar>,
}

/// A commune on the platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commune {
    pub id: TenantId,
    #[serde(flatten)]
    pub spec: CommuneSpec,
    pub status: CommuneStatus,
    /// The template (and version) the commune's configuration came from, if any.
    #[serde(default)]
    pub lineage: Option<TemplateRef>,
}

impl Commune {
    /// The locales to fall back on for this commune: its default, then its other locales.
    pub fn fallbacks(&self) -> Vec<Locale> {
        std::iter::once(self.spec.default_locale).chain(self.spec.locales.iter().copied()).collect()
    }

    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.spec.time_zone.tz()
    }
}

impl CommuneSpec {
    /// Checks what the types cannot: the default locale enabled, a name.
    pub fn check(&self) -> Result<(), Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        if !self.locales.contains(&self.default_locale) {
            problems.push(("defaultLocale", "the default locale must be one of the enabled locales".into()));
        }
        if self.name.is_empty() {
            problems.push(("name", "a commune needs a name".into()));
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

/// A template's name and version: `ma-commune@1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TemplateRef {
    pub name: String,
    pub version: u32,
}

impl TemplateRef {
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        let invalid = || InvalidValue::new("template", value, "name@version, e.g. ma-commune@1");
        let (name, version) = value.trim().split_once('@').ok_or_else(invalid)?;
        let version: u32 = version.parse().map_err(|_| invalid())?;
        if !valid_template_name(name) || version == 0 {
            return Err(invalid());
        }
        Ok(Self { name: name.to_owned(), version })
    }
}

/// Template names: 2–64 lowercase letters, digits and hyphens.
pub fn valid_template_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
}

impl fmt::Display for TemplateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

impl FromStr for TemplateRef {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for TemplateRef {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TemplateRef> for String {
    fn from(r: TemplateRef) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_zone_is_read_once_and_an_unknown_one_refused() {
        let zone = Zone::parse("Africa/Casablanca").unwrap();
        assert_eq!((zone.tz(), zone.name()), (chrono_tz::Africa::Casablanca, "Africa/Casablanca"));
        assert_eq!(serde_json::to_value(zone).unwrap(), serde_json::json!("Africa/Casablanca"));
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert!(serde_json::from_value::<Zone>(serde_json::json!("UTC+1")).is_err());
    }

    #[test]
    fn a_status_keeps_its_stored_name() {
        for (status, name) in [
            (CommuneStatus::Onboarding, "onboarding"),
            (CommuneStatus::Active, "active"),
            (CommuneStatus::Suspended, "suspended"),
            (CommuneStatus::Training, "training"),
        ] {
            assert_eq!((status.as_str(), name.parse()), (name, Ok(status)));
        }
    }

    #[test]
    fn slugs() {
        for ok in ["oujda", "sidi-bennour", "ait-2"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "o", "Oujda", "-oujda", "oujda-", "ou--jda", "ou jda", "وجدة"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tracking_prefixes() {
        assert!(TrackingPrefix::parse("OUJ").is_ok());
        assert!(TrackingPrefix::parse("oj").is_err());
        assert!(TrackingPrefix::parse("O").is_err());
        assert_eq!(serde_json::to_string(&Country::Mauritania).unwrap(), "\"MR\"");
    }

    #[test]
    fn moroccan_region_codes_become_names() {
        assert_eq!(region_name(Country::Morocco, "02"), "Oriental");
        assert_eq!(region_name(Country::Morocco, "1"), "Tanger-Tétouan-Al Hoceima");
        assert_eq!(region_name(Country::Morocco, " 12 "), "Dakhla-Oued Ed-Dahab");
        assert_eq!(region_name(Country::Morocco, "Oriental"), "Oriental");
        assert_eq!(region_name(Country::Morocco, "13"), "13");
        assert_eq!(region_name(Country::Mauritania, "02"), "02");
        // The table agrees with the national list of communes' regions.
        let names: std::collections::HashSet<_> = MOROCCAN_REGIONS.iter().map(|(_, name)| *name).collect();
        assert_eq!(names.len(), 12);
    }

    #[test]
    fn tracking_prefixes_are_unique_and_readable() {
        let mut taken = std::collections::HashSet::new();
        for slug in ["oujda", "oujda", "oujda", "ain-harrouda", "ait-2", "x"] {
            let prefix = unique_tracking_prefix(slug, &taken);
            assert!(TrackingPrefix::parse(&prefix).is_ok(), "{prefix}");
            assert!(taken.insert(prefix.clone()), "{prefix} given twice");
        }
        assert!(taken.contains("OUJ") && taken.contains("OUD") && taken.contains("OUA"), "{taken:?}");
    }
}
