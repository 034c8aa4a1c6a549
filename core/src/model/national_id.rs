//! National identity numbers and phone numbers of the countries the platform serves, each brought to one
//! canonical spelling: `AB123456` (Moroccan CNIE), `1234567890` (Mauritanian NNI), `12345678Z` (Spanish DNI or
//! NIE), and phones in E.164 (`+212612345678`).
//!
//! Citizens type these values in many ways (spaces, lower case, Arabic-Indic digits on a phone keyboard); the
//! canonical spelling is what is stored and compared. Normalizing a normalized value gives it back unchanged.
//! Errors never carry the rejected value: national ids and phones are personal data and errors get logged.

use crate::model::commune::{Country, InvalidValue};

/// Brings a national identity number to its canonical spelling, or says why it is not one.
///
/// - Morocco (CNIE/CIN): one or two letters then one to six digits, case-insensitive: `ab 123456` → `AB123456`.
/// - Mauritania (NNI): exactly ten digits.
/// - Spain: a DNI (eight digits and the mod-23 check letter) or a NIE (`X`, `Y` or `Z`, seven digits and the
///   check letter); dots and dashes are ignored: `12.345.678-z` → `12345678Z`.
///
/// Spaces are ignored everywhere, and Arabic-Indic digits are read as their ASCII equivalents.
pub fn normalize_national_id(country: Country, raw: &str) -> Result<String, InvalidValue> {
    match country {
        Country::Morocco => moroccan_cnie(raw),
        Country::Mauritania => mauritanian_nni(raw),
        Country::Spain => spanish_dni(raw),
    }
}

/// Brings a phone number of `country` to E.164, or says why it is not one.
///
/// - Morocco: `0` then nine digits starting with 5, 6 or 7 (`06 12 34 56 78`), or the same nine digits after
///   `+212` or `00212` (a trunk `0` after the country code, as in `+212 (0)6…`, is dropped) → `+212612345678`.
/// - Mauritania: eight digits starting with 2, 3 or 4, optionally after `+222` or `00222` → `+22222123456`.
/// - Spain: nine digits starting with 6, 7, 8 or 9, optionally after `+34` or `0034` → `+34612345678`.
///
/// Spaces, dots, dashes and parentheses are ignored, and Arabic-Indic digits are read as ASCII digits.
pub fn normalize_phone(country: Country, raw: &str) -> Result<String, InvalidValue> {
    let compact = compact(raw, &['.', '-', '(', ')']);
    let (international, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match compact.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        },
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_phone(country));
    }
    let plan = PhonePlan::of(country);
    let national = if international {
        let national = digits.strip_prefix(plan.country_code).ok_or_else(|| invalid_phone(country))?;
        match plan.trunk_prefix {
            Some(trunk) if national.len() == plan.length + trunk.len() => {
                national.strip_prefix(trunk).ok_or_else(|| invalid_phone(country))?
            }
            _ => national,
        }
    } else {
        match plan.trunk_prefix {
            Some(trunk) => digits.strip_prefix(trunk).ok_or_else(|| invalid_phone(country))?,
            None => digits,
        }
    };
    let starts_well = national.bytes().next().is_some_and(|first| plan.first_digits.contains(&first));
    if national.len() == plan.length && starts_well {
        Ok(format!("+{}{national}", plan.country_code))
    } else {
        Err(invalid_phone(country))
    }
}

/// The numbering plan of a country, as far as validation needs it.
struct PhonePlan {
    country_code: &'static str,
    /// What precedes the national number when dialled inside the country (`0` in Morocco).
    trunk_prefix: Option<&'static str>,
    /// Digits of the national significant number.
    length: usize,
    /// The digits a mobile or fixed number may start with.
    first_digits: &'static [u8],
}

impl PhonePlan {
    const fn of(country: Country) -> Self {
        match country {
            Country::Morocco => {
                PhonePlan { country_code: "212", trunk_prefix: Some("0"), length: 9, first_digits: b"567" }
            }
            Country::Mauritania => {
                PhonePlan { country_code: "222", trunk_prefix: None, length: 8, first_digits: b"234" }
            }
            Country::Spain => PhonePlan { country_code: "34", trunk_prefix: None, length: 9, first_digits: b"6789" },
        }
    }
}

/// The check letters of the Spanish DNI and NIE, indexed by the number modulo 23.
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn moroccan_cnie(raw: &str) -> Result<String, InvalidValue> {
    let id = compact(raw, &[]);
    let letters = id.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = id.get(letters..).unwrap_or_default();
    let ok =
        (1..=2).contains(&letters) && (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(id)
    } else {
        Err(redacted("CNIE number", "one or two letters followed by 1 to 6 digits, e.g. AB123456"))
    }
}

fn mauritanian_nni(raw: &str) -> Result<String, InvalidValue> {
    let id = compact(raw, &[]);
    if id.len() == 10 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id)
    } else {
        Err(redacted("NNI", "exactly 10 digits"))
    }
}

fn spanish_dni(raw: &str) -> Result<String, InvalidValue> {
    let invalid =
        || redacted("DNI or NIE", "8 digits and the check letter, or X, Y or Z, 7 digits and the check letter");
    let id = compact(raw, &['.', '-']);
    let bytes = id.as_bytes();
    let [body @ .., letter] = bytes else {
        return Err(invalid());
    };
    // A NIE's leading letter stands for a digit, which makes it a DNI-shaped number.
    let number: String = match body {
        [b'X', rest @ ..] if rest.len() == 7 => format!("0{}", String::from_utf8_lossy(rest)),
        [b'Y', rest @ ..] if rest.len() == 7 => format!("1{}", String::from_utf8_lossy(rest)),
        [b'Z', rest @ ..] if rest.len() == 7 => format!("2{}", String::from_utf8_lossy(rest)),
        _ if body.len() == 8 => String::from_utf8_lossy(body).into_owned(),
        _ => return Err(invalid()),
    };
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let value: u32 = number.parse().map_err(|_| invalid())?;
    let expected = DNI_LETTERS.get((value % 23) as usize).copied();
    if expected == Some(*letter) { Ok(id) } else { Err(invalid()) }
}

/// Drops white space and `separators`, reads Arabic-Indic digits as ASCII digits and upper-cases ASCII letters.
fn compact(raw: &str, separators: &[char]) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !separators.contains(c))
        .map(|c| ascii_digit(c).unwrap_or(c.to_ascii_uppercase()))
        .collect()
}

/// The ASCII digit for an Arabic-Indic (`٠`–`٩`) or Eastern Arabic-Indic (`۰`–`۹`) digit.
fn ascii_digit(c: char) -> Option<char> {
    let offset = match c {
        '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
        '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
        _ => return None,
    };
    char::from_digit(offset, 10)
}

fn invalid_phone(country: Country) -> InvalidValue {
    let expected = match country {
        Country::Morocco => "10 digits starting with 05, 06 or 07, or +212 and 9 digits",
        Country::Mauritania => "8 digits starting with 2, 3 or 4, optionally after +222",
        Country::Spain => "9 digits starting with 6, 7, 8 or 9, optionally after +34",
    };
    redacted("phone number", expected)
}

/// An error that does not repeat the personal value it rejects.
fn redacted(what: &'static str, expected: &'static str) -> InvalidValue {
    InvalidValue::new(what, "(redacted)", expected)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MA: Country = Country::Morocco;
    const MR: Country = Country::Mauritania;
    const ES: Country = Country::Spain;

    #[test]
    fn national_ids() {
        let cases: &[(Country, &str, Option<&str>)] = &[
            (MA, "AB123456", Some("AB123456")),
            (MA, "ab 123456", Some("AB123456")),
            (MA, " j12345 ", Some("J12345")),
            (MA, "J1", Some("J1")),
            (MA, "Bk 12 34 56", Some("BK123456")),
            (MA, "ab١٢٣٤٥٦", Some("AB123456")),
            (MA, "123456", None),
            (MA, "ABC12345", None),
            (MA, "AB1234567", None),
            (MA, "AB", None),
            (MA, "A-123456", None),
            (MA, "AB12X4", None),
            (MA, "ÉB123456", None),
            (MA, "", None),
            (MR, "1234567890", Some("1234567890")),
            (MR, "12345 67890", Some("1234567890")),
            (MR, "123456789", None),
            (MR, "12345678901", None),
            (MR, "12345678AB", None),
            (ES, "12345678Z", Some("12345678Z")),
            (ES, "12.345.678-z", Some("12345678Z")),
            (ES, "00000000T", Some("00000000T")),
            (ES, "X1234567L", Some("X1234567L")),
            (ES, "y1234567x", Some("Y1234567X")),
            (ES, "Z1234567R", Some("Z1234567R")),
            (ES, "12345678A", None),
            (ES, "X1234567A", None),
            (ES, "1234567Z", None),
            (ES, "W1234567L", None),
            (ES, "Z", None),
            (ES, "", None),
        ];
        for (country, raw, expected) in cases {
            let got = normalize_national_id(*country, raw).ok();
            assert_eq!(got.as_deref(), *expected, "{country:?} {raw:?}");
        }
    }

    #[test]
    fn phones() {
        let cases: &[(Country, &str, Option<&str>)] = &[
            (MA, "0612345678", Some("+212612345678")),
            (MA, "06 12 34 56 78", Some("+212612345678")),
            (MA, "07.12.34.56.78", Some("+212712345678")),
            (MA, "05-36-12-34-56", Some("+212536123456")),
            (MA, "+212612345678", Some("+212612345678")),
            (MA, "+212 6 12 34 56 78", Some("+212612345678")),
            (MA, "00212612345678", Some("+212612345678")),
            (MA, "+212 (0)6 12 34 56 78", Some("+212612345678")),
            (MA, "٠٦١٢٣٤٥٦٧٨", Some("+212612345678")),
            (MA, "0812345678", None),
            (MA, "061234567", None),
            (MA, "06123456789", None),
            (MA, "612345678", None),
            (MA, "+213612345678", None),
            (MA, "+2128123456789", None),
            (MA, "06123456ab", None),
            (MA, "+", None),
            (MA, "", None),
            (MR, "22123456", Some("+22222123456")),
            (MR, "36 12 34 56", Some("+22236123456")),
            (MR, "+222 46123456", Some("+22246123456")),
            (MR, "0022246123456", Some("+22246123456")),
            (MR, "56123456", None),
            (MR, "2212345", None),
            (MR, "+212 46123456", None),
            (ES, "612345678", Some("+34612345678")),
            (ES, "+34 912 345 678", Some("+34912345678")),
            (ES, "0034712345678", Some("+34712345678")),
            (ES, "512345678", None),
            (ES, "61234567", None),
        ];
        for (country, raw, expected) in cases {
            let got = normalize_phone(*country, raw).ok();
            assert_eq!(got.as_deref(), *expected, "{country:?} {raw:?}");
        }
    }

    #[test]
    fn errors_do_not_repeat_the_value() {
        let error = normalize_national_id(MA, "ABC999999").unwrap_err();
        assert!(!error.to_string().contains("999999"), "{error}");
        let error = normalize_phone(MA, "0812345678").unwrap_err();
        assert!(!error.to_string().contains("812345678"), "{error}");
    }

    fn any_country() -> impl Strategy<Value = Country> {
        prop_oneof![Just(MA), Just(MR), Just(ES)]
    }

    proptest! {
        #[test]
        fn moroccan_ids_never_panic_and_are_stable(raw in "\\PC{0,12}") {
            if let Ok(id) = normalize_national_id(MA, &raw) {
                prop_assert_eq!(normalize_national_id(MA, &id), Ok(id.clone()));
            }
        }

        #[test]
        fn moroccan_id_shaped_values_are_stable(raw in "[a-zA-Z ]{0,3}[0-9 ]{0,8}") {
            if let Ok(id) = normalize_national_id(MA, &raw) {
                prop_assert!(id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
                prop_assert_eq!(normalize_national_id(MA, &id), Ok(id.clone()));
            }
        }

        #[test]
        fn ids_and_phones_of_every_country_are_stable(country in any_country(), raw in "[+0-9XYZxyz .()-]{0,16}") {
            if let Ok(id) = normalize_national_id(country, &raw) {
                prop_assert_eq!(normalize_national_id(country, &id), Ok(id.clone()));
            }
            if let Ok(phone) = normalize_phone(country, &raw) {
                prop_assert!(phone.starts_with('+'));
                prop_assert_eq!(normalize_phone(country, &phone), Ok(phone.clone()));
            }
        }
    }
}
