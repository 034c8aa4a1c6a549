//! A graphql-ws client (`graphql-transport-ws`) over a real WebSocket (tokio-tungstenite), for subscriptions.

use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use crate::app::TestApp;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The longest a test waits for a message that must come (a guard against a hang, not a timed assertion).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// One connection to `/graphql/ws`, initialized with a token (or none).
pub struct GraphqlWs {
    socket: Socket,
    /// Messages of other subscriptions, read while looking for one's.
    held: Vec<Value>,
}

impl GraphqlWs {
    /// Connects and sends `connection_init` with `{ token }`; fails unless the server acknowledges.
    pub async fn connect(app: &TestApp, token: Option<&str>) -> Result<Self> {
        let mut request = format!("ws://{}/graphql/ws", app.address).into_client_request()?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await.context("WebSocket handshake")?;
        let mut client = Self { socket, held: Vec::new() };
        let payload = match token {
            Some(token) => json!({ "token": token }),
            None => json!({}),
        };
        client.send(json!({ "type": "connection_init", "payload": payload })).await?;
        let ack = client.next().await?;
        if ack["type"] != "connection_ack" {
            bail!("no connection_ack: {ack}");
        }
        Ok(client)
    }

    /// Connects with a token the server must refuse: true when it closes the connection instead of acknowledging.
    pub async fn refused(app: &TestApp, token: &str) -> Result<bool> {
        let mut request = format!("ws://{}/graphql/ws", app.address).into_client_request()?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        let mut client = Self { socket, held: Vec::new() };
        client.send(json!({ "type": "connection_init", "payload": { "token": token } })).await?;
        Ok(match client.next().await {
            Ok(message) => message["type"] != "connection_ack",
            Err(_) => true,
        })
    }

    /// Connects with `token` in `connection_init` and returns the close code the server answers with (none when
    /// it acknowledges instead).
    pub async fn close_code(app: &TestApp, token: &str) -> Result<Option<u16>> {
        let mut request = format!("ws://{}/graphql/ws", app.address).into_client_request()?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        let mut client = Self { socket, held: Vec::new() };
        client.send(json!({ "type": "connection_init", "payload": { "token": token } })).await?;
        loop {
            let message = tokio::time::timeout(PATIENCE, client.socket.next()).await.context("no answer")?;
            match message {
                Some(Ok(Message::Close(frame))) => return Ok(frame.map(|f| u16::from(f.code))),
                Some(Ok(Message::Text(_))) => return Ok(None),
                Some(Ok(_)) => continue,
                Some(Err(error)) => bail!("the connection failed: {error}"),
                None => bail!("the connection ended without a close frame"),
            }
        }
    }

    async fn send(&mut self, message: Value) -> Result<()> {
        self.socket.send(Message::Text(message.to_string().into())).await?;
        Ok(())
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) -> Result<()> {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })).await
    }

    /// The next protocol message (pings answered on the way); an error when the connection closes.
    pub async fn next(&mut self) -> Result<Value> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .context("no message from the server")?
                .context("the connection closed")??;
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text)?;
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await?;
                        continue;
                    }
                    return Ok(value);
                }
                Message::Close(frame) => bail!("the connection closed: {frame:?}"),
                _ => continue,
            }
        }
    }

    /// The next message of subscription `id`: `next` (its data), or `error` / `complete`.
    pub async fn next_of(&mut self, id: &str) -> Result<Value> {
        if let Some(i) = self.held.iter().position(|m| m["id"] == id) {
            return Ok(self.held.remove(i));
        }
        loop {
            let message = self.next().await?;
            if message["id"] == id {
                return Ok(message);
            }
            self.held.push(message);
        }
    }
}
