//! The public Rust surface of a generated client, and what changed in it.
//!
//! The wire rules cannot see what a user of `chatcaptain-api` compiles against: a response field
//! made required turns `Option<T>` into `T`, a raised `minimum` turns `i64` into `NonZeroU64`, a
//! renamed `operationId` renames a method. So both sides are generated in-process and the
//! generated syntax trees compared item by item. (`cargo-semver-checks` compares rustdoc JSON and
//! does not look at field types; `public-api` lists items but needs a nightly rustdoc build of each
//! side. The generated code is one `syn::File` already, so walking it is enough.)
//!
//! | change | Rust API | why |
//! |---|---|---|
//! | item, field, variant, method or trait impl removed (or renamed) | breaking | code that names it no longer compiles |
//! | field type, variant shape, method signature or alias changed | breaking | code that uses it with the old type no longer compiles |
//! | pub field added to a struct without `#[non_exhaustive]` | breaking | struct literals and exhaustive patterns no longer compile |
//! | variant added to an enum without `#[non_exhaustive]` | breaking | exhaustive matches no longer compile |
//! | item, method or trait impl added | compatible | nothing compiled against the old API names it |
//! | field added to a `#[non_exhaustive]` struct (every generated type is one) | compatible | users read fields, match with `..` and build with the builder, never a literal |
//! | variant added to a `#[non_exhaustive]` enum (every generated enum is one) | compatible | matches need a `_` arm already; a string enum an answer holds also kept the value before, in `Unknown` |
//!
//! So the common changes of an API that grows (a field added to an answer, an optional request
//! field or parameter, an operation, a value of an answer's enum) are compatible here: below 1.0
//! a patch bump of `chatcaptain-api`. A field or variant removed or renamed, a type changed, a
//! request field made required (`Option<T>` becomes `T`) stay breaking.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{Fields, Item, Visibility};

/// Every public item of a generated file, keyed by a path such as `types::Contact.email`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Surface {
    entries: BTreeMap<String, Entry>,
    /// Structs a user can build with a literal (all fields pub, not `#[non_exhaustive]`).
    literal_structs: BTreeSet<String>,
    /// Enums without `#[non_exhaustive]`, which a user can match exhaustively.
    exhaustive_enums: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    what: What,
    /// The normalized tokens compared: a field's type, a method's signature, a variant's fields.
    signature: String,
    /// The struct, enum or type an entry belongs to.
    parent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Struct,
    Enum,
    Alias,
    Field,
    Variant,
    Method,
    Impl,
}

impl What {
    fn noun(self) -> &'static str {
        match self {
            What::Struct => "struct",
            What::Enum => "enum",
            What::Alias => "type alias",
            What::Field => "field",
            What::Variant => "variant",
            What::Method => "method",
            What::Impl => "trait impl",
        }
    }
}

/// One change of the Rust API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustChange {
    pub breaking: bool,
    /// "field `types::Contact.email`: type changed from `Option<String>` to `String`".
    pub text: String,
}

impl Surface {
    pub fn of(file: &syn::File) -> Surface {
        let mut surface = Surface::default();
        surface.walk(&file.items, "");
        surface
    }

    fn walk(&mut self, items: &[Item], prefix: &str) {
        let path = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}::{name}")
            }
        };
        for item in items {
            match item {
                Item::Mod(m) if is_pub(&m.vis) => {
                    if let Some((_, inner)) = &m.content {
                        self.walk(inner, &path(&m.ident.to_string()));
                    }
                }
                Item::Struct(s) if is_pub(&s.vis) => {
                    let key = path(&s.ident.to_string());
                    let mut all_pub = true;
                    for (i, field) in s.fields.iter().enumerate() {
                        if !is_pub(&field.vis) {
                            all_pub = false;
                            continue;
                        }
                        let name = field
                            .ident
                            .as_ref()
                            .map_or_else(|| i.to_string(), ToString::to_string);
                        self.add(
                            format!("{key}.{name}"),
                            What::Field,
                            tokens(&field.ty),
                            Some(&key),
                        );
                    }
                    if all_pub && !non_exhaustive(&s.attrs) {
                        self.literal_structs.insert(key.clone());
                    }
                    self.add_derives(&key, &s.attrs);
                    self.add(key, What::Struct, tokens(&s.generics), None);
                }
                Item::Enum(e) if is_pub(&e.vis) => {
                    let key = path(&e.ident.to_string());
                    for variant in &e.variants {
                        let shape = match &variant.fields {
                            Fields::Unit => String::new(),
                            fields => tokens(fields),
                        };
                        self.add(
                            format!("{key}::{}", variant.ident),
                            What::Variant,
                            shape,
                            Some(&key),
                        );
                    }
                    if !non_exhaustive(&e.attrs) {
                        self.exhaustive_enums.insert(key.clone());
                    }
                    self.add_derives(&key, &e.attrs);
                    self.add(key, What::Enum, tokens(&e.generics), None);
                }
                Item::Type(t) if is_pub(&t.vis) => {
                    let key = path(&t.ident.to_string());
                    self.add(key, What::Alias, tokens(&t.ty), None);
                }
                Item::Impl(imp) => {
                    let ty = path(&self_type(&imp.self_ty));
                    if let Some((trait_path, _)) = &imp.trait_ {
                        self.add(
                            format!("{ty}: {}", tokens(trait_path)),
                            What::Impl,
                            String::new(),
                            Some(&ty),
                        );
                        continue;
                    }
                    for inner in &imp.items {
                        if let syn::ImplItem::Fn(f) = inner
                            && is_pub(&f.vis)
                        {
                            self.add(
                                format!("{ty}::{}", f.sig.ident),
                                What::Method,
                                tokens(&f.sig),
                                Some(&ty),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A derived trait is part of the API as much as an `impl` block (`Default` disappears when
    /// a struct gets a required field).
    fn add_derives(&mut self, key: &str, attrs: &[syn::Attribute]) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(list) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            for derived in list {
                self.add(
                    format!("{key}: {}", tokens(&derived)),
                    What::Impl,
                    String::new(),
                    Some(key),
                );
            }
        }
    }

    fn add(&mut self, key: String, what: What, signature: String, parent: Option<&str>) {
        self.entries.insert(
            key,
            Entry {
                what,
                signature,
                parent: parent.map(str::to_owned),
            },
        );
    }
}

/// Everything that changed from `old` to `new`, in key order. Members of an item that was
/// added or removed as a whole are not listed again.
pub fn diff(old: &Surface, new: &Surface) -> Vec<RustChange> {
    let mut changes = Vec::new();
    let removed_parent = |e: &Entry| {
        e.parent
            .as_ref()
            .is_some_and(|p| !new.entries.contains_key(p))
    };
    let added_parent = |e: &Entry| {
        e.parent
            .as_ref()
            .is_some_and(|p| !old.entries.contains_key(p))
    };
    for (key, a) in &old.entries {
        let noun = a.what.noun();
        match new.entries.get(key) {
            None if removed_parent(a) => {}
            None => changes.push(RustChange {
                breaking: true,
                text: format!("{noun} `{key}` removed"),
            }),
            Some(b) if b.what != a.what => changes.push(RustChange {
                breaking: true,
                text: format!("`{key}` changed from a {noun} to a {}", b.what.noun()),
            }),
            Some(b) if a.signature != b.signature => changes.push(RustChange {
                breaking: true,
                text: format!(
                    "{noun} `{key}`: {} changed from `{}` to `{}`",
                    match a.what {
                        What::Field | What::Alias => "type",
                        What::Method => "signature",
                        What::Variant => "fields",
                        _ => "generics",
                    },
                    a.signature,
                    b.signature
                ),
            }),
            Some(_) => {}
        }
    }
    for (key, b) in &new.entries {
        if old.entries.contains_key(key) || added_parent(b) {
            continue;
        }
        let parent = b.parent.as_deref().unwrap_or_default();
        let (breaking, why) = match b.what {
            What::Field if old.literal_structs.contains(parent) => (
                true,
                " (the struct has no #[non_exhaustive]: struct literals no longer compile)",
            ),
            What::Variant if old.exhaustive_enums.contains(parent) => (
                true,
                " (the enum has no #[non_exhaustive]: exhaustive matches no longer compile)",
            ),
            _ => (false, ""),
        };
        changes.push(RustChange {
            breaking,
            text: format!("{} `{key}` added{why}", b.what.noun()),
        });
    }
    changes
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// `SearchContacts` for `SearchContacts<'a>`; the tokens for anything else (`&Client`).
fn self_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .map_or_else(|| tokens(ty), |s| s.ident.to_string()),
        _ => tokens(ty),
    }
}

/// Tokens as compact text with standard-library paths shortened, so `::std::option::Option<
/// ::std::string::String>` and `Option<String>` compare equal and read well in a report.
fn tokens(node: &dyn ToTokens) -> String {
    shorten_std_paths(&compact(&node.to_token_stream().to_string()))
}

/// Drops the spaces `TokenStream::to_string` puts between tokens, except between two words.
fn compact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = out.chars().last().is_some_and(word);
            let after = chars.get(i + 1).copied().is_some_and(word);
            if before && after {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `::std::collections::HashMap` -> `HashMap`; likewise for `core::` and `alloc::`.
fn shorten_std_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let at_word_start = !out
            .chars()
            .last()
            .is_some_and(|c: char| c.is_alphanumeric() || c == '_');
        let stripped = rest.strip_prefix("::").unwrap_or(rest);
        let root = ["std::", "core::", "alloc::"]
            .into_iter()
            .find(|r| stripped.starts_with(r));
        if let (true, Some(root)) = (at_word_start, root) {
            // Skip `root::a::b::` and keep the last segment.
            let mut tail = &stripped[root.len()..];
            loop {
                let len = tail
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(tail.len());
                match tail[len..].strip_prefix("::") {
                    Some(next) if next.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                        tail = next;
                    }
                    _ => break,
                }
            }
            rest = tail;
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(code: &str) -> Surface {
        Surface::of(&syn::parse_str(code).expect("fixture parses"))
    }

    fn changes(old: &str, new: &str) -> Vec<(bool, String)> {
        diff(&surface(old), &surface(new))
            .into_iter()
            .map(|c| (c.breaking, c.text))
            .collect()
    }

    /// The changes `old` -> `new` as written, and again with both items `#[non_exhaustive]`.
    fn plain_and_non_exhaustive(old: &str, new: &str) -> [Vec<(bool, String)>; 2] {
        let marked = |code: &str| format!("#[non_exhaustive] {code}");
        [changes(old, new), changes(&marked(old), &marked(new))]
    }

    #[test]
    fn std_paths_are_shortened_and_spaces_dropped() {
        let ty: syn::Type = syn::parse_str(
            "::std::option::Option<::std::collections::HashMap<::std::string::String, types::Foo>>",
        )
        .unwrap();
        assert_eq!(tokens(&ty), "Option<HashMap<String,types::Foo>>");
        let sig: syn::Signature = syn::parse_str(
            "fn page<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::num::NonZeroU32>",
        )
        .unwrap();
        assert_eq!(
            tokens(&sig),
            "fn page<V>(mut self,value:V)->Self where V:TryInto<NonZeroU32>"
        );
    }

    #[test]
    fn identical_code_has_no_changes() {
        let code = "pub mod types { pub struct A { pub x: i64 } }";
        assert_eq!(changes(code, code), vec![]);
    }

    #[test]
    fn a_field_type_change_is_breaking() {
        let found = changes(
            "pub mod types { pub struct A { pub x: ::std::option::Option<i64> } }",
            "pub mod types { pub struct A { pub x: i64 } }",
        );
        assert_eq!(
            found,
            vec![(
                true,
                "field `types::A.x`: type changed from `Option<i64>` to `i64`".into()
            )]
        );
    }

    #[test]
    fn a_field_added_to_a_literal_struct_is_breaking_but_not_to_a_non_exhaustive_one() {
        let [plain, marked] = plain_and_non_exhaustive(
            "pub struct A { pub x: i64 }",
            "pub struct A { pub x: i64, pub y: i64 }",
        );
        assert_eq!(plain.len(), 1);
        assert!(plain[0].0, "{plain:?}");
        assert_eq!(marked, vec![(false, "field `A.y` added".into())]);
    }

    #[test]
    fn a_variant_added_to_an_exhaustive_enum_is_breaking() {
        let [plain, marked] = plain_and_non_exhaustive("pub enum E { A }", "pub enum E { A, B }");
        assert_eq!(plain.len(), 1);
        assert!(plain[0].0 && plain[0].1.starts_with("variant `E::B` added"));
        assert_eq!(marked, vec![(false, "variant `E::B` added".into())]);
    }

    #[test]
    fn a_removed_type_is_one_breaking_change_and_an_added_one_compatible() {
        let found = changes(
            "#[derive(Debug)] pub struct A { pub x: i64 } impl A { pub fn f(&self) {} }",
            "#[derive(Debug)] pub struct B { pub x: i64 } impl B { pub fn f(&self) {} }",
        );
        assert_eq!(
            found,
            vec![
                (true, "struct `A` removed".into()),
                (false, "struct `B` added".into())
            ]
        );
    }

    #[test]
    fn methods_and_trait_impls_are_compared() {
        let found = changes(
            "pub struct C; impl C { pub fn get(&self) -> u8 { 0 } } impl Default for C { fn default() -> Self { C } }",
            "pub struct C; impl C { pub fn get(&self) -> u16 { 0 } pub fn put(&self) {} }",
        );
        assert_eq!(
            found,
            vec![
                (true, "trait impl `C: Default` removed".into()),
                (
                    true,
                    "method `C::get`: signature changed from `fn get(&self)->u8` to `fn get(&self)->u16`"
                        .into()
                ),
                (false, "method `C::put` added".into()),
            ]
        );
    }

    #[test]
    fn private_items_are_not_part_of_the_surface() {
        let found = changes(
            "pub struct A { x: i64 } struct Hidden;",
            "pub struct A { x: u8 } struct Other;",
        );
        assert_eq!(found, vec![]);
    }
}
