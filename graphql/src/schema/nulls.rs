//! Null propagation as the GraphQL specification says it (§ 6.4.4, "Handling Field Errors"): a field that
//! failed is `null` in the answer, and when its type is non-null the `null` goes up to the closest nullable
//! field or list item — up to `data` itself, which is then `null`. async-graphql leaves a failed field's key out
//! of its object instead (`{"data": {"ok": …}}` with the failed root field missing), which clients reading the
//! shape of the answer from the schema (Apollo, urql, codegen types) do not expect.
//!
//! The extension runs after execution, once per error that has a path: it follows the path through the
//! operation's selections (aliases, fragments) to learn each field's type from the schema, and writes the nulls.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::{PathSegment, Response, ServerResult, Value, Variables};

/// Makes failed fields `null` and propagates the nulls of non-null types, as the specification says.
pub struct NullPropagation;

impl ExtensionFactory for NullPropagation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NullPropagationExtension { document: Mutex::new(None) })
    }
}

struct NullPropagationExtension {
    /// The parsed document of the request, kept for the walk after execution.
    document: Mutex<Option<ExecutableDocument>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for NullPropagationExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Ok(mut kept) = self.document.lock() {
            *kept = Some(document.clone());
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if response.errors.iter().all(|e| e.path.is_empty()) {
            return response;
        }
        let Ok(kept) = self.document.lock() else { return response };
        let Some(document) = kept.as_ref() else { return response };
        let operation = match operation_name {
            Some(name) => document.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
            None => document.operations.iter().next(),
        };
        let Some((_, operation)) = operation else { return response };
        let registry = &ctx.schema_env.registry;
        let root = match operation.node.ty {
            OperationType::Query => registry.query_type.as_str(),
            OperationType::Mutation => registry.mutation_type.as_deref().unwrap_or_default(),
            OperationType::Subscription => registry.subscription_type.as_deref().unwrap_or_default(),
        };
        let walk = Walk { document, registry };
        let paths: Vec<Vec<PathSegment>> =
            response.errors.iter().filter(|e| !e.path.is_empty()).map(|e| e.path.clone()).collect();
        for path in paths {
            let nullable = walk.nullability(root, &operation.node.selection_set.node, &path);
            propagate(&mut response.data, &path, &nullable);
        }
        response
    }
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    registry: &'a Registry,
}

impl<'a> Walk<'a> {
    /// For each segment of `path`, whether the value there may be null (a field's type, or a list's item type).
    /// A segment whose type cannot be found counts as nullable, so that nothing is nulled beyond it.
    fn nullability(&self, root: &str, selections: &'a SelectionSet, path: &[PathSegment]) -> Vec<bool> {
        let mut result = Vec::with_capacity(path.len());
        let mut parent = root.to_owned();
        let mut sets = vec![(parent.clone(), selections)];
        // The type of the current position, with its list wrappers still on: `[Edge!]!`.
        let mut current: Option<String> = None;
        for segment in path {
            match segment {
                PathSegment::Field(key) => {
                    let found = self.field(&sets, key);
                    let Some((owner, name, children)) = found else {
                        result.push(true);
                        current = None;
                        sets = Vec::new();
                        continue;
                    };
                    let ty = self
                        .registry
                        .types
                        .get(&owner)
                        .or_else(|| self.registry.types.get(&parent))
                        .and_then(|t| t.field_by_name(&name))
                        .map(|f| f.ty.clone());
                    result.push(ty.as_deref().is_none_or(|t| !t.ends_with('!')));
                    parent = ty.as_deref().map(named_type).unwrap_or_default().to_owned();
                    sets = children.into_iter().map(|set| (parent.clone(), set)).collect();
                    current = ty;
                }
                PathSegment::Index(_) => {
                    let item = current.as_deref().and_then(list_item).map(str::to_owned);
                    result.push(item.as_deref().is_none_or(|t| !t.ends_with('!')));
                    current = item;
                }
            }
        }
        result
    }

    /// The field answering at response key `key` in `sets`: the type it is selected on (a fragment's type
    /// condition, else the parent), its name, and its selections (merged over every place it is selected).
    fn field(&self, sets: &[(String, &'a SelectionSet)], key: &str) -> Option<(String, String, Vec<&'a SelectionSet>)> {
        let mut found: Option<(String, String, Vec<&'a SelectionSet>)> = None;
        let mut stack: Vec<(String, &'a SelectionSet)> = sets.to_vec();
        let mut guard = 0usize;
        while let Some((owner, set)) = stack.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            for selection in &set.items {
                match &selection.node {
                    Selection::Field(field) => {
                        if field.node.response_key().node.as_str() != key {
                            continue;
                        }
                        let entry =
                            found.get_or_insert_with(|| (owner.clone(), field.node.name.node.to_string(), Vec::new()));
                        entry.2.push(&field.node.selection_set.node);
                    }
                    Selection::FragmentSpread(spread) => {
                        if let Some(fragment) = self.document.fragments.get(&spread.node.fragment_name.node) {
                            let on = fragment.node.type_condition.node.on.node.to_string();
                            stack.push((on, &fragment.node.selection_set.node));
                        }
                    }
                    Selection::InlineFragment(inline) => {
                        let on = inline
                            .node
                            .type_condition
                            .as_ref()
                            .map_or_else(|| owner.clone(), |c| c.node.on.node.to_string());
                        stack.push((on, &inline.node.selection_set.node));
                    }
                }
            }
        }
        found
    }
}

/// `[Edge!]!` → `Edge`.
pub fn named_type(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

/// `[Edge!]!` → `Edge!`; `None` when not a list.
pub fn list_item(ty: &str) -> Option<&str> {
    ty.trim_end_matches('!').strip_prefix('[').and_then(|t| t.strip_suffix(']'))
}

/// Writes `null` where the error happened, then moves it up while the position may not be null.
pub fn propagate(data: &mut Value, path: &[PathSegment], nullable: &[bool]) {
    let mut end = path.len();
    while end > 0 && !nullable.get(end - 1).copied().unwrap_or(true) {
        end -= 1;
    }
    if end == 0 {
        *data = Value::Null;
        return;
    }
    let Some((last, parents)) = path[..end].split_last() else { return };
    let mut value = &mut *data;
    for segment in parents {
        value = match (segment, value) {
            (PathSegment::Field(key), Value::Object(object)) => match object.get_mut(key.as_str()) {
                Some(child) => child,
                None => return,
            },
            (PathSegment::Index(index), Value::List(list)) => match list.get_mut(*index) {
                Some(child) => child,
                None => return,
            },
            // Already null higher up (an earlier error): nothing left to write.
            _ => return,
        };
    }
    match (last, value) {
        (PathSegment::Field(key), Value::Object(object)) => {
            object.insert(async_graphql::Name::new(key), Value::Null);
        }
        (PathSegment::Index(index), Value::List(list)) => {
            if let Some(item) = list.get_mut(*index) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}
