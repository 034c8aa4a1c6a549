//! GraphiQL from the binary itself: the page (`GET /graphql` from a browser without a query) and its files,
//! vendored from npm in `graphql/assets/graphiql/` (versions and licences in its README) and embedded here. The
//! page has no inline script (`init.js` starts it), so it runs under `script-src 'self'`.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// The vendored GraphiQL version: part of the asset paths, which are therefore cached as immutable.
pub const GRAPHIQL_VERSION: &str = "3.9.0";

const ASSETS: [(&str, &str, &[u8]); 5] = [
    ("graphiql.min.js", "text/javascript", include_bytes!("../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", "text/css", include_bytes!("../assets/graphiql/graphiql.min.css")),
    ("react.production.min.js", "text/javascript", include_bytes!("../assets/graphiql/react.production.min.js")),
    (
        "react-dom.production.min.js",
        "text/javascript",
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
    ("init.js", "text/javascript", include_bytes!("../assets/graphiql/init.js")),
];

/// `/graphiql/{version}/{file}`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/graphiql/{version}/{file}", get(asset))
}

/// The page.
pub fn page() -> Response {
    let asset = |file: &str| format!("/graphiql/{GRAPHIQL_VERSION}/{file}");
    let html = maud::html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { "Jamaa GraphQL" }
                link rel="stylesheet" href=(asset("graphiql.min.css"));
            }
            body {
                div #graphiql { "…" }
                script src=(asset("react.production.min.js")) {}
                script src=(asset("react-dom.production.min.js")) {}
                script src=(asset("graphiql.min.js")) {}
                script src=(asset("init.js")) {}
            }
        }
    };
    ([(header::CACHE_CONTROL, "no-cache")], Html(html.into_string())).into_response()
}

async fn asset(Path((version, file)): Path<(String, String)>) -> Response {
    if version != GRAPHIQL_VERSION {
        return StatusCode::NOT_FOUND.into_response();
    }
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, media_type, bytes)) => (
            [(header::CONTENT_TYPE, *media_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
