//! The fake server on a thread and runtime of its own, so that serving and the client under test
//! do not share one scheduler and the comparison stays about the client.

use std::sync::mpsc;
use std::thread::JoinHandle;

use chatcaptain_fake::{FakeServer, FakeServerBuilder};
use tokio::sync::oneshot;

pub const API_KEY: &str = "bench-key";

pub struct Hosted {
    pub base_url: String,
    /// The handle, for its counters; the server's task runs on the thread's runtime.
    server: Option<FakeServer>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Hosted {
    pub fn start(builder: FakeServerBuilder) -> Hosted {
        let (server_tx, server_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the fake server");
            runtime.block_on(async move {
                let server = builder.api_key(API_KEY).start().await;
                server_tx
                    .send(server)
                    .expect("the bench waits for the server");
                // The runtime serves until the bench is done with it.
                let _ = stop_rx.await;
            });
        });
        let server = server_rx.recv().expect("the fake server starts");
        Hosted {
            base_url: server.base_url(),
            server: Some(server),
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn server(&self) -> &FakeServer {
        self.server
            .as_ref()
            .expect("the server lives as long as its host")
    }
}

impl Drop for Hosted {
    fn drop(&mut self) {
        // Dropping the handle stops the server; then its runtime may end.
        drop(self.server.take());
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
