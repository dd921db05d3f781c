//! A bare HTTP/1.1 server that answers the first list page, then holds the second request open
//! and reports when the client hangs up: the only way to see an in-flight request cancelled.

use chatcaptain::Contact;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// What the holding server saw.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// A request for a page after the first arrived; it gets no answer.
    HeldRequest,
    /// The client closed the connection that carried the held request.
    HungUp,
}

/// Starts the server; returns its base URL and a receiver of [`Event`]s.
pub async fn start(first_page: Vec<Contact>) -> (String, mpsc::UnboundedReceiver<Event>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tell, events) = mpsc::unbounded_channel();
    let body = json!({ "contacts": first_page }).to_string();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, body.clone(), tell.clone()));
        }
    });
    (url, events)
}

async fn serve(mut socket: TcpStream, body: String, tell: mpsc::UnboundedSender<Event>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        buffer.drain(..end + 4);
        if head.lines().next().unwrap_or("").contains("pageToken=") {
            let _ = tell.send(Event::HeldRequest);
            while matches!(socket.read(&mut chunk).await, Ok(n) if n > 0) {}
            let _ = tell.send(Event::HungUp);
            return;
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if socket.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}
