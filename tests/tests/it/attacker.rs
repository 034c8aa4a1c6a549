//! The attacker's suite, over real HTTP on SQLite and on PostgreSQL. Every query and mutation of the schema,
//! enumerated from the schema itself, is turned against the commune of Oujda: by Chefchaouen's staff (every
//! role, commune_admin included) naming Oujda, through the `X-Commune: oujda` header, and naming Chefchaouen
//! with Oujda's ids; by the login session of a user of Chefchaouen, and of a user of Chefchaouen and Kaédi;
//! by a partner scoped to Chefchaouen; with no token; with an expired and a revoked token of Oujda's own
//! staff, and with an expired and a logged-out session of Oujda's own user. Nothing of Oujda may come back
//! (its request ids and tracking codes — but those of complaints made public, in the public listing — its
//! citizens' secrets, CINs, names and phones, its tokens' ids and secrets, its audit head; outside the public
//! catalog, its commune and service ids either), and nothing of it may change: its requests and their
//! histories, its services, its audit chain, the template registry and the communes, and its tokens still
//! work. On PostgreSQL, the application's role scoped to Chefchaouen, with no filter of its own, reads,
//! updates, deletes and inserts nothing of Oujda in any table that has a `tenant_id`, and each of those has
//! row-level security.
//!
//! The documents of a case file, opened and attached over HTTP beside the schema (`/disputes/…/documents`), are
//! attacked by the same callers: none is opened, none attached, and their content never comes back.
//!
//! An operation of the schema that [`operations`] does not attack fails the suite, and so does an attack on an
//! operation the schema does not have.
//!
//! The suite was run by hand against broken code, to see it fail:
//! - `Principal::authorize` letting staff read the requests of any commune (`*own == tenant || permission ==
//!   ReadRequests`): both backends fail, 12 attacks of some 580 getting through: `requests` and `request`
//!   answer Chefchaouen's staff naming Oujda, or through `X-Commune`, where FORBIDDEN or NOT_FOUND was
//!   expected, and the answers reveal Oujda's citizens' names, CINs, phones, tracking codes and request ids.
//! - `store::requests::by_id` and `store::catalog::service_version` (and the workflow it reads) finding rows
//!   by id without their tenant filter: SQLite fails, 16 attacks getting through: `request` naming
//!   Chefchaouen, or no commune, with Oujda's request ids answers with Oujda's files, and staff actions on
//!   them get CONFLICT instead of NOT_FOUND. PostgreSQL passes: row-level security alone keeps Oujda's rows
//!   out of Chefchaouen's transactions. (`by_id` alone without its filter leaks nothing: the service lookup
//!   that follows, still filtered, answers NOT_FOUND.)
//! - Row-level security left off the table `timers`: the PostgreSQL run fails, naming it.
//! - `Principal::membership` falling back to a user's first membership when it has none in the commune named:
//!   102 of some 1,150 attacks get through on SQLite: the sessions of Chefchaouen's user read and act on
//!   Oujda's files, naming it or through `X-Commune`.
//! - `Jamaa::council_sessions` asking ReadCatalog instead of ManageCouncil: SQLite fails, 8 attacks of some 880
//!   getting through: `councilSessions` answers Chefchaouen's staff naming Oujda, or through `X-Commune`, with
//!   the title and ids of Oujda's draft session and its agenda.
//! - `modules::civil_status::store::act_by_id` finding acts by id without its tenant filter: SQLite fails, 6 attacks
//!   (`civilAct`, `addCivilMention`, `issueCivilDocument` at home with Oujda's act id) getting INTERNAL where
//!   NOT_FOUND was expected; nothing leaks, since the act's persons are sealed under Oujda's data key, which
//!   Chefchaouen's transaction does not reach.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail, ensure};
use jamaa_core::model::i18n::LocalizedText;
use jamaa_core::model::template::{TemplateBundle, TemplateContent};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use jamaa_tests::pg::{PgDatabase, PgServer};
use jamaa_tests::ws::GraphqlWs;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    another_commune_reads_nothing_of_oujda_0,
    another_commune_reads_nothing_of_oujda_1,
    another_commune_changes_nothing_of_oujda_0,
    another_commune_changes_nothing_of_oujda_1,
    another_commune_changes_nothing_of_oujda_2,
    another_commune_follows_nothing_of_oujda,
    odd_inputs_break_nothing_and_reveal_nothing,
    a_key_of_oujda_answers_nowhere_else,
    a_key_of_an_operator_answers_no_one_else,
);

const VICTIM: &str = "oujda";
const ATTACKER: &str = "chefchaouen";

// ---------------------------------------------------------------------------------------------------------------
// Who attacks, how, and what they must get.

/// Whom an attack is shaped for: what a caller of that kind may legitimately do differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Staff,
    Partner,
    Anonymous,
}

/// How the attacker points at Oujda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// `commune: "oujda"`.
    Named,
    /// No commune argument (where it may be left out), and the header `X-Commune: oujda`.
    Header,
    /// `commune: "chefchaouen"`, with Oujda's ids.
    Own,
    /// No commune at all (a staff token's commune is then its own), with Oujda's ids.
    Implicit,
}

/// What an attack must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// A normal answer, without errors (public operations, or the attacker's own business).
    Answers,
    /// FORBIDDEN or NOT_FOUND, and no data.
    Refused,
    /// VALIDATION_FAILED, and no data (the caller is allowed, the input is not).
    Invalid,
    /// UNAUTHENTICATED, and no data.
    Unauthenticated,
    /// Not tried: what this caller would get is legitimately a change of Oujda (a citizen submits to it).
    Skip,
}

struct Attacker {
    label: &'static str,
    token: Option<String>,
    who: Who,
    /// A token that is presented but no longer valid: every call is UNAUTHENTICATED, never anonymous.
    dead: bool,
    frames: &'static [Frame],
    /// A user's login session rather than an API token.
    user: bool,
}

const ALL_FRAMES: &[Frame] = &[Frame::Named, Frame::Header, Frame::Own, Frame::Implicit];
/// Callers without a commune of their own name one.
const NAMING_FRAMES: &[Frame] = &[Frame::Named, Frame::Header, Frame::Own];
/// A credential that is no longer valid is refused before any operation runs, whatever the call names: each
/// operation is tried once with it, naming Oujda, the commune it belonged to.
const DEAD_FRAMES: &[Frame] = &[Frame::Named];

/// What an attack is built from.
struct Ctx<'a> {
    v: &'a Victim,
    who: Who,
    frame: Frame,
    /// The attacker is logged in as a user.
    user: bool,
}

impl Ctx<'_> {
    /// The optional `commune` argument.
    fn commune(&self) -> Value {
        match self.frame {
            Frame::Named => json!(VICTIM),
            Frame::Own => json!(ATTACKER),
            Frame::Header | Frame::Implicit => Value::Null,
        }
    }

    /// A required `commune` argument.
    fn commune_named(&self) -> &'static str {
        if self.at_home() { ATTACKER } else { VICTIM }
    }

    /// Whether the attacker names its own commune (with Oujda's ids).
    fn at_home(&self) -> bool {
        matches!(self.frame, Frame::Own | Frame::Implicit)
    }

    fn staff_at_home(&self) -> bool {
        self.who == Who::Staff && self.at_home()
    }

    /// What a caller gets for an operation it may not do: with no token, UNAUTHENTICATED.
    fn refused(&self) -> Outcome {
        if self.who == Who::Anonymous { Outcome::Unauthenticated } else { Outcome::Refused }
    }
}

struct Attack {
    variables: Value,
    expect: Outcome,
}

fn attack(variables: Value, expect: Outcome) -> Attack {
    Attack { variables, expect }
}

/// How to attack one operation of the schema.
struct Operation {
    name: &'static str,
    /// Answers with public data of Oujda (its commune, catalog and templates): checked against the private
    /// markers only.
    public: bool,
    document: &'static str,
    attacks: fn(&Ctx<'_>) -> Vec<Attack>,
}

/// Every operation of the schema and how to attack it. A new query or mutation fails the suite until it is
/// added here.
fn operations() -> Vec<Operation> {
    use Outcome::*;
    vec![
        Operation {
            name: "communes",
            public: true,
            document: "query { communes(first: 100) { nodes { id slug name status trackingPrefix calendar
                templateName templateVersion latestTemplateVersion upgradeAvailable } } }",
            attacks: |_: &Ctx<'_>| vec![attack(json!({}), Answers)],
        },
        Operation {
            name: "commune",
            public: true,
            document: "query($slug: String!) { commune(slug: $slug) {
                id slug name names { locale text } country officialCode region province population status calendar
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "slug": c.commune_named() }), Answers)],
        },
        Operation {
            name: "services",
            public: true,
            document: "query($c: String) { services(commune: $c, first: 100) {
                nodes { id code version name channels }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "service",
            public: true,
            document: "query($c: String, $code: String!) { service(commune: $c, code: $code) {
                id code version name definition
            } }",
            // Oujda's own service: public in Oujda, unknown in Chefchaouen.
            attacks: |c: &Ctx<'_>| {
                let code = &c.v.counter_service["code"];
                vec![attack(json!({ "c": c.commune(), "code": code }), if c.at_home() { Refused } else { Answers })]
            },
        },
        Operation {
            name: "trackRequest",
            public: false,
            document: "query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret) {
                id trackingCode commune state data history { actor comment } receipt { trackingCode }
            } }",
            attacks: |c: &Ctx<'_>| {
                // A made-up secret, or the secret of the attacker's own request.
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                let mut attacks: Vec<Attack> =
                    c.v.filed.iter().map(|f| attack(json!({ "code": f.code, "secret": secret }), Refused)).collect();
                if c.frame == Frame::Named {
                    let id = &c.v.filed[0].id;
                    attacks.push(attack(json!({ "code": id, "secret": secret }), Invalid));
                }
                attacks
            },
        },
        Operation {
            name: "publicComplaints",
            public: true,
            document: "query($c: String) { publicComplaints(commune: $c, first: 100) { nodes {
                trackingCode serviceCode category description place { lat lng address } mediaUrl status state rating
            } } }",
            // Only what applicants made public, never a private complaint (the partner's) nor personal data.
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "rateComplaint",
            public: false,
            document: "mutation($code: String!, $secret: String!) {
                rateComplaint(trackingCode: $code, secret: $secret, rating: 1) { trackingCode rating }
            }",
            // As trackRequest: a made-up secret, or the secret of the attacker's own request.
            attacks: |c: &Ctx<'_>| {
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                c.v.filed.iter().map(|f| attack(json!({ "code": f.code, "secret": secret }), Refused)).collect()
            },
        },
        Operation {
            name: "auditHead",
            public: true,
            document: "query($c: String) { auditHead(commune: $c) { sequence hash recordedAt } }",
            // Public: every commune's head is anyone's to keep.
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "auditHeads",
            public: true,
            document: "query($c: String) { auditHeads(commune: $c, first: 100) {
                totalCount nodes { commune day sequence hash link recordedAt publishedAt }
            } }",
            // Public: the heads a commune published are anyone's to keep.
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "auditProof",
            public: false,
            document: "query($code: String!, $secret: String!) { auditProof(trackingCode: $code, secret: $secret, since: 0) {
                commune tenantId subject sinceLink steps { sequence contentHash link event { actor kind payload } }
            } }",
            // As trackRequest: a made-up secret, or the secret of the attacker's own request.
            attacks: |c: &Ctx<'_>| {
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                let mut attacks: Vec<Attack> =
                    c.v.filed.iter().map(|f| attack(json!({ "code": f.code, "secret": secret }), Refused)).collect();
                if c.frame == Frame::Named {
                    let id = &c.v.filed[0].id;
                    attacks.push(attack(json!({ "code": id, "secret": secret }), Invalid));
                }
                attacks
            },
        },
        Operation {
            name: "complaintModerationQueue",
            public: false,
            document: "query($c: String) { complaintModerationQueue(commune: $c, first: 100) { totalCount nodes {
                trackingCode description address findings suggestedRedaction moderation publishedDescription
            } } }",
            // The staff's own queue at home; Oujda's to nobody else.
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "moderateComplaint",
            public: false,
            document: "mutation($c: String, $code: String!) {
                moderateComplaint(commune: $c, trackingCode: $code, action: KEEP_PRIVATE) { trackingCode moderation }
            }",
            // Oujda's complaints are unknown in the attacker's commune, and Oujda's are not the attacker's to judge.
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "code": f.code }), c.refused())).collect()
            },
        },
        Operation {
            name: "requests",
            public: false,
            document: "query($c: String, $after: String) { requests(commune: $c, first: 100, after: $after) {
                nodes { id trackingCode commune state version data documents { fileName } }
                pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    // An inbox cursor of Oujda's.
                    attack(json!({ "c": c.commune(), "after": c.v.cursor }), expect),
                ]
            },
        },
        Operation {
            name: "verifyDocument",
            public: true,
            document: "query($code: String!, $text: String) { verifyDocument(code: $code, text: $text) {
                code commune { slug } kind title issuedAt fingerprint textMatches
            } }",
            attacks: |c: &Ctx<'_>| {
                vec![
                    // Anyone verifies a code, and learns nothing of the document's content.
                    attack(json!({ "code": c.v.document_code }), Answers),
                    attack(json!({ "code": c.v.document_code, "text": "Décision : accordée" }), Answers),
                ]
            },
        },
        Operation {
            name: "requestDocuments",
            public: false,
            document: "query($c: String, $id: ID!) { requestDocuments(commune: $c, requestId: $id) {
                nodes { id code text fingerprint }
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed
                    .iter()
                    .map(|f| f.id.as_str())
                    .chain([c.v.decided_id.as_str()])
                    .map(|id| attack(json!({ "c": c.commune(), "id": id }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "issueRequestDecision",
            public: false,
            document: "mutation($c: String, $id: ID!) { issueRequestDecision(commune: $c, requestId: $id) {
                id code text fingerprint
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.decided_id }), c.refused())],
        },
        Operation {
            name: "issueTacitAcceptanceCertificate",
            public: false,
            document: "mutation($c: String, $id: ID!) { issueTacitAcceptanceCertificate(commune: $c, requestId: $id) {
                id code text fingerprint
            } }",
            // Oujda's files, decided or not: another commune's staff certify none of them.
            attacks: |c: &Ctx<'_>| {
                c.v.filed
                    .iter()
                    .map(|f| f.id.as_str())
                    .chain([c.v.decided_id.as_str()])
                    .map(|id| attack(json!({ "c": c.commune(), "id": id }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "request",
            public: false,
            document: "query($c: String, $id: ID!) { request(commune: $c, id: $id) {
                id trackingCode state version data history { actor comment } receipt { trackingCode }
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "id": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "findRequests",
            public: false,
            document: "query($c: String, $field: SearchField!, $value: String!) {
                findRequests(commune: $c, field: $field, value: $value) { nodes { id trackingCode data sealedFields } }
            }",
            // Oujda's citizens looked up by CIN and phone: at home the attacker finds none of them.
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune(), "field": "CIN", "value": "UJ734519" }), expect),
                    attack(json!({ "c": c.commune(), "field": "PHONE", "value": "+212661908172" }), expect),
                ]
            },
        },
        Operation {
            name: "auditVerify",
            public: false,
            document: "query($c: String) { auditVerify(commune: $c) {
                valid eventsChecked headHash firstBrokenSequence problem
            } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "templates",
            public: true,
            document: "query { templates(first: 100) { nodes { reference contentHash bundle } } }",
            attacks: |_: &Ctx<'_>| vec![attack(json!({}), Answers)],
        },
        Operation {
            name: "templateDiff",
            public: true,
            document: "query($from: String!, $to: String!) { templateDiff(from: $from, to: $to) {
                path kind before after summary
            } }",
            attacks: |_: &Ctx<'_>| vec![attack(json!({ "from": "oujda@1", "to": "oujda@2" }), Answers)],
        },
        Operation {
            name: "indicators",
            // Aggregates without personal data: anyone reads any commune's.
            public: true,
            document: "query($c: String, $from: NaiveDate) { indicators(commune: $c, from: $from) {
                commune from to asOf submitted decided decidedWithinDeadline withinDeadlineShare
                medianProcessingSeconds byOutcome { open approved } backlog { total buckets { minDays count } }
                byService { serviceCode serviceName submitted byState { state count } } complaints { received reopened }
            } }",
            attacks: |c: &Ctx<'_>| {
                vec![
                    attack(json!({ "c": c.commune() }), Answers),
                    attack(json!({ "c": c.commune(), "from": "2026-12-31" }), Answers),
                ]
            },
        },
        Operation {
            name: "nationalIndicators",
            // Every commune's figures at once: the platform operators' only.
            public: false,
            document: "query { nationalIndicators {
                communes { commune submitted byService { serviceCode submitted } }
                regions { region submitted } total { submitted decided }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({}), c.refused())],
        },
        Operation {
            name: "submitRequest",
            public: false,
            document: "mutation($c: String, $input: SubmitRequestInput!) { submitRequest(commune: $c, input: $input) {
                secret request { id trackingCode commune data } receipt { trackingCode communeName }
            } }",
            attacks: |c: &Ctx<'_>| {
                let (staff_or_partner, anonymous) = (c.who != Who::Anonymous, c.who == Who::Anonymous);
                // Oujda's counter-only service: only its staff may file it; Chefchaouen does not offer it.
                let counter = counter_submission(&c.v.counter_service, "Karim Chefchaouni", "+212611223344");
                let counter_expect = if c.at_home() { Invalid } else { Refused };
                // A form that fails validation, which comes only after the caller is allowed.
                let invalid = json!({ "serviceCode": "legalisation-signature", "data": { "cin": "12" } });
                let invalid_expect = if c.at_home() || anonymous { Invalid } else { Refused };
                // A valid online submission: a citizen may file it in Oujda; the others may not.
                let valid = legalisation("Karim Chefchaouni", "CH556677", "+212611223344");
                let valid_expect = match (c.at_home(), staff_or_partner) {
                    (true, _) => Answers,
                    (false, true) => Refused,
                    (false, false) => Skip,
                };
                vec![
                    attack(json!({ "c": c.commune(), "input": counter }), counter_expect),
                    attack(json!({ "c": c.commune(), "input": invalid }), invalid_expect),
                    attack(json!({ "c": c.commune(), "input": valid }), valid_expect),
                ]
            },
        },
        Operation {
            name: "actOnRequest",
            public: false,
            document: "mutation($c: String, $id: ID!, $action: String!, $v: Int!, $comment: String, $secret: String) {
                actOnRequest(commune: $c, id: $id, action: $action, expectedVersion: $v, comment: $comment,
                             secret: $secret) { id trackingCode state version data }
            }",
            attacks: |c: &Ctx<'_>| {
                let mut attacks = Vec::new();
                // The applicant's way in needs the request's secret: a made-up one, or the attacker's own.
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                for f in &c.v.filed {
                    let staff = json!({
                        "c": c.commune(), "id": f.id, "action": f.staff_action, "v": f.version, "comment": "attaque"
                    });
                    attacks.push(attack(staff, c.refused()));
                    let applicant =
                        json!({ "c": c.commune(), "id": f.id, "action": "withdraw", "v": f.version, "secret": secret });
                    attacks.push(attack(applicant, Refused));
                }
                attacks
            },
        },
        Operation {
            name: "giveOpinion",
            public: false,
            document: "mutation($c: String, $id: ID!, $body: String, $o: Opinion!, $r: String) {
                giveOpinion(commune: $c, id: $id, body: $body, opinion: $o, reasons: $r) {
                    id state version commission { outcome bodies { opinion { reasons } } }
                }
            }",
            attacks: |c: &Ctx<'_>| {
                // Oujda's file before its commission, and its other files: no body of another commune speaks.
                let mut ids = vec![c.v.in_commission.clone()];
                ids.extend(c.v.filed.iter().map(|f| f.id.clone()));
                ids.into_iter()
                    .flat_map(|id| {
                        [
                            attack(
                                json!({ "c": c.commune(), "id": id, "body": "civil_protection", "o": "UNFAVOURABLE",
                                        "r": "attaque" }),
                                c.refused(),
                            ),
                            attack(json!({ "c": c.commune(), "id": id, "o": "FAVOURABLE" }), c.refused()),
                        ]
                    })
                    .collect()
            },
        },
        Operation {
            name: "exportTemplate",
            public: false,
            document: "mutation($c: String!, $name: String!, $version: Int) {
                exportTemplate(commune: $c, name: $name, version: $version) { reference contentHash bundle }
            }",
            // Publishing under Oujda's name, or under the national standard's, from any commune.
            attacks: |c: &Ctx<'_>| {
                let commune = c.commune_named();
                vec![
                    attack(json!({ "c": commune, "name": "oujda" }), c.refused()),
                    attack(json!({ "c": commune, "name": "oujda", "version": 7 }), c.refused()),
                    attack(json!({ "c": commune, "name": "ma-commune" }), c.refused()),
                ]
            },
        },
        Operation {
            name: "importTemplate",
            public: false,
            document: "mutation($b: JSON!) { importTemplate(bundle: $b) { reference contentHash } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "b": c.v.foreign_bundle }), c.refused())],
        },
        Operation {
            name: "onboardCommune",
            public: false,
            document: "mutation($i: OnboardCommuneInput!) { onboardCommune(input: $i) { id slug trackingPrefix } }",
            attacks: |c: &Ctx<'_>| {
                vec![
                    // Copying Oujda (which exports it first), or its template.
                    attack(
                        json!({ "i": { "fromCommune": "oujda", "slug": "oujda-bis", "trackingPrefix": "OJB",
                                       "nameFr": "Oujda bis" } }),
                        c.refused(),
                    ),
                    attack(
                        json!({ "i": { "from": "oujda@2", "slug": "oujda-ter", "trackingPrefix": "OJT",
                                       "nameFr": "Oujda ter" } }),
                        c.refused(),
                    ),
                ]
            },
        },
        Operation {
            name: "createTrainingCommune",
            public: false,
            document: "mutation($from: String!, $slug: String) {
                createTrainingCommune(from: $from, slug: $slug) { commune { slug } logins { login } password token }
            }",
            // A training copy of Oujda, with accounts and a token of its own.
            attacks: |c: &Ctx<'_>| {
                vec![
                    attack(json!({ "from": "oujda", "slug": "oujda-attack" }), c.refused()),
                    attack(json!({ "from": c.commune_named() }), c.refused()),
                ]
            },
        },
        Operation {
            name: "resetTrainingCommune",
            public: false,
            document: "mutation($c: String!) { resetTrainingCommune(commune: $c) { commune requests } }",
            // Wiping a commune's files and audit trail.
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune_named() }), c.refused())],
        },
        Operation {
            name: "upgradeCommune",
            public: false,
            document: "mutation($c: String!, $to: String!, $dry: Boolean) {
                upgradeCommune(commune: $c, to: $to, dryRun: $dry) {
                    upgraded from to changes { path summary } localChanges { path } conflicts { path theirs ours }
                    servicesPublished servicesRetired
                }
            }",
            attacks: |c: &Ctx<'_>| {
                let commune = c.commune_named();
                vec![
                    // Chefchaouen may upgrade itself to any template, Oujda's included (templates are public).
                    attack(
                        json!({ "c": commune, "to": "oujda@2", "dry": true }),
                        if c.staff_at_home() { Answers } else { c.refused() },
                    ),
                    attack(
                        json!({ "c": commune, "to": "ma-commune@1", "dry": false }),
                        if c.staff_at_home() { Skip } else { c.refused() },
                    ),
                ]
            },
        },
        Operation {
            name: "publishService",
            public: false,
            document: "mutation($c: String!, $d: JSON!) { publishService(commune: $c, definition: $d) }",
            attacks: |c: &Ctx<'_>| {
                let commune = c.commune_named();
                let mut changed = c.v.counter_service.clone();
                changed["name"]["fr"] = json!("Réclamation au guichet (modifiée)");
                vec![
                    // Oujda's own service, changed; Chefchaouen publishing it at home is its own business.
                    attack(json!({ "c": commune, "d": changed }), if c.staff_at_home() { Skip } else { c.refused() }),
                    // Oujda's definition of a service both have, as Chefchaouen's next version at home.
                    attack(
                        json!({ "c": commune, "d": c.v.reclamation }),
                        if c.staff_at_home() { Answers } else { c.refused() },
                    ),
                ]
            },
        },
        Operation {
            name: "setDatedHolidays",
            public: false,
            document: "mutation($c: String, $k: String, $h: [DatedHolidayInput!]!) {
                setDatedHolidays(commune: $c, country: $k, year: 2027, holidays: $h) { communes requestsMoved }
            }",
            attacks: |c: &Ctx<'_>| {
                let days = json!([{ "date": "2027-03-10", "names": [{ "locale": "fr", "text": "Jour chômé" }] }]);
                // Operators only: no commune's staff sets a calendar, Oujda's or Morocco's.
                vec![
                    attack(json!({ "c": c.commune_named(), "h": days }), c.refused()),
                    attack(json!({ "k": "MA", "h": days }), c.refused()),
                ]
            },
        },
        Operation {
            name: "createApiToken",
            public: false,
            document: "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { id token expiresAt } }",
            attacks: |c: &Ctx<'_>| {
                [
                    json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["commune_admin"], "label": "x" }),
                    json!({ "kind": "PARTNER", "communes": ["oujda"], "label": "x" }),
                    json!({ "kind": "PARTNER", "communes": ["chefchaouen", "oujda"], "label": "x" }),
                    json!({ "kind": "OPERATOR", "label": "x" }),
                ]
                .into_iter()
                .map(|input| attack(json!({ "i": input }), c.refused()))
                .collect()
            },
        },
        Operation {
            name: "siteOrigins",
            public: true,
            document: "query($c: String!) { siteOrigins(commune: $c) }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune_named() }), Answers)],
        },
        Operation {
            name: "setSiteOrigins",
            public: false,
            document: "mutation($c: String!, $o: [String!]!) { setSiteOrigins(commune: $c, origins: $o) }",
            // A commune's administrators set its own site's origins only; Chefchaouen's at home is its business.
            attacks: |c: &Ctx<'_>| {
                let origins = if c.at_home() { "https://www.chefchaouen.ma" } else { "https://evil.example" };
                vec![attack(
                    json!({ "c": c.commune_named(), "o": [origins] }),
                    if c.staff_at_home() { Answers } else { c.refused() },
                )]
            },
        },
        Operation {
            name: "inboxCounts",
            public: false,
            document: "query($c: String, $search: String) { inboxCounts(commune: $c, search: $search) {
                total overdue mine unassigned byState { state label count }
            } }",
            // Counted at home, Oujda's tracking codes find nothing there.
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                let mut attacks = vec![attack(json!({ "c": c.commune() }), expect)];
                attacks.extend(c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "search": f.code }), expect)));
                attacks
            },
        },
        Operation {
            name: "workload",
            public: false,
            document: "query($c: String) { workload(commune: $c) { member { id login displayName } open overdue } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "assignableMembers",
            public: false,
            document: "query($c: String, $r: ID!) { assignableMembers(commune: $c, requestId: $r) { id login displayName } }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "r": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "assignRequest",
            public: false,
            document: "mutation($c: String, $r: ID!, $m: ID!) { assignRequest(commune: $c, requestId: $r, memberId: $m) {
                id trackingCode assignee { id login }
            } }",
            // Oujda's files to Oujda's members or to the attacker's; and the attacker's own file to Oujda's member,
            // who may not hold it.
            attacks: |c: &Ctx<'_>| {
                let mut attacks = Vec::new();
                for f in &c.v.filed {
                    for member in &c.v.member_ids {
                        attacks.push(attack(json!({ "c": c.commune(), "r": f.id, "m": member }), c.refused()));
                    }
                }
                let own = json!({ "c": c.commune(), "r": c.v.own_request, "m": c.v.member_ids[0] });
                attacks.push(attack(own, if c.staff_at_home() { Invalid } else { c.refused() }));
                attacks
            },
        },
        Operation {
            name: "claimRequest",
            public: false,
            document: "mutation($c: String, $r: ID!) { claimRequest(commune: $c, requestId: $r) { id assignee { id } } }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "r": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "releaseRequest",
            public: false,
            document: "mutation($c: String, $r: ID!) { releaseRequest(commune: $c, requestId: $r) { id assignee { id } } }",
            // One of Oujda's files is held by its counter agent.
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "r": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "communeUsers",
            public: false,
            document: "query($c: String) { communeUsers(commune: $c) { id login displayName disabled roles } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "apiTokens",
            public: false,
            document: "query($c: String) { apiTokens(commune: $c) { nodes {
                id kind label roles createdAt expiresAt lastUsedAt revokedAt
            } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "createUser",
            public: false,
            document: "mutation($c: String, $i: CreateUserInput!) { createUser(commune: $c, input: $i) { id login roles } }",
            // An account in Oujda with its administrator's role; at home, an account is the attacker's business.
            attacks: |c: &Ctx<'_>| {
                let input = json!({ "login": "intrus.oujda", "displayName": "Intrus", "password": USER_PASSWORD,
                                    "roles": ["commune_admin"] });
                vec![attack(json!({ "c": c.commune(), "i": input }), if c.staff_at_home() { Skip } else { c.refused() })]
            },
        },
        Operation {
            name: "grantRole",
            public: false,
            document: "mutation($c: String, $u: ID!, $r: String!) { grantRole(commune: $c, userId: $u, role: $r) {
                id login roles
            } }",
            // Oujda's members given a role in Oujda, or drawn into the attacker's commune: its administrators
            // only touch their own members.
            attacks: |c: &Ctx<'_>| {
                c.v.member_ids
                    .iter()
                    .map(|u| attack(json!({ "c": c.commune(), "u": u, "r": "commune_admin" }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "revokeRole",
            public: false,
            document: "mutation($c: String, $u: ID!, $r: String!) { revokeRole(commune: $c, userId: $u, role: $r) {
                id login roles
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.member_ids
                    .iter()
                    .map(|u| attack(json!({ "c": c.commune(), "u": u, "r": "counter_agent" }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "setUserDisabled",
            public: false,
            document: "mutation($c: String, $u: ID!) { setUserDisabled(commune: $c, userId: $u, disabled: true) {
                id disabled
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.member_ids.iter().map(|u| attack(json!({ "c": c.commune(), "u": u }), c.refused())).collect()
            },
        },
        Operation {
            name: "resetUserPassword",
            public: false,
            document: "mutation($c: String, $u: ID!, $p: String!) { resetUserPassword(commune: $c, userId: $u, password: $p) }",
            attacks: |c: &Ctx<'_>| {
                c.v.member_ids
                    .iter()
                    .map(|u| attack(json!({ "c": c.commune(), "u": u, "p": "un mot de passe de l'attaquant" }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "me",
            public: false,
            document: "query { me { id login displayName operator memberships { commune roles permissions } } }",
            // A user's own account; API tokens have none.
            attacks: |c: &Ctx<'_>| vec![attack(json!({}), if c.user { Answers } else { c.refused() })],
        },
        Operation {
            name: "login",
            public: false,
            document: "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token expiresAt } }",
            // Oujda's user with a guessed password, and a login nobody has.
            attacks: |_: &Ctx<'_>| {
                vec![
                    attack(json!({ "l": OUJDA_USER, "p": "oujda-2026-password" }), Unauthenticated),
                    attack(json!({ "l": "nobody.here", "p": "oujda-2026-password" }), Unauthenticated),
                ]
            },
        },
        Operation {
            name: "logout",
            public: false,
            document: "mutation { logout }",
            // A user ending its own session is its own business (and would end the attacks it makes).
            attacks: |c: &Ctx<'_>| vec![attack(json!({}), if c.user { Skip } else { c.refused() })],
        },
        Operation {
            name: "revokeApiToken",
            public: false,
            document: "mutation($id: ID!) { revokeApiToken(id: $id) }",
            attacks: |c: &Ctx<'_>| c.v.token_ids.iter().map(|id| attack(json!({ "id": id }), c.refused())).collect(),
        },
        Operation {
            name: "petitions",
            public: true,
            document: "query($c: String) { petitions(commune: $c) { nodes {
                id subject text petitionerType associationName state signatures openForSignatures
            } } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "signPetition",
            public: false,
            document: "mutation($c: String, $p: ID!, $n: String!, $name: String!) {
                signPetition(commune: $c, petition: $p, nationalId: $n, name: $name) { signatures }
            }",
            // Oujda's files are no petitions, in Oujda or elsewhere: signing them finds nothing.
            attacks: |c: &Ctx<'_>| {
                c.v.filed
                    .iter()
                    .map(|f| attack(json!({ "c": c.commune(), "p": f.id, "n": "CH556677", "name": "Karim" }), Refused))
                    .collect()
            },
        },
        Operation {
            name: "publications",
            public: true,
            document: "query($c: String) { publications(commune: $c) { nodes { key label published location publishedAt } } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "markPublished",
            public: false,
            document: "mutation($c: String, $item: String!, $l: String!) {
                markPublished(commune: $c, item: $item, location: $l) { key published location }
            }",
            // Oujda's list, marked from elsewhere; at home, Chefchaouen's staff mark their own.
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![attack(json!({ "c": c.commune(), "item": "budget", "l": "https://faux.example/budget" }), expect)]
            },
        },
        Operation {
            name: "councilMembers",
            public: true,
            document: "query($c: String) { councilMembers(commune: $c) { nodes {
                id nameAr nameLatin party role mandateStart mandateEnd
            } } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "councilDecisions",
            public: true,
            document: "query($c: String) { councilDecisions(commune: $c) { nodes {
                sessionId sessionDate number textAr textFr count { outcome votesFor } votes { nameLatin choice }
            } } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "budgetExecution",
            public: true,
            document: "query($c: String) { budgetExecution(commune: $c) {
                currency lines { year chapter labelFr paid collected } chapters { chapter executionRate }
                revenues { revenueType collectionRate } years { year paidChange }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "councilSessions",
            public: false,
            document: "query($c: String) { councilSessions(commune: $c) { nodes {
                id titleFr agenda { id titleFr requestId } deliberations { id textFr votes { memberId choice } }
            } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "addCouncilMember",
            public: false,
            document: "mutation($c: String, $i: CouncilMemberInput!) { addCouncilMember(commune: $c, input: $i) { id } }",
            attacks: |c: &Ctx<'_>| {
                let input = json!({ "nameAr": "عضو دخيل", "nameLatin": "Membre Intrus", "party": "Liste X",
                                    "role": "PRESIDENT", "mandateStart": "2026-01-01" });
                vec![attack(
                    json!({ "c": c.commune(), "i": input }),
                    if c.staff_at_home() { Skip } else { c.refused() },
                )]
            },
        },
        Operation {
            name: "scheduleCouncilSession",
            public: false,
            document: "mutation($c: String, $i: CouncilSessionInput!) {
                scheduleCouncilSession(commune: $c, input: $i) { id }
            }",
            attacks: |c: &Ctx<'_>| {
                let input =
                    json!({ "kind": "ORDINARY", "startsOn": "2026-10-05", "titleAr": "دورة", "titleFr": "Session" });
                vec![attack(
                    json!({ "c": c.commune(), "i": input }),
                    if c.staff_at_home() { Skip } else { c.refused() },
                )]
            },
        },
        Operation {
            name: "addAgendaItem",
            public: false,
            document: "mutation($c: String, $i: AgendaItemInput!) {
                addAgendaItem(commune: $c, input: $i) { id titleFr agenda { id titleFr requestId } }
            }",
            // On Oujda's draft session, with or without one of Oujda's requests.
            attacks: |c: &Ctx<'_>| {
                let mut attacks = vec![attack(
                    json!({ "c": c.commune(), "i": { "sessionId": c.v.council_session, "titleAr": "نقطة",
                                                     "titleFr": "Point ajouté" } }),
                    c.refused(),
                )];
                for f in &c.v.filed {
                    attacks.push(attack(
                        json!({ "c": c.commune(), "i": { "sessionId": c.v.council_session, "titleAr": "نقطة",
                                                         "titleFr": "Point ajouté", "requestId": f.id } }),
                        c.refused(),
                    ));
                }
                attacks
            },
        },
        Operation {
            name: "recordDeliberation",
            public: false,
            document: "mutation($c: String, $i: DeliberationInput!) {
                recordDeliberation(commune: $c, input: $i) { id deliberations { id textFr } }
            }",
            attacks: |c: &Ctx<'_>| {
                let votes: Vec<Value> =
                    c.v.council_members.iter().map(|m| json!({ "memberId": m, "choice": "FOR" })).collect();
                let input = json!({ "sessionId": c.v.council_session, "agendaItemId": c.v.agenda_item,
                                    "textAr": "قرار", "textFr": "Décision imposée", "votes": votes });
                vec![attack(json!({ "c": c.commune(), "i": input }), c.refused())]
            },
        },
        Operation {
            name: "publishCouncilDecisions",
            public: false,
            document: "mutation($c: String, $s: ID!) { publishCouncilDecisions(commune: $c, sessionId: $s) { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "s": c.v.council_session }), c.refused())],
        },
        Operation {
            name: "importBudget",
            public: false,
            document: "mutation($c: String, $y: Int!, $csv: String!) {
                importBudget(commune: $c, year: $y, csv: $csv) { year lines replaced }
            }",
            // Oujda's 2025 budget replaced, with a good file or a bad one.
            attacks: |c: &Ctx<'_>| {
                let good = "kind,chapter,article,paragraph,label_ar,label_fr,revenue_type,appropriated,committed,paid,planned,collected\n\
                            expense,10,10,1,أجور,Salaires,,1,1,1,,\n";
                let bad = "kind,chapter\nexpense,10\n";
                vec![
                    attack(
                        json!({ "c": c.commune(), "y": 2025, "csv": good }),
                        if c.staff_at_home() { Skip } else { c.refused() },
                    ),
                    attack(
                        json!({ "c": c.commune(), "y": 2025, "csv": bad }),
                        if c.staff_at_home() { Invalid } else { c.refused() },
                    ),
                ]
            },
        },
        Operation {
            name: "civilAct",
            public: false,
            document: "query($c: String, $id: ID!) { civilAct(commune: $c, id: $id) {
                id number subject { givenLatin givenAr } father { nationalId } mentions { text } history { kind payload }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.civil_act_id }), c.refused())],
        },
        Operation {
            name: "civilActs",
            public: false,
            document: "query($c: String, $after: String) { civilActs(commune: $c, first: 100, after: $after) {
                nodes { id number eventDate } pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    attack(json!({ "c": c.commune(), "after": c.v.civil_act_cursor }), expect),
                ]
            },
        },
        Operation {
            name: "findCivilActs",
            public: false,
            document: "query($c: String, $id: String!) { findCivilActs(commune: $c, nationalId: $id) { nodes { id number } } }",
            // The deceased of Oujda's act, looked up by CIN: at home the attacker finds nothing.
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![attack(json!({ "c": c.commune(), "id": OUJDA_DECEASED_CIN }), expect)]
            },
        },
        Operation {
            name: "registerCivilAct",
            public: false,
            document: "mutation($c: String, $i: RegisterCivilActInput!) { registerCivilAct(commune: $c, input: $i) {
                id number
            } }",
            // Registering at home is the attacker's own business; in Oujda's register, never.
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![attack(json!({ "c": c.commune(), "i": civil_birth("OUJ-1") }), expect)]
            },
        },
        Operation {
            name: "addCivilMention",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: CivilMentionInput!) {
                addCivilMention(commune: $c, actId: $id, input: $i) { sequence text }
            }",
            attacks: |c: &Ctx<'_>| {
                let mention = json!({ "kind": "RECTIFICATION", "text": "Faux.", "reference": "Aucun", "effectiveOn": "2026-01-02" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.civil_act_id, "i": mention }), c.refused())]
            },
        },
        Operation {
            name: "issueCivilDocument",
            public: false,
            document: "mutation($c: String, $id: ID!) { issueCivilDocument(commune: $c, actId: $id, kind: FULL_COPY) {
                code text
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.civil_act_id }), c.refused())],
        },
        Operation {
            name: "civilRequestMatch",
            public: false,
            document: "query($c: String, $id: ID!) { civilRequestMatch(commune: $c, requestId: $id) {
                requestId trackingCode lookup actNumber actYear acts { id number } open
            } }",
            // Oujda's files: another commune's registrar sees no match of them, nor that they are requests.
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "id": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "issueCivilRequest",
            public: false,
            document: "mutation($c: String, $id: ID!, $act: ID!) {
                issueCivilRequest(commune: $c, requestId: $id, actId: $act, expectedVersion: 1) { code text }
            }",
            // Oujda's file with Oujda's act: issued by no other commune's registrar.
            attacks: |c: &Ctx<'_>| {
                c.v.filed
                    .iter()
                    .map(|f| attack(json!({ "c": c.commune(), "id": f.id, "act": c.v.civil_act_id }), c.refused()))
                    .collect()
            },
        },
        Operation {
            name: "refuseCivilRequest",
            public: false,
            document: "mutation($c: String, $id: ID!) {
                refuseCivilRequest(commune: $c, requestId: $id, expectedVersion: 1, reason: \"Aucun acte.\") { id state }
            }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "id": f.id }), c.refused())).collect()
            },
        },
        Operation {
            name: "trackedDocuments",
            public: false,
            document: "query($code: String!, $secret: String!) { trackedDocuments(trackingCode: $code, secret: $secret) {
                id code text fingerprint
            } }",
            // As trackRequest: a made-up secret, or the secret of the attacker's own request.
            attacks: |c: &Ctx<'_>| {
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                c.v.filed.iter().map(|f| attack(json!({ "code": f.code, "secret": secret }), Refused)).collect()
            },
        },
        Operation {
            name: "mailItems",
            public: false,
            document: "query($c: String, $after: String) { mailItems(commune: $c, first: 100, after: $after) {
                nodes { id number correspondent subject department } pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    attack(json!({ "c": c.commune(), "after": c.v.mail_cursor }), expect),
                ]
            },
        },
        Operation {
            name: "mailItem",
            public: false,
            document: "query($c: String, $id: ID!) { mailItem(commune: $c, id: $id) {
                id number correspondent history { kind note }
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.mail_ids.iter().map(|id| attack(json!({ "c": c.commune(), "id": id }), c.refused())).collect()
            },
        },
        Operation {
            name: "registerMail",
            public: false,
            document: "mutation($c: String, $i: RegisterMailInput!) { registerMail(commune: $c, input: $i) {
                id number requestCode
            } }",
            attacks: |c: &Ctx<'_>| {
                let letter = |code: Option<&str>| {
                    json!({ "direction": "INCOMING", "correspondent": "Anonyme", "subject": "Relance",
                            "date": "2026-01-02", "department": "urbanisme", "requestCode": code })
                };
                let plain = if c.staff_at_home() { Answers } else { c.refused() };
                // Linked to one of Oujda's files: not a file of the attacker's commune.
                let linked = if c.staff_at_home() { Invalid } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune(), "i": letter(None) }), plain),
                    attack(json!({ "c": c.commune(), "i": letter(Some(&c.v.filed[0].code)) }), linked),
                ]
            },
        },
        Operation {
            name: "routeMail",
            public: false,
            document: "mutation($c: String, $id: ID!, $d: String!) { routeMail(commune: $c, id: $id, department: $d) {
                id department
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.mail_ids.iter().map(|id| attack(json!({ "c": c.commune(), "id": id, "d": "cabinet" }), c.refused())).collect()
            },
        },
        Operation {
            name: "setMailFollowUp",
            public: false,
            document: "mutation($c: String, $id: ID!) { setMailFollowUp(commune: $c, id: $id, state: CLOSED) {
                id state
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.mail_ids.iter().map(|id| attack(json!({ "c": c.commune(), "id": id }), c.refused())).collect()
            },
        },
        Operation {
            name: "webhookEndpoints",
            public: false,
            document: "query($c: String) { webhookEndpoints(commune: $c) { nodes { id url events active } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "smtpSettings",
            public: false,
            document: "query($c: String) { smtpSettings(commune: $c) { host port tls username fromAddress } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "notificationDeliveries",
            public: false,
            document: "query($c: String) { notificationDeliveries(commune: $c, status: PENDING) { nodes {
                id eventId requestId sequence channel endpointId status lastError
            } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "createWebhookEndpoint",
            public: false,
            document: "mutation($c: String, $i: WebhookEndpointInput!) {
                createWebhookEndpoint(commune: $c, input: $i) { secret endpoint { id url } }
            }",
            // Oujda's events sent to the attacker: at home, an endpoint of its own is its own business.
            attacks: |c: &Ctx<'_>| {
                let home = c.staff_at_home();
                vec![
                    attack(
                        json!({ "c": c.commune(), "i": { "url": "https://evil.example/hook" } }),
                        if home { Skip } else { c.refused() },
                    ),
                    attack(
                        json!({ "c": c.commune(), "i": { "url": "ftp://evil.example" } }),
                        if home { Invalid } else { c.refused() },
                    ),
                ]
            },
        },
        Operation {
            name: "deleteWebhookEndpoint",
            public: false,
            document: "mutation($c: String, $id: ID!) { deleteWebhookEndpoint(commune: $c, id: $id) }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.webhook_id }), c.refused())],
        },
        Operation {
            name: "updateWebhookEndpoint",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: WebhookEndpointLimitsInput!) {
                updateWebhookEndpoint(commune: $c, id: $id, input: $i) { id maxInFlight timeoutSeconds }
            }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune(), "id": c.v.webhook_id, "i": { "maxInFlight": 16 } }), c.refused())]
            },
        },
        Operation {
            name: "setSmtpSettings",
            public: false,
            document: "mutation($c: String, $i: SmtpSettingsInput!) {
                setSmtpSettings(commune: $c, input: $i) { host port fromAddress }
            }",
            attacks: |c: &Ctx<'_>| {
                let input =
                    json!({ "host": "smtp.evil.example", "port": 25, "tls": "NONE", "fromAddress": "x@evil.example" });
                vec![attack(
                    json!({ "c": c.commune(), "i": input }),
                    if c.staff_at_home() { Skip } else { c.refused() },
                )]
            },
        },
        Operation {
            name: "replayDelivery",
            public: false,
            document: "mutation($c: String, $id: ID!) { replayDelivery(commune: $c, id: $id) { id status } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.delivery_id }), c.refused())],
        },
        Operation {
            name: "staffRecords",
            public: false,
            document: "query($c: String, $after: String) { staffRecords(commune: $c, first: 100, after: $after) {
                nodes { id fullName grade account { login } } pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    attack(json!({ "c": c.commune(), "after": c.v.staff_cursor }), expect),
                ]
            },
        },
        Operation {
            name: "staffRecord",
            public: false,
            document: "query($c: String, $id: ID!) { staffRecord(commune: $c, id: $id) {
                id fullName personal { nationalId phone address } leaves { id kind }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.staff_id }), c.refused())],
        },
        Operation {
            name: "staffDirectory",
            public: false,
            document: "query($c: String) { staffDirectory(commune: $c) { staffId fullName absent account { login } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "departments",
            public: false,
            document: "query($c: String) { departments(commune: $c) { id name parentId headId } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "leaveTypes",
            public: false,
            document: "query($c: String) { leaveTypes(commune: $c) { id key label } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "createStaffRecord",
            public: false,
            document: "mutation($c: String, $i: StaffRecordInput!) { createStaffRecord(commune: $c, input: $i) {
                id fullName account { login }
            } }",
            attacks: |c: &Ctx<'_>| {
                let record = |user: Option<&str>, department: Option<&str>| {
                    json!({ "fullName": "Agent fictif", "grade": "Adjoint", "position": "Guichet",
                            "enteredOn": "2020-01-02", "userId": user, "departmentId": department })
                };
                let plain = if c.staff_at_home() { Answers } else { c.refused() };
                // Linked to one of Oujda's members or departments: none of the attacker's commune.
                let linked = if c.staff_at_home() { Invalid } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune(), "i": record(None, None) }), plain),
                    attack(json!({ "c": c.commune(), "i": record(Some(&c.v.member_ids[0]), None) }), linked),
                    attack(json!({ "c": c.commune(), "i": record(None, Some(&c.v.department_id)) }), linked),
                ]
            },
        },
        Operation {
            name: "updateStaffRecord",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: StaffRecordInput!) {
                updateStaffRecord(commune: $c, id: $id, input: $i) { id grade personal { nationalId } }
            }",
            attacks: |c: &Ctx<'_>| {
                let record = json!({ "fullName": "Renommé", "grade": "Révoqué", "position": "Aucun",
                                     "enteredOn": "2020-01-02", "leftOn": "2020-01-03" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.staff_id, "i": record }), c.refused())]
            },
        },
        Operation {
            name: "recordLeave",
            public: false,
            document: "mutation($c: String, $s: ID!, $i: LeaveInput!) {
                recordLeave(commune: $c, staffId: $s, input: $i) { id kind }
            }",
            attacks: |c: &Ctx<'_>| {
                let leave = json!({ "kind": "annual", "startsOn": "2020-01-01", "endsOn": "2099-12-31" });
                vec![attack(json!({ "c": c.commune(), "s": c.v.staff_id, "i": leave }), c.refused())]
            },
        },
        Operation {
            name: "cancelLeave",
            public: false,
            document: "mutation($c: String, $id: ID!) { cancelLeave(commune: $c, id: $id) { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.leave_id }), c.refused())],
        },
        Operation {
            name: "addDepartment",
            public: false,
            document: "mutation($c: String, $i: DepartmentInput!) { addDepartment(commune: $c, input: $i) { id name } }",
            attacks: |c: &Ctx<'_>| {
                let plain = if c.staff_at_home() { Answers } else { c.refused() };
                let linked = if c.staff_at_home() { Invalid } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune(), "i": { "name": "Service fictif" } }), plain),
                    attack(json!({ "c": c.commune(), "i": { "name": "Sous Oujda", "parentId": c.v.department_id } }), linked),
                    attack(json!({ "c": c.commune(), "i": { "name": "Tête d'Oujda", "headId": c.v.staff_id } }), linked),
                ]
            },
        },
        Operation {
            name: "updateDepartment",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: DepartmentInput!) {
                updateDepartment(commune: $c, id: $id, input: $i) { id name }
            }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune(), "id": c.v.department_id, "i": { "name": "Pris" } }), c.refused())]
            },
        },
        Operation {
            name: "disputeCases",
            public: false,
            document: "query($c: String, $after: String) { disputeCases(commune: $c, first: 100, after: $after) {
                nodes { id number subject stakesCentimes } pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    attack(json!({ "c": c.commune(), "after": c.v.dispute_cursor }), expect),
                ]
            },
        },
        Operation {
            name: "disputeCase",
            public: false,
            document: "query($c: String, $id: ID!) { disputeCase(commune: $c, id: $id) {
                id number parties { name address } hearings { id object } decisions { id } appeals { id }
                documents { id title fileName sha256 }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id }), c.refused())],
        },
        Operation {
            name: "upcomingHearings",
            public: false,
            document: "query($c: String) { upcomingHearings(commune: $c) { caseNumber caseSubject hearing { id object } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "caseTypes",
            public: false,
            document: "query($c: String) { caseTypes(commune: $c) { id key label } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "openDisputeCase",
            public: false,
            document: "mutation($c: String, $i: DisputeCaseInput!) { openDisputeCase(commune: $c, input: $i) {
                id number requestCode
            } }",
            attacks: |c: &Ctx<'_>| {
                let case = |code: Option<&str>| {
                    json!({ "caseType": "civil", "subject": "Affaire fictive", "courtName": "Tribunal de première instance",
                            "courtCity": "Rabat", "position": "CLAIMANT", "parties": [{ "name": "Partie fictive" }],
                            "stakesCentimes": "100", "requestCode": code, "openedOn": "2026-01-02" })
                };
                let plain = if c.staff_at_home() { Answers } else { c.refused() };
                // Referring to one of Oujda's requests: none of the attacker's commune.
                let linked = if c.staff_at_home() { Invalid } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune(), "i": case(None) }), plain),
                    attack(json!({ "c": c.commune(), "i": case(Some(&c.v.filed[0].code)) }), linked),
                ]
            },
        },
        Operation {
            name: "setDisputeHearing",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: HearingInput!) {
                setDisputeHearing(commune: $c, caseId: $id, input: $i) { id }
            }",
            attacks: |c: &Ctx<'_>| {
                let hearing = json!({ "scheduledAt": "2099-01-05T09:00:00Z", "object": "Renvoi" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id, "i": hearing }), c.refused())]
            },
        },
        Operation {
            name: "recordHearingOutcome",
            public: false,
            document: "mutation($c: String, $id: ID!) { recordHearingOutcome(commune: $c, id: $id, outcome: \"Radiée\") { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.hearing_id }), c.refused())],
        },
        Operation {
            name: "recordDisputeDecision",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: DecisionInput!) {
                recordDisputeDecision(commune: $c, caseId: $id, input: $i) { id appealDeadline }
            }",
            attacks: |c: &Ctx<'_>| {
                let decision = json!({ "decidedOn": "2026-01-05", "outcome": "LOST", "awardedCentimes": "999999999",
                                       "summary": "Faux jugement" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id, "i": decision }), c.refused())]
            },
        },
        Operation {
            name: "lodgeDisputeAppeal",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: AppealInput!) {
                lodgeDisputeAppeal(commune: $c, caseId: $id, input: $i) { id }
            }",
            attacks: |c: &Ctx<'_>| {
                let appeal = json!({ "lodgedOn": "2026-01-06", "courtName": "Cour d'appel", "courtCity": "Oujda" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id, "i": appeal }), c.refused())]
            },
        },
        Operation {
            name: "closeDisputeCase",
            public: false,
            document: "mutation($c: String, $id: ID!) { closeDisputeCase(commune: $c, id: $id) { id status } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id }), c.refused())],
        },
        Operation {
            name: "projects",
            public: false,
            document: "query($c: String, $after: String) { projects(commune: $c, first: 100, after: $after) {
                nodes { id code title progress published milestones { id title } } pageInfo { endCursor }
            } }",
            attacks: |c: &Ctx<'_>| {
                let expect = if c.staff_at_home() { Answers } else { c.refused() };
                vec![
                    attack(json!({ "c": c.commune() }), expect),
                    attack(json!({ "c": c.commune(), "after": c.v.project_cursor }), expect),
                ]
            },
        },
        Operation {
            name: "project",
            public: false,
            document: "query($c: String, $id: ID!) { project(commune: $c, id: $id) {
                id code title description milestones { id title } updates { note }
            } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.project_id }), c.refused())],
        },
        Operation {
            name: "projectCategories",
            public: false,
            document: "query($c: String) { projectCategories(commune: $c) { id key label } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "createProject",
            public: false,
            document: "mutation($c: String, $i: ProjectInput!) { createProject(commune: $c, input: $i) { id code } }",
            attacks: |c: &Ctx<'_>| {
                // A code of its own for each attack: at home, each creates a project of the attacker's commune.
                static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let text = |t: &str| json!([{ "locale": "ar", "text": t }, { "locale": "tzm", "text": t },
                                             { "locale": "fr", "text": t }, { "locale": "en", "text": t }]);
                let project = json!({ "code": format!("ATK-{n}"), "title": text("Projet fictif"),
                                      "description": text("Aucun"), "category": "other", "periodFrom": 2022,
                                      "periodTo": 2027, "place": "Nulle part" });
                vec![attack(
                    json!({ "c": c.commune(), "i": project }),
                    if c.staff_at_home() { Answers } else { c.refused() },
                )]
            },
        },
        Operation {
            name: "updateProject",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: ProjectInput!) {
                updateProject(commune: $c, id: $id, input: $i) { id progress published }
            }",
            attacks: |c: &Ctx<'_>| {
                let text = |t: &str| json!([{ "locale": "ar", "text": t }, { "locale": "tzm", "text": t },
                                             { "locale": "fr", "text": t }, { "locale": "en", "text": t }]);
                let project = json!({ "code": "PRIS", "title": text("Pris"), "description": text("Pris"),
                                      "category": "other", "periodFrom": 2022, "periodTo": 2027,
                                      "place": "Ailleurs", "published": true });
                vec![attack(json!({ "c": c.commune(), "id": c.v.project_id, "i": project }), c.refused())]
            },
        },
        Operation {
            name: "addProjectMilestone",
            public: false,
            document: "mutation($c: String, $p: ID!, $i: MilestoneInput!) {
                addProjectMilestone(commune: $c, projectId: $p, input: $i) { id title }
            }",
            attacks: |c: &Ctx<'_>| {
                let milestone = json!({ "title": [{ "locale": "ar", "text": "x" }, { "locale": "tzm", "text": "x" },
                                                  { "locale": "fr", "text": "x" }, { "locale": "en", "text": "x" }],
                                       "dueOn": "2026-01-01" });
                vec![attack(json!({ "c": c.commune(), "p": c.v.project_id, "i": milestone }), c.refused())]
            },
        },
        Operation {
            name: "updateProjectMilestone",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: MilestoneInput!) {
                updateProjectMilestone(commune: $c, id: $id, input: $i) { id doneOn }
            }",
            attacks: |c: &Ctx<'_>| {
                let milestone = json!({ "title": [{ "locale": "ar", "text": "x" }, { "locale": "tzm", "text": "x" },
                                                  { "locale": "fr", "text": "x" }, { "locale": "en", "text": "x" }],
                                       "dueOn": "2026-01-01", "doneOn": "2020-01-01" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.milestone_id, "i": milestone }), c.refused())]
            },
        },
        Operation {
            name: "recordProjectProgress",
            public: false,
            document: "mutation($c: String, $p: ID!, $i: ProgressInput!) {
                recordProjectProgress(commune: $c, projectId: $p, input: $i) { id progress }
            }",
            attacks: |c: &Ctx<'_>| {
                let progress = json!({ "on": "2020-01-01", "progress": 100,
                                      "note": [{ "locale": "ar", "text": "x" }, { "locale": "tzm", "text": "x" },
                                               { "locale": "fr", "text": "x" }, { "locale": "en", "text": "x" }] });
                vec![attack(json!({ "c": c.commune(), "p": c.v.project_id, "i": progress }), c.refused())]
            },
        },
        Operation {
            name: "financeLedger",
            public: false,
            document: "query($c: String) { financeLedger(commune: $c, year: 2025) {
                entries { id kind number net party } lines { executed { chapter committed paid collected } }
            } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "recordCommitment",
            public: false,
            document: "mutation($c: String, $i: CommitmentInput!) { recordCommitment(commune: $c, input: $i) { id number } }",
            attacks: |c: &Ctx<'_>| {
                let input = json!({ "line": { "year": 2025, "chapter": "20", "article": "10", "paragraph": "1" },
                                    "amount": "1.00", "object": "Essai", "supplier": "Fournisseur fictif" });
                vec![attack(json!({ "c": c.commune(), "i": input }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "approveCommitment",
            public: false,
            document: "mutation($c: String, $id: ID!) { approveCommitment(commune: $c, commitmentId: $id) { id approved } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.commitment_id }), c.refused())],
        },
        Operation {
            name: "orderPayment",
            public: false,
            document: "mutation($c: String, $id: ID!) { orderPayment(commune: $c, commitmentId: $id, amount: \"1.00\") { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.commitment_id }), c.refused())],
        },
        Operation {
            name: "recordPayment",
            public: false,
            document: "mutation($c: String, $id: ID!) { recordPayment(commune: $c, paymentOrderId: $id, amount: \"1.00\") { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.payment_order_id }), c.refused())],
        },
        Operation {
            name: "recordRevenueTitle",
            public: false,
            document: "mutation($c: String, $i: RevenueTitleInput!) { recordRevenueTitle(commune: $c, input: $i) { id number } }",
            attacks: |c: &Ctx<'_>| {
                let input = json!({ "line": { "year": 2025, "chapter": "10", "article": "20", "paragraph": "1" },
                                    "amount": "1.00", "object": "Essai", "debtor": "Redevable fictif" });
                vec![attack(json!({ "c": c.commune(), "i": input }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "recordCollection",
            public: false,
            document: "mutation($c: String, $id: ID!) { recordCollection(commune: $c, titleId: $id, amount: \"1.00\") { id } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.title_id }), c.refused())],
        },
        Operation {
            name: "correctFinanceEntry",
            public: false,
            document: "mutation($c: String, $id: ID!) {
                correctFinanceEntry(commune: $c, entryId: $id, amount: \"1.00\", reason: \"Annulation\") { id net }
            }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.commitment_id }), c.refused())],
        },
        Operation {
            name: "paymentDemand",
            public: false,
            document: "query($c: String, $code: String!) { paymentDemand(commune: $c, trackingCode: $code) {
                id trackingCode total outstanding status payments { id number verificationCode recordedBy }
            } }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed.iter().map(|f| attack(json!({ "c": c.commune(), "code": f.code }), c.refused())).collect()
            },
        },
        Operation {
            name: "paymentsDayReport",
            public: false,
            document: "query($c: String) { paymentsDayReport(commune: $c) {
                agent cash cashNet payments { id number amount verificationCode }
            } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "paymentDocument",
            public: false,
            document: "query($c: String, $id: ID!) { paymentDocument(commune: $c, paymentId: $id) { code text } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.payment_id }), c.refused())],
        },
        Operation {
            name: "collectedFees",
            public: true,
            document: "query($c: String) { collectedFees(commune: $c) { year month serviceCode payments amount } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune() }), Answers)],
        },
        Operation {
            name: "recordCounterPayment",
            public: false,
            document: "mutation($c: String, $i: CounterPayment!) {
                recordCounterPayment(commune: $c, input: $i) { payment { id number } document { code text } }
            }",
            attacks: |c: &Ctx<'_>| {
                c.v.filed
                    .iter()
                    .map(|f| {
                        let input =
                            json!({ "trackingCode": f.code, "channel": "CASH", "amount": "2.00", "currency": "MAD" });
                        attack(json!({ "c": c.commune(), "i": input }), c.refused())
                    })
                    .collect()
            },
        },
        Operation {
            name: "cancelPayment",
            public: false,
            document: "mutation($c: String, $id: ID!) {
                cancelPayment(commune: $c, paymentId: $id, reason: \"Annulation\") { payment { id number } }
            }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.payment_id }), c.refused())],
        },
        Operation {
            name: "onlinePayments",
            public: false,
            document: "query($c: String) { onlinePayments(commune: $c) { id orderId amount state providerReference } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "paymentStatements",
            public: false,
            document: "query($c: String) { paymentStatements(commune: $c) { id day mismatches { kind orderId } } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "paymentRefunds",
            public: false,
            document: "query($c: String) { paymentRefunds(commune: $c) { id amount reason status } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "refusedPaymentCallbacks",
            public: false,
            document: "query($c: String) { refusedPaymentCallbacks(commune: $c) { reason orderId } }",
            attacks: |c: &Ctx<'_>| {
                vec![attack(json!({ "c": c.commune() }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "startOnlinePayment",
            public: false,
            document: "mutation($code: String!, $secret: String!) {
                startOnlinePayment(trackingCode: $code, secret: $secret) { action fields { name value } payment { id } }
            }",
            attacks: |c: &Ctx<'_>| {
                // Oujda's codes with a made-up secret, or the secret of the attacker's own request.
                let secret = if c.at_home() { c.v.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
                c.v.filed.iter().map(|f| attack(json!({ "code": f.code, "secret": secret }), Refused)).collect()
            },
        },
        Operation {
            name: "importPaymentStatement",
            public: false,
            document: "mutation($c: String, $csv: String!) {
                importPaymentStatement(commune: $c, day: \"2026-12-06\", csv: $csv) { id lines mismatches { kind } }
            }",
            attacks: |c: &Ctx<'_>| {
                let csv = "date,order_id,transaction_id,amount,currency,status\n";
                vec![attack(json!({ "c": c.commune(), "csv": csv }), if c.staff_at_home() { Answers } else { c.refused() })]
            },
        },
        Operation {
            name: "requestRefund",
            public: false,
            document: "mutation($c: String, $id: ID!) {
                requestRefund(commune: $c, paymentId: $id, amount: \"1.00\", reason: \"Essai\") { id status }
            }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.online_payment_id }), c.refused())],
        },
        Operation {
            name: "decideRefund",
            public: false,
            document: "mutation($c: String, $id: ID!) { decideRefund(commune: $c, refundId: $id, approve: true) { id status } }",
            attacks: |c: &Ctx<'_>| vec![attack(json!({ "c": c.commune(), "id": c.v.refund_id }), c.refused())],
        },
        Operation {
            name: "updateDisputeCase",
            public: false,
            document: "mutation($c: String, $id: ID!, $i: DisputeCaseEditInput!) {
                updateDisputeCase(commune: $c, id: $id, input: $i) { id number parties { name } }
            }",
            attacks: |c: &Ctx<'_>| {
                let edit = json!({ "subject": "Affaire détournée", "courtName": "Tribunal fictif", "courtCity": "Nulle part",
                                   "parties": [{ "name": "Partie fictive" }], "stakesCentimes": "1" });
                vec![attack(json!({ "c": c.commune(), "id": c.v.dispute_id, "i": edit }), c.refused())]
            },
        },
    ]
}

/// The CIN of the deceased of Oujda's death act.
const OUJDA_DECEASED_CIN: &str = "UD604411";

/// A birth to register in the office `office`.
fn civil_birth(office: &str) -> Value {
    let name = |ar: &str, latin: &str| json!({ "givenAr": ar, "familyAr": "الشاوني", "givenLatin": latin, "familyLatin": "Chaouni" });
    json!({
        "kind": "BIRTH", "office": office, "sex": "MALE",
        "event": { "date": "2026-01-02", "place": "Chefchaouen" },
        "judgmentReference": "Jugement n° 7/2026 du TPI de Chefchaouen",
        "subject": name("أنس", "Anas"),
        "declarant": { "name": name("عمر", "Omar"), "relation": "father" }
    })
}

// ---------------------------------------------------------------------------------------------------------------
// The victim.

/// A request filed in Oujda by the suite.
struct Filed {
    id: String,
    code: String,
    /// A staff action open on it now.
    staff_action: String,
    version: i64,
}

/// What an attack must not reveal, with what it is.
#[derive(Default)]
struct Markers {
    /// Never, anywhere.
    private: Vec<(String, String)>,
    /// Public in the catalog, but never in the answer of another operation.
    catalog: Vec<(String, String)>,
}

impl Markers {
    fn private(&mut self, value: impl Into<String>, what: impl Into<String>) {
        self.private.push((value.into().to_lowercase(), what.into()));
    }

    fn catalog(&mut self, value: impl Into<String>, what: impl Into<String>) {
        self.catalog.push((value.into().to_lowercase(), what.into()));
    }

    /// The markers found in `body`.
    fn found(&self, body: &Value, public: bool) -> Vec<String> {
        let text = body.to_string().to_lowercase();
        let catalog: &[(String, String)] = if public { &[] } else { &self.catalog };
        self.private
            .iter()
            .chain(catalog)
            .filter(|(value, _)| text.contains(value.as_str()))
            .map(|(_, what)| what.clone())
            .collect()
    }
}

struct Victim {
    filed: Vec<Filed>,
    /// Every request of Oujda, the demo's samples included.
    request_ids: Vec<String>,
    /// An inbox cursor of Oujda's.
    cursor: String,
    /// A service only Oujda has, offered at the counter only.
    counter_service: Value,
    /// Oujda's definition of the complaint procedure.
    reclamation: Value,
    /// Oujda's tokens: its partner's, a counter agent's, the demo's staff token.
    token_ids: Vec<String>,
    partner_token: String,
    agent_token: String,
    /// Oujda's administrator without a procedure's role: reads files with their personal data sealed.
    observer_token: String,
    /// A well-formed bundle `oujda@9` the attacker made.
    foreign_bundle: Value,
    /// A live session of Oujda's user.
    user_session: String,
    /// The secret of a request the attacker filed in its own commune.
    own_secret: String,
    /// A decided file of Oujda's, and the verification code of its issued decision.
    decided_id: String,
    document_code: String,
    /// A large-project permit of Oujda's before its commission, awaiting the opinions of its bodies.
    in_commission: String,
    /// Oujda's draft council session, an item of its agenda, and its council's members.
    council_session: String,
    agenda_item: String,
    council_members: Vec<String>,
    /// Oujda's death act (with a mention), a cursor of its register; its mail items and a cursor of them.
    civil_act_id: String,
    civil_act_cursor: String,
    mail_ids: Vec<String>,
    mail_cursor: String,
    /// Oujda's webhook endpoint, and one of its deliveries.
    webhook_id: String,
    delivery_id: String,
    /// Members of Oujda only (its user, its demo logins per role), one of them holding a file of Oujda's.
    member_ids: Vec<String>,
    /// A file of the attacker's own.
    own_request: String,
    /// Oujda's staff record (linked to its counter agent), a leave of it, and a department of its chart.
    staff_id: String,
    staff_cursor: String,
    leave_id: String,
    department_id: String,
    /// Oujda's recorded finance: an approved commitment, its payment order, a revenue title.
    commitment_id: String,
    payment_order_id: String,
    title_id: String,
    /// Oujda's counter payment of its legalisation's fee (its quittance).
    payment_id: String,
    /// Oujda's online payment (paid) and a refund of it requested by its controller.
    online_payment_id: String,
    refund_id: String,
    /// Oujda's project (unpublished), its cursor, and a milestone of it.
    project_id: String,
    project_cursor: String,
    milestone_id: String,
    /// Oujda's case (its parties sealed), a cursor of its list, and a hearing of it.
    dispute_id: String,
    dispute_cursor: String,
    hearing_id: String,
    /// A document of Oujda's case (its content sealed).
    dispute_document_id: String,
    markers: Markers,
}

/// Pays the fee of a request online: started with its code and secret, then the provider's callback signed
/// with the commune's store key; the payment's id.
async fn pay_online(app: &TestApp, commune: &str, code: &str, secret: &str, reference: &str) -> Result<String> {
    let start =
        "mutation($code: String!, $secret: String!) { startOnlinePayment(trackingCode: $code, secret: $secret) {
        payment { id orderId } } }";
    let started =
        data(app, None, start, json!({ "code": code, "secret": secret })).await?["startOnlinePayment"].clone();
    let order = text(&started["payment"]["orderId"])?;
    let mut fields: Vec<(String, String)> = [
        ("clientid", "600000001"),
        ("oid", order.as_str()),
        ("amount", "2.00"),
        ("currency", "504"),
        ("TransId", reference),
        ("ProcReturnCode", "00"),
        ("Response", "Approved"),
        ("rnd", "r1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let hash = jamaa_core::modules::payments::provider::sign(&oujda_merchant().store_key, &fields);
    fields.push(("HASH".to_owned(), hash));
    let answer = app.client.post(app.url(&format!("/payments/{commune}/callback"))).form(&fields).send().await?;
    ensure!(answer.status().is_success(), "the callback is taken: {}", answer.status());
    text(&started["payment"]["id"])
}

/// Oujda's account at its payment provider, in the server's settings.
fn oujda_merchant() -> jamaa_core::modules::payments::provider::HostedPage {
    jamaa_core::modules::payments::provider::HostedPage {
        gateway_url: "http://127.0.0.1:9/pay".to_owned(),
        client_id: "600000001".to_owned(),
        store_key: secrecy::SecretString::from("oujda-store-key"),
    }
}

fn legalisation(name: &str, cin: &str, phone: &str) -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": name, "cin": cin, "phone": phone, "document_title": "Acte de cession", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "cession.pdf", "mediaType": "application/pdf", "sizeBytes": 84000 }
        ]
    })
}

fn counter_submission(service: &Value, name: &str, phone: &str) -> Value {
    json!({
        "serviceCode": service["code"],
        "data": {
            "subject": "cleanliness",
            "description": "Des dépôts d'ordures s'accumulent derrière le marché couvert depuis une semaine.",
            "name": name,
            "phone": phone
        }
    })
}

async fn data(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Result<Value> {
    app.data(token, query, variables).await.with_context(|| format!("setting up: {query}"))
}

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

/// The id of a token, from the token itself (`jm_<kind>_<id>_<secret>`).
fn token_id(token: &str) -> Result<String> {
    let parsed = jamaa_core::auth::tokens::parse(&SecretString::from(token.to_owned())).context("not a token")?;
    Ok(parsed.id.to_string())
}

const SUBMIT: &str = "mutation($c: String!, $input: SubmitRequestInput!) { submitRequest(commune: $c, input: $input) {
    secret request { id trackingCode }
} }";
const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { id token } }";
const REVOKE_TOKEN: &str = "mutation($id: ID!) { revokeApiToken(id: $id) }";

/// Submits a legalisation with its document's content over `POST /submissions`: `(id, tracking code)`.
async fn upload(app: &TestApp, commune: &str, (name, cin, phone): (&str, &str, &str)) -> Result<(String, String)> {
    let submission = json!({ "commune": commune, "serviceCode": "legalisation-signature", "data": {
        "signatory_name": name, "cin": cin, "phone": phone, "document_title": "Procuration", "copies": 1
    } });
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("submission", submission.to_string())
        .part("document_to_sign", reqwest::multipart::Part::bytes(pdf).file_name("procuration.pdf"));
    let response = app.client.post(app.url("/submissions")).multipart(form).send().await?;
    let body: Value = response.json().await?;
    Ok((text(&body["id"]).with_context(|| format!("{body}"))?, text(&body["trackingCode"])?))
}

const DISPUTE_DOCUMENT_TITLE: &str = "Rapport d'expertise du lot Sidi Yahya";
const DISPUTE_DOCUMENT_SECRET: &str = "ESTIMATION-CONFIDENTIELLE-SIDI-YAHYA";

/// The content of a document of Oujda's case: a PDF holding a text only Oujda's legal office may read.
fn dispute_document_bytes() -> Vec<u8> {
    format!(
        "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% {DISPUTE_DOCUMENT_SECRET}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// Attaches a document to a case over `POST /disputes/{commune}/{case}/documents`: its id.
async fn attach_dispute_document(app: &TestApp, token: &str, commune: &str, case: &str) -> Result<String> {
    let response = post_dispute_document(app, Some(token), commune, case).await?;
    let body: Value = response.json().await?;
    text(&body["id"]).with_context(|| format!("{body}"))
}

async fn post_dispute_document(
    app: &TestApp,
    token: Option<&str>,
    commune: &str,
    case: &str,
) -> Result<reqwest::Response> {
    let part = json!({ "title": DISPUTE_DOCUMENT_TITLE, "kind": "expert_report" });
    let form = reqwest::multipart::Form::new()
        .text("document", part.to_string())
        .part("file", reqwest::multipart::Part::bytes(dispute_document_bytes()).file_name("expertise.pdf"));
    let mut request = app.client.post(app.url(&format!("/disputes/{commune}/{case}/documents"))).multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Ok(request.send().await?)
}

/// The documents of Oujda's case over HTTP: by every attacker, naming Oujda or its own commune with Oujda's ids,
/// no document is opened and none is attached.
async fn attack_dispute_documents(
    app: &TestApp,
    victim: &Victim,
    attackers: &[Attacker],
) -> Result<(usize, Vec<String>)> {
    let mut calls = 0;
    let mut failures = Vec::new();
    for attacker in attackers {
        for commune in [VICTIM, ATTACKER] {
            let path = format!("/disputes/{commune}/{}/documents/{}", victim.dispute_id, victim.dispute_document_id);
            let mut request = app.client.get(app.url(&path));
            if let Some(token) = &attacker.token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await?;
            let status = response.status();
            let body = String::from_utf8_lossy(&response.bytes().await?).into_owned();
            calls += 1;
            if status.is_success() || body.contains(DISPUTE_DOCUMENT_SECRET) {
                failures.push(format!("GET {path} as {}: {status} {body:.200}", attacker.label));
            }
            let response = post_dispute_document(app, attacker.token.as_deref(), commune, &victim.dispute_id).await?;
            let status = response.status();
            let body = response.text().await?;
            calls += 1;
            if status.is_success() || body.contains(&victim.dispute_id) {
                failures.push(format!("POST to Oujda's case in {commune} as {}: {status} {body:.200}", attacker.label));
            }
        }
    }
    Ok((calls, failures))
}

/// Submits with an `Idempotency-Key` header and returns the whole answer.
async fn submit_with_key(app: &TestApp, token: Option<&str>, commune: &str, input: &Value, key: &str) -> Result<Value> {
    let body = json!({ "query": SUBMIT, "variables": { "c": commune, "input": input } });
    let mut request = app.client.post(app.url("/graphql")).header("idempotency-key", key).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Ok(request.send().await?.json().await?)
}

/// A citizen of Oujda files with an idempotency key. The same key, sent to Chefchaouen by anyone with the same
/// arguments, files Chefchaouen's own request and never answers Oujda's; sent to Oujda by Chefchaouen's staff
/// it is refused before any key is looked at; sent by Oujda's own staff it is another caller's key. Oujda's
/// answer (its tracking code, its citizen's secret) appears in none of those answers.
async fn a_key_of_oujda_answers_nowhere_else(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let key = format!("citizen-key-{}", uuid::Uuid::now_v7());
    let input = legalisation("Salma Bennani", "SB123456", "+212612345678");
    let first = submit_with_key(&app, None, VICTIM, &input, &key).await?;
    let code = text(&first["data"]["submitRequest"]["request"]["trackingCode"]).with_context(|| format!("{first}"))?;
    let secret = text(&first["data"]["submitRequest"]["secret"])?;
    let replay = submit_with_key(&app, None, VICTIM, &input, &key).await?;
    ensure!(replay["data"]["submitRequest"]["secret"] == secret.as_str(), "the retry is not answered: {replay}");

    let attacker_staff = app.staff(ATTACKER).to_owned();
    let victim_staff = app.staff(VICTIM).to_owned();
    let tries = [
        (None, ATTACKER),
        (Some(attacker_staff.as_str()), ATTACKER),
        (Some(attacker_staff.as_str()), VICTIM),
        (Some(victim_staff.as_str()), VICTIM),
    ];
    for (token, commune) in tries {
        let answer = submit_with_key(&app, token, commune, &input, &key).await?;
        let text = answer.to_string();
        ensure!(
            !text.contains(&code) && !text.contains(&secret),
            "{commune} with {}: Oujda's answer leaked: {text}",
            if token.is_some() { "a token" } else { "no token" }
        );
        if commune == VICTIM && token == Some(attacker_staff.as_str()) {
            ensure!(error_codes(&answer) == ["FORBIDDEN"], "{answer}");
        } else {
            ensure!(answer["data"]["submitRequest"]["request"]["trackingCode"].is_string(), "{answer}");
        }
    }
    Ok(())
}

/// An operator's key (kept in the platform: the call names no commune) is that operator's alone. Operator A
/// issues an operator token with a key, and a retry answers its secret again; the same call with the same key
/// by another operator issues that operator's own token, and by Oujda's or Chefchaouen's staff or anyone it
/// is refused; A's secret appears in none of those answers. The same holds for an onboarding: another
/// operator's retry with A's key is its own call (the commune exists: CONFLICT), never A's answer.
async fn a_key_of_an_operator_answers_no_one_else(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let issue = "mutation($i: CreateApiTokenInput!, $key: String) { createApiToken(input: $i, idempotencyKey: $key) {
        id token } }";
    let key = format!("operator-key-{}", uuid::Uuid::now_v7());
    let input = json!({ "kind": "OPERATOR", "label": "astreinte" });
    let variables = json!({ "i": input, "key": key });
    let first = app.graphql(Some(&app.operator), issue, variables.clone()).await?;
    let id = text(&first["data"]["createApiToken"]["id"]).with_context(|| format!("{first}"))?;
    let secret = text(&first["data"]["createApiToken"]["token"])?;
    let replay = app.graphql(Some(&app.operator), issue, variables.clone()).await?;
    ensure!(replay == first, "the retry is not answered: {replay}");

    let (_, other_operator) =
        create_token(&app, &app.operator, json!({ "kind": "OPERATOR", "label": "opérateur B" })).await?;
    let tries = [
        ("another operator", Some(other_operator.as_str())),
        ("Oujda's staff", Some(app.staff(VICTIM))),
        ("Chefchaouen's staff", Some(app.staff(ATTACKER))),
        ("anyone", None),
    ];
    for (who, token) in tries {
        let answer = app.graphql(token, issue, variables.clone()).await?;
        let text = answer.to_string();
        ensure!(!text.contains(&secret) && !text.contains(&id), "{who}: the operator's answer leaked: {text}");
        if token == Some(other_operator.as_str()) {
            ensure!(answer["data"]["createApiToken"]["token"].is_string(), "{who}: {answer}");
        } else {
            ensure!(!error_codes(&answer).is_empty(), "{who}: {answer}");
        }
    }

    let onboard = "mutation($i: OnboardCommuneInput!, $key: String) { onboardCommune(input: $i, idempotencyKey: $key) {
        id } }";
    let key = format!("operator-key-{}", uuid::Uuid::now_v7());
    let variables = json!({ "key": key, "i": { "from": "oujda@1", "slug": "berkane", "nameFr": "Berkane",
                                               "trackingPrefix": "BRK" } });
    let first = data(&app, Some(&app.operator), onboard, variables.clone()).await?;
    let id = text(&first["onboardCommune"]["id"])?;
    let answer = app.graphql(Some(&other_operator), onboard, variables).await?;
    ensure!(error_codes(&answer) == ["CONFLICT"] && !answer.to_string().contains(&id), "{answer}");
    Ok(())
}

/// Submits and returns `(id, tracking code, secret)`.
async fn submit(app: &TestApp, token: Option<&str>, commune: &str, input: Value) -> Result<(String, String, String)> {
    let submitted = data(app, token, SUBMIT, json!({ "c": commune, "input": input })).await?;
    let submitted = &submitted["submitRequest"];
    Ok((text(&submitted["request"]["id"])?, text(&submitted["request"]["trackingCode"])?, text(&submitted["secret"])?))
}

async fn create_token(app: &TestApp, token: &str, input: Value) -> Result<(String, String)> {
    let created = data(app, Some(token), CREATE_TOKEN, json!({ "i": input })).await?;
    Ok((text(&created["createApiToken"]["id"])?, text(&created["createApiToken"]["token"])?))
}

impl Victim {
    /// Oujda at work: its own service, a new template version, its tokens, files from citizens, a partner
    /// and the counter, one of them already handled.
    async fn set_up(app: &TestApp) -> Result<Self> {
        let admin = app.staff(VICTIM).to_owned();
        let mut markers = Markers::default();

        let service = "query($code: String!) { service(commune: \"oujda\", code: $code) { definition } }";
        let reclamation =
            data(app, None, service, json!({ "code": "reclamation" })).await?["service"]["definition"].clone();
        let mut counter_service = reclamation.clone();
        counter_service["code"] = json!("reclamation-guichet");
        counter_service["name"] = json!({ "ar": "شكاية بالشباك", "fr": "Réclamation au guichet" });
        counter_service["channels"] = json!(["counter"]);
        let publish = "mutation($d: JSON!) { publishService(commune: \"oujda\", definition: $d) }";
        data(app, Some(&admin), publish, json!({ "d": counter_service })).await?;
        let export = "mutation { exportTemplate(commune: \"oujda\", name: \"oujda\") { reference } }";
        let exported = data(app, Some(&admin), export, json!({})).await?;
        ensure!(exported["exportTemplate"]["reference"] == "oujda@2", "{exported}");

        let (partner_id, partner_token) =
            create_token(app, &admin, json!({ "kind": "PARTNER", "communes": ["oujda"], "label": "Oujda city app" }))
                .await?;
        let agent = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["counter_agent"], "label": "guichet 3" });
        let (agent_id, agent_token) = create_token(app, &admin, agent).await?;
        // The snapshots read Oujda's files as its administrator, whose role works no procedure: personal data
        // stays sealed, so that taking a snapshot records no reading of it in the audit trail.
        let observer = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["commune_admin"], "label": "audit" });
        let (_, observer_token) = create_token(app, &admin, observer).await?;
        let demo_staff_id = token_id(&admin)?;
        for (id, token, what) in [
            (&partner_id, &partner_token, "Oujda's partner token"),
            (&agent_id, &agent_token, "Oujda's counter agent's token"),
            (&demo_staff_id, &admin, "Oujda's staff token"),
        ] {
            markers.private(id.as_str(), format!("the id of {what}"));
            markers.private(token.as_str(), what);
        }

        // Notifications in both communes, so that each change fans out to deliveries (to a port nobody
        // listens on). The SMTP relays come after the files: e-mails would open personal data, an audit event.
        let mut webhooks = Vec::new();
        for commune in [VICTIM, ATTACKER] {
            let created = data(app, Some(app.staff(commune)), NEW_WEBHOOK, json!({ "c": commune })).await?;
            if commune == VICTIM {
                let webhook = &created["createWebhookEndpoint"];
                markers.private(text(&webhook["secret"])?, "the secret of Oujda's webhook");
                markers.private(text(&webhook["endpoint"]["id"])?, "the id of Oujda's webhook");
                webhooks.push(text(&webhook["endpoint"]["id"])?);
            }
        }

        // Citizens' files: online, through the partner, at the counter.
        let people = [
            ("Nadia Berrada Oujdia", "UJ734519", "+212661908172"),
            ("Mohammed Amine Tazouti", "", "+212677112233"),
            ("Driss Lamrani Oujdi", "", "+212655443322"),
            ("Hajar El Ouafi", "FB219874", "+212600112244"),
        ];
        for (name, cin, phone) in people {
            markers.private(name, format!("the name of {name}"));
            markers.private(phone, format!("the phone of {name}"));
            if !cin.is_empty() {
                markers.private(cin, format!("the CIN of {name}"));
            }
        }
        markers.private("m.tazouti@example.ma", "the e-mail of Mohammed Amine Tazouti");
        let complaint = json!({
            "serviceCode": "reclamation",
            "data": {
                "subject": "roads",
                "description": "La chaussée du boulevard Mohammed V est effondrée près du marché de gros.",
                "name": people[1].0,
                "phone": people[1].2,
                "email": "m.tazouti@example.ma"
            }
        });
        let permit = json!({
            "serviceCode": "autorisation-construire-petits-projets",
            "data": {
                "applicant_name": people[3].0,
                "cin": people[3].1,
                "phone": people[3].2,
                "parcel_location": { "lat": 34.6814, "lng": -1.9086, "address": "Lot 7, quartier Lazaret" },
                "floors": 1,
                "built_surface": 96,
                "project_type": "new_house"
            },
            "documents": [
                { "code": "architectural_plans", "fileName": "plans.pdf", "mediaType": "application/pdf", "sizeBytes": 2000000 },
                { "code": "property_title", "fileName": "titre.pdf", "mediaType": "application/pdf", "sizeBytes": 200000 },
                { "code": "topographic_plan", "fileName": "topo.pdf", "mediaType": "application/pdf", "sizeBytes": 700000 }
            ]
        });
        let submissions = [
            (None, legalisation(people[0].0, people[0].1, people[0].2)),
            (Some(partner_token.as_str()), complaint),
            (Some(admin.as_str()), counter_submission(&counter_service, people[2].0, people[2].2)),
            (None, permit),
        ];
        let mut filed = Vec::new();
        for (token, input) in submissions {
            let (id, code, secret) = submit(app, token, VICTIM, input).await?;
            markers.private(secret, format!("the secret of {code}"));
            filed.push(Filed { id, code, staff_action: String::new(), version: 1 });
        }
        // The counter acknowledges the complaint.
        let act =
            "mutation($id: ID!) { actOnRequest(id: $id, action: \"acknowledge\", expectedVersion: 1) { version } }";
        data(app, Some(&agent_token), act, json!({ "id": filed[1].id })).await?;

        let one = "query($id: ID!) { request(id: $id) { version availableActions { key } } }";
        for f in &mut filed {
            let request = data(app, Some(&admin), one, json!({ "id": f.id })).await?;
            f.version = request["request"]["version"].as_i64().context("no version")?;
            f.staff_action = request["request"]["availableActions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["key"].as_str())
                .find(|key| *key != "withdraw")
                .context("no staff action open")?
                .to_owned();
        }

        // Complaints their applicants made public (the demo's): their codes are public in the listing only.
        let listed = "{ publicComplaints(commune: \"oujda\", first: 100) { nodes { trackingCode } } }";
        let listed = data(app, None, listed, json!({})).await?;
        let public_codes: Vec<String> = listed["publicComplaints"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["trackingCode"].as_str())
            .map(str::to_owned)
            .collect();
        ensure!(public_codes.len() == 1, "the demo's public complaint: {listed}");
        // A file decided and its decision issued as a verifiable document.
        let decided = legalisation("Salma Bouchikhi", "UA118822", "+212662445566");
        markers.private("Salma Bouchikhi", "the name of Salma Bouchikhi");
        markers.private("UA118822", "the CIN of Salma Bouchikhi");
        let (decided_id, _, decided_secret) = submit(app, None, VICTIM, decided).await?;
        markers.private(decided_secret, "the secret of the decided file");
        let certify =
            "mutation($id: ID!) { actOnRequest(id: $id, action: \"certify\", expectedVersion: 1) { version } }";
        data(app, Some(&admin), certify, json!({ "id": decided_id })).await?;
        let issue = "mutation($id: ID!) { issueRequestDecision(requestId: $id) { id code fingerprint } }";
        let issued = data(app, Some(&admin), issue, json!({ "id": decided_id })).await?;
        let document_code = text(&issued["issueRequestDecision"]["code"])?;
        markers.private(text(&issued["issueRequestDecision"]["id"])?, "the id of Oujda's issued document");

        // A large-project permit accepted, before its commission.
        let (in_commission, _, commission_secret) =
            submit(app, None, VICTIM, crate::staff_forms::large_project()).await?;
        markers.private(commission_secret, "the secret of the file before the commission");
        let accept =
            "mutation($id: ID!) { actOnRequest(id: $id, action: \"accept_file\", expectedVersion: 1) { state } }";
        let accepted = data(app, Some(&admin), accept, json!({ "id": in_commission })).await?;
        ensure!(accepted["actOnRequest"]["state"] == "in_commission", "{accepted}");

        let inbox = "{ requests(first: 100) { edges { cursor node { id trackingCode } } } }";
        let inbox = data(app, Some(&admin), inbox, json!({})).await?;
        let edges = inbox["requests"]["edges"].as_array().cloned().unwrap_or_default();
        ensure!(edges.len() == 3 + filed.len() + 2, "the demo's three samples and the suite's files: {inbox}");
        let mut request_ids = Vec::new();
        for edge in &edges {
            let (id, code) = (text(&edge["node"]["id"])?, text(&edge["node"]["trackingCode"])?);
            markers.private(id.as_str(), format!("the id of {code}"));
            if public_codes.contains(&code) {
                markers.catalog(code.as_str(), format!("the tracking code of the public complaint {code}"));
            } else {
                markers.private(code.as_str(), format!("the tracking code {code}"));
            }
            request_ids.push(id);
        }
        let cursor = text(&edges[0]["cursor"])?;

        // A file with its document's content (sealed in `request_files`).
        let uploader = ("Salma Bennani Oujdia", "UJ112233", "+212661112233");
        let (id, code) = upload(app, VICTIM, uploader).await?;
        for (value, what) in [(uploader.0, "name"), (uploader.1, "CIN"), (uploader.2, "phone")] {
            markers.private(value, format!("the {what} of {}", uploader.0));
        }
        markers.private(id.as_str(), format!("the id of {code}"));
        markers.private(code.as_str(), format!("the tracking code {code}"));
        request_ids.push(id);
        for commune in [VICTIM, ATTACKER] {
            let smtp = json!({ "host": "127.0.0.1", "port": 9, "tls": "NONE", "fromAddress": "avis@commune.ma" });
            data(app, Some(app.staff(commune)), SET_SMTP, json!({ "c": commune, "i": smtp })).await?;
        }
        let sent = "{ notificationDeliveries(first: 1) { nodes { id } } }";
        let sent = data(app, Some(&admin), sent, json!({})).await?;
        let delivery_id = text(&sent["notificationDeliveries"]["nodes"][0]["id"])?;
        markers.private(delivery_id.as_str(), "the id of a delivery of Oujda's");

        let audit = data(app, Some(&app.operator), AUDIT, json!({})).await?;
        markers.private(text(&audit["auditVerify"]["headHash"])?, "Oujda's audit head");

        let commune = data(app, None, "{ commune(slug: \"oujda\") { id } }", json!({})).await?;
        markers.catalog(text(&commune["commune"]["id"])?, "Oujda's commune id");
        let ids = "query($c: String!) { services(commune: $c, first: 100) { nodes { id code } } }";
        let theirs = data(app, None, ids, json!({ "c": ATTACKER })).await?;
        let theirs: Vec<&Value> =
            theirs["services"]["nodes"].as_array().into_iter().flatten().map(|s| &s["id"]).collect();
        let ours = data(app, None, ids, json!({ "c": VICTIM })).await?;
        for service in ours["services"]["nodes"].as_array().into_iter().flatten() {
            if !theirs.contains(&&service["id"]) {
                markers.catalog(text(&service["id"])?, format!("the id of Oujda's service {}", service["code"]));
            }
        }

        // Oujda's civil-status register: a death, with a mention; and its courier registry (the demo's
        // letters and one more).
        let name = |ar: &str, latin: &str, family_ar: &str, family: &str| json!({ "givenAr": ar, "familyAr": family_ar, "givenLatin": latin, "familyLatin": family });
        let death = json!({
            "kind": "DEATH", "office": "OUJ-1",
            "event": { "date": "2026-01-02", "place": "Hôpital Al Farabi, Oujda" },
            "judgmentReference": "Jugement n° 9/2026 du TPI d'Oujda",
            "subjectBirthDate": "1941",
            "subject": name("عبد القادر", "Abdelkader", "المزوار", "Mezouari-Oujdi"),
            "subjectNationalId": OUJDA_DECEASED_CIN,
            "declarant": { "name": name("حفصة", "Hafsa", "المزوار", "Mezouari-Oujdi"), "relation": "daughter" }
        });
        for (marker, what) in [
            ("Abdelkader", "the deceased's given name"),
            ("Mezouari-Oujdi", "the deceased's family name"),
            ("عبد القادر", "the deceased's Arabic name"),
            (OUJDA_DECEASED_CIN, "the deceased's CIN"),
            ("Hafsa", "the declarant's name"),
            ("Testament olographe", "the text of Oujda's mention"),
        ] {
            markers.private(marker, what);
        }
        let register = "mutation($i: RegisterCivilActInput!) { registerCivilAct(input: $i) { id } }";
        let act = data(app, Some(&admin), register, json!({ "i": death })).await?;
        let civil_act_id = text(&act["registerCivilAct"]["id"])?;
        markers.private(civil_act_id.as_str(), "the id of Oujda's civil act");
        let mention = json!({ "kind": "OTHER", "text": "Testament olographe déposé.", "effectiveOn": "2026-01-03" });
        let add = "mutation($id: ID!, $i: CivilMentionInput!) { addCivilMention(actId: $id, input: $i) { sequence } }";
        data(app, Some(&admin), add, json!({ "id": civil_act_id, "i": mention })).await?;
        let acts = data(app, Some(&admin), "{ civilActs(first: 1) { edges { cursor } } }", json!({})).await?;
        let civil_act_cursor = text(&acts["civilActs"]["edges"][0]["cursor"])?;
        let letter = json!({ "direction": "INCOMING", "correspondent": "Rachid Benamar-Oujdi", "subject": "Raccordement",
                             "date": "2026-01-02", "department": "urbanisme" });
        data(
            app,
            Some(&admin),
            "mutation($i: RegisterMailInput!) { registerMail(input: $i) { id } }",
            json!({ "i": letter }),
        )
        .await?;
        let mail = data(
            app,
            Some(&admin),
            "{ mailItems(first: 100) { edges { cursor node { id correspondent } } } }",
            json!({}),
        )
        .await?;
        let mut mail_ids = Vec::new();
        for edge in mail["mailItems"]["edges"].as_array().into_iter().flatten() {
            let id = text(&edge["node"]["id"])?;
            markers.private(id.as_str(), "the id of an Oujda mail item");
            markers.private(text(&edge["node"]["correspondent"])?, "an Oujda correspondent");
            mail_ids.push(id);
        }
        ensure!(mail_ids.len() == 4, "the demo's three letters and the suite's: {mail}");
        let mail_cursor = text(&mail["mailItems"]["edges"][0]["cursor"])?;

        // The attacker's own request, whose secret it knows.
        let own = legalisation("Karim Chefchaouni", "CH556677", "+212611223344");
        let (own_request, _, own_secret) = submit(app, None, ATTACKER, own).await?;
        // And a decision of its own, issued as a document.
        let (own_decided, own_decided_code, _) =
            submit(app, None, ATTACKER, legalisation("Amal Chaouni", "CH778899", "+212611009988")).await?;
        let attacker_admin = app.staff(ATTACKER).to_owned();
        data(app, Some(&attacker_admin), certify, json!({ "id": own_decided })).await?;
        data(app, Some(&attacker_admin), issue, json!({ "id": own_decided })).await?;
        upload(app, ATTACKER, ("Karim Chefchaouni", "CH556677", "+212611223344")).await?;
        // And a mention on its own civil act, and a letter of its own.
        let own_acts = data(app, Some(&attacker_admin), "{ civilActs(first: 1) { nodes { id } } }", json!({})).await?;
        let own_mention = json!({ "kind": "OTHER", "text": "Mention de Chefchaouen.", "effectiveOn": "2026-01-03" });
        data(
            app,
            Some(&attacker_admin),
            add,
            json!({ "id": own_acts["civilActs"]["nodes"][0]["id"], "i": own_mention }),
        )
        .await?;
        let own_letter = json!({ "direction": "OUTGOING", "correspondent": "Province de Chefchaouen", "subject": "Rapport",
                                 "date": "2026-01-02", "department": "cabinet" });
        data(
            app,
            Some(&attacker_admin),
            "mutation($i: RegisterMailInput!) { registerMail(input: $i) { id } }",
            json!({ "i": own_letter }),
        )
        .await?;

        // A bundle under Oujda's name, well formed and hashed, with content of the attacker's choosing.
        let templates = data(app, None, "{ templates(first: 100) { nodes { reference bundle } } }", json!({})).await?;
        let original = templates["templates"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["reference"] == "oujda@1")
            .map(|t| t["bundle"]["content"].clone())
            .context("no oujda@1")?;
        let mut content: TemplateContent = serde_json::from_value(original)?;
        if let Some(first) = content.services.first_mut() {
            first.name = LocalizedText::ar_fr("خدمة مزورة", "Service contrefait");
        }
        let bundle = TemplateBundle::new("oujda", 9, LocalizedText::ar_fr("وجدة", "Oujda"), content)?;
        let foreign_bundle = serde_json::to_value(&bundle)?;

        let user_session = user_session(app, OUJDA_USER, &[VICTIM]).await?;
        markers.private(user_session.as_str(), "the session token of Oujda's user");
        // Oujda's council prepares a session, not published: its title and ids are not to be seen elsewhere.
        let session = "mutation { scheduleCouncilSession(commune: \"oujda\", input: { kind: EXTRAORDINARY,
            startsOn: \"2026-07-01\", titleAr: \"دورة استثنائية قيد التحضير\",
            titleFr: \"Session extraordinaire en préparation à Oujda\" }) { id } }";
        let council_session =
            text(&data(app, Some(&admin), session, json!({})).await?["scheduleCouncilSession"]["id"])?;
        let item = "mutation($s: ID!) { addAgendaItem(commune: \"oujda\", input: { sessionId: $s,
            titleAr: \"نقطة سرية\", titleFr: \"Point confidentiel d'Oujda\" }) { agenda { id } } }";
        let agenda = data(app, Some(&admin), item, json!({ "s": council_session })).await?;
        let agenda_item = text(&agenda["addAgendaItem"]["agenda"][0]["id"])?;
        markers.private(council_session.as_str(), "the id of Oujda's draft council session");
        markers.private(agenda_item.as_str(), "the id of an item of Oujda's draft agenda");
        markers.private("Session extraordinaire en préparation à Oujda", "the title of Oujda's draft session");
        markers.private("Point confidentiel d'Oujda", "an item of Oujda's draft agenda");
        let members =
            data(app, None, "{ councilMembers(commune: \"oujda\", first: 100) { nodes { id } } }", json!({})).await?;
        let council_members: Vec<String> = members["councilMembers"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["id"].as_str().map(str::to_owned))
            .collect();

        // Oujda's members of Oujda only, by id; its counter agent holds one of its files.
        let users =
            data(app, Some(&app.operator), "{ communeUsers(commune: \"oujda\") { id login } }", json!({})).await?;
        let mut member_ids = Vec::new();
        for user in users["communeUsers"].as_array().into_iter().flatten() {
            let login = text(&user["login"])?;
            if login == OUJDA_USER || login.starts_with("oujda.") {
                let id = text(&user["id"])?;
                markers.private(id.as_str(), format!("the id of Oujda's member {login}"));
                markers.private(login.as_str(), format!("the login of Oujda's member {login}"));
                member_ids.push(id);
            }
        }
        ensure!(member_ids.len() == 18, "Oujda's user and its seventeen demo logins: {users}");
        let agent_session = app.login("oujda.counter_agent", jamaa_core::service::demo::DEMO_PASSWORD).await?;
        let claim = "mutation($r: ID!) { claimRequest(commune: \"oujda\", requestId: $r) { assignee { id } } }";
        data(app, Some(&agent_session), claim, json!({ "r": filed[0].id })).await?;

        // Its human resources: a department, a record linked to the counter agent's account, a leave.
        let department = "mutation { addDepartment(input: { name: \"Bureau d'ordre d'Oujda\" }) { id } }";
        let department_id = text(&data(app, Some(&admin), department, json!({})).await?["addDepartment"]["id"])?;
        markers.private(department_id.as_str(), "the id of an Oujda department");
        let agent_member = data(app, Some(&agent_session), "{ me { id } }", json!({})).await?;
        let record = json!({ "fullName": "Youssef Oujdi-Berkane", "grade": "Adjoint administratif", "position": "Guichet",
                             "enteredOn": "2012-03-01", "departmentId": department_id, "userId": agent_member["me"]["id"],
                             "nationalId": "FJ456123", "address": "Hay Al Qods, Oujda", "phone": "0662998877" });
        let create = "mutation($i: StaffRecordInput!) { createStaffRecord(input: $i) { id } }";
        let staff_id =
            text(&data(app, Some(&admin), create, json!({ "i": record })).await?["createStaffRecord"]["id"])?;
        markers.private(staff_id.as_str(), "the id of an Oujda staff record");
        markers.private("Youssef Oujdi-Berkane", "the name on an Oujda staff record");
        markers.private("FJ456123", "the national id on an Oujda staff record");
        let leave = "mutation($s: ID!) { recordLeave(staffId: $s, input: { kind: \"sick\", startsOn: \"2020-02-03\", endsOn: \"2020-02-07\" }) { id } }";
        let leave_id = text(&data(app, Some(&admin), leave, json!({ "s": staff_id })).await?["recordLeave"]["id"])?;
        markers.private(leave_id.as_str(), "the id of an Oujda leave");
        let records = data(app, Some(&admin), "{ staffRecords(first: 1) { edges { cursor } } }", json!({})).await?;
        let staff_cursor = text(&records["staffRecords"]["edges"][0]["cursor"])?;
        // And the attacker's own, so that row-level security has rows of both to keep apart.
        let own_department = data(
            app,
            Some(&attacker_admin),
            "mutation { addDepartment(input: { name: \"Cabinet\" }) { id } }",
            json!({}),
        )
        .await?;
        let own_record = json!({ "fullName": "Amal Chaouni", "grade": "Technicienne", "position": "Voirie",
                                 "enteredOn": "2018-05-02", "departmentId": own_department["addDepartment"]["id"] });
        let own_staff = data(app, Some(&attacker_admin), create, json!({ "i": own_record })).await?;
        data(app, Some(&attacker_admin), leave, json!({ "s": own_staff["createStaffRecord"]["id"] })).await?;

        // Its disputes: a case with its parties sealed, referring to one of its files, and a hearing.
        let case = json!({ "caseType": "expropriation", "subject": "Expropriation du lot Sidi Yahya",
                           "courtName": "Tribunal administratif", "courtCity": "Oujda", "position": "DEFENDANT",
                           "parties": [{ "name": "Houria Benjelloun-Ziani", "address": "Lot 7, Sidi Yahya" }],
                           "stakesCentimes": "98000000", "requestCode": filed[0].code, "openedOn": "2026-01-05" });
        let open = "mutation($i: DisputeCaseInput!) { openDisputeCase(input: $i) { id } }";
        let dispute_id = text(&data(app, Some(&admin), open, json!({ "i": case })).await?["openDisputeCase"]["id"])?;
        markers.private(dispute_id.as_str(), "the id of an Oujda case");
        markers.private("Houria Benjelloun-Ziani", "the name of a party to an Oujda case");
        markers.private("Expropriation du lot Sidi Yahya", "the subject of an Oujda case");
        let set = "mutation($c: ID!) { setDisputeHearing(caseId: $c, input: { scheduledAt: \"2099-03-02T09:00:00Z\", object: \"Expertise\" }) { id } }";
        let hearing_id =
            text(&data(app, Some(&admin), set, json!({ "c": dispute_id })).await?["setDisputeHearing"]["id"])?;
        markers.private(hearing_id.as_str(), "the id of an Oujda hearing");
        // A document of the case, its content sealed.
        let dispute_document_id = attach_dispute_document(app, &admin, VICTIM, &dispute_id).await?;
        markers.private(dispute_document_id.as_str(), "the id of a document of an Oujda case");
        markers.private(DISPUTE_DOCUMENT_TITLE, "the title of a document of an Oujda case");
        markers.private(DISPUTE_DOCUMENT_SECRET, "the content of a document of an Oujda case");
        let cases = data(app, Some(&admin), "{ disputeCases(first: 1) { edges { cursor } } }", json!({})).await?;
        let dispute_cursor = text(&cases["disputeCases"]["edges"][0]["cursor"])?;
        // And the attacker's own case, so that row-level security has rows of both to keep apart.
        let own_case = json!({ "caseType": "civil", "subject": "Loyer impayé", "courtName": "Tribunal de première instance",
                               "courtCity": "Chefchaouen", "position": "CLAIMANT", "parties": [{ "name": "Locataire" }],
                               "stakesCentimes": "120000", "openedOn": "2026-01-05" });
        let own_case = data(app, Some(&attacker_admin), open, json!({ "i": own_case })).await?;
        data(app, Some(&attacker_admin), set, json!({ "c": own_case["openDisputeCase"]["id"] })).await?;
        attach_dispute_document(app, &attacker_admin, ATTACKER, &text(&own_case["openDisputeCase"]["id"])?).await?;
        // A decision and an appeal in each commune, for the same reason.
        let decide = "mutation($c: ID!) { recordDisputeDecision(caseId: $c, input: { decidedOn: \"2026-02-06\",
            outcome: \"LOST\", awardedCentimes: \"100\", summary: \"Jugement\" }) { id } }";
        let appeal = "mutation($c: ID!) { lodgeDisputeAppeal(caseId: $c, input: { lodgedOn: \"2026-02-10\",
            courtName: \"Cour d'appel\", courtCity: \"Fès\" }) { id } }";
        for (token, case) in [(&admin, json!(dispute_id)), (&attacker_admin, own_case["openDisputeCase"]["id"].clone())]
        {
            data(app, Some(token), decide, json!({ "c": case })).await?;
            data(app, Some(token), appeal, json!({ "c": case })).await?;
        }

        // Its action plan: a project kept unpublished, with a milestone.
        let four = |t: &str| {
            json!([{ "locale": "ar", "text": t }, { "locale": "tzm", "text": t },
                                    { "locale": "fr", "text": t }, { "locale": "en", "text": t }])
        };
        let project = |code: &str, title: &str| {
            json!({ "code": code, "title": four(title), "description": four("Travaux"),
                                  "category": "roads", "periodFrom": 2022, "periodTo": 2027, "place": "Oujda" })
        };
        let create_project = "mutation($i: ProjectInput!) { createProject(input: $i) { id } }";
        let created =
            data(app, Some(&admin), create_project, json!({ "i": project("OUJ-7", "Voie secrète d'Oujda") })).await?;
        let project_id = jamaa_tests::app::entity_id(&text(&created["createProject"]["id"])?).to_owned();
        markers.private(project_id.as_str(), "the id of an Oujda project");
        markers.private("Voie secrète d'Oujda", "the title of an unpublished Oujda project");
        let milestone = json!({ "p": project_id, "i": { "title": four("Étape d'Oujda"), "dueOn": "2026-06-30" } });
        let milestone = data(
            app,
            Some(&admin),
            "mutation($p: ID!, $i: MilestoneInput!) { addProjectMilestone(projectId: $p, input: $i) { id } }",
            milestone,
        )
        .await?;
        let milestone_id = jamaa_tests::app::entity_id(&text(&milestone["addProjectMilestone"]["id"])?).to_owned();
        markers.private(milestone_id.as_str(), "the id of an Oujda milestone");
        let projects = data(app, Some(&admin), "{ projects(first: 1) { edges { cursor } } }", json!({})).await?;
        let project_cursor = text(&projects["projects"]["edges"][0]["cursor"])?;
        // Each commune's project with a budget line, a milestone and a progress update, so that row-level security
        // has rows of both to keep apart (Chefchaouen's 2025 budget imported from the demo's file for its line).
        data(
            app,
            Some(&attacker_admin),
            "mutation($csv: String!) { importBudget(year: 2025, csv: $csv) { year } }",
            json!({ "csv": include_str!("../../../core/data/demo/oujda-budget-2025.csv") }),
        )
        .await?;
        let mut own_project = project("CHF-1", "Projet de Chefchaouen");
        own_project["budgetLines"] =
            json!([{ "year": 2025, "chapter": "20", "article": "10", "paragraph": "1", "planned": "1000.00" }]);
        let own = data(app, Some(&attacker_admin), create_project, json!({ "i": own_project })).await?;
        let own_id = jamaa_tests::app::entity_id(&text(&own["createProject"]["id"])?).to_owned();
        let mut with_line = project("OUJ-8", "Voie budgétée d'Oujda");
        with_line["budgetLines"] =
            json!([{ "year": 2025, "chapter": "20", "article": "10", "paragraph": "1", "planned": "1000.00" }]);
        let budgeted = data(app, Some(&admin), create_project, json!({ "i": with_line })).await?;
        let budgeted_id = jamaa_tests::app::entity_id(&text(&budgeted["createProject"]["id"])?).to_owned();
        markers.private(budgeted_id.as_str(), "the id of an Oujda project");
        markers.private("Voie budgétée d'Oujda", "the title of an unpublished Oujda project");
        let add_milestone =
            "mutation($p: ID!, $i: MilestoneInput!) { addProjectMilestone(projectId: $p, input: $i) { id } }";
        data(
            app,
            Some(&attacker_admin),
            add_milestone,
            json!({ "p": own_id, "i": { "title": four("Étape"), "dueOn": "2026-06-30" } }),
        )
        .await?;
        let progress =
            "mutation($p: ID!, $i: ProgressInput!) { recordProjectProgress(projectId: $p, input: $i) { id } }";
        for (token, id) in [(&admin, &budgeted_id), (&attacker_admin, &own_id)] {
            data(
                app,
                Some(token),
                progress,
                json!({ "p": id, "i": { "on": "2026-01-10", "progress": 10, "note": four("Début") } }),
            )
            .await?;
        }

        // Its recorded finance: a commitment by its staff, approved and ordered by its authorising officer, a title.
        let commit = "mutation($i: CommitmentInput!) { recordCommitment(input: $i) { id } }";
        let input = json!({ "line": { "year": 2025, "chapter": "20", "article": "10", "paragraph": "1" },
                            "amount": "1000.00", "object": "Bordures de trottoir", "supplier": "Société Oujda Voirie" });
        let commitment_id =
            text(&data(app, Some(&admin), commit, json!({ "i": input })).await?["recordCommitment"]["id"])?;
        markers.private(commitment_id.as_str(), "the id of an Oujda commitment");
        markers.private("Société Oujda Voirie", "the supplier of an Oujda commitment");
        let officer = app.login("oujda.authorising_officer", jamaa_core::service::demo::DEMO_PASSWORD).await?;
        let approve = "mutation($id: ID!) { approveCommitment(commune: \"oujda\", commitmentId: $id) { id } }";
        data(app, Some(&officer), approve, json!({ "id": commitment_id })).await?;
        let order =
            "mutation($id: ID!) { orderPayment(commune: \"oujda\", commitmentId: $id, amount: \"400.00\") { id } }";
        let payment_order_id =
            text(&data(app, Some(&officer), order, json!({ "id": commitment_id })).await?["orderPayment"]["id"])?;
        markers.private(payment_order_id.as_str(), "the id of an Oujda payment order");
        let title = "mutation($i: RevenueTitleInput!) { recordRevenueTitle(input: $i) { id } }";
        let input = json!({ "line": { "year": 2025, "chapter": "10", "article": "20", "paragraph": "1" },
                            "amount": "250.00", "object": "Taxe de services communaux", "debtor": "Redevable Oujdi" });
        let title_id = text(&data(app, Some(&admin), title, json!({ "i": input })).await?["recordRevenueTitle"]["id"])?;
        markers.private(title_id.as_str(), "the id of an Oujda revenue title");
        // Chefchaouen's own commitment on its 2025 budget (imported above), so that row-level security has finance
        // entries of both communes to keep apart.
        let input = json!({ "line": { "year": 2025, "chapter": "20", "article": "10", "paragraph": "1" },
                            "amount": "500.00", "object": "Bordures", "supplier": "Société Chaouen Voirie" });
        data(app, Some(&attacker_admin), commit, json!({ "i": input })).await?;

        // Chefchaouen's own payment, so that row-level security has payments of both communes to keep apart.
        let own_pay = "mutation($i: CounterPayment!) { recordCounterPayment(commune: \"chefchaouen\", input: $i) {
            payment { id } } }";
        let input = json!({ "trackingCode": own_decided_code, "channel": "CASH", "amount": "2.00", "currency": "MAD" });
        data(app, Some(&attacker_admin), own_pay, json!({ "i": input })).await?;
        // The legalisation's fee paid at Oujda's counter: a payment and its quittance.
        let pay = "mutation($i: CounterPayment!) { recordCounterPayment(commune: \"oujda\", input: $i) {
            payment { id } document { code } } }";
        let input = json!({ "trackingCode": filed[0].code, "channel": "CASH", "amount": "2.00", "currency": "MAD" });
        let paid = data(app, Some(&agent_session), pay, json!({ "i": input })).await?;
        let payment_id = text(&paid["recordCounterPayment"]["payment"]["id"])?;
        markers.private(payment_id.as_str(), "the id of an Oujda payment");
        markers.private(
            text(&paid["recordCounterPayment"]["document"]["code"])?.as_str(),
            "the verification code of an Oujda quittance",
        );
        // Its online payment: the legalisation's fee paid through its provider (a callback signed with its store
        // key), and a refund of it requested by its payments controller.
        let online = legalisation("Youssef Ouled Oujda", "UJ998877", "+212600998877");
        for (private, what) in [("Youssef Ouled Oujda", "name"), ("UJ998877", "CIN"), ("+212600998877", "phone")] {
            markers.private(private, format!("the {what} of an Oujda applicant who pays online"));
        }
        let (_, online_code, online_secret) = submit(app, None, VICTIM, online).await?;
        markers.private(online_secret.as_str(), "the secret of an Oujda request paid online");
        let online_payment_id = pay_online(app, VICTIM, &online_code, &online_secret, "OUJDA-TRX-0001").await?;
        markers.private(online_payment_id.as_str(), "the id of an Oujda online payment");
        markers.private("OUJDA-TRX-0001", "the provider's reference of an Oujda payment");
        let controller = app.login("oujda.payments_controller", jamaa_core::service::demo::DEMO_PASSWORD).await?;
        let refund = "mutation($id: ID!) { requestRefund(commune: \"oujda\", paymentId: $id, amount: \"1.00\",
            reason: \"Remboursement partiel oujdi\") { id } }";
        let refund_id = text(
            &data(app, Some(&controller), refund, json!({ "id": online_payment_id })).await?["requestRefund"]["id"],
        )?;
        markers.private(refund_id.as_str(), "the id of an Oujda refund");
        markers.private("Remboursement partiel oujdi", "the reason of an Oujda refund");
        // And Chefchaouen's own: a payment, a refund requested, a statement imported.
        let (_, own_online_code, own_online_secret) =
            submit(app, None, ATTACKER, legalisation("Samir Chaouni", "CH445566", "+212611445566")).await?;
        let own_payment = pay_online(app, ATTACKER, &own_online_code, &own_online_secret, "CHAOUEN-TRX-0001").await?;
        let own_controller =
            app.login("chefchaouen.payments_controller", jamaa_core::service::demo::DEMO_PASSWORD).await?;
        let own_refund =
            "mutation($id: ID!) { requestRefund(commune: \"chefchaouen\", paymentId: $id, amount: \"1.00\",
            reason: \"Remboursement chaouni\") { id } }";
        data(app, Some(&own_controller), own_refund, json!({ "id": own_payment })).await?;
        let statement = "mutation($c: String!, $csv: String!) {
            importPaymentStatement(commune: $c, day: \"2026-12-05\", csv: $csv) { id } }";
        let header = "date,order_id,transaction_id,amount,currency,status\n";
        data(app, Some(&own_controller), statement, json!({ "c": ATTACKER, "csv": header })).await?;
        data(app, Some(&controller), statement, json!({ "c": VICTIM, "csv": header })).await?;

        Ok(Self {
            filed,
            request_ids,
            cursor,
            counter_service,
            reclamation,
            token_ids: vec![partner_id, agent_id, demo_staff_id],
            partner_token,
            agent_token,
            observer_token,
            foreign_bundle,
            user_session,
            own_secret,
            decided_id,
            document_code,
            in_commission,
            council_session,
            agenda_item,
            council_members,
            civil_act_id,
            civil_act_cursor,
            mail_ids,
            mail_cursor,
            webhook_id: webhooks.remove(0),
            delivery_id,
            member_ids,
            own_request,
            staff_id,
            staff_cursor,
            leave_id,
            department_id,
            commitment_id,
            payment_order_id,
            title_id,
            payment_id,
            online_payment_id,
            refund_id,
            project_id,
            project_cursor,
            milestone_id,
            dispute_id,
            dispute_cursor,
            hearing_id,
            dispute_document_id,
            markers,
        })
    }
}

const AUDIT: &str = "{ auditVerify(commune: \"oujda\") { valid eventsChecked headHash } }";
const NEW_WEBHOOK: &str = "mutation($c: String!) {
    createWebhookEndpoint(commune: $c, input: { url: \"http://127.0.0.1:9/hooks\" }) { secret endpoint { id } } }";
const SET_SMTP: &str =
    "mutation($c: String!, $i: SmtpSettingsInput!) { setSmtpSettings(commune: $c, input: $i) { host } }";

/// Oujda's own user (every role of Oujda), and the password of the suite's users.
const OUJDA_USER: &str = "oujda.user";
const USER_PASSWORD: &str = "une phrase de passe assez longue";

/// A user with every role of each of `communes`, logged in: its session token.
async fn user_session(app: &TestApp, login: &str, communes: &[&str]) -> Result<String> {
    let jamaa = app.jamaa().await?;
    let platform = jamaa_core::auth::Principal::Platform;
    let new = jamaa_core::service::NewUser {
        login: login.to_owned(),
        display_name: login.to_owned(),
        password: SecretString::from(USER_PASSWORD),
        operator: false,
    };
    jamaa.create_user(&platform, new).await?;
    for commune in communes {
        let commune = jamaa.commune(commune).await?;
        let roles = jamaa.commune_content(&platform, &commune).await?.roles.into_iter().map(|r| r.key).collect();
        jamaa.grant_membership(&platform, login, &commune, roles).await?;
    }
    app.login(login, USER_PASSWORD).await
}

/// The attackers: Chefchaouen's staff and partner, nobody, and Oujda's own staff with a dead token.
async fn attackers(app: &TestApp) -> Result<Vec<Attacker>> {
    let chefchaouen_admin = app.staff(ATTACKER).to_owned();
    let (_, partner) = create_token(
        app,
        &chefchaouen_admin,
        json!({ "kind": "PARTNER", "communes": [ATTACKER], "label": "Chefchaouen city app" }),
    )
    .await?;

    let jamaa = app.jamaa().await?;
    let oujda = jamaa.commune(VICTIM).await?;
    let roles: Vec<jamaa_core::model::keys::RoleKey> = jamaa
        .commune_content(&jamaa_core::auth::Principal::Platform, &oujda)
        .await?
        .roles
        .into_iter()
        .map(|r| r.key)
        .collect();
    let expired = jamaa
        .issue_token(
            jamaa_core::service::NewApiToken::Staff { tenant: oujda.id, roles: roles.clone() },
            "expired",
            Some(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .await?;
    let expired = expired.token.expose_secret().to_owned();
    let admin = app.staff(VICTIM).to_owned();
    let (revoked_id, revoked) = create_token(
        app,
        &admin,
        json!({ "kind": "STAFF", "communes": [VICTIM], "roles": roles, "label": "left the commune" }),
    )
    .await?;
    let revoke = data(app, Some(&admin), REVOKE_TOKEN, json!({ "id": revoked_id })).await?;
    ensure!(revoke["revokeApiToken"] == true, "{revoke}");

    // Users with every role of Chefchaouen (and of Kaédi), and dead sessions of Oujda's own user.
    let chefchaouen_user = user_session(app, "chefchaouen.user", &[ATTACKER]).await?;
    let two_communes_user = user_session(app, "two.communes.user", &[ATTACKER, "kaedi"]).await?;
    let expired_session = jamaa
        .with_clock(std::sync::Arc::new(|| chrono::Utc::now() - chrono::Duration::hours(13)))
        .login(OUJDA_USER, &SecretString::from(USER_PASSWORD))
        .await?;
    let logged_out = app.login(OUJDA_USER, USER_PASSWORD).await?;
    let logout = data(app, Some(&logged_out), "mutation { logout }", json!({})).await?;
    ensure!(logout["logout"] == true, "{logout}");

    Ok(vec![
        Attacker {
            label: "Chefchaouen's staff (every role)",
            token: Some(chefchaouen_admin),
            who: Who::Staff,
            dead: false,
            frames: ALL_FRAMES,
            user: false,
        },
        Attacker {
            label: "a session of Chefchaouen's user (every role)",
            token: Some(chefchaouen_user),
            who: Who::Staff,
            dead: false,
            frames: ALL_FRAMES,
            user: true,
        },
        Attacker {
            label: "a session of a user of Chefchaouen and Kaédi (every role)",
            token: Some(two_communes_user),
            who: Who::Staff,
            dead: false,
            // With two communes, the user names one.
            frames: NAMING_FRAMES,
            user: true,
        },
        Attacker {
            label: "an expired session of Oujda's user (every role)",
            token: Some(expired_session.token.expose_secret().to_owned()),
            who: Who::Staff,
            dead: true,
            frames: DEAD_FRAMES,
            user: true,
        },
        Attacker {
            label: "a logged-out session of Oujda's user (every role)",
            token: Some(logged_out),
            who: Who::Staff,
            dead: true,
            frames: DEAD_FRAMES,
            user: true,
        },
        Attacker {
            label: "a partner scoped to Chefchaouen",
            token: Some(partner),
            who: Who::Partner,
            dead: false,
            frames: NAMING_FRAMES,
            user: false,
        },
        Attacker {
            label: "no token",
            token: None,
            who: Who::Anonymous,
            dead: false,
            frames: NAMING_FRAMES,
            user: false,
        },
        Attacker {
            label: "an expired token of Oujda's staff (every role)",
            token: Some(expired),
            who: Who::Staff,
            dead: true,
            frames: DEAD_FRAMES,
            user: false,
        },
        Attacker {
            label: "a revoked token of Oujda's staff (every role)",
            token: Some(revoked),
            who: Who::Staff,
            dead: true,
            frames: DEAD_FRAMES,
            user: false,
        },
    ])
}

// ---------------------------------------------------------------------------------------------------------------
// The schema, from the server.

const INTROSPECTION: &str = "query {
  __schema {
    queryType { fields { name args { name defaultValue type { kind } } } }
    mutationType { fields { name args { name defaultValue type { kind } } } }
    subscriptionType { fields { name } }
  }
}";

/// The subscriptions [`subscriptions`] attacks.
const SUBSCRIPTIONS: &[&str] = &["requestUpdated", "inboxChanged"];

/// An operation of the schema, as the server describes it.
struct SchemaOperation {
    name: String,
    mutation: bool,
    arguments: Vec<String>,
    /// Arguments without which it cannot be called.
    required: Vec<String>,
}

/// Every operation of the schema.
async fn schema_operations(app: &TestApp) -> Result<Vec<SchemaOperation>> {
    let schema = app.data(None, INTROSPECTION, json!({})).await?;
    let mut found = Vec::new();
    for (root, mutation) in [("queryType", false), ("mutationType", true)] {
        for field in schema["__schema"][root]["fields"].as_array().into_iter().flatten() {
            let args: Vec<&Value> = field["args"].as_array().into_iter().flatten().collect();
            let names = |required: bool| {
                args.iter()
                    .filter(|a| !required || (a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null()))
                    .filter_map(|a| a["name"].as_str().map(str::to_owned))
                    .collect()
            };
            found.push(SchemaOperation {
                name: text(&field["name"])?,
                mutation,
                arguments: names(false),
                required: names(true),
            });
        }
    }
    ensure!(found.len() > 10, "introspection found too few operations: {schema}");
    Ok(found)
}

/// The table attacks exactly the schema's operations, each with a document that calls it.
fn check_table(schema: &[SchemaOperation], table: &[Operation]) -> Result<()> {
    let mut problems = Vec::new();
    for SchemaOperation { name, mutation, required, .. } in schema {
        let Some(op) = table.iter().find(|op| op.name == name) else {
            let kind = if *mutation { "mutation" } else { "query" };
            problems.push(format!(
                "the {kind} `{name}` is in the schema but the attacker's suite does not attack it: add it to \
                 `operations()` in tests/tests/it/attacker.rs, with a document and variables aimed at Oujda"
            ));
            continue;
        };
        let document = op.document.trim_start();
        if document.starts_with("mutation") != *mutation {
            problems
                .push(format!("the document for `{name}` is not a {}", if *mutation { "mutation" } else { "query" }));
        }
        if !document.contains(&format!("{name}(")) && !document.contains(&format!("{name} ")) {
            problems.push(format!("the document for `{name}` does not call it"));
        }
        for argument in required {
            if !document.contains(&format!("{argument}:")) {
                problems.push(format!("the document for `{name}` does not pass its argument `{argument}`"));
            }
        }
    }
    for op in table {
        if !schema.iter().any(|s| s.name == op.name) {
            problems.push(format!("the attacker's suite attacks `{}`, which the schema does not have", op.name));
        }
    }
    ensure!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Calls and judgements.

async fn post(app: &TestApp, token: Option<&str>, frame: Frame, query: &str, variables: &Value) -> Result<Value> {
    let mut request = app.client.post(app.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if frame == Frame::Header {
        request = request.header("X-Commune", VICTIM);
    }
    let response = request.send().await?;
    let status = response.status();
    response.json().await.with_context(|| format!("HTTP {status}: not JSON"))
}

/// Whether `body` is what `expect` says, and reveals none of the markers.
fn judge(body: &Value, expect: Outcome, public: bool, markers: &Markers) -> Vec<String> {
    let mut problems = Vec::new();
    let leaked = markers.found(body, public);
    if !leaked.is_empty() {
        problems.push(format!("reveals {}", leaked.join(", ")));
    }
    let codes = error_codes(body);
    let no_data = body["data"].is_null() || body["data"].as_object().is_some_and(|d| d.values().all(Value::is_null));
    let refusal =
        |allowed: &[&str]| !codes.is_empty() && codes.iter().all(|c| allowed.contains(&c.as_str())) && no_data;
    let as_expected = match expect {
        Outcome::Answers => codes.is_empty() && !no_data,
        Outcome::Refused => refusal(&["FORBIDDEN", "NOT_FOUND"]),
        Outcome::Invalid => refusal(&["VALIDATION_FAILED"]),
        Outcome::Unauthenticated => codes == ["UNAUTHENTICATED"] && no_data,
        Outcome::Skip => true,
    };
    if !as_expected {
        let expected = match expect {
            Outcome::Answers => "an answer",
            Outcome::Refused => "FORBIDDEN or NOT_FOUND",
            Outcome::Invalid => "VALIDATION_FAILED",
            Outcome::Unauthenticated => "UNAUTHENTICATED",
            Outcome::Skip => "",
        };
        let got = if codes.is_empty() { "an answer".to_owned() } else { codes.join(", ") };
        problems.push(format!("expected {expected}, got {got}"));
    }
    problems
}

fn shorten(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 400 { format!("{}…", text.chars().take(400).collect::<String>()) } else { text }
}

// ---------------------------------------------------------------------------------------------------------------
// Oujda's state.

/// Everything of Oujda an attack could change, as Oujda's staff, an operator and anyone see it; and whether
/// its tokens still work. Each reader asks once, and each field of its answer is a key of the state: a difference
/// names the field that changed.
async fn snapshot(app: &TestApp, victim: &Victim) -> Result<BTreeMap<String, Value>> {
    // Its requests and, one alias each, their histories; its council, registers (as lists: reading an act's full
    // record would be an event of the audit trail), projects, staff, ledger, payments and disputes.
    let mut staff = "{ requests(first: 100) { nodes {
        id trackingCode state version outcome serviceVersion updatedAt closedAt decisionDue documents { code }
    } }"
    .to_owned();
    for (i, id) in victim.request_ids.iter().enumerate() {
        staff.push_str(&format!(
            " r{i}: request(id: \"{id}\") {{ version history {{ action fromState toState actor comment at }} }}"
        ));
    }
    staff.push_str(
        "councilSessions(commune: \"oujda\", first: 100) { nodes { id publishedAt agenda { id requestId }
            deliberations { id } } }
        councilMembers(commune: \"oujda\", first: 100) { nodes { id } }
        civilActs(first: 100) { nodes { id number eventDate } }
        mailItems(first: 100) { nodes { id number department state dueOn updatedAt } }
        projects(commune: \"oujda\", first: 100) { nodes { id code title progress status published updatedAt
            milestones { id doneOn } updates { id } } }
        staffRecords(commune: \"oujda\", first: 100) { nodes { id fullName grade updatedAt awayUntil } }
        departments(commune: \"oujda\") { id name parentId headId }
        financeLedger(commune: \"oujda\", year: 2025) { entries { id kind number net approved ordered paid collected } }
        onlinePayments(commune: \"oujda\") { id state providerReference settledAt }
        paymentStatements(commune: \"oujda\") { id }
        paymentRefunds(commune: \"oujda\") { id status decidedBy }
        disputeCases(commune: \"oujda\", first: 100) { nodes { id number status stakesCentimes updatedAt } }
        upcomingHearings(commune: \"oujda\", first: 100) { hearing { id scheduledAt outcome remindedAt } } }",
    );
    let public = "{
        services(commune: \"oujda\", first: 100) { nodes { id code version } }
        commune(slug: \"oujda\") {
            id slug names { locale text } country officialCode region province population defaultLocale locales
            timeZone currency trackingPrefix status calendar
        }
        communes(first: 100) { nodes { slug trackingPrefix status } }
        templates(first: 100) { nodes { reference contentHash } }
        siteOrigins(commune: \"oujda\")
        budgetExecution(commune: \"oujda\") { lines { year chapter article paragraph paid collected } }
        collectedFees(commune: \"oujda\") { year month serviceCode payments amount }
    }";
    let mut state = BTreeMap::new();
    for (token, document) in
        [(Some(&victim.observer_token), staff.as_str()), (None, public), (Some(&app.operator), AUDIT)]
    {
        let answer = data(app, token.map(String::as_str), document, json!({})).await?;
        let fields = answer.as_object().with_context(|| format!("not an object: {answer}"))?;
        for (field, value) in fields {
            ensure!(state.insert(field.clone(), value.clone()).is_none(), "{field} is read twice");
        }
    }
    // The partner is let in (the form is refused only after), and the counter agent reads the inbox.
    let probe = json!({ "c": VICTIM, "input": { "serviceCode": "reclamation", "data": {} } });
    let partner = app.graphql(Some(&victim.partner_token), SUBMIT, probe).await?;
    state.insert("partner token".to_owned(), json!(error_codes(&partner)));
    let agent = app.graphql(Some(&victim.agent_token), "{ requests(first: 1) { nodes { id } } }", json!({})).await?;
    state.insert("agent token".to_owned(), json!(error_codes(&agent)));
    let user = app.graphql(Some(&victim.user_session), "{ requests(first: 1) { nodes { id } } }", json!({})).await?;
    state.insert("user session".to_owned(), json!(error_codes(&user)));
    Ok(state)
}

fn differences(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> String {
    before
        .iter()
        .filter(|(key, value)| after.get(*key) != Some(*value))
        .map(|(key, value)| format!("{key}: was {}, is {}", shorten(value), shorten(&after[key])))
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------------------------------
// The suite.

/// The attacks made so far, and what went wrong.
struct Run<'a> {
    app: &'a TestApp,
    victim: &'a Victim,
    attackers: &'a [Attacker],
    calls: usize,
    failures: Vec<String>,
}

impl Run<'_> {
    /// Every attack on one operation, by every attacker, in every frame.
    async fn attack(&mut self, op: &Operation, takes_commune: bool) -> Result<()> {
        // Frames that make no difference to an operation make the same call: once is enough.
        let mut sent = std::collections::HashSet::new();
        for attacker in self.attackers {
            for &frame in attacker.frames.iter().filter(|f| takes_commune || **f != Frame::Header) {
                let ctx = Ctx { v: self.victim, who: attacker.who, frame, user: attacker.user };
                for attack in (op.attacks)(&ctx) {
                    let expect = if attacker.dead { Outcome::Unauthenticated } else { attack.expect };
                    let call = (attacker.label, frame == Frame::Header, attack.variables.to_string());
                    if expect == Outcome::Skip || !sent.insert(call) {
                        continue;
                    }
                    let body = post(self.app, attacker.token.as_deref(), frame, op.document, &attack.variables).await?;
                    self.calls += 1;
                    let problems = judge(&body, expect, op.public, &self.victim.markers);
                    if !problems.is_empty() {
                        self.failures.push(format!(
                            "{} as {} ({frame:?}) with {}: {}\n    {}",
                            op.name,
                            attacker.label,
                            shorten(&attack.variables),
                            problems.join("; "),
                            shorten(&body)
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The parts the table is attacked in, each its own test on its own server so that they run side by side:
/// the queries in [`QUERY_PARTS`] parts and the mutations in [`MUTATION_PARTS`], each by its place among the
/// table's queries or mutations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Queries(usize),
    Mutations(usize),
}

const QUERY_PARTS: usize = 2;
const MUTATION_PARTS: usize = 3;

/// Every part, in order.
fn parts() -> Vec<Part> {
    (0..QUERY_PARTS).map(Part::Queries).chain((0..MUTATION_PARTS).map(Part::Mutations)).collect()
}

/// The part an operation of the table is attacked in.
fn part_of(table: &[Operation], name: &str) -> Option<Part> {
    let is_mutation = |op: &Operation| op.document.trim_start().starts_with("mutation");
    let mutation = is_mutation(table.iter().find(|op| op.name == name)?);
    let place = table.iter().filter(|op| is_mutation(op) == mutation).position(|op| op.name == name)?;
    Some(if mutation { Part::Mutations(place % MUTATION_PARTS) } else { Part::Queries(place % QUERY_PARTS) })
}

/// The operations of one part, in the table's order.
fn operations_of(table: &[Operation], part: Part) -> Vec<&Operation> {
    table.iter().filter(|op| part_of(table, op.name) == Some(part)).collect()
}

/// Oujda at work on a server of its own, its attackers, and the table checked against the schema.
struct Stage {
    app: TestApp,
    table: Vec<Operation>,
    schema: Vec<SchemaOperation>,
    victim: Victim,
    attackers: Vec<Attacker>,
}

impl Stage {
    async fn set_up(backend: Backend) -> Result<Self> {
        // Oujda takes payments online (the provider's callbacks are signed here with its store key).
        let app = TestApp::spawn_with(backend, |s| {
            s.payment_providers.insert(VICTIM.to_owned(), oujda_merchant());
            s.payment_providers.insert(ATTACKER.to_owned(), oujda_merchant());
        })
        .await?;
        let table = operations();
        let schema = schema_operations(&app).await?;
        check_table(&schema, &table)?;
        let victim = Victim::set_up(&app).await?;
        let attackers = attackers(&app).await?;
        Ok(Self { app, table, schema, victim, attackers })
    }

    /// Oujda's partner still submits for real, after everything the attackers tried.
    async fn oujda_still_works(&self) -> Result<()> {
        let complaint = json!({ "serviceCode": "reclamation", "data": {
            "subject": "lighting", "description": "Le quartier Al Qods est sans éclairage public depuis trois nuits."
        } });
        let (_, code, _) = submit(&self.app, Some(&self.victim.partner_token), VICTIM, complaint).await?;
        ensure!(code.starts_with("OUJ-"), "{code}");
        Ok(())
    }
}

/// Every operation of one part, by every attacker in every frame: the queries, then Oujda's state; each
/// mutation, then Oujda's state.
async fn attack_part(backend: Backend, part: Part) -> Result<()> {
    let stage = Stage::set_up(backend).await?;
    let Stage { app, table, schema, victim, attackers } = &stage;
    let mut before = snapshot(app, victim).await?;
    ensure!(before["partner token"] == json!(["VALIDATION_FAILED"]), "Oujda's partner is let in: {before:?}");
    ensure!(before["agent token"] == json!([]), "Oujda's counter agent reads its inbox: {before:?}");
    ensure!(before["user session"] == json!([]), "Oujda's user reads its inbox: {before:?}");
    let mut run = Run { app, victim, attackers, calls: 0, failures: Vec::new() };
    let ops = operations_of(table, part);
    let rounds: Vec<(String, Vec<&Operation>)> = match part {
        Part::Queries(_) => vec![("the queries".to_owned(), ops)],
        Part::Mutations(_) => ops.into_iter().map(|op| (op.name.to_owned(), vec![op])).collect(),
    };
    ensure!(!rounds.is_empty() && rounds.iter().all(|(_, ops)| !ops.is_empty()), "{part:?} attacks nothing");
    for (round, ops) in rounds {
        for op in ops {
            // The X-Commune header stands in for a `commune` argument: without one, it is not tried.
            let takes_commune = schema.iter().any(|s| s.name == op.name && s.arguments.iter().any(|a| a == "commune"));
            run.attack(op, takes_commune).await?;
        }
        let after = snapshot(app, victim).await?;
        if after != before {
            run.failures.push(format!("{round} changed Oujda: {}", differences(&before, &after)));
            before = after;
        }
    }
    let (mut calls, mut failures) = (run.calls, run.failures);
    if part == Part::Queries(0) {
        // The documents of a case file, over HTTP beside the schema.
        let (made, got_through) = attack_dispute_documents(app, victim, attackers).await?;
        calls += made;
        failures.extend(got_through);
        let after = snapshot(app, victim).await?;
        if after != before {
            failures.push(format!("the documents' routes changed Oujda: {}", differences(&before, &after)));
        }
    }
    ensure!(calls > 100, "only {calls} attacks were made in {part:?}");
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(40).collect();
        bail!(
            "{} of {calls} attacks on Oujda ({part:?}) got through or went wrong{}:\n{}",
            failures.len(),
            if failures.len() > shown.len() { " (the first 40)" } else { "" },
            shown.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
    stage.oujda_still_works().await?;
    stage.app.stop().await
}

async fn another_commune_reads_nothing_of_oujda_0(backend: Backend) -> Result<()> {
    attack_part(backend, Part::Queries(0)).await
}

async fn another_commune_reads_nothing_of_oujda_1(backend: Backend) -> Result<()> {
    attack_part(backend, Part::Queries(1)).await
}

async fn another_commune_changes_nothing_of_oujda_0(backend: Backend) -> Result<()> {
    attack_part(backend, Part::Mutations(0)).await
}

async fn another_commune_changes_nothing_of_oujda_1(backend: Backend) -> Result<()> {
    attack_part(backend, Part::Mutations(1)).await
}

async fn another_commune_changes_nothing_of_oujda_2(backend: Backend) -> Result<()> {
    attack_part(backend, Part::Mutations(2)).await
}

// ---------------------------------------------------------------------------------------------------------------
// The fuzzing side.

/// Values no operation expects: wrong types, extremes, control characters, injections, deep nesting.
fn odd_values() -> Vec<Value> {
    let deep = (0..64).fold(json!(1), |inner, _| json!([inner]));
    vec![
        Value::Null,
        json!(""),
        json!(true),
        json!(-1),
        json!(0),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e308),
        json!(3.5),
        json!([]),
        json!({}),
        json!({ "__proto__": { "admin": true } }),
        deep,
        json!("\u{0}\u{1b}[2J\u{202e}\u{feff}\u{b}"),
        json!("x".repeat(100_000)),
        json!("' OR 1=1 --"),
        json!("../../../../etc/passwd"),
        json!("=HYPERLINK(\"http://evil.example\")"),
        json!("oujda"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!("XYZ-2026-000001"),
    ]
}

/// `variables` with one value, picked by `rng`, replaced by an odd one (or a key dropped).
fn mutate(variables: &Value, rng: &mut impl rand::Rng) -> Value {
    fn leaves(value: &Value, path: Vec<String>, found: &mut Vec<Vec<String>>) {
        found.push(path.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let mut next = path.clone();
                    next.push(key.clone());
                    leaves(child, next, found);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut next = path.clone();
                    next.push(i.to_string());
                    leaves(child, next, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    leaves(variables, Vec::new(), &mut found);
    let mut mutated = variables.clone();
    let path = &found[rng.random_range(0..found.len())];
    let odd = odd_values();
    let replacement = odd[rng.random_range(0..odd.len())].clone();
    let drop = !path.is_empty() && rng.random_bool(0.15);
    let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
    if drop {
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
        if let Some(Value::Object(map)) = mutated.pointer_mut(parent) {
            map.remove(last);
        }
    } else if let Some(target) = mutated.pointer_mut(&pointer) {
        *target = replacement;
    }
    mutated
}

/// Changes per attack of the table.
const MUTATIONS_PER_ATTACK: usize = 3;

/// Every operation of the table, its attacks' variables changed at random (a seeded generator: the same
/// changes on every run, `JAMAA_FUZZ_SEED` for others), by Chefchaouen's staff and by no one: never a 5xx,
/// never INTERNAL, every error with its code, nothing of Oujda revealed, and Oujda unchanged.
async fn odd_inputs_break_nothing_and_reveal_nothing(backend: Backend) -> Result<()> {
    use rand::SeedableRng as _;
    let stage = Stage::set_up(backend).await?;
    let Stage { app, table, victim, attackers, .. } = &stage;
    let seed = std::env::var("JAMAA_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_261_203);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let before = snapshot(app, victim).await?;
    let staff = attackers.iter().find(|a| a.who == Who::Staff && !a.dead && !a.user);
    let anonymous = attackers.iter().find(|a| a.who == Who::Anonymous && !a.dead);
    let callers = [staff.context("no staff attacker")?, anonymous.context("no anonymous attacker")?];
    let (mut calls, mut failures) = (0, Vec::new());
    for op in table {
        for attacker in callers {
            let frame = Frame::Named;
            let ctx = Ctx { v: victim, who: attacker.who, frame, user: attacker.user };
            // What this caller may legitimately change of Oujda is not sent, changed or not.
            for attack in (op.attacks)(&ctx).into_iter().filter(|a| a.expect != Outcome::Skip) {
                for _ in 0..MUTATIONS_PER_ATTACK {
                    let variables = mutate(&attack.variables, &mut rng);
                    let mut request = app
                        .client
                        .post(app.url("/graphql"))
                        .json(&json!({ "query": op.document, "variables": variables }));
                    if let Some(token) = &attacker.token {
                        request = request.bearer_auth(token);
                    }
                    let response = request.send().await?;
                    let status = response.status();
                    let text = response.text().await?;
                    calls += 1;
                    let Ok(body) = serde_json::from_str::<Value>(&text) else {
                        failures.push(format!(
                            "{} as {} with {}: HTTP {status}, not JSON: {}",
                            op.name,
                            attacker.label,
                            shorten(&variables),
                            text.chars().take(300).collect::<String>()
                        ));
                        continue;
                    };
                    let codes = error_codes(&body);
                    let mut problems = Vec::new();
                    if status.is_server_error() {
                        problems.push(format!("HTTP {status}"));
                    }
                    if codes.iter().any(|c| c.is_empty() || c == "INTERNAL") {
                        problems.push(format!("codes {codes:?}"));
                    }
                    let leaked = victim.markers.found(&body, op.public);
                    if !leaked.is_empty() {
                        problems.push(format!("reveals {}", leaked.join(", ")));
                    }
                    if !problems.is_empty() {
                        failures.push(format!(
                            "{} as {} with {}: {}\n    {}",
                            op.name,
                            attacker.label,
                            shorten(&variables),
                            problems.join("; "),
                            shorten(&body)
                        ));
                    }
                }
            }
        }
    }
    let after = snapshot(app, victim).await?;
    if after != before {
        failures.push(format!("odd inputs changed Oujda: {}", differences(&before, &after)));
    }
    ensure!(calls > 300, "only {calls} odd inputs were sent");
    ensure!(
        failures.is_empty(),
        "{} of {calls} odd inputs went wrong (seed {seed}):\n{}",
        failures.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    stage.oujda_still_works().await?;
    stage.app.stop().await
}

/// Every operation of the table falls in exactly one part, and each part is attacked by a test: a part added
/// to [`parts`] without its test, or an operation outside every part, fails here.
#[test]
fn every_operation_is_attacked_in_one_part() {
    let table = operations();
    let tested = [Part::Queries(0), Part::Queries(1), Part::Mutations(0), Part::Mutations(1), Part::Mutations(2)];
    assert_eq!(parts(), tested, "each part needs its test above");
    for op in &table {
        let holding: Vec<Part> =
            parts().into_iter().filter(|&part| operations_of(&table, part).iter().any(|o| o.name == op.name)).collect();
        assert_eq!(holding.len(), 1, "`{}` is attacked in {holding:?}", op.name);
    }
    let total: usize = parts().into_iter().map(|part| operations_of(&table, part).len()).sum();
    assert_eq!(total, table.len());
    let mut names: Vec<&str> = table.iter().map(|op| op.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), table.len(), "an operation is in the table twice");
}

/// Subscriptions, over a WebSocket: nobody follows Oujda's requests or inbox but Oujda's staff and its
/// applicants, and Chefchaouen's own inbox gets nothing of Oujda's changes. On PostgreSQL, the rows of the
/// citizens' rights, and row-level security alone keeping Oujda apart.
async fn another_commune_follows_nothing_of_oujda(backend: Backend) -> Result<()> {
    let stage = Stage::set_up(backend).await?;
    let Stage { app, victim, attackers, .. } = &stage;
    let introspected = app.data(None, INTROSPECTION, json!({})).await?;
    let mut names: Vec<&str> = introspected["__schema"]["subscriptionType"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["name"].as_str())
        .collect();
    names.sort_unstable();
    let mut attacked = SUBSCRIPTIONS.to_vec();
    attacked.sort_unstable();
    ensure!(names == attacked, "the schema's subscriptions {names:?} are not those attacked: {attacked:?}");
    let (calls, failures) = attack_subscriptions(app, victim, attackers).await?;
    ensure!(
        calls > 20 && failures.is_empty(),
        "{} subscription attacks got through:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let mut own_inbox = GraphqlWs::connect(app, Some(app.staff(ATTACKER))).await?;
    own_inbox.subscribe("inbox", "subscription { inboxChanged { trackingCode } }", json!({})).await?;
    // Registered once it answers a later subscription.
    own_inbox
        .subscribe("probe", "subscription { inboxChanged(commune: \"oujda\") { trackingCode } }", json!({}))
        .await?;
    own_inbox.next_of("probe").await?;

    stage.oujda_still_works().await?;

    let (_, theirs, _) =
        submit(app, None, ATTACKER, legalisation("Karim Chefchaouni", "CH556677", "+212611223344")).await?;
    let first = own_inbox.next_of("inbox").await?;
    ensure!(
        first["payload"]["data"]["inboxChanged"]["trackingCode"] == theirs.as_str(),
        "Chefchaouen's inbox got {first}"
    );

    if let Some((server, database)) = &app.pg {
        for commune in [VICTIM, ATTACKER] {
            citizen_rows(app, commune).await?;
        }
        row_level_security_alone_keeps_oujda_apart(server, database)?;
    }
    stage.app.stop().await
}

/// Rows in the tables of citizens' rights: a message to a requester (a reasoned extension), a petition's
/// signature, a publication; an idempotency key (a submission sent with one); a commission's opinion.
async fn citizen_rows(app: &TestApp, commune: &str) -> Result<()> {
    let staff = app.staff(commune).to_owned();
    let keyed = legalisation("Rachid Alami", "RA123456", "+212611223344");
    submit_with_key(app, None, commune, &keyed, &format!("rows-of-{commune}-0001")).await?;
    let information = json!({ "serviceCode": "acces-information", "data": {
        "requester_name": "Rachid Alami", "cin": "RA123456", "delivery_mode": "on_site",
        "information_requested": "Le budget de la commune pour l'année en cours."
    } });
    let (id, _, _) = submit(app, None, commune, information).await?;
    let act = "mutation($c: String!, $id: ID!, $a: String!, $v: Int!, $m: String) {
        actOnRequest(commune: $c, id: $id, action: $a, expectedVersion: $v, comment: $m) { version } }";
    data(app, Some(&staff), act, json!({ "c": commune, "id": id, "a": "take_charge", "v": 1 })).await?;
    let reason = "Les documents sont aux archives.";
    data(app, Some(&staff), act, json!({ "c": commune, "id": id, "a": "extend", "v": 2, "m": reason })).await?;
    let petition = json!({ "serviceCode": "petition", "data": {
        "petitioner_type": "citizens", "representative_name": "Rachid Alami", "cin": "RA123456",
        "phone": "0612345678", "subject": "Un terrain de sport", "signatures_count": 300,
        "petition_text": "Nous demandons l'inscription d'un terrain de sport à l'ordre du jour du conseil."
    } });
    let (id, _, _) = submit(app, None, commune, petition).await?;
    let sign = "mutation($c: String!, $p: ID!) {
        signPetition(commune: $c, petition: $p, nationalId: \"RA654321\", name: \"Rachid Alami\") { signatures } }";
    data(app, None, sign, json!({ "c": commune, "p": id })).await?;
    let mark = "mutation($c: String!) {
        markPublished(commune: $c, item: \"budget\", location: \"https://commune.example/budget\") { key } }";
    data(app, Some(&staff), mark, json!({ "c": commune })).await?;
    // A body's opinion on a large-project permit before its commission.
    let (id, _, _) = submit(app, None, commune, crate::staff_forms::large_project()).await?;
    data(app, Some(&staff), act, json!({ "c": commune, "id": id, "a": "accept_file", "v": 1 })).await?;
    let opinion = "mutation($c: String!, $id: ID!) {
        giveOpinion(commune: $c, id: $id, body: \"civil_protection\", opinion: FAVOURABLE) { version } }";
    data(app, Some(&staff), opinion, json!({ "c": commune, "id": id })).await?;
    Ok(())
}

/// Every attacker subscribes to Oujda's inbox and requests: each gets an error and nothing of Oujda; a dead
/// token is not let in at all. Returns the number of attacks and what went wrong.
async fn attack_subscriptions(app: &TestApp, victim: &Victim, attackers: &[Attacker]) -> Result<(usize, Vec<String>)> {
    let mut calls = 0;
    let mut failures = Vec::new();
    for attacker in attackers {
        if attacker.dead {
            calls += 1;
            if !GraphqlWs::refused(app, attacker.token.as_deref().unwrap_or("")).await? {
                failures.push(format!("{}: a dead token opens a subscription connection", attacker.label));
            }
            continue;
        }
        let mut socket = GraphqlWs::connect(app, attacker.token.as_deref()).await?;
        let secret =
            if attacker.who == Who::Staff { victim.own_secret.clone() } else { "K7RM2-PX9QD-4HWTA".to_owned() };
        let mut subscriptions = vec![
            ("subscription { inboxChanged(commune: \"oujda\") { trackingCode } }", json!({})),
            ("subscription { inboxChanged { trackingCode } }", json!({})),
        ];
        for f in &victim.filed {
            for commune in [VICTIM, ATTACKER] {
                subscriptions.push((
                    "subscription($c: String, $id: ID!) { requestUpdated(commune: $c, id: $id) { trackingCode state } }",
                    json!({ "c": commune, "id": f.id }),
                ));
            }
            subscriptions.push((
                "subscription($code: String!, $s: String!) { requestUpdated(trackingCode: $code, secret: $s) { state } }",
                json!({ "code": f.code, "s": secret }),
            ));
        }
        for (n, (query, variables)) in subscriptions.into_iter().enumerate() {
            // A staff token's own inbox is legitimately followed: attacked in the suite's last step.
            if attacker.who == Who::Staff && !query.contains("commune: \"oujda\"") && !query.contains("$") {
                continue;
            }
            let id = n.to_string();
            socket.subscribe(&id, query, variables.clone()).await?;
            let answer = socket.next_of(&id).await?;
            calls += 1;
            // Refused, unauthenticated, or asked to name a commune: never an answer, never a marker.
            let judged = [Outcome::Refused, Outcome::Unauthenticated, Outcome::Invalid]
                .map(|expect| judge(&answer["payload"], expect, false, &victim.markers));
            if judged.iter().all(|problems| !problems.is_empty()) {
                let problems = &judged[0];
                failures.push(format!(
                    "{} subscribing {query} {variables}: {}: {answer}",
                    attacker.label,
                    problems.join("; ")
                ));
            }
        }
    }
    Ok((calls, failures))
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL, without the application's filter.

/// Platform tables that name a commune without belonging to one: `api_tokens.tenant_id` is a staff token's
/// commune, and `memberships.tenant_id` a commune a user works in; both are read to authenticate, before any
/// commune is known. Every other table or view with a `tenant_id` column is a commune's, and must keep
/// communes apart by itself.
const PLATFORM_TABLES_NAMING_A_COMMUNE: &[&str] = &["api_tokens", "memberships"];

/// The application's role, scoped to Chefchaouen (or to no commune), queries every tenant table with no
/// filter of its own: it sees, changes and adds nothing of Oujda.
fn row_level_security_alone_keeps_oujda_apart(server: &PgServer, database: &PgDatabase) -> Result<()> {
    let db = &database.name;
    let id_of = |slug: &str| server.psql(db, &format!("SELECT id FROM communes WHERE slug = '{slug}'"));
    let (oujda, chefchaouen) = (id_of(VICTIM)?, id_of(ATTACKER)?);
    ensure!(oujda.len() == 36 && chefchaouen.len() == 36, "{oujda} {chefchaouen}");

    let with_tenant = server.psql(
        db,
        "SELECT DISTINCT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1",
    )?;
    let tables: Vec<&str> = with_tenant.lines().filter(|t| !PLATFORM_TABLES_NAMING_A_COMMUNE.contains(t)).collect();
    ensure!(tables.contains(&"requests") && tables.contains(&"audit_events"), "tenant tables: {tables:?}");
    let list = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");

    let unprotected = server.psql(
        db,
        &format!(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN ({list})
             AND NOT relrowsecurity ORDER BY 1"
        ),
    )?;
    let mut problems: Vec<String> =
        unprotected.lines().map(|t| format!("{t}: has a tenant_id but no row-level security")).collect();
    let owned = server.psql(
        db,
        &format!(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN ({list})
             AND pg_get_userbyid(relowner) = 'jamaa_app' ORDER BY 1"
        ),
    )?;
    problems
        .extend(owned.lines().map(|t| format!("{t}: owned by the application's role, which so bypasses its policy")));
    let bypass = server.psql(db, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'jamaa_app'")?;
    ensure!(bypass == "f", "the application's role bypasses row-level security");
    // Communes onboarded from a template hold its role set by address (m0043): `roles` has the roles a commune
    // defines itself. One each, so that the table is checked like the others.
    for tenant in [&oujda, &chefchaouen] {
        server.psql(
            db,
            &format!(
                "INSERT INTO roles (tenant_id, key, label, permissions)
                 VALUES ('{tenant}', 'market_inspector', '{{\"fr\": \"Inspecteur des marchés\"}}', '[]')"
            ),
        )?;
    }
    // Definitions are shared by every commune that publishes the same one (no tenant_id): a commune could
    // change another's procedures only by changing a row, which the application's role cannot.
    let shared = server.psql(
        db,
        "SELECT has_table_privilege('jamaa_app', 'definitions', 'SELECT'),
                has_table_privilege('jamaa_app', 'definitions', 'UPDATE'),
                has_table_privilege('jamaa_app', 'definitions', 'DELETE')",
    )?;
    ensure!(shared == "t|f|f", "the application's role may read and only read and add definitions: {shared}");

    let as_app = |tenant: Option<&str>, sql: &str| {
        let scope = tenant
            .map(|t| format!("SELECT set_config('jamaa.tenant_id', '{t}', true) \\g /dev/null\n"))
            .unwrap_or_default();
        server.psql_as("jamaa_app", db, &format!("BEGIN;\n{scope}{sql}\nROLLBACK;"))
    };
    for table in &tables {
        let counts = server.psql(
            db,
            &format!(
                "SELECT (SELECT count(*) FROM {table} WHERE tenant_id = '{oujda}'),
                        (SELECT count(*) FROM {table} WHERE tenant_id = '{chefchaouen}'),
                        has_table_privilege('jamaa_app', '{table}', 'UPDATE'),
                        has_table_privilege('jamaa_app', '{table}', 'DELETE')"
            ),
        )?;
        let [oujda_rows, chefchaouen_rows, update, delete] = counts.split('|').collect::<Vec<_>>()[..] else {
            bail!("{table}: {counts}");
        };
        if oujda_rows == "0" || chefchaouen_rows == "0" {
            problems.push(format!(
                "{table}: Oujda has {oujda_rows} rows and Chefchaouen {chefchaouen_rows}: give both some, or the \
                 checks below prove nothing"
            ));
            continue;
        }
        let mut sql = format!(
            "SELECT count(*) FROM {table} WHERE tenant_id = '{oujda}';
             SELECT count(*) FROM {table};
             SELECT count(*) FROM {table} WHERE tenant_id IS DISTINCT FROM '{chefchaouen}';"
        );
        let mut expected = vec!["0", chefchaouen_rows, "0"];
        for (granted, statement) in [
            (update, format!("UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = '{oujda}'")),
            (delete, format!("DELETE FROM {table} WHERE tenant_id = '{oujda}'")),
        ] {
            if granted == "t" {
                sql.push_str(&format!("\nWITH changed AS ({statement} RETURNING 1) SELECT count(*) FROM changed;"));
                expected.push("0");
            } else if as_app(Some(&chefchaouen), &format!("{statement};")).is_ok() {
                problems.push(format!("{table}: the application may run `{statement}` without the privilege"));
            }
        }
        let got = as_app(Some(&chefchaouen), &sql)?;
        if got.lines().collect::<Vec<_>>() != expected {
            problems.push(format!(
                "{table}: scoped to Chefchaouen, the application counts, updates and deletes {:?} rows of Oujda and \
                 its own, {expected:?} expected",
                got.lines().collect::<Vec<_>>()
            ));
        }
        // A copy of one of Chefchaouen's rows, moved to Oujda.
        let insert = format!(
            "INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table},
                 to_jsonb(own) || jsonb_build_object('tenant_id', '{oujda}'))).* FROM {table} own LIMIT 1;"
        );
        match as_app(Some(&chefchaouen), &insert) {
            Ok(_) => problems.push(format!("{table}: scoped to Chefchaouen, the application writes a row of Oujda")),
            Err(error) => {
                let message = format!("{error:#}");
                if !message.contains("row-level security") {
                    problems.push(format!("{table}: the insertion fails for another reason than isolation: {message}"));
                }
            }
        }
        let unscoped = as_app(None, &format!("SELECT count(*) FROM {table};"))?;
        if unscoped != "0" {
            problems.push(format!("{table}: with no commune set, the application sees {unscoped} rows"));
        }
        let after = server.psql(db, &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{oujda}'"))?;
        if after != oujda_rows {
            problems.push(format!("{table}: Oujda had {oujda_rows} rows, it has {after}"));
        }
    }
    ensure!(problems.is_empty(), "row-level security alone does not keep Oujda apart:\n{}", problems.join("\n"));
    Ok(())
}
