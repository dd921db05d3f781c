//! API keys and the permissions each operation requires (generated from the spec's `x-permission`).

use std::collections::{HashMap, HashSet};

use crate::Route;

/// The key a [`FakeServer`](crate::FakeServer) accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "fake-key";

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-chatcaptain-key";

pub use crate::generated::Permission;

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
            .iter()
            .copied()
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
