//! Page fetches run as tasks of their own on the caller's tokio runtime.
//!
//! A fetch that is only a future inside the listing's stream makes progress only while the
//! stream is polled: while the caller works on an earlier page, an answer that has arrived is
//! neither read nor decoded, and every page is decoded on the one thread that polls the stream.
//! As a task it is read and decoded as soon as it arrives, on any of the runtime's threads.

use futures::future::{BoxFuture, FutureExt};
use tokio::task::JoinHandle;

use crate::Error;

/// A fetch running as a task; dropping it aborts the task, so a dropped stream leaves no request
/// behind.
pub(super) struct Spawned<R>(JoinHandle<Result<R, Error>>);

impl<R: Send + 'static> Spawned<R> {
    /// Spawns `fetch` on the current tokio runtime; `None` outside one (another executor), where
    /// the caller runs the fetch in place instead.
    pub(super) fn start(fetch: BoxFuture<'static, Result<R, Error>>) -> Option<Self> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        Some(Spawned(runtime.spawn(fetch)))
    }

    /// The fetch's result; `None` if the runtime cancelled the task while shutting down.
    pub(super) async fn finish(mut self) -> Option<Result<R, Error>> {
        match (&mut self.0).await {
            Ok(result) => Some(result),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => None,
        }
    }
}

impl<R> Drop for Spawned<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `fetch` as a task of its own when there is a tokio runtime, else `fetch` itself; `again` is
/// the same request, sent in place if the runtime cancels the task.
pub(super) fn in_task<R: Send + 'static>(
    fetch: BoxFuture<'static, Result<R, Error>>,
    again: BoxFuture<'static, Result<R, Error>>,
) -> BoxFuture<'static, Result<R, Error>> {
    match Spawned::start(fetch) {
        Some(task) => async move {
            match task.finish().await {
                Some(result) => result,
                None => again.await,
            }
        }
        .boxed(),
        None => again,
    }
}
