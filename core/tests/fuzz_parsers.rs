//! Fuzzing of the parsers that read what callers send: form submissions (data and documents), template
//! bundles (import) and the budget CSV. proptest, with a bounded number of cases each (a few seconds in the
//! normal test run, `PROPTEST_CASES` for a longer run): no input makes them panic, and each refusal is a
//! field error with a path of the documented shape and a message in Arabic, French and English. The merge of
//! templates has its own properties beside it (`model::template::merge`).

use jamaa_core::FieldError;
use jamaa_core::model::commune::Country;
use jamaa_core::model::form::ValidationContext;
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::request::{SubmittedDocument, validate_submission};
use jamaa_core::model::template::TemplateBundle;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Texts an attacker would try: anything, control characters, right-to-left marks, long runs, numbers.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{202e}\u{feff}]{0,8}",
        "[0-9]{0,40}",
        "[-+=@][A-Za-z0-9(\"]{0,20}",
        (0usize..5000).prop_map(|n| "é".repeat(n)),
        Just(String::new()),
    ]
}

/// Any JSON, a few levels deep, with nasty texts and extreme numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        Just(json!(u64::MAX)),
        nasty_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::btree_map(nasty_text(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The error is of the documented shape: its path starts with one of `prefixes`, its message is in the
/// three languages of the messages.
fn documented(error: &FieldError, prefixes: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(prefixes.iter().any(|p| error.path.starts_with(p)), "path {:?} ({})", error.path, error.code.as_str());
    for locale in [Locale::Ar, Locale::Fr, Locale::En] {
        prop_assert!(error.message.exact(locale).is_some_and(|m| !m.is_empty()), "{error:?} lacks {locale:?}");
    }
    Ok(())
}

/// The shipped services and template bundles, read once.
static SERVICES: std::sync::LazyLock<Vec<jamaa_core::model::catalog::ServiceDefinition>> =
    std::sync::LazyLock::new(|| jamaa_core::model::standard::moroccan_services().unwrap_or_default());
static BUNDLES: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
    let bundles = jamaa_core::model::standard::shipped_templates().unwrap_or_default();
    bundles.iter().filter_map(|b| serde_json::to_value(b).ok()).collect()
});

fn services() -> &'static [jamaa_core::model::catalog::ServiceDefinition] {
    &SERVICES
}

/// Form data: the keys of a real form, and others, with any values.
fn form_data(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let key = prop_oneof![3 => prop::sample::select(keys), 1 => nasty_text()];
    prop::collection::vec((key, json_value()), 0..16).prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

/// One of the shipped services (by its place) and data for its form.
fn submission() -> impl Strategy<Value = (usize, Value)> {
    let services = services();
    (0..services.len().max(1)).prop_flat_map(|i| {
        let mut keys: Vec<String> =
            services.get(i).map(|s| s.form.fields.iter().map(|f| f.key.clone()).collect()).unwrap_or_default();
        keys.push("unknown".to_owned());
        (Just(i), form_data(keys))
    })
}

fn document() -> impl Strategy<Value = SubmittedDocument> {
    (nasty_text(), nasty_text(), nasty_text(), any::<u64>(), prop::option::of(nasty_text())).prop_map(
        |(code, file_name, media_type, size_bytes, sha256)| SubmittedDocument {
            code,
            file_name,
            media_type,
            size_bytes,
            sha256,
        },
    )
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn submissions_never_panic_and_refuse_with_field_errors(
        (service, data) in submission(),
        documents in prop::collection::vec(document(), 0..4),
    ) {
        let services = services();
        prop_assume!(service < services.len());
        let service = &services[service];
        for country in [Country::Morocco, Country::Mauritania] {
            let ctx = ValidationContext { country };
            match validate_submission(&service.form, &service.documents, &data, &documents, &ctx) {
                // Accepted data keeps only the form's keys.
                Ok(normalized) => prop_assert!(normalized.keys().all(|k| service.form.fields.iter().any(|f| &f.key == k))),
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for error in &errors {
                        documented(error, &["input.data", "input.documents"])?;
                    }
                }
            }
        }
    }

    #[test]
    fn any_text_as_a_template_bundle_is_refused_or_read(text in nasty_text()) {
        let _ = TemplateBundle::from_json(&text);
    }

    #[test]
    fn a_changed_template_bundle_is_refused_or_checked(path in prop::collection::vec(any::<prop::sample::Index>(), 1..8), value in json_value()) {
        prop_assume!(!BUNDLES.is_empty());
        let mut tree = BUNDLES[path[0].index(BUNDLES.len())].clone();
        replace_at(&mut tree, &path[1..], value);
        let text = tree.to_string();
        match TemplateBundle::from_json(&text) {
            // Read: its content's own rules are checked without panicking.
            Ok(read) => {
                if let Err(errors) = read.content.check() {
                    prop_assert!(!errors.is_empty());
                }
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
        // The content alone, changed, as an import with a recomputed hash would give it.
        if let Ok(content) = serde_json::from_value::<jamaa_core::model::template::TemplateContent>(tree["content"].clone()) {
            let _ = content.check();
        }
    }
}

/// Replaces the node that `path` leads to (each index picking among a node's children) with `value`.
fn replace_at(tree: &mut Value, path: &[prop::sample::Index], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *tree = value;
        return;
    };
    let child = match tree {
        Value::Array(items) if !items.is_empty() => {
            let i = step.index(items.len());
            &mut items[i]
        }
        Value::Object(map) if !map.is_empty() => {
            let i = step.index(map.len());
            match map.values_mut().nth(i) {
                Some(child) => child,
                None => return,
            }
        }
        _ => {
            *tree = value;
            return;
        }
    };
    replace_at(child, rest, value);
}

#[cfg(feature = "store")]
mod budget {
    use jamaa_core::service::{MAX_BUDGET_LINES, parse_budget_csv};
    use proptest::prelude::*;

    use super::{config, documented, nasty_text};

    const DEMO: &str = include_str!("../data/demo/oujda-budget-2025.csv");

    /// A cell: a real one of the demo file, or anything.
    fn cell() -> impl Strategy<Value = String> {
        let real: Vec<String> = DEMO.lines().flat_map(|l| l.split(',')).map(str::to_owned).collect();
        prop_oneof![2 => prop::sample::select(real), 1 => nasty_text()]
    }

    proptest! {
        #![proptest_config(config(200))]

        #[test]
        fn any_text_as_a_budget_is_refused_with_line_errors_or_read(text in nasty_text()) {
            if let Err(errors) = parse_budget_csv(&text) {
                for error in &errors {
                    documented(error, &["header", "lines"])?;
                }
            }
        }

        #[test]
        fn a_budget_with_changed_cells_is_refused_with_line_errors_or_read(
            changes in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), cell()), 1..12),
            separator in prop::sample::select(vec![",", ";", "\t", ",,", "\"", "\n"]),
        ) {
            let mut rows: Vec<Vec<String>> =
                DEMO.lines().map(|l| l.split(',').map(str::to_owned).collect()).collect();
            for (row, column, value) in changes {
                let i = row.index(rows.len());
                let cells = &mut rows[i];
                let j = column.index(cells.len().max(1));
                if j < cells.len() {
                    cells[j] = value;
                }
            }
            let text: String = rows.iter().map(|cells| cells.join(separator) + "\n").collect();
            match parse_budget_csv(&text) {
                Ok(lines) => prop_assert!(lines.len() <= MAX_BUDGET_LINES),
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for error in &errors {
                        documented(error, &["header", "lines"])?;
                    }
                }
            }
        }
    }
}
