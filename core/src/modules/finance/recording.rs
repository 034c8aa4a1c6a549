//! Recording expenditures and revenues: each use case is one transaction with its audit event. The finance
//! office (`record_finance`) records commitments, payments, revenue titles, collections and counter-entries;
//! the authorising officer (`approve_commitments`) approves commitments and orders their payment. Every write
//! of a year first takes the year's entry counter, which serialises them: a check against what a line,
//! commitment or title has left always sees the entries before it.

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages::{self, EntryProblem};
use crate::model::ids::FinanceEntryId;
use crate::model::settings::SettingsSection;
use crate::modules::finance::entries::{
    self as entries, Entry, EntryKind, EntryState, FinanceSettings, Ledger, LineRecorded, MAX_OBJECT, MAX_PARTY,
    RevenueType,
};
use crate::modules::finance::model::{BudgetLine, Figures};
use crate::modules::finance::store;
use crate::service::Jamaa;
use crate::store::{TenantTx, audit, config, requests};

/// A budget line named by its year and codes (the paragraph may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRef {
    pub year: i32,
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
}

/// A commitment to record against an expense line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentInput {
    pub line: LineRef,
    pub amount: i64,
    pub object: String,
    pub supplier: String,
}

/// A revenue title to record against a revenue line (its type is the line's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleInput {
    pub line: LineRef,
    pub amount: i64,
    pub object: String,
    pub debtor: String,
}

/// A budget line with what it has, imported and recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineExecution {
    pub year: i32,
    pub line: BudgetLine,
    /// The imported figures plus the recorded entries.
    pub executed: BudgetLine,
    pub recorded: LineRecorded,
}

/// The entries of a year with their states, and the lines with their execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinanceLedger {
    pub year: i32,
    pub entries: Vec<EntryState>,
    pub lines: Vec<LineExecution>,
    pub revenue_types: Vec<RevenueType>,
}

fn check_year(year: i32) -> Result<(), Error> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::field(
            "input.line.year",
            FieldErrorCode::OutOfRange,
            messages::out_of_range(Some(2000.0), Some(2100.0)),
        ))
    }
}

fn unknown_line() -> Error {
    Error::field("input.line", FieldErrorCode::InvalidValue, messages::entry_problem(EntryProblem::UnknownLine))
}

async fn finance_settings(tx: &TenantTx) -> Result<FinanceSettings, Error> {
    let config = config::get(tx).await?;
    match FinanceSettings::from_settings(&config.settings) {
        Some(Ok(settings)) => Ok(settings),
        Some(Err(problem)) => Err(Error::internal(format!("settings.finance does not load: {problem}"))),
        None => Err(Error::field(
            "settings.finance",
            FieldErrorCode::InvalidDefinition,
            messages::entry_problem(EntryProblem::SettingsMissing),
        )),
    }
}

/// The line of the year with these codes and of this kind, with its id.
async fn find_line(tx: &TenantTx, line: &LineRef, expense: bool) -> Result<(uuid::Uuid, BudgetLine), Error> {
    check_year(line.year)?;
    store::lines_with_ids(tx, Some(line.year))
        .await?
        .into_iter()
        .find(|(_, _, l)| {
            l.chapter == line.chapter.trim()
                && l.article == line.article.trim()
                && l.paragraph == line.paragraph.trim()
                && matches!(l.figures, Figures::Expense { .. }) == expense
        })
        .map(|(_, id, l)| (id, l))
        .ok_or_else(unknown_line)
}

/// The year's ledger, after taking the year's entry counter (which holds other writers of the year off).
async fn lock_year(tx: &TenantTx, year: i32) -> Result<Ledger, Error> {
    requests::next_in_sequence(tx, &format!("finance:{year}:entries")).await?;
    Ok(Ledger::new(store::entries(tx, Some(year)).await?))
}

fn validation(errors: Vec<FieldError>) -> Result<(), Error> {
    if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
}

impl Jamaa {
    /// Records an entry (its number taken from its series) with its audit event, and commits.
    async fn record_entry(
        &self,
        tx: TenantTx,
        principal: &Principal,
        audit_kind: AuditKind,
        mut entry: Entry,
        ledger: &mut Ledger,
    ) -> Result<EntryState, Error> {
        entry.number = requests::next_in_sequence(&tx, &entry.kind.counter_name(entry.year)).await?;
        store::insert_entry(&tx, &entry).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                audit_kind,
                AuditSubject::FinanceEntry(entry.id),
                serde_json::json!({
                    "year": entry.year,
                    "kind": entry.kind.as_str(),
                    "number": entry.number,
                    "amount": entry.amount,
                    "parent": entry.parent.map(|p| p.to_string()),
                }),
            ),
            entry.recorded_at,
        )
        .await?;
        tx.commit().await?;
        let id = entry.id;
        ledger.push(entry);
        ledger.get(id).cloned().ok_or_else(|| Error::internal("the recorded entry is not in its ledger"))
    }

    fn new_entry(&self, principal: &Principal, year: i32, kind: EntryKind, line: uuid::Uuid, amount: i64) -> Entry {
        Entry {
            id: FinanceEntryId::new(),
            year,
            kind,
            number: 0,
            line,
            parent: None,
            amount,
            object: None,
            party: None,
            revenue_type: None,
            reason: None,
            recorded_by: principal.actor(),
            recorded_at: self.now(),
        }
    }

    /// An entry of the commune's ledger, and the ledger of its year (after locking it).
    async fn entry_and_ledger(&self, tx: &TenantTx, id: FinanceEntryId) -> Result<(EntryState, Ledger), Error> {
        let year = store::entries(tx, None)
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| e.year)
            .ok_or(Error::NotFound("finance entry"))?;
        let ledger = lock_year(tx, year).await?;
        let state = ledger.get(id).cloned().ok_or(Error::NotFound("finance entry"))?;
        Ok((state, ledger))
    }

    /// Records a commitment against an expense line of the year, never beyond what the line has left
    /// (appropriated − committed, imported and recorded), with `finance.commitment_recorded`.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn record_commitment(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: CommitmentInput,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::RecordFinance)?;
        let mut errors = Vec::new();
        let object = entries::check_text("input.object", &input.object, MAX_OBJECT).map_err(|e| errors.push(e)).ok();
        let supplier =
            entries::check_text("input.supplier", &input.supplier, MAX_PARTY).map_err(|e| errors.push(e)).ok();
        if let Err(e) = entries::check_amount("input.amount", input.amount) {
            errors.push(e);
        }
        validation(errors)?;
        let tx = self.store.tenant_tx(scope).await?;
        let (line_id, line) = find_line(&tx, &input.line, true).await?;
        let mut ledger = lock_year(&tx, input.line.year).await?;
        let Figures::Expense { appropriated, committed, .. } = line.figures else { return Err(unknown_line()) };
        let recorded = ledger.of_line(line_id);
        entries::check_commitment(appropriated, committed + recorded.committed, input.amount)
            .map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, input.line.year, EntryKind::Commitment, line_id, input.amount);
        entry.object = object;
        entry.party = supplier;
        self.record_entry(tx, principal, AuditKind::CommitmentRecorded, entry, &mut ledger).await
    }

    /// The authorising officer approves (visa) a commitment recorded by another member, with
    /// `finance.commitment_approved`.
    pub async fn approve_commitment(
        &self,
        principal: &Principal,
        commune: &Commune,
        commitment: FinanceEntryId,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::ApproveCommitments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let (state, mut ledger) = self.entry_and_ledger(&tx, commitment).await?;
        entries::check_approval(&state, &principal.actor()).map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, state.entry.year, EntryKind::Approval, state.entry.line, 0);
        entry.parent = Some(commitment);
        self.record_entry(tx, principal, AuditKind::CommitmentApproved, entry, &mut ledger).await?;
        ledger.get(commitment).cloned().ok_or(Error::NotFound("finance entry"))
    }

    /// The authorising officer orders the payment of part or all of an approved commitment, never beyond
    /// what it has left, with `finance.payment_ordered`.
    pub async fn order_payment(
        &self,
        principal: &Principal,
        commune: &Commune,
        commitment: FinanceEntryId,
        amount: i64,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::ApproveCommitments)?;
        entries::check_amount("amount", amount).map_err(|e| Error::Validation(vec![e]))?;
        let tx = self.store.tenant_tx(scope).await?;
        let (state, mut ledger) = self.entry_and_ledger(&tx, commitment).await?;
        entries::check_payment_order(&state, amount).map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, state.entry.year, EntryKind::PaymentOrder, state.entry.line, amount);
        entry.parent = Some(commitment);
        self.record_entry(tx, principal, AuditKind::PaymentOrdered, entry, &mut ledger).await
    }

    /// Records a payment against a payment order, never beyond what it has left, with
    /// `finance.payment_recorded`: the line's paid amount grows.
    pub async fn record_payment(
        &self,
        principal: &Principal,
        commune: &Commune,
        payment_order: FinanceEntryId,
        amount: i64,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::RecordFinance)?;
        entries::check_amount("amount", amount).map_err(|e| Error::Validation(vec![e]))?;
        let tx = self.store.tenant_tx(scope).await?;
        let (state, mut ledger) = self.entry_and_ledger(&tx, payment_order).await?;
        entries::check_payment(&state, amount).map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, state.entry.year, EntryKind::Payment, state.entry.line, amount);
        entry.parent = Some(payment_order);
        self.record_entry(tx, principal, AuditKind::PaymentRecorded, entry, &mut ledger).await
    }

    /// Records a revenue title against a revenue line whose type the commune's settings name, with
    /// `finance.title_recorded`.
    pub async fn record_revenue_title(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: TitleInput,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::RecordFinance)?;
        let mut errors = Vec::new();
        let object = entries::check_text("input.object", &input.object, MAX_OBJECT).map_err(|e| errors.push(e)).ok();
        let debtor = entries::check_text("input.debtor", &input.debtor, MAX_PARTY).map_err(|e| errors.push(e)).ok();
        if let Err(e) = entries::check_amount("input.amount", input.amount) {
            errors.push(e);
        }
        validation(errors)?;
        let tx = self.store.tenant_tx(scope).await?;
        let settings = finance_settings(&tx).await?;
        let (line_id, line) = find_line(&tx, &input.line, false).await?;
        let Figures::Revenue { revenue_type, .. } = &line.figures else { return Err(unknown_line()) };
        if !settings.revenue_types.iter().any(|t| &t.key == revenue_type) {
            return Err(Error::field(
                "input.line",
                FieldErrorCode::NotAnOption,
                messages::entry_problem(EntryProblem::UnknownRevenueType),
            ));
        }
        let mut ledger = lock_year(&tx, input.line.year).await?;
        let mut entry = self.new_entry(principal, input.line.year, EntryKind::Title, line_id, input.amount);
        entry.object = object;
        entry.party = debtor;
        entry.revenue_type = Some(revenue_type.clone());
        self.record_entry(tx, principal, AuditKind::RevenueTitleRecorded, entry, &mut ledger).await
    }

    /// Records a collection against a revenue title, never beyond what it has left, with
    /// `finance.collection_recorded`: the line's collected amount grows.
    pub async fn record_collection(
        &self,
        principal: &Principal,
        commune: &Commune,
        title: FinanceEntryId,
        amount: i64,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::RecordFinance)?;
        entries::check_amount("amount", amount).map_err(|e| Error::Validation(vec![e]))?;
        let tx = self.store.tenant_tx(scope).await?;
        let (state, mut ledger) = self.entry_and_ledger(&tx, title).await?;
        entries::check_collection(&state, amount).map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, state.entry.year, EntryKind::Collection, state.entry.line, amount);
        entry.parent = Some(title);
        self.record_entry(tx, principal, AuditKind::CollectionRecorded, entry, &mut ledger).await
    }

    /// Takes back all or part of an entry by a counter-entry with its reason (entries are never edited nor
    /// deleted), with `finance.entry_corrected`; returns the corrected entry's state.
    pub async fn correct_finance_entry(
        &self,
        principal: &Principal,
        commune: &Commune,
        corrected: FinanceEntryId,
        amount: i64,
        reason: &str,
    ) -> Result<EntryState, Error> {
        let scope = principal.authorize(commune.id, Permission::RecordFinance)?;
        let mut errors = Vec::new();
        let reason = entries::check_text("reason", reason, MAX_OBJECT).map_err(|e| errors.push(e)).ok();
        if let Err(e) = entries::check_amount("amount", amount) {
            errors.push(e);
        }
        validation(errors)?;
        let tx = self.store.tenant_tx(scope).await?;
        let (state, mut ledger) = self.entry_and_ledger(&tx, corrected).await?;
        entries::check_correction(&state, amount).map_err(|e| Error::Validation(vec![e]))?;
        let mut entry = self.new_entry(principal, state.entry.year, EntryKind::Correction, state.entry.line, amount);
        entry.parent = Some(corrected);
        entry.reason = reason;
        self.record_entry(tx, principal, AuditKind::FinanceEntryCorrected, entry, &mut ledger).await?;
        ledger.get(corrected).cloned().ok_or(Error::NotFound("finance entry"))
    }

    /// A year's entries with their states, and its lines with their execution (imported plus recorded): for
    /// the finance office, the authorising officer and those who import the budget (`manage_finance`).
    pub async fn finance_ledger(
        &self,
        principal: &Principal,
        commune: &Commune,
        year: i32,
    ) -> Result<FinanceLedger, Error> {
        let scope = principal
            .authorize(commune.id, Permission::RecordFinance)
            .or_else(|_| principal.authorize(commune.id, Permission::ApproveCommitments))
            .or_else(|_| principal.authorize(commune.id, Permission::ManageFinance))?;
        check_year(year)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let lines = store::lines_with_ids(&tx, Some(year)).await?;
        let ledger = Ledger::new(store::entries(&tx, Some(year)).await?);
        let revenue_types = finance_settings(&tx).await.map(|s| s.revenue_types).unwrap_or_default();
        tx.commit().await?;
        let recorded = ledger.per_line();
        let lines = lines
            .into_iter()
            .map(|(year, id, line)| {
                let executed = entries::apply(vec![(year, id, line.clone())], &ledger).remove(0).1;
                LineExecution { year, line, executed, recorded: recorded.get(&id).copied().unwrap_or_default() }
            })
            .collect();
        Ok(FinanceLedger { year, entries: ledger.entries().cloned().collect(), lines, revenue_types })
    }
}
