//! Request bodies that read like sentences, and the API's data types.

use std::collections::HashMap;

use chatcaptain_api::types;

pub use chatcaptain_api::types::{Address, Contact, Organization};

macro_rules! text_setters {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $field(mut self, value: impl Into<String>) -> Self {
            self.0.$field = Some(value.into());
            self
        }
    )*};
}

/// The fields of a contact to create: `NewContact::new("EN").name("Max").email("max@example.com")`.
#[derive(Clone, Debug, PartialEq)]
pub struct NewContact(types::NewContact);

impl NewContact {
    /// A contact speaking this language (`"EN"`, `"DE"`); the only required field.
    pub fn new(language: impl Into<String>) -> Self {
        NewContact(types::NewContact {
            language: language.into(),
            avatar: None,
            email: None,
            facebook_id: None,
            instagram_id: None,
            name: None,
            phone_number: None,
            provider_id: None,
            telegram_id: None,
            web_id: None,
            whatsapp_id: None,
        })
    }

    text_setters!(
        /// The contact's name.
        name,
        /// The contact's e-mail address.
        email,
        /// The contact's phone number, international format.
        phone_number,
        /// The contact's WhatsApp ID.
        whatsapp_id,
        /// The contact's ID in the web chat.
        web_id,
        /// The contact's Instagram ID.
        instagram_id,
        /// The contact's Facebook ID.
        facebook_id,
        /// The contact's Telegram ID.
        telegram_id,
        /// The ID of the contact at an external provider.
        provider_id,
        /// URL of the contact's avatar image.
        avatar,
    );

    /// The generated body this wraps.
    pub fn into_inner(self) -> types::NewContact {
        self.0
    }
}

impl From<NewContact> for types::NewContact {
    fn from(c: NewContact) -> Self {
        c.0
    }
}

/// The fields to change on a contact; fields left out stay as they are.
///
/// `ContactUpdate::new().name("Max").variable("plan", "premium")`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactUpdate(types::ContactUpdate);

impl ContactUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    text_setters!(
        /// The contact's language code.
        language,
        /// The contact's name.
        name,
        /// The contact's e-mail address.
        email,
        /// The contact's phone number, international format.
        phone_number,
        /// The contact's WhatsApp ID.
        whatsapp_id,
        /// The contact's ID in the web chat.
        web_id,
        /// The contact's Instagram ID.
        instagram_id,
        /// The contact's Facebook ID.
        facebook_id,
        /// The contact's Telegram ID.
        telegram_id,
        /// The ID of the contact at an external provider.
        provider_id,
        /// URL of the contact's avatar image.
        avatar,
    );

    /// The contact's postal address.
    pub fn address(mut self, address: Address) -> Self {
        self.0.address = Some(address);
        self
    }

    /// Sets one free-form variable; the server replaces the stored map with the ones sent.
    pub fn variable(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.0
            .variables
            .get_or_insert_default()
            .insert(key.into(), value.into());
        self
    }

    /// Replaces all free-form variables; an empty map clears them.
    pub fn variables(mut self, variables: HashMap<String, String>) -> Self {
        self.0.variables = Some(variables);
        self
    }

    /// The organizations the contact belongs to (replaces the stored list; an empty list clears it).
    pub fn organization_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.organization_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// The generated body this wraps.
    pub fn into_inner(self) -> types::ContactUpdate {
        self.0
    }
}

impl From<ContactUpdate> for types::ContactUpdate {
    fn from(c: ContactUpdate) -> Self {
        c.0
    }
}
