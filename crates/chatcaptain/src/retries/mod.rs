//! Retries: when a failed request is worth another try (`classify`), how long to wait before it
//! (`policy`), the quota every retry draws from (`quota`), and the mode both clients share
//! (`mode`).
//!
//! Modelled on aws-sdk-rust's standard retry mode: a budget of attempts (default 3), exponential
//! backoff with full jitter (a random wait between zero and `min(cap, base * 2^retry)`), and a
//! server's `Retry-After` (seconds or an HTTP date) taking the place of the jitter when present.
//!
//! # What is retried
//!
//! - Statuses 429, 500, 502, 503 and 504, and connections that could not be opened: for every
//!   operation. A 429 and a failed connect mean the request was not processed.
//! - Timeouts, connections reset mid-answer, and answers cut short or undecodable: only for
//!   idempotent operations, because the server may have acted on the request already.
//!
//! # Which operations are idempotent
//!
//! The generated operation table says ([`Operation::idempotent`](crate::Operation::idempotent)): from the method (RFC 9110: the
//! `GET`s and `DELETE`, as deleting twice leaves the same state), unless the spec says otherwise
//! with `x-idempotent`, as for `updateContact`, whose `PATCH` merges the fields sent, so the same
//! merge twice leaves the same contact. The `POST`s (`createContact`, `createOrganization`) are
//! not: a repeat after the server processed the first try creates a second one. They are
//! retried only for 429 and failed connects, unless the client was built with
//! [`ClientBuilder::retry_non_idempotent`](crate::ClientBuilder::retry_non_idempotent).

mod classify;
mod mode;
mod policy;
mod quota;

pub(crate) use classify::{Reason, retry_after, too_large};
pub use mode::RetryMode;
pub(crate) use policy::RetryPolicy;
pub(crate) use quota::{DEFAULT_RETRY_QUOTA, Quota};
