//! Captures the client's `tracing` events, so tests can assert what a retry reported.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

/// One event: its message under `"message"`, each field by name, every value as text.
pub type Event = BTreeMap<String, String>;

/// The events recorded on this thread while the guard lives.
#[derive(Clone, Default)]
pub struct Events(Arc<Mutex<Vec<Event>>>);

impl Events {
    /// Starts recording on the current thread (the test's runtime, when it is current-thread).
    pub fn capture() -> (Events, DefaultGuard) {
        let events = Events::default();
        let subscriber = Registry::default().with(Recorder(events.clone()));
        (events, tracing::subscriber::set_default(subscriber))
    }

    /// The events whose message is `message`, in order.
    pub fn with_message(&self, message: &str) -> Vec<Event> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.get("message").map(String::as_str) == Some(message))
            .cloned()
            .collect()
    }

    /// The retries reported so far.
    pub fn retries(&self) -> Vec<Event> {
        self.with_message("retrying a ChatCaptain request")
    }
}

struct Recorder(Events);

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields(Event::new());
        event.record(&mut fields);
        fields
            .0
            .insert("level".into(), event.metadata().level().to_string());
        (self.0).0.lock().unwrap().push(fields.0);
    }
}

struct Fields(Event);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
}
