//! The baselines: hand-written reqwest loops doing the requests a careful user would write
//! without the SDK, decoding the same JSON into the same generated types.

use chatcaptain_api::types::{ListContactsResponse, SearchContactsResponse};
use chrono::SecondsFormat;

use crate::host::API_KEY;

/// A chatbot's contacts, asked with a plain reqwest client and the bench's key.
pub struct RawContacts {
    http: reqwest::Client,
    /// `{base_url}/v1/chatbots/{chatbot}/contacts`
    url: String,
}

impl RawContacts {
    pub fn new(http: reqwest::Client, base_url: &str, chatbot: &str) -> Self {
        let url = format!("{base_url}/v1/chatbots/{chatbot}/contacts");
        RawContacts { http, url }
    }

    fn get(&self, url: &str) -> reqwest::RequestBuilder {
        self.http.get(url).header("x-chatcaptain-key", API_KEY)
    }

    /// The naive cursor loop of the API's docs: `pageToken` = `created` of the last contact.
    pub async fn list_count(&self, page_size: u32) -> anyhow::Result<usize> {
        let limit = page_size.to_string();
        let mut token = None;
        let mut count = 0;
        loop {
            let mut request = self.get(&self.url).query(&[("limit", limit.as_str())]);
            if let Some(token) = &token {
                request = request.query(&[("pageToken", token)]);
            }
            let body = request.send().await?.error_for_status()?.bytes().await?;
            let page: ListContactsResponse = serde_json::from_slice(&body)?;
            count += page.contacts.len();
            match page.contacts.last() {
                Some(last) if page.contacts.len() == page_size as usize => {
                    token = Some(last.created.to_rfc3339_opts(SecondsFormat::AutoSi, true));
                }
                _ => return Ok(count),
            }
        }
    }

    /// Pages 1, 2, ... until `found` is reached or a page comes back short.
    pub async fn search_count(&self, query: &str, page_size: u32) -> anyhow::Result<usize> {
        let url = format!("{}/search", self.url);
        let size = page_size.to_string();
        let mut count = 0;
        for page in 1u32.. {
            let page = page.to_string();
            let body = self
                .get(&url)
                .query(&[("query", query), ("page", &page), ("pageSize", &size)])
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            let response: SearchContactsResponse = serde_json::from_slice(&body)?;
            let Some(results) = response.results else {
                break;
            };
            count += results.hits.len();
            if results.hits.len() < page_size as usize || count as i64 >= results.found {
                break;
            }
        }
        Ok(count)
    }
}
