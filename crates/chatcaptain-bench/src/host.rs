//! The fake server on a thread and runtime of its own, so that serving and the client under test
//! do not share one scheduler and the comparison stays about the client.

use std::sync::mpsc;
use std::thread::JoinHandle;

use chatcaptain_fake::FakeServerBuilder;
use tokio::sync::oneshot;

pub const API_KEY: &str = "bench-key";

pub struct Hosted {
    pub base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Hosted {
    pub fn start(builder: FakeServerBuilder) -> Hosted {
        let (url_tx, url_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the fake server");
            runtime.block_on(async move {
                let server = builder.api_key(API_KEY).start().await;
                url_tx
                    .send(server.base_url())
                    .expect("the bench waits for the url");
                let _ = stop_rx.await;
                server.shutdown().await;
            });
        });
        let base_url = url_rx.recv().expect("the fake server starts");
        Hosted {
            base_url,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Hosted {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
