//! progenitor's `Client::new` starts its `reqwest::Client` from `reqwest::ClientBuilder::new()`,
//! which knows nothing of the TLS backend chosen with chatcaptain-api's features: with
//! `rustls-ring`, reqwest has no crypto provider of its own and would panic there. The generated
//! code starts from the hand-written `crate::tls::client_builder()` instead.

use anyhow::{Result, ensure};
use syn::fold::{self, Fold};

/// Rewrites every `reqwest::ClientBuilder::new()` in `file`; fails when there is none, because
/// then progenitor builds its client some other way and the TLS choice would be lost.
pub fn route_through_tls(file: syn::File) -> Result<syn::File> {
    let mut route = Route { rewritten: 0 };
    let file = route.fold_file(file);
    ensure!(
        route.rewritten > 0,
        "progenitor's `Client::new` no longer calls `reqwest::ClientBuilder::new()`: \
         route its reqwest client through `crate::tls::client_builder()` some other way \
         (xtask/src/codegen/client_builder.rs)"
    );
    Ok(file)
}

struct Route {
    rewritten: usize,
}

impl Fold for Route {
    fn fold_expr_call(&mut self, call: syn::ExprCall) -> syn::ExprCall {
        let call = fold::fold_expr_call(self, call);
        let syn::Expr::Path(func) = &*call.func else {
            return call;
        };
        let segments: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if call.args.is_empty() && segments == ["reqwest", "ClientBuilder", "new"] {
            self.rewritten += 1;
            return syn::parse_quote!(crate::tls::client_builder());
        }
        call
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builder_of_new_goes_through_the_tls_module() {
        let file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self {
                    let client = reqwest::ClientBuilder::new().timeout(dur);
                    Self::new_with_client(baseurl, client.build().unwrap())
                }
            }
        };
        let file = route_through_tls(file).unwrap();
        let code = quote::quote!(#file).to_string();
        assert!(code.contains("crate :: tls :: client_builder ()"), "{code}");
        assert!(!code.contains("ClientBuilder :: new"), "{code}");
    }

    #[test]
    fn a_client_built_some_other_way_is_an_error_naming_the_rewrite() {
        let file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new() -> Self { Self { client: reqwest::Client::new() } }
            }
        };
        let Err(error) = route_through_tls(file) else {
            panic!("a file without `reqwest::ClientBuilder::new()` passed");
        };
        let error = error.to_string();
        assert!(error.contains("client_builder.rs"), "{error}");
    }
}
