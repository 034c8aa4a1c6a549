//! The demo: Oujda, set up from the Moroccan standard, replicated to Chefchaouen and, across the border, to
//! Kaédi (Mauritania), each with a few sample files — through the same operations as real communes.
//! A provincial agent logs in with a password and works in Oujda and Chefchaouen, which also have a project of
//! their action plan (published, with a milestone reached and its progress) and a case before a court with a
//! hearing to come. Loading it again changes nothing that exists; it issues fresh tokens and a fresh password
//! each time.

use secrecy::SecretString;
use serde_json::json;

use crate::auth::Principal;

use crate::error::Error;
use crate::model::commune::{Commune, Country, Slug, TrackingPrefix};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::RoleKey;
use crate::model::request::SubmittedDocument;
use crate::model::standard;
use crate::model::template::{ContentOverrides, TemplateRef};
use crate::modules::civil_status::model::{
    ActDetails, ActKind, ActPersons, DateAsKnown, Declarant, Event, NewAct, Parent, PersonName, Sex,
};
use crate::modules::courier::model::{Direction, NewMail};

use super::{CommuneIdentity, Jamaa, NewApiToken, NewUser, OnboardCommune, OnboardSource, SubmitRequest};

/// The tokens issued for a demo: the operator's, then one staff token per commune (with every role),
/// Chefchaouen's civil registrar's (that role only), and the provincial agent's login and password (fresh at
/// each load).
#[derive(Debug)]
pub struct DemoTokens {
    pub operator: SecretString,
    pub staff: Vec<(String, SecretString)>,
    pub agent: DemoLogin,
    pub civil_registrar: SecretString,
    /// One login per role of the standard in Oujda and Chefchaouen (`oujda.counter_agent`), all with
    /// [`DEMO_PASSWORD`].
    pub staff_logins: Vec<DemoStaffLogin>,
}

/// A demo member holding one role in one commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoStaffLogin {
    pub commune: String,
    pub role: RoleKey,
    pub login: String,
}

/// The password of every demo login per role: known, printed and in the README, for trying the back office.
/// A demo database is for demonstrations only.
pub const DEMO_PASSWORD: &str = "jamaa-demo-2026";

/// The citizen's secret of a demo commune's `n`-th sample file (from 1: the legalisation, the complaint, the
/// building permit), e.g. `DEMO-OUJDA-1` for `OUJ-2026-000001`: known and in the README, so that tracking,
/// reopening and rating can be tried. A demo database is for demonstrations only.
pub fn demo_secret(slug: &str, n: usize) -> String {
    format!("DEMO-{}-{n}", slug.to_ascii_uppercase())
}

/// The communes that get a demo login per role.
pub const DEMO_STAFF_COMMUNES: [&str; 2] = ["oujda", "chefchaouen"];

/// A demo user's login and password.
#[derive(Debug)]
pub struct DemoLogin {
    pub login: String,
    pub password: SecretString,
}

/// The demo's provincial agent: counter work in Oujda and Chefchaouen, nothing in Kaédi.
pub const DEMO_AGENT: &str = "agent.provincial";

fn invalid_data(error: impl std::fmt::Display) -> Error {
    Error::internal(format!("the shipped standard does not load: {error}"))
}

fn parse<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, Error> {
    result.map_err(invalid_data)
}

/// Who the demo communes are.
fn identity(
    slug: &str,
    name: LocalizedText,
    code: Option<&str>,
    region: &str,
    province: Option<&str>,
    population: Option<u64>,
    prefix: &str,
) -> Result<CommuneIdentity, Error> {
    Ok(CommuneIdentity {
        slug: parse(Slug::parse(slug))?,
        name,
        official_code: code.map(str::to_owned),
        region: Some(region.to_owned()),
        province: province.map(str::to_owned),
        population,
        tracking_prefix: parse(TrackingPrefix::parse(prefix))?,
    })
}

/// Oujda's configuration adapted to Mauritania: the country's currency, zone, calendar and languages, and
/// none of Morocco's legal references or fees.
fn mauritanian_overrides() -> Result<ContentOverrides, Error> {
    Ok(ContentOverrides {
        country: Some(Country::Mauritania),
        default_locale: Some(Locale::Fr),
        locales: Some(vec![Locale::Ar, Locale::Fr]),
        currency: Some("MRU".into()),
        time_zone: Some("Africa/Nouakchott".into()),
        calendar: Some(parse(standard::mauritanian_calendar())?),
        drop_legal_references: true,
        drop_fees: true,
    })
}

/// A few files in each demo commune's inbox: a legalisation, a complaint and a building permit.
pub(super) fn sample_requests(country: Country) -> Vec<SubmitRequest> {
    let (cin, phone) = match country {
        Country::Mauritania => ("1234567890", "+22222123456"),
        _ => ("AB123456", "0612345678"),
    };
    let pdf = |code: &str, name: &str, size: u64| SubmittedDocument {
        code: code.into(),
        file_name: name.into(),
        media_type: "application/pdf".into(),
        size_bytes: size,
        sha256: None,
    };
    vec![
        SubmitRequest {
            service_code: "legalisation-signature".into(),
            data: json!({
                "signatory_name": "Fatima Zahra El Idrissi",
                "cin": cin,
                "phone": phone,
                "document_title": "Contrat de bail",
                "copies": 2
            }),
            documents: vec![pdf("document_to_sign", "contrat-de-bail.pdf", 182_000)],
        },
        SubmitRequest {
            service_code: "reclamation".into(),
            data: json!({
                "subject": "lighting",
                "description": "Les lampadaires de la rue principale sont éteints depuis deux semaines.",
                "public": true
            }),
            documents: vec![],
        },
        SubmitRequest {
            service_code: "autorisation-construire-petits-projets".into(),
            data: json!({
                "applicant_name": "Youssef Benali",
                "cin": cin,
                "phone": phone,
                "parcel_location": { "address": "Lot 12, quartier Al Qods" },
                "floors": 2,
                "built_surface": 140,
                "project_type": "new_house"
            }),
            documents: vec![
                pdf("architectural_plans", "plans.pdf", 4_200_000),
                pdf("property_title", "certificat-propriete.pdf", 310_000),
                pdf("topographic_plan", "plan-topographique.pdf", 950_000),
            ],
        },
    ]
}

impl Jamaa {
    /// Loads the demo (what is missing of it) and issues demo tokens: Oujda is onboarded from the Moroccan
    /// standard and exported as template `oujda@1`, which Chefchaouen and Kaédi (with Mauritania's
    /// overrides) are onboarded from — replication through the operations an operator uses.
    pub async fn load_demo(&self) -> Result<DemoTokens, Error> {
        self.install_shipped_templates().await?;
        let operator_token = self.issue_token(NewApiToken::Operator, "demo operator", None).await?;
        let operator = self.authenticate(&operator_token.token).await?;
        let standard = TemplateRef::parse("ma-commune@1").map_err(invalid_data)?;
        let oujda_template = TemplateRef::parse("oujda@1").map_err(invalid_data)?;

        let oujda = identity(
            "oujda",
            LocalizedText::ar_fr("وجدة", "Oujda").with(Locale::Tzm, "ⵡⵊⴷⴰ").with(Locale::En, "Oujda"),
            Some("02.411.01.23"),
            "Oriental",
            Some("Oujda-Angad"),
            Some(506_224),
            "OUJ",
        )?;
        self.onboard_demo(&operator, oujda, OnboardSource::Template(standard), ContentOverrides::default()).await?;
        if self.template(&oujda_template).await.is_err() {
            let description = LocalizedText::ar_fr("إعدادات جماعة وجدة", "La configuration d'Oujda");
            self.export_template(&operator, &self.commune("oujda").await?, "oujda", Some(1), description).await?;
        }
        let chefchaouen = identity(
            "chefchaouen",
            LocalizedText::ar_fr("شفشاون", "Chefchaouen").with(Locale::Tzm, "ⵛⴼⵛⴰⵡⵏ").with(Locale::En, "Chefchaouen"),
            Some("01.151.01.01"),
            "Tanger-Tétouan-Al Hoceima",
            Some("Chefchaouen"),
            Some(46_168),
            "CHF",
        )?;
        let from_oujda = OnboardSource::Template(oujda_template);
        self.onboard_demo(&operator, chefchaouen, from_oujda.clone(), ContentOverrides::default()).await?;
        let kaedi = identity("kaedi", LocalizedText::ar_fr("كيهيدي", "Kaédi"), None, "Gorgol", None, None, "KAE")?;
        self.onboard_demo(&operator, kaedi, from_oujda, mauritanian_overrides()?).await?;

        let mut staff = Vec::new();
        for slug in ["oujda", "chefchaouen", "kaedi"] {
            let commune = self.commune(slug).await?;
            let roles = self.commune_content(&operator, &commune).await?.roles.into_iter().map(|r| r.key).collect();
            let token = self
                .issue_token(NewApiToken::Staff { tenant: commune.id, roles }, &format!("demo staff of {slug}"), None)
                .await?;
            let principal = self.authenticate(&token.token).await?;
            self.load_council_demo(&principal, &commune).await?;
            if DEMO_STAFF_COMMUNES.contains(&slug) {
                self.load_plan_and_disputes_demo(&principal, &commune).await?;
            }
            staff.push((slug.to_owned(), token.token));
        }
        let agent = self.demo_agent().await?;
        let civil_registrar = self.demo_registries(&staff).await?;
        let staff_logins = self.demo_staff_logins(&operator).await?;
        Ok(DemoTokens { operator: operator_token.token, staff, agent, civil_registrar, staff_logins })
    }

    /// A member per role of the commune in each of [`DEMO_STAFF_COMMUNES`], with [`DEMO_PASSWORD`]; made once,
    /// their password set back to the demo's at each load.
    async fn demo_staff_logins(&self, operator: &Principal) -> Result<Vec<DemoStaffLogin>, Error> {
        let mut logins = Vec::new();
        // One hash for every login: they share the known password, and each hash takes tens of milliseconds.
        let hashed = super::users::hash_password(&SecretString::from(DEMO_PASSWORD)).await?;
        for slug in DEMO_STAFF_COMMUNES {
            let commune = self.commune(slug).await?;
            let name = commune.spec.name.get(Locale::Fr, &[]).to_owned();
            for role in self.commune_content(operator, &commune).await?.roles {
                let login = format!("{slug}.{}", role.key);
                let password = SecretString::from(DEMO_PASSWORD);
                let label = role.label.get(Locale::Fr, &[]).to_owned();
                let new = NewUser {
                    login: login.clone(),
                    display_name: format!("{label}, {name} (démo)"),
                    password: password.clone(),
                    operator: false,
                };
                match self.create_user_hashed(&Principal::Platform, new, Some(&hashed)).await {
                    Ok(_) => {
                        self.grant_membership(&Principal::Platform, &login, &commune, vec![role.key.clone()]).await?;
                    }
                    Err(Error::Conflict(_)) => {
                        self.set_password_hashed(&Principal::Platform, &login, password, Some(&hashed)).await?;
                    }
                    Err(error) => return Err(error),
                }
                logins.push(DemoStaffLogin { commune: slug.to_owned(), role: role.key, login });
            }
        }
        Ok(logins)
    }

    /// The provincial agent, with a fresh random password, and roles in Oujda and Chefchaouen.
    async fn demo_agent(&self) -> Result<DemoLogin, Error> {
        let mut bytes = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let password = SecretString::from(hex::encode(bytes));
        let new = NewUser {
            login: DEMO_AGENT.to_owned(),
            display_name: "Agent provincial (démo)".to_owned(),
            password: password.clone(),
            operator: false,
        };
        // Its roles are granted once, when it is made: loading the demo again adds no event.
        match self.create_user(&Principal::Platform, new).await {
            Ok(_) => {
                for (slug, roles) in
                    [("oujda", &["counter_agent", "head_of_service"][..]), ("chefchaouen", &["counter_agent"][..])]
                {
                    let roles = roles.iter().map(|r| RoleKey::from(*r)).collect();
                    let commune = self.commune(slug).await?;
                    self.grant_membership(&Principal::Platform, DEMO_AGENT, &commune, roles).await?;
                }
            }
            Err(Error::Conflict(_)) => self.set_password(&Principal::Platform, DEMO_AGENT, password.clone()).await?,
            Err(error) => return Err(error),
        }
        Ok(DemoLogin { login: DEMO_AGENT.to_owned(), password })
    }

    /// Onboards a demo commune unless it exists, with a few sample files.
    async fn onboard_demo(
        &self,
        operator: &Principal,
        identity: CommuneIdentity,
        source: OnboardSource,
        overrides: ContentOverrides,
    ) -> Result<(), Error> {
        let slug = identity.slug.to_string();
        match self.commune(&slug).await {
            Ok(_) => return Ok(()),
            Err(Error::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
        let commune = self.onboard_commune(operator, OnboardCommune { source, identity, overrides }).await?;
        for (i, sample) in sample_requests(commune.spec.country).into_iter().enumerate() {
            let secret = SecretString::from(demo_secret(&slug, i + 1));
            self.submit_with_secret(&Principal::Anonymous, &commune, sample, Vec::new(), None, secret, None).await?;
        }
        Ok(())
    }

    /// Chefchaouen's civil registrar, who registers a birth there, and a few letters in Oujda's courier
    /// registry; unless the registers already hold some.
    async fn demo_registries(&self, staff: &[(String, SecretString)]) -> Result<SecretString, Error> {
        let chefchaouen = self.commune("chefchaouen").await?;
        let registrar = self
            .issue_token(
                NewApiToken::Staff { tenant: chefchaouen.id, roles: vec!["civil_registrar".into()] },
                "demo civil registrar of chefchaouen",
                None,
            )
            .await?
            .token;
        let principal = self.authenticate(&registrar).await?;
        let today = self.now().with_timezone(&chefchaouen.time_zone()).date_naive();
        if self.civil_acts(&principal, &chefchaouen, Default::default(), None, 1).await?.items.is_empty() {
            self.register_civil_act(&principal, &chefchaouen, demo_birth(today)).await?;
        }
        let oujda_staff = staff.iter().find(|(slug, _)| slug == "oujda").map(|(_, token)| token);
        let Some(oujda_staff) = oujda_staff else { return Ok(registrar) };
        let oujda_staff = self.authenticate(oujda_staff).await?;
        let oujda = self.commune("oujda").await?;
        if self.mail_items(&oujda_staff, &oujda, Default::default(), None, 1).await?.items.is_empty() {
            for (i, mail) in demo_mail(today).into_iter().enumerate() {
                let item = self.register_mail(&oujda_staff, &oujda, mail).await?;
                if i == 0 {
                    let note = Some("Pour avis technique".to_owned());
                    self.route_mail(&oujda_staff, &oujda, item.record.id, "travaux", note).await?;
                }
            }
        }
        Ok(registrar)
    }
}

/// A birth declared at Chefchaouen's first office.
fn demo_birth(today: chrono::NaiveDate) -> NewAct {
    birth_at(today, "CHF-1")
}

/// A fictitious birth declared at `office`.
pub(super) fn birth_at(today: chrono::NaiveDate, office: &str) -> NewAct {
    let name = |given_ar: &str, family_ar: &str, given: &str, family: &str| PersonName {
        given_ar: given_ar.into(),
        family_ar: family_ar.into(),
        given_latin: given.into(),
        family_latin: family.into(),
    };
    let parent = |name: PersonName, year: &str| Parent {
        name,
        nationality: Some("marocaine".into()),
        birth_date: DateAsKnown::parse(year).ok(),
        birth_place: Some("Chefchaouen".into()),
        national_id: None,
    };
    let father = name("عمر", "العلمي", "Omar", "El Alami");
    NewAct {
        kind: ActKind::Birth,
        office: office.into(),
        details: ActDetails {
            sex: Some(Sex::Female),
            event: Event {
                date: today - chrono::Days::new(3),
                time: chrono::NaiveTime::from_hms_opt(6, 40, 0),
                place: "Hôpital Mohammed V, Chefchaouen".into(),
            },
            subject_birth_date: None,
            judgment_reference: None,
        },
        persons: ActPersons {
            subject: name("ياسمين", "العلمي", "Yasmine", "El Alami"),
            subject_national_id: None,
            father: Some(parent(father.clone(), "1990")),
            mother: Some(parent(name("سلمى", "الريفي", "Salma", "Rifi"), "1993")),
            declarant: Declarant { name: father, relation: "father".into(), national_id: None },
        },
    }
}

/// Letters in and out of Oujda's town hall.
pub(super) fn demo_mail(today: chrono::NaiveDate) -> Vec<NewMail> {
    let days = |n: u64| today - chrono::Days::new(n);
    let mail = |direction, correspondent: &str, subject: &str, date, department: &str, due_on| NewMail {
        direction,
        correspondent: correspondent.into(),
        subject: subject.into(),
        date,
        department: department.into(),
        due_on,
        request_code: None,
        deliberation: None,
    };
    vec![
        mail(
            Direction::Incoming,
            "Agence de l'Oriental",
            "Demande d'avis sur le plan d'aménagement du quartier Lazaret",
            days(20),
            "urbanisme",
            Some(days(5)),
        ),
        mail(
            Direction::Incoming,
            "Association des commerçants du marché couvert",
            "Réfection de la toiture du marché couvert",
            days(2),
            "travaux",
            Some(today + chrono::Days::new(28)),
        ),
        mail(
            Direction::Outgoing,
            "Wilaya de la région de l'Oriental",
            "Transmission du budget de l'exercice",
            days(1),
            "finances",
            None,
        ),
    ]
}

/// The demo's budget files: illustrative figures (the files say so).
const DEMO_BUDGETS: &[(i32, &str)] = &[
    (2024, include_str!("../../data/demo/oujda-budget-2024.csv")),
    (2025, include_str!("../../data/demo/oujda-budget-2025.csv")),
];

impl Jamaa {
    /// A demo commune's council (members, a February session with three deliberations, published) and its
    /// budget, imported from the demo's files; once, when the commune has no council yet.
    async fn load_council_demo(&self, staff: &Principal, commune: &Commune) -> Result<(), Error> {
        use super::{NewCouncilMember, NewDeliberation, NewSession};
        use crate::modules::council::model::{CouncilRole, SessionKind, VoteChoice};

        if !self.council_members(commune).await?.is_empty() {
            return Ok(());
        }
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid_data("a demo date"));
        let members = [
            ("عبد الله الوجدي", "Abdellah El Oujdi", "Liste A", CouncilRole::President),
            ("سعاد بنعلي", "Souad Benali", "Liste A", CouncilRole::VicePresident),
            ("محمد الزياني", "Mohammed Ziani", "Liste B", CouncilRole::VicePresident),
            ("نادية العمراني", "Nadia El Amrani", "Liste A", CouncilRole::Secretary),
            ("يوسف القاسمي", "Youssef El Kasmi", "Liste C", CouncilRole::Member),
            ("خديجة المرابط", "Khadija El Mrabet", "Liste B", CouncilRole::Member),
            ("رشيد بوزيان", "Rachid Bouziane", "Liste C", CouncilRole::Member),
        ];
        let mut ids = Vec::new();
        for (name_ar, name_latin, party, role) in members {
            let member = NewCouncilMember {
                name_ar: name_ar.into(),
                name_latin: name_latin.into(),
                party: party.into(),
                role,
                // The mandate of the councils elected in September 2021 (illustrative end date).
                mandate_start: date(2021, 9, 20)?,
                mandate_end: Some(date(2027, 9, 30)?),
            };
            ids.push(self.add_council_member(staff, commune, member).await?.id);
        }
        let session = NewSession {
            kind: SessionKind::Ordinary,
            starts_on: date(2026, 2, 2)?,
            title_ar: "الدورة العادية لشهر فبراير 2026".into(),
            title_fr: "Session ordinaire de février 2026".into(),
        };
        let session = self.schedule_council_session(staff, commune, session).await?;
        let items = [
            (
                "برمجة فائض الميزانية",
                "Programmation de l'excédent budgétaire",
                "صادق المجلس على برمجة فائض ميزانية 2025 لتهيئة الطرق.",
                "Le conseil approuve la programmation de l'excédent de 2025 pour l'aménagement de la voirie.",
                [
                    VoteChoice::For,
                    VoteChoice::For,
                    VoteChoice::For,
                    VoteChoice::For,
                    VoteChoice::Against,
                    VoteChoice::For,
                    VoteChoice::Abstain,
                ],
            ),
            (
                "اتفاقية شراكة لتدبير ملاعب القرب",
                "Convention de partenariat pour la gestion des terrains de proximité",
                "صادق المجلس على اتفاقية الشراكة مع جمعيات الأحياء.",
                "Le conseil approuve la convention de partenariat avec les associations de quartier.",
                [
                    VoteChoice::For,
                    VoteChoice::For,
                    VoteChoice::Against,
                    VoteChoice::For,
                    VoteChoice::For,
                    VoteChoice::Absent,
                    VoteChoice::For,
                ],
            ),
            (
                "تعديل القرار الجبائي",
                "Modification de l'arrêté fiscal",
                "رفض المجلس رفع سعر الرسم على الأراضي الحضرية غير المبنية.",
                "Le conseil rejette la hausse du taux de la taxe sur les terrains urbains non bâtis.",
                [
                    VoteChoice::For,
                    VoteChoice::Against,
                    VoteChoice::Against,
                    VoteChoice::For,
                    VoteChoice::Against,
                    VoteChoice::Against,
                    VoteChoice::Abstain,
                ],
            ),
        ];
        for (title_ar, title_fr, text_ar, text_fr, votes) in items {
            let item = super::NewAgendaItem {
                session: session.id,
                title_ar: title_ar.into(),
                title_fr: title_fr.into(),
                request: None,
            };
            let with_item = self.add_agenda_item(staff, commune, item).await?;
            let item = with_item.agenda.last().map(|i| i.id);
            let deliberation = NewDeliberation {
                session: session.id,
                agenda_item: item,
                text_ar: text_ar.into(),
                text_fr: text_fr.into(),
                votes: ids.iter().copied().zip(votes).collect(),
            };
            self.record_deliberation(staff, commune, deliberation).await?;
        }
        self.publish_council_decisions(staff, commune, session.id).await?;
        for (year, file) in DEMO_BUDGETS {
            self.import_budget(staff, commune, *year, file).await?;
        }
        Ok(())
    }
}

impl Jamaa {
    /// A project of the commune's action plan (published, one of its budget's lines, a milestone reached, its
    /// progress) and a case before the administrative court with a hearing in four months; each once, when the
    /// commune has none yet. Illustrative: no real project, party or case.
    async fn load_plan_and_disputes_demo(&self, staff: &Principal, commune: &Commune) -> Result<(), Error> {
        use crate::modules::disputes::model::{CaseInput, HearingInput, Party, Position};
        use crate::modules::projects::model::{
            BudgetLink, Location, MilestoneInput, ProgressInput, ProjectInput, ProjectStatus,
        };

        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid_data("a demo date"));
        let locales = crate::modules::projects::service::commune_locales(commune);
        // A text in the commune's languages only.
        let text = |ar: &str, fr: &str, en: &str, tzm: &str| {
            [(Locale::Ar, ar), (Locale::Fr, fr), (Locale::En, en), (Locale::Tzm, tzm)]
                .into_iter()
                .filter(|(locale, _)| locales.contains(locale))
                .fold(LocalizedText::new(), |all, (locale, text)| all.with(locale, text))
        };
        if self.projects(staff, commune, None, 1).await?.items.is_empty() {
            let project = ProjectInput {
                code: "PAC-2022-01".into(),
                title: text(
                    "توسيع شبكة الإنارة العمومية بالأحياء الطرفية",
                    "Extension de l'éclairage public des quartiers périphériques",
                    "Street lighting for the outer neighbourhoods",
                    "ⴰⵙⵏⴼⵍⵓⵍ ⵏ ⵜⴼⴰⵡⵜ ⵜⴰⴳⴷⵓⴷⴰⵏⵜ ⴳ ⵉⴳⵔⴰⵡⵏ ⵏ ⵜⵎⴰⵏⴰⵡⵉⵏ",
                ),
                description: text(
                    "تركيب 600 نقطة ضوئية اقتصادية في الطاقة",
                    "Pose de 600 points lumineux économes en énergie",
                    "600 energy-saving street lights installed",
                    "ⴰⵙⵔⵙ ⵏ 600 ⵏ ⵜⵏⵇⵇⵉⴹⵉⵏ ⵏ ⵜⴼⴰⵡⵜ",
                ),
                category: "lighting".into(),
                period_from: 2022,
                period_to: 2027,
                status: ProjectStatus::Planned,
                starts_on: Some(date(2025, 3, 1)?),
                ends_on: Some(date(2027, 6, 30)?),
                location: Location { place: "Quartiers périphériques".into(), latitude: None, longitude: None },
                // The demo budget's line "Extension du réseau d'éclairage public" (data/demo/oujda-budget-2025.csv).
                budget_lines: vec![BudgetLink {
                    year: 2025,
                    chapter: "20".into(),
                    article: "30".into(),
                    paragraph: "1".into(),
                    planned: 450_000_000,
                }],
                published: true,
            };
            let project = self.create_project(staff, commune, project).await?.project.id;
            let milestone = MilestoneInput {
                title: text("إسناد الصفقة", "Marché attribué", "Contract awarded", "ⴰⴼⵔⴰⵏ ⵏ ⵓⵎⵙⴰⵙⴰ"),
                due_on: date(2025, 6, 30)?,
                done_on: Some(date(2025, 6, 12)?),
            };
            self.save_milestone(staff, commune, Some(project), None, milestone).await?;
            let progress = ProgressInput {
                on: date(2025, 11, 3)?,
                progress: 30,
                note: text(
                    "تم تركيب 180 نقطة ضوئية",
                    "180 points lumineux posés",
                    "180 street lights installed",
                    "180 ⵏ ⵜⵏⵇⵇⵉⴹⵉⵏ ⵜⵜⵓⵙⵔⵙⵏⵜ",
                ),
                status: None,
            };
            self.record_progress(staff, commune, project, progress).await?;
        }
        if self.cases(staff, commune, None, 1).await?.items.is_empty() {
            let today = self.now().with_timezone(&commune.time_zone()).date_naive();
            let days =
                |n: i64| today.checked_add_signed(chrono::Duration::days(n)).ok_or_else(|| invalid_data("a day"));
            // The administrative court of the commune's region.
            let court_city = if commune.spec.slug.as_str() == "oujda" { "Oujda" } else { "Rabat" };
            let case = CaseInput {
                case_type: "administrative".into(),
                subject: "Recours contre le refus d'un permis de construire".into(),
                court_name: "Tribunal administratif".into(),
                court_city: court_city.into(),
                position: Position::Defendant,
                parties: vec![Party { name: "Société immobilière Al Wifaq (démo)".into(), address: None }],
                lawyer_name: Some("Maître Benkirane (démo)".into()),
                lawyer_bar: None,
                stakes_centimes: 8_500_000,
                request_code: None,
                opened_on: days(-40)?,
            };
            let case = self.open_case(staff, commune, case).await?.case.id;
            // Four months on: beyond the clocks the tests move the scheduler to.
            let local = days(120)?.and_hms_opt(10, 0, 0).ok_or_else(|| invalid_data("a demo time"))?;
            let scheduled_at = chrono::TimeZone::from_local_datetime(&commune.time_zone(), &local)
                .earliest()
                .map_or_else(|| local.and_utc(), |t| t.with_timezone(&chrono::Utc));
            let hearing = HearingInput { scheduled_at, room: Some("Salle 1".into()), object: "Mise en état".into() };
            self.set_hearing(staff, commune, case, hearing).await?;
        }
        Ok(())
    }
}
