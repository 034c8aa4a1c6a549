//! Indicators of the service a commune gives: the period they cover, the median processing time, the
//! within-deadline rule, the backlog's age buckets, and how per-commune figures add up to regional and
//! national totals. Pure: the store counts, these rules say what the counts mean.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::error::{Error, FieldErrorCode};
use crate::model::calendar::end_of_day_utc;
use crate::model::i18n::LocalizedText;
use crate::model::keys::ServiceCode;

/// The action by which a citizen reopens an answered complaint (the complaint procedures' `reopen`): a
/// complaint is counted as reopened when its history holds a transition by this action.
pub const REOPEN_ACTION: &str = "reopen";
/// The longest period a caller may ask for, in days (ten years).
pub const MAX_PERIOD_DAYS: i64 = 3_660;
/// The upper bounds, in days of age, of the backlog's buckets; the last bucket is open-ended.
pub const BACKLOG_BOUNDS_DAYS: [u32; 4] = [7, 30, 60, 90];

/// The dates an indicator covers, both included, as local days of the commune.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// The period from `from` to `to`. A missing end defaults to a calendar year: no `from`, the first of
    /// January of `to`'s year (or of `today`'s); no `to`, the last of December of `from`'s year. The end may
    /// not come before the start, and a period spans at most [`MAX_PERIOD_DAYS`].
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<Self, Error> {
        let year_of = |date: NaiveDate| date.year();
        let from = match from {
            Some(from) => from,
            None => first_of_year(year_of(to.unwrap_or(today)))?,
        };
        let to = match to {
            Some(to) => to,
            None => NaiveDate::from_ymd_opt(year_of(from), 12, 31).ok_or_else(|| out_of_range("from"))?,
        };
        if to < from {
            return Err(Error::field(
                "to",
                FieldErrorCode::InvalidValue,
                LocalizedText::ar_fr("تاريخ النهاية يسبق تاريخ البداية", "la date de fin précède la date de début")
                    .with(crate::model::i18n::Locale::En, "the end date comes before the start date")
                    .with(crate::model::i18n::Locale::Tzm, "ⴰⵣⵎⵣ ⵏ ⵜⴳⵉⵔⴰ ⵉⵣⵡⴰⵔ ⴰⵣⵎⵣ ⵏ ⵓⵙⵏⵜⵉ"),
            ));
        }
        if (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(out_of_range("from"));
        }
        Ok(Self { from, to })
    }

    /// The first day.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// The last day.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// The instants the period covers in the time zone `tz`: from the start of its first local day
    /// (included) to the end of its last (excluded).
    pub fn bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = match self.from.pred_opt() {
            Some(before) => end_of_day_utc(before, tz),
            None => DateTime::<Utc>::MIN_UTC,
        };
        (start, end_of_day_utc(self.to, tz))
    }
}

fn first_of_year(year: i32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| out_of_range("to"))
}

fn out_of_range(path: &str) -> Error {
    Error::field(
        path,
        FieldErrorCode::OutOfRange,
        LocalizedText::ar_fr("الفترة طويلة جدا (عشر سنوات على الأكثر)", "période trop longue (dix ans au plus)")
            .with(crate::model::i18n::Locale::En, "the period is too long (ten years at most)")
            .with(crate::model::i18n::Locale::Tzm, "ⵜⴰⵣⵎⵣⵜ ⵜⵖⵣⵣⵉⴼ ⴰⴽⵯ (ⵎⵔⴰⵡ ⵏ ⵉⵙⴳⴳⵯⴰⵙⵏ ⵖⴰⵙ)"),
    )
}

/// Where the median of `n` sorted values lies: the offset of the first middle value and how many values to
/// read there (one when `n` is odd, two when it is even). None when there are no values.
pub fn median_window(n: u64) -> Option<(u64, u64)> {
    match n {
        0 => None,
        n if n % 2 == 1 => Some((n / 2, 1)),
        n => Some((n / 2 - 1, 2)),
    }
}

/// The median from the values read at [`median_window`]: the one value, or the mean of the two.
pub fn median_of_window(window: &[f64]) -> Option<f64> {
    match window {
        [one] => Some(*one),
        [low, high] => Some((low + high) / 2.0),
        _ => None,
    }
}

/// The median of `values`, in any order.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (offset, len) = median_window(sorted.len() as u64)?;
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    median_of_window(sorted.get(start..end)?)
}

/// The instant a decision due on the local day `due` becomes late: the end of that day in the commune's zone.
pub fn deadline_end(due: NaiveDate, tz: Tz) -> DateTime<Utc> {
    end_of_day_utc(due, tz)
}

/// Whether a request decided at `decided_at` was decided within its legal deadline `due` (a local day).
pub fn within_deadline(decided_at: DateTime<Utc>, due: NaiveDate, tz: Tz) -> bool {
    decided_at < deadline_end(due, tz)
}

/// `part` out of `whole`, between 0 and 1; None when `whole` is zero.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The submission instants that split the backlog's buckets at `as_of`: a request submitted after the first
/// one is younger than 7 days, after the second younger than 30, and so on.
pub fn backlog_thresholds(as_of: DateTime<Utc>) -> [DateTime<Utc>; 4] {
    BACKLOG_BOUNDS_DAYS.map(|days| as_of - TimeDelta::days(i64::from(days)))
}

/// Open requests of one age bucket: at least `min_days` old and younger than `max_days` (none: no bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BacklogBucket {
    pub min_days: u32,
    pub max_days: Option<u32>,
    pub count: u64,
}

/// The buckets from the number of open requests younger than each of [`BACKLOG_BOUNDS_DAYS`] and their total.
pub fn backlog_buckets(younger_than: [u64; 4], total: u64) -> Vec<BacklogBucket> {
    let mut buckets = Vec::with_capacity(BACKLOG_BOUNDS_DAYS.len() + 1);
    let (mut min_days, mut below) = (0, 0);
    for (max_days, cumulative) in BACKLOG_BOUNDS_DAYS.into_iter().zip(younger_than) {
        buckets.push(BacklogBucket { min_days, max_days: Some(max_days), count: cumulative.saturating_sub(below) });
        (min_days, below) = (max_days, cumulative);
    }
    buckets.push(BacklogBucket { min_days, max_days: None, count: total.saturating_sub(below) });
    buckets
}

/// Requests of one service in one state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateCount {
    pub state: String,
    pub count: u64,
}

/// The figures of one service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceFigures {
    pub service_code: ServiceCode,
    /// Requests submitted in the period.
    pub submitted: u64,
    /// Those requests by their current state (workflow state keys), in key order.
    pub by_state: Vec<StateCount>,
    /// Requests decided in the period (a final state other than a withdrawal).
    pub decided: u64,
    /// Of those, the ones decided by the end of the local day of their legal deadline.
    pub decided_within_deadline: u64,
    /// The steps of its states with an SLA, per state (workflow state keys), in key order.
    pub steps: Vec<StepFigures>,
}

/// The steps of one state with an SLA (`slaDays`): those that ended in the period (the request left the state)
/// and those still under way whose due day ended in the period, before the figures were read; and of them,
/// the ones that ended by the end of their due day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepFigures {
    pub state: String,
    /// Steps measured: ended in the period, or overdue and still under way.
    pub measured: u64,
    /// Of those, the steps that ended within their SLA.
    pub within_sla: u64,
}

impl StepFigures {
    /// The share of the steps within their SLA; None when none was measured.
    pub fn within_sla_share(&self) -> Option<f64> {
        share(self.within_sla, self.measured)
    }
}

/// The entry of `state` in `steps`, kept in key order.
pub fn step_entry<'a>(steps: &'a mut Vec<StepFigures>, state: &str) -> &'a mut StepFigures {
    let index = match steps.binary_search_by(|s| s.state.as_str().cmp(state)) {
        Ok(index) => index,
        Err(index) => {
            steps.insert(index, StepFigures { state: state.to_owned(), ..StepFigures::default() });
            index
        }
    };
    &mut steps[index]
}

/// Requests submitted in the period by how they stand: still open, or how they ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub open: u64,
    pub approved: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    pub closed: u64,
}

/// Complaints: the requests of a complaint procedure (a service with a complaint section; `reclamation` in the
/// commune standard).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ComplaintFigures {
    /// Complaints submitted in the period.
    pub received: u64,
    /// Complaints reopened by their applicant in the period (a transition by [`REOPEN_ACTION`]).
    pub reopened: u64,
    /// Satisfaction ratings (1 to 5) the applicants gave in the period (the current rating of each complaint
    /// rated then: a later rating replaces an earlier one).
    pub ratings: u64,
    /// The sum of those ratings: kept rather than the mean, so that totals add up.
    pub rating_sum: u64,
}

impl ComplaintFigures {
    /// The mean satisfaction rating, from 1 to 5; None when no complaint was rated in the period.
    pub fn satisfaction(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.rating_sum as f64 / self.ratings as f64)
    }
}

/// The indicators of one commune, or the totals of several.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Requests submitted in the period.
    pub submitted: u64,
    /// Per service, in code order.
    pub by_service: Vec<ServiceFigures>,
    pub by_outcome: OutcomeCounts,
    /// Requests decided in the period (a final state other than a withdrawal).
    pub decided: u64,
    pub decided_within_deadline: u64,
    /// The median time from submission to decision of the requests decided in the period, in seconds. Totals
    /// over several communes have none: medians do not add up, and the platform reads each commune apart.
    pub median_processing_seconds: Option<f64>,
    /// Requests open at the end of the period (or now, if it has not ended), by age.
    pub backlog: Vec<BacklogBucket>,
    pub complaints: ComplaintFigures,
    /// The commune's disputes now (aggregates only: no party, no case).
    pub disputes: DisputeFigures,
}

/// The commune's court cases still open (not closed) and what is at stake in them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DisputeFigures {
    /// Cases not closed.
    pub open: u64,
    /// The sum of their stakes, in centimes.
    pub stakes_centimes: i64,
}

impl Figures {
    /// The share of decisions taken within their legal deadline; None when nothing was decided.
    pub fn within_deadline_share(&self) -> Option<f64> {
        share(self.decided_within_deadline, self.decided)
    }

    /// Open requests at the end of the period.
    pub fn backlog_total(&self) -> u64 {
        self.backlog.iter().map(|b| b.count).sum()
    }

    /// The totals of several communes' figures (without a median).
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Figures>) -> Figures {
        let mut total = Figures { backlog: backlog_buckets([0; 4], 0), ..Figures::default() };
        let mut services: BTreeMap<ServiceCode, (ServiceFigures, BTreeMap<String, u64>)> = BTreeMap::new();
        for figures in all {
            total.submitted += figures.submitted;
            total.decided += figures.decided;
            total.decided_within_deadline += figures.decided_within_deadline;
            let (t, o) = (&mut total.by_outcome, figures.by_outcome);
            t.open += o.open;
            t.approved += o.approved;
            t.rejected += o.rejected;
            t.withdrawn += o.withdrawn;
            t.closed += o.closed;
            for (sum, bucket) in total.backlog.iter_mut().zip(&figures.backlog) {
                sum.count += bucket.count;
            }
            total.complaints.received += figures.complaints.received;
            total.complaints.reopened += figures.complaints.reopened;
            total.complaints.ratings += figures.complaints.ratings;
            total.complaints.rating_sum += figures.complaints.rating_sum;
            total.disputes.open += figures.disputes.open;
            total.disputes.stakes_centimes =
                total.disputes.stakes_centimes.saturating_add(figures.disputes.stakes_centimes);
            for service in &figures.by_service {
                let (sum, states) = services.entry(service.service_code.clone()).or_insert_with(|| {
                    (ServiceFigures { service_code: service.service_code.clone(), ..ServiceFigures::default() }, {
                        BTreeMap::new()
                    })
                });
                sum.submitted += service.submitted;
                sum.decided += service.decided;
                sum.decided_within_deadline += service.decided_within_deadline;
                for step in &service.steps {
                    let entry = step_entry(&mut sum.steps, &step.state);
                    entry.measured += step.measured;
                    entry.within_sla += step.within_sla;
                }
                for state in &service.by_state {
                    *states.entry(state.state.clone()).or_default() += state.count;
                }
            }
        }
        total.by_service = services
            .into_values()
            .map(|(mut service, states)| {
                service.by_state = states.into_iter().map(|(state, count)| StateCount { state, count }).collect();
                service
            })
            .collect();
        total
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn median_of_hand_made_durations() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[42.0]), Some(42.0));
        // Odd: the middle one, whatever the order.
        assert_eq!(median(&[300.0, 5.0, 86_400.0, 60.0, 7.5]), Some(60.0));
        // Even: the mean of the two middle ones, not skewed by the outlier.
        assert_eq!(median(&[10.0, 3_000_000.0, 20.0, 30.0]), Some(25.0));
        // The window the store reads, for 4 and 5 values.
        assert_eq!(median_window(4), Some((1, 2)));
        assert_eq!(median_window(5), Some((2, 1)));
        assert_eq!(median_window(0), None);
    }

    /// Requests of Oujda (Africa/Casablanca: UTC+1 in June, out of Ramadan) decided around the end of their due day.
    #[test]
    fn deadline_share_of_hand_made_decisions() {
        let tz = chrono_tz::Africa::Casablanca;
        let due = date(2026, 6, 10);
        let decisions = [
            // Days before the deadline.
            (at(2026, 6, 2, 9, 0), true),
            // 23:30 local on the due day (22:30 UTC): on time.
            (at(2026, 6, 10, 22, 30), true),
            // 00:10 local the next day (23:10 UTC, still the 10th in UTC): late.
            (at(2026, 6, 10, 23, 10), false),
            // The next day: late.
            (at(2026, 6, 11, 10, 0), false),
        ];
        for (decided_at, expected) in decisions {
            assert_eq!(within_deadline(decided_at, due, tz), expected, "{decided_at}");
        }
        let within = decisions.iter().filter(|(at, _)| within_deadline(*at, due, tz)).count() as u64;
        assert_eq!(share(within, decisions.len() as u64), Some(0.5));
        assert_eq!(share(0, 0), None);
        // In Nouakchott (UTC) the same 23:10 UTC is still the due day.
        assert!(within_deadline(at(2026, 6, 10, 23, 10), due, chrono_tz::Africa::Nouakchott));
    }

    #[test]
    fn backlog_buckets_from_cumulative_counts() {
        let buckets = backlog_buckets([2, 5, 5, 6], 9);
        let counts: Vec<_> = buckets.iter().map(|b| (b.min_days, b.max_days, b.count)).collect();
        assert_eq!(counts, [(0, Some(7), 2), (7, Some(30), 3), (30, Some(60), 0), (60, Some(90), 1), (90, None, 3)]);
    }

    #[test]
    fn periods_default_to_a_calendar_year_and_are_checked() {
        let today = date(2026, 11, 21);
        let year = Period::new(None, None, today).unwrap();
        assert_eq!((year.from(), year.to()), (date(2026, 1, 1), date(2026, 12, 31)));
        let from = Period::new(Some(date(2025, 6, 1)), None, today).unwrap();
        assert_eq!(from.to(), date(2025, 12, 31));
        let reversed = Period::new(Some(date(2026, 2, 1)), Some(date(2026, 1, 1)), today).unwrap_err();
        assert_eq!(reversed.code(), "VALIDATION_FAILED");
        assert!(Period::new(Some(date(2000, 1, 1)), Some(date(2026, 1, 1)), today).is_err());
        // Local days: Oujda's 1 January starts at 23:00 UTC the day before.
        let (start, end) = year.bounds(chrono_tz::Africa::Casablanca);
        assert_eq!(start, at(2025, 12, 31, 23, 0));
        assert_eq!(end, at(2026, 12, 31, 23, 0));
    }

    #[test]
    fn totals_add_counts_and_drop_the_median() {
        let one = Figures {
            submitted: 3,
            by_service: vec![ServiceFigures {
                service_code: "a".into(),
                submitted: 3,
                by_state: vec![StateCount { state: "submitted".into(), count: 3 }],
                decided: 2,
                decided_within_deadline: 1,
                steps: vec![StepFigures { state: "urgent".into(), measured: 2, within_sla: 1 }],
            }],
            decided: 2,
            decided_within_deadline: 1,
            median_processing_seconds: Some(10.0),
            backlog: backlog_buckets([1, 1, 1, 1], 1),
            complaints: ComplaintFigures { received: 2, reopened: 1, ratings: 2, rating_sum: 7 },
            ..Figures::default()
        };
        assert_eq!(one.complaints.satisfaction(), Some(3.5));
        assert_eq!(ComplaintFigures::default().satisfaction(), None);
        let total = Figures::total([&one, &one]);
        assert_eq!(total.submitted, 6);
        assert_eq!(total.by_service[0].by_state[0].count, 6);
        assert_eq!(total.within_deadline_share(), Some(0.5));
        assert_eq!(total.backlog_total(), 2);
        assert_eq!(total.median_processing_seconds, None);
        assert_eq!(total.complaints, ComplaintFigures { received: 4, reopened: 2, ratings: 4, rating_sum: 14 });
        let steps = &total.by_service[0].steps;
        assert_eq!(steps, &[StepFigures { state: "urgent".into(), measured: 4, within_sla: 2 }]);
        assert_eq!(steps[0].within_sla_share(), Some(0.5));
        assert_eq!(StepFigures::default().within_sla_share(), None);
    }
}
