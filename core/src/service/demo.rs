//! The demo: Oujda, Chefchaouen (Morocco) and Kaédi (Mauritania), each with the Moroccan standard's roles and
//! procedures (Kaédi's adapted to Mauritania) and a few sample files, created through the same use cases as real
//! communes.
//! Loading it again changes nothing that exists; it issues fresh tokens each time.

use secrecy::SecretString;
use serde_json::json;

use crate::auth::Principal;

use crate::error::Error;
use crate::model::catalog::ServiceDefinition;
use crate::model::commune::{CommuneSpec, Country, Slug, TrackingPrefix};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::request::SubmittedDocument;
use crate::model::standard;

use super::{Jamaa, NewApiToken, SubmitRequest};

/// The tokens issued for a demo: the operator's, then one staff token per commune (with every role).
#[derive(Debug)]
pub struct DemoTokens {
    pub operator: SecretString,
    pub staff: Vec<(String, SecretString)>,
}

fn invalid_data(error: impl std::fmt::Display) -> Error {
    Error::internal(format!("the shipped standard does not load: {error}"))
}

fn parse<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, Error> {
    result.map_err(invalid_data)
}

/// The three demo communes.
pub fn demo_communes() -> Result<Vec<CommuneSpec>, Error> {
    let moroccan = parse(standard::moroccan_calendar())?;
    let mauritanian = parse(standard::mauritanian_calendar())?;
    Ok(vec![
        CommuneSpec {
            slug: parse(Slug::parse("oujda"))?,
            name: LocalizedText::ar_fr("وجدة", "Oujda").with(Locale::Tzm, "ⵡⵊⴷⴰ"),
            country: Country::Morocco,
            official_code: Some("02.411.01.23".into()),
            region: Some("Oriental".into()),
            province: Some("Oujda-Angad".into()),
            population: Some(506_224),
            default_locale: Locale::Ar,
            locales: vec![Locale::Ar, Locale::Fr],
            time_zone: "Africa/Casablanca".into(),
            currency: "MAD".into(),
            tracking_prefix: parse(TrackingPrefix::parse("OUJ"))?,
            calendar: moroccan.clone(),
        },
        CommuneSpec {
            slug: parse(Slug::parse("chefchaouen"))?,
            name: LocalizedText::ar_fr("شفشاون", "Chefchaouen"),
            country: Country::Morocco,
            official_code: Some("01.151.01.01".into()),
            region: Some("Tanger-Tétouan-Al Hoceima".into()),
            province: Some("Chefchaouen".into()),
            population: Some(46_168),
            default_locale: Locale::Ar,
            locales: vec![Locale::Ar, Locale::Fr],
            time_zone: "Africa/Casablanca".into(),
            currency: "MAD".into(),
            tracking_prefix: parse(TrackingPrefix::parse("CHF"))?,
            calendar: moroccan,
        },
        CommuneSpec {
            slug: parse(Slug::parse("kaedi"))?,
            name: LocalizedText::ar_fr("كيهيدي", "Kaédi"),
            country: Country::Mauritania,
            official_code: None,
            region: Some("Gorgol".into()),
            province: None,
            population: None,
            default_locale: Locale::Fr,
            locales: vec![Locale::Ar, Locale::Fr],
            time_zone: "Africa/Nouakchott".into(),
            currency: "MRU".into(),
            tracking_prefix: parse(TrackingPrefix::parse("KAE"))?,
            calendar: mauritanian,
        },
    ])
}

/// A Moroccan procedure adapted to another country: no Moroccan legal references, and fees left for the
/// commune to set in its own currency.
fn adapt(mut service: ServiceDefinition, country: Country) -> ServiceDefinition {
    if country != Country::Morocco {
        service.legal_references.clear();
        service.fees.clear();
    }
    service
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
    /// Loads the demo communes (those missing) with their roles and procedures, and issues demo tokens.
    pub async fn load_demo(&self) -> Result<DemoTokens, Error> {
        let operator_token = self.issue_token(NewApiToken::Operator, "demo operator", None).await?;
        let operator = self.authenticate(&operator_token.token).await?;
        let roles = parse(standard::moroccan_roles())?;
        let services = parse(standard::moroccan_services())?;
        let mut staff = Vec::new();
        for spec in demo_communes()? {
            let slug = spec.slug.to_string();
            let country = spec.country;
            let commune = match self.commune(&slug).await {
                Ok(commune) => commune,
                Err(Error::NotFound(_)) => {
                    let commune = self.create_commune(&operator, spec, &roles).await?;
                    for service in &services {
                        self.publish_service(&operator, &slug, adapt(service.clone(), country)).await?;
                    }
                    for sample in sample_requests(country) {
                        self.submit_request(&Principal::Anonymous, &slug, sample).await?;
                    }
                    commune
                }
                Err(error) => return Err(error),
            };
            let token = self
                .issue_token(
                    NewApiToken::Staff { tenant: commune.id, roles: roles.iter().map(|r| r.key.clone()).collect() },
                    &format!("demo staff of {slug}"),
                    None,
                )
                .await?;
            staff.push((slug, token.token));
        }
        Ok(DemoTokens { operator: operator_token.token, staff })
    }
}
