//! The fake's data: chatbots, their contacts and organizations, and the operations on them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

use chatcaptain_api::types::{Contact, NewContact, Organization};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::seed::{self, Generator};
use crate::shape::ListShape;

/// The fields `updateContact` may change, from the spec's `ContactUpdate`; anything else in its
/// body (an `id`, a `created`) is ignored.
const UPDATABLE: &[&str] = chatcaptain_api::fields::CONTACT_UPDATE;

/// All chatbots and a generator for the ids of new contacts.
pub(crate) struct Store {
    chatbots: HashMap<String, Chatbot>,
    generator: Generator,
}

#[derive(Default)]
struct Chatbot {
    // Keyed by (created, id): newest-first listing is a reverse range scan from the cursor, and the id
    // orders contacts that share a `created` so every page is deterministic.
    by_created: BTreeMap<(DateTime<Utc>, String), Contact>,
    created_of: HashMap<String, DateTime<Utc>>,
    organizations: HashMap<String, Vec<Organization>>,
    generated: u64,
}

/// One page of search hits and the number of hits over all pages.
pub(crate) struct SearchPage {
    pub(crate) found: u64,
    pub(crate) hits: Vec<Contact>,
}

impl Store {
    pub(crate) fn new(seed: u64) -> Self {
        Store {
            chatbots: HashMap::new(),
            generator: Generator::new(seed),
        }
    }

    fn bot(&mut self, chatbot: &str) -> &mut Chatbot {
        self.chatbots.entry(chatbot.to_owned()).or_default()
    }

    /// Adds `n` generated contacts, each created one second after the chatbot's previous generated one.
    pub(crate) fn seed_contacts(&mut self, chatbot: &str, n: u64) {
        self.seed_contacts_every(chatbot, n, Duration::seconds(1));
    }

    /// Adds `n` generated contacts, each created `step` after the chatbot's previous generated one.
    pub(crate) fn seed_contacts_every(&mut self, chatbot: &str, n: u64, step: Duration) {
        let start = self.bot(chatbot).generated;
        for i in start..start + n {
            let created = seed::base_time() + step * i as i32;
            let contact = self.generator.contact(i, created);
            self.bot(chatbot).insert(contact);
        }
        self.bot(chatbot).generated = start + n;
    }

    /// Adds `n` generated contacts that all share `created` (ties for the cursor).
    pub(crate) fn seed_contacts_at(&mut self, chatbot: &str, n: u64, created: DateTime<Utc>) {
        let start = self.bot(chatbot).generated;
        for i in start..start + n {
            let contact = self.generator.contact(i, created);
            self.bot(chatbot).insert(contact);
        }
        self.bot(chatbot).generated = start + n;
    }

    /// Stores `contact` as given, replacing a contact with the same id.
    pub(crate) fn put_contact(&mut self, chatbot: &str, contact: Contact) {
        self.bot(chatbot).insert(contact);
    }

    /// Attaches `organization` to a contact, and its id to the contact's `organizationIds`.
    pub(crate) fn put_organization(
        &mut self,
        chatbot: &str,
        contact_id: &str,
        organization: Organization,
    ) {
        let bot = self.bot(chatbot);
        if let Some(contact) = bot.get_mut(contact_id)
            && !contact.organization_ids.contains(&organization.id)
        {
            contact.organization_ids.push(organization.id.clone());
        }
        bot.organizations
            .entry(contact_id.to_owned())
            .or_default()
            .push(organization);
    }

    /// Contacts created strictly before `before` (all when `None`), newest first, at most `limit`;
    /// `shape` may make the bound inclusive and the order oldest first.
    pub(crate) fn list(
        &self,
        chatbot: &str,
        before: Option<DateTime<Utc>>,
        limit: usize,
        shape: &ListShape,
    ) -> Vec<Contact> {
        let Some(bot) = self.chatbots.get(chatbot) else {
            return Vec::new();
        };
        // (t, "") is the smallest key at instant t, so excluding it excludes every contact created at t:
        // the cursor is strictly "before", ties with the cursor included. The inclusive shape takes
        // every key up to the next instant instead.
        let upper = match before {
            Some(t) if shape.inclusive_token => {
                Bound::Excluded((t + Duration::nanoseconds(1), String::new()))
            }
            Some(t) => Bound::Excluded((t, String::new())),
            None => Bound::Unbounded,
        };
        let range = bot.by_created.range((Bound::Unbounded, upper));
        let page = |it: &mut dyn Iterator<Item = (&(DateTime<Utc>, String), &Contact)>| {
            it.take(limit).map(|(_, c)| c.clone()).collect()
        };
        if shape.oldest_first {
            page(&mut range.into_iter())
        } else {
            page(&mut range.rev())
        }
    }

    /// Case-insensitive substring search over names, e-mails, phone numbers and ids, newest first.
    pub(crate) fn search(
        &self,
        chatbot: &str,
        query: &str,
        page: usize,
        page_size: usize,
        hidden: &HashSet<&str>,
    ) -> SearchPage {
        let Some(bot) = self.chatbots.get(chatbot) else {
            return SearchPage {
                found: 0,
                hits: Vec::new(),
            };
        };
        let needle = query.trim().to_lowercase();
        let skip = page.saturating_sub(1).saturating_mul(page_size);
        let mut found = 0u64;
        let mut hits = Vec::new();
        for contact in bot.by_created.values().rev() {
            if hidden.contains(contact.id.as_str()) || !matches(contact, &needle) {
                continue;
            }
            if found as usize >= skip && hits.len() < page_size {
                hits.push(contact.clone());
            }
            found += 1;
        }
        SearchPage { found, hits }
    }

    pub(crate) fn get(&self, chatbot: &str, id: &str) -> Option<&Contact> {
        let bot = self.chatbots.get(chatbot)?;
        let created = bot.created_of.get(id)?;
        bot.by_created.get(&(*created, id.to_owned()))
    }

    pub(crate) fn create(&mut self, chatbot: &str, new: NewContact, now: DateTime<Utc>) -> Contact {
        // Through JSON, so that every field the spec gives `NewContact` lands in the contact
        // without a list of them here.
        let mut fields = serde_json::to_value(&new).expect("a NewContact serializes");
        if let Value::Object(fields) = &mut fields {
            fields.insert("id".to_owned(), Value::String(self.generator.id()));
            fields.insert("created".to_owned(), json_time(now));
            fields.insert("updated".to_owned(), json_time(now));
        }
        let contact: Contact = serde_json::from_value(fields)
            .expect("a NewContact with an id and its times is a Contact");
        self.bot(chatbot).insert(contact.clone());
        contact
    }

    /// Merges `changes` (a validated `ContactUpdate` object) into a stored contact: each field present
    /// replaces the stored one, an omitted field is left alone.
    pub(crate) fn update(
        &mut self,
        chatbot: &str,
        id: &str,
        changes: &Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Result<Option<Contact>, serde_json::Error> {
        let Some(contact) = self
            .chatbots
            .get_mut(chatbot)
            .and_then(|bot| bot.get_mut(id))
        else {
            return Ok(None);
        };
        let mut merged = serde_json::to_value(&*contact)?;
        if let Value::Object(fields) = &mut merged {
            for &key in UPDATABLE {
                match changes.get(key) {
                    // The spec lets `organizationIds` and `variables` be null: cleared, as by `[]`/`{}`.
                    Some(Value::Null) => {
                        fields.remove(key);
                    }
                    Some(value) => {
                        fields.insert(key.to_owned(), value.clone());
                    }
                    None => {}
                }
            }
            fields.insert("updated".to_owned(), serde_json::to_value(now)?);
        }
        *contact = serde_json::from_value(merged)?;
        Ok(Some(contact.clone()))
    }

    pub(crate) fn delete(&mut self, chatbot: &str, id: &str) -> bool {
        let Some(bot) = self.chatbots.get_mut(chatbot) else {
            return false;
        };
        let Some(created) = bot.created_of.remove(id) else {
            return false;
        };
        bot.by_created.remove(&(created, id.to_owned()));
        bot.organizations.remove(id);
        true
    }

    /// The organizations of a contact; `None` when the contact does not exist.
    pub(crate) fn organizations(&self, chatbot: &str, id: &str) -> Option<Vec<Organization>> {
        self.get(chatbot, id)?;
        let bot = self.chatbots.get(chatbot)?;
        Some(bot.organizations.get(id).cloned().unwrap_or_default())
    }

    /// How many contacts a chatbot has.
    pub(crate) fn contact_count(&self, chatbot: &str) -> usize {
        self.chatbots
            .get(chatbot)
            .map_or(0, |bot| bot.by_created.len())
    }
}

fn json_time(at: DateTime<Utc>) -> Value {
    serde_json::to_value(at).expect("a time serializes")
}

impl Chatbot {
    fn insert(&mut self, contact: Contact) {
        if let Some(old) = self.created_of.insert(contact.id.clone(), contact.created) {
            self.by_created.remove(&(old, contact.id.clone()));
        }
        self.by_created
            .insert((contact.created, contact.id.clone()), contact);
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Contact> {
        let created = *self.created_of.get(id)?;
        self.by_created.get_mut(&(created, id.to_owned()))
    }
}

fn matches(contact: &Contact, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let fields = [
        Some(&contact.id),
        contact.name.as_ref(),
        contact.email.as_ref(),
        contact.phone_number.as_ref(),
        contact.whatsapp_id.as_ref(),
        contact.web_id.as_ref(),
        contact.instagram_id.as_ref(),
        contact.facebook_id.as_ref(),
        contact.telegram_id.as_ref(),
        contact.provider_id.as_ref(),
    ];
    fields
        .into_iter()
        .flatten()
        .any(|field| contains_ignoring_case(field, needle))
}

/// `needle` is already lower-case; ASCII needles are compared without allocating, since a search walks
/// every contact of a chatbot.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_match_handles_ascii_and_unicode() {
        assert!(contains_ignoring_case("Max Example", "max ex"));
        assert!(contains_ignoring_case("JÜRGEN", "jür"));
        assert!(!contains_ignoring_case("Max", "maxi"));
    }

    #[test]
    fn cursor_excludes_contacts_created_at_the_cursor_itself() {
        let mut store = Store::new(1);
        let t = seed::base_time();
        store.seed_contacts_at("b", 3, t);
        store.seed_contacts_at("b", 2, t - Duration::seconds(1));
        assert_eq!(store.list("b", Some(t), 10, &ListShape::spec()).len(), 2);
        assert_eq!(store.list("b", None, 10, &ListShape::spec()).len(), 5);
    }

    #[test]
    fn list_shapes_include_the_cursor_instant_and_turn_the_order() {
        let mut store = Store::new(1);
        let t = seed::base_time();
        store.seed_contacts_at("b", 3, t);
        store.seed_contacts_at("b", 2, t - Duration::seconds(1));
        let inclusive = ListShape::spec().inclusive_token(true);
        assert_eq!(store.list("b", Some(t), 10, &inclusive).len(), 5);
        let oldest = store.list("b", None, 2, &ListShape::spec().oldest_first(true));
        assert!(oldest.iter().all(|c| c.created == t - Duration::seconds(1)));
    }
}
