//! A limit on aliases: one request may not ask for the same field many times under different names (a
//! hundred aliased `login`s would be a hundred password guesses past the rate limit; a hundred aliased
//! `requests` a hundred pages). async-graphql bounds depth and complexity, not this: the extension counts the
//! aliased fields of the parsed document, fragments expanded where they are spread, and refuses the request
//! with `TOO_MANY_ALIASES` before anything runs.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Name, ServerError, ServerResult, Variables};

/// Refuses documents with more than `max` aliased fields.
pub struct AliasLimit {
    max: usize,
}

impl AliasLimit {
    pub fn new(max: usize) -> Self {
        Self { max }
    }
}

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExtension { max: self.max })
    }
}

struct AliasLimitExtension {
    max: usize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for AliasLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let mut counter = Counter { document: &document, max: self.max, count: 0, path: Vec::new() };
        for (_, operation) in document.operations.iter() {
            counter.walk(&operation.node.selection_set.node);
        }
        if counter.count > self.max {
            let mut error = ServerError::new(format!("too many aliases: at most {} in one request", self.max), None);
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", "TOO_MANY_ALIASES");
            extensions.set("max", self.max as u64);
            error.extensions = Some(extensions);
            return Err(error);
        }
        Ok(document)
    }
}

/// Counts aliased fields, stopping once past the limit (so that a fragment spread many times costs no more
/// than the limit to count).
struct Counter<'a> {
    document: &'a ExecutableDocument,
    max: usize,
    count: usize,
    /// The fragments being expanded, to skip cycles (validation refuses them later).
    path: Vec<&'a Name>,
}

impl<'a> Counter<'a> {
    fn walk(&mut self, set: &'a SelectionSet) {
        for selection in &set.items {
            if self.count > self.max {
                return;
            }
            match &selection.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.count += 1;
                    }
                    self.walk(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => self.walk(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if self.path.contains(&name) {
                        continue;
                    }
                    if let Some(fragment) = self.document.fragments.get(name) {
                        self.path.push(name);
                        self.walk(&fragment.node.selection_set.node);
                        self.path.pop();
                    }
                }
            }
        }
    }
}
