//! Staff forms: the form an action may ask of the member taking it, checked as citizens' forms are, and the
//! data guards read, where the non-personal fields of the latest staff form of each action join the citizen's
//! form data as `action.field` (`site_visit.conforms`).

use serde_json::{Map, Value};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::{FormSchema, ValidationContext, messages};

/// The key under which a guard reads the field `field` of the staff form of `action`: `action.field`.
pub fn staff_field_key(action: &str, field: &str) -> String {
    format!("{action}.{field}")
}

/// Checks the values of a staff form (an action's, or the one a commission's body gives its opinion with) and returns them normalized (as [`crate::model::form::FormSchema::validate`]
/// does, each failure at `form.<key>`), or `None` when the action has no form. Values given to an action
/// without a form are refused at `form` (UNKNOWN_FIELD); an action with a form and no values is checked as an
/// empty form (its required fields missing).
pub fn validate_staff_form(
    form: Option<&FormSchema>,
    values: Option<&Value>,
    ctx: &ValidationContext,
) -> Result<Option<Map<String, Value>>, Vec<FieldError>> {
    let Some(form) = form else {
        return match values {
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(vec![FieldError::new("form", FieldErrorCode::UnknownField, messages::unknown_field())]),
        };
    };
    let empty = Value::Object(Map::new());
    let values = match values {
        None | Some(Value::Null) => &empty,
        Some(values) => values,
    };
    form.validate(values, ctx).map(Some).map_err(|errors| {
        errors
            .into_iter()
            .map(|error| {
                let path = match error.path.strip_prefix("data") {
                    Some(rest) => format!("form{rest}"),
                    None => error.path,
                };
                FieldError { path, ..error }
            })
            .collect()
    })
}

/// The data guards read: the citizen's form data (its non-personal fields) with, for each action of `staff`
/// (`{"site_visit": {"conforms": true}}`: the non-personal fields of the latest staff form of each action), its
/// fields under `action.field`. Data that is not an object reads as an empty one.
pub fn guard_data(data: &Value, staff: &Value) -> Value {
    let Some(forms) = staff.as_object().filter(|forms| !forms.is_empty()) else { return data.clone() };
    let mut merged = data.as_object().cloned().unwrap_or_default();
    for (action, fields) in forms {
        for (field, value) in fields.as_object().into_iter().flatten() {
            merged.insert(staff_field_key(action, field), value.clone());
        }
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::commune::Country;
    use crate::model::workflow::ActionDef;
    use crate::model::workflow::Guard;

    fn visit() -> ActionDef {
        serde_json::from_value(json!({
            "key": "site_visit", "label": {"fr": "Visite des lieux"}, "from": ["review"], "to": "review",
            "actors": [{"role": "technician"}],
            "form": {"fields": [
                {"key": "conforms", "label": {"fr": "Conforme"}, "type": "boolean", "required": true},
                {"key": "visited_on", "label": {"fr": "Date"}, "type": "date", "required": true},
                {"key": "neighbour_phone", "label": {"fr": "Voisin"}, "type": "phone", "personal": true}
            ]}
        }))
        .unwrap()
    }

    #[test]
    fn a_staff_form_is_validated_at_form_paths() {
        let ctx = ValidationContext { country: Country::Morocco };
        let errors = validate_staff_form(visit().form.as_ref(), None, &ctx).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["form.conforms", "form.visited_on"]);
        assert!(errors.iter().all(|e| e.code == FieldErrorCode::Required));
        let bad = validate_staff_form(
            visit().form.as_ref(),
            Some(&json!({"conforms": "yes", "visited_on": "2026-13-01"})),
            &ctx,
        )
        .unwrap_err();
        assert_eq!(bad.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["form.conforms", "form.visited_on"]);
        let values = json!({"conforms": true, "visited_on": "2026-05-04", "neighbour_phone": "0612345678"});
        let ok = validate_staff_form(visit().form.as_ref(), Some(&values), &ctx).unwrap().unwrap();
        assert_eq!(ok["neighbour_phone"], json!("+212612345678"));

        let mut plain = visit();
        plain.form = None;
        assert_eq!(validate_staff_form(plain.form.as_ref(), None, &ctx), Ok(None));
        let refused = validate_staff_form(plain.form.as_ref(), Some(&json!({"x": 1})), &ctx).unwrap_err();
        assert_eq!((refused[0].path.as_str(), refused[0].code), ("form", FieldErrorCode::UnknownField));
    }

    #[test]
    fn guards_read_staff_fields_by_action() {
        let data = json!({"floors": 3});
        let staff = json!({"site_visit": {"conforms": true}});
        let merged = guard_data(&data, &staff);
        assert_eq!(merged, json!({"floors": 3, "site_visit.conforms": true}));
        let guard = Guard::Equals { field: staff_field_key("site_visit", "conforms"), value: json!(true) };
        assert!(guard.eval(&merged));
        assert!(!guard.eval(&data));
        assert_eq!(guard_data(&data, &Value::Null), data);
    }
}
