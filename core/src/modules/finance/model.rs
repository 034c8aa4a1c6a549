//! Finance transparency: budget lines (chapter, article, paragraph) with their appropriations, commitments
//! and payments, revenues by type (planned and collected), the checks of an imported row, and the
//! aggregates that are published. Amounts are integer centimes: sums and rates are exact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages::{self, BudgetCell};
use crate::model::i18n::{Locale, LocalizedText};

/// The columns of a budget file, in order. Expense lines fill `appropriated`, `committed` and `paid`;
/// revenue lines fill `revenue_type`, `planned` and `collected`; the other kind's columns stay empty.
pub const COLUMNS: &[&str] = &[
    "kind",
    "chapter",
    "article",
    "paragraph",
    "label_ar",
    "label_fr",
    "revenue_type",
    "appropriated",
    "committed",
    "paid",
    "planned",
    "collected",
];

/// Whether a line spends or brings in, stored (and written in a budget file) by its name (`expense`, `revenue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum LineKind {
    Expense,
    Revenue,
}

impl LineKind {
    /// The stored name (`expense`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind a budget file's cell names.
    pub fn parse(value: &str) -> Option<Self> {
        [LineKind::Expense, LineKind::Revenue].into_iter().find(|k| k.as_str() == value)
    }
}

/// The figures of a line, by kind, in centimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figures {
    /// Appropriations (crédits), commitments (engagements) and payments (paiements).
    Expense { appropriated: i64, committed: i64, paid: i64 },
    /// Planned and collected revenue, of a type (`local_taxes`, `vat_share`, …).
    Revenue { revenue_type: String, planned: i64, collected: i64 },
}

/// One line of a commune's budget for a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
    pub label: LocalizedText,
    pub figures: Figures,
}

impl BudgetLine {
    pub fn kind(&self) -> LineKind {
        match self.figures {
            Figures::Expense { .. } => LineKind::Expense,
            Figures::Revenue { .. } => LineKind::Revenue,
        }
    }

    /// The line as a row of [`COLUMNS`], amounts in units with two decimals: what was imported.
    pub fn to_row(&self) -> Vec<String> {
        let (label_ar, label_fr) = (self.label.exact(Locale::Ar), self.label.exact(Locale::Fr));
        let mut row = vec![
            self.kind().as_str().to_owned(),
            self.chapter.clone(),
            self.article.clone(),
            self.paragraph.clone(),
            label_ar.unwrap_or_default().to_owned(),
            label_fr.unwrap_or_default().to_owned(),
        ];
        match &self.figures {
            Figures::Expense { appropriated, committed, paid } => {
                row.push(String::new());
                row.extend([appropriated, committed, paid].map(|a| format_centimes(*a)));
                row.extend([String::new(), String::new()]);
            }
            Figures::Revenue { revenue_type, planned, collected } => {
                row.push(revenue_type.clone());
                row.extend([String::new(), String::new(), String::new()]);
                row.extend([planned, collected].map(|a| format_centimes(*a)));
            }
        }
        row
    }
}

/// A row of a budget file as read, every cell text (empty cells are `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RawRow {
    pub kind: Option<String>,
    pub chapter: Option<String>,
    pub article: Option<String>,
    pub paragraph: Option<String>,
    pub label_ar: Option<String>,
    pub label_fr: Option<String>,
    pub revenue_type: Option<String>,
    pub appropriated: Option<String>,
    pub committed: Option<String>,
    pub paid: Option<String>,
    pub planned: Option<String>,
    pub collected: Option<String>,
}

/// The path of a cell in a file's error report: `lines[<line number>].<column>`.
pub fn cell_path(line: u64, column: &str) -> String {
    format!("lines[{line}].{column}")
}

fn required(line: u64, column: &str) -> FieldError {
    FieldError::new(cell_path(line, column), FieldErrorCode::Required, messages::budget_cell(BudgetCell::Required))
}

/// An amount cell in centimes; a missing or bad one is reported and counts as zero.
fn amount(errors: &mut Vec<FieldError>, line: u64, column: &str, value: &Option<String>) -> i64 {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            errors.push(required(line, column));
            0
        }
        Some(text) => match parse_centimes(text) {
            Ok(centimes) => centimes,
            Err(code) => {
                let text = match code {
                    FieldErrorCode::OutOfRange => messages::budget_cell(BudgetCell::AmountOutOfBounds),
                    _ => messages::budget_cell(BudgetCell::InvalidAmount),
                };
                errors.push(FieldError::new(cell_path(line, column), code, text));
                0
            }
        },
    }
}

/// Checks one row (at `line` of the file) and makes it a line, or names every bad cell.
pub fn parse_row(line: u64, raw: &RawRow) -> Result<BudgetLine, Vec<FieldError>> {
    let mut errors = Vec::new();
    let cell = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let kind = match cell(&raw.kind) {
        None => {
            errors.push(required(line, "kind"));
            None
        }
        Some(value) => {
            let kind = LineKind::parse(&value);
            if kind.is_none() {
                errors.push(FieldError::new(
                    cell_path(line, "kind"),
                    FieldErrorCode::NotAnOption,
                    messages::budget_cell(BudgetCell::Kind),
                ));
            }
            kind
        }
    };
    let mut code = |column: &str, value: &Option<String>, optional: bool| -> String {
        match cell(value) {
            None if optional => String::new(),
            None => {
                errors.push(required(line, column));
                String::new()
            }
            Some(v) if v.len() <= 12 && v.bytes().all(|b| b.is_ascii_digit()) => v,
            Some(_) => {
                errors.push(FieldError::new(
                    cell_path(line, column),
                    FieldErrorCode::PatternMismatch,
                    messages::budget_cell(BudgetCell::Code),
                ));
                String::new()
            }
        }
    };
    let chapter = code("chapter", &raw.chapter, false);
    let article = code("article", &raw.article, false);
    let paragraph = code("paragraph", &raw.paragraph, true);
    let mut label = LocalizedText::new();
    for (column, value, locale) in [("label_ar", &raw.label_ar, Locale::Ar), ("label_fr", &raw.label_fr, Locale::Fr)] {
        match cell(value) {
            None => errors.push(required(line, column)),
            Some(text) if text.chars().count() > 300 => errors.push(FieldError::new(
                cell_path(line, column),
                FieldErrorCode::TooLong,
                messages::budget_cell(BudgetCell::LabelTooLong),
            )),
            Some(text) => label = label.with(locale, text),
        }
    }

    let mut must_be_empty = Vec::new();
    let figures = match kind {
        Some(LineKind::Expense) => {
            let appropriated = amount(&mut errors, line, "appropriated", &raw.appropriated);
            let committed = amount(&mut errors, line, "committed", &raw.committed);
            let paid = amount(&mut errors, line, "paid", &raw.paid);
            must_be_empty.extend([
                ("revenue_type", &raw.revenue_type),
                ("planned", &raw.planned),
                ("collected", &raw.collected),
            ]);
            Some(Figures::Expense { appropriated, committed, paid })
        }
        Some(LineKind::Revenue) => {
            let revenue_type = match cell(&raw.revenue_type) {
                None => {
                    errors.push(required(line, "revenue_type"));
                    String::new()
                }
                Some(t) if t.len() <= 40 && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => t,
                Some(_) => {
                    errors.push(FieldError::new(
                        cell_path(line, "revenue_type"),
                        FieldErrorCode::PatternMismatch,
                        messages::budget_cell(BudgetCell::RevenueType),
                    ));
                    String::new()
                }
            };
            let planned = amount(&mut errors, line, "planned", &raw.planned);
            let collected = amount(&mut errors, line, "collected", &raw.collected);
            must_be_empty.extend([
                ("appropriated", &raw.appropriated),
                ("committed", &raw.committed),
                ("paid", &raw.paid),
            ]);
            Some(Figures::Revenue { revenue_type, planned, collected })
        }
        None => None,
    };
    for (column, value) in must_be_empty {
        if cell(value).is_some() {
            errors.push(FieldError::new(
                cell_path(line, column),
                FieldErrorCode::UnknownField,
                messages::budget_cell(BudgetCell::NotForKind),
            ));
        }
    }
    if let Some(Figures::Expense { appropriated, committed, paid }) = &figures {
        if committed > appropriated {
            errors.push(FieldError::new(
                cell_path(line, "committed"),
                FieldErrorCode::OutOfRange,
                messages::budget_cell(BudgetCell::CommitmentsExceed),
            ));
        }
        if paid > committed {
            errors.push(FieldError::new(
                cell_path(line, "paid"),
                FieldErrorCode::OutOfRange,
                messages::budget_cell(BudgetCell::PaymentsExceed),
            ));
        }
    }
    match figures {
        Some(figures) if errors.is_empty() => Ok(BudgetLine { chapter, article, paragraph, label, figures }),
        _ => Err(errors),
    }
}

/// An amount in units with at most two decimals (`1250000`, `1250000.5`, `1250000.50`) as centimes, with
/// integer arithmetic only. INVALID_TYPE when it is not such a number, OUT_OF_RANGE when negative or too large.
pub fn parse_centimes(text: &str) -> Result<i64, FieldErrorCode> {
    if text.starts_with('-') {
        return Err(FieldErrorCode::OutOfRange);
    }
    let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || (text.contains('.') && !digits(decimals)) || decimals.len() > 2 {
        return Err(FieldErrorCode::InvalidType);
    }
    // Thirteen digits of units is ten thousand billion: beyond any commune's budget, and far from i64's end.
    if units.trim_start_matches('0').len() > 13 {
        return Err(FieldErrorCode::OutOfRange);
    }
    let units: i64 = units.parse().map_err(|_| FieldErrorCode::InvalidType)?;
    let cents: i64 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<i64>().map_err(|_| FieldErrorCode::InvalidType)? * 10,
        _ => decimals.parse().map_err(|_| FieldErrorCode::InvalidType)?,
    };
    Ok(units * 100 + cents)
}

/// Centimes as units with two decimals: `125000050` → `1250000.50`.
pub fn format_centimes(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `part / whole` in basis points (1/100 of a percent), rounded half up; `None` when `whole` is zero.
pub fn rate_bp(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (i128::from(part), i128::from(whole));
    let rate = (part * 20_000 + whole).div_euclid(whole * 2);
    i64::try_from(rate).ok()
}

/// Basis points as a percentage with two decimals: `7345` → `73.45`.
pub fn format_bp(bp: i64) -> String {
    format_centimes(bp)
}

/// Execution of one chapter's expenses in a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChapterExecution {
    pub year: i32,
    pub chapter: String,
    pub appropriated: i64,
    pub committed: i64,
    pub paid: i64,
    /// Committed over appropriated, in basis points.
    pub commitment_rate_bp: Option<i64>,
    /// Paid over appropriated, in basis points: the execution rate.
    pub execution_rate_bp: Option<i64>,
}

/// Revenue of one type in a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueByType {
    pub year: i32,
    pub revenue_type: String,
    pub planned: i64,
    pub collected: i64,
    /// Collected over planned, in basis points.
    pub collection_rate_bp: Option<i64>,
}

/// A year's totals, and how payments and collections changed from the year before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearTotals {
    pub year: i32,
    pub appropriated: i64,
    pub committed: i64,
    pub paid: i64,
    pub planned: i64,
    pub collected: i64,
    pub execution_rate_bp: Option<i64>,
    pub collection_rate_bp: Option<i64>,
    /// The change of `paid` from the previous year with data, in basis points of that year's.
    pub paid_change_bp: Option<i64>,
    /// The change of `collected` from the previous year with data, in basis points of that year's.
    pub collected_change_bp: Option<i64>,
}

/// The published aggregates of a commune's budget lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregates {
    pub chapters: Vec<ChapterExecution>,
    pub revenues: Vec<RevenueByType>,
    pub years: Vec<YearTotals>,
}

/// Execution per chapter, revenue per type, and year-over-year totals, in year then code order.
pub fn aggregate(lines: &[(i32, BudgetLine)]) -> Aggregates {
    let mut chapters: BTreeMap<(i32, &str), (i64, i64, i64)> = BTreeMap::new();
    let mut revenues: BTreeMap<(i32, &str), (i64, i64)> = BTreeMap::new();
    let mut years: BTreeMap<i32, [i64; 5]> = BTreeMap::new();
    for (year, line) in lines {
        let totals = years.entry(*year).or_default();
        match &line.figures {
            Figures::Expense { appropriated, committed, paid } => {
                let entry = chapters.entry((*year, line.chapter.as_str())).or_default();
                entry.0 += appropriated;
                entry.1 += committed;
                entry.2 += paid;
                totals[0] += appropriated;
                totals[1] += committed;
                totals[2] += paid;
            }
            Figures::Revenue { revenue_type, planned, collected } => {
                let entry = revenues.entry((*year, revenue_type.as_str())).or_default();
                entry.0 += planned;
                entry.1 += collected;
                totals[3] += planned;
                totals[4] += collected;
            }
        }
    }
    let chapters = chapters
        .into_iter()
        .map(|((year, chapter), (appropriated, committed, paid))| ChapterExecution {
            year,
            chapter: chapter.to_owned(),
            appropriated,
            committed,
            paid,
            commitment_rate_bp: rate_bp(committed, appropriated),
            execution_rate_bp: rate_bp(paid, appropriated),
        })
        .collect();
    let revenues = revenues
        .into_iter()
        .map(|((year, revenue_type), (planned, collected))| RevenueByType {
            year,
            revenue_type: revenue_type.to_owned(),
            planned,
            collected,
            collection_rate_bp: rate_bp(collected, planned),
        })
        .collect();
    let mut previous: Option<[i64; 5]> = None;
    let mut totals = Vec::new();
    for (year, [appropriated, committed, paid, planned, collected]) in years {
        let change = |now: i64, index: usize| previous.and_then(|p| rate_bp(now - p[index], p[index]));
        totals.push(YearTotals {
            year,
            appropriated,
            committed,
            paid,
            planned,
            collected,
            execution_rate_bp: rate_bp(paid, appropriated),
            collection_rate_bp: rate_bp(collected, planned),
            paid_change_bp: change(paid, 2),
            collected_change_bp: change(collected, 4),
        });
        previous = Some([appropriated, committed, paid, planned, collected]);
    }
    Aggregates { chapters, revenues, years: totals }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(cells: [&str; 12]) -> RawRow {
        let c = |i: usize| Some(cells[i].to_owned()).filter(|s| !s.is_empty());
        RawRow {
            kind: c(0),
            chapter: c(1),
            article: c(2),
            paragraph: c(3),
            label_ar: c(4),
            label_fr: c(5),
            revenue_type: c(6),
            appropriated: c(7),
            committed: c(8),
            paid: c(9),
            planned: c(10),
            collected: c(11),
        }
    }

    #[test]
    fn amounts_are_exact_centimes() {
        for (text, expected) in [("0", 0), ("12", 1200), ("12.5", 1250), ("12.05", 1205), ("1250000.50", 125_000_050)] {
            assert_eq!(parse_centimes(text), Ok(expected), "{text}");
            assert_eq!(parse_centimes(&format_centimes(expected)), Ok(expected));
        }
        for text in ["", "1,5", "1.234", "abc", "1.", ".5", "1e6", " 1"] {
            assert_eq!(parse_centimes(text), Err(FieldErrorCode::InvalidType), "{text}");
        }
        assert_eq!(parse_centimes("-5"), Err(FieldErrorCode::OutOfRange));
        assert_eq!(parse_centimes("99999999999999"), Err(FieldErrorCode::OutOfRange));
        assert_eq!(format_centimes(125_000_050), "1250000.50");
    }

    #[test]
    fn rates_round_half_up() {
        assert_eq!(rate_bp(1, 3), Some(3333));
        assert_eq!(rate_bp(2, 3), Some(6667));
        assert_eq!(rate_bp(5, 0), None);
        assert_eq!(rate_bp(110, 100), Some(11_000));
        assert_eq!(rate_bp(-10, 100), Some(-1000));
        assert_eq!(format_bp(7345), "73.45");
    }

    #[test]
    fn rows_are_checked_cell_by_cell() {
        let good = raw(["expense", "10", "20", "1", "أجور", "Salaires", "", "1000", "800.50", "700", "", ""]);
        let line = parse_row(2, &good).unwrap();
        assert_eq!(line.figures, Figures::Expense { appropriated: 100_000, committed: 80_050, paid: 70_000 });
        assert_eq!(line.to_row()[7..10], ["1000.00", "800.50", "700.00"]);

        type Case<'a> = ([&'a str; 12], Vec<(&'a str, FieldErrorCode)>);
        let cases: Vec<Case> = vec![
            (
                ["spending", "10", "", "", "x", "x", "", "", "", "", "", ""],
                vec![("lines[3].kind", FieldErrorCode::NotAnOption), ("lines[3].article", FieldErrorCode::Required)],
            ),
            (
                ["expense", "1A", "20", "", "", "x", "", "10", "20", "5", "", ""],
                vec![
                    ("lines[3].chapter", FieldErrorCode::PatternMismatch),
                    ("lines[3].label_ar", FieldErrorCode::Required),
                    ("lines[3].committed", FieldErrorCode::OutOfRange),
                ],
            ),
            (
                ["revenue", "10", "20", "", "x", "x", "", "", "", "", "1,5", "-1"],
                vec![
                    ("lines[3].revenue_type", FieldErrorCode::Required),
                    ("lines[3].planned", FieldErrorCode::InvalidType),
                    ("lines[3].collected", FieldErrorCode::OutOfRange),
                ],
            ),
            (
                ["revenue", "10", "20", "", "x", "x", "local_taxes", "5", "", "", "10", "8"],
                vec![("lines[3].appropriated", FieldErrorCode::UnknownField)],
            ),
        ];
        for (cells, expected) in cases {
            let errors = parse_row(3, &raw(cells)).unwrap_err();
            let got: Vec<(&str, FieldErrorCode)> = errors.iter().map(|e| (e.path.as_str(), e.code)).collect();
            assert_eq!(got, expected, "{cells:?}");
        }
    }

    #[test]
    fn aggregates_per_chapter_type_and_year() {
        let expense = |chapter: &str, a: i64, c: i64, p: i64| BudgetLine {
            chapter: chapter.into(),
            article: "1".into(),
            paragraph: String::new(),
            label: LocalizedText::ar_fr("x", "x"),
            figures: Figures::Expense { appropriated: a, committed: c, paid: p },
        };
        let revenue = |t: &str, p: i64, c: i64| BudgetLine {
            chapter: "10".into(),
            article: "1".into(),
            paragraph: String::new(),
            label: LocalizedText::ar_fr("x", "x"),
            figures: Figures::Revenue { revenue_type: t.into(), planned: p, collected: c },
        };
        let lines = vec![
            (2025, expense("10", 1000, 900, 800)),
            (2025, revenue("local_taxes", 2000, 1500)),
            (2026, expense("10", 600, 500, 400)),
            (2026, expense("10", 400, 400, 400)),
            (2026, expense("20", 300, 0, 0)),
            (2026, revenue("local_taxes", 1000, 900)),
            (2026, revenue("vat_share", 1000, 1000)),
        ];
        let a = aggregate(&lines);
        let c = &a.chapters[1];
        assert_eq!(
            (c.year, c.chapter.as_str(), c.appropriated, c.paid, c.execution_rate_bp),
            (2026, "10", 1000, 800, Some(8000))
        );
        assert_eq!(a.chapters[2].execution_rate_bp, Some(0));
        assert_eq!(a.revenues.len(), 3);
        assert_eq!(a.revenues[1].collection_rate_bp, Some(9000));
        assert_eq!(a.years[0].paid_change_bp, None);
        assert_eq!((a.years[1].paid, a.years[1].paid_change_bp), (800, Some(0)));
        assert_eq!((a.years[1].collected, a.years[1].collected_change_bp), (1900, Some(2667)));
    }
}
