//! Published services held in memory.
//!
//! Published versions of services and workflows never change, so a version read once may be kept: versions are
//! held by `(commune, service version, workflow version)`, never by id alone, so a commune's lookup cannot find
//! another's. A commune's *current* catalog does change (publish, retire, onboarding, upgrade, import): it is
//! held under the catalog generation of the commune's row (`communes.catalog_generation`, raised in the
//! transaction of every such change), and answered from memory only to a caller that has just read the same
//! generation from the database — so a publication committed by any server sharing the database is seen by the
//! next read of every server. Identical definitions (communes onboarded from the same template) are decoded
//! once and shared: they are interned by the SHA-256 of their stored JSON. Published templates are held by
//! `name@version`, which never changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};

use sha2::{Digest, Sha256};

use super::catalog::PublishedService;
use crate::error::Error;
use crate::model::catalog::ServiceDefinition;
use crate::model::template::{TemplateBundle, TemplateRef};

/// Beyond this many versions held, the oldest are dropped all at once (a server is restarted long before).
const MAX_VERSIONS: usize = 200_000;

/// A commune's current services, in code order, as of one generation.
pub(crate) type Current = Arc<[PublishedService]>;

#[derive(Debug, Default)]
pub(crate) struct CatalogCache {
    /// tenant → (generation, its current services).
    current: RwLock<HashMap<uuid::Uuid, (i64, Current)>>,
    /// (tenant, service version id, workflow version id) → that version.
    versions: RwLock<HashMap<(uuid::Uuid, uuid::Uuid, uuid::Uuid), PublishedService>>,
    /// SHA-256 of a stored definition → the decoded definition, while anyone holds it.
    definitions: Mutex<HashMap<[u8; 32], Weak<ServiceDefinition>>>,
    /// Published templates (`name@version` never changes either).
    templates: RwLock<HashMap<TemplateRef, Arc<TemplateBundle>>>,
}

impl CatalogCache {
    /// The commune's current services if they are held at exactly `generation`.
    pub(crate) fn current(&self, tenant: uuid::Uuid, generation: i64) -> Option<Current> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.get(&tenant).filter(|(held, _)| *held == generation).map(|(_, services)| services.clone())
    }

    /// Keeps the commune's current services as read at `generation` (or later); a newer generation held
    /// already is kept instead.
    pub(crate) fn keep_current(&self, tenant: uuid::Uuid, generation: i64, services: Current) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        match current.get(&tenant) {
            Some((held, _)) if *held > generation => {}
            _ => {
                current.insert(tenant, (generation, services));
            }
        }
    }

    /// A published version of the commune's, if held.
    pub(crate) fn version(
        &self,
        tenant: uuid::Uuid,
        service: uuid::Uuid,
        workflow: uuid::Uuid,
    ) -> Option<PublishedService> {
        let versions = self.versions.read().unwrap_or_else(PoisonError::into_inner);
        versions.get(&(tenant, service, workflow)).cloned()
    }

    pub(crate) fn keep_version(&self, tenant: uuid::Uuid, published: &PublishedService) {
        let mut versions = self.versions.write().unwrap_or_else(PoisonError::into_inner);
        if versions.len() >= MAX_VERSIONS {
            versions.clear();
        }
        versions.insert((tenant, published.id.as_uuid(), published.workflow_id.as_uuid()), published.clone());
    }

    pub(crate) fn template(&self, reference: &TemplateRef) -> Option<Arc<TemplateBundle>> {
        let templates = self.templates.read().unwrap_or_else(PoisonError::into_inner);
        templates.get(reference).cloned()
    }

    pub(crate) fn keep_template(&self, bundle: Arc<TemplateBundle>) {
        let mut templates = self.templates.write().unwrap_or_else(PoisonError::into_inner);
        templates.insert(bundle.reference(), bundle);
    }

    /// The definition stored as `value`, decoded once for every commune that stores the same JSON.
    pub(crate) fn definition(&self, value: serde_json::Value) -> Result<Arc<ServiceDefinition>, Error> {
        let bytes = serde_json::to_vec(&value).map_err(Error::internal)?;
        let key: [u8; 32] = Sha256::digest(&bytes).into();
        if let Some(shared) = self.lookup(&key) {
            return Ok(shared);
        }
        let decoded: Arc<ServiceDefinition> = Arc::new(serde_json::from_value(value).map_err(Error::internal)?);
        let mut definitions = self.definitions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(shared) = definitions.get(&key).and_then(Weak::upgrade) {
            return Ok(shared);
        }
        if definitions.len() >= 1024 && definitions.len().is_power_of_two() {
            definitions.retain(|_, held| held.strong_count() > 0);
        }
        definitions.insert(key, Arc::downgrade(&decoded));
        Ok(decoded)
    }

    fn lookup(&self, key: &[u8; 32]) -> Option<Arc<ServiceDefinition>> {
        let definitions = self.definitions.lock().unwrap_or_else(PoisonError::into_inner);
        definitions.get(key).and_then(Weak::upgrade)
    }

    /// How many distinct definitions are alive (tests).
    #[cfg(test)]
    pub(crate) fn distinct_definitions(&self) -> usize {
        let definitions = self.definitions.lock().unwrap_or_else(PoisonError::into_inner);
        definitions.values().filter(|held| held.strong_count() > 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_definitions_are_decoded_once() {
        let cache = CatalogCache::default();
        let services = crate::model::standard::moroccan_services().unwrap();
        let (first, second) = (&services[0], &services[1]);
        let a = cache.definition(serde_json::to_value(first).unwrap()).unwrap();
        let b = cache.definition(serde_json::to_value(first).unwrap()).unwrap();
        let c = cache.definition(serde_json::to_value(second).unwrap()).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the same definition twice in memory");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(*a, *first);
        assert_eq!(cache.distinct_definitions(), 2);
        drop((a, b, c));
        assert_eq!(cache.distinct_definitions(), 0, "a definition nobody holds is kept alive");
    }

    #[test]
    fn the_current_catalog_is_held_per_commune_and_generation() {
        let cache = CatalogCache::default();
        let (oujda, chefchaouen) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let catalog: Current = Vec::new().into();
        cache.keep_current(oujda, 3, catalog.clone());
        assert!(cache.current(oujda, 3).is_some());
        assert!(cache.current(oujda, 4).is_none(), "an older catalog answered for a newer generation");
        assert!(cache.current(chefchaouen, 3).is_none(), "one commune's catalog answered for another");
        // A slower reader that read an older generation does not replace a newer one.
        cache.keep_current(oujda, 2, catalog);
        assert!(cache.current(oujda, 3).is_some());
        assert!(cache.current(oujda, 2).is_none());
    }
}
