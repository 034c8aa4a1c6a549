//! Indicators over GraphQL: `indicators(commune, from, to)` (public: aggregates without personal data) and
//! `nationalIndicators(from, to)` (operators). The same wire types are the open-data JSON (`/opendata/`).

use std::collections::HashMap;

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::indicators as core;
use jamaa_core::service::{CommuneIndicators, RegionIndicators};
use serde::Serialize;

use super::Lang;
use super::call::{Call, InCommune, InLang};

#[derive(Default)]
pub struct IndicatorsQuery;

#[Object]
impl IndicatorsQuery {
    /// A commune's indicators from `from` to `to` (its local days, both included; the current calendar year
    /// by default). Public: counts, durations and shares, nothing about any one person.
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        locale: Option<String>,
    ) -> Result<Indicators> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let jamaa = call.jamaa;
        let principal = call.principal;
        let found = jamaa.indicators(principal, &call.commune, from, to).await.in_lang(&call)?;
        let services = jamaa.services(principal, call.commune.spec.slug.as_str()).await.in_lang(&call)?;
        let names: HashMap<String, String> = services
            .iter()
            .map(|s| (s.service.definition.code.to_string(), call.lang.text(&s.service.definition.name)))
            .collect();
        Ok(Indicators::new(&found, &call.lang, &names))
    }

    /// Every commune's indicators from `from` to `to`, with totals per region and for the platform. Platform
    /// operators only.
    async fn national_indicators(
        &self,
        ctx: &Context<'_>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        locale: Option<String>,
    ) -> Result<NationalIndicators> {
        let call = Call::with_locale(ctx, locale)?;
        let found = call.jamaa.national_indicators(call.principal, from, to).await.in_lang(&call)?;
        let names = HashMap::new();
        Ok(NationalIndicators {
            from: found.period.from(),
            to: found.period.to(),
            communes: found.communes.iter().map(|c| Indicators::new(c, &call.lang_of(&c.commune), &names)).collect(),
            regions: found.regions.iter().map(Region::from).collect(),
            total: Figures::new(&found.total, &names),
        })
    }
}

/// One commune's indicators over a period.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Indicators {
    /// The commune's slug.
    pub commune: String,
    pub commune_name: String,
    /// ISO 3166 code: MA, MR.
    pub country: String,
    pub region: Option<String>,
    /// The first day of the period (local).
    pub from: NaiveDate,
    /// The last day of the period (local), included.
    pub to: NaiveDate,
    /// When the backlog is counted: the end of the period, or now if it has not ended.
    pub as_of: DateTime<Utc>,
    #[graphql(flatten)]
    #[serde(flatten)]
    pub figures: Figures,
}

impl Indicators {
    pub(crate) fn new(found: &CommuneIndicators, lang: &Lang, names: &HashMap<String, String>) -> Self {
        Self {
            commune: found.commune.spec.slug.to_string(),
            commune_name: lang.text(&found.commune.spec.name),
            country: found.commune.spec.country.code().to_owned(),
            region: found.commune.spec.region.clone(),
            from: found.period.from(),
            to: found.period.to(),
            as_of: found.as_of,
            figures: Figures::new(&found.figures, names),
        }
    }
}

/// The national view: every commune, per-region totals, and the platform's total.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NationalIndicators {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// In slug order.
    pub communes: Vec<Indicators>,
    /// In country and region order.
    pub regions: Vec<Region>,
    /// Every commune together (no median: medians do not add up).
    pub total: Figures,
}

/// The totals of one region's communes (no median: medians do not add up).
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub country: String,
    /// None for the communes whose region is not recorded.
    pub region: Option<String>,
    pub communes: u64,
    #[graphql(flatten)]
    #[serde(flatten)]
    pub figures: Figures,
}

impl From<&RegionIndicators> for Region {
    fn from(found: &RegionIndicators) -> Self {
        Self {
            country: found.country.code().to_owned(),
            region: found.region.clone(),
            communes: found.communes,
            figures: Figures::new(&found.figures, &HashMap::new()),
        }
    }
}

/// The figures of a commune, a region or the platform.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Requests submitted in the period.
    pub submitted: u64,
    /// Those requests by how they stand now: open, or how they ended.
    pub by_outcome: OutcomeCounts,
    /// Per service, in code order.
    pub by_service: Vec<ServiceIndicators>,
    /// Requests decided in the period (a final state other than a withdrawal).
    pub decided: u64,
    /// Of those, the ones decided by the end of the local day of their legal deadline.
    pub decided_within_deadline: u64,
    /// decidedWithinDeadline / decided, between 0 and 1; null when nothing was decided.
    pub within_deadline_share: Option<f64>,
    /// The median time from submission to decision of the decisions of the period, in seconds.
    pub median_processing_seconds: Option<f64>,
    /// The same in days.
    pub median_processing_days: Option<f64>,
    /// Requests open at `asOf`, by age.
    pub backlog: Backlog,
    pub complaints: Complaints,
    /// The commune's court cases now: open ones and their stakes (aggregates only).
    pub disputes: Disputes,
}

impl Figures {
    pub(crate) fn new(figures: &core::Figures, names: &HashMap<String, String>) -> Self {
        let o = figures.by_outcome;
        Self {
            submitted: figures.submitted,
            by_outcome: OutcomeCounts {
                open: o.open,
                approved: o.approved,
                rejected: o.rejected,
                withdrawn: o.withdrawn,
                closed: o.closed,
            },
            by_service: figures
                .by_service
                .iter()
                .map(|s| ServiceIndicators {
                    service_code: s.service_code.to_string(),
                    service_name: names.get(s.service_code.as_str()).cloned(),
                    submitted: s.submitted,
                    by_state: s
                        .by_state
                        .iter()
                        .map(|c| StateCount { state: c.state.clone(), count: c.count })
                        .collect(),
                    decided: s.decided,
                    decided_within_deadline: s.decided_within_deadline,
                    within_deadline_share: core::share(s.decided_within_deadline, s.decided),
                    steps: s
                        .steps
                        .iter()
                        .map(|step| StepIndicators {
                            state: step.state.clone(),
                            measured: step.measured,
                            within_sla: step.within_sla,
                            within_sla_share: step.within_sla_share(),
                        })
                        .collect(),
                })
                .collect(),
            decided: figures.decided,
            decided_within_deadline: figures.decided_within_deadline,
            within_deadline_share: figures.within_deadline_share(),
            median_processing_seconds: figures.median_processing_seconds,
            median_processing_days: figures.median_processing_seconds.map(|s| s / 86_400.0),
            backlog: Backlog {
                total: figures.backlog_total(),
                buckets: figures
                    .backlog
                    .iter()
                    .map(|b| BacklogBucket { min_days: b.min_days, max_days: b.max_days, count: b.count })
                    .collect(),
            },
            complaints: Complaints {
                received: figures.complaints.received,
                reopened: figures.complaints.reopened,
                ratings: figures.complaints.ratings,
                satisfaction: figures.complaints.satisfaction(),
            },
            disputes: Disputes {
                open: figures.disputes.open,
                stakes_centimes: figures.disputes.stakes_centimes.to_string(),
            },
        }
    }
}

/// Requests by how they stand: still open, or the outcome of their final state.
#[derive(SimpleObject, Serialize)]
pub struct OutcomeCounts {
    pub open: u64,
    pub approved: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    pub closed: u64,
}

/// The figures of one service.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceIndicators {
    pub service_code: String,
    /// The service's name in the chosen language (commune views only).
    pub service_name: Option<String>,
    pub submitted: u64,
    /// The requests submitted in the period by their current state (workflow state keys).
    pub by_state: Vec<StateCount>,
    pub decided: u64,
    pub decided_within_deadline: u64,
    pub within_deadline_share: Option<f64>,
    /// The steps of its states with an SLA (`slaDays`), per state (workflow state keys).
    pub steps: Vec<StepIndicators>,
}

/// The steps of one state with an SLA: those that ended in the period, and those still under way whose due
/// day ended in it; of them, the ones that ended by the end of their due day, and their share.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepIndicators {
    pub state: String,
    pub measured: u64,
    pub within_sla: u64,
    /// `withinSla / measured`; null when no step was measured.
    pub within_sla_share: Option<f64>,
}

#[derive(SimpleObject, Serialize)]
pub struct StateCount {
    pub state: String,
    pub count: u64,
}

/// Open requests by age.
#[derive(SimpleObject, Serialize)]
pub struct Backlog {
    pub total: u64,
    /// 0–7 days, 7–30, 30–60, 60–90, 90 and more.
    pub buckets: Vec<BacklogBucket>,
}

/// Open requests at least `minDays` old and younger than `maxDays` (null: no bound).
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BacklogBucket {
    pub min_days: u32,
    pub max_days: Option<u32>,
    pub count: u64,
}

/// The commune's court cases (disputes) not closed, as of now: aggregates, no party named.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disputes {
    /// Cases not closed.
    pub open: u64,
    /// The sum of their stakes, in centimes (an integer, as text: it may exceed 32 bits).
    pub stakes_centimes: String,
}

/// Complaints: the requests of a complaint procedure (`reclamation` in the commune standard).
#[derive(SimpleObject, Serialize)]
pub struct Complaints {
    /// Complaints submitted in the period.
    pub received: u64,
    /// Complaints reopened by their applicant in the period.
    pub reopened: u64,
    /// Satisfaction ratings given in the period.
    pub ratings: u64,
    /// Their mean, from 1 (not at all satisfied) to 5 (very satisfied); null when there is none.
    pub satisfaction: Option<f64>,
}
