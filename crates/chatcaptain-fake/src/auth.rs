//! API keys, the chatbot each belongs to, and the permissions each operation requires (generated
//! from the spec's `x-permission`).

use std::collections::{HashMap, HashSet};

use crate::Route;

/// The key a [`FakeServer`](crate::FakeServer) accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "fake-key";

/// The chatbot the main key belongs to when the builder names none and seeds nothing: the id the
/// SDK's quick start and the README use.
pub const DEFAULT_CHATBOT: &str = "aBcDeFgHiJkLmNoPqRsT";

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-chatcaptain-key";

pub use crate::generated::Permission;

/// What the presented key may do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// No key, or one the server does not know: 401.
    Unauthenticated,
    /// A known key of another chatbot, or without the operation's permission: 403.
    Forbidden,
    /// Go ahead.
    Granted,
}

/// What one key may touch: one chatbot, with some permissions.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) chatbot: String,
    pub(crate) permissions: HashSet<Permission>,
}

/// The keys the server knows.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    keys: HashMap<String, Grant>,
}

impl Keys {
    /// The main key (every permission but the revoked ones) of `chatbot`, and the others.
    pub(crate) fn new(
        main_key: String,
        chatbot: String,
        revoked: &HashSet<Permission>,
        extra: Vec<(String, Grant)>,
    ) -> Self {
        let permissions = Permission::ALL
            .iter()
            .copied()
            .filter(|p| !revoked.contains(p))
            .collect();
        let mut keys = HashMap::new();
        keys.insert(
            main_key,
            Grant {
                chatbot,
                permissions,
            },
        );
        keys.extend(extra);
        Keys { keys }
    }

    /// Whether `presented` may call `route` on `chatbot` (the path's `chatbotId`, when it has one).
    pub(crate) fn check(
        &self,
        presented: Option<&str>,
        route: Option<Route>,
        chatbot: Option<&str>,
    ) -> Access {
        let Some(grant) = presented.and_then(|key| self.keys.get(key)) else {
            return Access::Unauthenticated;
        };
        // A key belongs to one chatbot; the API answers another's id as a missing permission.
        if chatbot.is_some_and(|bot| bot != grant.chatbot) {
            return Access::Forbidden;
        }
        match route.and_then(Permission::required_by) {
            Some(needed) if !grant.permissions.contains(&needed) => Access::Forbidden,
            _ => Access::Granted,
        }
    }
}
