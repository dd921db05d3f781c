//! Exclusive locks on the files a run owns (an import's journal, a sync's checkpoint).
//!
//! Two runs on one journal create records twice; two syncs on one checkpoint undo each other's
//! progress. So the second run fails at once, with a clear error (exit 2), instead of waiting
//! behind the first (a cron job would pile up) or going ahead.
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix, `LockFileEx` on
//! Windows), held by an open file: it goes away with the process however the process ends, so a
//! crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::exit::Usage;

/// A lock held until dropped.
#[derive(Debug)]
pub struct Held {
    // Closing the file releases the lock.
    _file: File,
}

/// Takes the exclusive lock on `path` (created if missing), for the `what` it guards; fails at
/// once with "in use by another run" when another process holds it.
pub fn exclusive(path: &Path, what: &str) -> anyhow::Result<Held> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| {
            Usage(format!(
                "cannot open {} to lock {what}: {e}",
                path.display()
            ))
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Held { _file: file }),
        Err(TryLockError::WouldBlock) => Err(Usage(format!(
            "{what} is in use by another run (it holds the lock on {}); wait for that run to end",
            path.display()
        ))
        .into()),
        Err(TryLockError::Error(e)) => {
            Err(Usage(format!("cannot lock {} ({what}): {e}", path.display())).into())
        }
    }
}

/// The lock file beside `file`, for a file that is replaced by renaming (a lock on the file
/// itself would stay with the replaced copy): `FILE.lock`.
pub fn beside(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}
