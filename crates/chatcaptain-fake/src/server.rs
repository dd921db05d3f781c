//! The running server: the handle tests hold.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::middleware;
use chatcaptain_api::types::{Contact, Organization};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::faults::{Fault, Installed};
use crate::limit::Limiter;
use crate::shared::Shared;
use crate::{RecordedRequest, Route, gate, handlers};

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
/// The server runs on the Tokio runtime that started it; keep that runtime alive while using it,
/// or start it with [`start_blocking`](crate::FakeServerBuilder::start_blocking) on a runtime of
/// its own.
pub struct FakeServer {
    addr: SocketAddr,
    api_key: String,
    chatbot: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// Holds the thread of the runtime of its own that
    /// [`start_blocking`](crate::FakeServerBuilder::start_blocking) started it on: dropped with
    /// the server, it lets that thread end and drop the runtime there.
    host: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
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
            host: None,
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

    /// This server, holding the thread of the runtime it runs on until it is dropped.
    pub(crate) fn hosted(mut self, host: oneshot::Sender<()>) -> FakeServer {
        self.host = Some(host);
        self
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
