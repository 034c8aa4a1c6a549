//! The 3-way merge of configurations: base = the version a commune came from, theirs = the new version,
//! ours = the commune's current configuration.
//!
//! At every path: if only one side changed it, that change wins (an upstream improvement is applied, a local
//! edit is kept); if both changed it the same way, fine; if both changed it differently, that is a conflict,
//! reported with the three values and resolved by choosing a side (ours, unless told otherwise). Objects and
//! keyed lists (see [`super::diff`]) are merged member by member, so edits to different services, fields or
//! states never conflict.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::diff::{join, keyed};

/// A path that both sides changed differently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub path: String,
    pub base: Option<Value>,
    pub theirs: Option<Value>,
    pub ours: Option<Value>,
}

/// Which side to take at a conflicting path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Theirs,
    Ours,
}

/// A choice for one conflicting path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub path: String,
    pub take: Side,
}

/// The merged tree, and the conflicts met (each resolved as chosen, or to ours).
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOutcome {
    pub merged: Value,
    pub conflicts: Vec<Conflict>,
}

impl MergeOutcome {
    /// Conflicts that no resolution chose a side for.
    pub fn unresolved<'a>(&'a self, resolutions: &'a [Resolution]) -> impl Iterator<Item = &'a Conflict> + 'a {
        self.conflicts.iter().filter(move |c| !resolutions.iter().any(|r| r.path == c.path))
    }
}

/// Merges `theirs` and `ours`, both derived from `base`.
pub fn merge(base: &Value, theirs: &Value, ours: &Value, resolutions: &[Resolution]) -> MergeOutcome {
    let mut conflicts = Vec::new();
    let merged = node("", Some(base), Some(theirs), Some(ours), resolutions, &mut conflicts).unwrap_or(Value::Null);
    MergeOutcome { merged, conflicts }
}

fn node(
    path: &str,
    base: Option<&Value>,
    theirs: Option<&Value>,
    ours: Option<&Value>,
    resolutions: &[Resolution],
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    if theirs == ours {
        return theirs.cloned();
    }
    if theirs == base {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    match (base, theirs, ours) {
        (base, Some(Value::Object(t)), Some(Value::Object(o))) if base.is_none_or(Value::is_object) => {
            let empty = Map::new();
            let b = base.and_then(Value::as_object).unwrap_or(&empty);
            let mut merged = Map::new();
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(t.keys()).chain(o.keys()).collect();
            for key in keys {
                if let Some(value) = node(&join(path, key), b.get(key), t.get(key), o.get(key), resolutions, conflicts)
                {
                    merged.insert(key.clone(), value);
                }
            }
            Some(Value::Object(merged))
        }
        (base, Some(Value::Array(t)), Some(Value::Array(o))) => {
            let b = match base {
                Some(Value::Array(b)) => Some(b.as_slice()),
                None => Some(&[][..]),
                Some(_) => None,
            };
            match (b.map(|b| if b.is_empty() { None } else { keyed(b) }), keyed(t), keyed(o)) {
                (Some(kb), Some((ft, kt)), Some((fo, ko)))
                    if ft == fo && kb.as_ref().is_none_or(|(fb, _)| *fb == ft) =>
                {
                    let kb = kb.map(|(_, items)| items).unwrap_or_default();
                    Some(merge_keyed(path, &kb, &kt, &ko, resolutions, conflicts))
                }
                _ => conflict(path, base, theirs, ours, resolutions, conflicts),
            }
        }
        _ => conflict(path, base, theirs, ours, resolutions, conflicts),
    }
}

fn find<'a>(list: &[(String, &'a Value)], id: &str) -> Option<&'a Value> {
    list.iter().find(|(other, _)| other == id).map(|(_, v)| *v)
}

fn merge_keyed(
    path: &str,
    base: &[(String, &Value)],
    theirs: &[(String, &Value)],
    ours: &[(String, &Value)],
    resolutions: &[Resolution],
    conflicts: &mut Vec<Conflict>,
) -> Value {
    // Our order first, then the items only they have, in their order.
    let mut ids: Vec<&String> = ours.iter().map(|(id, _)| id).collect();
    for (id, _) in theirs {
        if !ids.contains(&id) && find(base, id).is_none() {
            ids.push(id);
        }
    }
    for (id, _) in base {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let items = ids
        .into_iter()
        .filter_map(|id| {
            node(&format!("{path}[{id}]"), find(base, id), find(theirs, id), find(ours, id), resolutions, conflicts)
        })
        .collect();
    Value::Array(items)
}

fn conflict(
    path: &str,
    base: Option<&Value>,
    theirs: Option<&Value>,
    ours: Option<&Value>,
    resolutions: &[Resolution],
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    conflicts.push(Conflict {
        path: path.to_owned(),
        base: base.cloned(),
        theirs: theirs.cloned(),
        ours: ours.cloned(),
    });
    match resolutions.iter().find(|r| r.path == path).map(|r| r.take) {
        Some(Side::Theirs) => theirs.cloned(),
        _ => ours.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn clean(base: &Value, theirs: &Value, ours: &Value) -> Value {
        let outcome = merge(base, theirs, ours, &[]);
        assert!(outcome.conflicts.is_empty(), "{:?}", outcome.conflicts);
        outcome.merged
    }

    #[test]
    fn a_local_edit_survives_an_upstream_change_elsewhere() {
        let base = json!({ "services": [
            { "code": "legalisation", "fees": [{ "amount": 200 }], "deadline": 0 },
            { "code": "reclamation", "deadline": 60, "labels": { "fr": "Réclamation" } }
        ]});
        let theirs = json!({ "services": [
            { "code": "legalisation", "fees": [{ "amount": 200 }], "deadline": 0, "online": true },
            { "code": "reclamation", "deadline": 60, "labels": { "fr": "Réclamation" } },
            { "code": "petition", "deadline": 60 }
        ]});
        let ours = json!({ "services": [
            { "code": "reclamation", "deadline": 30, "labels": { "fr": "Réclamation", "ar": "شكاية" } },
            { "code": "legalisation", "fees": [{ "amount": 200 }], "deadline": 0 }
        ]});
        let merged = clean(&base, &theirs, &ours);
        assert_eq!(
            merged,
            json!({ "services": [
                { "code": "reclamation", "deadline": 30, "labels": { "fr": "Réclamation", "ar": "شكاية" } },
                { "code": "legalisation", "fees": [{ "amount": 200 }], "deadline": 0, "online": true },
                { "code": "petition", "deadline": 60 }
            ]})
        );
    }

    #[test]
    fn same_field_edits_conflict_and_are_resolved_by_choice() {
        let base = json!({ "services": [{ "code": "a", "deadline": 60 }] });
        let theirs = json!({ "services": [{ "code": "a", "deadline": 45 }] });
        let ours = json!({ "services": [{ "code": "a", "deadline": 30 }] });
        let outcome = merge(&base, &theirs, &ours, &[]);
        assert_eq!(
            outcome.conflicts,
            [Conflict {
                path: "services[a].deadline".into(),
                base: Some(json!(60)),
                theirs: Some(json!(45)),
                ours: Some(json!(30)),
            }]
        );
        assert_eq!(outcome.merged, ours, "ours by default");
        let chosen = [Resolution { path: "services[a].deadline".into(), take: Side::Theirs }];
        let outcome = merge(&base, &theirs, &ours, &chosen);
        assert_eq!(outcome.merged, theirs);
        assert_eq!(outcome.unresolved(&chosen).count(), 0);
    }

    #[test]
    fn deletions_merge_too() {
        let base = json!({ "roles": [{ "key": "a" }, { "key": "b" }], "x": 1 });
        let theirs = json!({ "roles": [{ "key": "a" }], "x": 1 });
        let ours = json!({ "roles": [{ "key": "a" }, { "key": "b" }, { "key": "c" }], "x": 2 });
        assert_eq!(clean(&base, &theirs, &ours), json!({ "roles": [{ "key": "a" }, { "key": "c" }], "x": 2 }));
        // Deleted upstream but edited here: a conflict.
        let edited = json!({ "roles": [{ "key": "a" }, { "key": "b", "label": "B" }], "x": 1 });
        let outcome = merge(&base, &theirs, &edited, &[]);
        assert_eq!(outcome.conflicts.len(), 1);
        assert_eq!(outcome.conflicts[0].path, "roles[b]");
        assert_eq!(outcome.conflicts[0].theirs, None);
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..5).prop_map(|n| json!(n)),
            "[a-c]{0,2}".prop_map(Value::String),
        ]
    }

    fn tree() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::btree_map("[a-d]", inner.clone(), 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                prop::collection::btree_map("[a-d]", inner.clone(), 0..4).prop_map(|m| {
                    Value::Array(m.into_iter().map(|(key, v)| json!({ "key": key, "v": v })).collect())
                }),
                prop::collection::vec(inner, 0..3).prop_map(Value::Array),
            ]
        })
    }

    proptest! {
        #[test]
        fn merging_an_unchanged_upstream_keeps_ours(base in tree(), ours in tree()) {
            let outcome = merge(&base, &base, &ours, &[]);
            prop_assert!(outcome.conflicts.is_empty());
            prop_assert_eq!(outcome.merged, ours);
        }

        #[test]
        fn merging_into_an_unchanged_copy_gives_theirs(base in tree(), theirs in tree()) {
            let outcome = merge(&base, &theirs, &base, &[]);
            prop_assert!(outcome.conflicts.is_empty());
            prop_assert_eq!(outcome.merged, theirs);
        }

        #[test]
        fn identical_changes_never_conflict(base in tree(), both in tree()) {
            let outcome = merge(&base, &both, &both, &[]);
            prop_assert!(outcome.conflicts.is_empty());
            prop_assert_eq!(outcome.merged, both);
        }

        #[test]
        fn edits_to_different_members_both_apply(
            base in prop::collection::btree_map("[a-f]", leaf(), 2..6),
            theirs_value in leaf(),
            ours_value in leaf(),
        ) {
            let keys: Vec<String> = base.keys().cloned().collect();
            let base = Value::Object(base.into_iter().collect());
            let mut theirs = base.clone();
            let mut ours = base.clone();
            theirs[&keys[0]] = theirs_value.clone();
            ours[&keys[1]] = ours_value.clone();
            let outcome = merge(&base, &theirs, &ours, &[]);
            prop_assert!(outcome.conflicts.is_empty());
            prop_assert_eq!(&outcome.merged[&keys[0]], &theirs_value);
            prop_assert_eq!(&outcome.merged[&keys[1]], &ours_value);
        }

        #[test]
        fn different_edits_of_one_member_conflict(
            base in prop::collection::btree_map("[a-f]", leaf(), 1..6),
            theirs_value in "t[0-9]{1,3}",
            ours_value in "o[0-9]{1,3}",
        ) {
            let key = base.keys().next().cloned().unwrap_or_default();
            let base = Value::Object(base.into_iter().collect());
            let mut theirs = base.clone();
            let mut ours = base.clone();
            theirs[&key] = json!(theirs_value);
            ours[&key] = json!(ours_value);
            let outcome = merge(&base, &theirs, &ours, &[]);
            prop_assert_eq!(outcome.conflicts.len(), 1);
            prop_assert_eq!(&outcome.conflicts[0].path, &key);
            prop_assert_eq!(outcome.merged, ours);
        }
    }
}
