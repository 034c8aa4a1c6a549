//! Submitted data checked against a form schema: every failure at once, and on success the data normalized.

use std::collections::{HashMap, HashSet};

use regex_lite::Regex;
use serde_json::{Map, Number, Value};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::calendar::parse_date;
use crate::model::form::messages::{self, Expected, InvalidReason, LengthUnit, LocationProblem};
use crate::model::form::{
    ChoiceOption, Condition, FieldDef, FieldKind, FormRule, FormSchema, RuleOp, ValidationContext,
};
use crate::model::i18n::LocalizedText;
use crate::model::national_id::{normalize_national_id, normalize_phone};

impl FormSchema {
    /// Checks `data`, the JSON object a citizen submits, against the form, and returns it normalized: text
    /// trimmed, national ids and phones in their canonical spelling (E.164 for phones), dates as `YYYY-MM-DD`.
    ///
    /// Fields whose `visible_if` does not hold are neither checked nor kept. A missing value (absent, `null`,
    /// blank text or an empty list) is an error only for a required field, or one whose `required_if` holds;
    /// otherwise the field is left out of the result. Conditions look at the other field's normalized value.
    ///
    /// On failure every broken rule is returned, each at `data.<key>`, `data.<key>[i]` for an item of a
    /// multi-choice, or `data.<key>.lat`, `.lng`, `.address` for a part of a location.
    pub fn validate(&self, data: &Value, ctx: &ValidationContext) -> Result<Map<String, Value>, Vec<FieldError>> {
        let Some(object) = data.as_object() else {
            return Err(vec![FieldError::new(
                "data",
                FieldErrorCode::InvalidType,
                messages::invalid_type(Expected::Form),
            )]);
        };
        let (parsed, visible, required) = self.judge(object, ctx);
        let mut errors = Vec::new();
        let mut normalized = Map::new();
        for (index, (field, parsed)) in self.fields.iter().zip(parsed).enumerate() {
            if !visible[index] {
                continue;
            }
            match parsed {
                Parsed::Missing if required[index] => {
                    errors.push(FieldError::new(data_path(&field.key), FieldErrorCode::Required, messages::required()))
                }
                Parsed::Missing => {}
                Parsed::Valid(value) => {
                    normalized.insert(field.key.clone(), value);
                }
                Parsed::Invalid(field_errors) => errors.extend(field_errors),
            }
        }
        for rule in &self.rules {
            if let Some(error) = broken(rule, &normalized, &self.fields) {
                errors.push(error);
            }
        }
        let known: HashSet<&str> = self.fields.iter().map(|field| field.key.as_str()).collect();
        for key in object.keys().filter(|key| !known.contains(key.as_str())) {
            errors.push(FieldError::new(data_path(key), FieldErrorCode::UnknownField, messages::unknown_field()));
        }
        if errors.is_empty() { Ok(normalized) } else { Err(errors) }
    }

    /// Which fields are shown and which are required for `data` as it stands, in form order, by the conditions
    /// [`validate`](Self::validate) applies: what a form on screen shows while the citizen types. Data that is
    /// not an object counts as an empty form.
    pub fn field_states(&self, data: &Value, ctx: &ValidationContext) -> Vec<FieldState> {
        let empty = Map::new();
        let object = data.as_object().unwrap_or(&empty);
        let (_, visible, required) = self.judge(object, ctx);
        self.fields
            .iter()
            .zip(visible.into_iter().zip(required))
            .map(|(field, (visible, required))| FieldState { key: field.key.clone(), visible, required })
            .collect()
    }

    /// Each field's value judged on its own, then which fields are shown and which are required.
    fn judge(&self, object: &Map<String, Value>, ctx: &ValidationContext) -> (Vec<Parsed>, Vec<bool>, Vec<bool>) {
        let parsed: Vec<Parsed> = self
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| parse_field(index, field, object.get(&field.key), ctx))
            .collect();
        let conditions = Conditions::new(&self.fields, object, &parsed);
        let visible = conditions.visibility();
        let required: Vec<bool> = self
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                field.required || field.required_if.as_ref().is_some_and(|c| conditions.holds(index, c, &visible))
            })
            .collect();
        (parsed, visible, required)
    }
}

/// Whether a field is shown, and whether it must be filled, for the data as it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldState {
    pub key: String,
    pub visible: bool,
    pub required: bool,
}

/// A pattern compiled to match a whole text, or the error of the pattern as written.
pub(super) fn full_match(pattern: &str) -> Result<Regex, regex_lite::Error> {
    // The pattern must stand on its own: wrapped in a group, an unbalanced `)` could otherwise pair up.
    Regex::new(pattern)?;
    Regex::new(&format!(r"\A(?:{pattern})\z"))
}

/// The error of a form rule that does not hold for the valid values of its fields; none when a value is
/// missing, invalid or hidden (its own error, if any, is reported already).
fn broken(rule: &FormRule, normalized: &Map<String, Value>, fields: &[FieldDef]) -> Option<FieldError> {
    let value = normalized.get(&rule.field)?.as_f64()?;
    let (bound, message) = match (&rule.other_field, rule.value) {
        (Some(other), _) => {
            let label = &fields.iter().find(|field| field.key == *other)?.label;
            (normalized.get(other)?.as_f64()?, messages::beyond_field(rule.op, label))
        }
        (None, Some(bound)) => {
            let message = match rule.op {
                RuleOp::Le => messages::out_of_range(None, Some(bound)),
                RuleOp::Ge => messages::out_of_range(Some(bound), None),
            };
            (bound, message)
        }
        (None, None) => return None,
    };
    let holds = match rule.op {
        RuleOp::Le => value <= bound,
        RuleOp::Ge => value >= bound,
    };
    (!holds).then(|| FieldError::new(data_path(&rule.field), FieldErrorCode::OutOfRange, message))
}

/// One field's value, judged on its own before conditions are applied.
enum Parsed {
    Missing,
    Valid(Value),
    Invalid(Vec<FieldError>),
}

fn data_path(key: &str) -> String {
    format!("data.{key}")
}

fn is_missing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn parse_field(index: usize, field: &FieldDef, raw: Option<&Value>, ctx: &ValidationContext) -> Parsed {
    let Some(raw) = raw.filter(|value| !is_missing(value)) else {
        return Parsed::Missing;
    };
    let mut check = Check { path: data_path(&field.key), errors: Vec::new() };
    let value = match &field.kind {
        FieldKind::Text | FieldKind::LongText => check.text(index, field, raw),
        FieldKind::Number => check.number(field, raw),
        FieldKind::Money => check.money(field, raw),
        FieldKind::Date => check.date(raw),
        FieldKind::Choice { options } => check.choice(options, raw),
        FieldKind::MultiChoice { options } => check.multi_choice(field, options, raw),
        FieldKind::Boolean => check.boolean(raw),
        FieldKind::NationalId => check.normalized(raw, FieldErrorCode::InvalidNationalId, |text| {
            normalize_national_id(ctx.country, text).map_err(|_| messages::invalid_national_id(ctx.country))
        }),
        FieldKind::Phone => check.normalized(raw, FieldErrorCode::InvalidPhone, |text| {
            normalize_phone(ctx.country, text).map_err(|_| messages::invalid_phone(ctx.country))
        }),
        FieldKind::Email => check.normalized(raw, FieldErrorCode::InvalidEmail, |text| {
            normalize_email(text).ok_or_else(messages::invalid_email)
        }),
        FieldKind::Location => check.location(raw),
        FieldKind::DocumentRef => check.string(raw).map(|text| Value::String(text.to_owned())),
    };
    match value {
        Some(value) if check.errors.is_empty() => Parsed::Valid(value),
        _ => Parsed::Invalid(check.errors),
    }
}

/// The errors found in one field's value, all at its path or below it.
struct Check {
    path: String,
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, code: FieldErrorCode, message: LocalizedText) {
        self.errors.push(FieldError::new(self.path.clone(), code, message));
    }

    fn fail_at(&mut self, suffix: &str, code: FieldErrorCode, message: LocalizedText) {
        self.errors.push(FieldError::new(format!("{}{suffix}", self.path), code, message));
    }

    /// The trimmed text of a string value.
    fn string<'v>(&mut self, raw: &'v Value) -> Option<&'v str> {
        match raw {
            Value::String(text) => Some(text.trim()),
            _ => {
                self.fail(FieldErrorCode::InvalidType, messages::invalid_type(Expected::Text));
                None
            }
        }
    }

    fn text(&mut self, index: usize, field: &FieldDef, raw: &Value) -> Option<Value> {
        let text = self.string(raw)?;
        let rules = &field.rules;
        let length = text.chars().count();
        if let Some(min) = rules.min_length
            && length < min as usize
        {
            self.fail(FieldErrorCode::TooShort, messages::too_short(min, LengthUnit::Characters));
        }
        if let Some(max) = rules.max_length
            && length > max as usize
        {
            self.fail(FieldErrorCode::TooLong, messages::too_long(max, LengthUnit::Characters));
        }
        if let Some(pattern) = &rules.pattern {
            match full_match(pattern) {
                Ok(regex) if regex.is_match(text) => {}
                Ok(_) => self.fail(FieldErrorCode::PatternMismatch, messages::pattern_mismatch()),
                // A form that was published without `check`; the fault is the form's, and it says so.
                Err(_) => self.errors.push(FieldError::new(
                    format!("form.fields[{index}].rules.pattern"),
                    FieldErrorCode::InvalidDefinition,
                    messages::invalid_pattern(),
                )),
            }
        }
        Some(Value::String(text.to_owned()))
    }

    /// A JSON number, strictly: `"42"` is text, not a number.
    fn json_number<'v>(&mut self, raw: &'v Value) -> Option<(&'v Number, f64)> {
        let number = match raw {
            Value::Number(number) => number.as_f64().map(|value| (number, value)),
            _ => None,
        };
        if number.is_none() {
            self.fail(FieldErrorCode::InvalidType, messages::invalid_type(Expected::Number));
        }
        number
    }

    fn number(&mut self, field: &FieldDef, raw: &Value) -> Option<Value> {
        let (_, value) = self.json_number(raw)?;
        self.range(field, value);
        Some(raw.clone())
    }

    fn money(&mut self, field: &FieldDef, raw: &Value) -> Option<Value> {
        let (number, amount) = self.json_number(raw)?;
        if amount < 0.0 {
            self.fail(FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::NegativeAmount));
        } else if decimal_places(number) > 2 {
            self.fail(FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::TooManyDecimals));
        } else {
            self.range(field, amount);
        }
        Some(raw.clone())
    }

    fn range(&mut self, field: &FieldDef, value: f64) {
        let (min, max) = (field.rules.min, field.rules.max);
        let below = min.is_some_and(|min| value < min);
        let above = max.is_some_and(|max| value > max);
        if below || above {
            self.fail(FieldErrorCode::OutOfRange, messages::out_of_range(min, max));
        }
    }

    fn date(&mut self, raw: &Value) -> Option<Value> {
        let text = self.string(raw)?;
        match parse_date(text) {
            // `YYYY-MM-DD`: the years `parse_date` accepts have four digits.
            Some(date) => Some(Value::String(date.to_string())),
            None => {
                self.fail(FieldErrorCode::InvalidDate, messages::invalid_date());
                None
            }
        }
    }

    fn choice(&mut self, options: &[ChoiceOption], raw: &Value) -> Option<Value> {
        let text = self.string(raw)?;
        match options.iter().find(|option| option.value == text) {
            Some(option) => Some(Value::String(option.value.clone())),
            None => {
                self.fail(FieldErrorCode::NotAnOption, messages::not_an_option());
                None
            }
        }
    }

    fn multi_choice(&mut self, field: &FieldDef, options: &[ChoiceOption], raw: &Value) -> Option<Value> {
        let Value::Array(items) = raw else {
            self.fail(FieldErrorCode::InvalidType, messages::invalid_type(Expected::List));
            return None;
        };
        let mut chosen: Vec<Value> = Vec::with_capacity(items.len());
        let mut seen = HashSet::new();
        for (position, item) in items.iter().enumerate() {
            let at = format!("[{position}]");
            let Value::String(text) = item else {
                self.fail_at(&at, FieldErrorCode::InvalidType, messages::invalid_type(Expected::Text));
                continue;
            };
            let text = text.trim();
            if !options.iter().any(|option| option.value == text) {
                self.fail_at(&at, FieldErrorCode::NotAnOption, messages::not_an_option());
            } else if !seen.insert(text) {
                self.fail_at(
                    &at,
                    FieldErrorCode::InvalidValue,
                    messages::invalid_value(InvalidReason::DuplicateChoice),
                );
            } else {
                chosen.push(Value::String(text.to_owned()));
            }
        }
        // The bounds count options, so a fractional bound is rounded to the count it allows.
        let count = items.len() as f64;
        if let Some(min) = field.rules.min
            && count < min
        {
            self.fail(FieldErrorCode::TooShort, messages::too_short(min.ceil() as u32, LengthUnit::Choices));
        }
        if let Some(max) = field.rules.max
            && count > max
        {
            self.fail(FieldErrorCode::TooLong, messages::too_long(max.floor().max(0.0) as u32, LengthUnit::Choices));
        }
        Some(Value::Array(chosen))
    }

    fn boolean(&mut self, raw: &Value) -> Option<Value> {
        if raw.is_boolean() {
            Some(raw.clone())
        } else {
            self.fail(FieldErrorCode::InvalidType, messages::invalid_type(Expected::Boolean));
            None
        }
    }

    /// A text brought to its canonical spelling by `normalize`, or rejected with `code`.
    fn normalized(
        &mut self,
        raw: &Value,
        code: FieldErrorCode,
        normalize: impl FnOnce(&str) -> Result<String, LocalizedText>,
    ) -> Option<Value> {
        let text = self.string(raw)?;
        match normalize(text) {
            Ok(value) => Some(Value::String(value)),
            Err(message) => {
                self.fail(code, message);
                None
            }
        }
    }

    fn location(&mut self, raw: &Value) -> Option<Value> {
        let Value::Object(parts) = raw else {
            self.fail(FieldErrorCode::InvalidType, messages::invalid_type(Expected::Location));
            return None;
        };
        let errors_before = self.errors.len();
        for key in parts.keys().filter(|key| !matches!(key.as_str(), "lat" | "lng" | "address")) {
            self.fail_at(&format!(".{key}"), FieldErrorCode::UnknownField, messages::unknown_field());
        }
        let lat = self.coordinate(parts, "lat", 90.0, LocationProblem::Latitude);
        let lng = self.coordinate(parts, "lng", 180.0, LocationProblem::Longitude);
        let address = match parts.get("address") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.trim()).filter(|text| !text.is_empty()),
            Some(_) => {
                self.fail_at(
                    ".address",
                    FieldErrorCode::InvalidLocation,
                    messages::invalid_location(LocationProblem::Address),
                );
                None
            }
        };
        let mut location = Map::new();
        match (lat, lng) {
            (Ok(Some(lat)), Ok(Some(lng))) => {
                location.insert("lat".into(), lat);
                location.insert("lng".into(), lng);
            }
            (Ok(Some(_)), Ok(None)) => self.fail_at(
                ".lng",
                FieldErrorCode::InvalidLocation,
                messages::invalid_location(LocationProblem::IncompleteCoordinates),
            ),
            (Ok(None), Ok(Some(_))) => self.fail_at(
                ".lat",
                FieldErrorCode::InvalidLocation,
                messages::invalid_location(LocationProblem::IncompleteCoordinates),
            ),
            _ => {}
        }
        if let Some(address) = address {
            location.insert("address".into(), Value::String(address.to_owned()));
        }
        if location.is_empty() && self.errors.len() == errors_before {
            self.fail(FieldErrorCode::InvalidLocation, messages::invalid_location(LocationProblem::Empty));
        }
        Some(Value::Object(location))
    }

    /// A latitude or longitude within `±limit`, `Ok(None)` when absent; a bad one is reported at its own path.
    fn coordinate(
        &mut self,
        parts: &Map<String, Value>,
        key: &str,
        limit: f64,
        problem: LocationProblem,
    ) -> Result<Option<Value>, ()> {
        match parts.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) if number.as_f64().is_some_and(|x| (-limit..=limit).contains(&x)) => {
                Ok(Some(Value::Number(number.clone())))
            }
            Some(_) => {
                self.fail_at(&format!(".{key}"), FieldErrorCode::InvalidLocation, messages::invalid_location(problem));
                Err(())
            }
        }
    }
}

/// How the conditions of a form evaluate on one submission.
struct Conditions<'a> {
    fields: &'a [FieldDef],
    /// The first field of each key.
    index: HashMap<&'a str, usize>,
    raw: &'a Map<String, Value>,
    parsed: &'a [Parsed],
}

impl<'a> Conditions<'a> {
    fn new(fields: &'a [FieldDef], raw: &'a Map<String, Value>, parsed: &'a [Parsed]) -> Self {
        let mut index = HashMap::with_capacity(fields.len());
        for (position, field) in fields.iter().enumerate() {
            index.entry(field.key.as_str()).or_insert(position);
        }
        Self { fields, index, raw, parsed }
    }

    /// Which fields are shown. A field is shown when it has no `visible_if`, or when the field its condition
    /// names is shown and has the expected value; conditions that name no other field, or that depend on each
    /// other in a loop, never hold.
    fn visibility(&self) -> Vec<bool> {
        let mut known: Vec<Option<bool>> = vec![None; self.fields.len()];
        for start in 0..self.fields.len() {
            // Follow the chain of conditions to a field whose visibility is settled, then settle the chain
            // backwards.
            let mut chain: Vec<usize> = Vec::new();
            let mut current = start;
            let mut shown = loop {
                if let Some(shown) = known[current] {
                    break shown;
                }
                if chain.contains(&current) {
                    break false;
                }
                let Some(condition) = &self.fields[current].visible_if else {
                    known[current] = Some(true);
                    break true;
                };
                chain.push(current);
                match self.referenced(current, condition) {
                    Some(next) => current = next,
                    None => break false,
                }
            };
            for &field in chain.iter().rev() {
                let matches = self.fields[field]
                    .visible_if
                    .as_ref()
                    .and_then(|condition| Some((self.referenced(field, condition)?, condition)))
                    .is_some_and(|(other, condition)| self.has_value(other, &condition.equals));
                shown = shown && matches;
                known[field] = Some(shown);
            }
        }
        known.into_iter().map(|shown| shown.unwrap_or(false)).collect()
    }

    /// Whether `condition`, set on field `owner`, holds once visibility is known.
    fn holds(&self, owner: usize, condition: &Condition, visible: &[bool]) -> bool {
        self.referenced(owner, condition)
            .is_some_and(|other| visible[other] && self.has_value(other, &condition.equals))
    }

    /// The other field a condition names, if it exists.
    fn referenced(&self, owner: usize, condition: &Condition) -> Option<usize> {
        self.index.get(condition.field.as_str()).copied().filter(|&other| other != owner)
    }

    /// Whether field `other` has the value `expected` (for a list: contains it). The normalized value is
    /// compared when the field is valid, the submitted one otherwise.
    fn has_value(&self, other: usize, expected: &Value) -> bool {
        let actual = match &self.parsed[other] {
            Parsed::Missing => return false,
            Parsed::Valid(value) => Some(value),
            Parsed::Invalid(_) => self.raw.get(&self.fields[other].key),
        };
        actual.is_some_and(|actual| match actual {
            Value::Array(items) if !expected.is_array() => items.iter().any(|item| same_value(item, expected)),
            _ => same_value(actual, expected),
        })
    }
}

/// JSON equality, except that numbers compare by value (`1` equals `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => a == b,
    }
}

/// The number of decimals a JSON number was written with (`12.50` reads back as `12.5`: one).
fn decimal_places(number: &Number) -> u32 {
    if number.is_i64() || number.is_u64() {
        return 0;
    }
    // The shortest text that reads back as the same float: `0.07`, `1.5e-7`, `1e21`.
    let text = number.to_string();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, fraction)| fraction.trim_end_matches('0').len());
    let places = i64::try_from(fraction).unwrap_or(i64::MAX).saturating_sub(exponent);
    u32::try_from(places.max(0)).unwrap_or(u32::MAX)
}

/// A sane email address, with the ASCII letters of its domain in lower case (domains compare without case;
/// an internationalized domain is kept as typed, which also spares the SDK Unicode's case tables): one `@`, a
/// local part, a dotted domain, no spaces, at most 254 characters.
fn normalize_email(text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = text.split_once('@')?;
    let domain_ok = domain.contains('.')
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok {
        return None;
    }
    Some(format!("{local}@{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::commune::Country;
    use crate::model::form::Rules;
    use crate::model::i18n::Locale;

    use FieldErrorCode::*;

    /// What validating one value should give.
    enum Expect {
        /// Valid, and kept as this normalized value.
        Ok(Value),
        /// Valid, and left out of the result (missing and optional).
        Absent,
        /// These errors, by path and code, in this order.
        Err(Vec<(&'static str, FieldErrorCode)>),
    }

    struct Case {
        name: &'static str,
        country: Country,
        field: FieldDef,
        /// `None`: the key is not sent at all.
        input: Option<Value>,
        expect: Expect,
    }

    fn case(name: &'static str, field: FieldDef, input: Value, expect: Expect) -> Case {
        Case { name, country: Country::Morocco, field, input: Some(input), expect }
    }

    fn field(kind: FieldKind) -> FieldDef {
        named("f", kind)
    }

    fn named(key: &str, kind: FieldKind) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: LocalizedText::ar_fr(key, key),
            help: None,
            kind,
            required: false,
            personal: false,
            rules: Rules::default(),
            visible_if: None,
            required_if: None,
        }
    }

    fn required(kind: FieldKind) -> FieldDef {
        FieldDef { required: true, ..field(kind) }
    }

    fn ruled(kind: FieldKind, rules: Rules) -> FieldDef {
        FieldDef { rules, ..field(kind) }
    }

    fn options(values: &[&str]) -> Vec<ChoiceOption> {
        values
            .iter()
            .map(|value| ChoiceOption { value: (*value).into(), label: LocalizedText::ar_fr(*value, *value) })
            .collect()
    }

    fn choice(values: &[&str]) -> FieldKind {
        FieldKind::Choice { options: options(values) }
    }

    fn multi(values: &[&str]) -> FieldKind {
        FieldKind::MultiChoice { options: options(values) }
    }

    fn err(path: &'static str, code: FieldErrorCode) -> Expect {
        Expect::Err(vec![(path, code)])
    }

    fn length(min: Option<u32>, max: Option<u32>) -> Rules {
        Rules { min_length: min, max_length: max, ..Rules::default() }
    }

    fn range(min: Option<f64>, max: Option<f64>) -> Rules {
        Rules { min, max, ..Rules::default() }
    }

    fn pattern(pattern: &str) -> Rules {
        Rules { pattern: Some(pattern.into()), ..Rules::default() }
    }

    fn found(errors: &[FieldError]) -> Vec<(String, FieldErrorCode)> {
        errors.iter().map(|error| (error.path.clone(), error.code)).collect()
    }

    fn assert_localized(errors: &[FieldError]) {
        for error in errors {
            for locale in [Locale::Ar, Locale::Fr, Locale::En] {
                assert!(error.message.exact(locale).is_some(), "{error:?} lacks {locale}");
            }
        }
    }

    #[test]
    fn one_field_at_a_time() {
        use FieldKind::*;
        let too_long_email = format!("{}@example.ma", "a".repeat(250));
        let cases = vec![
            // Text and long text.
            case("text is trimmed", field(Text), json!("  Oujda  "), Expect::Ok(json!("Oujda"))),
            case("text must be a string", field(Text), json!(12), err("data.f", InvalidType)),
            Case { input: None, ..case("absent optional", field(Text), json!(null), Expect::Absent) },
            Case { input: None, ..case("absent required", required(Text), json!(null), err("data.f", Required)) },
            case("null optional", field(Text), json!(null), Expect::Absent),
            case("null required", required(Text), json!(null), err("data.f", Required)),
            case("empty required", required(Text), json!(""), err("data.f", Required)),
            case("blank required", required(Text), json!("   "), err("data.f", Required)),
            case("blank optional", field(Text), json!("  "), Expect::Absent),
            case("min length", ruled(Text, length(Some(3), None)), json!("ab"), err("data.f", TooShort)),
            case("min length met", ruled(Text, length(Some(3), None)), json!("abc"), Expect::Ok(json!("abc"))),
            case(
                "length counts characters",
                ruled(Text, length(None, Some(5))),
                json!("وجدة"),
                Expect::Ok(json!("وجدة")),
            ),
            case("length after trimming", ruled(Text, length(Some(3), None)), json!(" ab "), err("data.f", TooShort)),
            case("max length", ruled(LongText, length(None, Some(5))), json!("abcdef"), err("data.f", TooLong)),
            case("pattern", ruled(Text, pattern("[A-Z]{2}")), json!("AB"), Expect::Ok(json!("AB"))),
            case(
                "pattern matches the whole text",
                ruled(Text, pattern("[A-Z]{2}")),
                json!("ABC"),
                err("data.f", PatternMismatch),
            ),
            case(
                "pattern anchored at the start",
                ruled(Text, pattern("[A-Z]{2}")),
                json!("xAB"),
                err("data.f", PatternMismatch),
            ),
            case("pattern alternatives", ruled(Text, pattern("a|ab")), json!("ab"), Expect::Ok(json!("ab"))),
            case(
                "length and pattern together",
                ruled(Text, Rules { min_length: Some(4), pattern: Some("[0-9]+".into()), ..Rules::default() }),
                json!("ab"),
                Expect::Err(vec![("data.f", TooShort), ("data.f", PatternMismatch)]),
            ),
            // Numbers.
            case("integer", field(Number), json!(42), Expect::Ok(json!(42))),
            case("decimal", field(Number), json!(-4.5), Expect::Ok(json!(-4.5))),
            case("numeric text is not a number", field(Number), json!("42"), err("data.f", InvalidType)),
            case("boolean is not a number", field(Number), json!(true), err("data.f", InvalidType)),
            case("below min", ruled(Number, range(Some(1.0), Some(10.0))), json!(0), err("data.f", OutOfRange)),
            case("above max", ruled(Number, range(Some(1.0), Some(10.0))), json!(10.5), err("data.f", OutOfRange)),
            case("at max", ruled(Number, range(Some(1.0), Some(10.0))), json!(10), Expect::Ok(json!(10))),
            case("zero is a value", required(Number), json!(0), Expect::Ok(json!(0))),
            // Money.
            case("amount", field(Money), json!(12.5), Expect::Ok(json!(12.5))),
            case("amount in centimes", field(Money), json!(0.07), Expect::Ok(json!(0.07))),
            case("whole amount", field(Money), json!(100), Expect::Ok(json!(100))),
            case("three decimals", field(Money), json!(12.255), err("data.f", InvalidValue)),
            case("tiny fraction", field(Money), json!(1e-7), err("data.f", InvalidValue)),
            case("negative amount", field(Money), json!(-1), err("data.f", InvalidValue)),
            case("amount as text", field(Money), json!("12"), err("data.f", InvalidType)),
            case("amount above max", ruled(Money, range(None, Some(1000.0))), json!(1500), err("data.f", OutOfRange)),
            // Dates.
            case("date", field(Date), json!("2026-03-15"), Expect::Ok(json!("2026-03-15"))),
            case("date trimmed", field(Date), json!(" 2026-03-15 "), Expect::Ok(json!("2026-03-15"))),
            case("leap day", field(Date), json!("2024-02-29"), Expect::Ok(json!("2024-02-29"))),
            case("no leap day", field(Date), json!("2025-02-29"), err("data.f", InvalidDate)),
            case("no such day", field(Date), json!("2026-04-31"), err("data.f", InvalidDate)),
            case("unpadded date", field(Date), json!("2026-3-5"), err("data.f", InvalidDate)),
            case("french date", field(Date), json!("15/03/2026"), err("data.f", InvalidDate)),
            case("date with time", field(Date), json!("2026-03-15T10:00:00Z"), err("data.f", InvalidDate)),
            case("date as number", field(Date), json!(20260315), err("data.f", InvalidType)),
            // Choices.
            case("option", field(choice(&["a", "b"])), json!("a"), Expect::Ok(json!("a"))),
            case("option trimmed", field(choice(&["a", "b"])), json!(" b "), Expect::Ok(json!("b"))),
            case("not an option", field(choice(&["a", "b"])), json!("c"), err("data.f", NotAnOption)),
            case("option as number", field(choice(&["1", "2"])), json!(1), err("data.f", InvalidType)),
            case("options", field(multi(&["a", "b", "c"])), json!(["a", "c"]), Expect::Ok(json!(["a", "c"]))),
            case("empty list optional", field(multi(&["a"])), json!([]), Expect::Absent),
            case("empty list required", required(multi(&["a"])), json!([]), err("data.f", Required)),
            case("one item not an option", field(multi(&["a", "b"])), json!(["a", "x"]), err("data.f[1]", NotAnOption)),
            case("item twice", field(multi(&["a", "b"])), json!(["a", "b", "a"]), err("data.f[2]", InvalidValue)),
            case("item not text", field(multi(&["a", "b"])), json!([1, "a"]), err("data.f[0]", InvalidType)),
            case("list expected", field(multi(&["a", "b"])), json!("a"), err("data.f", InvalidType)),
            case(
                "too few choices",
                ruled(multi(&["a", "b", "c"]), range(Some(2.0), None)),
                json!(["a"]),
                err("data.f", TooShort),
            ),
            case(
                "too many choices",
                ruled(multi(&["a", "b", "c"]), range(None, Some(2.0))),
                json!(["a", "b", "c"]),
                err("data.f", TooLong),
            ),
            case(
                "every bad item",
                field(multi(&["a", "b"])),
                json!(["x", "a", "a", null]),
                Expect::Err(vec![("data.f[0]", NotAnOption), ("data.f[2]", InvalidValue), ("data.f[3]", InvalidType)]),
            ),
            // Booleans.
            case("true", field(Boolean), json!(true), Expect::Ok(json!(true))),
            case("false satisfies required", required(Boolean), json!(false), Expect::Ok(json!(false))),
            case("boolean as text", field(Boolean), json!("true"), err("data.f", InvalidType)),
            // National ids, per country.
            case("cnie", field(NationalId), json!("ab 123456"), Expect::Ok(json!("AB123456"))),
            case("cnie without letters", field(NationalId), json!("123456"), err("data.f", InvalidNationalId)),
            case("cnie as number", field(NationalId), json!(123456), err("data.f", InvalidType)),
            Case {
                country: Country::Mauritania,
                ..case("nni", field(NationalId), json!("12345 67890"), Expect::Ok(json!("1234567890")))
            },
            Case {
                country: Country::Mauritania,
                ..case("cnie is not an nni", field(NationalId), json!("AB123456"), err("data.f", InvalidNationalId))
            },
            Case {
                country: Country::Spain,
                ..case("dni", field(NationalId), json!("12345678-z"), Expect::Ok(json!("12345678Z")))
            },
            Case {
                country: Country::Spain,
                ..case("dni check letter", field(NationalId), json!("12345678A"), err("data.f", InvalidNationalId))
            },
            // Phones, per country.
            case("phone", field(Phone), json!("06 12 34 56 78"), Expect::Ok(json!("+212612345678"))),
            case("phone too short", field(Phone), json!("12345"), err("data.f", InvalidPhone)),
            case("phone as number", field(Phone), json!(612345678), err("data.f", InvalidType)),
            Case {
                country: Country::Mauritania,
                ..case("mauritanian phone", field(Phone), json!("22 12 34 56"), Expect::Ok(json!("+22222123456")))
            },
            Case {
                country: Country::Spain,
                ..case("moroccan phone in spain", field(Phone), json!("0612345678"), err("data.f", InvalidPhone))
            },
            // Emails.
            case("email", field(Email), json!(" Amina@Example.MA "), Expect::Ok(json!("Amina@example.ma"))),
            case("email without at", field(Email), json!("amina"), err("data.f", InvalidEmail)),
            case("email without dot", field(Email), json!("amina@localhost"), err("data.f", InvalidEmail)),
            case("email with space", field(Email), json!("amina b@example.ma"), err("data.f", InvalidEmail)),
            case("email with two ats", field(Email), json!("a@b@example.ma"), err("data.f", InvalidEmail)),
            case("email without local part", field(Email), json!("@example.ma"), err("data.f", InvalidEmail)),
            case("email with empty label", field(Email), json!("a@example..ma"), err("data.f", InvalidEmail)),
            case("email too long", field(Email), json!(too_long_email), err("data.f", InvalidEmail)),
            // Locations.
            case(
                "coordinates",
                field(Location),
                json!({"lat": 34.68, "lng": -1.91}),
                Expect::Ok(json!({"lat": 34.68, "lng": -1.91})),
            ),
            case(
                "address",
                field(Location),
                json!({"address": " Bd Mohammed V ", "lat": null}),
                Expect::Ok(json!({"address": "Bd Mohammed V"})),
            ),
            case(
                "both",
                field(Location),
                json!({"lat": 0, "lng": 180, "address": "x"}),
                Expect::Ok(json!({"lat": 0, "lng": 180, "address": "x"})),
            ),
            case(
                "latitude out of range",
                field(Location),
                json!({"lat": 95, "lng": 0}),
                err("data.f.lat", InvalidLocation),
            ),
            case(
                "longitude out of range",
                field(Location),
                json!({"lat": 0, "lng": -181}),
                err("data.f.lng", InvalidLocation),
            ),
            case(
                "latitude as text",
                field(Location),
                json!({"lat": "34", "lng": 1}),
                err("data.f.lat", InvalidLocation),
            ),
            case("latitude alone", field(Location), json!({"lat": 34}), err("data.f.lng", InvalidLocation)),
            case(
                "longitude alone",
                field(Location),
                json!({"lng": 3, "address": "x"}),
                err("data.f.lat", InvalidLocation),
            ),
            case("nothing located", field(Location), json!({}), err("data.f", InvalidLocation)),
            case("blank address", field(Location), json!({"address": " "}), err("data.f", InvalidLocation)),
            case("address not text", field(Location), json!({"address": 5}), err("data.f.address", InvalidLocation)),
            case("location as text", field(Location), json!("Oujda"), err("data.f", InvalidType)),
            case("unknown part", field(Location), json!({"address": "x", "zoom": 3}), err("data.f.zoom", UnknownField)),
            // Document references.
            case("document reference", field(DocumentRef), json!(" cnie "), Expect::Ok(json!("cnie"))),
            case("blank document reference", required(DocumentRef), json!(" "), err("data.f", Required)),
            case("document reference as number", field(DocumentRef), json!(3), err("data.f", InvalidType)),
        ];
        for Case { name, country, field, input, expect } in cases {
            let key = field.key.clone();
            let schema = FormSchema { fields: vec![field], rules: Vec::new() };
            let mut data = Map::new();
            if let Some(input) = input {
                data.insert(key.clone(), input);
            }
            let got = schema.validate(&Value::Object(data), &ValidationContext { country });
            match (expect, got) {
                (Expect::Ok(value), Ok(normalized)) => {
                    assert_eq!(normalized.get(&key), Some(&value), "{name}");
                    assert_eq!(normalized.len(), 1, "{name}");
                }
                (Expect::Absent, Ok(normalized)) => assert!(normalized.is_empty(), "{name}: {normalized:?}"),
                (Expect::Err(expected), Err(errors)) => {
                    let expected: Vec<(String, FieldErrorCode)> =
                        expected.into_iter().map(|(path, code)| (path.to_owned(), code)).collect();
                    assert_eq!(found(&errors), expected, "{name}");
                    assert_localized(&errors);
                }
                (_, got) => panic!("{name}: unexpected {got:?}"),
            }
        }
    }

    /// A request for a connection: a person gives a CIN, a company its name; notes show for one company only.
    fn connection_form() -> FormSchema {
        let when = |field: &str, equals: Value| Some(Condition { field: field.into(), equals });
        FormSchema {
            fields: vec![
                FieldDef { required: true, ..named("applicant_type", choice(&["person", "company"])) },
                FieldDef {
                    required: true,
                    visible_if: when("applicant_type", json!("company")),
                    ..named("company_name", FieldKind::Text)
                },
                FieldDef {
                    personal: true,
                    required_if: when("applicant_type", json!("person")),
                    ..named("cin", FieldKind::NationalId)
                },
                FieldDef { visible_if: when("company_name", json!("ACME")), ..named("notes", FieldKind::LongText) },
                named("services", multi(&["water", "power"])),
                FieldDef {
                    required: true,
                    visible_if: when("services", json!("water")),
                    ..named("meter", FieldKind::Text)
                },
                named("floors", FieldKind::Number),
                FieldDef { required_if: when("floors", json!(2)), ..named("plan", FieldKind::DocumentRef) },
                named("garage", FieldKind::Boolean),
                FieldDef {
                    required: true,
                    visible_if: when("garage", json!(true)),
                    ..named("garage_area", FieldKind::Number)
                },
            ],
            rules: Vec::new(),
        }
    }

    #[test]
    fn conditions() {
        type Outcome = Result<Value, Vec<(&'static str, FieldErrorCode)>>;
        let ok = |value: Value| -> Outcome { Ok(value) };
        let cases: Vec<(&str, Value, Outcome)> = vec![
            (
                "a person gives a cin",
                json!({"applicant_type": "person", "cin": "ab1"}),
                ok(json!({"applicant_type": "person", "cin": "AB1"})),
            ),
            ("required_if holds", json!({"applicant_type": "person"}), Err(vec![("data.cin", Required)])),
            (
                "required_if does not hold",
                json!({"applicant_type": "company", "company_name": "Atlas"}),
                ok(json!({"applicant_type": "company", "company_name": "Atlas"})),
            ),
            (
                "a shown field is required",
                json!({"applicant_type": "company"}),
                Err(vec![("data.company_name", Required)]),
            ),
            (
                "a hidden field is dropped, not checked",
                json!({"applicant_type": "person", "cin": "A1", "company_name": 42}),
                ok(json!({"applicant_type": "person", "cin": "A1"})),
            ),
            (
                "conditions see normalized values",
                json!({"applicant_type": " company ", "company_name": " ACME ", "notes": "n"}),
                ok(json!({"applicant_type": "company", "company_name": "ACME", "notes": "n"})),
            ),
            (
                "a field hidden behind a hidden field is hidden",
                json!({"applicant_type": "person", "cin": "A1", "company_name": "ACME", "notes": "n"}),
                ok(json!({"applicant_type": "person", "cin": "A1"})),
            ),
            (
                "a multi-choice condition holds when the list contains the value",
                json!({"applicant_type": "person", "cin": "A1", "services": ["power", "water"]}),
                Err(vec![("data.meter", Required)]),
            ),
            (
                "numbers compare by value",
                json!({"applicant_type": "person", "cin": "A1", "floors": 2.0}),
                Err(vec![("data.plan", Required)]),
            ),
            (
                "booleans",
                json!({"applicant_type": "person", "cin": "A1", "garage": true}),
                Err(vec![("data.garage_area", Required)]),
            ),
            (
                "false hides",
                json!({"applicant_type": "person", "cin": "A1", "garage": false, "garage_area": "big"}),
                ok(json!({"applicant_type": "person", "cin": "A1", "garage": false})),
            ),
            (
                "a condition on a bad value sees the value as sent",
                json!({"applicant_type": "other"}),
                Err(vec![("data.applicant_type", NotAnOption)]),
            ),
        ];
        let schema = connection_form();
        assert_eq!(schema.check(), Ok(()));
        let ctx = ValidationContext { country: Country::Morocco };
        for (name, data, expected) in cases {
            let got = schema.validate(&data, &ctx).map(Value::Object).map_err(|errors| found(&errors));
            let expected = expected
                .map_err(|errors| errors.into_iter().map(|(path, code)| (path.to_owned(), code)).collect::<Vec<_>>());
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn every_failure_at_once() {
        let schema = connection_form();
        let data = json!({
            "applicant_type": "person",
            "cin": "123",
            "floors": "two",
            "garage": "yes",
            "nickname": "Ami",
        });
        let errors = schema.validate(&data, &ValidationContext { country: Country::Morocco }).unwrap_err();
        assert_eq!(
            found(&errors),
            [
                ("data.cin".to_owned(), InvalidNationalId),
                ("data.floors".to_owned(), InvalidType),
                ("data.garage".to_owned(), InvalidType),
                ("data.nickname".to_owned(), UnknownField),
            ]
        );
        assert_localized(&errors);
    }

    #[test]
    fn data_must_be_an_object() {
        let schema = connection_form();
        let ctx = ValidationContext { country: Country::Morocco };
        for data in [json!(null), json!([]), json!("x"), json!(1)] {
            let errors = schema.validate(&data, &ctx).unwrap_err();
            assert_eq!(found(&errors), [("data".to_owned(), InvalidType)], "{data}");
            assert_localized(&errors);
        }
    }

    #[test]
    fn forms_that_were_not_checked_do_not_break_validation() {
        let when = |field: &str| Some(Condition { field: field.into(), equals: json!("x") });
        let schema = FormSchema {
            fields: vec![
                FieldDef { visible_if: when("b"), ..named("a", FieldKind::Text) },
                FieldDef { visible_if: when("a"), ..named("b", FieldKind::Text) },
                FieldDef { visible_if: when("c"), required_if: when("c"), ..named("c", FieldKind::Text) },
                FieldDef { visible_if: when("nowhere"), ..named("d", FieldKind::Text) },
                FieldDef { rules: pattern("("), ..named("e", FieldKind::Text) },
            ],
            rules: Vec::new(),
        };
        let ctx = ValidationContext { country: Country::Morocco };
        let data = json!({"a": "x", "b": "x", "c": "x", "d": "x"});
        assert_eq!(schema.validate(&data, &ctx), Ok(Map::new()));
        let errors = schema.validate(&json!({"e": "x"}), &ctx).unwrap_err();
        assert_eq!(found(&errors), [("form.fields[4].rules.pattern".to_owned(), InvalidDefinition)]);
    }

    #[test]
    fn form_rules_bound_a_number_by_a_value_or_another_field() {
        use crate::model::basis::RuleBasis;
        use crate::model::form::FormRule;
        let schema = FormSchema {
            fields: vec![
                named("floors", FieldKind::Number),
                named("built", FieldKind::Number),
                named("parcel", FieldKind::Money),
            ],
            rules: vec![
                FormRule {
                    field: "floors".into(),
                    op: RuleOp::Le,
                    value: Some(2.0),
                    other_field: None,
                    basis: Some(RuleBasis::CommuneSetting),
                },
                FormRule {
                    field: "built".into(),
                    op: RuleOp::Le,
                    value: None,
                    other_field: Some("parcel".into()),
                    basis: None,
                },
            ],
        };
        let ctx = ValidationContext { country: Country::Morocco };
        assert!(schema.validate(&json!({"floors": 2, "built": 120, "parcel": 120}), &ctx).is_ok());
        // A rule whose values are not both there does not apply.
        assert!(schema.validate(&json!({"built": 500}), &ctx).is_ok());
        let errors = schema.validate(&json!({"floors": 6, "built": 121, "parcel": "120"}), &ctx).unwrap_err();
        assert_eq!(found(&errors), [("data.parcel".to_owned(), InvalidType), ("data.floors".to_owned(), OutOfRange)]);
        assert_eq!(errors[1].message_in(Locale::Fr), "La valeur doit être inférieure ou égale à 2.");
        let errors = schema.validate(&json!({"floors": 6, "built": 121, "parcel": 120}), &ctx).unwrap_err();
        assert_eq!(found(&errors), [("data.floors".to_owned(), OutOfRange), ("data.built".to_owned(), OutOfRange)]);
        assert_eq!(errors[1].message_in(Locale::En), "The value must be at most that of “parcel”.");
        assert_localized(&errors);
    }

    #[test]
    fn messages_carry_the_limits() {
        let schema = FormSchema { fields: vec![ruled(FieldKind::Text, length(Some(3), None))], rules: Vec::new() };
        let errors =
            schema.validate(&json!({"f": "ab"}), &ValidationContext { country: Country::Morocco }).unwrap_err();
        assert_eq!(errors[0].message_in(Locale::Fr), "Ce champ doit contenir au moins 3 caractères.");
        assert_eq!(errors[0].message_in(Locale::Ar), "يجب أن يحتوي هذا الحقل على 3 أحرف على الأقل.");
        assert_eq!(errors[0].message_in(Locale::En), "This field must contain at least 3 characters.");
    }

    #[test]
    fn decimal_places_of_json_numbers() {
        let cases =
            [("12", 0), ("12.5", 1), ("12.50", 1), ("0.07", 2), ("12.255", 3), ("1e-7", 7), ("1.5e3", 0), ("1e21", 0)];
        for (text, expected) in cases {
            let number: Number = serde_json::from_str(text).unwrap();
            assert_eq!(decimal_places(&number), expected, "{text}");
        }
    }
}
