//! The translations of the shipped standard into the languages its JSON files do not carry inline: one file
//! per language in `core/data/i18n/` (`en.json`, `es.json`, `tzm.json`), each keyed by the French text it
//! translates. When the standard is loaded, every localized text of its files (`{"ar": …, "fr": …}`) gets the
//! missing languages from these files; a text written inline wins. Each file keeps apart the entries a fluent
//! reader has checked (`reviewed`) and the machine translations still awaiting review (`awaitingReview`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::i18n::Locale;

/// The translation files, compiled into the crate.
const SHIPPED: &[(&str, &str)] = &[
    ("i18n/en.json", include_str!("../../data/i18n/en.json")),
    ("i18n/es.json", include_str!("../../data/i18n/es.json")),
    ("i18n/tzm.json", include_str!("../../data/i18n/tzm.json")),
];

/// Whether a fluent reader has checked a translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    Reviewed,
    /// A machine translation, awaiting review.
    Awaiting,
}

/// The translations of the standard's texts into one language.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalog {
    pub locale: Locale,
    #[serde(default)]
    pub about: String,
    /// French text → translation, checked by a fluent reader.
    #[serde(default)]
    pub reviewed: BTreeMap<String, String>,
    /// French text → machine translation, awaiting review.
    #[serde(default)]
    pub awaiting_review: BTreeMap<String, String>,
}

impl Catalog {
    /// The translation of a French text, and whether it was reviewed.
    pub fn get(&self, french: &str) -> Option<(&str, Review)> {
        self.reviewed
            .get(french)
            .map(|t| (t.as_str(), Review::Reviewed))
            .or_else(|| self.awaiting_review.get(french).map(|t| (t.as_str(), Review::Awaiting)))
            .filter(|(t, _)| !t.trim().is_empty())
    }

    /// Every French text this catalog translates.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.reviewed.keys().chain(self.awaiting_review.keys()).map(String::as_str)
    }
}

/// A translation file does not parse, or names its language twice.
#[derive(Debug, thiserror::Error)]
#[error("core/data/{file}: {message}")]
pub struct CatalogError {
    pub file: &'static str,
    pub message: String,
}

/// The shipped translation files.
pub fn shipped_catalogs() -> Result<Vec<Catalog>, CatalogError> {
    let mut catalogs: Vec<Catalog> = Vec::with_capacity(SHIPPED.len());
    for (file, text) in SHIPPED {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError { file, message: e.to_string() })?;
        if catalogs.iter().any(|c| c.locale == catalog.locale) {
            return Err(CatalogError { file, message: format!("a second file for {}", catalog.locale) });
        }
        if let Some(both) = catalog.reviewed.keys().find(|k| catalog.awaiting_review.contains_key(*k)) {
            return Err(CatalogError { file, message: format!("“{both}” is both reviewed and awaiting review") });
        }
        catalogs.push(catalog);
    }
    Ok(catalogs)
}

/// Whether a JSON object is a localized text: a non-empty object whose keys are all locales and whose values
/// are all strings.
pub(crate) fn is_localized_text(object: &serde_json::Map<String, serde_json::Value>) -> bool {
    !object.is_empty()
        && object.iter().all(|(key, value)| key.parse::<Locale>().is_ok_and(|l| l.as_str() == key) && value.is_string())
}

/// Fills in, in every localized text of `value` that has French, the languages it lacks from `catalogs`.
/// Texts written inline are kept.
pub fn fill(value: &mut serde_json::Value, catalogs: &[Catalog]) {
    match value {
        serde_json::Value::Object(object) if is_localized_text(object) => {
            let Some(french) = object.get("fr").and_then(|v| v.as_str()).map(str::to_owned) else { return };
            for catalog in catalogs {
                let key = catalog.locale.as_str();
                let present = object.get(key).and_then(|v| v.as_str()).is_some_and(|s| !s.trim().is_empty());
                if !present && let Some((text, _)) = catalog.get(&french) {
                    object.insert(key.to_owned(), serde_json::Value::String(text.to_owned()));
                }
            }
        }
        serde_json::Value::Object(object) => object.values_mut().for_each(|v| fill(v, catalogs)),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| fill(v, catalogs)),
        _ => {}
    }
}

/// A localized text found in a JSON tree: where it is, and its texts by locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundText {
    /// A JSON path like `services[3].form.fields[0].label`.
    pub path: String,
    pub texts: BTreeMap<Locale, String>,
}

/// Every localized text of a JSON tree, with its path.
pub fn localized_texts(value: &serde_json::Value) -> Vec<FoundText> {
    fn walk(value: &serde_json::Value, path: &str, found: &mut Vec<FoundText>) {
        match value {
            serde_json::Value::Object(object) if is_localized_text(object) => {
                let texts = object
                    .iter()
                    .filter_map(|(k, v)| Some((k.parse::<Locale>().ok()?, v.as_str()?.to_owned())))
                    .filter(|(_, text)| !text.trim().is_empty())
                    .collect();
                found.push(FoundText { path: path.to_owned(), texts });
            }
            serde_json::Value::Object(object) => {
                for (key, child) in object {
                    let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    walk(child, &child_path, found);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}[{index}]"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, "", &mut found);
    found
}

/// An entry of a translation file awaiting review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTranslation {
    pub locale: Locale,
    pub source: String,
    pub text: String,
}

/// The shipped translations awaiting review, in one language or all: the translation files' entries, then the
/// Tamazight of the form messages (`form::messages`, machine translations written in the code), each with a
/// sample of its parameters.
pub fn awaiting_review(locale: Option<Locale>) -> Result<Vec<PendingTranslation>, CatalogError> {
    let mut pending: Vec<PendingTranslation> = shipped_catalogs()?
        .into_iter()
        .filter(|c| locale.is_none_or(|l| l == c.locale))
        .flat_map(|c| {
            let locale = c.locale;
            c.awaiting_review.into_iter().map(move |(source, text)| PendingTranslation { locale, source, text })
        })
        .collect();
    if locale.is_none_or(|l| l == Locale::Tzm) {
        pending.extend(crate::model::form::messages::samples().into_iter().filter_map(|message| {
            Some(PendingTranslation {
                locale: Locale::Tzm,
                source: message.exact(Locale::Fr)?.to_owned(),
                text: message.exact(Locale::Tzm)?.to_owned(),
            })
        }));
    }
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(locale: Locale, entries: &[(&str, &str)]) -> Catalog {
        Catalog {
            locale,
            about: String::new(),
            reviewed: BTreeMap::new(),
            awaiting_review: entries.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn fills_missing_languages_and_keeps_inline_texts() {
        let catalogs =
            [catalog(Locale::Tzm, &[("Pétition", "ⵜⴰⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ")]), catalog(Locale::En, &[("Pétition", "Petition")])];
        let mut value = serde_json::json!({
            "name": {"ar": "عريضة", "fr": "Pétition", "en": "A petition"},
            "list": [{"label": {"ar": "x", "fr": "Inconnu"}}],
            "code": "petition",
            "fr": "not a text"
        });
        fill(&mut value, &catalogs);
        assert_eq!(value["name"]["tzm"], "ⵜⴰⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ");
        assert_eq!(value["name"]["en"], "A petition", "the inline text wins");
        assert!(value["list"][0]["label"].get("tzm").is_none(), "no translation, nothing invented");
        let found = localized_texts(&value);
        let paths: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["list[0].label", "name"]);
    }

    #[test]
    fn the_shipped_catalogs_load_and_translate_into_their_language() {
        let catalogs = shipped_catalogs().unwrap();
        let locales: Vec<Locale> = catalogs.iter().map(|c| c.locale).collect();
        assert_eq!(locales, [Locale::En, Locale::Es, Locale::Tzm]);
        let tifinagh = |s: &str| s.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c));
        let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        for catalog in &catalogs {
            for source in catalog.sources() {
                let (text, _) = catalog.get(source).unwrap();
                assert!(!arabic(text), "{}: “{source}” has Arabic letters", catalog.locale);
                assert_eq!(catalog.locale == Locale::Tzm, tifinagh(text), "{}: “{source}” → “{text}”", catalog.locale);
            }
        }
        let pending = awaiting_review(Some(Locale::Tzm)).unwrap();
        assert!(pending.iter().any(|p| p.source == "Ce champ est obligatoire."), "form messages await review too");
        assert!(awaiting_review(Some(Locale::Ar)).unwrap().is_empty());
    }
}
