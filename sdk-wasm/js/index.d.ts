// Types of jamaa-sdk. The offline rules and their value types are wasm-bindgen's, generated from the Rust
// crate; the client is described here.

import type {
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
  AvailableAction,
  Country,
  FieldError,
  FieldState,
  FormSchema,
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
  | "RATE_LIMITED"
  | "INTERNAL"
  | "NETWORK_ERROR";

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
}

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

export interface ServiceSummary {
  code: string;
  version: number;
  name: string;
  description: string;
  category: string;
  channels: string[];
  deadline: { days: number; workingDays: boolean };
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

export interface JamaaClient {
  /** The locale of texts and messages; when unset, each commune's default locale. */
  locale: Locale | undefined;
  localeOf(commune: string): Promise<Locale>;
  listCommunes(): Promise<Commune[]>;
  getCommune(slug: string): Promise<Commune>;
  listServices(commune: string): Promise<ServiceSummary[]>;
  getService(commune: string, code: string): Promise<Service>;
  /** Offline check with the server's rules; errors at the API's paths (`input.data.cin`). */
  validate(
    commune: string,
    serviceCode: string,
    data: Record<string, unknown>,
    documents?: SubmittedDocument[],
  ): Promise<Validation>;
  /** Validates offline first: an invalid submission throws VALIDATION_FAILED without calling the API. */
  submit(
    commune: string,
    serviceCode: string,
    data: Record<string, unknown>,
    documents?: SubmittedDocument[],
  ): Promise<Submission>;
  track(trackingCode: string, secret: string): Promise<TrackedRequest>;
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
