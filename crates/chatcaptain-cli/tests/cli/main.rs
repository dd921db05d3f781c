//! The `chatcaptain` binary run as a user would, against the fake server over loopback.

mod api;
mod auth;
mod ca_file;
mod commands;
mod common;
mod configure;
mod doctor;
mod errors;
mod export;
mod fields;
mod formats;
mod hits;
mod hostile;
mod import;
mod organizations;
mod pacing;
mod profiles;
mod stopping;
mod sync;
mod sync_stopped;
mod usage;
