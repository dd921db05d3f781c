//! The table of every operation of the spec, appended to the generated client as `operations`:
//! the one place the client's retries and spans, the fake's routing and the tests read an
//! operation's method, path, idempotency and paging from.

use anyhow::{Result, bail};
use quote::{format_ident, quote};
use serde_json::Value;

use super::names::{pascal, snake};

/// The vendor extension that overrides the method's idempotency (`x-idempotent: true` on a
/// PATCH that merges, `false` on a PUT that appends).
pub const IDEMPOTENT: &str = "x-idempotent";

/// One operation as the table holds it.
pub struct Entry {
    pub id: String,
    pub method: String,
    pub path: String,
    pub idempotent: bool,
    pub pagination: Option<String>,
}

impl Entry {
    /// Its variant in a generated operation enum (`ListContacts`).
    pub fn variant(&self) -> proc_macro2::Ident {
        format_ident!("{}", pascal(&self.id))
    }

    /// The doc line of that variant: "`GET /v1/...` (`listContacts`)."
    pub fn doc(&self) -> String {
        format!("`{} {}` (`{}`).", self.method, self.path, self.id)
    }
}

/// The operations of the spec, in the order of its paths and then its methods.
pub fn entries(doc: &Value) -> Result<Vec<Entry>> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                bail!("{} {path} has no operationId", method.to_uppercase());
            };
            let idempotent = match op.get(IDEMPOTENT) {
                None => idempotent_method(method),
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    bail!("operation `{id}`: `{IDEMPOTENT}` must be true or false, not {other}")
                }
            };
            let pagination = op
                .pointer("/x-pagination/style")
                .and_then(Value::as_str)
                .map(str::to_owned);
            found.push(Entry {
                id: id.to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                idempotent,
                pagination,
            });
        }
    }
    Ok(found)
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// RFC 9110's idempotent methods; POST and PATCH are not, unless the spec says otherwise.
fn idempotent_method(method: &str) -> bool {
    !matches!(method, "post" | "patch")
}

pub fn generate(doc: &Value) -> Result<syn::File> {
    let entries = entries(doc)?;
    let variants: Vec<_> = entries.iter().map(Entry::variant).collect();
    let docs = entries.iter().map(Entry::doc);
    let ids = entries.iter().map(|e| &e.id);
    let names = entries.iter().map(|e| snake(&e.id));
    let methods = entries.iter().map(|e| &e.method);
    let paths = entries.iter().map(|e| &e.path);
    let idempotent = entries.iter().map(|e| e.idempotent);
    let pagination = entries.iter().map(|e| match e.pagination.as_deref() {
        Some("cursor") => quote!(Some(Pagination::Cursor)),
        Some(_) => quote!(Some(Pagination::PageNumber)),
        None => quote!(None),
    });
    let v = &variants;
    Ok(syn::parse_quote! {
        /// Every operation of the spec, with its method, path template, idempotency and paging:
        /// the client's retries and spans, and the fake's routing, read them here.
        pub mod operations {
            pub use crate::pagination::Pagination;

            /// An operation of the spec.
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum Operation {
                #(#[doc = #docs] #variants,)*
            }

            impl Operation {
                /// Every operation, in the spec's order.
                pub const ALL: &'static [Operation] = &[#(Operation::#v),*];

                /// The spec's `operationId` (`listContacts`).
                pub const fn id(self) -> &'static str {
                    match self { #(Operation::#v => #ids,)* }
                }

                /// The name of its method on the generated `Client` (`list_contacts`).
                pub const fn name(self) -> &'static str {
                    match self { #(Operation::#v => #names,)* }
                }

                /// Its HTTP method, upper case (`GET`).
                pub const fn method(self) -> &'static str {
                    match self { #(Operation::#v => #methods,)* }
                }

                /// Its path template, as the spec writes it (`/v1/chatbots/{chatbotId}/contacts`).
                pub const fn path(self) -> &'static str {
                    match self { #(Operation::#v => #paths,)* }
                }

                /// Whether sending it twice leaves the same state as sending it once, so that a
                /// lost answer may be retried: from the method (RFC 9110), unless the spec says
                /// otherwise with `x-idempotent`.
                pub const fn idempotent(self) -> bool {
                    match self { #(Operation::#v => #idempotent,)* }
                }

                /// How it pages, when it is paginated.
                pub const fn pagination(self) -> Option<Pagination> {
                    match self { #(Operation::#v => #pagination,)* }
                }
            }
        }
    })
}
