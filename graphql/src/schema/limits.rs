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
    fn add(&mut self, other: Measure) {
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

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    /// The measure of a set by expanding every spread (exponential: small documents only).
    fn naive_set(document: &ExecutableDocument, set_: &SelectionSet) -> Measure {
        let mut measure = Measure::default();
        for selection in &set_.items {
            let one = match &selection.node {
                Selection::Field(field) => {
                    let c = naive_set(document, &field.node.selection_set.node);
                    Measure {
                        depth: c.depth + 1,
                        fields: c.fields + 1,
                        aliases: c.aliases + usize::from(field.node.alias.is_some()),
                        nodes: c.nodes + 1,
                    }
                }
                Selection::InlineFragment(f) => {
                    let c = naive_set(document, &f.node.selection_set.node);
                    Measure { nodes: c.nodes + 1, ..c }
                }
                Selection::FragmentSpread(s) => {
                    let c = document
                        .fragments
                        .get(&s.node.fragment_name.node)
                        .map(|f| naive_set(document, &f.node.selection_set.node))
                        .unwrap_or_default();
                    Measure { nodes: c.nodes + 1, ..c }
                }
            };
            measure.add(one);
        }
        measure
    }

    /// The measure of the operations by expanding every spread.
    fn naive(document: &ExecutableDocument) -> Measure {
        let mut total = Measure::default();
        for (_, operation) in document.operations.iter() {
            total.add(naive_set(document, &operation.node.selection_set.node));
        }
        total
    }

    /// Fragments `f0` … `f{levels}`, each spreading the previous one twice.
    fn doubling(levels: usize) -> String {
        let mut text = String::from("query { ...f0 } fragment f0 on QueryRoot { __typename }");
        text = text.replace("...f0", &format!("...f{levels}"));
        for i in 1..=levels {
            text.push_str(&format!(" fragment f{i} on QueryRoot {{ ...f{p} ...f{p} }}", p = i - 1));
        }
        text
    }

    #[test]
    fn doubling_fragments_are_refused_without_being_expanded() {
        let document = parse_query(doubling(64)).unwrap();
        let started = std::time::Instant::now();
        assert_eq!(check(&document, Limits::default()), Err(Exceeded::Complexity(MAX_COMPLEXITY)));
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        // Measured in full, it saturates instead of overflowing.
        let measure = measure(&document).unwrap();
        assert_eq!(measure.fields, usize::MAX);
        // Ten levels: 1,024 fields, within the limits; the measure is the expanded one.
        let document = parse_query(doubling(10)).unwrap();
        assert_eq!(measure_of(&document), naive(&document));
        assert_eq!(measure_of(&document).fields, 1024);
        assert_eq!(check(&document, Limits::default()), Ok(()));
    }

    fn measure_of(document: &ExecutableDocument) -> Measure {
        measure(document).unwrap()
    }

    #[test]
    fn unused_fragments_count_as_work() {
        let text = doubling(20).replacen("query { ...f20 }", "query { __typename }", 1);
        let document = parse_query(text).unwrap();
        // Refused although no operation spreads them (both limits answer QUERY_TOO_COMPLEX).
        let refused = check(&document, Limits::default());
        assert!(matches!(refused, Err(Exceeded::Complexity(_) | Exceeded::Work(_))), "{refused:?}");
    }

    #[test]
    fn depth_aliases_and_cycles() {
        let deep = format!("{{ {}__typename{} }}", "a { ".repeat(13), " }".repeat(13));
        assert_eq!(check(&parse_query(deep).unwrap(), Limits::default()), Err(Exceeded::Depth(MAX_DEPTH)));
        let aliased: String = (0..16).map(|i| format!(" a{i}: __typename")).collect();
        let fragment = format!("query {{ ...f ...f }} fragment f on QueryRoot {{{aliased} }}");
        assert_eq!(check(&parse_query(fragment).unwrap(), Limits::default()), Err(Exceeded::Aliases(MAX_ALIASES)));
        let cycle = "query { ...a } fragment a on QueryRoot { ...b } fragment b on QueryRoot { ...a }";
        assert_eq!(check(&parse_query(cycle).unwrap(), Limits::default()), Err(Exceeded::Cycle));
        let unknown = "query { ...nowhere }";
        assert_eq!(check(&parse_query(unknown).unwrap(), Limits::default()), Ok(()));
    }

    /// A selection set of the fuzzed documents, with spreads of the fragments `0..spreadable`.
    #[derive(Clone, Debug)]
    enum Node {
        Field { alias: bool, children: Vec<Node> },
        Inline(Vec<Node>),
        Spread(usize),
    }

    fn nodes(spreadable: usize) -> impl proptest::strategy::Strategy<Value = Vec<Node>> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            any::<bool>().prop_map(|alias| Node::Field { alias, children: Vec::new() }),
            (0..spreadable.max(1)).prop_map(move |i| if spreadable == 0 {
                Node::Field { alias: false, children: Vec::new() }
            } else {
                Node::Spread(i)
            }),
        ];
        let node = leaf.prop_recursive(5, 40, 4, |inner| {
            prop_oneof![
                (any::<bool>(), prop::collection::vec(inner.clone(), 1..4))
                    .prop_map(|(alias, children)| Node::Field { alias, children }),
                prop::collection::vec(inner, 1..4).prop_map(Node::Inline),
            ]
        });
        prop::collection::vec(node, 1..5)
    }

    fn render(set: &[Node], text: &mut String, next_alias: &mut usize) {
        text.push_str("{ ");
        for node in set {
            match node {
                Node::Field { alias, children } => {
                    if *alias {
                        *next_alias += 1;
                        text.push_str(&format!("a{next_alias}: "));
                    }
                    if children.is_empty() {
                        text.push_str("__typename ");
                    } else {
                        text.push_str("me ");
                        render(children, text, next_alias);
                    }
                }
                Node::Inline(children) => {
                    text.push_str("... on QueryRoot ");
                    render(children, text, next_alias);
                }
                Node::Spread(i) => text.push_str(&format!("...f{i} ")),
            }
        }
        text.push_str("} ");
    }

    /// A document of one operation and fragments `f0…`, each spreading only earlier ones (no cycle).
    fn acyclic_document() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (0usize..6)
            .prop_flat_map(|count| {
                let fragments: Vec<_> = (0..count).map(nodes).collect();
                (fragments, nodes(count))
            })
            .prop_map(|(fragments, operation)| {
                let mut text = String::from("query ");
                let mut aliases = 0;
                render(&operation, &mut text, &mut aliases);
                for (i, fragment) in fragments.iter().enumerate() {
                    text.push_str(&format!("fragment f{i} on QueryRoot "));
                    render(fragment, &mut text, &mut aliases);
                }
                text
            })
    }

    /// Small limits, that the fuzzed documents pass often.
    const SMALL: Limits = Limits { depth: 4, complexity: 24, aliases: 3, work: 80 };

    fn exceeds(measure: Measure, limits: Limits) -> bool {
        measure.depth > limits.depth
            || measure.fields > limits.complexity
            || measure.aliases > limits.aliases
            || measure.nodes > limits.work
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, failure_persistence: None, ..Default::default() })]

        /// The memoized measure is the expanded one, and a document is refused exactly when its operations,
        /// one of its fragments alone, or the walk of all of them passes a limit, with that limit's code.
        #[test]
        fn measures_are_the_expanded_ones_and_refusals_name_a_limit_passed(text in acyclic_document()) {
            let document = parse_query(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let expanded = naive(&document);
            proptest::prop_assert_eq!(measure(&document), Ok(expanded));
            let fragments: Vec<Measure> =
                document.fragments.values().map(|f| naive_set(&document, &f.node.selection_set.node)).collect();
            let work = fragments.iter().fold(expanded.nodes, |w, f| w.saturating_add(f.nodes));
            let passed = exceeds(expanded, SMALL) || fragments.iter().any(|f| exceeds(*f, SMALL)) || work > SMALL.work;
            let checked = check(&document, SMALL);
            proptest::prop_assert_eq!(checked.is_err(), passed, "{} {:?}", text, checked);
            if let Err(exceeded) = checked {
                let code = exceeded.to_server_error().extensions.and_then(|e| e.get("code").cloned());
                let code = code.map(|c| c.to_string()).unwrap_or_default();
                proptest::prop_assert!(
                    ["\"QUERY_TOO_DEEP\"", "\"QUERY_TOO_COMPLEX\"", "\"TOO_MANY_ALIASES\""].contains(&code.as_str()),
                    "{}",
                    code
                );
            }
        }

        /// Any text that parses, cycles and unknown fragments included, is measured without panicking.
        #[test]
        fn any_parsed_document_is_measured(text in "[{}(): .a-z0-9_\\n]{0,200}|(query |fragment f on QueryRoot |\\.\\.\\.f |\\{ |\\} |a: |me |__typename ){0,60}") {
            if let Ok(document) = parse_query(&text) {
                let _ = check(&document, Limits::default());
                let _ = check(&document, SMALL);
            }
        }
    }
}
