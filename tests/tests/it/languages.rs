//! Every official language over real HTTP, on both backends: the catalog of a Moroccan commune answers in
//! Tamazight (Tifinagh) and in English for every procedure it offers, each answer saying the language it
//! carries, and the messages of a refused submission speak the language asked for.

use anyhow::{Context, Result};
use jamaa_tests::app::{Backend, TestApp};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(the_catalog_speaks_tamazight_and_english, refusals_speak_every_language);

const SERVICES: &str = r#"query($l: String) {
  services(commune: "oujda", locale: $l, first: 100) {
    totalCount
    nodes {
      code name description locale silenceMeans channels
      fields { label options { label } }
      documents { label }
      states { label }
    }
  }
}"#;

fn tifinagh(s: &str) -> bool {
    s.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c))
}

fn arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn latin_letters(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
}

/// Every text a citizen reads of one service: its name, description, what silence means, its fields and
/// their options, its documents and its states.
fn texts(service: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut push = |place: String, value: &Value| {
        if let Some(text) = value.as_str() {
            found.push((place, text.to_owned()));
        }
    };
    for key in ["name", "description", "silenceMeans"] {
        push(key.to_owned(), &service[key]);
    }
    for (list, key) in [("fields", "label"), ("documents", "label"), ("states", "label")] {
        for (i, item) in service[list].as_array().into_iter().flatten().enumerate() {
            push(format!("{list}[{i}].{key}"), &item[key]);
            for (j, option) in item["options"].as_array().into_iter().flatten().enumerate() {
                push(format!("{list}[{i}].options[{j}].label"), &option["label"]);
            }
        }
    }
    found
}

async fn the_catalog_speaks_tamazight_and_english(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let read = |locale: &'static str| {
        let app = &app;
        async move {
            let data = app.data(None, SERVICES, json!({ "l": locale })).await?;
            let services = data["services"]["nodes"].as_array().cloned().context("services")?;
            assert_eq!(data["services"]["totalCount"], json!(services.len()));
            anyhow::Ok(services)
        }
    };
    let (tzm, en, fr) = (read("tzm").await?, read("en").await?, read("fr").await?);
    assert_eq!(tzm.len(), 24, "Oujda offers the standard's 24 procedures");
    assert_eq!(en.len(), 24);

    for service in &tzm {
        let code = service["code"].as_str().unwrap_or_default();
        assert_eq!(service["locale"], "tzm", "{code} fell back to another language");
        // Channels are an enum, the same in every language.
        let channels = service["channels"].as_array().cloned().unwrap_or_default();
        assert!(
            !channels.is_empty() && channels.iter().all(|c| c == "ONLINE" || c == "COUNTER"),
            "{code}: {channels:?}"
        );
        for (place, text) in texts(service) {
            assert!(tifinagh(&text), "{code} {place} is not in Tifinagh: “{text}”");
            assert!(!arabic(&text), "{code} {place} has Arabic letters: “{text}”");
        }
    }
    for (service, french) in en.iter().zip(&fr) {
        let code = service["code"].as_str().unwrap_or_default();
        assert_eq!(service["code"], french["code"], "one order in every language");
        assert_eq!(service["locale"], "en", "{code} fell back to another language");
        assert_ne!(service["name"], french["name"], "{code}: the English name is the French one");
        assert_ne!(service["description"], french["description"], "{code}: the description is the French one");
        for (place, text) in texts(service) {
            assert!(latin_letters(&text), "{code} {place}: “{text}”");
            assert!(!tifinagh(&text) && !arabic(&text), "{code} {place} is not in English: “{text}”");
        }
    }
    app.stop().await
}

async fn refusals_speak_every_language(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let submit = r#"mutation($l: String) {
      submitRequest(commune: "oujda", locale: $l, input: {
        serviceCode: "legalisation-signature",
        data: { signatory_name: "Fatima Zahra El Idrissi", cin: "123", phone: "0612345678", copies: 2 }
      }) { secret }
    }"#;
    let mut seen = Vec::new();
    for (locale, script) in
        [("ar", arabic as fn(&str) -> bool), ("tzm", tifinagh), ("fr", latin_letters), ("en", latin_letters)]
    {
        let body = app.graphql(None, submit, json!({ "l": locale })).await?;
        assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{body}");
        let fields = body["errors"][0]["extensions"]["fields"].as_array().cloned().context("fields")?;
        let messages: Vec<String> = fields.iter().filter_map(|f| f["message"].as_str().map(str::to_owned)).collect();
        assert!(fields.len() >= 2 && messages.len() == fields.len(), "{body}");
        for message in &messages {
            assert!(script(message), "{locale}: “{message}”");
        }
        seen.push(messages);
    }
    // Four languages, four different texts.
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert_ne!(a, b);
        }
    }
    app.stop().await
}
