//! The HTTP edge: slow clients, per-client limits and forwarded addresses, GraphQL over GET and its formats,
//! outbound addresses, downloads' file names, multipart submissions, and the metrics' areas.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on the first broken step")]

/// `connections`: a body behind its minimum rate.
mod slow_bodies {
    use std::time::Duration;

    use axum::body::Bytes;
    use futures_util::StreamExt as _;
    use http_body_util::BodyExt as _;
    use hyper::body::Frame;
    use jamaa_graphql::connections::{MinRate, SlowClients, TooSlow};
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn a_body_behind_its_minimum_rate_fails_after_the_grace() {
        let slow = SlowClients {
            header_timeout: Duration::from_secs(1),
            body_grace: Duration::from_secs(2),
            body_min_bytes_per_second: 100,
        };
        // A byte a second: the grace and the 1 byte's hundredth of a second are spent after 3 bytes.
        let trickle = futures_util::stream::unfold(0u8, |n| async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            Some((Ok::<_, std::io::Error>(Frame::data(Bytes::from(vec![n]))), n.wrapping_add(1)))
        });
        let started = Instant::now();
        let body = MinRate::new(http_body_util::StreamBody::new(Box::pin(trickle)), slow);
        let error = body.collect().await.err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some(TooSlow.to_string().as_str()));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_secs(2) && waited < Duration::from_secs(3), "{waited:?}");

        // A body that keeps up is read whole, however long it takes.
        let steady = futures_util::stream::iter(0..50).then(|_| async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok::<_, std::io::Error>(Frame::data(Bytes::from(vec![0; 150])))
        });
        let body = MinRate::new(http_body_util::StreamBody::new(Box::pin(steady)), slow);
        assert_eq!(body.collect().await.map(|b| b.to_bytes().len()).ok(), Some(50 * 150));
    }
}

/// `limits`: trusted proxies and failed logins.
mod client_limits {
    use std::net::IpAddr;

    use axum::http::{HeaderMap, HeaderValue};
    use jamaa_graphql::limits::{EdgeLimits, FREE_LOGIN_FAILURES, LoginBackoff};

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(forwarded).unwrap());
        headers
    }

    #[test]
    fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
        let limits = EdgeLimits::new(0, vec!["10.0.0.0/8".parse().unwrap()]);
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        // From a stranger, the header is ignored.
        assert_eq!(limits.client_address(stranger, &headers("198.51.100.1")), stranger);
        // From the proxy, the last hop that is not a proxy; the client's own claims before it do not count.
        let through = headers("1.1.1.1, 198.51.100.7, 10.9.9.9");
        assert_eq!(limits.client_address(proxy, &through), "198.51.100.7".parse::<IpAddr>().unwrap());
        assert_eq!(limits.client_address(proxy, &HeaderMap::new()), proxy);
        assert_eq!(limits.client_address(proxy, &headers("garbage, 10.0.0.1")), proxy);
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(limits.client_address(mapped, &headers("198.51.100.8")), "198.51.100.8".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn failed_logins_delay_the_account_from_that_address_only() {
        let backoff = LoginBackoff::default();
        let attacker: IpAddr = "203.0.113.9".parse().unwrap();
        let owner: IpAddr = "198.51.100.1".parse().unwrap();
        for _ in 0..FREE_LOGIN_FAILURES {
            assert_eq!(backoff.wait("Amina", attacker), None);
            backoff.failed("amina", attacker);
        }
        assert!(backoff.wait("amina ", attacker).is_some());
        assert_eq!(backoff.wait("amina", owner), None);
        backoff.succeeded("amina", attacker);
        assert_eq!(backoff.wait("amina", attacker), None);
    }
}

/// `graphql_http`: the answer's format and GET's parameters.
mod graphql_over_http {
    use axum::http::{HeaderMap, HeaderValue, header};
    use jamaa_graphql::graphql_http::{Format, GetParams};

    fn accept(value: &str) -> Format {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        Format::from_headers(&headers)
    }

    #[test]
    fn the_format_follows_accept() {
        assert_eq!(Format::from_headers(&HeaderMap::new()), Format::Json);
        assert_eq!(accept("application/json"), Format::Json);
        assert_eq!(accept("application/graphql-response+json, application/json;q=0.9"), Format::GraphqlResponse);
        assert_eq!(accept("application/graphql-response+json;q=0, application/json"), Format::Json);
        assert_eq!(accept("*/*"), Format::Json);
    }

    #[test]
    fn get_parameters_use_the_specifications_names() {
        let params =
            GetParams::parse("query=query%20Q(%24n%3AInt)%7Bx%7D&operationName=Q&variables=%7B%22n%22%3A1%7D").unwrap();
        let request = params.into_request().unwrap();
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        assert_eq!(request.variables.into_value().into_json().unwrap(), serde_json::json!({ "n": 1 }));
        assert!(GetParams::parse("query=x&variables=%7Bnope").unwrap().into_request().is_err());
    }
}

/// `outbound`: the addresses webhooks and e-mail may reach.
mod outbound {
    use jamaa_graphql::outbound::{OutboundPolicy, Refused};

    #[tokio::test]
    async fn only_public_addresses_are_reached_unless_allowed() {
        let policy = OutboundPolicy::default();
        for host in [
            "169.254.169.254",
            "localhost",
            "[::1]",
            "::1",
            "0.0.0.0",
            "2130706433",
            "127.1",
            "0x7f.1",
            "[::ffff:127.0.0.1]",
            "[::ffff:7f00:1]",
            "[64:ff9b::a9fe:a9fe]",
            "[2002:7f00:1::]",
            "10.0.0.1",
            "192.168.1.1",
            "[fd00::1]",
            "[fe80::1]",
        ] {
            assert_eq!(policy.resolve(host, 80).await, Err(Refused::NotAllowed), "{host}");
        }
        assert_eq!(policy.resolve("8.8.8.8", 53).await, Ok(vec!["8.8.8.8:53".parse().unwrap()]));
        assert!(policy.permits("2a00:1450:4007:80e::200e".parse().unwrap()));
        let loopback = OutboundPolicy::allowing(vec!["127.0.0.0/8".parse().unwrap()]);
        assert_eq!(loopback.resolve("127.0.0.1", 25).await, Ok(vec!["127.0.0.1:25".parse().unwrap()]));
        assert_eq!(loopback.resolve("10.0.0.1", 25).await, Err(Refused::NotAllowed));
    }
}

/// `files`: a download's file name in its header.
mod downloads {
    use jamaa_graphql::files::disposition;

    #[test]
    fn file_names_are_safe_in_the_header() {
        let value = disposition("plan \"final\"\r\nX: y — وثيقة.pdf");
        let text = value.to_str().unwrap();
        assert!(text.starts_with("attachment; filename=\"plan__final___X__y________.pdf\""), "{text}");
        assert!(text.contains(".pdf\"; filename*=UTF-8''plan%20%22final%22%0D%0AX%3A%20y%20%E2%80%94%20"), "{text}");
        assert!(!text.contains('\n') && !text.contains("\"final\""));
    }
}

/// `uploads`: any multipart body.
mod multipart {
    use axum::extract::FromRequest as _;
    use axum::extract::Multipart;
    use jamaa_graphql::uploads::{MAX_FILES, read};
    use proptest::prelude::*;

    const BOUNDARY: &str = "jamaa-fuzz";

    /// A part of a multipart body: its name, file name and content, any of them odd.
    fn part() -> impl Strategy<Value = (String, Option<String>, Vec<u8>)> {
        let name = prop_oneof![Just("submission".to_owned()), Just("cnie".to_owned()), "[ -~]{0,12}"];
        let file_name = prop::option::of(prop_oneof!["[ -~]{0,20}", any::<String>(), Just("a".repeat(300))]);
        let content = prop_oneof![
            Just(br#"{"commune":"oujda","serviceCode":"reclamation","data":{}}"#.to_vec()),
            prop::collection::vec(any::<u8>(), 0..64),
            Just(b"%PDF-1.7\n%%EOF\n".to_vec()),
        ];
        (name, file_name, content)
    }

    fn body(parts: &[(String, Option<String>, Vec<u8>)], cut: Option<prop::sample::Index>, noise: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, file_name, content) in parts {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
            );
            if let Some(file_name) = file_name {
                body.extend_from_slice(format!("; filename=\"{file_name}\"").as_bytes());
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        if let Some(cut) = cut {
            body.truncate(cut.index(body.len() + 1));
        }
        body.extend_from_slice(noise);
        body
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any multipart body is read whole or refused with VALIDATION_FAILED at a field path: never a panic,
        /// never another code.
        #[test]
        fn any_multipart_body_is_read_or_refused_with_a_field_error(
            parts in prop::collection::vec(part(), 0..(MAX_FILES + 3)),
            cut in prop::option::of(any::<prop::sample::Index>()),
            noise in prop::collection::vec(any::<u8>(), 0..16),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let request = axum::http::Request::builder()
                .method("POST")
                .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
                .body(axum::body::Body::from(body(&parts, cut, &noise)))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let outcome = runtime.block_on(async {
                let multipart = Multipart::from_request(request, &()).await.map_err(|_| "not multipart")?;
                Ok::<_, &str>(read(multipart).await)
            });
            match outcome {
                Ok(Ok((_, files))) => prop_assert!(files.len() <= MAX_FILES),
                Ok(Err(error)) => {
                    prop_assert_eq!(error.code(), "VALIDATION_FAILED");
                    let jamaa_core::Error::Validation(fields) = &error else {
                        return Err(TestCaseError::fail(format!("{error:?}")));
                    };
                    prop_assert!(fields.iter().all(|f| !f.path.is_empty()));
                }
                Err(refused) => prop_assert_eq!(refused, "not multipart"),
            }
        }
    }
}

/// `metrics`: the areas of paths.
mod metrics {
    use jamaa_graphql::metrics::area;
    #[test]
    fn areas_are_a_bounded_set() {
        assert_eq!(area("/graphql"), "graphql");
        assert_eq!(area("/sdk/index.js"), "sdk");
        assert_eq!(area("/c/oujda/anything"), "site");
        assert_eq!(area("/"), "site");
    }
}
