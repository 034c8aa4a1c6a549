//! The commune's staff: records (grade, position, department, dates of entry and leaving) with their personal
//! data (national id, birth date, address, phone), the departments as a tree with their heads, and leave:
//! the types a commune's template names (`settings.hr.leaveTypes`) and the days on the commune's calendar
//! that take a person out of the assignment of files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::calendar::WorkingCalendar;
use crate::model::commune::Country;
use crate::model::form::messages;
use crate::model::i18n::LocalizedText;
use crate::model::ids::{DepartmentId, LeaveId, StaffId, UserId};
use crate::model::national_id;
use crate::model::settings::{SettingsSection, snake_case_keys_once};
use crate::modules::fields::{bounded, optional};

/// The settings key that holds a commune's [`HrSettings`].
pub const SETTINGS_KEY: &str = "hr";

/// The longest name, grade, position or department name.
pub const MAX_TEXT: usize = 200;
/// The longest address or note.
pub const MAX_LONG_TEXT: usize = 1_000;

/// What a commune sets of its human resources (`settings.hr`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HrSettings {
    /// The kinds of leave and absence the commune records.
    pub leave_types: Vec<LeaveType>,
}

/// A kind of leave or absence (`annual`, `sick`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaveType {
    pub key: String,
    pub label: LocalizedText,
    /// The text that grants it, or none when the commune sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<String>,
}

impl SettingsSection for HrSettings {
    const KEY: &'static str = SETTINGS_KEY;

    /// Keys are snake case and given once.
    fn check(&self) -> Result<(), String> {
        snake_case_keys_once("leaveTypes", self.leave_types.iter().map(|t| t.key.as_str()))
    }
}

impl HrSettings {
    pub fn leave_type(&self, key: &str) -> Option<&LeaveType> {
        self.leave_types.iter().find(|t| t.key == key)
    }
}

/// The personal data of a member of staff: sealed under the commune's data key, read by HR only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffPersonal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A staff record as it is written (created or replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffInput {
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department: Option<DepartmentId>,
    pub entered_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The user account of this person, a member of the commune: by its id, or by its login.
    pub user: Option<UserId>,
    pub user_login: Option<String>,
    pub personal: StaffPersonal,
}

/// A staff record as stored, its personal data apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRecord {
    pub id: StaffId,
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department: Option<DepartmentId>,
    pub entered_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub user: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StaffRecord {
    /// The record `input` writes, linked to the account `user`, with the creation time it keeps (a new one's:
    /// `now`), updated `now`.
    pub fn written(
        id: StaffId,
        input: &StaffInput,
        user: Option<UserId>,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            full_name: input.full_name.clone(),
            grade: input.grade.clone(),
            position: input.position.clone(),
            department: input.department,
            entered_on: input.entered_on,
            left_on: input.left_on,
            user,
            created_at,
            updated_at: now,
        }
    }

    /// Whether the person works for the commune on `day` (entered, not yet left).
    pub fn in_service_on(&self, day: NaiveDate) -> bool {
        self.entered_on <= day && self.left_on.is_none_or(|left| day < left)
    }
}

/// A department of the commune, a node of its organisation chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
    pub parent: Option<DepartmentId>,
    /// The staff record of who heads it.
    pub head: Option<StaffId>,
}

/// A department as it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentInput {
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub head: Option<StaffId>,
}

/// A leave or absence of a member of staff, from its first day to its last, both included (the commune's days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leave {
    pub id: LeaveId,
    pub staff: StaffId,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

impl Leave {
    /// Whether the person is away on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }

    /// The working days the leave takes on the commune's calendar.
    pub fn working_days(&self, calendar: &WorkingCalendar) -> u32 {
        self.starts_on.iter_days().take_while(|d| *d <= self.ends_on).filter(|d| calendar.is_working_day(*d)).count()
            as u32
    }
}

/// A leave as it is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveInput {
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: Option<String>,
}

/// Checks a staff record (every failure at once, under `input.`) and normalizes it: texts trimmed, the national
/// id and phone in their country's form.
pub fn validate_staff(input: &StaffInput, country: Country, today: NaiveDate) -> Result<StaffInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = bounded("input.fullName", &input.full_name, MAX_TEXT, &mut errors);
    let grade = bounded("input.grade", &input.grade, MAX_TEXT, &mut errors);
    let position = bounded("input.position", &input.position, MAX_TEXT, &mut errors);
    if input.left_on.is_some_and(|left| left < input.entered_on) {
        errors.push(FieldError::new("input.leftOn", FieldErrorCode::OutOfRange, messages::staff_left_before_entry()));
    }
    let personal = &input.personal;
    let national_id = normalized(
        personal.national_id.as_deref(),
        |raw| national_id::normalize_national_id(country, raw),
        || {
            FieldError::new(
                "input.nationalId",
                FieldErrorCode::InvalidNationalId,
                messages::invalid_national_id(country),
            )
        },
        &mut errors,
    );
    let phone = normalized(
        personal.phone.as_deref(),
        |raw| national_id::normalize_phone(country, raw),
        || FieldError::new("input.phone", FieldErrorCode::InvalidPhone, messages::invalid_phone(country)),
        &mut errors,
    );
    if personal.birth_date.is_some_and(|born| born >= input.entered_on || born > today) {
        errors.push(FieldError::new("input.birthDate", FieldErrorCode::OutOfRange, messages::implausible_date()));
    }
    let address = optional("input.address", personal.address.as_deref(), MAX_LONG_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(StaffInput {
        full_name,
        grade,
        position,
        department: input.department,
        entered_on: input.entered_on,
        left_on: input.left_on,
        user: input.user,
        user_login: input.user_login.as_deref().map(str::trim).filter(|l| !l.is_empty()).map(str::to_lowercase),
        personal: StaffPersonal { national_id, birth_date: personal.birth_date, address, phone },
    })
}

/// `value` trimmed and put in its country's form by `normalize`, none when absent or blank; the failure `invalid`
/// when it does not read.
fn normalized<E>(
    value: Option<&str>,
    normalize: impl FnOnce(&str) -> Result<String, E>,
    invalid: impl FnOnce() -> FieldError,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let raw = value.map(str::trim).filter(|v| !v.is_empty())?;
    match normalize(raw) {
        Ok(normalized) => Some(normalized),
        Err(_) => {
            errors.push(invalid());
            None
        }
    }
}

/// Checks a department's name.
pub fn validate_department(input: &DepartmentInput) -> Result<DepartmentInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = bounded("input.name", &input.name, MAX_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DepartmentInput { name, parent: input.parent, head: input.head })
}

/// Whether making `parent` the parent of `id` keeps the chart a tree (no department under itself).
pub fn keeps_a_tree(departments: &[Department], id: DepartmentId, parent: Option<DepartmentId>) -> bool {
    let mut next = parent;
    let mut steps = 0;
    while let Some(current) = next {
        if current == id || steps > departments.len() {
            return false;
        }
        steps += 1;
        next = departments.iter().find(|d| d.id == current).and_then(|d| d.parent);
    }
    true
}

/// Checks a leave against the commune's leave types.
pub fn validate_leave(input: &LeaveInput, settings: &HrSettings) -> Result<LeaveInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    if settings.leave_type(input.kind.trim()).is_none() {
        errors.push(FieldError::new("input.kind", FieldErrorCode::NotAnOption, messages::not_an_option()));
    }
    if input.ends_on < input.starts_on {
        errors.push(FieldError::new("input.endsOn", FieldErrorCode::OutOfRange, messages::leave_ends_before_start()));
    }
    let note = optional("input.note", input.note.as_deref(), MAX_LONG_TEXT, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LeaveInput { kind: input.kind.trim().to_owned(), starts_on: input.starts_on, ends_on: input.ends_on, note })
}

/// The leave that keeps a person away on `day`, if any (the one ending last).
pub fn away_on(leaves: &[Leave], day: NaiveDate) -> Option<&Leave> {
    leaves.iter().filter(|l| l.covers(day)).max_by_key(|l| l.ends_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        crate::model::calendar::parse_date(text).unwrap()
    }

    fn settings() -> HrSettings {
        HrSettings {
            leave_types: vec![LeaveType {
                key: "annual".into(),
                label: LocalizedText::ar_fr("رخصة", "Congé"),
                legal_reference: None,
            }],
        }
    }

    #[test]
    fn the_shipped_settings_load() {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let ma = standard.iter().find(|t| t.name == "ma-commune").unwrap();
        let settings = HrSettings::from_settings(&ma.content.settings).unwrap().unwrap();
        assert!(settings.leave_type("annual").is_some());
        assert!(settings.leave_types.iter().all(|t| t.legal_reference.is_some()));
    }

    #[test]
    fn staff_records_are_checked_and_normalized() {
        let input = StaffInput {
            full_name: "  Samira Alaoui ".into(),
            grade: "Administrateur 2e grade".into(),
            position: "Cheffe du bureau d'ordre".into(),
            department: None,
            entered_on: date("2015-09-01"),
            left_on: None,
            user: None,
            user_login: None,
            personal: StaffPersonal {
                national_id: Some("f 123456".into()),
                birth_date: Some(date("1988-04-12")),
                address: Some("12 rue Zerktouni, Oujda".into()),
                phone: Some("0661234567".into()),
            },
        };
        let checked = validate_staff(&input, Country::Morocco, date("2026-01-05")).unwrap();
        assert_eq!(checked.full_name, "Samira Alaoui");
        assert_eq!(checked.personal.national_id.as_deref(), Some("F123456"));
        assert_eq!(checked.personal.phone.as_deref(), Some("+212661234567"));

        let bad = StaffInput {
            full_name: " ".into(),
            left_on: Some(date("2014-01-01")),
            personal: StaffPersonal { national_id: Some("nope".into()), ..StaffPersonal::default() },
            ..input
        };
        let paths: Vec<_> = validate_staff(&bad, Country::Morocco, date("2026-01-05"))
            .unwrap_err()
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(paths, ["input.fullName", "input.leftOn", "input.nationalId"]);
    }

    #[test]
    fn the_chart_stays_a_tree() {
        let a = Department { id: DepartmentId::new(), name: "A".into(), parent: None, head: None };
        let b = Department { id: DepartmentId::new(), name: "B".into(), parent: Some(a.id), head: None };
        let chart = [a.clone(), b.clone()];
        assert!(keeps_a_tree(&chart, b.id, Some(a.id)));
        assert!(!keeps_a_tree(&chart, a.id, Some(b.id)));
        assert!(!keeps_a_tree(&chart, a.id, Some(a.id)));
        assert!(keeps_a_tree(&chart, a.id, None));
    }

    #[test]
    fn leave_takes_its_days_on_the_calendar() {
        let input = LeaveInput {
            kind: "annual".into(),
            starts_on: date("2026-03-02"),
            ends_on: date("2026-03-08"),
            note: None,
        };
        let checked = validate_leave(&input, &settings()).unwrap();
        let leave = Leave {
            id: LeaveId::new(),
            staff: StaffId::new(),
            kind: checked.kind,
            starts_on: checked.starts_on,
            ends_on: checked.ends_on,
            note: None,
            recorded_at: Utc::now(),
            recorded_by: "hr".into(),
        };
        assert!(leave.covers(date("2026-03-08")) && !leave.covers(date("2026-03-09")));
        assert!(away_on(std::slice::from_ref(&leave), date("2026-03-03")).is_some());
        let wrong = LeaveInput { kind: "sabbatical".into(), ends_on: date("2026-03-01"), ..input };
        assert_eq!(validate_leave(&wrong, &settings()).unwrap_err().len(), 2);
    }
}
