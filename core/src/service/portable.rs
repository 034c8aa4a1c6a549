//! A commune's whole data, portable: exported to one archive and imported into another deployment or backend
//! (`jamaa commune export|import`), its audit chain still verifying and its sealed data still opening.
//!
//! The archive is a tar file of JSON parts:
//!
//! - `manifest.json`: the format (`jamaa-commune-archive`, version 1), the schema version (the last migration),
//!   the commune (id, slug, tracking prefix), when, the archive key's id, a token sealed under that key (which
//!   tells a wrong key from a damaged archive), and each part's path, row count and SHA-256;
//! - `manifest.hmac`: HMAC-SHA256 of `manifest.json` under a key derived from the archive key;
//! - `commune.json`: the commune's row; `definitions.json`: the shared definitions its rows refer to (calendar,
//!   configuration, services, workflows), each checked against its address on import;
//! - `tables/<table>.json`: the commune's rows of each tenant table, every one of them.
//!
//! Personal data stays sealed under the commune's data keys; only the data keys are re-wrapped, under the
//! archive key the operator gives, and on import under the target's master key. Blind indexes are keyed by the
//! data keys, so they find the same records after import. A commune keeps its id (its audit chain hashes it):
//! it is imported into a deployment that does not hold it, under its slug or another (`--as`).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::crypto::{self, Key};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::{Commune, Slug};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::TenantId;
use crate::store::portable::{self as rows, Rows, WriteError};
use crate::store::{Store, TenantScope, audit, shared};

use super::Jamaa;

/// The archive's format name, in its manifest.
pub const ARCHIVE_FORMAT: &str = "jamaa-commune-archive";
/// The version of the archive's layout.
pub const ARCHIVE_FORMAT_VERSION: u32 = 1;

const MANIFEST: &str = "manifest.json";
const MANIFEST_HMAC: &str = "manifest.hmac";
const COMMUNE: &str = "commune.json";
const DEFINITIONS: &str = "definitions.json";
/// What the key check token holds, sealed under the archive key.
const KEY_CHECK: &[u8] = b"jamaa commune archive";
/// What a data key in an archive is sealed as: wrapped under the archive key, not a master key.
const ARCHIVE_WRAPPED: &str = "archive";

/// What an archive says of itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The last migration of the deployment that made it.
    pub schema_version: String,
    pub commune: ManifestCommune,
    pub exported_at: DateTime<Utc>,
    /// The archive key's public id (the first 16 hex digits of its SHA-256).
    pub key_id: String,
    /// A token sealed under the archive key: opening it proves the key.
    pub key_check: String,
    pub parts: Vec<Part>,
}

/// The commune an archive holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestCommune {
    pub id: uuid::Uuid,
    pub slug: String,
    pub tracking_prefix: String,
}

/// One part of an archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub path: String,
    pub rows: u64,
    pub sha256: String,
}

fn text(ar: &str, fr: &str, en: &str, tzm: &str) -> LocalizedText {
    LocalizedText::ar_fr(ar, fr).with(Locale::En, en).with(Locale::Tzm, tzm)
}

/// An archive key that is not 32 bytes in base64.
fn invalid_key() -> Error {
    Error::field(
        "key",
        FieldErrorCode::InvalidValue,
        text(
            "مفتاح الأرشيف 32 بايت بترميز base64 (44 حرفًا).",
            "La clé d'archive fait 32 octets en base64 (44 caractères).",
            "An archive key is 32 bytes in base64 (44 characters).",
            "ⵜⴰⵙⴰⵔⵓⵜ ⵏ ⵓⵔⵛⵉⴼ ⴷ 32 ⵏ ⵢⴱⴰⵢⵜ ⵙ base64 (44 ⵏ ⵉⵙⴽⴽⵉⵍⵏ).",
        ),
    )
}

/// The key does not open the archive.
fn wrong_key() -> Error {
    Error::field(
        "key",
        FieldErrorCode::InvalidValue,
        text(
            "هذا المفتاح لا يفتح هذا الأرشيف.",
            "Cette clé n'ouvre pas cette archive.",
            "This key does not open this archive.",
            "ⵜⴰⵙⴰⵔⵓⵜ ⴰⴷ ⵓⵔ ⵜⵕⵥⵥⵎ ⴰⵔⵛⵉⴼ ⴰⴷ.",
        ),
    )
}

/// A part missing, changed or unreadable.
fn damaged(part: &str) -> Error {
    Error::field(
        format!("archive.{part}"),
        FieldErrorCode::InvalidValue,
        text(
            "هذا الجزء من الأرشيف ناقص أو معدَّل أو تالف (لا يطابق بصمته في البيان).",
            "Cette partie de l'archive manque, a été modifiée ou est endommagée (elle ne correspond pas à son empreinte dans le manifeste).",
            "This part of the archive is missing, was changed or is damaged (it does not match its fingerprint in the manifest).",
            "ⴰⵃⵟⵟⵓ ⴰⴷ ⵏ ⵓⵔⵛⵉⴼ ⵉⵅⵚⵚ, ⵏⵖ ⵉⵜⵜⵓⵙⵏⴼⵍ, ⵏⵖ ⵉⵅⵙⵔ (ⵓⵔ ⵉⵎⵙⴰⵙⴰ ⴷ ⵜⵉⵏⵎⵍ ⵏⵏⵙ ⴳ ⵓⵎⴰⵏⵉⴼⵉⵙⵜ).",
        ),
    )
}

/// Not an archive of a format this build reads.
fn not_an_archive() -> Error {
    Error::field(
        "archive",
        FieldErrorCode::InvalidValue,
        text(
            "هذا الملف ليس أرشيفًا لجماعة بصيغة معروفة.",
            "Ce fichier n'est pas une archive de commune d'un format connu.",
            "This file is not a commune archive of a known format.",
            "ⴰⴼⴰⵢⵍⵓ ⴰⴷ ⵓⵔ ⵉⴳⵉ ⴰⵔⵛⵉⴼ ⵏ ⵜⵎⵖⵔⵉⵡⵜ ⵙ ⵜⴰⵍⵖⴰ ⵉⵜⵜⵓⵙⵙⵏⵏ.",
        ),
    )
}

/// The archive was made at another schema version.
fn other_schema(archive: &str, here: &str) -> Error {
    Error::field(
        "archive.schemaVersion",
        FieldErrorCode::InvalidValue,
        text(
            &format!(
                "صُنع هذا الأرشيف بنسخة المخطط {archive}، وهذا النشر بالنسخة {here}: حدِّث الأقدم منهما ثم أعد التصدير."
            ),
            &format!(
                "Cette archive a été faite au schéma {archive}, ce déploiement est au schéma {here} : mettez le plus ancien à jour, puis exportez de nouveau."
            ),
            &format!(
                "This archive was made at schema version {archive}, this deployment is at {here}: upgrade the older one, then export again."
            ),
            &format!("ⴰⵔⵛⵉⴼ ⴰⴷ ⵉⵜⵜⵓⵙⴽⴰⵔ ⵙ ⵓⵏⵎⵓⵍ {archive}, ⴰⵙⵏⵓⵔⵏ ⴰⴷ ⵉⵍⵍⴰ ⴳ {here}: ⵙⵎⴰⵢⵏⵓ ⴰⵇⴷⵉⵎ, ⵜⵙⵙⵓⴼⵖⴷ ⴷⴰⵖ."),
        ),
    )
}

/// What of the archived commune this deployment holds already.
fn clash(what: &[&str], slug: &str) -> Error {
    let errors = what
        .iter()
        .map(|field| {
            let message = if *field == "slug" {
                text(
                    &format!("توجد هنا جماعة بالاسم المختصر `{slug}`: استوردها باسم مختصر آخر (--as)."),
                    &format!("Une commune `{slug}` existe ici : importez-la sous un autre identifiant (--as)."),
                    &format!("A commune `{slug}` exists here: import it under another slug (--as)."),
                    &format!("ⵜⵍⵍⴰ ⴷⵉⴷ ⵜⵎⵖⵔⵉⵡⵜ `{slug}`: ⵙⴽⵛⵎ ⵜⵜ ⵙ ⵢⵉⵡⵏ ⵓⵙⵎⴰⵡ ⵢⴰⴹⵏ (--as)."),
                )
            } else {
                text(
                    "هذا النشر يضم هذه الجماعة أو جماعة تحمل القيمة نفسها.",
                    "Ce déploiement a déjà cette commune, ou une commune de même valeur.",
                    "This deployment holds this commune already, or a commune with the same value.",
                    "ⴰⵙⵏⵓⵔⵏ ⴰⴷ ⵖⵓⵔⵙ ⵜⴰⵎⵖⵔⵉⵡⵜ ⴰⴷ, ⵏⵖ ⵜⴰⵎⵖⵔⵉⵡⵜ ⵙ ⵢⴰⵜ ⵜⵏⴰⴼⵍⵜ.",
                )
            };
            FieldError::new(format!("commune.{field}"), FieldErrorCode::InvalidValue, message)
        })
        .collect();
    Error::Validation(errors)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The HMAC of the manifest's bytes, under a key derived from the archive key.
fn manifest_mac(key: &Key, manifest: &[u8]) -> Result<Hmac<Sha256>, Error> {
    let hkdf = hkdf::Hkdf::<Sha256>::new(None, key.expose_secret());
    let mut mac_key = [0u8; 32];
    hkdf.expand(b"jamaa archive manifest v1", &mut mac_key).map_err(|_| Error::internal("key derivation failed"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&mac_key).map_err(|_| Error::internal("bad key length"))?;
    mac.update(manifest);
    Ok(mac)
}

/// What a data key in an archive is bound to: the commune, and its being an archive's.
fn archive_context(tenant: uuid::Uuid) -> Vec<u8> {
    let mut context = b"jamaa archive data key ".to_vec();
    context.extend_from_slice(tenant.as_bytes());
    context
}

fn archive_key(key: &SecretString) -> Result<Key, Error> {
    crypto::parse_key(key).map_err(|_| invalid_key())
}

fn to_bytes(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(Error::internal)
}

impl Jamaa {
    /// Writes one commune's whole data to an archive (operators): its row, every tenant table's rows, the
    /// definitions they refer to, with its data keys re-wrapped under `key` (32 bytes, base64). The export is
    /// itself an event of the commune's chain (`commune.exported`), in the archive.
    pub async fn export_commune(
        &self,
        principal: &Principal,
        commune: &Commune,
        key: &SecretString,
    ) -> Result<(Manifest, Vec<u8>), Error> {
        super::replication::require_operator(principal)?;
        let key = archive_key(key)?;
        let key_id = crypto::key_id(&key);
        let schema_version = Store::schema_version();
        let now = self.now();
        let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneExported,
                AuditSubject::Commune(commune.id),
                serde_json::json!({ "keyId": key_id, "schemaVersion": schema_version }),
            ),
            now,
        )
        .await?;
        let commune_row = rows::commune_row(&tx).await?;
        let mut tables = rows::read_all(&tx).await?;
        let archived = rows::parse_commune(commune_row.clone()).map_err(Error::internal)?;
        let addresses = rows::referenced_definitions(&archived, &tables);
        let bodies = shared::shared_bodies(tx.conn(), addresses.clone()).await?;
        // Committed: the export's event stays in the commune's chain.
        tx.commit().await?;
        let tenant = commune.id.as_uuid();
        for (table, rows) in &mut tables {
            if *table == "data_keys" {
                for row in rows.iter_mut() {
                    rewrap_for_archive(&self.keyring, &key, tenant, row)?;
                }
            }
        }
        let mut definitions = Vec::with_capacity(addresses.len());
        for address in addresses {
            let body =
                bodies.get(&address).ok_or_else(|| Error::internal(format!("definition {address} is missing")))?;
            definitions.push(serde_json::json!({ "hash": address, "body": body }));
        }

        let mut parts: Vec<(String, u64, Vec<u8>)> = vec![
            (COMMUNE.to_owned(), 1, to_bytes(&commune_row)?),
            (DEFINITIONS.to_owned(), definitions.len() as u64, to_bytes(&definitions)?),
        ];
        for (table, rows) in &tables {
            parts.push((format!("tables/{table}.json"), rows.len() as u64, to_bytes(rows)?));
        }
        let manifest = Manifest {
            format: ARCHIVE_FORMAT.to_owned(),
            format_version: ARCHIVE_FORMAT_VERSION,
            schema_version,
            commune: ManifestCommune {
                id: tenant,
                slug: commune.spec.slug.to_string(),
                tracking_prefix: commune.spec.tracking_prefix.as_str().to_owned(),
            },
            exported_at: now,
            key_id,
            key_check: crypto::seal(&key, KEY_CHECK, tenant.as_bytes())?,
            parts: parts
                .iter()
                .map(|(path, rows, bytes)| Part { path: path.clone(), rows: *rows, sha256: sha256_hex(bytes) })
                .collect(),
        };
        let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?;
        let mac = hex::encode(manifest_mac(&key, &manifest_bytes)?.finalize().into_bytes());

        let mut builder = tar::Builder::new(Vec::new());
        let mut append = |path: &str, bytes: &[u8]| -> Result<(), Error> {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o600);
            header.set_mtime(u64::try_from(now.timestamp()).unwrap_or_default());
            header.set_cksum();
            builder.append_data(&mut header, path, bytes).map_err(Error::internal)
        };
        append(MANIFEST, &manifest_bytes)?;
        append(MANIFEST_HMAC, mac.as_bytes())?;
        for (path, _, bytes) in &parts {
            append(path, bytes)?;
        }
        let archive = builder.into_inner().map_err(Error::internal)?;
        Ok((manifest, archive))
    }

    /// Restores a commune from an archive made by [`Jamaa::export_commune`] (operators), under its slug or
    /// `slug`, in one transaction with its `commune.imported` event. Refuses, writing nothing: an archive of
    /// another format or schema version, a wrong key, a part missing or changed, a commune (id, slug, tracking
    /// prefix or official code) this deployment holds.
    pub async fn import_commune(
        &self,
        principal: &Principal,
        archive: &[u8],
        key: &SecretString,
        slug: Option<Slug>,
    ) -> Result<(Commune, Manifest), Error> {
        super::replication::require_operator(principal)?;
        let key = archive_key(key)?;
        let mut files = read_archive(archive)?;
        let manifest_bytes = files.remove(MANIFEST).ok_or_else(not_an_archive)?;
        let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|_| not_an_archive())?;
        if manifest.format != ARCHIVE_FORMAT || manifest.format_version != ARCHIVE_FORMAT_VERSION {
            return Err(not_an_archive());
        }
        let here = Store::schema_version();
        if manifest.schema_version != here {
            return Err(other_schema(&manifest.schema_version, &here));
        }
        let tenant = manifest.commune.id;
        match crypto::open(&key, &manifest.key_check, tenant.as_bytes()) {
            Ok(token) if token == KEY_CHECK => {}
            _ => return Err(wrong_key()),
        }
        let mac = files.remove(MANIFEST_HMAC).ok_or_else(|| damaged("manifest"))?;
        let mac = hex::decode(mac.trim_ascii()).map_err(|_| damaged("manifest"))?;
        manifest_mac(&key, &manifest_bytes)?.verify_slice(&mac).map_err(|_| damaged("manifest"))?;
        let mut parts = std::collections::HashMap::new();
        for part in &manifest.parts {
            let bytes = files.remove(&part.path).ok_or_else(|| damaged(&part.path))?;
            if sha256_hex(&bytes) != part.sha256 {
                return Err(damaged(&part.path));
            }
            parts.insert(part.path.clone(), bytes);
        }
        let mut take = |path: &str| -> Result<serde_json::Value, Error> {
            let bytes = parts.remove(path).ok_or_else(|| damaged(path))?;
            serde_json::from_slice(&bytes).map_err(|_| damaged(path))
        };
        let archived = rows::parse_commune(take(COMMUNE)?).map_err(|_| damaged(COMMUNE))?;
        if archived.id != tenant {
            return Err(damaged(COMMUNE));
        }
        let slug = match slug {
            Some(slug) => slug.to_string(),
            None => archived.slug.clone(),
        };
        let definitions = match take(DEFINITIONS)? {
            serde_json::Value::Array(items) => items,
            _ => return Err(damaged(DEFINITIONS)),
        };
        let mut tables: Vec<(&str, Rows)> = Vec::new();
        for table in rows::tables() {
            let path = format!("tables/{table}.json");
            match take(&path)? {
                serde_json::Value::Array(items) => tables.push((table, items)),
                _ => return Err(damaged(&path)),
            }
        }

        let now = self.now();
        let tx = self.store.tenant_tx(TenantScope::new(TenantId::from_uuid(tenant))).await?;
        let clashes = rows::clashes(&tx, &archived, &slug).await?;
        if !clashes.is_empty() {
            return Err(clash(&clashes, &slug));
        }
        rows::insert_commune(&tx, &archived, &slug).await?;
        // A definition is stored under the address of its body, computed here: an archive cannot put a body
        // under another's address.
        let mut bodies = Vec::with_capacity(definitions.len());
        let mut claimed = Vec::with_capacity(definitions.len());
        for item in definitions {
            let (Some(hash), Some(body)) = (item.get("hash").and_then(|h| h.as_str()), item.get("body")) else {
                return Err(damaged(DEFINITIONS));
            };
            claimed.push(hash.to_owned());
            bodies.push(body.clone());
        }
        let stored = if bodies.is_empty() { Vec::new() } else { shared::put_shared(tx.conn(), bodies).await? };
        if stored != claimed {
            return Err(damaged(DEFINITIONS));
        }
        let mut counts = serde_json::Map::new();
        for (table, mut items) in tables {
            if table == "data_keys" {
                for row in &mut items {
                    rewrap_for_deployment(&self.keyring, &key, tenant, row)?;
                }
            }
            let path = format!("tables/{table}.json");
            let count = rows::write(&tx, table, items).await.map_err(|error| match error {
                WriteError::Malformed | WriteError::OtherCommune => damaged(&path),
                WriteError::Store(error) => error,
            })?;
            counts.insert(table.to_owned(), count.into());
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneImported,
                AuditSubject::Commune(TenantId::from_uuid(tenant)),
                serde_json::json!({
                    "slug": slug,
                    "exportedAs": manifest.commune.slug,
                    "exportedAt": manifest.exported_at,
                    "keyId": manifest.key_id,
                    "schemaVersion": manifest.schema_version,
                    "rows": counts,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        let commune = self.commune_by_id(TenantId::from_uuid(tenant)).await?;
        Ok((commune, manifest))
    }
}

/// A data key row: from its master key to the archive key.
fn rewrap_for_archive(
    keyring: &crypto::Keyring,
    key: &Key,
    tenant: uuid::Uuid,
    row: &mut serde_json::Value,
) -> Result<(), Error> {
    let wrapped = row.get("wrapped").and_then(|v| v.as_str()).unwrap_or_default();
    let master = row.get("master_key_id").and_then(|v| v.as_str()).unwrap_or_default();
    let data_key = keyring.unwrap_data_key(tenant, wrapped, master)?;
    let sealed = crypto::seal(key, data_key.expose_secret(), &archive_context(tenant))?;
    row["wrapped"] = sealed.into();
    row["master_key_id"] = ARCHIVE_WRAPPED.into();
    Ok(())
}

/// A data key row: from the archive key to this deployment's current master key.
fn rewrap_for_deployment(
    keyring: &crypto::Keyring,
    key: &Key,
    tenant: uuid::Uuid,
    row: &mut serde_json::Value,
) -> Result<(), Error> {
    let path = "archive.tables/data_keys.json";
    let wrapped = row.get("wrapped").and_then(|v| v.as_str()).ok_or_else(|| damaged(path))?;
    if row.get("master_key_id").and_then(|v| v.as_str()) != Some(ARCHIVE_WRAPPED) {
        return Err(damaged(path));
    }
    let bytes = crypto::open(key, wrapped, &archive_context(tenant)).map_err(|_| wrong_key())?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| damaged(path))?;
    let data_key: Key = secrecy::SecretBox::new(Box::new(bytes));
    let (wrapped, master) = keyring.wrap_data_key(tenant, &data_key)?;
    row["wrapped"] = wrapped.into();
    row["master_key_id"] = master.into();
    Ok(())
}

/// The files of a tar archive by path; anything unreadable is not an archive.
fn read_archive(bytes: &[u8]) -> Result<std::collections::HashMap<String, Vec<u8>>, Error> {
    use std::io::Read as _;
    let mut archive = tar::Archive::new(bytes);
    let mut files = std::collections::HashMap::new();
    for entry in archive.entries().map_err(|_| not_an_archive())? {
        let mut entry = entry.map_err(|_| not_an_archive())?;
        let path = entry.path().map_err(|_| not_an_archive())?.to_string_lossy().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|_| not_an_archive())?;
        if files.insert(path, content).is_some() {
            return Err(not_an_archive());
        }
    }
    Ok(files)
}
