//! Commissions: where the bodies a request's state consults stand (`Request.commission`), and a body's opinion
//! (`giveOpinion`).

use async_graphql::{Context, Enum, ID, Json, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::workflow::{CommissionResult, OpinionKind};
use jamaa_core::service::{CommissionView, GiveOpinion};

use super::Lang;
use super::call::{InCommune, InLang, keys, subject_id};
use super::query::viewer_of;
use super::types::Request;

/// A body's opinion.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "jamaa_core::model::workflow::OpinionKind")]
pub enum Opinion {
    Favourable,
    FavourableWithConditions,
    Unfavourable,
}

/// Where a commission stands: waiting for a body whose opinion decides, or its opinion.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CommissionOutcome {
    Pending,
    Favourable,
    FavourableWithConditions,
    Unfavourable,
}

/// How the bodies' opinions make the commission's.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "jamaa_core::model::workflow::ConsolidationRule")]
pub enum CommissionRule {
    /// Favourable only when every body is; one unfavourable opinion decides at once.
    AnyUnfavourableBlocks,
    /// Once every body has spoken: favourable when more bodies are favourable than not.
    Majority,
}

/// The commission a request's state consults: its bodies, their due days and opinions.
#[derive(SimpleObject)]
pub struct Commission {
    /// The state whose commission it is.
    pub state: String,
    pub rule: CommissionRule,
    /// What the silence of a body counts as once its delay ends.
    pub silence_counts_as: Opinion,
    /// The local day the request entered the state: day 0 of the bodies' delays.
    pub entered_on: NaiveDate,
    pub outcome: CommissionOutcome,
    pub bodies: Vec<CommissionBody>,
    /// The bodies (role keys) whose opinion the caller may give now.
    pub yours: Vec<String>,
}

/// A body of a commission.
#[derive(SimpleObject)]
pub struct CommissionBody {
    /// The role whose members give the body's opinion.
    pub role: String,
    pub label: String,
    /// Its delay in working days on the commune's calendar.
    pub delay_days: u32,
    /// Where the delay comes from: the legal text, or null when the commune sets it.
    pub delay_basis: Option<String>,
    /// The local day by the end of which it gives its opinion, after which its silence counts.
    pub due: NaiveDate,
    /// The form its opinion comes with, if any (the schema language of `Service.formSchema`).
    pub form_schema: Option<Json<serde_json::Value>>,
    pub opinion: Option<BodyOpinion>,
}

/// The opinion a body gave, or its silence counted.
#[derive(SimpleObject)]
pub struct BodyOpinion {
    pub opinion: Opinion,
    /// The body's delay ended without its opinion: its silence counted as the commission says.
    pub silent: bool,
    /// Its reasons, or its conditions.
    pub reasons: Option<String>,
    /// Who gave it (`user:…`), or `system` for a silence.
    pub given_by: String,
    pub given_at: DateTime<Utc>,
}

pub(crate) fn commission(view: CommissionView, lang: &Lang) -> Commission {
    let outcome = match view.result {
        CommissionResult::Pending => CommissionOutcome::Pending,
        CommissionResult::Favourable { with_conditions: false } => CommissionOutcome::Favourable,
        CommissionResult::Favourable { with_conditions: true } => CommissionOutcome::FavourableWithConditions,
        CommissionResult::Unfavourable => CommissionOutcome::Unfavourable,
    };
    Commission {
        state: view.state,
        rule: view.commission.rule.into(),
        silence_counts_as: view.commission.silence.into(),
        entered_on: view.entered_on,
        outcome,
        yours: keys(view.yours),
        bodies: view
            .bodies
            .into_iter()
            .map(|b| CommissionBody {
                label: lang.text(&b.label),
                delay_days: b.body.delay_days,
                delay_basis: match &b.body.basis {
                    jamaa_core::model::workflow::RuleBasis::LegalReference(text) => Some(text.clone()),
                    jamaa_core::model::workflow::RuleBasis::CommuneSetting => None,
                },
                due: b.due,
                form_schema: b.body.form.as_ref().map(|form| Json(serde_json::to_value(form).unwrap_or_default())),
                opinion: b.opinion.map(|o| BodyOpinion {
                    opinion: o.kind.into(),
                    silent: o.silent,
                    reasons: o.reasons,
                    given_by: o.given_by,
                    given_at: o.given_at,
                }),
                role: b.body.role.into(),
            })
            .collect(),
    }
}

#[derive(Default)]
pub struct CommissionMutation;

#[Object]
impl CommissionMutation {
    /// Gives the opinion of a body of the commission the request's state consults (GiveOpinions and the body's
    /// role), once per body: `reasons` are required unless it is favourable (the conditions of a favourable
    /// opinion with conditions); `body` names the body when the member belongs to several; `form`: the values
    /// of the body's form (`commission.bodies.formSchema`). When the commission's rule then decides, the
    /// request moves by itself. CONFLICT when the request awaits no opinion or the body has given its own.
    #[allow(clippy::too_many_arguments)]
    async fn give_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        id: ID,
        body: Option<String>,
        opinion: Opinion,
        reasons: Option<String>,
        form: Option<Json<serde_json::Value>>,
        locale: Option<String>,
    ) -> Result<Request> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id: RequestId = subject_id(&id, "request").in_lang(&call)?;
        let input =
            GiveOpinion { body, opinion: Some(OpinionKind::from(opinion)), reasons, form: form.map(|form| form.0) };
        let details = call.jamaa.give_opinion(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        let viewer = viewer_of(call.principal, call.commune.id);
        Ok(Request { details, history: None, messages: None, fees: None, viewer, lang: call.lang.clone() })
    }
}
