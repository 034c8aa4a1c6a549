//! Indicators: a commune's figures over a period (public: aggregates only), and the national view of every
//! commune with per-region totals (operators).
//!
//! The national view reads each commune in its own tenant transaction, as the commune's own view does: on
//! PostgreSQL row-level security applies to every figure, and no function runs with more rights than the
//! caller's (see ARCHITECTURE.md).

use chrono::{DateTime, NaiveDate, Utc};
use tokio::task::JoinSet;

use crate::auth::{Permission, Principal};
use crate::error::Error;
use crate::model::commune::{Commune, Country};
use crate::model::indicators::{Figures, Period};
use crate::store::indicators;

use super::Jamaa;

/// How many communes the national view counts at once.
const CONCURRENT_COMMUNES: usize = 4;

/// One commune's indicators.
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneIndicators {
    pub commune: Commune,
    pub period: Period,
    /// The instant the backlog is counted at: the end of the period, or now if it has not ended.
    pub as_of: DateTime<Utc>,
    pub figures: Figures,
}

/// The totals of the communes of one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionIndicators {
    pub country: Country,
    /// None for the communes whose region is not recorded.
    pub region: Option<String>,
    pub communes: u64,
    pub figures: Figures,
}

/// Every commune's indicators, the totals per region and the platform's total.
#[derive(Clone, Debug, PartialEq)]
pub struct NationalIndicators {
    pub period: Period,
    /// In slug order.
    pub communes: Vec<CommuneIndicators>,
    /// In country and region order.
    pub regions: Vec<RegionIndicators>,
    pub total: Figures,
}

impl Jamaa {
    /// The indicators of the commune from `from` to `to` (local days, both included; a calendar year by
    /// default, the current one when neither is given).
    pub async fn indicators(
        &self,
        principal: &Principal,
        commune: &Commune,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<CommuneIndicators, Error> {
        principal.authorize(commune.id, Permission::ReadIndicators)?;
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let period = Period::new(from, to, today)?;
        self.commune_indicators(principal, commune.clone(), period).await
    }

    /// Every commune's indicators from `from` to `to` (each commune's local days), with per-region and
    /// platform totals. Operators only: it walks every commune.
    pub async fn national_indicators(
        &self,
        principal: &Principal,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<NationalIndicators, Error> {
        if !principal.is_operator() {
            return Err(if *principal == Principal::Anonymous {
                Error::Unauthenticated
            } else {
                Error::Forbidden("the national indicators are the platform operators'".to_owned())
            });
        }
        let period = Period::new(from, to, self.now().date_naive())?;
        // Training communes hold fictitious files: they count in no national or regional figure.
        let mut pending = self
            .all_communes()
            .await?
            .into_iter()
            .filter(|c| c.status != crate::model::commune::CommuneStatus::Training);
        let mut communes = Vec::new();
        let mut running = JoinSet::new();
        loop {
            while running.len() < CONCURRENT_COMMUNES {
                let Some(commune) = pending.next() else { break };
                let (jamaa, principal) = (self.clone(), principal.clone());
                running.spawn(async move { jamaa.commune_indicators(&principal, commune, period).await });
            }
            let Some(done) = running.join_next().await else { break };
            communes.push(done.map_err(Error::internal)??);
        }
        communes.sort_by(|a, b| a.commune.spec.slug.as_str().cmp(b.commune.spec.slug.as_str()));

        let mut regions: Vec<RegionIndicators> = Vec::new();
        let mut keys: Vec<(Country, Option<String>)> =
            communes.iter().map(|c| (c.commune.spec.country, c.commune.spec.region.clone())).collect();
        keys.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
        keys.dedup();
        for (country, region) in keys {
            let members: Vec<&CommuneIndicators> = communes
                .iter()
                .filter(|c| c.commune.spec.country == country && c.commune.spec.region == region)
                .collect();
            regions.push(RegionIndicators {
                country,
                region,
                communes: members.len() as u64,
                figures: Figures::total(members.iter().map(|c| &c.figures)),
            });
        }
        let total = Figures::total(communes.iter().map(|c| &c.figures));
        Ok(NationalIndicators { period, communes, regions, total })
    }

    async fn commune_indicators(
        &self,
        principal: &Principal,
        commune: Commune,
        period: Period,
    ) -> Result<CommuneIndicators, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadIndicators)?;
        let tz = commune.time_zone();
        let bounds = period.bounds(tz);
        let as_of = bounds.1.min(self.now());
        let tx = self.store.tenant_tx(scope).await?;
        let figures = indicators::figures(&tx, tz, bounds, as_of).await?;
        tx.commit().await?;
        Ok(CommuneIndicators { commune, period, as_of, figures })
    }
}
