//! Test fixtures: a building permit workflow and a Moroccan-like calendar.

use chrono::{NaiveDate, Weekday};
use serde_json::json;

use super::WorkflowDefinition;
use crate::model::calendar::{DatedHoliday, FixedHoliday, WorkingCalendar};
use crate::model::i18n::LocalizedText;

/// The roles a commune defines for its urbanism service.
pub(crate) fn known_roles() -> Vec<crate::model::keys::RoleKey> {
    ["urbanism_agent", "urbanism_head", "president"].map(Into::into).to_vec()
}

/// A building permit, as a commune would publish it.
///
/// States, by index: 0 `submitted` (start), 1 `under_review`, 2 `escalated`, 3 `approved`, 4 `refused`,
/// 5 `approved_tacitly`, 6 `withdrawn`. Actions: 0 `start_review`, 1 `escalate`, 2 `approve` (at most two
/// floors), 3 `refuse` (with a comment), 4 `tacit_approval` (the system, at the legal deadline), 5 `withdraw`
/// (the applicant). Timers: 0 `submitted` and 1 `under_review` at the legal deadline, 2 escalation after 10
/// working days under review, 3 `escalated` at the legal deadline.
pub(crate) fn building_permit() -> WorkflowDefinition {
    let open = ["submitted", "under_review", "escalated"];
    let value = json!({
        "states": [
            { "key": "submitted", "kind": "start", "label": { "ar": "مودع", "fr": "Déposé" } },
            { "key": "under_review", "kind": "active", "slaDays": 10,
              "label": { "ar": "قيد الدراسة", "fr": "En instruction" } },
            { "key": "escalated", "kind": "active",
              "label": { "ar": "محال على رئيس المصلحة", "fr": "Transmis au chef de service" } },
            { "key": "approved", "kind": "terminal", "outcome": "approved",
              "label": { "ar": "مرخص", "fr": "Autorisé" } },
            { "key": "refused", "kind": "terminal", "outcome": "rejected",
              "label": { "ar": "مرفوض", "fr": "Refusé" } },
            { "key": "approved_tacitly", "kind": "terminal", "outcome": "approved",
              "label": { "ar": "مرخص ضمنيا", "fr": "Autorisé tacitement" } },
            { "key": "withdrawn", "kind": "terminal", "outcome": "withdrawn",
              "label": { "ar": "مسحوب", "fr": "Retiré" } }
        ],
        "actions": [
            { "key": "start_review", "from": ["submitted"], "to": "under_review",
              "actors": [{ "role": "urbanism_agent" }],
              "label": { "ar": "بدء الدراسة", "fr": "Commencer l'instruction" } },
            { "key": "escalate", "from": ["under_review"], "to": "escalated", "actors": ["system"],
              "label": { "ar": "إحالة على رئيس المصلحة", "fr": "Transmettre au chef de service" } },
            { "key": "approve", "from": ["under_review", "escalated"], "to": "approved",
              "actors": [{ "role": "urbanism_head" }],
              "guard": { "compare": { "field": "floors", "op": "le", "value": 2 } },
              "label": { "ar": "منح الرخصة", "fr": "Autoriser" } },
            { "key": "refuse", "from": open, "to": "refused", "commentRequired": true,
              "actors": [{ "role": "urbanism_head" }],
              "label": { "ar": "رفض", "fr": "Refuser" } },
            { "key": "tacit_approval", "from": open, "to": "approved_tacitly", "actors": ["system"],
              "label": { "ar": "ترخيص ضمني", "fr": "Autorisation tacite" } },
            { "key": "withdraw", "from": open, "to": "withdrawn", "actors": ["applicant"],
              "label": { "ar": "سحب الطلب", "fr": "Retirer la demande" } }
        ],
        "timers": [
            { "state": "submitted", "after": "legal_deadline", "action": "tacit_approval" },
            { "state": "under_review", "after": "legal_deadline", "action": "tacit_approval" },
            { "state": "under_review", "after": { "working_days": 10 }, "action": "escalate" },
            { "state": "escalated", "after": "legal_deadline", "action": "tacit_approval" }
        ]
    });
    serde_json::from_value(value).unwrap()
}

/// Saturday and Sunday off, the national fixed holidays and the 2026 lunar holidays an operator entered.
pub(crate) fn moroccan_calendar() -> WorkingCalendar {
    let fixed = [(1, 1), (1, 11), (1, 14), (5, 1), (7, 30), (8, 14), (8, 20), (8, 21), (11, 6), (11, 18)];
    WorkingCalendar {
        weekend: vec![Weekday::Sat, Weekday::Sun],
        fixed_holidays: fixed
            .into_iter()
            .map(|(month, day)| FixedHoliday {
                month,
                day,
                name: LocalizedText::ar_fr("عيد وطني", "Fête nationale"),
                source: None,
            })
            .collect(),
        dated_holidays: ["2026-03-20", "2026-05-27", "2026-05-28"]
            .into_iter()
            .map(|date| DatedHoliday {
                date: date.parse::<NaiveDate>().unwrap(),
                name: LocalizedText::ar_fr("عيد ديني", "Fête religieuse"),
                source: None,
                estimated: false,
            })
            .collect(),
        fixed_holidays_source: None,
    }
}
