//! Publishing services and reading the catalog.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::catalog::ServiceDefinition;
use crate::model::commune::{Commune, Slug};
use crate::model::keys::RoleKey;
use crate::store::audit;
use crate::store::catalog::{self, PublishedService};
use crate::store::{TenantTx, communes};

use super::Jamaa;

/// A service of a commune's catalog, with the commune it belongs to (for currency, locales).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceView {
    pub commune: Arc<Commune>,
    pub service: PublishedService,
}

/// A commune's current services, in code order (shared with every other reader of the same generation).
pub type CurrentServices = Arc<[PublishedService]>;

impl Jamaa {
    /// Publishes a service: a new version of it and of its workflow; earlier versions stay, unchanged, for
    /// the requests that started on them.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, service = %definition.code))]
    pub async fn publish_service(
        &self,
        principal: &Principal,
        commune: &Commune,
        definition: ServiceDefinition,
    ) -> Result<PublishedService, Error> {
        let scope = principal.authorize(commune.id, Permission::PublishService)?;
        let tx = self.store.tenant_tx(scope).await?;
        let roles = catalog::role_keys(&tx).await?;
        let published = publish_in(&tx, commune, &principal.actor(), &definition, &roles, self.now(), "").await?;
        tx.commit().await?;
        Ok(published)
    }

    /// The current services of a commune (public).
    pub async fn services(&self, principal: &Principal, commune_slug: &str) -> Result<Vec<ServiceView>, Error> {
        let catalog = self.catalog(principal, commune_slug).await?;
        Ok(catalog.services.iter().map(|service| catalog.view(service)).collect())
    }

    /// The commune and its current services (public): from memory when this server holds both (the commune while
    /// it hears of every change of the communes' rows, the services at the generation the commune shows), else
    /// what is missing is read (the services in one read-only transaction) and kept.
    pub async fn catalog(&self, principal: &Principal, commune_slug: &str) -> Result<Catalog, Error> {
        let (commune, generation) = self.catalog_state(commune_slug).await?.ok_or(Error::NotFound("commune"))?;
        let scope = principal.authorize(commune.id, Permission::ReadCatalog)?;
        let services = match self.store.cache().current(commune.id.as_uuid(), generation) {
            Some(held) => held,
            None => {
                let tx = self.store.tenant_read_tx(scope).await?;
                let services = catalog::current_services(&tx).await?;
                tx.commit().await?;
                services
            }
        };
        Ok(Catalog { commune, generation, services })
    }

    /// The commune a slug names, as its row stands now, and the generation of its current catalog (raised by
    /// every change of its services): all that a [`Catalog`] read depends on. From memory while this server
    /// hears of every change of the communes' rows (`store::cache::CommuneStates`), else in one query. `None` for
    /// an unknown commune.
    pub async fn catalog_state(&self, commune_slug: &str) -> Result<Option<(Arc<Commune>, i64)>, Error> {
        let Ok(slug) = Slug::parse(commune_slug) else { return Ok(None) };
        let held = &self.store.cache().communes;
        if let Some(state) = held.get(slug.as_str()) {
            return Ok(Some(state));
        }
        let epoch = held.epoch();
        let read = communes::by_slug_with_generation(self.store.reader(), self.store.cache(), slug.as_str()).await?;
        Ok(read.map(|(commune, generation)| (held.keep(epoch, commune, generation), generation)))
    }

    /// One current service by code (public).
    pub async fn service(&self, principal: &Principal, commune_slug: &str, code: &str) -> Result<ServiceView, Error> {
        self.catalog(principal, commune_slug).await?.service(code)
    }
}

/// A commune's current catalog as one read found it.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub commune: Arc<Commune>,
    /// The generation of the commune's catalog the read saw ([`Jamaa::catalog_state`]).
    pub generation: i64,
    pub services: CurrentServices,
}

impl Catalog {
    pub fn view(&self, service: &PublishedService) -> ServiceView {
        ServiceView { commune: self.commune.clone(), service: service.clone() }
    }

    /// The current service with this code, else NOT_FOUND.
    pub fn service(&self, code: &str) -> Result<ServiceView, Error> {
        let service = self.services.iter().find(|s| s.definition.code == code).ok_or(Error::NotFound("service"))?;
        Ok(self.view(service))
    }
}

/// Checks a definition for this commune — its own rules against the commune's roles, and fees in the
/// commune's currency — then publishes it as the next version and records the event. Error paths start
/// with `path_prefix`.
pub(crate) async fn publish_in(
    tx: &TenantTx,
    commune: &Commune,
    actor: &str,
    definition: &ServiceDefinition,
    roles: &[RoleKey],
    now: DateTime<Utc>,
    path_prefix: &str,
) -> Result<PublishedService, Error> {
    check_publishable(definition, roles, commune.spec.currency.as_str(), path_prefix)?;
    let published = catalog::publish(tx, definition, now).await?;
    audit::append(
        tx,
        NewEvent::new(
            actor,
            AuditKind::ServicePublished,
            AuditSubject::Service(published.id),
            serde_json::json!({
                "code": definition.code,
                "version": published.version,
                "workflowId": published.workflow_id,
            }),
        ),
        now,
    )
    .await?;
    Ok(published)
}

/// The checks of a definition before a commune publishes it: its own rules against the commune's `roles`, and
/// fees in the commune's `currency`, each a basis. Error paths start with `path_prefix`.
pub(crate) fn check_publishable(
    definition: &ServiceDefinition,
    roles: &[RoleKey],
    currency: &str,
    path_prefix: &str,
) -> Result<(), Error> {
    let mut errors = definition.check(roles).err().unwrap_or_default();
    for (i, fee) in definition.fees.iter().enumerate() {
        if crate::modules::payments::model::line_basis(fee).is_none() {
            errors.push(FieldError::new(
                format!("fees[{i}].basis"),
                FieldErrorCode::Required,
                crate::model::form::messages::payment_problem(
                    crate::model::form::messages::PaymentProblem::FeeWithoutBasis,
                ),
            ));
        }
        if fee.currency != currency {
            errors.push(FieldError::new(
                format!("fees[{i}].currency"),
                FieldErrorCode::InvalidValue,
                crate::model::form::messages::fee_currency(currency),
            ));
        }
    }
    if !errors.is_empty() {
        for error in &mut errors {
            error.path = format!("{path_prefix}{}", error.path);
        }
        return Err(Error::Validation(errors));
    }
    Ok(())
}
