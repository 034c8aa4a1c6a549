//! The one exemption from the query limits: a document that asks only for the schema (`__schema`, `__type`,
//! `__typename` at its root, as graphql-js `getIntrospectionQuery()` does for GraphiQL, graphql-codegen and
//! Python `gql`) runs on a schema that answers introspection only, under its own, larger bounds. Any other
//! document — including one that mixes introspection with a real field — runs under the ordinary limits.

use std::collections::HashMap;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};

/// Deepest introspection document accepted: `getIntrospectionQuery()` nests `ofType` nine levels under
/// `__schema { types { fields { type … } } }`.
pub const INTROSPECTION_MAX_DEPTH: usize = 20;
/// Most complex introspection document accepted (the full standard query of our schema counts a few hundred).
pub const INTROSPECTION_MAX_COMPLEXITY: usize = 5_000;

/// Whether the query text may be an introspection document at all (cheap, before parsing).
pub fn may_be_introspection(query: &str) -> bool {
    query.contains("__schema") || query.contains("__type")
}

/// Whether the operation the request names (or the only one) is a query whose root selects introspection
/// fields only, fragments included.
pub fn is_introspection_only(document: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => match operations.get(name) {
            Some(operation) => operation,
            None => return false,
        },
        // One named operation is the one to run, as when it has no name.
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => match operations.values().next() {
            Some(operation) => operation,
            None => return false,
        },
        (DocumentOperations::Multiple(_), None) => return false,
    };
    let mut known = HashMap::new();
    operation.node.ty == OperationType::Query
        && only_meta_fields(document, &operation.node.selection_set.node, &mut known, 0)
}

/// Nesting of fragments and inline fragments beyond which a document is not introspection as clients write it.
const MAX_NESTING: usize = 16;

/// Whether a selection set selects meta fields only. Each fragment is looked at once (`known` holds the
/// answer for those seen, `false` while one is being looked at, so that a cycle is not introspection), so
/// that a document spreading fragments many times over costs no more than its size.
fn only_meta_fields<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    known: &mut HashMap<&'a str, bool>,
    nesting: usize,
) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    set.items.iter().all(|selection| match &selection.node {
        Selection::Field(field) => field.node.name.node.starts_with("__"),
        Selection::InlineFragment(fragment) => {
            only_meta_fields(document, &fragment.node.selection_set.node, known, nesting + 1)
        }
        Selection::FragmentSpread(spread) => {
            let name = spread.node.fragment_name.node.as_str();
            if let Some(answer) = known.get(name) {
                return *answer;
            }
            known.insert(name, false);
            let answer = document.fragments.get(&spread.node.fragment_name.node).is_some_and(|fragment| {
                only_meta_fields(document, &fragment.node.selection_set.node, known, nesting + 1)
            });
            known.insert(name, answer);
            answer
        }
    })
}
