//! Verifying a commune's audit chain, its public head, the heads it published and a citizen's proof.

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::SecretString;

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{
    AuditHead, AuditKind, AuditProof, AuditSubject, ChainReport, MAX_PROOF_EVENTS, PublishedHead,
};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::store::{TenantScope, audit};

use super::{CountedPage, Jamaa};

/// Kinds of a request's events whose content a proof does not show the applicant: who in the commune holds
/// the file, and the reminders and escalations of its steps, are its internal business (their content hashes
/// and links are in the proof like any other event's).
const WITHHELD_FROM_APPLICANTS: &[AuditKind] =
    &[AuditKind::RequestAssigned, AuditKind::RequestStepReminder, AuditKind::RequestStepEscalated];

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

    /// The heads the commune published, the latest first (anyone): a page of `first` after the day `after`.
    pub async fn audit_heads(
        &self,
        commune: &Commune,
        after: Option<NaiveDate>,
        first: u64,
    ) -> Result<CountedPage<PublishedHead>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let mut items = audit::published_heads(&tx, after, first.saturating_add(1)).await?;
        let total = audit::published_count(&tx).await?;
        tx.commit().await?;
        let has_next = items.len() as u64 > first;
        items.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        Ok(CountedPage { items, has_next, total })
    }

    /// Publishes every commune's head as the one of `now`'s day (UTC), where none is published for it yet and
    /// the chain moved since the last one (the scheduler's daily pass); how many were published. Idempotent:
    /// servers sharing the database publish each head once.
    #[tracing::instrument(skip(self))]
    pub async fn publish_audit_heads(&self, now: DateTime<Utc>) -> Result<u64, Error> {
        let mut published = 0;
        // A training commune's chain restarts at each reset: it is no register to publish.
        let real = self.all_communes().await?.into_iter();
        for commune in real.filter(|c| c.status != crate::model::commune::CommuneStatus::Training) {
            let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
            if audit::publish_head(&tx, now.date_naive(), now).await?.is_some() {
                published += 1;
            }
            tx.commit().await?;
        }
        Ok(published)
    }

    /// What lets the applicant check, without trusting the server, that their request's events after `since`
    /// are in the commune's chain and that today's chain extends the head at `since` (one the commune
    /// published, or one they kept): every link from `since` to the head, at most [`MAX_PROOF_EVENTS`]. A wrong
    /// secret is NOT_FOUND, as for `track_request`; a `since` beyond the head or too far back is OUT_OF_RANGE.
    pub async fn audit_proof(
        &self,
        tracking_code: &str,
        secret: &SecretString,
        since: i64,
    ) -> Result<AuditProof, Error> {
        let (commune, tx, record) = self.tracked(tracking_code, secret).await?;
        let head = audit::head(&tx).await?;
        let earliest = head.sequence.saturating_sub(MAX_PROOF_EVENTS).max(0);
        let since_link = match since {
            since if (earliest..=head.sequence).contains(&since) => audit::link_at(&tx, since).await?,
            _ => None,
        };
        let Some(since_link) = since_link else {
            tx.commit().await?;
            return Err(Error::field(
                "since",
                FieldErrorCode::OutOfRange,
                messages::out_of_range(Some(earliest as f64), Some(head.sequence as f64)),
            ));
        };
        let subject = AuditSubject::Request(record.id).to_string();
        let steps = audit::proof_steps(&tx, since, head.sequence, &subject, WITHHELD_FROM_APPLICANTS).await?;
        tx.commit().await?;
        Ok(AuditProof {
            commune: commune.spec.slug.as_str().to_owned(),
            tenant_id: commune.id,
            subject,
            since,
            since_link,
            steps,
        })
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
