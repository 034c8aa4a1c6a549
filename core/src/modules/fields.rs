//! The texts a register's form takes, checked alike in every module: trimmed, required or not, and no longer
//! than the register allows; each failure pushed under its path, so a form reports all of them at once.

use crate::error::{FieldError, FieldErrorCode};
use crate::model::form::messages;

/// `value` trimmed; a failure under `path` when it is empty or longer than `max` characters.
pub(crate) fn bounded(path: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(path, FieldErrorCode::Required, messages::register_required()));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(path, FieldErrorCode::TooLong, messages::register_too_long(max)));
    }
    value.to_owned()
}

/// `value` trimmed, none when absent or blank; a failure under `path` when longer than `max` characters.
pub(crate) fn optional(path: &str, value: Option<&str>, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(FieldError::new(path, FieldErrorCode::TooLong, messages::register_too_long(max)));
    }
    Some(value.to_owned())
}
