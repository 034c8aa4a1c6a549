//! Assignment of a request (a file) to one person of the commune's staff: who may be assigned, who may assign,
//! claim and release, and how each change appears in the request's history.
//!
//! Only a member holding a role of the request's workflow can hold it; a holder of `assign_requests` (a head of
//! service) assigns and reassigns anyone eligible; a person who works on the workflow claims an unassigned file
//! and releases their own. A closed file is not assigned any more, but can still be released. A member on
//! leave (the commune's human resources) is given no file until the leave ends.

use chrono::NaiveDate;

use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::UserId;

/// A change of who holds a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentAct {
    /// Give the file to `member` (a first assignment, or a reassignment).
    Assign { member: UserId },
    /// Take an unassigned file for oneself.
    Claim,
    /// Give the file back to the pool.
    Release,
}

/// What the decision needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssignmentFacts {
    /// Who holds the file now.
    pub current: Option<UserId>,
    /// The file has reached a terminal state.
    pub closed: bool,
    /// The person acting, when the caller is a person (a login), not an API token.
    pub caller: Option<UserId>,
    /// The caller holds `assign_requests` in the commune.
    pub caller_may_assign: bool,
    /// The caller holds a role of the request's workflow.
    pub caller_works_on_it: bool,
    /// For `Assign`: the member named holds a role of the request's workflow (and is an enabled member).
    pub member_works_on_it: bool,
    /// For `Assign`: the last day of the leave the member named is on today, if any.
    pub member_away_until: Option<NaiveDate>,
}

/// Why a change is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(&'static str),
    /// The member named may not hold this file.
    #[error("the member does not hold a role of this request's workflow")]
    NotEligible,
    /// The member named is on leave until that day (included).
    #[error("the member is on leave until {0}")]
    Away(NaiveDate),
}

/// The history step of a file assigned to someone while no one held it.
pub const ASSIGN: &str = "assignment.assign";
/// The history step of a file given to someone else than who held it.
pub const REASSIGN: &str = "assignment.reassign";
/// The history step of a file a member of the staff took for themselves.
pub const CLAIM: &str = "assignment.claim";
/// The history step of a file let go: no one holds it after.
pub const RELEASE: &str = "assignment.release";

/// The step recorded in the history, and who holds the file after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssignmentStep {
    /// `assignment.assign`, `assignment.reassign`, `assignment.claim` or `assignment.release`: never a
    /// workflow's action, whose keys are snake case.
    pub action: &'static str,
    pub assignee: Option<UserId>,
}

/// Decides a change of who holds a request. `Ok(None)` when nothing changes (assigning the file to whom already
/// holds it).
pub fn decide(act: AssignmentAct, facts: &AssignmentFacts) -> Result<Option<AssignmentStep>, AssignmentError> {
    use AssignmentError::*;
    match act {
        AssignmentAct::Assign { member } => {
            if !facts.caller_may_assign {
                return Err(Forbidden("assigning files to others needs the permission assign_requests"));
            }
            if facts.closed {
                return Err(Conflict("the file is closed: it is not assigned any more"));
            }
            if !facts.member_works_on_it {
                return Err(NotEligible);
            }
            if let Some(until) = facts.member_away_until {
                return Err(Away(until));
            }
            if facts.current == Some(member) {
                return Ok(None);
            }
            let action = if facts.current.is_some() { REASSIGN } else { ASSIGN };
            Ok(Some(AssignmentStep { action, assignee: Some(member) }))
        }
        AssignmentAct::Claim => {
            let Some(caller) = facts.caller else {
                return Err(Forbidden("only a person (a login session) claims a file"));
            };
            if !facts.caller_works_on_it {
                return Err(Forbidden("only staff holding a role of the request's workflow claim it"));
            }
            if facts.closed {
                return Err(Conflict("the file is closed: it is not assigned any more"));
            }
            match facts.current {
                Some(current) if current == caller => Ok(None),
                Some(_) => Err(Conflict("the file is assigned to someone else: ask for it to be reassigned")),
                None => Ok(Some(AssignmentStep { action: CLAIM, assignee: Some(caller) })),
            }
        }
        AssignmentAct::Release => {
            let Some(current) = facts.current else { return Err(Conflict("the file is not assigned")) };
            let own = facts.caller == Some(current) && facts.caller_works_on_it;
            if !(own || facts.caller_may_assign) {
                return Err(Forbidden("only its holder, or who may assign files, releases a file"));
            }
            Ok(Some(AssignmentStep { action: RELEASE, assignee: None }))
        }
    }
}

/// The label of an assignment step of the history (`assignment.assign`, `.reassign`, `.claim`, `.release`).
pub fn step_label(action: &str) -> Option<LocalizedText> {
    let (ar, fr, en, tzm) = match action {
        ASSIGN => ("إسناد الملف", "Dossier attribué", "File assigned", "ⴰⵙⵏⴼⵍ ⵏ ⵓⴼⴰⵢⵍⵓ"),
        REASSIGN => ("إعادة إسناد الملف", "Dossier réattribué", "File reassigned", "ⴰⵙⵏⴼⵍ ⵢⴰⴹⵏ ⵏ ⵓⴼⴰⵢⵍⵓ"),
        CLAIM => ("تكفل بالملف", "Dossier pris en charge", "File claimed", "ⴰⵟⵟⴰⴼ ⵏ ⵓⴼⴰⵢⵍⵓ"),
        RELEASE => ("تحرير الملف", "Dossier libéré", "File released", "ⴰⵙⵔⵔⵃ ⵏ ⵓⴼⴰⵢⵍⵓ"),
        _ => return None,
    };
    Some(LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm))
}

/// Whether a history step is a change of assignment rather than a workflow action.
pub fn is_assignment_step(action: &str) -> bool {
    step_label(action).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> AssignmentFacts {
        AssignmentFacts {
            current: None,
            closed: false,
            caller: Some(UserId::new()),
            caller_may_assign: false,
            caller_works_on_it: true,
            member_works_on_it: true,
            member_away_until: None,
        }
    }

    #[test]
    fn heads_of_service_assign_eligible_members_only() {
        let member = UserId::new();
        let act = AssignmentAct::Assign { member };
        assert!(matches!(decide(act, &facts()), Err(AssignmentError::Forbidden(_))));
        let head = AssignmentFacts { caller_may_assign: true, ..facts() };
        assert_eq!(
            decide(act, &head),
            Ok(Some(AssignmentStep { action: "assignment.assign", assignee: Some(member) }))
        );
        let held = AssignmentFacts { current: Some(UserId::new()), ..head };
        assert_eq!(
            decide(act, &held),
            Ok(Some(AssignmentStep { action: "assignment.reassign", assignee: Some(member) }))
        );
        assert_eq!(decide(act, &AssignmentFacts { current: Some(member), ..head }), Ok(None));
        let ineligible = AssignmentFacts { member_works_on_it: false, ..head };
        assert_eq!(decide(act, &ineligible), Err(AssignmentError::NotEligible));
        let until = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let away = AssignmentFacts { member_away_until: Some(until), ..head };
        assert_eq!(decide(act, &away), Err(AssignmentError::Away(until)));
        assert!(matches!(decide(act, &AssignmentFacts { closed: true, ..head }), Err(AssignmentError::Conflict(_))));
    }

    #[test]
    fn staff_claim_free_files_and_release_their_own() {
        let me = facts();
        let caller = me.caller;
        assert_eq!(
            decide(AssignmentAct::Claim, &me),
            Ok(Some(AssignmentStep { action: "assignment.claim", assignee: caller }))
        );
        let taken = AssignmentFacts { current: Some(UserId::new()), ..me };
        assert!(matches!(decide(AssignmentAct::Claim, &taken), Err(AssignmentError::Conflict(_))));
        let token = AssignmentFacts { caller: None, ..me };
        assert!(matches!(decide(AssignmentAct::Claim, &token), Err(AssignmentError::Forbidden(_))));
        let outsider = AssignmentFacts { caller_works_on_it: false, ..me };
        assert!(matches!(decide(AssignmentAct::Claim, &outsider), Err(AssignmentError::Forbidden(_))));

        let mine = AssignmentFacts { current: caller, ..me };
        assert_eq!(
            decide(AssignmentAct::Release, &mine),
            Ok(Some(AssignmentStep { action: "assignment.release", assignee: None }))
        );
        assert!(matches!(decide(AssignmentAct::Release, &taken), Err(AssignmentError::Forbidden(_))));
        let head = AssignmentFacts { caller_may_assign: true, ..taken };
        assert!(decide(AssignmentAct::Release, &head).is_ok());
        assert!(matches!(decide(AssignmentAct::Release, &me), Err(AssignmentError::Conflict(_))));
        let closed = AssignmentFacts { closed: true, ..mine };
        assert!(decide(AssignmentAct::Release, &closed).is_ok());
    }

    #[test]
    fn steps_are_labelled_in_every_language() {
        for action in [ASSIGN, REASSIGN, CLAIM, RELEASE] {
            let label = step_label(action).unwrap();
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(label.exact(locale).is_some(), "{action} {locale:?}");
            }
        }
        assert!(!is_assignment_step("approve"));
    }
}
