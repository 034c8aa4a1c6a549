//! A commune's roles, published services and workflow versions.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::TenantTx;
use super::entity::{role, service, workflow};
use super::shared::{put_shared, shared_bodies};
use crate::error::Error;
pub(crate) use crate::model::catalog::PublishedService;
use crate::model::catalog::ServiceDefinition;
use crate::model::ids::{ServiceId, WorkflowId};
use crate::model::keys::{RoleKey, ServiceCode};

/// A role of the commune as its row.
fn role_row(tx: &TenantTx, role: &crate::model::standard::RoleDef) -> Result<role::ActiveModel, Error> {
    Ok(role::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        key: Set(role.key.clone()),
        label: Set(serde_json::to_value(&role.label).map_err(Error::internal)?),
        permissions: Set(serde_json::to_value(&role.permissions).map_err(Error::internal)?),
    })
}

pub(crate) async fn upsert_role(tx: &TenantTx, role: &crate::model::standard::RoleDef) -> Result<(), Error> {
    let existing = role::Entity::find_by_id((tx.tenant_uuid(), role.key.clone())).one(tx.conn()).await?;
    let model = role_row(tx, role)?;
    if existing.is_some() {
        role::Entity::update(model).exec(tx.conn()).await?;
    } else {
        role::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    }
    Ok(())
}

/// What holding `roles` allows in the commune, by its role definitions (unknown roles allow nothing).
pub(crate) async fn permissions_of(
    tx: &TenantTx,
    held: &[RoleKey],
) -> Result<Vec<crate::model::access::Permission>, Error> {
    let mut permissions: Vec<crate::model::access::Permission> =
        roles(tx).await?.into_iter().filter(|def| held.contains(&def.key)).flat_map(|def| def.permissions).collect();
    permissions.sort();
    permissions.dedup();
    Ok(permissions)
}

pub(crate) async fn role_keys(tx: &TenantTx) -> Result<Vec<RoleKey>, Error> {
    Ok(roles(tx).await?.into_iter().map(|r| r.key).collect())
}

/// Stores `definition` as the next version of its service (and of its workflow), and makes it current.
pub(crate) async fn publish(
    tx: &TenantTx,
    definition: &ServiceDefinition,
    now: DateTime<Utc>,
) -> Result<PublishedService, Error> {
    let tenant = tx.tenant_uuid();
    let last_version: Option<i32> = service::Entity::find()
        .select_only()
        .column_as(service::Column::Version.max(), "max")
        .filter(service::Column::TenantId.eq(tenant))
        .filter(service::Column::Code.eq(definition.code.as_str()))
        .into_tuple::<Option<i32>>()
        .one(tx.conn())
        .await?
        .flatten();
    let version = last_version.unwrap_or(0) + 1;

    let [service_hash, workflow_hash] = put_definitions(tx, definition_bodies(definition)?).await?;

    let workflow_id = WorkflowId::new();
    workflow::Entity::insert(workflow::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(workflow_id.as_uuid()),
        service_code: Set(definition.code.clone()),
        version: Set(version),
        definition_hash: Set(workflow_hash),
        published_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;

    service::Entity::update_many()
        .col_expr(service::Column::IsCurrent, Expr::value(false))
        .filter(service::Column::TenantId.eq(tenant))
        .filter(service::Column::Code.eq(definition.code.as_str()))
        .exec(tx.conn())
        .await?;

    let id = ServiceId::new();
    service::Entity::insert(service::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id.as_uuid()),
        code: Set(definition.code.clone()),
        version: Set(version),
        is_current: Set(true),
        workflow_id: Set(workflow_id.as_uuid()),
        definition_hash: Set(service_hash),
        published_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    tx.catalog_changed();

    Ok(PublishedService { id, version, workflow_id, definition: Arc::new(definition.clone()), published_at: now })
}

/// Withdraws a service from the catalog: no version is current any more. Its versions stay, for the
/// requests that run on them.
pub(crate) async fn retire(tx: &TenantTx, code: &str) -> Result<(), Error> {
    service::Entity::update_many()
        .col_expr(service::Column::IsCurrent, Expr::value(false))
        .filter(service::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(service::Column::Code.eq(code))
        .exec(tx.conn())
        .await?;
    tx.catalog_changed();
    Ok(())
}

/// The commune's roles, by key: the role set it was onboarded with (`communes.roles_hash`, shared with every
/// commune onboarded from the same template), each overridden by its own row of the same key, and its own roles.
pub(crate) async fn roles(tx: &TenantTx) -> Result<Vec<crate::model::standard::RoleDef>, Error> {
    use crate::model::standard::RoleDef;
    let address = super::entity::commune::Entity::find_by_id(tx.tenant_uuid())
        .select_only()
        .column(super::entity::commune::Column::RolesHash)
        .into_tuple::<String>()
        .one(tx.conn())
        .await?
        .unwrap_or_default();
    let mut roles: std::collections::BTreeMap<RoleKey, RoleDef> = std::collections::BTreeMap::new();
    if !address.is_empty() {
        let set = tx.cache().role_sets.load(tx.conn(), &address, "role set").await?;
        roles.extend(set.iter().map(|role| (role.key.clone(), role.clone())));
    }
    let rows = role::Entity::find()
        .filter(role::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(role::Column::Key)
        .all(tx.conn())
        .await?;
    for r in rows {
        let role = RoleDef {
            key: r.key,
            label: serde_json::from_value(r.label).map_err(Error::internal)?,
            permissions: serde_json::from_value(r.permissions).map_err(Error::internal)?,
        };
        roles.insert(role.key.clone(), role);
    }
    Ok(roles.into_values().collect())
}

/// Stores a role set in `definitions` (once for every commune onboarded with it); its address.
pub(crate) async fn put_role_set(
    conn: &impl sea_orm::ConnectionTrait,
    roles: &[crate::model::standard::RoleDef],
) -> Result<String, Error> {
    let mut sorted = roles.to_vec();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let body = serde_json::to_value(&sorted).map_err(Error::internal)?;
    let addresses = put_shared(conn, vec![body]).await?;
    addresses.into_iter().next().ok_or_else(|| Error::internal("no role set address"))
}

/// The current version of every service, ordered by code: from memory when held at the generation the
/// commune's row shows in this transaction, else from the database (and then kept, unless this transaction
/// changed them itself).
pub(crate) async fn current_services(tx: &TenantTx) -> Result<super::cache::Current, Error> {
    if tx.has_changed_catalog() {
        return Ok(load_current_services(tx).await?.into());
    }
    // The generation is read before the services: what is kept is never older than the generation it is
    // kept under.
    let generation = super::communes::catalog_generation(tx.conn(), tx.scope.tenant_id()).await?;
    if let Some(held) = tx.cache().current(tx.tenant_uuid(), generation) {
        return Ok(held);
    }
    let services: super::cache::Current = load_current_services(tx).await?.into();
    tx.cache().keep_current(tx.tenant_uuid(), generation, services.clone());
    Ok(services)
}

async fn load_current_services(tx: &TenantTx) -> Result<Vec<PublishedService>, Error> {
    let rows = service::Entity::find()
        .filter(service::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(service::Column::IsCurrent.eq(true))
        .order_by_asc(service::Column::Code)
        .all(tx.conn())
        .await?;
    // One query for the workflows of all of them.
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.workflow_id).collect();
    let workflows = workflow_hashes(tx, ids).await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            let workflow = workflows
                .get(&row.workflow_id)
                .cloned()
                .ok_or_else(|| Error::internal(format!("service {} has no workflow", row.id)))?;
            Ok((row.workflow_id, workflow, row))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let published = assemble(tx, rows).await?;
    for version in &published {
        tx.cache().keep_version(tx.tenant_uuid(), version);
    }
    Ok(published)
}

/// The addresses of the definitions of the commune's workflow versions named, by id, in one query.
async fn workflow_hashes(
    tx: &TenantTx,
    ids: Vec<uuid::Uuid>,
) -> Result<std::collections::HashMap<uuid::Uuid, String>, Error> {
    Ok(workflow::Entity::find()
        .select_only()
        .columns([workflow::Column::Id, workflow::Column::DefinitionHash])
        .filter(workflow::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(workflow::Column::Id.is_in(ids))
        .into_tuple::<(uuid::Uuid, String)>()
        .all(tx.conn())
        .await?
        .into_iter()
        .collect())
}

/// Stores each body under its address, unless another commune (or an earlier version) stored it already; the
/// addresses, in order.
/// The stored forms of a definition: the service without its workflow, and its workflow.
pub(crate) fn definition_bodies(definition: &ServiceDefinition) -> Result<[serde_json::Value; 2], Error> {
    let mut service_body = serde_json::to_value(definition).map_err(Error::internal)?;
    if let Some(object) = service_body.as_object_mut() {
        object.remove("workflow");
    }
    let workflow_body = serde_json::to_value(&definition.workflow).map_err(Error::internal)?;
    Ok([service_body, workflow_body])
}

/// Stores the definitions of these services in `definitions` (those not there yet): for each, the addresses of
/// its service and workflow bodies.
pub(crate) async fn put_services(
    conn: &impl sea_orm::ConnectionTrait,
    definitions: &[ServiceDefinition],
) -> Result<Vec<(String, String)>, Error> {
    let mut bodies = Vec::with_capacity(definitions.len() * 2);
    for definition in definitions {
        bodies.extend(definition_bodies(definition)?);
    }
    let addresses = put_shared(conn, bodies).await?;
    Ok(addresses.chunks(2).map(|pair| (pair[0].clone(), pair[1].clone())).collect())
}

/// Publishes the first version of each service of a new commune, their definitions already in `definitions`
/// at these addresses (`(service, workflow)`, as [`put_services`] gives them): two statements in all.
pub(crate) async fn publish_first(
    tx: &TenantTx,
    services: &[(ServiceDefinition, (String, String))],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if services.is_empty() {
        return Ok(());
    }
    let tenant = tx.tenant_uuid();
    let ids: Vec<(WorkflowId, ServiceId)> = services.iter().map(|_| (WorkflowId::new(), ServiceId::new())).collect();
    workflow::Entity::insert_many(services.iter().zip(&ids).map(|((definition, (_, workflow_hash)), (id, _))| {
        workflow::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(id.as_uuid()),
            service_code: Set(definition.code.clone()),
            version: Set(1),
            definition_hash: Set(workflow_hash.clone()),
            published_at: Set(now),
        }
    }))
    .exec_without_returning(tx.conn())
    .await?;
    service::Entity::insert_many(services.iter().zip(&ids).map(
        |((definition, (service_hash, _)), (workflow_id, id))| service::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(id.as_uuid()),
            code: Set(definition.code.clone()),
            version: Set(1),
            is_current: Set(true),
            workflow_id: Set(workflow_id.as_uuid()),
            definition_hash: Set(service_hash.clone()),
            published_at: Set(now),
        },
    ))
    .exec_without_returning(tx.conn())
    .await?;
    tx.catalog_changed();
    Ok(())
}

async fn put_definitions<const N: usize>(tx: &TenantTx, bodies: [serde_json::Value; N]) -> Result<[String; N], Error> {
    let addresses = put_shared(tx.conn(), bodies.into()).await?;
    addresses.try_into().map_err(|_| Error::internal("definition addresses"))
}

pub(crate) async fn current_service(tx: &TenantTx, code: &ServiceCode) -> Result<Option<PublishedService>, Error> {
    Ok(current_services(tx).await?.iter().find(|s| s.definition.code == *code).cloned())
}

/// Several published versions at once, by `(service version, workflow version)`, in one query for those not
/// held in memory.
pub(crate) async fn service_versions(
    tx: &TenantTx,
    wanted: &[(ServiceId, WorkflowId)],
) -> Result<std::collections::HashMap<(ServiceId, WorkflowId), PublishedService>, Error> {
    let mut found = std::collections::HashMap::with_capacity(wanted.len());
    let mut missing = Vec::new();
    for &(service_id, workflow_id) in wanted {
        if found.contains_key(&(service_id, workflow_id)) {
            continue;
        }
        match tx.cache().version(tx.tenant_uuid(), service_id.as_uuid(), workflow_id.as_uuid()) {
            Some(held) => {
                found.insert((service_id, workflow_id), held);
            }
            None => missing.push((service_id, workflow_id)),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    let service_ids: Vec<uuid::Uuid> = missing.iter().map(|(s, _)| s.as_uuid()).collect();
    let workflow_ids: Vec<uuid::Uuid> = missing.iter().map(|(_, w)| w.as_uuid()).collect();
    let rows: std::collections::HashMap<uuid::Uuid, service::Model> = service::Entity::find()
        .filter(service::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(service::Column::Id.is_in(service_ids))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let workflows = workflow_hashes(tx, workflow_ids).await?;
    let mut wanted_rows = Vec::with_capacity(missing.len());
    for (service_id, workflow_id) in missing {
        let row = rows.get(&service_id.as_uuid()).cloned().ok_or(Error::NotFound("service"))?;
        let workflow = workflows.get(&workflow_id.as_uuid()).cloned().ok_or(Error::NotFound("workflow"))?;
        wanted_rows.push((workflow_id.as_uuid(), workflow, row));
    }
    for published in assemble(tx, wanted_rows).await? {
        tx.cache().keep_version(tx.tenant_uuid(), &published);
        found.insert((published.id, published.workflow_id), published);
    }
    Ok(found)
}

/// A service version by id (the version a request was submitted to), run by the workflow version
/// `workflow_id` (which may be later than the one it was published with, after a migration of requests).
pub(crate) async fn service_version(
    tx: &TenantTx,
    id: ServiceId,
    workflow_id: WorkflowId,
) -> Result<PublishedService, Error> {
    service_versions(tx, &[(id, workflow_id)]).await?.remove(&(id, workflow_id)).ok_or(Error::NotFound("service"))
}

/// Service rows, each with the workflow version it runs (id and definition address), as published services:
/// definitions someone holds decoded already are shared, the bodies of the others read in one query.
async fn assemble(
    tx: &TenantTx,
    rows: Vec<(uuid::Uuid, String, service::Model)>,
) -> Result<Vec<PublishedService>, Error> {
    let cache = tx.cache();
    let held: Vec<Option<Arc<ServiceDefinition>>> =
        rows.iter().map(|(_, workflow, row)| cache.shared_definition(&row.definition_hash, workflow)).collect();
    let needed: std::collections::BTreeSet<&String> = rows
        .iter()
        .zip(&held)
        .filter(|(_, held)| held.is_none())
        .flat_map(|((_, workflow, row), _)| [&row.definition_hash, workflow])
        .collect();
    let bodies: std::collections::HashMap<String, serde_json::Value> = if needed.is_empty() {
        std::collections::HashMap::new()
    } else {
        shared_bodies(tx.conn(), needed.into_iter().cloned()).await?
    };
    let body = |hash: &String| {
        bodies.get(hash).cloned().ok_or_else(|| Error::internal(format!("no stored definition {hash}")))
    };
    rows.into_iter()
        .zip(held)
        .map(|((workflow_id, workflow, row), held)| {
            let definition = match held {
                Some(shared) => shared,
                None => {
                    let mut value = body(&row.definition_hash)?;
                    if let Some(object) = value.as_object_mut() {
                        object.insert("workflow".into(), body(&workflow)?);
                    }
                    cache.intern_definition(&row.definition_hash, &workflow, value)?
                }
            };
            Ok(PublishedService {
                id: ServiceId::from_uuid(row.id),
                version: row.version,
                workflow_id: WorkflowId::from_uuid(workflow_id),
                definition,
                published_at: row.published_at,
            })
        })
        .collect()
}
