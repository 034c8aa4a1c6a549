//! Petitions to the council (organic law 113.14, arts 121–125): the commune's admissibility rules (template
//! settings), the check of a petition against them, and who may sign while it is open.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldError, FieldErrorCode};
use crate::model::commune::Country;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::RequestId;

/// The code of the petition procedure in the commune standard.
pub const PETITION_SERVICE: &str = "petition";

/// A petition as anyone may see it: what it asks and how many signed, never who.
#[derive(Clone, Debug, PartialEq)]
pub struct PetitionView {
    pub id: RequestId,
    pub subject: String,
    pub text: String,
    /// `citizens` or `association`.
    pub petitioner_type: String,
    pub association_name: Option<String>,
    pub state: String,
    pub state_label: LocalizedText,
    pub signatures: u64,
    /// The signatures a petition by citizens needs (the law's tier for the commune's population, or the
    /// commune's lower setting), and where that number comes from; none when neither is set.
    pub signature_threshold: Option<Threshold>,
    /// Whether the petition collects signatures now.
    pub open_for_signatures: bool,
    pub submitted_at: DateTime<Utc>,
}

/// The settings key of the rules.
pub const SETTINGS_KEY: &str = "petitions";

/// The states in which a petition collects signatures: until the president decides on its admissibility.
pub const SIGNING_STATES: &[&str] = &["submitted", "admissibility_check", "awaiting_decision"];

/// The state of an admissible petition, waiting for a council agenda.
pub const ADMISSIBLE_STATE: &str = "admissible";

/// The action that inscribes an admissible petition on the council's agenda.
pub const INSCRIBE_ACTION: &str = "inscribe_on_agenda";

/// The signatures the law asks of a petition by citizens, by the commune's population (organic law 113.14,
/// art. 123: 100 signatures in a commune of fewer than 35,000 inhabitants, 200 in the others, 400 in a
/// commune with arrondissements), as the standard's data states them with their source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignatureTiers {
    /// The country whose law this is; a commune of another country gets no threshold from it.
    pub country: Country,
    /// The law and article the figures come from.
    pub legal_reference: String,
    /// In order: the first tier whose `populationBelow` the commune's population is under applies; the last
    /// has no bound.
    pub tiers: Vec<SignatureTier>,
    /// The signatures in a commune with arrondissements, whatever its population.
    pub with_arrondissements: u32,
}

/// One tier of [`SignatureTiers`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignatureTier {
    #[serde(default)]
    pub population_below: Option<u64>,
    pub signatures: u32,
}

/// Where a commune's signature threshold comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThresholdSource {
    /// The law's tier for the commune's population; the reference names the law and article.
    Law { reference: String },
    /// The commune's own setting (lower than the law's, or where no law of its country is in the data).
    CommuneSetting,
}

/// The signatures a petition by citizens needs in a commune, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Threshold {
    pub signatures: u32,
    pub source: ThresholdSource,
}

/// The commune's admissibility rules (`settings.petitions` of its template).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PetitionRules {
    /// The law's thresholds by population (the standard's data, with their source).
    #[serde(default)]
    pub signature_tiers: Option<SignatureTiers>,
    /// A commune setting: whether the commune has arrondissements (Casablanca, Fès, Marrakech, Rabat, Salé,
    /// Tanger), which sets the law's threshold whatever its population.
    #[serde(default)]
    pub has_arrondissements: bool,
    /// A commune setting: a threshold of the commune's own. Lower than the law's, it applies; higher, the
    /// law's applies (a commune may ask fewer signatures than the law, never more). Without a law of the
    /// commune's country in the data, it is the threshold; with neither, no petition by citizens is
    /// admissible.
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

/// The rules in a commune's settings (defaults when it has none; unknown keys are ignored).
impl crate::model::settings::SettingsSection for PetitionRules {
    const KEY: &'static str = SETTINGS_KEY;

    fn check(&self) -> Result<(), String> {
        self.check_rules()
    }
}

impl PetitionRules {
    /// The law's threshold for a commune of `country` and `population`: the tier of its population (the
    /// highest tier when the population is unknown), or the arrondissements' figure.
    pub fn legal_threshold(&self, country: Country, population: Option<u64>) -> Option<(u32, &str)> {
        let law = self.signature_tiers.as_ref().filter(|law| law.country == country)?;
        let signatures = if self.has_arrondissements {
            law.with_arrondissements
        } else {
            let fits = |tier: &&SignatureTier| match (tier.population_below, population) {
                (None, _) => true,
                (Some(bound), Some(population)) => population < bound,
                (Some(_), None) => false,
            };
            law.tiers.iter().find(fits).or(law.tiers.last())?.signatures
        };
        Some((signatures, law.legal_reference.as_str()))
    }

    /// The signatures a petition by citizens needs in a commune of `country` and `population`: the law's, or
    /// the commune's own when lower (or when no law of its country is in the data); none when neither is set.
    pub fn threshold(&self, country: Country, population: Option<u64>) -> Option<Threshold> {
        let law = self.legal_threshold(country, population);
        match (law, self.signature_threshold) {
            (Some((legal, _)), Some(own)) if own < legal => {
                Some(Threshold { signatures: own, source: ThresholdSource::CommuneSetting })
            }
            (Some((legal, reference)), _) => {
                Some(Threshold { signatures: legal, source: ThresholdSource::Law { reference: reference.to_owned() } })
            }
            (None, Some(own)) => Some(Threshold { signatures: own, source: ThresholdSource::CommuneSetting }),
            (None, None) => None,
        }
    }

    /// Checks the rules themselves: the law's tiers are ordered, bounded but the last, and not empty.
    pub fn check_rules(&self) -> Result<(), String> {
        let Some(law) = &self.signature_tiers else { return Ok(()) };
        if law.legal_reference.trim().is_empty() {
            return Err("petitions.signatureTiers: no legalReference".into());
        }
        let bounds: Vec<Option<u64>> = law.tiers.iter().map(|t| t.population_below).collect();
        match bounds.split_last() {
            Some((None, rest)) if rest.iter().all(Option::is_some) && rest.windows(2).all(|w| w[0] < w[1]) => Ok(()),
            _ => Err("petitions.signatureTiers.tiers: bounds must grow, and only the last tier has none".into()),
        }
    }

    /// Checks a petition (its form data, the verified signatures collected) against the rules, on `today`
    /// (the commune's local date), in a commune of `country` and `population`. Every rule that does not hold
    /// is reported, with code `RULE_NOT_MET` and a path: `signatures`, `data.association_founded_on`,
    /// `data.association_seated_in_commune`, `data.association_in_good_standing`, `data.petitioner_type`.
    pub fn check(
        &self,
        data: &Value,
        signatures: u64,
        today: NaiveDate,
        country: Country,
        population: Option<u64>,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match data.get("petitioner_type").and_then(Value::as_str) {
            Some("citizens") => match self.threshold(country, population).map(|t| t.signatures) {
                Some(threshold) if signatures >= u64::from(threshold) => {}
                Some(threshold) => errors.push(not_met(
                    "signatures",
                    format!("العريضة تتوفر على {signatures} توقيعا متحققا منه، والعدد المطلوب هو {threshold}."),
                    format!("La pétition compte {signatures} signatures vérifiées ; il en faut {threshold}."),
                    format!("The petition has {signatures} verified signatures; {threshold} are required."),
                    format!("ⵖⵓⵔ ⵜⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ {signatures} ⵏ ⵉⵙⵎⴰⵍⵏ ⵉⵜⵜⵓⵙⵏⵇⴷⵏ; ⵉⵍⴰⵇ {threshold}."),
                )),
                None => errors.push(not_met(
                    "signatures",
                    "لم تحدد الجماعة بعد عدد التوقيعات المطلوب.".to_owned(),
                    "La commune n'a pas encore fixé le nombre de signatures requis.".to_owned(),
                    "The commune has not set the number of signatures required yet.".to_owned(),
                    "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵎⴰⵛⴰ ⴰⵎⴹⴰⵏ ⵏ ⵉⵙⵎⴰⵍⵏ ⵉⵍⴰⵇⵏ.".to_owned(),
                )),
            },
            Some("association") => self.check_association(data, today, &mut errors),
            _ => errors.push(not_met(
                "data.petitioner_type",
                "يجب أن تقدم العريضة من طرف مواطنين أو جمعية.".to_owned(),
                "La pétition doit être présentée par des citoyens ou par une association.".to_owned(),
                "The petition must come from citizens or from an association.".to_owned(),
                "ⵜⴰⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ ⵉⵍⴰⵇ ⴰⴷ ⵜⵜ ⵙⵙⵓⴼⵖⵏ ⵉⵖⵔⴼⴰⵏⵏ ⵏⵖ ⵜⴰⵎⵙⵎⵓⵏⵜ ⵜⴰⵏⴰⵎⵓⵙⵜ.".to_owned(),
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
                format!("ⵜⴰⵎⵙⵙⵓⵜⵜⵔⵜ ⵉⵍⴰⵇ ⴰⴷ ⵜⵉⵍⵉ ⵙⴳ {years} ⵏ ⵉⵙⴳⴳⵯⴰⵙⵏ ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ."),
            ));
        }
        let declared = |key: &str| data.get(key).and_then(Value::as_bool) == Some(true);
        if self.association_must_be_seated_in_territory && !declared("association_seated_in_commune") {
            errors.push(not_met(
                "data.association_seated_in_commune",
                "يجب أن يوجد مقر الجمعية بتراب الجماعة.".to_owned(),
                "Le siège de l'association doit se trouver sur le territoire de la commune.".to_owned(),
                "The association must be seated in the commune's territory.".to_owned(),
                "ⴰⵙⵡⵓⵔ ⵏ ⵜⵎⵙⵙⵓⵜⵜⵔⵜ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴳ ⵓⴽⴰⵍ ⵏ ⵜⵎⵙⵎⵓⵏⵜ.".to_owned(),
            ));
        }
        if self.association_must_be_in_good_standing && !declared("association_in_good_standing") {
            errors.push(not_met(
                "data.association_in_good_standing",
                "يجب أن تكون الجمعية في وضعية سليمة إزاء القوانين والأنظمة.".to_owned(),
                "L'association doit être en situation régulière au regard des lois et règlements.".to_owned(),
                "The association must be in good standing with the laws and regulations.".to_owned(),
                "ⵜⴰⵎⵙⵙⵓⵜⵜⵔⵜ ⵉⵍⴰⵇ ⴰⴷ ⵜⵉⵍⵉ ⴳ ⵓⴷⴷⴰⴷ ⵉⵚⵃⴰⵏ ⵖⴼ ⵉⵏⴰⴹⵏ ⴷ ⵉⵍⴳⴰⵎⵏ.".to_owned(),
            ));
        }
    }
}

fn not_met(path: &str, ar: String, fr: String, en: String, tzm: String) -> FieldError {
    let message = LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm);
    FieldError::new(path, FieldErrorCode::RuleNotMet, message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use std::collections::BTreeMap;

    use super::*;
    use crate::model::settings::SettingsSection as _;

    fn rules() -> PetitionRules {
        let settings: BTreeMap<String, Value> =
            serde_json::from_str(include_str!("../../../data/ma-commune/settings.json")).unwrap();
        PetitionRules::from_settings_or_default(&settings).unwrap()
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
        assert_eq!(rules.signature_threshold, None, "a commune setting, unset in the standard");
        let law = rules.signature_tiers.as_ref().unwrap();
        assert!(law.legal_reference.contains("113.14") && law.legal_reference.contains("123"));
        assert_eq!(rules.check_rules(), Ok(()));
        assert_eq!(rules.association_minimum_years, 3);
        assert!(rules.association_must_be_in_good_standing && rules.association_must_be_seated_in_territory);
        assert_eq!(PetitionRules::from_settings_or_default(&BTreeMap::new()).unwrap(), PetitionRules::default());
    }

    #[test]
    fn a_petition_by_citizens_needs_the_threshold_of_verified_signatures() {
        let rules = rules();
        let citizens = json!({ "petitioner_type": "citizens", "signatures_count": 5000 });
        let today = day("2026-05-04");
        let (ma, oujda) = (Country::Morocco, Some(506_224));
        assert_eq!(paths(rules.check(&citizens, 199, today, ma, oujda)), ["signatures"]);
        assert_eq!(paths(rules.check(&citizens, 200, today, ma, oujda)), Vec::<String>::new());
        let unset = PetitionRules { signature_tiers: None, signature_threshold: None, ..rules.clone() };
        assert_eq!(paths(unset.check(&citizens, 100_000, today, ma, oujda)), ["signatures"]);
        assert_eq!(paths(rules.check(&json!({}), 1000, today, ma, oujda)), ["data.petitioner_type"]);
    }

    #[test]
    fn the_threshold_follows_the_population_by_the_law_s_tiers() {
        let rules = rules();
        let ma = Country::Morocco;
        let signatures = |rules: &PetitionRules, population| rules.threshold(ma, population).map(|t| t.signatures);
        // Chefchaouen (46,168 inhabitants in 2024) and Oujda (506,224): 200; a commune under 35,000: 100.
        assert_eq!(signatures(&rules, Some(46_168)), Some(200));
        assert_eq!(signatures(&rules, Some(506_224)), Some(200));
        assert_eq!(signatures(&rules, Some(34_999)), Some(100));
        assert_eq!(signatures(&rules, Some(35_000)), Some(200));
        assert_eq!(signatures(&rules, None), Some(200), "unknown population: the highest tier");
        let arrondissements = PetitionRules { has_arrondissements: true, ..rules.clone() };
        assert_eq!(signatures(&arrondissements, Some(3_218_000)), Some(400));
        let source = rules.threshold(ma, Some(46_168)).unwrap().source;
        assert!(matches!(source, ThresholdSource::Law { reference } if reference.contains("art. 123")));

        // A commune may ask fewer signatures than the law, never more.
        let lower = PetitionRules { signature_threshold: Some(150), ..rules.clone() };
        let threshold = lower.threshold(ma, Some(506_224)).unwrap();
        assert_eq!((threshold.signatures, threshold.source), (150, ThresholdSource::CommuneSetting));
        let higher = PetitionRules { signature_threshold: Some(300), ..rules.clone() };
        assert_eq!(signatures(&higher, Some(506_224)), Some(200));
        assert_eq!(signatures(&higher, Some(20_000)), Some(100));

        // Morocco's law is not Mauritania's: there the commune's own setting is the threshold, said as such.
        assert_eq!(rules.threshold(Country::Mauritania, Some(60_000)), None);
        let threshold = higher.threshold(Country::Mauritania, Some(60_000)).unwrap();
        assert_eq!((threshold.signatures, threshold.source), (300, ThresholdSource::CommuneSetting));
    }

    #[test]
    fn tiers_must_be_ordered() {
        let mut rules = rules();
        if let Some(law) = rules.signature_tiers.as_mut() {
            law.tiers.reverse();
        }
        assert!(rules.check_rules().is_err());
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
            assert_eq!(paths(rules.check(&data, 0, today, Country::Morocco, None)), expected, "{data}");
        }
    }
}
