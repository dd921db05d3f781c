//! Every generated type of `types` gets `#[non_exhaustive]`, so that the most common API change,
//! a field the vendor adds to an answer (NestJS APIs add them all the time), is a compatible
//! release: users read fields, match with `..`, deserialize, and build one with its generated
//! builder (`Contact::builder()`), never with a struct literal that a new field would break.
//! An enum gets it too: a variant added is then compatible for code that matches with `_`.
//!
//! The builders in `types::builder` have private fields and need nothing.

use anyhow::{Result, ensure};

/// Marks every struct and enum directly in `pub mod types`; fails when there is no such module,
/// because then progenitor lays its types out some other way and none would be marked. A spec
/// without schemas has the module and nothing in it to mark: that is fine.
pub fn mark(mut file: syn::File) -> Result<syn::File> {
    let mut found = false;
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        found = true;
        for item in items {
            let attrs = match item {
                syn::Item::Struct(s) => &mut s.attrs,
                syn::Item::Enum(e) => &mut e.attrs,
                _ => continue,
            };
            if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
                attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
        }
    }
    ensure!(
        found,
        "progenitor's output has no `pub mod types`: mark its types #[non_exhaustive] some \
         other way (xtask/src/codegen/non_exhaustive.rs)"
    );
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_are_marked_and_their_builders_are_not() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Contact { pub id: String }
                pub enum Kind { A, B }
                pub mod builder {
                    pub struct Contact { id: Result<String, String> }
                }
            }
            pub struct Client {}
        };
        let text = quote::quote!(#file).to_string();
        assert_eq!(text.matches("non_exhaustive").count(), 0);
        let marked = mark(file).unwrap();
        let text = quote::quote!(#marked).to_string();
        assert_eq!(text.matches("# [non_exhaustive]").count(), 2, "{text}");
        assert!(text.contains("# [non_exhaustive] pub struct Contact { pub id"));
        assert!(text.contains("pub struct Client"));
    }

    #[test]
    fn a_types_module_with_nothing_to_mark_is_fine() {
        let file: syn::File = syn::parse_quote!(
            pub mod types {
                pub mod error {}
            }
        );
        assert!(mark(file).is_ok());
    }

    #[test]
    fn no_types_module_is_an_error() {
        let file: syn::File = syn::parse_quote!(
            pub struct Client {}
        );
        assert!(mark(file).is_err());
    }
}
