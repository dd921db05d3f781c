//! The running server: its shared state, and the handle tests hold.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::middleware;
use chatcaptain_api::types::{Contact, Organization};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::Keys;
use crate::builder::FakeServerBuilder;
use crate::faults::{Fault, Installed};
use crate::limit::Limiter;
use crate::shape::ListShape;
use crate::state::Store;
use crate::{RecordedRequest, Route, gate, handlers};

/// Everything the handlers share.
pub(crate) struct Shared {
    // The data sits behind one RwLock so lists and gets run side by side; the request log has its own
    // small lock so recording a request never waits behind a long search.
    store: RwLock<Store>,
    log: Mutex<Log>,
    /// Woken at every request recorded, for [`FakeServer::wait_for_requests`].
    arrived: tokio::sync::Notify,
    pub(crate) keys: Keys,
    pub(crate) list_shape: ListShape,
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
        list_shape: ListShape,
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

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// A running fake of the ChatCaptain contacts API. Stops when dropped.
///
/// The server runs on the Tokio runtime that started it; keep that runtime alive while using it.
pub struct FakeServer {
    addr: SocketAddr,
    api_key: String,
    chatbot: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// A builder for seed data, keys and faults.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder::default()
    }

    /// Starts an empty fake with the default key on a random 127.0.0.1 port.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start() -> FakeServer {
        Self::builder().start().await
    }

    pub(crate) async fn serve(
        addr: SocketAddr,
        api_key: String,
        chatbot: String,
        shared: Shared,
    ) -> Result<FakeServer, StartError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let shared = Arc::new(shared);
        let app = handlers::router(Arc::clone(&shared)).layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            gate::gate,
        ));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "fake server stopped");
            }
        });
        Ok(FakeServer {
            addr,
            api_key,
            chatbot,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The key with every permission.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The chatbot the main key belongs to (see `FakeServerBuilder::chatbot`); requests for any
    /// other chatbot id are answered 403.
    pub fn chatbot(&self) -> &str {
        &self.chatbot
    }

    /// Every request received so far, in arrival order, the API key redacted.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log().requests.clone()
    }

    /// Waits until at least `n` requests have arrived (counted since the last
    /// [`clear_requests`](Self::clear_requests)), and returns every request so far: for a test of
    /// work a client does in the background (a prefetch), without sleeping.
    pub async fn wait_for_requests(&self, n: usize) -> Vec<RecordedRequest> {
        loop {
            // Registered before looking, so a request arriving in between still wakes it.
            let arrived = self.shared.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let requests = self.requests();
            if requests.len() >= n {
                return requests;
            }
            arrived.await;
        }
    }

    /// How many requests addressed `route` ([`Route::Any`]: all requests).
    pub fn request_count(&self, route: Route) -> usize {
        self.shared
            .log()
            .requests
            .iter()
            .filter(|r| route.covers(r.route))
            .count()
    }

    /// Forgets the recorded requests (fault counts go on).
    pub fn clear_requests(&self) {
        self.shared.log().requests.clear();
    }

    /// Installs another fault; it counts requests from now on.
    pub fn add_fault(&self, fault: Fault) {
        self.shared.log().faults.push(Installed::new(fault));
    }

    /// How many requests the rate limit (`FakeServerBuilder::rate_limit`) answered with 429.
    pub fn rate_limited_count(&self) -> u64 {
        self.shared.limiter.as_ref().map_or(0, Limiter::refused)
    }

    /// How many requests arrived while a `Retry-After` the rate limit gave was still running
    /// (not counting those arriving within 10 ms of the 429: they were already on their way).
    /// A polite client keeps this at 0.
    pub fn early_request_count(&self) -> u64 {
        self.shared.limiter.as_ref().map_or(0, Limiter::early)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.log().faults.clear();
    }

    /// A stored contact, to check what a client's requests did.
    pub fn contact(&self, chatbot: &str, id: &str) -> Option<Contact> {
        self.shared.store().get(chatbot, id).cloned()
    }

    /// How many contacts a chatbot has.
    pub fn contact_count(&self, chatbot: &str) -> usize {
        self.shared.store().count::<Contact>(chatbot)
    }

    /// Stores a contact as given (replacing one with the same id) while the server runs.
    pub fn insert_contact(&self, chatbot: &str, contact: Contact) {
        self.shared.store_mut().put(chatbot, contact);
    }

    /// An organization of a chatbot, to check what a client's requests did.
    pub fn organization(&self, chatbot: &str, id: &str) -> Option<Organization> {
        let store = self.shared.store();
        store.records::<Organization>(chatbot)?.get(id).cloned()
    }

    /// How many organizations a chatbot has.
    pub fn organization_count(&self, chatbot: &str) -> usize {
        self.shared.store().count::<Organization>(chatbot)
    }

    /// Stops accepting requests and waits until the open connections have finished.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until the process is interrupted (Ctrl-C); for the binary.
    pub async fn run_until_ctrl_c(self) -> std::io::Result<()> {
        tokio::signal::ctrl_c().await?;
        self.shutdown().await;
        Ok(())
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
