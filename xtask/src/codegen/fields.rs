//! The JSON property names of each object schema, in the spec's order, appended to the generated
//! client as `fields`: the one place the field lists of the fake (what an update may change) and
//! of the command-line tool (the file keys it accepts, its CSV columns) come from.

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use quote::{format_ident, quote};

use super::names::snake;

pub fn generate(openapi: &OpenAPI) -> syn::File {
    let mut consts = proc_macro2::TokenStream::new();
    let schemas = openapi.components.iter().flat_map(|c| &c.schemas);
    for (name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        if object.properties.is_empty() {
            continue;
        }
        let ident = format_ident!("{}", snake(name).to_uppercase());
        let names = object.properties.keys();
        let doc = format!("The properties of `{name}`, in the spec's order.");
        consts.extend(quote! {
            #[doc = #doc]
            pub const #ident: &[&str] = &[#(#names),*];
        });
    }
    syn::parse_quote! {
        /// The JSON property names of each object schema of the spec, in the spec's order, so
        /// that field lists elsewhere are derived rather than copied.
        pub mod fields {
            #consts
        }
    }
}
