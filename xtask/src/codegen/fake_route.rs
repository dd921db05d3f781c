//! The fake server's `Route` (an operation a request addresses, to aim faults and count requests)
//! and `Permission` (each operation's `x-permission`), written to crates/chatcaptain-fake: an
//! operation added to the spec is routed, counted and guarded by the fake with no hand edit there.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use quote::format_ident;
use serde_json::Value;

use super::names::pascal;
use super::operations::{Entry, entries};

/// The vendor extension naming the permission an operation requires (`chatbots.contacts.list`).
pub const PERMISSION: &str = "x-permission";

pub fn generate(doc: &Value) -> Result<syn::File> {
    let entries = entries(doc)?;
    let variants: Vec<_> = entries.iter().map(Entry::variant).collect();
    let docs = entries.iter().map(Entry::doc);

    // Each permission, in the order the spec first names it, with the operations requiring it.
    let mut permissions: Vec<(String, Vec<usize>)> = Vec::new();
    let mut required = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let op = &doc["paths"][&e.path][e.method.to_lowercase()];
        let name = match op.get(PERMISSION) {
            None => continue,
            Some(Value::String(name)) if !name.is_empty() => name,
            Some(other) => bail!(
                "operation `{}`: `{PERMISSION}` must be a name, not {other}",
                e.id
            ),
        };
        match permissions.iter_mut().find(|(n, _)| n == name) {
            Some((_, ops)) => ops.push(i),
            None => permissions.push((name.clone(), vec![i])),
        }
        required.insert(i, permission_ident(name));
    }
    let permission_idents: Vec<_> = permissions
        .iter()
        .map(|(name, _)| permission_ident(name))
        .collect();
    let permission_names = permissions.iter().map(|(name, _)| name);
    let permission_docs = permissions.iter().map(|(name, ops)| {
        let ops: Vec<String> = ops
            .iter()
            .map(|&i| format!("`{}`", entries[i].id))
            .collect();
        format!("`{name}`, required by {}.", ops.join(", "))
    });
    let requiring = required.keys().map(|&i| &variants[i]);
    let required = required.values();
    let v = &variants;
    let p = &permission_idents;

    Ok(syn::parse_quote! {
        use chatcaptain_api::operations::Operation;

        /// An operation of `spec/chatcaptain.yaml` (one variant per operation, named as
        /// [`Operation`]'s), or every request: used to aim faults and to count requests.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Route {
            /// Every request, whatever its path (including paths the API does not have).
            Any,
            #(#[doc = #docs] #variants,)*
        }

        impl Route {
            /// The route of an operation of the spec.
            pub fn from_operation(operation: Operation) -> Option<Route> {
                Some(match operation {
                    #(Operation::#v => Route::#v,)*
                    _ => return None,
                })
            }

            /// The operation of the spec (`None` for [`Route::Any`]).
            pub fn operation(self) -> Option<Operation> {
                Some(match self {
                    Route::Any => return None,
                    #(Route::#v => Operation::#v,)*
                })
            }

        }

        /// A permission of the ChatCaptain API, as each operation's `x-permission` names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Permission {
            #(#[doc = #permission_docs] #p,)*
        }

        impl Permission {
            /// Every permission; what the main key has unless some are revoked.
            pub const ALL: &'static [Permission] = &[#(Permission::#p),*];

            /// The permission's name in the API reference, e.g. `chatbots.contacts.list`.
            pub fn name(self) -> &'static str {
                match self {
                    #(Permission::#p => #permission_names,)*
                }
            }

            /// The permission an operation requires (`None` for [`Route::Any`], and for an
            /// operation without `x-permission`).
            pub fn required_by(route: Route) -> Option<Permission> {
                Some(match route {
                    #(Route::#requiring => Permission::#required,)*
                    _ => return None,
                })
            }
        }
    })
}

/// `chatbots.contacts.list` -> `ContactsList` (every permission is a chatbot's).
fn permission_ident(name: &str) -> syn::Ident {
    let name = name.strip_prefix("chatbots.").unwrap_or(name);
    format_ident!("{}", pascal(&name.replace('.', "_")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_are_named_without_the_chatbots_prefix() {
        assert_eq!(permission_ident("chatbots.contacts.list"), "ContactsList");
        assert_eq!(
            permission_ident("chatbots.organizations.create"),
            "OrganizationsCreate"
        );
        assert_eq!(permission_ident("billing.read"), "BillingRead");
    }

    #[test]
    fn a_permission_that_is_not_a_name_is_refused_naming_the_operation() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {"operationId": "getA", "x-permission": 3}}}});
        let error = generate(&doc).err().expect("refused").to_string();
        assert!(
            error.contains("`getA`") && error.contains("x-permission"),
            "{error}"
        );
    }

    #[test]
    fn an_operation_without_a_permission_is_routed_and_requires_none() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {"operationId": "getA"}}}});
        let code = prettyplease::unparse(&generate(&doc).unwrap());
        assert!(code.contains("Route::GetA => Operation::GetA"), "{code}");
        assert!(
            code.contains("pub const ALL: &'static [Permission] = &[];"),
            "{code}"
        );
    }
}
