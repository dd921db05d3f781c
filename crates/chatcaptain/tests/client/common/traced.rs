//! Captures the client's `tracing` events, so tests can assert what a retry reported.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

/// One event: its message under `"message"`, each field by name, every value as text.
pub type Event = BTreeMap<String, String>;

/// The events (and spans) recorded on this thread while the guard lives.
#[derive(Clone, Default)]
pub struct Events(Arc<Mutex<Vec<Event>>>, Arc<Mutex<Vec<(u64, Event)>>>);

thread_local! {
    static CURRENT: RefCell<Option<Events>> = const { RefCell::new(None) };
}

/// Stops recording on this thread when dropped.
pub struct Capturing(());

impl Drop for Capturing {
    fn drop(&mut self) {
        CURRENT.with(|c| c.borrow_mut().take());
    }
}

impl Events {
    /// Starts recording on the current thread (the test's runtime, when it is current-thread).
    //
    // One global subscriber for the whole test binary, recording into the thread's `Events`:
    // with a scoped subscriber per test, tracing caches a callsite's interest across threads,
    // and a test running beside one without a subscriber could find its events never enabled.
    pub fn capture() -> (Events, Capturing) {
        static GLOBAL: Once = Once::new();
        GLOBAL.call_once(|| {
            let subscriber = Registry::default().with(Recorder);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the tests");
        });
        let events = Events::default();
        CURRENT.with(|c| *c.borrow_mut() = Some(events.clone()));
        (events, Capturing(()))
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

    /// The spans named `name` opened so far, with their fields as recorded by now.
    pub fn spans(&self, name: &str) -> Vec<Event> {
        self.1
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, span)| span.get("name").map(String::as_str) == Some(name))
            .map(|(_, span)| span.clone())
            .collect()
    }

    /// The retries reported so far.
    pub fn retries(&self) -> Vec<Event> {
        self.with_message("retrying a ChatCaptain request")
    }
}

struct Recorder;

/// Where this thread's events go, while a test captures them.
fn recording() -> Option<Events> {
    CURRENT.with(|c| c.borrow().clone())
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        let Some(events) = recording() else { return };
        let span = Fields::of(|f| attrs.record(f), "name", attrs.metadata().name().into());
        events.1.lock().unwrap().push((id.into_u64(), span));
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: Context<'_, S>,
    ) {
        let Some(events) = recording() else { return };
        let mut spans = events.1.lock().unwrap();
        if let Some((_, span)) = spans.iter_mut().rev().find(|(i, _)| *i == id.into_u64()) {
            let mut fields = Fields(std::mem::take(span));
            values.record(&mut fields);
            *span = fields.0;
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let Some(events) = recording() else { return };
        let fields = Fields::of(
            |f| event.record(f),
            "level",
            event.metadata().level().to_string(),
        );
        events.0.lock().unwrap().push(fields);
    }
}

struct Fields(Event);

impl Fields {
    /// The fields `record` visits, and `key` set to `value`.
    fn of(record: impl FnOnce(&mut Fields), key: &str, value: String) -> Event {
        let mut fields = Fields(Event::new());
        record(&mut fields);
        fields.0.insert(key.into(), value);
        fields.0
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.to_string());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
}
