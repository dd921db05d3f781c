//! The fake server on a runtime of its own ([`FakeServerBuilder::start_blocking`]), so that
//! serving and the client under test do not share one scheduler and the comparison stays about
//! the client.

use chatcaptain_fake::{FakeServer, FakeServerBuilder};

pub const API_KEY: &str = "bench-key";

pub struct Hosted {
    pub base_url: String,
    /// The handle, for its counters; it stops the server and its runtime when dropped.
    server: FakeServer,
}

impl Hosted {
    pub fn start(builder: FakeServerBuilder) -> Hosted {
        let server = builder.api_key(API_KEY).start_blocking();
        Hosted {
            base_url: server.base_url(),
            server,
        }
    }

    pub fn server(&self) -> &FakeServer {
        &self.server
    }
}
