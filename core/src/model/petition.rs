//! Petitions to the council (organic law 113.14, arts 121–125): the commune's admissibility rules (template
//! settings), the check of a petition against them, and who may sign while it is open.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::{Locale, LocalizedText};

/// The settings key of the rules.
pub const SETTINGS_KEY: &str = "petitions";

/// The states in which a petition collects signatures: until the president decides on its admissibility.
pub const SIGNING_STATES: &[&str] = &["submitted", "admissibility_check", "awaiting_decision"];

/// The state of an admissible petition, waiting for a council agenda.
pub const ADMISSIBLE_STATE: &str = "admissible";

/// The action that inscribes an admissible petition on the council's agenda.
pub const INSCRIBE_ACTION: &str = "inscribe_on_agenda";

/// The commune's admissibility rules (`settings.petitions` of its template).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PetitionRules {
    /// The signatures a petition by citizens needs; none set means no petition by citizens is admissible.
    #[serde(default)]
    pub signature_threshold: Option<u32>,
    /// How many years an association must have existed.
    #[serde(default)]
    pub association_minimum_years: u32,
    #[serde(default)]
    pub association_must_be_in_good_standing: bool,
    #[serde(default)]
    pub association_must_be_seated_in_territory: bool,
}

impl PetitionRules {
    /// The rules in a commune's settings (defaults when it has none; unknown keys are ignored).
    pub fn from_settings(settings: &BTreeMap<String, Value>) -> Result<Self, serde_json::Error> {
        match settings.get(SETTINGS_KEY) {
            Some(value) => serde_json::from_value(value.clone()),
            None => Ok(Self::default()),
        }
    }

    /// Checks a petition (its form data, the verified signatures collected) against the rules, on `today`
    /// (the commune's local date). Every rule that does not hold is reported, with code `RULE_NOT_MET` and a
    /// path: `signatures`, `data.association_founded_on`, `data.association_seated_in_commune`,
    /// `data.association_in_good_standing`, `data.petitioner_type`.
    pub fn check(&self, data: &Value, signatures: u64, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match data.get("petitioner_type").and_then(Value::as_str) {
            Some("citizens") => match self.signature_threshold {
                Some(threshold) if signatures >= u64::from(threshold) => {}
                Some(threshold) => errors.push(not_met(
                    "signatures",
                    format!("العريضة تتوفر على {signatures} توقيعا متحققا منه، والعدد المطلوب هو {threshold}."),
                    format!("La pétition compte {signatures} signatures vérifiées ; il en faut {threshold}."),
                    format!("The petition has {signatures} verified signatures; {threshold} are required."),
                )),
                None => errors.push(not_met(
                    "signatures",
                    "لم تحدد الجماعة بعد عدد التوقيعات المطلوب.".to_owned(),
                    "La commune n'a pas encore fixé le nombre de signatures requis.".to_owned(),
                    "The commune has not set the number of signatures required yet.".to_owned(),
                )),
            },
            Some("association") => self.check_association(data, today, &mut errors),
            _ => errors.push(not_met(
                "data.petitioner_type",
                "يجب أن تقدم العريضة من طرف مواطنين أو جمعية.".to_owned(),
                "La pétition doit être présentée par des citoyens ou par une association.".to_owned(),
                "The petition must come from citizens or from an association.".to_owned(),
            )),
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn check_association(&self, data: &Value, today: NaiveDate, errors: &mut Vec<FieldError>) {
        let years = self.association_minimum_years;
        let founded = data.get("association_founded_on").and_then(Value::as_str).and_then(|d| d.parse().ok());
        let old_enough = founded.is_some_and(|founded: NaiveDate| {
            founded.checked_add_months(Months::new(years.saturating_mul(12))).is_some_and(|since| since <= today)
        });
        if years > 0 && !old_enough {
            errors.push(not_met(
                "data.association_founded_on",
                format!("يجب أن تكون الجمعية مؤسسة منذ {years} سنوات على الأقل."),
                format!("L'association doit être constituée depuis au moins {years} ans."),
                format!("The association must have been constituted at least {years} years ago."),
            ));
        }
        let declared = |key: &str| data.get(key).and_then(Value::as_bool) == Some(true);
        if self.association_must_be_seated_in_territory && !declared("association_seated_in_commune") {
            errors.push(not_met(
                "data.association_seated_in_commune",
                "يجب أن يوجد مقر الجمعية بتراب الجماعة.".to_owned(),
                "Le siège de l'association doit se trouver sur le territoire de la commune.".to_owned(),
                "The association must be seated in the commune's territory.".to_owned(),
            ));
        }
        if self.association_must_be_in_good_standing && !declared("association_in_good_standing") {
            errors.push(not_met(
                "data.association_in_good_standing",
                "يجب أن تكون الجمعية في وضعية سليمة إزاء القوانين والأنظمة.".to_owned(),
                "L'association doit être en situation régulière au regard des lois et règlements.".to_owned(),
                "The association must be in good standing with the laws and regulations.".to_owned(),
            ));
        }
    }
}

fn not_met(path: &str, ar: String, fr: String, en: String) -> FieldError {
    FieldError::new(path, FieldErrorCode::RuleNotMet, LocalizedText::ar_fr(ar, fr).with(Locale::En, en))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rules() -> PetitionRules {
        let settings: BTreeMap<String, Value> =
            serde_json::from_str(include_str!("../../data/ma-commune/settings.json")).unwrap();
        PetitionRules::from_settings(&settings).unwrap()
    }

    fn day(date: &str) -> NaiveDate {
        date.parse().unwrap()
    }

    fn paths(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        let errors = result.err().unwrap_or_default();
        assert!(errors.iter().all(|e| e.code == FieldErrorCode::RuleNotMet));
        errors.into_iter().map(|e| e.path).collect()
    }

    #[test]
    fn the_standard_sets_the_rules_of_the_organic_law() {
        let rules = rules();
        assert_eq!(rules.signature_threshold, Some(300));
        assert_eq!(rules.association_minimum_years, 3);
        assert!(rules.association_must_be_in_good_standing && rules.association_must_be_seated_in_territory);
        assert_eq!(PetitionRules::from_settings(&BTreeMap::new()).unwrap(), PetitionRules::default());
    }

    #[test]
    fn a_petition_by_citizens_needs_the_threshold_of_verified_signatures() {
        let rules = rules();
        let citizens = json!({ "petitioner_type": "citizens", "signatures_count": 5000 });
        let today = day("2026-05-04");
        assert_eq!(paths(rules.check(&citizens, 299, today)), ["signatures"]);
        assert_eq!(paths(rules.check(&citizens, 300, today)), Vec::<String>::new());
        let unset = PetitionRules { signature_threshold: None, ..rules.clone() };
        assert_eq!(paths(unset.check(&citizens, 100_000, today)), ["signatures"]);
        assert_eq!(paths(rules.check(&json!({}), 1000, today)), ["data.petitioner_type"]);
    }

    #[test]
    fn an_association_must_be_old_enough_seated_here_and_in_good_standing() {
        let rules = rules();
        let association = |founded: &str, seated: bool, standing: bool| {
            json!({
                "petitioner_type": "association",
                "association_founded_on": founded,
                "association_seated_in_commune": seated,
                "association_in_good_standing": standing,
            })
        };
        let today = day("2026-05-04");
        let cases: [(Value, &[&str]); 5] = [
            (association("2023-05-04", true, true), &[]),
            (association("2023-05-05", true, true), &["data.association_founded_on"]),
            (association("2020-01-01", false, true), &["data.association_seated_in_commune"]),
            (association("2020-01-01", true, false), &["data.association_in_good_standing"]),
            (
                json!({ "petitioner_type": "association" }),
                &[
                    "data.association_founded_on",
                    "data.association_seated_in_commune",
                    "data.association_in_good_standing",
                ],
            ),
        ];
        for (data, expected) in cases {
            assert_eq!(paths(rules.check(&data, 0, today)), expected, "{data}");
        }
    }
}
