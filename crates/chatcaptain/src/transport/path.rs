//! The ids that go into a request's path.

use crate::Error;

/// An id that goes into the path as one segment. The generated client percent-encodes `/`, `?`,
/// `%` and spaces, so any other id stays one segment; but an empty id would turn
/// `/contacts/{id}` into `/contacts/`, and `.` or `..` are dot segments that URL
/// parsing resolves, turning the request into another operation.
pub(crate) fn path_segment<'a>(what: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        Err(Error::InvalidArgument(format!("the {what} is empty")))
    } else if value == "." || value == ".." {
        Err(Error::InvalidArgument(format!(
            "the {what} {value:?} would be read as a path step, not an id"
        )))
    } else {
        Ok(value)
    }
}
