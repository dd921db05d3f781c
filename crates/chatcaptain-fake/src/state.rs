//! The fake's data: chatbots, their contacts and organizations, and the operations on them.

use std::collections::HashMap;

use chatcaptain_api::types::{Contact, Organization};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::records::{Item, Records};
use crate::seed::{self, Generator};

/// The fields `updateContact` may change, from the spec's `ContactUpdate`; anything else in its
/// body (an `id`, a `created`) is ignored.
const UPDATABLE: &[&str] = chatcaptain_api::fields::CONTACT_UPDATE;

/// All chatbots and a generator for the ids of new records.
pub(crate) struct Store {
    chatbots: HashMap<String, Chatbot>,
    generator: Generator,
}

/// A kind of record the store keeps for each chatbot: where in a [`Chatbot`] it lives.
pub(crate) trait Stored: Item {
    fn of(bot: &Chatbot) -> &Records<Self>;
    fn of_mut(bot: &mut Chatbot) -> &mut Records<Self>;
}

/// One chatbot's data.
#[derive(Default)]
pub(crate) struct Chatbot {
    pub(crate) contacts: Records<Contact>,
    pub(crate) organizations: Records<Organization>,
    /// The organizations of each contact, by contact id.
    members: HashMap<String, Vec<Organization>>,
}

/// When generated records are created.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Spacing {
    /// `step` apart, each newer than the chatbot's earlier generated ones of its kind, counting
    /// from [`seed::base_time`].
    Every(Duration),
    /// All at one instant (ties for the cursor).
    At(DateTime<Utc>),
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

    /// The records of one kind of a chatbot; `None` for a chatbot the fake has never seen.
    pub(crate) fn records<T: Stored>(&self, chatbot: &str) -> Option<&Records<T>> {
        self.chatbots.get(chatbot).map(T::of)
    }

    pub(crate) fn records_mut<T: Stored>(&mut self, chatbot: &str) -> &mut Records<T> {
        T::of_mut(self.bot(chatbot))
    }

    /// Adds `n` generated records of kind `T`, created as `spacing` says.
    pub(crate) fn seed<T: Stored>(&mut self, chatbot: &str, n: u64, spacing: Spacing) {
        let start = self.records_mut::<T>(chatbot).generated;
        for i in start..start + n {
            let created = match spacing {
                Spacing::Every(step) => seed::base_time() + step * i as i32,
                Spacing::At(t) => t,
            };
            let item = T::generate(&mut self.generator, i, created);
            self.records_mut::<T>(chatbot).insert(item);
        }
        self.records_mut::<T>(chatbot).generated = start + n;
    }

    /// Stores a record as given, replacing one of its kind with the same id.
    pub(crate) fn put<T: Stored>(&mut self, chatbot: &str, item: T) {
        self.records_mut::<T>(chatbot).insert(item);
    }

    /// Stores a record answered exactly as given (see [`Records::insert_raw`]).
    pub(crate) fn put_raw<T: Stored>(&mut self, chatbot: &str, raw: Value) -> Result<(), String> {
        let Store {
            chatbots,
            generator,
        } = self;
        T::of_mut(chatbots.entry(chatbot.to_owned()).or_default()).insert_raw(raw, generator)
    }

    /// Creates a record from its (validated) create body, with a new id and `now` as its times.
    pub(crate) fn create<T: Stored>(
        &mut self,
        chatbot: &str,
        new: T::New,
        now: DateTime<Utc>,
    ) -> Result<T, serde_json::Error> {
        // Through JSON, so that every field the spec gives the body lands in the record without a
        // list of them here; `updated` is dropped by a kind that has none.
        let mut fields = serde_json::to_value(&new)?;
        if let Value::Object(fields) = &mut fields {
            fields.insert("id".to_owned(), Value::String(self.generator.id()));
            fields.insert("created".to_owned(), serde_json::to_value(now)?);
            fields.insert("updated".to_owned(), serde_json::to_value(now)?);
        }
        let item: T = serde_json::from_value(fields)?;
        self.put(chatbot, item.clone());
        Ok(item)
    }

    /// Attaches `organization` to a contact, and its id to the contact's `organizationIds`; the
    /// chatbot's organizations gain it too (unless one with its id is there), as of the seed's base
    /// time when it has no `created`.
    pub(crate) fn put_organization(
        &mut self,
        chatbot: &str,
        contact_id: &str,
        organization: Organization,
    ) {
        let bot = self.bot(chatbot);
        if let Some(contact) = bot.contacts.get_mut(contact_id)
            && !contact.organization_ids.contains(&organization.id)
        {
            contact.organization_ids.push(organization.id.clone());
        }
        if bot.organizations.get(&organization.id).is_none() {
            let mut listed = organization.clone();
            listed.created = listed.created.or(Some(seed::base_time()));
            bot.organizations.insert(listed);
        }
        bot.members
            .entry(contact_id.to_owned())
            .or_default()
            .push(organization);
    }

    pub(crate) fn get(&self, chatbot: &str, id: &str) -> Option<&Contact> {
        self.records::<Contact>(chatbot)?.get(id)
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
            .and_then(|bot| bot.contacts.get_mut(id))
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
        bot.members.remove(id);
        bot.contacts.remove(id)
    }

    /// The organizations of a contact; `None` when the contact does not exist.
    pub(crate) fn organizations(&self, chatbot: &str, id: &str) -> Option<Vec<Organization>> {
        self.get(chatbot, id)?;
        let bot = self.chatbots.get(chatbot)?;
        Some(bot.members.get(id).cloned().unwrap_or_default())
    }

    /// How many records of kind `T` a chatbot has.
    pub(crate) fn count<T: Stored>(&self, chatbot: &str) -> usize {
        self.records::<T>(chatbot).map_or(0, Records::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::ListShape;

    fn list(
        store: &Store,
        before: Option<DateTime<Utc>>,
        n: usize,
        shape: &ListShape,
    ) -> Vec<Contact> {
        let contacts = store.records::<Contact>("b").unwrap();
        contacts.list(before, n, shape)
    }

    /// A store whose chatbot "b" has three contacts created at `t` and two a second before, and `t`.
    fn three_at_t_two_a_second_before() -> (Store, DateTime<Utc>) {
        let mut store = Store::new(1);
        let t = seed::base_time();
        store.seed::<Contact>("b", 3, Spacing::At(t));
        store.seed::<Contact>("b", 2, Spacing::At(t - Duration::seconds(1)));
        (store, t)
    }

    #[test]
    fn cursor_excludes_contacts_created_at_the_cursor_itself() {
        let (store, t) = three_at_t_two_a_second_before();
        assert_eq!(list(&store, Some(t), 10, &ListShape::spec()).len(), 2);
        assert_eq!(list(&store, None, 10, &ListShape::spec()).len(), 5);
    }

    #[test]
    fn list_shapes_include_the_cursor_instant_and_turn_the_order() {
        let (store, t) = three_at_t_two_a_second_before();
        let inclusive = ListShape::spec().inclusive_token(true);
        assert_eq!(list(&store, Some(t), 10, &inclusive).len(), 5);
        let oldest = list(&store, None, 2, &ListShape::spec().oldest_first(true));
        assert!(oldest.iter().all(|c| c.created == t - Duration::seconds(1)));
    }

    #[test]
    fn ties_come_by_id_and_insertion_order_puts_the_last_stored_first() {
        let mut store = Store::new(1);
        let t = seed::base_time();
        store.seed::<Contact>("b", 3, Spacing::At(t));
        let ids = |page: Vec<Contact>| page.into_iter().map(|c| c.id).collect::<Vec<_>>();
        let newest = ids(list(&store, None, 2, &ListShape::spec()));
        let mut sorted = ids(list(&store, None, 3, &ListShape::spec()));
        sorted.sort();
        assert_eq!(newest, sorted[..2]);
        let raw = serde_json::json!({"id": "late", "created": "2000-01-01T00:00:00", "n": 1});
        store.put_raw::<Contact>("b", raw.clone()).unwrap();
        let inserted = list(&store, None, 1, &ListShape::spec().insertion_order(true));
        assert_eq!(ids(inserted), ["late"]);
        let contacts = store.records::<Contact>("b").unwrap();
        assert_eq!(contacts.answer(contacts.get("late").unwrap()), raw);
    }

    #[test]
    fn a_raw_record_without_an_id_or_a_readable_created_is_refused() {
        let mut store = Store::new(1);
        let no_id = serde_json::json!({"created": "2000-01-01T00:00:00Z"});
        assert!(
            store
                .put_raw::<Contact>("b", no_id)
                .unwrap_err()
                .contains("id")
        );
        let bad_created = serde_json::json!({"id": "x", "created": "yesterday"});
        assert!(
            store
                .put_raw::<Contact>("b", bad_created)
                .unwrap_err()
                .contains("created")
        );
    }

    #[test]
    fn a_token_unit_drops_what_is_finer_and_an_ignored_token_reads_as_none() {
        let t: DateTime<Utc> = "2025-01-01T00:00:01.987654321Z".parse().unwrap();
        let seconds = ListShape::spec().token_unit(Duration::seconds(1));
        assert_eq!(
            seconds.read_token(Some(t)),
            Some("2025-01-01T00:00:01Z".parse().unwrap())
        );
        let millis = ListShape::spec().token_unit(Duration::milliseconds(1));
        let read = millis.read_token(Some(t)).unwrap();
        assert_eq!(
            read,
            "2025-01-01T00:00:01.987Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            ListShape::spec().ignore_token(true).read_token(Some(t)),
            None
        );
    }

    #[test]
    fn an_organization_of_a_contact_joins_the_chatbots_organizations() {
        let mut store = Store::new(1);
        let org: Organization = serde_json::from_value(serde_json::json!({"id": "o1"})).unwrap();
        store.put_organization("b", "c1", org);
        let listed = store.records::<Organization>("b").unwrap().get("o1");
        assert_eq!(listed.and_then(|o| o.created), Some(seed::base_time()));
    }
}
