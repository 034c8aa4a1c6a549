//! Values between JavaScript and core, and core's failures as JavaScript errors shaped like the API's.

use jamaa_core::FieldError;
use jamaa_core::model::commune::Country;
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::workflow::Actor;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};

/// What the exported functions return: a JavaScript value, or the error to throw.
pub type JsResult = Result<JsValue, JsValue>;

/// The API's code for input that breaks rules; the only code the SDK's offline rules throw.
const VALIDATION_FAILED: &str = "VALIDATION_FAILED";

/// A failure to throw: a summary, and the fields of the citizen's input at fault (none when the caller passed
/// an argument that does not parse: a program's mistake, not a citizen's).
pub struct Failure {
    message: String,
    fields: Vec<FieldError>,
}

impl Failure {
    /// An argument that does not parse.
    pub fn argument(name: &str, problem: impl std::fmt::Display) -> Self {
        Self { message: format!("invalid argument `{name}`: {problem}"), fields: Vec::new() }
    }

    /// Broken rules on the citizen's input.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        Self { message: String::new(), fields }
    }

    /// A JavaScript `Error` named `JamaaError`, with `code` and `fields` (`[{path, code, message}]`, messages in
    /// `locale`). The summary is the only field's message, as a form shows it, or the API's summary.
    pub fn into_js(self, locale: Locale) -> JsValue {
        let message = match self.fields.as_slice() {
            [] => self.message,
            [only] => only.message_in(locale).to_owned(),
            many => format!("validation failed on {} fields", many.len()),
        };
        let error = js_sys::Error::new(&message);
        error.set_name("JamaaError");
        let fields = wire_fields(&self.fields, locale);
        // Setting a property on a fresh `Error` object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(VALIDATION_FAILED));
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("fields"), &fields);
        error.into()
    }
}

/// Field errors as the API's `extensions.fields` carries them: `[{path, code, message}]`.
fn wire_fields(fields: &[FieldError], locale: Locale) -> JsValue {
    let fields: js_sys::Array = fields
        .iter()
        .map(|field| {
            object(&[
                ("path", JsValue::from_str(&field.path)),
                ("code", JsValue::from_str(field.code.as_str())),
                ("message", JsValue::from_str(field.message_in(locale))),
            ])
        })
        .collect();
    fields.into()
}

/// A validation outcome as `{valid, data, errors}`.
pub fn validation(outcome: Result<Map<String, Value>, Vec<FieldError>>, locale: Locale) -> JsValue {
    match outcome {
        Ok(data) => object(&[
            ("valid", JsValue::TRUE),
            ("data", to_js(&Value::Object(data))),
            ("errors", js_sys::Array::new().into()),
        ]),
        Err(errors) => {
            object(&[("valid", JsValue::FALSE), ("data", JsValue::NULL), ("errors", wire_fields(&errors, locale))])
        }
    }
}

/// A plain JavaScript object with these properties, in this order.
pub fn object(properties: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in properties {
        // Defining a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// A JSON value as a plain JavaScript value, built directly (numbers stay numbers, without a round trip through
/// JSON text).
pub fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(flag) => JsValue::from_bool(*flag),
        Value::Number(number) => number.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(text) => JsValue::from_str(text),
        Value::Array(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(entries) => {
            let object = js_sys::Object::new();
            for (key, item) in entries {
                // Defining a property on a fresh plain object cannot fail.
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &to_js(item));
            }
            object.into()
        }
    }
}

/// A definition (a form schema, a calendar, a workflow, a localized text), given as a JavaScript value or as JSON
/// text: a definition is never a string, so a string is its JSON text.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, JsValue> {
    match value.as_string() {
        Some(text) => {
            let plain = js_sys::JSON::parse(&text).map_err(|error| {
                let problem = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
                Failure::argument(name, problem.as_deref().unwrap_or("not JSON")).into_js(Locale::Fr)
            })?;
            from_plain(plain, name)
        }
        None => from_js_value(value, name),
    }
}

/// A value as the citizen's input carries it (form data, documents): any JavaScript value that JSON can say, read
/// as its JSON form would be (`toJSON`, `undefined` members left out, `NaN` as `null`). A string is a string, as
/// it would be in the API's JSON.
pub fn from_js_value<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(Failure::argument(name, "missing").into_js(Locale::Fr));
    }
    let plain = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .ok_or_else(|| Failure::argument(name, "not representable as JSON").into_js(Locale::Fr))?;
    from_plain(plain, name)
}

/// A value of a core type from a plain JavaScript value (objects, arrays, strings, numbers, booleans, null), read
/// by serde directly: the SDK carries no JSON parser of its own.
pub fn from_plain<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Failure::argument(name, e).into_js(Locale::Fr))
}

/// The locale of messages: the argument, else French (core's own fallback for messages).
pub fn locale(tag: Option<&str>) -> Result<Locale, JsValue> {
    match tag.map(str::trim).filter(|tag| !tag.is_empty()) {
        None => Ok(Locale::Fr),
        Some(tag) => tag.parse().map_err(|e| Failure::argument("locale", e).into_js(Locale::Fr)),
    }
}

pub fn country(code: &str) -> Result<Country, JsValue> {
    code.parse().map_err(|e| Failure::argument("country", e).into_js(Locale::Fr))
}

/// `"applicant"`, `"system"`, or the roles of a staff member (`["counter_agent"]`).
pub fn actor(value: &JsValue) -> Result<Actor, JsValue> {
    if let Some(name) = value.as_string() {
        return match name.as_str() {
            "applicant" => Ok(Actor::Applicant),
            "system" => Ok(Actor::System),
            other => Err(Failure::argument(
                "actor",
                format!("`{other}`: expected \"applicant\", \"system\" or a list of roles"),
            )
            .into_js(Locale::Fr)),
        };
    }
    let roles: Vec<jamaa_core::model::keys::RoleKey> = from_js_value(value, "actor")?;
    Ok(Actor::Staff { roles })
}
