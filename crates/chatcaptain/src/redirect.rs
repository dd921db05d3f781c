//! Which redirects the client follows: the key may only ever go to the base URL's origin.
//!
//! The API documents no redirects. reqwest's default policy follows up to 10 to any host and
//! strips `Authorization` and `Cookie` when it leaves the host, but not `x-chatcaptain-key`, and
//! it follows https to plain http, which gets round `build()`'s refusal of http. So the client
//! follows a redirect only when it keeps the request as it is (307, 308: same method, same body)
//! and stays on the base URL's scheme, host and port, a few times at most. Anything else is
//! returned to the caller as `Error::Redirect` naming the `Location`: 301, 302 and 303 would turn
//! a DELETE, PATCH or POST into a GET, answering another question than the one asked.

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::redirect::{Attempt, Policy};

/// Redirects followed in one request at most; a longer chain is a loop or a misconfiguration.
const MAX_REDIRECTS: usize = 5;

/// The policy of the client `ClientBuilder::build` makes for `base`.
pub(crate) fn policy(base: &Url) -> Policy {
    let base = base.clone();
    Policy::custom(move |attempt: Attempt<'_>| {
        if follows(
            &base,
            attempt.status(),
            attempt.url(),
            attempt.previous().len(),
        ) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Whether a redirect with `status` to `next`, after `hops` requests already sent, is followed.
fn follows(base: &Url, status: StatusCode, next: &Url, hops: usize) -> bool {
    let keeps_request = matches!(
        status,
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
    );
    keeps_request && next.origin() == base.origin() && hops <= MAX_REDIRECTS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    const TEMPORARY: StatusCode = StatusCode::TEMPORARY_REDIRECT;

    /// Whether a first 307 from the production API to `next` is followed.
    fn first_307_from_the_api_to(next: &str) -> bool {
        follows(
            &url("https://api.chatcaptain.com"),
            TEMPORARY,
            &url(next),
            1,
        )
    }

    #[test]
    fn a_307_within_the_origin_is_followed_a_few_times() {
        let base = url("https://api.chatcaptain.com");
        let next = url("https://api.chatcaptain.com:443/v1/elsewhere");
        assert!(follows(&base, TEMPORARY, &next, 1));
        assert!(follows(&base, StatusCode::PERMANENT_REDIRECT, &next, 1));
        assert!(!follows(&base, TEMPORARY, &next, MAX_REDIRECTS + 1));
    }

    #[test]
    fn https_to_plain_http_on_the_same_host_is_not_followed() {
        assert!(!first_307_from_the_api_to("http://api.chatcaptain.com/v1"));
        assert!(!first_307_from_the_api_to(
            "http://api.chatcaptain.com:443/v1"
        ));
    }

    #[test]
    fn another_host_or_port_is_not_followed() {
        assert!(!first_307_from_the_api_to("https://evil.example/v1"));
        assert!(!first_307_from_the_api_to(
            "https://api.chatcaptain.com:8443/v1"
        ));
    }

    #[test]
    fn statuses_that_change_the_method_are_not_followed() {
        let base = url("https://api.chatcaptain.com");
        let next = url("https://api.chatcaptain.com/v1/elsewhere");
        for status in [301, 302, 303] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(!follows(&base, status, &next, 1), "{status}");
        }
    }
}
