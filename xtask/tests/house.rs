//! The shape of the house, kept: no hand-written file over 600 lines, and no module that imports
//! one that imports it back (within a crate). A newcomer reads a room without walking in a circle;
//! these fail the change that would bring a circle back, naming the modules.
//!
//! "Imports" means any `crate::`, `super::` or `self::` path and any `use` of a child module, in
//! code that is not `#[cfg(test)]`. A path through a parent's `pub use` counts for the module
//! the item is defined in, so a `mod.rs` that only re-exports its children is not a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The longest a hand-written Rust file may grow before it is split into rooms.
const MAX_LINES: usize = 600;

/// Generated files say so on their first line, and are exempt from both rules.
const GENERATED: &str = "// @generated";

type Module = Vec<String>;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Every `src` folder of the workspace: each crate's, and xtask's.
fn source_roots() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut roots = vec![root.join("xtask/src")];
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            roots.push(src);
        }
    }
    roots.sort();
    roots
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn is_generated(text: &str) -> bool {
    text.starts_with(GENERATED)
}

#[test]
fn no_hand_written_file_is_over_600_lines() {
    let mut files = Vec::new();
    for dir in ["crates", "xtask"] {
        rust_files(&workspace_root().join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let lines = text.lines().count();
            (!is_generated(&text) && lines > MAX_LINES)
                .then(|| format!("{} ({lines})", path.display()))
        })
        .collect();
    assert!(files.len() > 100, "found only {} files", files.len());
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:#?}");
}

/// One crate's modules, read from its files.
struct Crate {
    /// Each module, with its file and whether that file is a folder's (`mod.rs`, the root).
    modules: BTreeMap<Module, (PathBuf, bool)>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        let has_lib = src.join("lib.rs").exists();
        let mut modules = BTreeMap::new();
        for path in files {
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let folder = matches!(
                module.last().map(String::as_str),
                Some("lib" | "main" | "mod")
            );
            // A binary beside a library reaches it by the crate's name, not by `crate::`.
            if module == ["main"] && has_lib || module.first().is_some_and(|m| m == "bin") {
                continue;
            }
            if folder {
                module.pop();
            }
            modules.insert(module, (path, folder));
        }
        Crate { modules }
    }

    /// The module a path names from `from`, and what follows it (an item, a function).
    fn resolve<'a>(&self, from: &Module, segments: &'a [String]) -> (Module, &'a [String]) {
        let folder = self.modules[from].1;
        let (mut module, mut rest) = match segments.first().map(String::as_str) {
            Some("crate") => (Module::new(), &segments[1..]),
            Some("super" | "self") => {
                let mut module = from.clone();
                let mut rest = segments;
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "super" => drop(module.pop()),
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                (module, rest)
            }
            // `use child::Item` in a folder's file, or `use sibling::Item` nowhere (2018 paths
            // name children): relative to the module itself.
            _ if folder => (from.clone(), segments),
            _ => (from[..from.len() - 1].to_vec(), segments),
        };
        while let Some(next) = rest.first() {
            let mut child = module.clone();
            child.push(next.clone());
            if !self.modules.contains_key(&child) {
                break;
            }
            module = child;
            rest = &rest[1..];
        }
        (module, rest)
    }
}

/// The paths a file's non-test code names, as segment lists, and its `pub use` re-exports.
#[derive(Default)]
struct Paths {
    named: Vec<Vec<String>>,
    reexports: Vec<(String, Vec<String>)>,
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

/// Each name a `use` brings in, with the whole path it names (a glob: the module's path).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    let whole = |ident: &syn::Ident| [prefix.as_slice(), &[ident.to_string()]].concat();
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push((n.ident.to_string(), whole(&n.ident))),
        syn::UseTree::Rename(r) => out.push((r.rename.to_string(), whole(&r.ident))),
        syn::UseTree::Glob(_) => out.push(("*".to_owned(), prefix.clone())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => &[],
        };
        if is_test(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            let mut found = Vec::new();
            use_paths(&u.tree, &mut Vec::new(), &mut found);
            for (name, path) in found {
                if !matches!(u.vis, syn::Visibility::Inherited) {
                    self.reexports.push((name, path.clone()));
                }
                self.named.push(path);
            }
            return;
        }
        syn::visit::visit_item(self, item);
    }

    /// `pub(super)` names who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments
            .first()
            .is_some_and(|s| ["crate", "super", "self"].contains(&s.as_str()))
        {
            self.named.push(segments);
        }
        syn::visit::visit_path(self, path);
    }
}

/// Each module's imports, as the modules that define what it names.
fn imports(krate: &Crate) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut paths = BTreeMap::new();
    for (module, (file, _)) in &krate.modules {
        let text = std::fs::read_to_string(file).unwrap();
        let mut found = Paths::default();
        if !is_generated(&text) {
            let parsed =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            found.visit_file(&parsed);
        }
        paths.insert(module.clone(), found);
    }
    // Where each re-exported name of a module comes from.
    let mut reexported: BTreeMap<(Module, String), Module> = BTreeMap::new();
    for (module, found) in &paths {
        for (name, path) in &found.reexports {
            let (source, _) = krate.resolve(module, path);
            reexported.insert((module.clone(), name.clone()), source);
        }
    }
    let mut edges = BTreeMap::new();
    for (module, found) in &paths {
        let mut targets = BTreeSet::new();
        for path in &found.named {
            let (mut target, rest) = krate.resolve(module, path);
            if path.is_empty() {
                continue;
            }
            // Through a re-export to where the item lives (a few hops at most).
            for name in rest.iter().take(1) {
                for _ in 0..4 {
                    match reexported.get(&(target.clone(), name.clone())) {
                        Some(source) if *source != target => target = source.clone(),
                        _ => break,
                    }
                }
            }
            let relative = ["crate", "super", "self"].contains(&path[0].as_str());
            // A path that names no module of this crate is another crate's (`std::`, `tokio::`).
            if !relative && rest.len() == path.len() {
                continue;
            }
            if target != *module {
                targets.insert(target);
            }
        }
        edges.insert(module.clone(), targets);
    }
    edges
}

/// The pairs of modules that import each other. A longer ring is allowed: types that hold each
/// other (a cursor holds the checkpoint it syncs since, whose pending segment holds where the
/// listing stood) may live in rooms of their own. The crate root is left out: it declares and
/// re-exports everything.
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    let mut pairs = Vec::new();
    for (a, targets) in edges {
        for b in targets {
            if !a.is_empty() && a < b && edges.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push(vec![a.clone(), b.clone()]);
            }
        }
    }
    pairs
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut found = Vec::new();
    for src in source_roots() {
        let krate = Crate::read(&src);
        let edges = imports(&krate);
        for group in circles(&edges) {
            let names: Vec<String> = group.iter().map(|m| m.join("::")).collect();
            let why: Vec<String> = group
                .iter()
                .map(|m| {
                    let into: Vec<String> = edges[m]
                        .iter()
                        .filter(|t| group.contains(t))
                        .map(|t| t.join("::"))
                        .collect();
                    format!("  {} -> {}", m.join("::"), into.join(", "))
                })
                .collect();
            found.push(format!(
                "{}: {}\n{}",
                src.display(),
                names.join(", "),
                why.join("\n")
            ));
        }
    }
    assert!(
        found.is_empty(),
        "modules in a circle:\n{}",
        found.join("\n")
    );
}

/// The check itself sees a circle when there is one, and not when a folder only re-exports.
#[test]
fn a_circle_is_seen_and_a_re_export_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |name: &str, text: &str| {
        let path = src.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\nmod room;\n");
    write("a.rs", "use crate::b::B;\npub struct A;\n");
    write(
        "b.rs",
        "pub struct B;\npub fn f() -> crate::a::A { crate::a::A }\n",
    );
    write(
        "room/mod.rs",
        "mod x;\nmod y;\npub use x::X;\npub use y::Y;\n",
    );
    write("room/x.rs", "pub struct X;\n");
    write(
        "room/y.rs",
        "use super::X;\npub struct Y(X);\npub(super) fn g() {}\n#[cfg(test)]\nmod tests { use super::super::Y; }\n",
    );
    let krate = Crate::read(src);
    let groups = circles(&imports(&krate));
    let names: Vec<Vec<String>> = groups
        .iter()
        .map(|g| g.iter().map(|m| m.join("::")).collect())
        .collect();
    assert_eq!(names, [["a", "b"]]);
}

/// The README's layout table is where a newcomer learns the rooms: each file or folder a row
/// names (`client.rs`, `paging/`, `src/hooks.rs`) must exist, relative to the row's path or its
/// `src/`, so a move that forgets the table fails here.
#[test]
fn every_room_the_readme_layout_table_names_exists() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut checked = 0;
    let mut missing = Vec::new();
    for row in readme
        .lines()
        .filter(|l| l.starts_with("| `crates/") || l.starts_with("| `xtask/"))
    {
        let mut cells = row.split(" | ");
        let base = cells
            .next()
            .unwrap()
            .trim_start_matches("| ")
            .trim_matches('`');
        let rest: String = cells.collect::<Vec<_>>().join(" | ");
        for (i, name) in rest.split('`').enumerate() {
            let room =
                i % 2 == 1 && (name.ends_with(".rs") || name.ends_with('/')) && !name.contains(' ');
            if !room {
                continue;
            }
            checked += 1;
            let base = root.join(base);
            if !base.join(name).exists() && !base.join("src").join(name).exists() {
                missing.push(format!("{name} (in the row of {})", base.display()));
            }
        }
    }
    assert!(
        checked > 20,
        "read only {checked} rooms from the README's layout table"
    );
    assert!(
        missing.is_empty(),
        "the README's layout table names rooms that are not there: {missing:#?}"
    );
}
