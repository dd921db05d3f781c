//! What a [`Route`] answers that does not depend on the spec: which route a request takes, and
//! whether a fault aimed at one route covers it. The variants and their mapping to
//! [`Operation`]s are generated (`generated.rs`); this reads them.

use std::fmt;

use chatcaptain_api::operations::Operation;

use crate::generated::Route;

impl Route {
    /// The operation a request addresses, or `None` for a method or path the API does
    /// not have; a literal segment wins over a parameter (see [`Operation::find`]).
    pub fn of(method: &str, path: &str) -> Option<Route> {
        Operation::find(method, path).and_then(Route::from_operation)
    }

    /// The spec's `operationId` (`None` for [`Route::Any`]).
    pub fn operation_id(self) -> Option<&'static str> {
        self.operation().map(Operation::id)
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
