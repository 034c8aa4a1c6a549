//! What the snapshots of GraphQL answers share: a redaction of the values a run makes up inside a text.

use insta::internals::{Content, Redaction};

/// Replaces, in a string, each value a run made up (a tracking code, a document's code, the year) by its
/// placeholder, so that a snapshot keeps the rest of the text: `{ ".document.text" => replacing(&[(&code,
/// "[tracking code]")]) }`.
pub fn replacing(values: &[(&str, &str)]) -> Redaction {
    let values: Vec<(String, String)> =
        values.iter().map(|(value, placeholder)| ((*value).to_owned(), (*placeholder).to_owned())).collect();
    insta::dynamic_redaction(move |content, _| match content.as_str() {
        Some(text) => {
            let replaced =
                values.iter().fold(text.to_owned(), |text, (value, placeholder)| text.replace(value, placeholder));
            Content::from(replaced)
        }
        None => content,
    })
}
