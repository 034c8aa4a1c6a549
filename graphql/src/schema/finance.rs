//! Finance transparency over GraphQL: the budget import (for the commune's finance staff) and the budget
//! execution with its aggregates (for everyone). Amounts are exact decimal strings in the commune's currency
//! (`1250000.50`); rates are percentages with two decimals (`73.45`).

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use jamaa_core::modules::finance::model::{self as core, Figures, format_bp, format_centimes};
use jamaa_core::service::BudgetExecution as CoreExecution;
use serde::Serialize;

use super::call::{InCommune, InLang};
use super::council::{ar, fr};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "jamaa_core::modules::finance::model::LineKind")]
pub enum BudgetLineKind {
    Expense,
    Revenue,
}

/// One budget line of a year: an expense (appropriated, committed, paid) or a revenue (planned, collected).
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    pub year: i32,
    pub kind: BudgetLineKind,
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
    pub label_ar: String,
    pub label_fr: String,
    pub revenue_type: Option<String>,
    pub appropriated: Option<String>,
    pub committed: Option<String>,
    pub paid: Option<String>,
    pub planned: Option<String>,
    pub collected: Option<String>,
}

/// Execution of a chapter's expenses in a year.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChapterExecution {
    pub year: i32,
    pub chapter: String,
    pub appropriated: String,
    pub committed: String,
    pub paid: String,
    /// Committed over appropriated, in percent.
    pub commitment_rate: Option<String>,
    /// Paid over appropriated, in percent.
    pub execution_rate: Option<String>,
}

/// Revenue of a type in a year.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueByType {
    pub year: i32,
    pub revenue_type: String,
    pub planned: String,
    pub collected: String,
    /// Collected over planned, in percent.
    pub collection_rate: Option<String>,
}

/// A year's totals and their change from the previous year with data.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetYear {
    pub year: i32,
    pub appropriated: String,
    pub committed: String,
    pub paid: String,
    pub planned: String,
    pub collected: String,
    pub execution_rate: Option<String>,
    pub collection_rate: Option<String>,
    /// Change of payments from the previous year, in percent.
    pub paid_change: Option<String>,
    /// Change of collected revenue from the previous year, in percent.
    pub collected_change: Option<String>,
}

/// A commune's budget execution: its lines and aggregates.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetExecution {
    /// ISO 4217 code of every amount.
    pub currency: String,
    pub lines: Vec<BudgetLine>,
    pub chapters: Vec<ChapterExecution>,
    pub revenues: Vec<RevenueByType>,
    pub years: Vec<BudgetYear>,
}

/// What an import did.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetImport {
    pub year: i32,
    /// Lines imported.
    pub lines: u64,
    /// Lines of the year the import replaced.
    pub replaced: u64,
}

fn rate(bp: Option<i64>) -> Option<String> {
    bp.map(format_bp)
}

pub(crate) fn line(year: i32, line: &core::BudgetLine) -> BudgetLine {
    let amount = |a: &i64| Some(format_centimes(*a));
    let (revenue_type, appropriated, committed, paid, planned, collected) = match &line.figures {
        Figures::Expense { appropriated, committed, paid } => {
            (None, amount(appropriated), amount(committed), amount(paid), None, None)
        }
        Figures::Revenue { revenue_type, planned, collected } => {
            (Some(revenue_type.clone()), None, None, None, amount(planned), amount(collected))
        }
    };
    BudgetLine {
        year,
        kind: line.kind().into(),
        chapter: line.chapter.clone(),
        article: line.article.clone(),
        paragraph: line.paragraph.clone(),
        label_ar: ar(&line.label),
        label_fr: fr(&line.label),
        revenue_type,
        appropriated,
        committed,
        paid,
        planned,
        collected,
    }
}

impl From<CoreExecution> for BudgetExecution {
    fn from(e: CoreExecution) -> Self {
        let a = e.aggregates;
        Self {
            currency: e.currency,
            lines: e.lines.iter().map(|(year, l)| line(*year, l)).collect(),
            chapters: a
                .chapters
                .into_iter()
                .map(|c| ChapterExecution {
                    year: c.year,
                    chapter: c.chapter,
                    appropriated: format_centimes(c.appropriated),
                    committed: format_centimes(c.committed),
                    paid: format_centimes(c.paid),
                    commitment_rate: rate(c.commitment_rate_bp),
                    execution_rate: rate(c.execution_rate_bp),
                })
                .collect(),
            revenues: a
                .revenues
                .into_iter()
                .map(|r| RevenueByType {
                    year: r.year,
                    revenue_type: r.revenue_type,
                    planned: format_centimes(r.planned),
                    collected: format_centimes(r.collected),
                    collection_rate: rate(r.collection_rate_bp),
                })
                .collect(),
            years: a
                .years
                .into_iter()
                .map(|y| BudgetYear {
                    year: y.year,
                    appropriated: format_centimes(y.appropriated),
                    committed: format_centimes(y.committed),
                    paid: format_centimes(y.paid),
                    planned: format_centimes(y.planned),
                    collected: format_centimes(y.collected),
                    execution_rate: rate(y.execution_rate_bp),
                    collection_rate: rate(y.collection_rate_bp),
                    paid_change: rate(y.paid_change_bp),
                    collected_change: rate(y.collected_change_bp),
                })
                .collect(),
        }
    }
}

#[derive(Default)]
pub struct FinanceQuery;

#[Object]
impl FinanceQuery {
    /// The commune's budget lines and aggregates, of one year or all (public).
    async fn budget_execution(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        year: Option<i32>,
    ) -> Result<BudgetExecution> {
        let call = InCommune::new(ctx, commune, None).await?;
        let execution = call.jamaa.budget_execution(&call.commune, year).await.in_lang(&call)?;
        Ok(execution.into())
    }
}

#[derive(Default)]
pub struct FinanceMutation;

#[Object]
impl FinanceMutation {
    /// Imports a year's budget from CSV (the columns of the budget file), replacing that year's lines. When any
    /// row is bad nothing is imported, and VALIDATION_FAILED names every bad cell as `lines[<line>].<column>`.
    async fn import_budget(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        year: i32,
        csv: String,
    ) -> Result<BudgetImport> {
        let call = InCommune::new(ctx, commune, None).await?;
        let report = call.jamaa.import_budget(call.principal, &call.commune, year, &csv).await.in_lang(&call)?;
        Ok(BudgetImport { year: report.year, lines: report.lines, replaced: report.replaced })
    }
}
