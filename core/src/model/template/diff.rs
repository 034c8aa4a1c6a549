//! A structured, human-readable change list between two configurations.
//!
//! Both sides are compared as JSON trees. Lists whose items are objects with a unique `key`, `code`, `value`
//! or `date` are compared item by item by that identifier, so that paths read
//! `services[legalisation-signature].fees[0].amountMinor` and reordering a list is no change.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    /// One line for a person: `services[reclamation].deadline.days: 60 → 45`.
    pub fn summary(&self) -> String {
        match (&self.before, &self.after) {
            (None, Some(after)) => format!("{}: added {}", self.path, short(after)),
            (Some(before), None) => format!("{}: removed {}", self.path, short(before)),
            (Some(before), Some(after)) => format!("{}: {} → {}", self.path, short(before), short(after)),
            (None, None) => self.path.clone(),
        }
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 { format!("{}…", text.chars().take(79).collect::<String>()) } else { text }
}

/// The changes that turn `before` into `after`.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk("", Some(before), Some(after), &mut changes);
    changes
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<Change>) {
    match (before, after) {
        (None, None) => {}
        (Some(b), Some(a)) if b == a => {}
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for key in keys {
                walk(&join(path, key), b.get(key), a.get(key), out);
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) => match (keyed(b), keyed(a)) {
            (Some((field_b, items_b)), Some((field_a, items_a))) if field_b == field_a => {
                let mut seen = Vec::new();
                for (id, item) in &items_b {
                    let other = items_a.iter().find(|(other, _)| other == id).map(|(_, v)| *v);
                    walk(&format!("{path}[{id}]"), Some(item), other, out);
                    seen.push(id.clone());
                }
                for (id, item) in &items_a {
                    if !seen.contains(id) {
                        walk(&format!("{path}[{id}]"), None, Some(item), out);
                    }
                }
            }
            _ => out.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Changed,
                before: before.cloned(),
                after: after.cloned(),
            }),
        },
        (None, Some(a)) => {
            out.push(Change { path: path.to_owned(), kind: ChangeKind::Added, before: None, after: Some(a.clone()) })
        }
        (Some(b), None) => {
            out.push(Change { path: path.to_owned(), kind: ChangeKind::Removed, before: Some(b.clone()), after: None })
        }
        (Some(b), Some(a)) => out.push(Change {
            path: path.to_owned(),
            kind: ChangeKind::Changed,
            before: Some(b.clone()),
            after: Some(a.clone()),
        }),
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// The identifier fields that make a list of objects a keyed list, in order of preference.
const ID_FIELDS: [&str; 4] = ["key", "code", "value", "date"];

/// When every item of the list is an object with the same identifier field, unique across the list, the
/// items by identifier.
pub(crate) fn keyed(items: &[Value]) -> Option<(&'static str, Vec<(String, &Value)>)> {
    if items.is_empty() {
        return None;
    }
    let field = ID_FIELDS.into_iter().find(|field| items.iter().all(|item| id_of(item, field).is_some()))?;
    let list: Vec<(String, &Value)> = items.iter().filter_map(|item| id_of(item, field).map(|id| (id, item))).collect();
    let mut ids: Vec<&String> = list.iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    (ids.len() == list.len()).then_some((field, list))
}

fn id_of(item: &Value, field: &str) -> Option<String> {
    match item.as_object()?.get(field)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keyed_lists_are_compared_by_identifier() {
        let before = json!({
            "services": [
                { "code": "a", "deadline": { "days": 60 }, "fees": [{ "amount": 200 }] },
                { "code": "b", "name": "B" }
            ],
            "currency": "MAD"
        });
        let after = json!({
            "services": [
                { "code": "c", "name": "C" },
                { "code": "a", "deadline": { "days": 45 }, "fees": [{ "amount": 300 }] }
            ],
            "currency": "MAD"
        });
        let changes = diff(&before, &after);
        let summaries: Vec<String> = changes.iter().map(Change::summary).collect();
        assert_eq!(
            summaries,
            [
                "services[a].deadline.days: 60 → 45",
                r#"services[a].fees: [{"amount":200}] → [{"amount":300}]"#,
                r#"services[b]: removed {"code":"b","name":"B"}"#,
                r#"services[c]: added {"code":"c","name":"C"}"#,
            ]
        );
        assert!(diff(&before, &before).is_empty());
    }

    #[test]
    fn reordering_a_keyed_list_is_no_change() {
        let a = json!([{ "key": "x", "v": 1 }, { "key": "y", "v": 2 }]);
        let b = json!([{ "key": "y", "v": 2 }, { "key": "x", "v": 1 }]);
        assert!(diff(&a, &b).is_empty());
        // Lists without identifiers are values: order matters.
        assert_eq!(diff(&json!(["Sat", "Sun"]), &json!(["Sun", "Sat"])).len(), 1);
    }
}
