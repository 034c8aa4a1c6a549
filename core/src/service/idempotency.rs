//! Idempotent creating calls: the claim of a key in the call's transaction, the sealed record of its answer,
//! and the purge of expired keys.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Principal;
use crate::crypto;
use crate::error::Error;
use crate::model::idempotency::Idempotency;
use crate::store::idempotency::{self as store, Claim};
use crate::store::{TenantTx, keys};

use super::Jamaa;

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
    ) -> Result<Option<T>, Error> {
        let Some(idempotency) = idempotency else { return Ok(None) };
        let caller = caller(principal);
        match store::claim(tx, &caller, idempotency, self.now(), self.idempotency_ttl).await? {
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
        store::record(tx, &caller, idempotency, sealed, data_key_id).await
    }

    /// Deletes the idempotency keys of every commune kept past their time (the scheduler); returns how many.
    pub async fn purge_idempotency_keys(&self) -> Result<u64, Error> {
        store::purge(&self.store, self.now()).await
    }
}
