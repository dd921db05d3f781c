//! The expressions that take the items and the total out of a typed answer, written against
//! the shapes progenitor generated (an `Option` on the way is `?`: no items).

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::quote;

use super::shapes::{Shape, Shapes};
use crate::pagination::Listing;

/// The expression that takes the items out of a typed answer (`response`), as an `Option`.
pub fn items_expr(listing: &Listing, shapes: &Shapes) -> Result<TokenStream> {
    let mut expr = quote!(response);
    let mut owner = listing.response.clone();
    let last = listing.to_array.len() - 1;
    let mut element = None;
    for (i, json) in listing.to_array.iter().enumerate() {
        let field = shapes.field(&owner, json)?;
        let ident = &field.ident;
        expr = quote!(#expr.#ident);
        let mut shape = field.shape.clone();
        if let Shape::Optional(inner) = shape {
            expr = quote!(#expr?);
            shape = *inner;
        }
        match (i == last, shape) {
            (false, Shape::Named(name)) => owner = name,
            (true, Shape::Array(inner)) => element = Some(*inner),
            (_, other) => bail!("`{json}` of {owner} has an unexpected type ({other:?})"),
        }
    }
    if listing.in_element.is_empty() {
        return Ok(quote!(Some(#expr)));
    }
    let Some(Shape::Named(mut owner)) = element else {
        bail!("the items' array holds no generated struct");
    };
    let mut inner = quote!(element);
    for json in &listing.in_element {
        let field = shapes.field(&owner, json)?;
        let ident = &field.ident;
        inner = quote!(#inner.#ident);
        match &field.shape {
            Shape::Named(name) => owner = name.clone(),
            other => bail!(
                "`{json}` of {owner} is {other:?}: a field inside an element must be required"
            ),
        }
    }
    Ok(quote!(Some(#expr.into_iter().map(|element| #inner).collect())))
}

/// The expression that reads the total of a typed answer (`&response`).
pub fn total_expr(listing: &Listing, path: &[String], shapes: &Shapes) -> Result<TokenStream> {
    let mut expr = quote!(response);
    let mut owner = listing.response.clone();
    let last = path.len() - 1;
    for (i, json) in path.iter().enumerate() {
        let field = shapes.field(&owner, json)?;
        let ident = &field.ident;
        expr = quote!(#expr.#ident);
        let mut shape = field.shape.clone();
        if let Shape::Optional(inner) = shape {
            expr = if i == last {
                quote!(#expr?)
            } else {
                quote!(#expr.as_ref()?)
            };
            shape = *inner;
        }
        match (i == last, shape) {
            (false, Shape::Named(name)) => owner = name,
            (true, Shape::Named(_)) => {}
            (_, other) => bail!("`{json}` of {owner} has an unexpected type ({other:?})"),
        }
    }
    Ok(quote!(u64::try_from(#expr).ok()))
}

/// A JSON pointer from property names.
pub fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}
