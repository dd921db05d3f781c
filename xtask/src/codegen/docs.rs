//! A doc line for every public item progenitor leaves undocumented, so that `chatcaptain-api`
//! passes the workspace's `missing_docs` like the hand-written crates.
//!
//! progenitor documents the operations and types from the spec's descriptions. It leaves bare:
//! the builders of `types::builder` and their setters, each type's `builder()`, a property whose
//! schema is a `$ref` (OpenAPI 3.0 ignores a description beside a `$ref`), and the request
//! builders' `new` and setters in `builder`. What those would say is in the spec already: a
//! setter says what its field says, a `$ref` property points at its type, a request setter at the
//! client method whose docs list the parameters. An item that has docs is left alone.

use std::collections::HashMap;

use syn::{Attribute, ImplItem, Item, ItemImpl};

use super::names::{self_name, serde_rename};

/// Adds the docs described above; items outside `types` and `builder` are left alone.
pub fn add(mut file: syn::File) -> syn::File {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        if module.ident == "types" {
            types(items);
        } else if module.ident == "builder" {
            request_builders(items);
        }
    }
    file
}

fn types(items: &mut [Item]) {
    let documented: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if has_doc(&s.attrs) => Some(s.ident.to_string()),
            Item::Enum(e) if has_doc(&e.attrs) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    // Each type's field docs (after the fill below), for its builder's setters.
    let mut field_docs: HashMap<String, HashMap<String, Vec<Attribute>>> = HashMap::new();
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) => {
                let mut fields = HashMap::new();
                for field in s.fields.iter_mut() {
                    let Some(ident) = &field.ident else { continue };
                    if matches!(field.vis, syn::Visibility::Public(_)) && !has_doc(&field.attrs) {
                        field
                            .attrs
                            .insert(0, doc(&property_doc(field, &documented)));
                    }
                    let docs = field.attrs.iter().filter(|a| is_doc(a)).cloned().collect();
                    fields.insert(ident.to_string(), docs);
                }
                field_docs.insert(s.ident.to_string(), fields);
            }
            Item::Enum(e) => {
                if !has_doc(&e.attrs) {
                    let name = e.ident.to_string();
                    e.attrs.insert(
                        0,
                        doc(&format!("The values the spec allows for a `{name}`.")),
                    );
                }
                for variant in e.variants.iter_mut().filter(|v| !has_doc(&v.attrs)) {
                    let wire =
                        serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
                    variant.attrs.insert(0, doc(&format!("`{wire}`")));
                }
            }
            Item::Impl(block) => {
                let name = self_name(block);
                for method in methods(block) {
                    if method.sig.ident == "builder" {
                        method.attrs.insert(
                            0,
                            doc(&format!("A builder for [`{name}`], every field unset.")),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for item in items.iter_mut() {
        let Item::Mod(module) = item else { continue };
        let Some((_, builders)) = &mut module.content else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        for item in builders.iter_mut() {
            match item {
                Item::Struct(s) if !has_doc(&s.attrs) => {
                    let name = s.ident.to_string();
                    s.attrs.insert(
                        0,
                        doc(&format!(
                            "Builds a [`{name}`](super::{name}): set its fields, then convert \
                             it with `try_into()` (a field that could not be converted is the \
                             error)."
                        )),
                    );
                }
                Item::Impl(block) => {
                    let fields = field_docs.get(&self_name(block));
                    for method in methods(block) {
                        let name = method.sig.ident.to_string();
                        match fields.and_then(|f| f.get(&name)).filter(|d| !d.is_empty()) {
                            Some(docs) => {
                                let mut attrs = docs.clone();
                                attrs.append(&mut method.attrs);
                                method.attrs = attrs;
                            }
                            None => method.attrs.insert(0, doc(&format!("Sets `{name}`."))),
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn request_builders(items: &mut [Item]) {
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let operation = snake_case(&self_name(block));
        let client = format!("[`Client::{operation}`](super::Client::{operation})");
        for method in methods(block) {
            let text = match method.sig.ident.to_string().as_str() {
                "new" => format!("A request with nothing set yet; {client} starts one."),
                "body" => "Sets the request body.".to_owned(),
                "body_map" => {
                    "Changes the request body with `f`, starting from what is set so far."
                        .to_owned()
                }
                name => format!("Sets the `{name}` parameter (described on {client})."),
            };
            method.attrs.insert(0, doc(&text));
        }
    }
}

/// The undocumented public methods of an impl block.
fn methods(block: &mut ItemImpl) -> impl Iterator<Item = &mut syn::ImplItemFn> {
    block.items.iter_mut().filter_map(|item| match item {
        ImplItem::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) && !has_doc(&f.attrs) => {
            Some(f)
        }
        _ => None,
    })
}

/// A property without a description: its name, and its type when that is a documented one
/// (a `$ref`), which says what it holds.
fn property_doc(field: &syn::Field, documented: &[String]) -> String {
    let name = serde_name(field).unwrap_or_else(|| {
        field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    });
    let ty = &field.ty;
    let text = quote::quote!(#ty).to_string().replace(' ', "");
    match documented.iter().find(|t| {
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == *t)
    }) {
        Some(t) => format!("The `{name}` property: see [`{t}`](crate::types::{t})."),
        None => format!("The `{name}` property."),
    }
}

fn serde_name(field: &syn::Field) -> Option<String> {
    serde_rename(&field.attrs)
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn is_doc(attr: &Attribute) -> bool {
    attr.path().is_ident("doc")
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(is_doc)
}

fn doc(text: &str) -> Attribute {
    let text = format!(" {text}");
    syn::parse_quote!(#[doc = #text])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn an_enum_the_spec_leaves_bare_gets_a_doc_and_each_variant_its_wire_value() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Plan {
                    #[serde(rename = "free")]
                    Free,
                    #[doc = "Paid."]
                    #[serde(rename = "pro")]
                    Pro,
                    Other,
                }
            }
        };
        let out = text(&add(file));
        assert!(
            out.contains("The values the spec allows for a `Plan`."),
            "{out}"
        );
        assert!(
            out.contains("/// `free`\n        #[serde(rename = \"free\")]"),
            "{out}"
        );
        assert!(out.contains("///Paid."), "{out}");
        assert!(
            !out.contains("`pro`"),
            "a documented variant keeps its doc: {out}"
        );
        assert!(out.contains("/// `Other`"), "{out}");
    }

    #[test]
    fn bare_items_get_docs_from_the_spec_and_documented_ones_keep_theirs() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[doc = "A postal address."]
                pub struct Address { #[doc = "Country."] pub country: Option<String> }
                #[doc = "A contact."]
                pub struct Contact {
                    #[serde(rename = "homeAddress", skip_serializing_if = "Option::is_none")]
                    pub home_address: Option<Address>,
                    pub nickname: Option<String>,
                }
                impl Contact { pub fn builder() -> builder::Contact { Default::default() } }
                pub mod builder {
                    pub struct Contact { nickname: Result<Option<String>, String> }
                    impl Contact {
                        pub fn home_address<T>(mut self, value: T) -> Self { self }
                        pub fn nickname<T>(mut self, value: T) -> Self { self }
                    }
                }
            }
            pub mod builder {
                pub struct ListContacts<'a> { client: &'a super::Client }
                impl<'a> ListContacts<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn chatbot_id<V>(mut self, value: V) -> Self { self }
                    #[doc = "Sends a `GET` request."]
                    pub async fn send(self) {}
                }
            }
        };
        let out = text(&add(file));
        assert!(
            out.contains(
                "/// The `homeAddress` property: see [`Address`](crate::types::Address).\n"
            ),
            "{out}"
        );
        assert!(out.contains("/// The `nickname` property.\n"), "{out}");
        assert!(
            out.contains("/// A builder for [`Contact`], every field unset."),
            "{out}"
        );
        assert!(
            out.contains("/// Builds a [`Contact`](super::Contact)"),
            "{out}"
        );
        // A setter says what its field says.
        let setter = out.split("pub fn nickname").next().unwrap();
        assert!(
            setter.trim_end().ends_with("/// The `nickname` property."),
            "{out}"
        );
        assert!(out.contains("[`Client::list_contacts`](super::Client::list_contacts) starts one"));
        assert!(
            out.contains("/// Sets the `chatbot_id` parameter (described on"),
            "{out}"
        );
        assert_eq!(out.matches("Sends a `GET` request.").count(), 1, "{out}");
        assert_eq!(out.matches("///Country.").count(), 1, "{out}");
    }
}
