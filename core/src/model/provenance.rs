//! Where the numbers of a template come from. Every number in a template's data (a deadline, a delay, a
//! threshold, a fee, a council rule, a holiday's date) either cites the legal text that sets it or is marked a
//! commune setting, on the object that holds it or on an enclosing one; [`unsourced_numbers`] lists those that
//! do neither. The convention is documented in `docs/TEMPLATES.md` ("Where numbers come from").

use serde_json::Value;

/// The keys that say where the numbers of their object (and of everything inside it) come from:
/// - `basis`: `"communeSetting"`, or `{"legalReference": "…"}` (the form of a workflow timer's basis);
/// - `legalReference`, `legalBasis` (a fee's), `source`, `fixedHolidaysSource`: the law, decree and article,
///   as text;
/// - `legalReferences`: a procedure's legal texts; an empty list means it cites none, so the commune sets its
///   numbers (what its receipt says: "deadline set by the commune").
pub const BASIS_KEYS: &[&str] =
    &["basis", "legalReference", "legalReferences", "legalBasis", "source", "fixedHolidaysSource"];

/// What sits under these keys names its own basis, whatever encloses it: a procedure's legal texts set its
/// deadline, not its fees (a fiscal text or the commune's tariff does), nor the figure a guard compares with
/// (a definition), nor a timer's delay (each timer says which article, if any, sets it), nor a reminder's days
/// before a due date (a state's or a complaint's: the commune's choice, unless it cites a text).
pub const OWN_BASIS_KEYS: &[&str] = &["fees", "guard", "timers", "reminder"];

/// Numbers that are structure, not rules, and need no source: a template's version number (its identity), the
/// digits of its tracking codes (a format), a document's upload size limit and the length and range bounds of
/// a form field's answer (input hygiene of the platform, no law sets them). An entry `parent.key` exempts
/// `key` only inside an object under `parent`.
pub const STRUCTURAL_KEYS: &[&str] = &[
    "version",
    "idFormats.trackingSequenceDigits",
    "maxSizeBytes",
    "rules.minLength",
    "rules.maxLength",
    "rules.min",
    "rules.max",
];

/// The paths (`council.ordinarySessionMonths[0]`) of the numbers of `value` that neither cite a source nor
/// are marked a commune setting, in document order.
pub fn unsourced_numbers(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, "", None, None, false, &mut found);
    found
}

/// Whether `object` says where its numbers come from, with a basis that says something.
pub fn carries_basis(object: &serde_json::Map<String, Value>) -> bool {
    let text = |value: &Value| value.as_str().is_some_and(|s| !s.trim().is_empty());
    BASIS_KEYS.iter().any(|key| match (*key, object.get(*key)) {
        (_, None) => false,
        ("basis", Some(Value::String(marker))) => marker == "communeSetting",
        ("basis", Some(Value::Object(cited))) => cited.len() == 1 && cited.get("legalReference").is_some_and(text),
        ("basis", Some(_)) => false,
        ("legalReferences", Some(list)) => list.is_array(),
        (_, Some(value)) => text(value),
    })
}

fn structural(parent: Option<&str>, key: Option<&str>) -> bool {
    let Some(key) = key else { return false };
    STRUCTURAL_KEYS.iter().any(|entry| match entry.split_once('.') {
        Some((in_parent, name)) => name == key && parent == Some(in_parent),
        None => *entry == key,
    })
}

fn walk(value: &Value, path: &str, parent: Option<&str>, key: Option<&str>, sourced: bool, found: &mut Vec<String>) {
    match value {
        Value::Number(_) if !sourced && !structural(parent, key) => found.push(path.to_owned()),
        Value::Object(object) => {
            let sourced = sourced || carries_basis(object);
            for (child_key, child) in object {
                let child_path = if path.is_empty() { child_key.clone() } else { format!("{path}.{child_key}") };
                let sourced = sourced && !OWN_BASIS_KEYS.contains(&child_key.as_str());
                walk(child, &child_path, key, Some(child_key), sourced, found);
            }
        }
        // The items of a list stand where the list does: under its key, in the same parent.
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{index}]"), parent, key, sourced, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_number_with_neither_source_nor_marker_is_found() {
        let tree = json!({
            "petitions": { "signatureThreshold": 50, "legalReference": "" },
            "council": { "ordinarySessionMonths": [2, 5], "quorum": "more_than_half" },
            "complaints": { "basis": "law", "escalateAfterDays": 5 },
            "fees": { "basis": { "legalReference": "   " }, "amountMinor": 200 },
            "min": 1,
            "form": { "length": { "maxLength": 10 } }
        });
        let mut found = unsourced_numbers(&tree);
        found.sort();
        assert_eq!(
            found,
            [
                "complaints.escalateAfterDays",
                "council.ordinarySessionMonths[0]",
                "council.ordinarySessionMonths[1]",
                "fees.amountMinor",
                "form.length.maxLength",
                "min",
                "petitions.signatureThreshold",
            ]
        );
    }

    #[test]
    fn a_cited_or_marked_object_covers_its_numbers() {
        let tree = json!({
            "version": 3,
            "petitions": { "basis": "communeSetting", "signatureThreshold": 50, "tiers": [{ "signatures": 100 }] },
            "council": { "legalReference": "Loi organique n° 113.14, art. 33", "ordinarySessionMonths": [2, 5, 10] },
            "timer": { "after": { "working_days": 20 }, "basis": { "legalReference": "Loi n° 31.13, art. 19" } },
            "calendar": {
                "fixedHolidaysSource": "Décret n° 2-77-169",
                "fixedHolidays": [{ "month": 1, "day": 1 }],
                "datedHolidays": [{ "date": "2026-03-20", "source": "Décret n° 2-77-169", "days": 2 }]
            },
            "services": [
                { "legalReferences": [{ "title": { "fr": "Loi n° 55.19" } }], "deadline": { "days": 60 } },
                { "legalReferences": [], "deadline": { "days": 15 } }
            ],
            "form": { "fields": [{ "rules": { "minLength": 2, "maxLength": 200, "min": 1, "max": 9 } }] },
            "documents": [{ "maxSizeBytes": 10_485_760 }]
        });
        assert_eq!(unsourced_numbers(&tree), Vec::<String>::new());
    }

    #[test]
    fn fees_guards_and_timers_name_their_own_basis() {
        let cited = json!([{ "title": { "fr": "Loi n° 55.19" } }]);
        let service = json!({
            "legalReferences": cited,
            "fees": [{ "amountMinor": 200 }, { "amountMinor": 500, "basis": "communeSetting" }],
            "workflow": {
                "actions": [{ "guard": { "compare": { "field": "floors", "op": "le", "value": 2 } } }],
                "timers": [{ "after": { "working_days": 5 } }, { "after": { "working_days": 20 },
                             "basis": { "legalReference": "Loi n° 31.13, art. 19" } }]
            }
        });
        let mut found = unsourced_numbers(&service);
        found.sort();
        assert_eq!(
            found,
            ["fees[0].amountMinor", "workflow.actions[0].guard.compare.value", "workflow.timers[0].after.working_days"]
        );
    }

    #[test]
    fn the_nearest_marker_need_not_be_on_the_number_s_own_object() {
        let bad = json!({ "services": [{ "code": "x", "deadline": { "days": 60 } }] });
        assert_eq!(unsourced_numbers(&bad), ["services[0].deadline.days"]);
        let good = json!({ "services": [{ "code": "x", "legalReferences": [], "deadline": { "days": 60 } }] });
        assert!(unsourced_numbers(&good).is_empty());
    }
}
