//! The TLS backend, chosen with cargo features; every `reqwest::Client` this crate (and
//! `chatcaptain`) builds starts from [`client_builder`].
//!
//! | feature | TLS | crypto | certificates checked against |
//! |---|---|---|---|
//! | `rustls-ring` (default) | rustls | *ring* | the platform's roots (rustls-platform-verifier) |
//! | `rustls` | rustls | aws-lc-rs (reqwest's own default) | the platform's roots |
//! | `native-tls` | the platform's library (OpenSSL on Linux, which needs its headers and `pkg-config` to build) | | the platform's roots |
//!
//! `rustls-ring` is the default because it is the lightest to compile: aws-lc-rs builds a large
//! C library (aws-lc-sys), *ring* a small one. What it gives up: *ring* has no post-quantum key
//! exchange (X25519MLKEM768), which is why rustls deprecates its *ring* provider since 0.23.48;
//! `rustls` (aws-lc-rs) negotiates it with servers that offer it. The features are additive; with several on, the
//! first of `native-tls`, `rustls`, `rustls-ring` is used (reqwest, too, prefers native-tls when it
//! has both). With none, only plain `http://` works.
//!
//! With `rustls-ring`, reqwest is built without a crypto provider (`rustls-no-provider`) and each
//! client gets a rustls configuration of its own with *ring*: nothing is installed process-wide,
//! so a program's own choice of rustls provider is left alone.
//!
//! The price, and the one thing to know: cargo builds one reqwest for the whole program, so every
//! other `reqwest::Client` in it (`reqwest::Client::new()`, a client of your own for
//! `Client::new_with_client`, another crate's) is built without a provider too and panics in
//! `build()` ("No rustls crypto provider is configured"), unless something in the program enables
//! reqwest's `rustls` or `native-tls` feature. Start such clients from [`client_builder`], or call
//! `install_process_default()` once at startup, or pick the `rustls` feature instead.

/// The backend [`client_builder`] uses: `"native-tls"`, `"rustls"`, `"rustls-ring"`, or `None`
/// when no TLS feature is enabled (then only `http://` URLs work).
pub const BACKEND: Option<&str> = if cfg!(feature = "native-tls") {
    Some("native-tls")
} else if cfg!(feature = "rustls") {
    Some("rustls")
} else if cfg!(feature = "rustls-ring") {
    Some("rustls-ring")
} else {
    None
};

/// A `reqwest::ClientBuilder` set up with the TLS backend of [`BACKEND`]; the generated
/// `Client::new` starts from it too. Use it to build a client of your own (proxies, pool
/// settings) for `Client::new_with_client`.
///
/// With `rustls-ring` and no process-wide rustls provider, its TLS configuration is complete
/// already (reqwest's `tls_backend_preconfigured`), so reqwest's TLS options on it
/// (`add_root_certificate`, `tls_certs_only`, ...) have no effect. Once the program has installed
/// a provider (`install_process_default()`, or its own), it is a plain reqwest builder that uses
/// that provider, options included.
pub fn client_builder() -> reqwest::ClientBuilder {
    let builder = reqwest::ClientBuilder::new();
    #[cfg(all(
        feature = "rustls-ring",
        not(any(feature = "native-tls", feature = "rustls"))
    ))]
    let builder = match rustls::crypto::CryptoProvider::get_default() {
        // The program's choice, which reqwest takes itself.
        Some(_) => builder,
        None => builder.tls_backend_preconfigured(ring::config()),
    };
    builder
}

/// Root certificates that cannot be trusted as given; the text says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRoots(String);

impl std::fmt::Display for InvalidRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidRoots {}

/// [`client_builder`] that also trusts the root certificates in `pem` (one or more
/// `-----BEGIN CERTIFICATE-----` blocks), beside the platform's: for a private CA, or a proxy
/// that inspects TLS with a certificate of its own. Every backend takes them; with the default
/// `rustls-ring` they go into this client's own rustls configuration (reqwest's
/// `add_root_certificate` would have no effect there, see [`client_builder`]).
///
/// Fails when `pem` holds no certificate, or one that cannot serve as a root.
pub fn client_builder_trusting(pem: &[u8]) -> Result<reqwest::ClientBuilder, InvalidRoots> {
    #[cfg(all(
        feature = "rustls-ring",
        not(any(feature = "native-tls", feature = "rustls"))
    ))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let config = ring::config_trusting(ring::roots(pem)?);
        return Ok(reqwest::ClientBuilder::new().tls_backend_preconfigured(config));
    }
    #[cfg(any(feature = "native-tls", feature = "rustls", feature = "rustls-ring"))]
    {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| InvalidRoots(format!("the PEM certificates cannot be read: {e}")))?;
        if certificates.is_empty() {
            return Err(InvalidRoots(NO_CERTIFICATE.into()));
        }
        Ok(certificates.into_iter().fold(
            client_builder(),
            reqwest::ClientBuilder::add_root_certificate,
        ))
    }
    #[cfg(not(any(feature = "native-tls", feature = "rustls", feature = "rustls-ring")))]
    {
        let _ = pem;
        Err(InvalidRoots(
            "built without a TLS feature: there is no TLS to trust certificates for".into(),
        ))
    }
}

#[cfg(any(feature = "native-tls", feature = "rustls", feature = "rustls-ring"))]
const NO_CERTIFICATE: &str =
    "no certificate found: expected one or more -----BEGIN CERTIFICATE----- blocks";

/// Makes *ring* the process-wide rustls crypto provider, unless a provider is installed already
/// (then it changes nothing and answers `false`). For programs that build `reqwest::Client`s of
/// their own next to this crate's default `rustls-ring` (see the module docs); call it at
/// startup, before any of them is built.
#[cfg(feature = "rustls-ring")]
pub fn install_process_default() -> bool {
    ring::provider().install_default().is_ok()
}

/// rustls with *ring* and the platform's roots, for one client.
#[cfg(feature = "rustls-ring")]
// Compiled and tested whenever the feature is on, used only when it is the backend chosen.
#[cfg_attr(any(feature = "native-tls", feature = "rustls"), allow(dead_code))]
pub(crate) mod ring {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::WebPkiSupportedAlgorithms;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    use super::{InvalidRoots, NO_CERTIFICATE};
    use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

    /// rustls's *ring* provider. rustls 0.23.48 deprecates `ring::default_provider()` because
    /// *ring* has no post-quantum key exchange (X25519MLKEM768, which the aws-lc-rs provider of
    /// the `rustls` feature offers), and has no other constructor for it. `rustls-ring` stays the
    /// default for its light build, so the deprecation is acknowledged here, in the one place
    /// that calls it: `allow` (not `expect`) builds warning-free on the rustls versions before
    /// 0.23.48 too, which Cargo.lock may hold (`.ci/fresh-deps` builds the newest).
    #[allow(deprecated)]
    pub(crate) fn provider() -> rustls::crypto::CryptoProvider {
        rustls::crypto::ring::default_provider()
    }

    /// The configuration reqwest would build with aws-lc-rs, built with *ring*: TLS 1.2 and 1.3,
    /// certificates checked by rustls-platform-verifier against the platform's roots, HTTP/1.1
    /// (the only version this crate's reqwest speaks).
    pub(crate) fn config() -> ClientConfig {
        config_trusting(Vec::new())
    }

    /// The certificates of a PEM bundle, each checked to serve as a root.
    pub(crate) fn roots(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, InvalidRoots> {
        let roots = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| InvalidRoots(format!("the PEM certificates cannot be read: {e}")))?;
        if roots.is_empty() {
            return Err(InvalidRoots(NO_CERTIFICATE.into()));
        }
        if cfg!(target_os = "android") {
            return Err(InvalidRoots(
                "extra root certificates are not supported on Android: install them in the system"
                    .into(),
            ));
        }
        let mut store = rustls::RootCertStore::empty();
        for (n, root) in roots.iter().enumerate() {
            store.add(root.clone()).map_err(|e| {
                InvalidRoots(format!("certificate {} cannot serve as a root: {e}", n + 1))
            })?;
        }
        Ok(roots)
    }

    /// [`config`], also trusting `extra` roots (checked by [`roots`]).
    pub(crate) fn config_trusting(extra: Vec<CertificateDer<'static>>) -> ClientConfig {
        let provider = Arc::new(provider());
        let algorithms = provider.signature_verification_algorithms;
        #[cfg(not(target_os = "android"))]
        let platform =
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone());
        // Android's verifier takes no extra roots; `roots` refuses them there.
        #[cfg(target_os = "android")]
        let platform = {
            drop(extra);
            rustls_platform_verifier::Verifier::new(provider.clone())
        };
        let verifier: Arc<dyn ServerCertVerifier> = match platform {
            Ok(verifier) => Arc::new(verifier),
            // No roots on this machine (a bare container): building still succeeds, so
            // plain http to a local server keeps working, and every https handshake fails
            // with the reason instead of an anonymous "unknown issuer".
            Err(error) => Arc::new(NoRoots {
                reason: format!("no certificate can be checked: {error}"),
                algorithms,
            }),
        };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(rustls::DEFAULT_VERSIONS)
            // The same call rustls makes for its own default provider: ring has both versions.
            .expect("ring supports TLS 1.2 and 1.3")
            .dangerous() // the platform verifier is a custom verifier to rustls, not a weaker one
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        config
    }

    /// Refuses every certificate, naming why: the platform's roots could not be loaded.
    #[derive(Debug)]
    struct NoRoots {
        reason: String,
        algorithms: WebPkiSupportedAlgorithms,
    }

    impl NoRoots {
        fn refuse<T>(&self) -> Result<T, rustls::Error> {
            Err(rustls::Error::General(self.reason.clone()))
        }
    }

    impl ServerCertVerifier for NoRoots {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            self.refuse()
        }

        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.refuse()
        }

        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.refuse()
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    }

    #[cfg(test)]
    mod tests {
        use rustls::crypto::CryptoProvider;

        use super::*;

        #[test]
        fn ring_config_checks_certificates_and_installs_no_process_default() {
            let config = config();
            assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
            assert!(config.crypto_provider().cipher_suites.len() > 1);
            assert!(CryptoProvider::get_default().is_none());
        }

        #[test]
        fn without_roots_every_certificate_is_refused_with_the_reason() {
            let verifier = NoRoots {
                reason: "no certificate can be checked: none found".into(),
                algorithms: provider().signature_verification_algorithms,
            };
            let name = ServerName::try_from("api.chatcaptain.com").unwrap();
            let error = verifier
                .verify_server_cert(
                    &CertificateDer::from(vec![0u8; 4]),
                    &[],
                    &name,
                    &[],
                    UnixTime::now(),
                )
                .unwrap_err();
            assert!(error.to_string().contains("none found"), "{error}");
            assert!(!verifier.supported_verify_schemes().is_empty());
        }
    }
}
