//! One module per subcommand (`contacts ...` and `doctor`), each with one `run` function.

pub mod create;
pub mod delete;
pub mod doctor;
pub mod get;
pub mod import;
pub mod list;
pub mod organizations;
pub mod search;
pub mod update;

mod stream;
