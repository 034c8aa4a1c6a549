//! The pages' messages in every platform language, as Project Fluent resources (`i18n/{locale}.ftl`): plural
//! categories come from CLDR through `intl_pluralrules` (Arabic: zero, one, two, few, many, other).

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jamaa_core::model::i18n::Locale;

/// The Fluent sources, one per locale.
const SOURCES: [(Locale, &str); 5] = [
    (Locale::Ar, include_str!("i18n/ar.ftl")),
    (Locale::Fr, include_str!("i18n/fr.ftl")),
    (Locale::En, include_str!("i18n/en.ftl")),
    (Locale::Es, include_str!("i18n/es.ftl")),
    (Locale::Tzm, include_str!("i18n/tzm.ftl")),
];

/// An argument of a message: a number (which chooses the plural form) or a text.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
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
type Bundles = Vec<(Locale, FluentBundle<FluentResource>, Vec<String>)>;

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| {
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
pub(crate) fn message(locale: Locale, id: &str, args: Option<&[(&'static str, Arg)]>) -> String {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_language_has_every_message_and_parses() {
        let french = ids(SOURCES[1].1);
        assert!(french.len() > 30);
        for (locale, source) in SOURCES {
            assert_eq!(ids(source), french, "{locale}.ftl");
        }
        for (locale, _, errors) in BUNDLES.iter() {
            assert!(errors.is_empty(), "{locale}: {errors:?}");
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let count = |locale, n: usize| message(locale, "documents-count", Some(&[("count", n.into())]));
        assert_eq!(count(Locale::Ar, 0), "لم تودع أي وثيقة.");
        assert_eq!(count(Locale::Ar, 1), "وثيقة واحدة مودعة:");
        assert_eq!(count(Locale::Ar, 2), "وثيقتان مودعتان:");
        assert_eq!(count(Locale::Ar, 3), "3 وثائق مودعة:");
        assert_eq!(count(Locale::Ar, 11), "11 وثيقة مودعة:");
        assert_eq!(count(Locale::Ar, 100), "100 وثيقة مودعة:");
        assert_eq!(count(Locale::Fr, 1), "Une pièce déposée :");
        assert_eq!(count(Locale::Fr, 4), "4 pièces déposées :");
        assert_eq!(count(Locale::En, 1), "One document filed:");
        assert_eq!(count(Locale::Tzm, 2), "2 ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵙⵔⵙⵏ:");
        assert_eq!(message(Locale::Tzm, "receipt-title", None), "ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ");
        assert_eq!(message(Locale::Es, "no-such-message", None), "no-such-message");
    }
}
