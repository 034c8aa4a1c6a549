//! The council (majalis): members and their roles, sessions, and the rules that decide a deliberation —
//! which months hold ordinary sessions, the quorum and the majority — read from the commune's settings.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages;
use crate::model::i18n::LocalizedText;
use crate::model::ids::{AgendaItemId, CouncilMemberId, CouncilSessionId, DeliberationId, RequestId};

/// The settings key that holds a commune's [`CouncilRules`].
pub const SETTINGS_KEY: &str = "council";

/// A member's office in the council, stored by its name (`president`, `vice_president`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum CouncilRole {
    President,
    VicePresident,
    Secretary,
    Member,
}

impl CouncilRole {
    /// The stored name (`vice_president`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Ordinary sessions fall in the months the law sets; extraordinary ones whenever they are called. Stored by
/// its name (`ordinary`, `extraordinary`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum SessionKind {
    Ordinary,
    Extraordinary,
}

impl SessionKind {
    /// The stored name (`extraordinary`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How a member voted on a deliberation, stored by its name (`for`, `against`, `abstain`, `absent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum VoteChoice {
    For,
    Against,
    Abstain,
    Absent,
}

/// A share of a whole that must be exceeded (`MoreThanHalf`: strictly more than half) or reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// Strictly more than half (an absolute majority).
    MoreThanHalf,
    /// At least two thirds.
    TwoThirds,
    /// No threshold (any number).
    None,
}

impl Threshold {
    /// Whether `count` out of `whole` meets the threshold.
    pub fn met(self, count: u32, whole: u32) -> bool {
        let (count, whole) = (u64::from(count), u64::from(whole));
        match self {
            Threshold::MoreThanHalf => count * 2 > whole,
            Threshold::TwoThirds => count * 3 >= whole * 2,
            Threshold::None => true,
        }
    }
}

/// The rules of a commune's council, as its template sets them (`settings.council`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilRules {
    /// The months (1–12) in which ordinary sessions are held.
    pub ordinary_session_months: Vec<u32>,
    /// Members present needed, out of the members in office, for the council to deliberate.
    pub quorum: Threshold,
    /// Votes for needed, out of the votes cast, for a deliberation to pass.
    pub majority: Threshold,
    /// Whether abstentions count among the votes cast.
    #[serde(default)]
    pub abstentions_are_cast: bool,
    /// Whether, when the votes for and against are equal, the president's vote decides.
    #[serde(default)]
    pub president_casting_vote: bool,
    /// Where the rules come from, for the record.
    #[serde(default)]
    pub legal_reference: Option<String>,
}

impl crate::model::settings::SettingsSection for CouncilRules {
    const KEY: &'static str = SETTINGS_KEY;

    /// The ordinary sessions' months are months, each given once.
    fn check(&self) -> Result<(), String> {
        let mut months = std::collections::BTreeSet::new();
        for month in &self.ordinary_session_months {
            if !(1..=12).contains(month) {
                return Err(format!("ordinarySessionMonths: {month} is not a month (1 to 12)"));
            }
            if !months.insert(month) {
                return Err(format!("ordinarySessionMonths: {month} is given twice"));
            }
        }
        Ok(())
    }
}

impl CouncilRules {
    /// Checks the date of a session: an ordinary one must fall in one of the ordinary months.
    pub fn check_session(&self, kind: SessionKind, date: NaiveDate, path: &str) -> Result<(), FieldError> {
        if kind == SessionKind::Ordinary && !self.ordinary_session_months.contains(&date.month()) {
            let months = self.ordinary_session_months.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
            return Err(FieldError::new(path, FieldErrorCode::OutOfRange, messages::ordinary_session_months(&months)));
        }
        Ok(())
    }

    /// Counts the votes of a deliberation and decides it.
    pub fn tally(&self, members_in_office: u32, votes: &[(VoteChoice, CouncilRole)]) -> Tally {
        let count = |choice: VoteChoice| votes.iter().filter(|(c, _)| *c == choice).count() as u32;
        let (votes_for, against, abstain) =
            (count(VoteChoice::For), count(VoteChoice::Against), count(VoteChoice::Abstain));
        // Members in office with no recorded vote were not there.
        let present = votes_for + against + abstain;
        let absent = members_in_office.saturating_sub(present);
        let cast = votes_for + against + if self.abstentions_are_cast { abstain } else { 0 };
        // With the casting vote, a tie goes the way the president voted.
        let casting = self.president_casting_vote
            && votes_for == against
            && votes_for > 0
            && votes.iter().any(|(c, r)| *c == VoteChoice::For && *r == CouncilRole::President);
        let outcome = if !self.quorum.met(present, members_in_office) {
            Outcome::NoQuorum
        } else if self.majority.met(votes_for, cast) || casting {
            Outcome::Adopted
        } else {
            Outcome::Rejected
        };
        Tally { members_in_office, present, votes_for, against, abstain, absent, outcome }
    }
}

/// What a deliberation came to, stored by its name (`adopted`, `rejected`, `no_quorum`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Outcome {
    Adopted,
    Rejected,
    /// Too few members present: the council could not deliberate.
    NoQuorum,
}

impl Outcome {
    /// The stored name (`no_quorum`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The count of a deliberation's votes and its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub members_in_office: u32,
    pub present: u32,
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
    pub absent: u32,
    pub outcome: Outcome,
}

/// Whether a mandate running from `start` to `end` (inclusive, open when `None`) covers `date`.
pub fn in_office(start: NaiveDate, end: Option<NaiveDate>, date: NaiveDate) -> bool {
    start <= date && end.is_none_or(|end| date <= end)
}

/// A member of the council and the mandate they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: CouncilMemberId,
    pub name_ar: String,
    pub name_latin: String,
    /// The party or list the member was elected on.
    pub party: String,
    pub role: CouncilRole,
    pub mandate_start: NaiveDate,
    pub mandate_end: Option<NaiveDate>,
}

/// A session, with its agenda and its deliberations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: CouncilSessionId,
    pub kind: SessionKind,
    pub starts_on: NaiveDate,
    pub title: LocalizedText,
    /// When its decisions were published; a published session takes no more deliberations.
    pub published_at: Option<DateTime<Utc>>,
    pub agenda: Vec<AgendaItem>,
    pub deliberations: Vec<Deliberation>,
}

/// An item of a session's agenda, possibly a request (a petition) of the commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub position: u32,
    pub title: LocalizedText,
    pub request_id: Option<RequestId>,
}

/// A deliberation: the decision's text, the votes and their count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deliberation {
    pub id: DeliberationId,
    pub agenda_item_id: Option<AgendaItemId>,
    /// Its number within the session, from 1.
    pub number: u32,
    pub text: LocalizedText,
    pub tally: Tally,
    pub decided_at: DateTime<Utc>,
    pub votes: Vec<(CouncilMemberId, VoteChoice)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::settings::SettingsSection as _;

    fn rules() -> CouncilRules {
        CouncilRules {
            ordinary_session_months: vec![2, 5, 10],
            quorum: Threshold::MoreThanHalf,
            majority: Threshold::MoreThanHalf,
            abstentions_are_cast: false,
            president_casting_vote: false,
            legal_reference: None,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn ordinary_sessions_fall_in_their_months() {
        let r = rules();
        assert!(r.check_session(SessionKind::Ordinary, date(2026, 2, 2), "date").is_ok());
        assert!(r.check_session(SessionKind::Ordinary, date(2026, 10, 5), "date").is_ok());
        let error = r.check_session(SessionKind::Ordinary, date(2026, 3, 2), "input.date").unwrap_err();
        assert_eq!((error.path.as_str(), error.code), ("input.date", FieldErrorCode::OutOfRange));
        assert!(r.check_session(SessionKind::Extraordinary, date(2026, 3, 2), "date").is_ok());
    }

    #[test]
    fn quorum_and_majority() {
        use VoteChoice::*;
        let m = CouncilRole::Member;
        let p = CouncilRole::President;
        // (members in office, votes, expected outcome, present, absent)
        type Case = (u32, Vec<(VoteChoice, CouncilRole)>, Outcome, u32, u32);
        let cases: Vec<Case> = vec![
            (5, vec![(For, m), (For, m), (Against, m)], Outcome::Adopted, 3, 2),
            // Two of five present is no quorum, whatever they vote.
            (5, vec![(For, m), (For, m)], Outcome::NoQuorum, 2, 3),
            // Exactly half present is no quorum either.
            (4, vec![(For, m), (For, m), (Absent, m)], Outcome::NoQuorum, 2, 2),
            // Abstentions are not cast: 2 for, 1 against, 2 abstaining passes.
            (5, vec![(For, m), (For, m), (Against, m), (Abstain, m), (Abstain, m)], Outcome::Adopted, 5, 0),
            // A tie is rejected without a casting vote.
            (5, vec![(For, p), (Against, m), (Abstain, m)], Outcome::Rejected, 3, 2),
            // Nobody voting for: rejected.
            (3, vec![(Abstain, m), (Abstain, m)], Outcome::Rejected, 2, 1),
        ];
        for (in_office, votes, outcome, present, absent) in cases {
            let tally = rules().tally(in_office, &votes);
            assert_eq!((tally.outcome, tally.present, tally.absent), (outcome, present, absent), "{votes:?}");
        }
        let casting = CouncilRules { president_casting_vote: true, ..rules() };
        assert_eq!(casting.tally(5, &[(For, p), (Against, m), (Abstain, m)]).outcome, Outcome::Adopted);
        assert_eq!(casting.tally(5, &[(Against, p), (For, m), (Abstain, m)]).outcome, Outcome::Rejected);
        let counted = CouncilRules { abstentions_are_cast: true, ..rules() };
        assert_eq!(counted.tally(5, &[(For, m), (For, m), (Against, m), (Abstain, m)]).outcome, Outcome::Rejected);
    }

    #[test]
    fn thresholds() {
        assert!(Threshold::MoreThanHalf.met(3, 5));
        assert!(!Threshold::MoreThanHalf.met(2, 4));
        assert!(!Threshold::MoreThanHalf.met(0, 0));
        assert!(Threshold::TwoThirds.met(2, 3));
        assert!(!Threshold::TwoThirds.met(3, 5));
    }

    #[test]
    fn mandates() {
        assert!(in_office(date(2021, 9, 20), None, date(2026, 2, 2)));
        assert!(in_office(date(2021, 9, 20), Some(date(2026, 2, 2)), date(2026, 2, 2)));
        assert!(!in_office(date(2021, 9, 20), Some(date(2025, 12, 31)), date(2026, 2, 2)));
        assert!(!in_office(date(2026, 3, 1), None, date(2026, 2, 2)));
    }

    #[test]
    fn the_standard_sets_the_rules() {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let ma = standard.iter().find(|t| t.name == "ma-commune").unwrap();
        let rules = CouncilRules::from_settings(&ma.content.settings).unwrap().unwrap();
        assert_eq!(rules.ordinary_session_months, vec![2, 5, 10]);
        assert_eq!((rules.quorum, rules.majority), (Threshold::MoreThanHalf, Threshold::MoreThanHalf));
    }

    #[test]
    fn a_template_whose_council_months_are_not_months_is_refused() {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let mut content = standard.iter().find(|t| t.name == "ma-commune").unwrap().content.clone();
        for (months, refusal) in [
            (serde_json::json!([2, 13]), "ordinarySessionMonths: 13 is not a month (1 to 12)"),
            (serde_json::json!([5, 5]), "ordinarySessionMonths: 5 is given twice"),
        ] {
            content.settings.get_mut(SETTINGS_KEY).unwrap()["ordinarySessionMonths"] = months;
            let problems = content.check().unwrap_err();
            assert!(
                problems.iter().any(|p| p.path == "settings.council" && format!("{:?}", p.message).contains(refusal)),
                "{problems:?}"
            );
        }
    }
}
