//! Creating communes (platform operators only).

use crate::auth::Principal;
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::NewEvent;
use crate::model::commune::{Commune, CommuneSpec, CommuneStatus};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::TenantId;
use crate::model::standard::RoleDef;
use crate::store::{TenantScope, audit, catalog, communes, db_error, is_unique_violation};

use super::Jamaa;

impl Jamaa {
    /// Creates a commune with its staff roles, in one transaction.
    #[tracing::instrument(skip_all, fields(commune = %spec.slug))]
    pub async fn create_commune(
        &self,
        principal: &Principal,
        spec: CommuneSpec,
        roles: &[RoleDef],
    ) -> Result<Commune, Error> {
        if !principal.is_operator() {
            return Err(match principal {
                Principal::Anonymous => Error::Unauthenticated,
                _ => Error::Forbidden("only platform operators create communes".into()),
            });
        }
        if let Err(problems) = spec.check() {
            return Err(Error::Validation(
                problems
                    .into_iter()
                    .map(|(field, problem)| {
                        FieldError::new(
                            format!("input.{field}"),
                            FieldErrorCode::InvalidValue,
                            LocalizedText::new().with(Locale::En, problem.clone()).with(Locale::Fr, problem),
                        )
                    })
                    .collect(),
            ));
        }
        let id = TenantId::new();
        let now = self.now();
        let tx = self.store.tenant_tx(TenantScope::new(id)).await?;
        communes::insert(tx.conn(), id, &spec, CommuneStatus::Active, now).await.map_err(|error| {
            if is_unique_violation(&error) {
                Error::Conflict(format!(
                    "a commune with slug `{}`, the same tracking prefix or official code exists",
                    spec.slug
                ))
            } else {
                db_error(error)
            }
        })?;
        for role in roles {
            catalog::upsert_role(&tx, &role.key, &role.label).await?;
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                "commune.created",
                format!("commune:{id}"),
                serde_json::json!({ "slug": spec.slug, "roles": roles.iter().map(|r| &r.key).collect::<Vec<_>>() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Commune { id, spec, status: CommuneStatus::Active })
    }
}
