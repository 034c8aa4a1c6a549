//! Commissions: a state that asks the opinions of several bodies in parallel (the urban agency, civil
//! protection, the commune's technical service, the utilities), each within its own delay in working days; the
//! decision follows from their opinions by a rule in data, and the request moves by itself when it is met.

use serde::{Deserialize, Serialize};

use super::{ActorRule, RuleBasis, StateDef, StateKind, WorkflowDefinition};
use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::{ActionKey, RoleKey};

fn invalid(path: String, ar: String, fr: String, en: String) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidDefinition, LocalizedText::ar_fr(ar, fr).with(Locale::En, en))
}

/// The commission of a state: its bodies, what a body's silence counts as, how opinions consolidate and the
/// system actions taken when they do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommissionDef {
    pub bodies: Vec<BodyDef>,
    /// What the silence of a body counts as once its delay ends.
    pub silence: OpinionKind,
    /// How the bodies' opinions make the commission's.
    pub rule: ConsolidationRule,
    /// The system action taken when the commission's opinion is favourable (with conditions or without).
    pub on_favourable: ActionKey,
    /// The system action taken when it is unfavourable.
    pub on_unfavourable: ActionKey,
}

/// A body asked for its opinion: a role (members holding it give the body's opinion), with its delay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BodyDef {
    pub role: RoleKey,
    /// Working days on the commune's calendar from the local day the request entered the state (day 0).
    pub delay_days: u32,
    /// Where the delay comes from: a legal text, or the commune.
    pub basis: RuleBasis,
    /// The form a member fills in with the body's opinion (an inspection checklist), if any: the schema
    /// language of citizens' forms, its personal fields sealed with the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<crate::model::form::FormSchema>,
}

/// A body's opinion, stored by its name (`favourable`, `favourable_with_conditions`, `unfavourable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum OpinionKind {
    Favourable,
    FavourableWithConditions,
    Unfavourable,
}

impl OpinionKind {
    /// The stored name (`favourable_with_conditions`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The opinion of this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Favourable, Self::FavourableWithConditions, Self::Unfavourable].into_iter().find(|k| k.as_str() == name)
    }
}

/// How the bodies' opinions make the commission's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsolidationRule {
    /// Favourable only when every body is (conditions add up); one unfavourable opinion decides at once.
    AnyUnfavourableBlocks,
    /// Once every body has spoken (or its silence counted): favourable when more bodies are favourable than not.
    Majority,
}

/// A body's opinion as recorded: given by a member, or its silence counted after its delay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyOpinion {
    pub role: RoleKey,
    pub kind: OpinionKind,
    pub silent: bool,
}

/// Where a commission stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommissionResult {
    /// Some body is still to give its opinion, and the rule does not decide without it.
    Pending,
    /// Favourable; `with_conditions` when some body set conditions.
    Favourable {
        with_conditions: bool,
    },
    Unfavourable,
}

/// The timer action that counts a body's silence once its delay ends: `commission.silence.<role>`.
pub const SILENCE_PREFIX: &str = "commission.silence.";

/// The body whose silence a timer action counts, if it is one.
pub fn silence_of(action: &str) -> Option<&str> {
    action.strip_prefix(SILENCE_PREFIX)
}

impl CommissionDef {
    /// Checks the commission of the state `state` of `workflow` (at `path`, as `workflow.states[2].commission`),
    /// every problem at once with code `INVALID_DEFINITION`: it asks at least one body; each body is one of
    /// `known_roles`, asked once, given from one working day up to the procedure's `deadline_days` (a body's
    /// delay fits within the legal deadline); the commission is not on a terminal state; its two resolutions are
    /// system actions leaving the state.
    pub fn check(
        &self,
        workflow: &WorkflowDefinition,
        state: &StateDef,
        path: &str,
        known_roles: &[RoleKey],
        deadline_days: u32,
    ) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let commission = self;
        let self_ = workflow;
        {
            let path = path.to_owned();
            let key = &state.key;
            if state.kind == StateKind::Terminal {
                errors.push(invalid(
                    path.clone(),
                    format!("لا يمكن للحالة النهائية «{key}» أن تطلب آراء لجنة."),
                    format!("L'état final « {key} » ne peut pas consulter de commission."),
                    format!("The terminal state `{key}` cannot consult a commission."),
                ));
            }
            if state.kind == StateKind::Start {
                errors.push(invalid(
                    path.clone(),
                    format!("حالة البداية «{key}» لا يمكن أن تطلب آراء لجنة: يقبل الملف أولا."),
                    format!(
                        "L'état de départ « {key} » ne peut pas consulter de commission : le dossier est d'abord reçu."
                    ),
                    format!("The start state `{key}` cannot consult a commission: the file is accepted first."),
                ));
            }
            if commission.bodies.is_empty() {
                errors.push(invalid(
                    format!("{path}.bodies"),
                    format!("لجنة الحالة «{key}» لا تضم أي هيئة."),
                    format!("La commission de l'état « {key} » ne consulte aucun organisme."),
                    format!("The commission of the state `{key}` consults no body."),
                ));
            }
            for (j, body) in commission.bodies.iter().enumerate() {
                let role = &body.role;
                if !known_roles.iter().any(|known| known == role) {
                    errors.push(invalid(
                        format!("{path}.bodies[{j}].role"),
                        format!("الدور «{role}» غير معروف."),
                        format!("Le rôle « {role} » est inconnu."),
                        format!("The role `{role}` is unknown."),
                    ));
                }
                if commission.bodies[..j].iter().any(|b| &b.role == role) {
                    errors.push(invalid(
                        format!("{path}.bodies[{j}].role"),
                        format!("الهيئة «{role}» مذكورة مرتين."),
                        format!("L'organisme « {role} » est consulté deux fois."),
                        format!("The body `{role}` is consulted twice."),
                    ));
                }
                if let Some(Err(found)) = body.form.as_ref().map(|form| form.check()) {
                    errors.extend(
                        found
                            .into_iter()
                            .map(|error| FieldError { path: format!("{path}.bodies[{j}].{}", error.path), ..error }),
                    );
                }
                if body.delay_days == 0 {
                    errors.push(invalid(
                        format!("{path}.bodies[{j}].delayDays"),
                        format!("أجل الهيئة «{role}» يجب أن يكون يوم عمل واحدا على الأقل."),
                        format!("Le délai de l'organisme « {role} » doit être d'au moins un jour ouvrable."),
                        format!("The delay of the body `{role}` must be at least one working day."),
                    ));
                }
                if body.delay_days > deadline_days {
                    errors.push(invalid(
                        format!("{path}.bodies[{j}].delayDays"),
                        format!("أجل الهيئة «{role}» يتجاوز الأجل القانوني للمسطرة ({deadline_days} يوما)."),
                        format!("Le délai de l'organisme « {role} » dépasse le délai légal de la procédure ({deadline_days} jours)."),
                        format!("The delay of the body `{role}` is longer than the procedure's legal deadline ({deadline_days} days)."),
                    ));
                }
            }
            for (what, action) in
                [("onFavourable", &commission.on_favourable), ("onUnfavourable", &commission.on_unfavourable)]
            {
                let sound = self_.action(action).is_some_and(|a| {
                    a.from.iter().any(|f| f == key) && a.actors.contains(&ActorRule::System) && a.to != *key
                });
                if !sound {
                    errors.push(invalid(
                        format!("{path}.{what}"),
                        format!("«{action}» يجب أن يكون إجراء يقوم به النظام ويغادر الحالة «{key}»."),
                        format!("« {action} » doit être une action du système qui quitte l'état « {key} »."),
                        format!("`{action}` must be a system action leaving the state `{key}`."),
                    ));
                }
            }
        }
        errors
    }

    /// Each body's due day: its delay in working days on `calendar` after `entered`, the local day the request
    /// entered the state (day 0), as a timer's delay is counted.
    pub fn due_dates(
        &self,
        entered: chrono::NaiveDate,
        calendar: &crate::model::calendar::WorkingCalendar,
    ) -> Vec<(&str, chrono::NaiveDate)> {
        self.bodies
            .iter()
            .map(|body| (body.role.as_str(), calendar.add_working_days(entered, body.delay_days)))
            .collect()
    }

    /// The commission's opinion from the bodies' (the first opinion of each body counts; others are ignored).
    pub fn consolidate(&self, opinions: &[BodyOpinion]) -> CommissionResult {
        let of = |role: &RoleKey| opinions.iter().find(|o| o.role == *role).map(|o| o.kind);
        let given: Vec<Option<OpinionKind>> = self.bodies.iter().map(|body| of(&body.role)).collect();
        let count = |kind: OpinionKind| given.iter().filter(|g| **g == Some(kind)).count();
        let all_in = given.iter().all(Option::is_some);
        let conditions = count(OpinionKind::FavourableWithConditions) > 0;
        match self.rule {
            ConsolidationRule::AnyUnfavourableBlocks if count(OpinionKind::Unfavourable) > 0 => {
                CommissionResult::Unfavourable
            }
            _ if !all_in => CommissionResult::Pending,
            ConsolidationRule::AnyUnfavourableBlocks => CommissionResult::Favourable { with_conditions: conditions },
            ConsolidationRule::Majority => {
                let favourable = count(OpinionKind::Favourable) + count(OpinionKind::FavourableWithConditions);
                if favourable > count(OpinionKind::Unfavourable) {
                    CommissionResult::Favourable { with_conditions: conditions }
                } else {
                    CommissionResult::Unfavourable
                }
            }
        }
    }

    /// The system action the result takes, if it decides.
    pub fn action_for(&self, result: CommissionResult) -> Option<&str> {
        match result {
            CommissionResult::Pending => None,
            CommissionResult::Favourable { .. } => Some(&self.on_favourable),
            CommissionResult::Unfavourable => Some(&self.on_unfavourable),
        }
    }
}

/// The step of a request's history that records a body's opinion: `commission.<opinion>.<role>`
/// (`commission.favourable_with_conditions.urban_agency`), or its silence counted, `commission.silence.<role>`
/// (the key of the timer that counts it).
pub fn opinion_step(role: &RoleKey, kind: OpinionKind, silent: bool) -> String {
    let what = if silent { "silence" } else { kind.as_str() };
    format!("commission.{what}.{role}")
}

/// The body and the opinion a step of the history records (None for the opinion of a counted silence), if it
/// is a commission's step.
pub fn parse_opinion_step(step: &str) -> Option<(&str, Option<OpinionKind>)> {
    let (what, role) = step.strip_prefix("commission.")?.split_once('.')?;
    match what {
        "silence" => Some((role, None)),
        _ => Some((role, Some(OpinionKind::parse(what)?))),
    }
}

/// The label of a commission's step of the history (`commission.favourable.urban_agency`), if it is one.
pub fn commission_step_label(step: &str) -> Option<LocalizedText> {
    let (_, kind) = parse_opinion_step(step)?;
    Some(match kind {
        Some(kind) => opinion_step_label(kind, false),
        None => opinion_step_label(OpinionKind::Favourable, true),
    })
}

/// The label of a commission's steps in a request's history: an opinion given, a silence counted.
pub fn opinion_step_label(kind: OpinionKind, silent: bool) -> LocalizedText {
    let (ar, fr, en, tzm) = match (kind, silent) {
        (_, true) => (
            "انقضى أجل الهيئة دون رأي: يحتسب سكوتها وفق المسطرة",
            "Délai de l'organisme écoulé sans avis : son silence compte comme le prévoit la procédure",
            "The body's delay ended without an opinion: its silence counts as the procedure says",
            "ⵉⵣⵔⵉ ⵓⵣⵎⵣ ⵏ ⵜⵎⵙⵙⵓⴷⵙⴰ ⴱⵍⴰ ⴰⵏⵥⵓⵔ: ⵜⵉⵙⵓⵙⵎⵉ ⵏⵏⵙ ⵜⵜⵓⵙⵎⵉⴹ ⵎⴽ ⵉⵏⵏⴰ ⵓⵙⵍⴽⵉⵎ",
        ),
        (OpinionKind::Favourable, false) => ("رأي موافق", "Avis favorable", "Favourable opinion", "ⴰⵏⵥⵓⵔ ⵉⵇⴱⵍⵏ"),
        (OpinionKind::FavourableWithConditions, false) => (
            "رأي موافق بشروط",
            "Avis favorable sous conditions",
            "Favourable opinion with conditions",
            "ⴰⵏⵥⵓⵔ ⵉⵇⴱⵍⵏ ⵙ ⵜⵙⵖⴰⵔⵉⵏ",
        ),
        (OpinionKind::Unfavourable, false) => {
            ("رأي غير موافق", "Avis défavorable", "Unfavourable opinion", "ⴰⵏⵥⵓⵔ ⵓⵔ ⵉⵇⴱⵉⵍⵏ")
        }
    };
    LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn commission(rule: &str) -> CommissionDef {
        serde_json::from_value(json!({
            "bodies": [
                { "role": "urban_agency", "delayDays": 10, "basis": "communeSetting" },
                { "role": "civil_protection", "delayDays": 10, "basis": "communeSetting" },
                { "role": "technical_service", "delayDays": 5, "basis": "communeSetting" }
            ],
            "silence": "favourable",
            "rule": rule,
            "onFavourable": "commission_favourable",
            "onUnfavourable": "commission_unfavourable"
        }))
        .unwrap()
    }

    fn opinion(role: &str, kind: OpinionKind) -> BodyOpinion {
        BodyOpinion { role: role.into(), kind, silent: false }
    }

    #[test]
    fn any_unfavourable_opinion_blocks_at_once_and_conditions_carry() {
        use OpinionKind::*;
        let def = commission("any_unfavourable_blocks");
        assert_eq!(def.consolidate(&[]), CommissionResult::Pending);
        let two = [opinion("urban_agency", Favourable), opinion("technical_service", FavourableWithConditions)];
        assert_eq!(def.consolidate(&two), CommissionResult::Pending);
        let silent = BodyOpinion { role: "civil_protection".into(), kind: def.silence, silent: true };
        let all = [two[0].clone(), two[1].clone(), silent];
        assert_eq!(def.consolidate(&all), CommissionResult::Favourable { with_conditions: true });
        assert_eq!(def.action_for(def.consolidate(&all)), Some("commission_favourable"));
        let blocked = [opinion("civil_protection", Unfavourable)];
        assert_eq!(def.consolidate(&blocked), CommissionResult::Unfavourable);
        assert_eq!(def.action_for(CommissionResult::Unfavourable), Some("commission_unfavourable"));
        // A body that is not of the commission counts for nothing.
        assert_eq!(def.consolidate(&[opinion("president", Unfavourable)]), CommissionResult::Pending);
    }

    #[test]
    fn an_opinion_step_names_its_body_and_opinion() {
        let step = opinion_step(&"urban_agency".into(), OpinionKind::FavourableWithConditions, false);
        assert_eq!(step, "commission.favourable_with_conditions.urban_agency");
        assert_eq!(parse_opinion_step(&step), Some(("urban_agency", Some(OpinionKind::FavourableWithConditions))));
        let silence = opinion_step(&"civil_protection".into(), OpinionKind::Favourable, true);
        assert_eq!(silence_of(&silence), Some("civil_protection"));
        assert_eq!(parse_opinion_step(&silence), Some(("civil_protection", None)));
        assert!(commission_step_label("commission.silence.x").is_some());
        assert_eq!(parse_opinion_step("commission.maybe.x"), None);
        assert_eq!(parse_opinion_step("approve"), None);
    }

    #[test]
    fn a_majority_waits_for_every_body() {
        use OpinionKind::*;
        let def = commission("majority");
        let two = [opinion("urban_agency", Unfavourable), opinion("technical_service", Favourable)];
        assert_eq!(def.consolidate(&two), CommissionResult::Pending);
        let all = [two[0].clone(), two[1].clone(), opinion("civil_protection", Favourable)];
        assert_eq!(def.consolidate(&all), CommissionResult::Favourable { with_conditions: false });
        let against = [two[0].clone(), two[1].clone(), opinion("civil_protection", Unfavourable)];
        assert_eq!(def.consolidate(&against), CommissionResult::Unfavourable);
    }

    #[test]
    fn a_commission_is_checked_against_its_workflow() {
        use crate::model::workflow::test_support::{building_permit, known_roles};
        let mut workflow = building_permit();
        let state = workflow.state("under_review").cloned().unwrap();
        let mut def = commission("any_unfavourable_blocks");
        let roles = known_roles();
        let path = "workflow.states[1].commission";
        // The building permit's roles do not include the bodies, and its workflow has no such actions.
        let paths = |errors: Vec<FieldError>| errors.into_iter().map(|e| e.path).collect::<Vec<_>>();
        let found = paths(def.check(&workflow, &state, path, &roles, 30));
        assert!(found.contains(&format!("{path}.bodies[0].role")), "{found:?}");
        assert!(found.contains(&format!("{path}.onFavourable")), "{found:?}");
        assert!(found.contains(&format!("{path}.onUnfavourable")), "{found:?}");
        // Bodies of known roles, and the two resolutions as system actions leaving the state.
        for (body, role) in def.bodies.iter_mut().zip(roles.iter()) {
            body.role = role.clone();
        }
        def.bodies.truncate(roles.len().min(3));
        def.on_favourable = "tacit_approval".into();
        def.on_unfavourable = "tacit_approval".into();
        let tacit = workflow.actions.iter().position(|a| a.key == "tacit_approval").unwrap();
        workflow.actions[tacit].from.push("under_review".into());
        assert_eq!(paths(def.check(&workflow, &state, path, &roles, 30)), Vec::<String>::new());
        // A delay beyond the legal deadline, none at all, a body asked twice, a staff action as resolution.
        def.bodies[0].delay_days = 31;
        let mut twice = def.clone();
        twice.bodies.push(def.bodies[0].clone());
        twice.bodies[0].delay_days = 0;
        twice.on_favourable = "approve".into();
        let found = paths(twice.check(&workflow, &state, path, &roles, 30));
        assert!(found.contains(&format!("{path}.bodies[0].delayDays")), "{found:?}");
        assert!(found.contains(&format!("{path}.bodies[{}].role", twice.bodies.len() - 1)), "{found:?}");
        assert!(found.contains(&format!("{path}.bodies[{}].delayDays", twice.bodies.len() - 1)), "{found:?}");
        assert!(found.contains(&format!("{path}.onFavourable")), "{found:?}");
        let terminal = workflow.state("approved").cloned().unwrap();
        assert!(paths(def.check(&workflow, &terminal, path, &roles, 60)).contains(&path.to_owned()));
    }

    #[test]
    fn opinions_keep_their_names_and_labels() {
        for kind in [OpinionKind::Favourable, OpinionKind::FavourableWithConditions, OpinionKind::Unfavourable] {
            assert_eq!(OpinionKind::parse(kind.as_str()), Some(kind));
            for silent in [false, true] {
                let label = opinion_step_label(kind, silent);
                for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                    assert!(label.exact(locale).is_some_and(|t| !t.is_empty()));
                }
            }
        }
        assert_eq!(silence_of("commission.silence.urban_agency"), Some("urban_agency"));
        assert_eq!(silence_of("tacit_approval"), None);
    }
}
