//! Idempotent creating calls: the claim of a key in the call's transaction, the sealed record of its answer,
//! and the purge of expired keys.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Principal;
use crate::crypto;
use crate::error::Error;
use crate::model::idempotency::Idempotency;
pub use crate::store::idempotency::KeyScope;
use crate::store::idempotency::{self as store, Claim, PlatformClaim};
use crate::store::{TenantScope, TenantTx, keys};

use super::Jamaa;

/// How long a key claimed apart from its use case is held without an answer: longer than a request may take
/// (120 s), so that a server stopped between the use case and the record of its answer blocks the key only
/// that long.
pub const PENDING_CLAIM: std::time::Duration = std::time::Duration::from_secs(180);

/// What the claim of a call's key found.
#[derive(Debug)]
pub enum CallClaim {
    /// The key is this call's: run it under [`Jamaa::run_claimed`], then record its answer (or release the
    /// key when it fails).
    New(PendingCall),
    /// The same request was answered before: its answer.
    Replay(serde_json::Value),
}

/// A call whose key is claimed and whose use case has not run yet.
#[derive(Debug)]
pub struct PendingCall(store::Pending);

/// Who a key belongs to within a commune: the token or user calling; anonymous citizens share one caller,
/// and their key (long and random) is what tells them apart.
fn caller(principal: &Principal) -> String {
    principal.actor()
}

/// What the sealed answer is bound to: the commune, the caller and the key.
fn context(tx: &TenantTx, caller: &str, idempotency: &Idempotency) -> Vec<u8> {
    let mut context = tx.tenant_uuid().as_bytes().to_vec();
    context.extend_from_slice(caller.as_bytes());
    context.push(0);
    context.extend_from_slice(idempotency.key.as_str().as_bytes());
    context
}

/// What a platform key's sealed answer is bound to: the caller and the key.
fn platform_context(caller: &str, idempotency: &Idempotency) -> Vec<u8> {
    let mut context = b"idempotency\0".to_vec();
    context.extend_from_slice(caller.as_bytes());
    context.push(0);
    context.extend_from_slice(idempotency.key.as_str().as_bytes());
    context
}

impl Jamaa {
    /// Claims the call's key (if it has one) in its transaction: `Some(answer)` when the same request was
    /// answered before (the caller returns that answer and creates nothing), `None` to go on.
    pub(crate) async fn claim_key<T: DeserializeOwned>(
        &self,
        tx: &TenantTx,
        principal: &Principal,
        idempotency: Option<&Idempotency>,
        ttl: chrono::Duration,
    ) -> Result<Option<T>, Error> {
        let Some(idempotency) = idempotency else { return Ok(None) };
        let caller = caller(principal);
        match store::claim(tx, &caller, idempotency, self.now(), ttl).await? {
            Claim::New => Ok(None),
            Claim::Replay { answer, data_key_id } => {
                let key = keys::by_id(tx, &self.keyring, data_key_id).await?;
                let text = crypto::open(&key, &answer, &context(tx, &caller, idempotency))?;
                serde_json::from_slice(&text).map(Some).map_err(Error::internal)
            }
        }
    }

    /// Records the answer of a call that claimed its key, sealed under the commune's data key, in the call's
    /// transaction (before it commits).
    pub(crate) async fn record_answer<T: Serialize>(
        &self,
        tx: &TenantTx,
        principal: &Principal,
        idempotency: Option<&Idempotency>,
        answer: &T,
    ) -> Result<(), Error> {
        let Some(idempotency) = idempotency else { return Ok(()) };
        let caller = caller(principal);
        let (data_key_id, key) = keys::current(tx, &self.keyring, self.now()).await?;
        let text = serde_json::to_vec(answer).map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &text, &context(tx, &caller, idempotency))?;
        store::record(tx, &caller, idempotency, sealed, data_key_id, None).await
    }

    /// Claims the key of a creating call whose use case does not take one itself (the API's creating calls
    /// beside submissions, mail and civil acts: one layer claims for all of them), in a transaction of its own,
    /// in the commune or for an operator's call naming none in the platform: `Replay` with the answer recorded
    /// for the same request, else `New`. The key is held for [`PENDING_CLAIM`] while the use case runs under
    /// [`Jamaa::run_claimed`], whose committing transactions mark the key's work done (it is then kept the
    /// usual time, and never claimed anew: a retry whose answer was never recorded is IDEMPOTENCY_KEY_DONE);
    /// [`Jamaa::record_call_answer`] keeps it with its answer, or [`Jamaa::release_call_key`] frees it when
    /// nothing committed. The same key while the first call is being answered is CONFLICT.
    pub async fn claim_call_key(
        &self,
        principal: &Principal,
        scope: KeyScope,
        idempotency: &Idempotency,
    ) -> Result<CallClaim, Error> {
        let pending_for = chrono::Duration::from_std(PENDING_CLAIM).map_err(Error::internal)?;
        let caller = caller(principal);
        let now = self.now();
        let pending = PendingCall(store::Pending {
            scope,
            caller: caller.clone(),
            key: idempotency.key.as_str().to_owned(),
            expires_at: now + self.idempotency_ttl,
        });
        match scope {
            KeyScope::Commune(commune) => {
                let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
                let claim = self.claim_key::<serde_json::Value>(&tx, principal, Some(idempotency), pending_for).await?;
                tx.commit().await?;
                Ok(claim.map_or(CallClaim::New(pending), CallClaim::Replay))
            }
            KeyScope::Platform => {
                match store::claim_platform(&self.store, &caller, idempotency, now, now + pending_for).await? {
                    PlatformClaim::New => Ok(CallClaim::New(pending)),
                    PlatformClaim::Replay { answer, master_key_id } => {
                        let text = self.keyring.open_platform(
                            &answer,
                            &master_key_id,
                            &platform_context(&caller, idempotency),
                        )?;
                        serde_json::from_slice(&text).map(CallClaim::Replay).map_err(Error::internal)
                    }
                }
            }
        }
    }

    /// Runs a claimed call's use case (`work`): the write transactions it commits mark the key's work done in
    /// the same transaction, so that a retry never does it twice.
    pub async fn run_claimed<F: std::future::Future>(&self, pending: &PendingCall, work: F) -> F::Output {
        store::pending(pending.0.clone(), work).await
    }

    /// Records the answer of a call that claimed its key with [`Jamaa::claim_call_key`], sealed, and keeps the
    /// key for the usual time.
    pub async fn record_call_answer(
        &self,
        principal: &Principal,
        scope: KeyScope,
        idempotency: &Idempotency,
        answer: &serde_json::Value,
    ) -> Result<(), Error> {
        let caller = caller(principal);
        let now = self.now();
        let text = serde_json::to_vec(answer).map_err(Error::internal)?;
        match scope {
            KeyScope::Commune(commune) => {
                let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
                let (data_key_id, key) = keys::current(&tx, &self.keyring, now).await?;
                let sealed = crypto::seal(&key, &text, &context(&tx, &caller, idempotency))?;
                store::record(&tx, &caller, idempotency, sealed, data_key_id, Some(now + self.idempotency_ttl)).await?;
                tx.commit().await
            }
            KeyScope::Platform => {
                let sealed = self.keyring.seal_platform(&text, &platform_context(&caller, idempotency))?;
                store::record_platform(&self.store, &caller, idempotency, sealed, now + self.idempotency_ttl).await
            }
        }
    }

    /// Frees the key of a call that failed after [`Jamaa::claim_call_key`] before its use case committed
    /// anything: the same key may be sent again (`true`). A key whose work committed stays (`false`): the
    /// caller records the failure as its answer, or leaves it IDEMPOTENCY_KEY_DONE.
    pub async fn release_call_key(
        &self,
        principal: &Principal,
        scope: KeyScope,
        idempotency: &Idempotency,
    ) -> Result<bool, Error> {
        match scope {
            KeyScope::Commune(commune) => {
                let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
                let released = store::release(&tx, &caller(principal), idempotency).await?;
                tx.commit().await?;
                Ok(released)
            }
            KeyScope::Platform => store::release_platform(&self.store, &caller(principal), idempotency).await,
        }
    }

    /// Deletes the idempotency keys of every commune kept past their time (the scheduler); returns how many.
    pub async fn purge_idempotency_keys(&self) -> Result<u64, Error> {
        store::purge(&self.store, self.now()).await
    }
}
