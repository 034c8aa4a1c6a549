//! The keys a template names its parts by: a role (`counter_agent`), a procedure (`legalisation-signature`), a
//! category of the catalog (`etat-civil`), a workflow's states and actions (`under_review`, `approve`). Each is
//! its own type, so that a role key never stands where a service code is expected. They are written as plain
//! strings in JSON (templates, archives, the API) and in the database; the template's check
//! (`TemplateContent::check`) says which strings are well-formed keys, as before.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! template_key {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "store", derive(sea_orm::DeriveValueType))]
        pub struct $name(String);

        impl $name {
            pub fn new(key: impl Into<String>) -> Self {
                Self(key.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        // A key may be a table's primary key (the roles'): never a generated number.
        #[cfg(feature = "store")]
        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(key: &str) -> Self {
                Self(key.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(key: String) -> Self {
                Self(key)
            }
        }

        impl From<$name> for String {
            fn from(key: $name) -> Self {
                key.0
            }
        }

        // Read as the string it is (`&key` where a `&str` is asked, `key.starts_with(…)`); a `&str` never passes for
        // a key.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Maps and sets keyed by the key are looked up by a `&str` (its hash and order are the string's).
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    )*};
}

template_key!(
    /// A staff role of the commune's template (`counter_agent`, `civil_registrar`): what a membership holds, what a
    /// workflow's actions and escalations name, the body a commission asks.
    RoleKey,
    /// A procedure of the catalog (`legalisation-signature`): stable across its versions and the template's copies.
    ServiceCode,
    /// A category of the catalog (`etat-civil`).
    CategoryKey,
    /// A state of a procedure's workflow (`submitted`, `under_review`): what a request stands in.
    StateKey,
    /// An action of a procedure's workflow (`approve`, `reopen`): what staff, the applicant or a timer take.
    ActionKey,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_its_string_in_json_and_in_lookups() {
        let role = RoleKey::new("counter_agent");
        assert_eq!(serde_json::to_string(&role).unwrap(), "\"counter_agent\"");
        assert_eq!(serde_json::from_str::<RoleKey>("\"counter_agent\"").unwrap(), role);
        let roles: std::collections::BTreeSet<RoleKey> = [role.clone()].into();
        assert!(roles.contains("counter_agent"));
        assert!(role == "counter_agent" && role.as_str() == "counter_agent");
    }
}
