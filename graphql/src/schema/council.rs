//! The council over GraphQL: members, sessions, agendas, deliberations and votes (for those who run it), and
//! the published decisions (for everyone).

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::modules::council::model as core;
use jamaa_core::service::{self, NewAgendaItem, NewCouncilMember, NewDeliberation, NewSession};
use serde::Serialize;

use super::call::{InCommune, InLang, input_id};
use super::page::{Listing, in_memory};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "jamaa_core::modules::council::model::CouncilRole")]
pub enum CouncilRole {
    President,
    VicePresident,
    Secretary,
    Member,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "jamaa_core::modules::council::model::SessionKind")]
pub enum SessionKind {
    Ordinary,
    Extraordinary,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "jamaa_core::modules::council::model::VoteChoice")]
pub enum VoteChoice {
    For,
    Against,
    Abstain,
    Absent,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "jamaa_core::modules::council::model::Outcome")]
pub enum DeliberationOutcome {
    Adopted,
    Rejected,
    /// Too few members present: the council could not deliberate.
    NoQuorum,
}

/// A member of the council and their mandate.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilMember {
    pub id: ID,
    pub name_ar: String,
    pub name_latin: String,
    /// The party or list the member was elected on.
    pub party: String,
    pub role: CouncilRole,
    pub mandate_start: NaiveDate,
    pub mandate_end: Option<NaiveDate>,
}

impl From<service::Member> for CouncilMember {
    fn from(m: service::Member) -> Self {
        Self {
            id: ID(m.id.to_string()),
            name_ar: m.name_ar,
            name_latin: m.name_latin,
            party: m.party,
            role: m.role.into(),
            mandate_start: m.mandate_start,
            mandate_end: m.mandate_end,
        }
    }
}

/// An item of a session's agenda; `requestId` names a request (a petition) of the commune.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub id: ID,
    pub position: u32,
    pub title_ar: String,
    pub title_fr: String,
    pub request_id: Option<ID>,
}

/// A member's vote.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    pub member_id: ID,
    pub choice: VoteChoice,
}

/// The count of a deliberation's votes and its outcome.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteCount {
    pub members_in_office: u32,
    pub present: u32,
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
    pub absent: u32,
    pub outcome: DeliberationOutcome,
}

impl From<core::Tally> for VoteCount {
    fn from(t: core::Tally) -> Self {
        Self {
            members_in_office: t.members_in_office,
            present: t.present,
            votes_for: t.votes_for,
            against: t.against,
            abstain: t.abstain,
            absent: t.absent,
            outcome: t.outcome.into(),
        }
    }
}

/// A deliberation: the decision's text in Arabic and French, the votes and their count.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deliberation {
    pub id: ID,
    pub number: u32,
    pub agenda_item_id: Option<ID>,
    pub text_ar: String,
    pub text_fr: String,
    pub count: VoteCount,
    pub decided_at: DateTime<Utc>,
    pub votes: Vec<Vote>,
}

/// A session of the council with its agenda and deliberations.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilSession {
    pub id: ID,
    pub kind: SessionKind,
    pub starts_on: NaiveDate,
    pub title_ar: String,
    pub title_fr: String,
    pub published_at: Option<DateTime<Utc>>,
    pub agenda: Vec<AgendaItem>,
    pub deliberations: Vec<Deliberation>,
}

pub(crate) fn ar(text: &LocalizedText) -> String {
    text.exact(Locale::Ar).unwrap_or_default().to_owned()
}

pub(crate) fn fr(text: &LocalizedText) -> String {
    text.exact(Locale::Fr).unwrap_or_default().to_owned()
}

impl From<service::Session> for CouncilSession {
    fn from(s: service::Session) -> Self {
        Self {
            id: ID(s.id.to_string()),
            kind: s.kind.into(),
            starts_on: s.starts_on,
            title_ar: ar(&s.title),
            title_fr: fr(&s.title),
            published_at: s.published_at,
            agenda: s
                .agenda
                .into_iter()
                .map(|i| AgendaItem {
                    id: ID(i.id.to_string()),
                    position: i.position,
                    title_ar: ar(&i.title),
                    title_fr: fr(&i.title),
                    request_id: i.request_id.map(|r| ID(r.to_string())),
                })
                .collect(),
            deliberations: s
                .deliberations
                .into_iter()
                .map(|d| Deliberation {
                    id: ID(d.id.to_string()),
                    number: d.number,
                    agenda_item_id: d.agenda_item_id.map(|a| ID(a.to_string())),
                    text_ar: ar(&d.text),
                    text_fr: fr(&d.text),
                    count: d.tally.into(),
                    decided_at: d.decided_at,
                    votes: d
                        .votes
                        .into_iter()
                        .map(|(member, choice)| Vote { member_id: ID(member.to_string()), choice: choice.into() })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A published decision of the council, with the roll call.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CouncilDecision {
    pub session_id: ID,
    pub session_kind: SessionKind,
    pub session_date: NaiveDate,
    pub session_title_ar: String,
    pub session_title_fr: String,
    pub number: u32,
    pub text_ar: String,
    pub text_fr: String,
    pub count: VoteCount,
    pub published_at: Option<DateTime<Utc>>,
    pub votes: Vec<PublicVote>,
}

/// How a named member voted on a published decision.
#[derive(SimpleObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicVote {
    pub name_ar: String,
    pub name_latin: String,
    pub party: String,
    pub choice: VoteChoice,
}

/// The published decisions as flat records (GraphQL and the open-data files share them).
pub(crate) fn decisions(published: service::PublishedDecisions) -> Vec<CouncilDecision> {
    let mut out = Vec::new();
    for session in published.sessions {
        for d in session.deliberations {
            let votes = d
                .votes
                .iter()
                .filter_map(|(id, choice)| {
                    published.members.iter().find(|m| m.id == *id).map(|m| PublicVote {
                        name_ar: m.name_ar.clone(),
                        name_latin: m.name_latin.clone(),
                        party: m.party.clone(),
                        choice: (*choice).into(),
                    })
                })
                .collect();
            out.push(CouncilDecision {
                session_id: ID(session.id.to_string()),
                session_kind: session.kind.into(),
                session_date: session.starts_on,
                session_title_ar: ar(&session.title),
                session_title_fr: fr(&session.title),
                number: d.number,
                text_ar: ar(&d.text),
                text_fr: fr(&d.text),
                count: d.tally.into(),
                published_at: session.published_at,
                votes,
            });
        }
    }
    out
}

#[derive(InputObject)]
pub struct CouncilMemberInput {
    pub name_ar: String,
    pub name_latin: String,
    pub party: String,
    pub role: CouncilRole,
    pub mandate_start: NaiveDate,
    pub mandate_end: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct CouncilSessionInput {
    pub kind: SessionKind,
    /// An ordinary session falls in one of the months the commune's rules set (February, May, October).
    pub starts_on: NaiveDate,
    pub title_ar: String,
    pub title_fr: String,
}

#[derive(InputObject)]
pub struct AgendaItemInput {
    pub session_id: ID,
    pub title_ar: String,
    pub title_fr: String,
    /// A request of the commune: a petition the president declared admissible is inscribed on the agenda.
    pub request_id: Option<ID>,
}

#[derive(InputObject)]
pub struct VoteInput {
    pub member_id: ID,
    pub choice: VoteChoice,
}

#[derive(InputObject)]
pub struct DeliberationInput {
    pub session_id: ID,
    pub agenda_item_id: Option<ID>,
    pub text_ar: String,
    pub text_fr: String,
    /// Each member's vote; members in office who are not listed were absent.
    pub votes: Vec<VoteInput>,
}

#[derive(Default)]
pub struct CouncilQuery;

#[Object]
impl CouncilQuery {
    /// The council's members and their mandates (public).
    async fn council_members(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CouncilMember>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let members = call.jamaa.council_members(&call.commune).await.in_lang(&call)?;
        let members: Vec<CouncilMember> = members.into_iter().map(Into::into).collect();
        in_memory(members, first, after, call.locale(), |m| m.id.to_string(), |m| m)
    }

    /// The council's sessions, newest first, drafts included: for the council's secretary and president.
    async fn council_sessions(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CouncilSession>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let sessions = call.jamaa.council_sessions(call.principal, &call.commune).await.in_lang(&call)?;
        let sessions: Vec<CouncilSession> = sessions.into_iter().map(Into::into).collect();
        in_memory(sessions, first, after, call.locale(), |s| s.id.to_string(), |s| s)
    }

    /// The council's published decisions, of one year or all, with their texts and roll calls (public).
    async fn council_decisions(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        year: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CouncilDecision>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let published = call.jamaa.council_decisions(&call.commune, year).await.in_lang(&call)?;
        in_memory(
            decisions(published),
            first,
            after,
            call.locale(),
            |d| format!("{}#{}", d.session_id.as_str(), d.number),
            |d| d,
        )
    }
}

#[derive(Default)]
pub struct CouncilMutation;

#[Object]
impl CouncilMutation {
    /// Adds a member to the council.
    async fn add_council_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: CouncilMemberInput,
    ) -> Result<CouncilMember> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = NewCouncilMember {
            name_ar: input.name_ar,
            name_latin: input.name_latin,
            party: input.party,
            role: input.role.into(),
            mandate_start: input.mandate_start,
            mandate_end: input.mandate_end,
        };
        let member = call.jamaa.add_council_member(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(member.into())
    }

    /// Schedules a session of the council.
    async fn schedule_council_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: CouncilSessionInput,
    ) -> Result<CouncilSession> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = NewSession {
            kind: input.kind.into(),
            starts_on: input.starts_on,
            title_ar: input.title_ar,
            title_fr: input.title_fr,
        };
        let session = call.jamaa.schedule_council_session(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(session.into())
    }

    /// Adds an item to a session's agenda; a petition the president declared admissible is inscribed.
    async fn add_agenda_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: AgendaItemInput,
    ) -> Result<CouncilSession> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = NewAgendaItem {
            session: input_id(&input.session_id, "input.sessionId").in_lang(&call)?,
            title_ar: input.title_ar,
            title_fr: input.title_fr,
            request: input.request_id.as_ref().map(|id| input_id(id, "input.requestId")).transpose().in_lang(&call)?,
        };
        let session = call.jamaa.add_agenda_item(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(session.into())
    }

    /// Records a deliberation with each member's vote; the commune's quorum and majority rules decide it.
    async fn record_deliberation(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: DeliberationInput,
    ) -> Result<CouncilSession> {
        let call = InCommune::new(ctx, commune, None).await?;
        let mut votes = Vec::with_capacity(input.votes.len());
        for (i, vote) in input.votes.iter().enumerate() {
            votes.push((
                input_id(&vote.member_id, &format!("input.votes[{i}].memberId")).in_lang(&call)?,
                vote.choice.into(),
            ));
        }
        let input = NewDeliberation {
            session: input_id(&input.session_id, "input.sessionId").in_lang(&call)?,
            agenda_item: input
                .agenda_item_id
                .as_ref()
                .map(|id| input_id(id, "input.agendaItemId"))
                .transpose()
                .in_lang(&call)?,
            text_ar: input.text_ar,
            text_fr: input.text_fr,
            votes,
        };
        let session = call.jamaa.record_deliberation(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(session.into())
    }

    /// Publishes a session's decisions as open data; the session takes no changes after.
    async fn publish_council_decisions(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        session_id: ID,
    ) -> Result<CouncilSession> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = input_id(&session_id, "sessionId").in_lang(&call)?;
        let session = call.jamaa.publish_council_decisions(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(session.into())
    }
}
