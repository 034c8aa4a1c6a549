//! Micro-benchmarks of the pure domain rules that every request goes through: validating the légalisation form,
//! the workflow engine's `apply`, a 60-working-day deadline, and verifying a commune's audit chain of 10,000
//! events.
//!
//! ```text
//! cargo bench -p jamaa-benches --bench rules
//! ```

use std::hint::black_box;

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use criterion::{BatchSize, Criterion, Throughput};
use jamaa_core::model::audit::{AuditEvent, AuditKind, AuditSubject, GENESIS_HASH, NewEvent, verify_chain};
use jamaa_core::model::calendar::{DayCounting, Deadline, WorkingCalendar};
use jamaa_core::model::catalog::ServiceDefinition;
use jamaa_core::model::commune::Country;
use jamaa_core::model::form::ValidationContext;
use jamaa_core::model::ids::{RequestId, TenantId};
use jamaa_core::model::standard;
use jamaa_core::model::workflow::Actor;
use jamaa_core::model::workflow::engine::{self, ApplyContext};
use serde_json::{Value, json};

/// The events of the chain that is verified.
const CHAIN_LENGTH: i64 = 10_000;

struct Fixtures {
    legalisation: ServiceDefinition,
    permit: ServiceDefinition,
    calendar: WorkingCalendar,
    /// Wednesday 29 April 2026, 10:00 in Casablanca: a working day, two days before Labour Day.
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Fixtures {
    fn load() -> Result<Self> {
        let services = standard::moroccan_services()?;
        let find = |code: &str| {
            services.iter().find(|s| s.code == code).cloned().with_context(|| format!("no service {code}"))
        };
        Ok(Self {
            legalisation: find("legalisation-signature")?,
            permit: find("autorisation-construire-petits-projets")?,
            calendar: standard::moroccan_calendar()?,
            now: "2026-04-29T09:00:00Z".parse()?,
            today: "2026-04-29".parse()?,
        })
    }

    fn context(&self, decision_due: NaiveDate) -> ApplyContext<'_> {
        ApplyContext {
            now: self.now,
            time_zone: chrono_tz::Africa::Casablanca,
            calendar: &self.calendar,
            decision_due,
            submitted_on: self.today,
        }
    }
}

fn legalisation_data() -> Value {
    json!({
        "signatory_name": "Fatima Zahra El Idrissi",
        "cin": "ab 123456",
        "phone": "06 12 34 56 78",
        "document_title": "Contrat de bail",
        "copies": 2
    })
}

fn form(c: &mut Criterion, f: &Fixtures) -> Result<()> {
    let schema = &f.legalisation.form;
    let context = ValidationContext { country: Country::Morocco };
    let valid = legalisation_data();
    let invalid = json!({ "cin": "123", "phone": "12", "document_title": "", "copies": 40, "extra": true });
    if schema.validate(&valid, &context).is_err() {
        bail!("the légalisation form rejects valid data");
    }
    match schema.validate(&invalid, &context) {
        Err(errors) if errors.len() >= 4 => {}
        other => bail!("the légalisation form does not report every failure: {other:?}"),
    }
    let mut group = c.benchmark_group("form");
    group.bench_function("validate légalisation (valid)", |b| {
        b.iter(|| schema.validate(black_box(&valid), black_box(&context)))
    });
    group.bench_function("validate légalisation (every field wrong)", |b| {
        b.iter(|| schema.validate(black_box(&invalid), black_box(&context)))
    });
    group.finish();
    Ok(())
}

fn workflow(c: &mut Criterion, f: &Fixtures) -> Result<()> {
    let counter_agent = Actor::Staff { roles: vec!["counter_agent".into()] };
    let legalisation = &f.legalisation.workflow;
    let legalisation_data = legalisation_data();
    let same_day = f.context(f.today);
    let certified =
        engine::apply(legalisation, "submitted", "certify", &counter_agent, &legalisation_data, None, &same_day)?;
    if certified.to != "certified" {
        bail!("certify led to {}", certified.to);
    }

    let permit = &f.permit.workflow;
    let permit_data = json!({ "floors": 2, "built_surface": 140, "project_type": "new_house" });
    let due = f.calendar.due_date(f.today, f.permit.deadline);
    let with_deadline = f.context(due);
    let accepted =
        engine::apply(permit, "submitted", "accept_file", &counter_agent, &permit_data, None, &with_deadline)?;
    if accepted.timers.is_empty() {
        bail!("accepting a building permit file arms no timer");
    }

    let mut group = c.benchmark_group("workflow");
    group.bench_function("apply certify (légalisation)", |b| {
        b.iter(|| {
            engine::apply(
                black_box(legalisation),
                black_box("submitted"),
                black_box("certify"),
                black_box(&counter_agent),
                black_box(&legalisation_data),
                None,
                black_box(&same_day),
            )
        })
    });
    group.bench_function("apply accept_file (building permit, arms the legal-deadline timer)", |b| {
        b.iter(|| {
            engine::apply(
                black_box(permit),
                black_box("submitted"),
                black_box("accept_file"),
                black_box(&counter_agent),
                black_box(&permit_data),
                None,
                black_box(&with_deadline),
            )
        })
    });
    group.finish();
    Ok(())
}

fn calendar(c: &mut Criterion, f: &Fixtures) -> Result<()> {
    let sixty = Deadline { days: 60, counting: DayCounting::Working };
    let due = f.calendar.due_date(f.today, sixty);
    if (due - f.today).num_days() < 84 {
        bail!("60 working days after {} fall on {due}: weekends and holidays are not skipped", f.today);
    }
    let mut group = c.benchmark_group("calendar");
    group.bench_function("due_date 60 working days (Moroccan calendar)", |b| {
        b.iter(|| f.calendar.due_date(black_box(f.today), black_box(sixty)))
    });
    group.finish();
    Ok(())
}

/// A chain of `length` events of one commune, as the API records submissions.
fn audit_chain(length: i64) -> Result<Vec<AuditEvent>> {
    let tenant = TenantId::new();
    let start: DateTime<Utc> = "2026-04-29T09:00:00Z".parse()?;
    let mut prev = GENESIS_HASH.to_owned();
    let mut prev_link = GENESIS_HASH.to_owned();
    let mut events = Vec::with_capacity(usize::try_from(length)?);
    for sequence in 1..=length {
        let event = NewEvent::new(
            "anonymous",
            AuditKind::RequestSubmitted,
            AuditSubject::Request(RequestId::new()),
            json!({
                "trackingCode": format!("OUJ-2026-{sequence:06}"),
                "service": "legalisation-signature",
                "serviceVersion": 1,
                "state": "submitted",
                "decisionDue": "2026-04-29",
                "documents": ["document_to_sign"],
            }),
        )
        .chain(tenant, sequence, start + TimeDelta::milliseconds(sequence * 1_500), &prev, &prev_link);
        prev.clone_from(&event.hash);
        prev_link.clone_from(&event.link);
        events.push(event);
    }
    Ok(events)
}

fn audit(c: &mut Criterion, f: &Fixtures) -> Result<()> {
    let events = audit_chain(CHAIN_LENGTH)?;
    let report = verify_chain(&events);
    if !report.valid || report.events_checked != CHAIN_LENGTH {
        bail!("the benchmark's chain does not verify: {report:?}");
    }
    let tenant = TenantId::new();
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements(u64::try_from(CHAIN_LENGTH)?));
    group.sample_size(20);
    group.bench_function("verify_chain 10000 events", |b| b.iter(|| verify_chain(black_box(&events))));
    group.throughput(Throughput::Elements(1));
    group.bench_function("chain one event", |b| {
        b.iter_batched(
            || {
                NewEvent::new(
                    "anonymous",
                    AuditKind::RequestSubmitted,
                    AuditSubject::Request(RequestId::new()),
                    json!({ "trackingCode": "OUJ-2026-000001", "state": "submitted" }),
                )
            },
            |event| event.chain(black_box(tenant), 1, black_box(f.now), GENESIS_HASH, GENESIS_HASH),
            BatchSize::SmallInput,
        )
    });
    group.finish();
    Ok(())
}

fn main() -> Result<()> {
    let fixtures = Fixtures::load()?;
    let mut criterion = Criterion::default().configure_from_args();
    form(&mut criterion, &fixtures)?;
    workflow(&mut criterion, &fixtures)?;
    calendar(&mut criterion, &fixtures)?;
    audit(&mut criterion, &fixtures)?;
    criterion.final_summary();
    Ok(())
}
