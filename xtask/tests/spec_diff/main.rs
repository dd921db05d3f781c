//! `cargo xtask spec-diff`, driven as a user drives it, in one test binary (each binary links
//! progenitor again): the command, both levels, any valid pair, the corpus, pairs met in the
//! wild, and `--compare`.

#[path = "../common/mod.rs"]
mod common;

mod any_valid_pair;
mod both_levels;
mod command;
mod compare;
mod corpus;
mod removals_and_versions;
mod wild_pairs;

pub(crate) use command::{minimal_with_health, spec_diff, spec_diff_report};
