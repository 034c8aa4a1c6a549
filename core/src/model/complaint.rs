//! Complaints (chikaya): what a procedure of the complaint kind adds to a request — which of its form fields
//! hold the category, the description, the place, the public flag and the photo's address, when it counts as
//! answered — the satisfaction rating, the facts of a complaint that may be shown to the public, and the
//! answer period: a reminder to the staff before it ends, a lapse recorded when it ends unanswered.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldError, FieldErrorCode};
use crate::model::calendar::{Deadline, end_of_day_utc};
use crate::model::form::messages::{ComplaintProblem, complaint_problem};
use crate::model::form::{FieldKind, FormSchema};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::workflow::{Outcome, RuleBasis, WorkflowDefinition};

/// The step of a complaint's history that reminds its staff the answer period is about to end.
pub const ANSWER_REMINDER: &str = "answer_reminder";

/// The step of a complaint's history that records its answer period ended without an answer.
pub const ANSWER_LAPSED: &str = "answer_lapsed";

/// Marks a service as a complaint procedure (template data): the form fields that play each part, and the
/// states in which the complaint counts as answered (the applicant may then rate it, Open311 says `closed`).
/// Reopening is a workflow action of the applicant out of an answered state; how long it stays possible is
/// the workflow timer that closes the complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintSettings {
    /// A choice field: the complaint's category (roads, lighting…).
    pub category_field: String,
    /// A text or long-text field: what the complaint is about.
    pub description_field: String,
    /// A location field: where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_field: Option<String>,
    /// A boolean field: whether the applicant agrees to show the complaint (never its personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_field: Option<String>,
    /// A text field: the address of a photo hosted elsewhere (Open311's `media_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url_field: Option<String>,
    /// The personal fields that hold the applicant's contact details.
    #[serde(default)]
    pub contact: ContactFields,
    /// States in which the complaint has been answered.
    pub answered_states: Vec<String>,
    /// The answer period (the service's deadline) as a deadline of the whole complaint, whatever state it is
    /// in: a reminder before it ends, a lapse recorded when it ends unanswered. None: neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_deadline: Option<AnswerDeadline>,
}

/// The answer period of a complaint: the service's deadline, counted from submission (a decision date that
/// moves with holidays moves it too), which `basis` sources; unlike a workflow timer it belongs to the whole
/// complaint, so no action but an answer (or an end) cancels it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerDeadline {
    /// The legal text that sets the period (decree 2-17-265 in Morocco), or the commune.
    pub basis: RuleBasis,
    /// The reminder to the staff handling the complaint before the period ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<AnswerReminder>,
}

/// How many days before the end of the answer period its staff are reminded, and who says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerReminder {
    pub days_before: u32,
    pub basis: RuleBasis,
}

/// A step of a complaint's answer period: its name in the history and when it falls due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineStep {
    /// [`ANSWER_REMINDER`] or [`ANSWER_LAPSED`].
    pub step: &'static str,
    pub due_at: DateTime<Utc>,
}

impl AnswerDeadline {
    /// The steps of a complaint whose answer is due on `decision_due` (a local date): the reminder at the same
    /// hour `days_before` days earlier, the lapse at the end of that day.
    pub fn steps(&self, decision_due: NaiveDate, time_zone: Tz) -> Vec<DeadlineStep> {
        let mut steps = Vec::new();
        if let Some(reminder) = &self.reminder
            && let Some(day) = decision_due.checked_sub_days(Days::new(u64::from(reminder.days_before)))
        {
            steps.push(DeadlineStep { step: ANSWER_REMINDER, due_at: end_of_day_utc(day, time_zone) });
        }
        steps.push(DeadlineStep { step: ANSWER_LAPSED, due_at: end_of_day_utc(decision_due, time_zone) });
        steps
    }
}

/// The label of a step of the answer period in a complaint's history.
pub fn deadline_step_label(action: &str) -> Option<LocalizedText> {
    let (ar, fr, en, tzm) = match action {
        ANSWER_REMINDER => (
            "تذكير: أجل الإجابة على وشك الانتهاء",
            "Rappel : le délai de réponse arrive à son terme",
            "Reminder: the answer period is about to end",
            "ⴰⵙⵎⴷⵢⴰⵣ: ⴰⵣⵎⵣ ⵏ ⵓⵔⴰⵔ ⵉⵇⵇⵔⴱ ⴰⴷ ⵉⴽⵎⵍ",
        ),
        ANSWER_LAPSED => (
            "انقضى أجل الإجابة دون جواب",
            "Délai de réponse expiré sans réponse",
            "Answer period ended without an answer",
            "ⵉⴽⵎⵍ ⵓⵣⵎⵣ ⵏ ⵓⵔⴰⵔ ⴱⵍⴰ ⴰⵔⴰⵔ",
        ),
        _ => return None,
    };
    Some(LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm))
}

/// The form fields of the applicant's name, e-mail and phone, each optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The facts of a complaint kept apart from its request for listing: none of them is personal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComplaintFacts {
    pub category: Option<String>,
    pub public: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
}

/// Whether a complaint is still being handled or has its answer (Open311's `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComplaintStatus {
    Open,
    Closed,
}

impl ComplaintStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::Open => "open",
            ComplaintStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "open" => Some(ComplaintStatus::Open),
            "closed" => Some(ComplaintStatus::Closed),
            _ => None,
        }
    }
}

/// A satisfaction rating, 1 (not at all satisfied) to 5 (very satisfied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rating(u8);

impl Rating {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    /// A rating from 1 to 5, or the field error to report at `path`.
    pub fn parse(value: i64, path: &str) -> Result<Self, FieldError> {
        match u8::try_from(value) {
            Ok(v) if (Self::MIN..=Self::MAX).contains(&v) => Ok(Self(v)),
            _ => Err(FieldError::new(path, FieldErrorCode::OutOfRange, crate::model::form::messages::rating_range())),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl ComplaintSettings {
    /// The facts to list, read from a request's plain (not personal) form data.
    pub fn facts(&self, data: &Value) -> ComplaintFacts {
        let field = |key: &Option<String>| key.as_deref().and_then(|k| data.get(k));
        let location = field(&self.location_field);
        ComplaintFacts {
            category: data.get(&self.category_field).and_then(Value::as_str).map(str::to_owned),
            public: field(&self.public_field).and_then(Value::as_bool).unwrap_or(false),
            latitude: location.and_then(|l| l.get("lat")).and_then(Value::as_f64),
            longitude: location.and_then(|l| l.get("lng")).and_then(Value::as_f64),
            address: location.and_then(|l| l.get("address")).and_then(Value::as_str).map(str::to_owned),
        }
    }

    /// The description, from the request's plain form data.
    pub fn description<'a>(&self, data: &'a Value) -> Option<&'a str> {
        data.get(&self.description_field).and_then(Value::as_str)
    }

    /// The photo's address, from the request's plain form data.
    pub fn media_url<'a>(&self, data: &'a Value) -> Option<&'a str> {
        self.media_url_field.as_deref().and_then(|k| data.get(k)).and_then(Value::as_str)
    }

    /// Whether the complaint is answered in `state`: an answered state, or an end (withdrawn included).
    pub fn is_answered(&self, state: &str, outcome: Option<Outcome>) -> bool {
        self.status(state, outcome) == ComplaintStatus::Closed
    }

    /// Closed once answered or ended (withdrawn included); open while being handled or reopened.
    pub fn status(&self, state: &str, outcome: Option<Outcome>) -> ComplaintStatus {
        if outcome.is_some() || self.answered_states.iter().any(|s| s == state) {
            ComplaintStatus::Closed
        } else {
            ComplaintStatus::Open
        }
    }

    /// The applicant may rate a complaint that has been answered or closed, not one they withdrew.
    pub fn may_rate(&self, state: &str, outcome: Option<Outcome>) -> bool {
        outcome != Some(Outcome::Withdrawn) && self.status(state, outcome) == ComplaintStatus::Closed
    }

    /// The form fields that Open311's standard parameters fill (not listed as attributes).
    pub fn standard_fields(&self) -> Vec<&str> {
        [
            Some(&self.description_field),
            self.location_field.as_ref(),
            self.media_url_field.as_ref(),
            self.contact.name.as_ref(),
            self.contact.email.as_ref(),
            self.contact.phone.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }

    /// Checks the settings against the form and the workflow: each field exists with the type of its part,
    /// the shown ones are not personal, the contact ones are, and the answered states exist.
    pub fn check(&self, form: &FormSchema, workflow: &WorkflowDefinition, deadline: Deadline) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut problem = |path: &str, problem: ComplaintProblem| {
            errors.push(FieldError::new(
                format!("complaint.{path}"),
                FieldErrorCode::InvalidDefinition,
                complaint_problem(problem),
            ));
        };
        type KindCheck = fn(&FieldKind) -> bool;
        let shown: [(&str, Option<&String>, KindCheck); 5] = [
            ("categoryField", Some(&self.category_field), |k| matches!(k, FieldKind::Choice { .. })),
            ("descriptionField", Some(&self.description_field), |k| matches!(k, FieldKind::Text | FieldKind::LongText)),
            ("locationField", self.location_field.as_ref(), |k| matches!(k, FieldKind::Location)),
            ("publicField", self.public_field.as_ref(), |k| matches!(k, FieldKind::Boolean)),
            ("mediaUrlField", self.media_url_field.as_ref(), |k| matches!(k, FieldKind::Text)),
        ];
        for (path, key, kind_ok) in shown {
            let Some(key) = key else { continue };
            match form.fields.iter().find(|f| &f.key == key) {
                None => problem(path, ComplaintProblem::NoSuchField),
                Some(field) if !kind_ok(&field.kind) => problem(path, ComplaintProblem::WrongFieldType),
                Some(field) if field.personal => problem(path, ComplaintProblem::ShownPersonal),
                Some(_) => {}
            }
        }
        let contact = [
            ("contact.name", self.contact.name.as_ref()),
            ("contact.email", self.contact.email.as_ref()),
            ("contact.phone", self.contact.phone.as_ref()),
        ];
        for (path, key) in contact {
            let Some(key) = key else { continue };
            match form.fields.iter().find(|f| &f.key == key) {
                None => problem(path, ComplaintProblem::NoSuchField),
                Some(field) if !field.personal => problem(path, ComplaintProblem::ContactNotPersonal),
                Some(_) => {}
            }
        }
        if self.answered_states.is_empty() {
            problem("answeredStates", ComplaintProblem::NoAnsweredState);
        }
        for state in &self.answered_states {
            if workflow.state(state).is_none() {
                problem("answeredStates", ComplaintProblem::NoSuchState);
            }
        }
        if let Some(reminder) = self.answer_deadline.as_ref().and_then(|d| d.reminder.as_ref())
            && (reminder.days_before == 0 || reminder.days_before >= deadline.days)
        {
            problem("answerDeadline.reminder.daysBefore", ComplaintProblem::ReminderOutsidePeriod);
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::standard;

    fn reclamation() -> crate::model::catalog::ServiceDefinition {
        standard::moroccan_services()
            .expect("the service files parse")
            .into_iter()
            .find(|s| s.code == "reclamation")
            .expect("shipped")
    }

    #[test]
    fn the_shipped_complaint_procedure_is_a_complaint_and_checks() {
        let service = reclamation();
        let settings = service.complaint.clone().expect("complaint settings");
        assert_eq!(settings.check(&service.form, &service.workflow, service.deadline), vec![]);
        assert_eq!(settings.category_field, "subject");
        let mut broken = settings.clone();
        broken.category_field = "description".into();
        broken.public_field = Some("name".into());
        broken.contact.email = Some("subject".into());
        broken.answered_states.push("nowhere".into());
        if let Some(reminder) = broken.answer_deadline.as_mut().and_then(|d| d.reminder.as_mut()) {
            reminder.days_before = 60;
        }
        let paths: Vec<String> =
            broken.check(&service.form, &service.workflow, service.deadline).into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            [
                "complaint.categoryField",
                "complaint.publicField",
                "complaint.contact.email",
                "complaint.answeredStates",
                "complaint.answerDeadline.reminder.daysBefore"
            ]
        );
    }

    #[test]
    fn facts_come_from_plain_data_only() {
        let settings = reclamation().complaint.expect("complaint settings");
        let data = json!({
            "subject": "lighting",
            "description": "Lampadaire éteint depuis deux semaines",
            "location": { "lat": 34.68, "lng": -1.91, "address": "Bd Mohammed V" },
            "public": true
        });
        let facts = settings.facts(&data);
        assert_eq!(facts.category.as_deref(), Some("lighting"));
        assert!(facts.public);
        assert_eq!((facts.latitude, facts.longitude), (Some(34.68), Some(-1.91)));
        assert_eq!(facts.address.as_deref(), Some("Bd Mohammed V"));
        assert!(!settings.facts(&json!({ "subject": "roads" })).public, "private unless the applicant agrees");
    }

    #[test]
    fn answered_complaints_are_closed_and_may_be_rated() {
        let settings = reclamation().complaint.expect("complaint settings");
        assert_eq!(settings.status("in_progress", None), ComplaintStatus::Open);
        assert_eq!(settings.status("answered", None), ComplaintStatus::Closed);
        assert!(settings.may_rate("answered", None));
        assert!(settings.may_rate("closed", Some(Outcome::Closed)));
        assert!(!settings.may_rate("submitted", None));
        assert!(!settings.may_rate("withdrawn", Some(Outcome::Withdrawn)));
    }

    #[test]
    fn the_answer_period_of_the_law_reminds_seven_days_before_and_lapses_at_its_end() {
        let service = reclamation();
        let deadline = service.complaint.and_then(|c| c.answer_deadline).expect("an answer period");
        assert_eq!(deadline.basis, RuleBasis::LegalReference("Décret n° 2-17-265".into()));
        let reminder = deadline.reminder.clone().expect("a reminder");
        assert_eq!((reminder.days_before, reminder.basis), (7, RuleBasis::CommuneSetting));
        // Outside Ramadan, when Morocco's clocks are at UTC+1.
        let due = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
        let steps = deadline.steps(due, chrono_tz::Africa::Casablanca);
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("an instant");
        assert_eq!(
            steps,
            [
                DeadlineStep { step: ANSWER_REMINDER, due_at: at("2026-05-25T23:00:00Z") },
                DeadlineStep { step: ANSWER_LAPSED, due_at: at("2026-06-01T23:00:00Z") },
            ]
        );
        for step in [ANSWER_REMINDER, ANSWER_LAPSED] {
            let label = deadline_step_label(step).expect("a label");
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(label.exact(locale).is_some_and(|t| !t.is_empty()), "{step} in {locale:?}");
            }
        }
        assert!(deadline_step_label("answer").is_none());
    }

    #[test]
    fn ratings_go_from_one_to_five() {
        assert_eq!(Rating::parse(1, "rating").map(Rating::value), Ok(1));
        assert_eq!(Rating::parse(5, "rating").map(Rating::value), Ok(5));
        for bad in [0, 6, -1, 300] {
            let error = Rating::parse(bad, "rating").expect_err("out of range");
            assert_eq!((error.path.as_str(), error.code), ("rating", FieldErrorCode::OutOfRange));
        }
    }
}
