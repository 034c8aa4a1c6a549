//! The commune's disputes (litigation): cases numbered per commune and year (`LIT-2026-000001`, gap-free), their
//! type (`settings.disputes.caseTypes`), court, the commune's position, parties (sealed: personal data), lawyer,
//! stakes in centimes, an optional request or complaint of the commune they refer to; hearings with their
//! reminder N working days before (`settings.disputes.reminderDays`, on the commune's calendar), decisions
//! (their appeal deadline, `settings.disputes.appealDays`) and appeals.

use std::fmt;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::calendar::WorkingCalendar;
use crate::model::form::messages;
use crate::model::i18n::LocalizedText;
use crate::model::ids::{DisputeDocumentId, DisputeId, HearingId};
use crate::model::settings::{SettingsSection, snake_case_keys_once};
use crate::modules::fields::{bounded, optional};

/// The settings key that holds a commune's [`DisputeSettings`].
pub const SETTINGS_KEY: &str = "disputes";

/// The longest name, court, lawyer, room or object.
pub const MAX_TEXT: usize = 200;
/// The longest address, outcome or summary.
pub const MAX_LONG_TEXT: usize = 2_000;
/// The most parties a case names.
pub const MAX_PARTIES: usize = 20;

/// What a commune sets of its disputes (`settings.disputes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisputeSettings {
    /// The kinds of case the commune's legal-affairs office records.
    pub case_types: Vec<CaseType>,
    /// How many working days (the commune's calendar) before a hearing its reminder falls due.
    pub reminder_days: u32,
    /// How many calendar days after a decision an appeal may be lodged.
    pub appeal_days: u32,
}

/// A kind of case (`administrative`, `civil`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseType {
    pub key: String,
    pub label: LocalizedText,
}

impl SettingsSection for DisputeSettings {
    const KEY: &'static str = SETTINGS_KEY;

    /// Keys are snake case and given once; an appeal period of at least a day.
    fn check(&self) -> Result<(), String> {
        snake_case_keys_once("caseTypes", self.case_types.iter().map(|t| t.key.as_str()))?;
        if self.appeal_days == 0 {
            return Err("appealDays: at least one day".into());
        }
        Ok(())
    }
}

impl DisputeSettings {
    pub fn case_type(&self, key: &str) -> Option<&CaseType> {
        self.case_types.iter().find(|t| t.key == key)
    }
}

/// Where the commune stands in a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Position {
    Claimant,
    Defendant,
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Status {
    Open,
    Decided,
    Appealed,
    Closed,
}

impl Status {
    /// Whether the case is still before a court or awaits an appeal (open in the indicators).
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// Whether a hearing may be set: before a court (first instance or appeal).
    pub fn may_hold_hearings(self) -> bool {
        matches!(self, Status::Open | Status::Appealed)
    }

    /// Whether a decision may be recorded.
    pub fn may_be_decided(self) -> bool {
        matches!(self, Status::Open | Status::Appealed)
    }

    /// Whether an appeal may be lodged: a decision was given.
    pub fn may_be_appealed(self) -> bool {
        self == Status::Decided
    }
}

/// The outcome of a decision for the commune.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Outcome {
    Won,
    Lost,
    Partly,
}

/// A case's number: `LIT-2026-000042`, gap-free per commune and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CaseNumber {
    pub year: i32,
    pub number: u32,
}

impl CaseNumber {
    /// The commune's counter of a year's cases.
    pub fn counter_name(year: i32) -> String {
        format!("disputes:LIT:{year}")
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LIT-{}-{:06}", self.year, self.number)
    }
}

/// An opposing or other party: personal data, sealed under the commune's data key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A case as it is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseInput {
    pub case_type: String,
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub position: Position,
    pub parties: Vec<Party>,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    pub stakes_centimes: i64,
    /// The tracking code of a request or complaint of the commune the case refers to.
    pub request_code: Option<String>,
    pub opened_on: NaiveDate,
}

/// A case as stored, its parties apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub id: DisputeId,
    pub number: String,
    pub case_type: String,
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub position: Position,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    pub stakes_centimes: i64,
    pub request_code: Option<String>,
    pub status: Status,
    pub opened_on: NaiveDate,
    /// The member who follows the case (reminded of its hearings), by user id.
    pub responsible: Option<crate::model::ids::UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A hearing of a case, with its reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hearing {
    pub id: HearingId,
    pub case: DisputeId,
    pub scheduled_at: DateTime<Utc>,
    pub room: Option<String>,
    pub object: String,
    pub outcome: Option<String>,
    /// When its reminder falls due (N working days before, at the start of the day).
    pub reminder_due_at: DateTime<Utc>,
    /// When the scheduler recorded the reminder.
    pub reminded_at: Option<DateTime<Utc>>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A hearing as it is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HearingInput {
    pub scheduled_at: DateTime<Utc>,
    pub room: Option<String>,
    pub object: String,
}

/// A court's decision in a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub id: crate::model::ids::DecisionId,
    pub case: DisputeId,
    pub decided_on: NaiveDate,
    pub outcome: Outcome,
    pub awarded_centimes: i64,
    pub summary: String,
    /// The last day to lodge an appeal.
    pub appeal_deadline: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A decision as it is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionInput {
    pub decided_on: NaiveDate,
    pub outcome: Outcome,
    pub awarded_centimes: i64,
    pub summary: String,
}

/// An appeal against a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appeal {
    pub id: crate::model::ids::AppealId,
    pub case: DisputeId,
    pub decision: crate::model::ids::DecisionId,
    pub lodged_on: NaiveDate,
    pub court_name: String,
    pub court_city: String,
    /// The decision's appeal deadline it was lodged against.
    pub deadline: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// An appeal as it is lodged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppealInput {
    pub lodged_on: NaiveDate,
    pub court_name: String,
    pub court_city: String,
}

fn amount(path: &str, centimes: i64, errors: &mut Vec<FieldError>) {
    if centimes < 0 {
        errors.push(FieldError::new(path, FieldErrorCode::OutOfRange, messages::dispute_amount_negative()));
    }
}

/// The parties of a case: at least one, at most [`MAX_PARTIES`], each named; trimmed.
fn check_parties(parties: &[Party], errors: &mut Vec<FieldError>) -> Vec<Party> {
    if parties.is_empty() {
        errors.push(FieldError::new("input.parties", FieldErrorCode::Required, messages::dispute_parties_required()));
    } else if parties.len() > MAX_PARTIES {
        errors.push(FieldError::new(
            "input.parties",
            FieldErrorCode::TooLong,
            messages::register_too_long(MAX_PARTIES),
        ));
    }
    parties
        .iter()
        .enumerate()
        .map(|(i, party)| Party {
            name: bounded(&format!("input.parties[{i}].name"), &party.name, MAX_TEXT, errors),
            address: optional(&format!("input.parties[{i}].address"), party.address.as_deref(), MAX_LONG_TEXT, errors),
        })
        .collect()
}

/// Checks a case (every failure at once, under `input.`) and normalizes it: texts trimmed.
pub fn validate_case(
    input: &CaseInput,
    settings: &DisputeSettings,
    today: NaiveDate,
) -> Result<CaseInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let case_type = input.case_type.trim().to_owned();
    if settings.case_type(&case_type).is_none() {
        errors.push(FieldError::new("input.caseType", FieldErrorCode::NotAnOption, messages::not_an_option()));
    }
    let subject = bounded("input.subject", &input.subject, MAX_TEXT, &mut errors);
    let court_name = bounded("input.courtName", &input.court_name, MAX_TEXT, &mut errors);
    let court_city = bounded("input.courtCity", &input.court_city, MAX_TEXT, &mut errors);
    let parties = check_parties(&input.parties, &mut errors);
    let lawyer_name = optional("input.lawyerName", input.lawyer_name.as_deref(), MAX_TEXT, &mut errors);
    let lawyer_bar = optional("input.lawyerBar", input.lawyer_bar.as_deref(), MAX_TEXT, &mut errors);
    amount("input.stakesCentimes", input.stakes_centimes, &mut errors);
    if input.opened_on > today {
        errors.push(FieldError::new("input.openedOn", FieldErrorCode::OutOfRange, messages::implausible_date()));
    }
    let request_code = input.request_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_uppercase);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseInput {
        case_type,
        subject,
        court_name,
        court_city,
        position: input.position,
        parties,
        lawyer_name,
        lawyer_bar,
        stakes_centimes: input.stakes_centimes,
        request_code,
        opened_on: input.opened_on,
    })
}

/// What of a case may be corrected once it is open: its object, court, parties, lawyer and stakes (never its
/// number, type, position, opening day or the request it refers to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEdit {
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub parties: Vec<Party>,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    pub stakes_centimes: i64,
}

impl CaseEdit {
    /// The case's fields as they stand, its parties as opened.
    pub fn of(case: &Case, parties: Vec<Party>) -> Self {
        CaseEdit {
            subject: case.subject.clone(),
            court_name: case.court_name.clone(),
            court_city: case.court_city.clone(),
            parties,
            lawyer_name: case.lawyer_name.clone(),
            lawyer_bar: case.lawyer_bar.clone(),
            stakes_centimes: case.stakes_centimes,
        }
    }

    /// The names of the fields that differ from `before`, in a fixed order (`parties` named, never shown).
    pub fn changed_from(&self, before: &CaseEdit) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.subject != before.subject {
            changed.push("subject");
        }
        if self.court_name != before.court_name {
            changed.push("courtName");
        }
        if self.court_city != before.court_city {
            changed.push("courtCity");
        }
        if self.parties != before.parties {
            changed.push("parties");
        }
        if self.lawyer_name != before.lawyer_name {
            changed.push("lawyerName");
        }
        if self.lawyer_bar != before.lawyer_bar {
            changed.push("lawyerBar");
        }
        if self.stakes_centimes != before.stakes_centimes {
            changed.push("stakesCentimes");
        }
        changed
    }
}

/// Checks a correction of a case by the rules a case is opened with (every failure at once, under `input.`).
pub fn validate_edit(input: &CaseEdit) -> Result<CaseEdit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let subject = bounded("input.subject", &input.subject, MAX_TEXT, &mut errors);
    let court_name = bounded("input.courtName", &input.court_name, MAX_TEXT, &mut errors);
    let court_city = bounded("input.courtCity", &input.court_city, MAX_TEXT, &mut errors);
    let parties = check_parties(&input.parties, &mut errors);
    let lawyer_name = optional("input.lawyerName", input.lawyer_name.as_deref(), MAX_TEXT, &mut errors);
    let lawyer_bar = optional("input.lawyerBar", input.lawyer_bar.as_deref(), MAX_TEXT, &mut errors);
    amount("input.stakesCentimes", input.stakes_centimes, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseEdit {
        subject,
        court_name,
        court_city,
        parties,
        lawyer_name,
        lawyer_bar,
        stakes_centimes: input.stakes_centimes,
    })
}

/// The kind of a document of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum DocumentKind {
    /// A pleading (a brief, a statement of claim or of defence).
    Pleading,
    /// A judgment or another decision of a court.
    Judgment,
    /// An expert's report.
    ExpertReport,
    /// A notice, a summons, a letter of the court or of a party.
    Correspondence,
    Other,
}

/// The largest document of a case, in bytes (below the 25 MiB body of an upload).
pub const MAX_DOCUMENT_BYTES: u64 = 20 * 1024 * 1024;

/// A document of a case as it is attached: its content comes apart, sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInput {
    pub title: String,
    /// One of [`DocumentKind`]'s names (`pleading`, `judgment`, `expert_report`, `correspondence`, `other`).
    pub kind: String,
    pub file_name: String,
    pub size_bytes: u64,
}

/// A document of a case, without its content (sealed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDocument {
    pub id: DisputeDocumentId,
    pub case: DisputeId,
    pub title: String,
    pub kind: DocumentKind,
    pub file_name: String,
    /// Detected from the content, never taken from the client.
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

/// Checks a document to attach (every failure at once): a title, a known kind, a file name, a content neither
/// empty nor larger than [`MAX_DOCUMENT_BYTES`]. Answers the trimmed title and file name, and the kind.
pub fn validate_document(input: &DocumentInput) -> Result<(String, DocumentKind, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = bounded("document.title", &input.title, MAX_TEXT, &mut errors);
    let kind = input.kind.trim().parse::<DocumentKind>().ok();
    if kind.is_none() {
        errors.push(FieldError::new("document.kind", FieldErrorCode::NotAnOption, messages::not_an_option()));
    }
    let file_name = bounded("file", &input.file_name, MAX_TEXT, &mut errors);
    if input.size_bytes == 0 {
        errors.push(FieldError::new("file", FieldErrorCode::Required, messages::register_required()));
    } else if input.size_bytes > MAX_DOCUMENT_BYTES {
        let label = crate::model::i18n::LocalizedText::ar_fr(file_name.clone(), file_name.clone());
        errors.push(FieldError::new(
            "file",
            FieldErrorCode::DocumentTooLarge,
            messages::document_too_large(&label, MAX_DOCUMENT_BYTES),
        ));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok((title, kind, file_name)),
        _ => Err(errors),
    }
}

/// Checks a hearing.
pub fn validate_hearing(input: &HearingInput) -> Result<HearingInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let object = bounded("input.object", &input.object, MAX_TEXT, &mut errors);
    let room = optional("input.room", input.room.as_deref(), MAX_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(HearingInput { scheduled_at: input.scheduled_at, room, object })
}

/// Checks a decision: not after today, no negative amount.
pub fn validate_decision(input: &DecisionInput, today: NaiveDate) -> Result<DecisionInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    if input.decided_on > today {
        errors.push(FieldError::new("input.decidedOn", FieldErrorCode::OutOfRange, messages::implausible_date()));
    }
    amount("input.awardedCentimes", input.awarded_centimes, &mut errors);
    let summary = bounded("input.summary", &input.summary, MAX_LONG_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DecisionInput { summary, ..input.clone() })
}

/// Checks an appeal: lodged on or after the decision, by its deadline.
pub fn validate_appeal(input: &AppealInput, decision: &Decision) -> Result<AppealInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    if input.lodged_on < decision.decided_on {
        errors.push(FieldError::new("input.lodgedOn", FieldErrorCode::OutOfRange, messages::implausible_date()));
    } else if input.lodged_on > decision.appeal_deadline {
        errors.push(FieldError::new(
            "input.lodgedOn",
            FieldErrorCode::OutOfRange,
            messages::appeal_out_of_time(&decision.appeal_deadline.to_string()),
        ));
    }
    let court_name = bounded("input.courtName", &input.court_name, MAX_TEXT, &mut errors);
    let court_city = bounded("input.courtCity", &input.court_city, MAX_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AppealInput { lodged_on: input.lodged_on, court_name, court_city })
}

/// The day a hearing's reminder falls due: `days` working days before the hearing's day on the commune's
/// calendar (the hearing's day itself when `days` is 0).
pub fn reminder_day(calendar: &WorkingCalendar, hearing_day: NaiveDate, days: u32) -> NaiveDate {
    let mut day = hearing_day;
    let mut counted = 0;
    // A calendar without working days would never count down: stop after ten years.
    for _ in 0..crate::model::calendar::SEARCH_LIMIT_DAYS {
        if counted == days {
            break;
        }
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
        if calendar.is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// The last day to appeal a decision given on `decided_on`: `days` calendar days later, moved to the next
/// working day when it falls on a weekend or holiday.
pub fn appeal_deadline(calendar: &WorkingCalendar, decided_on: NaiveDate, days: u32) -> NaiveDate {
    let day = decided_on.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    calendar.next_working_day_on_or_after(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        crate::model::calendar::parse_date(text).unwrap()
    }

    fn settings() -> DisputeSettings {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let ma = standard.iter().find(|t| t.name == "ma-commune").unwrap();
        DisputeSettings::from_settings(&ma.content.settings).unwrap().unwrap()
    }

    fn calendar() -> WorkingCalendar {
        crate::model::standard::moroccan_calendar().unwrap()
    }

    #[test]
    fn the_shipped_settings_load() {
        let settings = settings();
        assert!(settings.case_type("administrative").is_some());
        assert!(settings.case_type("expropriation").is_some());
        assert_eq!(settings.appeal_days, 30);
        assert!(settings.reminder_days > 0);
    }

    #[test]
    fn case_numbers_are_per_year() {
        assert_eq!(CaseNumber { year: 2026, number: 42 }.to_string(), "LIT-2026-000042");
        assert_eq!(CaseNumber::counter_name(2026), "disputes:LIT:2026");
    }

    #[test]
    fn cases_are_checked_every_failure_at_once() {
        let input = CaseInput {
            case_type: " administrative ".into(),
            subject: "Annulation d'un arrêté".into(),
            court_name: "Tribunal administratif".into(),
            court_city: "Oujda".into(),
            position: Position::Defendant,
            parties: vec![Party { name: " Karim Benali ".into(), address: Some("3 rue Al Qods".into()) }],
            lawyer_name: Some("Maître Idrissi".into()),
            lawyer_bar: Some("Barreau d'Oujda".into()),
            stakes_centimes: 12_500_000,
            request_code: Some(" ouj-2026-000001 ".into()),
            opened_on: date("2026-02-02"),
        };
        let checked = validate_case(&input, &settings(), date("2026-03-01")).unwrap();
        assert_eq!(checked.case_type, "administrative");
        assert_eq!(checked.parties[0].name, "Karim Benali");
        assert_eq!(checked.request_code.as_deref(), Some("OUJ-2026-000001"));
        let bad = CaseInput {
            case_type: "piracy".into(),
            court_name: " ".into(),
            parties: vec![Party { name: String::new(), address: None }],
            stakes_centimes: -1,
            opened_on: date("2027-01-01"),
            ..input
        };
        let paths: Vec<_> =
            validate_case(&bad, &settings(), date("2026-03-01")).unwrap_err().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            ["input.caseType", "input.courtName", "input.parties[0].name", "input.stakesCentimes", "input.openedOn"]
        );
    }

    #[test]
    fn reminders_count_working_days_back() {
        let calendar = calendar();
        // Thursday 12 March 2026: three working days before is Monday 9 March.
        assert_eq!(reminder_day(&calendar, date("2026-03-12"), 3), date("2026-03-09"));
        // Monday 16 March 2026: two working days before is Thursday 12 March (the weekend skipped).
        assert_eq!(reminder_day(&calendar, date("2026-03-16"), 2), date("2026-03-12"));
        assert_eq!(reminder_day(&calendar, date("2026-03-16"), 0), date("2026-03-16"));
    }

    #[test]
    fn the_appeal_deadline_moves_off_a_weekend() {
        let calendar = calendar();
        // 30 days after Friday 6 February 2026 is Sunday 8 March: the deadline is Monday 9 March.
        assert_eq!(appeal_deadline(&calendar, date("2026-02-06"), 30), date("2026-03-09"));
        let decision = Decision {
            id: crate::model::ids::DecisionId::new(),
            case: DisputeId::new(),
            decided_on: date("2026-02-06"),
            outcome: Outcome::Lost,
            awarded_centimes: 0,
            summary: "Rejet".into(),
            appeal_deadline: date("2026-03-09"),
            recorded_at: Utc::now(),
            recorded_by: "legal".into(),
        };
        let input = AppealInput { lodged_on: date("2026-03-10"), court_name: "CAA".into(), court_city: "Rabat".into() };
        assert_eq!(validate_appeal(&input, &decision).unwrap_err()[0].path, "input.lodgedOn");
        let in_time = AppealInput { lodged_on: date("2026-03-09"), ..input };
        assert!(validate_appeal(&in_time, &decision).is_ok());
    }

    #[test]
    fn a_correction_names_what_changed_and_is_checked_as_an_opening() {
        let before = CaseEdit {
            subject: "Annulation".into(),
            court_name: "Tribunal administratif".into(),
            court_city: "Oujda".into(),
            parties: vec![Party { name: "Karim Benali".into(), address: None }],
            lawyer_name: None,
            lawyer_bar: None,
            stakes_centimes: 100,
        };
        let after = CaseEdit {
            court_city: " Rabat ".into(),
            lawyer_name: Some(" Maître Idrissi ".into()),
            parties: vec![Party { name: " Karim Benali ".into(), address: Some(" ".into()) }],
            ..before.clone()
        };
        let checked = validate_edit(&after).unwrap();
        assert_eq!(checked.court_city, "Rabat");
        assert_eq!(checked.parties, before.parties, "trimmed, an empty address dropped");
        assert_eq!(checked.changed_from(&before), ["courtCity", "lawyerName"]);
        assert!(before.changed_from(&before).is_empty());
        let bad = CaseEdit { subject: " ".into(), parties: Vec::new(), stakes_centimes: -5, ..before };
        let paths: Vec<_> = validate_edit(&bad).unwrap_err().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["input.subject", "input.parties", "input.stakesCentimes"]);
    }

    #[test]
    fn a_document_needs_a_title_a_kind_and_a_content_of_bounded_size() {
        let input = DocumentInput {
            title: " Mémoire en défense ".into(),
            kind: "pleading".into(),
            file_name: "memoire.pdf".into(),
            size_bytes: 2_048,
        };
        assert_eq!(
            validate_document(&input).unwrap(),
            ("Mémoire en défense".to_owned(), DocumentKind::Pleading, "memoire.pdf".to_owned())
        );
        assert_eq!("expert_report".parse::<DocumentKind>(), Ok(DocumentKind::ExpertReport));
        let bad = DocumentInput { title: String::new(), kind: "rumour".into(), size_bytes: 0, ..input.clone() };
        let found: Vec<_> =
            validate_document(&bad).unwrap_err().into_iter().map(|e| (e.path, e.code.as_str())).collect();
        assert_eq!(
            found,
            [
                ("document.title".to_owned(), "REQUIRED"),
                ("document.kind".to_owned(), "NOT_AN_OPTION"),
                ("file".to_owned(), "REQUIRED")
            ]
        );
        let large = DocumentInput { size_bytes: MAX_DOCUMENT_BYTES + 1, ..input };
        assert_eq!(validate_document(&large).unwrap_err()[0].code, FieldErrorCode::DocumentTooLarge);
    }

    #[test]
    fn only_a_decided_case_is_appealed() {
        assert!(Status::Decided.may_be_appealed() && !Status::Open.may_be_appealed());
        assert!(Status::Appealed.may_hold_hearings() && !Status::Closed.may_hold_hearings());
        assert!(!Status::Closed.is_open() && Status::Decided.is_open());
    }
}
