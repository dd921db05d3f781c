//! What each kind of record shows in a table and in CSV.

use chatcaptain::{Contact, Organization};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// A record the output formats know how to print.
pub trait Record: Serialize {
    /// CSV columns, fixed so that scripts can rely on their order.
    const CSV_HEADER: &'static [&'static str];
    /// Columns of a listing shown as a table: the few that fit on a screen.
    const TABLE_HEADER: &'static [&'static str];

    /// The values for [`Self::CSV_HEADER`].
    fn csv_row(&self) -> Vec<String>;
    /// The values for [`Self::TABLE_HEADER`].
    fn table_row(&self) -> Vec<String>;
    /// Every field worth showing when one record is shown as a table, label first.
    fn details(&self) -> Vec<(&'static str, String)>;
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn time(value: Option<DateTime<Utc>>) -> String {
    value
        .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

/// `updated`, `address` and `variables` are optional; an empty cell means "not set".
impl Record for Contact {
    const CSV_HEADER: &'static [&'static str] = &[
        "id",
        "created",
        "updated",
        "name",
        "email",
        "phoneNumber",
        "language",
        "whatsappId",
        "webId",
        "instagramId",
        "facebookId",
        "telegramId",
        "providerId",
        "avatar",
        "organizationIds",
        "street",
        "houseNumber",
        "zipcode",
        "location",
        "country",
        "variables",
    ];
    const TABLE_HEADER: &'static [&'static str] =
        &["ID", "NAME", "EMAIL", "PHONE", "LANGUAGE", "CREATED"];

    fn csv_row(&self) -> Vec<String> {
        self.details().into_iter().map(|(_, value)| value).collect()
    }

    fn table_row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            text(&self.name),
            text(&self.email),
            text(&self.phone_number),
            text(&self.language),
            time(Some(self.created)),
        ]
    }

    // In CSV_HEADER's order: csv_row is built from it.
    fn details(&self) -> Vec<(&'static str, String)> {
        let address = self.address.clone().unwrap_or_default();
        let variables = if self.variables.is_empty() {
            String::new()
        } else {
            // Sorted, so that the same contact always gives the same cell.
            let sorted: std::collections::BTreeMap<_, _> = self.variables.iter().collect();
            serde_json::to_string(&sorted).unwrap_or_default()
        };
        let values = [
            self.id.clone(),
            time(Some(self.created)),
            time(self.updated),
            text(&self.name),
            text(&self.email),
            text(&self.phone_number),
            text(&self.language),
            text(&self.whatsapp_id),
            text(&self.web_id),
            text(&self.instagram_id),
            text(&self.facebook_id),
            text(&self.telegram_id),
            text(&self.provider_id),
            text(&self.avatar),
            self.organization_ids.join(";"),
            text(&address.street),
            text(&address.house_number),
            text(&address.zipcode),
            text(&address.location),
            text(&address.country),
            variables,
        ];
        Self::CSV_HEADER.iter().copied().zip(values).collect()
    }
}

impl Record for Organization {
    const CSV_HEADER: &'static [&'static str] = &[
        "id",
        "name",
        "email",
        "phoneNumber",
        "industry",
        "size",
        "website",
        "created",
    ];
    const TABLE_HEADER: &'static [&'static str] = &["ID", "NAME", "EMAIL", "PHONE", "INDUSTRY"];

    fn csv_row(&self) -> Vec<String> {
        self.details().into_iter().map(|(_, value)| value).collect()
    }

    fn table_row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            text(&self.name),
            text(&self.email),
            text(&self.phone_number),
            text(&self.industry),
        ]
    }

    fn details(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.id.clone(),
            text(&self.name),
            text(&self.email),
            text(&self.phone_number),
            text(&self.industry),
            self.size.map(|s| s.to_string()).unwrap_or_default(),
            text(&self.website),
            time(self.created),
        ];
        Self::CSV_HEADER.iter().copied().zip(values).collect()
    }
}
