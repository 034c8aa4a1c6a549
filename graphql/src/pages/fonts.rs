//! The fonts the pages and the commune site use for Tifinagh and Arabic, shipped in the binary
//! (`graphql/assets/fonts/`, from the Noto project under the SIL Open Font License 1.1, whose texts sit
//! beside them) and served at `/fonts/{file}` with a long cache lifetime.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (file name, bytes): woff2 subsets of Noto Sans Tifinagh and Noto Naskh Arabic.
pub const FONTS: &[(&str, &[u8])] = &[
    ("noto-sans-tifinagh-400.woff2", include_bytes!("../../assets/fonts/noto-sans-tifinagh-400.woff2")),
    ("noto-naskh-arabic-400.woff2", include_bytes!("../../assets/fonts/noto-naskh-arabic-400.woff2")),
    ("noto-naskh-arabic-700.woff2", include_bytes!("../../assets/fonts/noto-naskh-arabic-700.woff2")),
];

/// The licences of the fonts, served beside them.
pub const LICENCES: &[(&str, &str)] = &[
    ("OFL-noto-sans-tifinagh.txt", include_str!("../../assets/fonts/OFL-noto-sans-tifinagh.txt")),
    ("OFL-noto-naskh-arabic.txt", include_str!("../../assets/fonts/OFL-noto-naskh-arabic.txt")),
];

/// The `@font-face` rules of the shipped fonts, for a page's style sheet.
pub(crate) const FONT_FACES: &str = r#"
@font-face { font-family: "Noto Sans Tifinagh"; font-style: normal; font-weight: 400; font-display: swap;
  src: url(/fonts/noto-sans-tifinagh-400.woff2) format("woff2"); unicode-range: U+2D30-2D7F; }
@font-face { font-family: "Noto Naskh Arabic"; font-style: normal; font-weight: 400; font-display: swap;
  src: url(/fonts/noto-naskh-arabic-400.woff2) format("woff2");
  unicode-range: U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0898-08E1, U+08E3-08FF, U+200C-200E, U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC; }
@font-face { font-family: "Noto Naskh Arabic"; font-style: normal; font-weight: 700; font-display: swap;
  src: url(/fonts/noto-naskh-arabic-700.woff2) format("woff2");
  unicode-range: U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0898-08E1, U+08E3-08FF, U+200C-200E, U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC; }
"#;

/// GET `/fonts/{file}`.
pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    if let Some((_, bytes)) = FONTS.iter().find(|(name, _)| *name == file) {
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("font/woff2"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        return response;
    }
    if let Some((_, text)) = LICENCES.iter().find(|(name, _)| *name == file) {
        return ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], *text).into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}
