//! `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, honoured by the client `build()` makes, shown
//! with a small proxy on loopback that records what it is asked. The servers run in the test;
//! each setting of the variables is tried by a child process (this test binary again, this test
//! alone) started with them, since changing a running process's environment is unsafe (edition
//! 2024) and the workspace forbids unsafe code. The child reaches the servers by their loopback
//! addresses, given in its environment too.

use std::sync::{Arc, Mutex};

use chatcaptain::Client;
use reqwest::Method;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

#[path = "support/child.rs"]
mod child;
#[path = "support/tls.rs"]
mod tls;

const KEY: &str = "sk-proxy-test-Zq8v";
/// A name nobody resolves: only the proxy, which ignores it, gets the client there.
const API_HOST: &str = "api.chatcaptain.test";

/// Names the setting a child process tries; unset in the parent.
const CASE: &str = "CHATCAPTAIN_TEST_PROXY_CASE";
const TEST: &str = "proxy_variables_are_honoured";
/// Every variable reqwest reads for proxies; a child gets only those its case sets.
const PROXY_VARIABLES: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Runs this test again in a child process with `env` (the proxy variables, and where the
/// servers are) and `case`; it fails when the child's checks do.
async fn run_child(case: &str, env: Vec<(&'static str, String)>) {
    let mut cmd = child::rerun(TEST, CASE, case);
    for name in PROXY_VARIABLES {
        cmd.env_remove(name);
    }
    cmd.envs(env);
    let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    child::assert_passed(&output, &format!("case {case}"));
}

/// The child's side: the calls of one case, with the environment it was started with.
async fn check(case: &str) {
    let var = |name: &str| std::env::var(name).unwrap();
    let (https_base, direct_url, ca_pem) = (
        var("TEST_HTTPS_BASE"),
        var("TEST_DIRECT_URL"),
        var("TEST_CA_PEM"),
    );
    match case {
        "https-proxy" => {
            assert_eq!(via(&https_base, Some(&ca_pem)).await.unwrap(), "tunnel");
            // HTTPS_PROXY is for https only: plain http to loopback goes direct.
            assert_eq!(via(&direct_url, None).await.unwrap(), "direct");
        }
        "http-proxy" => assert_eq!(via(&direct_url, None).await.unwrap(), "proxy"),
        "no-proxy" => {
            assert_eq!(via(&direct_url, None).await.unwrap(), "direct");
            let unresolved = via(&https_base, Some(&ca_pem)).await;
            assert!(
                unresolved.is_err(),
                "{API_HOST} resolves nowhere without the proxy"
            );
        }
        other => panic!("unknown case {other}"),
    }
}

/// A proxy that records each request's head. A `CONNECT` is tunnelled to `tunnel_to`; any
/// other request (a plain-http request in absolute form) is answered by the proxy itself.
async fn proxy(tunnel_to: std::net::SocketAddr) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let head = tls::read_head(&mut client).await;
                seen.lock().unwrap().push(head.clone());
                if head.starts_with("CONNECT ") {
                    let mut server = TcpStream::connect(tunnel_to).await.unwrap();
                    client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                } else {
                    let body = r#"{"via": "proxy"}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = client.write_all(answer.as_bytes()).await;
                }
            });
        }
    });
    (url, heads)
}

/// A plain-http server on loopback that answers `{"via": "direct"}` and counts requests.
async fn direct() -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(Mutex::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tls::read_head(&mut stream).await;
            *seen.lock().unwrap() += 1;
            let body = r#"{"via": "direct"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, count)
}

async fn via(base_url: &str, ca_pem: Option<&str>) -> Result<String, chatcaptain::Error> {
    let mut builder = Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .max_attempts(1);
    if let Some(pem) = ca_pem {
        builder = builder.add_root_certificates_pem(pem);
    }
    let answer = builder.build()?.raw(Method::GET, "/v1/ping").send().await?;
    Ok(answer.body["via"].as_str().unwrap_or("server").to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_variables_are_honoured() {
    if let Ok(case) = std::env::var(CASE) {
        return check(&case).await;
    }
    let api = tls::start(&[API_HOST], r#"{"via": "tunnel"}"#).await;
    let (proxy_url, heads) = proxy(api.addr).await;
    let (direct_url, direct_count) = direct().await;
    let servers = vec![
        ("TEST_HTTPS_BASE", format!("https://{API_HOST}")),
        ("TEST_DIRECT_URL", direct_url.clone()),
        ("TEST_CA_PEM", api.ca_pem.clone()),
    ];
    let with = |vars: &[(&'static str, String)]| [servers.clone(), vars.to_vec()].concat();

    // HTTPS_PROXY: the client asks the proxy for a tunnel and speaks TLS to the API through
    // it; the proxy sees the host, never the key. Plain http goes direct.
    run_child("https-proxy", with(&[("HTTPS_PROXY", proxy_url.clone())])).await;
    let seen = heads.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with(&format!("CONNECT {API_HOST}:443 HTTP/1.1")),
        "{seen:?}"
    );
    assert!(
        !seen[0].contains(KEY),
        "the key travels inside the tunnel: {seen:?}"
    );
    assert!(api.heads()[0].contains(KEY), "and reaches the API");

    // HTTP_PROXY: plain http goes to the proxy, in absolute form (reqwest does not skip
    // loopback targets on its own: NO_PROXY does that, below).
    run_child("http-proxy", with(&[("HTTP_PROXY", proxy_url.clone())])).await;
    let last = heads.lock().unwrap().last().cloned().unwrap();
    assert!(
        last.starts_with(&format!("GET {direct_url}/v1/ping HTTP/1.1")),
        "{last}"
    );

    // NO_PROXY: the hosts it names are reached directly, whatever the proxy variables say.
    let before = heads.lock().unwrap().len();
    run_child(
        "no-proxy",
        with(&[
            ("HTTPS_PROXY", proxy_url.clone()),
            ("NO_PROXY", format!("{API_HOST},127.0.0.1")),
        ]),
    )
    .await;
    assert_eq!(
        heads.lock().unwrap().len(),
        before,
        "the proxy was not asked"
    );
    assert_eq!(*direct_count.lock().unwrap(), 2);
}
