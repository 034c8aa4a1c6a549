//! Start-up: connect, migrate, load the demo if asked, bind, and serve with the scheduler running beside.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use jamaa_core::service::Jamaa;
use jamaa_core::service::demo::DemoTokens;
use jamaa_core::store::{Store, StoreConfig};
use tokio::net::TcpListener;

use crate::app::{AppState, router, with_site};
use crate::schema::build_schemas;
use crate::settings::{Settings, SiteDirs};

/// A server ready to run: the listener is bound (port 0 picks a free port, for tests).
pub struct Application {
    listener: TcpListener,
    jamaa: Jamaa,
    scheduler_interval: Duration,
    limits: std::sync::Arc<crate::limits::EdgeLimits>,
    site: Option<SiteDirs>,
    /// Whether introspection is answered (setting `introspection`).
    introspection: bool,
    cors_origins: Vec<String>,
    metrics: bool,
    slow_clients: crate::connections::SlowClients,
    notifications: crate::dispatcher::NotifySettings,
    /// How long a stopping server waits for what is under way.
    shutdown_deadline: Duration,
    /// The tokens of the demo, when it was loaded.
    pub demo_tokens: Option<DemoTokens>,
}

/// Connects to the database named by the settings and applies the migrations (as the tables' owner when
/// an admin URL is given, granting the application's role).
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    if let Some(admin) = &settings.admin_database_url {
        let owner = Store::connect(&StoreConfig {
            url: admin.clone(),
            max_connections: 2,
            acquire_timeout: settings.db_acquire_timeout,
            sqlite_synchronous: settings.sqlite_synchronous,
        })
        .await?;
        owner.migrate(settings.app_role.as_deref()).await?;
    }
    let store = Store::connect(&StoreConfig {
        url: settings.database_url.clone(),
        max_connections: settings.max_connections,
        acquire_timeout: settings.db_acquire_timeout,
        sqlite_synchronous: settings.sqlite_synchronous,
    })
    .await?;
    if settings.admin_database_url.is_none() {
        store.migrate(settings.app_role.as_deref()).await?;
    }
    Ok(store)
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let store = open_store(settings).await?;
        let jamaa = Jamaa::new(store, settings.keyring()?)
            .with_session_ttl(chrono::Duration::hours(i64::from(settings.session_hours)))
            .with_idempotency_ttl(
                chrono::Duration::from_std(settings.idempotency_ttl)
                    .unwrap_or(jamaa_core::service::DEFAULT_IDEMPOTENCY_TTL),
            );
        let installed = jamaa.install_shipped_templates().await.context("the shipped templates do not load")?;
        if !installed.is_empty() {
            tracing::info!(templates = ?installed.iter().map(ToString::to_string).collect::<Vec<_>>(), "shipped templates installed");
        }
        let demo_tokens = if settings.demo { Some(jamaa.load_demo().await?) } else { None };
        jamaa.refresh_site_origins().await.context("the communes' site origins do not load")?;
        let listener = TcpListener::bind(settings.bind).await?;
        let public_url = match &settings.public_url {
            Some(url) => url.clone(),
            None => format!("http://{}", listener.local_addr()?),
        };
        let jamaa = jamaa.with_payment_providers(jamaa_core::service::PaymentProviders {
            public_url,
            merchants: settings.payment_providers.clone(),
        });
        Ok(Self {
            listener,
            jamaa,
            scheduler_interval: settings.scheduler_interval,
            limits: crate::limits::EdgeLimits::new(settings.rate_limit_per_minute, settings.trusted_proxies.clone()),
            site: settings.site.clone(),
            introspection: settings.introspection,
            cors_origins: settings.cors_origins.clone(),
            metrics: settings.metrics,
            slow_clients: settings.slow_clients,
            notifications: settings.notifications.clone(),
            shutdown_deadline: settings.shutdown,
            demo_tokens,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Replaces the clock of the use cases and of the notification dispatcher (tests of back-off and
    /// deadlines).
    pub fn with_clock(mut self, clock: jamaa_core::service::Clock) -> Self {
        self.jamaa = self.jamaa.with_clock(clock);
        self
    }

    /// Serves until `shutdown` completes, with the scheduler applying due timers every interval, the
    /// dispatcher delivering notifications and, on PostgreSQL, the changes other servers commit heard. Then
    /// stops: no new connection, the requests under way finished, the WebSocket sessions closed with a close
    /// frame, the scheduler and the dispatcher ended after their current item, all within the shutdown deadline
    /// (what is left then is cut).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let stop = crate::connections::Shutdown::default();
        let scheduler =
            tokio::spawn(run_scheduler(self.jamaa.clone(), self.scheduler_interval, self.limits.clone(), stop.clone()));
        let dispatcher = tokio::spawn(
            crate::dispatcher::Dispatcher::new(self.jamaa.clone(), self.notifications.clone())?.run_until(stop.told()),
        );
        let others = {
            let jamaa = self.jamaa.clone();
            tokio::spawn(async move { jamaa.follow_other_servers().await })
        };
        let schemas = build_schemas(self.jamaa.clone(), self.limits.clone(), self.introspection);
        // The recorder is installed before the first request, so that every count is kept.
        let metrics = self.metrics.then(|| {
            let _ = crate::metrics::handle();
            self.jamaa.store().clone()
        });
        let state = AppState {
            schema: schemas.main,
            introspection: schemas.introspection,
            jamaa: self.jamaa.clone(),
            limits: self.limits,
            health: crate::health::Health::start(self.jamaa.store().clone()),
            shutdown: stop.clone(),
            responses: Default::default(),
        };
        let router = match &self.site {
            Some(site) => with_site(router(state), site),
            None => router(state),
        };
        let router = crate::app::with_edge(
            router,
            crate::cors::layer(&self.cors_origins, self.jamaa.site_origins_cache()),
            metrics,
        );
        let app = crate::app::with_security_headers(router);
        let deadline = self.shutdown_deadline;
        let result =
            crate::connections::serve(self.listener, app, self.slow_clients, shutdown, stop.clone(), deadline).await;
        others.abort();
        // The scheduler and the dispatcher end after their current item, within what is left of the deadline.
        let (scheduler_abort, dispatcher_abort) = (scheduler.abort_handle(), dispatcher.abort_handle());
        let ended = tokio::time::timeout(stop.left_of(deadline), async {
            let _ = scheduler.await;
            let _ = dispatcher.await;
        })
        .await;
        if ended.is_err() {
            tracing::warn!("the scheduler or the dispatcher was still at work at the shutdown deadline: it is cut");
            scheduler_abort.abort();
            dispatcher_abort.abort();
        }
        tracing::info!("stopped");
        Ok(result?)
    }
}

/// Applies due timers every interval (and the other periodic work) until the server stops: a pass under way
/// when it is told to is finished first.
async fn run_scheduler(
    jamaa: Jamaa,
    every: Duration,
    limits: std::sync::Arc<crate::limits::EdgeLimits>,
    stop: crate::connections::Shutdown,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut told = std::pin::pin!(stop.told());
    // The day (UTC) whose heads this server published: once a day, each commune's chain head is published.
    let mut published_on = None;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = &mut told => return,
        }
        let now = chrono::Utc::now();
        if published_on != Some(now.date_naive()) {
            match jamaa.publish_audit_heads(now).await {
                Ok(count) => {
                    published_on = Some(now.date_naive());
                    if count > 0 {
                        tracing::info!(published = count, "audit chain heads published");
                    }
                }
                Err(error) => tracing::error!(error = %error, code = error.code(), "audit heads were not published"),
            }
        }
        limits.forget_idle();
        // What another server sharing the database changed in the communes' site origins.
        if let Err(error) = jamaa.refresh_site_origins().await {
            tracing::error!(error = %error, code = error.code(), "the communes' site origins were not re-read");
        }
        match jamaa.purge_idempotency_keys().await {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "expired idempotency keys purged"),
            Err(error) => tracing::error!(error = %error, code = error.code(), "idempotency keys were not purged"),
        }
        match jamaa.run_training_resets(chrono::Utc::now()).await {
            Ok(done) => {
                for report in done {
                    tracing::info!(commune = %report.slug, requests = report.requests, "training commune reset");
                }
            }
            Err(error) => tracing::error!(error = %error, code = error.code(), "training communes were not reset"),
        }
        match jamaa.run_due_timers(chrono::Utc::now()).await {
            Ok(report) => {
                crate::metrics::scheduler_run(Ok((report.fired, report.dropped)));
                if report.fired + report.dropped > 0 {
                    tracing::info!(fired = report.fired, dropped = report.dropped, "timers applied");
                }
            }
            Err(error) => {
                crate::metrics::scheduler_run(Err(()));
                tracing::error!(error = %error, code = error.code(), "scheduler run failed");
            }
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
