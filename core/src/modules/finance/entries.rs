//! Expenditures and revenues recorded in the commune, in the shapes of the expenditure and revenue management
//! (GID, GIR): a commitment (engagement) against an expense line of the year, never beyond what the line has
//! left (appropriated − committed); its approval (visa) by the authorising officer, who is not the member who
//! recorded it; payment orders (ordonnancement) against an approved commitment and payments against what was
//! ordered, never beyond; revenue titles (ordres de recette) against a revenue line, of a type the commune's
//! template names (`settings.finance.revenueTypes`), and collections against a title, never beyond it. An
//! entry is never changed: a counter-entry with its reason takes back all or part of a commitment, payment
//! order, payment, title or collection. Pure: the checks and the sums, no I/O. Amounts are centimes.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages::{self, EntryProblem};
use crate::model::i18n::LocalizedText;
use crate::model::ids::FinanceEntryId;
use crate::model::settings::{SettingsSection, snake_case_keys_once};
use crate::modules::finance::model::{BudgetLine, Figures, format_centimes};

/// The settings key that holds a commune's [`FinanceSettings`].
pub const SETTINGS_KEY: &str = "finance";

/// The longest object of a commitment, or reason of a counter-entry.
pub const MAX_OBJECT: usize = 500;
/// The longest supplier or debtor name.
pub const MAX_PARTY: usize = 200;

/// What a commune sets of its recorded finance (`settings.finance`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FinanceSettings {
    /// The types of revenue its titles are issued under.
    pub revenue_types: Vec<RevenueType>,
}

/// A type of revenue (`local_taxes`, `vat_share`, …): the law that institutes it, or a commune setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueType {
    pub key: String,
    pub label: LocalizedText,
    /// The text that institutes it (law 47-06 on local taxation and its article), or `Paramètre de la
    /// commune : …` when the commune sets it; none once a template crosses a border (`dropLegalReferences`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<String>,
}

impl SettingsSection for FinanceSettings {
    const KEY: &'static str = SETTINGS_KEY;

    /// Keys are snake case and given once; each type cites its source.
    fn check(&self) -> Result<(), String> {
        snake_case_keys_once("revenueTypes", self.revenue_types.iter().map(|t| t.key.as_str()))?;
        match self.revenue_types.iter().find(|t| t.legal_reference.as_deref().is_some_and(|s| s.trim().is_empty())) {
            Some(kind) => Err(format!("revenueTypes: `{}` cites no source", kind.key)),
            None => Ok(()),
        }
    }
}

impl FinanceSettings {}

/// What an entry is, stored by its name (`payment_order`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum EntryKind {
    /// An engagement against an expense line.
    Commitment,
    /// The authorising officer's approval (visa) of a commitment.
    Approval,
    /// An order to pay (ordonnancement) against an approved commitment.
    PaymentOrder,
    /// A payment against what was ordered of a commitment.
    Payment,
    /// A revenue title (ordre de recette) against a revenue line.
    Title,
    /// A collection against a title.
    Collection,
    /// A counter-entry: takes back all or part of another entry, with its reason.
    Correction,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        EntryKind::Commitment,
        EntryKind::Approval,
        EntryKind::PaymentOrder,
        EntryKind::Payment,
        EntryKind::Title,
        EntryKind::Collection,
        EntryKind::Correction,
    ];

    /// The stored name (`payment_order`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Where it comes among entries recorded at the same time: after the kinds it may refer to.
    fn rank(self) -> u8 {
        match self {
            EntryKind::Commitment | EntryKind::Title => 0,
            EntryKind::Approval | EntryKind::PaymentOrder | EntryKind::Collection => 1,
            EntryKind::Payment => 2,
            EntryKind::Correction => 3,
        }
    }

    /// The per-commune, per-year sequence its numbers are taken from (`finance:2026:commitment`).
    pub fn counter_name(self, year: i32) -> String {
        format!("finance:{year}:{}", self.as_str())
    }
}

/// A recorded entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: FinanceEntryId,
    pub year: i32,
    pub kind: EntryKind,
    /// 1, 2, 3, … per commune, year and kind, without gaps.
    pub number: i64,
    /// The budget line it is recorded against.
    pub line: Uuid,
    /// The commitment, payment order or title it is made against; for a counter-entry, the entry it corrects.
    pub parent: Option<FinanceEntryId>,
    /// Centimes (zero for an approval); a counter-entry's is what it takes back.
    pub amount: i64,
    pub object: Option<String>,
    /// The supplier of a commitment, the debtor of a title.
    pub party: Option<String>,
    pub revenue_type: Option<String>,
    /// Why a counter-entry was made.
    pub reason: Option<String>,
    /// Who recorded it (an actor of the audit trail: `user:<id>`).
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// An entry with what followed it: what counter-entries took back, whether it was approved, and what was
/// ordered, paid or collected against it (each net of its own counter-entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryState {
    pub entry: Entry,
    pub taken_back: i64,
    pub approved_by: Option<String>,
    pub ordered: i64,
    pub paid: i64,
    pub collected: i64,
}

impl EntryState {
    /// The amount net of its counter-entries.
    pub fn net(&self) -> i64 {
        self.entry.amount - self.taken_back
    }

    /// What may still be taken back: a commitment down to what was ordered, an order down to what was paid, a
    /// title down to what was collected; a payment or a collection entirely (net).
    pub fn correctable(&self) -> i64 {
        match self.entry.kind {
            EntryKind::Commitment => self.net() - self.ordered,
            EntryKind::PaymentOrder => self.net() - self.paid,
            EntryKind::Title => self.net() - self.collected,
            EntryKind::Payment | EntryKind::Collection => self.net(),
            EntryKind::Approval | EntryKind::Correction => 0,
        }
    }
}

/// A year's entries with their states, and the sums per budget line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    states: BTreeMap<FinanceEntryId, EntryState>,
    order: Vec<FinanceEntryId>,
}

/// What the recorded entries add to a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineRecorded {
    pub committed: i64,
    pub ordered: i64,
    pub paid: i64,
    pub titled: i64,
    pub collected: i64,
}

impl Ledger {
    /// The ledger of `entries`, in the order they were recorded (an entry after those it refers to, when
    /// several share a time).
    pub fn new(mut entries: Vec<Entry>) -> Self {
        entries.sort_by_key(|e| (e.recorded_at, e.kind.rank()));
        let mut ledger = Ledger::default();
        for entry in entries {
            ledger.push(entry);
        }
        ledger
    }

    /// Adds an entry (after those it refers to) and carries its effect to them.
    pub fn push(&mut self, entry: Entry) {
        let id = entry.id;
        let parent = entry.parent;
        let (kind, amount, by) = (entry.kind, entry.amount, entry.recorded_by.clone());
        self.order.push(id);
        self.states
            .insert(id, EntryState { entry, taken_back: 0, approved_by: None, ordered: 0, paid: 0, collected: 0 });
        let Some(parent) = parent else { return };
        match kind {
            EntryKind::Approval => {
                if let Some(p) = self.states.get_mut(&parent) {
                    p.approved_by = Some(by);
                }
            }
            EntryKind::PaymentOrder => {
                if let Some(p) = self.states.get_mut(&parent) {
                    p.ordered += amount;
                }
            }
            EntryKind::Payment => {
                // A payment is made against a payment order, which is made against a commitment.
                let commitment = self.states.get_mut(&parent).map(|order| {
                    order.paid += amount;
                    order.entry.parent
                });
                if let Some(Some(commitment)) = commitment
                    && let Some(c) = self.states.get_mut(&commitment)
                {
                    c.paid += amount;
                }
            }
            EntryKind::Collection => {
                if let Some(p) = self.states.get_mut(&parent) {
                    p.collected += amount;
                }
            }
            EntryKind::Correction => {
                let corrected = self.states.get_mut(&parent).map(|p| {
                    p.taken_back += amount;
                    (p.entry.kind, p.entry.parent)
                });
                // Taking back an order, a payment or a collection lowers what its parent shows of it.
                if let Some((corrected_kind, Some(grand))) = corrected {
                    let grand_parent = self.states.get(&grand).and_then(|g| g.entry.parent);
                    if let Some(g) = self.states.get_mut(&grand) {
                        match corrected_kind {
                            EntryKind::PaymentOrder => g.ordered -= amount,
                            EntryKind::Payment => g.paid -= amount,
                            EntryKind::Collection => g.collected -= amount,
                            _ => {}
                        }
                    }
                    if corrected_kind == EntryKind::Payment
                        && let Some(c) = grand_parent.and_then(|c| self.states.get_mut(&c))
                    {
                        c.paid -= amount;
                    }
                }
            }
            EntryKind::Commitment | EntryKind::Title => {}
        }
    }

    pub fn get(&self, id: FinanceEntryId) -> Option<&EntryState> {
        self.states.get(&id)
    }

    /// The entries in the order they were recorded.
    pub fn entries(&self) -> impl Iterator<Item = &EntryState> {
        self.order.iter().filter_map(|id| self.states.get(id))
    }

    /// What the entries add to each line.
    pub fn per_line(&self) -> HashMap<Uuid, LineRecorded> {
        let mut lines: HashMap<Uuid, LineRecorded> = HashMap::new();
        for state in self.states.values() {
            let line = lines.entry(state.entry.line).or_default();
            match state.entry.kind {
                EntryKind::Commitment => line.committed += state.net(),
                EntryKind::PaymentOrder => line.ordered += state.net(),
                EntryKind::Payment => line.paid += state.net(),
                EntryKind::Title => line.titled += state.net(),
                EntryKind::Collection => line.collected += state.net(),
                EntryKind::Approval | EntryKind::Correction => {}
            }
        }
        lines
    }

    /// What the entries add to `line`.
    pub fn of_line(&self, line: Uuid) -> LineRecorded {
        self.per_line().remove(&line).unwrap_or_default()
    }
}

/// Adds what was recorded to the imported figures of each line (`(year, id, line)`): the budget execution
/// and the open data computed from both.
pub fn apply(lines: Vec<(i32, Uuid, BudgetLine)>, ledger: &Ledger) -> Vec<(i32, BudgetLine)> {
    let recorded = ledger.per_line();
    lines
        .into_iter()
        .map(|(year, id, mut line)| {
            if let Some(r) = recorded.get(&id) {
                match &mut line.figures {
                    Figures::Expense { committed, paid, .. } => {
                        *committed += r.committed;
                        *paid += r.paid;
                    }
                    Figures::Revenue { collected, .. } => *collected += r.collected,
                }
            }
            (year, line)
        })
        .collect()
}

fn problem(path: &str, code: FieldErrorCode, problem: EntryProblem) -> FieldError {
    FieldError::new(path, code, messages::entry_problem(problem))
}

/// A positive amount of centimes (the field at `path`).
pub fn check_amount(path: &str, amount: i64) -> Result<(), FieldError> {
    if amount > 0 { Ok(()) } else { Err(problem(path, FieldErrorCode::OutOfRange, EntryProblem::AmountNotPositive)) }
}

/// A text of 1 to `max` characters, trimmed.
pub fn check_text(path: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::new(path, FieldErrorCode::Required, messages::required()))
    } else if value.chars().count() > max {
        Err(FieldError::new(
            path,
            FieldErrorCode::TooLong,
            messages::too_long(u32::try_from(max).unwrap_or(u32::MAX), messages::LengthUnit::Characters),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// What a new commitment needs: the line to have `amount` left of its appropriation.
pub fn check_commitment(appropriated: i64, committed: i64, amount: i64) -> Result<(), FieldError> {
    if committed + amount > appropriated {
        return Err(FieldError::new(
            "input.amount",
            FieldErrorCode::OutOfRange,
            messages::entry_beyond(EntryProblem::BeyondAppropriation, &format_centimes(appropriated - committed)),
        ));
    }
    Ok(())
}

/// Whether `approver` may approve `commitment`: a commitment, not yet approved, recorded by someone else.
pub fn check_approval(commitment: &EntryState, approver: &str) -> Result<(), FieldError> {
    if commitment.entry.kind != EntryKind::Commitment {
        return Err(problem("commitmentId", FieldErrorCode::InvalidValue, EntryProblem::NotACommitment));
    }
    if commitment.approved_by.is_some() {
        return Err(problem("commitmentId", FieldErrorCode::RuleNotMet, EntryProblem::AlreadyApproved));
    }
    if commitment.entry.recorded_by == approver {
        return Err(problem("commitmentId", FieldErrorCode::RuleNotMet, EntryProblem::SameMember));
    }
    if commitment.net() <= 0 {
        return Err(problem("commitmentId", FieldErrorCode::RuleNotMet, EntryProblem::Cancelled));
    }
    Ok(())
}

/// A payment order against an approved commitment, within what it has left to order.
pub fn check_payment_order(commitment: &EntryState, amount: i64) -> Result<(), FieldError> {
    if commitment.entry.kind != EntryKind::Commitment {
        return Err(problem("commitmentId", FieldErrorCode::InvalidValue, EntryProblem::NotACommitment));
    }
    if commitment.approved_by.is_none() {
        return Err(problem("commitmentId", FieldErrorCode::RuleNotMet, EntryProblem::NotApproved));
    }
    let left = commitment.net() - commitment.ordered;
    if amount > left {
        return Err(FieldError::new(
            "amount",
            FieldErrorCode::OutOfRange,
            messages::entry_beyond(EntryProblem::BeyondCommitment, &format_centimes(left)),
        ));
    }
    Ok(())
}

/// A payment against a payment order, within what it has left to pay.
pub fn check_payment(order: &EntryState, amount: i64) -> Result<(), FieldError> {
    if order.entry.kind != EntryKind::PaymentOrder {
        return Err(problem("paymentOrderId", FieldErrorCode::InvalidValue, EntryProblem::NotAPaymentOrder));
    }
    let left = order.net() - order.paid;
    if amount > left {
        return Err(FieldError::new(
            "amount",
            FieldErrorCode::OutOfRange,
            messages::entry_beyond(EntryProblem::BeyondPaymentOrder, &format_centimes(left)),
        ));
    }
    Ok(())
}

/// A collection against a title, within what it has left to collect.
pub fn check_collection(title: &EntryState, amount: i64) -> Result<(), FieldError> {
    if title.entry.kind != EntryKind::Title {
        return Err(problem("titleId", FieldErrorCode::InvalidValue, EntryProblem::NotATitle));
    }
    let left = title.net() - title.collected;
    if amount > left {
        return Err(FieldError::new(
            "amount",
            FieldErrorCode::OutOfRange,
            messages::entry_beyond(EntryProblem::BeyondTitle, &format_centimes(left)),
        ));
    }
    Ok(())
}

/// A counter-entry of `amount` against `entry`: never more than it may give back.
pub fn check_correction(entry: &EntryState, amount: i64) -> Result<(), FieldError> {
    if matches!(entry.entry.kind, EntryKind::Approval | EntryKind::Correction) {
        return Err(problem("entryId", FieldErrorCode::InvalidValue, EntryProblem::NotCorrectable));
    }
    let left = entry.correctable();
    if amount > left {
        return Err(FieldError::new(
            "amount",
            FieldErrorCode::OutOfRange,
            messages::entry_beyond(EntryProblem::BeyondCorrectable, &format_centimes(left)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICER: &str = "user:officer";
    const PRESIDENT: &str = "user:president";

    fn entry(kind: EntryKind, parent: Option<&Entry>, amount: i64, by: &str) -> Entry {
        Entry {
            id: FinanceEntryId::new(),
            year: 2026,
            kind,
            number: 1,
            line: parent.map_or(Uuid::from_u128(7), |p| p.line),
            parent: parent.map(|p| p.id),
            amount,
            object: None,
            party: None,
            revenue_type: None,
            reason: None,
            recorded_by: by.to_owned(),
            recorded_at: DateTime::UNIX_EPOCH,
        }
    }

    fn codes(result: Result<(), FieldError>) -> (String, FieldErrorCode) {
        let error = result.unwrap_err();
        (error.path, error.code)
    }

    #[test]
    fn a_commitment_stays_within_the_line() {
        assert!(check_commitment(1_000, 600, 400).is_ok());
        assert_eq!(codes(check_commitment(1_000, 600, 401)), ("input.amount".into(), FieldErrorCode::OutOfRange));
        assert_eq!(codes(check_amount("amount", 0)), ("amount".into(), FieldErrorCode::OutOfRange));
    }

    #[test]
    fn approval_by_another_member_then_orders_and_payments_within_it() {
        let commitment = entry(EntryKind::Commitment, None, 1_000, OFFICER);
        let mut ledger = Ledger::new(vec![commitment.clone()]);
        let state = ledger.get(commitment.id).unwrap();
        // Not ordered before approval; not approved by the member who recorded it.
        assert_eq!(codes(check_payment_order(state, 100)).1, FieldErrorCode::RuleNotMet);
        assert_eq!(codes(check_approval(state, OFFICER)).1, FieldErrorCode::RuleNotMet);
        assert!(check_approval(state, PRESIDENT).is_ok());
        ledger.push(entry(EntryKind::Approval, Some(&commitment), 0, PRESIDENT));
        let state = ledger.get(commitment.id).unwrap();
        assert_eq!(codes(check_approval(state, "user:other")).1, FieldErrorCode::RuleNotMet);
        assert_eq!(codes(check_payment_order(state, 1_001)).1, FieldErrorCode::OutOfRange);
        let order = entry(EntryKind::PaymentOrder, Some(&commitment), 700, PRESIDENT);
        ledger.push(order.clone());
        assert_eq!(codes(check_payment(ledger.get(order.id).unwrap(), 701)).1, FieldErrorCode::OutOfRange);
        assert_eq!(codes(check_payment(ledger.get(commitment.id).unwrap(), 1)).1, FieldErrorCode::InvalidValue);
        ledger.push(entry(EntryKind::Payment, Some(&order), 500, OFFICER));
        let state = ledger.get(commitment.id).unwrap();
        assert_eq!((state.ordered, state.paid), (700, 500));
        assert_eq!(
            ledger.of_line(commitment.line),
            LineRecorded { committed: 1_000, ordered: 700, paid: 500, titled: 0, collected: 0 }
        );
        // A commitment gives back only what was not ordered.
        assert_eq!(state.correctable(), 300);
        assert_eq!(codes(check_correction(state, 301)).1, FieldErrorCode::OutOfRange);
    }

    #[test]
    fn counter_entries_take_back_and_carry_to_the_line() {
        let commitment = entry(EntryKind::Commitment, None, 1_000, OFFICER);
        let approval = entry(EntryKind::Approval, Some(&commitment), 0, PRESIDENT);
        let order = entry(EntryKind::PaymentOrder, Some(&commitment), 600, PRESIDENT);
        let payment = entry(EntryKind::Payment, Some(&order), 600, OFFICER);
        let mut ledger = Ledger::new(vec![commitment.clone(), approval.clone(), order.clone(), payment.clone()]);
        assert_eq!(codes(check_correction(ledger.get(approval.id).unwrap(), 1)).1, FieldErrorCode::InvalidValue);
        // A payment taken back: the order and the commitment show it unpaid again.
        ledger.push(entry(EntryKind::Correction, Some(&payment), 200, OFFICER));
        assert_eq!(ledger.get(order.id).unwrap().paid, 400);
        assert_eq!(ledger.get(commitment.id).unwrap().paid, 400);
        ledger.push(entry(EntryKind::Correction, Some(&commitment), 400, OFFICER));
        let line = ledger.of_line(commitment.line);
        assert_eq!((line.committed, line.paid), (600, 400));
        assert_eq!(ledger.get(commitment.id).unwrap().correctable(), 0);
    }

    #[test]
    fn titles_and_collections() {
        let title = entry(EntryKind::Title, None, 5_000, OFFICER);
        let mut ledger = Ledger::new(vec![title.clone()]);
        assert!(check_collection(ledger.get(title.id).unwrap(), 5_000).is_ok());
        ledger.push(entry(EntryKind::Collection, Some(&title), 3_000, OFFICER));
        assert_eq!(codes(check_collection(ledger.get(title.id).unwrap(), 2_001)).1, FieldErrorCode::OutOfRange);
        assert_eq!(ledger.of_line(title.line).collected, 3_000);
        assert_eq!(ledger.get(title.id).unwrap().correctable(), 2_000);
    }

    #[test]
    fn recorded_entries_add_to_the_imported_figures() {
        let commitment = entry(EntryKind::Commitment, None, 1_000, OFFICER);
        let order = entry(EntryKind::PaymentOrder, Some(&commitment), 250, PRESIDENT);
        let payment = entry(EntryKind::Payment, Some(&order), 250, OFFICER);
        let ledger = Ledger::new(vec![commitment.clone(), order, payment]);
        let line = BudgetLine {
            chapter: "20".into(),
            article: "10".into(),
            paragraph: String::new(),
            label: LocalizedText::ar_fr("x", "x"),
            figures: Figures::Expense { appropriated: 10_000, committed: 2_000, paid: 1_000 },
        };
        let lines = apply(vec![(2026, commitment.line, line.clone()), (2026, Uuid::from_u128(8), line)], &ledger);
        assert_eq!(lines[0].1.figures, Figures::Expense { appropriated: 10_000, committed: 3_000, paid: 1_250 });
        assert_eq!(lines[1].1.figures, Figures::Expense { appropriated: 10_000, committed: 2_000, paid: 1_000 });
    }

    #[test]
    fn the_template_cites_each_revenue_type() {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let ma = standard.iter().find(|t| t.name == "ma-commune").unwrap();
        let finance =
            FinanceSettings::from_settings(&ma.content.settings).expect("settings.finance").expect("it loads");
        assert!(
            finance
                .revenue_types
                .iter()
                .any(|t| t.legal_reference.as_deref().is_some_and(|text| text.contains("47-06")))
        );
    }
}
