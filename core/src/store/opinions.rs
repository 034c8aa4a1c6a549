//! The opinions of commissions' bodies on requests: written once each, read per stay in the state.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::TenantTx;
use super::entity::request_opinion;
use crate::error::Error;
use crate::model::ids::RequestId;
use crate::model::keys::RoleKey;
use crate::model::workflow::OpinionKind;

/// A body's opinion as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpinionRecord {
    pub body: RoleKey,
    pub kind: OpinionKind,
    pub silent: bool,
    pub reasons: Option<String>,
    pub given_by: String,
    pub given_at: DateTime<Utc>,
}

/// Records a body's opinion on the request at `round` (its version while in `state`).
pub(crate) async fn insert(
    tx: &TenantTx,
    request: RequestId,
    round: i64,
    state: &str,
    opinion: &OpinionRecord,
) -> Result<(), Error> {
    request_opinion::Entity::insert(request_opinion::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(uuid::Uuid::now_v7()),
        request_id: Set(request.as_uuid()),
        round: Set(round),
        state: Set(state.to_owned()),
        body: Set(opinion.body.clone()),
        opinion: Set(opinion.kind),
        silent: Set(opinion.silent),
        reasons: Set(opinion.reasons.clone()),
        given_by: Set(opinion.given_by.clone()),
        given_at: Set(opinion.given_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Every opinion given on the request, at every stay in a commission's state, oldest first.
pub(crate) async fn of_request(tx: &TenantTx, request: RequestId) -> Result<Vec<OpinionRecord>, Error> {
    read(tx, request, None).await
}

/// The opinions given on the request at `round`, oldest first.
pub(crate) async fn of_round(tx: &TenantTx, request: RequestId, round: i64) -> Result<Vec<OpinionRecord>, Error> {
    read(tx, request, Some(round)).await
}

async fn read(tx: &TenantTx, request: RequestId, round: Option<i64>) -> Result<Vec<OpinionRecord>, Error> {
    let mut query = request_opinion::Entity::find()
        .filter(request_opinion::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_opinion::Column::RequestId.eq(request.as_uuid()));
    if let Some(round) = round {
        query = query.filter(request_opinion::Column::Round.eq(round));
    }
    let rows = query.order_by_asc(request_opinion::Column::Id).all(tx.conn()).await?;
    Ok(rows
        .into_iter()
        .map(|row| OpinionRecord {
            body: row.body,
            kind: row.opinion,
            silent: row.silent,
            reasons: row.reasons,
            given_by: row.given_by,
            given_at: row.given_at,
        })
        .collect())
}
