//! Workflow definitions (data, versioned, immutable once published), their checks, guards and the pure engine.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use crate::model::basis::RuleBasis;
use crate::model::calendar::Deadline;
use crate::model::form::FormSchema;
use crate::model::i18n::LocalizedText;
use crate::model::keys::{ActionKey, RoleKey, StateKey};

mod check;
pub mod commission;
pub mod engine;
mod guard;
mod staff_form;
#[cfg(test)]
mod test_support;

pub use commission::{BodyDef, BodyOpinion, CommissionDef, CommissionResult, ConsolidationRule, OpinionKind};
pub use engine::{
    ApplyContext, EngineError, MAX_COMMENT_CHARS, ScheduledTimer, StepDeadline, TimerFiring, Transition, apply,
    available_actions, available_among, start, step_deadline, timer_firing,
};
pub use staff_form::{guard_data, staff_field_key, validate_staff_form};

/// The step a request's history starts with: its submission, before any of its workflow's actions.
pub const SUBMIT_ACTION: &str = "submit";

/// A workflow: the states a request goes through and the actions that move it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowDefinition {
    pub states: Vec<StateDef>,
    pub actions: Vec<ActionDef>,
    #[serde(default)]
    pub timers: Vec<TimerDef>,
}

impl WorkflowDefinition {
    /// The state with this key.
    pub fn state(&self, key: &str) -> Option<&StateDef> {
        self.states.iter().find(|state| state.key == key)
    }

    /// The start state (the first one, should a definition that `check` rejects have several).
    pub fn start_state(&self) -> Option<&StateDef> {
        self.states.iter().find(|state| state.kind == StateKind::Start)
    }

    /// The action with this key.
    pub fn action(&self, key: &str) -> Option<&ActionDef> {
        self.actions.iter().find(|action| action.key == key)
    }

    /// The staff form of a step of the history: the form of its action, or the form the body whose opinion it
    /// records gives it with.
    pub fn step_form(&self, step: &str) -> Option<&FormSchema> {
        if let Some(action) = self.action(step) {
            return action.form.as_ref();
        }
        let (role, _) = commission::parse_opinion_step(step)?;
        self.states
            .iter()
            .filter_map(|state| state.commission.as_ref())
            .flat_map(|commission| &commission.bodies)
            .find(|body| body.role == role)
            .and_then(|body| body.form.as_ref())
    }

    /// Every role that some action names.
    pub fn roles(&self) -> BTreeSet<&RoleKey> {
        self.actions
            .iter()
            .flat_map(|action| &action.actors)
            .filter_map(|rule| match rule {
                ActorRule::Role(role) => Some(role),
                ActorRule::Applicant | ActorRule::System => None,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateDef {
    pub key: StateKey,
    pub label: LocalizedText,
    pub kind: StateKind,
    /// For terminal states: how the request ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Service-level target for leaving the state, in working days on the commune's calendar, counted from
    /// the local day the request entered it (that day is day 0): the step's due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_days: Option<u32>,
    /// The reminder to the request's holder, some working days before the step's due date ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<StepReminder>,
    /// The role told when the step's due date ends with the request still in the state (an escalation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_to: Option<RoleKey>,
    /// The bodies whose opinions the state asks, in parallel, and the rule that decides from them: the request
    /// leaves the state by itself (a system action) when the rule is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission: Option<CommissionDef>,
}

/// How many working days before the end of a step's due date the request's holder is reminded, and who says
/// so (a law, or the commune).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReminder {
    pub days_before: u32,
    pub basis: RuleBasis,
}

/// The step of a request's history that reminds its holder that the step's due date is near.
pub const STEP_REMINDER: &str = "sla.reminder";
/// The step of a request's history that records the step's due date ended with the request still in its
/// state, and tells the role the state escalates to.
pub const STEP_ESCALATED: &str = "sla.escalated";

/// The label of a step of a state's due date in a request's history (the escalation names the role's key).
pub fn sla_step_label(action: &str) -> Option<LocalizedText> {
    use crate::model::i18n::Locale;
    let (ar, fr, en, tzm) = match action {
        STEP_REMINDER => (
            "تذكير: أجل هذه المرحلة على وشك الانتهاء",
            "Rappel : le délai de cette étape arrive à son terme",
            "Reminder: this step is almost due",
            "ⴰⵙⵎⴷⵢⴰⵣ: ⴰⵣⵎⵣ ⵏ ⵜⴼⵔⴽⵜ ⴰ ⵉⵇⵇⵔⴱ ⴰⴷ ⵉⴽⵎⵍ",
        ),
        STEP_ESCALATED => (
            "تجاوز أجل هذه المرحلة: أحيل على المسؤول",
            "Délai de l'étape dépassé : signalé au responsable",
            "Step overdue: escalated",
            "ⵉⵣⵔⵉ ⵓⵣⵎⵣ ⵏ ⵜⴼⵔⴽⵜ: ⵉⵜⵜⵓⵙⵎⴰⵍ ⵉ ⵓⵎⵙⵡⵓⵍ",
        ),
        _ => return None,
    };
    Some(LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    Start,
    Active,
    Terminal,
}

/// How a request ended, stored by its snake-case name (`withdrawn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Outcome {
    Approved,
    Rejected,
    Withdrawn,
    Closed,
}

impl Outcome {
    /// The stored name (`withdrawn`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionDef {
    pub key: ActionKey,
    pub label: LocalizedText,
    pub from: Vec<StateKey>,
    pub to: StateKey,
    /// Who may take the action.
    pub actors: Vec<ActorRule>,
    #[serde(default)]
    pub comment_required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<Guard>,
    /// What the action does to the request's decision date (an extension, the urgent path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineChange>,
    /// The action's comment is a message to the applicant (a reasoned notice, the reasons of a refusal): it
    /// is kept with the request and shown to the applicant when they track it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notify_applicant: bool,
    /// A rule of the commune that must hold before the action is taken (beyond the guard over the form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<ActionCheck>,
    /// The form the member taking the action fills in (a site-visit report, an inspection checklist): the same
    /// schema language as citizens' forms, stored with the step, its personal fields sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormSchema>,
}

/// How an action moves the request's decision date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineChange {
    /// The decision date moves by this deadline, counted from the current decision date (law 31.13: one
    /// extension of 20 working days).
    Extend(Deadline),
    /// The decision date becomes this deadline counted from the submission date (law 31.13: an urgent
    /// request is answered within 3 days).
    Restart(Deadline),
}

/// A rule that needs more than the form data; the use cases evaluate it with the commune's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionCheck {
    /// The admissibility rules of petitions (organic law 113.14, arts 121–125): signatures, associations.
    PetitionAdmissibility,
    /// The request's fees are paid (its demand has nothing outstanding): an action that waits for payment.
    FeesPaid,
}

/// Who may take an action: staff with a role, the applicant, or the system (timers).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRule {
    Role(RoleKey),
    Applicant,
    System,
}

/// In `state`, after a delay, the system takes `action` (tacit approval, escalation, reminder).
///
/// A timer that stands for a staff decision (silence standing for the approval the head of service could
/// grant) names that action in `standsFor`: the system takes its own action only when the guards of both hold
/// for the request's data, so that silence never grants more than staff could. When a guard fails it takes
/// `onGuardFails` instead (a move to a state awaiting an express decision), or, without one, nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerDef {
    pub state: StateKey,
    pub after: TimerDelay,
    pub action: ActionKey,
    /// Where a delay in working days comes from: a legal text, or the commune's own choice (a commune changes
    /// it by publishing its own version of the procedure). A `legal_deadline` delay is the service's deadline,
    /// sourced by its legal references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<RuleBasis>,
    /// The staff action the timer stands for, whose guard the timer respects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stands_for: Option<ActionKey>,
    /// The system action taken instead when a guard fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_guard_fails: Option<ActionKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerDelay {
    /// N working days on the commune's calendar after the request entered the state.
    WorkingDays(u32),
    /// At the end of the request's legal decision date.
    LegalDeadline,
}

/// A small typed predicate over the form data; no scripting language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    Equals {
        field: String,
        value: serde_json::Value,
    },
    Compare {
        field: String,
        op: CompareOp,
        value: f64,
        /// Where the figure compared with comes from (a definition in a text, or the commune's choice).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<RuleBasis>,
    },
    In {
        field: String,
        values: Vec<serde_json::Value>,
    },
    All(Vec<Guard>),
    Any(Vec<Guard>),
    Not(Box<Guard>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompareOp {
    #[serde(rename = "lt")]
    Lt,
    #[serde(rename = "le")]
    Le,
    #[serde(rename = "gt")]
    Gt,
    #[serde(rename = "ge")]
    Ge,
}

/// Who is acting, as the engine sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Commune staff holding these roles in the request's commune.
    Staff { roles: Vec<RoleKey> },
    /// The citizen who submitted the request.
    Applicant,
    /// The platform itself (timers).
    System,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::Locale;

    #[test]
    fn the_steps_of_a_due_date_are_labelled_in_every_language_and_are_no_action_key() {
        for step in [STEP_REMINDER, STEP_ESCALATED] {
            let label = sla_step_label(step).unwrap_or_default();
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(label.exact(locale).is_some_and(|t| !t.is_empty()), "{step}: no {locale}");
            }
            // A workflow's action keys are snake case: a dotted step name never meets one.
            assert!(step.contains('.'));
        }
        assert!(sla_step_label("approve").is_none());
    }
}
