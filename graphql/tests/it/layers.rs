//! The GraphQL layers around the resolvers: introspection alone, the idempotency keys' layer, null propagation,
//! error codes, the query limits, and which answers may be kept.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on the first broken step")]

/// `schema::introspection`: documents of meta fields only.
mod introspection {
    use jamaa_graphql::schema::introspection::is_introspection_only;

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
        assert!(!check("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", None));
        // Fragments spread many times over are each looked at once.
        let mut fan_out = String::from("query { ...F0 } fragment F12 on Query { __typename }");
        for i in 0..12 {
            fan_out.push_str(&format!(" fragment F{i} on Query {{ ...F{n} ...F{n} }}", n = i + 1));
        }
        assert!(check(&fan_out, None));
    }
}

/// `schema::idempotent`: the mutations that take a key.
mod idempotent {
    use jamaa_graphql::schema::idempotent::{KEYED, OWN_CLAIM};
    use jamaa_graphql::schema::{MutationRoot, QueryRoot, SubscriptionRoot};

    /// Every mutation that takes a key is claimed by this layer or by its own use case, and every mutation
    /// this layer claims declares the argument.
    #[tokio::test]
    async fn the_keyed_mutations_declare_their_key() {
        let schema =
            async_graphql::Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot).finish();
        let answer = schema.execute("{ __type(name: \"MutationRoot\") { fields { name args { name } } } }").await;
        let data = answer.data.into_json().unwrap();
        let mut keyed = Vec::new();
        for field in data["__type"]["fields"].as_array().unwrap() {
            let takes_key = field["args"].as_array().unwrap().iter().any(|a| a["name"] == "idempotencyKey");
            let name = field["name"].as_str().unwrap().to_owned();
            assert_eq!(
                takes_key,
                KEYED.contains(&name.as_str()) || OWN_CLAIM.contains(&name.as_str()),
                "{name}: declares a key or is listed, not both"
            );
            if takes_key {
                keyed.push(name);
            }
        }
        assert_eq!(keyed.len(), KEYED.len() + OWN_CLAIM.len(), "{keyed:?}");
    }
}

/// `schema::nulls`: a failed non-null field nulls its closest nullable parent.
mod nulls {
    use async_graphql::{PathSegment, Value};
    use jamaa_graphql::schema::nulls::{list_item, named_type, propagate};

    #[test]
    fn list_types_unwrap() {
        assert_eq!(named_type("[Edge!]!"), "Edge");
        assert_eq!(list_item("[Edge!]!"), Some("Edge!"));
        assert_eq!(list_item("[String]"), Some("String"));
        assert_eq!(list_item("String!"), None);
    }

    #[test]
    fn a_failed_non_null_field_nulls_its_closest_nullable_parent() {
        let mut data = Value::from_json(serde_json::json!({ "a": { "b": [ { "c": 1 } ] }, "d": 2 })).unwrap();
        let path = vec![
            PathSegment::Field("a".into()),
            PathSegment::Field("b".into()),
            PathSegment::Index(0),
            PathSegment::Field("e".into()),
        ];
        // `a` nullable, `b: [X!]!`, `e: Int!`: the null reaches `a`.
        propagate(&mut data, &path, &[true, false, false, false]);
        assert_eq!(data.into_json().unwrap(), serde_json::json!({ "a": null, "d": 2 }));
    }

    #[test]
    fn a_failed_non_null_root_field_nulls_data() {
        let mut data = Value::from_json(serde_json::json!({ "ok": 1 })).unwrap();
        propagate(&mut data, &[PathSegment::Field("bad".into())], &[false]);
        assert_eq!(data, Value::Null);
    }

    #[test]
    fn a_failed_nullable_field_is_null_not_missing() {
        let mut data = Value::from_json(serde_json::json!({ "ok": 1 })).unwrap();
        propagate(&mut data, &[PathSegment::Field("maybe".into())], &[true]);
        assert_eq!(data.into_json().unwrap(), serde_json::json!({ "ok": 1, "maybe": null }));
    }
}

/// `schema::error`: every error of async-graphql gets a code.
mod errors {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    struct Query;

    #[Object]
    impl Query {
        async fn echo(&self, text: String) -> String {
            text
        }
    }

    fn codes(response: &async_graphql::Response) -> Vec<String> {
        response
            .errors
            .iter()
            .map(|e| e.extensions.as_ref().and_then(|x| x.get("code")).map(|c| c.to_string()).unwrap_or_default())
            .collect()
    }

    #[tokio::test]
    async fn errors_of_async_graphql_get_a_code() {
        // As in the API, the limits (which parse while the request is prepared) come after.
        let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(jamaa_graphql::schema::error::ErrorCodes)
            .extension(jamaa_graphql::schema::limits::QueryLimits::new(Default::default()))
            .finish();
        let run = |query: &str, variables: serde_json::Value| {
            let request = async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables));
            let schema = schema.clone();
            async move { schema.execute(request).await }
        };
        assert_eq!(codes(&run("{ echo(", serde_json::json!({})).await), ["\"GRAPHQL_PARSE_FAILED\""]);
        assert_eq!(codes(&run("{ nowhere }", serde_json::json!({})).await), ["\"GRAPHQL_VALIDATION_FAILED\""]);
        let echo = "query($t: String!) { echo(text: $t) }";
        assert_eq!(codes(&run(echo, serde_json::json!({ "t": {} })).await), ["\"GRAPHQL_VALIDATION_FAILED\""]);
        let loose = "query($t: String) { echo(text: $t) }";
        assert_eq!(codes(&run(loose, serde_json::json!({})).await), ["\"BAD_USER_INPUT\""]);
        assert_eq!(run(echo, serde_json::json!({ "t": "a" })).await.errors.len(), 0);
    }
}

/// `schema::limits`: depth, complexity, aliases and work, measured without expanding fragments.
mod query_limits {
    use async_graphql::parser::parse_query;
    use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
    use jamaa_graphql::schema::limits::{
        Exceeded, Limits, MAX_ALIASES, MAX_COMPLEXITY, MAX_DEPTH, Measure, check, measure,
    };

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

/// `response_cache`: the catalog's fields and types.
mod kept_answers {
    use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
    use jamaa_graphql::response_cache::{CATALOG_TYPES, is_catalog_field};

    fn named(ty: &Type) -> &str {
        match &ty.base {
            BaseType::Named(name) => name.as_str(),
            BaseType::List(inner) => named(inner),
        }
    }

    /// Every object type a catalog field leads to is in [`CATALOG_TYPES`], and nothing else is: a field added to
    /// `Service` that returns another type is noticed here.
    #[test]
    fn the_catalog_types_are_those_under_service() {
        let sdl = jamaa_graphql::schema::sdl();
        let document = async_graphql::parser::parse_schema(&sdl).unwrap();
        let mut objects = std::collections::HashMap::new();
        for definition in &document.definitions {
            if let TypeSystemDefinition::Type(ty) = definition
                && let TypeKind::Object(object) = &ty.node.kind
            {
                let fields: Vec<(String, String)> = object
                    .fields
                    .iter()
                    .map(|f| (f.node.name.node.to_string(), named(&f.node.ty.node).to_owned()))
                    .collect();
                objects.insert(ty.node.name.node.to_string(), fields);
            }
        }
        let mut reached = std::collections::BTreeSet::new();
        let mut next: Vec<String> = objects["QueryRoot"]
            .iter()
            .filter(|(name, _)| is_catalog_field("QueryRoot", name))
            .map(|(_, ty)| ty.clone())
            .collect();
        while let Some(ty) = next.pop() {
            let Some(fields) = objects.get(&ty) else { continue };
            if reached.insert(ty) {
                next.extend(fields.iter().map(|(_, ty)| ty.clone()));
            }
        }
        let listed: std::collections::BTreeSet<String> = CATALOG_TYPES.iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(reached, listed);
    }

    #[test]
    fn only_the_catalogs_fields_are_the_catalogs() {
        assert!(is_catalog_field("QueryRoot", "services"));
        assert!(is_catalog_field("FeeLine", "amount"));
        assert!(is_catalog_field("[ServiceEdge!]", "edges"));
        assert!(!is_catalog_field("[Request!]", "nodes"));
        assert!(!is_catalog_field("QueryRoot", "trackRequest"));
        assert!(!is_catalog_field("QueryRoot", "commune"));
        assert!(!is_catalog_field("Commune", "name"));
        assert!(!is_catalog_field("MutationRoot", "submitRequest"));
    }
}
