//! Audit events and the per-commune hash chain: each event's hash covers its content and the previous hash,
//! so editing, deleting or reordering any event breaks every hash after it.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::ids::TenantId;

/// The `prev_hash` of a commune's first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub tenant_id: TenantId,
    /// 1, 2, 3, … per commune, without gaps.
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    /// `token:<id>`, `applicant:<tracking code>`, `system`.
    pub actor: String,
    /// `request.submitted`, `request.action`, `service.published`, …
    pub kind: String,
    /// What the event is about: `request:<id>`.
    pub subject: String,
    /// Canonical JSON (sorted keys, no spaces), hashed as is.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An event before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: String,
    pub kind: String,
    pub subject: String,
    pub payload: serde_json::Value,
}

impl NewEvent {
    pub fn new(
        actor: impl Into<String>,
        kind: impl Into<String>,
        subject: impl Into<String>,
        payload: serde_json::Value,
    ) -> Self {
        Self { actor: actor.into(), kind: kind.into(), subject: subject.into(), payload }
    }

    /// Chains the event after `prev_hash` as event number `sequence`. The time is kept to the microsecond, the
    /// precision both databases store.
    pub fn chain(self, tenant_id: TenantId, sequence: i64, occurred_at: DateTime<Utc>, prev_hash: &str) -> AuditEvent {
        let occurred_at = occurred_at.trunc_subsecs(6);
        // serde_json's default map is ordered by key, so this is canonical.
        let payload = self.payload.to_string();
        let mut event = AuditEvent {
            tenant_id,
            sequence,
            occurred_at,
            actor: self.actor,
            kind: self.kind,
            subject: self.subject,
            payload,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        event.hash = event.compute_hash();
        event
    }
}

impl AuditEvent {
    /// SHA-256 over every field but the hash itself, each length-prefixed so that no two events collide by
    /// moving text from one field to the next.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let time = self.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let sequence = self.sequence.to_string();
        let tenant = self.tenant_id.to_string();
        for part in [
            tenant.as_str(),
            sequence.as_str(),
            time.as_str(),
            self.actor.as_str(),
            self.kind.as_str(),
            self.subject.as_str(),
            self.payload.as_str(),
            self.prev_hash.as_str(),
        ] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// A commune's chain head, which anyone may read and keep: an event rewritten, removed or reordered later
/// changes every hash from it on, so a head kept earlier no longer matches the chain at its sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditHead {
    /// The number of events in the chain (the last one's sequence).
    pub sequence: i64,
    /// The last event's hash (the genesis hash before any event).
    pub hash: String,
    /// When the last event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// The result of checking a commune's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub valid: bool,
    pub events_checked: i64,
    /// The hash of the last event: publish it so that history cannot be rewritten unseen.
    pub head_hash: String,
    /// The first broken event, if any.
    pub first_broken_sequence: Option<i64>,
    pub problem: Option<String>,
}

/// Checks a chain given in sequence order, stopping at the first broken link.
pub fn verify_chain<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> ChainReport {
    let mut checker = ChainChecker::default();
    for event in events {
        if !checker.push(event) {
            break;
        }
    }
    checker.finish()
}

/// Checks a chain event by event, so that a long chain can be streamed from storage.
#[derive(Clone, Debug)]
pub struct ChainChecker {
    expected_sequence: i64,
    prev_hash: String,
    broken: Option<(i64, String)>,
}

impl Default for ChainChecker {
    fn default() -> Self {
        Self { expected_sequence: 1, prev_hash: GENESIS_HASH.to_owned(), broken: None }
    }
}

impl ChainChecker {
    /// Checks the next event; false once the chain is broken.
    pub fn push(&mut self, event: &AuditEvent) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let problem = if event.sequence != self.expected_sequence {
            Some(format!("expected event #{}, found #{}", self.expected_sequence, event.sequence))
        } else if event.prev_hash != self.prev_hash {
            Some(format!("event #{} does not follow the previous event's hash", event.sequence))
        } else if event.compute_hash() != event.hash {
            Some(format!("event #{} was changed after it was recorded", event.sequence))
        } else {
            None
        };
        match problem {
            Some(problem) => {
                self.broken = Some((event.sequence, problem));
                false
            }
            None => {
                self.expected_sequence += 1;
                self.prev_hash.clone_from(&event.hash);
                true
            }
        }
    }

    pub fn finish(self) -> ChainReport {
        let events_checked = self.expected_sequence - 1;
        match self.broken {
            Some((sequence, problem)) => ChainReport {
                valid: false,
                events_checked,
                head_hash: self.prev_hash,
                first_broken_sequence: Some(sequence),
                problem: Some(problem),
            },
            None => ChainReport {
                valid: true,
                events_checked,
                head_hash: self.prev_hash,
                first_broken_sequence: None,
                problem: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let tenant = TenantId::new();
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|sequence| {
                let time = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
                    + chrono::Duration::nanoseconds(sequence * 1_234_567);
                let event = NewEvent::new(
                    "system",
                    "request.submitted",
                    format!("request:{sequence}"),
                    serde_json::json!({"b": 1, "a": [sequence]}),
                )
                .chain(tenant, sequence, time, &prev);
                prev.clone_from(&event.hash);
                event
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let report = verify_chain(&events);
        assert!(report.valid, "{report:?}");
        assert_eq!(report.events_checked, 5);
        assert_eq!(report.head_hash, events[4].hash);
        assert_eq!(events[0].payload, r#"{"a":[1],"b":1}"#);
        assert_eq!(verify_chain(&[]).head_hash, GENESIS_HASH);
    }

    #[test]
    fn every_kind_of_tampering_is_found() {
        type Tamper = fn(&mut Vec<AuditEvent>);
        let cases: [(&str, Tamper, i64); 6] = [
            ("payload edited", |e| e[2].payload = r#"{"a":[3],"b":2}"#.into(), 3),
            ("actor edited", |e| e[1].actor = "token:someone-else".into(), 2),
            ("time edited", |e| e[3].occurred_at += chrono::Duration::seconds(1), 4),
            (
                "event deleted",
                |e| {
                    e.remove(2);
                },
                4,
            ),
            ("events swapped", |e| e.swap(1, 2), 3),
            (
                "hash recomputed after an edit",
                |e| {
                    e[1].kind = "request.deleted".into();
                    e[1].hash = e[1].compute_hash();
                },
                3,
            ),
        ];
        for (name, tamper, broken_at) in cases {
            let mut events = chain(5);
            tamper(&mut events);
            let report = verify_chain(&events);
            assert!(!report.valid, "{name}");
            assert_eq!(report.first_broken_sequence, Some(broken_at), "{name}: {report:?}");
        }
    }
}
