//! The messages of field errors, in Arabic, French, English and Tamazight (Tifinagh): one function per error
//! code, taking what the message names (a limit, a country, a document). Every localized text a `FieldError`
//! of a form carries comes from here, and so do those of the registers' inputs and imported files (courier,
//! civil status, council, finance, petitions), of the use cases' inputs, and of the checks of a commune's
//! configuration (its services, complaint settings). The Tamazight texts are machine translations awaiting review by a fluent
//! reader (`jamaa translations review --locale tzm` lists them, from [`samples`]).

use crate::model::commune::Country;
use crate::model::form::RuleOp;
use crate::model::i18n::{Locale, LocalizedText};

/// What a value should have been, for `INVALID_TYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    Text,
    Number,
    Boolean,
    /// The list of a multi-choice.
    List,
    /// The object of a location field.
    Location,
    /// The whole form data, a JSON object.
    Form,
}

/// What `TOO_SHORT` and `TOO_LONG` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LengthUnit {
    /// Characters of a text.
    Characters,
    /// Options chosen in a multi-choice.
    Choices,
}

/// Why a location is rejected, for `INVALID_LOCATION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocationProblem {
    /// Neither coordinates nor an address.
    Empty,
    Latitude,
    Longitude,
    /// A latitude without a longitude, or the reverse.
    IncompleteCoordinates,
    Address,
}

/// Why a value is rejected, for `INVALID_VALUE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidReason {
    /// The same option appears twice in a multi-choice.
    DuplicateChoice,
    NegativeAmount,
    /// An amount with more than two decimals.
    TooManyDecimals,
    EmptyFile,
    MissingFileName,
    /// A SHA-256 digest that is not 64 hexadecimal digits.
    InvalidChecksum,
    /// A file name with control characters (line breaks, escapes).
    FileNameControl,
    /// A tracking code that is not `PREFIX-YYYY-NNNNNN`.
    TrackingCode,
}

/// What is wrong with a form definition, for `INVALID_DEFINITION`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DefinitionProblem {
    /// The key does not match `[a-z][a-z0-9_]*`.
    KeyFormat(String),
    DuplicateKey(String),
    EmptyLabel,
    NoOptions,
    EmptyOptionValue,
    EmptyOptionLabel,
    DuplicateOption(String),
    /// A condition names a field the form does not have.
    UnknownConditionField(String),
    /// A condition names the field it belongs to.
    SelfCondition,
    /// Visibility conditions that depend on each other in a loop.
    ConditionCycle,
    InvalidPattern,
    MinAboveMax,
    MinLengthAboveMaxLength,
    /// A form rule names a field the form does not have.
    UnknownRuleField(String),
    /// A form rule bounds a field that is not a number or an amount, or by one.
    RuleFieldNotNumber(String),
    /// A form rule bounds a field by itself.
    SelfRule,
    /// A form rule gives neither or both of a value and another field.
    RuleBound,
    /// A form rule's fixed value names no basis (a legal text, or the commune).
    RuleWithoutBasis,
}

/// `REQUIRED`
pub fn required() -> LocalizedText {
    text("هذا الحقل إجباري.", "Ce champ est obligatoire.", "This field is required.", "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵜⵜⵓⵛⵓⵔ.")
}

/// `INVALID_TYPE`
pub fn invalid_type(expected: Expected) -> LocalizedText {
    match expected {
        Expected::Text => text(
            "يجب أن تكون قيمة هذا الحقل نصًا.",
            "Ce champ doit contenir du texte.",
            "This field must be text.",
            "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ ⴰⴹⵔⵉⵙ.",
        ),
        Expected::Number => text(
            "يجب أن تكون قيمة هذا الحقل عددًا.",
            "Ce champ doit contenir un nombre.",
            "This field must be a number.",
            "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ ⴰⵎⴹⴰⵏ.",
        ),
        Expected::Boolean => text(
            "يجب أن تكون قيمة هذا الحقل «نعم» أو «لا».",
            "Ce champ doit valoir « oui » ou « non ».",
            "This field must be yes or no.",
            "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ « ⵉⵀ » ⵏⵖ « ⵓⵀⵓ ».",
        ),
        Expected::List => text(
            "يجب أن تكون قيمة هذا الحقل قائمة من الاختيارات.",
            "Ce champ doit contenir une liste de choix.",
            "This field must be a list of choices.",
            "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ ⵜⴰⵍⴳⴰⵎⵜ ⵏ ⵉⵙⵜⴰⵢⵏ.",
        ),
        Expected::Location => text(
            "يجب أن تكون قيمة هذا الحقل موقعًا (إحداثيات أو عنوانًا).",
            "Ce champ doit contenir une localisation (des coordonnées ou une adresse).",
            "This field must be a location (coordinates or an address).",
            "ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ ⴰⴷⵖⴰⵔ (ⵉⵙⴰⴳⵏ ⵏⵖ ⵜⴰⵏⵙⴰ).",
        ),
        Expected::Form => text(
            "يجب أن تُرسَل بيانات الاستمارة في شكل كائن JSON.",
            "Les données du formulaire doivent être un objet JSON.",
            "The form data must be a JSON object.",
            "ⵉⵙⴼⴽⴰ ⵏ ⵜⵍⵖⴰ ⵉⵍⴰⵇ ⴰⴷ ⵉⵍⵉⵏ ⴷ ⴰⵖⴰⵡⴰⵙ JSON.",
        ),
    }
}

/// `TOO_SHORT`: fewer than `min` characters or choices.
pub fn too_short(min: u32, unit: LengthUnit) -> LocalizedText {
    match unit {
        LengthUnit::Characters => text(
            format!("يجب أن يحتوي هذا الحقل على {} على الأقل.", arabic_count(min, &CHARACTER)),
            format!("Ce champ doit contenir au moins {min} {}.", french_plural(min, "caractère", "caractères")),
            format!("This field must contain at least {min} {}.", english_plural(min, "character", "characters")),
            format!("ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ {} ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ.", tamazight_count(min, &CHARACTER_TZM)),
        ),
        LengthUnit::Choices => text(
            format!("يجب اختيار {} على الأقل.", arabic_count(min, &OPTION)),
            format!("Choisissez au moins {min} {}.", french_plural(min, "option", "options")),
            format!("Choose at least {min} {}.", english_plural(min, "option", "options")),
            format!("ⵙⵜⵉ {} ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ.", tamazight_count(min, &OPTION_TZM)),
        ),
    }
}

/// `TOO_LONG`: more than `max` characters or choices.
pub fn too_long(max: u32, unit: LengthUnit) -> LocalizedText {
    match unit {
        LengthUnit::Characters => text(
            format!("يجب ألا يحتوي هذا الحقل على أكثر من {}.", arabic_count(max, &CHARACTER)),
            format!("Ce champ doit contenir au plus {max} {}.", french_plural(max, "caractère", "caractères")),
            format!("This field must contain at most {max} {}.", english_plural(max, "character", "characters")),
            format!("ⴰⵏⵙⴰ ⴰⴷ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵉⵄⴷⴷⵉ {}.", tamazight_count(max, &CHARACTER_TZM)),
        ),
        LengthUnit::Choices => text(
            format!("لا يمكن اختيار أكثر من {}.", arabic_count(max, &OPTION)),
            format!("Choisissez au plus {max} {}.", french_plural(max, "option", "options")),
            format!("Choose at most {max} {}.", english_plural(max, "option", "options")),
            format!("ⵓⵔ ⵜⵣⵎⵎⵔⴹ ⴰⴷ ⵜⵙⵜⵉⴹ ⵓⴳⴳⴰⵔ ⵏ {}.", tamazight_count(max, &OPTION_TZM)),
        ),
    }
}

/// `OUT_OF_RANGE`: a number or an amount outside `[min, max]` (either bound may be open).
pub fn out_of_range(min: Option<f64>, max: Option<f64>) -> LocalizedText {
    // Arabic and French write decimals with a comma, English with a point.
    let comma = |x| number(x, ',');
    let point = |x| number(x, '.');
    let (ar, fr, en, tzm) = (comma, comma, point, comma);
    match (min, max) {
        (Some(min), Some(max)) => text(
            format!("يجب أن تكون القيمة بين {} و{}.", ar(min), ar(max)),
            format!("La valeur doit être comprise entre {} et {}.", fr(min), fr(max)),
            format!("The value must be between {} and {}.", en(min), en(max)),
            format!("ⴰⵣⴰⵍ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴳⵔ {} ⴷ {}.", tzm(min), tzm(max)),
        ),
        (Some(min), None) => text(
            format!("يجب ألا تقل القيمة عن {}.", ar(min)),
            format!("La valeur doit être supérieure ou égale à {}.", fr(min)),
            format!("The value must be at least {}.", en(min)),
            format!("ⴰⵣⴰⵍ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴷⴷⴰⵡ ⵏ {}.", tzm(min)),
        ),
        (None, Some(max)) => text(
            format!("يجب ألا تتجاوز القيمة {}.", ar(max)),
            format!("La valeur doit être inférieure ou égale à {}.", fr(max)),
            format!("The value must be at most {}.", en(max)),
            format!("ⴰⵣⴰⵍ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵉⵄⴷⴷⵉ {}.", tzm(max)),
        ),
        (None, None) => text(
            "القيمة خارج الحدود المسموح بها.",
            "La valeur est en dehors des limites autorisées.",
            "The value is outside the allowed range.",
            "ⴰⵣⴰⵍ ⵉⴼⴼⵖ ⵜⵉⵍⵉⵙⴰ ⵉⵜⵜⵓⵙⵉⵔⴳⵏ.",
        ),
    }
}

/// `OUT_OF_RANGE` of a form rule bounding a number by another field (`label`): at most (`le`) or at least
/// (`ge`) its value.
pub fn beyond_field(op: RuleOp, label: &LocalizedText) -> LocalizedText {
    let [ar, fr, en, tzm] = names(label);
    match op {
        RuleOp::Le => text(
            format!("يجب ألا تتجاوز القيمة قيمة «{ar}»."),
            format!("La valeur doit être inférieure ou égale à celle de « {fr} »."),
            format!("The value must be at most that of “{en}”."),
            format!("ⴰⵣⴰⵍ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵉⵄⴷⴷⵉ ⴰⵣⴰⵍ ⵏ « {tzm} »."),
        ),
        RuleOp::Ge => text(
            format!("يجب ألا تقل القيمة عن قيمة «{ar}»."),
            format!("La valeur doit être supérieure ou égale à celle de « {fr} »."),
            format!("The value must be at least that of “{en}”."),
            format!("ⴰⵣⴰⵍ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴷⴷⴰⵡ ⵏ ⵡⴰⵣⴰⵍ ⵏ « {tzm} »."),
        ),
    }
}

/// `PATTERN_MISMATCH`
pub fn pattern_mismatch() -> LocalizedText {
    text(
        "صيغة هذه القيمة غير صحيحة.",
        "Le format de cette valeur n'est pas valide.",
        "This value is not in the expected format.",
        "ⵜⴰⵍⵖⴰ ⵏ ⵡⴰⵣⴰⵍ ⴰⴷ ⵓⵔ ⵜⵚⵃⵉ.",
    )
}

/// `NOT_AN_OPTION`
pub fn not_an_option() -> LocalizedText {
    text(
        "هذه القيمة ليست من بين الاختيارات المتاحة.",
        "Cette valeur ne fait pas partie des choix proposés.",
        "This value is not one of the available options.",
        "ⴰⵣⴰⵍ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳⵔ ⵉⵙⵜⴰⵢⵏ ⵢⵍⵍⴰⵏ.",
    )
}

/// `INVALID_DATE`
pub fn invalid_date() -> LocalizedText {
    text(
        "تاريخ غير صحيح: الصيغة المطلوبة هي السنة-الشهر-اليوم، مثل 2026-03-15.",
        "Date invalide : le format attendu est AAAA-MM-JJ, par exemple 2026-03-15.",
        "Invalid date: the expected format is YYYY-MM-DD, for example 2026-03-15.",
        "ⴰⵣⵎⵣ ⵓⵔ ⵉⵚⵃⵉⵏ: ⵜⴰⵍⵖⴰ ⵉⵜⵜⵓⵔⴰⵊⵓⵏ ⴷ ⴰⵙⴳⴳⵯⴰⵙ-ⴰⵢⵢⵓⵔ-ⴰⵙⵙ, ⴰⵎ 2026-03-15.",
    )
}

/// `INVALID_NATIONAL_ID`, saying what the identity number of `country` looks like.
pub fn invalid_national_id(country: Country) -> LocalizedText {
    match country {
        Country::Morocco => text(
            "رقم البطاقة الوطنية للتعريف غير صحيح: حرف أو حرفان يليهما من رقم واحد إلى ستة أرقام (مثل AB123456).",
            "Numéro de CNIE invalide : une ou deux lettres suivies de 1 à 6 chiffres (par exemple AB123456).",
            "Invalid CNIE number: one or two letters followed by 1 to 6 digits (for example AB123456).",
            "ⵓⵟⵟⵓⵏ ⵏ CNIE ⵓⵔ ⵉⵚⵃⵉⵏ: ⵢⴰⵏ ⵏⵖ ⵙⵉⵏ ⵉⵙⴽⴽⵉⵍⵏ, ⴹⴼⴰⵔⵏ-ⵜ ⵙⴳ 1 ⴰⵔ 6 ⵏ ⵡⵓⵟⵟⵓⵏⵏ (ⴰⵎ AB123456).",
        ),
        Country::Mauritania => text(
            "الرقم الوطني للتعريف غير صحيح: يجب أن يتكون من 10 أرقام.",
            "Numéro national d'identification (NNI) invalide : il doit comporter 10 chiffres.",
            "Invalid national identification number (NNI): it must have 10 digits.",
            "ⵓⵟⵟⵓⵏ ⵏ NNI ⵓⵔ ⵉⵚⵃⵉⵏ: ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⵙ 10 ⵏ ⵡⵓⵟⵟⵓⵏⵏ.",
        ),
        Country::Spain => text(
            "رقم DNI أو NIE غير صحيح: 8 أرقام وحرف تحقق، أو X أو Y أو Z يليها 7 أرقام وحرف تحقق.",
            "DNI ou NIE invalide : 8 chiffres et une lettre de contrôle, ou X, Y ou Z suivi de 7 chiffres et d'une lettre de contrôle.",
            "Invalid DNI or NIE: 8 digits and a check letter, or X, Y or Z followed by 7 digits and a check letter.",
            "DNI ⵏⵖ NIE ⵓⵔ ⵉⵚⵃⵉⵏ: 8 ⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴷ ⵢⴰⵏ ⵓⵙⴽⴽⵉⵍ ⵏ ⵓⵙⵏⵇⴷ, ⵏⵖ X, Y ⵏⵖ Z ⴹⴼⴰⵔⵏ-ⵜ 7 ⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴷ ⵢⴰⵏ ⵓⵙⴽⴽⵉⵍ ⵏ ⵓⵙⵏⵇⴷ.",
        ),
    }
}

/// `INVALID_PHONE`, saying what a phone number of `country` looks like.
pub fn invalid_phone(country: Country) -> LocalizedText {
    match country {
        Country::Morocco => text(
            "رقم الهاتف غير صحيح: 10 أرقام تبدأ بـ05 أو 06 أو 07، أو بالصيغة الدولية \u{200E}+212.",
            "Numéro de téléphone invalide : 10 chiffres commençant par 05, 06 ou 07, ou au format international +212.",
            "Invalid phone number: 10 digits starting with 05, 06 or 07, or in the international format +212.",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⵉⵍⵉⴼⵓⵏ ⵓⵔ ⵉⵚⵃⵉⵏ: 10 ⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴱⴷⴰⵏ ⵙ 05, 06 ⵏⵖ 07, ⵏⵖ ⵙ ⵜⴰⵍⵖⴰ ⵜⴰⴳⵔⴰⵖⵍⴰⵏⵜ +212.",
        ),
        Country::Mauritania => text(
            "رقم الهاتف غير صحيح: 8 أرقام تبدأ بـ2 أو 3 أو 4، ويمكن أن يسبقها الرمز \u{200E}+222.",
            "Numéro de téléphone invalide : 8 chiffres commençant par 2, 3 ou 4, éventuellement précédés de +222.",
            "Invalid phone number: 8 digits starting with 2, 3 or 4, optionally preceded by +222.",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⵉⵍⵉⴼⵓⵏ ⵓⵔ ⵉⵚⵃⵉⵏ: 8 ⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴱⴷⴰⵏ ⵙ 2, 3 ⵏⵖ 4, ⵣⵡⴰⵔⵏ-ⵜⵏ ⴰⵀⴰⵜ +222.",
        ),
        Country::Spain => text(
            "رقم الهاتف غير صحيح: 9 أرقام تبدأ بـ6 أو 7 أو 8 أو 9، ويمكن أن يسبقها الرمز \u{200E}+34.",
            "Numéro de téléphone invalide : 9 chiffres commençant par 6, 7, 8 ou 9, éventuellement précédés de +34.",
            "Invalid phone number: 9 digits starting with 6, 7, 8 or 9, optionally preceded by +34.",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⵉⵍⵉⴼⵓⵏ ⵓⵔ ⵉⵚⵃⵉⵏ: 9 ⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴱⴷⴰⵏ ⵙ 6, 7, 8 ⵏⵖ 9, ⵣⵡⴰⵔⵏ-ⵜⵏ ⴰⵀⴰⵜ +34.",
        ),
    }
}

/// `INVALID_EMAIL`
pub fn invalid_email() -> LocalizedText {
    text(
        "عنوان البريد الإلكتروني غير صحيح (مثل name@example.ma).",
        "Adresse électronique invalide (par exemple nom@exemple.ma).",
        "Invalid email address (for example name@example.com).",
        "ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵓⵔ ⵜⵚⵃⵉ (ⴰⵎ name@example.ma).",
    )
}

/// `INVALID_LOCATION`
pub fn invalid_location(problem: LocationProblem) -> LocalizedText {
    match problem {
        LocationProblem::Empty => text(
            "حدِّد الموقع بإحداثياته أو بعنوانه.",
            "Indiquez des coordonnées ou une adresse.",
            "Give coordinates or an address.",
            "ⵎⵍ ⵉⵙⴰⴳⵏ ⵏⵖ ⵜⴰⵏⵙⴰ.",
        ),
        LocationProblem::Latitude => text(
            "يجب أن يكون خط العرض عددًا بين -90 و90.",
            "La latitude doit être un nombre compris entre -90 et 90.",
            "The latitude must be a number between -90 and 90.",
            "ⵍⴰⵜⵉⵜⵓⴷ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴷ ⴰⵎⴹⴰⵏ ⴳⵔ -90 ⴷ 90.",
        ),
        LocationProblem::Longitude => text(
            "يجب أن يكون خط الطول عددًا بين -180 و180.",
            "La longitude doit être un nombre compris entre -180 et 180.",
            "The longitude must be a number between -180 and 180.",
            "ⵍⵓⵏⴳⵉⵜⵓⴷ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴷ ⴰⵎⴹⴰⵏ ⴳⵔ -180 ⴷ 180.",
        ),
        LocationProblem::IncompleteCoordinates => text(
            "يجب تحديد خط العرض وخط الطول معًا.",
            "Indiquez à la fois la latitude et la longitude.",
            "Give both the latitude and the longitude.",
            "ⵎⵍ ⵍⴰⵜⵉⵜⵓⴷ ⴷ ⵍⵓⵏⴳⵉⵜⵓⴷ ⵎⵄⴰⵏ.",
        ),
        LocationProblem::Address => text(
            "يجب أن يكون العنوان نصًا.",
            "L'adresse doit être un texte.",
            "The address must be text.",
            "ⵜⴰⵏⵙⴰ ⵉⵍⴰⵇ ⴰⴷ ⵜⵉⵍⵉ ⴷ ⴰⴹⵔⵉⵙ.",
        ),
    }
}

/// `UNKNOWN_FIELD`
pub fn unknown_field() -> LocalizedText {
    text(
        "هذا الحقل غير موجود في الاستمارة.",
        "Ce champ ne fait pas partie du formulaire.",
        "This field is not part of the form.",
        "ⴰⵏⵙⴰ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵜⵍⵖⴰ.",
    )
}

/// `DOCUMENT_MISSING`: the mandatory document `label` was not attached.
pub fn document_missing(label: &LocalizedText) -> LocalizedText {
    let [ar, fr, en, tzm] = names(label);
    text(
        format!("يجب إرفاق الوثيقة «{ar}»."),
        format!("Le document « {fr} » doit être joint."),
        format!("The document “{en}” must be attached."),
        format!("ⵉⵍⴰⵇ ⴰⴷ ⵉⵜⵜⵓⵣⴷⵉ ⵓⵙⵉⵎⵍ « {tzm} »."),
    )
}

/// `DOCUMENT_NOT_ALLOWED`: a document the procedure does not list (law 55.19: only published documents may
/// be asked for).
pub fn document_not_allowed() -> LocalizedText {
    text(
        "هذه الوثيقة ليست من بين الوثائق المنشورة لهذه المسطرة.",
        "Ce document ne figure pas parmi les pièces publiées pour cette démarche.",
        "This document is not among those published for this procedure.",
        "ⴰⵙⵉⵎⵍ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳⵔ ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵙⵙⵓⴼⵖⵏ ⵉ ⵜⵎⵀⵍⵜ ⴰⴷ.",
    )
}

/// `DOCUMENT_TOO_LARGE`: the file for `label` is larger than `max_bytes`.
pub fn document_too_large(label: &LocalizedText, max_bytes: u64) -> LocalizedText {
    let [ar, fr, en, tzm] = names(label);
    text(
        format!("يتجاوز ملف «{ar}» الحجم الأقصى المسموح به ({}).", size(max_bytes, Locale::Ar)),
        format!("Le fichier « {fr} » dépasse la taille maximale autorisée ({}).", size(max_bytes, Locale::Fr)),
        format!("The file for “{en}” exceeds the maximum allowed size ({}).", size(max_bytes, Locale::En)),
        format!("ⴰⴼⴰⵢⵍⵓ ⵏ « {tzm} » ⵉⵄⴷⴷⴰ ⵜⵉⴷⴷⵉ ⵜⴰⵎⵇⵇⵔⴰⵏⵜ ⵉⵜⵜⵓⵙⵉⵔⴳⵏ ({}).", size(max_bytes, Locale::Tzm)),
    )
}

/// `DOCUMENT_FORMAT`: the file for `label` is not in one of `formats` (media types).
pub fn document_format(label: &LocalizedText, formats: &[String]) -> LocalizedText {
    let [ar, fr, en, tzm] = names(label);
    let names: Vec<&str> = formats.iter().map(|media_type| format_name(media_type)).collect();
    text(
        format!("صيغة ملف «{ar}» غير مقبولة. الصيغ المقبولة: {}.", names.join("، ")),
        format!("Le format du fichier « {fr} » n'est pas accepté. Formats acceptés : {}.", names.join(", ")),
        format!("The file format for “{en}” is not accepted. Accepted formats: {}.", names.join(", ")),
        format!("ⵜⴰⵍⵖⴰ ⵏ ⵓⴼⴰⵢⵍⵓ ⵏ « {tzm} » ⵓⵔ ⵜⵜⵓⵇⴱⴰⵍ. ⵜⵉⵍⵖⵉⵡⵉⵏ ⵢⵜⵜⵓⵇⴱⴰⵍⵏ: {}.", names.join(", ")),
    )
}

/// What of a declared document differs from its uploaded file, for `DOCUMENT_MISMATCH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// No file of the document was uploaded.
    NoFile,
    Size,
    Checksum,
}

/// `DOCUMENT_MISMATCH`: what the submission declares of a document is not what its uploaded file is.
pub fn document_mismatch(mismatch: Mismatch) -> LocalizedText {
    match mismatch {
        Mismatch::NoFile => text(
            "هذه الوثيقة مصرح بها لكن ملفها لم يُرفع.",
            "Ce document est déclaré, mais son fichier n'a pas été envoyé.",
            "This document is declared but its file was not uploaded.",
            "ⵉⵜⵜⵓⵙⵙⴼⵔⵓ ⵓⵙⵎⴽⵜⴰⵢ ⴰⴷ ⵎⴰⵛ ⴰⴼⴰⵢⵍⵓ ⵏⵏⵙ ⵓⵔ ⵉⵜⵜⵓⵙⵉⵍⵉ.",
        ),
        Mismatch::Size => text(
            "الحجم المصرح به يختلف عن حجم الملف المرفوع.",
            "La taille déclarée diffère de celle du fichier envoyé.",
            "The declared size differs from that of the uploaded file.",
            "ⵜⵉⴷⴷⵉ ⵉⵜⵜⵓⵙⵙⴼⵔⵓⵏ ⵜⵎⵣⴰⵔⴰⵢ ⴷ ⵜⵉⴷⴷⵉ ⵏ ⵓⴼⴰⵢⵍⵓ ⵉⵜⵜⵓⵙⵉⵍⵉⵏ.",
        ),
        Mismatch::Checksum => text(
            "بصمة SHA-256 المصرح بها تختلف عن بصمة الملف المرفوع.",
            "L'empreinte SHA-256 déclarée diffère de celle du fichier envoyé.",
            "The declared SHA-256 digest differs from that of the uploaded file.",
            "ⵜⵉⵥⵕⵉ SHA-256 ⵉⵜⵜⵓⵙⵙⴼⵔⵓⵏ ⵜⵎⵣⴰⵔⴰⵢ ⴷ ⵜⵉⵏ ⵓⴼⴰⵢⵍⵓ ⵉⵜⵜⵓⵙⵉⵍⵉⵏ.",
        ),
    }
}

/// An id in an argument that is no id of the kind asked for (`INVALID_VALUE` or `NOT_AN_OPTION` at its path).
pub fn invalid_id() -> LocalizedText {
    text("معرف غير صالح.", "Identifiant invalide.", "Invalid id.", "ⴰⵙⵎⴰⴳⵏ ⵓⵔ ⵉⵚⵃⵉⵏ.")
}

/// `UNKNOWN_SERVICE`
pub fn unknown_service() -> LocalizedText {
    text(
        "هذه الخدمة غير موجودة أو لا تقدمها هذه الجماعة.",
        "Cette démarche n'existe pas ou n'est pas proposée par cette commune.",
        "This procedure does not exist or is not offered by this commune.",
        "ⵜⴰⵎⵀⵍⵜ ⴰⴷ ⵓⵔ ⵜⵍⵍⵉ ⵏⵖ ⵓⵔ ⵜⵜ ⵜⵜⵜⴰⴽ ⵜⵎⵙⵎⵓⵏⵜ ⴰⴷ.",
    )
}

/// `REQUIRED` at `comment`: the action asks for a comment (the reasons of a refusal, a notice to the applicant).
pub fn comment_required() -> LocalizedText {
    text(
        "هذا الإجراء يتطلب تعليقا: اكتب الأسباب أو الرسالة.",
        "Cette action demande un commentaire : écrivez ses motifs ou le message.",
        "This action needs a comment: write its reasons or the message.",
        "ⵜⵉⴳⴰⵡⵜ ⴰ ⵜⵔⴰ ⴰⵙⵖⵏ: ⴰⵔⴰ ⵜⵉⵎⵏⵜⵉⵍⵉⵏ ⵏⵏⵙ ⵏⵖ ⵜⴰⴱⵔⴰⵜ.",
    )
}

/// `INVALID_VALUE` at `action`: the action's conditions on the file's data do not hold (its guard).
pub fn action_conditions_not_met() -> LocalizedText {
    text(
        "شروط هذا الإجراء غير متوفرة في معطيات الملف.",
        "Les conditions de cette action ne sont pas réunies par les données du dossier.",
        "The file's data do not meet the conditions of this action.",
        "ⵜⵉⵙⵖⴰⵔⵉⵏ ⵏ ⵜⵉⴳⴰⵡⵜ ⴰ ⵓⵔ ⵜⵜⵍⵍⵉⵏⵜ ⴳ ⵉⵙⵏⵖⵎⵉⵙⵏ ⵏ ⵓⴷⴻⵍⵉⵙ.",
    )
}

/// `REQUIRED` at `reasons`: an unfavourable opinion, or one with conditions, says why (or which).
pub fn opinion_reasons_required() -> LocalizedText {
    text(
        "الرأي غير الموافق أو الموافق بشروط يجب أن يكون معللا: اكتب الأسباب أو الشروط.",
        "Un avis défavorable ou sous conditions est motivé : écrivez ses motifs ou ses conditions.",
        "An unfavourable opinion, or one with conditions, gives its reasons: write them, or the conditions.",
        "ⴰⵏⵥⵓⵔ ⵓⵔ ⵉⵇⴱⵉⵍⵏ ⵏⵖ ⵉⵇⴱⵍⵏ ⵙ ⵜⵙⵖⴰⵔⵉⵏ ⵉⵇⵇⴰⵏ ⴰⴷ ⵉⵙⵎⵍ ⵜⵉⵎⵏⵜⵉⵍⵉⵏ ⵏⵏⵙ: ⴰⵔⴰ ⵜⵏⵜ.",
    )
}

/// `NOT_AN_OPTION` (or `REQUIRED`) at `body`: the member gives the opinion of one of the bodies they belong to.
pub fn opinion_body() -> LocalizedText {
    text(
        "اختر الهيئة التي تبدي رأيها باسمها، من بين الهيئات التي تنتمي إليها ولم تبد رأيها بعد.",
        "Choisissez l'organisme au nom duquel vous donnez l'avis, parmi les vôtres qui ne l'ont pas encore donné.",
        "Choose the body whose opinion you give, among yours that have not given it yet.",
        "ⴼⵔⵏ ⵜⴰⵎⵙⵙⵓⴷⵙⴰ ⵙ ⵢⵉⵙⵎ ⵏⵏⵙ ⵜⵙⴽⵔⴷ ⴰⵏⵥⵓⵔ, ⴳⵔ ⵜⵉⵏⵓⵏ ⵓⵔ ⵜ ⵉⵙⴽⵔⵏ ⵖⴰⵙ.",
    )
}

/// `UNKNOWN_COMMUNE`
pub fn unknown_commune() -> LocalizedText {
    text("هذه الجماعة غير معروفة.", "Cette commune est inconnue.", "This commune is unknown.", "ⵜⴰⵎⵙⵎⵓⵏⵜ ⴰⴷ ⵓⵔ ⵜⵜⵓⵙⵙⵏ.")
}

/// `INVALID_VALUE`
pub fn invalid_value(reason: InvalidReason) -> LocalizedText {
    match reason {
        InvalidReason::DuplicateChoice => text(
            "تم اختيار هذا الخيار أكثر من مرة.",
            "Ce choix figure plusieurs fois.",
            "This option is chosen more than once.",
            "ⴰⵙⵜⴰⵢ ⴰⴷ ⵉⵜⵜⵓⵙⵜⴰⵢ ⵓⴳⴳⴰⵔ ⵏ ⵜⵉⴽⴽⵍⵜ.",
        ),
        InvalidReason::NegativeAmount => text(
            "لا يمكن أن يكون المبلغ سالبًا.",
            "Le montant ne peut pas être négatif.",
            "The amount cannot be negative.",
            "ⴰⵣⴰⵍ ⵏ ⵉⴷⵔⵉⵎⵏ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴷⴷⴰⵡ ⵏ 0.",
        ),
        InvalidReason::TooManyDecimals => text(
            "لا يمكن أن يتضمن المبلغ أكثر من رقمين بعد الفاصلة.",
            "Le montant ne peut pas avoir plus de deux décimales.",
            "The amount cannot have more than two decimal places.",
            "ⴰⵣⴰⵍ ⵏ ⵉⴷⵔⵉⵎⵏ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵉⵟⵟⴼ ⵓⴳⴳⴰⵔ ⵏ ⵙⵉⵏ ⵡⵓⵟⵟⵓⵏⵏ ⴷⴼⴼⵉⵔ ⵜⴼⵔⴰⵢⵜ.",
        ),
        InvalidReason::EmptyFile => text("الملف فارغ.", "Le fichier est vide.", "The file is empty.", "ⴰⴼⴰⵢⵍⵓ ⴷ ⵉⵍⵎ."),
        InvalidReason::MissingFileName => text(
            "اسم الملف مفقود.",
            "Le nom du fichier est manquant.",
            "The file name is missing.",
            "ⵉⵙⵎ ⵏ ⵓⴼⴰⵢⵍⵓ ⵉⵅⵓⵚⵚ.",
        ),
        InvalidReason::InvalidChecksum => text(
            "بصمة SHA-256 للملف غير صحيحة.",
            "L'empreinte SHA-256 du fichier n'est pas valide.",
            "The SHA-256 digest of the file is not valid.",
            "ⵜⵉⵥⵕⵉ SHA-256 ⵏ ⵓⴼⴰⵢⵍⵓ ⵓⵔ ⵜⵚⵃⵉ.",
        ),
        InvalidReason::FileNameControl => text(
            "يحتوي اسم الملف على أحرف تحكم غير مسموح بها.",
            "Le nom du fichier contient des caractères de contrôle, non admis.",
            "The file name contains control characters, which are not allowed.",
            "ⵉⵙⵎ ⵏ ⵓⴼⴰⵢⵍⵓ ⵖⵓⵔⵙ ⵉⵙⴽⴽⵉⵍⵏ ⵏ ⵓⵙⵎⵓⵜⵜⴳ ⵓⵔ ⵉⵜⵜⵓⵙⵓⵔⴰⴳⵏ.",
        ),
        InvalidReason::TrackingCode => text(
            "رمز التتبع غير صحيح: الصيغة المطلوبة هي الرمز-السنة-الرقم، مثل OUJ-2026-000042.",
            "Code de suivi invalide : le format attendu est PRÉFIXE-AAAA-NNNNNN, par exemple OUJ-2026-000042.",
            "Invalid tracking code: the expected format is PREFIX-YYYY-NNNNNN, for example OUJ-2026-000042.",
            "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⴹⴼⴰⵔ ⵓⵔ ⵜⵚⵃⵉ: ⵜⴰⵍⵖⴰ ⵉⵜⵜⵓⵔⴰⵊⵓⵏ ⴷ ⴰⵣⵡⵉⵔ-ⴰⵙⴳⴳⵯⴰⵙ-ⵓⵟⵟⵓⵏ, ⴰⵎ OUJ-2026-000042.",
        ),
    }
}

/// `INVALID_DEFINITION` for a `pattern` rule that is not a valid regular expression
/// ([`DefinitionProblem::InvalidPattern`]): the one problem of a definition that validating data meets, so that
/// validation (in the SDK too) carries this message and not those of every other problem.
pub fn invalid_pattern() -> LocalizedText {
    text(
        "التعبير النمطي غير صالح.",
        "L'expression régulière n'est pas valide.",
        "The regular expression is not valid.",
        "ⵜⴰⵏⴼⴰⵍⵉⵜ ⵜⴰⵎⵣⵡⴰⵔⵓⵜ ⵓⵔ ⵜⵚⵃⵉ.",
    )
}

/// `INVALID_DEFINITION`: a mistake in a form definition, for the staff who write it.
pub fn invalid_definition(problem: &DefinitionProblem) -> LocalizedText {
    match problem {
        DefinitionProblem::KeyFormat(key) => text(
            format!(
                "المفتاح «{key}» غير صالح: يجب أن يبدأ بحرف لاتيني صغير، وألا يحتوي إلا على أحرف لاتينية صغيرة وأرقام وشرطات سفلية."
            ),
            format!(
                "La clé « {key} » n'est pas valide : elle doit commencer par une lettre minuscule et ne contenir que des minuscules, des chiffres et des tirets bas."
            ),
            format!(
                "The key “{key}” is not valid: it must start with a lowercase letter and contain only lowercase letters, digits and underscores."
            ),
            format!(
                "ⵜⴰⵙⴰⵔⵓⵜ « {key} » ⵓⵔ ⵜⵚⵃⵉ: ⵉⵍⴰⵇ ⴰⴷ ⵜⴱⴷⵓ ⵙ ⵓⵙⴽⴽⵉⵍ ⴰⵎⵛⵟⵓⵃ ⵏ ⵍⴰⵜⵉⵏ, ⵓⵔ ⵜⵟⵟⵉⴼ ⵖⴰⵙ ⵉⵙⴽⴽⵉⵍⵏ ⵉⵎⵛⵟⴰⵃ ⵏ ⵍⴰⵜⵉⵏ, ⵓⵟⵟⵓⵏⵏ ⴷ ⵉⵊⵔⵔⵉⴹⵏ ⵏ ⵡⴰⴷⴷⴰⵢ."
            ),
        ),
        DefinitionProblem::DuplicateKey(key) => text(
            format!("المفتاح «{key}» مستعمل في حقل آخر."),
            format!("La clé « {key} » est déjà utilisée par un autre champ."),
            format!("The key “{key}” is already used by another field."),
            format!("ⵜⴰⵙⴰⵔⵓⵜ « {key} » ⵜⵜⵓⵙⵎⵔⵙ ⴳ ⵢⴰⵏ ⵓⵏⵙⴰ ⵢⴰⴹⵏ."),
        ),
        DefinitionProblem::EmptyLabel => text(
            "يجب أن تكون للحقل تسمية.",
            "Le champ doit avoir un libellé.",
            "The field needs a label.",
            "ⴰⵏⵙⴰ ⵉⵍⴰⵇ ⴰⴷ ⵉⵙⵄⵓ ⴰⵣⵡⵍ.",
        ),
        DefinitionProblem::NoOptions => text(
            "يجب أن يقترح حقل الاختيار خيارًا واحدًا على الأقل.",
            "Un champ à choix doit proposer au moins une option.",
            "A choice field needs at least one option.",
            "ⴰⵏⵙⴰ ⵏ ⵓⵙⵜⴰⵢ ⵉⵍⴰⵇ ⴰⴷ ⵉⵙⵄⵓ ⵢⴰⵏ ⵓⵙⵜⴰⵢ ⵓⵍⴰ ⴷ ⴷⵔⵓⵙ.",
        ),
        DefinitionProblem::EmptyOptionValue => text(
            "لا يمكن أن تكون قيمة الخيار فارغة.",
            "La valeur d'une option ne peut pas être vide.",
            "An option's value cannot be empty.",
            "ⴰⵣⴰⵍ ⵏ ⵓⵙⵜⴰⵢ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴷ ⵉⵍⵎ.",
        ),
        DefinitionProblem::EmptyOptionLabel => text(
            "يجب أن تكون لكل خيار تسمية.",
            "Chaque option doit avoir un libellé.",
            "Every option needs a label.",
            "ⴽⵔⴰ ⵏ ⴰⵙⵜⴰⵢ ⵉⵍⴰⵇ ⴰⴷ ⵉⵙⵄⵓ ⴰⵣⵡⵍ.",
        ),
        DefinitionProblem::DuplicateOption(value) => text(
            format!("القيمة «{value}» مكررة في الخيارات."),
            format!("La valeur « {value} » figure plusieurs fois parmi les options."),
            format!("The value “{value}” appears more than once among the options."),
            format!("ⴰⵣⴰⵍ « {value} » ⵉⵜⵜⵓⵍⵙ ⴳⵔ ⵉⵙⵜⴰⵢⵏ."),
        ),
        DefinitionProblem::UnknownConditionField(field) => text(
            format!("يشير الشرط إلى حقل غير موجود: «{field}»."),
            format!("La condition porte sur un champ qui n'existe pas : « {field} »."),
            format!("The condition refers to a field that does not exist: “{field}”."),
            format!("ⵜⴰⵡⵜⵉⵍⵜ ⵜⵜⵜⵎⵓⵇⵇⵓⵍ ⴰⵏⵙⴰ ⵓⵔ ⵢⵍⵍⵉⵏ: « {field} »."),
        ),
        DefinitionProblem::SelfCondition => text(
            "لا يمكن أن يتعلق شرط الحقل بالحقل نفسه.",
            "La condition d'un champ ne peut pas porter sur ce champ lui-même.",
            "A field's condition cannot refer to the field itself.",
            "ⵜⴰⵡⵜⵉⵍⵜ ⵏ ⵓⵏⵙⴰ ⵓⵔ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵎⵓⵇⵇⵍ ⴰⵏⵙⴰ ⵏⵏⵙ.",
        ),
        DefinitionProblem::ConditionCycle => text(
            "شروط الإظهار تُكوِّن حلقة مغلقة بين عدة حقول.",
            "Les conditions d'affichage forment une boucle entre plusieurs champs.",
            "The visibility conditions form a loop between fields.",
            "ⵜⵉⵡⵜⵉⵍⵉⵏ ⵏ ⵓⵙⵎⵍ ⵙⵙⴽⴰⵔⵏⵜ ⵜⴰⵙⴳⴰ ⴳⵔ ⴽⵔⴰ ⵏ ⵢⵉⵏⵙⴰ.",
        ),
        DefinitionProblem::InvalidPattern => invalid_pattern(),
        DefinitionProblem::MinAboveMax => text(
            "لا يمكن أن يتجاوز الحد الأدنى الحد الأقصى.",
            "Le minimum ne peut pas dépasser le maximum.",
            "The minimum cannot exceed the maximum.",
            "ⴰⵎⴰⵃⴷⵓⴷ ⴰⴷⴷⴰⵢ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵉⵄⴷⴷⵉ ⴰⵎⴰⵃⴷⵓⴷ ⴰⴼⵍⵍⴰ.",
        ),
        DefinitionProblem::MinLengthAboveMaxLength => text(
            "لا يمكن أن يتجاوز الطول الأدنى الطول الأقصى.",
            "La longueur minimale ne peut pas dépasser la longueur maximale.",
            "The minimum length cannot exceed the maximum length.",
            "ⵜⵉⵖⵥⵉ ⵜⴰⴷⴷⴰⵢ ⵓⵔ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵄⴷⴷⵉ ⵜⵉⵖⵥⵉ ⵜⴰⴼⵍⵍⴰ.",
        ),
        DefinitionProblem::UnknownRuleField(field) => text(
            format!("تشير القاعدة إلى حقل غير موجود: «{field}»."),
            format!("La règle porte sur un champ qui n'existe pas : « {field} »."),
            format!("The rule refers to a field that does not exist: “{field}”."),
            format!("ⵜⴰⵏⴱⴹⴰⵜ ⵜⵜⵜⵎⵓⵇⵇⵓⵍ ⴰⵏⵙⴰ ⵓⵔ ⵢⵍⵍⵉⵏ: « {field} »."),
        ),
        DefinitionProblem::RuleFieldNotNumber(field) => text(
            format!("لا تنطبق القاعدة إلا على حقول الأعداد والمبالغ، و«{field}» ليس منها."),
            format!("Une règle ne porte que sur des nombres ou des montants ; « {field} » n'en est pas un."),
            format!("A rule applies to numbers and amounts only; “{field}” is neither."),
            format!("ⵜⴰⵏⴱⴹⴰⵜ ⵜⵜⵎⵓⵇⵇⴰⵍ ⵖⴰⵙ ⵉⵎⴹⴰⵏⵏ ⴷ ⵉⵎⵇⴷⴰⵔⵏ; « {field} » ⵓⵔ ⵉⴳⵉ ⴰⵢⴰ."),
        ),
        DefinitionProblem::SelfRule => text(
            "لا يمكن أن تقارن القاعدة الحقل بنفسه.",
            "Une règle ne peut pas comparer un champ à lui-même.",
            "A rule cannot compare a field with itself.",
            "ⵜⴰⵏⴱⴹⴰⵜ ⵓⵔ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵙⵎⵣⴰⵣⴰⵍ ⴰⵏⵙⴰ ⴷ ⵢⵉⵎⵉⵏ ⵏⵏⵙ.",
        ),
        DefinitionProblem::RuleBound => text(
            "يجب أن تحدد القاعدة إما قيمة ثابتة وإما حقلا آخر، لا الاثنين معا.",
            "Une règle donne soit une valeur, soit un autre champ, et pas les deux.",
            "A rule gives either a value or another field, not both.",
            "ⵜⴰⵏⴱⴹⴰⵜ ⵜⴼⴽⴰ ⵏⵖ ⴰⵣⴰⵍ ⵏⵖ ⴰⵏⵙⴰ ⵢⴰⴹⵏ, ⵓⵔ ⵜⴼⴽⵉ ⵙⵉⵏ.",
        ),
        DefinitionProblem::RuleWithoutBasis => text(
            "يجب أن تذكر القيمة الثابتة أساسها: نص قانوني أو إعداد من إعدادات الجماعة.",
            "Une valeur fixe doit citer sa source : un texte juridique, ou un paramètre de la commune.",
            "A fixed value must cite its basis: a legal text, or a setting of the commune.",
            "ⴰⵣⴰⵍ ⵓⵔ ⵉⵜⵜⵎⵏⴼⴰⵍⵏ ⵉⵍⴰⵇ ⴰⴷ ⵉⵙⵎⴷⵢ ⴰⵥⵓⵕ ⵏⵏⵙ: ⴰⴹⵔⵉⵙ ⴰⵏⵥⵎⴰⵢ, ⵏⵖ ⴰⵙⵖⵏⵓⵍ ⵏ ⵜⵎⵙⵎⵓⵏⵜ.",
        ),
    }
}

fn text(ar: impl Into<String>, fr: impl Into<String>, en: impl Into<String>, tzm: impl Into<String>) -> LocalizedText {
    LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm)
}

/// The forms an Arabic noun takes after a number.
struct ArabicNoun {
    /// Singular, also used after 100, 200, … (`100 حرف`).
    singular: &'static str,
    dual: &'static str,
    /// After 3 to 10 (`3 أحرف`).
    plural: &'static str,
    /// After 11 to 99, singular in the accusative (`20 حرفًا`).
    accusative: &'static str,
    /// The word for "one" that agrees with the noun's gender.
    one: &'static str,
}

const CHARACTER: ArabicNoun =
    ArabicNoun {
        singular: "حرف", dual: "حرفين", plural: "أحرف", accusative: "حرفًا", one: "واحد"
    };

const OPTION: ArabicNoun =
    ArabicNoun {
        singular: "خيار", dual: "خيارين", plural: "خيارات", accusative: "خيارًا", one: "واحد"
    };

/// The plural categories of Unicode's CLDR, which Arabic uses all six of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PluralCategory {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// CLDR's plural rule for Arabic (`ar`), on whole numbers: zero (0), one (1), two (2), few (n % 100 in 3..=10),
/// many (n % 100 in 11..=99), other (100, 101, 102, …). A test checks it against ICU4X's `icu_plurals`; the
/// SDK stays without that crate's tables.
fn arabic_category(n: u32) -> PluralCategory {
    match (n, n % 100) {
        (0, _) => PluralCategory::Zero,
        (1, _) => PluralCategory::One,
        (2, _) => PluralCategory::Two,
        (_, 3..=10) => PluralCategory::Few,
        (_, 11..=99) => PluralCategory::Many,
        _ => PluralCategory::Other,
    }
}

/// `n` things in Arabic, the noun agreeing with the number as the grammar asks for each plural category (in
/// the genitive position the messages put it in, after a preposition or a verbal noun).
fn arabic_count(n: u32, noun: &ArabicNoun) -> String {
    match arabic_category(n) {
        PluralCategory::One => format!("{} {}", noun.singular, noun.one),
        PluralCategory::Two => noun.dual.to_owned(),
        PluralCategory::Few => format!("{n} {}", noun.plural),
        PluralCategory::Many => format!("{n} {}", noun.accusative),
        PluralCategory::Zero | PluralCategory::Other => format!("{n} {}", noun.singular),
    }
}

/// The forms a Tamazight noun takes after a number: `ⵢⴰⵏ ⵓⵙⴽⴽⵉⵍ` (one, in the annexed state), `5 ⵏ ⵉⵙⴽⴽⵉⵍⵏ`
/// (a number, `ⵏ`, the plural).
struct TamazightNoun {
    one: &'static str,
    plural: &'static str,
}

const CHARACTER_TZM: TamazightNoun =
    TamazightNoun { one: "ⵢⴰⵏ ⵓⵙⴽⴽⵉⵍ", plural: "ⵉⵙⴽⴽⵉⵍⵏ" };

const OPTION_TZM: TamazightNoun = TamazightNoun { one: "ⵢⴰⵏ ⵓⵙⵜⴰⵢ", plural: "ⵉⵙⵜⴰⵢⵏ" };

fn tamazight_count(n: u32, noun: &TamazightNoun) -> String {
    if n == 1 { noun.one.to_owned() } else { format!("{n} ⵏ {}", noun.plural) }
}

/// French counts 0 and 1 in the singular.
fn french_plural(n: u32, singular: &'static str, plural: &'static str) -> &'static str {
    if n <= 1 { singular } else { plural }
}

fn english_plural(n: u32, singular: &'static str, plural: &'static str) -> &'static str {
    if n == 1 { singular } else { plural }
}

/// A number as people read it: no trailing `.0`, no exponent, and the locale's decimal separator.
fn number(x: f64, decimal_separator: char) -> String {
    positional(x).replace('.', &decimal_separator.to_string())
}

/// The shortest decimal that reads back as `x`, written out without an exponent, as `f64`'s `Display` writes it
/// (`0.0000001`, `100000000000000000000`) but `0` for `-0`. The digits come from zmij (serde_json's own float
/// writer): `f64`'s `Display` would link core's float formatting (14 KB of the SDK's module) for this alone.
fn positional(x: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let shortest = buffer.format(x);
    if !x.is_finite() {
        return shortest.to_owned();
    }
    // zmij writes `1.5`, `100.0`, `1e-7` or `-1.2345e20`: a mantissa, then an exponent of ten.
    let (negative, unsigned) = shortest.strip_prefix('-').map_or((false, shortest), |rest| (true, rest));
    let (mantissa, exponent) = unsigned.split_once('e').unwrap_or((unsigned, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    // Where the decimal point falls among `digits`, once the leading zeros are dropped.
    let significant = digits.trim_start_matches('0');
    let point = whole.len() as i64 + exponent - (digits.len() - significant.len()) as i64;
    let significant = significant.trim_end_matches('0');
    if significant.is_empty() {
        return "0".to_owned();
    }
    let count = significant.len() as i64;
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    let written = if point <= 0 {
        format!("0.{}{significant}", zeros(-point))
    } else if point >= count {
        format!("{significant}{}", zeros(point - count))
    } else {
        let (before, after) = significant.split_at(point as usize);
        format!("{before}.{after}")
    };
    if negative { format!("-{written}") } else { written }
}

/// The four locales' names of a document, falling back to whichever exists.
fn names(label: &LocalizedText) -> [&str; 4] {
    [label.get(Locale::Ar, &[]), label.get(Locale::Fr, &[]), label.get(Locale::En, &[]), label.get(Locale::Tzm, &[])]
}

/// A file size with the unit of the locale: `5 Mo`, `5 MB`, `5 ميغابايت`.
fn size(bytes: u64, locale: Locale) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (amount, units) = if bytes >= MIB {
        (bytes as f64 / MIB as f64, ["ميغابايت", "Mo", "MB", "MB"])
    } else if bytes >= KIB {
        (bytes as f64 / KIB as f64, ["كيلوبايت", "Ko", "KB", "KB"])
    } else {
        (bytes as f64, ["بايت", "octets", "bytes", "ⵉⴱⴰⵢⵜⵏ"])
    };
    let (unit, separator) = match locale {
        Locale::Ar => (units[0], ','),
        Locale::En => (units[2], '.'),
        Locale::Tzm => (units[3], ','),
        _ => (units[1], ','),
    };
    let rounded = (amount * 10.0).round() / 10.0;
    format!("{} {unit}", number(rounded, separator))
}

/// A short name for a media type: `PDF` for `application/pdf`; unknown types are shown as they are.
fn format_name(media_type: &str) -> &str {
    match media_type.trim().to_ascii_lowercase().as_str() {
        "application/pdf" => "PDF",
        "image/jpeg" | "image/jpg" => "JPEG",
        "image/png" => "PNG",
        "image/tiff" => "TIFF",
        "image/webp" => "WebP",
        "image/heic" => "HEIC",
        "application/zip" => "ZIP",
        _ => media_type.trim(),
    }
}

// The registers (courier, civil status, council, finance): the messages of their inputs and imported files.

/// `REQUIRED` of a register's field.
pub fn register_required() -> LocalizedText {
    text("إلزامي", "obligatoire", "required", "ⵉⵍⴰⵣⵎ")
}

/// `TOO_LONG` of a register's text: more than `max` characters.
pub fn register_too_long(max: usize) -> LocalizedText {
    text(
        "النص طويل جدا",
        format!("{max} caractères au plus"),
        format!("at most {max} characters"),
        format!("{max} ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵖⴰⵙ"),
    )
}

/// A courier department that does not parse.
pub fn invalid_department() -> LocalizedText {
    text(
        "رمز المصلحة غير صحيح",
        "un service s'écrit en 1 à 40 minuscules, chiffres, tirets ou soulignés",
        "a department is 1 to 40 lower-case letters, digits, dashes or underscores",
        "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵜⵏⴰⴼⵓⵜ ⵓⵔ ⵜⵚⵃⵉ",
    )
}

/// Mail dated after today.
pub fn mail_in_future() -> LocalizedText {
    text("تاريخ في المستقبل", "date future", "mail is registered once received or sent", "ⴰⵣⵎⵣ ⴳ ⵓⵎⵓⴷ ⴰⴷ ⵢⴰⵙⵏ")
}

/// A mail item due before its own date.
pub fn due_before_mail() -> LocalizedText {
    text(
        "أجل سابق لتاريخ المراسلة",
        "échéance antérieure au courrier",
        "due before the letter's date",
        "ⴰⵣⵎⵣ ⴰⵎⴳⴳⴰⵔⵓ ⵉⵣⵡⴰⵔ ⴰⵣⵎⵣ ⵏ ⵜⴱⵔⴰⵜ",
    )
}

/// A mail item names a tracking code that no request of the commune has.
pub fn unknown_request_code() -> LocalizedText {
    text(
        "لا يوجد أي طلب لدى الجماعة بهذا الرمز للتتبع",
        "aucune demande de la commune n'a ce code de suivi",
        "no request of the commune has this tracking code",
        "ⵓⵔ ⵜⵍⵍⵉ ⴽⵔⴰ ⵏ ⵜⵓⵜⵜⵔⴰ ⵏ ⵜⴳⵎⵓⵏⵜ ⵙ ⵜⵏⴳⴰⵍⵜ ⴰⴷ ⵏ ⵓⴹⴼⴼⵓⵔ",
    )
}

/// A mail item routed to the department that already holds it.
pub fn already_in_department() -> LocalizedText {
    text(
        "المراسلة موجودة في هذه المصلحة",
        "le courrier y est déjà",
        "the item is already there",
        "ⵜⴰⴱⵔⴰⵜ ⵜⵍⵍⴰ ⴷⵉⴳⵙ ⵢⴰⴷⵍⵍⵉ",
    )
}

/// A change of a mail item's follow-up that its state does not allow (`from` and `to` are the states' keys).
pub fn follow_up_refused(from: &str, to: &str) -> LocalizedText {
    text(
        "لا يمكن هذا التغيير في تتبع المراسلة",
        "ce changement de suivi n'est pas possible",
        format!("a {from} item cannot become {to}"),
        "ⴰⵙⵏⴼⵍ ⴰⴷ ⵏ ⵓⴹⴼⴼⵓⵔ ⵓⵔ ⵉⵣⵎⵉⵔ",
    )
}

/// A civil-status office code that does not parse.
pub fn invalid_office_code() -> LocalizedText {
    text(
        "رمز المكتب غير صحيح",
        "un code de bureau compte 1 à 16 lettres, chiffres ou tirets",
        "an office code is 1 to 16 letters, digits or dashes",
        "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⵙⴰⵔⵓ ⵓⵔ ⵜⵚⵃⵉ",
    )
}

/// A person's national id that is not valid for the commune's country (civil status).
pub fn national_id_not_valid() -> LocalizedText {
    text(
        "رقم البطاقة الوطنية غير صحيح",
        "numéro d'identité invalide",
        "not a valid national id",
        "ⵓⵟⵟⵓⵏ ⵏ ⵜⵎⴰⴳⵉⵜ ⵓⵔ ⵉⵚⵃⵉⵏ",
    )
}

/// A civil-status event after today.
pub fn event_in_future() -> LocalizedText {
    text(
        "لا يمكن أن يكون التاريخ في المستقبل",
        "l'événement ne peut être futur",
        "the event cannot be in the future",
        "ⴰⵣⵎⵣ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴳ ⵓⵎⵓⴷ ⴰⴷ ⵢⴰⵙⵏ",
    )
}

/// An act declared after the legal period (`days`, cited by `source`) without the judgment it then needs.
pub fn late_declaration(days: u64, source: &str) -> LocalizedText {
    text(
        format!(
            "تم التصريح بعد أكثر من {days} يوما من الواقعة: لا يسجل الرسم إلا بناء على حكم قضائي يجب ذكر مرجعه (القانون رقم 36.21 المتعلق بالحالة المدنية)"
        ),
        format!(
            "déclaration faite plus de {days} jours après l'événement : l'acte n'est inscrit que sur jugement, dont la référence est requise ({source})"
        ),
        format!(
            "declared more than {days} days after the event: the act is registered on a court's judgment, whose reference is required ({source})"
        ),
        format!(
            "ⴰⵙⵍⵖⵓ ⵉⵜⵜⵓⴳⴰ ⴷⴼⴼⵉⵔ {days} ⵏ ⵡⵓⵙⵙⴰⵏ ⵙⴳ ⵜⵎⵙⴰⵔⵜ: ⴰⵣⵎⵎⴻⵎ ⵓⵔ ⵉⵜⵜⵓⵙⵏⵎⴰⵍ ⵖⴰⵙ ⵙ ⵓⵙⵖⵉⵡⵙ ⵏ ⵓⵙⵏⵙⵍ, ⵉⵍⴰⵣⵎ ⵓⵙⵎⴰⵍ ⵏⵏⵙ ({source})"
        ),
    )
}

/// A rectification without the reference of the judgment that orders it.
pub fn rectification_without_judgment() -> LocalizedText {
    text(
        "يجب ذكر مرجع الحكم",
        "une rectification cite le jugement qui l'ordonne",
        "a rectification names the judgment that orders it",
        "ⵉⵍⴰⵣⵎ ⵓⵙⵎⴰⵍ ⵏ ⵓⵙⵖⵉⵡⵙ",
    )
}

/// A mention's date that cannot be (after today, or a century before the act).
pub fn implausible_date() -> LocalizedText {
    text("تاريخ غير صحيح", "date invraisemblable", "not a plausible date", "ⴰⵣⵎⵣ ⵓⵔ ⵉⵚⵃⵉⵏ")
}

/// A date as known (a birth date of long ago) that is none of `YYYY`, `YYYY-MM`, `YYYY-MM-DD`.
pub fn invalid_date_as_known() -> LocalizedText {
    text(
        "تاريخ كما هو معروف: YYYY أو YYYY-MM أو YYYY-MM-DD",
        "date : AAAA, AAAA-MM ou AAAA-MM-JJ",
        "a date as known: YYYY, YYYY-MM or YYYY-MM-DD",
        "ⴰⵣⵎⵣ ⵎⴰⵎⴽ ⵉⵜⵜⵓⵙⵙⴰⵏ: YYYY, YYYY-MM ⵏⵖ YYYY-MM-DD",
    )
}

/// A time of day that is not `HH:MM`.
pub fn invalid_time_of_day() -> LocalizedText {
    text("يكتب الوقت بالشكل HH:MM", "une heure s'écrit HH:MM", "a time is HH:MM", "ⴰⴽⵓⴷ ⵉⵜⵜⵓⵢⴰⵔⴰ ⵙ HH:MM")
}

/// An ordinary council session outside the ordinary months (`months`: their numbers, comma-separated).
pub fn ordinary_session_months(months: &str) -> LocalizedText {
    text(
        format!("تنعقد الدورات العادية للمجلس في الأشهر: {months}."),
        format!("Les sessions ordinaires du conseil se tiennent aux mois {months}."),
        format!("Ordinary council sessions are held in months {months}."),
        format!("ⵜⵉⵎⵓⵏⵉⵡⵉⵏ ⵜⵉⵎⴰⴳⴰⵏⵉⵏ ⵏ ⵓⵙⵇⵇⵉⵎ ⵜⵜⵉⵍⵉⵏⵜ ⴳ ⵉⵢⵢⵉⵔⵏ: {months}."),
    )
}

/// What is wrong with a cell of an imported budget file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BudgetCell {
    /// An empty cell of a column the line needs.
    Required,
    /// A negative or oversized amount.
    AmountOutOfBounds,
    /// An amount that is not a decimal number.
    InvalidAmount,
    /// A kind other than expense or revenue.
    Kind,
    /// A budget code that is not digits only.
    Code,
    /// A label over 300 characters.
    LabelTooLong,
    /// A revenue type that is not lowercase letters and `_`.
    RevenueType,
    /// A cell of a column that the line's kind does not have.
    NotForKind,
    /// Commitments above the appropriation.
    CommitmentsExceed,
    /// Payments above the commitments.
    PaymentsExceed,
}

/// The message of a bad cell of an imported budget file.
pub fn budget_cell(problem: BudgetCell) -> LocalizedText {
    match problem {
        BudgetCell::Required => text(
            "هذه الخانة إلزامية.",
            "Cette colonne est obligatoire.",
            "This column is required.",
            "ⵜⴰⴳⵊⴷⵉⵜ ⴰⴷ ⵉⵍⴰⵣⵎ.",
        ),
        BudgetCell::AmountOutOfBounds => text(
            "المبلغ لا يكون سالبا ولا مفرطا.",
            "Le montant ne peut être négatif ni démesuré.",
            "The amount cannot be negative or out of bounds.",
            "ⴰⵎⵇⵇⵓⵔ ⵏ ⵉⴷⵔⵉⵎⵏ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴷⴷⴰⵡ ⵏ 0 ⵏⵖ ⵉⵣⵔⵉ ⵜⵉⵍⵉⵙⴰ.",
        ),
        BudgetCell::InvalidAmount => text(
            "مبلغ غير صالح (مثال: 1250000.50).",
            "Montant invalide (exemple : 1250000.50).",
            "Invalid amount (example: 1250000.50).",
            "ⴰⵎⵇⵇⵓⵔ ⵏ ⵉⴷⵔⵉⵎⵏ ⵓⵔ ⵉⵚⵃⵉⵏ (ⴰⵎ 1250000.50).",
        ),
        BudgetCell::Kind => text(
            "النوع: expense أو revenue.",
            "Le type est expense ou revenue.",
            "The kind is expense or revenue.",
            "ⴰⵏⴰⵡ ⵉⴳⴰ expense ⵏⵖ revenue.",
        ),
        BudgetCell::Code => text(
            "رمز الميزانية أرقام فقط (12 على الأكثر).",
            "Un code budgétaire est fait de chiffres (12 au plus).",
            "A budget code is digits only (at most 12).",
            "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵜⵙⵏⴰⵎⵓⵔⵜ ⴷ ⵉⵏⴰⵎⴰⵏ ⵖⴰⵙ (12 ⵎⴰⵃⴷ).",
        ),
        BudgetCell::LabelTooLong => text(
            "النص طويل جدا (300 حرف على الأكثر).",
            "Libellé trop long (300 caractères au plus).",
            "Label too long (300 characters at most).",
            "ⴰⵣⵡⵍ ⵉⵖⵣⵣⵉⴼ ⴰⴽⵯ (300 ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵖⴰⵙ).",
        ),
        BudgetCell::RevenueType => text(
            "نوع المداخيل حروف لاتينية صغيرة و _ (مثال: local_taxes).",
            "Le type de recette s'écrit en minuscules et _ (exemple : local_taxes).",
            "A revenue type is lowercase letters and _ (example: local_taxes).",
            "ⴰⵏⴰⵡ ⵏ ⵜⵙⵓⴼⵖⴰ ⵉⵜⵜⵓⵢⴰⵔⴰ ⵙ ⵉⵙⴽⴽⵉⵍⵏ ⵉⵎⵥⵥⵢⴰⵏⵏ ⴷ _ (ⴰⵎ local_taxes).",
        ),
        BudgetCell::NotForKind => text(
            "هذه الخانة لا تخص هذا النوع من السطور.",
            "Cette colonne ne concerne pas ce type de ligne.",
            "This column does not apply to this kind of line.",
            "ⵜⴰⴳⵊⴷⵉⵜ ⴰⴷ ⵓⵔ ⵜⵍⵍⵉ ⵉ ⵓⵏⴰⵡ ⴰⴷ ⵏ ⵉⵣⵔⵉⵔⵉⴳ.",
        ),
        BudgetCell::CommitmentsExceed => text(
            "الالتزامات تفوق الاعتمادات.",
            "Les engagements dépassent les crédits.",
            "Commitments exceed the appropriation.",
            "ⵉⵎⵙⵜⵉⵏⵏ ⵣⵔⵉⵏ ⵉⵙⵍⵍⵓⴼⵏ.",
        ),
        BudgetCell::PaymentsExceed => text(
            "الأداءات تفوق الالتزامات.",
            "Les paiements dépassent les engagements.",
            "Payments exceed commitments.",
            "ⵉⵅⵍⵍⵚⵏ ⵣⵔⵉⵏ ⵉⵎⵙⵜⵉⵏⵏ.",
        ),
    }
}

/// A national id that is not one of the commune's country, for a petition's signature.
pub fn signer_national_id() -> LocalizedText {
    text(
        "رقم البطاقة الوطنية غير صالح.",
        "Numéro d'identité nationale invalide.",
        "Invalid national identity number.",
        "ⵓⵟⵟⵓⵏ ⵏ ⵜⵎⴰⴳⵉⵜ ⵜⴰⵖⵍⴰⵏⵜ ⵓⵔ ⵉⵚⵃⵉⵏ.",
    )
}

/// A signer's full name outside 3 to 120 characters.
pub fn signer_name_length() -> LocalizedText {
    text(
        "الاسم الكامل بين 3 و120 حرفا.",
        "Le nom complet compte entre 3 et 120 caractères.",
        "The full name has 3 to 120 characters.",
        "ⵉⵙⵎ ⴰⵙⵎⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴳⵔ 3 ⴷ 120 ⵏ ⵉⵙⴽⴽⵉⵍⵏ.",
    )
}

/// A second signature of a petition with the same national id.
pub fn already_signed() -> LocalizedText {
    text(
        "سبق لصاحب هذه البطاقة الوطنية أن وقع هذه العريضة.",
        "Cette pétition a déjà été signée avec ce numéro d'identité.",
        "This petition has already been signed with this national identity number.",
        "ⵜⴰⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ ⴰⴷ ⵜⵜⵓⵙⵎⴰⵍ ⵙ ⵓⵟⵟⵓⵏ ⴰⴷ ⵏ ⵜⵎⴰⴳⵉⵜ.",
    )
}

/// An item that is not on the commune's proactive-publication list.
pub fn not_on_publication_list() -> LocalizedText {
    text(
        "هذه الوثيقة ليست في لائحة النشر الاستباقي للجماعة.",
        "Ce document ne figure pas dans la liste de publication proactive de la commune.",
        "This item is not on the commune's proactive-publication list.",
        "ⴰⵙⵉⵎⵍ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵜⵍⴳⴰⵎⵜ ⵏ ⵓⵙⵙⵓⴼⵖ ⴰⵎⵣⵡⴰⵔⵓ ⵏ ⵜⵎⵙⵎⵓⵏⵜ.",
    )
}

/// A webhook's address that is not an http:// or https:// URL.
pub fn webhook_url() -> LocalizedText {
    text(
        "يُنتظر عنوان URL يبدأ بـ http:// أو https://.",
        "Une URL http:// ou https:// est attendue.",
        "An http:// or https:// URL is expected.",
        "ⵉⵜⵜⵓⵔⴰⵊⵓ ⵓⵏⵙⴰ URL ⵙ http:// ⵏⵖ https://.",
    )
}

/// A webhook's event that the outbox does not have: `kinds`, its names.
pub fn unknown_webhook_event(kinds: &[&str]) -> LocalizedText {
    let (last, first) = kinds.split_last().map_or((&"", &[][..]), |(last, first)| (last, first));
    let first = first.join(", ");
    text(
        format!("حدث غير معروف: {} أو {last}.", first.replace(", ", " أو ")),
        format!("Événement inconnu : {first} ou {last}."),
        format!("Unknown event: {first} or {last}."),
        format!("ⴰⵎⵢⴰⵡⴰⴹ ⵓⵔ ⵉⵜⵜⵓⵙⵙⵏ: {first} ⵏⵖ {last}."),
    )
}

/// An SMTP relay's host that is not a host name.
pub fn smtp_host() -> LocalizedText {
    text("يُنتظر اسم خادم.", "Un nom d'hôte est attendu.", "A host name is expected.", "ⵉⵜⵜⵓⵔⴰⵊⵓ ⵢⵉⵙⵎ ⵏ ⵓⵙⵏⴼⴰⵔ.")
}

/// An SMTP relay's port of 0.
pub fn smtp_port() -> LocalizedText {
    text("يُنتظر رقم منفذ.", "Un port est attendu.", "A port is expected.", "ⵉⵜⵜⵓⵔⴰⵊⵓ ⵓⵟⵟⵓⵏ ⵏ ⵜⵡⵡⵓⵔⵜ (port).")
}

/// A rating outside 1 to 5.
pub fn rating_range() -> LocalizedText {
    text(
        "التقييم عدد من 1 إلى 5.",
        "La note est un nombre de 1 à 5.",
        "The rating is a number from 1 to 5.",
        "ⴰⵙⵏⵇⴷ ⵉⴳⴰ ⴰⵎⴹⴰⵏ ⵙⴳ 1 ⴰⵔ 5.",
    )
}

/// A login that is not 3 to 64 letters, digits, dots, dashes, underscores or @.
pub fn login_format() -> LocalizedText {
    text(
        "من 3 إلى 64 حرفا أو رقما أو نقطة أو شرطة أو شرطة سفلية أو @، تبدأ بحرف أو رقم",
        "3 à 64 lettres, chiffres, points, tirets, soulignés ou @, commençant par une lettre ou un chiffre",
        "3 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit",
        "ⵙⴳ 3 ⴰⵔ 64 ⵏ ⵉⵙⴽⴽⵉⵍⵏ, ⵓⵟⵟⵓⵏⵏ, ⵜⵉⵏⵇⵇⵉⴹⵉⵏ, ⵉⵊⵔⵔⵉⴹⵏ ⵏⵖ @, ⴰⴷ ⴱⴷⵓⵏ ⵙ ⵓⵙⴽⴽⵉⵍ ⵏⵖ ⵓⵟⵟⵓⵏ",
    )
}

/// A password shorter than `min_chars` characters or longer than `max_bytes` bytes.
pub fn password_length(min_chars: usize, max_bytes: usize) -> LocalizedText {
    text(
        format!("بين {min_chars} حرفا و{max_bytes} بايت"),
        format!("entre {min_chars} caractères et {max_bytes} octets"),
        format!("between {min_chars} characters and {max_bytes} bytes"),
        format!("ⴳⵔ {min_chars} ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⴷ {max_bytes} ⵏ ⵉⴱⴰⵢⵜⵏ"),
    )
}

/// A display name outside 1 to 200 characters.
pub fn display_name_length() -> LocalizedText {
    text(
        "اسم من 1 إلى 200 حرف",
        "un nom de 1 à 200 caractères",
        "a name of 1 to 200 characters",
        "ⵉⵙⵎ ⵙⴳ 1 ⴰⵔ 200 ⵏ ⵉⵙⴽⴽⵉⵍⵏ",
    )
}

/// Roles the commune does not have (`listed`: their keys, comma-separated).
pub fn unknown_roles(listed: &str) -> LocalizedText {
    text(
        format!("دور أو أكثر من أدوار الجماعة ({listed} غير معروف)"),
        format!("un ou plusieurs rôles de la commune ({listed} inconnus)"),
        format!("one or more roles of the commune ({listed} unknown)"),
        format!("ⵢⴰⵏ ⵏⵖ ⵓⴳⴳⴰⵔ ⵙⴳ ⵉⵎⵓⵔⴰ ⵏ ⵜⵎⵙⵎⵓⵏⵜ ({listed} ⵓⵔ ⵜⵜⵓⵙⵙⵏⵏ)"),
    )
}

/// A token's expiry that is not in the future.
pub fn expiry_in_past() -> LocalizedText {
    text(
        "يجب أن يكون تاريخ الانتهاء في المستقبل",
        "l'expiration doit être dans le futur",
        "the expiry must be in the future",
        "ⴰⵣⵎⵣ ⵏ ⵜⵉⴳⵉⵔⴰ ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⴳ ⵓⵎⵓⴷⴷⵓ ⴷ ⵉⴷⴷⴰⵏ",
    )
}

/// A service this commune does not offer, named by a submission.
pub fn service_not_offered() -> LocalizedText {
    text(
        "هذه الخدمة غير متوفرة لدى هذه الجماعة.",
        "Ce service n'est pas proposé par cette commune.",
        "This commune offers no such service.",
        "ⵜⴰⵎⵙⵎⵓⵏⵜ ⴰⴷ ⵓⵔ ⵜⵜⴰⴽⴽⴰ ⵜⴰⵏⴰⴼⵓⵜ ⴰⴷ.",
    )
}

/// A tracking code to look up that is not one.
pub fn tracking_code_to_follow() -> LocalizedText {
    text(
        "رقم التتبع غير صالح (مثال: OUJ-2026-000042).",
        "Code de suivi invalide (exemple : OUJ-2026-000042).",
        "Invalid tracking code (example: OUJ-2026-000042).",
        "ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⴹⴼⴼⵓⵔ ⵓⵔ ⵜⵚⵃⵉ (ⴰⵎ OUJ-2026-000042).",
    )
}

/// A file named `.claimed` whose content is of type `detected`.
pub fn file_name_claims_other_type(claimed: &str, detected: &str) -> LocalizedText {
    text(
        format!("اسم الملف ينتهي بـ .{claimed} لكن محتواه من نوع {detected}."),
        format!("Le nom du fichier finit par .{claimed}, mais son contenu est de type {detected}."),
        format!("The file is named .{claimed} but its content is {detected}."),
        format!("ⵉⵙⵎ ⵏ ⵓⴼⴰⵢⵍⵓ ⵉⴽⵎⵎⵍ ⵙ .{claimed}, ⵎⴰⵛⴰ ⵜⴰⴳⵓⵜ ⵏⵏⵙ ⵜⴳⴰ {detected}."),
    )
}

/// A fee in another currency than the commune's (`currency`).
pub fn fee_currency(currency: &str) -> LocalizedText {
    text(
        format!("تؤدى الرسوم بعملة الجماعة، {currency}"),
        format!("les droits sont dans la monnaie de la commune, {currency}"),
        format!("fees are in the commune's currency, {currency}"),
        format!("ⵉⵣⵔⴼⴰⵏ ⵜⵜⵓⵅⵍⵍⴰⵚⵏ ⵙ ⵜⴰⴷⵔⵉⵎⵜ ⵏ ⵜⵎⵙⵎⵓⵏⵜ, {currency}"),
    )
}

/// Following a request needs its tracking code and secret, or its id.
pub fn tracking_code_and_secret_or_id() -> LocalizedText {
    text(
        "أدخلوا رقم التتبع والرمز السري، أو المعرف",
        "donnez trackingCode et secret, ou id",
        "give trackingCode and secret, or id",
        "ⵙⴽⵛⵎ trackingCode ⴷ secret, ⵏⵖ id",
    )
}

/// An idempotency key that is not 16 to 128 of A-Za-z0-9-_.:.
pub fn invalid_idempotency_key() -> LocalizedText {
    text(
        "مفتاح عدم التكرار غير صالح: من 16 إلى 128 حرفًا (حروف لاتينية وأرقام و - _ . :).",
        "Clé d'idempotence invalide : de 16 à 128 caractères (lettres latines, chiffres, - _ . :).",
        "Invalid idempotency key: 16 to 128 characters (Latin letters, digits, - _ . :).",
        "ⵜⴰⵙⴰⵔⵓⵜ ⵏ ⵓⵙⵏⴰⵍⵙ ⵓⵔ ⵜⵚⵃⵉ: ⵙⴳ 16 ⴰⵔ 128 ⵏ ⵉⵙⴽⴽⵉⵍⵏ (a-z, 0-9, - _ . :).",
    )
}

/// A look-up of requests by a field other than a national id, a phone or an e-mail.
pub fn lookup_field() -> LocalizedText {
    text(
        "ابحث برقم البطاقة الوطنية (cin) أو الهاتف (phone) أو البريد الإلكتروني (email)",
        "recherche par cin, phone ou email",
        "search by cin, phone or email",
        "ⵔⵣⵓ ⵙ cin, phone ⵏⵖ email",
    )
}

/// A looked-up value that is not one of its field (a national id, a phone).
pub fn lookup_value() -> LocalizedText {
    text(
        "قيمة غير صالحة لهذا الحقل",
        "valeur invalide pour ce champ",
        "not a valid value for this field",
        "ⴰⵜⵉⴳ ⵓⵔ ⵉⵚⵃⵉⵏ ⵉ ⵓⵏⵙⴰ ⴰⴷ",
    )
}

/// What is wrong with a multipart submission (a submission with its files).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MultipartProblem {
    /// A body that is not readable multipart.
    UnreadableBody,
    /// A part that could not be read (too large, or cut).
    UnreadablePart,
    /// A file part without a file name.
    FileWithoutName,
    TooManyFiles,
    /// No part named `submission`.
    NoSubmission,
}

/// The message of a problem of a multipart submission.
pub fn multipart_problem(problem: MultipartProblem) -> LocalizedText {
    match problem {
        MultipartProblem::UnreadableBody => text(
            "محتوى multipart غير مقروء",
            "corps multipart illisible",
            "not a readable multipart body",
            "ⴰⴳⵔⴰⵡ multipart ⵓⵔ ⵉⵜⵜⵓⵖⵔⴰ",
        ),
        MultipartProblem::UnreadablePart => text(
            "تعذرت قراءة هذا الجزء (كبير جدا؟)",
            "partie illisible (trop grande ?)",
            "the part could not be read (too large?)",
            "ⴰⵃⵟⵟⵓ ⵓⵔ ⵉⵜⵜⵓⵖⵔⴰ (ⵉⵎⵇⵇⵓⵔ ⴰⴽⵯ?)",
        ),
        MultipartProblem::FileWithoutName => text(
            "يجب أن يكون للملف اسم",
            "une pièce doit avoir un nom de fichier",
            "a file part needs a file name",
            "ⴰⴼⴰⵢⵍⵓ ⵉⵍⴰⵇ ⵉⵙⵎ",
        ),
        MultipartProblem::TooManyFiles => {
            text("عدد الملفات كبير جدا", "trop de fichiers", "too many files", "ⴰⵟⵟⴰⵚ ⵏ ⵉⴼⴰⵢⵍⵓⵜⵏ")
        }
        MultipartProblem::NoSubmission => text(
            "الجزء `submission` مفقود",
            "la partie `submission` manque",
            "the part `submission` is missing",
            "ⴰⵃⵟⵟⵓ `submission` ⵓⵔ ⵉⵍⵍⵉ",
        ),
    }
}

/// A `submission` part that is not a submission (`detail`: the parser's words, in English).
pub fn not_a_submission(detail: &str) -> LocalizedText {
    text(
        format!("الجزء `submission` ليس طلبا: {detail}"),
        format!("la partie `submission` n'est pas une demande : {detail}"),
        format!("not a submission: {detail}"),
        format!("ⴰⵃⵟⵟⵓ `submission` ⵓⵔ ⵉⴳⵉ ⴰⵙⵓⵜⵔ: {detail}"),
    )
}

/// An input that names both or neither of two exclusive arguments (`one`, `other`: their names).
pub fn exactly_one_of(one: &str, other: &str) -> LocalizedText {
    text(
        format!("اذكروا واحدا فقط من `{one}` و`{other}`"),
        format!("indiquez exactement l'un de `{one}` et `{other}`"),
        format!("name exactly one of `{one}` and `{other}`"),
        format!("ⵎⵍ ⵢⴰⵏ ⵖⴰⵙ ⴳ `{one}` ⴷ `{other}`"),
    )
}

/// A value refused by a parser or a rule whose own words (`detail`, in English) name the problem.
pub fn invalid_detail(detail: &str) -> LocalizedText {
    text(
        format!("قيمة غير صالحة: {detail}"),
        format!("valeur invalide : {detail}"),
        format!("invalid value: {detail}"),
        format!("ⴰⵜⵉⴳ ⵓⵔ ⵉⵚⵃⵉⵏ: {detail}"),
    )
}

/// A commune configuration refused by a check whose own words (`detail`, in English) name the problem.
pub fn definition_detail(detail: &str) -> LocalizedText {
    text(
        format!("إعداد غير صالح: {detail}"),
        format!("configuration invalide : {detail}"),
        format!("invalid configuration: {detail}"),
        format!("ⴰⵙⵡⵓⴷⴷⵓ ⵓⵔ ⵉⵚⵃⵉⵏ: {detail}"),
    )
}

/// What is wrong with a service's definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceProblem {
    /// A code that is not 2 to 64 lowercase letters, digits and hyphens.
    CodeFormat,
    NoName,
    NoChannel,
    DuplicateDocument,
    NoFormats,
    /// A document's maximum size of zero.
    SizeNotPositive,
    NegativeFee,
    /// A fee's currency that is not an ISO 4217 code.
    CurrencyCode,
    /// A silence rule with legal effect and no workflow timer at the legal deadline.
    SilenceWithoutTimer,
    /// An action's guard reading a personal (sealed) field.
    GuardReadsPersonal,
    /// A state's SLA longer than the procedure's deadline.
    SlaBeyondDeadline,
    /// A guard reading `action.field` where that action has no staff form with that field.
    GuardUnknownStaffField,
}

/// The message of a problem of a service's definition.
pub fn service_problem(problem: ServiceProblem) -> LocalizedText {
    match problem {
        ServiceProblem::CodeFormat => text(
            "من 2 إلى 64 حرفا لاتينيا صغيرا أو رقما أو شرطة",
            "2 à 64 minuscules, chiffres et tirets",
            "2–64 lowercase letters, digits and hyphens",
            "ⵙⴳ 2 ⴰⵔ 64 ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵉⵎⵥⵥⵢⴰⵏⵏ, ⵓⵟⵟⵓⵏⵏ ⴷ ⵉⵊⵔⵔⵉⴹⵏ",
        ),
        ServiceProblem::NoName => {
            text("يجب أن يكون للخدمة اسم", "un service doit avoir un nom", "a service needs a name", "ⵜⴰⵏⴰⴼⵓⵜ ⵜⵍⴰⵇ ⵉⵙⵎ")
        }
        ServiceProblem::NoChannel => text(
            "يجب أن تكون للخدمة قناة واحدة على الأقل",
            "un service doit avoir au moins un canal",
            "a service needs at least one channel",
            "ⵜⴰⵏⴰⴼⵓⵜ ⵜⵍⴰⵇ ⵢⴰⵏ ⵓⴱⵔⵉⴷ ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ",
        ),
        ServiceProblem::DuplicateDocument => text(
            "نوع وثيقة مكرر",
            "type de document en double",
            "duplicate document type",
            "ⴰⵏⴰⵡ ⵏ ⵜⵡⵔⵇⵇⵉⵜ ⵉⵜⵜⵓⵙⵏⵖⵍ ⵙⵉⵏ ⵏ ⵜⵉⴽⴽⴰⵍ",
        ),
        ServiceProblem::NoFormats => text(
            "اذكروا الصيغ المقبولة",
            "indiquez les formats acceptés",
            "list the accepted formats",
            "ⵎⵍ ⵜⵉⵍⵖⴰⵡⵉⵏ ⵉⵜⵜⵓⵇⴱⴰⵍⵏ",
        ),
        ServiceProblem::SizeNotPositive => {
            text("يجب أن يكون موجبا", "doit être positif", "must be positive", "ⵉⵍⴰⵇ ⴰⴷ ⵢⵉⵍⵉ ⵓⴳⴳⴰⵔ ⵏ 0")
        }
        ServiceProblem::NegativeFee => text(
            "لا يمكن أن يكون الرسم سالبا",
            "un droit ne peut être négatif",
            "a fee cannot be negative",
            "ⴰⵣⵔⴼ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴷⴷⴰⵡ ⵏ 0",
        ),
        ServiceProblem::CurrencyCode => {
            text("رمز ISO 4217", "un code ISO 4217", "an ISO 4217 code", "ⵜⴰⵏⴳⴰⵍⵜ ISO 4217")
        }
        ServiceProblem::SilenceWithoutTimer => text(
            "قاعدة السكوت ذات الأثر القانوني تحتاج مؤقتا في المسار عند انقضاء الأجل القانوني",
            "une règle de silence doit être appliquée par un minuteur à l'échéance légale",
            "a silence rule with legal effect needs a workflow timer at the legal deadline",
            "ⵜⴰⵍⵖⴰ ⵏ ⵓⵙⵙⵓⵙⵎ ⵙ ⵓⵙⵉⴷⴷ ⴰⵣⵔⴼⴰⵏ ⵜⵍⴰⵇ ⴰⵎⵙⵙⴽⵓⴷ ⴳ ⵓⴱⵔⵉⴷ ⴳ ⵜⵉⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ ⴰⵣⵔⴼⴰⵏ",
        ),
        ServiceProblem::GuardReadsPersonal => text(
            "لا يمكن للشرط أن يقرأ المعطيات الشخصية (فهي مشفرة)",
            "une condition ne peut lire des données personnelles (elles sont chiffrées)",
            "a guard may not read personal fields (they are sealed)",
            "ⵜⴰⵡⵜⵉⵍⵜ ⵓⵔ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵖⵔ ⵉⵙⴼⴽⴰ ⵉⵏⵎⵣⵡⴰⵔⵓⵜⵏ (ⵜⵜⵓⵣⵎⵎⵓⵎⵏ)",
        ),
        ServiceProblem::SlaBeyondDeadline => text(
            "أجل المرحلة يتجاوز الأجل القانوني للمسطرة",
            "le délai de l'étape dépasse le délai légal de la procédure",
            "the step's SLA is longer than the procedure's legal deadline",
            "ⴰⵣⵎⵣ ⵏ ⵜⴼⵔⴽⵜ ⵉⵣⵔⵉ ⴰⵣⵎⵣ ⴰⵣⵔⴼⴰⵏ ⵏ ⵜⵎⵀⵍⵜ",
        ),
        ServiceProblem::GuardUnknownStaffField => text(
            "يقرأ الشرط خانة لا توجد في استمارة هذا الإجراء",
            "la condition lit un champ absent du formulaire de cette action",
            "the guard reads a field that this action's staff form does not have",
            "ⵜⴰⵡⵜⵉⵍⵜ ⵜⵖⵔⴰ ⴰⵙⵏⵎⴰⵍ ⵓⵔ ⵉⵍⵍⵉⵏ ⴳ ⵜⴰⴼⵔⵖⵓⵏⵜ ⵏ ⵜⵉⴳⴰⵡⵜ ⴰ",
        ),
    }
}

/// What is wrong with a complaint procedure's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ComplaintProblem {
    NoSuchField,
    WrongFieldType,
    /// A field shown to the public that is personal.
    ShownPersonal,
    /// A contact field that is not personal.
    ContactNotPersonal,
    NoAnsweredState,
    NoSuchState,
    /// A reminder outside the answer period.
    ReminderOutsidePeriod,
}

/// The message of a problem of a complaint procedure's settings.
pub fn complaint_problem(problem: ComplaintProblem) -> LocalizedText {
    match problem {
        ComplaintProblem::NoSuchField => text(
            "هذا الحقل غير موجود في الاستمارة",
            "ce champ n'existe pas dans le formulaire",
            "no such form field",
            "ⴰⵏⵙⴰ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵜⴼⵔⵉⵙⵜ",
        ),
        ComplaintProblem::WrongFieldType => text(
            "نوع هذا الحقل غير مناسب",
            "le champ n'a pas le bon type",
            "the form field has the wrong type",
            "ⴰⵏⴰⵡ ⵏ ⵓⵏⵙⴰ ⴰⴷ ⵓⵔ ⵉⵎⵙⴰⵙⴰ",
        ),
        ComplaintProblem::ShownPersonal => text(
            "لا يمكن أن يكون الحقل المعروض على العموم شخصيا",
            "un champ montré au public ne peut être personnel",
            "a field shown to the public may not be personal",
            "ⴰⵏⵙⴰ ⵉⵜⵜⵓⵙⵎⴰⵍⴰⵏ ⵉ ⵎⴰⵕⵕⴰ ⵓⵔ ⵉⵣⵎⵎⵔ ⴰⴷ ⵢⵉⵍⵉ ⴷ ⴰⵏⵎⵣⵡⴰⵔⵓ",
        ),
        ComplaintProblem::ContactNotPersonal => text(
            "يجب أن تكون معلومات الاتصال حقولا شخصية",
            "les coordonnées doivent être des champs personnels",
            "contact details must be personal fields",
            "ⵉⵙⴼⴽⴰ ⵏ ⵓⵎⵢⴰⵡⴰⴹ ⵉⵍⴰⵇ ⴰⴷ ⵉⵍⵉⵏ ⴷ ⵉⵏⵙⴰ ⵉⵏⵎⵣⵡⴰⵔⵓⵜⵏ",
        ),
        ComplaintProblem::NoAnsweredState => text(
            "اذكروا حالة واحدة على الأقل",
            "indiquez au moins un état",
            "name at least one state",
            "ⵎⵍ ⵢⵓⵡⵜ ⵜⵖⵓⵔⵉ ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ",
        ),
        ComplaintProblem::NoSuchState => text(
            "هذه الحالة غير موجودة في المسار",
            "cet état n'existe pas dans le circuit",
            "no such workflow state",
            "ⵜⴰⵖⵓⵔⵉ ⴰⴷ ⵓⵔ ⵜⵍⵍⵉ ⴳ ⵓⴱⵔⵉⴷ",
        ),
        ComplaintProblem::ReminderOutsidePeriod => text(
            "يقع التذكير داخل أجل الجواب: يوما واحدا على الأقل قبل نهايته، وبعد بدايته",
            "le rappel tombe dans le délai de réponse : au moins 1 jour avant son terme, après son début",
            "the reminder falls within the answer period: at least 1 day before its end, after its start",
            "ⴰⵙⵎⵎⴽⵜⵉ ⵉⵜⵜⴰⵡⴹ ⴳ ⵓⵣⵎⵣ ⵏ ⵜⵔⴰⵔⵓⵜ: ⵢⴰⵏ ⵡⴰⵙⵙ ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ ⵇⴱⵍ ⵜⵉⴳⵉⵔⴰ ⵏⵏⵙ, ⴹⴼⵔ ⴰⵙⵏⵜⵉ ⵏⵏⵙ",
        ),
    }
}

// The commune's human resources: staff records, the organisation chart, leave.

/// A staff record whose leaving date comes before its entry.
pub fn staff_left_before_entry() -> LocalizedText {
    text(
        "تاريخ المغادرة قبل تاريخ الالتحاق",
        "la date de départ précède la date d'entrée",
        "the leaving date comes before the date of entry",
        "ⴰⵣⵎⵣ ⵏ ⵜⵓⴼⵖⴰ ⵉⵣⵡⴰⵔ ⴰⵣⵎⵣ ⵏ ⵓⴽⵛⵛⵓⵎ",
    )
}

/// A leave whose last day comes before its first.
pub fn leave_ends_before_start() -> LocalizedText {
    text(
        "آخر يوم من الرخصة قبل أول يوم منها",
        "le dernier jour du congé précède le premier",
        "the leave's last day comes before its first",
        "ⴰⵙⵙ ⵉⴳⴳⵯⵔⴰ ⵏ ⵓⵙⵓⵔⵙ ⵉⵣⵡⴰⵔ ⴰⵙⵙ ⴰⵎⵣⵡⴰⵔⵓ",
    )
}

/// A user account named on a staff record that is no member of the commune.
pub fn staff_user_not_member() -> LocalizedText {
    text(
        "هذا الحساب ليس من أعضاء الجماعة",
        "ce compte n'est pas membre de la commune",
        "this account is not a member of the commune",
        "ⴰⵎⵉⴹⴰⵏ ⴰⴷ ⵓⵔ ⵉⴳⵉ ⴰⴳⵎⴰⵎ ⵏ ⵜⵎⵙⵎⵓⵏⵜ",
    )
}

/// A user account already linked to another staff record.
pub fn staff_user_taken() -> LocalizedText {
    text(
        "هذا الحساب مرتبط بملف موظف آخر",
        "ce compte est déjà lié à une autre fiche",
        "this account is already linked to another staff record",
        "ⴰⵎⵉⴹⴰⵏ ⴰⴷ ⵉⵇⵇⵏ ⵖⵔ ⵢⴰⵏ ⵓⴼⴰⵢⵍⵓ ⵢⴰⴹⵏ",
    )
}

/// A department, staff record or leave type named that the commune does not have.
pub fn hr_unknown(what: &str) -> LocalizedText {
    text(
        format!("غير موجود في الجماعة ({what})"),
        format!("inconnu de la commune ({what})"),
        format!("the commune has no such {what}"),
        format!("ⵓⵔ ⵜⵍⵍⵉ ⴳ ⵜⵎⵙⵎⵓⵏⵜ ({what})"),
    )
}

/// A department placed under itself or under one of its own sub-departments.
pub fn department_cycle() -> LocalizedText {
    text(
        "لا يمكن وضع مصلحة تحت نفسها أو تحت إحدى مصالحها الفرعية",
        "un service ne peut être placé sous lui-même ni sous l'un de ses sous-services",
        "a department cannot sit under itself or one of its sub-departments",
        "ⵓⵔ ⵜⵣⵎⵉⵔ ⵜⵏⴰⴼⵓⵜ ⴰⴷ ⵜⵉⵍⵉ ⴷⴷⴰⵡ ⵉⵅⴼ ⵏⵏⵙ ⵏⵖ ⴷⴷⴰⵡ ⵢⴰⵜ ⵙⴳ ⵜⵏⴰⴼⵓⵉⵏ ⵏⵏⵙ",
    )
}

/// A file given to a member of staff who is on leave until `until` (a date, `YYYY-MM-DD`).
pub fn member_on_leave(until: &str) -> LocalizedText {
    text(
        format!("هذا الشخص في رخصة إلى غاية {until}"),
        format!("cette personne est en congé jusqu'au {until}"),
        format!("this person is on leave until {until}"),
        format!("ⵎⴰⴷ ⴰⴷ ⵉⵍⵍⴰ ⴳ ⵓⵙⵓⵔⵙ ⴰⵔ {until}"),
    )
}

/// A commune whose template sets no leave types (`settings.hr`).
pub fn hr_settings_missing() -> LocalizedText {
    text(
        "لم تحدد الجماعة أنواع الرخص (settings.hr)",
        "la commune n'a pas fixé ses types de congé (settings.hr)",
        "the commune has not set its leave types (settings.hr)",
        "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵉⵏⴰⵡⵏ ⵏ ⵓⵙⵓⵔⵙ (settings.hr)",
    )
}

// The commune's disputes: cases, hearings, decisions, appeals.

/// An amount in centimes below zero (stakes, an amount awarded).
pub fn dispute_amount_negative() -> LocalizedText {
    text(
        "لا يمكن أن يكون المبلغ سالبا",
        "le montant ne peut être négatif",
        "the amount cannot be negative",
        "ⵓⵔ ⵉⵣⵎⵉⵔ ⵓⵎⴹⴰⵏ ⴰⴷ ⵉⴳ ⴰⵎⵣⴷⴰⵔ",
    )
}

/// A case that names no party.
pub fn dispute_parties_required() -> LocalizedText {
    text(
        "يجب ذكر طرف واحد على الأقل في النزاع",
        "l'affaire doit nommer au moins une partie",
        "the case must name at least one party",
        "ⵉⵍⴰⵇ ⴰⴷ ⵉⵙⵎⴰⵍ ⵓⴼⴰⵢⵍⵓ ⵢⴰⵏ ⵓⴱⵔⵉⴷ ⵖⴰⵙ",
    )
}

/// An appeal lodged after the decision's appeal deadline `deadline` (a date, `YYYY-MM-DD`).
pub fn appeal_out_of_time(deadline: &str) -> LocalizedText {
    text(
        format!("انقضى أجل الاستئناف في {deadline}"),
        format!("le délai d'appel a expiré le {deadline}"),
        format!("the time to appeal ended on {deadline}"),
        format!("ⵉⴽⵎⵎⵍ ⵓⵣⵎⵣ ⵏ ⵓⵙⵏⴼⵍ ⴳ {deadline}"),
    )
}

/// A step a case cannot take where it stands (`status`: open, decided, appealed, closed).
pub fn dispute_status_refuses(status: &str) -> LocalizedText {
    text(
        format!("لا يمكن القيام بهذا الإجراء والقضية في حالة: {status}"),
        format!("cette étape n'est pas possible pour une affaire à l'état : {status}"),
        format!("this step is not possible for a case that is {status}"),
        format!("ⵓⵔ ⵉⵣⵎⵉⵔ ⵓⵙⵓⵔⵙ ⴰⴷ ⵉ ⵓⴼⴰⵢⵍⵓ ⴳ ⵡⴰⴷⴷⴰⴷ: {status}"),
    )
}

/// A commune whose template sets no disputes settings (`settings.disputes`).
pub fn disputes_settings_missing() -> LocalizedText {
    text(
        "لم تحدد الجماعة أنواع النزاعات (settings.disputes)",
        "la commune n'a pas fixé ses types d'affaires (settings.disputes)",
        "the commune has not set its case types (settings.disputes)",
        "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵉⵏⴰⵡⵏ ⵏ ⵉⴼⴰⵢⵍⵓⵜⵏ (settings.disputes)",
    )
}

/// A `document` part of a case's document upload that does not read (`detail`: the parser's words, in
/// English).
pub fn not_a_case_document(detail: &str) -> LocalizedText {
    text(
        format!("الجزء `document` لا يصف وثيقة (العنوان والنوع): {detail}"),
        format!("la partie `document` ne décrit pas une pièce (titre et type) : {detail}"),
        format!("the `document` part does not describe a document (title and kind): {detail}"),
        format!("ⴰⵃⵟⵟⵓ `document` ⵓⵔ ⵉⵙⵏⵎⴰⵍ ⴰⵙⵉⵎⵍ (ⴰⵣⵡⵍ ⴷ ⵓⵏⴰⵡ): {detail}"),
    )
}

// The commune's action-plan projects (organic law 113.14, arts 78–82).

/// A project code that is not 1 to 32 capital letters, digits and dashes.
pub fn project_code_format() -> LocalizedText {
    text(
        "رمز المشروع: من 1 إلى 32 حرفا لاتينيا كبيرا أو رقما أو شرطة (PAC-2022-07)",
        "code du projet : 1 à 32 lettres majuscules, chiffres ou tirets (PAC-2022-07)",
        "project code: 1 to 32 capital letters, digits or dashes (PAC-2022-07)",
        "ⴰⵏⴰⵍ ⵏ ⵓⵙⵏⴼⴰⵔ: ⵙⴳ 1 ⴰⵔ 32 ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵉⵎⵇⵇⵔⴰⵏⵏ, ⵉⵎⴹⴰⵏⵏ ⵏⵖ ⵉⵣⵔⵉⵔⵉⴳⵏ (PAC-2022-07)",
    )
}

/// A project code another project of the commune already has.
pub fn project_code_taken() -> LocalizedText {
    text(
        "هذا الرمز مستعمل لمشروع آخر في الجماعة",
        "ce code est déjà celui d'un autre projet de la commune",
        "another project of the commune already has this code",
        "ⴰⵏⴰⵍ ⴰⴷ ⵉⵍⵍⴰ ⵖⵔ ⵢⴰⵏ ⵓⵙⵏⴼⴰⵔ ⵢⴰⴹⵏ ⵏ ⵜⵎⵙⵎⵓⵏⵜ",
    )
}

/// A progress outside 0–100 percent.
pub fn project_progress_range() -> LocalizedText {
    text(
        "نسبة التقدم بين 0 و100 في المائة",
        "l'avancement est compris entre 0 et 100 %",
        "progress lies between 0 and 100 percent",
        "ⴰⵙⵡⵓⴷⴷⵓ ⵉⵍⵍⴰ ⴳⵔ 0 ⴷ 100 ⴳ ⵜⵎⵉⴹⵉ",
    )
}

/// A project or milestone whose end comes before its start.
pub fn project_ends_before_start() -> LocalizedText {
    text(
        "تاريخ الانتهاء قبل تاريخ البداية",
        "la date de fin précède la date de début",
        "the end date comes before the start date",
        "ⴰⵣⵎⵣ ⵏ ⵜⴳⵉⵔⴰ ⵉⵣⵡⴰⵔ ⴰⵣⵎⵣ ⵏ ⵓⵙⵏⵜⵉ",
    )
}

/// An action plan's period that is not `from` ≤ `to`, within the years of one plan (`years`).
pub fn project_period(years: u32) -> LocalizedText {
    text(
        format!("فترة برنامج العمل: من سنة إلى سنة لاحقة، في حدود {years} سنوات"),
        format!("période du programme d'action : d'une année à une autre qui la suit, {years} ans au plus"),
        format!("action plan period: from one year to a later one, {years} years at most"),
        format!("ⴰⵣⵎⵣ ⵏ ⵓⵖⴰⵡⴰⵙ ⵏ ⵜⵉⴳⴰⵡⵜ: ⵙⴳ ⵢⴰⵜ ⵜⵓⵙⵙⴰⵏⵜ ⴰⵔ ⵜⴰⵢⴹ, {years} ⵏ ⵉⵙⴳⴳⵯⴰⵙⵏ ⵖⴰⵙ"),
    )
}

/// A budget line named by a project that the commune's imported budget of that year does not have as an
/// expense line.
pub fn project_budget_line_unknown() -> LocalizedText {
    text(
        "لا يوجد سطر نفقات بهذا الترقيم في ميزانية الجماعة لتلك السنة",
        "le budget importé de la commune n'a pas cette ligne de dépenses pour cette année",
        "the commune's imported budget has no such expense line for that year",
        "ⵜⴰⵙⵎⵉⴹⵉⵜ ⵏ ⵜⵎⵙⵎⵓⵏⵜ ⵓⵔ ⴷⴰⵔⵙ ⵜⴰⵣⵔⵉⵔⵜ ⴰⴷ ⵏ ⵜⵉⵙⵙⵓⵖⵍⵉⵡⵉⵏ ⴳ ⵓⵙⴳⴳⵯⴰⵙ ⴰⴷ",
    )
}

/// A planned amount that is not a positive number of centimes.
pub fn project_amount_positive() -> LocalizedText {
    text(
        "المبلغ المبرمج عدد موجب بالسنتيمات",
        "le montant prévu est un nombre positif de centimes",
        "the planned amount is a positive number of centimes",
        "ⴰⵎⴹⴰⵏ ⵏ ⵓⵇⴰⵔⵉⴹ ⵉⴳⴰ ⴰⵎⴹⴰⵏ ⵉⵎⴰⵍⴰⵏ ⵏ ⵙⴰⵏⵜⵉⵎ",
    )
}

/// A commune whose template sets no project settings (`settings.projects`).
pub fn projects_settings_missing() -> LocalizedText {
    text(
        "لم تحدد الجماعة أصناف مشاريعها (settings.projects)",
        "la commune n'a pas fixé ses catégories de projets (settings.projects)",
        "the commune has not set its project categories (settings.projects)",
        "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵜⵉⵡⵏⵏⴰⵡⵉⵏ ⵏ ⵉⵙⵏⴼⴰⵔⵏ ⵏⵏⵙ (settings.projects)",
    )
}

/// A progress note dated after today.
pub fn project_update_in_future() -> LocalizedText {
    text(
        "تاريخ التقدم لاحق لليوم",
        "la date de l'avancement est postérieure à aujourd'hui",
        "the progress date is after today",
        "ⴰⵣⵎⵣ ⵏ ⵓⵙⵡⵓⴷⴷⵓ ⵉⴹⴼⵕ ⴰⵙⵙ ⴰ",
    )
}

// Expenditures and revenues recorded: commitments, approvals, payment orders, payments, titles, collections.

/// What is wrong with a recorded finance entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    AmountNotPositive,
    BeyondAppropriation,
    BeyondCommitment,
    BeyondPaymentOrder,
    BeyondTitle,
    BeyondCorrectable,
    NotACommitment,
    NotAPaymentOrder,
    NotATitle,
    NotCorrectable,
    NotApproved,
    AlreadyApproved,
    SameMember,
    Cancelled,
    UnknownLine,
    UnknownRevenueType,
    YearHasEntries,
    SettingsMissing,
}

/// The message of a problem of a recorded finance entry.
pub fn entry_problem(problem: EntryProblem) -> LocalizedText {
    match problem {
        EntryProblem::AmountNotPositive => text(
            "يجب أن يكون المبلغ أكبر من صفر",
            "le montant doit être supérieur à zéro",
            "the amount must be more than zero",
            "ⴰⵜⵜⴰⵢ ⵉⵇⵇⴰⵏ ⴰⴷ ⵉⴳⴳⵓⴷⵢ ⴰⵎⵢⴰ",
        ),
        EntryProblem::BeyondAppropriation
        | EntryProblem::BeyondCommitment
        | EntryProblem::BeyondPaymentOrder
        | EntryProblem::BeyondTitle
        | EntryProblem::BeyondCorrectable => entry_beyond(problem, "0.00"),
        EntryProblem::NotACommitment => text(
            "هذا القيد ليس التزاما بنفقة",
            "cette écriture n'est pas un engagement",
            "this entry is not a commitment",
            "ⵜⵉⵔⵔⴰ ⴰⴷ ⵓⵔ ⵜⴳⵉ ⴰⵙⵎⵔⵙ",
        ),
        EntryProblem::NotAPaymentOrder => text(
            "هذا القيد ليس أمرا بالصرف",
            "cette écriture n'est pas un ordre de paiement",
            "this entry is not a payment order",
            "ⵜⵉⵔⵔⴰ ⴰⴷ ⵓⵔ ⵜⴳⵉ ⴰⵏⴹⵉⴹ ⵏ ⵓⴼⵔⴰ",
        ),
        EntryProblem::NotATitle => text(
            "هذا القيد ليس أمرا بالمداخيل",
            "cette écriture n'est pas un ordre de recette",
            "this entry is not a revenue title",
            "ⵜⵉⵔⵔⴰ ⴰⴷ ⵓⵔ ⵜⴳⵉ ⴰⵏⴹⵉⴹ ⵏ ⵓⴽⵛⵛⵓⵎ",
        ),
        EntryProblem::NotCorrectable => text(
            "لا يمكن تصحيح هذا القيد بقيد عكسي",
            "cette écriture ne se corrige pas par contre-écriture",
            "this entry cannot be corrected by a counter-entry",
            "ⵜⵉⵔⵔⴰ ⴰⴷ ⵓⵔ ⵜⵜⵓⵙⵖⵓⴷⵓ ⵙ ⵜⵉⵔⵔⴰ ⵜⴰⵏⴳⴰⵍⵜ",
        ),
        EntryProblem::NotApproved => text(
            "لم يؤشر الآمر بالصرف على هذا الالتزام بعد",
            "l'ordonnateur n'a pas encore visé cet engagement",
            "the authorising officer has not approved this commitment yet",
            "ⵓⵔ ⵉⵙⵡⵉⵜⵜⵉ ⵓⵎⵏⴹⴰⴹ ⴰⵙⵎⵔⵙ ⴰⴷ ⵡⴰⵍⴰ",
        ),
        EntryProblem::AlreadyApproved => text(
            "تم التأشير على هذا الالتزام من قبل",
            "cet engagement est déjà visé",
            "this commitment is already approved",
            "ⴰⵙⵎⵔⵙ ⴰⴷ ⵉⵜⵜⵓⵙⵡⵉⵜⵜⵉ ⵢⴰⴷ",
        ),
        EntryProblem::SameMember => text(
            "لا يؤشر على الالتزام من سجله",
            "celui qui a saisi l'engagement ne peut pas le viser",
            "the member who recorded the commitment cannot approve it",
            "ⵡⴰⵏⵏ ⵉⵔⵛⵎⵏ ⴰⵙⵎⵔⵙ ⵓⵔ ⵉⵣⵎⵉⵔ ⴰⴷ ⵜ ⵉⵙⵡⵉⵜⵜⵉ",
        ),
        EntryProblem::Cancelled => text(
            "أُلغي هذا الالتزام بقيد عكسي",
            "cet engagement a été annulé par contre-écriture",
            "this commitment was cancelled by a counter-entry",
            "ⴰⵙⵎⵔⵙ ⴰⴷ ⵉⵜⵜⵓⵙⵔⵎ ⵙ ⵜⵉⵔⵔⴰ ⵜⴰⵏⴳⴰⵍⵜ",
        ),
        EntryProblem::UnknownLine => text(
            "لا يوجد هذا السطر في ميزانية السنة",
            "cette ligne n'existe pas au budget de l'année",
            "the year's budget has no such line",
            "ⴰⵣⵔⵉⵔⵉⴳ ⴰⴷ ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵜⵎⵙⵙⵓⵜⵍⵜ ⵏ ⵓⵙⴳⴳⵯⴰⵙ",
        ),
        EntryProblem::UnknownRevenueType => text(
            "نوع المداخيل غير محدد في إعدادات الجماعة",
            "type de recette inconnu des paramètres de la commune",
            "the commune's settings name no such revenue type",
            "ⴰⵏⴰⵡ ⵏ ⵓⴽⵛⵛⵓⵎ ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵜⵙⵖⴰⵍ ⵏ ⵜⵎⵙⵎⵓⵏⵜ",
        ),
        EntryProblem::YearHasEntries => text(
            "لهذه السنة قيود مسجلة: لا يمكن إعادة استيراد ميزانيتها",
            "cette année a des écritures enregistrées : son budget ne peut plus être importé",
            "this year has recorded entries: its budget can no longer be imported",
            "ⵖⵓⵔ ⵓⵙⴳⴳⵯⴰⵙ ⴰⴷ ⵜⵉⵔⵔⴰⵜⵉⵏ: ⵜⴰⵎⵙⵙⵓⵜⵍⵜ ⵏⵏⵙ ⵓⵔ ⵜⵜⵓⵙⵙⴽⵛⴰⵎ ⴷⴰⵖ",
        ),
        EntryProblem::SettingsMissing => text(
            "لم تحدد الجماعة أنواع المداخيل (settings.finance)",
            "la commune n'a pas fixé ses types de recette (settings.finance)",
            "the commune has not set its revenue types (settings.finance)",
            "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵉⵏⴰⵡⵏ ⵏ ⵓⴽⵛⵛⵓⵎ (settings.finance)",
        ),
    }
}

/// An amount beyond what is left (`left`, written as the API writes amounts: `1250.50`) of a line, commitment,
/// payment order, title or entry.
pub fn entry_beyond(problem: EntryProblem, left: &str) -> LocalizedText {
    match problem {
        EntryProblem::BeyondAppropriation => text(
            format!("المبلغ يتجاوز الاعتماد المتبقي في السطر ({left})"),
            format!("le montant dépasse le crédit disponible de la ligne ({left})"),
            format!("the amount is beyond what the line has left ({left})"),
            format!("ⴰⵜⵜⴰⵢ ⵉⵣⵔⵉ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⴳ ⵓⵣⵔⵉⴳ ({left})"),
        ),
        EntryProblem::BeyondCommitment => text(
            format!("المبلغ يتجاوز ما تبقى من الالتزام ({left})"),
            format!("le montant dépasse le reste de l'engagement ({left})"),
            format!("the amount is beyond what the commitment has left ({left})"),
            format!("ⴰⵜⵜⴰⵢ ⵉⵣⵔⵉ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⴳ ⵓⵙⵎⵔⵙ ({left})"),
        ),
        EntryProblem::BeyondPaymentOrder => text(
            format!("المبلغ يتجاوز ما تبقى من الأمر بالصرف ({left})"),
            format!("le montant dépasse le reste de l'ordre de paiement ({left})"),
            format!("the amount is beyond what the payment order has left ({left})"),
            format!("ⴰⵜⵜⴰⵢ ⵉⵣⵔⵉ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⴳ ⵓⵏⴹⵉⴹ ⵏ ⵓⴼⵔⴰ ({left})"),
        ),
        EntryProblem::BeyondTitle => text(
            format!("المبلغ يتجاوز ما تبقى من الأمر بالمداخيل ({left})"),
            format!("le montant dépasse le reste à recouvrer du titre ({left})"),
            format!("the amount is beyond what the title has left to collect ({left})"),
            format!("ⴰⵜⵜⴰⵢ ⵉⵣⵔⵉ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⴳ ⵓⵏⴹⵉⴹ ⵏ ⵓⴽⵛⵛⵓⵎ ({left})"),
        ),
        _ => text(
            format!("المبلغ يتجاوز ما يمكن استرجاعه من القيد ({left})"),
            format!("le montant dépasse ce que l'écriture peut rendre ({left})"),
            format!("the amount is beyond what the entry can give back ({left})"),
            format!("ⴰⵜⵜⴰⵢ ⵉⵣⵔⵉ ⵎⴰ ⵜⵣⵎⵉⵔ ⵜⵉⵔⵔⴰ ⴰⴷ ⵜⵔⴰⵔ ({left})"),
        ),
    }
}

/// What is wrong with a payment, a cancellation or a fee a demand is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentProblem {
    FeeWithoutBasis,
    NotAtCounter,
    AlreadyPaid,
    NothingOwed,
    SlipOnlyForCard,
    SlipFormat,
    CardNumber,
    NotAPayment,
    AlreadyCancelled,
    NotPaid,
}

/// The message of a problem of a payment.
pub fn payment_problem(problem: PaymentProblem) -> LocalizedText {
    match problem {
        PaymentProblem::FeeWithoutBasis => text(
            "يجب أن يذكر كل رسم سنده القانوني أو أن يُعلَّم قرارا للجماعة",
            "chaque droit doit citer sa base légale ou être marqué décision de la commune",
            "each fee must cite its legal basis or be marked a commune decision",
            "ⵉⵇⵇⴰⵏ ⴽⵓ ⴰⵣⵔⴼ ⴰⴷ ⵉⵙⵎⵎⵉ ⵜⴰⵙⵉⵍⴰ ⵏⵏⵙ ⵜⴰⵏⴰⵎⵓⵙⵜ ⵏⵖ ⴰⴷ ⵉⵜⵜⵓⵛⵔⴹ ⴷ ⴰⵙⵙⵏⵜⵍ ⵏ ⵜⴳⵎⵓⵏⵜ",
        ),
        PaymentProblem::NotAtCounter => text(
            "يُسجل الشباك الأداء نقدا أو بالبطاقة فقط",
            "le guichet n'enregistre que les paiements en espèces ou par carte",
            "the counter records cash or card payments only",
            "ⴰⵙⴳⴳⴰⵏ ⵉⵜⵜⴰⵔⵎ ⵖⴰⵙ ⴰⴼⵔⴰ ⵙ ⵡⴰⵇⵇⴰ ⵏⵖ ⵙ ⵜⴽⴰⵕⴹⴰ",
        ),
        PaymentProblem::AlreadyPaid => text(
            "تم أداء هذا الطلب من قبل",
            "cette demande est déjà payée",
            "this demand is already paid",
            "ⴰⵙⵓⵜⵔ ⴰⴷ ⵉⵜⵜⵓⴼⵔⴰ ⵢⴰⴷ",
        ),
        PaymentProblem::NothingOwed => text(
            "لا يترتب عن هذا الطلب أي رسم",
            "cette demande ne doit aucun droit",
            "nothing is owed for this request",
            "ⵓⵔ ⵉⵍⵍⵉ ⴽⵔⴰ ⵏ ⵓⵣⵔⴼ ⴳ ⵓⵙⵓⵜⵔ ⴰⴷ",
        ),
        PaymentProblem::SlipOnlyForCard => text(
            "رقم وصل الجهاز يخص الأداء بالبطاقة فقط",
            "le numéro de ticket TPE ne concerne que les paiements par carte",
            "a terminal slip number is for card payments only",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⵙⵖⴰⵔⵜ ⵏ ⵜⵎⴰⵛⵉⵏⵜ ⵉⵅⵚⵚ ⵖⴰⵙ ⴰⴼⵔⴰ ⵙ ⵜⴽⴰⵕⴹⴰ",
        ),
        PaymentProblem::SlipFormat => text(
            "رقم وصل الجهاز: حروف وأرقام وشرطات، 32 حرفا على الأكثر",
            "numéro de ticket TPE : lettres, chiffres et tirets, 32 caractères au plus",
            "terminal slip number: letters, digits and dashes, at most 32 characters",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⵙⵖⴰⵔⵜ: ⵉⵙⴽⴽⵉⵍⵏ, ⵉⵎⴹⴰⵏ ⴷ ⵉⵣⵔⵉⵔⵉⴳⵏ, 32 ⵓⵙⴽⴽⵉⵍ ⵖⴰⵙ",
        ),
        PaymentProblem::CardNumber => text(
            "لا يُسجل رقم البطاقة البنكية أبدا: أدخل رقم وصل الجهاز فقط",
            "le numéro de carte n'est jamais enregistré : saisir seulement le numéro du ticket TPE",
            "a card number is never recorded: type only the terminal slip number",
            "ⵓⵟⵟⵓⵏ ⵏ ⵜⴽⴰⵕⴹⴰ ⵓⵔ ⵉⵜⵜⵓⵔⵛⴰⵎ ⴰⵔⴰ: ⴰⵔⵓ ⵖⴰⵙ ⵓⵟⵟⵓⵏ ⵏ ⵜⵙⵖⴰⵔⵜ",
        ),
        PaymentProblem::NotAPayment => text(
            "هذا القيد ليس أداء",
            "cette écriture n'est pas un paiement",
            "this entry is not a payment",
            "ⵜⵉⵔⵔⴰ ⴰⴷ ⵓⵔ ⵜⴳⵉ ⴰⴼⵔⴰ",
        ),
        PaymentProblem::AlreadyCancelled => text(
            "أُلغي هذا الأداء من قبل",
            "ce paiement est déjà annulé",
            "this payment is already cancelled",
            "ⴰⴼⵔⴰ ⴰⴷ ⵉⵜⵜⵓⵙⵔⵎ ⵢⴰⴷ",
        ),
        PaymentProblem::NotPaid => text(
            "لم تؤد رسوم هذا الطلب بعد",
            "les droits de cette demande ne sont pas encore payés",
            "the fees of this request are not paid yet",
            "ⵉⵣⵔⴼⴰⵏ ⵏ ⵓⵙⵓⵜⵔ ⴰⴷ ⵓⵔ ⵜⵜⵓⴼⵔⴰⵏ ⵡⴰⵍⴰ",
        ),
    }
}

/// A payment whose amount is not what the demand has outstanding.
pub fn payment_amount_mismatch(outstanding: &str, currency: &str) -> LocalizedText {
    text(
        format!("يجب أن يساوي المبلغ ما تبقى للأداء ({outstanding} {currency})"),
        format!("le montant doit être égal au reste à payer ({outstanding} {currency})"),
        format!("the amount must equal what is left to pay ({outstanding} {currency})"),
        format!("ⴰⵜⵜⴰⵢ ⵉⵇⵇⴰⵏ ⴰⴷ ⵉⵎⵙⴰⵙⴰ ⴷ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⵉ ⵓⴼⵔⴰ ({outstanding} {currency})"),
    )
}

// Online payments: started through the commune's provider, reconciled with its statements, refunded.

/// What is wrong with an online payment, a statement or a refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnlinePaymentProblem {
    /// The commune has no online payment provider configured on this server.
    NotConfigured,
    /// Nothing is left to pay on this demand.
    NothingOwed,
    /// A refund of a payment that is not paid.
    NotPaid,
    /// A refund beyond what the payment has left.
    BeyondPaid,
    /// A refund approved or rejected by the member who requested it.
    SameMember,
    /// A refund already approved or rejected.
    AlreadyDecided,
}

pub fn online_payment_problem(problem: OnlinePaymentProblem) -> LocalizedText {
    match problem {
        OnlinePaymentProblem::NotConfigured => text(
            "لا تقبل الجماعة الأداء الإلكتروني بعد",
            "la commune n'accepte pas encore le paiement en ligne",
            "the commune does not take online payments yet",
            "ⵜⴰⵎⵙⵎⵓⵏⵜ ⵓⵔ ⵜⵇⴱⵉⵍ ⴰⴼⵔⴰ ⵙ ⵓⵥⵟⵟⴰ ⴰⵔ ⴷⵖⵉ",
        ),
        OnlinePaymentProblem::NothingOwed => text(
            "لم يبق أي مبلغ للأداء عن هذا الطلب",
            "il ne reste rien à payer pour cette demande",
            "nothing is left to pay for this request",
            "ⵓⵔ ⵉⵇⵇⵉⵎ ⴽⵔⴰ ⵏ ⵓⴼⵔⴰ ⵉ ⵓⵙⵓⵜⵔ ⴰⴷ",
        ),
        OnlinePaymentProblem::NotPaid => text(
            "هذا الأداء غير مؤدى، فلا يُرَدّ",
            "ce paiement n'est pas payé : il ne se rembourse pas",
            "this payment is not paid: it cannot be refunded",
            "ⴰⴼⵔⴰ ⴰⴷ ⵓⵔ ⵉⵜⵜⵓⵅⵍⵍⵚ, ⵓⵔ ⵉⵜⵜⵓⵔⴰⵔ",
        ),
        OnlinePaymentProblem::BeyondPaid => text(
            "يتجاوز مبلغ الإرجاع ما تبقى من الأداء",
            "le remboursement dépasse ce qui reste du paiement",
            "the refund is more than what is left of the payment",
            "ⴰⵔⴰⵔ ⵉⵣⵢⴷ ⵅⴼ ⵎⴰ ⵉⵇⵇⵉⵎⵏ ⴳ ⵓⴼⵔⴰ",
        ),
        OnlinePaymentProblem::SameMember => text(
            "يوافق على الإرجاع عضو غير الذي طلبه",
            "un remboursement est approuvé par un autre membre que celui qui l'a demandé",
            "a refund is approved by another member than the one who requested it",
            "ⴰⵔⴰⵔ ⵉⵙⵙⵓⵜⵔ ⵜ ⵢⴰⵏ, ⵉⵇⴱⵍ ⵜ ⵢⴰⵏ ⵢⴰⴹⵏ",
        ),
        OnlinePaymentProblem::AlreadyDecided => text(
            "تم البت في هذا الإرجاع من قبل",
            "ce remboursement a déjà été approuvé ou rejeté",
            "this refund was already approved or rejected",
            "ⴰⵔⴰⵔ ⴰⴷ ⵉⵜⵜⵓⵙⵖⴰⵡⵙ ⵢⴰⴷⵍⵍⵉ",
        ),
    }
}

/// A cell of a provider's statement that cannot be read, by line and column.
pub fn statement_cell(line: usize, column: &str) -> LocalizedText {
    text(
        format!("لا يمكن قراءة الخانة {column} في السطر {line} من الكشف"),
        format!("la cellule {column} de la ligne {line} du relevé est illisible"),
        format!("the {column} cell of line {line} of the statement cannot be read"),
        format!("ⵓⵔ ⵜⵜⵓⵖⵔⴰ ⵜⵅⴰⵏⵜ {column} ⴳ ⵓⵣⵔⵉⵔⴳ {line} ⵏ ⵓⵙⵏⵎⴰⵍ"),
    )
}

/// One message of each kind, with sample parameters: what the tests check for every language, and what the
/// review of translations lists.
pub fn samples() -> Vec<LocalizedText> {
    let mut messages = vec![
        required(),
        comment_required(),
        action_conditions_not_met(),
        opinion_reasons_required(),
        opinion_body(),
        webhook_url(),
        unknown_webhook_event(&["request.submitted", "request.message"]),
        smtp_host(),
        smtp_port(),
        too_short(2, LengthUnit::Choices),
        too_long(20, LengthUnit::Characters),
        out_of_range(Some(1.0), None),
        out_of_range(None, Some(1.0)),
        out_of_range(None, None),
        pattern_mismatch(),
        not_an_option(),
        invalid_date(),
        invalid_email(),
        unknown_field(),
        document_missing(&LocalizedText::ar_fr("ب", "b")),
        document_not_allowed(),
        document_too_large(&LocalizedText::ar_fr("ب", "b"), 5 * 1024 * 1024),
        document_format(&LocalizedText::ar_fr("ب", "b"), &["application/pdf".to_owned()]),
        unknown_service(),
        unknown_commune(),
        invalid_id(),
    ];
    for expected in
        [Expected::Text, Expected::Number, Expected::Boolean, Expected::List, Expected::Location, Expected::Form]
    {
        messages.push(invalid_type(expected));
    }
    for country in [Country::Morocco, Country::Mauritania, Country::Spain] {
        messages.push(invalid_national_id(country));
        messages.push(invalid_phone(country));
    }
    for problem in [
        LocationProblem::Empty,
        LocationProblem::Latitude,
        LocationProblem::Longitude,
        LocationProblem::IncompleteCoordinates,
        LocationProblem::Address,
    ] {
        messages.push(invalid_location(problem));
    }
    for reason in [
        InvalidReason::DuplicateChoice,
        InvalidReason::NegativeAmount,
        InvalidReason::TooManyDecimals,
        InvalidReason::EmptyFile,
        InvalidReason::MissingFileName,
        InvalidReason::InvalidChecksum,
        InvalidReason::FileNameControl,
        InvalidReason::TrackingCode,
    ] {
        messages.push(invalid_value(reason));
    }
    for mismatch in [Mismatch::NoFile, Mismatch::Size, Mismatch::Checksum] {
        messages.push(document_mismatch(mismatch));
    }
    for problem in [
        DefinitionProblem::KeyFormat("Nom".into()),
        DefinitionProblem::DuplicateKey("nom".into()),
        DefinitionProblem::EmptyLabel,
        DefinitionProblem::NoOptions,
        DefinitionProblem::EmptyOptionValue,
        DefinitionProblem::EmptyOptionLabel,
        DefinitionProblem::DuplicateOption("a".into()),
        DefinitionProblem::UnknownConditionField("x".into()),
        DefinitionProblem::SelfCondition,
        DefinitionProblem::ConditionCycle,
        DefinitionProblem::InvalidPattern,
        DefinitionProblem::MinAboveMax,
        DefinitionProblem::MinLengthAboveMaxLength,
        DefinitionProblem::UnknownRuleField("x".into()),
        DefinitionProblem::RuleFieldNotNumber("x".into()),
        DefinitionProblem::SelfRule,
        DefinitionProblem::RuleBound,
        DefinitionProblem::RuleWithoutBasis,
    ] {
        messages.push(invalid_definition(&problem));
    }
    let label = LocalizedText::ar_fr("مساحة القطعة", "Surface de la parcelle");
    messages.push(beyond_field(RuleOp::Le, &label));
    messages.push(beyond_field(RuleOp::Ge, &label));
    messages.extend([
        register_required(),
        register_too_long(200),
        invalid_department(),
        mail_in_future(),
        due_before_mail(),
        unknown_request_code(),
        already_in_department(),
        follow_up_refused("closed", "answered"),
        invalid_office_code(),
        national_id_not_valid(),
        event_in_future(),
        late_declaration(30, "Loi n° 36.21 relative à l'état civil"),
        rectification_without_judgment(),
        implausible_date(),
        invalid_date_as_known(),
        invalid_time_of_day(),
        ordinary_session_months("3, 5, 10"),
        signer_national_id(),
        signer_name_length(),
        already_signed(),
        not_on_publication_list(),
        rating_range(),
        login_format(),
        password_length(12, 256),
        display_name_length(),
        unknown_roles("clerk"),
        expiry_in_past(),
        service_not_offered(),
        tracking_code_to_follow(),
        file_name_claims_other_type("pdf", "image/png"),
        fee_currency("MAD"),
        tracking_code_and_secret_or_id(),
        exactly_one_of("country", "commune"),
        invalid_idempotency_key(),
        lookup_field(),
        lookup_value(),
        not_a_submission("expected value at line 1 column 1"),
        crate::error::reused_message(),
        crate::error::done_message(),
        crate::error::unavailable_message(),
        invalid_detail("unknown country `XX`"),
        definition_detail("between 6 and 9"),
    ]);
    for problem in [
        ServiceProblem::CodeFormat,
        ServiceProblem::NoName,
        ServiceProblem::NoChannel,
        ServiceProblem::DuplicateDocument,
        ServiceProblem::NoFormats,
        ServiceProblem::SizeNotPositive,
        ServiceProblem::NegativeFee,
        ServiceProblem::CurrencyCode,
        ServiceProblem::SilenceWithoutTimer,
        ServiceProblem::GuardReadsPersonal,
        ServiceProblem::SlaBeyondDeadline,
        ServiceProblem::GuardUnknownStaffField,
    ] {
        messages.push(service_problem(problem));
    }
    for problem in [
        MultipartProblem::UnreadableBody,
        MultipartProblem::UnreadablePart,
        MultipartProblem::FileWithoutName,
        MultipartProblem::TooManyFiles,
        MultipartProblem::NoSubmission,
    ] {
        messages.push(multipart_problem(problem));
    }
    for problem in [
        ComplaintProblem::NoSuchField,
        ComplaintProblem::WrongFieldType,
        ComplaintProblem::ShownPersonal,
        ComplaintProblem::ContactNotPersonal,
        ComplaintProblem::NoAnsweredState,
        ComplaintProblem::NoSuchState,
        ComplaintProblem::ReminderOutsidePeriod,
    ] {
        messages.push(complaint_problem(problem));
    }
    for problem in [
        BudgetCell::Required,
        BudgetCell::AmountOutOfBounds,
        BudgetCell::InvalidAmount,
        BudgetCell::Kind,
        BudgetCell::Code,
        BudgetCell::LabelTooLong,
        BudgetCell::RevenueType,
        BudgetCell::NotForKind,
        BudgetCell::CommitmentsExceed,
        BudgetCell::PaymentsExceed,
    ] {
        messages.push(budget_cell(problem));
    }
    messages.extend([
        staff_left_before_entry(),
        leave_ends_before_start(),
        staff_user_not_member(),
        staff_user_taken(),
        hr_unknown("department"),
        department_cycle(),
        member_on_leave("2026-03-08"),
        hr_settings_missing(),
    ]);
    messages.extend([
        dispute_amount_negative(),
        dispute_parties_required(),
        appeal_out_of_time("2026-03-09"),
        dispute_status_refuses("closed"),
        disputes_settings_missing(),
        not_a_case_document("expected value"),
    ]);
    messages.extend([
        project_code_format(),
        project_code_taken(),
        project_progress_range(),
        project_ends_before_start(),
        project_period(6),
        project_budget_line_unknown(),
        project_amount_positive(),
        projects_settings_missing(),
        project_update_in_future(),
    ]);
    for problem in [
        EntryProblem::AmountNotPositive,
        EntryProblem::BeyondAppropriation,
        EntryProblem::BeyondCommitment,
        EntryProblem::BeyondPaymentOrder,
        EntryProblem::BeyondTitle,
        EntryProblem::BeyondCorrectable,
        EntryProblem::NotACommitment,
        EntryProblem::NotAPaymentOrder,
        EntryProblem::NotATitle,
        EntryProblem::NotCorrectable,
        EntryProblem::NotApproved,
        EntryProblem::AlreadyApproved,
        EntryProblem::SameMember,
        EntryProblem::Cancelled,
        EntryProblem::UnknownLine,
        EntryProblem::UnknownRevenueType,
        EntryProblem::YearHasEntries,
        EntryProblem::SettingsMissing,
    ] {
        messages.push(entry_problem(problem));
    }
    for problem in [
        PaymentProblem::FeeWithoutBasis,
        PaymentProblem::NotAtCounter,
        PaymentProblem::AlreadyPaid,
        PaymentProblem::NothingOwed,
        PaymentProblem::SlipOnlyForCard,
        PaymentProblem::SlipFormat,
        PaymentProblem::CardNumber,
        PaymentProblem::NotAPayment,
        PaymentProblem::AlreadyCancelled,
        PaymentProblem::NotPaid,
    ] {
        messages.push(payment_problem(problem));
    }
    messages.push(payment_amount_mismatch("2.00", "MAD"));
    for problem in [
        OnlinePaymentProblem::NotConfigured,
        OnlinePaymentProblem::NothingOwed,
        OnlinePaymentProblem::NotPaid,
        OnlinePaymentProblem::BeyondPaid,
        OnlinePaymentProblem::SameMember,
        OnlinePaymentProblem::AlreadyDecided,
    ] {
        messages.push(online_payment_problem(problem));
    }
    messages.push(statement_cell(2, "amount"));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_their_parameters() {
        let message = too_short(3, LengthUnit::Characters);
        assert_eq!(message.exact(Locale::Fr), Some("Ce champ doit contenir au moins 3 caractères."));
        assert_eq!(message.exact(Locale::Ar), Some("يجب أن يحتوي هذا الحقل على 3 أحرف على الأقل."));
        assert_eq!(message.exact(Locale::En), Some("This field must contain at least 3 characters."));

        let message = out_of_range(Some(0.5), Some(100.0));
        assert_eq!(message.exact(Locale::Fr), Some("La valeur doit être comprise entre 0,5 et 100."));
        assert_eq!(message.exact(Locale::En), Some("The value must be between 0.5 and 100."));

        let label = LocalizedText::ar_fr("نسخة من البطاقة الوطنية", "Copie de la CNIE");
        let message = document_too_large(&label, 5 * 1024 * 1024);
        assert_eq!(
            message.exact(Locale::Fr),
            Some("Le fichier « Copie de la CNIE » dépasse la taille maximale autorisée (5 Mo).")
        );
        assert_eq!(
            message.exact(Locale::Ar),
            Some("يتجاوز ملف «نسخة من البطاقة الوطنية» الحجم الأقصى المسموح به (5 ميغابايت).")
        );
        // No English label: the French one stands in.
        assert_eq!(
            message.exact(Locale::En),
            Some("The file for “Copie de la CNIE” exceeds the maximum allowed size (5 MB).")
        );

        let formats = ["application/pdf".to_owned(), "image/jpeg".to_owned()];
        let message = document_format(&label, &formats);
        assert_eq!(
            message.exact(Locale::Fr),
            Some("Le format du fichier « Copie de la CNIE » n'est pas accepté. Formats acceptés : PDF, JPEG.")
        );
    }

    #[test]
    fn arabic_nouns_agree_with_numbers() {
        let cases = [
            (1, "حرف واحد"),
            (2, "حرفين"),
            (3, "3 أحرف"),
            (10, "10 أحرف"),
            (11, "11 حرفًا"),
            (99, "99 حرفًا"),
            (100, "100 حرف"),
            (102, "102 حرف"),
            (103, "103 أحرف"),
            (250, "250 حرفًا"),
        ];
        for (n, expected) in cases {
            assert_eq!(arabic_count(n, &CHARACTER), expected, "{n}");
        }
        assert_eq!(too_long(1, LengthUnit::Choices).exact(Locale::Ar), Some("لا يمكن اختيار أكثر من خيار واحد."));
        assert_eq!(too_long(1, LengthUnit::Choices).exact(Locale::Tzm), Some("ⵓⵔ ⵜⵣⵎⵎⵔⴹ ⴰⴷ ⵜⵙⵜⵉⴹ ⵓⴳⴳⴰⵔ ⵏ ⵢⴰⵏ ⵓⵙⵜⴰⵢ."));
        assert_eq!(
            too_short(3, LengthUnit::Characters).exact(Locale::Tzm),
            Some("ⴰⵏⵙⴰ ⴰⴷ ⵉⵍⴰⵇ ⴰⴷ ⵉⵟⵟⴼ 3 ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵓⵍⴰ ⴷ ⵓⴳⴳⴰⵔ.")
        );
        assert_eq!(too_short(1, LengthUnit::Choices).exact(Locale::Fr), Some("Choisissez au moins 1 option."));
    }

    #[test]
    fn arabic_plural_categories_are_cldr_s() {
        use icu_plurals::{PluralCategory as Cldr, PluralRules};
        let arabic: icu_locale_core::Locale = "ar".parse().unwrap();
        let rules = PluralRules::try_new_cardinal(arabic.into()).unwrap();
        for n in 0..=2_000u32 {
            let expected = match rules.category_for(n) {
                Cldr::Zero => PluralCategory::Zero,
                Cldr::One => PluralCategory::One,
                Cldr::Two => PluralCategory::Two,
                Cldr::Few => PluralCategory::Few,
                Cldr::Many => PluralCategory::Many,
                Cldr::Other => PluralCategory::Other,
            };
            assert_eq!(arabic_category(n), expected, "{n}");
        }
    }

    #[test]
    fn numbers_and_sizes_read_naturally() {
        assert_eq!(number(-90.0, ','), "-90");
        assert_eq!(number(-0.0, ','), "0");
        assert_eq!(number(2.25, ','), "2,25");
        assert_eq!(number(2.25, '.'), "2.25");
        assert_eq!(number(1e-7, ','), "0,0000001");
        assert_eq!(number(-1.5e20, '.'), "-150000000000000000000");
        assert_eq!(number(1e15, '.'), "1000000000000000");
        assert_eq!(size(2_000_000, Locale::Fr), "1,9 Mo");
        assert_eq!(size(512 * 1024, Locale::En), "512 KB");
        assert_eq!(size(800, Locale::Fr), "800 octets");
    }

    proptest::proptest! {
        /// Numbers are written as `f64`'s `Display` writes them (shortest digits that read back, no exponent),
        /// which the SDK does not link. When two shortest spellings are as close to the number (it lies half
        /// way, as -1629563322565498.25 between …498.2 and …498.3), either may be written: the digits read
        /// back to the same number and are as many, and differ from `Display`'s in their last digit only.
        #[test]
        fn numbers_are_written_as_display_writes_them(bits in proptest::prelude::any::<u64>(), small in -1e6f64..1e6) {
            for x in [f64::from_bits(bits), small, (small * 100.0).round() / 100.0] {
                let expected = if x == 0.0 { "0".to_owned() } else { x.to_string() };
                let written = positional(x);
                if written != expected && x.is_finite() {
                    proptest::prop_assert_eq!(written.parse::<f64>().ok(), Some(x), "{} reads back", written);
                    proptest::prop_assert_eq!(written.len(), expected.len());
                    let common = written.len() - 1;
                    proptest::prop_assert_eq!(&written[..common], &expected[..common]);
                } else {
                    proptest::prop_assert_eq!(written, expected);
                }
            }
        }
    }

    #[test]
    fn every_message_speaks_arabic_french_english_and_tamazight() {
        for message in samples() {
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(message.exact(locale).is_some(), "{message:?} lacks {locale}");
            }
            let tifinagh =
                message.exact(Locale::Tzm).is_some_and(|t| t.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c)));
            assert!(tifinagh, "{message:?}: Tamazight is written in Tifinagh");
        }
    }

    #[test]
    fn every_message_is_translated_not_copied() {
        for message in samples() {
            let texts = [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm].map(|locale| message.exact(locale));
            let [Some(ar), Some(fr), Some(en), Some(tzm)] = texts else {
                panic!("{message:?} lacks a language");
            };
            for (locale, text) in [(Locale::Ar, ar), (Locale::Fr, fr), (Locale::En, en), (Locale::Tzm, tzm)] {
                assert!(!text.trim().is_empty(), "{message:?}: empty in {locale}");
            }
            // Each language its own text: no English left in the French slot, no French standing for Arabic.
            assert_ne!(fr, en, "{message:?}: French and English alike");
            for other in [fr, en, tzm] {
                assert_ne!(ar, other, "{message:?}: Arabic copied from another language");
            }
            assert_ne!(tzm, fr, "{message:?}: Tamazight copied from French");
            assert_ne!(tzm, en, "{message:?}: Tamazight copied from English");
            let arabic = ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            assert!(arabic, "{message:?}: Arabic is written in Arabic letters");
        }
    }
}
