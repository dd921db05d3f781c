//! The thread a blocking client's calls run on.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::Error;

type Job = BoxFuture<'static, ()>;

/// The thread that runs every call of a client and its clones, and the way to hand it work.
///
/// A tokio runtime cannot be entered from inside another, nor dropped inside one; a runtime
/// that lives on its own thread is never either: callers only send it jobs over a channel and
/// wait on a plain channel for the answer.
pub(super) struct Runtime {
    pub(super) jobs: Option<tokio::sync::mpsc::UnboundedSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("blocking::Runtime")
    }
}

impl Runtime {
    pub(super) fn start() -> Result<Runtime, Error> {
        let (jobs, mut incoming) = tokio::sync::mpsc::unbounded_channel::<Job>();
        let (started, outcome) = mpsc::sync_channel(1);
        let thread = thread::Builder::new()
            .name("chatcaptain-blocking".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = started.send(Err(e));
                        return;
                    }
                };
                let _ = started.send(Ok(()));
                // Each job is a task, so a prefetched page progresses while the caller is busy
                // with the items it already has. The loop ends when the last sender is dropped;
                // the runtime goes with it, cancelling what is left (a prefetch nobody reads).
                runtime.block_on(async move {
                    while let Some(job) = incoming.recv().await {
                        tokio::spawn(job);
                    }
                });
            })
            .map_err(|e| {
                Error::Config(format!("could not start the blocking client's thread: {e}"))
            })?;
        match outcome.recv() {
            Ok(Ok(())) => Ok(Runtime {
                jobs: Some(jobs),
                thread: Some(thread),
            }),
            Ok(Err(e)) => Err(Error::Config(format!(
                "could not start the blocking runtime: {e}"
            ))),
            Err(_) => Err(Error::Config(
                "the blocking client's thread ended while starting".into(),
            )),
        }
    }

    /// Runs a call on the runtime thread and waits for its result.
    pub(super) fn call<T, F>(&self, call: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        self.run(call)?
    }

    /// Runs `future` on the runtime thread and waits for its output. A panic in it resumes on
    /// the caller's thread, as if the future had run there.
    pub(super) fn run<F>(&self, future: F) -> Result<F::Output, Error>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (answer, answered) = mpsc::sync_channel(1);
        let job = async move {
            let output = AssertUnwindSafe(future).catch_unwind().await;
            let _ = answer.send(output);
        }
        .boxed();
        let gone = || Error::Config("the blocking client's runtime thread has stopped".into());
        self.jobs
            .as_ref()
            .ok_or_else(gone)?
            .send(job)
            .map_err(|_| gone())?;
        match answered.recv() {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(panicked)) => panic::resume_unwind(panicked),
            Err(_) => Err(gone()),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop; waiting for it means that once the last
        // clone is gone, so are the thread, its runtime and its connections.
        self.jobs.take();
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != thread::current().id()
        {
            let _ = thread.join();
        }
    }
}
