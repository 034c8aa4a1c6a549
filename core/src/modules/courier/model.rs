//! The courier registry (bureau d'ordre): incoming and outgoing mail numbered per commune, direction and year
//! (`ARR-2026-000123`, `DEP-2026-000045`), routed to departments, followed up until answered or closed.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::audit::AuditKind;
use crate::model::form::messages;
use crate::model::ids::MailId;

/// Whether a letter came in or went out, stored by its name (`incoming`, `outgoing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Direction {
    Incoming,
    Outgoing,
}

impl Direction {
    /// `ARR` (arrivée) or `DEP` (départ).
    pub fn prefix(self) -> &'static str {
        match self {
            Direction::Incoming => "ARR",
            Direction::Outgoing => "DEP",
        }
    }

    /// The counter that numbers this direction's mail of `year`.
    pub fn counter_name(self, year: i32) -> String {
        format!("courier:{}:{year}", self.prefix())
    }
}

/// A step of a mail item's history, stored by its name (`registered`, `routed`, `answered`, `closed`,
/// `reopened`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum MailStep {
    Registered,
    Routed,
    Answered,
    Closed,
    Reopened,
}

impl MailStep {
    /// The stored name (`routed`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The step that moves a mail item's follow-up to `state`.
    pub fn to(state: FollowUp) -> Self {
        match state {
            FollowUp::Open => MailStep::Reopened,
            FollowUp::Answered => MailStep::Answered,
            FollowUp::Closed => MailStep::Closed,
        }
    }

    /// The audit trail's event of the step (`mail.routed`).
    pub fn audit_kind(self) -> AuditKind {
        match self {
            MailStep::Registered => AuditKind::MailRegistered,
            MailStep::Routed => AuditKind::MailRouted,
            MailStep::Answered => AuditKind::MailAnswered,
            MailStep::Closed => AuditKind::MailClosed,
            MailStep::Reopened => AuditKind::MailReopened,
        }
    }
}

/// A mail item's registry number: `ARR-2026-000123`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MailNumber {
    pub direction: Direction,
    pub year: i32,
    pub number: u32,
}

impl fmt::Display for MailNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.direction.prefix(), self.year, self.number)
    }
}

/// Where a mail item stands, stored by its name (`open`, `answered`, `closed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum FollowUp {
    Open,
    Answered,
    Closed,
}

impl FollowUp {
    /// The stored name (`answered`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the follow-up may move from `self` to `to`: a closed item stays closed, and a move changes
    /// something.
    pub fn may_become(self, to: FollowUp) -> bool {
        self != FollowUp::Closed && self != to
    }
}

/// Whether an item is overdue on `today`: still open after its due date.
pub fn is_overdue(state: FollowUp, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    state == FollowUp::Open && due_on.is_some_and(|due| due < today)
}

/// A department of the commune that mail is routed to (`urbanisme`, `etat-civil`): 1 to 40 lower-case letters,
/// digits, dashes or underscores.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Department(String);

impl Department {
    pub fn parse(text: &str) -> Option<Self> {
        let key = text.trim().to_lowercase();
        let valid = (1..=40).contains(&key.len())
            && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        valid.then_some(Self(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Department {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A deliberation of the commune's council that a letter refers to (the council module's deliberation id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeliberationRef(uuid::Uuid);

impl DeliberationRef {
    pub const fn from_uuid(uuid: uuid::Uuid) -> Self {
        Self(uuid)
    }

    pub const fn as_uuid(&self) -> uuid::Uuid {
        self.0
    }
}

/// A mail item to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMail {
    pub direction: Direction,
    /// The sender of incoming mail, the recipient of outgoing mail.
    pub correspondent: String,
    pub subject: String,
    /// When it was received, or sent.
    pub date: NaiveDate,
    pub department: String,
    pub due_on: Option<NaiveDate>,
    /// The tracking code of a request it concerns.
    pub request_code: Option<String>,
    pub deliberation: Option<DeliberationRef>,
}

fn text(errors: &mut Vec<FieldError>, path: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(path, FieldErrorCode::Required, messages::register_required()));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(path, FieldErrorCode::TooLong, messages::register_too_long(max)));
    }
}

/// The error of a department that does not parse.
pub fn invalid_department(path: &str) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidValue, messages::invalid_department())
}

/// Checks a mail item before it is numbered (every failure at once); `today` is the commune's local date.
pub fn validate_mail(mail: &NewMail, today: NaiveDate) -> Result<Department, Vec<FieldError>> {
    let mut errors = Vec::new();
    text(&mut errors, "input.correspondent", &mail.correspondent, 200);
    text(&mut errors, "input.subject", &mail.subject, 500);
    if mail.date > today {
        errors.push(FieldError::new("input.date", FieldErrorCode::OutOfRange, messages::mail_in_future()));
    }
    let department = Department::parse(&mail.department);
    if department.is_none() {
        errors.push(invalid_department("input.department"));
    }
    if let Some(due) = mail.due_on
        && due < mail.date
    {
        errors.push(FieldError::new("input.dueOn", FieldErrorCode::OutOfRange, messages::due_before_mail()));
    }
    match department {
        Some(department) if errors.is_empty() => Ok(department),
        _ => Err(errors),
    }
}

/// A mail item as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailRecord {
    pub id: MailId,
    pub number: MailNumber,
    pub correspondent: String,
    pub subject: String,
    /// Received (incoming) or sent (outgoing) on.
    pub date: NaiveDate,
    pub department: Department,
    pub due_on: Option<NaiveDate>,
    pub state: FollowUp,
    pub request_code: Option<String>,
    pub deliberation: Option<DeliberationRef>,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One step of a mail item's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailEvent {
    pub kind: MailStep,
    /// The department and the state after the step.
    pub department: Department,
    pub state: FollowUp,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn numbers_read_as_the_registry_writes_them() {
        let number = MailNumber { direction: Direction::Incoming, year: 2026, number: 123 };
        assert_eq!(number.to_string(), "ARR-2026-000123");
        let number = MailNumber { direction: Direction::Outgoing, year: 2026, number: 45 };
        assert_eq!(number.to_string(), "DEP-2026-000045");
        assert_eq!(Direction::Outgoing.counter_name(2026), "courier:DEP:2026");
    }

    #[test]
    fn overdue_is_open_after_the_due_date() {
        assert!(is_overdue(FollowUp::Open, Some(day(9)), day(10)));
        assert!(!is_overdue(FollowUp::Open, Some(day(10)), day(10)));
        assert!(!is_overdue(FollowUp::Answered, Some(day(1)), day(10)));
        assert!(!is_overdue(FollowUp::Open, None, day(10)));
    }

    #[test]
    fn closed_stays_closed() {
        assert!(FollowUp::Open.may_become(FollowUp::Answered));
        assert!(FollowUp::Answered.may_become(FollowUp::Open));
        assert!(!FollowUp::Closed.may_become(FollowUp::Open));
        assert!(!FollowUp::Open.may_become(FollowUp::Open));
    }

    #[test]
    fn mail_is_checked_at_once() {
        let mail = NewMail {
            direction: Direction::Incoming,
            correspondent: " ".into(),
            subject: "Demande de raccordement".into(),
            date: day(12),
            department: "Urbanisme!".into(),
            due_on: Some(day(11)),
            request_code: None,
            deliberation: None,
        };
        let errors = validate_mail(&mail, day(10)).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["input.correspondent", "input.date", "input.department", "input.dueOn"]);
        let mail = NewMail {
            correspondent: "Association Al Amal".into(),
            date: day(9),
            department: "Urbanisme".into(),
            ..mail
        };
        assert_eq!(validate_mail(&mail, day(10)).unwrap().as_str(), "urbanisme");
    }
}
