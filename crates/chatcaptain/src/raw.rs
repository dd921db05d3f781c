//! One GET read without decoding, for tools that check what the API really answers.

use chatcaptain_api::{ClientHooks, OperationInfo};
use reqwest::StatusCode;

use crate::{Client, Error};

/// An answer as the server sent it: the status, the headers and the body, parsed as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct RawAnswer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The answer's headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body; a body that is not JSON comes as a JSON string of its text.
    pub body: serde_json::Value,
}

impl RawAnswer {
    /// The server's id of the request and the header that carried it, read as
    /// [`Error::request_id`](crate::Error::request_id) reads it (`x-request-id`,
    /// `x-amzn-requestid`, `x-correlation-id`, the trace id of `traceparent`: the first present);
    /// `None` when the answer carried none.
    pub fn request_id(&self) -> Option<(&'static str, String)> {
        crate::error::request_id_and_header(&self.headers)
    }
}

impl Client {
    /// Sends `GET` to the base URL plus `segments` (each percent-encoded as one path segment) with
    /// `query`, and returns the answer undecoded, whatever its status. The request takes the same
    /// road as every other (key, user agent, timeout, body cap, redirect rules) but is not retried
    /// and not checked against the spec: checking it is the caller's business (`chatcaptain doctor`).
    pub async fn get_raw(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<RawAnswer, Error> {
        let mut url = reqwest::Url::parse(self.base_url())
            .map_err(|e| Error::Config(format!("base URL {:?}: {e}", self.base_url())))?;
        for segment in segments {
            crate::contacts::path_segment("path segment", segment)?;
        }
        url.path_segments_mut()
            .map_err(|()| Error::Config("the base URL cannot take a path".into()))?
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        let info = OperationInfo {
            operation_id: "raw_get",
        };
        let api = self.api();
        api.pre::<()>(&mut request, &info)
            .await
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        let response = api.exec(request, &info).await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
        Ok(RawAnswer {
            status,
            headers,
            body,
        })
    }
}
