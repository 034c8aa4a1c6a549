//! Idempotent creating calls: the claim of a key in the call's transaction, the sealed record of its answer,
//! and the purge of expired keys.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Principal;
use crate::crypto;
use crate::error::Error;
use crate::model::idempotency::Idempotency;
use crate::model::ids::TenantId;
use crate::store::idempotency::{self as store, Claim};
use crate::store::{TenantScope, TenantTx, keys};

use super::Jamaa;

/// How long a key claimed apart from its use case is held without an answer: longer than a request may take
/// (120 s), so that a server stopped between the use case and the record of its answer blocks the key only
/// that long.
pub const PENDING_CLAIM: std::time::Duration = std::time::Duration::from_secs(180);

/// What the claim of a call's key found.
#[derive(Debug)]
pub enum CallClaim {
    /// The key is this call's: run it, then record its answer (or release the key when it fails).
    New,
    /// The same request was answered before: its answer.
    Replay(serde_json::Value),
}

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
    /// beside submissions, mail and civil acts: one layer claims for all of them), in a transaction of its own
    /// in the commune: `Replay` with the answer recorded for the same request, else `New`, the key held for
    /// [`PENDING_CLAIM`] until [`Jamaa::record_call_answer`] keeps it with its answer, or
    /// [`Jamaa::release_call_key`] frees it. The same key while the first call is being answered is CONFLICT.
    pub async fn claim_call_key(
        &self,
        principal: &Principal,
        commune: TenantId,
        idempotency: &Idempotency,
    ) -> Result<CallClaim, Error> {
        let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
        let pending = chrono::Duration::from_std(PENDING_CLAIM).map_err(Error::internal)?;
        let claim = self.claim_key::<serde_json::Value>(&tx, principal, Some(idempotency), pending).await?;
        tx.commit().await?;
        Ok(claim.map_or(CallClaim::New, CallClaim::Replay))
    }

    /// Records the answer of a call that claimed its key with [`Jamaa::claim_call_key`], sealed, and keeps the
    /// key for the usual time.
    pub async fn record_call_answer(
        &self,
        principal: &Principal,
        commune: TenantId,
        idempotency: &Idempotency,
        answer: &serde_json::Value,
    ) -> Result<(), Error> {
        let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
        let caller = caller(principal);
        let now = self.now();
        let (data_key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let text = serde_json::to_vec(answer).map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &text, &context(&tx, &caller, idempotency))?;
        store::record(&tx, &caller, idempotency, sealed, data_key_id, Some(now + self.idempotency_ttl)).await?;
        tx.commit().await
    }

    /// Frees the key of a call that failed after [`Jamaa::claim_call_key`]: the same key may be sent again.
    pub async fn release_call_key(
        &self,
        principal: &Principal,
        commune: TenantId,
        idempotency: &Idempotency,
    ) -> Result<(), Error> {
        let tx = self.store.tenant_tx(TenantScope::new(commune)).await?;
        store::release(&tx, &caller(principal), idempotency).await?;
        tx.commit().await
    }

    /// Deletes the idempotency keys of every commune kept past their time (the scheduler); returns how many.
    pub async fn purge_idempotency_keys(&self) -> Result<u64, Error> {
        store::purge(&self.store, self.now()).await
    }
}
