//! The pages' messages in every platform language, as Project Fluent resources (`i18n/{locale}.ftl`): plural
//! categories come from CLDR through `intl_pluralrules` (Arabic: zero, one, two, few, many, other).

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jamaa_core::model::i18n::Locale;

/// The Fluent sources, one per locale.
pub const SOURCES: [(Locale, &str); 5] = [
    (Locale::Ar, include_str!("i18n/ar.ftl")),
    (Locale::Fr, include_str!("i18n/fr.ftl")),
    (Locale::En, include_str!("i18n/en.ftl")),
    (Locale::Es, include_str!("i18n/es.ftl")),
    (Locale::Tzm, include_str!("i18n/tzm.ftl")),
];

/// An argument of a message: a number (which chooses the plural form) or a text.
#[derive(Clone, Debug)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A bundle per locale, and the parse errors of its source (empty: a test checks).
pub type Bundles = Vec<(Locale, FluentBundle<FluentResource>, Vec<String>)>;

pub static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(locale, source)| {
            let mut errors = Vec::new();
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, parse_errors)| {
                errors.extend(parse_errors.iter().map(|e| format!("{e:?}")));
                partial
            });
            let language = locale.as_str().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            // Pages are HTML whose elements already isolate directions; no invisible isolation marks.
            bundle.set_use_isolating(false);
            if let Err(add_errors) = bundle.add_resource(resource) {
                errors.extend(add_errors.iter().map(|e| format!("{e:?}")));
            }
            (*locale, bundle, errors)
        })
        .collect()
});

/// The message `id` in `locale` (French when the locale lacks it: a test checks none does), its arguments
/// placed.
pub fn message(locale: Locale, id: &str, args: Option<&[(&'static str, Arg)]>) -> String {
    let bundles = &*BUNDLES;
    let found = [locale, Locale::Fr].into_iter().find_map(|wanted| {
        let (_, bundle, _) = bundles.iter().find(|(l, _, _)| *l == wanted)?;
        Some((bundle, bundle.get_message(id)?.value()?))
    });
    let Some((bundle, pattern)) = found else { return id.to_owned() };
    let fluent_args = args.map(|args| {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
                Arg::Text(text) => fluent.set(*name, FluentValue::from(text.as_str())),
            }
        }
        fluent
    });
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, fluent_args.as_ref(), &mut errors).into_owned();
    if !errors.is_empty() {
        tracing::warn!(?errors, id, %locale, "page message");
    }
    text
}
