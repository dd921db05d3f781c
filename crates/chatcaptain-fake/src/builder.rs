//! Configuring a fake before it starts: keys, seed data, faults, address.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};

use chatcaptain_api::types::{Contact, Organization};
use chrono::{DateTime, TimeDelta, Utc};

use crate::auth::{DEFAULT_API_KEY, DEFAULT_CHATBOT, Grant, Keys, Permission};
use crate::faults::Fault;
use crate::server::{FakeServer, StartError};
use crate::shape::{ListShape, SearchShape};
use crate::shared::Shared;
use crate::state::{Spacing, Store, Stored};

/// The seed of generated data when none is given.
pub const DEFAULT_SEED: u64 = 0x00C4_A7CA_9741;

/// A change to the store before the server starts, in the order the builder's methods were called.
type SeedOp = Box<dyn FnOnce(&mut Store) + Send + Sync>;

/// Builds a [`FakeServer`]; every method consumes and returns the builder.
pub struct FakeServerBuilder {
    api_key: String,
    /// The main key's chatbot, when named ([`chatbot`](FakeServerBuilder::chatbot)).
    chatbot: Option<String>,
    /// The first chatbot given data: the main key's when none is named.
    first_seeded: Option<String>,
    revoked: HashSet<Permission>,
    /// Other keys: of the main key's chatbot (`None`) or of the one named, with their permissions.
    extra_keys: Vec<(String, Option<String>, HashSet<Permission>)>,
    seed: u64,
    data: Vec<SeedOp>,
    /// Organizations of contacts: after all contacts, so a contact seeded later still gets its
    /// `organizationIds`.
    memberships: Vec<SeedOp>,
    faults: Vec<Fault>,
    list_shape: ListShape,
    search_shape: SearchShape,
    rate_limit: Option<f64>,
    /// Whether the rate limit's bucket starts empty.
    exhausted: bool,
    addr: SocketAddr,
}

impl Default for FakeServerBuilder {
    fn default() -> Self {
        FakeServerBuilder {
            api_key: DEFAULT_API_KEY.to_owned(),
            chatbot: None,
            first_seeded: None,
            revoked: HashSet::new(),
            extra_keys: Vec::new(),
            seed: DEFAULT_SEED,
            data: Vec::new(),
            memberships: Vec::new(),
            faults: Vec::new(),
            list_shape: ListShape::default(),
            search_shape: SearchShape::default(),
            rate_limit: None,
            exhausted: false,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        }
    }
}

impl FakeServer {
    /// A builder for seed data, keys and faults.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder::default()
    }
}

impl FakeServerBuilder {
    /// The key with every permission (default [`DEFAULT_API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The chatbot the main key (and the keys of
    /// [`key_with_permissions`](Self::key_with_permissions)) belongs to: as in the API, a request for
    /// any other chatbot id is answered 403 "Insufficient permissions.". Default: the first chatbot
    /// the builder gives data to (`seed_contacts`, `contact`, ...), else [`DEFAULT_CHATBOT`].
    pub fn chatbot(mut self, chatbot: impl Into<String>) -> Self {
        self.chatbot = Some(chatbot.into());
        self
    }

    /// Another accepted key, with every permission, that belongs to `chatbot` (the API's keys
    /// each belong to one chatbot): to give tests data of two chatbots.
    pub fn key_for_chatbot(mut self, key: impl Into<String>, chatbot: impl Into<String>) -> Self {
        self.extra_keys.push((
            key.into(),
            Some(chatbot.into()),
            Permission::ALL.iter().copied().collect(),
        ));
        self
    }

    /// Takes `permission` away from the main key: its operations answer 403 "Insufficient permissions.".
    pub fn revoke(mut self, permission: Permission) -> Self {
        self.revoked.insert(permission);
        self
    }

    /// Another accepted key of the main key's chatbot, with only the given permissions.
    pub fn key_with_permissions(
        mut self,
        key: impl Into<String>,
        permissions: impl IntoIterator<Item = Permission>,
    ) -> Self {
        self.extra_keys
            .push((key.into(), None, permissions.into_iter().collect()));
        self
    }

    setters! {
        /// Seed of generated ids and names (default [`DEFAULT_SEED`]); the same seed gives the
        /// same data.
        seed(seed: u64);
    }

    /// Adds `n` generated contacts to `chatbot`, each with its own `created`, one second apart and newer
    /// than the chatbot's earlier generated ones, counting from 2025-01-01T00:00:00Z.
    pub fn seed_contacts(self, chatbot: impl Into<String>, n: u64) -> Self {
        self.generated::<Contact>(chatbot, n, Spacing::Every(TimeDelta::seconds(1)))
    }

    /// Adds `n` generated contacts to `chatbot` that all share `created` (ties for the list cursor).
    pub fn seed_contacts_at(
        self,
        chatbot: impl Into<String>,
        n: u64,
        created: DateTime<Utc>,
    ) -> Self {
        self.generated::<Contact>(chatbot, n, Spacing::At(created))
    }

    /// Like [`seed_contacts`](Self::seed_contacts), but `step` apart instead of a second: a
    /// millisecond step gives data of millisecond precision, some of it on whole seconds.
    pub fn seed_contacts_every(self, chatbot: impl Into<String>, n: u64, step: TimeDelta) -> Self {
        self.generated::<Contact>(chatbot, n, Spacing::Every(step))
    }

    /// Adds `n` generated organizations to `chatbot`, as [`seed_contacts`](Self::seed_contacts)
    /// adds contacts (one second apart, counting from 2025-01-01T00:00:00Z).
    pub fn seed_organizations(self, chatbot: impl Into<String>, n: u64) -> Self {
        self.generated::<Organization>(chatbot, n, Spacing::Every(TimeDelta::seconds(1)))
    }

    /// Adds `n` generated organizations to `chatbot` that all share `created`.
    pub fn seed_organizations_at(
        self,
        chatbot: impl Into<String>,
        n: u64,
        created: DateTime<Utc>,
    ) -> Self {
        self.generated::<Organization>(chatbot, n, Spacing::At(created))
    }

    fn generated<T: Stored>(
        mut self,
        chatbot: impl Into<String>,
        n: u64,
        spacing: Spacing,
    ) -> Self {
        let chatbot = self.seeded(chatbot.into());
        self.data
            .push(Box::new(move |store| store.seed::<T>(&chatbot, n, spacing)));
        self
    }

    /// Adds `contact` to `chatbot` exactly as given (replacing an earlier one with the same id).
    pub fn contact(mut self, chatbot: impl Into<String>, contact: Contact) -> Self {
        let chatbot = self.seeded(chatbot.into());
        self.data
            .push(Box::new(move |store| store.put(&chatbot, contact)));
        self
    }

    /// Adds a contact answered exactly as `raw` says, even where it breaks the spec (a field of
    /// another type, a `created` without a zone): an odd record, for testing that a client
    /// reports it and goes on. It is listed and found by its `id` and `created`, which it must
    /// have (a `created` without a zone is read as UTC).
    ///
    /// # Panics
    /// When `raw` has no string `id` or no readable `created`: the fake could not place it.
    pub fn raw_contact(self, chatbot: impl Into<String>, raw: serde_json::Value) -> Self {
        self.raw::<Contact>(chatbot, raw)
    }

    /// Adds an organization answered exactly as `raw` says; see [`Self::raw_contact`].
    ///
    /// # Panics
    /// When `raw` has no string `id` or no readable `created`.
    pub fn raw_organization(self, chatbot: impl Into<String>, raw: serde_json::Value) -> Self {
        self.raw::<Organization>(chatbot, raw)
    }

    fn raw<T: Stored>(mut self, chatbot: impl Into<String>, raw: serde_json::Value) -> Self {
        // Checked now, so that the panic points at the test's line, not at `start`.
        if let Err(e) = Store::new(0).put_raw::<T>("", raw.clone()) {
            panic!("FakeServerBuilder: {e}");
        }
        let chatbot = self.seeded(chatbot.into());
        self.data.push(Box::new(move |store| {
            store
                .put_raw::<T>(&chatbot, raw)
                .expect("checked when it was added");
        }));
        self
    }

    /// Makes `contact_id` a member of `organization`; the contact's `organizationIds` gains its id,
    /// and the chatbot's organizations gain the organization (unless one with its id is there; as
    /// created at 2025-01-01T00:00:00Z when it has no `created`).
    pub fn organization(
        mut self,
        chatbot: impl Into<String>,
        contact_id: impl Into<String>,
        organization: Organization,
    ) -> Self {
        let (chatbot, contact_id) = (self.seeded(chatbot.into()), contact_id.into());
        self.memberships.push(Box::new(move |store| {
            store.put_organization(&chatbot, &contact_id, organization)
        }));
        self
    }

    /// Notes the first chatbot given data, the main key's unless [`chatbot`](Self::chatbot) names one.
    fn seeded(&mut self, chatbot: String) -> String {
        self.first_seeded.get_or_insert_with(|| chatbot.clone());
        chatbot
    }

    /// Installs a fault; faults act in the order installed (see [`Fault`]).
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    setters! {
        /// Makes the cursor listings (contacts, organizations) differ from the spec's guesses (see
        /// [`ListShape`]).
        list_shape(shape: ListShape);
        /// Makes the searches (contacts, organizations) differ from the spec's guesses (see
        /// [`SearchShape`]).
        search_shape(shape: SearchShape);
    }

    /// Enforces a rate limit of `per_second` requests (a token bucket with one second of burst):
    /// above it, requests get 429 with `Retry-After` in whole seconds, before any fault or key
    /// check; [`FakeServer::rate_limited_count`] says how many.
    pub fn rate_limit(mut self, per_second: f64) -> Self {
        self.rate_limit = Some(per_second);
        self.exhausted = false;
        self
    }

    /// The rate limit of [`rate_limit`](Self::rate_limit), already used up when the server starts
    /// (its bucket empty), as when another program sharing the key has just spent it: the first
    /// requests are answered 429 until the bucket refills at `per_second`.
    pub fn rate_limit_exhausted(self, per_second: f64) -> Self {
        Self {
            exhausted: true,
            ..self.rate_limit(per_second)
        }
    }

    /// Where to listen (default `127.0.0.1:0`, a random loopback port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Seeds the data and starts serving.
    ///
    /// # Panics
    /// If the address cannot be bound; use [`try_start`](Self::try_start) to handle that.
    pub async fn start(self) -> FakeServer {
        let addr = self.addr;
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("chatcaptain-fake cannot start on {addr}: {e}"))
    }

    /// Seeds the data and starts serving on a Tokio runtime of its own (one worker thread), which
    /// stops with the server: for tests of blocking code (the `blocking` client of the
    /// `chatcaptain` crate), and for async tests whose own runtime a blocking call would stall.
    /// Callable from any thread, inside a runtime or not.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use chatcaptain_fake::{API_KEY_HEADER, FakeServer};
    ///
    /// // A plain `fn`: no runtime here, the server brings its own.
    /// let server = FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 3).start_blocking();
    /// let mut http = std::net::TcpStream::connect(server.addr())?;
    /// write!(
    ///     http,
    ///     "GET /v1/chatbots/aBcDeFgHiJkLmNoPqRsT/contacts HTTP/1.1\r\nhost: fake\r\n\
    ///      {API_KEY_HEADER}: {}\r\nconnection: close\r\n\r\n",
    ///     server.api_key()
    /// )?;
    /// let mut answer = String::new();
    /// http.read_to_string(&mut answer)?;
    /// assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    /// If no runtime can be built or the address cannot be bound.
    pub fn start_blocking(self) -> FakeServer {
        let (started, server) = std::sync::mpsc::channel();
        // On a thread of its own (`block_on` inside an async test's runtime would panic), which
        // stays in the runtime until the server is dropped, then drops the runtime there: the
        // dropping thread, maybe an async test's, never waits for it.
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("chatcaptain-fake: a Tokio runtime for the server");
            runtime.block_on(async move {
                let (host, released) = tokio::sync::oneshot::channel::<()>();
                let _ = started.send(self.start().await.hosted(host));
                let _ = released.await;
            });
        });
        match server.recv() {
            Ok(server) => server,
            // It panicked before sending (no runtime, or the address not bound): say why here.
            Err(_) => std::panic::resume_unwind(thread.join().expect_err("the thread panicked")),
        }
    }

    /// Seeds the data and starts serving, or says why it cannot listen.
    pub async fn try_start(self) -> Result<FakeServer, StartError> {
        let mut store = Store::new(self.seed);
        for op in self.data.into_iter().chain(self.memberships) {
            op(&mut store);
        }
        let chatbot = self
            .chatbot
            .or(self.first_seeded)
            .unwrap_or_else(|| DEFAULT_CHATBOT.to_owned());
        let extra = self
            .extra_keys
            .into_iter()
            .map(|(key, bot, permissions)| {
                let chatbot = bot.unwrap_or_else(|| chatbot.clone());
                (
                    key,
                    Grant {
                        chatbot,
                        permissions,
                    },
                )
            })
            .collect();
        let keys = Keys::new(self.api_key.clone(), chatbot.clone(), &self.revoked, extra);
        FakeServer::serve(
            self.addr,
            self.api_key,
            chatbot,
            Shared::new(
                store,
                keys,
                self.faults,
                (self.list_shape, self.search_shape),
                self.rate_limit
                    .map(|r| crate::limit::Limiter::new(r, self.exhausted)),
            ),
        )
        .await
    }
}
