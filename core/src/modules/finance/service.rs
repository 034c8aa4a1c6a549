//! Finance transparency: importing a year's budget from CSV (every bad cell named, nothing imported when
//! any row is bad) and the public budget execution with its aggregates.

use std::collections::HashMap;

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::modules::finance::model::{self as finance, Aggregates, BudgetLine, COLUMNS, RawRow};
use crate::modules::finance::store;
use crate::store::audit;

use crate::service::Jamaa;

/// The most lines a file may have.
pub const MAX_BUDGET_LINES: usize = 10_000;

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetImport {
    pub year: i32,
    /// Lines imported.
    pub lines: u64,
    /// Lines of the year that the import replaced.
    pub replaced: u64,
}

/// A commune's budget lines and their aggregates, amounts in centimes of `currency`.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetExecution {
    pub commune: Commune,
    pub currency: String,
    pub lines: Vec<(i32, BudgetLine)>,
    pub aggregates: Aggregates,
}

fn message(ar: &str, fr: &str, en: &str, tzm: &str) -> LocalizedText {
    LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm)
}

/// Reads a budget file (a header of [`COLUMNS`], one line per row; lines starting with `#` are comments): its
/// lines, or every failure with its line number and column.
pub fn parse_budget_csv(text: &str) -> Result<Vec<BudgetLine>, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(_) => {
            return Err(vec![FieldError::new(
                "header",
                FieldErrorCode::InvalidType,
                message(
                    "سطر العناوين غير مقروء.",
                    "La ligne d'en-tête est illisible.",
                    "The header line cannot be read.",
                    "ⴰⵣⵔⵉⵔⵉⴳ ⵏ ⵉⵣⵡⵍⴰⵏ ⵓⵔ ⵉⵜⵜⵓⵖⵔⴰ.",
                ),
            )]);
        }
    };
    let mut errors = Vec::new();
    for column in COLUMNS {
        if !headers.iter().any(|h| h == *column) {
            errors.push(FieldError::new(
                format!("header.{column}"),
                FieldErrorCode::Required,
                message("عمود ناقص.", "Colonne manquante.", "Missing column.", "ⵜⴰⴳⵊⴷⵉⵜ ⵉⵅⵚⵚⴰⵏ."),
            ));
        }
    }
    for header in headers.iter().filter(|h| !COLUMNS.contains(h)) {
        errors.push(FieldError::new(
            format!("header.{header}"),
            FieldErrorCode::UnknownField,
            message("عمود غير معروف.", "Colonne inconnue.", "Unknown column.", "ⵜⴰⴳⵊⴷⵉⵜ ⵓⵔ ⵉⵜⵜⵓⵙⵙⵏⵏ."),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut lines = Vec::new();
    let mut seen: HashMap<(finance::LineKind, String, String, String), u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => {
                errors.push(FieldError::new(
                    format!("lines[{line}]"),
                    FieldErrorCode::InvalidType,
                    message(
                        "سطر غير مقروء (ترميز UTF-8).",
                        "Ligne illisible (encodage UTF-8 attendu).",
                        "Unreadable line (UTF-8 expected).",
                        "ⴰⵣⵔⵉⵔⵉⴳ ⵓⵔ ⵉⵜⵜⵓⵖⵔⴰ (ⵉⵍⴰⵇ UTF-8).",
                    ),
                ));
                break;
            }
        }
        let line = record.position().map_or(line, |p| record_line(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() + errors.len() >= MAX_BUDGET_LINES {
            errors.push(FieldError::new(
                "lines",
                FieldErrorCode::TooLong,
                message(
                    "عدد السطور يفوق الحد.",
                    "Trop de lignes (10 000 au plus).",
                    "Too many lines (10,000 at most).",
                    "ⵉⵣⵔⵉⵔⵉⴳⵏ ⴳⴳⵓⵜⵏ ⴰⴽⵯ (10 000 ⵖⴰⵙ).",
                ),
            ));
            break;
        }
        if record.len() != headers.len() {
            errors.push(FieldError::new(
                format!("lines[{line}]"),
                FieldErrorCode::InvalidValue,
                LocalizedText::ar_fr(
                    format!("ينتظر {} خانة، وجدت {}.", headers.len(), record.len()),
                    format!("{} colonnes attendues, {} trouvées.", headers.len(), record.len()),
                )
                .with(Locale::En, format!("{} columns expected, {} found.", headers.len(), record.len()))
                .with(Locale::Tzm, format!("ⵜⵜⵓⵔⴰⵊⴰⵏⵜ {} ⵜⴳⵍⴷⵉⵡⵉⵏ, ⵜⵜⵓⴼⴰⵏⵜ {}.", headers.len(), record.len())),
            ));
            continue;
        }
        let raw: RawRow = match record.deserialize(Some(&headers)) {
            Ok(raw) => raw,
            Err(_) => {
                errors.push(FieldError::new(
                    format!("lines[{line}]"),
                    FieldErrorCode::InvalidType,
                    message("سطر غير مقروء.", "Ligne illisible.", "Unreadable line.", "ⴰⵣⵔⵉⵔⵉⴳ ⵓⵔ ⵉⵜⵜⵓⵖⵔⴰ."),
                ));
                continue;
            }
        };
        match finance::parse_row(line, &raw) {
            Ok(parsed) => {
                let key = (parsed.kind(), parsed.chapter.clone(), parsed.article.clone(), parsed.paragraph.clone());
                if let Some(first) = seen.insert(key, line) {
                    errors.push(FieldError::new(
                        finance::cell_path(line, "paragraph"),
                        FieldErrorCode::InvalidValue,
                        LocalizedText::ar_fr(
                            format!("نفس السطر {first} (الفصل، المادة، الفقرة)."),
                            format!("Même ligne budgétaire que la ligne {first} (chapitre, article, paragraphe)."),
                        )
                        .with(
                            Locale::En,
                            format!("The same budget line as line {first} (chapter, article, paragraph)."),
                        )
                        .with(
                            Locale::Tzm,
                            format!("ⴰⵣⵔⵉⴳ ⵏ ⵜⵎⵙⵙⵓⵜⵍⵜ ⴰⴷ ⵉⴳⴰ ⴰⵎ ⵓⵣⵔⵉⴳ {first} (ⴰⵙⵎⵉⵍ, ⴰⵎⴰⴳⵓ, ⵜⴰⵙⴷⴰⵔⵜ)."),
                        ),
                    ));
                } else {
                    lines.push(parsed);
                }
            }
            Err(mut bad) => errors.append(&mut bad),
        }
    }
    if errors.is_empty() && lines.is_empty() {
        errors.push(FieldError::new(
            "lines",
            FieldErrorCode::Required,
            message("الملف فارغ.", "Le fichier est vide.", "The file is empty.", "ⴰⴼⴰⵢⵍⵓ ⴷ ⵉⵍⵎ."),
        ));
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// The line a record starts on: the reader's position may point at the blank or comment lines it skipped
/// before the record, so those are stepped over.
fn record_line(text: &str, byte: u64) -> u64 {
    let mut start = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
    while let Some(rest) = text.get(start..) {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..end].trim_end_matches(['\r', '\n']);
        if end == 0 || !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        start += end;
    }
    1 + text.bytes().take(start).filter(|b| *b == b'\n').count() as u64
}

impl Jamaa {
    /// Imports a year's budget from CSV, replacing the year's lines, in one transaction: when any row is
    /// bad, nothing is imported and every bad cell is reported (`lines[<line>].<column>`, with a code).
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, year))]
    pub async fn import_budget(
        &self,
        principal: &Principal,
        commune: &Commune,
        year: i32,
        csv_text: &str,
    ) -> Result<BudgetImport, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageFinance)?;
        let mut errors = Vec::new();
        if !(2000..=2100).contains(&year) {
            errors.push(FieldError::new(
                "year",
                FieldErrorCode::OutOfRange,
                message(
                    "سنة بين 2000 و2100.",
                    "Une année entre 2000 et 2100.",
                    "A year between 2000 and 2100.",
                    "ⴰⵙⴳⴳⵯⴰⵙ ⴳⵔ 2000 ⴷ 2100.",
                ),
            ));
        }
        let lines = match parse_budget_csv(csv_text) {
            Ok(lines) => lines,
            Err(mut bad) => {
                errors.append(&mut bad);
                Vec::new()
            }
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.tenant_tx(scope).await?;
        // A year whose expenditures and revenues are recorded here is no longer imported: the file would
        // replace the lines its entries stand on. The import stays for the years kept elsewhere before.
        if store::entry_count(&tx, year).await? > 0 {
            return Err(Error::field(
                "year",
                FieldErrorCode::RuleNotMet,
                crate::model::form::messages::entry_problem(crate::model::form::messages::EntryProblem::YearHasEntries),
            ));
        }
        let now = self.now();
        let replaced = store::replace_year(&tx, year, &lines, now).await?;
        let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(csv_text.as_bytes()));
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::BudgetImported,
                AuditSubject::Budget(year),
                serde_json::json!({ "year": year, "lines": lines.len(), "replaced": replaced, "sha256": digest }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(BudgetImport { year, lines: lines.len() as u64, replaced })
    }

    /// The commune's budget lines (of one year, or all) and their aggregates: public open data, computed from
    /// the imported figures plus the expenditures and revenues recorded against each line.
    pub async fn budget_execution(&self, commune: &Commune, year: Option<i32>) -> Result<BudgetExecution, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let lines = store::lines_with_ids(&tx, year).await?;
        let ledger = crate::modules::finance::entries::Ledger::new(store::entries(&tx, year).await?);
        tx.commit().await?;
        let lines = crate::modules::finance::entries::apply(lines, &ledger);
        let aggregates = finance::aggregate(&lines);
        Ok(BudgetExecution { currency: commune.spec.currency.to_string(), commune: commune.clone(), lines, aggregates })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(errors: &[FieldError]) -> Vec<(&str, FieldErrorCode)> {
        errors.iter().map(|e| (e.path.as_str(), e.code)).collect()
    }

    #[test]
    fn the_demo_files_import() {
        for file in [
            include_str!("../../../data/demo/oujda-budget-2024.csv"),
            include_str!("../../../data/demo/oujda-budget-2025.csv"),
        ] {
            assert!(parse_budget_csv(file).is_ok_and(|lines| lines.len() > 5));
        }
    }

    #[test]
    fn headers_comments_and_line_numbers() {
        let missing = parse_budget_csv("kind,chapter,article,colour\n").unwrap_err();
        assert_eq!(paths(&missing)[0], ("header.paragraph", FieldErrorCode::Required));
        assert_eq!(paths(&missing).last(), Some(&("header.colour", FieldErrorCode::UnknownField)));
        let header = COLUMNS.join(",");
        // Comments and blank lines are skipped, and still counted in line numbers.
        let text = format!("# illustrative\n{header}\n\nexpense,10,1,,a,b,,5,6,1,,\nexpense,10\n");
        let errors = parse_budget_csv(&text).unwrap_err();
        assert_eq!(
            paths(&errors),
            [("lines[4].committed", FieldErrorCode::OutOfRange), ("lines[5]", FieldErrorCode::InvalidValue)]
        );
        assert_eq!(
            paths(&parse_budget_csv(&format!("{header}\n")).unwrap_err()),
            [("lines", FieldErrorCode::Required)]
        );
    }
}
