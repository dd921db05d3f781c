//! A string enum the API sends gets a catch-all variant that keeps a value this version of the
//! crate does not know (`Unknown(String)`), so that a value the vendor adds to an answer is a
//! compatible release: typify's enum would fail the whole answer's deserialization on it.
//! `#[non_exhaustive]` (see `non_exhaustive`) alone only keeps user code compiling; this keeps
//! the answer readable.
//!
//! typify 0.8 has no setting for it, so its output is post-processed: the enum loses its serde
//! derives (and `Copy`, a `String` is not), gets the variant, and its `Display`, `FromStr`,
//! `Serialize` and `Deserialize` are written here from its variants' wire names, so that an
//! unknown value round-trips unchanged. `FromStr` no longer fails (typify's `TryFrom` impls call
//! it and are kept).
//!
//! "Sent by the API" is read from the generated code itself: the types reachable, through
//! fields, from what a `send()` returns (success and error bodies). An enum only ever sent *to*
//! the API keeps failing on a value it does not know.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

use super::names::{self_name, serde_rename};

/// The variant's name, unless the enum has a value of that name already; then the next one.
const CATCH_ALL_NAMES: [&str; 2] = ["Unknown", "UnknownValue"];

/// Adds the catch-all to every string enum of `types` that a response can hold; returns the
/// file and the names of the enums changed.
pub fn add(mut file: syn::File) -> Result<(syn::File, Vec<String>)> {
    let roots = sent_types(&file.items);
    let Some(types) = types_module(&mut file) else {
        return Ok((file, Vec::new()));
    };
    let names: BTreeSet<String> = types.iter().filter_map(item_name).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in types.iter() {
        let (name, body) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), s.fields.to_token_stream()),
            syn::Item::Enum(e) => (e.ident.to_string(), e.variants.to_token_stream()),
            syn::Item::Type(t) => (t.ident.to_string(), t.ty.to_token_stream()),
            _ => continue,
        };
        let mut used = BTreeSet::new();
        idents(body, &mut used);
        edges.insert(name, used.intersection(&names).cloned().collect());
    }
    let mut sent = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().filter(|r| names.contains(r)).collect();
    while let Some(name) = todo.pop() {
        if sent.insert(name.clone()) {
            todo.extend(edges.get(&name).into_iter().flatten().cloned());
        }
    }
    let string_enums = string_enums(types);
    let changed: Vec<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .filter(|name| sent.contains(name) && string_enums.contains(name))
        .collect();
    let mut items = Vec::with_capacity(types.len());
    for mut item in std::mem::take(types) {
        match &mut item {
            syn::Item::Enum(e) if changed.contains(&e.ident.to_string()) => {
                let impls = rewrite(e)?;
                items.push(item);
                // Next to the enum, where typify's own Display and FromStr were.
                items.extend(syn::parse2::<syn::File>(impls)?.items);
            }
            // Replaced by the ones written next to the enum.
            syn::Item::Impl(i) if replaced_impl(i) && changed.contains(&self_name(i)) => {}
            _ => items.push(item),
        }
    }
    *types = items;
    Ok((file, changed))
}

fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Every identifier in the return types of the `send` methods of the top-level `builder`
/// module: the answers (and error bodies) progenitor decodes.
fn sent_types(items: &[syn::Item]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        for inner in m.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Impl(i) = inner else { continue };
            for f in &i.items {
                if let syn::ImplItem::Fn(f) = f
                    && f.sig.ident == "send"
                {
                    idents(f.sig.output.to_token_stream(), &mut found);
                }
            }
        }
    }
    found
}

fn idents(tokens: TokenStream, into: &mut BTreeSet<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(i) => {
                into.insert(i.to_string());
            }
            TokenTree::Group(g) => idents(g.stream(), into),
            _ => {}
        }
    }
}

/// The enums typify made from a string `enum`: unit variants only, and an `impl FromStr`.
fn string_enums(types: &[syn::Item]) -> BTreeSet<String> {
    let parsed: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if trait_is(i, "FromStr") => Some(self_name(i)),
            _ => None,
        })
        .collect();
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e)
                if e.variants
                    .iter()
                    .all(|v| matches!(v.fields, syn::Fields::Unit))
                    && parsed.contains(&e.ident.to_string()) =>
            {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect()
}

fn trait_is(i: &syn::ItemImpl, name: &str) -> bool {
    i.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident == name)
}

fn replaced_impl(i: &syn::ItemImpl) -> bool {
    trait_is(i, "Display") || trait_is(i, "FromStr")
}

/// Turns the enum into one with a catch-all, and returns the impls it then needs.
fn rewrite(e: &mut syn::ItemEnum) -> Result<TokenStream> {
    let name = e.ident.clone();
    let mut known = Vec::new();
    for variant in &mut e.variants {
        let wire = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
        // Without the serde derives its helper attribute no longer exists.
        variant.attrs.retain(|a| !a.path().is_ident("serde"));
        known.push((variant.ident.clone(), wire));
    }
    let Some(catch_all) = CATCH_ALL_NAMES
        .iter()
        .find(|n| !known.iter().any(|(v, _)| v == *n))
    else {
        bail!(
            "enum `types::{name}` has variants named {CATCH_ALL_NAMES:?} already: no name is left \
             for the variant that keeps an unknown value (xtask/src/codegen/catch_all.rs)"
        );
    };
    let catch_all = format_ident!("{catch_all}");
    for attr in &mut e.attrs {
        if attr.path().is_ident("derive") {
            let kept: Vec<syn::Path> = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )?
                .into_iter()
                .filter(|p| {
                    !p.segments.last().is_some_and(|s| {
                        ["Copy", "Serialize", "Deserialize"].contains(&&*s.ident.to_string())
                    })
                })
                .collect();
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    e.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know, kept as the server sent it (a
        /// newer API may send values the spec it was generated from did not list). A known value
        /// is never read into it: build those with their own variant (or `parse()`).
        #catch_all(::std::string::String)
    });
    let (idents, wires): (Vec<_>, Vec<_>) = known.into_iter().unzip();
    let doc = format!("The value as sent on the wire, `{catch_all}`'s included.");
    Ok(quote! {
        impl #name {
            #[doc = #doc]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#catch_all(value) => value,
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        /// Never fails: a value the crate does not know is kept in the catch-all variant.
        impl ::std::str::FromStr for #name {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                ::std::result::Result::Ok(match value {
                    #(#wires => Self::#idents,)*
                    _ => Self::#catch_all(value.to_owned()),
                })
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(match value.as_str() {
                    #(#wires => Self::#idents,)*
                    _ => Self::#catch_all(value),
                })
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::spec::Spec;

    /// `Kind` is sent and received, `mood` only received (inline), `sort` only sent, and
    /// `Level` has a value that takes the catch-all's usual name.
    const SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /v1/things:
    get:
      operationId: listThings
      parameters:
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Things'}
components:
  schemas:
    Kind: {type: string, enum: [small, big-one]}
    Level: {type: string, enum: [low, Unknown]}
    Things:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    Thing:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        mood: {type: string, enum: [happy, sad]}
        level: {$ref: '#/components/schemas/Level'}
"#;

    fn generated() -> String {
        let spec = Spec::from_text(Path::new("fixture.yaml"), SPEC.to_owned()).unwrap();
        let file = crate::codegen::generate_api(&spec).unwrap();
        prettyplease::unparse(&file)
    }

    /// The text of `enum NAME { ... }` and of everything up to the next item of that kind.
    fn enum_text<'a>(code: &'a str, name: &str) -> &'a str {
        let start = code
            .find(&format!("pub enum {name} {{"))
            .unwrap_or_else(|| panic!("no enum {name} in:\n{code}"));
        let end = code[start..].find("\n    }\n").unwrap() + start;
        &code[start..end]
    }

    #[test]
    fn an_enum_an_answer_can_hold_keeps_unknown_values_and_one_only_sent_does_not() {
        let code = generated();
        for sent in ["Kind", "ThingMood"] {
            let text = enum_text(&code, sent);
            assert!(
                text.contains("Unknown(::std::string::String)"),
                "{sent}:\n{text}"
            );
            assert!(
                !text.contains("serde("),
                "serde attributes left without the derive: {text}"
            );
        }
        assert!(
            !enum_text(&code, "ListThingsSort").contains("Unknown"),
            "{code}"
        );
        // The derives it cannot keep, gone from the changed enum only.
        let before_kind = &code[..code.find("pub enum Kind {").unwrap()];
        let derive = &before_kind[before_kind.rfind("#[derive(").unwrap()..];
        assert!(
            !derive.contains("Copy") && !derive.contains("serde"),
            "{derive}"
        );
        let before_sort = &code[..code.find("pub enum ListThingsSort {").unwrap()];
        let derive = &before_sort[before_sort.rfind("#[derive(").unwrap()..];
        assert!(
            derive.contains("Copy") && derive.contains("::serde::Deserialize"),
            "{derive}"
        );
    }

    #[test]
    fn wire_names_round_trip_and_the_fallback_keeps_the_value() {
        let code = generated();
        let squeezed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            // Deserialize: the wire name, else the value kept.
            r#""big-one" => Self::BigOne, _ => Self::Unknown(value), },"#,
            // FromStr never fails.
            r#""big-one" => Self::BigOne, _ => Self::Unknown(value.to_owned()), },"#,
            // Serialize and Display write the wire name, or the kept value.
            r#"Self::BigOne => "big-one", Self::Unknown(value) => value,"#,
            "serializer.serialize_str(self.as_str())",
        ] {
            assert!(squeezed.contains(expected), "no `{expected}` in:\n{code}");
        }
        // typify's own impls, which failed on an unknown value, are gone (the request-only
        // enum keeps its own).
        for (name, count) in [("Kind", 1), ("ListThingsSort", 1)] {
            let impls = format!("impl ::std::str::FromStr for {name} {{");
            assert_eq!(code.matches(&impls).count(), count, "{code}");
        }
        assert_eq!(
            code.matches("Err(\"invalid value\".into())").count(),
            1,
            "{code}"
        );
    }

    #[test]
    fn a_value_named_unknown_moves_the_catch_all_to_another_name() {
        let code = generated();
        let text = enum_text(&code, "Level");
        assert!(text.contains("Unknown,"), "{text}");
        assert!(
            text.contains("UnknownValue(::std::string::String)"),
            "{text}"
        );
    }
}
