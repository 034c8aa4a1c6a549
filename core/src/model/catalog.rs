//! The service catalog: the administrative procedures a commune offers, with their documents, fees, legal
//! deadline, what silence means, and their workflow.

use serde::{Deserialize, Serialize};

use crate::model::calendar::Deadline;
use crate::model::form::FormSchema;
use crate::model::i18n::LocalizedText;
use crate::model::workflow::WorkflowDefinition;

/// A procedure as a commune publishes it. Publishing again makes a new version; versions are never edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDefinition {
    /// Stable code within the commune: `legalisation-signature`.
    pub code: String,
    pub name: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub category: String,
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
            ),
            SilenceRule::TacitApproval => LocalizedText::ar_fr(
                "سكوت الإدارة بعد انقضاء الأجل يعتبر موافقة ضمنية.",
                "Le silence de l'administration à l'échéance vaut acceptation tacite.",
            )
            .with(crate::model::i18n::Locale::En, "Silence at the deadline means tacit approval."),
            SilenceRule::TacitRefusal => LocalizedText::ar_fr(
                "سكوت الإدارة بعد انقضاء الأجل يعتبر رفضا ضمنيا.",
                "Le silence de l'administration à l'échéance vaut refus tacite.",
            )
            .with(crate::model::i18n::Locale::En, "Silence at the deadline means tacit refusal."),
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
