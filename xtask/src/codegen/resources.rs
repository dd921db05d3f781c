//! Resource handles and request-body wrappers for the `chatcaptain` crate, from the spec alone.
//!
//! A tag with `x-rust-handle: NAME` gets a handle type (`Organizations` for `organizations`) made by
//! `client.NAME(..)` on both clients. The handle holds the path parameters every operation of the
//! tag shares (`chatbotId`), and has one method per operation, named by the operationId's first
//! word (`listOrganizations` -> `list`): a paginated operation returns its listing; any other
//! sends the request through the client (retries, spans, pace) and returns its answer, or, when
//! the answer's schema says `x-rust-unwrap: PROPERTY`, that property (`{organization, error}` ->
//! the organization; an answer without it is an error, never an empty object).
//!
//! A schema with `x-rust-wrapper: true` gets a wrapper of the same name: `new` with its required
//! properties, and (with `x-rust-setters: true`) a setter per optional property.

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::names::{pascal, snake, words};
use super::shapes::{Shape, Shapes, is_string};
use crate::pagination::{self, Listing, Style};

/// The path parameter every operation of the API is scoped by: the generated listings and
/// handles hand it to their errors (`Error::chatbot`), so a 403 can name the chatbot.
pub(super) const CHATBOT_PARAMETER: &str = "chatbotId";

pub const HANDLE: &str = "x-rust-handle";
pub const WRAPPER: &str = "x-rust-wrapper";
pub const UNWRAP: &str = "x-rust-unwrap";

/// The wrapper of each schema marked `x-rust-wrapper: true`.
pub fn wrappers(doc: &Value, shapes: &Shapes) -> Result<TokenStream> {
    let mut tokens = TokenStream::new();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        if schema.get(WRAPPER) != Some(&Value::Bool(true)) {
            continue;
        }
        let ty = format_ident!("{name}");
        let (mut args, mut sets, mut arg_docs) = (TokenStream::new(), TokenStream::new(), vec![]);
        for property in schema["required"].as_array().into_iter().flatten() {
            let property = property.as_str().unwrap_or_default();
            let field = shapes.field(name, property)?;
            let ident = &field.ident;
            let Shape::Named(named) = &field.shape else {
                bail!(
                    "{name}: required property `{property}` is not a plain value; `{WRAPPER}` takes strings, numbers and booleans"
                );
            };
            let arg_ty = scalar(named).with_context(|| {
                format!("{name}: required property `{property}` is a {named}; `{WRAPPER}` takes strings, numbers and booleans")
            })?;
            let description = schema
                .pointer(&format!("/properties/{property}/description"))
                .and_then(Value::as_str)
                .unwrap_or("");
            arg_docs.push(format!("- `{ident}`: {description}"));
            if named == "String" {
                args.extend(quote!(#ident: impl Into<String>,));
                sets.extend(quote!(.#ident(#ident.into())));
            } else {
                args.extend(quote!(#ident: #arg_ty,));
                sets.extend(quote!(.#ident(#ident)));
            }
        }
        let doc = lines(schema["description"].as_str().unwrap_or(""));
        let new_doc = lines(&format!(
            "The body with its required fields; set the others with the setters.\n\n{}",
            arg_docs.join("\n")
        ));
        tokens.extend(quote! {
            #(#[doc = #doc])*
            #[derive(Clone, Debug, PartialEq)]
            pub struct #ty(types::#ty);

            impl #ty {
                #(#[doc = #new_doc])*
                pub fn new(#args) -> Self {
                    // The generated builder leaves the optional fields unset.
                    #ty(types::#ty::builder()#sets.try_into().expect("every required field is set"))
                }

                /// The generated body this wraps.
                pub fn into_inner(self) -> types::#ty {
                    self.0
                }
            }

            impl From<#ty> for types::#ty {
                fn from(wrapper: #ty) -> Self {
                    wrapper.0
                }
            }

            /// Any generated body, for fields this wrapper has no setter for.
            impl From<types::#ty> for #ty {
                fn from(body: types::#ty) -> Self {
                    #ty(body)
                }
            }

            impl crate::types::Wrapper for #ty {
                type Body = types::#ty;
                fn body(&mut self) -> &mut types::#ty {
                    &mut self.0
                }
            }
        });
    }
    Ok(tokens)
}

/// The Rust type of a plain value a setter or `new` takes, by the generated field's type name.
pub fn scalar(named: &str) -> Option<syn::Type> {
    match named {
        "String" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64"
        | "bool" => syn::parse_str(named).ok(),
        _ => None,
    }
}

/// One parameter of an operation, as a handle method sees it.
struct Param {
    name: String,
    in_path: bool,
    required: bool,
}

/// The async handles (in the glue's root) and the blocking ones (in its blocking module).
pub fn handles(
    doc: &Value,
    shapes: &Shapes,
    listings: &[Listing],
) -> Result<(TokenStream, TokenStream)> {
    let (mut tokens, mut blocking) = (TokenStream::new(), TokenStream::new());
    for tag in doc["tags"].as_array().into_iter().flatten() {
        let Some(handle) = tag.get(HANDLE) else {
            continue;
        };
        let tag_name = tag["name"].as_str().unwrap_or_default();
        let Some(method) = handle.as_str().filter(|h| !h.is_empty()) else {
            bail!("tag `{tag_name}`: `{HANDLE}` must name the client's method (`organizations`)");
        };
        let (async_code, blocking_code) = handle_of(doc, shapes, listings, tag, method)
            .with_context(|| format!("tag `{tag_name}` (`{HANDLE}: {method}`)"))?;
        tokens.extend(async_code);
        blocking.extend(blocking_code);
    }
    Ok((tokens, blocking))
}

fn handle_of(
    doc: &Value,
    shapes: &Shapes,
    listings: &[Listing],
    tag: &Value,
    method: &str,
) -> Result<(TokenStream, TokenStream)> {
    let tag_name = tag["name"].as_str().unwrap_or_default();
    let mut operations = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for (_, op) in item.as_object().into_iter().flatten() {
            let tagged = op["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == tag_name));
            if tagged && let Some(id) = op["operationId"].as_str() {
                operations.push((id, op, parameters(doc, op)));
            }
        }
    }
    if operations.is_empty() {
        bail!("no operation has this tag");
    }
    // The handle holds the path parameters every operation shares, in the first one's order.
    let shared: Vec<String> = operations[0]
        .2
        .iter()
        .filter(|p| p.in_path)
        .map(|p| p.name.clone())
        .filter(|name| {
            operations
                .iter()
                .all(|(_, _, params)| params.iter().any(|p| p.in_path && &p.name == name))
        })
        .collect();
    let ty = format_ident!("{}", pascal(method));
    let ctor = format_ident!("{}", snake(method));
    let fields: Vec<_> = shared
        .iter()
        .map(|s| format_ident!("{}", snake(s)))
        .collect();
    let tag_doc = tag["description"]
        .as_str()
        .unwrap_or("")
        .trim_end_matches('.');
    let handle_doc = format!("{tag_doc}: one method per operation; cheap to clone.");
    let ctor_doc = format!("{tag_doc}.");

    let (mut methods, mut blocking_methods) = (TokenStream::new(), TokenStream::new());
    let mut names = std::collections::BTreeSet::new();
    for (id, op, params) in &operations {
        let name = op
            .get("x-rust-method")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| snake(id).split('_').next().unwrap_or_default().to_owned());
        if !names.insert(name.clone()) {
            bail!("two operations would be its method `{name}`: give one `x-rust-method`");
        }
        let (m, b) = method_of(doc, shapes, listings, id, op, params, &shared, &name)
            .with_context(|| format!("operation `{id}`"))?;
        methods.extend(m);
        blocking_methods.extend(b);
    }
    let getters = fields.iter().zip(&shared).map(|(field, name)| {
        let doc = format!("The `{name}` these operations address.");
        quote!(#[doc = #doc] pub fn #field(&self) -> &str { &self.#field })
    });
    let blocking_getters = fields.iter().zip(&shared).map(|(field, name)| {
        let doc = format!("The `{name}` these operations address.");
        quote!(#[doc = #doc] pub fn #field(&self) -> &str { self.inner.#field() })
    });
    let async_code = quote! {
        #[doc = #handle_doc]
        #[derive(Clone, Debug)]
        pub struct #ty {
            client: crate::Client,
            #(#fields: String,)*
        }

        impl crate::Client {
            #[doc = #ctor_doc]
            pub fn #ctor(&self, #(#fields: impl Into<String>),*) -> #ty {
                #ty { client: self.clone(), #(#fields: #fields.into(),)* }
            }
        }

        impl #ty {
            /// This handle with `options` overriding the client's settings for its calls and
            /// listings (see [`Client::with`](crate::Client::with)).
            pub fn with(&self, options: crate::CallOptions) -> Self {
                #ty { client: self.client.with(options), #(#fields: ::std::clone::Clone::clone(&self.#fields),)* }
            }
            #(#getters)*
            #methods
        }
    };
    let blocking_code = quote! {
        #[doc = #handle_doc]
        #[derive(Clone, Debug)]
        pub struct #ty {
            inner: crate::#ty,
            client: crate::blocking::Client,
        }

        impl crate::blocking::Client {
            #[doc = #ctor_doc]
            pub fn #ctor(&self, #(#fields: impl Into<String>),*) -> #ty {
                #ty { inner: self.as_async().#ctor(#(#fields),*), client: self.clone() }
            }
        }

        impl #ty {
            /// This handle with `options` overriding the client's settings for its calls and
            /// listings.
            pub fn with(&self, options: crate::CallOptions) -> Self {
                #ty { inner: self.inner.with(options), client: ::std::clone::Clone::clone(&self.client) }
            }
            #(#blocking_getters)*
            #blocking_methods
        }
    };
    Ok((async_code, blocking_code))
}

#[allow(clippy::too_many_arguments)]
fn method_of(
    doc: &Value,
    shapes: &Shapes,
    listings: &[Listing],
    id: &str,
    op: &Value,
    params: &[Param],
    shared: &[String],
    name: &str,
) -> Result<(TokenStream, TokenStream)> {
    let method = format_ident!("{name}");
    let summary = op["summary"].as_str().unwrap_or(id).trim_end_matches('.');
    let builder = pascal(id);
    let client_method = format_ident!("{}", snake(id));
    let own = |p: &&Param| !shared.contains(&p.name);

    if let Some(listing) = listings.iter().find(|l| l.operation_id == id) {
        // The listing's constructor takes its required parameters in the spec's order.
        let listing_ty = format_ident!("{}", pascal(id));
        let (mut args, mut call, mut blocking_call) = (vec![], vec![], vec![]);
        for argument in listing.arguments.iter().filter(|a| a.required) {
            let field = format_ident!("{}", snake(&argument.name));
            if shared.contains(&argument.name) {
                call.push(quote!(::std::clone::Clone::clone(&self.#field)));
            } else {
                let ty = shapes.parameter(&builder, &field.to_string())?;
                args.push(quote!(#field: impl Into<#ty>));
                call.push(quote!(#field));
                blocking_call.push(quote!(#field));
            }
        }
        let kind = match listing.style {
            Style::Cursor { .. } => "cursor_listing",
            Style::PageNumber { .. } => "page_listing",
        };
        let wrap = format_ident!("{kind}");
        let doc = format!("{summary} (`{id}`), fetched page by page as it is consumed.");
        return Ok((
            quote! {
                #[doc = #doc]
                pub fn #method(&self, #(#args),*) -> crate::#listing_ty {
                    self.client.#client_method(#(#call),*)
                }
            },
            quote! {
                #[doc = #doc]
                pub fn #method(&self, #(#args),*) -> #listing_ty {
                    self.client.#wrap(self.inner.#method(#(#blocking_call),*))
                }
            },
        ));
    }

    if let Some(p) = params.iter().filter(own).find(|p| !p.required) {
        bail!(
            "optional parameter `{}` of an operation that is not paginated has no place on a \
             handle yet; call it through `chatcaptain::api`",
            p.name
        );
    }
    let variant = format_ident!("{}", pascal(id));
    let (mut args, mut checks, mut sets) = (vec![], TokenStream::new(), TokenStream::new());
    let (mut blocking_args, mut owned, mut forward) = (vec![], TokenStream::new(), vec![]);
    for p in params {
        let field = format_ident!("{}", snake(&p.name));
        let ty = shapes.parameter(&builder, &field.to_string())?;
        if p.in_path && is_string(&ty) {
            let what = words(&p.name);
            let source = if shared.contains(&p.name) {
                quote!(&self.#field)
            } else {
                args.push(quote!(#field: &str));
                blocking_args.push(quote!(#field: &str));
                owned.extend(quote!(let #field = #field.to_owned();));
                forward.push(quote!(&#field));
                quote!(#field)
            };
            checks.extend(quote!(let #field = crate::paging::path_segment(#what, #source)?;));
            sets.extend(quote!(.#field(#field)));
        } else {
            args.push(quote!(#field: impl Into<#ty>));
            blocking_args.push(quote!(#field: impl Into<#ty>));
            checks.extend(quote!(let #field: #ty = #field.into();));
            owned.extend(quote!(let #field: #ty = #field.into();));
            forward.push(quote!(#field));
            sets.extend(quote!(.#field(::std::clone::Clone::clone(&#field))));
        }
    }
    if let Some(body) = op
        .pointer("/requestBody/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
    {
        let body = format_ident!("{}", body.trim_start_matches("#/components/schemas/"));
        args.push(quote!(body: impl Into<types::#body>));
        blocking_args.push(quote!(body: impl Into<types::#body>));
        checks.extend(quote!(let body: types::#body = body.into();));
        owned.extend(quote!(let body: types::#body = body.into();));
        forward.push(quote!(body));
        sets.extend(quote!(.body(::std::clone::Clone::clone(&body))));
    }
    let Some((response, schema)) = pagination::success_schema(doc, op) else {
        bail!("its success answer is not a named JSON schema");
    };
    let response_ty = format_ident!("{response}");
    // An envelope says which of its properties is the object (`x-rust-unwrap: organization`):
    // said, not guessed from its shape, so that a field the API adds to the envelope never
    // changes what the method returns.
    let unwrapped = match schema.get(UNWRAP).and_then(Value::as_str) {
        None => None,
        Some(property) => {
            let field = shapes.field(&response, property)?;
            let named = match &field.shape {
                Shape::Optional(inner) => match inner.as_ref() {
                    Shape::Named(named) => Some(named.clone()),
                    _ => None,
                },
                Shape::Named(named) => Some(named.clone()),
                Shape::Array(_) => None,
            };
            let Some(named) = named.filter(|n| shapes.has_struct(n)) else {
                bail!(
                    "`{UNWRAP}: {property}` of {response} must name a property that is one object"
                );
            };
            let optional = field.shape.optional();
            Some((
                field.ident.clone(),
                format_ident!("{named}"),
                property.to_owned(),
                optional,
            ))
        }
    };
    let (returns, finish) = match &unwrapped {
        Some((field, named, json, true)) => (
            quote!(types::#named),
            quote! {
                let mut response = response;
                match response.#field.take() {
                    Some(value) => Ok(value),
                    None => Err(crate::paging::missing_field(&response, #json)),
                }
            },
        ),
        Some((field, named, _, false)) => (quote!(types::#named), quote!(Ok(response.#field))),
        None => (quote!(types::#response_ty), quote!(Ok(response))),
    };
    // Its errors name the chatbot the handle addresses (see `Error::chatbot`).
    let in_chatbot = match shared.iter().any(|p| p == CHATBOT_PARAMETER) {
        true => {
            let field = format_ident!("{}", snake(CHATBOT_PARAMETER));
            quote!(.map_err(|e| e.in_chatbot(&self.#field)))
        }
        false => TokenStream::new(),
    };
    let description = op["description"].as_str().unwrap_or("").trim();
    let doc = lines(&format!("{summary} (`{id}`).\n\n{description}"));
    Ok((
        quote! {
            #(#[doc = #doc])*
            pub async fn #method(&self, #(#args),*) -> Result<#returns, crate::Error> {
                use futures::FutureExt;
                #checks
                let response = self
                    .client
                    .execute(chatcaptain_api::operations::Operation::#variant, |api| {
                        api.#client_method()#sets.send().boxed()
                    })
                    .await
                    #in_chatbot?;
                #finish
            }
        },
        quote! {
            #(#[doc = #doc])*
            pub fn #method(&self, #(#blocking_args),*) -> Result<#returns, crate::Error> {
                let inner = self.inner.clone();
                #owned
                self.client.call(async move { inner.#method(#(#forward),*).await })
            }
        },
    ))
}

/// The operation's parameters, `$ref`s resolved.
fn parameters(doc: &Value, op: &Value) -> Vec<Param> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| match p.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(p),
            None => p,
        })
        .map(|p| Param {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            in_path: p["in"] == "path",
            required: p["required"] == true,
        })
        .collect()
}

/// Doc text as one attribute per line, which prettyplease prints as `///` lines.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect()
}
