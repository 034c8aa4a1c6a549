// Types of jamaa-sdk. The offline rules and their value types are wasm-bindgen's, generated from the Rust
// crate (core's value types by ts-rs, in sdk-wasm/src/types.d.ts; the others in sdk-wasm/src/lib.rs); the client
// is described here.

import type {
  AuditProof,
  Country,
  FieldError,
  FieldState,
  FormSchema,
  Locale,
  LocalizedText,
  SubmissionRules,
  SubmittedDocument,
  Validation,
  WorkflowDefinition,
  WorkingCalendar,
} from "./web/jamaa_sdk.js";

export type {
  ActorSpec,
  AuditProof,
  AuditProofEvent,
  AuditProofProblem,
  AuditProofReport,
  AuditProofStep,
  AvailableAction,
  Country,
  DatedHoliday,
  FieldError,
  FieldState,
  FixedHoliday,
  FormSchema,
  KeptHead,
  Locale,
  LocalizedText,
  SubmissionRules,
  SubmittedDocument,
  TrackingCodeParts,
  Validation,
  WorkflowDefinition,
  WorkingCalendar,
} from "./web/jamaa_sdk.js";
export {
  availableActions,
  dueDate,
  fieldStates,
  localize,
  normalizeNationalId,
  normalizePhone,
  parseTrackingCode,
  textDirection,
  validateForm,
  validateSubmission,
  verifyAuditProof,
} from "./web/jamaa_sdk.js";

/** A whole service definition, as the API's `Service.definition` gives it. */
export interface ServiceDefinition extends SubmissionRules {
  code: string;
  name: LocalizedText;
  workflow: WorkflowDefinition;
}

/** What a WebAssembly module can be loaded from. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module (once). The rules may be called when it resolves; the client waits by itself. */
export function init(source?: WasmSource): Promise<void>;

/** The API's error codes, and NETWORK_ERROR when the API could not be reached. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION_FAILED"
  | "CONFLICT"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_KEY_DONE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL"
  | "NETWORK_ERROR"
  | "UNSUPPORTED";

/** Every failure of the SDK: the API's `extensions.code`, and for VALIDATION_FAILED its `extensions.fields`. */
export class JamaaError extends Error {
  constructor(message: string, code: ErrorCode | string, fields?: FieldError[], cause?: unknown);
  readonly name: "JamaaError";
  code: ErrorCode | string;
  fields: FieldError[];
  /** The API's summary of validation failures, for these fields. */
  static validation(fields: FieldError[]): JamaaError;
  static from(error: unknown): JamaaError;
}

/** The part of the Web Storage interface drafts need (localStorage by default). */
export interface DraftStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A Storage kept in memory, for runtimes without localStorage. */
export function memoryStorage(): DraftStorage & { clear(): void };

export interface ClientOptions {
  /** The GraphQL endpoint; default `/graphql` (same origin). */
  endpoint?: string;
  /** The locale of texts and messages; default: each commune's default locale. */
  locale?: Locale;
  fetch?: typeof globalThis.fetch;
  /** Where drafts are kept; default localStorage, else memory. */
  storage?: DraftStorage;
  /** Extra HTTP headers (a partner's `Authorization: Bearer …`). */
  headers?: Record<string, string>;
  /** The bearer token to send (a login session's or an API token); `login()` sets it too. */
  token?: string | null;
  /** The graphql-ws endpoint of subscriptions; default the endpoint followed by `/ws`. */
  wsEndpoint?: string;
  /**
   * The waits, in milliseconds, before each new attempt of a submission that could not be sent or found the
   * API UNAVAILABLE (sent again with the same idempotency key); default `[300, 1000, 3000]`, `[]` for none.
   */
  retryDelays?: number[];
}

export interface SubmitOptions {
  /** The submission's idempotency key (16 to 128 of `A-Za-z0-9-_.:`); default a fresh `crypto.randomUUID()`. */
  idempotencyKey?: string;
}

export interface LocalizedString {
  locale: Locale;
  text: string;
}

export interface Commune {
  slug: string;
  name: string;
  names: LocalizedString[];
  country: Country;
  defaultLocale: Locale;
  locales: Locale[];
  timeZone: string;
  currency: string;
  trackingPrefix: string;
  calendar: WorkingCalendar;
  /** `TRAINING`: a training commune, whose files are fictitious. */
  status: CommuneStatus;
}

export type CommuneStatus = "ONBOARDING" | "ACTIVE" | "SUSPENDED" | "TRAINING";

export interface FeeLine {
  label: string;
  amountMinor: number;
  currency: string;
  legalBasis: string | null;
}

export interface DocumentType {
  code: string;
  label: string;
  mandatory: boolean;
  formats: string[];
  maxSizeBytes: number;
}

export type Silence = "NOTHING" | "TACIT_APPROVAL" | "TACIT_REFUSAL";
/** How a procedure may be requested. */
export type ServiceChannel = "ONLINE" | "COUNTER";
/** A personal field staff search requests by (blind index). */
export type SearchField = "CIN" | "NATIONAL_ID" | "PHONE" | "EMAIL";
/** Who presents a petition (organic law 113.14). */
export type PetitionerType = "CITIZENS" | "ASSOCIATION";

export interface ServiceSummary {
  code: string;
  version: number;
  name: string;
  description: string;
  category: string;
  channels: ServiceChannel[];
  deadline: { days: number; workingDays: boolean };
  /** Who set the deadline: the law the procedure cites, or the commune (no legal text cited). */
  deadlineSetBy: "LAW" | "COMMUNE";
  silence: Silence;
  silenceMeans: string;
  fees: FeeLine[];
  documents: DocumentType[];
  legalReferences: string[];
}

export interface FormField {
  key: string;
  label: string;
  help: string | null;
  /** text, long_text, number, money, date, choice, multi_choice, boolean, national_id, phone, email, location,
   * document_ref */
  type: string;
  required: boolean;
  personal: boolean;
  options: { value: string; label: string }[];
}

export interface Service extends ServiceSummary {
  fields: FormField[];
  formSchema: FormSchema;
  definition: ServiceDefinition;
  states: { key: string; label: string; terminal: boolean }[];
}

export interface ReceivedDocument {
  code: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
}

export interface Receipt {
  trackingCode: string;
  communeName: string;
  serviceCode: string;
  serviceName: string;
  submittedAt: string;
  /** `YYYY-MM-DD`: the date by which the law says the commune must decide. */
  decisionDue: string;
  silence: Silence;
  silenceMeans: string;
  /** Who set the deadline: the law the procedure cites, or the commune (no legal text cited). */
  deadlineSetBy: "LAW" | "COMMUNE";
  deadlineBasis: string;
  locale: Locale;
  direction: "rtl" | "ltr";
  documents: ReceivedDocument[];
  fees: FeeLine[];
}

export interface Step {
  action: string;
  actionLabel: string;
  fromState: string | null;
  toState: string;
  stateLabel: string;
  actor: string;
  comment: string | null;
  at: string;
  /**
   * The staff form filled in with the action (staff only, on servers with staff forms): its values, the personal
   * ones only for the staff of the request's workflow, and the keys of those left sealed for the caller.
   */
  form?: { values: Record<string, unknown>; sealedFields: string[] } | null;
}

export interface TrackedRequest {
  trackingCode: string;
  commune: string;
  serviceCode: string;
  serviceName: string;
  state: string;
  stateLabel: string;
  outcome: "APPROVED" | "REJECTED" | "WITHDRAWN" | "CLOSED" | null;
  version: number;
  submittedAt: string;
  decisionDue: string;
  updatedAt: string;
  closedAt: string | null;
  availableActions: { key: string; label: string; commentRequired: boolean }[];
  history: Step[];
  receipt: Receipt;
}

export interface Submission {
  /** The citizen's secret: shown once, needed with the tracking code to track the request. */
  secret: string;
  trackingCode: string;
  receipt: Receipt;
  request: TrackedRequest;
}

export interface Draft {
  commune: string;
  serviceCode: string;
  data: Record<string, unknown>;
  documents: SubmittedDocument[];
  savedAt: string;
}

export interface JamaaClient extends StaffClient {
  /** The locale of texts and messages; when unset, each commune's default locale. */
  locale: Locale | undefined;
  localeOf(commune: string): Promise<Locale>;
  listCommunes(): Promise<Commune[]>;
  getCommune(slug: string): Promise<Commune>;
  /** The commune's audit chain head, public: a chain rewritten behind it no longer holds this hash there. */
  auditHead(commune: string): Promise<AuditHead>;
  /** The heads the commune published (once a day at most, when its chain moved), the latest first. */
  auditHeads(commune: string, paging?: Paging): Promise<Page<PublishedAuditHead> & { totalCount: number }>;
  /** The proof for a tracked request since a kept head's sequence: check it with `verifyAuditProof`. */
  auditProof(trackingCode: string, secret: string, since: number): Promise<AuditProof>;
  listServices(commune: string): Promise<ServiceSummary[]>;
  getService(commune: string, code: string): Promise<Service>;
  /** Offline check with the server's rules; errors at the API's paths (`input.data.cin`). */
  validate(
    commune: string,
    serviceCode: string,
    data: Record<string, unknown>,
    documents?: SubmittedDocument[],
  ): Promise<Validation>;
  /**
   * Validates offline first: an invalid submission throws VALIDATION_FAILED without calling the API. Sent with
   * an idempotency key, and sent again with it when the API cannot be reached or is UNAVAILABLE: filed once.
   */
  submit(
    commune: string,
    serviceCode: string,
    data: Record<string, unknown>,
    documents?: SubmittedDocument[],
    options?: SubmitOptions,
  ): Promise<Submission>;
  track(trackingCode: string, secret: string): Promise<TrackedRequest>;
  /** Starts paying online what the request owes: post `fields` to `action` (the commune's provider). */
  startOnlinePayment(trackingCode: string, secret: string, options?: { idempotencyKey?: string }): Promise<OnlineCheckout>;
  /** The documents issued about a request (an extract delivered from the register, …), for its applicant. */
  trackedDocuments(trackingCode: string, secret: string): Promise<IssuedDocument[]>;
  saveDraft(
    commune: string,
    serviceCode: string,
    data: Record<string, unknown>,
    documents?: SubmittedDocument[],
  ): Draft;
  loadDraft(commune: string, serviceCode: string): Draft | null;
  listDrafts(): Draft[];
  deleteDraft(commune: string, serviceCode: string): void;
}

export function createClient(options?: ClientOptions): JamaaClient;

// ---- Staff and operators ----

/** `YYYY-MM-DD`. */
export type IsoDate = string;
/** RFC 3339, UTC. */
export type DateTimeString = string;

export interface LoginSession {
  token: string;
  expiresAt: DateTimeString;
}

/** snake_case names: `read_requests`, `act_on_requests`, `manage_civil_status`, `manage_access`, … */
export type Permission =
  | "submit_request"
  | "read_requests"
  | "act_on_requests"
  | "publish_service"
  | "verify_audit"
  | "manage_civil_status"
  | "manage_council"
  | "manage_courier"
  | "manage_finance"
  | "read_indicators"
  | "manage_access"
  | "manage_publications"
  | "manage_notifications"
  | "assign_requests"
  | "manage_staff"
  | "manage_disputes"
  | "manage_projects"
  | "record_finance"
  | "approve_commitments"
  | "collect_payments"
  | "manage_revenue"
  | "reconcile_payments"
  | "approve_refunds"
  | "give_opinions";

export interface UserMembership {
  commune: string;
  roles: string[];
  /** What the roles allow in this commune; null when the server does not say. */
  permissions: Permission[] | null;
}

export interface Me {
  id: string;
  login: string;
  displayName: string;
  operator: boolean;
  memberships: UserMembership[];
}

/** What the server offers beyond the first version of the API. */
export interface ServerFeatures {
  assignment: boolean;
  inboxCounts: boolean;
  fileDownload: boolean;
  permissions: boolean;
  accounts: boolean;
  apiTokens: boolean;
  /** `Commune.templateName`, `templateVersion`, `latestTemplateVersion`, `upgradeAvailable`. */
  lineage: boolean;
  /** `Request.lapsedAt`: when a complaint's answer period ended without an answer. */
  lapse: boolean;
  /** `Request.stepDueDate` and `stepOverdue`, the inbox's `stepOverdue` filter and count: steps dated by their state's SLA. */
  stepDeadlines: boolean;
  /** `Step.form` and `AvailableAction.formSchema`, `actOnRequest(form:)`: staff forms on workflow actions. */
  staffForms: boolean;
  /** `Request.commission` and `giveOpinion`: states that consult the opinions of several bodies. */
  commissions: boolean;
}

export type Opinion = "FAVOURABLE" | "FAVOURABLE_WITH_CONDITIONS" | "UNFAVOURABLE";

/** The commission a request's state consults: its bodies, their due days and opinions. */
export interface Commission {
  state: string;
  rule: "ANY_UNFAVOURABLE_BLOCKS" | "MAJORITY";
  /** What the silence of a body counts as once its delay ends. */
  silenceCountsAs: Opinion;
  /** The local day the request entered the state: day 0 of the bodies' delays. */
  enteredOn: string;
  outcome: "PENDING" | Opinion;
  bodies: {
    role: string;
    label: string;
    delayDays: number;
    /** The legal text the delay comes from; null when the commune sets it. */
    delayBasis: string | null;
    due: string;
    formSchema: FormSchema | null;
    opinion: {
      opinion: Opinion;
      silent: boolean;
      reasons: string | null;
      givenBy: string;
      givenAt: DateTimeString;
    } | null;
  }[];
  /** The bodies (role keys) whose opinion the caller may give now. */
  yours: string[];
}

export interface StaffMember {
  id: string;
  login: string;
  displayName: string;
}

export type AssignmentFilter = "ANY" | "MINE" | "UNASSIGNED";

export interface InboxFilters {
  state?: string | null;
  serviceCode?: string | null;
  overdue?: boolean | null;
  dueBefore?: IsoDate | null;
  /** Requests whose step is past its due date (its state's SLA); servers that date steps only. */
  stepOverdue?: boolean | null;
  assignment?: AssignmentFilter | null;
  assigneeId?: string | null;
  /** A tracking code or a national id (found by blind index). */
  search?: string | null;
}

export interface Paging {
  first?: number;
  after?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

export type Outcome = "APPROVED" | "REJECTED" | "WITHDRAWN" | "CLOSED";

export interface StaffRequestSummary {
  id: string;
  trackingCode: string;
  commune: string;
  serviceCode: string;
  serviceName: string;
  serviceVersion: number;
  state: string;
  stateLabel: string;
  outcome: Outcome | null;
  version: number;
  submittedAt: DateTimeString;
  decisionDue: IsoDate;
  updatedAt: DateTimeString;
  closedAt: DateTimeString | null;
  /** Present when the server assigns files; null when unassigned. */
  assignee?: StaffMember | null;
  /** Present when the server records lapses: when the answer period ended without an answer, else null. */
  lapsedAt?: DateTimeString | null;
  /** Present when the server dates steps: the day the step the request is in is due (its state's SLA), else null. */
  stepDueDate?: IsoDate | null;
  /** Present when the server dates steps: the request is open and its step's due date has passed. */
  stepOverdue?: boolean;
}

export interface InboxPage extends Page<StaffRequestSummary> {
  /** Null on servers without the inbox's counts. */
  totalCount: number | null;
}

export interface InboxCounts {
  total: number;
  overdue: number;
  /** Present when the server dates steps: open requests whose step is past its due date. */
  stepOverdue?: number;
  mine: number;
  unassigned: number;
  byState: { state: string; label: string; count: number }[];
}

export interface RequestDocument {
  code: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string | null;
  /** Set when the file was uploaded (and the server offers downloads). */
  fileId?: string | null;
}

export interface StaffRequest extends StaffRequestSummary {
  /** The form data; the personal fields this caller may not read are left out and named in `sealedFields`. */
  data: Record<string, unknown>;
  sealedFields: string[];
  documents: RequestDocument[];
  availableActions: {
    key: string;
    label: string;
    commentRequired: boolean;
    notifiesApplicant: boolean;
    /** The form the member fills in with the action, if it asks for one (servers with staff forms). */
    formSchema?: FormSchema | null;
  }[];
  history: Step[];
  messages: { action: string; actionLabel: string; body: string; at: DateTimeString }[];
  receipt: Receipt;
  /** The commission its state consults, if any (servers with commissions). */
  commission?: Commission | null;
}

export interface IssuedDocument {
  id: string;
  code: string;
  kind: string;
  title: string;
  fingerprint: string;
  text: string;
  issuedAt: DateTimeString;
  verifyPath: string;
  /** Where whoever holds the code downloads its PDF (a path on the server); null if issued before PDFs were. */
  pdfPath: string | null;
  /** SHA-256 of its PDF, hex: what `/verify` compares a presented PDF with; null if issued before PDFs were. */
  pdfFingerprint: string | null;
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
  mediaType: string;
}

export interface RequestUpdate {
  requestId: string;
  trackingCode: string;
  sequence: number;
  event: string;
  state: string;
  version: number;
  occurredAt: DateTimeString;
}

export type ComplaintModeration = "NOT_PUBLIC" | "PENDING" | "CLEAR" | "APPROVED" | "REDACTED" | "KEPT_PRIVATE";
export type PersonalDataKind = "PHONE" | "NATIONAL_ID" | "EMAIL" | "NAME";
export type ModerationAction = "APPROVE" | "REDACT" | "KEEP_PRIVATE";

/** A public complaint as its moderators see it: the applicant's text, never their contact details. */
export interface ModeratedComplaint {
  trackingCode: string;
  serviceCode: string;
  category: string | null;
  categoryLabel: string | null;
  description: string | null;
  address: string | null;
  publishedDescription: string | null;
  publishedAddress: string | null;
  /** null: public before texts were screened. */
  findings: PersonalDataKind[] | null;
  suggestedRedaction: string | null;
  moderation: ComplaintModeration;
  submittedAt: DateTimeString;
}

export interface AuditHead {
  /** The number of events in the chain. */
  sequence: number;
  /** SHA-256 of the last event, hex. */
  hash: string;
  /** The last event's link in the public chain, hex: what `verifyAuditProof` checks a kept head by. */
  link: string;
  recordedAt: DateTimeString | null;
}

export interface PublishedAuditHead {
  commune: string;
  /** The day (UTC) it was published, `YYYY-MM-DD`. */
  day: string;
  sequence: number;
  hash: string;
  link: string;
  recordedAt: DateTimeString | null;
  publishedAt: DateTimeString;
}

export interface Workload {
  member: StaffMember;
  open: number;
  overdue: number;
}

export interface PersonName {
  givenAr: string;
  familyAr: string;
  givenLatin: string;
  familyLatin: string;
}

export type CivilActKind = "BIRTH" | "DEATH";
export type Sex = "MALE" | "FEMALE";

export interface CivilParentInput {
  name: PersonName;
  nationality?: string | null;
  /** `1990`, `1990-04` or `1990-04-17`. */
  birthDate?: string | null;
  birthPlace?: string | null;
  nationalId?: string | null;
}

export interface RegisterCivilActInput {
  kind: CivilActKind;
  office: string;
  sex?: Sex | null;
  event: { date: IsoDate; time?: string | null; place: string };
  subjectBirthDate?: string | null;
  subject: PersonName;
  subjectNationalId?: string | null;
  father?: CivilParentInput | null;
  mother?: CivilParentInput | null;
  declarant: { name: PersonName; relation: string; nationalId?: string | null };
}

export interface CivilActSummary {
  id: string;
  kind: CivilActKind;
  number: string;
  office: string;
  year: number;
  actNumber: number;
  eventDate: IsoDate;
  registeredOn: IsoDate;
}

export type CivilMentionKind = "RECOGNITION" | "RECTIFICATION" | "MARRIAGE" | "DIVORCE" | "DEATH" | "OTHER";

export interface CivilMentionInput {
  kind: CivilMentionKind;
  text: string;
  reference?: string | null;
  effectiveOn: IsoDate;
}

export interface CivilMention extends CivilMentionInput {
  sequence: number;
  reference: string | null;
  recordedAt: DateTimeString;
}

export interface CivilParent {
  name: PersonName;
  nationality: string | null;
  birthDate: string | null;
  birthPlace: string | null;
  nationalId: string | null;
}

export interface CivilAct extends CivilActSummary {
  sex: Sex | null;
  eventTime: string | null;
  eventPlace: string;
  subjectBirthDate: string | null;
  subject: PersonName;
  subjectNationalId: string | null;
  father: CivilParent | null;
  mother: CivilParent | null;
  declarant: { name: PersonName; relation: string; nationalId: string | null };
  registeredAt: DateTimeString;
  mentions: CivilMention[];
  history: { sequence: number; at: DateTimeString; actor: string; kind: string }[];
}

export type CivilDocumentKind = "EXTRACT" | "FULL_COPY";

export interface CivilDocument {
  actId: string;
  number: string;
  kind: CivilDocumentKind;
  title: string;
  titleAr: string;
  fields: { key: string; label: string; value: string }[];
  text: string;
  code: string;
  fingerprint: string;
  verifyPath: string;
  /** Where whoever holds the code downloads the PDF issued; null for a document issued before PDFs were. */
  pdfPath: string | null;
  issuedAt: DateTimeString;
}

/** How an online request names its act: by number and year, by the applicant's own national id, or neither. */
export type CivilActLookup = "ACT_NUMBER" | "NATIONAL_ID" | "NONE";

/** How an online request for an extract or a full copy stands against the register. */
export interface CivilRequestMatch {
  requestId: string;
  trackingCode: string;
  document: CivilDocumentKind;
  actKind: CivilActKind;
  lookup: CivilActLookup;
  actNumber: number | null;
  actYear: number | null;
  /** The acts the request names: none when no act matches. */
  acts: CivilActSummary[];
  open: boolean;
}

export type MailDirection = "INCOMING" | "OUTGOING";
export type MailState = "OPEN" | "ANSWERED" | "CLOSED";

export interface RegisterMailInput {
  direction: MailDirection;
  correspondent: string;
  subject: string;
  date: IsoDate;
  department: string;
  dueOn?: IsoDate | null;
  requestCode?: string | null;
  deliberationId?: string | null;
}

export interface MailSummary {
  id: string;
  number: string;
  direction: MailDirection;
  year: number;
  correspondent: string;
  subject: string;
  date: IsoDate;
  department: string;
  dueOn: IsoDate | null;
  state: MailState;
  overdue: boolean;
  requestCode: string | null;
  deliberationId: string | null;
  registeredAt: DateTimeString;
  updatedAt: DateTimeString;
}

export interface MailItem extends MailSummary {
  history: { kind: string; department: string; state: MailState; note: string | null; at: DateTimeString; actor: string }[] | null;
}

export interface MailFilters {
  year?: number | null;
  direction?: MailDirection | null;
  department?: string | null;
  state?: MailState | null;
  overdue?: boolean | null;
}

export type CouncilRole = "PRESIDENT" | "VICE_PRESIDENT" | "SECRETARY" | "MEMBER";

export interface CouncilMemberInput {
  nameAr: string;
  nameLatin: string;
  party: string;
  role: CouncilRole;
  mandateStart: IsoDate;
  mandateEnd?: IsoDate | null;
}

export interface CouncilMember extends CouncilMemberInput {
  id: string;
  mandateEnd: IsoDate | null;
}

export type SessionKind = "ORDINARY" | "EXTRAORDINARY";
export type VoteChoice = "FOR" | "AGAINST" | "ABSTAIN" | "ABSENT";

export interface VoteCount {
  membersInOffice: number;
  present: number;
  votesFor: number;
  against: number;
  abstain: number;
  absent: number;
  outcome: "ADOPTED" | "REJECTED" | "NO_QUORUM";
}

export interface CouncilSession {
  id: string;
  kind: SessionKind;
  startsOn: IsoDate;
  titleAr: string;
  titleFr: string;
  publishedAt: DateTimeString | null;
  agenda: { id: string; position: number; titleAr: string; titleFr: string; requestId: string | null }[];
  deliberations: {
    id: string;
    number: number;
    agendaItemId: string | null;
    textAr: string;
    textFr: string;
    decidedAt: DateTimeString;
    count: VoteCount;
    votes: { memberId: string; choice: VoteChoice }[];
  }[];
}

export interface CouncilDecision {
  sessionId: string;
  sessionKind: SessionKind;
  sessionDate: IsoDate;
  sessionTitleAr: string;
  sessionTitleFr: string;
  number: number;
  textAr: string;
  textFr: string;
  publishedAt: DateTimeString | null;
  count: VoteCount;
  votes: { nameAr: string; nameLatin: string; party: string; choice: VoteChoice }[];
}

export interface BudgetExecution {
  currency: string;
  years: {
    year: number;
    appropriated: string;
    committed: string;
    paid: string;
    planned: string;
    collected: string;
    executionRate: string | null;
    collectionRate: string | null;
  }[];
  chapters: {
    year: number;
    chapter: string;
    appropriated: string;
    committed: string;
    paid: string;
    commitmentRate: string | null;
    executionRate: string | null;
  }[];
}

export interface Petition {
  id: string;
  subject: string;
  text: string;
  /** Null when the form's answer is neither (a form the commune changed). */
  petitionerType: PetitionerType | null;
  associationName: string | null;
  state: string;
  stateLabel: string;
  signatures: number;
  signatureThreshold: number | null;
  openForSignatures: boolean;
  submittedAt: DateTimeString;
}

export interface Publication {
  key: string;
  label: string;
  published: boolean;
  location: string | null;
  publishedAt: DateTimeString | null;
}

export interface CommuneUser {
  id: string;
  login: string;
  displayName: string;
  disabled: boolean;
  roles: string[];
}

export interface ApiTokenInfo {
  id: string;
  label: string;
  kind: string;
  /** A staff token's roles in its commune. */
  roles: string[];
  createdAt: DateTimeString;
  expiresAt: DateTimeString | null;
  lastUsedAt: DateTimeString | null;
  revokedAt: DateTimeString | null;
}

export interface CreateApiTokenInput {
  kind: "OPERATOR" | "STAFF" | "PARTNER";
  communes?: string[];
  roles?: string[];
  label: string;
  expiresAt?: DateTimeString | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: DateTimeString;
}

export type DeliveryStatus = "PENDING" | "DELIVERED" | "SKIPPED" | "DEAD";

export interface NotificationDelivery {
  id: string;
  eventId: string;
  requestId: string;
  sequence: number;
  channel: string;
  endpointId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: DateTimeString;
  lastError: string | null;
  deliveredAt: DateTimeString | null;
}

export type SmtpTlsMode = "NONE" | "STARTTLS" | "TLS";

export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  hasPassword: boolean;
  fromAddress: string;
  updatedAt: DateTimeString;
}

export interface SmtpSettingsInput {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username?: string | null;
  /** Left out, the stored password is kept; empty, it is removed. */
  password?: string | null;
  fromAddress: string;
}

export interface AuditReport {
  valid: boolean;
  eventsChecked: number;
  headHash: string;
  firstBrokenSequence: number | null;
  problem: string | null;
}

export interface AdminCommune extends Commune {
  id: string;
  officialCode: string | null;
  region: string | null;
  province: string | null;
  population: number | null;
  /** The template the commune's configuration follows (null when it came from none, or the server is older). */
  templateName: string | null;
  /** The version of that template it follows. */
  templateVersion: number | null;
  /** The latest published version of that template. */
  latestTemplateVersion: number | null;
  /** Whether a newer version of its template is published (null on a server without lineage). */
  upgradeAvailable: boolean | null;
}

export interface Template {
  name: string;
  version: number;
  reference: string;
  contentHash: string;
  publishedAt: DateTimeString;
  services: string[];
}

export interface TemplateChange {
  path: string;
  kind: "ADDED" | "REMOVED" | "CHANGED";
  before: unknown;
  after: unknown;
  summary: string;
}

export interface TemplateConflict {
  path: string;
  base: unknown;
  theirs: unknown;
  ours: unknown;
}

export interface UpgradeResult {
  upgraded: boolean;
  from: string | null;
  to: string;
  changes: TemplateChange[];
  localChanges: TemplateChange[];
  conflicts: TemplateConflict[];
  unresolved: TemplateConflict[];
  servicesPublished: string[];
  servicesRetired: string[];
}

export interface OnboardCommuneInput {
  from?: string | null;
  fromCommune?: string | null;
  slug: string;
  nameAr?: string | null;
  nameFr?: string | null;
  nameEn?: string | null;
  officialCode?: string | null;
  region?: string | null;
  province?: string | null;
  population?: number | null;
  /** When absent, the server picks free letters from the slug. */
  trackingPrefix?: string | null;
  country?: string | null;
  defaultLocale?: string | null;
  locales?: string[] | null;
  currency?: string | null;
  timeZone?: string | null;
  calendar?: unknown;
  dropLegalReferences?: boolean;
  dropFees?: boolean;
}

export interface Figures {
  submitted: number;
  byOutcome: { open: number; approved: number; rejected: number; withdrawn: number; closed: number };
  decided: number;
  decidedWithinDeadline: number;
  withinDeadlineShare: number | null;
  medianProcessingDays?: number | null;
  backlog: { total: number; buckets: { minDays: number; maxDays: number | null; count: number }[] };
}

export interface CommuneIndicators extends Figures {
  commune: string;
  communeName: string;
  country: string;
  region: string | null;
  from?: IsoDate;
  to?: IsoDate;
  asOf?: DateTimeString;
}

export interface NationalIndicators {
  from: IsoDate;
  to: IsoDate;
  communes: CommuneIndicators[];
  regions: (Figures & { country: string; region: string | null; communes: number })[];
  total: Figures;
}

export interface Period {
  from?: IsoDate | null;
  to?: IsoDate | null;
}

/** The operations of staff and operators (every function the back office uses). */
export interface StaffClient {
  readonly token: string | null;
  setToken(token: string | null): void;
  login(login: string, password: string): Promise<LoginSession>;
  logout(): Promise<void>;
  me(): Promise<Me>;
  features(): Promise<ServerFeatures>;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;

  inbox(commune: string, filters?: InboxFilters, paging?: Paging): Promise<InboxPage>;
  inboxCounts(commune: string, filters?: InboxFilters): Promise<InboxCounts>;
  findRequests(commune: string, field: SearchField, value: string): Promise<StaffRequestSummary[]>;
  getRequest(commune: string, id: string): Promise<StaffRequest>;
  act(
    commune: string,
    id: string,
    action: string,
    expectedVersion: number,
    comment?: string | null,
    form?: Record<string, unknown> | null,
  ): Promise<StaffRequestSummary>;
  /** A body's opinion on a request in a commission's state; `reasons` required unless FAVOURABLE. */
  giveOpinion(
    commune: string,
    id: string,
    opinion: Opinion,
    options?: { reasons?: string | null; body?: string | null; form?: Record<string, unknown> | null },
  ): Promise<StaffRequestSummary & { commission: Commission | null }>;
  issueDecision(commune: string, requestId: string): Promise<IssuedDocument>;
  /** The certificate of tacit acceptance of a request approved by silence; issuing again returns the same one. */
  issueTacitAcceptanceCertificate(commune: string, requestId: string): Promise<IssuedDocument>;
  requestDocuments(commune: string, requestId: string): Promise<IssuedDocument[]>;
  fileUrl(commune: string, requestId: string, fileId: string): string;
  downloadFile(commune: string, requestId: string, fileId: string): Promise<DownloadedFile>;
  assign(commune: string, requestId: string, memberId: string): Promise<StaffRequestSummary>;
  claim(commune: string, requestId: string): Promise<StaffRequestSummary>;
  release(commune: string, requestId: string): Promise<StaffRequestSummary>;
  assignableMembers(commune: string, requestId: string): Promise<StaffMember[]>;
  workload(commune: string): Promise<Workload[]>;
  subscribeInbox(
    commune: string,
    onUpdate: (update: RequestUpdate) => void,
    onError?: (error: JamaaError) => void,
    onConnected?: () => void,
  ): () => void;

  complaintModerationQueue(commune: string, paging?: Paging): Promise<Page<ModeratedComplaint> & { totalCount: number }>;
  moderateComplaint(
    commune: string,
    trackingCode: string,
    action: ModerationAction,
    redaction?: { description?: string | null; address?: string | null },
  ): Promise<ModeratedComplaint>;

  registerCivilAct(commune: string, input: RegisterCivilActInput): Promise<CivilAct>;
  addCivilMention(commune: string, actId: string, input: CivilMentionInput): Promise<CivilMention>;
  issueCivilDocument(commune: string, actId: string, kind: CivilDocumentKind): Promise<CivilDocument>;
  civilAct(commune: string, id: string): Promise<CivilAct>;
  civilActs(commune: string, filters?: { office?: string | null; year?: number | null; kind?: CivilActKind | null }, paging?: Paging): Promise<Page<CivilActSummary>>;
  findCivilActs(commune: string, nationalId: string): Promise<CivilActSummary[]>;
  civilRequestMatch(commune: string, requestId: string): Promise<CivilRequestMatch>;
  issueCivilRequest(commune: string, requestId: string, actId: string, expectedVersion: number): Promise<CivilDocument>;
  refuseCivilRequest(commune: string, requestId: string, expectedVersion: number, reason: string): Promise<{ id: string; state: string; version: number }>;

  registerMail(commune: string, input: RegisterMailInput): Promise<MailItem>;
  routeMail(commune: string, id: string, department: string, note?: string | null): Promise<MailItem>;
  setMailFollowUp(commune: string, id: string, state: MailState, note?: string | null): Promise<MailItem>;
  mailItems(commune: string, filters?: MailFilters, paging?: Paging): Promise<Page<MailSummary>>;
  mailItem(commune: string, id: string): Promise<MailItem>;

  councilMembers(commune: string): Promise<CouncilMember[]>;
  addCouncilMember(commune: string, input: CouncilMemberInput): Promise<CouncilMember>;
  councilSessions(commune: string): Promise<CouncilSession[]>;
  scheduleCouncilSession(commune: string, input: { kind: SessionKind; startsOn: IsoDate; titleAr: string; titleFr: string }): Promise<CouncilSession>;
  addAgendaItem(commune: string, input: { sessionId: string; titleAr: string; titleFr: string; requestId?: string | null }): Promise<CouncilSession>;
  recordDeliberation(commune: string, input: { sessionId: string; agendaItemId?: string | null; textAr: string; textFr: string; votes: { memberId: string; choice: VoteChoice }[] }): Promise<CouncilSession>;
  publishCouncilDecisions(commune: string, sessionId: string): Promise<CouncilSession>;
  councilDecisions(commune: string, year?: number | null): Promise<CouncilDecision[]>;

  importBudget(commune: string, year: number, csv: string): Promise<{ year: number; lines: number; replaced: number }>;
  budgetExecution(commune: string, year?: number | null): Promise<BudgetExecution>;
  petitions(commune: string): Promise<Petition[]>;
  publications(commune: string): Promise<Publication[]>;
  markPublished(commune: string, item: string, location: string): Promise<Publication>;

  communeUsers(commune: string): Promise<CommuneUser[]>;
  createUser(commune: string, input: { login: string; displayName: string; password: string; roles: string[] }): Promise<CommuneUser>;
  grantRole(commune: string, userId: string, role: string): Promise<CommuneUser>;
  revokeRole(commune: string, userId: string, role: string): Promise<CommuneUser>;
  setUserDisabled(commune: string, userId: string, disabled: boolean): Promise<CommuneUser>;
  resetUserPassword(commune: string, userId: string, password: string): Promise<boolean>;
  apiTokens(commune: string): Promise<ApiTokenInfo[]>;
  createApiToken(input: CreateApiTokenInput): Promise<{ id: string; token: string; expiresAt: DateTimeString | null }>;
  revokeApiToken(id: string): Promise<boolean>;
  webhookEndpoints(commune: string): Promise<WebhookEndpoint[]>;
  createWebhookEndpoint(commune: string, input: { url: string; events?: string[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  deleteWebhookEndpoint(commune: string, id: string): Promise<boolean>;
  /** A page of the deliveries, newest first, with their number in all. */
  notificationDeliveries(commune: string, status?: DeliveryStatus | null, paging?: Paging): Promise<Page<NotificationDelivery> & { totalCount: number }>;
  replayDelivery(commune: string, id: string): Promise<NotificationDelivery>;
  smtpSettings(commune: string): Promise<SmtpSettings | null>;
  setSmtpSettings(commune: string, input: SmtpSettingsInput): Promise<SmtpSettings>;
  auditVerify(commune: string): Promise<AuditReport>;

  listCommunesAdmin(): Promise<AdminCommune[]>;
  templates(): Promise<Template[]>;
  templateDiff(from: string, to: string): Promise<TemplateChange[]>;
  onboardCommune(input: OnboardCommuneInput): Promise<AdminCommune>;
  upgradeCommune(commune: string, to: string, options?: { resolutions?: { path: string; take: "THEIRS" | "OURS" }[]; dryRun?: boolean }): Promise<UpgradeResult>;
  exportTemplate(commune: string, name: string, options?: { version?: number | null; descriptionFr?: string | null; descriptionAr?: string | null }): Promise<Template & { bundle: unknown }>;
  importTemplate(bundle: unknown): Promise<Template>;
  publishService(commune: string, definition: unknown): Promise<number>;
  indicators(commune: string, period?: Period): Promise<CommuneIndicators>;
  nationalIndicators(period?: Period): Promise<NationalIndicators>;

  staffRecords(commune: string, paging?: Paging): Promise<Page<StaffRecord> & { totalCount: number }>;
  staffRecord(commune: string, id: string): Promise<StaffRecord>;
  createStaffRecord(commune: string, input: StaffRecordInput): Promise<StaffRecord>;
  updateStaffRecord(commune: string, id: string, input: StaffRecordInput, updatedAt?: DateTimeString | null): Promise<StaffRecord>;
  staffDirectory(commune: string): Promise<DirectoryEntry[]>;
  departments(commune: string): Promise<Department[]>;
  addDepartment(commune: string, input: DepartmentInput): Promise<Department>;
  updateDepartment(commune: string, id: string, input: DepartmentInput): Promise<Department>;
  leaveTypes(commune: string): Promise<LeaveType[]>;
  recordLeave(commune: string, staffId: string, input: LeaveInput): Promise<Leave>;

  projects(commune: string, paging?: Paging): Promise<Page<Project> & { totalCount: number }>;
  project(commune: string, id: string): Promise<Project>;
  projectCategories(commune: string): Promise<ProjectCategory[]>;
  createProject(commune: string, input: ProjectInput, options?: { idempotencyKey?: string }): Promise<Project>;
  updateProject(commune: string, id: string, input: ProjectInput, updatedAt?: DateTimeString | null): Promise<Project>;
  addProjectMilestone(commune: string, projectId: string, input: MilestoneInput, options?: { idempotencyKey?: string }): Promise<ProjectMilestone>;
  updateProjectMilestone(commune: string, id: string, input: MilestoneInput): Promise<ProjectMilestone>;
  recordProjectProgress(commune: string, projectId: string, input: ProgressInput, options?: { idempotencyKey?: string }): Promise<Project>;
  cancelLeave(commune: string, id: string): Promise<Leave>;

  disputeCases(commune: string, paging?: Paging): Promise<Page<DisputeCase> & { totalCount: number }>;
  disputeCase(commune: string, id: string): Promise<DisputeCase>;
  openDisputeCase(commune: string, input: DisputeCaseInput): Promise<DisputeCase>;
  setDisputeHearing(commune: string, caseId: string, input: HearingInput): Promise<DisputeHearing>;
  recordHearingOutcome(commune: string, id: string, outcome: string): Promise<DisputeHearing>;
  recordDisputeDecision(commune: string, caseId: string, input: DecisionInput): Promise<DisputeDecision>;
  lodgeDisputeAppeal(commune: string, caseId: string, input: AppealInput): Promise<DisputeAppeal>;
  closeDisputeCase(commune: string, id: string): Promise<DisputeCase>;
  updateDisputeCase(commune: string, id: string, input: DisputeCaseEditInput): Promise<DisputeCase>;
  disputeDocumentUrl(commune: string, caseId: string, documentId: string): string;
  attachDisputeDocument(commune: string, caseId: string, document: DisputeDocumentUpload): Promise<DisputeDocument>;
  downloadDisputeDocument(commune: string, caseId: string, documentId: string): Promise<DownloadedFile>;
  upcomingHearings(commune: string): Promise<UpcomingHearing[]>;
  caseTypes(commune: string): Promise<CaseType[]>;
  financeLedger(commune: string, year: number): Promise<FinanceLedger>;
  recordCommitment(commune: string, input: CommitmentInput): Promise<FinanceEntry>;
  approveCommitment(commune: string, commitmentId: string): Promise<FinanceEntry>;
  orderPayment(commune: string, commitmentId: string, amount: string): Promise<FinanceEntry>;
  recordPayment(commune: string, paymentOrderId: string, amount: string): Promise<FinanceEntry>;
  recordRevenueTitle(commune: string, input: RevenueTitleInput): Promise<FinanceEntry>;
  recordCollection(commune: string, titleId: string, amount: string): Promise<FinanceEntry>;
  correctFinanceEntry(commune: string, entryId: string, amount: string, reason: string): Promise<FinanceEntry>;
  paymentDemand(commune: string, trackingCode: string): Promise<PaymentDemand>;
  recordCounterPayment(commune: string, input: CounterPaymentInput, options?: { idempotencyKey?: string }): Promise<RecordedPayment>;
  cancelPayment(commune: string, paymentId: string, reason: string, options?: { idempotencyKey?: string }): Promise<RecordedPayment>;
  paymentsDayReport(commune: string, options?: { day?: string; agent?: string }): Promise<PaymentsDayReport>;
  paymentDocument(commune: string, paymentId: string): Promise<PaymentDocument>;
  collectedFees(commune: string, year?: number): Promise<CollectedFees[]>;
  onlinePayments(commune: string, first?: number): Promise<OnlinePayment[]>;
  importPaymentStatement(commune: string, day: string, csv: string, options?: { idempotencyKey?: string }): Promise<PaymentStatement>;
  paymentStatements(commune: string, day?: string): Promise<PaymentStatement[]>;
  refusedPaymentCallbacks(commune: string, first?: number): Promise<{ at: string; reason: string; orderId: string | null }[]>;
  requestRefund(commune: string, paymentId: string, amount: string, reason: string, options?: { idempotencyKey?: string }): Promise<PaymentRefund>;
  decideRefund(commune: string, refundId: string, approve: boolean, options?: { idempotencyKey?: string }): Promise<PaymentRefund>;
  paymentRefunds(commune: string): Promise<PaymentRefund[]>;
}

/** A staff record of the commune's human resources. */
export interface StaffRecord {
  id: string;
  fullName: string;
  grade: string;
  position: string;
  departmentId: string | null;
  enteredOn: IsoDate;
  leftOn: IsoDate | null;
  /** The last day of the leave the person is on today: no file is assigned to them until then. */
  awayUntil: IsoDate | null;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
  account: StaffMember | null;
  /** On one record only (its reading is audited). */
  personal?: { nationalId: string | null; birthDate: IsoDate | null; address: string | null; phone: string | null } | null;
  leaves?: Leave[] | null;
}

export interface StaffRecordInput {
  fullName: string;
  grade: string;
  position: string;
  departmentId?: string | null;
  enteredOn: IsoDate;
  leftOn?: IsoDate | null;
  userId?: string | null;
  userLogin?: string | null;
  nationalId?: string | null;
  birthDate?: IsoDate | null;
  address?: string | null;
  phone?: string | null;
}

export interface Leave {
  id: string;
  staffId: string;
  kind: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
  workingDays: number;
  note: string | null;
  recordedAt: DateTimeString;
  recordedBy: string;
}

export interface LeaveInput {
  kind: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
  note?: string | null;
}

export interface LeaveType {
  id: string;
  key: string;
  label: string;
  legalReference: string | null;
}

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  headId: string | null;
}

export interface DepartmentInput {
  name: string;
  parentId?: string | null;
  headId?: string | null;
}

export interface DirectoryEntry {
  staffId: string;
  fullName: string;
  grade: string;
  position: string;
  departmentId: string | null;
  absent: boolean;
  awayUntil: IsoDate | null;
  account: StaffMember | null;
}

/** Where the commune stands in a case, and where the case stands. */
export type DisputePosition = "CLAIMANT" | "DEFENDANT";
export type DisputeStatus = "OPEN" | "DECIDED" | "APPEALED" | "CLOSED";
export type DecisionOutcome = "WON" | "LOST" | "PARTLY";

/** A party to a case: personal data, sealed, read on the case file only. */
export interface DisputeParty {
  name: string;
  address?: string | null;
}

/** A court case of the commune (numbered `LIT-2026-000001`); amounts in centimes, as integer text. */
export interface DisputeCase {
  id: string;
  number: string;
  caseType: string;
  subject: string;
  courtName: string;
  courtCity: string;
  position: DisputePosition;
  lawyerName: string | null;
  lawyerBar: string | null;
  stakesCentimes: string;
  requestCode: string | null;
  status: DisputeStatus;
  openedOn: IsoDate;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
  /** On the case file only (its reading is audited). */
  parties?: DisputeParty[] | null;
  hearings?: DisputeHearing[] | null;
  decisions?: DisputeDecision[] | null;
  appeals?: DisputeAppeal[] | null;
  /** On the case file only: its documents, without their content. */
  documents?: DisputeDocument[] | null;
}

/** A correction of a case: its object, court, parties, lawyer and stakes as they should read. */
export interface DisputeCaseEditInput {
  subject: string;
  courtName: string;
  courtCity: string;
  parties: DisputeParty[];
  lawyerName?: string | null;
  lawyerBar?: string | null;
  stakesCentimes: string;
}

export type DisputeDocumentKind = "PLEADING" | "JUDGMENT" | "EXPERT_REPORT" | "CORRESPONDENCE" | "OTHER";

/** A document of a case (its content sealed, opened with `downloadDisputeDocument`). */
export interface DisputeDocument {
  id: string;
  title: string;
  kind: DisputeDocumentKind;
  fileName: string;
  /** Detected from the content at upload. */
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  addedAt: DateTimeString;
}

export interface DisputeDocumentUpload {
  title: string;
  kind: "pleading" | "judgment" | "expert_report" | "correspondence" | "other";
  file: Blob;
  fileName?: string;
}

export interface DisputeCaseInput {
  caseType: string;
  subject: string;
  courtName: string;
  courtCity: string;
  position: DisputePosition;
  parties: DisputeParty[];
  lawyerName?: string | null;
  lawyerBar?: string | null;
  stakesCentimes: string;
  /** The tracking code of a request or complaint of the commune. */
  requestCode?: string | null;
  openedOn: IsoDate;
}

export interface DisputeHearing {
  id: string;
  caseId: string;
  scheduledAt: DateTimeString;
  room: string | null;
  object: string;
  outcome: string | null;
  /** Some working days before the hearing, on the commune's calendar. */
  reminderDueAt: DateTimeString;
  remindedAt: DateTimeString | null;
}

export interface HearingInput {
  scheduledAt: DateTimeString;
  room?: string | null;
  object: string;
}

export interface DisputeDecision {
  id: string;
  decidedOn: IsoDate;
  outcome: DecisionOutcome;
  awardedCentimes: string;
  summary: string;
  appealDeadline: IsoDate;
}

export interface DecisionInput {
  decidedOn: IsoDate;
  outcome: DecisionOutcome;
  awardedCentimes: string;
  summary: string;
}

export interface DisputeAppeal {
  id: string;
  decisionId: string;
  lodgedOn: IsoDate;
  courtName: string;
  courtCity: string;
  deadline: IsoDate;
}

export interface AppealInput {
  lodgedOn: IsoDate;
  courtName: string;
  courtCity: string;
}

export interface UpcomingHearing {
  caseNumber: string;
  caseSubject: string;
  hearing: DisputeHearing;
}

export interface CaseType {
  id: string;
  key: string;
  label: string;
}

/** Where an action-plan project stands. */
export type ProjectStatus = "PLANNED" | "IN_PROGRESS" | "DONE" | "SUSPENDED";

/** A text in one of the commune's languages. */
export interface ProjectText {
  locale: string;
  text: string;
}

/** A project of the commune's action plan (organic law 113.14, arts 78–82). */
export interface Project {
  id: string;
  code: string;
  title: string;
  titles: ProjectText[];
  description: string;
  descriptions: ProjectText[];
  category: string;
  periodFrom: number;
  periodTo: number;
  status: ProjectStatus;
  /** Percent reached, 0 to 100. */
  progress: number;
  startsOn: IsoDate | null;
  endsOn: IsoDate | null;
  location: { place: string; latitude: number | null; longitude: number | null };
  published: boolean;
  /** Exact decimal in the commune's currency. */
  plannedTotal: string;
  budgetLines: ProjectBudgetLine[];
  milestones: ProjectMilestone[];
  updates: ProjectUpdate[];
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export interface ProjectBudgetLine {
  year: number;
  chapter: string;
  article: string;
  paragraph: string;
  /** Exact decimal in the commune's currency (`1500000.00`). */
  planned: string;
}

export interface ProjectMilestone {
  id: string;
  title: string;
  titles: ProjectText[];
  dueOn: IsoDate;
  doneOn: IsoDate | null;
}

export interface ProjectUpdate {
  id: string;
  on: IsoDate;
  progress: number;
  note: string;
  recordedAt: DateTimeString;
  recordedBy: string;
}

export interface ProjectCategory {
  id: string;
  key: string;
  label: string;
  legalReference: string | null;
}

export interface ProjectInput {
  code: string;
  title: ProjectText[];
  description: ProjectText[];
  category: string;
  periodFrom: number;
  periodTo: number;
  status?: ProjectStatus;
  startsOn?: IsoDate | null;
  endsOn?: IsoDate | null;
  place: string;
  latitude?: number | null;
  longitude?: number | null;
  budgetLines?: ProjectBudgetLine[];
  published?: boolean;
}

export interface MilestoneInput {
  title: ProjectText[];
  dueOn: IsoDate;
  doneOn?: IsoDate | null;
}

export interface ProgressInput {
  on: IsoDate;
  progress: number;
  note: ProjectText[];
  status?: ProjectStatus | null;
}

/** A budget line by its year and codes (`paragraph` empty when the line has none). */
export interface BudgetLineRef {
  year: number;
  chapter: string;
  article: string;
  paragraph?: string;
}

/** A commitment against an expense line; amounts are decimal strings (`"1250.50"`). */
export interface CommitmentInput {
  line: BudgetLineRef;
  amount: string;
  object: string;
  supplier: string;
}

/** A revenue title against a revenue line (of the line's revenue type). */
export interface RevenueTitleInput {
  line: BudgetLineRef;
  amount: string;
  object: string;
  debtor: string;
}

export type FinanceEntryKind =
  | "COMMITMENT"
  | "APPROVAL"
  | "PAYMENT_ORDER"
  | "PAYMENT"
  | "TITLE"
  | "COLLECTION"
  | "CORRECTION";

/** A recorded expenditure or revenue entry, never edited: counter-entries take back from it. */
export interface FinanceEntry {
  id: string;
  year: number;
  kind: FinanceEntryKind;
  /** 1, 2, 3, … per commune, year and kind. */
  number: number;
  parentId: string | null;
  amount: string;
  /** The amount net of its counter-entries. */
  net: string;
  object: string | null;
  party: string | null;
  revenueType: string | null;
  reason: string | null;
  approved: boolean;
  ordered: string;
  paid: string;
  collected: string;
  recordedBy: string;
  recordedAt: DateTimeString;
}

/** A budget line's figures as the ledger shows them. */
export interface LedgerLine {
  year: number;
  kind: "EXPENSE" | "REVENUE";
  chapter: string;
  article: string;
  paragraph: string;
  labelAr: string;
  labelFr: string;
  revenueType: string | null;
  appropriated: string | null;
  committed: string | null;
  paid: string | null;
  planned: string | null;
  collected: string | null;
}

export interface LineExecution {
  imported: LedgerLine;
  executed: LedgerLine;
  recordedCommitted: string;
  recordedOrdered: string;
  recordedPaid: string;
  recordedTitled: string;
  recordedCollected: string;
}

export interface FinanceLedger {
  year: number;
  currency: string;
  entries: FinanceEntry[];
  lines: LineExecution[];
  revenueTypes: { key: string; label: string; legalReference: string }[];
}

/** A payment of a fee, or the counter-entry that cancels one; amounts are decimal strings (`"2.00"`). */
export interface Payment {
  id: string;
  kind: "PAYMENT" | "CANCELLATION";
  /** `QR-2026-000012` (a quittance), `AN-2026-000003` (a cancellation). */
  number: string;
  channel: "CASH" | "CARD" | "ONLINE";
  amount: string;
  currency: string;
  day: string;
  terminalSlip: string | null;
  cancels: string | null;
  reason: string | null;
  verificationCode: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** What a request owes for its procedure's fees. */
export interface PaymentDemand {
  id: string;
  trackingCode: string;
  serviceCode: string;
  currency: string;
  lines: { label: string; amount: string; legalBasis: string | null; communeDecision: boolean }[];
  total: string;
  paid: string;
  outstanding: string;
  status: "UNPAID" | "PAID";
  howToPay: string;
  payments: Payment[];
}

export interface CounterPaymentInput {
  trackingCode: string;
  channel: "CASH" | "CARD";
  amount: string;
  currency: string;
  terminalSlip?: string | null;
}

/** A quittance or a notice of cancellation, as issued. */
export interface PaymentDocument {
  code: string;
  kind: string;
  title: string;
  text: string;
  verifyPath: string;
  /** Where its PDF is downloaded (a path on the server); null if issued before PDFs were. */
  pdfPath: string | null;
}

export interface RecordedPayment {
  payment: Payment;
  demand: PaymentDemand;
  document: PaymentDocument;
}

export interface PaymentsDayReport {
  day: string;
  agent: string;
  currency: string;
  cashCount: number;
  cash: string;
  cardCount: number;
  card: string;
  cancellationCount: number;
  cashCancelled: string;
  cardCancelled: string;
  cashNet: string;
  payments: Payment[];
}

export interface CollectedFees {
  year: number;
  month: number;
  serviceCode: string;
  currency: string;
  payments: number;
  amount: string;
}

/** A payment started online through the commune's provider; amounts are decimal strings (`"2.00"`). */
export interface OnlinePayment {
  id: string;
  orderId: string;
  demandId: string;
  requestId: string;
  amount: string;
  /** ISO 4217 numeric: `"504"`, the dirham. */
  currency: string;
  state: "PENDING" | "PAID" | "REFUSED" | "EXPIRED";
  providerReference: string | null;
  refusalCode: string | null;
  startedAt: string;
  expiresAt: string;
  settledAt: string | null;
  settledBy: "callback" | "statement" | null;
}

/** The form that sends the browser to the provider's page. */
export interface OnlineCheckout {
  action: string;
  fields: { name: string; value: string }[];
  payment: OnlinePayment;
}

export interface PaymentStatement {
  id: string;
  day: string;
  lines: number;
  mismatches: {
    kind: "PAID_NOT_RECORDED" | "RECORDED_NOT_STATED" | "AMOUNT_DIFFERS" | "UNKNOWN_ORDER";
    orderId: string;
    providerReference: string | null;
    recordedAmount: string | null;
    statedAmount: string | null;
    settled: boolean;
  }[];
  importedBy: string;
  importedAt: string;
}

export interface PaymentRefund {
  id: string;
  paymentId: string;
  amount: string;
  reason: string;
  status: "requested" | "approved" | "rejected";
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}
