//! The Moroccan commune standard as data: staff roles, the working calendars of Morocco and Mauritania, and the
//! procedures of the catalog. The JSON files live in `core/data/` and are compiled into the crate; their texts
//! in the languages they do not carry inline come from the translation files (`model::translations`).

use std::sync::OnceLock;

use serde::Deserialize;

pub use crate::model::access::RoleDef;
use crate::model::calendar::WorkingCalendar;
use crate::model::catalog::ServiceDefinition;
use crate::model::i18n::LocalizedText;
use crate::model::translations::{Catalog, fill, shipped_catalogs};

const MOROCCAN_ROLES: &str = include_str!("../../data/ma-commune/roles.json");
const MOROCCAN_CALENDAR: &str = include_str!("../../data/ma-commune/calendar.json");
const MAURITANIAN_CALENDAR: &str = include_str!("../../data/mr-commune/calendar.json");

/// The service files of the Moroccan standard, in catalog order: (file stem, content). The stem is the service code.
const MOROCCAN_SERVICE_FILES: &[(&str, &str)] = &[
    ("legalisation-signature", include_str!("../../data/ma-commune/services/legalisation-signature.json")),
    ("certification-conforme", include_str!("../../data/ma-commune/services/certification-conforme.json")),
    ("extrait-acte-naissance", include_str!("../../data/ma-commune/services/extrait-acte-naissance.json")),
    (
        "copie-integrale-acte-naissance",
        include_str!("../../data/ma-commune/services/copie-integrale-acte-naissance.json"),
    ),
    ("declaration-naissance", include_str!("../../data/ma-commune/services/declaration-naissance.json")),
    ("declaration-deces", include_str!("../../data/ma-commune/services/declaration-deces.json")),
    (
        "autorisation-construire-petits-projets",
        include_str!("../../data/ma-commune/services/autorisation-construire-petits-projets.json"),
    ),
    (
        "autorisation-construire-grands-projets",
        include_str!("../../data/ma-commune/services/autorisation-construire-grands-projets.json"),
    ),
    ("autorisation-lotir", include_str!("../../data/ma-commune/services/autorisation-lotir.json")),
    ("autorisation-morcellement", include_str!("../../data/ma-commune/services/autorisation-morcellement.json")),
    ("groupe-habitations", include_str!("../../data/ma-commune/services/groupe-habitations.json")),
    ("permis-habiter", include_str!("../../data/ma-commune/services/permis-habiter.json")),
    ("certificat-conformite", include_str!("../../data/ma-commune/services/certificat-conformite.json")),
    ("petits-travaux-reparation", include_str!("../../data/ma-commune/services/petits-travaux-reparation.json")),
    (
        "autorisation-activite-economique",
        include_str!("../../data/ma-commune/services/autorisation-activite-economique.json"),
    ),
    ("etablissement-classe", include_str!("../../data/ma-commune/services/etablissement-classe.json")),
    (
        "occupation-temporaire-domaine-public",
        include_str!("../../data/ma-commune/services/occupation-temporaire-domaine-public.json"),
    ),
    ("ouverture-tranchees", include_str!("../../data/ma-commune/services/ouverture-tranchees.json")),
    ("autorisation-publicite", include_str!("../../data/ma-commune/services/autorisation-publicite.json")),
    ("autorisation-tournage", include_str!("../../data/ma-commune/services/autorisation-tournage.json")),
    (
        "exhumation-transfert-depouille",
        include_str!("../../data/ma-commune/services/exhumation-transfert-depouille.json"),
    ),
    ("reclamation", include_str!("../../data/ma-commune/services/reclamation.json")),
    ("acces-information", include_str!("../../data/ma-commune/services/acces-information.json")),
    ("petition", include_str!("../../data/ma-commune/services/petition.json")),
];

/// The shipped translation files (`core/data/i18n/`), read once.
fn catalogs() -> Result<&'static [Catalog], serde_json::Error> {
    static CATALOGS: OnceLock<Result<Vec<Catalog>, String>> = OnceLock::new();
    match CATALOGS.get_or_init(|| shipped_catalogs().map_err(|e| e.to_string())) {
        Ok(catalogs) => Ok(catalogs),
        Err(message) => Err(<serde_json::Error as serde::de::Error>::custom(message)),
    }
}

/// Parses a file of the standard, its localized texts completed from the translation files.
fn parse_localized<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(json)?;
    fill(&mut value, catalogs()?);
    serde_json::from_value(value)
}

/// The staff roles of a Moroccan commune.
pub fn moroccan_roles() -> Result<Vec<RoleDef>, serde_json::Error> {
    parse_localized(MOROCCAN_ROLES)
}

/// Morocco's working calendar: weekend and fixed national holidays. The lunar holidays are entered each year.
pub fn moroccan_calendar() -> Result<WorkingCalendar, serde_json::Error> {
    parse_localized(MOROCCAN_CALENDAR)
}

/// Mauritania's working calendar: weekend and fixed national holidays. The lunar holidays are entered each year.
pub fn mauritanian_calendar() -> Result<WorkingCalendar, serde_json::Error> {
    parse_localized(MAURITANIAN_CALENDAR)
}

/// The procedures of the Moroccan commune standard, in catalog order.
pub fn moroccan_services() -> Result<Vec<ServiceDefinition>, serde_json::Error> {
    MOROCCAN_SERVICE_FILES.iter().map(|(_, json)| parse_localized(json)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::{NaiveDate, Weekday};

    use crate::model::keys::{RoleKey, StateKey};

    use super::*;
    use crate::model::calendar::DayCounting;
    use crate::model::catalog::SilenceRule;
    use crate::model::form::FieldKind;
    use crate::model::i18n::Locale;
    use crate::model::workflow::{
        ActionCheck, ActionDef, ActorRule, DeadlineChange, Guard, Outcome, StateKind, TimerDelay,
    };

    fn services() -> Vec<ServiceDefinition> {
        moroccan_services().expect("the service files parse")
    }

    fn has_ar_fr(text: &LocalizedText) -> bool {
        text.exact(Locale::Ar).is_some_and(|s| !s.trim().is_empty())
            && text.exact(Locale::Fr).is_some_and(|s| !s.trim().is_empty())
    }

    /// Every localized text of a service, with where it is.
    fn texts(service: &ServiceDefinition) -> Vec<(String, &LocalizedText)> {
        let mut all = vec![("name".to_owned(), &service.name), ("description".to_owned(), &service.description)];
        for doc in &service.documents {
            all.push((format!("document {}", doc.code), &doc.label));
        }
        for field in &service.form.fields {
            all.push((format!("field {}", field.key), &field.label));
            if let Some(help) = &field.help {
                all.push((format!("help of field {}", field.key), help));
            }
            if let FieldKind::Choice { options } | FieldKind::MultiChoice { options } = &field.kind {
                for option in options {
                    all.push((format!("option {}.{}", field.key, option.value), &option.label));
                }
            }
        }
        for fee in &service.fees {
            all.push(("fee".to_owned(), &fee.label));
        }
        for reference in &service.legal_references {
            all.push(("legal reference".to_owned(), &reference.title));
        }
        for state in &service.workflow.states {
            all.push((format!("state {}", state.key), &state.label));
        }
        for action in &service.workflow.actions {
            all.push((format!("action {}", action.key), &action.label));
        }
        all
    }

    fn duplicates<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut seen = BTreeSet::new();
        keys.into_iter().filter(|key| !seen.insert(*key)).collect()
    }

    #[test]
    fn every_file_parses() {
        let roles = moroccan_roles().expect("roles.json parses");
        assert_eq!(roles.len(), 17);
        moroccan_calendar().expect("the Moroccan calendar parses");
        mauritanian_calendar().expect("the Mauritanian calendar parses");
        assert_eq!(services().len(), MOROCCAN_SERVICE_FILES.len());
    }

    #[test]
    fn every_service_file_on_disk_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ma-commune/services");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("the services folder exists")
            .map(|entry| entry.expect("a readable entry").file_name().to_string_lossy().into_owned())
            .collect();
        let listed: BTreeSet<String> = MOROCCAN_SERVICE_FILES.iter().map(|(stem, _)| format!("{stem}.json")).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn file_names_are_the_codes_and_codes_are_unique() {
        for ((stem, _), service) in MOROCCAN_SERVICE_FILES.iter().zip(services()) {
            assert_eq!(*stem, service.code);
        }
        let all = services();
        assert_eq!(duplicates(all.iter().map(|s| s.code.as_str())), Vec::<&str>::new());
    }

    #[test]
    fn weekdays_serialize_as_three_letters() {
        assert_eq!(serde_json::to_string(&[Weekday::Sat, Weekday::Sun]).expect("serializes"), r#"["Sat","Sun"]"#);
        let calendar = moroccan_calendar().expect("parses");
        assert_eq!(calendar.weekend, vec![Weekday::Sat, Weekday::Sun]);
        let calendar = mauritanian_calendar().expect("parses");
        assert_eq!(calendar.weekend, vec![Weekday::Sat, Weekday::Sun]);
    }

    #[test]
    fn calendars_hold_the_national_holidays() {
        let dates = |calendar: &WorkingCalendar| -> Vec<(u32, u32)> {
            calendar.fixed_holidays.iter().map(|h| (h.month, h.day)).collect()
        };
        let morocco = moroccan_calendar().expect("parses");
        assert_eq!(
            dates(&morocco),
            [(1, 1), (1, 11), (1, 14), (5, 1), (7, 30), (8, 14), (8, 20), (8, 21), (10, 31), (11, 6), (11, 18)]
        );
        // Every Moroccan holiday names the text that makes it one.
        assert!(morocco.fixed_holidays_source.as_deref().is_some_and(|s| s.contains("2-77-169")));
        let wahda = morocco.fixed_holidays.iter().find(|h| (h.month, h.day) == (10, 31)).expect("31 October");
        assert!(wahda.source.as_deref().is_some_and(|s| s.contains("2-25-1140")));
        let mauritania = mauritanian_calendar().expect("parses");
        assert_eq!(dates(&mauritania), [(1, 1), (5, 1), (5, 25), (11, 28)]);
        // The lunar feasts of 2026 and 2027 ship, marked estimated until the operator enters the announced
        // dates: two days for Aïd al-Fitr, Aïd al-Adha and the Mawlid and one for 1 Muharram in Morocco.
        for year in [2026, 2027] {
            let days = morocco.dated_holidays_of(year);
            assert_eq!(days.len(), 7, "{year}");
            assert!(days.iter().all(|h| h.estimated && h.source.as_deref().is_some_and(|s| s.contains("2-77-169"))));
            assert_eq!(mauritania.dated_holidays_of(year).len(), 4, "{year}");
        }
        for calendar in [&morocco, &mauritania] {
            for holiday in &calendar.dated_holidays {
                assert!(has_ar_fr(&holiday.name), "{holiday:?}");
                for locale in [Locale::Tzm, Locale::En] {
                    assert!(holiday.name.exact(locale).is_some(), "{holiday:?} has no {locale} name");
                }
            }
            for holiday in &calendar.fixed_holidays {
                // 2024 is a leap year, so every real day of the year exists in it.
                assert!(NaiveDate::from_ymd_opt(2024, holiday.month, holiday.day).is_some(), "{holiday:?}");
                assert!(has_ar_fr(&holiday.name), "{holiday:?}");
            }
        }
    }

    #[test]
    fn roles_are_unique_and_labelled() {
        let roles = moroccan_roles().expect("parses");
        assert_eq!(duplicates(roles.iter().map(|r| r.key.as_str())), Vec::<&str>::new());
        for role in &roles {
            assert!(has_ar_fr(&role.label), "role {}", role.key);
        }
        let keys: BTreeSet<&str> = roles.iter().map(|r| r.key.as_str()).collect();
        for expected in [
            "counter_agent",
            "head_of_service",
            "civil_registrar",
            "information_officer",
            "council_secretary",
            "president",
            "commune_admin",
        ] {
            assert!(keys.contains(expected), "{expected}");
        }
    }

    #[test]
    fn every_text_is_in_arabic_and_french() {
        for service in services() {
            for (place, text) in texts(&service) {
                assert!(has_ar_fr(text), "{}: {place} lacks Arabic or French", service.code);
            }
        }
    }

    #[test]
    fn workflow_roles_are_known_roles() {
        let roles = moroccan_roles().expect("parses");
        let known: BTreeSet<&str> = roles.iter().map(|r| r.key.as_str()).collect();
        for service in services() {
            for action in &service.workflow.actions {
                assert!(!action.actors.is_empty(), "{}: {} has no actor", service.code, action.key);
                for actor in &action.actors {
                    if let ActorRule::Role(role) = actor {
                        assert!(known.contains(role.as_str()), "{}: unknown role {role}", service.code);
                    }
                }
            }
        }
    }

    #[test]
    fn a_state_sla_fits_within_the_procedures_deadline() {
        let roles: Vec<RoleKey> = moroccan_roles().expect("parses").into_iter().map(|r| r.key).collect();
        let mut service = services().into_iter().find(|s| s.code == "acces-information").expect("the service");
        let urgent = service.workflow.states.iter().position(|s| s.key == "urgent").expect("the urgent state");
        // 3 working days (law 31.13) within the procedure's 20.
        assert_eq!(service.workflow.states[urgent].sla_days, Some(3));
        assert_eq!(service.check(&roles), Ok(()));
        service.workflow.states[urgent].sla_days = Some(20);
        assert_eq!(service.check(&roles), Ok(()), "as long as the procedure's deadline");
        service.workflow.states[urgent].sla_days = Some(21);
        let errors = service.check(&roles).expect_err("longer than the procedure's deadline");
        let paths: Vec<String> = errors.iter().map(|e| e.path.clone()).collect();
        assert_eq!(paths, [format!("workflow.states[{urgent}].slaDays")]);
        assert!(errors[0].message.exact(crate::model::i18n::Locale::Tzm).is_some());
    }

    #[test]
    fn workflows_are_consistent() {
        for service in services() {
            let code = &service.code;
            let workflow = &service.workflow;
            let states: BTreeMap<&str, StateKind> = workflow.states.iter().map(|s| (s.key.as_str(), s.kind)).collect();
            assert_eq!(duplicates(workflow.states.iter().map(|s| s.key.as_str())), Vec::<&str>::new(), "{code}");
            assert_eq!(duplicates(workflow.actions.iter().map(|a| a.key.as_str())), Vec::<&str>::new(), "{code}");
            let starts = workflow.states.iter().filter(|s| s.kind == StateKind::Start).count();
            assert_eq!(starts, 1, "{code}: exactly one start state");
            for state in &workflow.states {
                assert_eq!(state.kind == StateKind::Terminal, state.outcome.is_some(), "{code}: {}", state.key);
            }
            for action in &workflow.actions {
                assert!(!action.from.is_empty(), "{code}: {} has no source state", action.key);
                for from in &action.from {
                    let kind = states.get(from.as_str());
                    assert!(kind.is_some(), "{code}: {} leaves unknown state {from}", action.key);
                    assert_ne!(kind, Some(&StateKind::Terminal), "{code}: {} leaves a terminal state", action.key);
                }
                assert!(
                    states.contains_key(action.to.as_str()),
                    "{code}: {} goes to unknown {}",
                    action.key,
                    action.to
                );
            }
            for timer in &workflow.timers {
                assert!(states.contains_key(timer.state.as_str()), "{code}: timer in unknown {}", timer.state);
                let action = workflow.actions.iter().find(|a| a.key == timer.action);
                let action = action.unwrap_or_else(|| panic!("{code}: timer takes unknown {}", timer.action));
                assert!(action.from.contains(&timer.state), "{code}: {} cannot leave {}", action.key, timer.state);
                assert!(action.actors.contains(&ActorRule::System), "{code}: {} is not a system action", action.key);
            }
        }
    }

    #[test]
    fn every_state_is_reachable_and_can_end() {
        for service in services() {
            let workflow = &service.workflow;
            let edges: Vec<(&str, &str)> = workflow
                .actions
                .iter()
                .flat_map(|a| a.from.iter().map(move |from| (from.as_str(), a.to.as_str())))
                .collect();
            let mut reached: BTreeSet<&str> =
                workflow.states.iter().filter(|s| s.kind == StateKind::Start).map(|s| s.key.as_str()).collect();
            loop {
                let next: BTreeSet<&str> =
                    edges.iter().filter(|(from, _)| reached.contains(from)).map(|(_, to)| *to).collect();
                if next.is_subset(&reached) {
                    break;
                }
                reached.extend(next);
            }
            let mut ending: BTreeSet<&str> =
                workflow.states.iter().filter(|s| s.kind == StateKind::Terminal).map(|s| s.key.as_str()).collect();
            loop {
                let next: BTreeSet<&str> =
                    edges.iter().filter(|(_, to)| ending.contains(to)).map(|(from, _)| *from).collect();
                if next.is_subset(&ending) {
                    break;
                }
                ending.extend(next);
            }
            for state in &workflow.states {
                assert!(reached.contains(state.key.as_str()), "{}: {} is unreachable", service.code, state.key);
                assert!(ending.contains(state.key.as_str()), "{}: {} cannot end", service.code, state.key);
            }
        }
    }

    #[test]
    fn forms_are_consistent() {
        let key_pattern = regex_lite::Regex::new("^[a-z][a-z0-9_]*$").expect("valid pattern");
        for service in services() {
            let code = &service.code;
            let fields = &service.form.fields;
            assert_eq!(duplicates(fields.iter().map(|f| f.key.as_str())), Vec::<&str>::new(), "{code}");
            assert_eq!(duplicates(service.documents.iter().map(|d| d.code.as_str())), Vec::<&str>::new(), "{code}");
            let by_key: BTreeMap<&str, &FieldKind> = fields.iter().map(|f| (f.key.as_str(), &f.kind)).collect();
            for field in fields {
                assert!(key_pattern.is_match(&field.key), "{code}: bad key {}", field.key);
                if let Some(pattern) = &field.rules.pattern {
                    assert!(regex_lite::Regex::new(pattern).is_ok(), "{code}: bad pattern of {}", field.key);
                }
                if let (Some(min), Some(max)) = (field.rules.min, field.rules.max) {
                    assert!(min <= max, "{code}: {}", field.key);
                }
                if let (Some(min), Some(max)) = (field.rules.min_length, field.rules.max_length) {
                    assert!(min <= max, "{code}: {}", field.key);
                }
                if let FieldKind::NationalId | FieldKind::Phone | FieldKind::Email = field.kind {
                    assert!(field.personal, "{code}: {} holds personal data", field.key);
                }
                for condition in [&field.visible_if, &field.required_if].into_iter().flatten() {
                    let target = by_key.get(condition.field.as_str());
                    assert!(target.is_some(), "{code}: {} depends on unknown {}", field.key, condition.field);
                    if let Some(FieldKind::Choice { options }) = target {
                        assert!(
                            options.iter().any(|o| condition.equals.as_str() == Some(o.value.as_str())),
                            "{code}: {} depends on an unknown option",
                            field.key
                        );
                    }
                }
            }
            for document in &service.documents {
                assert!(!document.formats.is_empty() && document.max_size_bytes > 0, "{code}: {}", document.code);
            }
            for action in &service.workflow.actions {
                if let Some(Guard::Compare { field, .. }) = &action.guard {
                    assert_eq!(by_key.get(field.as_str()), Some(&&FieldKind::Number), "{code}: guard on {field}");
                }
            }
        }
    }

    #[test]
    fn deadlines_are_the_legal_ones() {
        // Service code, days, counting, silence — as in shared/domain/MOROCCO.md. Where it gives no deadline, the
        // general maximum of law 55.19 (60 days).
        let table = [
            ("legalisation-signature", 0, DayCounting::Calendar, SilenceRule::Nothing),
            ("certification-conforme", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("extrait-acte-naissance", 0, DayCounting::Calendar, SilenceRule::Nothing),
            ("copie-integrale-acte-naissance", 0, DayCounting::Calendar, SilenceRule::Nothing),
            ("declaration-naissance", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("declaration-deces", 1, DayCounting::Calendar, SilenceRule::Nothing),
            ("autorisation-construire-petits-projets", 15, DayCounting::Calendar, SilenceRule::TacitApproval),
            ("autorisation-construire-grands-projets", 30, DayCounting::Calendar, SilenceRule::TacitApproval),
            ("autorisation-lotir", 30, DayCounting::Calendar, SilenceRule::TacitApproval),
            ("autorisation-morcellement", 30, DayCounting::Calendar, SilenceRule::TacitApproval),
            ("groupe-habitations", 30, DayCounting::Calendar, SilenceRule::TacitApproval),
            // One month.
            ("permis-habiter", 30, DayCounting::Calendar, SilenceRule::Nothing),
            ("certificat-conformite", 30, DayCounting::Calendar, SilenceRule::Nothing),
            // About 14 days.
            ("petits-travaux-reparation", 14, DayCounting::Calendar, SilenceRule::Nothing),
            ("autorisation-activite-economique", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("etablissement-classe", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("occupation-temporaire-domaine-public", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("ouverture-tranchees", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("autorisation-publicite", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("autorisation-tournage", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("exhumation-transfert-depouille", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("reclamation", 60, DayCounting::Calendar, SilenceRule::Nothing),
            ("acces-information", 20, DayCounting::Working, SilenceRule::Nothing),
            ("petition", 60, DayCounting::Calendar, SilenceRule::Nothing),
        ];
        let all = services();
        assert_eq!(all.len(), table.len(), "every service has its row");
        for (code, days, counting, silence) in table {
            let service = all.iter().find(|s| s.code == code).unwrap_or_else(|| panic!("{code} is shipped"));
            assert_eq!(service.deadline.days, days, "{code}");
            assert_eq!(service.deadline.counting, counting, "{code}");
            assert_eq!(service.silence, silence, "{code}");
        }
    }

    #[test]
    fn tacit_approval_is_applied_at_the_legal_deadline() {
        for service in services().into_iter().filter(|s| s.silence == SilenceRule::TacitApproval) {
            let workflow = &service.workflow;
            // A state entered when silence could not approve waits for an express decision, past the deadline.
            let withheld: Vec<&str> = workflow
                .timers
                .iter()
                .filter_map(|t| workflow.action(t.on_guard_fails.as_deref()?))
                .map(|a| a.to.as_str())
                .collect();
            // Silence grants no more than staff could: a state from which no member may approve (after a
            // commission's unfavourable opinion, only a refusal) has no tacit approval.
            let approvable = |state: &str| {
                workflow.actions.iter().any(|a| {
                    a.from.iter().any(|f| f == state)
                        && a.actors.iter().any(|actor| matches!(actor, crate::model::workflow::ActorRule::Role(_)))
                        && workflow.state(&a.to).and_then(|s| s.outcome)
                            == Some(crate::model::workflow::Outcome::Approved)
                })
            };
            let open: Vec<&str> = workflow
                .states
                .iter()
                .filter(|s| s.kind != StateKind::Terminal && !withheld.contains(&s.key.as_str()))
                .filter(|s| approvable(&s.key) || s.commission.is_some() || s.kind == StateKind::Start)
                .map(|s| s.key.as_str())
                .collect();
            for state in open {
                assert!(
                    workflow.timers.iter().any(|t| t.state == state && t.after == TimerDelay::LegalDeadline),
                    "{}: no tacit approval in {state}",
                    service.code
                );
            }
        }
    }

    #[test]
    fn complaints_escalate_after_five_working_days() {
        let all = services();
        let complaint = all.iter().find(|s| s.code == "reclamation").expect("shipped");
        let timer = complaint.workflow.timers.iter().find(|t| t.action == "escalate").expect("escalation timer");
        assert_eq!(timer.state, "submitted");
        assert_eq!(timer.after, TimerDelay::WorkingDays(5));
    }

    #[test]
    fn small_projects_are_approved_up_to_two_floors() {
        let all = services();
        let permit = all.iter().find(|s| s.code == "autorisation-construire-petits-projets").expect("shipped");
        let approve = permit.workflow.actions.iter().find(|a| a.key == "approve").expect("approve");
        assert!(matches!(
            &approve.guard,
            Some(Guard::Compare { field, op: crate::model::workflow::CompareOp::Le, value, basis })
                if field == "floors" && *value == 2.0 && *basis == Some(crate::model::workflow::RuleBasis::CommuneSetting)
        ));
        // The form refuses what the head of service could not grant, with the same bound, a commune setting.
        let rule = permit.form.rules.iter().find(|r| r.field == "floors").expect("a rule on the storeys");
        assert_eq!((rule.op, rule.value), (crate::model::form::RuleOp::Le, Some(2.0)));
        assert_eq!(rule.basis, Some(crate::model::workflow::RuleBasis::CommuneSetting));
        // Silence stands for that approval: it respects its guard, else the file waits for a decision.
        for timer in permit.workflow.timers.iter().filter(|t| t.action == "tacit_approval") {
            assert_eq!(timer.stands_for.as_deref(), Some("approve"), "{}", timer.state);
            assert_eq!(timer.on_guard_fails.as_deref(), Some("withhold_tacit_approval"), "{}", timer.state);
        }
    }

    #[test]
    fn every_service_cites_its_law() {
        for service in services() {
            assert!(!service.legal_references.is_empty(), "{}", service.code);
        }
        let all = services();
        let cites = |code: &str, fr_title_start: &str| {
            let service = all.iter().find(|s| s.code == code).expect("shipped");
            assert!(
                service.legal_references.iter().any(|r| r.title.get(Locale::Fr, &[]).starts_with(fr_title_start)),
                "{code} cites {fr_title_start}"
            );
        };
        cites(
            "legalisation-signature",
            "Loi n° 55.19 relative à la simplification des procédures et formalités administratives",
        );
        cites("autorisation-construire-petits-projets", "Arrêté conjoint n° 1839.23 (BO 7212, 13 juillet 2023)");
        cites("autorisation-construire-grands-projets", "Arrêté conjoint n° 1839.23 (BO 7212, 13 juillet 2023)");
        cites("reclamation", "Décret n° 2-17-265");
        cites("extrait-acte-naissance", "Loi n° 36.21");
        cites("declaration-deces", "Loi n° 36.21");
        cites("declaration-naissance", "Loi n° 36.21");
        cites("declaration-naissance", "Décret n° 2.22.04");
        for code in ["autorisation-lotir", "autorisation-morcellement", "groupe-habitations"] {
            cites(code, "Arrêté conjoint n° 1839.23 (BO 7212, 13 juillet 2023)");
            cites(code, "Décret n° 2.22.141");
        }
        for code in ["permis-habiter", "certificat-conformite", "petits-travaux-reparation"] {
            cites(code, "Loi n° 12-90");
        }
        cites("etablissement-classe", "Décret n° 2.22.386");
        cites("acces-information", "Loi n° 31.13");
        cites("petition", "Loi organique n° 113.14");
        let permit = all.iter().find(|s| s.code == "permis-habiter").expect("shipped");
        assert!(permit.legal_references.iter().any(|r| r.article.as_deref() == Some("55–58")));
        let petition = all.iter().find(|s| s.code == "petition").expect("shipped");
        assert!(petition.legal_references.iter().any(|r| r.article.as_deref() == Some("121–125")));
    }

    #[test]
    fn default_deadlines_say_where_they_come_from() {
        // The procedures for which MOROCCO.md gives no deadline take the 60-day maximum of law 55.19, cite it and
        // say so.
        for code in [
            "certification-conforme",
            "declaration-naissance",
            "autorisation-activite-economique",
            "etablissement-classe",
            "occupation-temporaire-domaine-public",
            "ouverture-tranchees",
            "autorisation-publicite",
            "autorisation-tournage",
            "exhumation-transfert-depouille",
            "petition",
        ] {
            let all = services();
            let service = all.iter().find(|s| s.code == code).expect("shipped");
            assert_eq!(service.deadline.days, 60, "{code}");
            let description = service.description.get(Locale::Fr, &[]);
            assert!(description.contains("60 jours de la loi n° 55.19"), "{code}");
            assert!(service.description.get(Locale::Ar, &[]).contains("60 يوما"), "{code}");
            assert!(
                service.legal_references.iter().any(|r| r.title.get(Locale::Fr, &[]).starts_with("Loi n° 55.19")),
                "{code}"
            );
        }
        let all = services();
        let repairs = all.iter().find(|s| s.code == "petits-travaux-reparation").expect("shipped");
        assert!(repairs.description.get(Locale::Fr, &[]).contains("environ 14 jours"));
        for code in ["permis-habiter", "certificat-conformite"] {
            let service = all.iter().find(|s| s.code == code).expect("shipped");
            assert!(service.description.get(Locale::Fr, &[]).contains("un mois"), "{code}");
        }
    }

    #[test]
    fn fees_are_the_published_ones() {
        let all = services();
        for code in ["legalisation-signature", "extrait-acte-naissance", "copie-integrale-acte-naissance"] {
            let service = all.iter().find(|s| s.code == code).expect("shipped");
            assert_eq!(service.fees.len(), 1, "{code}");
            assert_eq!(service.fees[0].amount_minor, 200, "{code}: 2 DH");
            assert_eq!(service.fees[0].currency, "MAD", "{code}");
        }
        let death = all.iter().find(|s| s.code == "declaration-deces").expect("shipped");
        assert!(death.fees.is_empty(), "the death declaration is free");
        // No other fee is published: each commune sets its own (the occupation fee by its own arrêté).
        for service in &all {
            if !["legalisation-signature", "extrait-acte-naissance", "copie-integrale-acte-naissance"]
                .contains(&service.code.as_str())
            {
                assert!(service.fees.is_empty(), "{}: no fee line", service.code);
            }
        }
        let copies = all.iter().find(|s| s.code == "certification-conforme").expect("shipped");
        assert!(copies.description.get(Locale::Fr, &[]).contains("Droit : fixé par la commune"));
    }

    #[test]
    fn no_copy_of_the_identity_card_is_required() {
        for service in services() {
            for document in &service.documents {
                let label = document.label.get(Locale::Fr, &[]).to_lowercase();
                assert!(!document.code.contains("cnie") && !label.contains("cnie"), "{}", service.code);
            }
        }
        let all = services();
        let legalisation = all.iter().find(|s| s.code == "legalisation-signature").expect("shipped");
        let cin = legalisation.form.fields.iter().find(|f| f.key == "cin").expect("cin field");
        assert_eq!(cin.kind, FieldKind::NationalId);
        assert!(cin.personal && cin.required);
        assert!(legalisation.documents.iter().all(|d| d.mandatory && d.code == "document_to_sign"));
    }

    #[test]
    fn every_service_passes_the_publication_checks() {
        let roles: Vec<RoleKey> = moroccan_roles().expect("parses").into_iter().map(|role| role.key).collect();
        for service in services() {
            assert_eq!(service.check(&roles), Ok(()), "{}", service.code);
        }
    }

    #[test]
    fn every_delay_of_a_timer_cites_its_law_or_is_a_commune_setting() {
        use crate::model::workflow::{RuleBasis, TimerDelay};
        let mut settings = Vec::new();
        for service in services() {
            for timer in &service.workflow.timers {
                let what = format!("{}: the timer of {} ({})", service.code, timer.state, timer.action);
                match (&timer.after, &timer.basis) {
                    // The service's deadline, which its legal references source.
                    (TimerDelay::LegalDeadline, _) => {}
                    (TimerDelay::WorkingDays(_), None) => panic!("{what} neither cites a law nor is a commune setting"),
                    (TimerDelay::WorkingDays(_), Some(RuleBasis::LegalReference(text))) => {
                        assert!(text.contains("art."), "{what} cites no article: {text}");
                    }
                    (TimerDelay::WorkingDays(_), Some(RuleBasis::CommuneSetting)) => settings.push(what),
                }
            }
        }
        // No text sets the complaint's escalation (5 working days) nor its reopening window (15): the commune does.
        assert_eq!(
            settings,
            ["reclamation: the timer of submitted (escalate)", "reclamation: the timer of answered (close)"]
        );
    }

    #[test]
    fn every_procedure_of_the_standard_is_shipped() {
        // The procedures of shared/domain/MOROCCO.md, in its order.
        let codes: Vec<String> = services().into_iter().map(|s| s.code.into_string()).collect();
        assert_eq!(
            codes,
            [
                "legalisation-signature",
                "certification-conforme",
                "extrait-acte-naissance",
                "copie-integrale-acte-naissance",
                "declaration-naissance",
                "declaration-deces",
                "autorisation-construire-petits-projets",
                "autorisation-construire-grands-projets",
                "autorisation-lotir",
                "autorisation-morcellement",
                "groupe-habitations",
                "permis-habiter",
                "certificat-conformite",
                "petits-travaux-reparation",
                "autorisation-activite-economique",
                "etablissement-classe",
                "occupation-temporaire-domaine-public",
                "ouverture-tranchees",
                "autorisation-publicite",
                "autorisation-tournage",
                "exhumation-transfert-depouille",
                "reclamation",
                "acces-information",
                "petition",
            ]
        );
    }

    #[test]
    fn refusals_give_reasons() {
        for service in services() {
            let workflow = &service.workflow;
            for action in &workflow.actions {
                let refuses = action.to == "refused"
                    || workflow.state(&action.to).is_some_and(|s| s.outcome == Some(Outcome::Rejected));
                if refuses && !action.actors.contains(&ActorRule::System) {
                    assert!(action.comment_required, "{}: {} needs a reason", service.code, action.key);
                }
            }
        }
    }

    #[test]
    fn applicants_can_withdraw_until_the_decision() {
        for service in services() {
            let workflow = &service.workflow;
            let withdraw = workflow.action("withdraw").unwrap_or_else(|| panic!("{}: withdraw", service.code));
            assert_eq!(withdraw.actors, [ActorRule::Applicant], "{}", service.code);
            assert_eq!(workflow.state(&withdraw.to).and_then(|s| s.outcome), Some(Outcome::Withdrawn));
            let start = workflow.start_state().expect("a start state");
            assert!(withdraw.from.contains(&start.key), "{}", service.code);
        }
    }

    #[test]
    fn names_of_people_are_personal() {
        // Names of organisations are not personal data.
        let organisations = ["company_name", "association_name", "trade_name"];
        for service in services() {
            for field in &service.form.fields {
                if field.key.ends_with("_name") && !organisations.contains(&field.key.as_str()) {
                    assert!(field.personal, "{}: {} is personal", service.code, field.key);
                }
            }
        }
    }

    /// The service with this code.
    fn shipped(code: &str) -> ServiceDefinition {
        services().into_iter().find(|s| s.code == code).unwrap_or_else(|| panic!("{code} is shipped"))
    }

    fn field<'a>(service: &'a ServiceDefinition, key: &str) -> &'a crate::model::form::FieldDef {
        service.form.fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("{}: field {key}", service.code))
    }

    fn option_values(field: &crate::model::form::FieldDef) -> Vec<&str> {
        match &field.kind {
            FieldKind::Choice { options } | FieldKind::MultiChoice { options } => {
                options.iter().map(|o| o.value.as_str()).collect()
            }
            other => panic!("{} is not a choice: {other:?}", field.key),
        }
    }

    fn document_codes(service: &ServiceDefinition) -> Vec<&str> {
        service.documents.iter().map(|d| d.code.as_str()).collect()
    }

    fn action<'a>(service: &'a ServiceDefinition, key: &str) -> &'a ActionDef {
        service.workflow.action(key).unwrap_or_else(|| panic!("{}: action {key}", service.code))
    }

    #[test]
    fn certified_copies_exclude_civil_status_acts() {
        let service = shipped("certification-conforme");
        assert!(service.description.get(Locale::Fr, &[]).contains("ne concerne pas les actes d'état civil"));
        assert!(service.description.get(Locale::Ar, &[]).contains("لا تشمل هذه الخدمة رسوم الحالة المدنية"));
        let kinds = option_values(field(&service, "document_kind"));
        assert!(!kinds.iter().any(|kind| kind.contains("civil")), "{kinds:?}");
    }

    #[test]
    fn the_published_documents() {
        let cases: [(&str, &[&str]); 3] = [
            ("declaration-naissance", &["birth_certificate", "parents_marriage_act"]),
            ("autorisation-activite-economique", &["lease_or_title", "photo", "layout_plan"]),
            ("exhumation-transfert-depouille", &["death_certificate", "non_contagion_certificate"]),
        ];
        for (code, expected) in cases {
            let service = shipped(code);
            assert_eq!(document_codes(&service), expected, "{code}");
            assert!(service.documents.iter().all(|d| d.mandatory), "{code}");
        }
        // The identity card number is a form field, never a copy.
        let activity = shipped("autorisation-activite-economique");
        let cin = field(&activity, "cin");
        assert_eq!(cin.kind, FieldKind::NationalId);
        assert!(cin.required && cin.personal);
        let birth = shipped("declaration-naissance");
        let born = field(&birth, "date_of_birth");
        assert_eq!(born.kind, FieldKind::Date);
        assert!(born.help.as_ref().is_some_and(|help| help.get(Locale::Fr, &[]).contains("30 jours")));
    }

    #[test]
    fn classified_establishments_go_through_a_public_inquiry() {
        let service = shipped("etablissement-classe");
        assert_eq!(option_values(field(&service, "establishment_class")), ["class_1", "class_2", "class_3"]);
        assert_eq!(service.workflow.state("public_inquiry").map(|s| s.kind), Some(StateKind::Active));
        // The only way to the president's decision is through the inquiry.
        let to_decision: Vec<&ActionDef> =
            service.workflow.actions.iter().filter(|a| a.to == "awaiting_decision").collect();
        assert_eq!(to_decision.len(), 1);
        assert_eq!(to_decision[0].from, ["public_inquiry"]);
        for key in ["grant", "refuse"] {
            assert_eq!(action(&service, key).actors, [ActorRule::Role("president".into())]);
        }
        let description = service.description.get(Locale::Fr, &[]);
        assert!(description.contains("prorogé") && description.contains("décret n° 2.22.386"));
    }

    #[test]
    fn temporary_occupation_of_the_public_domain() {
        let service = shipped("occupation-temporaire-domaine-public");
        assert_eq!(option_values(field(&service, "occupation_type")), ["terrace", "stall", "worksite", "event"]);
        assert!(service.fees.is_empty());
        assert!(service.description.get(Locale::Fr, &[]).contains("fixée par arrêté de la commune"));
    }

    #[test]
    fn access_to_information_follows_law_31_13() {
        let service = shipped("acces-information");
        let workflow = &service.workflow;
        let officer = [ActorRule::Role("information_officer".into())];
        let president = [ActorRule::Role("president".into())];

        // One extension, by a written and reasoned notice.
        let extend = action(&service, "extend");
        assert_eq!(extend.actors, officer);
        assert!(extend.comment_required);
        assert_eq!(extend.to, "extended");
        assert!(extend.from.iter().any(|s| s == "in_progress"));
        assert!(workflow.actions.iter().all(|a| a.to != "extended" || a.key.starts_with("extend")));
        assert!(!extend.from.iter().any(|s| s == "extended"), "only once");
        // It moves the decision date by 20 working days, and its reason is sent to the requester; the urgent
        // path's extension moves it by 3 days.
        let working = |days| crate::model::calendar::Deadline { days, counting: DayCounting::Working };
        assert_eq!(extend.deadline, Some(DeadlineChange::Extend(working(20))));
        assert!(extend.notify_applicant);
        let extend_urgent = action(&service, "extend_urgent");
        assert_eq!(
            (extend_urgent.from.as_slice(), extend_urgent.to.as_str()),
            ([StateKey::from("urgent")].as_slice(), "extended")
        );
        assert_eq!(extend_urgent.deadline, Some(DeadlineChange::Extend(working(3))));
        assert!(extend_urgent.notify_applicant);

        // The urgent path: a yes-or-no field, an action that only urgent requests take, a 3-day target.
        assert_eq!(field(&service, "urgent").kind, FieldKind::Boolean);
        let urgent = action(&service, "treat_as_urgent");
        assert_eq!(urgent.actors, officer);
        assert_eq!(urgent.guard, Some(Guard::Equals { field: "urgent".into(), value: serde_json::json!(true) }));
        assert_eq!(workflow.state(&urgent.to).and_then(|s| s.sla_days), Some(3));
        assert_eq!(urgent.deadline, Some(DeadlineChange::Restart(working(3))), "3 days from the request");

        // Refusals: on one of the law's grounds, each with its reasons.
        let refusals: Vec<&ActionDef> = workflow.actions.iter().filter(|a| a.to == "refused").collect();
        assert!(refusals.len() >= 3);
        for refusal in refusals {
            assert!(refusal.key.starts_with("refuse_"), "{}", refusal.key);
            assert_eq!(refusal.actors, officer);
            assert!(refusal.comment_required, "{}", refusal.key);
            assert!(refusal.notify_applicant, "the reasons reach the requester: {}", refusal.key);
        }

        // The answer, whole or partial (the refused part with its reasons), reaches the requester.
        for key in ["answer", "answer_partly"] {
            let answer = action(&service, key);
            assert_eq!((answer.to.as_str(), answer.actors.as_slice()), ("answered", officer.as_slice()), "{key}");
            assert!(answer.comment_required && answer.notify_applicant, "{key}");
        }

        // The requester's complaint to the head of the commune, within 20 working days of the answer.
        let complain = action(&service, "complain_to_head");
        assert_eq!(complain.actors, [ActorRule::Applicant]);
        assert_eq!(complain.from, ["answered", "refused"]);
        assert_eq!(complain.to, "complaint_to_head");
        let handling: Vec<&ActionDef> =
            workflow.actions.iter().filter(|a| a.from.iter().any(|s| s == "complaint_to_head")).collect();
        assert!(!handling.is_empty());
        assert!(handling.iter().all(|a| a.actors == president), "the president handles the complaint");
        for state in ["answered", "refused"] {
            assert!(
                workflow.timers.iter().any(|t| t.state == state && t.after == TimerDelay::WorkingDays(20)),
                "{state} closes once the complaint window is over"
            );
        }
    }

    #[test]
    fn the_decision_date_of_law_31_13_follows_the_communes_calendar() {
        use crate::model::workflow::{ApplyContext, apply};

        let templates = shipped_templates().expect("the shipped templates load");
        let calendar = &templates[0].content.calendar;
        let service = shipped("acces-information");
        let day = |d: &str| d.parse::<NaiveDate>().expect("a date");
        // Thursday 30 April 2026, the day before Labour Day: 4–8 May (5), 11–15 (10), 18–22 (15), 25–26 (17),
        // 27–28 May are Aïd al-Adha (as estimated), 29 (18), 1–2 June (20).
        let submitted_on = day("2026-04-30");
        let decision_due = calendar.due_date(submitted_on, service.deadline);
        assert_eq!(decision_due, day("2026-06-02"));
        let ctx = ApplyContext {
            now: "2026-05-04T09:00:00Z".parse().expect("an instant"),
            time_zone: chrono_tz::Africa::Casablanca,
            calendar,
            decision_due,
            submitted_on,
        };
        let officer = crate::model::workflow::Actor::Staff { roles: vec!["information_officer".into()] };
        let data = serde_json::json!({ "urgent": true });
        let take = |state: &str, action: &str, comment: Option<&str>, ctx: &ApplyContext| {
            apply(&service.workflow, state, action, &officer, &data, comment, ctx).expect("allowed")
        };
        let reason = Some("Les documents demandés sont archivés hors du siège.");
        // The extension: 20 more working days, 3–5 June (3), 8–12 (8), 15 (9), 16 June is 1 Muharram (as
        // estimated), 17–19 (12), 22–26 (17), 29 June–1 July (20).
        assert_eq!(take("in_progress", "extend", reason, &ctx).decision_due, day("2026-07-01"));
        // The urgent path: 3 working days from the request (Friday 1 May is off), then 3 more.
        let urgent = take("submitted", "treat_as_urgent", None, &ctx);
        assert_eq!(urgent.decision_due, day("2026-05-06"));
        let ctx = ApplyContext { decision_due: urgent.decision_due, ..ctx };
        assert_eq!(take("urgent", "extend_urgent", reason, &ctx).decision_due, day("2026-05-11"));
        // Answering does not move it.
        assert_eq!(take("extended", "answer", reason, &ctx).decision_due, day("2026-05-06"));
    }

    #[test]
    fn petitions_follow_the_organic_law() {
        let service = shipped("petition");
        let workflow = &service.workflow;
        assert_eq!(option_values(field(&service, "petitioner_type")), ["citizens", "association"]);
        assert_eq!(field(&service, "signatures_count").kind, FieldKind::Number);
        let forward = action(&service, "forward_to_president");
        assert_eq!(forward.actors, [ActorRule::Role("council_secretary".into())]);
        assert_eq!(forward.to, "awaiting_decision");
        for (state, outcome) in [("inscribed_on_agenda", Outcome::Approved), ("inadmissible", Outcome::Rejected)] {
            assert_eq!(workflow.state(state).and_then(|s| s.outcome), Some(outcome), "{state}");
            for decision in workflow.actions.iter().filter(|a| a.to == state) {
                assert_eq!(decision.actors, [ActorRule::Role("president".into())], "{state}");
            }
        }
        assert!(action(&service, "declare_inadmissible").comment_required);
        // Admissibility is decided against the commune's rules, then the council's agenda takes it.
        let admissible = action(&service, "declare_admissible");
        assert_eq!(admissible.check, Some(ActionCheck::PetitionAdmissibility));
        assert_eq!(
            (admissible.from.as_slice(), admissible.to.as_str()),
            ([StateKey::from("awaiting_decision")].as_slice(), "admissible")
        );
        assert_eq!(action(&service, "inscribe_on_agenda").from, ["admissible"]);
        let description = service.description.get(Locale::Fr, &[]);
        assert!(description.contains("ne fixe pas ici de délai de réponse"));
        assert!(description.contains("paramètres que la commune fixe"));
    }

    #[test]
    fn services_round_trip_through_serde() {
        for service in services() {
            let json = serde_json::to_string(&service).expect("serializes");
            let back: ServiceDefinition = serde_json::from_str(&json).expect("parses back");
            assert_eq!(back, service);
        }
    }
}

/// The manifest of a shipped template: its name, version and description, and either the settings of a
/// base template (`ma-commune`) or the template it extends and its overrides (`mr-commune`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Manifest {
    name: String,
    version: u32,
    description: LocalizedText,
    #[serde(default)]
    country: Option<crate::model::commune::Country>,
    #[serde(default)]
    default_locale: Option<crate::model::i18n::Locale>,
    #[serde(default)]
    locales: Option<Vec<crate::model::i18n::Locale>>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    overrides: Option<crate::model::template::ContentOverrides>,
}

const MOROCCAN_MANIFEST: &str = include_str!("../../data/ma-commune/template.json");
const MOROCCAN_CATEGORIES: &str = include_str!("../../data/ma-commune/categories.json");
const MOROCCAN_SETTINGS: &str = include_str!("../../data/ma-commune/settings.json");
const MAURITANIAN_MANIFEST: &str = include_str!("../../data/mr-commune/template.json");

/// Why a shipped template does not load.
#[derive(Debug, thiserror::Error)]
pub enum ShippedTemplateError {
    #[error("{file}: {source}")]
    Json { file: &'static str, source: serde_json::Error },
    #[error("{0}")]
    Invalid(String),
}

fn read<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, ShippedTemplateError> {
    parse_localized(text).map_err(|source| ShippedTemplateError::Json { file, source })
}

/// The templates shipped with the platform: `ma-commune` (the Moroccan standard) and `mr-commune`
/// (derived from it by overrides only).
pub fn shipped_templates() -> Result<Vec<crate::model::template::TemplateBundle>, ShippedTemplateError> {
    use crate::model::template::{IdFormats, TemplateBundle, TemplateContent, TemplateRef};

    let manifest: Manifest = read("ma-commune/template.json", MOROCCAN_MANIFEST)?;
    let missing = |what: &str| ShippedTemplateError::Invalid(format!("ma-commune/template.json: no {what}"));
    let content = TemplateContent {
        country: manifest.country.ok_or_else(|| missing("country"))?,
        default_locale: manifest.default_locale.ok_or_else(|| missing("defaultLocale"))?,
        locales: manifest.locales.ok_or_else(|| missing("locales"))?,
        currency: manifest.currency.ok_or_else(|| missing("currency"))?,
        time_zone: manifest.time_zone.ok_or_else(|| missing("timeZone"))?,
        calendar: read("ma-commune/calendar.json", MOROCCAN_CALENDAR)?,
        roles: read("ma-commune/roles.json", MOROCCAN_ROLES)?,
        categories: read("ma-commune/categories.json", MOROCCAN_CATEGORIES)?,
        services: moroccan_services()
            .map_err(|source| ShippedTemplateError::Json { file: "ma-commune/services", source })?,
        id_formats: IdFormats::default(),
        settings: read("ma-commune/settings.json", MOROCCAN_SETTINGS)?,
        translations: Default::default(),
    };
    let invalid = |e: crate::model::template::BundleError| ShippedTemplateError::Invalid(e.to_string());
    let moroccan =
        TemplateBundle::new(&manifest.name, manifest.version, manifest.description, content).map_err(invalid)?;

    let variant: Manifest = read("mr-commune/template.json", MAURITANIAN_MANIFEST)?;
    let base = variant
        .extends
        .as_deref()
        .map(TemplateRef::parse)
        .transpose()
        .map_err(|e| ShippedTemplateError::Invalid(e.to_string()))?;
    if base.as_ref() != Some(&moroccan.reference()) {
        return Err(ShippedTemplateError::Invalid(format!("mr-commune must extend {}", moroccan.reference())));
    }
    let mut overrides = variant.overrides.unwrap_or_default();
    overrides.calendar = Some(
        mauritanian_calendar()
            .map_err(|source| ShippedTemplateError::Json { file: "mr-commune/calendar.json", source })?,
    );
    let mauritanian = TemplateBundle::new(
        &variant.name,
        variant.version,
        variant.description,
        moroccan.content.clone().with_overrides(&overrides),
    )
    .map_err(invalid)?;
    Ok(vec![moroccan, mauritanian])
}

#[cfg(test)]
mod shipped_tests {
    use super::*;
    use crate::model::commune::Country;
    use crate::model::i18n::Locale;
    use crate::model::settings::SettingsSection as _;

    /// Every localized text of the shipped templates is in Arabic, French, Tamazight and English, and the
    /// citizens' texts (procedures but for staff actions, categories) in Spanish too; no translation file
    /// keeps an entry that no text uses any more.
    #[test]
    fn every_shipped_text_is_in_every_official_language() {
        use crate::model::translations::localized_texts;

        let mut missing = Vec::new();
        let mut french = std::collections::BTreeSet::new();
        for template in shipped_templates().unwrap() {
            let value = serde_json::to_value(&template).unwrap();
            for found in localized_texts(&value) {
                let citizens = (found.path.starts_with("content.services[")
                    && !found.path.contains(".workflow.actions["))
                    || found.path.starts_with("content.categories[");
                let mut required = vec![Locale::Ar, Locale::Fr, Locale::Tzm, Locale::En];
                if citizens {
                    required.push(Locale::Es);
                }
                for locale in required {
                    if !found.texts.contains_key(&locale) {
                        let fr = found.texts.get(&Locale::Fr).map(String::as_str).unwrap_or("");
                        missing.push(format!("{} {} lacks {locale}: “{fr}”", template.name, found.path));
                    }
                }
                french.extend(found.texts.get(&Locale::Fr).cloned());
            }
        }
        assert!(missing.is_empty(), "{} texts lack a translation:\n{}", missing.len(), missing.join("\n"));
        for catalog in catalogs().unwrap() {
            let stale: Vec<&str> = catalog.sources().filter(|s| !french.contains(*s)).collect();
            assert!(
                stale.is_empty(),
                "core/data/i18n/{}.json translates texts no longer used: {stale:?}",
                catalog.locale
            );
        }
    }

    /// The JSON files of the shipped templates, read from disk so that a new file is checked too.
    fn data_files() -> Vec<(String, serde_json::Value)> {
        fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    collect(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    out.push(path);
                }
            }
        }
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut paths = Vec::new();
        for template in ["ma-commune", "mr-commune"] {
            collect(&data.join(template), &mut paths);
        }
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                (path.strip_prefix(&data).unwrap().display().to_string(), value)
            })
            .collect()
    }

    #[test]
    fn every_number_of_the_data_cites_its_source_or_is_a_commune_setting() {
        use crate::model::provenance::unsourced_numbers;
        let mut unsourced = Vec::new();
        let files = data_files();
        assert!(files.len() > 24, "the procedures and the settings are read");
        for (file, value) in files {
            unsourced.extend(unsourced_numbers(&value).into_iter().map(|path| format!("{file}: {path}")));
        }
        // And the templates as shipped: the Mauritanian one is made by overrides.
        for template in shipped_templates().unwrap() {
            let content = serde_json::to_value(&template.content).unwrap();
            unsourced.extend(unsourced_numbers(&content).into_iter().map(|path| format!("{}: {path}", template.name)));
        }
        assert!(
            unsourced.is_empty(),
            "{} numbers neither cite a source nor are a commune setting (docs/TEMPLATES.md):\n{}",
            unsourced.len(),
            unsourced.join("\n")
        );
    }

    /// Every citation in `value` (a basis key holding a text or a non-empty list), with its path.
    fn citations(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        use crate::model::provenance::BASIS_KEYS;
        match value {
            serde_json::Value::Object(object) => {
                for (key, child) in object {
                    let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    let cites = BASIS_KEYS.contains(&key.as_str())
                        && match child {
                            serde_json::Value::String(text) => text != "communeSetting",
                            serde_json::Value::Array(list) => !list.is_empty(),
                            serde_json::Value::Object(_) => true,
                            _ => false,
                        };
                    if cites {
                        out.push(child_path.clone());
                    }
                    citations(child, &child_path, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    citations(item, &format!("{path}[{index}]"), out);
                }
            }
            _ => {}
        }
    }

    /// Mauritania is not Morocco: the Mauritanian template cites only Mauritania's texts (its calendar's), its
    /// other numbers are commune settings, no text a citizen or staff member reads names a Moroccan law, and its
    /// petitions carry no Moroccan signature tiers.
    #[test]
    fn the_mauritanian_template_runs_no_moroccan_rule() {
        use crate::model::template::border::names_a_legal_text;
        use crate::model::translations::localized_texts;
        use crate::modules::petitions::model::PetitionRules;

        let templates = shipped_templates().unwrap();
        let (ma, mr) = (&templates[0], &templates[1]);
        let content = serde_json::to_value(&mr.content).unwrap();
        let mut cited = Vec::new();
        citations(&content, "", &mut cited);
        assert!(!cited.is_empty());
        let foreign: Vec<&String> = cited.iter().filter(|path| !path.starts_with("calendar.")).collect();
        assert!(foreign.is_empty(), "the Mauritanian template cites texts outside its calendar: {foreign:?}");

        let named: Vec<String> = localized_texts(&content)
            .into_iter()
            .flat_map(|found| {
                found
                    .texts
                    .into_iter()
                    .filter(|(_, text)| names_a_legal_text(text))
                    .map(move |(locale, text)| format!("{} ({locale}): {text}", found.path))
            })
            .collect();
        assert!(named.is_empty(), "texts of the Mauritanian template name a law:\n{}", named.join("\n"));
        // The Moroccan texts did: the Mauritanian ones lost the citations, not the procedures.
        let moroccan = serde_json::to_value(&ma.content).unwrap();
        assert!(localized_texts(&moroccan).iter().any(|t| t.texts.values().any(|text| text.contains("31.13"))));
        let access = mr.content.services.iter().find(|s| s.code == "acces-information").unwrap();
        let fr = access.description.exact(Locale::Fr).unwrap();
        assert!(fr.starts_with("Demande d'accès à une information détenue par la commune. Réponse dans"), "{fr}");

        let petitions = PetitionRules::from_settings_or_default(&mr.content.settings).unwrap();
        assert_eq!(petitions.signature_tiers, None);
        assert_eq!(petitions.threshold(Country::Mauritania, None), None, "the commune sets it, none is shipped");
        assert_eq!(mr.content.settings["petitions"]["basis"], "communeSetting");
        assert_eq!(mr.content.settings["council"]["basis"], "communeSetting");
        let council =
            crate::modules::council::model::CouncilRules::from_settings(&mr.content.settings).unwrap().unwrap();
        assert_eq!(council.legal_reference, None);
    }

    #[test]
    fn the_procedures_speak_tamazight_in_tifinagh() {
        let services = moroccan_services().unwrap();
        assert_eq!(services.len(), 24);
        for service in &services {
            let name = service.name.exact(Locale::Tzm).unwrap_or_default();
            assert!(name.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c)), "{}: {name}", service.code);
            assert!(service.name.exact(Locale::En).is_some_and(|en| en.is_ascii()), "{}", service.code);
        }
        let signature = &services[0];
        assert_eq!(signature.name.exact(Locale::En), Some("Signature legalisation"));
        assert_eq!(signature.name.exact(Locale::Tzm), Some("ⴰⵙⵙⵏⵜⵍ ⵏ ⵓⵙⵎⴰⵍ"));
    }

    #[test]
    fn shipped_templates_load_and_are_valid() {
        let templates = shipped_templates().unwrap();
        let names: Vec<String> = templates.iter().map(|t| t.reference().to_string()).collect();
        assert_eq!(names, ["ma-commune@1", "mr-commune@1"]);
        for template in &templates {
            assert!(template.content.check().is_ok(), "{}: {:?}", template.name, template.content.check());
            let json = template.to_json_pretty().unwrap();
            assert_eq!(&crate::model::template::TemplateBundle::from_json(&json).unwrap(), template);
        }
        let mr = &templates[1].content;
        assert_eq!(mr.country, Country::Mauritania);
        assert_eq!(mr.currency, "MRU");
        assert!(mr.services.iter().all(|s| s.legal_references.is_empty() && s.fees.is_empty()));
        assert_eq!(mr.services.len(), templates[0].content.services.len(), "the same procedures");
        let ma = &templates[0].content;
        assert!(ma.services.iter().all(|s| !s.legal_references.is_empty()), "each Moroccan procedure cites its law");
    }
}
