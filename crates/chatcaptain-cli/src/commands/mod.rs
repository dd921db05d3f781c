//! One module per subcommand (`contacts ...`, `configure` and `doctor`), each with one `run`
//! function.

pub mod api;
pub mod configure;
pub mod create;
pub mod create_from_spec;
pub mod delete;
pub mod doctor;
pub mod get;
pub mod import;
pub mod list;
pub mod organizations;
pub mod search;
pub mod update;

mod checkpoint_file;
mod stream;
