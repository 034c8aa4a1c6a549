//! A commune's budget lines by year, and the expenditure and revenue entries recorded against them.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::{budget_line, finance_entry};
use crate::error::Error;
use crate::model::ids::FinanceEntryId;
use crate::modules::finance::entries::Entry;
use crate::modules::finance::model::{BudgetLine, Figures, LineKind};
use crate::store::TenantTx;

/// Replaces the year's lines with `lines` (in file order); returns how many were removed.
pub(crate) async fn replace_year(
    tx: &TenantTx,
    year: i32,
    lines: &[BudgetLine],
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    let removed = budget_line::Entity::delete_many()
        .filter(budget_line::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(budget_line::Column::Year.eq(year))
        .exec(tx.conn())
        .await?
        .rows_affected;
    let mut rows = Vec::with_capacity(lines.len());
    for (position, line) in lines.iter().enumerate() {
        let (revenue_type, expense, revenue) = match &line.figures {
            Figures::Expense { appropriated, committed, paid } => {
                (None, [Some(*appropriated), Some(*committed), Some(*paid)], [None, None])
            }
            Figures::Revenue { revenue_type, planned, collected } => {
                (Some(revenue_type.clone()), [None, None, None], [Some(*planned), Some(*collected)])
            }
        };
        rows.push(budget_line::ActiveModel {
            tenant_id: Set(tx.tenant_uuid()),
            id: Set(uuid::Uuid::now_v7()),
            year: Set(year),
            position: Set(i32::try_from(position).map_err(Error::internal)?),
            kind: Set(line.kind()),
            chapter: Set(line.chapter.clone()),
            article: Set(line.article.clone()),
            paragraph: Set(line.paragraph.clone()),
            label: Set(serde_json::to_value(&line.label).map_err(Error::internal)?),
            revenue_type: Set(revenue_type),
            appropriated: Set(expense[0]),
            committed: Set(expense[1]),
            paid: Set(expense[2]),
            planned: Set(revenue[0]),
            collected: Set(revenue[1]),
            imported_at: Set(now),
        });
    }
    // Inserted in chunks: PostgreSQL takes at most 65,535 parameters a statement.
    for chunk in rows.chunks(500) {
        budget_line::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx.conn()).await?;
    }
    Ok(removed)
}

/// The lines of one year, or of every year, with their ids, in year then file order.
pub(crate) async fn lines_with_ids(tx: &TenantTx, year: Option<i32>) -> Result<Vec<(i32, Uuid, BudgetLine)>, Error> {
    let mut query = budget_line::Entity::find().filter(budget_line::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(year) = year {
        query = query.filter(budget_line::Column::Year.eq(year));
    }
    let rows = query
        .order_by_asc(budget_line::Column::Year)
        .order_by_asc(budget_line::Column::Position)
        .all(tx.conn())
        .await?;
    rows.into_iter()
        .map(|row| {
            let missing = || Error::internal(format!("budget line {} lacks a figure", row.id));
            let figures = match row.kind {
                LineKind::Expense => Figures::Expense {
                    appropriated: row.appropriated.ok_or_else(missing)?,
                    committed: row.committed.ok_or_else(missing)?,
                    paid: row.paid.ok_or_else(missing)?,
                },
                LineKind::Revenue => Figures::Revenue {
                    revenue_type: row.revenue_type.clone().ok_or_else(missing)?,
                    planned: row.planned.ok_or_else(missing)?,
                    collected: row.collected.ok_or_else(missing)?,
                },
            };
            let label = serde_json::from_value(row.label.clone()).map_err(Error::internal)?;
            Ok((
                row.year,
                row.id,
                BudgetLine { chapter: row.chapter, article: row.article, paragraph: row.paragraph, label, figures },
            ))
        })
        .collect()
}

/// Adds a recorded entry (the table refuses changes and deletions).
pub(crate) async fn insert_entry(tx: &TenantTx, entry: &Entry) -> Result<(), Error> {
    finance_entry::Entity::insert(finance_entry::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(entry.id.as_uuid()),
        year: Set(entry.year),
        kind: Set(entry.kind),
        number: Set(entry.number),
        line_id: Set(entry.line),
        parent_id: Set(entry.parent.map(|p| p.as_uuid())),
        amount: Set(entry.amount),
        object: Set(entry.object.clone()),
        party: Set(entry.party.clone()),
        revenue_type: Set(entry.revenue_type.clone()),
        reason: Set(entry.reason.clone()),
        recorded_by: Set(entry.recorded_by.clone()),
        recorded_at: Set(entry.recorded_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// The entries of one year, or of every year, in the order they were recorded.
pub(crate) async fn entries(tx: &TenantTx, year: Option<i32>) -> Result<Vec<Entry>, Error> {
    let mut query = finance_entry::Entity::find().filter(finance_entry::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(year) = year {
        query = query.filter(finance_entry::Column::Year.eq(year));
    }
    let rows = query
        .order_by_asc(finance_entry::Column::RecordedAt)
        .order_by_asc(finance_entry::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Entry {
            id: FinanceEntryId::from_uuid(row.id),
            year: row.year,
            kind: row.kind,
            number: row.number,
            line: row.line_id,
            parent: row.parent_id.map(FinanceEntryId::from_uuid),
            amount: row.amount,
            object: row.object,
            party: row.party,
            revenue_type: row.revenue_type,
            reason: row.reason,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        })
        .collect())
}

/// How many entries a year has.
pub(crate) async fn entry_count(tx: &TenantTx, year: i32) -> Result<u64, Error> {
    finance_entry::Entity::find()
        .filter(finance_entry::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(finance_entry::Column::Year.eq(year))
        .count(tx.conn())
        .await
        .map_err(Into::into)
}
