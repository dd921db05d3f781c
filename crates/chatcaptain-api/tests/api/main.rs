//! The generated client's integration tests over loopback HTTP, one module per concern, in one
//! test binary: each test binary links the whole dependency graph again. (`tls.rs` stays a binary
//! of its own: CI runs it alone with default features.)

mod hooks;
mod operations;
