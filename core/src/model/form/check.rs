//! Checks of a form definition, run when staff publish a form: what the types cannot say.

use std::collections::{HashMap, HashSet};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages::{self, DefinitionProblem};
use crate::model::form::validate::full_match;
use crate::model::form::{ChoiceOption, Condition, FieldDef, FieldKind, FormRule, FormSchema};

impl FormSchema {
    /// Checks the definition and lists every mistake, each `INVALID_DEFINITION` at a path such as
    /// `form.fields[2].key`: keys unique and matching `[a-z][a-z0-9_]*`, labels not empty, choices with at least
    /// one option and unique option values, conditions that name another field of the form (and visibility
    /// conditions that do not loop), patterns that compile, `min ≤ max` and `minLength ≤ maxLength`; form rules
    /// (`form.rules[i]`) that bound a number or amount field by a value citing its basis, or by another one.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let keys: HashSet<&str> = self.fields.iter().map(|field| field.key.as_str()).collect();
        let mut seen = HashSet::new();
        for (index, field) in self.fields.iter().enumerate() {
            let mut at = |suffix: &str, problem: DefinitionProblem| {
                errors.push(FieldError::new(
                    format!("form.fields[{index}].{suffix}"),
                    FieldErrorCode::InvalidDefinition,
                    messages::invalid_definition(&problem),
                ));
            };
            if !is_valid_key(&field.key) {
                at("key", DefinitionProblem::KeyFormat(field.key.clone()));
            } else if !seen.insert(field.key.as_str()) {
                at("key", DefinitionProblem::DuplicateKey(field.key.clone()));
            }
            if field.label.is_empty() {
                at("label", DefinitionProblem::EmptyLabel);
            }
            if let FieldKind::Choice { options } | FieldKind::MultiChoice { options } = &field.kind {
                check_options(options, &mut at);
            }
            for (suffix, condition) in
                [("visibleIf.field", &field.visible_if), ("requiredIf.field", &field.required_if)]
            {
                if let Some(Condition { field: other, .. }) = condition {
                    if *other == field.key {
                        at(suffix, DefinitionProblem::SelfCondition);
                    } else if !keys.contains(other.as_str()) {
                        at(suffix, DefinitionProblem::UnknownConditionField(other.clone()));
                    }
                }
            }
            let rules = &field.rules;
            if let Some(pattern) = &rules.pattern
                && full_match(pattern).is_err()
            {
                at("rules.pattern", DefinitionProblem::InvalidPattern);
            }
            if let (Some(min), Some(max)) = (rules.min, rules.max)
                && min > max
            {
                at("rules.min", DefinitionProblem::MinAboveMax);
            }
            if let (Some(min), Some(max)) = (rules.min_length, rules.max_length)
                && min > max
            {
                at("rules.minLength", DefinitionProblem::MinLengthAboveMaxLength);
            }
        }
        for (index, rule) in self.rules.iter().enumerate() {
            check_rule(rule, &self.fields, &mut |suffix: &str, problem: DefinitionProblem| {
                errors.push(FieldError::new(
                    format!("form.rules[{index}].{suffix}"),
                    FieldErrorCode::InvalidDefinition,
                    messages::invalid_definition(&problem),
                ));
            });
        }
        for index in visibility_loops(&self.fields) {
            errors.push(FieldError::new(
                format!("form.fields[{index}].visibleIf.field"),
                FieldErrorCode::InvalidDefinition,
                messages::invalid_definition(&DefinitionProblem::ConditionCycle),
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A form rule bounds a number or amount field, by a value with its basis or by another such field.
fn check_rule(rule: &FormRule, fields: &[FieldDef], at: &mut impl FnMut(&str, DefinitionProblem)) {
    let mut number_field = |suffix: &str, key: &str| match fields.iter().find(|field| field.key == key) {
        None => at(suffix, DefinitionProblem::UnknownRuleField(key.to_owned())),
        Some(FieldDef { kind: FieldKind::Number | FieldKind::Money, .. }) => {}
        Some(_) => at(suffix, DefinitionProblem::RuleFieldNotNumber(key.to_owned())),
    };
    number_field("field", &rule.field);
    match (&rule.other_field, rule.value) {
        (Some(_), Some(_)) | (None, None) => at("value", DefinitionProblem::RuleBound),
        (Some(other), None) if *other == rule.field => at("otherField", DefinitionProblem::SelfRule),
        (Some(other), None) => number_field("otherField", other),
        (None, Some(_)) if rule.basis.is_none() => at("basis", DefinitionProblem::RuleWithoutBasis),
        (None, Some(_)) => {}
    }
}

/// `[a-z][a-z0-9_]*`
fn is_valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_options(options: &[ChoiceOption], at: &mut impl FnMut(&str, DefinitionProblem)) {
    if options.is_empty() {
        at("options", DefinitionProblem::NoOptions);
    }
    let mut values = HashSet::new();
    for (position, option) in options.iter().enumerate() {
        if option.value.trim().is_empty() {
            at(&format!("options[{position}].value"), DefinitionProblem::EmptyOptionValue);
        } else if !values.insert(option.value.as_str()) {
            at(&format!("options[{position}].value"), DefinitionProblem::DuplicateOption(option.value.clone()));
        }
        if option.label.is_empty() {
            at(&format!("options[{position}].label"), DefinitionProblem::EmptyOptionLabel);
        }
    }
}

/// The fields whose `visible_if` chain comes back to them: each would be shown only if it were already shown.
/// A condition on the field itself is reported on its own and is not counted as a loop.
fn visibility_loops(fields: &[FieldDef]) -> Vec<usize> {
    let mut index = HashMap::with_capacity(fields.len());
    for (position, field) in fields.iter().enumerate() {
        index.entry(field.key.as_str()).or_insert(position);
    }
    let next = |position: usize| -> Option<usize> {
        let condition = fields.get(position)?.visible_if.as_ref()?;
        index.get(condition.field.as_str()).copied().filter(|&other| other != position)
    };
    (0..fields.len())
        .filter(|&start| {
            let mut current = start;
            // A chain longer than the form has repeated a field; only a loop through `start` counts here.
            for _ in 0..fields.len() {
                match next(current) {
                    Some(following) if following == start => return true,
                    Some(following) => current = following,
                    None => return false,
                }
            }
            false
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::form::Rules;
    use crate::model::i18n::{Locale, LocalizedText};

    fn field(key: &str, kind: FieldKind) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: LocalizedText::ar_fr("الاسم", "Nom"),
            help: None,
            kind,
            required: false,
            personal: false,
            rules: Rules::default(),
            visible_if: None,
            required_if: None,
        }
    }

    fn option(value: &str) -> ChoiceOption {
        ChoiceOption { value: value.into(), label: LocalizedText::ar_fr(value, value) }
    }

    fn when(field: &str) -> Option<Condition> {
        Some(Condition { field: field.into(), equals: json!("yes") })
    }

    /// A sound form: a name, a kind with two options, and a detail shown for one of them.
    fn sound() -> Vec<FieldDef> {
        vec![
            FieldDef {
                rules: Rules { min_length: Some(2), max_length: Some(80), ..Rules::default() },
                ..field("full_name", FieldKind::Text)
            },
            field("kind", FieldKind::Choice { options: vec![option("yes"), option("no")] }),
            FieldDef {
                visible_if: when("kind"),
                required_if: when("kind"),
                rules: Rules { min: Some(0.0), max: Some(10.0), pattern: None, ..Rules::default() },
                ..field("detail_2", FieldKind::Number)
            },
        ]
    }

    #[test]
    fn broken_definitions() {
        type Edit = fn(&mut Vec<FieldDef>);
        let cases: Vec<(&str, Edit, Vec<&str>)> = vec![
            ("sound", |_| {}, vec![]),
            ("capital in key", |f| f[0].key = "Full_name".into(), vec!["form.fields[0].key"]),
            ("key starts with a digit", |f| f[0].key = "1name".into(), vec!["form.fields[0].key"]),
            ("dash in key", |f| f[0].key = "full-name".into(), vec!["form.fields[0].key"]),
            ("empty key", |f| f[0].key = String::new(), vec!["form.fields[0].key"]),
            ("duplicate key", |f| f[0].key = "kind".into(), vec!["form.fields[1].key"]),
            ("empty label", |f| f[0].label = LocalizedText::ar_fr("", ""), vec!["form.fields[0].label"]),
            ("no options", |f| f[1].kind = FieldKind::MultiChoice { options: vec![] }, vec!["form.fields[1].options"]),
            (
                "duplicate option",
                |f| f[1].kind = FieldKind::Choice { options: vec![option("yes"), option("no"), option("yes")] },
                vec!["form.fields[1].options[2].value"],
            ),
            (
                "empty option value",
                |f| f[1].kind = FieldKind::Choice { options: vec![option(" "), option("no")] },
                vec!["form.fields[1].options[0].value"],
            ),
            (
                "empty option label",
                |f| {
                    f[1].kind = FieldKind::Choice {
                        options: vec![ChoiceOption { value: "yes".into(), label: LocalizedText::new() }],
                    }
                },
                vec!["form.fields[1].options[0].label"],
            ),
            (
                "condition on a missing field",
                |f| f[2].visible_if = when("kinds"),
                vec!["form.fields[2].visibleIf.field"],
            ),
            ("condition on itself", |f| f[2].required_if = when("detail_2"), vec!["form.fields[2].requiredIf.field"]),
            (
                "conditions in a loop",
                |f| f[1].visible_if = when("detail_2"),
                vec!["form.fields[1].visibleIf.field", "form.fields[2].visibleIf.field"],
            ),
            (
                "pattern does not compile",
                |f| f[0].rules.pattern = Some("[a-".into()),
                vec!["form.fields[0].rules.pattern"],
            ),
            (
                "pattern that only compiles once wrapped",
                |f| f[0].rules.pattern = Some("a)(b".into()),
                vec!["form.fields[0].rules.pattern"],
            ),
            ("min above max", |f| f[2].rules.min = Some(11.0), vec!["form.fields[2].rules.min"]),
            (
                "min length above max length",
                |f| f[0].rules.min_length = Some(81),
                vec!["form.fields[0].rules.minLength"],
            ),
            (
                "every mistake at once",
                |f| {
                    f[0].key = "Name".into();
                    f[0].label = LocalizedText::new();
                    f[1].kind = FieldKind::Choice { options: vec![] };
                    f[2].visible_if = when("nothing");
                },
                vec![
                    "form.fields[0].key",
                    "form.fields[0].label",
                    "form.fields[1].options",
                    "form.fields[2].visibleIf.field",
                ],
            ),
        ];
        for (name, edit, expected) in cases {
            let mut fields = sound();
            edit(&mut fields);
            let schema = FormSchema { fields, rules: Vec::new() };
            let errors = schema.check().err().unwrap_or_default();
            let paths: Vec<&str> = errors.iter().map(|error| error.path.as_str()).collect();
            assert_eq!(paths, expected, "{name}");
            for error in &errors {
                assert_eq!(error.code, FieldErrorCode::InvalidDefinition, "{name}");
                for locale in [Locale::Ar, Locale::Fr, Locale::En] {
                    assert!(error.message.exact(locale).is_some(), "{name}: {error:?} lacks {locale}");
                }
            }
        }
    }

    #[test]
    fn form_rules_bound_numbers_by_a_sourced_value_or_another_number() {
        use crate::model::basis::RuleBasis;
        use crate::model::form::{FormRule, RuleOp};
        let rule = |field: &str, value: Option<f64>, other: Option<&str>, basis: Option<RuleBasis>| FormRule {
            field: field.into(),
            op: RuleOp::Le,
            value,
            other_field: other.map(Into::into),
            basis,
        };
        let setting = Some(RuleBasis::CommuneSetting);
        let mut fields = sound();
        fields.push(field("parcel", FieldKind::Money));
        let cases: Vec<(FormRule, Vec<&str>)> = vec![
            (rule("detail_2", Some(2.0), None, setting.clone()), vec![]),
            (rule("detail_2", None, Some("parcel"), None), vec![]),
            (rule("detail_2", Some(2.0), None, None), vec!["form.rules[0].basis"]),
            (rule("floors", Some(2.0), None, setting.clone()), vec!["form.rules[0].field"]),
            (rule("full_name", Some(2.0), None, setting.clone()), vec!["form.rules[0].field"]),
            (rule("detail_2", None, Some("kind"), None), vec!["form.rules[0].otherField"]),
            (rule("detail_2", None, Some("detail_2"), None), vec!["form.rules[0].otherField"]),
            (rule("detail_2", None, None, None), vec!["form.rules[0].value"]),
            (rule("detail_2", Some(1.0), Some("parcel"), None), vec!["form.rules[0].value"]),
        ];
        for (rule, expected) in cases {
            let schema = FormSchema { fields: fields.clone(), rules: vec![rule.clone()] };
            let errors = schema.check().err().unwrap_or_default();
            let paths: Vec<&str> = errors.iter().map(|error| error.path.as_str()).collect();
            assert_eq!(paths, expected, "{rule:?}");
        }
    }

    #[test]
    fn messages_name_the_culprit() {
        let mut fields = sound();
        fields[0].key = "kind".into();
        let errors = FormSchema { fields, rules: Vec::new() }.check().unwrap_err();
        assert_eq!(errors[0].message_in(Locale::Fr), "La clé « kind » est déjà utilisée par un autre champ.");
    }
}
