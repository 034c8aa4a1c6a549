//! Working-day calendars and legal deadlines: weekends, fixed holidays and dated holidays (the lunar ones an
//! operator enters each year).

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::i18n::LocalizedText;

/// A commune's calendar of working days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingCalendar {
    /// Days off every week (`["Sat", "Sun"]`).
    pub weekend: Vec<Weekday>,
    /// Holidays on the same day every year.
    #[serde(default)]
    pub fixed_holidays: Vec<FixedHoliday>,
    /// Holidays of one year only (lunar holidays, exceptional days off).
    #[serde(default)]
    pub dated_holidays: Vec<DatedHoliday>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedHoliday {
    pub month: u32,
    pub day: u32,
    pub name: LocalizedText,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedHoliday {
    pub date: NaiveDate,
    pub name: LocalizedText,
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
