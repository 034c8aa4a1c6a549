//! The online payments' HTTP side. `POST /payments/{commune}/callback`: the provider's server-to-server
//! callback (form-encoded, authenticated by its signature alone): answered with the provider's
//! acknowledgement when taken into account (a duplicate too), 403 when refused (the refusal audited), 404 for a
//! commune that takes no online payment. `/payments/{commune}/return/{order}` (GET or the provider's POST): the
//! page the citizen's browser comes back to, saying whether the payment is paid, pending or refused; it shows
//! the state and the amount, nothing else, and records nothing (only the callback and the statement do).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use jamaa_core::model::commune::Commune;
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::modules::payments::reconcile::PaymentState;
use jamaa_core::service::{CallbackAnswer, OnlinePaymentView};
use maud::html;
use serde::Deserialize;

use super::{PageLang, language_links, layout, offered, page_response, training_mark};
use crate::app::AppState;

/// The largest callback body read.
const MAX_CALLBACK_BYTES: usize = 16 * 1024;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/payments/{commune}/callback", post(callback))
        .route("/payments/{commune}/return/{order}", axum::routing::get(back).post(back))
}

async fn callback(State(state): State<AppState>, Path(commune): Path<String>, body: Bytes) -> Response {
    if body.len() > MAX_CALLBACK_BYTES {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a form").into_response();
    };
    match state.jamaa.online_payment_callback(&commune, &fields).await {
        Ok(CallbackAnswer::Acknowledged(ack)) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], ack).into_response()
        }
        Ok(CallbackAnswer::Refused) => (StatusCode::FORBIDDEN, "refused").into_response(),
        Err(jamaa_core::Error::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(error) if error.is_retryable() => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "payment callback");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn back(
    State(state): State<AppState>,
    Path((slug, order)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let commune = state.jamaa.commune(&slug).await.ok();
    let lang = PageLang::pick(query.lang.as_deref(), &headers, commune.as_ref());
    let payment = match &commune {
        Some(_) if order.len() <= 64 => state.jamaa.online_payment_by_order(&slug, &order).await.ok(),
        _ => None,
    };
    let status = if payment.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    page_response(status, page(lang, commune.as_ref(), payment.as_ref()))
}

fn page(lang: PageLang, commune: Option<&Commune>, payment: Option<&OnlinePaymentView>) -> maud::Markup {
    let title = lang.t("payment-title");
    layout(
        lang,
        &title,
        html! {
            (language_links(lang, &offered(commune)))
            (training_mark(lang, commune))
            h1 { (title) }
            @if let Some(commune) = commune {
                p.commune { (commune.spec.name.get(lang.locale(), &offered(Some(commune)))) }
            }
            @match payment {
                None => p.error { (lang.t("payment-not-found")) },
                Some(p) => {
                    @let (class, key) = match p.state {
                        PaymentState::Paid => ("ok", "payment-paid"),
                        PaymentState::Pending => ("notice", "payment-pending"),
                        PaymentState::Refused => ("bad", "payment-refused"),
                        PaymentState::Expired => ("notice", "payment-expired"),
                    };
                    p class=(class) id="payment-state" data-state=(format!("{:?}", p.state).to_lowercase()) { (lang.t(key)) }
                    dl {
                        dt { (lang.t("payment-amount")) }
                        dd.code { (format_centimes(p.amount)) " MAD" }
                        dt { (lang.t("payment-order")) }
                        dd.code { (p.order_id) }
                    }
                }
            }
        },
    )
}
