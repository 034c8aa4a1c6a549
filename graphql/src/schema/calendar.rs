//! Calendars over GraphQL: the dated (lunar) holidays of a year, set by operators.

use super::call::{Call, InLang};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::calendar::DatedHoliday;
use jamaa_core::model::commune::Country;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::service::{HolidayTarget, HolidayUpdate};

/// A holiday's name in one language.
#[derive(InputObject)]
pub struct HolidayNameInput {
    /// `ar`, `fr`, `tzm`, `en` or `es`.
    pub locale: String,
    pub text: String,
}

/// A holiday of one year.
#[derive(InputObject)]
pub struct DatedHolidayInput {
    pub date: NaiveDate,
    /// Its name, in each language it has.
    pub names: Vec<HolidayNameInput>,
    /// The text that makes it a day off, or the announcement of its date.
    pub source: Option<String>,
    /// A date computed in advance, not yet announced.
    #[graphql(default)]
    pub estimated: bool,
}

/// What setting a year's holidays changed.
#[derive(SimpleObject)]
pub struct HolidayUpdateResult {
    /// The communes whose calendar changed.
    pub communes: u64,
    /// The open requests whose decision date moved later (each has a `holidays_changed` step in its history).
    pub requests_moved: u64,
}

impl From<HolidayUpdate> for HolidayUpdateResult {
    fn from(update: HolidayUpdate) -> Self {
        Self { communes: update.communes, requests_moved: update.requests_moved }
    }
}

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Sets the dated holidays of `year` (the lunar feasts as announced, exceptional days off) for every
    /// commune of `country` or for one `commune` (exactly one of them), replacing those of that year; no
    /// template upgrade needed (operators). Open requests whose decision date a new holiday pushes back get
    /// the later date and a `holidays_changed` step in their history; no date is brought forward.
    async fn set_dated_holidays(
        &self,
        ctx: &Context<'_>,
        country: Option<String>,
        commune: Option<String>,
        year: i32,
        holidays: Vec<DatedHolidayInput>,
    ) -> Result<HolidayUpdateResult> {
        let call = Call::new(ctx);
        let target = match (country, commune) {
            (Some(country), None) => HolidayTarget::Country(
                country.parse::<Country>().map_err(|e| invalid("country", e.to_string())).in_lang(&call)?,
            ),
            (None, Some(commune)) => HolidayTarget::Commune(commune),
            _ => {
                let message = jamaa_core::model::form::messages::exactly_one_of("country", "commune");
                return Err(jamaa_core::Error::field("country", FieldErrorCode::InvalidValue, message)).in_lang(&call);
            }
        };
        let mut days = Vec::with_capacity(holidays.len());
        for (i, holiday) in holidays.into_iter().enumerate() {
            let mut name = LocalizedText::new();
            for (j, text) in holiday.names.into_iter().enumerate() {
                let parsed = text
                    .locale
                    .parse::<Locale>()
                    .map_err(|e| invalid(&format!("holidays[{i}].names[{j}].locale"), e.to_string()))
                    .in_lang(&call)?;
                name = name.with(parsed, text.text.trim());
            }
            days.push(DatedHoliday {
                date: holiday.date,
                name,
                source: holiday.source.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
                estimated: holiday.estimated,
            });
        }
        let update = call.jamaa.set_dated_holidays(call.principal, &target, year, days).await.in_lang(&call)?;
        Ok(update.into())
    }
}

fn invalid(path: &str, message: String) -> jamaa_core::Error {
    jamaa_core::Error::field(
        path,
        FieldErrorCode::InvalidValue,
        jamaa_core::model::form::messages::invalid_detail(&message),
    )
}
