//! A server that stops (what SIGTERM and Ctrl-C start: `graphql/tests/cli.rs` sends the real signal to the
//! binary), over real TCP and WebSockets, on SQLite and PostgreSQL: the request under way is answered, the
//! WebSocket subscription gets a close frame (1001), a new connection is refused, and the stop ends within the
//! deadline.

use std::time::Duration;

use anyhow::{Context as _, Result, bail, ensure};
use futures_util::StreamExt as _;
use jamaa_tests::app::{Backend, TestApp};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

jamaa_tests::on_both_backends!(a_stopping_server_finishes_what_is_under_way);

/// The server's shutdown deadline in this test.
const DEADLINE: Duration = Duration::from_secs(5);

async fn a_stopping_server_finishes_what_is_under_way(backend: Backend) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| settings.shutdown = DEADLINE).await?;
    let address = app.address;

    // A subscription, acknowledged and answering.
    let mut request = format!("ws://{address}/graphql/ws").into_client_request()?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    let send = |value: serde_json::Value| Message::Text(value.to_string().into());
    futures_util::SinkExt::send(
        &mut socket,
        send(json!({ "type": "connection_init", "payload": { "token": app.staff("oujda") } })),
    )
    .await?;
    futures_util::SinkExt::send(
        &mut socket,
        send(json!({ "id": "inbox", "type": "subscribe", "payload": { "query": "subscription { inboxChanged { trackingCode } }" } })),
    )
    .await?;
    let ack = tokio::time::timeout(DEADLINE, socket.next()).await?.context("closed")??;
    ensure!(ack.to_text()?.contains("connection_ack"), "{ack}");

    // A request under way: its head and half its body sent.
    let body = json!({ "query": "{ __typename }" }).to_string();
    let mut in_flight = tokio::net::TcpStream::connect(address).await?;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.split_at(body.len() / 2);
    in_flight.write_all(head.as_bytes()).await?;
    in_flight.write_all(first.as_bytes()).await?;
    // The server reads the head and waits for the rest of the body.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    let stopping = tokio::spawn(app.stop());

    // The subscription gets a close frame, not a dropped connection.
    let close = loop {
        match tokio::time::timeout(DEADLINE, socket.next()).await.context("no close frame")? {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(_)) => continue,
            Some(Err(error)) => bail!("the WebSocket failed instead of closing: {error}"),
            None => bail!("the WebSocket ended without a close frame"),
        }
    };
    let close = close.context("a close frame without a code")?;
    ensure!(u16::from(close.code) == 1001, "{close:?}");

    // New connections are refused.
    ensure!(tokio::net::TcpStream::connect(address).await.is_err(), "a new connection was accepted while stopping");

    // The request under way is answered.
    in_flight.write_all(rest.as_bytes()).await?;
    let mut answer = Vec::new();
    tokio::time::timeout(DEADLINE, in_flight.read_to_end(&mut answer)).await.context("no answer")??;
    let answer = String::from_utf8_lossy(&answer);
    ensure!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    ensure!(answer.contains(r#""__typename":"QueryRoot""#), "{answer}");

    // And the server has stopped, within its deadline.
    tokio::time::timeout(DEADLINE, stopping).await.context("the server did not stop within its deadline")???;
    ensure!(started.elapsed() < DEADLINE, "{:?}", started.elapsed());
    Ok(())
}
