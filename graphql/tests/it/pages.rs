//! The server's own pages: their messages in every language, the fonts they serve, and the receipt's page.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on the first broken step")]

/// `pages::i18n`: the Fluent messages.
mod messages {
    use jamaa_core::model::i18n::Locale;
    use jamaa_graphql::pages::i18n::{BUNDLES, SOURCES, message};
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_language_has_every_message_and_parses() {
        let french = ids(SOURCES[1].1);
        assert!(french.len() > 30);
        for (locale, source) in SOURCES {
            assert_eq!(ids(source), french, "{locale}.ftl");
        }
        for (locale, _, errors) in BUNDLES.iter() {
            assert!(errors.is_empty(), "{locale}: {errors:?}");
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let count = |locale, n: usize| message(locale, "documents-count", Some(&[("count", n.into())]));
        assert_eq!(count(Locale::Ar, 0), "لم تودع أي وثيقة.");
        assert_eq!(count(Locale::Ar, 1), "وثيقة واحدة مودعة:");
        assert_eq!(count(Locale::Ar, 2), "وثيقتان مودعتان:");
        assert_eq!(count(Locale::Ar, 3), "3 وثائق مودعة:");
        assert_eq!(count(Locale::Ar, 11), "11 وثيقة مودعة:");
        assert_eq!(count(Locale::Ar, 100), "100 وثيقة مودعة:");
        assert_eq!(count(Locale::Fr, 1), "Une pièce déposée :");
        assert_eq!(count(Locale::Fr, 4), "4 pièces déposées :");
        assert_eq!(count(Locale::En, 1), "One document filed:");
        assert_eq!(count(Locale::Tzm, 2), "2 ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵙⵔⵙⵏ:");
        assert_eq!(message(Locale::Tzm, "receipt-title", None), "ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ");
        assert_eq!(message(Locale::Es, "no-such-message", None), "no-such-message");
    }
}

/// `pages::fonts`: the fonts served.
mod fonts {
    use jamaa_graphql::pages::fonts::{FONTS, LICENCES};

    #[test]
    fn the_fonts_are_woff2_with_their_licences() {
        for (name, bytes) in FONTS {
            assert_eq!(&bytes[..4], b"wOF2", "{name}");
        }
        for (name, text) in LICENCES {
            assert!(text.contains("SIL Open Font License"), "{name}");
        }
    }
}

/// `pages::receipts`: the language, the form and the address of a receipt's page.
mod receipts {
    use axum::http::HeaderMap;
    use axum::http::header;
    use jamaa_core::model::i18n::Locale;
    use jamaa_graphql::pages::receipts::{format_amount, page_address, secret_page};
    use jamaa_graphql::pages::{PageLang, qr_svg};

    #[test]
    fn the_language_comes_from_the_query_then_the_header_then_the_commune() {
        let mut headers = HeaderMap::new();
        assert_eq!(PageLang::pick(None, &headers, None).locale(), Locale::Fr);
        headers.insert(header::ACCEPT_LANGUAGE, "ar-MA,ar;q=0.9".parse().unwrap());
        assert_eq!(PageLang::pick(None, &headers, None).locale(), Locale::Ar);
        assert_eq!(PageLang::pick(Some("fr"), &headers, None).locale(), Locale::Fr);
        assert_eq!(PageLang::pick(Some("tzm"), &headers, None).locale(), Locale::Tzm);
        assert_eq!(PageLang::pick(Some("xx"), &headers, None).locale(), Locale::Ar);
        headers.insert(header::ACCEPT_LANGUAGE, "en".parse().unwrap());
        assert_eq!(PageLang::pick(None, &headers, None).locale(), Locale::En);
        headers.insert(header::ACCEPT_LANGUAGE, "de".parse().unwrap());
        assert_eq!(PageLang::pick(None, &headers, None).locale(), Locale::Fr);
    }

    #[test]
    fn the_form_escapes_the_code_and_the_qr_code_is_svg() {
        let lang = PageLang::pick(Some("ar"), &HeaderMap::new(), None);
        let page = secret_page(lang, &Locale::ALL, None, "<script>alert(1)</script>", true).into_string();
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
        assert!(page.contains(r#"dir="rtl""#) && page.contains(r#"method="post""#));
        assert!(page.contains(r#"href="?lang=tzm""#) && page.contains("ⵜⴰⵎⴰⵣⵉⵖⵜ"));
        let tamazight = PageLang::pick(Some("tzm"), &HeaderMap::new(), None);
        let page = secret_page(tamazight, &Locale::ALL, None, "OUJ-2026-000001", false).into_string();
        assert!(page.contains(r#"lang="tzm" dir="ltr""#) && page.contains("ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ"));
        let svg = qr_svg("https://oujda.example/receipts/OUJ-2026-000042?lang=fr").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert_eq!(format_amount(200, Locale::Fr), "2,00");
        assert_eq!(format_amount(-1505, Locale::En), "-15.05");
    }

    #[test]
    fn the_address_only_takes_a_plain_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "oujda.example:8080".parse().unwrap());
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            page_address(&headers, "OUJ-2026-000042", PageLang::pick(Some("ar"), &HeaderMap::new(), None)),
            "https://oujda.example:8080/receipts/OUJ-2026-000042?lang=ar"
        );
        headers.insert(header::HOST, "evil.example/\"><x".parse().unwrap());
        headers.remove("x-forwarded-proto");
        assert_eq!(
            page_address(&headers, "X", PageLang::pick(Some("fr"), &HeaderMap::new(), None)),
            "http://localhost/receipts/X?lang=fr"
        );
    }
}
