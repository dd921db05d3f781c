//! The glue between the generated client and the hand-written pieces of `crates/chatcaptain`:
//! for each operation with `x-pagination`, a parameters struct, its `Operation` implementation,
//! a listing type named after the operation, and a constructor on both clients; for each item
//! type, `Item` (and `Dated`); for every success body, `Envelope`; for each schema marked
//! `x-rust-setters: true`, a setter per optional `String` field on the crate's wrapper of the
//! same name (`NewContact::name`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::extract::{items_expr, pointer, total_expr};
use super::listing_methods;
use super::names::{pascal, snake, words};
use super::resources::{self, CHATBOT_PARAMETER};
use super::shapes::{Shape, Shapes, is_string};

use crate::pagination::{self, Listing, Style};
use crate::spec_lint::conventions::operations;

/// The glue file's syntax tree, before formatting.
pub fn generate(doc: &Value, api: &syn::File) -> Result<(syn::File, syn::File)> {
    let shapes = Shapes::read(api);
    let (listings, problems) = pagination::read(doc);
    if let Some(problem) = problems.first() {
        bail!("{problem}");
    }
    let mut tokens = quote! {
        use chatcaptain_api::types;
    };
    tokens.extend(envelopes(doc, &shapes)?);
    tokens.extend(resources::wrappers(doc, &shapes)?);
    tokens.extend(setters(doc, &shapes)?);
    tokens.extend(items(&listings, &shapes)?);
    let (handles, blocking_handles) = resources::handles(doc, &shapes, &listings)?;
    tokens.extend(handles);
    // Only read when there is a setter to check.
    let reserved = if listings
        .iter()
        .any(|l| l.arguments.iter().any(|a| !a.required))
    {
        listing_methods::read(&crate::spec::workspace_root())?
    } else {
        BTreeSet::new()
    };
    let uses_types = !blocking_handles.is_empty();
    let mut blocking = blocking_handles;
    for listing in &listings {
        let (glue, blocking_glue) = operation(listing, &shapes, &reserved)
            .with_context(|| format!("operation `{}`", listing.operation_id))?;
        tokens.extend(glue);
        blocking.extend(blocking_glue);
    }
    // The setters of optional parameters may name generated types.
    let types = match uses_types
        || listings
            .iter()
            .any(|l| l.arguments.iter().any(|a| !a.required))
    {
        true => quote!(
            use chatcaptain_api::types;
        ),
        false => quote!(),
    };
    // The blocking listings and handles go to a file of their own, a child of `blocking`: so
    // `blocking` reads the async glue and never the other way round.
    let blocking = quote! {
        #types
        #blocking
    };
    Ok((syn::parse2(tokens)?, syn::parse2(blocking)?))
}

/// `Envelope` for the success body of every operation: its `error` field, or none.
fn envelopes(doc: &Value, shapes: &Shapes) -> Result<TokenStream> {
    let mut bodies = BTreeMap::new();
    for (_, _, op) in operations(doc) {
        if let Some((name, _)) = pagination::success_schema(doc, op)
            && shapes.has_struct(&name)
        {
            let error = shapes
                .field(&name, "error")
                .ok()
                .filter(|f| f.shape == Shape::Optional(Box::new(Shape::Named("String".into()))));
            bodies.insert(name, error.is_some());
        }
    }
    Ok(bodies
        .into_iter()
        .map(|(name, has_error)| {
            let ty = format_ident!("{name}");
            let body = if has_error {
                quote!(crate::paging::envelope_error(&self.error))
            } else {
                quote!(None)
            };
            quote! {
                impl crate::paging::Envelope for types::#ty {
                    fn error(&self) -> Option<&str> { #body }
                }
            }
        })
        .collect())
}

/// The text setters of each wrapper whose schema says `x-rust-setters: true`; their docs are the
/// properties' descriptions.
fn setters(doc: &Value, shapes: &Shapes) -> Result<TokenStream> {
    let mut tokens = TokenStream::new();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        if schema.get("x-rust-setters") != Some(&Value::Bool(true)) {
            continue;
        }
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut methods = TokenStream::new();
        for (property, definition) in schema["properties"].as_object().into_iter().flatten() {
            // The generated field's type, not the schema's `type`: a string `enum` is a
            // generated enum, not a `String`.
            let field = shapes.field(name, property)?;
            let Shape::Optional(inner) = &field.shape else {
                continue;
            };
            let Shape::Named(named) = inner.as_ref() else {
                continue;
            };
            if required.contains(&property.as_str()) {
                continue;
            }
            let Some(ty) = resources::scalar(named) else {
                continue; // a struct, a map: set through the wrapper's `From` the generated body
            };
            let field = &field.ident;
            let doc = definition["description"].as_str().unwrap_or("").to_owned();
            methods.extend(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                    crate::types::Wrapper::body(&mut self).#field = Some(value.into());
                    self
                }
            });
        }
        let wrapper = format_ident!("{name}");
        tokens.extend(quote! {
            impl crate::#wrapper { #methods }
        });
    }
    Ok(tokens)
}

/// `Item` for each item type, `Dated` for those a cursor pages.
fn items(listings: &[Listing], shapes: &Shapes) -> Result<TokenStream> {
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    let mut dated: BTreeMap<&str, &str> = BTreeMap::new();
    for listing in listings {
        if let Some(other) = ids.insert(&listing.item, &listing.id_field)
            && other != listing.id_field
        {
            bail!(
                "{} is listed with idField `{other}` and `{}`",
                listing.item,
                listing.id_field
            );
        }
        if let Style::Cursor { cursor_field, .. } = &listing.style
            && let Some(other) = dated.insert(&listing.item, cursor_field)
            && other != cursor_field
        {
            bail!(
                "{} is listed with cursorField `{other}` and `{cursor_field}`",
                listing.item
            );
        }
    }
    let mut tokens = TokenStream::new();
    for (item, id) in ids {
        let ty = format_ident!("{item}");
        let field = &shapes.field(item, id)?.ident;
        tokens.extend(quote! {
            impl crate::paging::Item for types::#ty {
                const ID_FIELD: &'static str = #id;
                fn id(&self) -> &str { &self.#field }
            }
        });
    }
    for (item, created) in dated {
        let ty = format_ident!("{item}");
        let field = shapes.field(item, created)?;
        let ident = &field.ident;
        // An optional cursor field (a schema shared with answers that may lack it) is read as
        // is: the listing reports an item without one as odd, as it cannot page past it.
        let value = if field.shape.optional() {
            quote!(self.#ident)
        } else {
            quote!(Some(self.#ident))
        };
        tokens.extend(quote! {
            impl crate::paging::Dated for types::#ty {
                const CREATED_FIELD: &'static str = #created;
                fn created(&self) -> Option<chrono::DateTime<chrono::Utc>> { #value }
            }
        });
    }
    Ok(tokens)
}

/// The doc lines of a listing type's example, async and blocking: the constructor on the client
/// (each argument given its parameter's name as a placeholder), then its items one at a time.
fn listing_examples(listing: &Listing) -> (Vec<String>, Vec<String>) {
    let constructor = format!(
        "client.{}({})",
        snake(&listing.operation_id),
        listing
            .arguments
            .iter()
            .filter(|a| a.required)
            .map(|a| format!("{:?}", a.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (item, id) = (&listing.item, snake(&listing.id_field));
    let lines = |body: &[String]| -> Vec<String> {
        let mut lines = vec![String::new(), "# Example".into(), String::new()];
        lines.push("```no_run".into());
        lines.extend(body.iter().cloned());
        lines.push("```".into());
        lines
    };
    let example = lines(&[
        "# async fn run(client: chatcaptain::Client) -> Result<(), chatcaptain::Error> {".into(),
        "use futures::TryStreamExt;".into(),
        String::new(),
        format!("let mut items = {constructor}.max_items(500).items();"),
        "while let Some(item) = items.try_next().await? {".into(),
        format!("    println!(\"{{}}\", item.{id}); // a {item}; pages are fetched as needed"),
        "}".into(),
        "# Ok(()) }".into(),
    ]);
    let blocking_example = lines(&[
        "# fn run(client: chatcaptain::blocking::Client) -> Result<(), chatcaptain::Error> {"
            .into(),
        format!("for item in {constructor}.max_items(500).items() {{"),
        format!("    println!(\"{{}}\", item?.{id}); // a {item}; pages are fetched as needed"),
        "}".into(),
        "# Ok(()) }".into(),
    ]);
    (example, blocking_example)
}

/// One operation's glue, and its blocking part.
fn operation(
    listing: &Listing,
    shapes: &Shapes,
    reserved: &BTreeSet<String>,
) -> Result<(TokenStream, TokenStream)> {
    let op_id = &listing.operation_id;
    let method = format_ident!("{}", snake(op_id));
    shapes.require_function(&method.to_string(), "the client method")?;
    let listing_ty = format_ident!("{}", pascal(op_id));
    let params = format_ident!("{}Params", pascal(op_id));
    let item = format_ident!("{}", listing.item);
    let response = format_ident!("{}", listing.response);
    let variant = format_ident!("{}", pascal(op_id));
    let summary = listing.summary.trim_end_matches('.');

    let mut fields = TokenStream::new();
    let mut args = TokenStream::new();
    let mut inits = TokenStream::new();
    let mut setters = TokenStream::new();
    let mut optional_setters = TokenStream::new();
    let mut listing_setters = TokenStream::new();
    let mut blocking_setters = TokenStream::new();
    let mut checks = TokenStream::new();
    let mut forward = TokenStream::new();
    // The chatbot the listing addresses, for its errors: every operation of the API is scoped
    // to one, and the API answers another chatbot's id as a missing permission.
    let mut chatbot = TokenStream::new();
    for argument in &listing.arguments {
        let arg = &argument.name;
        let field = format_ident!("{}", snake(arg));
        shapes.require_function(&field.to_string(), "a parameter setter")?;
        let ty = &shapes.parameter(&pascal(op_id), &field.to_string())?;
        let description = argument.description.trim();
        let doc = if description.is_empty() {
            format!("The `{arg}` parameter.")
        } else {
            format!("The `{arg}` parameter: {description}")
        };
        if argument.required {
            fields.extend(quote!(#[doc = #doc] pub #field: #ty,));
            args.extend(quote!(#field: impl Into<#ty>,));
            inits.extend(quote!(#field: #field.into(),));
            forward.extend(quote!(#field,));
            // A parameter may be `Copy` or not: `Clone::clone` suits both without clippy's
            // clone_on_copy (which CI runs on the generated code of a workspace copy).
            setters.extend(quote!(.#field(::std::clone::Clone::clone(&self.#field))));
            if argument.in_path && is_string(ty) {
                let words = words(arg);
                checks.extend(quote!(crate::paging::path_segment(#words, &self.#field)?;));
                if arg == CHATBOT_PARAMETER {
                    chatbot = quote! {
                        fn chatbot_id(&self) -> Option<&str> { Some(&self.#field) }
                    };
                }
            }
            continue;
        }
        if reserved.contains(&field.to_string()) {
            bail!(
                "optional parameter `{arg}` would be the listing's setter `{field}`, but every \
                 listing has a method of that name already (crates/chatcaptain/src/paging)"
            );
        }
        fields.extend(quote!(#[doc = #doc] pub #field: Option<#ty>,));
        inits.extend(quote!(#field: None,));
        optional_setters.extend(quote! {
            if let Some(value) = &self.#field {
                request = request.#field(::std::clone::Clone::clone(value));
            }
        });
        listing_setters.extend(quote! {
            #[doc = #doc]
            pub fn #field(self, value: impl Into<#ty>) -> Self {
                let value = value.into();
                self.with_params(|params| params.#field = Some(value))
            }
        });
        blocking_setters.extend(quote! {
            #[doc = #doc]
            pub fn #field(self, value: impl Into<#ty>) -> Self {
                self.map(|listing| listing.#field(value))
            }
        });
    }
    let request = match optional_setters.is_empty() {
        true => quote!(request),
        false => quote!(mut request),
    };
    let size = format_ident!("{}", snake(&listing.size));
    shapes.require_function(&size.to_string(), "the size setter")?;
    let default_size = listing.default_size;
    let items_pointer = pointer(&listing.to_array);
    let in_element = pointer(&listing.in_element);
    let items_expr = items_expr(listing, shapes)?;
    let (total_pointer, total_fn) = match &listing.style {
        Style::PageNumber {
            total: Some(total), ..
        } => {
            let p = pointer(total);
            let expr = total_expr(listing, total, shapes)?;
            (
                quote!(Some(#p)),
                quote!(fn total(response: &Self::Response) -> Option<u64> { #expr }),
            )
        }
        _ => (
            quote!(None),
            quote!(
                fn total(_response: &Self::Response) -> Option<u64> {
                    None
                }
            ),
        ),
    };

    // The types of the paging traits' `send` (crates/chatcaptain/src/paging/operation.rs).
    let api = quote!(&'a chatcaptain_api::Client);
    let token_type = quote!(Option<chrono::DateTime<chrono::Utc>>);
    let size_type = quote!(std::num::NonZeroU32);
    let sent = quote!(futures::future::BoxFuture<'a, crate::paging::ApiResult<Self::Response>>);
    let (kind, send, generic, blocking_generic, blocking_wrap, extra) = match &listing.style {
        Style::Cursor { token, .. } => {
            let token = format_ident!("{}", snake(token));
            shapes.require_function(&token.to_string(), "the token setter")?;
            let send = quote! {
                impl crate::paging::CursorOperation for #params {
                    fn send<'a>(&self, api: #api, token: #token_type, limit: #size_type) -> #sent {
                        use futures::FutureExt;
                        let #request = api.#method() #setters .#size(limit);
                        #optional_setters
                        match token {
                            Some(token) => request.#token(token).send().boxed(),
                            None => request.send().boxed(),
                        }
                    }
                }
            };
            (
                "a date-time cursor, newest first",
                send,
                quote!(crate::paging::CursorListing),
                quote!(CursorListing),
                quote!(cursor_listing),
                TokenStream::new(),
            )
        }
        Style::PageNumber { page, exclude, .. } => {
            let page = format_ident!("{}", snake(page));
            shapes.require_function(&page.to_string(), "the page setter")?;
            let (exclude_arg, send_expr, extra) = match exclude {
                Some(exclude) => {
                    let setter = format_ident!("{}", snake(exclude));
                    shapes.require_function(&setter.to_string(), "the exclude setter")?;
                    (
                        quote!(exclude),
                        quote! {
                            match exclude {
                                Some(ids) => request.#setter(ids.to_owned()).send().boxed(),
                                None => request.send().boxed(),
                            }
                        },
                        quote!(impl crate::paging::Excluding for #params {}),
                    )
                }
                None => (
                    quote!(_exclude),
                    quote!(request.send().boxed()),
                    TokenStream::new(),
                ),
            };
            let send = quote! {
                impl crate::paging::PageOperation for #params {
                    fn send<'a>(&self, api: #api, page: #size_type, size: #size_type, #exclude_arg: Option<&str>) -> #sent {
                        use futures::FutureExt;
                        let #request = api.#method() #setters .#page(page).#size(size);
                        #optional_setters
                        #send_expr
                    }
                }
            };
            (
                "page numbers",
                send,
                quote!(crate::paging::PageListing),
                quote!(PageListing),
                quote!(page_listing),
                extra,
            )
        }
    };
    let params_doc = format!("The parameters of `{op_id}` ({summary}) other than the paging ones.");
    let listing_doc = format!(
        "{summary} (`{op_id}`), paged by {kind}: build it, then take `.items()`, `.pages()` or \
         `.collect_all()`."
    );
    let method_doc = format!("{summary} (`{op_id}`), fetched page by page as it is consumed.");
    let (example, blocking_example) = listing_examples(listing);
    // Not `Eq`: a parameter may be a float. `#[non_exhaustive]`: a parameter the spec adds is
    // a field added.
    let glue = quote! {
        #[doc = #params_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #params { #fields }

        #[doc = #listing_doc]
        #(#[doc = #example])*
        pub type #listing_ty = #generic<#params>;

        impl crate::paging::Operation for #params {
            type Item = types::#item;
            type Response = types::#response;
            const OPERATION: chatcaptain_api::operations::Operation =
                chatcaptain_api::operations::Operation::#variant;
            const DEFAULT_PAGE_SIZE: u32 = #default_size;
            const ITEMS: &'static str = #items_pointer;
            const ITEM_IN_ELEMENT: &'static str = #in_element;
            const TOTAL: Option<&'static str> = #total_pointer;
            fn validate(&self) -> Result<(), crate::Error> {
                #checks
                Ok(())
            }
            fn items(response: Self::Response) -> Option<Vec<Self::Item>> { #items_expr }
            #total_fn
            #chatbot
        }

        #send
        #extra

        impl crate::Client {
            #[doc = #method_doc]
            pub fn #method(&self, #args) -> #listing_ty {
                #listing_ty::new(self.clone(), #params { #inits })
            }
        }

    };
    let glue = match listing_setters.is_empty() {
        true => glue,
        false => quote!(#glue impl #listing_ty { #listing_setters }),
    };
    let blocking = quote! {
        #[doc = #listing_doc]
        #(#[doc = #blocking_example])*
        pub type #listing_ty = crate::blocking::#blocking_generic<crate::#params>;

        impl crate::blocking::Client {
            #[doc = #method_doc]
            pub fn #method(&self, #args) -> #listing_ty {
                self.#blocking_wrap(self.as_async().#method(#forward))
            }
        }

    };
    let blocking = match blocking_setters.is_empty() {
        true => blocking,
        false => quote!(#blocking impl #listing_ty { #blocking_setters }),
    };
    Ok((glue, blocking))
}
