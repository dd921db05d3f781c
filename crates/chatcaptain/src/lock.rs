//! Locking the small shared numbers (paces, holds, the retry quota) without giving up on a
//! poisoned lock.

use std::sync::{Mutex, MutexGuard};

/// A poisoned lock only means a panic elsewhere; the numbers inside are still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
