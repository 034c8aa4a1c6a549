//! The council's use cases: members and mandates, sessions, agendas (petitions included), deliberations with
//! their votes, and the publication of decisions as open data.

use chrono::NaiveDate;

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{AgendaItemId, CouncilMemberId, CouncilSessionId, DeliberationId, RequestId};
use crate::model::settings::SettingsSection as _;
use crate::model::workflow::Actor;
use crate::modules::council::model::{self as council, CouncilRole, CouncilRules, SessionKind, VoteChoice};
use crate::modules::council::model::{AgendaItem, Deliberation, Member, Session};
use crate::modules::council::store;
use crate::store::{TenantTx, audit, catalog, config, requests};

use crate::service::Jamaa;

/// The state a petition reaches when it is put on a session's agenda, and the action that takes it there.
pub const INSCRIBED_ON_AGENDA: &str = "inscribed_on_agenda";

/// A member to add to the council.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCouncilMember {
    pub name_ar: String,
    pub name_latin: String,
    pub party: String,
    pub role: CouncilRole,
    pub mandate_start: NaiveDate,
    pub mandate_end: Option<NaiveDate>,
}

/// A session to schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub kind: SessionKind,
    pub starts_on: NaiveDate,
    pub title_ar: String,
    pub title_fr: String,
}

/// An item to add to a session's agenda; `request` names a request of the commune (a petition).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAgendaItem {
    pub session: CouncilSessionId,
    pub title_ar: String,
    pub title_fr: String,
    pub request: Option<RequestId>,
}

/// A deliberation to record, with each member's vote; members in office with no vote were absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeliberation {
    pub session: CouncilSessionId,
    pub agenda_item: Option<AgendaItemId>,
    pub text_ar: String,
    pub text_fr: String,
    pub votes: Vec<(CouncilMemberId, VoteChoice)>,
}

/// A commune's published decisions: the sessions whose decisions were published, and the members who voted.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedDecisions {
    pub commune: Commune,
    pub members: Vec<Member>,
    pub sessions: Vec<Session>,
}

fn field(path: &str, code: FieldErrorCode, ar: &str, fr: &str, en: &str, tzm: &str) -> FieldError {
    FieldError::new(path, code, LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm))
}

/// A required text of at most `max` characters, trimmed.
fn text(errors: &mut Vec<FieldError>, path: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(field(
            path,
            FieldErrorCode::Required,
            "هذه الخانة إلزامية.",
            "Ce champ est obligatoire.",
            "Required.",
            "ⵉⵍⴰⵣⵎ.",
        ));
    } else if value.chars().count() > max {
        errors.push(field(
            path,
            FieldErrorCode::TooLong,
            "النص طويل جدا.",
            &format!("Texte trop long ({max} caractères au plus)."),
            &format!("Too long ({max} characters at most)."),
            &format!("ⵉⵖⵣⵣⵉⴼ ⴰⴽⵯ ({max} ⵏ ⵉⵙⴽⴽⵉⵍⵏ ⵖⴰⵙ)."),
        ));
    }
    value.to_owned()
}

fn check(errors: Vec<FieldError>) -> Result<(), Error> {
    if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
}

/// The council's rules from the commune's settings.
async fn rules(tx: &TenantTx) -> Result<CouncilRules, Error> {
    let config = config::get(tx).await?;
    match CouncilRules::from_settings(&config.settings) {
        Some(Ok(rules)) => Ok(rules),
        Some(Err(problem)) => Err(Error::internal(format!("settings.council does not load: {problem}"))),
        None => Err(Error::field(
            "settings.council",
            FieldErrorCode::InvalidDefinition,
            LocalizedText::ar_fr(
                "لم تحدد الجماعة قواعد مجلسها (settings.council).",
                "La commune n'a pas fixé les règles de son conseil (settings.council).",
            )
            .with(Locale::En, "The commune has not set its council's rules (settings.council).")
            .with(Locale::Tzm, "ⵓⵔ ⵜⵙⴱⴷⴷ ⵜⵎⵙⵎⵓⵏⵜ ⵉⵍⴳⴰⵎⵏ ⵏ ⵓⵙⵇⵇⵉⵎ ⵏⵏⵙ (settings.council)."),
        )),
    }
}

async fn session(tx: &TenantTx, id: CouncilSessionId) -> Result<Session, Error> {
    store::sessions(tx).await?.into_iter().find(|s| s.id == id).ok_or(Error::NotFound("council session"))
}

async fn open_session(tx: &TenantTx, id: CouncilSessionId) -> Result<Session, Error> {
    let session = session(tx, id).await?;
    if session.published_at.is_some() {
        return Err(Error::Conflict("the session's decisions are published: it takes no more changes".into()));
    }
    Ok(session)
}

impl Jamaa {
    async fn council_tx(&self, principal: &Principal, commune: &Commune) -> Result<TenantTx, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCouncil)?;
        self.store.tenant_tx(scope).await
    }

    async fn council_event(
        &self,
        tx: &TenantTx,
        principal: &Principal,
        kind: AuditKind,
        subject: AuditSubject,
        payload: serde_json::Value,
    ) -> Result<(), Error> {
        audit::append(tx, NewEvent::new(principal.actor(), kind, subject, payload), self.now()).await?;
        Ok(())
    }

    /// Records the event of a change to a session, commits, and returns the session as the change left it.
    async fn session_changed(
        &self,
        tx: TenantTx,
        principal: &Principal,
        kind: AuditKind,
        subject: AuditSubject,
        payload: serde_json::Value,
        id: CouncilSessionId,
    ) -> Result<Session, Error> {
        self.council_event(&tx, principal, kind, subject, payload).await?;
        let session = session(&tx, id).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Adds a member to the council, with their mandate.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn add_council_member(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewCouncilMember,
    ) -> Result<Member, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let mut errors = Vec::new();
        let member = Member {
            id: CouncilMemberId::new(),
            name_ar: text(&mut errors, "input.nameAr", &input.name_ar, 200),
            name_latin: text(&mut errors, "input.nameLatin", &input.name_latin, 200),
            party: text(&mut errors, "input.party", &input.party, 200),
            role: input.role,
            mandate_start: input.mandate_start,
            mandate_end: input.mandate_end,
        };
        if input.mandate_end.is_some_and(|end| end < input.mandate_start) {
            errors.push(field(
                "input.mandateEnd",
                FieldErrorCode::OutOfRange,
                "تنتهي الولاية بعد بدايتها.",
                "Le mandat finit après son début.",
                "A mandate ends after it starts.",
                "ⵜⴰⵏⵎⴰⵍⵜ ⵜⵜⴳⴰⵍⵍⴰ ⴷⴼⴼⵉⵔ ⵓⵙⵏⵜⵉ ⵏⵏⵙ.",
            ));
        }
        check(errors)?;
        store::insert_member(&tx, &member, self.now()).await?;
        let payload = serde_json::json!({ "role": member.role.as_str(), "mandateStart": member.mandate_start });
        self.council_event(
            &tx,
            principal,
            AuditKind::CouncilMemberAdded,
            AuditSubject::CouncilMember(member.id),
            payload,
        )
        .await?;
        tx.commit().await?;
        Ok(member)
    }

    /// The council's members and their mandates: public, as the council is.
    pub async fn council_members(&self, commune: &Commune) -> Result<Vec<Member>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let members = store::members(&tx).await?;
        tx.commit().await?;
        Ok(members)
    }

    /// Schedules a session: an ordinary one must fall in one of the months the commune's rules set.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn schedule_council_session(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewSession,
    ) -> Result<Session, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let rules = rules(&tx).await?;
        let mut errors = Vec::new();
        let title_ar = text(&mut errors, "input.titleAr", &input.title_ar, 300);
        let title_fr = text(&mut errors, "input.titleFr", &input.title_fr, 300);
        if let Err(error) = rules.check_session(input.kind, input.starts_on, "input.startsOn") {
            errors.push(error);
        }
        check(errors)?;
        let session = Session {
            id: CouncilSessionId::new(),
            kind: input.kind,
            starts_on: input.starts_on,
            title: LocalizedText::ar_fr(title_ar, title_fr),
            published_at: None,
            agenda: Vec::new(),
            deliberations: Vec::new(),
        };
        store::insert_session(&tx, &session, self.now()).await?;
        let payload = serde_json::json!({ "kind": session.kind.as_str(), "startsOn": session.starts_on });
        self.council_event(
            &tx,
            principal,
            AuditKind::CouncilSessionScheduled,
            AuditSubject::CouncilSession(session.id),
            payload,
        )
        .await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The council's sessions, newest first, with agendas and deliberations (drafts included): for those who
    /// run the council.
    pub async fn council_sessions(&self, principal: &Principal, commune: &Commune) -> Result<Vec<Session>, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let sessions = store::sessions(&tx).await?;
        tx.commit().await?;
        Ok(sessions)
    }

    /// Adds an item to a session's agenda. An item may name a request of the commune: a petition the president
    /// declared admissible is moved to `inscribed_on_agenda` through its workflow (by the caller, who needs
    /// the role the workflow asks for); one already inscribed is only referred to; a petition in any other
    /// state cannot be put on the agenda.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn add_agenda_item(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewAgendaItem,
    ) -> Result<Session, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let session = open_session(&tx, input.session).await?;
        let mut errors = Vec::new();
        let title_ar = text(&mut errors, "input.titleAr", &input.title_ar, 500);
        let title_fr = text(&mut errors, "input.titleFr", &input.title_fr, 500);
        check(errors)?;
        let mut moved = None;
        if let Some(request_id) = input.request {
            let record = requests::by_id(&tx, request_id).await?.ok_or(Error::NotFound("request"))?;
            let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
            let workflow = &service.definition.workflow;
            let inscribe = workflow.actions.iter().find(|a| a.to == INSCRIBED_ON_AGENDA);
            match inscribe {
                Some(action) if action.from.iter().any(|from| *from == record.state) => {
                    let actor = Actor::Staff { roles: principal.roles_in(commune.id).to_vec() };
                    let key = action.key.clone();
                    let tracking = record.tracking_code.to_string();
                    crate::service::lifecycle::apply_action(
                        &crate::service::procedures::of(&service),
                        &tx,
                        commune,
                        &service,
                        record,
                        &key,
                        &actor,
                        &principal.actor(),
                        None,
                        None,
                        self.now(),
                    )
                    .await?;
                    moved = Some(tracking);
                }
                Some(_) if record.state != INSCRIBED_ON_AGENDA => {
                    return Err(Error::field(
                        "input.requestId",
                        FieldErrorCode::InvalidValue,
                        LocalizedText::ar_fr(
                            "لا يمكن إدراج هذه العريضة في جدول الأعمال في وضعها الحالي.",
                            "Cette pétition ne peut être inscrite à l'ordre du jour dans son état actuel.",
                        )
                        .with(Locale::En, "This petition cannot be put on the agenda in its present state.")
                        .with(Locale::Tzm, "ⵜⴰⵙⵓⵜⵔⴰ ⵜⴰⵎⵓⵏⵜ ⴰⴷ ⵓⵔ ⵜⵣⵎⵎⵔ ⴰⴷ ⵜⵜⵓⵙⵏⵎⴰⵍ ⴳ ⵓⵙⵖⵎⴽ ⴳ ⵓⴷⴷⴰⴷ ⵏⵏⵙ ⵏ ⵖⵉⵍⴰⴷ."),
                    ));
                }
                _ => {}
            }
        }
        let position = session.agenda.iter().map(|i| i.position).max().unwrap_or(0) + 1;
        let item = AgendaItem {
            id: AgendaItemId::new(),
            position,
            title: LocalizedText::ar_fr(title_ar, title_fr),
            request_id: input.request,
        };
        store::insert_agenda_item(&tx, session.id, &item).await?;
        let payload = serde_json::json!({
            "session": session.id, "position": position, "request": input.request, "inscribed": moved,
        });
        self.session_changed(
            tx,
            principal,
            AuditKind::CouncilAgendaItemAdded,
            AuditSubject::AgendaItem(item.id),
            payload,
            session.id,
        )
        .await
    }

    /// Records a deliberation and its votes, and decides it by the commune's quorum and majority rules.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn record_deliberation(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: NewDeliberation,
    ) -> Result<Session, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let rules = rules(&tx).await?;
        let session = open_session(&tx, input.session).await?;
        let members = store::members(&tx).await?;
        let in_office: Vec<&Member> =
            members.iter().filter(|m| council::in_office(m.mandate_start, m.mandate_end, session.starts_on)).collect();
        let mut errors = Vec::new();
        let text_ar = text(&mut errors, "input.textAr", &input.text_ar, 20_000);
        let text_fr = text(&mut errors, "input.textFr", &input.text_fr, 20_000);
        if let Some(item) = input.agenda_item
            && !session.agenda.iter().any(|i| i.id == item)
        {
            errors.push(field(
                "input.agendaItemId",
                FieldErrorCode::InvalidValue,
                "هذه النقطة ليست في جدول أعمال الدورة.",
                "Ce point n'est pas à l'ordre du jour de la session.",
                "This item is not on the session's agenda.",
                "ⵜⴰⵏⵇⵇⵉⴹⵜ ⴰⴷ ⵓⵔ ⵜⵍⵍⵉ ⴳ ⵓⵙⵖⵎⴽ ⵏ ⵓⵙⵎⵓⵏ.",
            ));
        }
        let mut counted = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, (member, choice)) in input.votes.iter().enumerate() {
            let path = format!("input.votes[{i}].memberId");
            match in_office.iter().find(|m| m.id == *member) {
                None => errors.push(field(
                    &path,
                    FieldErrorCode::InvalidValue,
                    "ليس عضوا في المجلس يوم الدورة.",
                    "Pas membre du conseil à la date de la session.",
                    "Not a member of the council on the session's date.",
                    "ⵓⵔ ⵉⴳⵉ ⴰⴳⵎⴰⵎ ⵏ ⵓⵙⵇⵇⵉⵎ ⴳ ⵡⴰⵙⵙ ⵏ ⵓⵙⵎⵓⵏ.",
                )),
                Some(_) if !seen.insert(*member) => errors.push(field(
                    &path,
                    FieldErrorCode::InvalidValue,
                    "صوت هذا العضو مسجل مرتين.",
                    "Le vote de ce membre figure deux fois.",
                    "This member's vote is listed twice.",
                    "ⴰⴼⵔⴰⵏ ⵏ ⵓⴳⵎⴰⵎ ⴰⴷ ⵉⵜⵜⵓⵙⵎⴷⵢⴰ ⵙⵉⵏ ⵜⵉⴽⴽⴰⵍ.",
                )),
                Some(m) => counted.push((*choice, m.role)),
            }
        }
        check(errors)?;
        let members_in_office = u32::try_from(in_office.len()).map_err(Error::internal)?;
        let tally = rules.tally(members_in_office, &counted);
        // Members in office with no recorded vote were absent: the roll call is complete.
        let mut votes = input.votes.clone();
        for member in &in_office {
            if !seen.contains(&member.id) {
                votes.push((member.id, VoteChoice::Absent));
            }
        }
        let number = u32::try_from(session.deliberations.len()).map_err(Error::internal)? + 1;
        let deliberation = Deliberation {
            id: DeliberationId::new(),
            agenda_item_id: input.agenda_item,
            number,
            text: LocalizedText::ar_fr(text_ar, text_fr),
            tally,
            decided_at: self.now(),
            votes,
        };
        store::insert_deliberation(&tx, session.id, &deliberation).await?;
        let payload = serde_json::json!({
            "session": session.id,
            "number": number,
            "outcome": tally.outcome.as_str(),
            "for": tally.votes_for,
            "against": tally.against,
            "abstain": tally.abstain,
            "absent": tally.absent,
        });
        self.session_changed(
            tx,
            principal,
            AuditKind::CouncilDeliberationRecorded,
            AuditSubject::Deliberation(deliberation.id),
            payload,
            session.id,
        )
        .await
    }

    /// Publishes a session's decisions as open data; from then on the session takes no changes.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn publish_council_decisions(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: CouncilSessionId,
    ) -> Result<Session, Error> {
        let tx = self.council_tx(principal, commune).await?;
        let session = open_session(&tx, id).await?;
        if session.deliberations.is_empty() {
            return Err(Error::field(
                "sessionId",
                FieldErrorCode::Required,
                LocalizedText::ar_fr("لا مداولات في هذه الدورة بعد.", "Cette session n'a encore aucune délibération.")
                    .with(Locale::En, "This session has no deliberation yet.")
                    .with(Locale::Tzm, "ⵓⵔ ⴷⴰ ⵍⵍⵉⵏⵜ ⵜⵎⵙⴰⵡⴰⵍⵉⵏ ⴳ ⵓⵙⵎⵓⵏ ⴰⴷ."),
            ));
        }
        let now = self.now();
        if !store::publish(&tx, id, now).await? {
            return Err(Error::Conflict("the session's decisions are already published".into()));
        }
        let payload = serde_json::json!({ "deliberations": session.deliberations.len() });
        self.session_changed(
            tx,
            principal,
            AuditKind::CouncilDecisionsPublished,
            AuditSubject::CouncilSession(id),
            payload,
            id,
        )
        .await
    }

    /// The commune's published decisions, of one year (by session date) or all: public open data.
    pub async fn council_decisions(&self, commune: &Commune, year: Option<i32>) -> Result<PublishedDecisions, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let members = store::members(&tx).await?;
        let sessions = store::sessions(&tx)
            .await?
            .into_iter()
            .filter(|s| s.published_at.is_some())
            .filter(|s| year.is_none_or(|y| chrono::Datelike::year(&s.starts_on) == y))
            .collect();
        tx.commit().await?;
        Ok(PublishedDecisions { commune: commune.clone(), members, sessions })
    }
}
