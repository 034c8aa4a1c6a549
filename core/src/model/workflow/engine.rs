//! The pure workflow engine: which actions an actor may take, and what taking one does.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::{
    ActionDef, Actor, ActorRule, DeadlineChange, Outcome, STEP_ESCALATED, STEP_REMINDER, TimerDelay, WorkflowDefinition,
};
use crate::model::calendar::{WorkingCalendar, end_of_day_utc};

/// What the engine needs to know beyond the definition: the time, where the commune is, and its calendar.
#[derive(Clone, Copy, Debug)]
pub struct ApplyContext<'a> {
    /// When the action is taken.
    pub now: DateTime<Utc>,
    /// The commune's time zone; days (and so deadlines) are counted in local time.
    pub time_zone: Tz,
    /// The commune's working days.
    pub calendar: &'a WorkingCalendar,
    /// The request's legal decision date, as printed on its receipt (and moved by extensions since).
    pub decision_due: NaiveDate,
    /// The local date the request was submitted on, from which a restarted deadline counts.
    pub submitted_on: NaiveDate,
}

/// The longest comment an action takes, in characters.
pub const MAX_COMMENT_CHARS: usize = 4000;

/// A timer to arm: at `due_at`, the system takes `action` if the request is still in the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledTimer {
    pub action: String,
    pub due_at: DateTime<Utc>,
}

/// The result of taking an action: the move, how the request ended (when the new state is terminal) and the
/// timers of the new state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub action: String,
    /// The outcome of the state entered; `None` unless it is terminal.
    pub outcome: Option<Outcome>,
    /// The request's decision date after the action: moved by an action with a deadline change, else the
    /// same.
    pub decision_due: NaiveDate,
    /// The timers of the state entered, with their due times; those of the state left no longer apply.
    pub timers: Vec<ScheduledTimer>,
    /// The due date of the step the request begins in the state entered, when that state has an SLA.
    pub step: Option<StepDeadline>,
    /// The timers that count the silence of the bodies of the commission the state entered asks.
    pub opinions_due: Vec<ScheduledTimer>,
}

/// When a step (the request's stay in a state with an SLA) is due, and what its due date arms: the reminder to
/// the holder ([`STEP_REMINDER`]) and the escalation ([`STEP_ESCALATED`]) the state declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDeadline {
    /// The local day by the end of which the request should leave the state.
    pub due: NaiveDate,
    /// The reminder at the end of the working day `reminder.daysBefore` working days before `due`, the
    /// escalation at the end of `due`.
    pub timers: Vec<ScheduledTimer>,
}

/// Why an action cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The workflow has no action with this key.
    #[error("unknown action `{0}`")]
    UnknownAction(String),
    /// The action does not leave the request's current state (most often, the request has moved on).
    #[error("action `{action}` cannot be taken in state `{state}`")]
    NotAvailable { action: String, state: String },
    /// The actor may not take the action.
    #[error("not permitted to take action `{action}`")]
    NotPermitted { action: String },
    /// The action's guard does not hold for the request's data.
    #[error("the conditions of action `{action}` are not met")]
    GuardFailed { action: String },
    /// The action needs a comment and none (or a blank one) was given.
    #[error("action `{action}` requires a comment")]
    CommentRequired { action: String },
    /// The comment is longer than [`MAX_COMMENT_CHARS`].
    #[error("the comment of action `{action}` is longer than {MAX_COMMENT_CHARS} characters")]
    CommentTooLong { action: String },
    /// The workflow has no start state (a definition that `check` rejects).
    #[error("the workflow has no start state")]
    NoStartState,
    /// The workflow names a state it does not define (a definition that `check` rejects).
    #[error("the workflow names an unknown state `{0}`")]
    UnknownState(String),
}

impl EngineError {
    /// The stable code: NOT_FOUND, CONFLICT, FORBIDDEN, VALIDATION_FAILED or INTERNAL.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::UnknownAction(_) => "NOT_FOUND",
            EngineError::NotAvailable { .. } => "CONFLICT",
            EngineError::NotPermitted { .. } => "FORBIDDEN",
            EngineError::GuardFailed { .. }
            | EngineError::CommentRequired { .. }
            | EngineError::CommentTooLong { .. } => "VALIDATION_FAILED",
            EngineError::NoStartState | EngineError::UnknownState(_) => "INTERNAL",
        }
    }
}

/// The actions that `actor` may take from `state`, whose guard holds for `data`, in definition order.
///
/// Staff match `ActorRule::Role(r)` when they hold `r`; the applicant matches `ActorRule::Applicant` and the
/// system `ActorRule::System`. Actions that require a comment are listed: the comment comes with the action.
pub fn available_actions<'a>(
    def: &'a WorkflowDefinition,
    state: &str,
    actor: &Actor,
    data: &Value,
) -> Vec<&'a ActionDef> {
    available_among(&def.actions, state, actor, data)
}

/// [`available_actions`] over a workflow's actions alone, which is all it reads of the definition; of an action
/// it reads `from`, `actors` and `guard` (the SDK reads no more of a definition than these and what it returns).
pub fn available_among<'a>(actions: &'a [ActionDef], state: &str, actor: &Actor, data: &Value) -> Vec<&'a ActionDef> {
    actions
        .iter()
        .filter(|action| leaves(action, state) && may_take(actor, action) && guard_holds(action, data))
        .collect()
}

/// What a due timer does: the action it names, or the other path its definition declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimerFiring {
    /// The action the system takes.
    pub action: String,
    /// When the timer's action gave way: the action whose guard failed (the timer's own, or the staff action
    /// it stands for).
    pub guard_failed: Option<String>,
}

/// What the system does when the timer of `state` that takes `action` ends, for the request's `data`: that
/// action when its guard and the guard of the staff action the timer stands for hold; else the timer's
/// `onGuardFails` action, or the guard failure (the timer is dropped). A timer the definition no longer has
/// for `state` takes its action as it is (`apply` judges it).
pub fn timer_firing(
    def: &WorkflowDefinition,
    state: &str,
    action: &str,
    data: &Value,
) -> Result<TimerFiring, EngineError> {
    let Some(timer) = def.timers.iter().find(|timer| timer.state == state && timer.action == action) else {
        return Ok(TimerFiring { action: action.to_owned(), guard_failed: None });
    };
    let guarded = [Some(action), timer.stands_for.as_deref()];
    let failed =
        guarded.into_iter().flatten().find(|key| def.action(key).is_some_and(|guarded| !guard_holds(guarded, data)));
    match (failed, &timer.on_guard_fails) {
        (None, _) => Ok(TimerFiring { action: action.to_owned(), guard_failed: None }),
        (Some(failed), Some(instead)) => {
            Ok(TimerFiring { action: instead.to_string(), guard_failed: Some(failed.to_owned()) })
        }
        (Some(failed), None) => Err(EngineError::GuardFailed { action: failed.to_owned() }),
    }
}

/// Takes `action` on a request in `state`, or tells why it cannot be taken.
///
/// The checks run in this order: the action exists (NOT_FOUND), it leaves `state` (CONFLICT), `actor` may take
/// it (FORBIDDEN), its guard holds for `data`, a required comment is not blank and no comment is longer than
/// [`MAX_COMMENT_CHARS`] (VALIDATION_FAILED). An action with a deadline change moves the decision date, and the
/// timers of the new state count from the new date.
pub fn apply(
    def: &WorkflowDefinition,
    state: &str,
    action: &str,
    actor: &Actor,
    data: &Value,
    comment: Option<&str>,
    ctx: &ApplyContext,
) -> Result<Transition, EngineError> {
    let taken = def.action(action).ok_or_else(|| EngineError::UnknownAction(action.to_owned()))?;
    if !leaves(taken, state) {
        return Err(EngineError::NotAvailable { action: taken.key.to_string(), state: state.to_owned() });
    }
    if !may_take(actor, taken) {
        return Err(EngineError::NotPermitted { action: taken.key.to_string() });
    }
    if !guard_holds(taken, data) {
        return Err(EngineError::GuardFailed { action: taken.key.to_string() });
    }
    if taken.comment_required && comment.is_none_or(|text| text.trim().is_empty()) {
        return Err(EngineError::CommentRequired { action: taken.key.to_string() });
    }
    if comment.is_some_and(|text| text.chars().count() > MAX_COMMENT_CHARS) {
        return Err(EngineError::CommentTooLong { action: taken.key.to_string() });
    }
    let entered = def.state(&taken.to).ok_or_else(|| EngineError::UnknownState(taken.to.to_string()))?;
    let decision_due = match taken.deadline {
        None => ctx.decision_due,
        Some(DeadlineChange::Extend(deadline)) => ctx.calendar.due_date(ctx.decision_due, deadline),
        Some(DeadlineChange::Restart(deadline)) => ctx.calendar.due_date(ctx.submitted_on, deadline),
    };
    let ctx = ApplyContext { decision_due, ..*ctx };
    Ok(Transition {
        from: state.to_owned(),
        to: entered.key.to_string(),
        action: taken.key.to_string(),
        outcome: entered.outcome,
        decision_due,
        timers: timers_of(def, &entered.key, &ctx),
        step: step_deadline(def, &entered.key, &ctx),
        opinions_due: commission_timers(def, &entered.key, &ctx),
    })
}

/// The due date of a step beginning in `state` at `ctx.now`, when the state has an SLA: `slaDays` working days
/// on the commune's calendar after the local day of `now` (the calendar's own count, as a timer's delay), with
/// the timers its reminder and escalation arm. A reminder that does not fall before the due day (a definition
/// that `check` rejects) is left out.
pub fn step_deadline(def: &WorkflowDefinition, state: &str, ctx: &ApplyContext) -> Option<StepDeadline> {
    let state = def.state(state)?;
    let days = state.sla_days?;
    let today = ctx.now.with_timezone(&ctx.time_zone).date_naive();
    let due = ctx.calendar.add_working_days(today, days);
    let mut timers = Vec::new();
    if let Some(reminder) = state.reminder.as_ref().filter(|r| r.days_before > 0 && r.days_before < days) {
        let day = ctx.calendar.add_working_days(today, days - reminder.days_before);
        timers.push(ScheduledTimer { action: STEP_REMINDER.to_owned(), due_at: end_of_day_utc(day, ctx.time_zone) });
    }
    if state.escalate_to.is_some() {
        timers.push(ScheduledTimer { action: STEP_ESCALATED.to_owned(), due_at: end_of_day_utc(due, ctx.time_zone) });
    }
    Some(StepDeadline { due, timers })
}

/// The timers that count the silence of each body of the commission `state` asks, if it asks one
/// (`commission.silence.<role>`, at the end of the body's due day: its delay in working days on the commune's
/// calendar after the local day of `ctx.now`). They are timers of the step: leaving the state cancels them.
pub fn commission_timers(def: &WorkflowDefinition, state: &str, ctx: &ApplyContext) -> Vec<ScheduledTimer> {
    let Some(commission) = def.state(state).and_then(|state| state.commission.as_ref()) else { return Vec::new() };
    let today = ctx.now.with_timezone(&ctx.time_zone).date_naive();
    commission
        .due_dates(today, ctx.calendar)
        .into_iter()
        .map(|(role, due)| ScheduledTimer {
            action: format!("{}{role}", super::commission::SILENCE_PREFIX),
            due_at: end_of_day_utc(due, ctx.time_zone),
        })
        .collect()
}

/// The start state of a new request and the timers it arms.
pub fn start(def: &WorkflowDefinition, ctx: &ApplyContext) -> Result<(String, Vec<ScheduledTimer>), EngineError> {
    let state = def.start_state().ok_or(EngineError::NoStartState)?;
    Ok((state.key.to_string(), timers_of(def, &state.key, ctx)))
}

/// The timers of `state` with their due times: `WorkingDays(n)` ends with the nth working day after the local
/// date of `now`; `LegalDeadline` ends with the local day `decision_due`.
fn timers_of(def: &WorkflowDefinition, state: &str, ctx: &ApplyContext) -> Vec<ScheduledTimer> {
    let today = ctx.now.with_timezone(&ctx.time_zone).date_naive();
    def.timers
        .iter()
        .filter(|timer| timer.state == state)
        .map(|timer| {
            let day = match timer.after {
                TimerDelay::WorkingDays(days) => ctx.calendar.add_working_days(today, days),
                TimerDelay::LegalDeadline => ctx.decision_due,
            };
            ScheduledTimer { action: timer.action.to_string(), due_at: end_of_day_utc(day, ctx.time_zone) }
        })
        .collect()
}

fn leaves(action: &ActionDef, state: &str) -> bool {
    action.from.iter().any(|from| from == state)
}

fn may_take(actor: &Actor, action: &ActionDef) -> bool {
    action.actors.iter().any(|rule| match (rule, actor) {
        (ActorRule::Role(role), Actor::Staff { roles }) => roles.contains(role),
        (ActorRule::Applicant, Actor::Applicant) | (ActorRule::System, Actor::System) => true,
        _ => false,
    })
}

fn guard_holds(action: &ActionDef, data: &Value) -> bool {
    action.guard.as_ref().is_none_or(|guard| guard.eval(data))
}

#[cfg(test)]
mod tests {
    use crate::model::keys::RoleKey;
    use chrono_tz::Africa::Casablanca;
    use serde_json::json;

    use super::super::test_support::{building_permit, moroccan_calendar};
    use super::super::{StateKind, TimerDef};
    use super::*;
    use crate::model::calendar::{DayCounting, Deadline};

    fn at(instant: &str) -> DateTime<Utc> {
        instant.parse().unwrap()
    }

    fn day(date: &str) -> NaiveDate {
        date.parse().unwrap()
    }

    fn staff(roles: &[&str]) -> Actor {
        Actor::Staff { roles: roles.iter().map(|r| RoleKey::from(*r)).collect() }
    }

    fn timer(action: &str, due_at: &str) -> ScheduledTimer {
        ScheduledTimer { action: action.into(), due_at: at(due_at) }
    }

    /// A request submitted on Thursday 30 April 2026 at 11:00 in Casablanca, the day before Labour Day; its
    /// decision is due 20 working days later, on Tuesday 2 June.
    fn context(calendar: &WorkingCalendar) -> ApplyContext<'_> {
        ApplyContext {
            now: at("2026-04-30T10:00:00Z"),
            time_zone: Casablanca,
            calendar,
            decision_due: calendar.due_date(day("2026-04-30"), Deadline { days: 20, counting: DayCounting::Working }),
            submitted_on: day("2026-04-30"),
        }
    }

    #[test]
    fn starts_in_the_start_state_with_its_timers() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        assert_eq!(ctx.decision_due, day("2026-06-02"));
        let (state, timers) = start(&building_permit(), &ctx).unwrap();
        assert_eq!(state, "submitted");
        // The end of Tuesday 2 June in Casablanca (+01).
        assert_eq!(timers, [timer("tacit_approval", "2026-06-02T23:00:00Z")]);

        let mut def = building_permit();
        def.states[0].kind = StateKind::Active;
        let error = start(&def, &ctx).unwrap_err();
        assert_eq!((error.clone(), error.code()), (EngineError::NoStartState, "INTERNAL"));
    }

    #[test]
    fn lists_the_actions_an_actor_may_take() {
        let def = building_permit();
        let two_floors = json!({ "floors": 2 });
        let three_floors = json!({ "floors": 3 });
        let cases: [(&str, Actor, &Value, &[&str]); 13] = [
            ("submitted", staff(&["urbanism_agent"]), &two_floors, &["start_review"]),
            ("submitted", staff(&["urbanism_head"]), &two_floors, &["refuse"]),
            ("under_review", staff(&["urbanism_head"]), &two_floors, &["approve", "refuse"]),
            ("under_review", staff(&["urbanism_head"]), &three_floors, &["refuse"]),
            ("under_review", staff(&["urbanism_agent", "urbanism_head"]), &two_floors, &["approve", "refuse"]),
            ("under_review", staff(&["urbanism_agent"]), &two_floors, &[]),
            ("under_review", staff(&["president"]), &two_floors, &[]),
            ("under_review", staff(&[]), &two_floors, &[]),
            ("under_review", Actor::Applicant, &two_floors, &["withdraw"]),
            ("under_review", Actor::System, &two_floors, &["escalate", "tacit_approval"]),
            ("escalated", Actor::System, &two_floors, &["tacit_approval"]),
            ("approved", staff(&["urbanism_head"]), &two_floors, &[]),
            ("draft", Actor::Applicant, &two_floors, &[]),
        ];
        for (state, actor, data, expected) in cases {
            let keys: Vec<&str> =
                available_actions(&def, state, &actor, data).into_iter().map(|a| a.key.as_str()).collect();
            assert_eq!(keys, expected, "{actor:?} in {state} with {data}");
        }
    }

    #[test]
    fn refuses_what_cannot_be_done() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let def = building_permit();
        let head = staff(&["urbanism_head"]);
        let two_floors = json!({ "floors": 2 });
        let cases = [
            ("under_review", "demolish", head.clone(), json!({}), None, EngineError::UnknownAction("demolish".into())),
            (
                "submitted",
                "approve",
                head.clone(),
                two_floors.clone(),
                None,
                EngineError::NotAvailable { action: "approve".into(), state: "submitted".into() },
            ),
            (
                "approved",
                "withdraw",
                Actor::Applicant,
                two_floors.clone(),
                None,
                EngineError::NotAvailable { action: "withdraw".into(), state: "approved".into() },
            ),
            (
                "under_review",
                "approve",
                staff(&["urbanism_agent"]),
                two_floors.clone(),
                None,
                EngineError::NotPermitted { action: "approve".into() },
            ),
            (
                "under_review",
                "approve",
                Actor::Applicant,
                two_floors.clone(),
                None,
                EngineError::NotPermitted { action: "approve".into() },
            ),
            (
                "under_review",
                "tacit_approval",
                head.clone(),
                two_floors.clone(),
                None,
                EngineError::NotPermitted { action: "tacit_approval".into() },
            ),
            (
                "under_review",
                "withdraw",
                Actor::System,
                two_floors.clone(),
                None,
                EngineError::NotPermitted { action: "withdraw".into() },
            ),
            (
                "under_review",
                "approve",
                head.clone(),
                json!({ "floors": 3 }),
                None,
                EngineError::GuardFailed { action: "approve".into() },
            ),
            (
                "under_review",
                "approve",
                head.clone(),
                json!({ "floors": "2" }),
                None,
                EngineError::GuardFailed { action: "approve".into() },
            ),
            (
                "under_review",
                "approve",
                head.clone(),
                json!({}),
                None,
                EngineError::GuardFailed { action: "approve".into() },
            ),
            (
                "under_review",
                "refuse",
                head.clone(),
                two_floors.clone(),
                None,
                EngineError::CommentRequired { action: "refuse".into() },
            ),
            (
                "under_review",
                "refuse",
                head.clone(),
                two_floors.clone(),
                Some(" \n\t"),
                EngineError::CommentRequired { action: "refuse".into() },
            ),
        ];
        for (state, action, actor, data, comment, expected) in cases {
            let error = apply(&def, state, action, &actor, &data, comment, &ctx).unwrap_err();
            assert_eq!(error, expected, "{action} by {actor:?} in {state}");
        }
    }

    #[test]
    fn errors_have_stable_codes() {
        let action = || "approve".to_owned();
        let cases = [
            (EngineError::UnknownAction(action()), "NOT_FOUND"),
            (EngineError::NotAvailable { action: action(), state: "submitted".into() }, "CONFLICT"),
            (EngineError::NotPermitted { action: action() }, "FORBIDDEN"),
            (EngineError::GuardFailed { action: action() }, "VALIDATION_FAILED"),
            (EngineError::CommentRequired { action: action() }, "VALIDATION_FAILED"),
            (EngineError::CommentTooLong { action: action() }, "VALIDATION_FAILED"),
            (EngineError::NoStartState, "INTERNAL"),
            (EngineError::UnknownState("draft".into()), "INTERNAL"),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "{error}");
        }
    }

    #[test]
    fn moves_the_request_and_arms_the_timers_of_the_new_state() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let def = building_permit();
        let data = json!({ "floors": 2 });
        let transition =
            apply(&def, "submitted", "start_review", &staff(&["urbanism_agent"]), &data, None, &ctx).unwrap();
        assert_eq!(
            transition,
            Transition {
                from: "submitted".into(),
                to: "under_review".into(),
                action: "start_review".into(),
                outcome: None,
                decision_due: day("2026-06-02"),
                timers: vec![
                    timer("tacit_approval", "2026-06-02T23:00:00Z"),
                    // Thursday 30 April: 1 May is off, 4–8 May (5), 11–15 May (10); the end of Friday 15 May.
                    timer("escalate", "2026-05-15T23:00:00Z"),
                ],
                // `under_review` is due in 10 working days, as its escalation timer.
                step: Some(StepDeadline { due: day("2026-05-15"), timers: vec![] }),
                opinions_due: vec![],
            }
        );
    }

    #[test]
    fn a_step_with_an_sla_is_due_on_the_calendar_and_arms_its_reminder_and_escalation() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let mut def = building_permit();
        def.states[1].reminder =
            Some(super::super::StepReminder { days_before: 2, basis: super::super::RuleBasis::CommuneSetting });
        def.states[1].escalate_to = Some("urbanism_head".into());
        let agent = staff(&["urbanism_agent"]);
        let transition = apply(&def, "submitted", "start_review", &agent, &json!({}), None, &ctx).unwrap();
        // Thursday 30 April: 1 May is off, 4–8 May (5), 11–15 May (10); two working days before: Wednesday 13.
        assert_eq!(
            transition.step,
            Some(StepDeadline {
                due: day("2026-05-15"),
                timers: vec![
                    timer(STEP_REMINDER, "2026-05-13T23:00:00Z"),
                    timer(STEP_ESCALATED, "2026-05-15T23:00:00Z")
                ],
            })
        );
        // A state without an SLA begins no step; nor does the start state here.
        let escalated = apply(&def, "under_review", "escalate", &Actor::System, &json!({}), None, &ctx).unwrap();
        assert_eq!(escalated.step, None);
        assert_eq!(step_deadline(&def, "submitted", &ctx), None);
    }

    #[test]
    fn counts_working_days_from_the_local_date() {
        let calendar = moroccan_calendar();
        let def = building_permit();
        let agent = staff(&["urbanism_agent"]);
        let cases = [
            // 00:30 on Thursday 30 April in Casablanca, still 29 April in UTC.
            ("2026-04-29T23:30:00Z", "2026-05-15T23:00:00Z"),
            // 23:30 on Wednesday 29 April in Casablanca: 30 April (1), 4–8 May (6), 11–14 May (10).
            ("2026-04-29T22:30:00Z", "2026-05-14T23:00:00Z"),
            // Thursday 5 March, during Ramadan (+00): 6 March (1), 9–13 (6), 16–19 (10); Friday 20 is Eid.
            ("2026-03-05T09:00:00Z", "2026-03-20T00:00:00Z"),
        ];
        for (now, due_at) in cases {
            let ctx = ApplyContext { now: at(now), ..context(&calendar) };
            let transition = apply(&def, "submitted", "start_review", &agent, &json!({}), None, &ctx).unwrap();
            let escalation = transition.timers.iter().find(|t| t.action == "escalate");
            assert_eq!(escalation, Some(&timer("escalate", due_at)), "entered at {now}");
        }
    }

    #[test]
    fn ends_the_request_with_the_outcome_of_the_terminal_state() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let def = building_permit();
        let head = staff(&["urbanism_head"]);
        let cases = [
            ("under_review", "approve", head.clone(), None, "approved", Outcome::Approved),
            ("escalated", "approve", head.clone(), None, "approved", Outcome::Approved),
            (
                "under_review",
                "refuse",
                head.clone(),
                Some("Hauteur non conforme au plan d'aménagement."),
                "refused",
                Outcome::Rejected,
            ),
            ("submitted", "tacit_approval", Actor::System, None, "approved_tacitly", Outcome::Approved),
            ("escalated", "tacit_approval", Actor::System, None, "approved_tacitly", Outcome::Approved),
            ("submitted", "withdraw", Actor::Applicant, None, "withdrawn", Outcome::Withdrawn),
        ];
        for (state, action, actor, comment, to, outcome) in cases {
            let transition = apply(&def, state, action, &actor, &json!({ "floors": 1.5 }), comment, &ctx).unwrap();
            assert_eq!(
                (transition.from.as_str(), transition.to.as_str(), transition.action.as_str()),
                (state, to, action)
            );
            assert_eq!(transition.outcome, Some(outcome), "{action} from {state}");
            assert!(transition.timers.is_empty(), "a terminal state arms no timer");
        }
    }

    #[test]
    fn a_deadline_change_moves_the_decision_date_and_the_timers_that_wait_for_it() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let working = |days| Deadline { days, counting: DayCounting::Working };
        let cases = [
            // 2 June + 20 working days: 3–5 June (3), 8–12 (8), 15–19 (13), 22–26 (18), 29–30 June (20).
            (DeadlineChange::Extend(working(20)), "2026-06-30", "2026-06-30T23:00:00Z"),
            // Thursday 30 April + 3 working days: Friday 1 May is Labour Day, then 4, 5 and 6 May.
            (DeadlineChange::Restart(working(3)), "2026-05-06", "2026-05-06T23:00:00Z"),
        ];
        for (change, due, tacit_at) in cases {
            let mut def = building_permit();
            def.actions[0].deadline = Some(change);
            let agent = staff(&["urbanism_agent"]);
            let transition = apply(&def, "submitted", "start_review", &agent, &json!({}), None, &ctx).unwrap();
            assert_eq!(transition.decision_due, day(due), "{change:?}");
            let tacit = transition.timers.iter().find(|t| t.action == "tacit_approval");
            assert_eq!(tacit, Some(&timer("tacit_approval", tacit_at)), "{change:?}");
        }
        let unchanged = apply(&building_permit(), "submitted", "withdraw", &Actor::Applicant, &json!({}), None, &ctx);
        assert_eq!(unchanged.unwrap().decision_due, ctx.decision_due);
    }

    #[test]
    fn a_timer_respects_the_guard_of_the_staff_action_it_stands_for() {
        let mut def = building_permit();
        def.timers[1].stands_for = Some("approve".into());
        let fire = |def: &WorkflowDefinition, floors: f64| {
            timer_firing(def, "under_review", "tacit_approval", &json!({ "floors": floors }))
        };
        let tacitly = TimerFiring { action: "tacit_approval".into(), guard_failed: None };
        assert_eq!(fire(&def, 2.0), Ok(tacitly.clone()));
        // Without another path the timer does nothing: silence grants no more than the head of service could.
        assert_eq!(fire(&def, 6.0), Err(EngineError::GuardFailed { action: "approve".into() }));
        def.timers[1].on_guard_fails = Some("escalate".into());
        assert_eq!(fire(&def, 2.0), Ok(tacitly));
        let instead = TimerFiring { action: "escalate".into(), guard_failed: Some("approve".into()) };
        assert_eq!(fire(&def, 6.0), Ok(instead));
        // The timers of other states stand for nothing.
        let other = timer_firing(&def, "submitted", "tacit_approval", &json!({ "floors": 6 }));
        assert_eq!(other, Ok(TimerFiring { action: "tacit_approval".into(), guard_failed: None }));
    }

    #[test]
    fn a_comment_has_a_length_limit() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let head = staff(&["urbanism_head"]);
        let data = json!({ "floors": 2 });
        let longest = "م".repeat(MAX_COMMENT_CHARS);
        let too_long = format!("{longest}.");
        assert!(apply(&building_permit(), "under_review", "refuse", &head, &data, Some(&longest), &ctx).is_ok());
        let error = apply(&building_permit(), "under_review", "refuse", &head, &data, Some(&too_long), &ctx);
        assert_eq!(error.unwrap_err(), EngineError::CommentTooLong { action: "refuse".into() });
    }

    #[test]
    fn a_definition_with_an_unknown_target_fails_internally() {
        let calendar = moroccan_calendar();
        let ctx = context(&calendar);
        let mut def = building_permit();
        def.actions[5].to = "cancelled".into();
        def.timers.push(TimerDef {
            state: "cancelled".into(),
            after: TimerDelay::LegalDeadline,
            action: "x".into(),
            basis: None,
            stands_for: None,
            on_guard_fails: None,
        });
        let error = apply(&def, "submitted", "withdraw", &Actor::Applicant, &json!({}), None, &ctx).unwrap_err();
        assert_eq!(error, EngineError::UnknownState("cancelled".into()));
        assert_eq!(error.code(), "INTERNAL");
    }
}
