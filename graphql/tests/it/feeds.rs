//! The open formats: Open311 (GeoReport v2) answers in JSON and XML, and the open data's CSV cells.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on the first broken step")]

/// `open311`: XML and JSON answers.
mod open311 {
    use axum::http::StatusCode;
    use jamaa_graphql::open311::{ErrorOut, Format, SubmittedOut, errors, split_file};
    use serde_json::Value;

    #[tokio::test]
    async fn text_with_characters_xml_forbids_still_makes_a_well_formed_document() {
        let list =
            [ErrorOut { code: 400, description: "vertical\u{0B}tab, escape\u{1B}[31m, nul\u{0}, \u{FFFE}".into() }];
        let response = errors(Format::Xml, StatusCode::BAD_REQUEST, &list.map(|e| (e.code, e.description)));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let text = std::str::from_utf8(&body).unwrap();
        // An XML 1.0 parser reads it to the end; the forbidden characters became U+FFFD.
        let mut reader = quick_xml::Reader::from_str(text);
        let mut description = String::new();
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Text(t) => description.push_str(&t.into_inner()),
                _ => {}
            }
        }
        assert!(description.contains("vertical\u{FFFD}tab, escape\u{FFFD}[31m, nul\u{FFFD}, \u{FFFD}"), "{text}");
        assert!(!text.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}')));
    }

    #[test]
    fn lists_in_xml_repeat_their_item_under_the_root() {
        let list =
            [ErrorOut { code: 400, description: "a & b".into() }, ErrorOut { code: 403, description: "c".into() }];
        let mut wrapper = std::collections::BTreeMap::new();
        wrapper.insert("error", &list);
        let xml = quick_xml::se::to_string_with_root("errors", &wrapper).unwrap();
        assert_eq!(
            xml,
            "<errors><error><code>400</code><description>a &amp; b</description></error>\
             <error><code>403</code><description>c</description></error></errors>"
        );
    }

    #[test]
    fn absent_values_are_empty_elements_in_xml_and_null_in_json() {
        let out = SubmittedOut {
            service_request_id: "OUJ-2026-000001".into(),
            token: "t".into(),
            service_notice: "n".into(),
            account_id: None,
        };
        let xml = quick_xml::se::to_string_with_root("request", &out).unwrap();
        assert!(xml.contains("<service_request_id>OUJ-2026-000001</service_request_id>"), "{xml}");
        assert!(!xml.contains("None"), "{xml}");
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json["account_id"], Value::Null);
    }

    #[test]
    fn files_name_their_format() {
        assert_eq!(split_file("services.json"), ("services", Some(Format::Json)));
        assert_eq!(split_file("OUJ-2026-000001.xml"), ("OUJ-2026-000001", Some(Format::Xml)));
        assert_eq!(split_file("services.csv"), ("services", None));
        assert_eq!(split_file("services"), ("services", None));
    }
}

/// `opendata`: CSV cells.
mod open_data {
    use jamaa_graphql::opendata::neutralize;

    #[test]
    fn formulas_are_shown_as_text_and_numbers_stay_numbers() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1+2", "-1+cmd", "@SUM(A1)", "\tx", "\rx", "-", "=1"] {
            assert_eq!(neutralize(formula), format!("'{formula}"), "{formula}");
        }
        for plain in ["-12.50", "1250000.50", "+3", "Voirie", "", "a=b"] {
            assert_eq!(neutralize(plain), plain);
        }
    }
}
