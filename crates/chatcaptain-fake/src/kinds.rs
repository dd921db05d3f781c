//! What is particular to each kind of record: its envelope's names, its create operation, the fields a
//! search looks at, how one is generated and where a chatbot keeps them. Everything else (storage,
//! listing, search, create) is shared, in `records` and `handlers`.

use chatcaptain_api::operations::Operation;
use chatcaptain_api::types::{Contact, NewContact, NewOrganization, Organization};
use chrono::{DateTime, Utc};

use crate::records::{Item, Records, any_contains};
use crate::seed::Generator;
use crate::state::{Chatbot, Stored};

impl Item for Contact {
    type New = NewContact;
    const ONE: &'static str = "contact";
    const MANY: &'static str = "contacts";
    const CREATE: Operation = Operation::CreateContact;

    fn id(&self) -> &str {
        &self.id
    }
    fn created(&self) -> DateTime<Utc> {
        self.created
    }
    fn matches(&self, needle: &str) -> bool {
        let c = self;
        let fields = [
            Some(&c.id),
            c.name.as_ref(),
            c.email.as_ref(),
            c.phone_number.as_ref(),
            c.whatsapp_id.as_ref(),
            c.web_id.as_ref(),
            c.instagram_id.as_ref(),
            c.facebook_id.as_ref(),
            c.telegram_id.as_ref(),
            c.provider_id.as_ref(),
        ];
        any_contains(fields, needle)
    }
    fn generate(generator: &mut Generator, n: u64, created: DateTime<Utc>) -> Self {
        generator.contact(n, created)
    }
}

impl Stored for Contact {
    fn of(bot: &Chatbot) -> &Records<Self> {
        &bot.contacts
    }
    fn of_mut(bot: &mut Chatbot) -> &mut Records<Self> {
        &mut bot.contacts
    }
}

impl Item for Organization {
    type New = NewOrganization;
    const ONE: &'static str = "organization";
    const MANY: &'static str = "organizations";
    const CREATE: Operation = Operation::CreateOrganization;

    fn id(&self) -> &str {
        &self.id
    }
    // Every organization of a chatbot's listing has one (the store gives one to an organization of a
    // contact that came without).
    fn created(&self) -> DateTime<Utc> {
        self.created.unwrap_or_default()
    }
    fn matches(&self, needle: &str) -> bool {
        let o = self;
        let fields = [
            Some(&o.id),
            o.name.as_ref(),
            o.email.as_ref(),
            o.website.as_ref(),
            o.industry.as_ref(),
            o.phone_number.as_ref(),
        ];
        any_contains(fields, needle)
    }
    fn generate(generator: &mut Generator, n: u64, created: DateTime<Utc>) -> Self {
        generator.organization(n, created)
    }
}

impl Stored for Organization {
    fn of(bot: &Chatbot) -> &Records<Self> {
        &bot.organizations
    }
    fn of_mut(bot: &mut Chatbot) -> &mut Records<Self> {
        &mut bot.organizations
    }
}
