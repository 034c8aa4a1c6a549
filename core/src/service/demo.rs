//! The demo: Oujda, set up from the Moroccan standard, replicated to Chefchaouen and, across the border, to
//! Kaédi (Mauritania), each with a few sample files — through the same operations as real communes.
//! Loading it again changes nothing that exists; it issues fresh tokens each time.

use secrecy::SecretString;
use serde_json::json;

use crate::auth::Principal;

use crate::error::Error;
use crate::model::civil_status::{
    ActDetails, ActKind, ActPersons, DateAsKnown, Declarant, Event, NewAct, Parent, PersonName, Sex,
};
use crate::model::commune::{Country, Slug, TrackingPrefix};
use crate::model::courier::{Direction, NewMail};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::request::SubmittedDocument;
use crate::model::standard;
use crate::model::template::{ContentOverrides, TemplateRef};

use super::{CommuneIdentity, Jamaa, NewApiToken, OnboardCommune, OnboardSource, SubmitRequest};

/// The tokens issued for a demo: the operator's, then one staff token per commune (with every role), and
/// Chefchaouen's civil registrar's (that role only).
#[derive(Debug)]
pub struct DemoTokens {
    pub operator: SecretString,
    pub staff: Vec<(String, SecretString)>,
    pub civil_registrar: SecretString,
}

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
fn sample_requests(country: Country) -> Vec<SubmitRequest> {
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
            LocalizedText::ar_fr("وجدة", "Oujda").with(Locale::Tzm, "ⵡⵊⴷⴰ"),
            Some("02.411.01.23"),
            "Oriental",
            Some("Oujda-Angad"),
            Some(506_224),
            "OUJ",
        )?;
        self.onboard_demo(&operator, oujda, OnboardSource::Template(standard), ContentOverrides::default()).await?;
        if self.template(&oujda_template).await.is_err() {
            let description = LocalizedText::ar_fr("إعدادات جماعة وجدة", "La configuration d'Oujda");
            self.export_template(&operator, "oujda", "oujda", Some(1), description).await?;
        }
        let chefchaouen = identity(
            "chefchaouen",
            LocalizedText::ar_fr("شفشاون", "Chefchaouen"),
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
            let roles = self.commune_content(&operator, slug).await?.roles.into_iter().map(|r| r.key).collect();
            let token = self
                .issue_token(NewApiToken::Staff { tenant: commune.id, roles }, &format!("demo staff of {slug}"), None)
                .await?;
            staff.push((slug.to_owned(), token.token));
        }
        let civil_registrar = self.demo_registries(&staff).await?;
        Ok(DemoTokens { operator: operator_token.token, staff, civil_registrar })
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
        for sample in sample_requests(commune.spec.country) {
            self.submit_request(&Principal::Anonymous, &slug, sample).await?;
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
        if self.civil_acts(&principal, "chefchaouen", Default::default(), None, 1).await?.items.is_empty() {
            self.register_civil_act(&principal, "chefchaouen", demo_birth(today)).await?;
        }
        let oujda_staff = staff.iter().find(|(slug, _)| slug == "oujda").map(|(_, token)| token);
        let Some(oujda_staff) = oujda_staff else { return Ok(registrar) };
        let oujda_staff = self.authenticate(oujda_staff).await?;
        if self.mail_items(&oujda_staff, "oujda", Default::default(), None, 1).await?.items.is_empty() {
            for (i, mail) in demo_mail(today).into_iter().enumerate() {
                let item = self.register_mail(&oujda_staff, "oujda", mail).await?;
                if i == 0 {
                    let note = Some("Pour avis technique".to_owned());
                    self.route_mail(&oujda_staff, "oujda", item.record.id, "travaux", note).await?;
                }
            }
        }
        Ok(registrar)
    }
}

/// A birth declared at Chefchaouen's first office.
fn demo_birth(today: chrono::NaiveDate) -> NewAct {
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
        office: "CHF-1".into(),
        details: ActDetails {
            sex: Some(Sex::Female),
            event: Event {
                date: today - chrono::Days::new(3),
                time: chrono::NaiveTime::from_hms_opt(6, 40, 0),
                place: "Hôpital Mohammed V, Chefchaouen".into(),
            },
            subject_birth_date: None,
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
fn demo_mail(today: chrono::NaiveDate) -> Vec<NewMail> {
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
