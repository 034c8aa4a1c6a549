//! Proactive publication (law 31.13, art. 10): the list of documents a commune must publish of its own accord
//! (template settings), and the check of where an item is said to be published.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::{Locale, LocalizedText};

/// The settings key of the list.
pub const SETTINGS_KEY: &str = "proactivePublication";

/// The longest location accepted, in characters.
pub const MAX_LOCATION_CHARS: usize = 500;

/// The commune's list (`settings.proactivePublication` of its template).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicationList {
    #[serde(default)]
    pub legal_reference: Option<String>,
    #[serde(default)]
    pub items: Vec<PublicationItem>,
}

/// A kind of document to publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationItem {
    pub key: String,
    pub label: LocalizedText,
}

/// The list in a commune's settings (empty when it has none).
impl crate::model::settings::SettingsSection for PublicationList {
    const KEY: &'static str = SETTINGS_KEY;

    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

impl PublicationList {
    pub fn item(&self, key: &str) -> Option<&PublicationItem> {
        self.items.iter().find(|item| item.key == key)
    }
}

/// Checks where an item is said to be published (an address or a place): trimmed, not empty, at most
/// [`MAX_LOCATION_CHARS`] characters. Returns the trimmed location, or the failure at `location`.
pub fn check_location(location: &str) -> Result<String, FieldError> {
    let trimmed = location.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(
            "location",
            FieldErrorCode::Required,
            LocalizedText::ar_fr(
                "حدد مكان النشر (عنوان إلكتروني أو سبورة الإعلانات).",
                "Indiquez où l'information est publiée (adresse web ou tableau d'affichage).",
            )
            .with(Locale::En, "Say where the item is published (a web address or the notice board).")
            .with(Locale::Tzm, "ⵎⵍ ⵎⴰⵏⵉ ⴳ ⵉⵜⵜⵓⵙⵙⵓⴼⵖ ⵓⵙⵉⵎⵍ (ⵜⴰⵏⵙⴰ ⵏ ⵓⵥⵟⵟⴰ ⵏⵖ ⵜⴰⴼⵍⵡⵉⵜ ⵏ ⵉⵍⵖⵓⵜⵏ)."),
        ));
    }
    if trimmed.chars().count() > MAX_LOCATION_CHARS {
        return Err(FieldError::new(
            "location",
            FieldErrorCode::TooLong,
            LocalizedText::ar_fr(
                format!("مكان النشر لا يتجاوز {MAX_LOCATION_CHARS} حرفا."),
                format!("Le lieu de publication ne dépasse pas {MAX_LOCATION_CHARS} caractères."),
            )
            .with(Locale::En, format!("The location is at most {MAX_LOCATION_CHARS} characters."))
            .with(Locale::Tzm, format!("ⴰⴷⵖⴰⵔ ⵏ ⵓⵙⵙⵓⴼⵖ ⵓⵔ ⵉⵣⵔⵉ {MAX_LOCATION_CHARS} ⵏ ⵉⵙⴽⴽⵉⵍⵏ.")),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::*;
    use crate::model::settings::SettingsSection as _;

    #[test]
    fn the_standard_lists_what_law_31_13_asks_to_publish() {
        let settings: BTreeMap<String, Value> =
            serde_json::from_str(include_str!("../../data/ma-commune/settings.json")).unwrap();
        let list = PublicationList::from_settings_or_default(&settings).unwrap();
        assert!(list.items.len() >= 8);
        for key in ["budget", "council_deliberations", "services_and_procedures", "information_officer_contact"] {
            let item = list.item(key).unwrap();
            assert!(!item.label.get(Locale::Ar, &[]).is_empty() && !item.label.get(Locale::Fr, &[]).is_empty());
        }
        assert!(list.legal_reference.unwrap().contains("31.13"));
    }

    #[test]
    fn a_location_is_trimmed_and_bounded() {
        assert_eq!(check_location("  https://oujda.ma/budget  ").unwrap(), "https://oujda.ma/budget");
        assert_eq!(check_location(" \n").unwrap_err().code, FieldErrorCode::Required);
        assert_eq!(check_location(&"x".repeat(MAX_LOCATION_CHARS + 1)).unwrap_err().code, FieldErrorCode::TooLong);
        assert_eq!(check_location(&"x".repeat(MAX_LOCATION_CHARS)).unwrap().len(), MAX_LOCATION_CHARS);
    }
}
