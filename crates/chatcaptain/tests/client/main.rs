//! The client's integration tests over loopback HTTP, one module per concern, in one test binary:
//! each test binary links the whole dependency graph again, and one is much cheaper to build
//! than fourteen. (`from_env.rs` stays a binary of its own: it sets the process's environment.)

mod common;

#[cfg(feature = "blocking")]
mod blocking;
mod budget;
mod errors;
mod every_operation;
mod fake;
mod faults;
mod hooks;
mod list_shapes;
mod operations;
mod organizations;
mod pacing;
mod pagination;
mod parallel;
mod private_ca;
mod raw;
mod redirects;
mod request_ids;
mod retries;
mod search_shapes;
mod security;
mod stack;
mod sync;
mod sync_stopped;
mod user_program;
