//! The one place that decides how large a GraphQL document may be: depth, complexity, aliases, and the work
//! that validating it takes. A document is measured before anything else walks it (async-graphql's own checks
//! and validation expand every fragment where it is spread, so that a few lines of fragments each spreading
//! the previous one twice would cost billions of steps): each fragment is measured once and its measure
//! reused at every spread, so measuring costs one pass over the text, and the first limit passed stops it.
//!
//! - depth: the deepest nesting of fields, fragments expanded (`QUERY_TOO_DEEP`);
//! - complexity: the fields of the operations, fragments expanded where they are spread (`QUERY_TOO_COMPLEX`);
//! - aliases: aliased fields, fragments counted where spread; a hundred aliased `login`s would be a hundred
//!   password guesses in one request (`TOO_MANY_ALIASES`);
//! - work: the selections that an expanded walk of the whole document visits, unused fragments included,
//!   which is what validation does afterwards (`QUERY_TOO_COMPLEX`).
//!
//! A fragment that spreads itself, directly or not, is refused here (`GRAPHQL_VALIDATION_FAILED`).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Name, Request, ServerError, ServerResult};

/// Deepest nesting of fields accepted.
pub const MAX_DEPTH: usize = 12;
/// Most fields in one request's operations, fragments expanded where they are spread.
pub const MAX_COMPLEXITY: usize = 2_000;
/// Most aliased fields in one request (fragments counted where they are spread).
pub const MAX_ALIASES: usize = 30;
/// Most selections an expanded walk of the whole document may visit.
pub const MAX_WORK: usize = 20_000;

/// The limits of one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub aliases: usize,
    pub work: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { depth: MAX_DEPTH, complexity: MAX_COMPLEXITY, aliases: MAX_ALIASES, work: MAX_WORK }
    }
}

/// Which limit a document passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    Depth(usize),
    Complexity(usize),
    Aliases(usize),
    Work(usize),
    /// A fragment spreads itself.
    Cycle,
}

impl Exceeded {
    /// The error the caller gets, with its stable code and the limit.
    pub fn to_server_error(self) -> ServerError {
        let (code, message, max) = match self {
            Exceeded::Depth(max) => {
                ("QUERY_TOO_DEEP", format!("the query is nested too deep: at most {max} levels"), max)
            }
            Exceeded::Complexity(max) => {
                ("QUERY_TOO_COMPLEX", format!("the query is too complex: at most {max} fields in one request"), max)
            }
            Exceeded::Work(max) => (
                "QUERY_TOO_COMPLEX",
                format!("the document is too large: at most {max} selections, fragments expanded"),
                max,
            ),
            Exceeded::Aliases(max) => {
                ("TOO_MANY_ALIASES", format!("too many aliases: at most {max} in one request"), max)
            }
            Exceeded::Cycle => ("GRAPHQL_VALIDATION_FAILED", "a fragment spreads itself".to_owned(), 0),
        };
        let mut error = ServerError::new(message, None);
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", code);
        if max > 0 {
            extensions.set("max", max as u64);
        }
        error.extensions = Some(extensions);
        error
    }
}

/// The measure of a selection set, fragments expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// Deepest nesting of fields.
    pub depth: usize,
    /// Fields.
    pub fields: usize,
    /// Aliased fields.
    pub aliases: usize,
    /// Selections of every kind (fields, spreads, inline fragments).
    pub nodes: usize,
}

impl Measure {
    /// Adds another measure to this one, saturating.
    pub fn add(&mut self, other: Measure) {
        self.depth = self.depth.max(other.depth);
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.nodes = self.nodes.saturating_add(other.nodes);
    }
}

enum Memo {
    Measuring,
    Done(Measure),
}

/// Measures a document against the limits; stops at the first limit passed.
pub fn check(document: &ExecutableDocument, limits: Limits) -> Result<(), Exceeded> {
    let mut measurer = Measurer { document, limits, memo: HashMap::new() };
    let mut total = Measure::default();
    for (_, operation) in document.operations.iter() {
        let measure = measurer.set(&operation.node.selection_set.node)?;
        total.add(measure);
        measurer.within(total)?;
    }
    let mut work = total.nodes;
    for name in document.fragments.keys() {
        work = work.saturating_add(measurer.fragment(name)?.nodes);
        if work > limits.work {
            return Err(Exceeded::Work(limits.work));
        }
    }
    Ok(())
}

/// Measures a document without limits (tests compare it with a walk that expands every spread).
pub fn measure(document: &ExecutableDocument) -> Result<Measure, Exceeded> {
    let unlimited = Limits { depth: usize::MAX, complexity: usize::MAX, aliases: usize::MAX, work: usize::MAX };
    let mut measurer = Measurer { document, limits: unlimited, memo: HashMap::new() };
    let mut total = Measure::default();
    for (_, operation) in document.operations.iter() {
        total.add(measurer.set(&operation.node.selection_set.node)?);
    }
    Ok(total)
}

struct Measurer<'a> {
    document: &'a ExecutableDocument,
    limits: Limits,
    memo: HashMap<&'a Name, Memo>,
}

impl<'a> Measurer<'a> {
    fn within(&self, measure: Measure) -> Result<(), Exceeded> {
        if measure.depth > self.limits.depth {
            Err(Exceeded::Depth(self.limits.depth))
        } else if measure.aliases > self.limits.aliases {
            Err(Exceeded::Aliases(self.limits.aliases))
        } else if measure.fields > self.limits.complexity {
            Err(Exceeded::Complexity(self.limits.complexity))
        } else if measure.nodes > self.limits.work {
            Err(Exceeded::Work(self.limits.work))
        } else {
            Ok(())
        }
    }

    fn set(&mut self, set: &'a SelectionSet) -> Result<Measure, Exceeded> {
        let mut measure = Measure::default();
        for selection in &set.items {
            let one = match &selection.node {
                Selection::Field(field) => {
                    let children = self.set(&field.node.selection_set.node)?;
                    Measure {
                        depth: children.depth.saturating_add(1),
                        fields: children.fields.saturating_add(1),
                        aliases: children.aliases.saturating_add(usize::from(field.node.alias.is_some())),
                        nodes: children.nodes.saturating_add(1),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let children = self.set(&fragment.node.selection_set.node)?;
                    Measure { nodes: children.nodes.saturating_add(1), ..children }
                }
                Selection::FragmentSpread(spread) => {
                    let children = self.fragment(&spread.node.fragment_name.node)?;
                    Measure { nodes: children.nodes.saturating_add(1), ..children }
                }
            };
            measure.add(one);
            self.within(measure)?;
        }
        Ok(measure)
    }

    /// A fragment's measure, computed once; an unknown fragment measures nothing (validation names it).
    fn fragment(&mut self, name: &'a Name) -> Result<Measure, Exceeded> {
        match self.memo.get(name) {
            Some(Memo::Done(measure)) => return Ok(*measure),
            Some(Memo::Measuring) => return Err(Exceeded::Cycle),
            None => {}
        }
        let Some((name, fragment)) = self.document.fragments.get_key_value(name) else {
            return Ok(Measure::default());
        };
        self.memo.insert(name, Memo::Measuring);
        let measure = self.set(&fragment.node.selection_set.node)?;
        self.memo.insert(name, Memo::Done(measure));
        Ok(measure)
    }
}

/// The schema extension that refuses a document past its limits before anything else walks it: it parses
/// the query once when the request is prepared (async-graphql reuses that parse) and measures it.
pub struct QueryLimits {
    limits: Limits,
}

impl QueryLimits {
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryLimitsExtension { limits: self.limits })
    }
}

struct QueryLimitsExtension {
    limits: Limits,
}

#[async_graphql::async_trait::async_trait]
impl Extension for QueryLimitsExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        check(request.parsed_query()?, self.limits).map_err(Exceeded::to_server_error)?;
        next.run(ctx, request).await
    }
}
