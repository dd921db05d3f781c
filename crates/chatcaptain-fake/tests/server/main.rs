//! The fake server's tests over loopback HTTP, one module per concern, in one test binary: each
//! test binary links the whole dependency graph again, and one is much cheaper to build than eight.

mod common;

mod auth;
mod contacts;
mod every_operation;
mod faults;
mod list;
mod organizations;
mod own_runtime;
mod recording;
mod routing;
mod search;
mod validation;
