//! Expenditures and revenues recorded over GraphQL: commitments, their approval by the authorising officer,
//! payment orders and payments; revenue titles and collections; counter-entries; and a year's ledger with the
//! execution of each line. Amounts are exact decimal strings in the commune's currency (`1250000.50`).

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use jamaa_core::model::ids::FinanceEntryId;
use jamaa_core::modules::finance::entries::{EntryState, LineRecorded};
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::service::{
    CommitmentInput as CoreCommitment, FinanceLedger as CoreLedger, LineRef, TitleInput as CoreTitle,
};

use super::call::{InCommune, InLang, amount_at, subject_id};
use super::finance::{BudgetLine, line};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::finance::entries::EntryKind")]
pub enum FinanceEntryKind {
    Commitment,
    Approval,
    PaymentOrder,
    Payment,
    Title,
    Collection,
    Correction,
}

/// A budget line by its year and codes.
#[derive(InputObject)]
pub struct BudgetLineRef {
    pub year: i32,
    pub chapter: String,
    pub article: String,
    /// Empty when the line has no paragraph.
    #[graphql(default)]
    pub paragraph: String,
}

/// A commitment against an expense line.
#[derive(InputObject)]
pub struct CommitmentInput {
    pub line: BudgetLineRef,
    /// The amount in units with at most two decimals (`12500.50`).
    pub amount: String,
    pub object: String,
    pub supplier: String,
}

/// A revenue title against a revenue line (of the line's revenue type).
#[derive(InputObject)]
pub struct RevenueTitleInput {
    pub line: BudgetLineRef,
    pub amount: String,
    pub object: String,
    pub debtor: String,
}

/// A recorded entry with what followed it.
#[derive(SimpleObject)]
pub struct FinanceEntry {
    pub id: ID,
    pub year: i32,
    pub kind: FinanceEntryKind,
    /// 1, 2, 3, … per commune, year and kind, without gaps.
    pub number: i64,
    /// The commitment, payment order or title it is made against, or the entry a counter-entry corrects.
    pub parent_id: Option<ID>,
    pub amount: String,
    /// The amount net of its counter-entries.
    pub net: String,
    pub object: Option<String>,
    /// The supplier of a commitment, the debtor of a title.
    pub party: Option<String>,
    pub revenue_type: Option<String>,
    pub reason: Option<String>,
    /// Whether the authorising officer approved it (a commitment).
    pub approved: bool,
    pub ordered: String,
    pub paid: String,
    pub collected: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A line of the year with its imported figures, what the entries add, and the sum of both.
#[derive(SimpleObject)]
pub struct LineExecution {
    /// The figures imported from the budget file.
    pub imported: BudgetLine,
    /// Imported plus recorded: the line's execution.
    pub executed: BudgetLine,
    pub recorded_committed: String,
    pub recorded_ordered: String,
    pub recorded_paid: String,
    pub recorded_titled: String,
    pub recorded_collected: String,
}

/// A type of revenue the commune's titles are issued under.
#[derive(SimpleObject)]
pub struct RevenueType {
    pub key: String,
    pub label: String,
    pub legal_reference: Option<String>,
}

/// A year's entries and lines.
#[derive(SimpleObject)]
pub struct FinanceLedger {
    pub year: i32,
    pub currency: String,
    pub entries: Vec<FinanceEntry>,
    pub lines: Vec<LineExecution>,
    pub revenue_types: Vec<RevenueType>,
}

fn entry(state: EntryState) -> FinanceEntry {
    let net = format_centimes(state.net());
    let e = state.entry;
    FinanceEntry {
        id: ID(e.id.to_string()),
        year: e.year,
        kind: e.kind.into(),
        number: e.number,
        parent_id: e.parent.map(|p| ID(p.to_string())),
        amount: format_centimes(e.amount),
        net,
        object: e.object,
        party: e.party,
        revenue_type: e.revenue_type,
        reason: e.reason,
        approved: state.approved_by.is_some(),
        ordered: format_centimes(state.ordered),
        paid: format_centimes(state.paid),
        collected: format_centimes(state.collected),
        recorded_by: e.recorded_by,
        recorded_at: e.recorded_at,
    }
}

fn line_ref(line: BudgetLineRef) -> LineRef {
    LineRef { year: line.year, chapter: line.chapter, article: line.article, paragraph: line.paragraph }
}

fn recorded(r: LineRecorded) -> [String; 5] {
    [r.committed, r.ordered, r.paid, r.titled, r.collected].map(format_centimes)
}

#[derive(Default)]
pub struct SpendingQuery;

#[Object]
impl SpendingQuery {
    /// A year's recorded entries and each line's execution, imported plus recorded (RecordFinance,
    /// ApproveCommitments or ManageFinance).
    async fn finance_ledger(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        year: i32,
        locale: Option<String>,
    ) -> Result<FinanceLedger> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let ledger: CoreLedger = call.jamaa.finance_ledger(call.principal, &call.commune, year).await.in_lang(&call)?;
        Ok(FinanceLedger {
            year: ledger.year,
            currency: call.commune.spec.currency.to_string(),
            entries: ledger.entries.into_iter().map(entry).collect(),
            lines: ledger
                .lines
                .iter()
                .map(|l| {
                    let [committed, ordered, paid, titled, collected] = recorded(l.recorded);
                    LineExecution {
                        imported: line(l.year, &l.line),
                        executed: line(l.year, &l.executed),
                        recorded_committed: committed,
                        recorded_ordered: ordered,
                        recorded_paid: paid,
                        recorded_titled: titled,
                        recorded_collected: collected,
                    }
                })
                .collect(),
            revenue_types: ledger
                .revenue_types
                .iter()
                .map(|t| RevenueType {
                    key: t.key.clone(),
                    label: call.lang.text(&t.label),
                    legal_reference: t.legal_reference.clone(),
                })
                .collect(),
        })
    }
}

#[derive(Default)]
pub struct SpendingMutation;

#[Object]
impl SpendingMutation {
    /// Records a commitment against an expense line, never beyond what the line has left (RecordFinance).
    async fn record_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: CommitmentInput,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let amount = amount_at("input.amount", &input.amount).in_lang(&call)?;
        let input =
            CoreCommitment { line: line_ref(input.line), amount, object: input.object, supplier: input.supplier };
        let state = call.jamaa.record_commitment(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Approves (visa) a commitment recorded by another member; returns the commitment
    /// (ApproveCommitments).
    async fn approve_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        commitment_id: ID,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<FinanceEntryId>(&commitment_id, "finance entry").in_lang(&call)?;
        let state = call.jamaa.approve_commitment(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Orders the payment of part or all of an approved commitment (ApproveCommitments).
    async fn order_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        commitment_id: ID,
        amount: String,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<FinanceEntryId>(&commitment_id, "finance entry").in_lang(&call)?;
        let amount = amount_at("amount", &amount).in_lang(&call)?;
        let state = call.jamaa.order_payment(call.principal, &call.commune, id, amount).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Records a payment against a payment order (RecordFinance).
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        payment_order_id: ID,
        amount: String,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<FinanceEntryId>(&payment_order_id, "finance entry").in_lang(&call)?;
        let amount = amount_at("amount", &amount).in_lang(&call)?;
        let state = call.jamaa.record_payment(call.principal, &call.commune, id, amount).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Records a revenue title against a revenue line (RecordFinance).
    async fn record_revenue_title(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: RevenueTitleInput,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let amount = amount_at("input.amount", &input.amount).in_lang(&call)?;
        let input = CoreTitle { line: line_ref(input.line), amount, object: input.object, debtor: input.debtor };
        let state = call.jamaa.record_revenue_title(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Records a collection against a revenue title (RecordFinance).
    async fn record_collection(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        title_id: ID,
        amount: String,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<FinanceEntryId>(&title_id, "finance entry").in_lang(&call)?;
        let amount = amount_at("amount", &amount).in_lang(&call)?;
        let state = call.jamaa.record_collection(call.principal, &call.commune, id, amount).await.in_lang(&call)?;
        Ok(entry(state))
    }

    /// Takes back all or part of an entry by a counter-entry with its reason; returns the corrected entry
    /// (RecordFinance).
    async fn correct_finance_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        entry_id: ID,
        amount: String,
        reason: String,
    ) -> Result<FinanceEntry> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<FinanceEntryId>(&entry_id, "finance entry").in_lang(&call)?;
        let amount = amount_at("amount", &amount).in_lang(&call)?;
        let state = call
            .jamaa
            .correct_finance_entry(call.principal, &call.commune, id, amount, &reason)
            .await
            .in_lang(&call)?;
        Ok(entry(state))
    }
}
