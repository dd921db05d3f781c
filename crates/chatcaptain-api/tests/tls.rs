//! What the default TLS feature means for other reqwest clients in the same program. Alone in its
//! test binary: it installs a process-wide rustls provider.

/// Only when `rustls-ring` is the whole choice (`cargo test -p chatcaptain-api`, default
/// features): with `rustls` or `native-tls` on, reqwest brings a provider of its own.
#[cfg(all(
    feature = "rustls-ring",
    not(any(feature = "rustls", feature = "native-tls"))
))]
#[test]
fn a_plain_reqwest_client_needs_the_tls_builder_or_a_process_default() {
    // reqwest is built with `rustls-no-provider`: a client of its own has no crypto.
    let plain = std::panic::catch_unwind(reqwest::Client::new);
    assert!(
        plain.is_err(),
        "reqwest now brings a provider: revisit src/tls.rs"
    );
    // The crate's builder brings *ring* for its client, without touching the process.
    chatcaptain_api::tls::client_builder().build().unwrap();
    // Installed once at startup, the provider serves every other client too.
    assert!(chatcaptain_api::tls::install_process_default());
    reqwest::Client::new();
    // ...and the crate's builder leaves TLS to reqwest then, which takes that provider.
    chatcaptain_api::tls::client_builder().build().unwrap();
    assert!(
        !chatcaptain_api::tls::install_process_default(),
        "already installed"
    );
}
