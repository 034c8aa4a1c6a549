//! The proactive-publication list of law 31.13: what the commune must publish, and where it did.

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::publication::{self, PublicationItem, PublicationList};
use crate::model::settings::SettingsSection as _;
use crate::store::citizen::{self as store, PublicationRecord};
use crate::store::{TenantTx, audit, config};

use super::Jamaa;

/// An item of the proactive-publication list and whether (and where) the commune published it.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationStatus {
    pub item: PublicationItem,
    pub published: Option<PublicationRecord>,
}

async fn publication_list(tx: &TenantTx) -> Result<PublicationList, Error> {
    PublicationList::from_settings_or_default(&config::get(tx).await?.settings).map_err(Error::internal)
}

impl Jamaa {
    /// The commune's proactive-publication list, each item with whether and where it is published: public.
    pub async fn publications(&self, commune: &Commune) -> Result<Vec<PublicationStatus>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let list = publication_list(&tx).await?;
        let mut published = store::publications(&tx).await?;
        tx.commit().await?;
        Ok(list
            .items
            .into_iter()
            .map(|item| {
                let at = published.iter().position(|p| p.item_key == item.key);
                PublicationStatus { published: at.map(|i| published.swap_remove(i)), item }
            })
            .collect())
    }

    /// Records where an item of the list is published (an address or a place): staff allowed to manage
    /// publications. An unknown item is `NOT_AN_OPTION` at `item`; a blank location is `REQUIRED` at
    /// `location`.
    pub async fn mark_published(
        &self,
        principal: &Principal,
        commune: &Commune,
        item_key: &str,
        location: &str,
    ) -> Result<PublicationStatus, Error> {
        let scope = principal.authorize(commune.id, Permission::ManagePublications)?;
        let location = publication::check_location(location).map_err(|e| Error::Validation(vec![e]))?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let list = publication_list(&tx).await?;
        let Some(item) = list.item(item_key).cloned() else {
            return Err(Error::Validation(vec![FieldError::new(
                "item",
                FieldErrorCode::NotAnOption,
                messages::not_on_publication_list(),
            )]));
        };
        let record = PublicationRecord {
            item_key: item.key.clone(),
            location,
            published_at: now,
            published_by: principal.actor(),
        };
        store::put_publication(&tx, &record).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::PublicationPublished,
                AuditSubject::Publication(item.key.clone()),
                serde_json::json!({ "item": item.key, "location": record.location }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(PublicationStatus { item, published: Some(record) })
    }
}
