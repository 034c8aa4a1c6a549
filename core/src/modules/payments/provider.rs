//! Online payment providers' protocol, provider-agnostic: a payment is started by sending the citizen's browser
//! to the provider's page with signed fields ([`Provider::checkout`]); the provider tells the outcome by a
//! server-to-server callback whose fields we verify ([`Provider::verify_callback`]) and acknowledge
//! ([`Provider::acknowledgement`]); each day it serves a statement of its transactions ([`parse_statement`]).
//!
//! One implementation, [`HostedPage`]: the shape of Moroccan acquirers' hosted payment pages (CMI-like). Both
//! directions are signed the same way: the fields but `HASH` and `encoding`, sorted by name (ASCII,
//! case-insensitive), each value with `\` written `\\` and `|` written `\|`, joined by `|`; `HASH` is the base64 of
//! HMAC-SHA512 of that text under the merchant's store key (a `SecretString` from the server's settings, never in
//! the database or a template), compared in constant time. No card data is ever read beyond the outcome: the
//! masked card number the provider sends is not kept.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha512;
use subtle::ConstantTimeEq;

/// ISO 4217 numeric code of the Moroccan dirham, the only currency a commune is paid in.
pub const MAD: &str = "504";

/// A payment to start: what the provider's page shows and where it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    /// Our reference of the payment (the intent's), unique per commune; the provider's `oid`.
    pub order_id: String,
    pub amount_centimes: i64,
    /// The browser's return after an approved or a refused payment.
    pub ok_url: String,
    pub fail_url: String,
    /// The server-to-server callback.
    pub callback_url: String,
    /// The page's language (`ar`, `fr`, `en`).
    pub lang: String,
}

/// Where the browser is sent: a form posted to `action` with `fields`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// What a verified callback says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    pub order_id: String,
    /// The provider's transaction reference: unique per commune, what makes a payment recorded once.
    pub provider_reference: String,
    pub amount_centimes: i64,
    pub currency: String,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    /// Refused by the provider or the bank, with its return code.
    Refused {
        code: String,
    },
}

/// Why a callback is not believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackError {
    /// No `HASH`, or one that the store key does not give: a forgery or another merchant's.
    BadSignature,
    /// A signed field missing or unreadable (named).
    Malformed(&'static str),
}

/// A provider's protocol.
pub trait Provider: Send + Sync {
    /// The form that sends the browser to the provider's page for `order`.
    fn checkout(&self, order: &Order, nonce: &str) -> Checkout;
    /// The callback's fields checked: signature first, then their shape.
    fn verify_callback(&self, fields: &[(String, String)]) -> Result<Callback, CallbackError>;
    /// The body that acknowledges a callback the server has taken into account.
    fn acknowledgement(&self) -> &'static str;
}

/// The providers' accounts of the communes this server takes payments for, from the server's settings (the
/// store keys never in the database nor a template), and the server's address as the providers reach it.
#[derive(Clone, Debug, Default)]
pub struct PaymentProviders {
    /// `https://jamaa.example.ma` (no trailing slash): the callback and return URLs are under it.
    pub public_url: String,
    /// By commune slug.
    pub merchants: std::collections::BTreeMap<String, HostedPage>,
}

impl PaymentProviders {
    /// The callback the provider posts to for `commune`.
    pub fn callback_url(&self, commune: &str) -> String {
        format!("{}/payments/{commune}/callback", self.public_url)
    }

    /// Where the browser comes back to after paying `order` (approved or not).
    pub fn return_url(&self, commune: &str, order: &str) -> String {
        format!("{}/payments/{commune}/return/{order}", self.public_url)
    }
}

/// The hosted-page protocol of one merchant account.
#[derive(Clone)]
pub struct HostedPage {
    /// The provider's page where the browser posts (`https://…/fim/est3Dgate` at CMI).
    pub gateway_url: String,
    /// The merchant's id at the provider (`clientid`).
    pub client_id: String,
    /// The merchant's store key: signs both directions.
    pub store_key: SecretString,
}

impl std::fmt::Debug for HostedPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostedPage")
            .field("gateway_url", &self.gateway_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The acknowledgement the hosted-page providers expect from the merchant's callback.
pub const HOSTED_PAGE_ACK: &str = "ACTION=POSTAUTH";

/// The text that is signed: the fields but `HASH` and `encoding`, sorted by name case-insensitively, values
/// escaped, joined by `|`.
pub fn canonical(fields: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> =
        fields.iter().filter(|(k, _)| k != "HASH" && !k.eq_ignore_ascii_case("encoding")).collect();
    signed.sort_by_key(|(a, _)| a.to_ascii_lowercase());
    let escaped: Vec<String> = signed.iter().map(|(_, v)| v.replace('\\', "\\\\").replace('|', "\\|")).collect();
    escaped.join("|")
}

fn mac(key: &SecretString, text: &str) -> Vec<u8> {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail for it.
    match <Hmac<Sha512> as Mac>::new_from_slice(key.expose_secret().as_bytes()) {
        Ok(mut mac) => {
            mac.update(text.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The `HASH` of `fields` under `key`.
pub fn sign(key: &SecretString, fields: &[(String, String)]) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(key, &canonical(fields)))
}

/// Whether `fields` carry the right `HASH` under `key` (constant time).
pub fn verify(key: &SecretString, fields: &[(String, String)]) -> bool {
    let Some((_, given)) = fields.iter().find(|(k, _)| k == "HASH") else { return false };
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(given.trim()) else { return false };
    let want = mac(key, &canonical(fields));
    !want.is_empty() && bool::from(want.ct_eq(&given))
}

/// Centimes written as the providers want amounts: dirhams with two decimals (`1234` → `12.34`).
pub fn format_amount(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An amount in dirhams (`12.34`, `12.3`, `12`) read as centimes, exactly; `None` for anything else.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
        return None;
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) || (text.contains('.') && frac.is_empty()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    whole.checked_mul(100)?.checked_add(frac)
}

fn field<'a>(fields: &'a [(String, String)], name: &'static str) -> Result<&'a str, CallbackError> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .ok_or(CallbackError::Malformed(name))
}

impl Provider for HostedPage {
    fn checkout(&self, order: &Order, nonce: &str) -> Checkout {
        let mut fields: Vec<(String, String)> = [
            ("clientid", self.client_id.clone()),
            ("oid", order.order_id.clone()),
            ("amount", format_amount(order.amount_centimes)),
            ("currency", MAD.to_owned()),
            ("okUrl", order.ok_url.clone()),
            ("failUrl", order.fail_url.clone()),
            ("callbackUrl", order.callback_url.clone()),
            ("lang", order.lang.clone()),
            ("storetype", "3D_PAY_HOSTING".to_owned()),
            ("TranType", "PreAuth".to_owned()),
            ("hashAlgorithm", "ver3".to_owned()),
            ("rnd", nonce.to_owned()),
            ("encoding", "UTF-8".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let hash = sign(&self.store_key, &fields);
        fields.push(("HASH".to_owned(), hash));
        Checkout { action: self.gateway_url.clone(), fields }
    }

    fn verify_callback(&self, fields: &[(String, String)]) -> Result<Callback, CallbackError> {
        if !verify(&self.store_key, fields) {
            return Err(CallbackError::BadSignature);
        }
        if field(fields, "clientid")? != self.client_id {
            return Err(CallbackError::Malformed("clientid"));
        }
        let amount = parse_amount(field(fields, "amount")?).ok_or(CallbackError::Malformed("amount"))?;
        let code = field(fields, "ProcReturnCode")?;
        let outcome = if code == "00" && field(fields, "Response")?.eq_ignore_ascii_case("Approved") {
            Outcome::Approved
        } else {
            Outcome::Refused { code: code.to_owned() }
        };
        Ok(Callback {
            order_id: field(fields, "oid")?.to_owned(),
            provider_reference: field(fields, "TransId")?.to_owned(),
            amount_centimes: amount,
            currency: field(fields, "currency")?.to_owned(),
            outcome,
        })
    }

    fn acknowledgement(&self) -> &'static str {
        HOSTED_PAGE_ACK
    }
}

/// One line of a provider's statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub order_id: String,
    pub provider_reference: String,
    pub amount_centimes: i64,
    pub currency: String,
    pub approved: bool,
}

/// Why a statement is not read: its line (1 for the header) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementError {
    pub line: usize,
    pub column: &'static str,
}

/// The columns of a statement, in the providers' CSV export.
pub const STATEMENT_HEADER: [&str; 6] = ["date", "order_id", "transaction_id", "amount", "currency", "status"];

/// A statement CSV (`date,order_id,transaction_id,amount,currency,status`; status `approved` or `refused`), every
/// bad cell named by its line and column.
pub fn parse_statement(text: &str) -> Result<Vec<StatementLine>, StatementError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h.split(',').map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        None => return Err(StatementError { line: 1, column: "header" }),
    };
    if header.iter().map(String::as_str).ne(STATEMENT_HEADER) {
        return Err(StatementError { line: 1, column: "header" });
    }
    let mut out = Vec::new();
    for (index, line) in lines {
        let n = index + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let cell = |i: usize, column: &'static str| {
            cells.get(i).copied().filter(|c| !c.is_empty()).ok_or(StatementError { line: n, column })
        };
        if cells.len() != STATEMENT_HEADER.len() {
            return Err(StatementError { line: n, column: "date" });
        }
        let approved = match cell(5, "status")? {
            "approved" => true,
            "refused" => false,
            _ => return Err(StatementError { line: n, column: "status" }),
        };
        out.push(StatementLine {
            order_id: cell(1, "order_id")?.to_owned(),
            provider_reference: cell(2, "transaction_id")?.to_owned(),
            amount_centimes: parse_amount(cell(3, "amount")?).ok_or(StatementError { line: n, column: "amount" })?,
            currency: cell(4, "currency")?.to_owned(),
            approved,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn page() -> HostedPage {
        HostedPage {
            gateway_url: "http://127.0.0.1:9/pay".into(),
            client_id: "600000001".into(),
            store_key: SecretString::from("store-key"),
        }
    }

    #[test]
    fn canonical_text_sorts_case_insensitively_escapes_and_leaves_out_hash_and_encoding() {
        let fields = pairs(&[("oid", "a|b"), ("Amount", "1.00"), ("HASH", "x"), ("encoding", "UTF-8"), ("b", "c\\d")]);
        assert_eq!(canonical(&fields), "1.00|c\\\\d|a\\|b");
    }

    #[test]
    fn the_signature_is_the_hmac_sha512_known_answer() {
        // HMAC-SHA512("key", "The quick brown fox jumps over the lazy dog") (RFC 4231 style vector, widely published).
        let key = SecretString::from("key");
        let fields = pairs(&[("a", "The quick brown fox jumps over the lazy dog")]);
        let hash = base64::engine::general_purpose::STANDARD.decode(sign(&key, &fields)).unwrap_or_default();
        assert_eq!(
            hex::encode(hash),
            "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a"
        );
    }

    #[test]
    fn a_checkout_is_signed_and_its_own_signature_verifies() {
        let order = Order {
            order_id: "PAY-1".into(),
            amount_centimes: 2050,
            ok_url: "http://x/ok".into(),
            fail_url: "http://x/fail".into(),
            callback_url: "http://x/cb".into(),
            lang: "fr".into(),
        };
        let checkout = page().checkout(&order, "nonce");
        assert_eq!(checkout.action, "http://127.0.0.1:9/pay");
        assert!(checkout.fields.contains(&("amount".into(), "20.50".into())));
        assert!(checkout.fields.contains(&("currency".into(), "504".into())));
        assert!(verify(&page().store_key, &checkout.fields));
        assert!(!verify(&SecretString::from("other"), &checkout.fields));
    }

    fn callback(code: &str, response: &str) -> Vec<(String, String)> {
        let mut fields = pairs(&[
            ("clientid", "600000001"),
            ("oid", "PAY-1"),
            ("amount", "20.50"),
            ("currency", "504"),
            ("TransId", "SIM1"),
            ("ProcReturnCode", code),
            ("Response", response),
            ("maskedCreditCard", "411111******1111"),
            ("rnd", "r"),
        ]);
        let hash = sign(&SecretString::from("store-key"), &fields);
        fields.push(("HASH".into(), hash));
        fields
    }

    #[test]
    fn a_callback_is_believed_only_with_its_signature() {
        let ok = page().verify_callback(&callback("00", "Approved"));
        assert_eq!(
            ok,
            Ok(Callback {
                order_id: "PAY-1".into(),
                provider_reference: "SIM1".into(),
                amount_centimes: 2050,
                currency: "504".into(),
                outcome: Outcome::Approved,
            })
        );
        let refused = page().verify_callback(&callback("05", "Declined")).map(|c| c.outcome);
        assert_eq!(refused, Ok(Outcome::Refused { code: "05".into() }));
        // Any field changed after signing (the amount lowered) makes a forgery.
        let mut forged = callback("00", "Approved");
        for (k, v) in &mut forged {
            if k == "amount" {
                *v = "0.01".into();
            }
        }
        assert_eq!(page().verify_callback(&forged), Err(CallbackError::BadSignature));
        let unsigned: Vec<_> = callback("00", "Approved").into_iter().filter(|(k, _)| k != "HASH").collect();
        assert_eq!(page().verify_callback(&unsigned), Err(CallbackError::BadSignature));
        let mut garbage = callback("00", "Approved");
        if let Some(last) = garbage.last_mut() {
            last.1 = "%%%".into();
        }
        assert_eq!(page().verify_callback(&garbage), Err(CallbackError::BadSignature));
    }

    #[test]
    fn amounts_are_exact_centimes() {
        assert_eq!(format_amount(2050), "20.50");
        assert_eq!(format_amount(7), "0.07");
        assert_eq!(parse_amount("20.50"), Some(2050));
        assert_eq!(parse_amount("20.5"), Some(2050));
        assert_eq!(parse_amount("20"), Some(2000));
        for bad in ["", "20.", ".5", "20.505", "-1.00", "1e3", "20,50", " "] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_statement_is_read_and_its_bad_cells_named() {
        let text = "date,order_id,transaction_id,amount,currency,status\n\
                    2026-12-06T05:00:27Z,PAY-1,SIM1,20.00,504,approved\n\
                    2026-12-06T05:01:00Z,PAY-2,SIM2,20.00,504,refused\n";
        let lines = parse_statement(text).unwrap_or_default();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].amount_centimes, 2000);
        assert!(lines[0].approved && !lines[1].approved);
        assert_eq!(parse_statement("a,b\n"), Err(StatementError { line: 1, column: "header" }));
        let bad = "date,order_id,transaction_id,amount,currency,status\nd,PAY-1,SIM1,20.0x,504,approved\n";
        assert_eq!(parse_statement(bad), Err(StatementError { line: 2, column: "amount" }));
        let bad = "date,order_id,transaction_id,amount,currency,status\nd,PAY-1,SIM1,20.00,504,maybe\n";
        assert_eq!(parse_statement(bad), Err(StatementError { line: 2, column: "status" }));
    }
}
