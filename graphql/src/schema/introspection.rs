//! The one exemption from the query limits: a document that asks only for the schema (`__schema`, `__type`,
//! `__typename` at its root, as graphql-js `getIntrospectionQuery()` does for GraphiQL, graphql-codegen and
//! Python `gql`) runs on a schema that answers introspection only, under its own, larger bounds. Any other
//! document — including one that mixes introspection with a real field — runs under the ordinary limits.

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
        (DocumentOperations::Multiple(_), None) => return false,
    };
    operation.node.ty == OperationType::Query && only_meta_fields(document, &operation.node.selection_set.node, 0)
}

fn only_meta_fields(document: &ExecutableDocument, set: &SelectionSet, nesting: usize) -> bool {
    // Fragments nested deeper than this are not introspection as clients write it.
    if nesting > 4 {
        return false;
    }
    set.items.iter().all(|selection| match &selection.node {
        Selection::Field(field) => field.node.name.node.starts_with("__"),
        Selection::InlineFragment(fragment) => {
            only_meta_fields(document, &fragment.node.selection_set.node, nesting + 1)
        }
        Selection::FragmentSpread(spread) => document
            .fragments
            .get(&spread.node.fragment_name.node)
            .is_some_and(|fragment| only_meta_fields(document, &fragment.node.selection_set.node, nesting + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, name: Option<&str>) -> bool {
        let document = async_graphql::parser::parse_query(query).unwrap();
        is_introspection_only(&document, name)
    }

    #[test]
    fn only_documents_of_meta_fields_are_introspection() {
        assert!(check("{ __schema { types { name } } }", None));
        assert!(check("query Q { ...F } fragment F on Query { __type(name: \"Commune\") { name } }", None));
        assert!(check("query A { __typename } query B { communes { totalCount } }", Some("A")));
        assert!(!check("query A { __typename } query B { communes { totalCount } }", Some("B")));
        assert!(!check("query A { __typename } query B { communes { totalCount } }", None));
        assert!(!check("{ __schema { types { name } } communes { totalCount } }", None));
        assert!(!check("{ ... on Query { __typename communes { totalCount } } }", None));
        assert!(!check("mutation { __typename }", None));
    }
}
