//! API keys and the permissions each operation requires.

use std::collections::{HashMap, HashSet};

use crate::Route;

/// The key a [`FakeServer`](crate::FakeServer) accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "fake-key";

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-chatcaptain-key";

/// A permission of the ChatCaptain API, as each operation's `x-permission` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Permission {
    /// `chatbots.contacts.list`: list and search contacts.
    ContactsList,
    /// `chatbots.contacts.create`: create contacts.
    ContactsCreate,
    /// `chatbots.contacts.get`: get a contact and its organizations.
    ContactsGet,
    /// `chatbots.contacts.edit`: update contacts.
    ContactsEdit,
    /// `chatbots.contacts.delete`: delete contacts.
    ContactsDelete,
    /// `chatbots.organizations.list`: list and search organizations.
    OrganizationsList,
    /// `chatbots.organizations.create`: create organizations.
    OrganizationsCreate,
}

impl Permission {
    /// Every permission; what the main key has unless some are revoked.
    pub const ALL: [Permission; 7] = [
        Permission::ContactsList,
        Permission::ContactsCreate,
        Permission::ContactsGet,
        Permission::ContactsEdit,
        Permission::ContactsDelete,
        Permission::OrganizationsList,
        Permission::OrganizationsCreate,
    ];

    /// The permission's name in the API reference, e.g. `chatbots.contacts.list`.
    pub fn name(self) -> &'static str {
        match self {
            Permission::ContactsList => "chatbots.contacts.list",
            Permission::ContactsCreate => "chatbots.contacts.create",
            Permission::ContactsGet => "chatbots.contacts.get",
            Permission::ContactsEdit => "chatbots.contacts.edit",
            Permission::ContactsDelete => "chatbots.contacts.delete",
            Permission::OrganizationsList => "chatbots.organizations.list",
            Permission::OrganizationsCreate => "chatbots.organizations.create",
        }
    }

    /// The permission an operation requires (`None` for [`Route::Any`]).
    pub fn required_by(route: Route) -> Option<Permission> {
        Some(match route {
            Route::Any => return None,
            Route::SearchContacts | Route::ListContacts => Permission::ContactsList,
            Route::CreateContact => Permission::ContactsCreate,
            Route::GetContact | Route::ListContactOrganizations => Permission::ContactsGet,
            Route::UpdateContact => Permission::ContactsEdit,
            Route::DeleteContact => Permission::ContactsDelete,
            Route::SearchOrganizations | Route::ListOrganizations => Permission::OrganizationsList,
            Route::CreateOrganization => Permission::OrganizationsCreate,
        })
    }
}

/// What the presented key may do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// No key, or one the server does not know: 401.
    Unauthenticated,
    /// A known key without the operation's permission: 403.
    Forbidden,
    /// Go ahead.
    Granted,
}

/// The keys the server knows, each with its permissions.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    keys: HashMap<String, HashSet<Permission>>,
}

impl Keys {
    pub(crate) fn new(
        main_key: String,
        revoked: &HashSet<Permission>,
        extra: Vec<(String, HashSet<Permission>)>,
    ) -> Self {
        let mut keys = HashMap::new();
        let main = Permission::ALL
            .into_iter()
            .filter(|p| !revoked.contains(p))
            .collect();
        keys.insert(main_key, main);
        keys.extend(extra);
        Keys { keys }
    }

    pub(crate) fn check(&self, presented: Option<&str>, route: Option<Route>) -> Access {
        let Some(permissions) = presented.and_then(|key| self.keys.get(key)) else {
            return Access::Unauthenticated;
        };
        match route.and_then(Permission::required_by) {
            Some(needed) if !permissions.contains(&needed) => Access::Forbidden,
            _ => Access::Granted,
        }
    }
}
