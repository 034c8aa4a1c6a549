//! The service catalog: the administrative procedures a commune offers, with their documents, fees, legal
//! deadline, what silence means, and their workflow.

use serde::{Deserialize, Serialize};

use crate::model::calendar::Deadline;
use crate::model::commune::Currency;
use crate::model::complaint::ComplaintSettings;
use crate::model::form::FormSchema;
use crate::model::i18n::LocalizedText;
use crate::model::keys::{CategoryKey, RoleKey, ServiceCode};
use crate::model::workflow::WorkflowDefinition;

/// A published version of a service, with the workflow version it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedService {
    pub id: crate::model::ids::ServiceId,
    pub version: i32,
    pub workflow_id: crate::model::ids::WorkflowId,
    /// Shared by every commune (and every reader) holding the same definition.
    pub definition: std::sync::Arc<ServiceDefinition>,
    pub published_at: chrono::DateTime<chrono::Utc>,
}

/// A procedure as a commune publishes it. Publishing again makes a new version; versions are never edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDefinition {
    /// Stable code within the commune: `legalisation-signature`.
    pub code: ServiceCode,
    pub name: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub category: CategoryKey,
    pub channels: Vec<Channel>,
    /// The only documents that may be asked for (law 55.19: nothing that is not published).
    #[serde(default)]
    pub documents: Vec<DocumentRequirement>,
    pub form: FormSchema,
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// The legal deadline for the decision, counted from the submission.
    pub deadline: Deadline,
    /// What the law says silence means when the deadline passes.
    pub silence: SilenceRule,
    #[serde(default)]
    pub legal_references: Vec<LegalReference>,
    pub workflow: WorkflowDefinition,
    /// Set for complaint procedures: what the complaint module reads from the form and the workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintSettings>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Counter,
}

/// A document the applicant must or may attach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRequirement {
    /// Document type code: `cnie`, `plans`.
    pub code: String,
    pub label: LocalizedText,
    pub mandatory: bool,
    /// Accepted media types (`application/pdf`, `image/jpeg`).
    pub formats: Vec<String>,
    pub max_size_bytes: u64,
}

/// A fee, in minor units of the currency (centimes) so that sums are exact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fee {
    pub label: LocalizedText,
    pub amount_minor: i64,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// Where the amount comes from when `legalBasis` names no text: the commune's own tariff
    /// (`"communeSetting"`), or a text (`{"legalReference": "…"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::model::workflow::RuleBasis>,
}

/// What happens when the administration has not decided by the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SilenceRule {
    /// Silence has no legal effect; the citizen may complain or appeal.
    Nothing,
    TacitApproval,
    TacitRefusal,
}

impl SilenceRule {
    pub const fn as_str(self) -> &'static str {
        match self {
            SilenceRule::Nothing => "nothing",
            SilenceRule::TacitApproval => "tacit_approval",
            SilenceRule::TacitRefusal => "tacit_refusal",
        }
    }

    /// What silence means, said to the citizen on the receipt.
    pub fn explanation(self) -> LocalizedText {
        match self {
            SilenceRule::Nothing => LocalizedText::ar_fr(
                "لا يترتب على سكوت الإدارة بعد انقضاء الأجل أي قرار؛ يمكنكم تقديم شكاية أو تظلم.",
                "Le silence de l'administration à l'échéance ne vaut pas décision ; vous pouvez déposer une réclamation ou un recours.",
            )
            .with(
                crate::model::i18n::Locale::En,
                "Silence at the deadline is not a decision; you may file a complaint or an appeal.",
            )
            .with(
                crate::model::i18n::Locale::Es,
                "El silencio de la administración al vencer el plazo no es una decisión; puede presentar una reclamación o un recurso.",
            )
            .with(
                crate::model::i18n::Locale::Tzm,
                "ⴰⵙⵙⵓⵙⵎ ⵏ ⵜⵏⴱⴱⴰⴹⵜ ⴳ ⵜⵉⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ ⵓⵔ ⵉⴳⵉ ⵜⴰⴳⵜⵜⵓⵎⵜ; ⵜⵣⵎⵎⵔⵎ ⴰⴷ ⵜⵙⵔⵙⵎ ⵜⴰⵙⵓⵜⵔⴰ ⵏⵖ ⴰⵙⵓⵖⵍ.",
            ),
            SilenceRule::TacitApproval => LocalizedText::ar_fr(
                "سكوت الإدارة بعد انقضاء الأجل يعتبر موافقة ضمنية.",
                "Le silence de l'administration à l'échéance vaut acceptation tacite.",
            )
            .with(crate::model::i18n::Locale::En, "Silence at the deadline means tacit approval.")
            .with(
                crate::model::i18n::Locale::Es,
                "El silencio de la administración al vencer el plazo equivale a una aprobación tácita.",
            )
            .with(crate::model::i18n::Locale::Tzm, "ⴰⵙⵙⵓⵙⵎ ⵏ ⵜⵏⴱⴱⴰⴹⵜ ⴳ ⵜⵉⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ ⵉⴳⴰ ⴰⵇⴱⵓⵍ ⵙ ⵓⵙⵙⵓⵙⵎ."),
            SilenceRule::TacitRefusal => LocalizedText::ar_fr(
                "سكوت الإدارة بعد انقضاء الأجل يعتبر رفضا ضمنيا.",
                "Le silence de l'administration à l'échéance vaut refus tacite.",
            )
            .with(crate::model::i18n::Locale::En, "Silence at the deadline means tacit refusal.")
            .with(
                crate::model::i18n::Locale::Es,
                "El silencio de la administración al vencer el plazo equivale a una denegación tácita.",
            )
            .with(crate::model::i18n::Locale::Tzm, "ⴰⵙⵙⵓⵙⵎ ⵏ ⵜⵏⴱⴱⴰⴹⵜ ⴳ ⵜⵉⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ ⵉⴳⴰ ⴰⴳⵢ ⵙ ⵓⵙⵙⵓⵙⵎ."),
        }
    }
}

/// A legal text a rule comes from: `Loi 55.19, art. 6`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalReference {
    pub title: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ServiceDefinition {
    /// Checks a definition before it is published: its own fields, its form, its workflow against the
    /// commune's roles, and that a silence rule with legal effect has a timer at the legal deadline to apply
    /// it. Every problem is reported, each at its path.
    pub fn check(&self, known_roles: &[RoleKey]) -> Result<(), Vec<crate::error::FieldError>> {
        use crate::error::{FieldError, FieldErrorCode};
        use crate::model::form::messages::{ServiceProblem, service_problem};
        use crate::model::workflow::TimerDelay;

        let mut errors = Vec::new();
        let mut problem = |path: String, problem: ServiceProblem| {
            errors.push(FieldError::new(path, FieldErrorCode::InvalidDefinition, service_problem(problem)));
        };
        let code_ok = (2..=64).contains(&self.code.len())
            && self.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !code_ok {
            problem("code".into(), ServiceProblem::CodeFormat);
        }
        if self.name.is_empty() {
            problem("name".into(), ServiceProblem::NoName);
        }
        if self.channels.is_empty() {
            problem("channels".into(), ServiceProblem::NoChannel);
        }
        for (i, document) in self.documents.iter().enumerate() {
            if self.documents[..i].iter().any(|d| d.code == document.code) {
                problem(format!("documents[{i}].code"), ServiceProblem::DuplicateDocument);
            }
            if document.formats.is_empty() {
                problem(format!("documents[{i}].formats"), ServiceProblem::NoFormats);
            }
            if document.max_size_bytes == 0 {
                problem(format!("documents[{i}].maxSizeBytes"), ServiceProblem::SizeNotPositive);
            }
        }
        for (i, fee) in self.fees.iter().enumerate() {
            if fee.amount_minor < 0 {
                problem(format!("fees[{i}].amountMinor"), ServiceProblem::NegativeFee);
            }
            if Currency::parse(&fee.currency).is_err() {
                problem(format!("fees[{i}].currency"), ServiceProblem::CurrencyCode);
            }
        }
        let applies_silence = self.workflow.timers.iter().any(|t| t.after == TimerDelay::LegalDeadline);
        if self.silence != SilenceRule::Nothing && !applies_silence {
            problem("silence".into(), ServiceProblem::SilenceWithoutTimer);
        }
        let personal: Vec<&str> = self.form.personal_fields().map(|f| f.key.as_str()).collect();
        let mut staff_form_errors = Vec::new();
        for (i, action) in self.workflow.actions.iter().enumerate() {
            let mut fields = Vec::new();
            if let Some(guard) = &action.guard {
                guard_fields(guard, &mut fields);
            }
            if fields.iter().any(|f| personal.contains(f)) {
                problem(format!("workflow.actions[{i}].guard"), ServiceProblem::GuardReadsPersonal);
            }
            // `action.field` reads a staff form's field: that action must ask for it, and not as personal data.
            for field in fields.iter().filter_map(|f| f.split_once('.')) {
                let form = self.workflow.action(field.0).and_then(|a| a.form.as_ref());
                match form.and_then(|form| form.fields.iter().find(|f| f.key == field.1)) {
                    None => problem(format!("workflow.actions[{i}].guard"), ServiceProblem::GuardUnknownStaffField),
                    Some(def) if def.personal => {
                        problem(format!("workflow.actions[{i}].guard"), ServiceProblem::GuardReadsPersonal)
                    }
                    Some(_) => {}
                }
            }
            if let Some(Err(found)) = action.form.as_ref().map(|form| form.check()) {
                staff_form_errors.extend(
                    found
                        .into_iter()
                        .map(|error| FieldError { path: format!("workflow.actions[{i}].{}", error.path), ..error }),
                );
            }
        }
        // A step's SLA counts working days; the procedure's deadline, working or calendar days: a step may take
        // no more days than the whole procedure is given.
        for (i, state) in self.workflow.states.iter().enumerate() {
            if state.sla_days.is_some_and(|days| days > self.deadline.days) {
                problem(format!("workflow.states[{i}].slaDays"), ServiceProblem::SlaBeyondDeadline);
            }
        }
        // A commission's bodies exist and give their opinions within the procedure's deadline.
        for (i, state) in self.workflow.states.iter().enumerate() {
            if let Some(commission) = &state.commission {
                let path = format!("workflow.states[{i}].commission");
                errors.extend(commission.check(&self.workflow, state, &path, known_roles, self.deadline.days));
            }
        }
        errors.extend(staff_form_errors);
        if let Err(found) = self.form.check() {
            errors.extend(found);
        }
        if let Err(found) = self.workflow.check(known_roles) {
            errors.extend(found);
        }
        if let Some(complaint) = &self.complaint {
            errors.extend(complaint.check(&self.form, &self.workflow, self.deadline));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The form fields a guard reads.
fn guard_fields<'a>(guard: &'a crate::model::workflow::Guard, out: &mut Vec<&'a str>) {
    use crate::model::workflow::Guard;
    match guard {
        Guard::Equals { field, .. } | Guard::Compare { field, .. } | Guard::In { field, .. } => out.push(field),
        Guard::All(guards) | Guard::Any(guards) => guards.iter().for_each(|g| guard_fields(g, out)),
        Guard::Not(inner) => guard_fields(inner, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::Locale;

    #[test]
    fn what_silence_means_is_said_in_every_language() {
        for rule in [SilenceRule::Nothing, SilenceRule::TacitApproval, SilenceRule::TacitRefusal] {
            let text = rule.explanation();
            for locale in Locale::ALL {
                assert!(text.exact(locale).is_some(), "{rule:?} lacks {locale}");
            }
        }
    }
}
