//! The HTTP/1 connections: accepted here rather than by `axum::serve` so that slow clients are bounded at the
//! transport. A client must send its request's head (line and headers) within [`SlowClients::header_timeout`],
//! for the first request of a connection as for each next one (an idle keep-alive connection is closed then);
//! and a request body must arrive at [`SlowClients::body_min_bytes_per_second`] after a grace of
//! [`SlowClients::body_grace`], or its reading fails and the connection is closed. Upgrades (the GraphQL
//! WebSocket) are served as before.
//!
//! The server's stop ([`Shutdown`]) is told to every part that must end cleanly: the listener stops accepting
//! (a new connection is refused), each connection finishes the request under way and closes, each WebSocket
//! session sends its close frame, the scheduler and the dispatcher end after their current item; the server
//! waits for them up to its deadline (setting `shutdown_seconds`), then ends whatever is left.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

/// How long clients may take to send what they send (settings `header_timeout_seconds`,
/// `body_grace_seconds`, `body_min_bytes_per_second`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlowClients {
    /// The longest a request's head may take to arrive, from the first byte awaited.
    pub header_timeout: Duration,
    /// The time a body has before it must keep up with the minimum rate.
    pub body_grace: Duration,
    /// The slowest a body may arrive, on average since its reading began, once the grace is spent.
    pub body_min_bytes_per_second: u64,
}

impl Default for SlowClients {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECONDS),
            body_grace: Duration::from_secs(DEFAULT_BODY_GRACE_SECONDS),
            body_min_bytes_per_second: DEFAULT_BODY_MIN_BYTES_PER_SECOND,
        }
    }
}

pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;
pub const DEFAULT_BODY_GRACE_SECONDS: u64 = 10;
/// 8 KiB/s: a 25 MiB upload in under an hour, a byte a second cut off after the grace.
pub const DEFAULT_BODY_MIN_BYTES_PER_SECOND: u64 = 8 * 1024;

/// How long a stopping server waits for its requests under way, by default (`JAMAA_SHUTDOWN_SECONDS`).
pub const DEFAULT_SHUTDOWN_SECONDS: u64 = 10;

/// The stop of a server, shared by the parts that end cleanly: told once, and each part holds a guard
/// ([`Shutdown::hold`]) until it has ended, so that the server knows when all have.
#[derive(Clone, Debug)]
pub struct Shutdown(std::sync::Arc<Stop>);

#[derive(Debug)]
struct Stop {
    told: tokio::sync::watch::Sender<bool>,
    held: tokio::sync::watch::Sender<()>,
    begun: std::sync::OnceLock<Instant>,
}

/// Held by a part of the server until it has ended.
#[derive(Debug)]
pub struct Held(#[allow(dead_code, reason = "held for its drop")] tokio::sync::watch::Receiver<()>);

impl Default for Shutdown {
    fn default() -> Self {
        let (told, _) = tokio::sync::watch::channel(false);
        let (held, _) = tokio::sync::watch::channel(());
        Self(std::sync::Arc::new(Stop { told, held, begun: std::sync::OnceLock::new() }))
    }
}

impl Shutdown {
    /// Tells every part to stop.
    pub fn begin(&self) {
        self.0.begun.get_or_init(Instant::now);
        self.0.told.send_replace(true);
    }

    /// Completes once the stop is told (at once if it was).
    pub fn told(&self) -> impl Future<Output = ()> + Send + 'static + use<> {
        let mut told = self.0.told.subscribe();
        async move {
            let _ = told.wait_for(|told| *told).await;
        }
    }

    /// A guard the stopping server waits for.
    pub fn hold(&self) -> Held {
        Held(self.0.held.subscribe())
    }

    /// Completes once no guard is held.
    pub async fn all_ended(&self) {
        self.0.held.closed().await;
    }

    /// What is left of `deadline` since the stop was told.
    pub fn left_of(&self, deadline: Duration) -> Duration {
        self.0.begun.get().map_or(deadline, |begun| deadline.saturating_sub(begun.elapsed()))
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, tells the server's parts to
/// stop ([`Shutdown::begin`]) and waits up to `deadline` for the connections under way to finish their requests
/// (and the WebSocket sessions to close). The router sees each connection's peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    slow: SlowClients,
    shutdown: impl Future<Output = ()> + Send + 'static,
    stop: Shutdown,
    deadline: Duration,
) -> std::io::Result<()> {
    let mut shutdown = std::pin::pin!(shutdown);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(slow.header_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "a connection was not accepted");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(move |request: Request<Incoming>| {
            let (mut parts, body) = request.into_parts();
            parts.extensions.insert(ConnectInfo(peer));
            Request::from_parts(parts, Body::new(MinRate::new(body, slow)))
        });
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).with_upgrades();
        let (told, held) = (stop.told(), stop.hold());
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let mut told = std::pin::pin!(told);
            let mut stopping = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(%error, %peer, "connection ended with an error");
                        }
                        break;
                    }
                    () = &mut told, if !stopping => {
                        stopping = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(held);
        });
    }
    // New connections are refused from now on.
    drop(listener);
    tracing::info!(deadline_seconds = deadline.as_secs(), "stopping: finishing the requests under way");
    stop.begin();
    // Requests under way finish and idle connections close; WebSocket sessions send their close frame.
    if tokio::time::timeout(deadline, stop.all_ended()).await.is_err() {
        tracing::warn!("requests were still under way at the shutdown deadline: they are cut");
    }
    Ok(())
}

/// A request body that fails once it falls behind its minimum rate: after `grace`, it must have delivered
/// `min_rate` bytes for each second since its reading began.
pub struct MinRate<B> {
    inner: B,
    slow: SlowClients,
    /// Set when the body is first read.
    started: Option<Instant>,
    received: u64,
    timer: Pin<Box<Sleep>>,
}

/// A body slower than the minimum rate.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrives more slowly than the server accepts")]
pub struct TooSlow;

impl<B> MinRate<B> {
    /// The body `inner`, held to `slow`'s minimum rate.
    pub fn new(inner: B, slow: SlowClients) -> Self {
        Self { inner, slow, started: None, received: 0, timer: Box::pin(tokio::time::sleep(Duration::ZERO)) }
    }

    /// When the bytes received so far stop being enough.
    fn deadline(&self, started: Instant) -> Instant {
        let rate = self.slow.body_min_bytes_per_second.max(1);
        let earned = Duration::from_secs_f64(self.received as f64 / rate as f64);
        started + self.slow.body_grace + earned
    }
}

impl<B> HttpBody for MinRate<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let started = *this.started.get_or_insert_with(Instant::now);
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received = this.received.saturating_add(data.len() as u64);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let deadline = this.deadline(started);
                if this.timer.deadline() != deadline {
                    this.timer.as_mut().reset(deadline);
                }
                match this.timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(TooSlow)))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
