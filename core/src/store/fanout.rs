//! Several servers on one PostgreSQL database, as one: what a server commits is told to the others.
//!
//! A transaction that queued notices for the subscribers (or changed a commune's website origins) also sends, in
//! the same transaction, one `pg_notify` per change on [`CHANNEL`]: PostgreSQL delivers it to the listening
//! sessions only when (and if) the transaction commits. Each server listens on a connection of its own
//! ([`Listener`], reconnecting by itself after a loss) and feeds what it hears into its own announcer, as if it
//! had committed the change itself. The server that committed a change told its own subscribers already: it
//! skips the signals that carry its own id ([`Signal::server`]), so that no subscriber hears a change twice.
//!
//! A NOTIFY payload is visible to every session of the database: a [`Signal`] carries ids only (the server, the
//! commune, the request, the event's number and kind), never personal data. The listening server reads the rest
//! of the notice (tracking code, state, version, time) from the outbox event, in the commune's own read
//! transaction, so that row-level security holds there as anywhere.
//!
//! Every change of a commune's row is also told, by a trigger on `communes` (m0044), on [`COMMUNES_CHANNEL`]: the
//! listener then starts a new epoch of the communes the server holds in memory ([`super::cache::CommuneStates`]),
//! which it answers from only while connected.
//!
//! SQLite has one server: its path stays the local announcer alone. Other processes may still write the file (the
//! command line beside a running server): [`Store::watch_file`] reads its `data_version` every [`WATCH`] and
//! starts a new epoch of the held communes when another connection committed.

use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::entity::outbox_event;
use super::notifications::Notice;
use super::{Store, TenantScope};
use crate::error::Error;
use crate::model::ids::{RequestId, TenantId};

/// The PostgreSQL channel of the signals.
pub const CHANNEL: &str = "jamaa_changes";

/// The PostgreSQL channel on which the trigger of m0044 tells of every change of a commune's row.
pub const COMMUNES_CHANNEL: &str = "jamaa_communes";

/// How long the listener waits before it tries again to reach a database it lost.
const RETRY: Duration = Duration::from_secs(1);

/// How often a server on SQLite looks whether another process committed to the file.
const WATCH: Duration = Duration::from_millis(100);

/// What one server tells the others: ids only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Signal {
    /// The server that committed the change.
    pub server: uuid::Uuid,
    /// The commune whose change it is.
    pub commune: uuid::Uuid,
    #[serde(flatten)]
    pub change: Change,
}

/// The change a [`Signal`] tells of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub(crate) enum Change {
    /// A recorded event of a request (its outbox event `sequence`, of kind `event`).
    Request { request: uuid::Uuid, sequence: i64, event: String },
    /// The commune's website origins.
    SiteOrigins,
}

impl Signal {
    pub(crate) fn of_notice(server: uuid::Uuid, notice: &Notice) -> Self {
        Self {
            server,
            commune: notice.tenant.as_uuid(),
            change: Change::Request {
                request: notice.request_id.as_uuid(),
                sequence: notice.sequence,
                event: notice.kind.as_str().to_owned(),
            },
        }
    }

    pub(crate) fn payload(&self) -> String {
        // A struct of ids and a string of our own: it always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What a server heard from another.
#[derive(Clone, Debug, PartialEq)]
pub enum Heard {
    /// A change of a request, as its notice: already sent to this server's subscribers.
    Notice(TenantId),
    /// A commune's website origins changed.
    SiteOrigins(TenantId),
}

/// The listening connection of one server (PostgreSQL only).
pub struct Listener {
    store: Store,
    url: SecretString,
    listener: Option<PgListener>,
}

impl Store {
    /// This server's listener of the others' changes; none on SQLite (one server).
    pub fn listener(&self) -> Option<Listener> {
        if self.backend() != sea_orm::DbBackend::Postgres {
            return None;
        }
        let url = self.listen_url.clone()?;
        Some(Listener { store: self.clone(), url, listener: None })
    }

    /// On SQLite, for as long as it runs: the communes this server holds are answered from memory, and dropped
    /// whenever another connection (this server's writer, or another process) committed to the file, which its
    /// `data_version` tells a connection of the watch's own. Returns at once on PostgreSQL ([`Listener`]).
    pub async fn watch_file(&self) {
        use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
        if self.backend() != sea_orm::DbBackend::Sqlite {
            return;
        }
        let states = &self.cache.communes;
        let Some(url) = self.listen_url.clone() else {
            // In memory: no other process can reach it.
            states.follow(true);
            return std::future::pending().await;
        };
        loop {
            let connected = async {
                let options: sea_orm::sqlx::sqlite::SqliteConnectOptions = url.expose_secret().parse()?;
                options.read_only(true).connect().await
            };
            let mut connection = match connected.await {
                Ok(connection) => connection,
                Err(error) => {
                    tracing::warn!(%error, "the database file cannot be watched; trying again");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            };
            let mut seen = None;
            loop {
                let version =
                    sea_orm::sqlx::query_scalar::<_, i64>("PRAGMA data_version").fetch_one(&mut connection).await;
                match version {
                    Ok(version) if seen == Some(version) => {}
                    Ok(version) => {
                        // The first reading, or a commit of another connection since the last.
                        states.follow(true);
                        seen = Some(version);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the database file's watch failed; watching again");
                        states.follow(false);
                        break;
                    }
                }
                tokio::time::sleep(WATCH).await;
            }
            let _ = connection.close().await;
            tokio::time::sleep(RETRY).await;
        }
    }

    /// Rebuilds the notice of a request's event from its outbox event, in the commune's read transaction.
    async fn notice_of(&self, tenant: TenantId, request: RequestId, sequence: i64) -> Result<Option<Notice>, Error> {
        let tx = self.tenant_read_tx(TenantScope::new(tenant)).await?;
        let event = outbox_event::Entity::find()
            .filter(outbox_event::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(outbox_event::Column::RequestId.eq(request.as_uuid()))
            .filter(outbox_event::Column::Sequence.eq(sequence))
            .one(tx.conn())
            .await?;
        tx.rollback().await?;
        Ok(event.and_then(|event| {
            let of = &event.payload["request"];
            Some(Notice {
                tenant,
                request_id: request,
                tracking_code: of["trackingCode"].as_str()?.to_owned(),
                sequence: event.sequence,
                kind: event.kind,
                state: of["state"].as_str()?.to_owned(),
                version: of["version"].as_i64()?,
                occurred_at: event.created_at,
            })
        }))
    }
}

impl Listener {
    /// The next change another server committed; its notice, if it is one, is sent to this server's subscribers
    /// first. Waits as long as it takes: after a lost connection it logs it and connects again by itself (what
    /// was committed meanwhile is not heard: a subscriber still reads the current state on its next query).
    pub async fn next(&mut self) -> Heard {
        loop {
            let listener = match self.listener.as_mut() {
                Some(listener) => listener,
                None => match connect(&self.url).await {
                    Ok(listener) => {
                        tracing::info!(channel = CHANNEL, "listening to the other servers' changes");
                        // What changed while no one listened is past: a new epoch, from which on all is heard.
                        self.store.cache.communes.follow(true);
                        self.listener.insert(listener)
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the other servers' changes cannot be listened to; trying again");
                        tokio::time::sleep(RETRY).await;
                        continue;
                    }
                },
            };
            let notification = match listener.try_recv().await {
                Ok(Some(notification)) => notification,
                Ok(None) => {
                    tracing::warn!("the connection listening to the other servers was lost; listening again");
                    self.store.cache.communes.follow(false);
                    self.listener = None;
                    continue;
                }
                Err(error) => {
                    tracing::warn!(%error, "the connection listening to the other servers failed; connecting again");
                    self.store.cache.communes.follow(false);
                    self.listener = None;
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            };
            if notification.channel() == COMMUNES_CHANNEL {
                self.store.cache.communes.changed();
                continue;
            }
            let Ok(signal) = serde_json::from_str::<Signal>(notification.payload()) else {
                tracing::warn!("a signal of another server was not understood");
                continue;
            };
            if signal.server == self.store.server {
                continue;
            }
            let commune = TenantId::from_uuid(signal.commune);
            match signal.change {
                Change::SiteOrigins => return Heard::SiteOrigins(commune),
                Change::Request { request, sequence, .. } => {
                    match self.store.notice_of(commune, RequestId::from_uuid(request), sequence).await {
                        Ok(Some(notice)) => {
                            // No subscriber is not an error.
                            let _ = self.store.announcer.send(notice);
                            return Heard::Notice(commune);
                        }
                        Ok(None) => tracing::warn!(%request, sequence, "a change heard of is not in the database"),
                        Err(error) => {
                            tracing::warn!(%error, %request, sequence, "a change heard of could not be read");
                        }
                    }
                }
            }
        }
    }
}

async fn connect(url: &SecretString) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect(url.expose_secret()).await?;
    listener.listen_all([CHANNEL, COMMUNES_CHANNEL]).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_carries_ids_only() {
        let server = uuid::Uuid::now_v7();
        let notice = Notice {
            tenant: TenantId::from_uuid(uuid::Uuid::now_v7()),
            request_id: RequestId::from_uuid(uuid::Uuid::now_v7()),
            tracking_code: "OUJ-2026-000042".into(),
            sequence: 3,
            kind: crate::model::notifications::EventKind::StateChanged,
            state: "answered".into(),
            version: 4,
            occurred_at: chrono::Utc::now(),
        };
        let signal = Signal::of_notice(server, &notice);
        let payload = signal.payload();
        assert!(!payload.contains("OUJ-2026-000042") && !payload.contains("answered"), "{payload}");
        let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&payload)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["change", "commune", "event", "request", "sequence", "server"]);
        assert_eq!(serde_json::from_str::<Signal>(&payload).unwrap(), signal);
        let origins = Signal { server, commune: notice.tenant.as_uuid(), change: Change::SiteOrigins };
        assert_eq!(serde_json::from_str::<Signal>(&origins.payload()).unwrap(), origins);
        // PostgreSQL refuses a payload of 8000 bytes or more.
        assert!(payload.len() < 8000);
    }
}
