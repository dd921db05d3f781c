//! The generated client's integration tests over loopback HTTP, one module per concern, in one
//! test binary: each test binary links the whole dependency graph again. (`tls.rs` stays a binary
//! of its own: CI runs it alone with default features.)

mod hooks;
mod operations;

use chatcaptain_api::types::ErrorResponse;
use chatcaptain_api::{Error, ResponseValue};

/// The error response `err` carries; any other error fails the test, naming it.
fn expect_error_response(err: Error<ErrorResponse>) -> ResponseValue<ErrorResponse> {
    match err {
        Error::ErrorResponse(response) => response,
        other => panic!("expected an ErrorResponse, got {other:?}"),
    }
}
