//! Which operation of the spec a request addresses, decided from its method and path alone.

use std::fmt;

/// An operation of `spec/chatcaptain.yaml`, used to aim faults and to count requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// Every request, whatever its path (including paths the API does not have).
    Any,
    /// `GET /v1/chatbots/{chatbotId}/contacts/search` (`searchContacts`).
    SearchContacts,
    /// `GET /v1/chatbots/{chatbotId}/contacts` (`listContacts`).
    ListContacts,
    /// `POST /v1/chatbots/{chatbotId}/contacts` (`createContact`).
    CreateContact,
    /// `GET /v1/chatbots/{chatbotId}/contacts/{contactId}` (`getContact`).
    GetContact,
    /// `PATCH /v1/chatbots/{chatbotId}/contacts/{contactId}` (`updateContact`).
    UpdateContact,
    /// `DELETE /v1/chatbots/{chatbotId}/contacts/{contactId}` (`deleteContact`).
    DeleteContact,
    /// `GET /v1/chatbots/{chatbotId}/contacts/{contactId}/organizations` (`listContactOrganizations`).
    ListContactOrganizations,
    /// `GET /v1/chatbots/{chatbotId}/organizations/search` (`searchOrganizations`).
    SearchOrganizations,
    /// `GET /v1/chatbots/{chatbotId}/organizations` (`listOrganizations`).
    ListOrganizations,
    /// `POST /v1/chatbots/{chatbotId}/organizations` (`createOrganization`).
    CreateOrganization,
}

impl Route {
    /// The operation a request addresses, or `None` for a method or path the API does not have.
    pub fn of(method: &str, path: &str) -> Option<Route> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let route = match (method, segments.as_slice()) {
            ("GET", ["", "v1", "chatbots", _, "contacts", "search"]) => Route::SearchContacts,
            ("GET", ["", "v1", "chatbots", _, "contacts"]) => Route::ListContacts,
            ("POST", ["", "v1", "chatbots", _, "contacts"]) => Route::CreateContact,
            ("GET", ["", "v1", "chatbots", _, "contacts", _]) => Route::GetContact,
            ("PATCH", ["", "v1", "chatbots", _, "contacts", _]) => Route::UpdateContact,
            ("DELETE", ["", "v1", "chatbots", _, "contacts", _]) => Route::DeleteContact,
            ("GET", ["", "v1", "chatbots", _, "contacts", _, "organizations"]) => {
                Route::ListContactOrganizations
            }
            ("GET", ["", "v1", "chatbots", _, "organizations", "search"]) => {
                Route::SearchOrganizations
            }
            ("GET", ["", "v1", "chatbots", _, "organizations"]) => Route::ListOrganizations,
            ("POST", ["", "v1", "chatbots", _, "organizations"]) => Route::CreateOrganization,
            _ => return None,
        };
        Some(route)
    }

    /// The spec's `operationId` (`None` for [`Route::Any`]).
    pub fn operation_id(self) -> Option<&'static str> {
        Some(match self {
            Route::Any => return None,
            Route::SearchContacts => "searchContacts",
            Route::ListContacts => "listContacts",
            Route::CreateContact => "createContact",
            Route::GetContact => "getContact",
            Route::UpdateContact => "updateContact",
            Route::DeleteContact => "deleteContact",
            Route::ListContactOrganizations => "listContactOrganizations",
            Route::SearchOrganizations => "searchOrganizations",
            Route::ListOrganizations => "listOrganizations",
            Route::CreateOrganization => "createOrganization",
        })
    }

    /// Whether a request addressed to `actual` (if any) is covered by this route.
    pub fn covers(self, actual: Option<Route>) -> bool {
        self == Route::Any || Some(self) == actual
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id().unwrap_or("any"))
    }
}

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
    }
}
