//! The generated client's integration tests over loopback HTTP, one module per concern, in one
//! test binary: each test binary links the whole dependency graph again. (`tls.rs` stays a binary
//! of its own: CI runs it alone with default features.)

mod hooks;
mod operations;

use chatcaptain_api::types::{ContactResponse, DeleteContactResponse, ErrorResponse};
use chatcaptain_api::{Client, Error, ResponseValue};

/// A chatbot id and a contact id of the API's shape (20 letters and digits).
const BOT: &str = "aBcDeFgHiJkLmNoPqRsT";
const ID: &str = "uVwXyZ0123456789AbCd";

/// Gets contact [`ID`] of chatbot [`BOT`].
async fn get_contact(
    client: &Client,
) -> Result<ResponseValue<ContactResponse>, Error<ErrorResponse>> {
    client
        .get_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
        .await
}

/// Deletes contact [`ID`] of chatbot [`BOT`].
async fn delete_contact(
    client: &Client,
) -> Result<ResponseValue<DeleteContactResponse>, Error<ErrorResponse>> {
    client
        .delete_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
        .await
}

/// The error response `err` carries; any other error fails the test, naming it.
fn expect_error_response(err: Error<ErrorResponse>) -> ResponseValue<ErrorResponse> {
    match err {
        Error::ErrorResponse(response) => response,
        other => panic!("expected an ErrorResponse, got {other:?}"),
    }
}
