//! Which operation of the spec a request addresses, decided from its method and path alone: the
//! `Route` generated from the spec's operations (one variant per operation), beside a test of it.

pub use crate::generated::Route;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_not_mistaken_for_a_contact_id() {
        assert_eq!(
            Route::of("GET", "/v1/chatbots/b/contacts/search"),
            Some(Route::SearchContacts)
        );
        assert_eq!(
            Route::of("GET", "/v1/chatbots/b/contacts/c1"),
            Some(Route::GetContact)
        );
        assert_eq!(Route::of("PUT", "/v1/chatbots/b/contacts/c1"), None);
        assert_eq!(Route::of("GET", "/v2/x"), None);
        assert_eq!(
            Route::of("GET", "/v1/chatbots/b/organizations/search"),
            Some(Route::SearchOrganizations)
        );
        assert_eq!(Route::ListOrganizations.to_string(), "listOrganizations");
        assert_eq!(Route::Any.operation_id(), None);
    }
}
