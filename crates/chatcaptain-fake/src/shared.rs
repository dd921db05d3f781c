//! The app state: what every handler and the gate share, and the server's handle reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::RecordedRequest;
use crate::auth::Keys;
use crate::faults::{Fault, Installed};
use crate::limit::Limiter;
use crate::shape::{ListShape, SearchShape};
use crate::state::Store;

/// Everything the handlers share.
pub(crate) struct Shared {
    // The data sits behind one RwLock so lists and gets run side by side; the request log has its own
    // small lock so recording a request never waits behind a long search.
    store: RwLock<Store>,
    log: Mutex<Log>,
    /// Woken at every request recorded, for [`FakeServer::wait_for_requests`](crate::FakeServer::wait_for_requests).
    pub(crate) arrived: tokio::sync::Notify,
    pub(crate) keys: Keys,
    pub(crate) list_shape: ListShape,
    pub(crate) search_shape: SearchShape,
    pub(crate) limiter: Option<Limiter>,
    /// How many answers have been given an `x-request-id`.
    answered: AtomicU64,
}

/// Requests received and the faults counting them.
pub(crate) struct Log {
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) faults: Vec<Installed>,
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        keys: Keys,
        faults: Vec<Fault>,
        (list_shape, search_shape): (ListShape, SearchShape),
        limiter: Option<Limiter>,
    ) -> Self {
        Shared {
            store: RwLock::new(store),
            log: Mutex::new(Log {
                requests: Vec::new(),
                faults: faults.into_iter().map(Installed::new).collect(),
            }),
            arrived: tokio::sync::Notify::new(),
            keys,
            list_shape,
            search_shape,
            limiter,
            answered: AtomicU64::new(0),
        }
    }

    /// Records a request as it arrives.
    pub(crate) fn record(&self, request: RecordedRequest) {
        self.log().requests.push(request);
        self.arrived.notify_waiters();
    }

    /// A new request id: `fake-` and a number counting from 1, unique within this server.
    pub(crate) fn next_request_id(&self) -> String {
        format!(
            "fake-{:06}",
            self.answered.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    // A handler that panicked cannot leave the data half-changed (every change is one call), so a
    // poisoned lock is still safe to use.
    pub(crate) fn store(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn store_mut(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }
}
