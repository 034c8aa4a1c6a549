//! Evaluation of guards over a request's form data.

use serde_json::Value;

use super::{CompareOp, Guard};

impl Guard {
    /// Whether the guard holds for `data`, a JSON object of form data keyed by field name.
    ///
    /// - `Equals`: the field is present and equal to the value. Numbers compare by value (`2` equals `2.0`),
    ///   everything else as JSON. A missing field never matches, not even `null`.
    /// - `Compare`: the field is a number and the comparison holds; a missing or non-numeric field is false.
    /// - `In`: the field is present and equals (as for `Equals`) one of the values.
    /// - `All` holds when every guard holds (so an empty `All` holds); `Any` when at least one holds (so an
    ///   empty `Any` does not); `Not` negates.
    ///
    /// When `data` is not an object, every field is missing.
    pub fn eval(&self, data: &Value) -> bool {
        match self {
            Guard::Equals { field, value } => data.get(field).is_some_and(|actual| json_eq(actual, value)),
            Guard::Compare { field, op, value, .. } => {
                data.get(field).and_then(Value::as_f64).is_some_and(|actual| op.holds(actual, *value))
            }
            Guard::In { field, values } => {
                data.get(field).is_some_and(|actual| values.iter().any(|value| json_eq(actual, value)))
            }
            Guard::All(guards) => guards.iter().all(|guard| guard.eval(data)),
            Guard::Any(guards) => guards.iter().any(|guard| guard.eval(data)),
            Guard::Not(guard) => !guard.eval(data),
        }
    }
}

impl CompareOp {
    /// Whether `left op right` holds.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            CompareOp::Lt => left < right,
            CompareOp::Le => left <= right,
            CompareOp::Gt => left > right,
            CompareOp::Ge => left >= right,
        }
    }
}

/// JSON equality in which numbers compare by value, at any depth.
fn json_eq(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(l), Value::Number(r)) => match (l.as_i64(), r.as_i64(), l.as_u64(), r.as_u64()) {
            (Some(l), Some(r), _, _) => l == r,
            (_, _, Some(l), Some(r)) => l == r,
            _ => l.as_f64().zip(r.as_f64()).is_some_and(|(l, r)| l == r),
        },
        (Value::Array(l), Value::Array(r)) => l.len() == r.len() && l.iter().zip(r).all(|(l, r)| json_eq(l, r)),
        (Value::Object(l), Value::Object(r)) => {
            l.len() == r.len() && l.iter().all(|(key, l)| r.get(key).is_some_and(|r| json_eq(l, r)))
        }
        _ => left == right,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn equals(field: &str, value: Value) -> Guard {
        Guard::Equals { field: field.into(), value }
    }

    fn compare(field: &str, op: CompareOp, value: f64) -> Guard {
        Guard::Compare { field: field.into(), op, value, basis: None }
    }

    #[test]
    fn evaluates() {
        let data = json!({
            "floors": 2,
            "area": 120.5,
            "zone": "R2",
            "corner": true,
            "note": null,
            "height": "9",
            "parcels": [1, 2],
        });
        let cases = [
            (equals("zone", json!("R2")), true, "equal strings"),
            (equals("zone", json!("r2")), false, "strings are case-sensitive"),
            (equals("floors", json!(2.0)), true, "numbers compare by value"),
            (equals("floors", json!("2")), false, "a string is not a number"),
            (equals("corner", json!(true)), true, "booleans"),
            (equals("note", json!(null)), true, "a present null"),
            (equals("missing", json!(null)), false, "a missing field is not null"),
            (equals("parcels", json!([1.0, 2])), true, "arrays compare element by element"),
            (equals("parcels", json!([2, 1])), false, "array order matters"),
            (compare("floors", CompareOp::Le, 2.0), true, "2 <= 2"),
            (compare("floors", CompareOp::Lt, 2.0), false, "2 < 2"),
            (compare("area", CompareOp::Gt, 120.0), true, "120.5 > 120"),
            (compare("area", CompareOp::Ge, 120.5), true, "120.5 >= 120.5"),
            (compare("height", CompareOp::Lt, 10.0), false, "a numeric string is not a number"),
            (compare("note", CompareOp::Lt, 10.0), false, "null is not a number"),
            (compare("missing", CompareOp::Lt, 10.0), false, "a missing field"),
            (Guard::In { field: "zone".into(), values: vec![json!("R1"), json!("R2")] }, true, "in the list"),
            (Guard::In { field: "zone".into(), values: vec![json!("I1")] }, false, "not in the list"),
            (Guard::In { field: "floors".into(), values: vec![json!(1.0), json!(2.0)] }, true, "numbers in a list"),
            (Guard::In { field: "missing".into(), values: vec![json!(null)] }, false, "a missing field in a list"),
            (Guard::In { field: "zone".into(), values: vec![] }, false, "an empty list"),
            (Guard::All(vec![]), true, "an empty All holds"),
            (Guard::Any(vec![]), false, "an empty Any does not hold"),
            (
                Guard::All(vec![compare("floors", CompareOp::Le, 2.0), equals("zone", json!("R2"))]),
                true,
                "All of two true guards",
            ),
            (
                Guard::All(vec![compare("floors", CompareOp::Le, 2.0), equals("zone", json!("I1"))]),
                false,
                "All with a false guard",
            ),
            (
                Guard::Any(vec![equals("zone", json!("I1")), equals("corner", json!(true))]),
                true,
                "Any with a true guard",
            ),
            (Guard::Not(Box::new(equals("zone", json!("I1")))), true, "Not of a false guard"),
            (Guard::Not(Box::new(equals("missing", json!(1)))), true, "Not of a missing field"),
        ];
        for (guard, expected, why) in cases {
            assert_eq!(guard.eval(&data), expected, "{why}");
        }
        assert!(!equals("zone", json!("R2")).eval(&json!(["zone"])), "data that is not an object");
        assert!(Guard::All(vec![]).eval(&Value::Null));
    }

    #[test]
    fn large_integers_compare_exactly() {
        let data = json!({ "n": u64::MAX, "m": i64::MIN });
        assert!(equals("n", json!(u64::MAX)).eval(&data));
        assert!(!equals("n", json!(u64::MAX - 1)).eval(&data));
        assert!(equals("m", json!(i64::MIN)).eval(&data));
    }

    #[test]
    fn keeps_its_serde_format() {
        let guard: Guard = serde_json::from_value(json!({
            "all": [
                { "compare": { "field": "floors", "op": "le", "value": 2 } },
                { "not": { "in": { "field": "zone", "values": ["I1", "I2"] } } },
                { "any": [{ "equals": { "field": "corner", "value": true } }] }
            ]
        }))
        .unwrap();
        assert!(guard.eval(&json!({ "floors": 1, "zone": "R2", "corner": true })));
        assert!(!guard.eval(&json!({ "floors": 3, "zone": "R2", "corner": true })));
    }
}
