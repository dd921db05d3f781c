//! Which operation of the spec a request addresses, decided from its method and path alone (the
//! generated `Route`).

use chatcaptain_fake::Route;

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
