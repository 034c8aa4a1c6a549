//! Tidy checks: every module of the workspace says what it is for in a `//!` line, core has no import cycle, and the
//! server crate keeps its tests out of its sources.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_has_a_doc_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for crate_dir in ["core/src", "graphql/src", "tests/src", "examples/partner-app/src", "sdk-wasm/src", "benches/src"]
    {
        rust_files(&root.join(crate_dir), &mut files);
    }
    assert!(files.len() > 40, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|file| !std::fs::read_to_string(file).unwrap_or_default().lines().any(|l| l.starts_with("//!")))
        .map(|file| file.strip_prefix(&root).unwrap_or(file).display().to_string())
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` line: {missing:?}");
}

/// The server crate builds no unit tests (`test = false` in its Cargo.toml: they would compile the crate a second
/// time); a test written inside `graphql/src` would never run. Its tests live in this binary.
#[test]
fn the_server_crate_has_no_unit_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let with_tests: Vec<String> = files
        .iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            text.contains("#[cfg(test)]") || text.contains("#[test]") || text.contains("#[tokio::test")
        })
        .map(|file| file.strip_prefix(&src).unwrap_or(file).display().to_string())
        .collect();
    assert!(with_tests.is_empty(), "tests inside graphql/src never run; move them to graphql/tests/it: {with_tests:?}");
}

/// The module a `.rs` file of `core/src` is (`store/cache.rs` is `store::cache`, `model/form/mod.rs` is
/// `model::form`, `lib.rs` the crate's root, ``).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|last| last == "mod" || last == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The paths a file of core names: its `use` items (re-exports aside: `pub use` is a facade, not a
/// dependency) and every path in its code, test modules aside.
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl<'ast> syn::visit::Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let test_only = item.attrs.iter().any(|attr| {
            attr.path().is_ident("cfg") && attr.parse_args::<syn::Ident>().is_ok_and(|ident| ident == "test")
        });
        if !test_only {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if matches!(item.vis, syn::Visibility::Public(_)) {
            return;
        }
        fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
            match tree {
                syn::UseTree::Path(path) => {
                    prefix.push(path.ident.to_string());
                    walk(&path.tree, prefix, out);
                    prefix.pop();
                }
                syn::UseTree::Name(name) => {
                    out.push(prefix.iter().cloned().chain([name.ident.to_string()]).collect());
                }
                syn::UseTree::Rename(rename) => {
                    out.push(prefix.iter().cloned().chain([rename.ident.to_string()]).collect());
                }
                syn::UseTree::Glob(_) => out.push(prefix.clone()),
                syn::UseTree::Group(group) => {
                    for tree in &group.items {
                        walk(tree, prefix, out);
                    }
                }
            }
        }
        walk(&item.tree, &mut Vec::new(), &mut self.found);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.found.push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

/// Where `path`, named in `module`, leads: the longest module of `modules` it starts with, once `crate`,
/// `super` and `self` are resolved; none for paths outside the crate.
fn target(module: &str, path: &[String], modules: &std::collections::BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => path[1..].to_vec(),
        Some("self") => {
            module.split("::").filter(|s| !s.is_empty()).map(str::to_owned).chain(path[1..].to_vec()).collect()
        }
        Some("super") => {
            let mut base: Vec<String> = module.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.into_iter().chain(rest.iter().cloned()).collect()
        }
        _ => return None,
    };
    while !segments.is_empty() {
        let candidate = segments.join("::");
        if modules.contains(&candidate) {
            return Some(candidate);
        }
        segments.pop();
    }
    None
}

/// No two modules of core import each other, directly or through others: a lower layer never reaches back
/// to a higher one (`model` stays below `store`, a store below the use cases), and a use case's special
/// cases come in through a hook rather than by name. A module's `mod.rs` re-exporting its children is no
/// import; a child naming its parent is one.
#[test]
fn core_has_no_import_cycle() {
    use std::collections::{BTreeMap, BTreeSet};
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|file| module_of(&src, file)).collect();
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths::default();
        syn::visit::visit_file(&mut paths, &syntax);
        let targets = paths.found.iter().filter_map(|path| target(&module, path, &modules));
        let entry = imports.entry(module.clone()).or_default();
        entry.extend(targets.filter(|t| *t != module && !t.is_empty()));
    }
    // A cycle is a strongly connected component of more than one module (Tarjan's algorithm).
    let cycles = strongly_connected(&imports);
    let report: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            let edges: Vec<String> = cycle
                .iter()
                .flat_map(|from| {
                    imports[from].iter().filter(|to| cycle.contains(to)).map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            edges.join(", ")
        })
        .collect();
    assert!(report.is_empty(), "import cycles in core:\n{}", report.join("\n"));
}

fn strongly_connected(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Vec<String>> {
    use std::collections::HashMap;
    struct State<'a> {
        graph: &'a std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: std::collections::HashSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        for next in state.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: std::collections::HashSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}
