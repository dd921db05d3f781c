//! The methods the engine gives every listing (`page_size`, `max_items`, `items`, ...), read
//! from its source, so that an optional parameter whose setter would take one of their names is
//! refused with a message instead of a "duplicate definitions" error in the generated glue.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use proc_macro2::{TokenStream, TokenTree};

/// The listing types, async and blocking, that the glue adds setters to.
const LISTINGS: [&str; 2] = ["CursorListing", "PageListing"];

/// Every `fn` of an `impl` of a listing type, and every `fn` in a `macro_rules!` of those files
/// (the methods written once for both listings), in the files of `crates/chatcaptain/src` that
/// define the listings.
pub fn read(root: &Path) -> Result<BTreeSet<String>> {
    let src = root.join("crates/chatcaptain/src");
    let mut files = vec![src.join("blocking.rs")];
    let paging = src.join("paging");
    for entry in
        std::fs::read_dir(&paging).with_context(|| format!("cannot read {}", paging.display()))?
    {
        files.push(entry?.path());
    }
    let mut names = BTreeSet::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let parsed =
            syn::parse_file(&text).with_context(|| format!("cannot parse {}", file.display()))?;
        for item in &parsed.items {
            match item {
                syn::Item::Impl(i) if is_listing(&i.self_ty) => {
                    names.extend(i.items.iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }));
                }
                syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                    functions(m.mac.tokens.clone(), &mut names);
                }
                _ => {}
            }
        }
    }
    Ok(names)
}

fn is_listing(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    p.path
        .segments
        .last()
        .is_some_and(|s| LISTINGS.iter().any(|l| s.ident == l))
}

/// The identifier after each `fn` in a token stream.
fn functions(tokens: TokenStream, into: &mut BTreeSet<String>) {
    let mut after_fn = false;
    for token in tokens {
        match token {
            TokenTree::Ident(i) if after_fn => {
                into.insert(i.to_string());
                after_fn = false;
            }
            TokenTree::Ident(i) => after_fn = i == "fn",
            TokenTree::Group(g) => {
                functions(g.stream(), into);
                after_fn = false;
            }
            _ => after_fn = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_methods_are_found_in_impls_and_macros() {
        let names = read(&crate::spec::workspace_root()).unwrap();
        // `page_size` is in an impl, `max_items` and `items` in the macros that write them once.
        for name in [
            "page_size",
            "max_items",
            "items",
            "exclude",
            "resume",
            "new",
        ] {
            assert!(names.contains(name), "no `{name}` in {names:?}");
        }
        assert!(!names.contains("contact_id"), "{names:?}");
    }
}
