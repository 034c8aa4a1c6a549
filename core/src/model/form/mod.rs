//! Form schemas and their validation: every failure at once, each with a field path, a stable code and a
//! message in Arabic, French and English. The same code runs on the server and in the browser (SDK).
//!
//! - `validate`: submitted data against a schema, returning the data normalized.
//! - `check`: the schema itself, when staff publish a form.
//! - `messages`: the localized text of every field error code.

mod check;
pub mod messages;
mod validate;

pub use validate::FieldState;

use serde::{Deserialize, Serialize};

use crate::model::basis::RuleBasis;
use crate::model::commune::Country;
use crate::model::i18n::LocalizedText;

/// The fields a citizen fills in for a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormSchema {
    pub fields: Vec<FieldDef>,
    /// Rules over the whole form, checked once each field is valid on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<FormRule>,
}

impl FormSchema {
    /// The fields that hold personal data (encrypted at rest, never logged).
    pub fn personal_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.iter().filter(|field| field.personal)
    }
}

/// One field of a form: one flat JSON object, whose `type` names its kind.
// Read through `FieldDefWire`, the same JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "FieldDefWire")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldDef {
    /// Stable key, `[a-z][a-z0-9_]*`; the field path of its errors is `data.<key>`.
    pub key: String,
    pub label: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<LocalizedText>,
    #[serde(flatten)]
    pub kind: FieldKind,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub required: bool,
    /// Personal data (national id, phone, names): encrypted at rest and never logged.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub personal: bool,
    #[serde(default, skip_serializing_if = "Rules::is_empty")]
    pub rules: Rules,
    /// The field is shown (and validated) only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
    /// The field becomes required when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<Condition>,
}

/// The type of a field, with its options where it has some. Serialized as `"type": "choice", "options": [...]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FieldKind {
    Text,
    LongText,
    Number,
    /// An amount in the commune's currency, at most two decimals.
    Money,
    /// `YYYY-MM-DD`.
    Date,
    Choice {
        options: Vec<ChoiceOption>,
    },
    MultiChoice {
        options: Vec<ChoiceOption>,
    },
    Boolean,
    /// The national identity number of the commune's country (CIN in Morocco, NNI in Mauritania).
    NationalId,
    Phone,
    Email,
    /// `{"lat": 34.68, "lng": -1.91, "address": "…"}`: coordinates, an address, or both.
    Location,
    /// The type code of a document attached to the request.
    DocumentRef,
}

/// A field as its JSON reads: one object whose `type` names the kind and whose `options` belong to the choices.
/// It reads what the derived reading of `FieldDef` (its kind flattened, tagged by `type`) reads, without serde's
/// buffering of flattened and tagged content, which was the largest part of the SDK's WebAssembly.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldDefWire {
    key: String,
    label: LocalizedText,
    #[serde(default)]
    help: Option<LocalizedText>,
    #[serde(rename = "type")]
    kind: KindTag,
    #[serde(default)]
    options: Option<Vec<ChoiceOption>>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    personal: bool,
    #[serde(default)]
    rules: Rules,
    #[serde(default)]
    visible_if: Option<Condition>,
    #[serde(default)]
    required_if: Option<Condition>,
}

/// The `type` of a field, as [`FieldKind`] spells it.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Text,
    LongText,
    Number,
    Money,
    Date,
    Choice,
    MultiChoice,
    Boolean,
    NationalId,
    Phone,
    Email,
    Location,
    DocumentRef,
}

impl TryFrom<FieldDefWire> for FieldDef {
    type Error = &'static str;

    fn try_from(wire: FieldDefWire) -> Result<Self, Self::Error> {
        const MISSING_OPTIONS: &str = "missing field `options`";
        let FieldDefWire { key, label, help, kind, options, required, personal, rules, visible_if, required_if } = wire;
        let kind = match kind {
            KindTag::Text => FieldKind::Text,
            KindTag::LongText => FieldKind::LongText,
            KindTag::Number => FieldKind::Number,
            KindTag::Money => FieldKind::Money,
            KindTag::Date => FieldKind::Date,
            KindTag::Choice => FieldKind::Choice { options: options.ok_or(MISSING_OPTIONS)? },
            KindTag::MultiChoice => FieldKind::MultiChoice { options: options.ok_or(MISSING_OPTIONS)? },
            KindTag::Boolean => FieldKind::Boolean,
            KindTag::NationalId => FieldKind::NationalId,
            KindTag::Phone => FieldKind::Phone,
            KindTag::Email => FieldKind::Email,
            KindTag::Location => FieldKind::Location,
            KindTag::DocumentRef => FieldKind::DocumentRef,
        };
        Ok(Self { key, label, help, kind, required, personal, rules, visible_if, required_if })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChoiceOption {
    pub value: String,
    pub label: LocalizedText,
}

/// Limits on a value; each applies only to the field types it makes sense for: `minLength`, `maxLength` and
/// `pattern` to text and long text (lengths in characters, the pattern matching the whole trimmed text); `min`
/// and `max` to numbers and amounts, and to the number of options chosen in a multi-choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "FieldRules"))]
pub struct Rules {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// A regular expression the whole text must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Rules {
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }
}

/// A bound on a number (or amount) field set by the whole form: a fixed value, which names its basis (a law,
/// or the commune's own limit for the procedure, such as the storeys a small-project building permit covers),
/// or another number field of the form. `{"field": "floors", "op": "le", "value": 2, "basis": "communeSetting"}`;
/// `{"field": "built_surface", "op": "le", "otherField": "parcel_surface"}`. A rule applies only when both
/// values are there and valid; a broken one is `OUT_OF_RANGE` at `data.<field>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormRule {
    pub field: String,
    pub op: RuleOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_field: Option<String>,
    /// Where a fixed bound comes from; required with `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<RuleBasis>,
}

/// How a [`FormRule`] bounds its field: at most (`le`) or at least (`ge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RuleOp {
    #[serde(rename = "le")]
    Le,
    #[serde(rename = "ge")]
    Ge,
}

/// A condition on another field's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "FieldCondition"))]
pub struct Condition {
    pub field: String,
    /// Holds when the field equals this value (for a multi-choice: contains it).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub equals: serde_json::Value,
}

/// What validation needs to know of the commune.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationContext {
    pub country: Country,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_published_format() {
        let json = json!({
            "fields": [
                {"key": "cin", "label": {"ar": "رقم البطاقة", "fr": "N° CNIE"}, "type": "national_id",
                 "required": true, "personal": true},
                {"key": "usage", "label": {"fr": "Usage"}, "type": "choice",
                 "options": [{"value": "habitation", "label": {"fr": "Habitation"}}],
                 "visibleIf": {"field": "cin", "equals": "AB1"}},
                {"key": "surface", "label": {"fr": "Surface"}, "type": "number", "rules": {"min": 1.0, "maxLength": 3}},
            ]
        });
        let schema: FormSchema = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            schema.fields[1].kind,
            FieldKind::Choice {
                options: vec![ChoiceOption {
                    value: "habitation".into(),
                    label: LocalizedText::new().with(crate::model::i18n::Locale::Fr, "Habitation"),
                }]
            }
        );
        assert_eq!(serde_json::to_value(&schema).unwrap()["fields"][2]["rules"], json!({"min": 1.0, "maxLength": 3}));
        let personal: Vec<&str> = schema.personal_fields().map(|field| field.key.as_str()).collect();
        assert_eq!(personal, ["cin"]);
    }

    #[test]
    fn a_field_reads_as_one_flat_object_tagged_by_its_type() {
        let read = |field: serde_json::Value| {
            serde_json::from_value::<FormSchema>(json!({ "fields": [field] })).map_err(|e| e.to_string())
        };
        let choice = json!({"key": "usage", "label": {"fr": "Usage"}, "type": "multi_choice", "unknown": 1,
                            "options": [{"value": "a", "label": {"fr": "A"}}]});
        let schema = read(choice).unwrap();
        assert!(matches!(&schema.fields[0].kind, FieldKind::MultiChoice { options } if options.len() == 1));
        // What the derived reading of the flattened, tagged kind said, it still says.
        let no_options = read(json!({"key": "usage", "label": {"fr": "Usage"}, "type": "choice"})).unwrap_err();
        assert!(no_options.contains("missing field `options`"), "{no_options}");
        let no_type = read(json!({"key": "usage", "label": {"fr": "Usage"}})).unwrap_err();
        assert!(no_type.contains("missing field `type`"), "{no_type}");
        let unknown = read(json!({"key": "usage", "label": {"fr": "Usage"}, "type": "colour"})).unwrap_err();
        assert!(unknown.contains("unknown variant `colour`"), "{unknown}");
        // Every shipped form reads back what it writes.
        for service in crate::model::standard::moroccan_services().unwrap() {
            let written = serde_json::to_value(&service.form).unwrap();
            assert_eq!(serde_json::from_value::<FormSchema>(written).unwrap(), service.form, "{}", service.code);
        }
    }

    #[test]
    fn field_states_follow_the_conditions_as_the_citizen_types() {
        let services = crate::model::standard::moroccan_services().unwrap();
        let form = &services.iter().find(|s| s.code == "extrait-acte-naissance").unwrap().form;
        let ctx = ValidationContext { country: Country::Morocco };
        let states = |data: serde_json::Value| -> Vec<(String, bool, bool)> {
            form.field_states(&data, &ctx).into_iter().map(|s| (s.key, s.visible, s.required)).collect()
        };
        let by_act = states(json!({"lookup_by": "act_reference"}));
        assert!(by_act.contains(&("act_number".into(), true, true)));
        assert!(by_act.contains(&("family_booklet_ref".into(), false, false)));
        let nothing_chosen = states(json!({}));
        assert!(nothing_chosen.contains(&("act_number".into(), false, false)));
        assert!(nothing_chosen.contains(&("lookup_by".into(), true, true)));
        assert_eq!(states(json!("not a form")), nothing_chosen);
    }
}
