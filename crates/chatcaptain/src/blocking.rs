//! A blocking client for programs without async: the same handle and builders, returning iterators.
//!
//! Like reqwest's blocking client, it runs a tokio runtime on a thread of its own and hands each
//! call to it, so it can be created, used and dropped anywhere, inside an async runtime too
//! (where it blocks that runtime's thread while a call runs, as any blocking call does). The
//! thread ends when the last clone of the client, and of every handle, listing and iterator
//! made from it, is dropped. [`Client::builder`] takes the same options as the async
//! [`crate::ClientBuilder`].
//!
//! ```no_run
//! use chatcaptain::blocking::Client;
//!
//! fn main() -> Result<(), chatcaptain::Error> {
//!     let client = Client::builder().api_key("my-key").max_attempts(5).build()?;
//!     for contact in client.contacts("aBcDeFgHiJkLmNoPqRsT").list().page_size(200).items() {
//!         println!("{}", contact?.id);
//!     }
//!     Ok(())
//! }
//! ```

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};

use chrono::{DateTime, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};

pub use crate::generated::blocking_listings::*;
pub use raw::RawRequest;

mod raw;
use crate::paging::{CursorOperation, Dated, Excluding, PageOperation};
use crate::{
    Checkpoint, Contact, ContactUpdate, Cursor, Error, NewContact, Organization, Page,
    PagePosition, ParallelCursor,
};

/// A blocking ChatCaptain client; cheap to clone, clones share the runtime thread and connection pool.
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<Runtime>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.inner)
            .finish()
    }
}

impl Client {
    /// A client for the production API with this key.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::from_async(crate::Client::new(api_key)?)
    }

    /// A client configured from `CHATCAPTAIN_API_KEY` and, if set, `CHATCAPTAIN_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        Client::from_async(crate::Client::from_env()?)
    }

    /// Starts configuring a client, with the options of [`crate::Client::builder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Wraps an async client (built with [`crate::Client::builder`]) for blocking use.
    pub fn from_async(inner: crate::Client) -> Result<Client, Error> {
        Ok(Client {
            inner,
            runtime: Arc::new(Runtime::start()?),
        })
    }

    /// This client with `options` overriding its settings for the calls made through the copy
    /// (see [`crate::Client::with`]); it shares this one's runtime thread.
    pub fn with(&self, options: crate::CallOptions) -> Client {
        Client {
            inner: self.inner.with(options),
            runtime: self.runtime.clone(),
        }
    }

    /// The contacts of one chatbot.
    pub fn contacts(&self, chatbot_id: impl Into<String>) -> Contacts {
        Contacts {
            inner: self.inner.contacts(chatbot_id),
            runtime: self.runtime.clone(),
        }
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs one call of the async client on this client's runtime thread and waits for it.
    pub(crate) fn call<T, F>(&self, call: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        self.runtime.call(call)
    }

    /// An async listing, driven on this client's runtime thread.
    pub(crate) fn cursor_listing<O: CursorOperation>(
        &self,
        inner: crate::paging::CursorListing<O>,
    ) -> CursorListing<O> {
        CursorListing {
            inner,
            runtime: self.runtime.clone(),
        }
    }

    /// An async listing, driven on this client's runtime thread.
    pub(crate) fn page_listing<O: PageOperation>(
        &self,
        inner: crate::paging::PageListing<O>,
    ) -> PageListing<O> {
        PageListing {
            inner,
            runtime: self.runtime.clone(),
        }
    }
}

/// Configures a blocking [`Client`]: it is the async [`crate::ClientBuilder`], every option
/// included, whose `build` starts the blocking client. (A `reqwest::Client` given to
/// `http_client` keeps its connections on the blocking client's runtime thread.)
pub type ClientBuilder = crate::ClientBuilder<Client>;

impl crate::ClientBuilder<Client> {
    /// Builds the client and starts its runtime thread; fails as [`crate::ClientBuilder::build`] does.
    pub fn build(self) -> Result<Client, Error> {
        Client::from_async(self.build_async()?)
    }
}

/// A blocking handle on the contacts of one chatbot.
#[derive(Clone, Debug)]
pub struct Contacts {
    inner: crate::Contacts,
    runtime: Arc<Runtime>,
}

impl Contacts {
    /// This handle with `options` overriding the client's settings for its calls and listings.
    pub fn with(&self, options: crate::CallOptions) -> Contacts {
        Contacts {
            inner: self.inner.with(options),
            runtime: self.runtime.clone(),
        }
    }

    /// Creates a contact and returns it as stored.
    pub fn create(&self, contact: NewContact) -> Result<Contact, Error> {
        let inner = self.inner.clone();
        self.runtime
            .call(async move { inner.create(contact).await })
    }

    /// Fetches one contact.
    pub fn get(&self, id: &str) -> Result<Contact, Error> {
        let (inner, id) = (self.inner.clone(), id.to_owned());
        self.runtime.call(async move { inner.get(&id).await })
    }

    /// Changes the given fields of a contact and returns it as stored; see
    /// [`crate::Contacts::update`] for how variables set one at a time are merged.
    pub fn update(&self, id: &str, update: ContactUpdate) -> Result<Contact, Error> {
        let (inner, id) = (self.inner.clone(), id.to_owned());
        self.runtime
            .call(async move { inner.update(&id, update).await })
    }

    /// Deletes a contact; `Ok(false)` when the server says it deleted nothing.
    pub fn delete(&self, id: &str) -> Result<bool, Error> {
        let (inner, id) = (self.inner.clone(), id.to_owned());
        self.runtime.call(async move { inner.delete(&id).await })
    }

    /// The organizations a contact belongs to.
    pub fn organizations(&self, id: &str) -> Result<Vec<Organization>, Error> {
        let (inner, id) = (self.inner.clone(), id.to_owned());
        self.runtime
            .call(async move { inner.organizations(&id).await })
    }

    /// All contacts, newest first.
    pub fn list(&self) -> ListContacts {
        CursorListing {
            inner: self.inner.list(),
            runtime: self.runtime.clone(),
        }
    }

    /// The contacts matching a full-text query.
    pub fn search(&self, query: impl Into<String>) -> SearchContacts {
        PageListing {
            inner: self.inner.search(query),
            runtime: self.runtime.clone(),
        }
    }
}

/// An iterator over a listing, whose stream is driven on the client's runtime thread.
///
/// Fused: after the listing ends or fails, `next()` keeps returning `None`.
pub struct Iter<T> {
    /// `None` once the listing has ended or failed; dropping the stream cancels a prefetch.
    stream: Option<BoxStream<'static, Result<T, Error>>>,
    runtime: Arc<Runtime>,
}

impl<T: Send + 'static> Iterator for Iter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        // The stream goes to the runtime thread for one item and comes back with it: between
        // items it holds no request in flight (a prefetch runs as a task of that runtime).
        let (item, stream) = match self.runtime.run(async move {
            let item = stream.next().await;
            (item, stream)
        }) {
            Ok(answer) => answer,
            Err(gone) => return Some(Err(gone)),
        };
        // An item that did not decode is the one error a listing goes on after (as the async
        // stream does); any other error, or the end, ends the iterator.
        if matches!(item, Some(Ok(_) | Err(Error::InvalidItem { .. }))) {
            self.stream = Some(stream);
        }
        item
    }
}

impl<T: Send + 'static> std::iter::FusedIterator for Iter<T> {}

impl<T> std::fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("blocking::Iter")
    }
}

macro_rules! blocking_listing {
    ($name:ident, $bound:ident, $what:literal) => {
        #[doc = concat!("Blocking ", $what, ": build it, then take `.items()`, `.pages()` or `.collect_all()`.")]
        #[derive(Clone, Debug)]
        #[must_use = "a listing does nothing until its items or pages are consumed"]
        pub struct $name<O> {
            inner: crate::paging::$name<O>,
            runtime: Arc<Runtime>,
        }

        impl<O: $bound> $name<O> {
            /// Items per request.
            pub fn page_size(self, size: u32) -> Self {
                self.map(|l| l.page_size(size))
            }

            /// Stops after this many items, whatever the page size.
            pub fn max_items(self, max: usize) -> Self {
                self.map(|l| l.max_items(max))
            }

            /// Fetches the next page while this one is consumed (at most one request ahead).
            pub fn prefetch(self, prefetch: bool) -> Self {
                self.map(|l| l.prefetch(prefetch))
            }

            /// The items, one at a time.
            pub fn items(self) -> Iter<O::Item> {
                Iter {
                    stream: Some(self.inner.items().boxed()),
                    runtime: self.runtime,
                }
            }

            /// The items, a page at a time, each page telling where to resume after it.
            pub fn pages(self) -> Iter<Page<O::Item>> {
                Iter {
                    stream: Some(self.inner.pages().boxed()),
                    runtime: self.runtime,
                }
            }

            /// All the items (up to `max_items`) in one vector.
            pub fn collect_all(self) -> Result<Vec<O::Item>, Error> {
                let inner = self.inner;
                self.runtime.call(async move { inner.collect_all().await })
            }

            /// The same listing changed by `f` (the generated setters of optional parameters too).
            pub(crate) fn map(self, f: impl FnOnce(crate::paging::$name<O>) -> crate::paging::$name<O>) -> Self {
                $name {
                    inner: f(self.inner),
                    runtime: self.runtime,
                }
            }
        }
    };
}

blocking_listing!(
    CursorListing,
    CursorOperation,
    "listing by date-time cursor"
);
blocking_listing!(PageListing, PageOperation, "listing by page number");

impl<O: CursorOperation> CursorListing<O> {
    /// Starts with the items created strictly before `instant`.
    pub fn starting_before(self, instant: DateTime<Utc>) -> Self {
        self.map(|l| l.starting_before(instant))
    }

    /// Resumes where a [`Page`] said the listing goes on.
    pub fn resume(self, cursor: Cursor) -> Self {
        self.map(|l| l.resume(cursor))
    }

    /// Pages several time ranges at once; see [`crate::ListContacts::parallel`].
    pub fn parallel(self, ranges: usize) -> Self {
        self.map(|l| l.parallel(ranges))
    }

    /// Resumes a parallel listing; see [`crate::ListContacts::resume_parallel`].
    pub fn resume_parallel(self, at: ParallelCursor) -> Self {
        self.map(|l| l.resume_parallel(at))
    }

    /// Only the items created since `checkpoint`; see [`crate::ListContacts::since`].
    pub fn since(self, checkpoint: Checkpoint) -> Self {
        self.map(|l| l.since(checkpoint))
    }

    /// An incremental sync run, the async one ([`crate::ListContacts::sync`]) driven on the
    /// client's runtime thread: the items, then the checkpoint to save.
    pub fn sync(self) -> SyncContacts<O::Item> {
        SyncContacts {
            run: Some(self.inner.sync()),
            ended: false,
            runtime: self.runtime,
        }
    }
}

/// A blocking sync run: an iterator over the items created since the checkpoint, and the
/// checkpoint to save once it is through ([`SyncContacts::checkpoint`]).
///
/// Fused: after the run ends or fails, `next()` keeps returning `None`.
#[must_use = "a sync run does nothing until its items are consumed"]
pub struct SyncContacts<T = Contact> {
    /// The async run; `None` only once the runtime thread is gone with it.
    run: Option<crate::SyncContacts<T>>,
    ended: bool,
    runtime: Arc<Runtime>,
}

impl<T> SyncContacts<T> {
    /// The checkpoint to save, as [`crate::SyncContacts::checkpoint`] says: `Some` once the run
    /// has yielded its last item without an error that ended it.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        self.run.as_ref()?.checkpoint()
    }

    /// The checkpoint for exactly what this run has yielded so far, as
    /// [`crate::SyncContacts::progress`] says: save it when the run stops early or fails, and
    /// the next run repeats nothing and misses nothing. `None` only when the client's runtime
    /// thread is gone, and the run with it.
    pub fn progress(&self) -> Option<Checkpoint> {
        Some(self.run.as_ref()?.progress())
    }
}

impl<T: Dated> Iterator for SyncContacts<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        let mut run = self.run.take()?;
        // The run comes back with its item, so its checkpoint stays readable here.
        match self.runtime.run(async move {
            let item = run.next().await;
            (item, run)
        }) {
            Ok((item, run)) => {
                self.run = Some(run);
                self.ended = !matches!(item, Some(Ok(_) | Err(Error::InvalidItem { .. })));
                item
            }
            Err(gone) => {
                self.ended = true;
                Some(Err(gone))
            }
        }
    }
}

impl<T: Dated> std::iter::FusedIterator for SyncContacts<T> {}

impl<T> std::fmt::Debug for SyncContacts<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("blocking::SyncContacts")
    }
}

impl<O: PageOperation> PageListing<O> {
    /// Starts at page `page` (the first page is 1).
    pub fn start_page(self, page: u32) -> Self {
        self.map(|s| s.start_page(page))
    }

    /// Resumes where a [`Page`] said the search goes on.
    pub fn resume(self, position: PagePosition) -> Self {
        self.map(|s| s.resume(position))
    }
}

impl<O: Excluding> PageListing<O> {
    /// Leaves these ids out of the results (`hiddenHits` for the contact search).
    pub fn exclude<I, S>(self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.map(|s| s.exclude(ids))
    }
}

type Job = BoxFuture<'static, ()>;

/// The thread that runs every call of a client and its clones, and the way to hand it work.
///
/// A tokio runtime cannot be entered from inside another, nor dropped inside one; a runtime
/// that lives on its own thread is never either: callers only send it jobs over a channel and
/// wait on a plain channel for the answer.
struct Runtime {
    jobs: Option<tokio::sync::mpsc::UnboundedSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("blocking::Runtime")
    }
}

impl Runtime {
    fn start() -> Result<Runtime, Error> {
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
    fn call<T, F>(&self, call: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        self.run(call)?
    }

    /// Runs `future` on the runtime thread and waits for its output. A panic in it resumes on
    /// the caller's thread, as if the future had run there.
    fn run<F>(&self, future: F) -> Result<F::Output, Error>
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Tells a channel when it is dropped.
    struct Alarm(mpsc::Sender<()>);

    impl Drop for Alarm {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }

    #[test]
    fn dropping_the_last_clone_ends_the_runtime_thread() {
        let async_client = crate::Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let client = Client::from_async(async_client).unwrap();
        let (tell, rang) = mpsc::channel();
        let alarm = Alarm(tell);
        // A task that lives as long as the runtime: dropped only when the runtime is.
        let job = async move {
            let _alarm = alarm;
            std::future::pending::<()>().await;
        };
        client
            .runtime
            .jobs
            .as_ref()
            .unwrap()
            .send(job.boxed())
            .unwrap();
        let clone = client.clone();
        let contacts = client.contacts("bot");
        drop(client);
        drop(clone);
        assert!(rang.try_recv().is_err(), "a handle still holds the runtime");
        drop(contacts);
        // No wait: dropping the last handle joined the thread, whose runtime dropped the task.
        rang.try_recv()
            .expect("the runtime ended with the last handle");
    }
}
