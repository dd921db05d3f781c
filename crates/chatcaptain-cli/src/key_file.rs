//! Reading an API key from a file, as ssh reads a private key: only when nobody else can read it.

use std::path::Path;

use crate::exit::Usage;

/// The key in `path`, surrounding whitespace removed.
///
/// The path is named in errors; the contents never are. A key file that cannot be read, is
/// empty or can be read by others is a mistake in the call, as a missing key is.
pub fn read(path: &Path) -> Result<String, Usage> {
    private(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        Usage(format!(
            "cannot read the API key file {}: {e}",
            path.display()
        ))
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(Usage(format!(
            "the API key file {} is empty",
            path.display()
        )));
    }
    Ok(key.to_owned())
}

/// Refuses a key file its group or others may read or write: a key others can read is a key
/// others have, and ssh's refusal is what people know to expect and how to fix.
#[cfg(unix)]
fn private(path: &Path) -> Result<(), Usage> {
    use std::os::unix::fs::PermissionsExt;

    // A file that cannot be looked at is reported by the read, with the same words as before.
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(());
    };
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        let path = path.display();
        return Err(Usage(format!(
            "permissions {mode:04o} for '{path}' are too open; run chmod 600 {path} (an API key \
             file must be private to its owner)"
        )));
    }
    Ok(())
}

/// Windows has no mode bits to check; its ACLs are the user profile's.
#[cfg(not(unix))]
fn private(_path: &Path) -> Result<(), Usage> {
    Ok(())
}
