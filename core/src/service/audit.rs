//! Verifying a commune's audit chain, and its public head.

use crate::auth::{Permission, Principal};
use crate::error::Error;
use crate::model::audit::{AuditHead, ChainReport};
use crate::model::commune::Commune;
use crate::store::audit;

use super::Jamaa;

impl Jamaa {
    /// Re-computes every hash of the commune's chain and checks the links and the head.
    pub async fn verify_audit(&self, principal: &Principal, commune: &Commune) -> Result<ChainReport, Error> {
        let scope = principal.authorize(commune.id, Permission::VerifyAudit)?;
        self.verify_audit_of(scope).await
    }

    /// The commune's chain head (sequence, hash, time): public, so that anyone may keep it and see later that
    /// history was not rewritten behind it.
    pub async fn audit_head(&self, commune: &Commune) -> Result<AuditHead, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let head = audit::head(&tx).await?;
        tx.commit().await?;
        Ok(head)
    }

    /// Verifies every commune's chain (the CLI's `audit verify`, run by whoever holds the database).
    pub async fn verify_all_audit(&self) -> Result<Vec<(String, ChainReport)>, Error> {
        let mut reports = Vec::new();
        for commune in self.all_communes().await? {
            let scope = crate::store::TenantScope::new(commune.id);
            reports.push((commune.spec.slug.to_string(), self.verify_audit_of(scope).await?));
        }
        Ok(reports)
    }

    async fn verify_audit_of(&self, scope: crate::store::TenantScope) -> Result<ChainReport, Error> {
        let tx = self.store.tenant_tx(scope).await?;
        let report = audit::verify(&tx).await?;
        tx.commit().await?;
        Ok(report)
    }
}
