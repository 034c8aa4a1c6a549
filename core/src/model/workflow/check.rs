//! The checks a workflow definition passes before it is published.

use std::collections::{BTreeMap, BTreeSet};

use super::{ActionDef, ActorRule, DeadlineChange, StateKind, TimerDef, WorkflowDefinition};
use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::RoleKey;

impl WorkflowDefinition {
    /// Checks the definition and lists every problem at once, each with code `INVALID_DEFINITION`, a path
    /// (`workflow.states[2].key`, `workflow.actions[1].to`, `workflow.timers[0].action`) and a message in
    /// Arabic, French and English.
    ///
    /// The rules:
    /// - exactly one start state;
    /// - state keys and action keys are unique and match `[a-z][a-z0-9_]*`; labels are not empty;
    /// - terminal states have an outcome, other states have none;
    /// - actions leave from at least one state, and their from- and to-states exist; no action leaves a
    ///   terminal state;
    /// - every state is reachable from the start state, and a terminal state is reachable from every state;
    /// - actions have at least one actor, and every role they name is one of `known_roles`;
    /// - an action that sends its comment to the applicant requires one; a deadline change is at least a day;
    ///   an action with a staff form is taken by staff only (roles);
    /// - timers name an existing, non-terminal state and an existing action that the system may take from it;
    ///   the action a timer stands for is a staff action, and its other path (when a guard fails) is another
    ///   unguarded action the system may take from that state, declared only where a guard could fail;
    /// - a state's SLA (`slaDays`) is at least one working day and belongs to a state that can be left; its
    ///   reminder (`reminder.daysBefore`) falls within it (1 to `slaDays` − 1 working days before), and its
    ///   escalation (`escalateTo`) names one of `known_roles`; neither comes without an SLA.
    ///
    /// That the SLA fits within the procedure's legal deadline is the service's check
    /// (`ServiceDefinition::check`), which knows the deadline.
    pub fn check(&self, known_roles: &[RoleKey]) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        self.check_states(&mut errors);
        self.check_slas(known_roles, &mut errors);
        self.check_actions(known_roles, &mut errors);
        self.check_graph(&mut errors);
        self.check_timers(&mut errors);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn check_states(&self, errors: &mut Vec<FieldError>) {
        let starts: Vec<usize> =
            self.states.iter().enumerate().filter(|(_, s)| s.kind == StateKind::Start).map(|(i, _)| i).collect();
        if starts.is_empty() {
            errors.push(invalid(
                "workflow.states".to_owned(),
                "لا توجد حالة بداية.".to_owned(),
                "Aucun état de départ.".to_owned(),
                "There is no start state.".to_owned(),
            ));
        }
        for i in starts.iter().skip(1) {
            errors.push(invalid(
                format!("workflow.states[{i}].kind"),
                "يجب أن تكون هناك حالة بداية واحدة فقط.".to_owned(),
                "Il ne doit y avoir qu'un seul état de départ.".to_owned(),
                "There must be exactly one start state.".to_owned(),
            ));
        }
        for (i, state) in self.states.iter().enumerate() {
            let path = format!("workflow.states[{i}]");
            check_key(&state.key, &path, self.states[..i].iter().any(|s| s.key == state.key), errors);
            check_label(&state.label, &path, errors);
            match (state.kind, state.outcome) {
                (StateKind::Terminal, None) => errors.push(invalid(
                    format!("{path}.outcome"),
                    format!("الحالة النهائية «{}» تحتاج إلى نتيجة.", state.key),
                    format!("L'état final « {} » doit avoir une issue.", state.key),
                    format!("The terminal state `{}` needs an outcome.", state.key),
                )),
                (StateKind::Start | StateKind::Active, Some(_)) => errors.push(invalid(
                    format!("{path}.outcome"),
                    format!("الحالة «{}» ليست نهائية ولا يمكن أن تكون لها نتيجة.", state.key),
                    format!("L'état « {} » n'est pas final et ne peut pas avoir d'issue.", state.key),
                    format!("The state `{}` is not terminal and cannot have an outcome.", state.key),
                )),
                _ => {}
            }
        }
    }

    fn check_slas(&self, known_roles: &[RoleKey], errors: &mut Vec<FieldError>) {
        for (i, state) in self.states.iter().enumerate() {
            let path = format!("workflow.states[{i}]");
            let key = &state.key;
            match state.sla_days {
                Some(0) => errors.push(invalid(
                    format!("{path}.slaDays"),
                    format!("أجل الحالة «{key}» يجب أن يكون يوم عمل واحدا على الأقل."),
                    format!("Le délai de l'état « {key} » doit être d'au moins un jour ouvrable."),
                    format!("The SLA of the state `{key}` must be at least one working day."),
                )),
                Some(_) if state.kind == StateKind::Terminal => errors.push(invalid(
                    format!("{path}.slaDays"),
                    format!("لا يمكن تحديد أجل للحالة النهائية «{key}»."),
                    format!("L'état final « {key} » ne peut pas avoir de délai."),
                    format!("The terminal state `{key}` cannot have an SLA."),
                )),
                _ => {}
            }
            let without_sla = |what: &str| {
                invalid(
                    format!("{path}.{what}"),
                    format!("الحالة «{key}» ليس لها أجل (slaDays)."),
                    format!("L'état « {key} » n'a pas de délai (slaDays)."),
                    format!("The state `{key}` has no SLA (slaDays)."),
                )
            };
            if let Some(reminder) = &state.reminder {
                match state.sla_days {
                    None => errors.push(without_sla("reminder")),
                    Some(days) if reminder.days_before == 0 || reminder.days_before >= days => errors.push(invalid(
                        format!("{path}.reminder.daysBefore"),
                        format!("يجب أن يقع التذكير داخل أجل الحالة «{key}»: من 1 إلى {} أيام عمل قبله.", days.max(1) - 1),
                        format!(
                            "Le rappel doit tomber dans le délai de l'état « {key} » : de 1 à {} jours ouvrables avant.",
                            days.max(1) - 1
                        ),
                        format!(
                            "The reminder must fall within the SLA of the state `{key}`: 1 to {} working days before.",
                            days.max(1) - 1
                        ),
                    )),
                    Some(_) => {}
                }
            }
            if let Some(role) = &state.escalate_to {
                if state.sla_days.is_none() {
                    errors.push(without_sla("escalateTo"));
                }
                if !known_roles.iter().any(|known| known == role) {
                    errors.push(invalid(
                        format!("{path}.escalateTo"),
                        format!("الدور «{role}» غير معروف."),
                        format!("Le rôle « {role} » est inconnu."),
                        format!("The role `{role}` is unknown."),
                    ));
                }
            }
        }
    }

    fn check_actions(&self, known_roles: &[RoleKey], errors: &mut Vec<FieldError>) {
        for (i, action) in self.actions.iter().enumerate() {
            let path = format!("workflow.actions[{i}]");
            check_key(&action.key, &path, self.actions[..i].iter().any(|a| a.key == action.key), errors);
            check_label(&action.label, &path, errors);
            if action.from.is_empty() {
                errors.push(invalid(
                    format!("{path}.from"),
                    format!("الإجراء «{}» لا ينطلق من أي حالة.", action.key),
                    format!("L'action « {} » ne part d'aucun état.", action.key),
                    format!("The action `{}` leaves from no state.", action.key),
                ));
            }
            for (j, from) in action.from.iter().enumerate() {
                match self.state(from) {
                    None => errors.push(unknown_state(format!("{path}.from[{j}]"), from)),
                    Some(state) if state.kind == StateKind::Terminal => errors.push(invalid(
                        format!("{path}.from[{j}]"),
                        format!("لا يمكن لأي إجراء أن ينطلق من الحالة النهائية «{from}»."),
                        format!("Aucune action ne peut partir de l'état final « {from} »."),
                        format!("No action may leave the terminal state `{from}`."),
                    )),
                    Some(_) => {}
                }
            }
            if self.state(&action.to).is_none() {
                errors.push(unknown_state(format!("{path}.to"), &action.to));
            }
            if action.actors.is_empty() {
                errors.push(invalid(
                    format!("{path}.actors"),
                    format!("لا أحد يمكنه القيام بالإجراء «{}».", action.key),
                    format!("Personne ne peut effectuer l'action « {} ».", action.key),
                    format!("No one may take the action `{}`.", action.key),
                ));
            }
            if action.form.is_some() && action.actors.iter().any(|a| !matches!(a, ActorRule::Role(_))) {
                errors.push(invalid(
                    format!("{path}.form"),
                    format!("استمارة الإجراء «{}» يملؤها الموظفون: لا يقوم به النظام ولا صاحب الطلب.", action.key),
                    format!(
                        "Le formulaire de l'action « {} » est rempli par le personnel : ni le système ni le demandeur ne la prennent.",
                        action.key
                    ),
                    format!(
                        "The form of the action `{}` is filled in by staff: neither the system nor the applicant takes it.",
                        action.key
                    ),
                ));
            }
            if action.notify_applicant && !action.comment_required {
                errors.push(invalid(
                    format!("{path}.notifyApplicant"),
                    format!("الإجراء «{}» يرسل تعليله إلى صاحب الطلب: يجب أن يكون التعليل إلزاميا.", action.key),
                    format!(
                        "L'action « {} » envoie son motif au demandeur : le motif doit être obligatoire.",
                        action.key
                    ),
                    format!(
                        "The action `{}` sends its comment to the applicant: the comment must be required.",
                        action.key
                    ),
                ));
            }
            if let Some(DeadlineChange::Extend(deadline) | DeadlineChange::Restart(deadline)) = action.deadline
                && deadline.days == 0
            {
                errors.push(invalid(
                    format!("{path}.deadline"),
                    format!("أجل الإجراء «{}» يجب أن يكون يوما واحدا على الأقل.", action.key),
                    format!("Le délai de l'action « {} » doit être d'au moins un jour.", action.key),
                    format!("The deadline of action `{}` must be at least one day.", action.key),
                ));
            }
            for (j, actor) in action.actors.iter().enumerate() {
                if let ActorRule::Role(role) = actor
                    && !known_roles.iter().any(|known| known == role)
                {
                    errors.push(invalid(
                        format!("{path}.actors[{j}]"),
                        format!("الدور «{role}» غير معروف."),
                        format!("Le rôle « {role} » est inconnu."),
                        format!("The role `{role}` is unknown."),
                    ));
                }
            }
        }
    }

    /// Reachability, over the actions whose states exist. Skipped without a single start state, which
    /// `check_states` already reports.
    fn check_graph(&self, errors: &mut Vec<FieldError>) {
        let mut starts = self.states.iter().filter(|s| s.kind == StateKind::Start);
        let (Some(start), None) = (starts.next(), starts.next()) else {
            return;
        };
        let mut forward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut backward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for action in &self.actions {
            for from in &action.from {
                forward.entry(from).or_default().push(&action.to);
                backward.entry(&action.to).or_default().push(from);
            }
        }
        let reachable = closure([start.key.as_str()], &forward);
        let terminals = self.states.iter().filter(|s| s.kind == StateKind::Terminal).map(|s| s.key.as_str());
        let finishing = closure(terminals, &backward);
        for (i, state) in self.states.iter().enumerate() {
            let key = &state.key;
            if !reachable.contains(key.as_str()) {
                errors.push(invalid(
                    format!("workflow.states[{i}]"),
                    format!("لا يمكن الوصول إلى الحالة «{key}» من حالة البداية."),
                    format!("L'état « {key} » n'est pas atteignable depuis l'état de départ."),
                    format!("The state `{key}` cannot be reached from the start state."),
                ));
            }
            if !finishing.contains(key.as_str()) {
                errors.push(invalid(
                    format!("workflow.states[{i}]"),
                    format!("لا يمكن الوصول إلى أي حالة نهائية انطلاقا من الحالة «{key}»."),
                    format!("Aucun état final n'est atteignable depuis l'état « {key} »."),
                    format!("No terminal state can be reached from the state `{key}`."),
                ));
            }
        }
    }

    fn check_timers(&self, errors: &mut Vec<FieldError>) {
        for (i, timer) in self.timers.iter().enumerate() {
            let path = format!("workflow.timers[{i}]");
            let state = &timer.state;
            // Whether the timer waits in a state that exists and can be left.
            let waits = match self.state(state) {
                None => {
                    errors.push(unknown_state(format!("{path}.state"), state));
                    false
                }
                Some(s) if s.kind == StateKind::Terminal => {
                    errors.push(invalid(
                        format!("{path}.state"),
                        format!("لا يمكن وضع مؤقت في الحالة النهائية «{state}»."),
                        format!("Un délai ne peut pas porter sur l'état final « {state} »."),
                        format!("A timer cannot wait in the terminal state `{state}`."),
                    ));
                    false
                }
                Some(_) => true,
            };
            let key = &timer.action;
            match self.action(key) {
                None => errors.push(invalid(
                    format!("{path}.action"),
                    format!("الإجراء «{key}» غير موجود."),
                    format!("L'action « {key} » n'existe pas."),
                    format!("The action `{key}` does not exist."),
                )),
                Some(action) if !action.actors.contains(&ActorRule::System) => errors.push(invalid(
                    format!("{path}.action"),
                    format!("لا يمكن للنظام القيام بالإجراء «{key}»."),
                    format!("Le système ne peut pas effectuer l'action « {key} »."),
                    format!("The system may not take the action `{key}`."),
                )),
                Some(action) if waits && !action.from.contains(state) => errors.push(invalid(
                    format!("{path}.action"),
                    format!("لا يمكن القيام بالإجراء «{key}» انطلاقا من الحالة «{state}»."),
                    format!("L'action « {key} » ne peut pas être effectuée depuis l'état « {state} »."),
                    format!("The action `{key}` cannot be taken from the state `{state}`."),
                )),
                Some(_) => {}
            }
            self.check_guard_paths(timer, &path, waits, errors);
        }
    }

    /// A timer's `standsFor` names a staff action; its `onGuardFails` names another action the system may take
    /// from the timer's state, and only where some guard could fail.
    fn check_guard_paths(&self, timer: &TimerDef, path: &str, waits: bool, errors: &mut Vec<FieldError>) {
        if let Some(key) = &timer.stands_for {
            let staff = |action: &ActionDef| action.actors.iter().any(|actor| matches!(actor, ActorRule::Role(_)));
            match self.action(key) {
                None => errors.push(invalid(
                    format!("{path}.standsFor"),
                    format!("الإجراء «{key}» غير موجود."),
                    format!("L'action « {key} » n'existe pas."),
                    format!("The action `{key}` does not exist."),
                )),
                Some(action) if !staff(action) => errors.push(invalid(
                    format!("{path}.standsFor"),
                    format!("الإجراء «{key}» ليس إجراء يقوم به الموظفون."),
                    format!("L'action « {key} » n'est pas une action du personnel."),
                    format!("The action `{key}` is not taken by staff."),
                )),
                Some(_) => {}
            }
        }
        let Some(key) = &timer.on_guard_fails else { return };
        let path = format!("{path}.onGuardFails");
        let guarded = [Some(&timer.action), timer.stands_for.as_ref()]
            .into_iter()
            .flatten()
            .any(|key| self.action(key).is_some_and(|action| action.guard.is_some()));
        if !guarded {
            errors.push(invalid(
                path.clone(),
                "لا يوجد أي شرط يمكن ألا يتحقق: هذا المسار البديل لن يُسلك أبدا.".to_owned(),
                "Aucune condition ne peut échouer : ce chemin ne serait jamais pris.".to_owned(),
                "No guard can fail: this path would never be taken.".to_owned(),
            ));
        }
        match self.action(key) {
            None => errors.push(invalid(
                path,
                format!("الإجراء «{key}» غير موجود."),
                format!("L'action « {key} » n'existe pas."),
                format!("The action `{key}` does not exist."),
            )),
            Some(_) if *key == timer.action => errors.push(invalid(
                path,
                format!("المسار البديل يجب أن يكون إجراء غير «{key}»."),
                format!("Le chemin de repli doit être une autre action que « {key} »."),
                format!("The other path must be an action other than `{key}`."),
            )),
            Some(action) if !action.actors.contains(&ActorRule::System) => errors.push(invalid(
                path,
                format!("لا يمكن للنظام القيام بالإجراء «{key}»."),
                format!("Le système ne peut pas effectuer l'action « {key} »."),
                format!("The system may not take the action `{key}`."),
            )),
            Some(action) if waits && !action.from.contains(&timer.state) => errors.push(invalid(
                path,
                format!("لا يمكن القيام بالإجراء «{key}» انطلاقا من الحالة «{}».", timer.state),
                format!("L'action « {key} » ne peut pas être effectuée depuis l'état « {} ».", timer.state),
                format!("The action `{key}` cannot be taken from the state `{}`.", timer.state),
            )),
            Some(action) if action.guard.is_some() => errors.push(invalid(
                path,
                format!("الإجراء البديل «{key}» لا يمكن أن يكون مشروطا."),
                format!("L'action de repli « {key} » ne peut pas avoir de condition."),
                format!("The other path `{key}` cannot have a guard."),
            )),
            Some(_) => {}
        }
    }
}

/// Whether `key` matches `[a-z][a-z0-9_]*`.
fn is_valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_key(key: &str, path: &str, duplicate: bool, errors: &mut Vec<FieldError>) {
    if !is_valid_key(key) {
        errors.push(invalid(
            format!("{path}.key"),
            format!("المفتاح «{key}» يجب أن يبدأ بحرف لاتيني صغير ولا يحتوي إلا على حروف صغيرة وأرقام و _."),
            format!(
                "La clé « {key} » doit commencer par une minuscule et ne contenir que des minuscules, des chiffres et _."
            ),
            format!("The key `{key}` must start with a lowercase letter and hold only lowercase letters, digits and _."),
        ));
    } else if duplicate {
        errors.push(invalid(
            format!("{path}.key"),
            format!("المفتاح «{key}» مستعمل أكثر من مرة."),
            format!("La clé « {key} » est utilisée plusieurs fois."),
            format!("The key `{key}` is used more than once."),
        ));
    }
}

fn check_label(label: &LocalizedText, path: &str, errors: &mut Vec<FieldError>) {
    if label.is_empty() {
        errors.push(invalid(
            format!("{path}.label"),
            "التسمية فارغة.".to_owned(),
            "Le libellé est vide.".to_owned(),
            "The label is empty.".to_owned(),
        ));
    }
}

fn unknown_state(path: String, key: &str) -> FieldError {
    invalid(
        path,
        format!("الحالة «{key}» غير موجودة."),
        format!("L'état « {key} » n'existe pas."),
        format!("The state `{key}` does not exist."),
    )
}

/// The states reachable from `roots` (included) along `edges`.
fn closure<'a>(roots: impl IntoIterator<Item = &'a str>, edges: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut pending: Vec<&str> = roots.into_iter().collect();
    while let Some(key) = pending.pop() {
        if seen.insert(key) {
            pending.extend(edges.get(key).into_iter().flatten().copied());
        }
    }
    seen
}

fn invalid(path: String, ar: String, fr: String, en: String) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidDefinition, LocalizedText::ar_fr(ar, fr).with(Locale::En, en))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{building_permit, known_roles};
    use super::super::{ActionDef, Outcome, StateDef};
    use super::*;

    /// A change that breaks the building permit workflow.
    type Breakage = fn(&mut WorkflowDefinition);

    fn state(key: &str, kind: StateKind, outcome: Option<Outcome>) -> StateDef {
        StateDef {
            key: key.into(),
            label: LocalizedText::ar_fr("حالة", "État"),
            kind,
            outcome,
            sla_days: None,
            reminder: None,
            escalate_to: None,
            commission: None,
        }
    }

    fn action(key: &str, from: &str, to: &str) -> ActionDef {
        ActionDef {
            key: key.into(),
            label: LocalizedText::ar_fr("إجراء", "Action"),
            from: vec![from.into()],
            to: to.into(),
            actors: vec![ActorRule::Role("urbanism_head".into())],
            comment_required: false,
            guard: None,
            deadline: None,
            notify_applicant: false,
            check: None,
            form: None,
        }
    }

    #[test]
    fn a_timer_standing_for_a_staff_action_declares_a_sound_other_path() {
        let paths = |edit: Breakage| {
            let mut def = building_permit();
            def.timers[1].stands_for = Some("approve".into());
            def.timers[1].on_guard_fails = Some("escalate".into());
            edit(&mut def);
            let errors = def.check(&known_roles()).err().unwrap_or_default();
            errors.into_iter().map(|error| error.path).collect::<Vec<_>>()
        };
        let cases: [(&str, Breakage, &[&str]); 8] = [
            ("sound", |_| {}, &[]),
            (
                "stands for nothing known",
                |d| d.timers[1].stands_for = Some("demolish".into()),
                &["workflow.timers[1].standsFor", "workflow.timers[1].onGuardFails"],
            ),
            (
                "stands for a system action",
                |d| d.timers[1].stands_for = Some("escalate".into()),
                &["workflow.timers[1].standsFor", "workflow.timers[1].onGuardFails"],
            ),
            (
                "an unknown other path",
                |d| d.timers[1].on_guard_fails = Some("demolish".into()),
                &["workflow.timers[1].onGuardFails"],
            ),
            (
                "the timer's own action",
                |d| d.timers[1].on_guard_fails = Some("tacit_approval".into()),
                &["workflow.timers[1].onGuardFails"],
            ),
            (
                "a staff action",
                |d| d.timers[1].on_guard_fails = Some("refuse".into()),
                &["workflow.timers[1].onGuardFails"],
            ),
            (
                "an action that does not leave the state",
                |d| d.timers[0].on_guard_fails = Some("escalate".into()),
                &["workflow.timers[0].onGuardFails", "workflow.timers[0].onGuardFails"],
            ),
            ("no guard that could fail", |d| d.timers[1].stands_for = None, &["workflow.timers[1].onGuardFails"]),
        ];
        for (name, edit, expected) in cases {
            assert_eq!(paths(edit), expected, "{name}");
        }
    }

    #[test]
    fn a_state_sla_has_a_reminder_within_it_and_escalates_to_a_known_role() {
        use super::super::{RuleBasis, StepReminder};
        fn reminder(days_before: u32) -> Option<StepReminder> {
            Some(StepReminder { days_before, basis: RuleBasis::CommuneSetting })
        }
        let paths = |edit: Breakage| {
            let mut def = building_permit();
            // `under_review` has an SLA of 10 working days.
            def.states[1].reminder = reminder(2);
            def.states[1].escalate_to = Some("urbanism_head".into());
            edit(&mut def);
            let errors = def.check(&known_roles()).err().unwrap_or_default();
            errors.into_iter().map(|error| error.path).collect::<Vec<_>>()
        };
        let cases: [(&str, Breakage, &[&str]); 8] = [
            ("sound", |_| {}, &[]),
            ("a reminder on the last day", |d| d.states[1].reminder = reminder(9), &[]),
            (
                "a reminder as long as the SLA",
                |d| d.states[1].reminder = reminder(10),
                &["workflow.states[1].reminder.daysBefore"],
            ),
            (
                "a reminder of no day",
                |d| d.states[1].reminder = reminder(0),
                &["workflow.states[1].reminder.daysBefore"],
            ),
            (
                "an escalation to an unknown role",
                |d| d.states[1].escalate_to = Some("service_head".into()),
                &["workflow.states[1].escalateTo"],
            ),
            (
                "a reminder and an escalation without an SLA",
                |d| d.states[1].sla_days = None,
                &["workflow.states[1].reminder", "workflow.states[1].escalateTo"],
            ),
            (
                "an SLA of no day",
                |d| d.states[1].sla_days = Some(0),
                &["workflow.states[1].slaDays", "workflow.states[1].reminder.daysBefore"],
            ),
            ("an SLA on a terminal state", |d| d.states[3].sla_days = Some(5), &["workflow.states[3].slaDays"]),
        ];
        for (name, edit, expected) in cases {
            assert_eq!(paths(edit), expected, "{name}");
        }
        let mut def = building_permit();
        def.states[1].reminder = reminder(10);
        let errors = def.check(&known_roles()).unwrap_err();
        assert_eq!(
            errors[0].message.exact(Locale::En),
            Some("The reminder must fall within the SLA of the state `under_review`: 1 to 9 working days before.")
        );
    }

    #[test]
    fn a_valid_definition_passes() {
        let def = building_permit();
        assert_eq!(def.check(&known_roles()), Ok(()));
        assert_eq!(def.roles().into_iter().collect::<Vec<_>>(), ["urbanism_agent", "urbanism_head"]);
        assert_eq!(def.start_state().map(|s| s.key.as_str()), Some("submitted"));
        assert_eq!(def.state("refused").and_then(|s| s.outcome), Some(Outcome::Rejected));
        assert!(def.action("refuse").is_some_and(|a| a.comment_required));
        assert!(def.state("draft").is_none() && def.action("demolish").is_none());
    }

    #[test]
    fn each_broken_rule_is_reported_where_it_is() {
        let cases: [(&str, Breakage, &[&str]); 26] = [
            ("no start state", |d| d.states[0].kind = StateKind::Active, &["workflow.states"]),
            (
                "a notice to the applicant without a required comment",
                |d| d.actions[0].notify_applicant = true,
                &["workflow.actions[0].notifyApplicant"],
            ),
            (
                "an extension of zero days",
                |d| {
                    d.actions[0].deadline = Some(DeadlineChange::Extend(crate::model::calendar::Deadline {
                        days: 0,
                        counting: crate::model::calendar::DayCounting::Working,
                    }))
                },
                &["workflow.actions[0].deadline"],
            ),
            ("two start states", |d| d.states[1].kind = StateKind::Start, &["workflow.states[1].kind"]),
            ("a duplicate state key", |d| d.states.push(d.states[6].clone()), &["workflow.states[7].key"]),
            (
                "a state key that is not snake case",
                |d| d.states.push(state("Closed", StateKind::Terminal, Some(Outcome::Closed))),
                &["workflow.states[7].key", "workflow.states[7]"],
            ),
            ("a duplicate action key", |d| d.actions.push(d.actions[5].clone()), &["workflow.actions[6].key"]),
            ("an action key with a hyphen", |d| d.actions[0].key = "start-review".into(), &["workflow.actions[0].key"]),
            ("an action key starting with a digit", |d| d.actions[0].key = "1st".into(), &["workflow.actions[0].key"]),
            ("an empty action key", |d| d.actions[0].key = Default::default(), &["workflow.actions[0].key"]),
            ("a terminal state without outcome", |d| d.states[3].outcome = None, &["workflow.states[3].outcome"]),
            (
                "an active state with an outcome",
                |d| d.states[1].outcome = Some(Outcome::Approved),
                &["workflow.states[1].outcome"],
            ),
            ("an empty state label", |d| d.states[2].label = LocalizedText::new(), &["workflow.states[2].label"]),
            (
                "a blank action label",
                |d| d.actions[1].label = LocalizedText::ar_fr("", ""),
                &["workflow.actions[1].label"],
            ),
            ("an unknown from-state", |d| d.actions[2].from.push("draft".into()), &["workflow.actions[2].from[2]"]),
            (
                "an action from no state",
                |d| d.actions[1].from.clear(),
                &["workflow.actions[1].from", "workflow.states[2]", "workflow.timers[2].action"],
            ),
            (
                "an unknown to-state",
                |d| d.actions[5].to = "cancelled".into(),
                &["workflow.actions[5].to", "workflow.states[6]"],
            ),
            (
                "an action out of a terminal state",
                |d| d.actions[3].from.push("approved".into()),
                &["workflow.actions[3].from[3]"],
            ),
            (
                "an unreachable state",
                |d| d.states.push(state("closed", StateKind::Terminal, Some(Outcome::Closed))),
                &["workflow.states[7]"],
            ),
            (
                "a state with no way to a terminal state",
                |d| {
                    d.states.push(state("on_hold", StateKind::Active, None));
                    d.actions.push(action("hold", "under_review", "on_hold"));
                },
                &["workflow.states[7]"],
            ),
            (
                "an unknown role",
                |d| d.actions[2].actors[0] = ActorRule::Role("architect".into()),
                &["workflow.actions[2].actors[0]"],
            ),
            ("an action nobody may take", |d| d.actions[0].actors.clear(), &["workflow.actions[0].actors"]),
            ("a timer in an unknown state", |d| d.timers[0].state = "draft".into(), &["workflow.timers[0].state"]),
            ("a timer in a terminal state", |d| d.timers[0].state = "approved".into(), &["workflow.timers[0].state"]),
            (
                "a timer with an unknown action",
                |d| d.timers[1].action = "remind".into(),
                &["workflow.timers[1].action"],
            ),
            (
                "a timer action the system may not take",
                |d| d.timers[1].action = "approve".into(),
                &["workflow.timers[1].action"],
            ),
        ];
        for (why, break_it, expected) in cases {
            let mut def = building_permit();
            break_it(&mut def);
            let errors = def.check(&known_roles()).unwrap_err();
            assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), expected, "{why}");
            for error in &errors {
                assert_eq!(error.code, FieldErrorCode::InvalidDefinition, "{why}");
                for locale in [Locale::Ar, Locale::Fr, Locale::En] {
                    assert!(error.message.exact(locale).is_some(), "{why}: no {locale} message");
                }
            }
        }
    }

    #[test]
    fn a_timer_action_must_leave_the_timer_state() {
        let mut def = building_permit();
        def.timers[0].action = "escalate".into();
        let errors = def.check(&known_roles()).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["workflow.timers[0].action"]);
        assert_eq!(
            errors[0].message.exact(Locale::En),
            Some("The action `escalate` cannot be taken from the state `submitted`.")
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut def = building_permit();
        def.states[3].outcome = None;
        def.actions[0].actors = vec![ActorRule::Role("architect".into()), ActorRule::Applicant];
        def.actions[4].key = "Tacit".into();
        def.timers[3].state = "approved".into();
        let errors = def.check(&[]).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "workflow.states[3].outcome",
                "workflow.actions[0].actors[0]",
                "workflow.actions[2].actors[0]",
                "workflow.actions[3].actors[0]",
                "workflow.actions[4].key",
                "workflow.timers[0].action",
                "workflow.timers[1].action",
                "workflow.timers[3].state",
                "workflow.timers[3].action",
            ]
        );
        assert_eq!(errors[1].message.exact(Locale::Fr), Some("Le rôle « architect » est inconnu."),);
    }
}
