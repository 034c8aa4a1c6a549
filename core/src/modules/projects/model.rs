//! The commune's action-plan projects (Programme d'Action de la Commune, organic law 113.14 arts 78–82): a
//! project has a code of the commune, a title and a description in each language the commune speaks, a
//! category (`settings.projects.categories`), the plan's period, a status, a place, dates, budget lines of the
//! commune's imported budget with the amount planned on each (centimes), milestones, and dated notes of its
//! progress (0–100 %). Published projects are open data and have a page on the commune's site.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages::{self, LocationProblem};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{MilestoneId, ProjectId, ProjectUpdateId};
use crate::model::settings::{SettingsSection, snake_case_keys_once};
use crate::modules::fields::bounded;

/// The settings key that holds a commune's [`ProjectSettings`].
pub const SETTINGS_KEY: &str = "projects";

/// The longest code.
pub const MAX_CODE: usize = 32;
/// The longest title, place name or milestone title.
pub const MAX_TITLE: usize = 200;
/// The longest description or progress note.
pub const MAX_TEXT: usize = 4_000;
/// The most budget lines or milestones a project names.
pub const MAX_ITEMS: usize = 100;

/// What a commune sets of its projects (`settings.projects`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSettings {
    /// The years an action plan covers at most (the council's mandate).
    pub period_years: u32,
    /// The categories a project is filed under.
    pub categories: Vec<ProjectCategory>,
    /// The text that sets the action plan and its period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<String>,
}

/// A category of projects (`roads`, `lighting`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectCategory {
    pub key: String,
    pub label: LocalizedText,
    /// The text behind it, or a text marking it a commune setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<String>,
}

impl SettingsSection for ProjectSettings {
    const KEY: &'static str = SETTINGS_KEY;

    /// Keys are snake case and given once; a plan lasts a year at least.
    fn check(&self) -> Result<(), String> {
        if self.period_years == 0 {
            return Err("periodYears: a plan lasts one year at least".into());
        }
        snake_case_keys_once("categories", self.categories.iter().map(|c| c.key.as_str()))
    }
}

impl ProjectSettings {
    pub fn category(&self, key: &str) -> Option<&ProjectCategory> {
        self.categories.iter().find(|c| c.key == key)
    }
}

/// Where a project stands. Stored by its snake-case name (`in_progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Done,
    Suspended,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] =
        [ProjectStatus::Planned, ProjectStatus::InProgress, ProjectStatus::Done, ProjectStatus::Suspended];

    /// The stored name (`in_progress`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Its name for citizens.
    pub fn label(self) -> LocalizedText {
        let (ar, fr, en, tzm) = match self {
            ProjectStatus::Planned => ("مبرمج", "Programmé", "Planned", "ⵉⵜⵜⵓⵙⵖⴰⵡⵙ"),
            ProjectStatus::InProgress => ("في طور الإنجاز", "En cours", "In progress", "ⴳ ⵓⵙⵡⵓⴷⴷⵓ"),
            ProjectStatus::Done => ("منجز", "Achevé", "Done", "ⵉⵜⵜⵓⵙⵎⴷ"),
            ProjectStatus::Suspended => ("متوقف", "Suspendu", "Suspended", "ⵉⵃⴱⵙ"),
        };
        LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm)
    }
}

/// Where a project is: a place name and, when known, its coordinates (WGS 84).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A line of the commune's imported budget (an expense line, by year, chapter, article and paragraph) and
/// what the project plans to spend on it, in centimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLink {
    pub year: i32,
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
    pub planned: i64,
}

impl BudgetLink {
    /// Whether it names this line of the budget.
    pub fn names(&self, year: i32, chapter: &str, article: &str, paragraph: &str) -> bool {
        self.year == year && self.chapter == chapter && self.article == article && self.paragraph == paragraph
    }
}

/// A project as it is written (created, or replacing its fields).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectInput {
    pub code: String,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub category: String,
    /// The years of the action plan the project belongs to.
    pub period_from: i32,
    pub period_to: i32,
    pub status: ProjectStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub location: Location,
    pub budget_lines: Vec<BudgetLink>,
    /// Shown in the open data and on the commune's site.
    pub published: bool,
}

/// A project as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub code: String,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub category: String,
    pub period_from: i32,
    pub period_to: i32,
    pub status: ProjectStatus,
    /// 0–100 %, from the last progress recorded.
    pub progress: u8,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub location: Location,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Project {
    /// The project `input` writes, with the `progress` and creation time it keeps (a new one's: 0 and `now`),
    /// updated `now`; beside it, the budget lines `input` names.
    pub fn written(
        id: ProjectId,
        input: ProjectInput,
        progress: u8,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> (Self, Vec<BudgetLink>) {
        let project = Self {
            id,
            code: input.code,
            title: input.title,
            description: input.description,
            category: input.category,
            period_from: input.period_from,
            period_to: input.period_to,
            status: input.status,
            progress,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            location: input.location,
            published: input.published,
            created_at,
            updated_at: now,
        };
        (project, input.budget_lines)
    }
}

/// A milestone of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub id: MilestoneId,
    pub project: ProjectId,
    pub title: LocalizedText,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// A milestone as it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneInput {
    pub title: LocalizedText,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// A dated note of a project's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressUpdate {
    pub id: ProjectUpdateId,
    pub project: ProjectId,
    pub on: NaiveDate,
    pub progress: u8,
    pub note: LocalizedText,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// Progress as it is recorded: the day, the percent, a note, and the status when it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressInput {
    pub on: NaiveDate,
    pub progress: i32,
    pub note: LocalizedText,
    pub status: Option<ProjectStatus>,
}

/// A text in each of the commune's languages (`{path}.{locale}`), none in another.
fn localized(
    path: &str,
    text: &LocalizedText,
    locales: &[Locale],
    max: usize,
    errors: &mut Vec<FieldError>,
) -> LocalizedText {
    let mut checked = LocalizedText::new();
    for locale in text.locales() {
        if !locales.contains(&locale) {
            errors.push(FieldError::new(
                format!("{path}.{locale}"),
                FieldErrorCode::NotAnOption,
                messages::not_an_option(),
            ));
        }
    }
    for locale in locales {
        let value = bounded(&format!("{path}.{locale}"), text.exact(*locale).unwrap_or(""), max, errors);
        if !value.is_empty() {
            checked = checked.with(*locale, value);
        }
    }
    checked
}

/// Whether a code is 1 to [`MAX_CODE`] of `A-Z`, `0-9` and `-`.
pub fn code_is_well_formed(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Checks a location: a place name, and both coordinates within their ranges or neither.
fn location(input: &Location, errors: &mut Vec<FieldError>) -> Location {
    let place = bounded("input.location.place", &input.place, MAX_TITLE, errors);
    let invalid = |path: &str, problem| {
        FieldError::new(path, FieldErrorCode::InvalidLocation, messages::invalid_location(problem))
    };
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                errors.push(invalid("input.location.latitude", LocationProblem::Latitude));
            }
            if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
                errors.push(invalid("input.location.longitude", LocationProblem::Longitude));
            }
        }
        (None, None) => {}
        (None, Some(_)) => errors.push(invalid("input.location.latitude", LocationProblem::IncompleteCoordinates)),
        (Some(_), None) => errors.push(invalid("input.location.longitude", LocationProblem::IncompleteCoordinates)),
    }
    Location { place, latitude: input.latitude, longitude: input.longitude }
}

/// Checks a project (every failure at once, under `input.`) against the commune's settings and languages:
/// code, texts in each language, category, the plan's period (from ≤ to, within `periodYears`), dates, place,
/// and budget lines (each within the period, named once, a positive amount). Whether each budget line exists
/// in the commune's imported budget is the use case's to check.
pub fn validate_project(
    input: &ProjectInput,
    settings: &ProjectSettings,
    locales: &[Locale],
) -> Result<ProjectInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = input.code.trim().to_owned();
    if !code_is_well_formed(&code) {
        errors.push(FieldError::new("input.code", FieldErrorCode::PatternMismatch, messages::project_code_format()));
    }
    let title = localized("input.title", &input.title, locales, MAX_TITLE, &mut errors);
    let description = localized("input.description", &input.description, locales, MAX_TEXT, &mut errors);
    let category = input.category.trim().to_owned();
    if settings.category(&category).is_none() {
        errors.push(FieldError::new("input.category", FieldErrorCode::NotAnOption, messages::not_an_option()));
    }
    let years = i64::from(input.period_to) - i64::from(input.period_from) + 1;
    if years < 1 || years > i64::from(settings.period_years) {
        errors.push(FieldError::new(
            "input.periodTo",
            FieldErrorCode::OutOfRange,
            messages::project_period(settings.period_years),
        ));
    }
    if let (Some(starts), Some(ends)) = (input.starts_on, input.ends_on)
        && ends < starts
    {
        errors.push(FieldError::new("input.endsOn", FieldErrorCode::OutOfRange, messages::project_ends_before_start()));
    }
    let location = location(&input.location, &mut errors);
    if input.budget_lines.len() > MAX_ITEMS {
        errors.push(FieldError::new(
            "input.budgetLines",
            FieldErrorCode::TooLong,
            messages::register_too_long(MAX_ITEMS),
        ));
    }
    let mut budget_lines: Vec<BudgetLink> = Vec::with_capacity(input.budget_lines.len());
    for (i, line) in input.budget_lines.iter().enumerate() {
        let path = format!("input.budgetLines[{i}]");
        let chapter = bounded(&format!("{path}.chapter"), &line.chapter, MAX_CODE, &mut errors);
        let article = bounded(&format!("{path}.article"), &line.article, MAX_CODE, &mut errors);
        let paragraph = line.paragraph.trim().to_owned();
        if line.year < input.period_from || line.year > input.period_to {
            errors.push(FieldError::new(
                format!("{path}.year"),
                FieldErrorCode::OutOfRange,
                messages::project_period(settings.period_years),
            ));
        }
        if line.planned <= 0 {
            errors.push(FieldError::new(
                format!("{path}.planned"),
                FieldErrorCode::OutOfRange,
                messages::project_amount_positive(),
            ));
        }
        if budget_lines.iter().any(|l| l.names(line.year, &chapter, &article, &paragraph)) {
            errors.push(FieldError::new(
                format!("{path}.paragraph"),
                FieldErrorCode::InvalidValue,
                messages::project_budget_line_unknown(),
            ));
        }
        budget_lines.push(BudgetLink { year: line.year, chapter, article, paragraph, planned: line.planned });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProjectInput {
        code,
        title,
        description,
        category,
        period_from: input.period_from,
        period_to: input.period_to,
        status: input.status,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        location,
        budget_lines,
        published: input.published,
    })
}

/// Checks a milestone: its title in each of the commune's languages, done on or before `today`.
pub fn validate_milestone(
    input: &MilestoneInput,
    locales: &[Locale],
    today: NaiveDate,
) -> Result<MilestoneInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = localized("input.title", &input.title, locales, MAX_TITLE, &mut errors);
    if input.done_on.is_some_and(|done| done > today) {
        errors.push(FieldError::new("input.doneOn", FieldErrorCode::OutOfRange, messages::project_update_in_future()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(MilestoneInput { title, due_on: input.due_on, done_on: input.done_on })
}

/// Checks progress: 0–100 %, dated today or before, its note in each of the commune's languages.
pub fn validate_progress(
    input: &ProgressInput,
    locales: &[Locale],
    today: NaiveDate,
) -> Result<(ProgressInput, u8), Vec<FieldError>> {
    let mut errors = Vec::new();
    let percent = u8::try_from(input.progress).ok().filter(|p| *p <= 100);
    if percent.is_none() {
        errors.push(FieldError::new("input.progress", FieldErrorCode::OutOfRange, messages::project_progress_range()));
    }
    if input.on > today {
        errors.push(FieldError::new("input.on", FieldErrorCode::OutOfRange, messages::project_update_in_future()));
    }
    let note = localized("input.note", &input.note, locales, MAX_TEXT, &mut errors);
    match percent {
        Some(percent) if errors.is_empty() => {
            Ok((ProgressInput { on: input.on, progress: input.progress, note, status: input.status }, percent))
        }
        _ => Err(errors),
    }
}

/// The status after progress is recorded: the one given, else done at 100 %, in progress once begun (from
/// planned), else unchanged (a suspended project stays so until its status is given).
pub fn status_after(current: ProjectStatus, progress: u8, given: Option<ProjectStatus>) -> ProjectStatus {
    match given {
        Some(status) => status,
        None if progress >= 100 && current != ProjectStatus::Suspended => ProjectStatus::Done,
        None if progress > 0 && current == ProjectStatus::Planned => ProjectStatus::InProgress,
        None => current,
    }
}

/// What a project plans to spend, in centimes (the sum of its budget lines).
pub fn planned_total(lines: &[BudgetLink]) -> i64 {
    lines.iter().map(|l| l.planned).fold(0_i64, i64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        crate::model::calendar::parse_date(text).unwrap()
    }

    fn settings() -> ProjectSettings {
        crate::model::standard::shipped_templates()
            .unwrap()
            .iter()
            .find(|t| t.name == "ma-commune")
            .and_then(|ma| ProjectSettings::from_settings(&ma.content.settings))
            .unwrap()
            .unwrap()
    }

    fn input() -> ProjectInput {
        ProjectInput {
            code: " PAC-2022-07 ".into(),
            title: LocalizedText::ar_fr("تهيئة شارع محمد الخامس", "Aménagement du boulevard Mohammed V"),
            description: LocalizedText::ar_fr("إعادة تهيئة الأرصفة والإنارة", "Trottoirs et éclairage refaits"),
            category: "roads".into(),
            period_from: 2022,
            period_to: 2027,
            status: ProjectStatus::Planned,
            starts_on: Some(date("2024-03-01")),
            ends_on: Some(date("2026-06-30")),
            location: Location { place: "Boulevard Mohammed V".into(), latitude: Some(34.68), longitude: Some(-1.91) },
            budget_lines: vec![BudgetLink {
                year: 2025,
                chapter: "20".into(),
                article: "10".into(),
                paragraph: "11".into(),
                planned: 150_000_000,
            }],
            published: true,
        }
    }

    #[test]
    fn the_shipped_settings_load_and_cite_their_basis() {
        let settings = settings();
        assert_eq!(settings.period_years, 6);
        assert!(settings.legal_reference.as_deref().is_some_and(|r| r.contains("113.14")));
        assert!(settings.category("roads").is_some());
        assert!(settings.categories.iter().all(|c| c.legal_reference.is_some()));
    }

    #[test]
    fn a_project_is_checked_in_every_language_of_the_commune() {
        let locales = [Locale::Ar, Locale::Fr];
        let checked = validate_project(&input(), &settings(), &locales).unwrap();
        assert_eq!(checked.code, "PAC-2022-07");
        assert_eq!(planned_total(&checked.budget_lines), 150_000_000);

        // A commune that also speaks Tamazight wants the texts in Tifinagh too.
        let paths = |input: &ProjectInput, locales: &[Locale]| -> Vec<String> {
            validate_project(input, &settings(), locales).unwrap_err().into_iter().map(|e| e.path).collect()
        };
        assert_eq!(
            paths(&input(), &[Locale::Ar, Locale::Fr, Locale::Tzm]),
            ["input.title.tzm", "input.description.tzm"]
        );

        let mut bad = input();
        bad.code = "pac 7".into();
        bad.category = "space".into();
        bad.period_to = 2030;
        bad.ends_on = Some(date("2020-01-01"));
        bad.location = Location { place: " ".into(), latitude: Some(95.0), longitude: None };
        bad.budget_lines.push(bad.budget_lines[0].clone());
        bad.budget_lines[0].planned = 0;
        assert_eq!(
            paths(&bad, &locales),
            [
                "input.code",
                "input.category",
                "input.periodTo",
                "input.endsOn",
                "input.location.place",
                "input.location.longitude",
                "input.budgetLines[0].planned",
                "input.budgetLines[1].paragraph",
            ]
        );
        let mut outside = input();
        outside.budget_lines[0].year = 2021;
        outside.title = outside.title.with(Locale::Es, "Avenida");
        assert_eq!(paths(&outside, &locales), ["input.title.es", "input.budgetLines[0].year"]);
    }

    #[test]
    fn progress_is_a_percent_of_today_or_before_and_moves_the_status() {
        let locales = [Locale::Fr];
        let today = date("2026-03-02");
        let note = LocalizedText::new().with(Locale::Fr, "Chaussée terminée");
        let ok = ProgressInput { on: today, progress: 60, note: note.clone(), status: None };
        assert_eq!(validate_progress(&ok, &locales, today).unwrap().1, 60);
        let bad = ProgressInput { on: date("2026-03-03"), progress: 101, note: LocalizedText::new(), status: None };
        let paths: Vec<_> = validate_progress(&bad, &locales, today).unwrap_err().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["input.progress", "input.on", "input.note.fr"]);
        assert!(validate_progress(&ProgressInput { progress: -1, ..ok }, &locales, today).is_err());

        use ProjectStatus::*;
        assert_eq!(status_after(Planned, 10, None), InProgress);
        assert_eq!(status_after(InProgress, 100, None), Done);
        assert_eq!(status_after(Suspended, 100, None), Suspended);
        assert_eq!(status_after(Planned, 0, None), Planned);
        assert_eq!(status_after(InProgress, 40, Some(Suspended)), Suspended);
    }

    #[test]
    fn statuses_keep_their_stored_names_and_labels() {
        let names: Vec<_> = ProjectStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["planned", "in_progress", "done", "suspended"]);
        for status in ProjectStatus::ALL {
            assert_eq!(status.as_str().parse::<ProjectStatus>(), Ok(status));
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(status.label().exact(locale).is_some(), "{status:?} in {locale}");
            }
        }
    }

    #[test]
    fn a_milestone_is_not_done_in_the_future() {
        let today = date("2026-03-02");
        let input = MilestoneInput {
            title: LocalizedText::new().with(Locale::Fr, "Réception provisoire"),
            due_on: date("2026-06-30"),
            done_on: Some(date("2026-03-03")),
        };
        let errors = validate_milestone(&input, &[Locale::Fr, Locale::Ar], today).unwrap_err();
        let paths: Vec<_> = errors.into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["input.title.ar", "input.doneOn"]);
    }
}
