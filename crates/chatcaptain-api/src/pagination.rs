//! How a paginated operation pages. Hand-written: the styles are the generator's, not the
//! spec's (it reads an operation's `x-pagination` style as one of these), and the generated
//! `operations` table re-exports it.

/// How a paginated operation pages (its `x-pagination` style).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pagination {
    /// A date-time cursor (`style: cursor`).
    Cursor,
    /// Page numbers (`style: page-number`).
    PageNumber,
}
