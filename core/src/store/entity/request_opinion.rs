//! The opinions the bodies of a commission give on a request (or their silence counted after their delay).

use sea_orm::entity::prelude::*;

use crate::model::keys::RoleKey;
use crate::model::workflow::OpinionKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "request_opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    /// The request's version while it is in the state: one commission per stay in the state.
    pub round: i64,
    /// The state whose commission asked.
    pub state: String,
    /// The body: the role whose members give its opinion.
    pub body: RoleKey,
    /// `favourable`, `favourable_with_conditions` or `unfavourable`.
    pub opinion: OpinionKind,
    /// The body's delay ended without its opinion: this is its silence, counted as the procedure says.
    pub silent: bool,
    /// The reasons, or the conditions (none for a silence).
    #[sea_orm(column_type = "Text", nullable)]
    pub reasons: Option<String>,
    /// Who gave it (`user:…`), or `system` for a silence.
    pub given_by: String,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
