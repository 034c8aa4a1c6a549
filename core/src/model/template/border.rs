//! What a template leaves behind when it crosses a border (`dropLegalReferences`): the other country's laws
//! are neither cited nor named, and the numbers they set become the commune's settings.

use serde_json::Value;

/// Whether `text` names a legal text by its number: digits joined by dots or hyphens, as laws and decrees
/// are numbered in the standard's texts ("loi n° 31.13", "décret n° 2-17-265", "القانون رقم 36.21").
pub fn names_a_legal_text(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).any(|w| w[0].is_ascii_digit() && matches!(w[1], '.' | '-') && w[2].is_ascii_digit())
}

/// `text` without what names a legal text: a parenthesis that does ("(loi n° 31.13)") goes, and so does a
/// sentence that still does. What is left of the text is kept as written; a text that would be left empty is
/// returned whole (its owner decides).
pub fn without_law_citations(text: &str) -> String {
    if !names_a_legal_text(text) {
        return text.to_owned();
    }
    let stripped = sentences(&without_citing_parentheses(text))
        .into_iter()
        .filter(|sentence| !names_a_legal_text(sentence))
        .collect::<Vec<_>>()
        .join(" ");
    if stripped.trim().is_empty() { text.to_owned() } else { stripped }
}

/// Applies [`without_law_citations`] to every localized text (`{"ar": "…", "fr": "…"}`) inside `value`.
pub fn strip_law_citations(value: &mut Value) {
    match value {
        Value::Object(object) if crate::model::translations::is_localized_text(object) => {
            for text in object.values_mut() {
                if let Value::String(s) = text {
                    *s = without_law_citations(s);
                }
            }
        }
        Value::Object(object) => object.values_mut().for_each(strip_law_citations),
        Value::Array(items) => items.iter_mut().for_each(strip_law_citations),
        _ => {}
    }
}

/// The settings of a template as a commune of another country gets them: what cites a law (`legalReference`,
/// a `basis` that cites one) becomes a commune setting (`"basis": "communeSetting"`), and a rule that is a
/// country's law by nature (an object naming its `country` and its `legalReference`, such as the signature
/// tiers of petitions) is dropped; texts stop naming laws.
pub fn settings_across_the_border(value: &mut Value) {
    if let Value::Object(object) = value {
        object.retain(|_, child| !is_a_countrys_law(child));
        let cited = object.remove("legalReference").is_some();
        let cited_basis = object.get("basis").is_some_and(Value::is_object);
        if cited || cited_basis {
            object.insert("basis".into(), Value::String("communeSetting".into()));
        }
    }
    if value.as_object().is_some_and(crate::model::translations::is_localized_text) {
        strip_law_citations(value);
        return;
    }
    match value {
        Value::Object(object) => object.values_mut().for_each(settings_across_the_border),
        Value::Array(items) => {
            items.retain(|item| !is_a_countrys_law(item));
            items.iter_mut().for_each(settings_across_the_border);
        }
        _ => {}
    }
}

fn is_a_countrys_law(value: &Value) -> bool {
    value.as_object().is_some_and(|o| o.contains_key("country") && o.contains_key("legalReference"))
}

/// Removes each parenthesis whose content names a legal text, with the space before it.
fn without_citing_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|i| open + i) else { break };
        let inside = &rest[open + 1..close];
        if names_a_legal_text(inside) && !inside.contains('(') {
            out.push_str(rest[..open].trim_end_matches(' '));
        } else {
            out.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The sentences of `text`: each ends with `.`, `!`, `?` or `؟` followed by a space and a word that is not a
/// number ("art. 19" does not end a sentence).
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        current.push(chars[i]);
        let ends = matches!(chars[i], '.' | '!' | '?' | '؟')
            && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
            && chars.get(i + 2).is_some_and(|c| !c.is_ascii_digit());
        if ends {
            found.push(current.trim().to_owned());
            current.clear();
        }
        i += 1;
    }
    if !current.trim().is_empty() {
        found.push(current.trim().to_owned());
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn law_numbers_are_found_and_other_numbers_are_not() {
        for cited in ["loi n° 31.13", "décret n° 2-17-265", "القانون رقم 36.21", "(ⴰⵏⴰⴹ ⵓⵟⵟⵓⵏ 31.13)"]
        {
            assert!(names_a_legal_text(cited), "{cited}");
        }
        for plain in ["dans les 20 jours ouvrables", "au plus R+2", "de 1 à 5", "représentant légal", "3. 4"] {
            assert!(!names_a_legal_text(plain), "{plain}");
        }
    }

    #[test]
    fn citations_go_and_the_rest_stays() {
        assert_eq!(
            without_law_citations(
                "Demande d'accès à une information (loi n° 31.13). Réponse dans les 20 jours ouvrables. \
                 Délai fixé par l'arrêté conjoint n° 1839.23, art. 2 ; le silence vaut acceptation. Un refus est motivé."
            ),
            "Demande d'accès à une information. Réponse dans les 20 jours ouvrables. Un refus est motivé."
        );
        assert_eq!(
            without_law_citations("طلب الحصول على معلومات (القانون رقم 31.13). يتم الرد داخل أجل 20 يوم عمل."),
            "طلب الحصول على معلومات. يتم الرد داخل أجل 20 يوم عمل."
        );
        assert_eq!(without_law_citations("Chargé de l'accès (loi n° 31.13)"), "Chargé de l'accès");
        assert_eq!(without_law_citations("Sans loi (voirie, éclairage)."), "Sans loi (voirie, éclairage).");
        assert_eq!(without_law_citations("Loi n° 55.19."), "Loi n° 55.19.", "never emptied");
    }

    #[test]
    fn settings_cross_the_border_as_commune_settings() {
        let mut settings = json!({
            "petitions": {
                "signatureTiers": { "country": "MA", "legalReference": "Loi organique n° 113.14, art. 123",
                                    "tiers": [{ "signatures": 100 }], "withArrondissements": 400 },
                "associationMinimumYears": 3,
                "legalReference": "Loi organique n° 113.14 relative aux communes, art. 121–125"
            },
            "council": { "ordinarySessionMonths": [2, 5, 10], "legalReference": "Loi organique n° 113.14" },
            "complaints": { "escalateAfter": 5, "basis": { "legalReference": "Décret n° 2-17-265" } },
            "proactivePublication": { "legalReference": "Loi n° 31.13, art. 10",
                "items": [{ "key": "x", "label": { "fr": "Chargé (loi n° 31.13)", "ar": "المكلف (القانون رقم 31.13)" } }] }
        });
        settings_across_the_border(&mut settings);
        assert_eq!(
            settings,
            json!({
                "petitions": { "associationMinimumYears": 3, "basis": "communeSetting" },
                "council": { "ordinarySessionMonths": [2, 5, 10], "basis": "communeSetting" },
                "complaints": { "escalateAfter": 5, "basis": "communeSetting" },
                "proactivePublication": { "basis": "communeSetting",
                    "items": [{ "key": "x", "label": { "fr": "Chargé", "ar": "المكلف" } }] }
            })
        );
        assert!(crate::model::provenance::unsourced_numbers(&settings).is_empty());
    }
}
