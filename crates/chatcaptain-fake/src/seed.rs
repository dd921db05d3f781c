//! Deterministic generated contacts and organizations: the same seed always yields the same ids, names
//! and timestamps.

use chatcaptain_api::types::{Contact, Organization};
use chrono::{DateTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const FIRST: [&str; 16] = [
    "Max", "Anna", "Lena", "Paul", "Mia", "Jonas", "Emma", "Felix", "Sofia", "Noah", "Clara",
    "Elias", "Marie", "Leon", "Hannah", "Finn",
];
const LAST: [&str; 16] = [
    "Example",
    "Mustermann",
    "Schmidt",
    "Meyer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schulz",
    "Braun",
    "Zimmermann",
];
const LANGUAGES: [&str; 4] = ["EN", "DE", "FR", "ES"];
const LEGAL_FORMS: [&str; 4] = ["GmbH", "AG", "KG", "SE"];
const INDUSTRIES: [&str; 4] = ["Software", "E-Commerce", "Logistics", "Consulting"];
const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The instant generated contacts count from: the `n`th contact of a chatbot is created `n` seconds
/// after it, so every generated contact has its own `created`.
pub fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid fixed date")
}

/// Ids, names and numbers for generated contacts, from one seeded generator.
pub(crate) struct Generator {
    rng: StdRng,
}

impl Generator {
    pub(crate) fn new(seed: u64) -> Self {
        Generator {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// An opaque id of 20 letters and digits, like the API's.
    pub(crate) fn id(&mut self) -> String {
        (0..20)
            .map(|_| char::from(ID_ALPHABET[self.rng.random_range(0..ID_ALPHABET.len())]))
            .collect()
    }

    /// A plausible contact; `n` keeps e-mail addresses and phone numbers distinct.
    pub(crate) fn contact(&mut self, n: u64, created: DateTime<Utc>) -> Contact {
        let first = FIRST[self.rng.random_range(0..FIRST.len())];
        let last = LAST[self.rng.random_range(0..LAST.len())];
        let language = LANGUAGES[self.rng.random_range(0..LANGUAGES.len())];
        // The generated builder leaves every other (optional) field unset, so a field added to
        // the spec needs no change here.
        Contact::builder()
            .id(self.id())
            .created(created)
            .updated(Some(created))
            .language(Some(language.to_owned()))
            .name(Some(format!("{first} {last}")))
            .email(Some(format!(
                "{}.{}{n}@example.com",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase()
            )))
            .phone_number(Some(format!("+49151{n:08}")))
            .try_into()
            .expect("id and created are set")
    }

    /// A plausible organization; `n` keeps names and e-mail addresses distinct.
    pub(crate) fn organization(&mut self, n: u64, created: DateTime<Utc>) -> Organization {
        let last = LAST[self.rng.random_range(0..LAST.len())];
        let form = LEGAL_FORMS[self.rng.random_range(0..LEGAL_FORMS.len())];
        let industry = INDUSTRIES[self.rng.random_range(0..INDUSTRIES.len())];
        let domain = format!("{}{n}.example.com", last.to_ascii_lowercase());
        Organization::builder()
            .id(self.id())
            .created(Some(created))
            .name(Some(format!("{last} {n} {form}")))
            .email(Some(format!("info@{domain}")))
            .website(Some(format!("https://{domain}")))
            .industry(Some(industry.to_owned()))
            .size(Some(self.rng.random_range(1..=5000)))
            .try_into()
            .expect("id is set")
    }
}
