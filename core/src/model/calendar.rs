//! Working-day calendars and legal deadlines: weekends, fixed holidays and dated holidays (the lunar ones an
//! operator enters each year).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::{Locale, LocalizedText};

/// A commune's calendar of working days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorkingCalendar {
    /// Days off every week (`["Sat", "Sun"]`).
    #[cfg_attr(feature = "ts", ts(type = r#"Array<"Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun">"#))]
    pub weekend: Vec<Weekday>,
    /// Holidays on the same day every year.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<FixedHoliday>>", optional))]
    pub fixed_holidays: Vec<FixedHoliday>,
    /// Holidays of one year only (lunar holidays, exceptional days off).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<DatedHoliday>>", optional))]
    pub dated_holidays: Vec<DatedHoliday>,
    /// The text that lists the fixed holidays (a decree and its amendments), unless a holiday names its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_holidays_source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixedHoliday {
    pub month: u32,
    pub day: u32,
    pub name: LocalizedText,
    /// The text that made the day a holiday, when it is not the calendar's `fixedHolidaysSource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A real calendar date written exactly `YYYY-MM-DD`, as chrono writes the dates of years 0 to 9999: what form
/// fields, calendars and the SDK's arguments accept. Narrower than chrono's parser, which the SDK does not carry.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shaped {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(5..7)?.parse().ok()?;
    let day = text.get(8..10)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date of a calendar's JSON, by [`parse_date`].
fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
    parse_date(&text)
        .ok_or_else(|| serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &"a date written YYYY-MM-DD"))
}

/// A holiday of one year: a lunar feast (its date depends on the sighting of the moon) or an exceptional
/// day off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DatedHoliday {
    /// `YYYY-MM-DD`.
    #[serde(deserialize_with = "iso_date")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date: NaiveDate,
    pub name: LocalizedText,
    /// The text that makes the day off (the decree listing the feast, or the announcement of the date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A date computed in advance, not yet announced: the operator replaces it once the date is known.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
}

/// How the days of a deadline are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCounting {
    Working,
    Calendar,
}

/// A legal deadline: `20` working days, `60` calendar days, `0` for the same day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Deadline {
    pub days: u32,
    pub counting: DayCounting,
}

/// How far the calendar functions look for a working day before giving up: ten years. Only a calendar with no
/// working day at all (seven weekend days, which [`WorkingCalendar::check`] rejects) gets that far, and the
/// functions still return instead of looping.
pub const SEARCH_LIMIT_DAYS: u32 = 3660;

impl WorkingCalendar {
    /// Whether `date` is a working day: not a weekend day, not a fixed holiday (same month and day every year;
    /// a 29 February holiday only falls in leap years) and not a dated holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.weekend.contains(&date.weekday())
            && !self.fixed_holidays.iter().any(|h| h.month == date.month() && h.day == date.day())
            && !self.dated_holidays.iter().any(|h| h.date == date)
    }

    /// `date` itself when it is a working day, else the first working day after it.
    ///
    /// The search stops after [`SEARCH_LIMIT_DAYS`] days (or at the last representable date); when it finds no
    /// working day, `date` is returned unchanged.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        self.first_working_day_from(date).unwrap_or(date)
    }

    /// The `days`th working day strictly after `start`. The start day (the day of submission) is day 0 and is
    /// not counted, whether or not it is a working day: 1 working day after a Friday is the next Monday when
    /// the weekend is Saturday and Sunday. `0` days gives `start` itself, so that
    /// `add_working_days(add_working_days(s, a), b) == add_working_days(s, a + b)`.
    ///
    /// Each step looks at most [`SEARCH_LIMIT_DAYS`] days ahead; when no working day is found there (a calendar
    /// without working days) or the dates run out, the last working day reached is returned.
    pub fn add_working_days(&self, start: NaiveDate, days: u32) -> NaiveDate {
        let mut date = start;
        for _ in 0..days {
            match date.succ_opt().and_then(|next| self.first_working_day_from(next)) {
                Some(next) => date = next,
                None => break,
            }
        }
        date
    }

    /// The day by which a decision is due when the request was submitted on `start`.
    ///
    /// The start day is day 0 and is not counted.
    /// - [`DayCounting::Working`], N > 0: the Nth working day strictly after `start`
    ///   ([`add_working_days`](Self::add_working_days)).
    /// - [`DayCounting::Calendar`], N > 0: `start` + N calendar days; when that day is not a working day the
    ///   deadline moves to the next working day, as legal practice has it.
    /// - 0 days (same-day services), either counting: `start` when it is a working day, else the next working
    ///   day.
    ///
    /// The result is always a working day, except for a calendar without working days (see
    /// [`SEARCH_LIMIT_DAYS`]). In working days it grows strictly with N from N = 1; 0 and 1 give the same day
    /// when `start` is not a working day.
    pub fn due_date(&self, start: NaiveDate, deadline: Deadline) -> NaiveDate {
        match (deadline.counting, deadline.days) {
            (_, 0) => self.next_working_day_on_or_after(start),
            (DayCounting::Working, days) => self.add_working_days(start, days),
            (DayCounting::Calendar, days) => {
                let day = start.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
                self.next_working_day_on_or_after(day)
            }
        }
    }

    /// Checks the calendar and lists every problem at once (code `INVALID_DEFINITION`): fixed holidays name a
    /// real month and day (`calendar.fixedHolidays[i]`; 29 February is allowed), no weekend day is listed
    /// twice (`calendar.weekend[i]`) and at least one day of the week is a working day (`calendar.weekend`).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (i, day) in self.weekend.iter().enumerate() {
            if self.weekend[..i].contains(day) {
                errors.push(invalid(
                    format!("calendar.weekend[{i}]"),
                    format!("اليوم {day} مذكور أكثر من مرة في عطلة نهاية الأسبوع."),
                    format!("Le jour {day} figure plusieurs fois dans le week-end."),
                    format!("{day} is listed more than once in the weekend."),
                    format!("ⴰⵙⵙ {day} ⵉⵜⵜⵓⵙⵎⴷⵢⴰ ⵓⴳⴳⴰⵔ ⵏ ⵜⵉⴽⴽⵍⵜ ⴳ ⵜⴳⵉⵔⴰ ⵏ ⵉⵎⴰⵍⴰⵙ."),
                ));
            }
        }
        let days_off: BTreeSet<u32> = self.weekend.iter().map(|day| day.num_days_from_monday()).collect();
        if days_off.len() >= 7 {
            errors.push(invalid(
                "calendar.weekend".to_owned(),
                "لا يمكن أن تكون أيام الأسبوع السبعة كلها أيام عطلة.".to_owned(),
                "Les sept jours de la semaine ne peuvent pas tous être chômés.".to_owned(),
                "The seven days of the week cannot all be days off.".to_owned(),
                "ⵙⴰ ⵏ ⵡⵓⵙⵙⴰⵏ ⵏ ⵉⵎⴰⵍⴰⵙ ⵓⵔ ⵣⵎⵎⵔⵏ ⴰⴷ ⵉⵍⵉⵏ ⴰⴽⴽⵯ ⴷ ⵓⵙⵙⴰⵏ ⵏ ⵓⵙⵙⵓⵏⴼⵓ.".to_owned(),
            ));
        }
        for (i, holiday) in self.fixed_holidays.iter().enumerate() {
            // 2000 is a leap year: 29 February is a valid fixed holiday, 30 February is not.
            if NaiveDate::from_ymd_opt(2000, holiday.month, holiday.day).is_none() {
                let (month, day) = (holiday.month, holiday.day);
                errors.push(invalid(
                    format!("calendar.fixedHolidays[{i}]"),
                    format!("التاريخ {day}/{month} غير موجود في التقويم."),
                    format!("La date {day}/{month} n'existe pas dans le calendrier."),
                    format!("The date {month}/{day} (month/day) does not exist."),
                    format!("ⴰⵣⵎⵣ {day}/{month} ⵓⵔ ⵉⵍⵍⵉ ⴳ ⵓⵙⵎⵓⵙⵙⵓ ⵏ ⵓⵣⵎⵣ."),
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The dated holidays of `year`, in date order.
    pub fn dated_holidays_of(&self, year: i32) -> Vec<&DatedHoliday> {
        let mut days: Vec<&DatedHoliday> = self.dated_holidays.iter().filter(|h| h.date.year() == year).collect();
        days.sort_by_key(|h| h.date);
        days
    }

    /// The calendar with the dated holidays of `year` replaced by `holidays` (those of other years kept), in
    /// date order. Fails (`INVALID_DEFINITION`, every problem at once) when a holiday falls in another year,
    /// a date is listed twice or a holiday has no name (`holidays[i]`).
    pub fn with_dated_holidays(&self, year: i32, holidays: Vec<DatedHoliday>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (i, holiday) in holidays.iter().enumerate() {
            let date = holiday.date;
            if date.year() != year {
                errors.push(invalid(
                    format!("holidays[{i}].date"),
                    format!("التاريخ {date} ليس من سنة {year}."),
                    format!("La date {date} n'est pas de l'année {year}."),
                    format!("{date} is not in {year}."),
                    format!("ⴰⵣⵎⵣ {date} ⵓⵔ ⵉⴳⵉ ⵙⴳ ⵓⵙⴳⴳⵯⴰⵙ {year}."),
                ));
            } else if holidays[..i].iter().any(|h| h.date == date) {
                errors.push(invalid(
                    format!("holidays[{i}].date"),
                    format!("التاريخ {date} مذكور أكثر من مرة."),
                    format!("La date {date} figure plusieurs fois."),
                    format!("{date} is listed more than once."),
                    format!("ⴰⵣⵎⵣ {date} ⵉⵜⵜⵓⵙⵎⴷⵢⴰ ⵓⴳⴳⴰⵔ ⵏ ⵜⵉⴽⴽⵍⵜ."),
                ));
            }
            if holiday.name.is_empty() {
                errors.push(invalid(
                    format!("holidays[{i}].name"),
                    "لكل عطلة اسم.".to_owned(),
                    "Chaque jour férié a un nom.".to_owned(),
                    "Every holiday has a name.".to_owned(),
                    "ⴽⵓ ⴰⵙⵙ ⵏ ⵓⵙⵙⵓⵏⴼⵓ ⵖⵓⵔⵙ ⵉⵙⵎ.".to_owned(),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut calendar = self.clone();
        calendar.dated_holidays.retain(|h| h.date.year() != year);
        calendar.dated_holidays.extend(holidays);
        calendar.dated_holidays.sort_by_key(|h| h.date);
        Ok(calendar)
    }

    /// Where a request's decision date goes when the calendar changes from `self` to `new`: a deadline of
    /// working days keeps its number of working days counted from `submitted_on`, so a day that became a
    /// holiday pushes the date back by one working day; a date on a day that is no longer a working day
    /// moves to the next working day. A date is never brought forward: a holiday removed (an estimated date
    /// corrected) leaves the announced date as it is. `None` when the date does not move.
    pub fn moved_decision_date(
        &self,
        new: &WorkingCalendar,
        submitted_on: NaiveDate,
        decision_due: NaiveDate,
        counting: DayCounting,
    ) -> Option<NaiveDate> {
        let moved = match counting {
            DayCounting::Working if decision_due > submitted_on => {
                let mut days = 0u32;
                let mut date = submitted_on;
                while let Some(next) = date.succ_opt().filter(|next| *next <= decision_due) {
                    date = next;
                    if self.is_working_day(date) {
                        days += 1;
                    }
                }
                new.add_working_days(submitted_on, days).max(new.next_working_day_on_or_after(decision_due))
            }
            _ => new.next_working_day_on_or_after(decision_due),
        };
        (moved > decision_due).then_some(moved)
    }

    /// The first working day on or after `date`, looking at most [`SEARCH_LIMIT_DAYS`] days ahead.
    fn first_working_day_from(&self, date: NaiveDate) -> Option<NaiveDate> {
        date.iter_days().take(SEARCH_LIMIT_DAYS as usize).find(|day| self.is_working_day(*day))
    }
}

/// The instant the local day `date` ends in `tz`: the first instant at which the local clock reads the next
/// day's midnight.
///
/// Where that midnight is skipped (a clock change at midnight, as some zones do), the day ends when the clock
/// jumps; where it happens twice (clocks set back to midnight), the day ends at the first one. Africa/Casablanca
/// changes its offset around Ramadan, at 02:00 or 03:00, so its days are 23 or 25 hours long twice a year.
pub fn end_of_day_utc(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let Some(next) = date.succ_opt() else {
        return DateTime::<Utc>::MAX_UTC;
    };
    let midnight = next.and_time(NaiveTime::MIN);
    // A clock change moves local time by at most a few hours; a day is a safe bound for the skipped span.
    (0..=MINUTES_PER_DAY)
        .filter_map(|minutes| midnight.checked_add_signed(TimeDelta::minutes(minutes)))
        .find_map(|local| tz.from_local_datetime(&local).earliest())
        .map(|instant| instant.with_timezone(&Utc))
        .unwrap_or_else(|| {
            let offset = tz.offset_from_utc_datetime(&midnight).fix();
            Utc.from_utc_datetime(&(midnight - offset))
        })
}

const MINUTES_PER_DAY: i64 = 24 * 60;

fn invalid(path: String, ar: String, fr: String, en: String, tzm: String) -> FieldError {
    let message = LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm);
    FieldError::new(path, FieldErrorCode::InvalidDefinition, message)
}

#[cfg(test)]
mod tests {
    use chrono::Weekday::{Fri, Mon, Sat, Sun, Thu};
    use proptest::prelude::*;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn name(fr: &str) -> LocalizedText {
        LocalizedText::ar_fr("عطلة", fr)
    }

    /// A Moroccan-like calendar: Saturday and Sunday off, the national fixed holidays and the 2026 lunar
    /// holidays as an operator would enter them.
    fn moroccan() -> WorkingCalendar {
        let fixed = [(1, 1), (1, 11), (1, 14), (5, 1), (7, 30), (8, 14), (8, 20), (8, 21), (11, 6), (11, 18)];
        WorkingCalendar {
            weekend: vec![Sat, Sun],
            fixed_holidays: fixed
                .into_iter()
                .map(|(month, day)| FixedHoliday { month, day, name: name("Fête nationale"), source: None })
                .collect(),
            dated_holidays: ["2026-03-20", "2026-05-27", "2026-05-28"]
                .into_iter()
                .map(|d| DatedHoliday { date: date(d), name: name("Fête religieuse"), source: None, estimated: false })
                .collect(),
            fixed_holidays_source: None,
        }
    }

    #[test]
    fn dated_holidays_read_dates_written_yyyy_mm_dd() {
        let read = |date: &str| {
            serde_json::from_value::<DatedHoliday>(serde_json::json!({ "date": date, "name": { "fr": "Aïd" } }))
        };
        assert_eq!(read("2026-03-20").unwrap().date, date("2026-03-20"));
        for bad in ["2026-3-20", " 2026-03-20", "2026-02-30", "+2026-03-20", "2026/03/20"] {
            let error = read(bad).unwrap_err().to_string();
            assert!(error.contains("a date written YYYY-MM-DD"), "{bad}: {error}");
        }
        // What a calendar writes, it reads back.
        let calendar = moroccan();
        let written = serde_json::to_value(&calendar).unwrap();
        assert_eq!(serde_json::from_value::<WorkingCalendar>(written).unwrap(), calendar);
    }

    #[test]
    fn working_days() {
        let calendar = moroccan();
        let cases = [
            ("2026-01-13", true),  // Tuesday
            ("2026-01-14", false), // Wednesday, Amazigh New Year
            ("2026-01-10", false), // Saturday
            ("2026-01-11", false), // Sunday and a holiday
            ("2026-03-20", false), // Friday, a dated holiday
            ("2027-03-20", false), // a Saturday; the dated holiday was for 2026 only
            ("2027-03-19", true),  // Friday
            ("2027-05-27", true),  // Thursday; the 2026 dated holiday does not repeat
            ("2027-11-18", false), // Thursday, Independence Day
        ];
        for (day, expected) in cases {
            assert_eq!(calendar.is_working_day(date(day)), expected, "{day}");
        }
    }

    #[test]
    fn due_dates() {
        use DayCounting::{Calendar, Working};
        let calendar = moroccan();
        // (start, days, counting, due, why) — expected dates counted by hand on a 2025–2026 calendar.
        let cases = [
            // Thursday 30 April, Friday 1 May is a holiday; 4–8 May (5), 11–15 (10), 18–22 (15), 25–26 (17),
            // 27–28 May are dated holidays, Friday 29 (18), Monday 1 June (19), Tuesday 2 June (20).
            ("2026-04-30", 20, Working, "2026-06-02", "20 working days from a Thursday before a holiday"),
            // Wednesday 24 December: 25, 26, 29, 30, 31 (5), 1 January off, 2 (6), 5–8 (10), 9 (11), 12 (12),
            // 13 (13), 14 January off, 15 (14), 16 (15).
            ("2025-12-24", 15, Working, "2026-01-16", "working days across the year end"),
            // Friday 2 January + 30 days = Sunday 1 February, moved to Monday 2 February.
            ("2026-01-02", 30, Calendar, "2026-02-02", "calendar days landing on a Sunday"),
            // Tuesday 21 July + 30 days = Thursday 20 August (holiday), Friday 21 (holiday), then the weekend.
            ("2026-07-21", 30, Calendar, "2026-08-24", "calendar days landing on two holidays and a weekend"),
            // Monday 2 March + 60 days = Friday 1 May (holiday), moved past the weekend.
            ("2026-03-02", 60, Calendar, "2026-05-04", "60 calendar days landing on Labour Day"),
            // Friday 9 January + 10 days = Monday 19 January, a working day.
            ("2026-01-09", 10, Calendar, "2026-01-19", "calendar days landing on a working day"),
            // Saturday 10 January: Sunday 11 is off too, Monday 12 is the first working day.
            ("2026-01-10", 0, Working, "2026-01-12", "same-day service asked on a Saturday"),
            ("2026-01-10", 0, Calendar, "2026-01-12", "same-day service asked on a Saturday, calendar days"),
            ("2026-01-10", 1, Working, "2026-01-12", "one working day from a Saturday: the same Monday"),
            ("2026-01-13", 0, Working, "2026-01-13", "same-day service on a working day"),
            ("2026-01-14", 0, Calendar, "2026-01-15", "same-day service asked on a holiday"),
            ("2026-01-09", 1, Working, "2026-01-12", "one working day after a Friday"),
            // Submitted on a Saturday: 12, 13 (2), 14 off, 15, 16 (4), 19 (5).
            ("2026-01-10", 5, Working, "2026-01-19", "working days from a Saturday submission"),
            // Thursday 19 March, Friday 20 March is a dated holiday (Eid al-Fitr).
            ("2026-03-19", 1, Working, "2026-03-23", "one working day before a dated holiday"),
            // Wednesday 29 July: 30 July off (Throne Day), 31 (1), 3–6 August (5).
            ("2026-07-29", 5, Working, "2026-08-06", "working days across Throne Day"),
        ];
        for (start, days, counting, due, why) in cases {
            assert_eq!(calendar.due_date(date(start), Deadline { days, counting }), date(due), "{why}");
        }
    }

    fn holiday(d: &str) -> DatedHoliday {
        DatedHoliday { date: date(d), name: name("Aïd al-Fitr"), source: None, estimated: false }
    }

    #[test]
    fn the_dated_holidays_of_a_year_are_replaced() {
        let calendar = moroccan();
        let set = calendar.with_dated_holidays(2026, vec![holiday("2026-03-21"), holiday("2026-03-20")]).unwrap();
        let dates: Vec<_> = set.dated_holidays.iter().map(|h| h.date.to_string()).collect();
        assert_eq!(dates, ["2026-03-20", "2026-03-21"]);
        // Other years are kept.
        let set = set.with_dated_holidays(2027, vec![holiday("2027-03-10")]).unwrap();
        assert_eq!(set.dated_holidays_of(2026).len(), 2);
        assert_eq!(set.dated_holidays_of(2027).len(), 1);
        let errors = calendar
            .with_dated_holidays(
                2027,
                vec![
                    holiday("2026-03-20"),
                    holiday("2027-03-10"),
                    holiday("2027-03-10"),
                    DatedHoliday { name: LocalizedText::new(), ..holiday("2027-03-11") },
                ],
            )
            .unwrap_err();
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["holidays[0].date", "holidays[2].date", "holidays[3].name"]);
    }

    #[test]
    fn a_new_holiday_moves_decision_dates_later_never_earlier() {
        use DayCounting::{Calendar, Working};
        let before = WorkingCalendar { dated_holidays: vec![], ..moroccan() };
        // Aïd al-Fitr 2027 announced for Wednesday 10 and Thursday 11 March.
        let after = before.with_dated_holidays(2027, vec![holiday("2027-03-10"), holiday("2027-03-11")]).unwrap();
        // Monday 1 March + 20 working days: 2–5 (4), 8–12 (9), 15–19 (14), 22–26 (19), 29 (20) without the
        // feast; two days later with it.
        let submitted = date("2027-03-01");
        let due = before.due_date(submitted, Deadline { days: 20, counting: Working });
        assert_eq!(due, date("2027-03-29"));
        assert_eq!(after.due_date(submitted, Deadline { days: 20, counting: Working }), date("2027-03-31"));
        assert_eq!(before.moved_decision_date(&after, submitted, due, Working), Some(date("2027-03-31")));
        // A deadline ending before the feast does not move.
        let early = before.due_date(submitted, Deadline { days: 5, counting: Working });
        assert_eq!(before.moved_decision_date(&after, submitted, early, Working), None);
        // Calendar days: only a date falling on the new holiday moves, to the next working day.
        assert_eq!(
            before.moved_decision_date(&after, date("2027-02-08"), date("2027-03-10"), Calendar),
            Some(date("2027-03-12"))
        );
        assert_eq!(before.moved_decision_date(&after, submitted, date("2027-03-15"), Calendar), None);
        // The estimate corrected the other way: the holiday removed brings nothing forward.
        assert_eq!(after.moved_decision_date(&before, submitted, date("2027-03-31"), Working), None);
    }

    #[test]
    fn next_working_day() {
        let calendar = moroccan();
        let cases = [("2026-01-13", "2026-01-13"), ("2026-08-20", "2026-08-24"), ("2025-12-31", "2025-12-31")];
        for (day, expected) in cases {
            assert_eq!(calendar.next_working_day_on_or_after(date(day)), date(expected), "{day}");
        }
        assert_eq!(calendar.add_working_days(date("2026-01-10"), 0), date("2026-01-10"));
    }

    #[test]
    fn a_calendar_without_working_days_does_not_loop() {
        let calendar = WorkingCalendar {
            weekend: vec![Mon, Weekday::Tue, Weekday::Wed, Thu, Fri, Sat, Sun],
            fixed_holidays: vec![],
            dated_holidays: vec![],
            fixed_holidays_source: None,
        };
        let start = date("2026-01-10");
        assert_eq!(calendar.next_working_day_on_or_after(start), start);
        assert_eq!(calendar.add_working_days(start, 20), start);
        let deadline = Deadline { days: 20, counting: DayCounting::Working };
        assert_eq!(calendar.due_date(start, deadline), start);
        let errors = calendar.check().unwrap_err();
        assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["calendar.weekend"]);
    }

    /// A change that breaks a valid calendar.
    type Breakage = fn(&mut WorkingCalendar);

    #[test]
    fn checks() {
        assert_eq!(moroccan().check(), Ok(()));
        let leap = WorkingCalendar {
            fixed_holidays: vec![FixedHoliday { month: 2, day: 29, name: name("Jour bissextile"), source: None }],
            ..moroccan()
        };
        assert_eq!(leap.check(), Ok(()));
        assert!(leap.is_working_day(date("2027-03-01")));
        assert!(!leap.is_working_day(date("2028-02-29")));

        let cases: [(Breakage, &[&str]); 5] = [
            (|c| c.fixed_holidays[3].day = 32, &["calendar.fixedHolidays[3]"]),
            (
                |c| c.fixed_holidays[0] = FixedHoliday { month: 2, day: 30, name: name("x"), source: None },
                &["calendar.fixedHolidays[0]"],
            ),
            (|c| c.fixed_holidays[9].month = 13, &["calendar.fixedHolidays[9]"]),
            (|c| c.weekend = vec![Fri, Sat, Fri], &["calendar.weekend[2]"]),
            (
                |c| c.weekend = vec![Mon, Weekday::Tue, Weekday::Wed, Thu, Fri, Sat, Sun, Sun],
                &["calendar.weekend[7]", "calendar.weekend"],
            ),
        ];
        for (break_it, expected) in cases {
            let mut calendar = moroccan();
            break_it(&mut calendar);
            let errors = calendar.check().unwrap_err();
            assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), expected);
            for error in &errors {
                assert_eq!(error.code, FieldErrorCode::InvalidDefinition);
                for locale in [Locale::Ar, Locale::Fr, Locale::En] {
                    assert!(error.message.exact(locale).is_some(), "{} has no {locale} message", error.path);
                }
            }
        }
    }

    #[test]
    fn end_of_local_day() {
        let cases = [
            // Casablanca is at +01 most of the year…
            ("2026-04-30", "Africa/Casablanca", "2026-04-30T23:00:00Z"),
            ("2026-02-14", "Africa/Casablanca", "2026-02-14T23:00:00Z"),
            // …and at +00 during Ramadan: clocks go back on 15 February 2026 at 03:00, forward on 22 March at 02:00.
            ("2026-02-15", "Africa/Casablanca", "2026-02-16T00:00:00Z"),
            ("2026-03-21", "Africa/Casablanca", "2026-03-22T00:00:00Z"),
            ("2026-03-22", "Africa/Casablanca", "2026-03-22T23:00:00Z"),
            ("2026-06-02", "Africa/Nouakchott", "2026-06-03T00:00:00Z"),
            // Midnight skipped: on 4 November 2018 São Paulo went from 00:00 (-03) to 01:00 (-02).
            ("2018-11-03", "America/Sao_Paulo", "2018-11-04T03:00:00Z"),
            // Midnight twice: on 4 November 2018 Havana went from 01:00 (-04) back to 00:00 (-05).
            ("2018-11-03", "America/Havana", "2018-11-04T04:00:00Z"),
            // Midnight skipped in Havana on 11 March 2018 (00:00 -05 became 01:00 -04).
            ("2018-03-10", "America/Havana", "2018-03-11T05:00:00Z"),
        ];
        for (day, zone, expected) in cases {
            let tz: Tz = zone.parse().unwrap();
            let expected: DateTime<Utc> = expected.parse().unwrap();
            assert_eq!(end_of_day_utc(date(day), tz), expected, "{day} in {zone}");
        }
        assert_eq!(end_of_day_utc(NaiveDate::MAX, Tz::UTC), DateTime::<Utc>::MAX_UTC);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..(366 * 30)).prop_map(|offset| date("2010-01-01") + Days::new(offset))
    }

    proptest! {
        #[test]
        fn working_day_deadlines(start in any_date(), n in 0u32..400, a in 0u32..200, b in 0u32..200) {
            let calendar = moroccan();
            let due = |days| calendar.due_date(start, Deadline { days, counting: DayCounting::Working });
            prop_assert!(calendar.is_working_day(due(n)));
            prop_assert!(due(n) >= start);
            // Strictly increasing from one day on. A same-day deadline asked on a day off falls on the first
            // working day, which is also the deadline of one working day.
            if n >= 1 {
                prop_assert!(due(n) < due(n + 1));
            }
            prop_assert_eq!(due(0) == due(1), !calendar.is_working_day(start));
            prop_assert!(due(0) <= due(1));
            prop_assert_eq!(
                calendar.add_working_days(start, a + b),
                calendar.add_working_days(calendar.add_working_days(start, a), b)
            );
        }

        #[test]
        fn calendar_day_deadlines(start in any_date(), n in 0u32..400) {
            let calendar = moroccan();
            let due = calendar.due_date(start, Deadline { days: n, counting: DayCounting::Calendar });
            prop_assert!(calendar.is_working_day(due));
            prop_assert!(due >= start + Days::new(u64::from(n)));
        }
    }
}
