//! Request bodies that read like sentences, and the API's data types.

use std::collections::HashMap;

use chatcaptain_api::types;

pub use chatcaptain_api::types::{Address, Contact, Organization};

/// A wrapper around a generated request body: the generated setters (one per optional plain
/// property of a schema marked `x-rust-setters` in the spec, in `src/generated.rs`) write into it.
/// `NewContact` and `NewOrganization` are generated whole (`x-rust-wrapper`).
pub(crate) trait Wrapper {
    type Body;
    fn body(&mut self) -> &mut Self::Body;
}

impl Wrapper for ContactUpdate {
    type Body = types::ContactUpdate;
    fn body(&mut self) -> &mut types::ContactUpdate {
        &mut self.body
    }
}

/// The fields to change on a contact; fields left out stay as they are.
///
/// `ContactUpdate::new().name("Max").variable("plan", "premium")`.
///
/// Variables: the API replaces the stored map with the one sent. [`ContactUpdate::variables`]
/// sends a whole map (an empty one clears them); [`ContactUpdate::variable`] sets one and keeps
/// the others, by having [`crate::Contacts::update`] read the stored map and send it merged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactUpdate {
    body: types::ContactUpdate,
    /// Variables to merge into the stored ones, when no whole map was given.
    merge: HashMap<String, String>,
}

impl ContactUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The contact's postal address.
    pub fn address(mut self, address: Address) -> Self {
        self.body.address = Some(address);
        self
    }

    /// Sets one free-form variable and keeps the other stored ones.
    ///
    /// The API only takes a whole map, so [`crate::Contacts::update`] reads the contact first
    /// and sends the stored map with this change: see there for the race that opens. After
    /// [`ContactUpdate::variables`], this adds to that map instead, and nothing is read.
    pub fn variable(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let map = match &mut self.body.variables {
            Some(whole) => whole,
            None => &mut self.merge,
        };
        map.insert(key.into(), value.into());
        self
    }

    /// Replaces all free-form variables with these (an empty map clears them), dropping any
    /// set before with [`ContactUpdate::variable`].
    pub fn variables(mut self, variables: HashMap<String, String>) -> Self {
        self.body.variables = Some(variables);
        self.merge.clear();
        self
    }

    /// The organizations the contact belongs to (replaces the stored list; an empty list clears it).
    pub fn organization_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.body.organization_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// The generated body. Variables set with [`ContactUpdate::variable`] are in it as a whole
    /// map, which the API would take as replacing the stored one: only
    /// [`crate::Contacts::update`] merges them.
    pub fn into_inner(self) -> types::ContactUpdate {
        let (mut body, merge) = self.split();
        if !merge.is_empty() {
            body.variables = Some(merge);
        }
        body
    }

    /// The body, and the variables still to merge into the stored ones.
    pub(crate) fn split(self) -> (types::ContactUpdate, HashMap<String, String>) {
        (self.body, self.merge)
    }
}

impl From<ContactUpdate> for types::ContactUpdate {
    fn from(c: ContactUpdate) -> Self {
        c.into_inner()
    }
}

/// Any generated body, for fields this wrapper has no setter for; its `variables`, if any,
/// replace the stored map as [`ContactUpdate::variables`] does.
impl From<types::ContactUpdate> for ContactUpdate {
    fn from(body: types::ContactUpdate) -> Self {
        ContactUpdate {
            body,
            merge: HashMap::new(),
        }
    }
}
