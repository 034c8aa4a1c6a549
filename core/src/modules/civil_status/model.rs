//! Civil status (état civil): acts of birth and death kept by a commune's civil-status offices, numbered per
//! office and year, with the marginal mentions added later; and the rendering of extracts and full copies,
//! from an act and its mentions as they stand when the document is issued.
//!
//! An act is never edited: a correction is a mention (a rectification by judgment, a recognition, …) with its
//! reason and reference. Persons' names, national ids, parents and declarant are the act's sealed part
//! ([`ActPersons`]); the event (date, time, place) and the numbering are stored in clear.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::commune::Country;
use crate::model::form::messages;
use crate::model::national_id;

/// The kinds of acts a register holds, stored by their name (`birth`, `death`). Marriage acts are kept by adouls
/// in Morocco: no kind for them yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum ActKind {
    Birth,
    Death,
}

impl ActKind {
    /// The stored name (`birth`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A civil-status office of a commune (`CHF-1`): a commune may keep several registers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OfficeCode(String);

impl OfficeCode {
    /// 1 to 16 letters, digits or dashes; letters are upper-cased.
    pub fn parse(text: &str) -> Result<Self, InvalidCode> {
        let code = text.trim().to_ascii_uppercase();
        let valid = (1..=16).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
            && !code.starts_with('-')
            && !code.ends_with('-');
        if valid { Ok(Self(code)) } else { Err(InvalidCode) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OfficeCode {
    type Error = InvalidCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<OfficeCode> for String {
    fn from(code: OfficeCode) -> String {
        code.0
    }
}

impl fmt::Display for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a code does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a valid code")]
pub struct InvalidCode;

/// An act's number: its office, the year of its register, and its rank there (1, 2, 3, … without gaps).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActNumber {
    pub office: OfficeCode,
    pub year: i32,
    pub number: u32,
}

impl fmt::Display for ActNumber {
    /// `CHF-1/2026/12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.office, self.year, self.number)
    }
}

/// The name of the counter that numbers an office's acts of a year.
pub fn counter_name(office: &OfficeCode, year: i32) -> String {
    format!("civil:{office}:{year}")
}

/// A person's name in Arabic and Latin script, as the act writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonName {
    pub given_ar: String,
    pub family_ar: String,
    pub given_latin: String,
    pub family_latin: String,
}

impl PersonName {
    /// `Yasmine El Alami`.
    pub fn latin(&self) -> String {
        format!("{} {}", self.given_latin, self.family_latin).trim().to_owned()
    }

    /// `ياسمين العلمي`.
    pub fn arabic(&self) -> String {
        format!("{} {}", self.given_ar, self.family_ar).trim().to_owned()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A date as far as it is known: `1990`, `1990-04` or `1990-04-17` (a parent's birth date often is a year).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DateAsKnown(String);

impl DateAsKnown {
    pub fn parse(text: &str) -> Result<Self, InvalidCode> {
        let text = text.trim();
        let valid = match text.len() {
            4 => text.parse::<u16>().is_ok_and(|y| y >= 1800),
            7 => NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").is_ok_and(|d| d.year() >= 1800),
            10 => NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok_and(|d| d.year() >= 1800),
            _ => false,
        };
        if valid { Ok(Self(text.to_owned())) } else { Err(InvalidCode) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DateAsKnown {
    type Error = InvalidCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<DateAsKnown> for String {
    fn from(date: DateAsKnown) -> String {
        date.0
    }
}

/// A parent as the act names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parent {
    pub name: PersonName,
    pub nationality: Option<String>,
    pub birth_date: Option<DateAsKnown>,
    pub birth_place: Option<String>,
    pub national_id: Option<String>,
}

/// Who declared the event to the registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Declarant {
    pub name: PersonName,
    /// `father`, `mother`, `doctor`, `son`, …
    pub relation: String,
    pub national_id: Option<String>,
}

/// The event an act records: a birth or a death, when and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub place: String,
}

/// What an act records in clear: the event, the sex, and (for a death) the birth date as known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActDetails {
    pub sex: Option<Sex>,
    pub event: Event,
    pub subject_birth_date: Option<DateAsKnown>,
    /// The judgment that orders a declaration made after the legal period ([`DECLARATION_PERIOD_DAYS`]):
    /// its court, number and date as the registrar reads them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgment_reference: Option<String>,
}

/// The days after a birth or a death within which it is declared to the civil-status officer (law n° 36.21
/// relative à l'état civil, promulgated by dahir n° 1-21-81 of 14 July 2021: 30 days). Past them, the act is
/// registered only on a court's judgment, whose reference the act then carries.
pub const DECLARATION_PERIOD_DAYS: u64 = 30;

/// The law the declaration period comes from, as the messages name it.
pub const DECLARATION_PERIOD_SOURCE: &str = "Loi n° 36.21 relative à l'état civil";

/// Whether an event of `event_date` declared on `today` is past the legal period.
pub fn is_late(event_date: NaiveDate, today: NaiveDate) -> bool {
    event_date.checked_add_days(chrono::Days::new(DECLARATION_PERIOD_DAYS)).is_some_and(|last| today > last)
}

/// What an act records about persons: sealed at rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActPersons {
    pub subject: PersonName,
    pub subject_national_id: Option<String>,
    pub father: Option<Parent>,
    pub mother: Option<Parent>,
    pub declarant: Declarant,
}

/// An act to register, as the registrar enters it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAct {
    pub kind: ActKind,
    pub office: String,
    pub details: ActDetails,
    pub persons: ActPersons,
}

/// Kinds of marginal mentions, stored by their name (`recognition`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum MentionKind {
    /// A parent recognizes the child.
    Recognition,
    /// A court's judgment corrects the act.
    Rectification,
    Marriage,
    Divorce,
    Death,
    /// Any other mention the law provides for, described by its text.
    Other,
}

impl MentionKind {
    /// The stored name (`rectification`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn label(self) -> &'static str {
        match self {
            MentionKind::Recognition => "Reconnaissance",
            MentionKind::Rectification => "Rectification par jugement",
            MentionKind::Marriage => "Mariage",
            MentionKind::Divorce => "Divorce",
            MentionKind::Death => "Décès",
            MentionKind::Other => "Mention",
        }
    }
}

/// A marginal mention to add: its text (sealed at rest: it may name persons), the reference of the judgment
/// or act it comes from, and the date it takes effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMention {
    pub kind: MentionKind,
    pub text: String,
    pub reference: Option<String>,
    pub effective_on: NaiveDate,
}

/// A mention as recorded, the `sequence`-th of its act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub sequence: i64,
    pub kind: MentionKind,
    pub text: String,
    pub reference: Option<String>,
    pub effective_on: NaiveDate,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

const MAX_NAME: usize = 100;
const MAX_TEXT: usize = 2_000;

fn required(path: &str) -> FieldError {
    FieldError::new(path, FieldErrorCode::Required, messages::register_required())
}

fn too_long(path: &str, max: usize) -> FieldError {
    FieldError::new(path, FieldErrorCode::TooLong, messages::register_too_long(max))
}

fn text_field(errors: &mut Vec<FieldError>, path: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(required(path));
    } else if value.chars().count() > max {
        errors.push(too_long(path, max));
    }
}

fn optional_text(errors: &mut Vec<FieldError>, path: &str, value: Option<&str>, max: usize) {
    if let Some(value) = value
        && value.chars().count() > max
    {
        errors.push(too_long(path, max));
    }
}

fn name_fields(errors: &mut Vec<FieldError>, path: &str, name: &PersonName) {
    for (field, value) in [
        ("givenAr", &name.given_ar),
        ("familyAr", &name.family_ar),
        ("givenLatin", &name.given_latin),
        ("familyLatin", &name.family_latin),
    ] {
        text_field(errors, &format!("{path}.{field}"), value, MAX_NAME);
    }
}

/// Normalizes a national id for the commune's country in place; an invalid one is a field error.
fn national_id_field(errors: &mut Vec<FieldError>, path: &str, country: Country, value: &mut Option<String>) {
    let Some(raw) = value.as_deref() else { return };
    if raw.trim().is_empty() {
        *value = None;
        return;
    }
    match national_id::normalize_national_id(country, raw) {
        Ok(normalized) => *value = Some(normalized),
        Err(_) => {
            errors.push(FieldError::new(path, FieldErrorCode::InvalidNationalId, messages::national_id_not_valid()))
        }
    }
}

fn parent_fields(errors: &mut Vec<FieldError>, path: &str, country: Country, parent: &mut Parent) {
    name_fields(errors, &format!("{path}.name"), &parent.name);
    optional_text(errors, &format!("{path}.nationality"), parent.nationality.as_deref(), MAX_NAME);
    optional_text(errors, &format!("{path}.birthPlace"), parent.birth_place.as_deref(), MAX_NAME);
    national_id_field(errors, &format!("{path}.nationalId"), country, &mut parent.national_id);
}

/// Checks an act before it is numbered (every failure at once) and normalizes its national ids; `today` is
/// the commune's local date. Returns the act with its office code parsed.
pub fn validate_act(
    mut act: NewAct,
    country: Country,
    today: NaiveDate,
) -> Result<(OfficeCode, NewAct), Vec<FieldError>> {
    let mut errors = Vec::new();
    let office = OfficeCode::parse(&act.office);
    if office.is_err() {
        errors.push(FieldError::new("input.office", FieldErrorCode::InvalidValue, messages::invalid_office_code()));
    }
    let event = &act.details.event;
    if event.date > today {
        errors.push(FieldError::new("input.event.date", FieldErrorCode::OutOfRange, messages::event_in_future()));
    }
    let judgment = act.details.judgment_reference.as_deref().map(str::trim).filter(|r| !r.is_empty());
    optional_text(&mut errors, "input.judgmentReference", judgment, MAX_NAME * 2);
    if is_late(event.date, today) && judgment.is_none() {
        errors.push(FieldError::new(
            "input.judgmentReference",
            FieldErrorCode::Required,
            messages::late_declaration(DECLARATION_PERIOD_DAYS, DECLARATION_PERIOD_SOURCE),
        ));
    }
    act.details.judgment_reference = judgment.map(str::to_owned);
    text_field(&mut errors, "input.event.place", &event.place, MAX_NAME);
    if act.kind == ActKind::Birth && act.details.sex.is_none() {
        errors.push(required("input.sex"));
    }
    let persons = &mut act.persons;
    name_fields(&mut errors, "input.subject", &persons.subject);
    national_id_field(&mut errors, "input.subjectNationalId", country, &mut persons.subject_national_id);
    if let Some(father) = persons.father.as_mut() {
        parent_fields(&mut errors, "input.father", country, father);
    }
    if let Some(mother) = persons.mother.as_mut() {
        parent_fields(&mut errors, "input.mother", country, mother);
    }
    name_fields(&mut errors, "input.declarant.name", &persons.declarant.name);
    text_field(&mut errors, "input.declarant.relation", &persons.declarant.relation, MAX_NAME);
    national_id_field(&mut errors, "input.declarant.nationalId", country, &mut persons.declarant.national_id);
    match office {
        Ok(office) if errors.is_empty() => Ok((office, act)),
        _ => Err(errors),
    }
}

/// Checks a mention: a text that gives its content and reason, and for a rectification the judgment's
/// reference.
pub fn validate_mention(
    mention: &NewMention,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    text_field(&mut errors, "input.text", &mention.text, MAX_TEXT);
    optional_text(&mut errors, "input.reference", mention.reference.as_deref(), MAX_NAME * 2);
    let has_reference = mention.reference.as_deref().is_some_and(|r| !r.trim().is_empty());
    if mention.kind == MentionKind::Rectification && !has_reference {
        errors.push(FieldError::new(
            "input.reference",
            FieldErrorCode::Required,
            messages::rectification_without_judgment(),
        ));
    }
    if mention.effective_on > today || mention.effective_on < registered_on.min(today) - chrono::Days::new(36_500) {
        errors.push(FieldError::new("input.effectiveOn", FieldErrorCode::OutOfRange, messages::implausible_date()));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// An act as the register holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub kind: ActKind,
    pub number: ActNumber,
    pub details: ActDetails,
    pub persons: ActPersons,
    pub registered_on: NaiveDate,
}

/// What is issued from an act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Extrait (نسخة موجزة): the identity, the event, the parents' names and the mentions.
    Extract,
    /// Copie intégrale (نسخة كاملة): everything the act and its mentions record.
    FullCopy,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Extract => "extract",
            DocumentKind::FullCopy => "full_copy",
        }
    }
}

/// What an online request for a civil-status document asks the register for: the kind of act and of
/// document, named by the procedure of the standard that asks for it (the extract and the full copy of a
/// birth act, `extrait-acte-naissance` and `copie-integrale-acte-naissance`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestedDocument {
    pub act: ActKind,
    pub document: DocumentKind,
}

/// The request for `service_code` as a civil-status document, if that procedure asks for one.
pub fn requested_document(service_code: &str) -> Option<RequestedDocument> {
    match service_code {
        "extrait-acte-naissance" => Some(RequestedDocument { act: ActKind::Birth, document: DocumentKind::Extract }),
        "copie-integrale-acte-naissance" => {
            Some(RequestedDocument { act: ActKind::Birth, document: DocumentKind::FullCopy })
        }
        _ => None,
    }
}

/// How a request names the act it asks for, from the form's fields stored in clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActLookup {
    /// By its number and year in the register (the form names no office: every office of the commune).
    Number { number: u32, year: i32 },
    /// By the subject's national id, through the blind index: the applicant asks for their own act.
    Subject,
    /// Neither (a family booklet's reference, which the register does not key).
    Unknown,
}

impl ActLookup {
    pub fn as_str(self) -> &'static str {
        match self {
            ActLookup::Number { .. } => "act_number",
            ActLookup::Subject => "national_id",
            ActLookup::Unknown => "none",
        }
    }
}

/// How the request's form data (`lookup_by`, `act_number`, `act_year`, `relation`) names its act.
pub fn act_lookup(data: &serde_json::Value) -> ActLookup {
    let text = |key: &str| data.get(key).and_then(serde_json::Value::as_str);
    if text("lookup_by") == Some("act_reference") {
        let number = text("act_number").and_then(|n| n.trim().parse::<u32>().ok());
        let year = data
            .get("act_year")
            .and_then(|y| y.as_i64().or_else(|| y.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)))
            .and_then(|y| i32::try_from(y).ok());
        if let (Some(number), Some(year)) = (number, year) {
            return ActLookup::Number { number, year };
        }
    }
    if text("relation") == Some("self") { ActLookup::Subject } else { ActLookup::Unknown }
}

/// One line of a rendered document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentField {
    /// Stable key (`subject.latin`, `event.date`, `mention.1`).
    pub key: String,
    pub label: String,
    pub value: String,
}

/// A document's content: its title, its fields, and the text they make (one `label: value` line each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedDocument {
    pub kind: DocumentKind,
    /// In French, as the text.
    pub title: String,
    pub title_ar: String,
    pub fields: Vec<DocumentField>,
    pub text: String,
}

/// Renders an extract or a full copy of `act` with its `mentions` (in order) as they stand on `issued_on`.
pub fn render(
    commune_name: &str,
    act: &Act,
    mentions: &[Mention],
    kind: DocumentKind,
    issued_on: NaiveDate,
) -> RenderedDocument {
    let full = kind == DocumentKind::FullCopy;
    let mut fields = Vec::new();
    let mut push = |key: &str, label: &str, value: String| {
        if !value.is_empty() {
            fields.push(DocumentField { key: key.to_owned(), label: label.to_owned(), value });
        }
    };
    let (what, born) = match act.kind {
        ActKind::Birth => ("naissance", true),
        ActKind::Death => ("décès", false),
    };
    let title = match kind {
        DocumentKind::Extract => format!("Extrait d'acte de {what}"),
        DocumentKind::FullCopy => format!("Copie intégrale d'acte de {what}"),
    };
    let title_ar = match (kind, born) {
        (DocumentKind::Extract, true) => "نسخة موجزة من رسم الولادة",
        (DocumentKind::FullCopy, true) => "نسخة كاملة من رسم الولادة",
        (DocumentKind::Extract, false) => "نسخة موجزة من رسم الوفاة",
        (DocumentKind::FullCopy, false) => "نسخة كاملة من رسم الوفاة",
    }
    .to_owned();
    push("commune", "Commune", commune_name.to_owned());
    push("office", "Bureau d'état civil", act.number.office.to_string());
    push("act", "Acte n°", format!("{} de l'année {}", act.number.number, act.number.year));
    let persons = &act.persons;
    push("subject.familyLatin", "Nom", persons.subject.family_latin.clone());
    push("subject.givenLatin", "Prénom", persons.subject.given_latin.clone());
    push("subject.familyAr", "الاسم العائلي", persons.subject.family_ar.clone());
    push("subject.givenAr", "الاسم الشخصي", persons.subject.given_ar.clone());
    if let Some(sex) = act.details.sex {
        push("sex", "Sexe", if sex == Sex::Male { "masculin" } else { "féminin" }.to_owned());
    }
    let event = &act.details.event;
    let (date_label, place_label, time_label) = if born {
        ("Date de naissance", "Lieu de naissance", "Heure de naissance")
    } else {
        ("Date du décès", "Lieu du décès", "Heure du décès")
    };
    push("event.date", date_label, event.date.format("%d/%m/%Y").to_string());
    if full && let Some(time) = event.time {
        push("event.time", time_label, time.format("%H:%M").to_string());
    }
    push("event.place", place_label, event.place.clone());
    if let Some(date) = &act.details.subject_birth_date {
        push("subject.birthDate", "Né(e) le", date.as_str().to_owned());
    }
    if full && let Some(id) = &persons.subject_national_id {
        push("subject.nationalId", "N° d'identité", id.clone());
    }
    for (key, label, parent) in [("father", "Père", &persons.father), ("mother", "Mère", &persons.mother)] {
        let Some(parent) = parent else { continue };
        push(key, label, format!("{} — {}", parent.name.latin(), parent.name.arabic()));
        if full {
            push(&format!("{key}.nationality"), "Nationalité", parent.nationality.clone().unwrap_or_default());
            let born = [parent.birth_date.as_ref().map(|d| d.as_str().to_owned()), parent.birth_place.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            push(&format!("{key}.birth"), "Né(e)", born);
            push(&format!("{key}.nationalId"), "N° d'identité", parent.national_id.clone().unwrap_or_default());
        }
    }
    if full {
        let declarant = &persons.declarant;
        push(
            "declarant",
            "Déclarant",
            format!("{} — {} ({})", declarant.name.latin(), declarant.name.arabic(), declarant.relation),
        );
        push("declarant.nationalId", "N° d'identité du déclarant", declarant.national_id.clone().unwrap_or_default());
        push("registeredOn", "Dressé le", act.registered_on.format("%d/%m/%Y").to_string());
        if let Some(judgment) = &act.details.judgment_reference {
            push("judgmentReference", "Inscrit en vertu du jugement", judgment.clone());
        }
    }
    for mention in mentions {
        let reference = mention.reference.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        push(
            &format!("mention.{}", mention.sequence),
            "Mention marginale",
            format!(
                "{} du {}{reference} : {}",
                mention.kind.label(),
                mention.effective_on.format("%d/%m/%Y"),
                mention.text.trim()
            ),
        );
    }
    push("issuedOn", "Délivré le", issued_on.format("%d/%m/%Y").to_string());
    let mut text = format!("{title}\n");
    for field in &fields {
        text.push_str(&format!("{}: {}\n", field.label, field.value));
    }
    RenderedDocument { kind, title, title_ar, fields, text }
}

#[cfg(test)]
mod tests {
    #[test]
    fn requests_name_their_act_by_number_or_by_the_applicants_own_id() {
        let by_number = serde_json::json!({"lookup_by": "act_reference", "act_number": "12", "act_year": 2026,
            "relation": "parent"});
        assert_eq!(act_lookup(&by_number), ActLookup::Number { number: 12, year: 2026 });
        let own = serde_json::json!({"lookup_by": "family_booklet", "family_booklet_ref": "LF 1", "relation": "self"});
        assert_eq!(act_lookup(&own), ActLookup::Subject);
        let other = serde_json::json!({"lookup_by": "family_booklet", "relation": "child"});
        assert_eq!(act_lookup(&other), ActLookup::Unknown);
        assert_eq!(
            requested_document("copie-integrale-acte-naissance"),
            Some(RequestedDocument { act: ActKind::Birth, document: DocumentKind::FullCopy })
        );
        assert_eq!(requested_document("legalisation-signature"), None);
    }

    use super::*;
    use crate::model::i18n::Locale;

    fn name(given: &str, family: &str) -> PersonName {
        PersonName {
            given_ar: format!("ع{given}"),
            family_ar: format!("ع{family}"),
            given_latin: given.into(),
            family_latin: family.into(),
        }
    }

    fn birth() -> NewAct {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        NewAct {
            kind: ActKind::Birth,
            office: "chf-1".into(),
            details: ActDetails {
                sex: Some(Sex::Female),
                event: Event {
                    date: date("2026-03-02"),
                    time: NaiveTime::from_hms_opt(6, 40, 0),
                    place: "Hôpital Mohammed V, Chefchaouen".into(),
                },
                subject_birth_date: None,
                judgment_reference: None,
            },
            persons: ActPersons {
                subject: name("Yasmine", "Alami"),
                subject_national_id: None,
                father: Some(Parent {
                    name: name("Omar", "Alami"),
                    nationality: Some("marocaine".into()),
                    birth_date: Some(DateAsKnown::parse("1990").unwrap()),
                    birth_place: Some("Chefchaouen".into()),
                    national_id: Some("ab 123456".into()),
                }),
                mother: None,
                declarant: Declarant { name: name("Omar", "Alami"), relation: "father".into(), national_id: None },
            },
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    #[test]
    fn a_valid_act_is_normalized() {
        let (office, act) = validate_act(birth(), Country::Morocco, today()).unwrap();
        assert_eq!(office.as_str(), "CHF-1");
        assert_eq!(act.persons.father.unwrap().national_id.as_deref(), Some("AB123456"));
        assert_eq!(counter_name(&office, 2026), "civil:CHF-1:2026");
    }

    #[test]
    fn every_failure_is_listed_with_its_path() {
        let mut act = birth();
        act.office = "bureau central!".into();
        act.details.sex = None;
        act.details.event.date = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        act.persons.subject.given_latin = " ".into();
        act.persons.father.as_mut().unwrap().national_id = Some("12".into());
        let errors = validate_act(act, Country::Morocco, today()).unwrap_err();
        let paths: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
        assert_eq!(
            paths,
            [
                ("input.office", "INVALID_VALUE"),
                ("input.event.date", "OUT_OF_RANGE"),
                ("input.sex", "REQUIRED"),
                ("input.subject.givenLatin", "REQUIRED"),
                ("input.father.nationalId", "INVALID_NATIONAL_ID"),
            ]
        );
    }

    #[test]
    fn a_declaration_after_the_legal_period_needs_a_judgment() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Born on 2 March: declared until 1 April, on a judgment after.
        assert!(!is_late(day("2026-03-02"), day("2026-04-01")));
        assert!(is_late(day("2026-03-02"), day("2026-04-02")));
        assert!(validate_act(birth(), Country::Morocco, day("2026-04-01")).is_ok());
        let errors = validate_act(birth(), Country::Morocco, day("2026-04-02")).unwrap_err();
        let paths: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
        assert_eq!(paths, [("input.judgmentReference", "REQUIRED")]);
        assert!(errors[0].message.exact(Locale::Fr).is_some_and(|m| m.contains("36.21")));
        assert!(errors[0].message.exact(Locale::Tzm).is_some());

        // A birth of 2019 registered in 2026: with the judgment's reference, and only with it.
        let mut late = birth();
        late.details.event.date = day("2019-05-14");
        late.details.judgment_reference = Some("  ".into());
        assert!(validate_act(late.clone(), Country::Morocco, today()).is_err(), "a blank reference is none");
        late.details.judgment_reference =
            Some(" Tribunal de première instance de Chefchaouen, jugement n° 123/2026 ".into());
        let (_, act) = validate_act(late, Country::Morocco, today()).unwrap();
        assert_eq!(
            act.details.judgment_reference.as_deref(),
            Some("Tribunal de première instance de Chefchaouen, jugement n° 123/2026")
        );
    }

    #[test]
    fn dates_as_known() {
        for ok in ["1990", "1990-04", "1990-04-17"] {
            assert!(DateAsKnown::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["90", "1990-13", "1990-02-30", "abcd", "1700"] {
            assert!(DateAsKnown::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_rectification_names_its_judgment() {
        let mention = NewMention {
            kind: MentionKind::Rectification,
            text: "Le prénom est Yasmina.".into(),
            reference: None,
            effective_on: today(),
        };
        let errors = validate_mention(&mention, today(), today()).unwrap_err();
        assert_eq!(errors[0].path, "input.reference");
        let mention = NewMention { reference: Some("Jugement 12/2026, TPI Chefchaouen".into()), ..mention };
        assert!(validate_mention(&mention, today(), today()).is_ok());
    }

    #[test]
    fn an_extract_shows_the_mentions_and_a_full_copy_everything() {
        let (office, new) = validate_act(birth(), Country::Morocco, today()).unwrap();
        let act = Act {
            kind: new.kind,
            number: ActNumber { office, year: 2026, number: 7 },
            details: new.details,
            persons: new.persons,
            registered_on: today(),
        };
        let extract = render("Chefchaouen", &act, &[], DocumentKind::Extract, today());
        assert!(extract.text.starts_with("Extrait d'acte de naissance\n"));
        assert!(extract.text.contains("Acte n°: 7 de l'année 2026"));
        assert!(extract.text.contains("Prénom: Yasmine"));
        assert!(!extract.text.contains("AB123456"), "no national id on an extract");
        assert!(!extract.text.contains("06:40"));
        assert!(!extract.text.contains("Mention"));
        let mention = Mention {
            sequence: 1,
            kind: MentionKind::Rectification,
            text: "Le prénom est Yasmina.".into(),
            reference: Some("Jugement 12/2026".into()),
            effective_on: today(),
            recorded_at: chrono::Utc::now(),
        };
        let extract = render("Chefchaouen", &act, std::slice::from_ref(&mention), DocumentKind::Extract, today());
        let line =
            "Mention marginale: Rectification par jugement du 10/03/2026 (Jugement 12/2026) : Le prénom est Yasmina.";
        assert!(extract.text.contains(line), "{}", extract.text);
        let copy = render("Chefchaouen", &act, &[mention], DocumentKind::FullCopy, today());
        assert!(copy.text.starts_with("Copie intégrale d'acte de naissance\n"));
        for expected in ["AB123456", "06:40", "Déclarant: Omar Alami", "marocaine", line] {
            assert!(copy.text.contains(expected), "{expected}: {}", copy.text);
        }
        assert_eq!(copy.fields.iter().filter(|f| f.key == "mention.1").count(), 1);
    }
}
