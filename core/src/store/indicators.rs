//! The indicators of one commune, counted by the database: a handful of aggregate queries over its requests,
//! their services, their history and its complaints, in the commune's transaction (so row-level security holds on
//! PostgreSQL). No request is loaded: only counts, the distinct due dates of the decisions, and the one or
//! two middle durations of the median.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use super::TenantTx;
use crate::error::Error;
use crate::model::indicators::{
    ComplaintFigures, Figures, REOPEN_ACTION, ServiceFigures, StateCount, backlog_buckets, backlog_thresholds,
    deadline_end, median_of_window, median_window, step_entry,
};
use crate::model::workflow::Outcome;

/// The requests of the commune, with the code of the service they were filed under.
const FROM_REQUESTS: &str =
    "FROM requests r JOIN services s ON s.tenant_id = r.tenant_id AND s.id = r.service_id WHERE r.tenant_id = ";

/// Counts the figures of the transaction's commune: requests submitted in `[start, end)`, decisions taken
/// then, and the backlog at `as_of`. `tz` is the commune's zone, in which deadlines end.
pub(crate) async fn figures(
    tx: &TenantTx,
    tz: Tz,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    as_of: DateTime<Utc>,
) -> Result<Figures, Error> {
    let mut figures = Figures::default();
    submitted(tx, start, end, &mut figures).await?;
    decided(tx, tz, start, end, &mut figures).await?;
    figures.median_processing_seconds = median_processing(tx, start, end, figures.decided).await?;
    steps(tx, tz, (start, end), as_of, &mut figures).await?;
    figures.backlog = backlog(tx, as_of).await?;
    let (open, stakes_centimes) = crate::modules::disputes::store::open_figures(tx).await?;
    figures.disputes = crate::model::indicators::DisputeFigures { open, stakes_centimes };
    figures.complaints = complaints(tx, start, end).await?;
    Ok(figures)
}

/// Requests submitted in the period, by service, state and outcome.
async fn submitted(
    tx: &TenantTx,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    figures: &mut Figures,
) -> Result<(), Error> {
    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT s.code AS code, r.state AS state, r.outcome AS outcome, COUNT(*) AS n {FROM_REQUESTS}{} \
         AND r.submitted_at >= {} AND r.submitted_at < {} GROUP BY s.code, r.state, r.outcome ORDER BY s.code, r.state",
        q.tenant(),
        q.bind(start),
        q.bind(end),
    );
    for row in q.all(&sql).await? {
        let code: String = get(&row, "code")?;
        let state: String = get(&row, "state")?;
        let outcome: Option<String> = get(&row, "outcome")?;
        let n = count(&row, "n")?;
        figures.submitted += n;
        let o = &mut figures.by_outcome;
        match outcome.as_deref() {
            None => o.open += n,
            Some(x) if x == Outcome::Approved.as_str() => o.approved += n,
            Some(x) if x == Outcome::Rejected.as_str() => o.rejected += n,
            Some(x) if x == Outcome::Withdrawn.as_str() => o.withdrawn += n,
            Some(_) => o.closed += n,
        }
        let service = service_entry(&mut figures.by_service, &code);
        service.submitted += n;
        match service.by_state.iter_mut().find(|s| s.state == state) {
            Some(existing) => existing.count += n,
            None => service.by_state.push(StateCount { state, count: n }),
        }
    }
    Ok(())
}

/// Decisions taken in the period, by service, and how many by the end of their due day.
async fn decided(
    tx: &TenantTx,
    tz: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    figures: &mut Figures,
) -> Result<(), Error> {
    // The deadline of each due date ends at a local midnight that only the commune's zone knows: the
    // database gets the few distinct due dates' ends as a CASE.
    let mut q = Sql::new(tx);
    let sql =
        format!("SELECT DISTINCT r.decision_due AS due FROM requests r WHERE r.tenant_id = {} AND {}", q.tenant(), {
            decided_filter(&mut q, start, end)
        });
    let dues: Vec<NaiveDate> = q.all(&sql).await?.iter().map(|row| get(row, "due")).collect::<Result<_, _>>()?;
    if dues.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(tx);
    let mut ends = String::new();
    for due in dues {
        ends.push_str(&format!(" WHEN {} THEN {}", q.bind(due), q.bind(deadline_end(due, tz))));
    }
    let sql = format!(
        "SELECT s.code AS code, COUNT(*) AS decided, \
         COALESCE(SUM(CASE WHEN r.closed_at < CASE r.decision_due{ends} END THEN 1 ELSE 0 END), 0) AS within \
         {FROM_REQUESTS}{} AND {} GROUP BY s.code",
        q.tenant(),
        decided_filter(&mut q, start, end),
    );
    for row in q.all(&sql).await? {
        let code: String = get(&row, "code")?;
        let (decided, within) = (count(&row, "decided")?, count(&row, "within")?);
        figures.decided += decided;
        figures.decided_within_deadline += within;
        let service = service_entry(&mut figures.by_service, &code);
        service.decided += decided;
        service.decided_within_deadline += within;
    }
    Ok(())
}

/// The steps of states with an SLA, per service and state: those that ended in the period (a history row that
/// ended a step, `ended_step_due`), within their SLA when the request left by the end of the step's due day; and
/// the steps still under way (`requests.step_due`) whose due day is in the period and over by `as_of`, none of
/// them within.
async fn steps(
    tx: &TenantTx,
    tz: Tz,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    as_of: DateTime<Utc>,
    figures: &mut Figures,
) -> Result<(), Error> {
    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT DISTINCT t.ended_step_due AS due FROM request_transitions t WHERE t.tenant_id = {} \
         AND t.ended_step_due IS NOT NULL AND t.occurred_at >= {} AND t.occurred_at < {}",
        q.tenant(),
        q.bind(start),
        q.bind(end),
    );
    let dues: Vec<NaiveDate> = q.all(&sql).await?.iter().map(|row| get(row, "due")).collect::<Result<_, _>>()?;
    if !dues.is_empty() {
        let mut q = Sql::new(tx);
        let mut ends = String::new();
        for due in dues {
            ends.push_str(&format!(" WHEN {} THEN {}", q.bind(due), q.bind(deadline_end(due, tz))));
        }
        let sql = format!(
            "SELECT s.code AS code, t.from_state AS state, COUNT(*) AS n, \
             COALESCE(SUM(CASE WHEN t.occurred_at < CASE t.ended_step_due{ends} END THEN 1 ELSE 0 END), 0) AS within \
             FROM request_transitions t JOIN requests r ON r.tenant_id = t.tenant_id AND r.id = t.request_id \
             JOIN services s ON s.tenant_id = r.tenant_id AND s.id = r.service_id \
             WHERE t.tenant_id = {} AND t.ended_step_due IS NOT NULL AND t.from_state IS NOT NULL \
             AND t.occurred_at >= {} AND t.occurred_at < {} GROUP BY s.code, t.from_state",
            q.tenant(),
            q.bind(start),
            q.bind(end),
        );
        for row in q.all(&sql).await? {
            let (code, state): (String, String) = (get(&row, "code")?, get(&row, "state")?);
            let service = service_entry(&mut figures.by_service, &code);
            let entry = step_entry(&mut service.steps, &state);
            entry.measured += count(&row, "n")?;
            entry.within_sla += count(&row, "within")?;
        }
    }
    // Local days: the period's first, the day after its last, and the day of `as_of` (a due day before it is
    // over).
    let local = |instant: DateTime<Utc>| instant.with_timezone(&tz).date_naive();
    let (first, after_last, today) = (local(start), local(end), local(as_of));
    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT s.code AS code, r.state AS state, COUNT(*) AS n {FROM_REQUESTS}{} AND r.closed_at IS NULL \
         AND r.step_due IS NOT NULL AND r.step_due >= {} AND r.step_due < {} AND r.step_due < {} \
         GROUP BY s.code, r.state",
        q.tenant(),
        q.bind(first),
        q.bind(after_last),
        q.bind(today),
    );
    for row in q.all(&sql).await? {
        let (code, state): (String, String) = (get(&row, "code")?, get(&row, "state")?);
        let service = service_entry(&mut figures.by_service, &code);
        step_entry(&mut service.steps, &state).measured += count(&row, "n")?;
    }
    Ok(())
}

/// The median time from submission to decision of the `decided` decisions of the period: the database sorts
/// the durations and returns the middle one or two.
async fn median_processing(
    tx: &TenantTx,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    decided: u64,
) -> Result<Option<f64>, Error> {
    let Some((offset, len)) = median_window(decided) else { return Ok(None) };
    let duration = match tx.backend() {
        DbBackend::Postgres => "CAST(EXTRACT(EPOCH FROM (r.closed_at - r.submitted_at)) AS DOUBLE PRECISION)",
        _ => "((julianday(r.closed_at) - julianday(r.submitted_at)) * 86400.0)",
    };
    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT {duration} AS seconds FROM requests r WHERE r.tenant_id = {} AND {} \
         ORDER BY seconds LIMIT {len} OFFSET {offset}",
        q.tenant(),
        decided_filter(&mut q, start, end),
    );
    let window: Vec<f64> = q.all(&sql).await?.iter().map(|row| get(row, "seconds")).collect::<Result<_, _>>()?;
    Ok(median_of_window(&window))
}

/// Requests open at `as_of` (submitted before, not closed by then), by age.
async fn backlog(tx: &TenantTx, as_of: DateTime<Utc>) -> Result<Vec<crate::model::indicators::BacklogBucket>, Error> {
    let mut q = Sql::new(tx);
    let younger: Vec<String> = backlog_thresholds(as_of)
        .into_iter()
        .enumerate()
        .map(|(i, since)| {
            format!("COALESCE(SUM(CASE WHEN r.submitted_at > {} THEN 1 ELSE 0 END), 0) AS y{i}", q.bind(since))
        })
        .collect();
    let sql = format!(
        "SELECT COUNT(*) AS total, {} FROM requests r WHERE r.tenant_id = {} AND r.submitted_at <= {} \
         AND (r.closed_at IS NULL OR r.closed_at > {})",
        younger.join(", "),
        q.tenant(),
        q.bind(as_of),
        q.bind(as_of),
    );
    let rows = q.all(&sql).await?;
    let row = rows.first().ok_or_else(|| Error::internal("the backlog count returned no row"))?;
    let younger_than = [count(row, "y0")?, count(row, "y1")?, count(row, "y2")?, count(row, "y3")?];
    Ok(backlog_buckets(younger_than, count(row, "total")?))
}

/// Complaints (requests of a complaint procedure, which have a row in `complaints`): received in the period,
/// reopened in it, and the ratings given in it.
async fn complaints(tx: &TenantTx, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<ComplaintFigures, Error> {
    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM complaints c WHERE c.tenant_id = {} AND c.submitted_at >= {} AND c.submitted_at < {}",
        q.tenant(),
        q.bind(start),
        q.bind(end),
    );
    let received = first_count(q.all(&sql).await?, "n")?;

    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT COUNT(DISTINCT t.request_id) AS n FROM request_transitions t \
         JOIN complaints c ON c.tenant_id = t.tenant_id AND c.request_id = t.request_id \
         WHERE t.tenant_id = {} AND t.action = {} AND t.occurred_at >= {} AND t.occurred_at < {}",
        q.tenant(),
        q.bind(REOPEN_ACTION),
        q.bind(start),
        q.bind(end),
    );
    let reopened = first_count(q.all(&sql).await?, "n")?;

    let mut q = Sql::new(tx);
    let sql = format!(
        "SELECT COUNT(c.rating) AS n, COALESCE(SUM(c.rating), 0) AS total FROM complaints c \
         WHERE c.tenant_id = {} AND c.rating IS NOT NULL AND c.rated_at >= {} AND c.rated_at < {}",
        q.tenant(),
        q.bind(start),
        q.bind(end),
    );
    let rows = q.all(&sql).await?;
    let (ratings, rating_sum) = match rows.first() {
        Some(row) => (count(row, "n")?, count(row, "total")?),
        None => (0, 0),
    };
    Ok(ComplaintFigures { received, reopened, ratings, rating_sum })
}

/// Requests decided in `[start, end)`: closed with an outcome other than a withdrawal.
fn decided_filter(q: &mut Sql, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    format!(
        "r.outcome IS NOT NULL AND r.outcome <> {} AND r.closed_at >= {} AND r.closed_at < {}",
        q.bind(Outcome::Withdrawn.as_str()),
        q.bind(start),
        q.bind(end),
    )
}

fn service_entry<'a>(services: &'a mut Vec<ServiceFigures>, code: &str) -> &'a mut ServiceFigures {
    let index = match services.binary_search_by(|s| s.service_code.as_str().cmp(code)) {
        Ok(index) => index,
        Err(index) => {
            services.insert(index, ServiceFigures { service_code: code.into(), ..ServiceFigures::default() });
            index
        }
    };
    &mut services[index]
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, Error> {
    row.try_get::<T>("", column).map_err(Into::into)
}

fn first_count(rows: Vec<QueryResult>, column: &str) -> Result<u64, Error> {
    rows.first().map(|row| count(row, column)).transpose().map(Option::unwrap_or_default)
}

fn count(row: &QueryResult, column: &str) -> Result<u64, Error> {
    let n: i64 = get(row, column)?;
    u64::try_from(n).map_err(Error::internal)
}

/// A statement of one commune's transaction, with placeholders in the backend's syntax.
struct Sql<'a> {
    tx: &'a TenantTx,
    values: Vec<Value>,
}

impl<'a> Sql<'a> {
    fn new(tx: &'a TenantTx) -> Self {
        Self { tx, values: Vec::new() }
    }

    /// The placeholder of a new value.
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.tx.backend() {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    /// The placeholder of the transaction's commune.
    fn tenant(&mut self) -> String {
        self.bind(self.tx.tenant_uuid())
    }

    async fn all(self, sql: &str) -> Result<Vec<QueryResult>, Error> {
        let statement = Statement::from_sql_and_values(self.tx.backend(), sql, self.values);
        self.tx.conn().query_all_raw(statement).await.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_stay_in_code_order() {
        let mut services = Vec::new();
        for code in ["reclamation", "autorisation", "reclamation", "legalisation"] {
            service_entry(&mut services, code).submitted += 1;
        }
        let codes: Vec<_> = services.iter().map(|s| (s.service_code.as_str(), s.submitted)).collect();
        assert_eq!(codes, [("autorisation", 1), ("legalisation", 1), ("reclamation", 2)]);
    }
}
