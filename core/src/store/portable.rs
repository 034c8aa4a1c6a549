//! A commune's rows as the parts of an archive (`service::portable`): its `communes` row, every tenant table
//! (the list is [`TENANT_TABLES`]: a table missing here fails the export, and a unit test) and the shared
//! definitions it refers to, each read and written whole through its entity, so that an archive made on SQLite
//! is restored on PostgreSQL and the reverse.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityName, EntityTrait, IntoActiveModel, QueryFilter};

use super::TenantTx;
use super::entity;
use super::migration::TENANT_TABLES;
use crate::error::Error;

/// The rows of one table: each an object of the entity's columns by name.
pub(crate) type Rows = Vec<serde_json::Value>;

/// How many rows one INSERT carries (well under the parameter limits of both backends).
const CHUNK: usize = 200;

/// Why rows could not be written back.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// A row is not a row of the table.
    Malformed,
    /// A row belongs to another commune.
    OtherCommune,
    Store(Error),
}

impl From<Error> for WriteError {
    fn from(error: Error) -> Self {
        WriteError::Store(error)
    }
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(error: sea_orm::DbErr) -> Self {
        WriteError::Store(error.into())
    }
}

macro_rules! archived {
    ($($module:ident),* $(,)?) => {
        /// The tenant tables an archive holds, by the entities that read and write them.
        #[cfg(test)]
        pub(crate) fn archived_tables() -> Vec<&'static str> {
            vec![$(entity::$module::Entity.table_name()),*]
        }

        /// Every row of the commune in `table`; `None` for a table without an archive form.
        async fn read_rows(tx: &TenantTx, table: &str) -> Result<Option<Rows>, Error> {
            $(
                if table == entity::$module::Entity.table_name() {
                    let rows = entity::$module::Entity::find()
                        .filter(entity::$module::Column::TenantId.eq(tx.tenant_uuid()))
                        .all(tx.conn())
                        .await?;
                    return rows
                        .into_iter()
                        .map(|row| serde_json::to_value(row).map_err(Error::internal))
                        .collect::<Result<Rows, Error>>()
                        .map(Some);
                }
            )*
            Ok(None)
        }

        /// Inserts rows read by [`read_rows`] into `table`; `None` for a table without an archive form.
        async fn write_rows(tx: &TenantTx, table: &str, rows: Rows) -> Result<Option<u64>, WriteError> {
            $(
                if table == entity::$module::Entity.table_name() {
                    let mut models = Vec::with_capacity(rows.len());
                    for row in rows {
                        let model: entity::$module::Model =
                            serde_json::from_value(row).map_err(|_| WriteError::Malformed)?;
                        if model.tenant_id != tx.tenant_uuid() {
                            return Err(WriteError::OtherCommune);
                        }
                        models.push(model);
                    }
                    let count = models.len() as u64;
                    for chunk in models.chunks(CHUNK) {
                        entity::$module::Entity::insert_many(
                            chunk.iter().cloned().map(IntoActiveModel::into_active_model),
                        )
                        .exec_without_returning(tx.conn())
                        .await?;
                    }
                    return Ok(Some(count));
                }
            )*
            Ok(None)
        }
    };
}

archived!(
    role,
    workflow,
    service,
    request,
    transition,
    timer,
    audit_event,
    audit_head,
    counter,
    commune_config,
    data_key,
    request_lookup,
    complaint,
    issued_document,
    request_file,
    request_message,
    request_opinion,
    petition_signature,
    publication,
    council_member,
    council_session,
    agenda_item,
    deliberation,
    council_vote,
    budget_line,
    civil_act,
    civil_mention,
    courier_item,
    courier_history,
    outbox_event,
    webhook_endpoint,
    smtp_setting,
    notification_delivery,
    audit_published_head,
    idempotency_key,
    hr_department,
    hr_staff,
    hr_leave,
    project,
    project_budget_line,
    project_milestone,
    project_update,
    dispute_case,
    dispute_hearing,
    dispute_decision,
    dispute_appeal,
    finance_entry,
    payment_demand,
    payment,
    online_payment,
    payment_statement,
    payment_refund,
    dispute_document,
);

/// Every tenant table of the commune, in the order of [`TENANT_TABLES`] (a table after those it refers to).
pub(crate) async fn read_all(tx: &TenantTx) -> Result<Vec<(&'static str, Rows)>, Error> {
    let mut tables = Vec::with_capacity(TENANT_TABLES.len());
    for table in TENANT_TABLES {
        // Boxed: one branch per table makes a large future, too large for the stack of the deep calls
        // (a training commune's creation) it sits in.
        let rows = Box::pin(read_rows(tx, table))
            .await?
            .ok_or_else(|| Error::internal(format!("tenant table `{table}` has no archive form")))?;
        tables.push((*table, rows));
    }
    Ok(tables)
}

/// Writes back the rows of one tenant table.
pub(crate) async fn write(tx: &TenantTx, table: &str, rows: Rows) -> Result<u64, WriteError> {
    Box::pin(write_rows(tx, table, rows))
        .await?
        .ok_or_else(|| WriteError::Store(Error::internal(format!("tenant table `{table}` has no archive form"))))
}

/// The tenant tables, in the order they are written back.
pub(crate) fn tables() -> &'static [&'static str] {
    TENANT_TABLES
}

/// The commune's row.
pub(crate) async fn commune_row(tx: &TenantTx) -> Result<serde_json::Value, Error> {
    let row = entity::commune::Entity::find_by_id(tx.tenant_uuid())
        .one(tx.conn())
        .await?
        .ok_or(Error::NotFound("commune"))?;
    serde_json::to_value(row).map_err(Error::internal)
}

/// A commune's row as an archive holds it: its id and its addresses.
pub(crate) struct ArchivedCommune {
    pub id: uuid::Uuid,
    pub slug: String,
    pub tracking_prefix: String,
    pub official_code: Option<String>,
    pub calendar_hash: String,
    model: entity::commune::Model,
}

/// Reads a commune's row from an archive.
pub(crate) fn parse_commune(row: serde_json::Value) -> Result<ArchivedCommune, serde_json::Error> {
    let model: entity::commune::Model = serde_json::from_value(row)?;
    Ok(ArchivedCommune {
        id: model.id,
        slug: model.slug.clone(),
        tracking_prefix: model.tracking_prefix.clone(),
        official_code: model.official_code.clone(),
        calendar_hash: model.calendar_hash.clone(),
        model,
    })
}

/// What of an archived commune already exists here: its id, its slug (or `slug`), its tracking prefix or its
/// official code.
pub(crate) async fn clashes(tx: &TenantTx, commune: &ArchivedCommune, slug: &str) -> Result<Vec<&'static str>, Error> {
    use entity::commune::{Column, Entity};
    let mut found = Vec::new();
    if Entity::find_by_id(commune.id).one(tx.conn()).await?.is_some() {
        found.push("id");
    }
    if Entity::find().filter(Column::Slug.eq(slug)).one(tx.conn()).await?.is_some() {
        found.push("slug");
    }
    if Entity::find()
        .filter(Column::TrackingPrefix.eq(commune.tracking_prefix.as_str()))
        .one(tx.conn())
        .await?
        .is_some()
    {
        found.push("trackingPrefix");
    }
    if let Some(code) = &commune.official_code
        && Entity::find().filter(Column::OfficialCode.eq(code.as_str())).one(tx.conn()).await?.is_some()
    {
        found.push("officialCode");
    }
    Ok(found)
}

/// Inserts the commune's row under `slug`, in the transaction of its own tenant.
pub(crate) async fn insert_commune(tx: &TenantTx, commune: &ArchivedCommune, slug: &str) -> Result<(), Error> {
    if commune.id != tx.tenant_uuid() {
        return Err(Error::internal("the archived commune is not the transaction's"));
    }
    let mut row = commune.model.clone().into_active_model();
    row.slug = Set(slug.to_owned());
    entity::commune::Entity::insert(row).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// The addresses in `definitions` the commune's rows refer to: its calendar, its role set, its configuration,
/// its services' and workflows' definitions.
pub(crate) fn referenced_definitions(commune: &ArchivedCommune, tables: &[(&str, Rows)]) -> Vec<String> {
    let mut addresses = std::collections::BTreeSet::from([commune.calendar_hash.clone()]);
    if !commune.model.roles_hash.is_empty() {
        addresses.insert(commune.model.roles_hash.clone());
    }
    for (table, rows) in tables {
        let column = match *table {
            "services" | "workflows" => "definition_hash",
            "commune_configs" => "content_hash",
            _ => continue,
        };
        addresses.extend(rows.iter().filter_map(|row| row.get(column)?.as_str().map(str::to_owned)));
    }
    addresses.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tenant_table_has_an_archive_form() {
        let mut archived = archived_tables();
        archived.sort_unstable();
        let mut tenant = TENANT_TABLES.to_vec();
        tenant.sort_unstable();
        assert_eq!(archived, tenant, "a tenant table without an archive form would be left out of an export");
    }
}
