//! Moderation of the free text a complaint makes public: the description and the address are screened for
//! personal data — phone numbers (Moroccan and Mauritanian plans, as `national_id` reads them), national ids
//! (a CIN's letters and digits, a 10-digit NNI, any other run of 8 digits or more), e-mail addresses and the
//! applicant's own name — and a complaint with a finding waits in the commune's moderation queue until a member
//! of its staff approves it, publishes a redacted text, or keeps it private.
//!
//! The screen leans towards holding: a long number that is no phone is still held for a person to judge. It is
//! written here rather than taken from a crate because the crates of the field (`phonenumber`) parse one number
//! at a time and find none in running text; the phone plans are the ones `national_id` validates submissions
//! with.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::commune::Country;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::national_id::normalize_phone;

/// What kind of personal data a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataKind {
    Phone,
    NationalId,
    Email,
    Name,
}

impl PersonalDataKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            PersonalDataKind::Phone => "phone",
            PersonalDataKind::NationalId => "national_id",
            PersonalDataKind::Email => "email",
            PersonalDataKind::Name => "name",
        }
    }
}

/// Personal data found in a text: its kind and where (byte offsets, on character boundaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: PersonalDataKind,
    pub start: usize,
    pub end: usize,
}

/// Where a public complaint stands with moderation. Only `Clear`, `Approved` and `Redacted` are published.
/// Stored by its snake-case name (`kept_private`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Moderation {
    /// The applicant did not make it public: nothing to moderate, nothing published.
    NotPublic,
    /// Held: something was found in its text (or it was public before texts were screened).
    Pending,
    /// Screened, nothing found: published as typed.
    Clear,
    /// A member of the staff read it and published it as typed.
    Approved,
    /// Published with the text a member of the staff wrote in place of the applicant's.
    Redacted,
    /// A member of the staff decided not to publish it.
    KeptPrivate,
}

impl Moderation {
    /// The stored name (`kept_private`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The states that are published.
    pub const PUBLISHED: [Moderation; 3] = [Moderation::Clear, Moderation::Approved, Moderation::Redacted];

    pub const fn is_published(self) -> bool {
        matches!(self, Moderation::Clear | Moderation::Approved | Moderation::Redacted)
    }

    /// Where a new complaint starts: not public, held for its findings, or clear.
    pub fn initial(public: bool, findings: &[Finding]) -> Self {
        match (public, findings.is_empty()) {
            (false, _) => Moderation::NotPublic,
            (true, false) => Moderation::Pending,
            (true, true) => Moderation::Clear,
        }
    }
}

/// What a moderator decides about a public complaint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModerationDecision {
    /// Publish the text as typed.
    Approve,
    /// Publish this description (and this address, when given) instead of the applicant's.
    Redact { description: String, address: Option<String> },
    /// Do not publish it.
    KeepPrivate,
}

impl ModerationDecision {
    /// The state the decision leads to, or the field errors that refuse it: a complaint its applicant did not
    /// make public is never published by the staff, and a redacted text must itself screen clear.
    pub fn apply(&self, current: Moderation) -> Result<Moderation, Vec<FieldError>> {
        if current == Moderation::NotPublic {
            return Err(vec![FieldError::new(
                "trackingCode",
                FieldErrorCode::InvalidValue,
                LocalizedText::ar_fr(
                    "لم يوافق صاحب الشكاية على نشرها.",
                    "Le demandeur n'a pas accepté de rendre cette réclamation publique.",
                )
                .with(Locale::En, "The applicant did not agree to make this complaint public.")
                .with(Locale::Tzm, "ⴰⵏⵙⵙⵓⵜⵔ ⵓⵔ ⵉⵇⴱⵉⵍ ⴰⴷ ⵜⵜⵓⵙⵙⵓⴼⵖ ⵜⵙⵓⵜⵔⴰ ⴰ."),
            )]);
        }
        match self {
            ModerationDecision::Approve => Ok(Moderation::Approved),
            ModerationDecision::KeepPrivate => Ok(Moderation::KeptPrivate),
            ModerationDecision::Redact { description, address } => {
                let mut errors = Vec::new();
                let texts = [("description", Some(description.as_str())), ("address", address.as_deref())];
                for (path, text) in texts {
                    let Some(text) = text else { continue };
                    if path == "description" && text.trim().is_empty() {
                        errors.push(FieldError::new(path, FieldErrorCode::Required, empty_redaction()));
                    } else if !screen(text, &[]).is_empty() {
                        errors.push(FieldError::new(path, FieldErrorCode::InvalidValue, still_personal()));
                    }
                }
                if errors.is_empty() { Ok(Moderation::Redacted) } else { Err(errors) }
            }
        }
    }
}

fn empty_redaction() -> LocalizedText {
    LocalizedText::ar_fr("اكتب النص الذي سينشر.", "Écrivez le texte à publier.")
        .with(Locale::En, "Write the text to publish.")
        .with(Locale::Tzm, "ⴰⵔⵓ ⴰⴹⵔⵉⵙ ⴰⵔⴰ ⵉⵜⵜⵓⵙⵙⵓⴼⵖⵏ.")
}

fn still_personal() -> LocalizedText {
    LocalizedText::ar_fr(
        "ما زال النص يتضمن معطيات شخصية (هاتف، رقم بطاقة، بريد إلكتروني).",
        "Le texte contient encore des données personnelles (téléphone, numéro d'identité, courriel).",
    )
    .with(Locale::En, "The text still holds personal data (a phone number, an id number, an e-mail address).")
    .with(Locale::Tzm, "ⴰⴹⵔⵉⵙ ⵖⵓⵔⵙ ⵉⵙⴼⴽⴰ ⵉⵏⵎⵎⴰⵍⴰⵏ (ⵜⵉⵍⵉⴼⵓⵏ, ⵓⵟⵟⵓⵏ ⵏ ⵜⴽⴰⵔⴹⴰ, ⵉⵎⴰⵢⵍ).")
}

/// The personal data found in `text`, in order of position, overlaps merged: `names` are the applicant's (each
/// word of three letters or more is looked for as a whole word, whatever its case).
pub fn screen(text: &str, names: &[&str]) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(at, _)| *at);
    let mut found = Vec::new();
    emails(&chars, &end_of, &mut found);
    numbers(&chars, &end_of, &mut found);
    cins(&chars, &end_of, &mut found);
    for name in names {
        for word in name.split_whitespace().filter(|w| w.chars().count() >= 3) {
            words(&chars, &end_of, word, &mut found);
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    let mut merged: Vec<Finding> = Vec::new();
    for finding in found {
        match merged.last_mut() {
            Some(last) if finding.start < last.end => last.end = last.end.max(finding.end),
            _ => merged.push(finding),
        }
    }
    merged
}

/// The text with each finding replaced by `[…]`.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for finding in findings {
        if finding.start < at {
            continue;
        }
        out.push_str(text.get(at..finding.start).unwrap_or_default());
        out.push_str("[…]");
        at = finding.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The kinds found, each once, in a stable order.
pub fn kinds(findings: &[Finding]) -> Vec<PersonalDataKind> {
    let mut kinds: Vec<PersonalDataKind> = findings.iter().map(|f| f.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

type Chars = [(usize, char)];

fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn emails(chars: &Chars, end_of: &dyn Fn(usize) -> usize, found: &mut Vec<Finding>) {
    let part = |c: char| !c.is_whitespace() && !"<>()[]{},;:\"'@«»".contains(c);
    for (i, (_, c)) in chars.iter().enumerate() {
        if *c != '@' {
            continue;
        }
        let mut start = i;
        while start > 0 && chars.get(start - 1).is_some_and(|(_, c)| part(*c)) {
            start -= 1;
        }
        let mut end = i + 1;
        while chars.get(end).is_some_and(|(_, c)| part(*c)) {
            end += 1;
        }
        while end > i + 1 && chars.get(end - 1).is_some_and(|(_, c)| *c == '.') {
            end -= 1;
        }
        let domain: String = chars.get(i + 1..end).unwrap_or_default().iter().map(|(_, c)| c).collect();
        let dotted = domain.split('.').count() >= 2 && domain.split('.').all(|label| !label.is_empty());
        if start < i && dotted {
            found.push(Finding { kind: PersonalDataKind::Email, start: end_of(start), end: end_of(end) });
        }
    }
}

/// Runs of digits joined by spaces, dots, dashes, slashes or parentheses (and a leading `+`): every window of
/// their groups that is a phone number of Morocco or Mauritania, a group of exactly 10 digits (an NNI), and any
/// group of 8 digits or more.
fn numbers(chars: &Chars, end_of: &dyn Fn(usize) -> usize, found: &mut Vec<Finding>) {
    let separator = |c: char| matches!(c, ' ' | '\u{a0}' | '.' | '-' | '/' | '(' | ')');
    let mut i = 0;
    while i < chars.len() {
        let Some((_, c)) = chars.get(i) else { break };
        let plus = *c == '+' && chars.get(i + 1).is_some_and(|(_, c)| digit(*c));
        if !digit(*c) && !plus {
            i += 1;
            continue;
        }
        // The groups of digits of this run: (first char, end char) indices; the `+` belongs to the first.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut j = if plus { i + 1 } else { i };
        let mut group_start = i;
        loop {
            let mut k = j;
            while chars.get(k).is_some_and(|(_, c)| digit(*c)) {
                k += 1;
            }
            groups.push((group_start, k));
            let mut next = k;
            while chars.get(next).is_some_and(|(_, c)| separator(*c)) {
                next += 1;
            }
            if next > k && chars.get(next).is_some_and(|(_, c)| digit(*c)) {
                group_start = next;
                j = next;
            } else {
                i = k.max(i + 1);
                break;
            }
        }
        let text_of = |from: usize, to: usize| -> String {
            chars.get(from..to).unwrap_or_default().iter().map(|(_, c)| *c).collect()
        };
        let mut phones: Vec<(usize, usize)> = Vec::new();
        for (a, (from, _)) in groups.iter().enumerate() {
            for (_, to) in groups.iter().skip(a) {
                let window = text_of(*from, *to);
                if [Country::Morocco, Country::Mauritania].into_iter().any(|c| normalize_phone(c, &window).is_ok()) {
                    phones.push((*from, *to));
                }
            }
        }
        for (from, to) in &groups {
            let covered = phones.iter().any(|(a, b)| a <= from && to <= b);
            let long = text_of(*from, *to).chars().filter(|c| digit(*c)).count() >= 8;
            if long && !covered {
                found.push(Finding { kind: PersonalDataKind::NationalId, start: end_of(*from), end: end_of(*to) });
            }
        }
        for (from, to) in phones {
            found.push(Finding { kind: PersonalDataKind::Phone, start: end_of(from), end: end_of(to) });
        }
    }
}

/// A Moroccan CIN as a word: one or two Latin letters then 4 to 6 digits.
fn cins(chars: &Chars, end_of: &dyn Fn(usize) -> usize, found: &mut Vec<Finding>) {
    for i in 0..chars.len() {
        if i > 0 && chars.get(i - 1).is_some_and(|(_, c)| word_char(*c)) {
            continue;
        }
        let letters = chars.get(i..).unwrap_or_default().iter().take_while(|(_, c)| c.is_ascii_alphabetic()).count();
        if !(1..=2).contains(&letters) {
            continue;
        }
        let digits =
            chars.get(i + letters..).unwrap_or_default().iter().take_while(|(_, c)| c.is_ascii_digit()).count();
        let end = i + letters + digits;
        let bounded = !chars.get(end).is_some_and(|(_, c)| word_char(*c));
        if (4..=6).contains(&digits) && bounded {
            found.push(Finding { kind: PersonalDataKind::NationalId, start: end_of(i), end: end_of(end) });
        }
    }
}

/// Each whole-word occurrence of `word`, whatever its case.
fn words(chars: &Chars, end_of: &dyn Fn(usize) -> usize, word: &str, found: &mut Vec<Finding>) {
    let wanted: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    for i in 0..chars.len() {
        if i > 0 && chars.get(i - 1).is_some_and(|(_, c)| word_char(*c)) {
            continue;
        }
        let mut k = i;
        let mut matched = 0;
        while matched < wanted.len() {
            let Some((_, c)) = chars.get(k) else { break };
            let lower: Vec<char> = c.to_lowercase().collect();
            if wanted.get(matched..matched + lower.len()) != Some(lower.as_slice()) {
                break;
            }
            matched += lower.len();
            k += 1;
        }
        if matched == wanted.len() && !chars.get(k).is_some_and(|(_, c)| word_char(*c)) {
            found.push(Finding { kind: PersonalDataKind::Name, start: end_of(i), end: end_of(k) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_in(text: &str, names: &[&str]) -> Vec<PersonalDataKind> {
        kinds(&screen(text, names))
    }

    #[test]
    fn phones_of_both_countries_are_found_however_written() {
        use PersonalDataKind::*;
        for text in [
            "appelez-moi au 0612345678",
            "tel 06 12 34 56 78 svp",
            "+212 6 12 34 56 78",
            "00212-612-345-678",
            "رقمي ٠٦١٢٣٤٥٦٧٨",
            "Kaédi : 22 12 34 56",
            "+222 36 12 34 56",
        ] {
            assert!(kinds_in(text, &[]).contains(&Phone), "{text}");
        }
        assert_eq!(kinds_in("rue 12 0612345678 Oujda", &[]), [Phone], "a number beside a phone");
        assert_eq!(kinds_in("compte 123456789012", &[]), [NationalId], "a long number is held too");
    }

    #[test]
    fn ids_emails_and_the_applicants_name_are_found() {
        use PersonalDataKind::*;
        assert_eq!(kinds_in("ma CIN est UA118822, merci", &[]), [NationalId]);
        assert_eq!(kinds_in("NNI 1234567890", &[]), [NationalId]);
        assert_eq!(kinds_in("écrire à karim.b@example.ma.", &[]), [Email]);
        assert_eq!(kinds_in("appelez-moi au 0612345678 (Karim)", &["Karim Alaoui"]), [Phone, Name]);
        assert_eq!(kinds_in("KARIM est passé", &["karim"]), [Name]);
        assert_eq!(kinds_in("Karimat est passée", &["Karim"]), [], "whole words only");
    }

    #[test]
    fn ordinary_complaints_are_clear() {
        for text in [
            "Les lampadaires de la rue principale sont éteints depuis deux semaines.",
            "Nid-de-poule au 12, rue 7, depuis le 12.03.2026, environ 30 cm.",
            "Un immeuble R+6 construit sans panneau de chantier.",
            "الحفرة أمام المدرسة رقم 3 منذ 15 يوما",
        ] {
            assert_eq!(screen(text, &["Ali"]), vec![], "{text}");
        }
    }

    #[test]
    fn redaction_replaces_what_was_found() {
        let text = "appelez-moi au 0612345678 (Karim)";
        let findings = screen(text, &["Karim"]);
        assert_eq!(redact(text, &findings), "appelez-moi au […] ([…])");
        assert_eq!(screen(&redact(text, &findings), &["Karim"]), vec![]);
    }

    #[test]
    fn decisions() {
        let redact = |d: &str| ModerationDecision::Redact { description: d.into(), address: None };
        assert_eq!(ModerationDecision::Approve.apply(Moderation::Pending), Ok(Moderation::Approved));
        assert_eq!(ModerationDecision::KeepPrivate.apply(Moderation::Clear), Ok(Moderation::KeptPrivate));
        assert_eq!(redact("Lampadaire éteint.").apply(Moderation::Pending), Ok(Moderation::Redacted));
        let still = redact("appelez le 0612345678").apply(Moderation::Pending).expect_err("still a phone");
        assert_eq!((still[0].path.as_str(), still[0].code), ("description", FieldErrorCode::InvalidValue));
        let never = ModerationDecision::Approve.apply(Moderation::NotPublic).expect_err("not public");
        assert_eq!(never[0].path, "trackingCode");
        assert_eq!(Moderation::initial(true, &screen("0612345678", &[])), Moderation::Pending);
        assert_eq!(Moderation::initial(true, &[]), Moderation::Clear);
        assert_eq!(Moderation::initial(false, &screen("0612345678", &[])), Moderation::NotPublic);
        for (m, name) in [
            (Moderation::NotPublic, "not_public"),
            (Moderation::Pending, "pending"),
            (Moderation::Clear, "clear"),
            (Moderation::Approved, "approved"),
            (Moderation::Redacted, "redacted"),
            (Moderation::KeptPrivate, "kept_private"),
        ] {
            assert_eq!((m.as_str(), name.parse()), (name, Ok(m)));
        }
        assert!(Moderation::PUBLISHED.iter().all(|m| m.is_published()));
    }
}
