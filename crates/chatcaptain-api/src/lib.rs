//! Generated client for the ChatCaptain contacts API.
//!
//! Everything here comes from `spec/chatcaptain.yaml` through `cargo xtask codegen`
//! (progenitor, builder style). Do not edit `generated.rs` by hand: change the spec and
//! regenerate. Most users want the ergonomic `chatcaptain` crate instead; this one is the
//! complete, typed surface underneath it.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chatcaptain_api::Client;
//!
//! let hooks = chatcaptain_api::Hooks::new()
//!     .header("x-chatcaptain-key", reqwest::header::HeaderValue::from_static("my-key"));
//! let client = Client::new("https://api.chatcaptain.com", hooks);
//! let page = client
//!     .list_contacts()
//!     .chatbot_id("aBcDeFgHiJkLmNoPqRsT")
//!     .limit(std::num::NonZeroU32::new(50).unwrap())
//!     .send()
//!     .await?;
//! println!("{} contacts", page.contacts.len());
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

// progenitor sorts responses by status value, so the `4XX` arm (400) lands before the
// documented `403` arm; both decode the same `ErrorResponse`, so nothing is lost.
#[allow(unreachable_patterns)]
#[rustfmt::skip]
mod generated;
pub mod hooks;
mod operation_lookup;
mod pagination;
pub mod tls;

pub use generated::*;
pub use hooks::Hooks;
/// The hook points every request passes, for sending a request outside the generated operations
/// the same way (the `chatcaptain` crate's `Client::raw`).
pub use progenitor_client::{ClientHooks, OperationInfo};
