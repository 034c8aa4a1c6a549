//! Published services held in memory.
//!
//! Published versions of services and workflows never change, so a version read once may be kept: versions are
//! held by `(commune, service version, workflow version)`, never by id alone, so a commune's lookup cannot find
//! another's. A commune's *current* catalog does change (publish, retire, onboarding, upgrade, import): it is
//! held under the catalog generation of the commune's row (`communes.catalog_generation`, raised in the
//! transaction of every such change), and answered from memory only to a caller that read the same generation
//! with the commune's row — from the database, or from [`CommuneStates`] while the server hears of every change
//! of the communes' rows. Identical definitions (communes onboarded from the same template) are stored once
//! (`definitions`, addressed by the SHA-256 of their JSON) and decoded once: they are interned by the addresses
//! of the service's and the workflow's bodies. Communes' calendars and configurations are stored the same way
//! (m0027) and held decoded by their address, which names one content forever. Published templates are held by
//! `name@version`, which never changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};

use sha2::{Digest, Sha256};

use super::config::CommuneConfig;
use crate::error::Error;
use crate::model::calendar::WorkingCalendar;
use crate::model::catalog::PublishedService;
use crate::model::catalog::ServiceDefinition;
use crate::model::commune::Commune;
use crate::model::template::{TemplateBundle, TemplateRef};

/// Beyond this many versions held, the oldest are dropped all at once (a server is restarted long before).
const MAX_VERSIONS: usize = 200_000;

/// Beyond this many calendars (or configurations) held, all are dropped at once: communes onboarded from one
/// template share one, so this many means a great many local changes.
const MAX_INTERNED: usize = 10_000;

/// A commune's current services, in code order, as of one generation.
pub(crate) type Current = Arc<[PublishedService]>;

#[derive(Debug, Default)]
pub(crate) struct CatalogCache {
    /// tenant → (generation, its current services).
    current: RwLock<HashMap<uuid::Uuid, (i64, Current)>>,
    /// (tenant, service version id, workflow version id) → that version.
    versions: RwLock<HashMap<(uuid::Uuid, uuid::Uuid, uuid::Uuid), PublishedService>>,
    /// The addresses of a service's and its workflow's stored definitions → the decoded definition, while anyone
    /// holds it.
    definitions: Mutex<HashMap<[u8; 32], Weak<ServiceDefinition>>>,
    /// Published templates (`name@version` never changes either).
    templates: RwLock<HashMap<TemplateRef, Arc<TemplateBundle>>>,
    /// Working calendars by their address in `definitions`.
    pub(crate) calendars: Interned<WorkingCalendar>,
    /// Communes' configurations by their address in `definitions`.
    pub(crate) configs: Interned<CommuneConfig>,
    /// Role sets communes were onboarded with, by their address in `definitions`.
    pub(crate) role_sets: Interned<Vec<crate::model::standard::RoleDef>>,
    /// Communes by slug, and their catalog generation, while this server hears every change of their rows.
    pub(crate) communes: CommuneStates,
}

/// Communes as their rows stood when read, by slug, each with the generation of its current catalog: what a
/// catalog read depends on, answered without a query while nothing changed since.
///
/// A held commune is answered only while this server hears of every change of the communes' rows
/// ([`Self::follow`]: on PostgreSQL its listener is connected, a trigger on `communes` notifying every commit that
/// changes one; on SQLite a watch of the file's `data_version` sees every other process's commit), and only if it
/// was read at the current epoch: every commit of this server, and every change heard of, starts a new epoch,
/// which no commune read before it matches. A change committed by another server or process is thus answered
/// once it is heard of (milliseconds); one committed by this server, at once. Nothing is held while nothing is
/// heard (a library user's [`crate::service::Jamaa`] that does not follow the others, a lost listener).
#[derive(Debug, Default)]
pub(crate) struct CommuneStates {
    /// By slug.
    held: RwLock<HashMap<String, HeldCommune>>,
    epoch: std::sync::atomic::AtomicU64,
    followed: std::sync::atomic::AtomicBool,
}

#[derive(Debug)]
struct HeldCommune {
    /// The epoch it was read at.
    read_at: u64,
    commune: Arc<Commune>,
    /// Its catalog generation then.
    generation: i64,
}

impl CommuneStates {
    /// The epoch to read at: pass it to [`Self::keep`] with what the read found.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Something that a commune read may depend on changed (or may have, unheard): what is held is stale.
    pub(crate) fn changed(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether every change is heard from now on; a new epoch starts either way (what went unheard is past).
    pub(crate) fn follow(&self, heard: bool) {
        self.followed.store(heard, std::sync::atomic::Ordering::SeqCst);
        self.changed();
        if !heard {
            self.held.write().unwrap_or_else(PoisonError::into_inner).clear();
        }
    }

    /// The commune `slug` names and its catalog generation, if read at the current epoch while followed.
    pub(crate) fn get(&self, slug: &str) -> Option<(Arc<Commune>, i64)> {
        if !self.followed.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        let epoch = self.epoch();
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        held.get(slug).filter(|held| held.read_at == epoch).map(|held| (held.commune.clone(), held.generation))
    }

    /// Keeps what a read that started at `epoch` found; the same commune held already is answered instead, so
    /// that readers share one copy.
    pub(crate) fn keep(&self, epoch: u64, commune: Commune, generation: i64) -> Arc<Commune> {
        let mut held = self.held.write().unwrap_or_else(PoisonError::into_inner);
        let slug = commune.spec.slug.as_str().to_owned();
        if let Some(same) = held.get_mut(&slug) {
            if same.generation == generation && *same.commune == commune {
                same.read_at = same.read_at.max(epoch);
                return same.commune.clone();
            }
            if same.read_at > epoch {
                // A newer read is held: this one is stale already.
                return Arc::new(commune);
            }
        }
        let commune = Arc::new(commune);
        if held.len() >= MAX_INTERNED {
            held.clear();
        }
        held.insert(slug, HeldCommune { read_at: epoch, commune: commune.clone(), generation });
        commune
    }
}

/// Decoded content by its address in `definitions`: the content under an address never changes, so what is held
/// is never stale, and one decoded copy serves every commune (and every database) that refers to it.
#[derive(Debug)]
pub(crate) struct Interned<T>(RwLock<HashMap<String, Arc<T>>>);

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Self(RwLock::default())
    }
}

impl<T: serde::de::DeserializeOwned> Interned<T> {
    /// The content at `address`, decoded once for every commune (and database) that refers to it: held, else
    /// read, decoded and kept. `what` names the content in the error of an address with no body.
    pub(crate) async fn load(
        &self,
        conn: &impl sea_orm::ConnectionTrait,
        address: &str,
        what: &str,
    ) -> Result<Arc<T>, Error> {
        if let Some(found) = self.get(address) {
            return Ok(found);
        }
        let body = super::shared::shared_bodies(conn, [address.to_owned()])
            .await?
            .remove(address)
            .ok_or_else(|| Error::internal(format!("no stored {what} at {address}")))?;
        let value: T = serde_json::from_value(body).map_err(Error::internal)?;
        Ok(self.keep(address, value))
    }
}

impl<T> Interned<T> {
    pub(crate) fn get(&self, address: &str) -> Option<Arc<T>> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).get(address).cloned()
    }

    /// Keeps `value` as the content of `address`; the one held already when another reader was first.
    pub(crate) fn keep(&self, address: &str, value: T) -> Arc<T> {
        let mut held = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(first) = held.get(address) {
            return first.clone();
        }
        if held.len() >= MAX_INTERNED {
            held.clear();
        }
        let value = Arc::new(value);
        held.insert(address.to_owned(), value.clone());
        value
    }
}

/// One key for a service definition's address and its workflow's.
fn pair_key(service: &str, workflow: &str) -> [u8; 32] {
    Sha256::new().chain_update(service).chain_update([0]).chain_update(workflow).finalize().into()
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

    /// The definition of a service version and its workflow version, by their addresses in `definitions`, if
    /// anyone holds it decoded.
    pub(crate) fn shared_definition(&self, service: &str, workflow: &str) -> Option<Arc<ServiceDefinition>> {
        self.lookup(&pair_key(service, workflow))
    }

    /// The definition made of these stored bodies, decoded once for every commune that refers to the same.
    pub(crate) fn intern_definition(
        &self,
        service: &str,
        workflow: &str,
        value: serde_json::Value,
    ) -> Result<Arc<ServiceDefinition>, Error> {
        let key = pair_key(service, workflow);
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
        let a = cache.intern_definition("s1", "w1", serde_json::to_value(first).unwrap()).unwrap();
        let b = cache.intern_definition("s1", "w1", serde_json::to_value(first).unwrap()).unwrap();
        let c = cache.intern_definition("s2", "w1", serde_json::to_value(second).unwrap()).unwrap();
        assert!(Arc::ptr_eq(&a, &cache.shared_definition("s1", "w1").unwrap()));
        assert!(cache.shared_definition("s1", "w2").is_none());
        assert!(Arc::ptr_eq(&a, &b), "the same definition twice in memory");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(*a, *first);
        assert_eq!(cache.distinct_definitions(), 2);
        drop((a, b, c));
        assert_eq!(cache.distinct_definitions(), 0, "a definition nobody holds is kept alive");
    }

    #[test]
    fn content_is_held_once_by_its_address() {
        let cache = CatalogCache::default();
        assert!(cache.calendars.get("a").is_none());
        let first = cache.configs.keep("a", CommuneConfig::default());
        let mut other = CommuneConfig::default();
        other.settings.insert("x".into(), serde_json::json!(1));
        let again = cache.configs.keep("a", other.clone());
        assert!(Arc::ptr_eq(&first, &again), "a second decoding replaced the content held under its address");
        assert!(Arc::ptr_eq(&first, &cache.configs.get("a").unwrap()));
        assert_eq!(*cache.configs.keep("b", other.clone()), other);
    }

    fn commune(slug: &str, name: &str) -> Commune {
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::now_v7(), "slug": slug, "name": { "fr": name }, "country": "MA",
            "defaultLocale": "fr", "locales": ["fr"], "timeZone": "Africa/Casablanca", "currency": "MAD",
            "trackingPrefix": "OUJ", "calendar": { "weekend": ["Sat", "Sun"] }, "status": "active"
        }))
        .expect("a commune")
    }

    #[test]
    fn a_commune_is_answered_from_memory_only_while_followed_and_unchanged() {
        let states = CommuneStates::default();
        let epoch = states.epoch();
        states.keep(epoch, commune("oujda", "Oujda"), 1);
        assert!(states.get("oujda").is_none(), "held while no change is heard of");
        states.follow(true);
        let epoch = states.epoch();
        let held = states.keep(epoch, commune("oujda", "Oujda"), 1);
        let (again, generation) = states.get("oujda").expect("held");
        assert!(Arc::ptr_eq(&held, &again) && generation == 1);
        assert!(states.get("chefchaouen").is_none(), "one commune answered for another");
        // A commit (of this server, or heard of) makes what is held stale.
        states.changed();
        assert!(states.get("oujda").is_none());
        // A read that started before a change keeps what it found, which no later read is answered.
        let before = states.epoch();
        states.changed();
        states.keep(before, commune("oujda", "Oujda renamed"), 2);
        assert!(states.get("oujda").is_none(), "a read begun before a change answered after it");
        // The listener lost: nothing is answered from memory, whatever epoch.
        let epoch = states.epoch();
        states.keep(epoch, commune("oujda", "Oujda"), 2);
        assert!(states.get("oujda").is_some());
        states.follow(false);
        assert!(states.get("oujda").is_none());
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
