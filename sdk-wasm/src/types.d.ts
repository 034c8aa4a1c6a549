// Generated from core's Rust types by ts-rs (sdk-wasm/src/types.rs): do not edit. After a change of those
// types, write it again with `UPDATE_SDK_TYPES=1 cargo test -p jamaa-sdk --lib types`.

/**
 * A language the platform speaks. Tamazight (`tzm`) is written in Tifinagh.
 */
export type Locale = "ar" | "fr" | "en" | "es" | "tzm";

/**
 * A country the platform serves.
 */
export type Country = "MA" | "MR" | "ES";

/**
 * A text in several locales: `{"ar": "…", "fr": "…"}`.
 */
export type LocalizedText = { [key in Locale]?: string };

/**
 * The fields a citizen fills in for a service.
 */
export type FormSchema = { fields: Array<FieldDef>, 
/**
 * Rules over the whole form, checked once each field is valid on its own.
 */
rules?: Array<FormRule>, };

/**
 * One field of a form: one flat JSON object, whose `type` names its kind.
 */
export type FieldDef = { 
/**
 * Stable key, `[a-z][a-z0-9_]*`; the field path of its errors is `data.<key>`.
 */
key: string, label: LocalizedText, help?: LocalizedText | null, required?: boolean, 
/**
 * Personal data (national id, phone, names): encrypted at rest and never logged.
 */
personal?: boolean, rules?: FieldRules, 
/**
 * The field is shown (and validated) only when this holds.
 */
visibleIf?: FieldCondition | null, 
/**
 * The field becomes required when this holds.
 */
requiredIf?: FieldCondition | null, } & ({ "type": "text" } | { "type": "long_text" } | { "type": "number" } | { "type": "money" } | { "type": "date" } | { "type": "choice", options: Array<ChoiceOption>, } | { "type": "multi_choice", options: Array<ChoiceOption>, } | { "type": "boolean" } | { "type": "national_id" } | { "type": "phone" } | { "type": "email" } | { "type": "location" } | { "type": "document_ref" });

export type ChoiceOption = { value: string, label: LocalizedText, };

/**
 * Limits on a value; each applies only to the field types it makes sense for: `minLength`, `maxLength` and
 * `pattern` to text and long text (lengths in characters, the pattern matching the whole trimmed text); `min`
 * and `max` to numbers and amounts, and to the number of options chosen in a multi-choice.
 */
export type FieldRules = { minLength?: number | null, maxLength?: number | null, min?: number | null, max?: number | null, 
/**
 * A regular expression the whole text must match.
 */
pattern?: string | null, };

/**
 * A condition on another field's value.
 */
export type FieldCondition = { field: string, 
/**
 * Holds when the field equals this value (for a multi-choice: contains it).
 */
equals: unknown, };

/**
 * A bound on a number (or amount) field set by the whole form: a fixed value, which names its basis (a law,
 * or the commune's own limit for the procedure, such as the storeys a small-project building permit covers),
 * or another number field of the form. `{"field": "floors", "op": "le", "value": 2, "basis": "communeSetting"}`;
 * `{"field": "built_surface", "op": "le", "otherField": "parcel_surface"}`. A rule applies only when both
 * values are there and valid; a broken one is `OUT_OF_RANGE` at `data.<field>`.
 */
export type FormRule = { field: string, op: RuleOp, value?: number | null, otherField?: string | null, 
/**
 * Where a fixed bound comes from; required with `value`.
 */
basis?: RuleBasis | null, };

/**
 * How a [`FormRule`] bounds its field: at most (`le`) or at least (`ge`).
 */
export type RuleOp = "le" | "ge";

/**
 * The basis of a number in a procedure: the legal text that sets it, or none — the commune sets it.
 */
export type RuleBasis = { "legalReference": string } | "communeSetting";

/**
 * Whether a field is shown, and whether it must be filled, for the data as it stands.
 */
export type FieldState = { key: string, visible: boolean, required: boolean, };

/**
 * A document the applicant attached (its metadata; the content is stored elsewhere).
 */
export type SubmittedDocument = { 
/**
 * The document type, one of the service's published documents.
 */
code: string, fileName: string, mediaType: string, sizeBytes: number, 
/**
 * SHA-256 of the content, hex.
 */
sha256?: string | null, };

/**
 * A commune's calendar of working days.
 */
export type WorkingCalendar = { 
/**
 * Days off every week (`["Sat", "Sun"]`).
 */
weekend: Array<"Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun">, 
/**
 * Holidays on the same day every year.
 */
fixedHolidays?: Array<FixedHoliday>, 
/**
 * Holidays of one year only (lunar holidays, exceptional days off).
 */
datedHolidays?: Array<DatedHoliday>, 
/**
 * The text that lists the fixed holidays (a decree and its amendments), unless a holiday names its own.
 */
fixedHolidaysSource?: string | null, };

export type FixedHoliday = { month: number, day: number, name: LocalizedText, 
/**
 * The text that made the day a holiday, when it is not the calendar's `fixedHolidaysSource`.
 */
source?: string | null, };

/**
 * A holiday of one year: a lunar feast (its date depends on the sighting of the moon) or an exceptional
 * day off.
 */
export type DatedHoliday = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, name: LocalizedText, 
/**
 * The text that makes the day off (the decree listing the feast, or the announcement of the date).
 */
source?: string | null, 
/**
 * A date computed in advance, not yet announced: the operator replaces it once the date is known.
 */
estimated?: boolean, };

/**
 * A head someone kept: one the commune published (`auditHeads`), or the head of a day (`auditHead`).
 */
export type KeptHead = { 
/**
 * The commune's slug, when the kept head names it.
 */
commune?: string | null, sequence: number, link: string, };

/**
 * What lets a citizen check, without trusting the server, that a head kept earlier is in the commune's chain
 * today and that the events of their request are in it: every link from `since` to the head, with the content
 * hashes they are computed from, and the content of the request's own events.
 */
export type AuditProof = { 
/**
 * The commune's slug.
 */
commune: string, 
/**
 * The commune's id, part of every event's content hash.
 */
tenantId: string, 
/**
 * What the request's events are about: `request:<id>`.
 */
subject: string, 
/**
 * The sequence the proof starts after, and the link there (the genesis hash at 0).
 */
since: number, sinceLink: string, 
/**
 * Every event after `since` up to the head, in order; the last one is the head when the proof was made.
 */
steps: Array<AuditProofStep>, };

/**
 * One event of a proof: its content hash and link, and its content when it is one of the request's events.
 */
export type AuditProofStep = { sequence: number, contentHash: string, link: string, event?: AuditProofEvent | null, };

/**
 * The content of one of the request's events, from which its content hash is recomputed.
 */
export type AuditProofEvent = { occurredAt: string, actor: string, kind: string, subject: string, 
/**
 * Canonical JSON, as hashed.
 */
payload: string, };

/**
 * Why a proof does not hold: stable codes, for a client to word in its language.
 */
export type AuditProofProblem = "OTHER_COMMUNE" | "HEAD_OUTSIDE_PROOF" | "HEAD_MISMATCH" | "SEQUENCE_GAP" | "LINK_BROKEN" | "CONTENT_CHANGED" | "OTHER_SUBJECT";

/**
 * The result of checking a proof.
 */
export type AuditProofReport = { valid: boolean, 
/**
 * Where the proof ends: the commune's head when it was made, to keep in place of the older one.
 */
headSequence: number, headLink: string, 
/**
 * The sequences of the request's events, each checked against its content.
 */
ownEvents: Array<number>, problem: AuditProofProblem | null, 
/**
 * The sequence where the proof first fails.
 */
brokenSequence: number | null, };
