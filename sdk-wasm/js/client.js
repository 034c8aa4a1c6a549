// The client of Jamaa's public GraphQL API: communes, services, submitting (validated first with the
// server's own rules, compiled to WebAssembly, so that an invalid form never leaves the browser), tracking, and
// drafts kept in localStorage. The rules themselves live in Rust (jamaa-core); this file only calls them.

import { JamaaError } from "./errors.js";

const COMMUNE = `slug name names { locale text } country defaultLocale locales timeZone currency trackingPrefix
  calendar`;
const SERVICE = `code version name description category channels deadline { days workingDays } silence silenceMeans
  fees { label amountMinor currency legalBasis } documents { code label mandatory formats maxSizeBytes }
  legalReferences`;
const SERVICE_DETAILS = `${SERVICE} fields { key label help type required personal options { value label } }
  formSchema definition states { key label terminal }`;
const RECEIPT = `trackingCode communeName serviceCode serviceName submittedAt decisionDue silence silenceMeans locale
  direction documents { code fileName mediaType sizeBytes } fees { label amountMinor currency legalBasis }`;
const REQUEST = `trackingCode commune serviceCode serviceName state stateLabel outcome version submittedAt decisionDue
  updatedAt closedAt availableActions { key label commentRequired }
  history { action actionLabel fromState toState stateLabel actor comment at } receipt { ${RECEIPT} }`;

/** Largest page the API serves; lists are read page after page. */
const PAGE = 100;
const DRAFT_PREFIX = "jamaa:draft:";

/**
 * Makes `createClient` over the rules of the WebAssembly module.
 * @param {ReturnType<typeof import("./errors.js").wrapRules>} rules
 * @param {() => Promise<void>} ready resolves once the WebAssembly module is loaded
 */
export function clientFactory(rules, ready) {
  return function createClient(options = {}) {
    return new JamaaClient(rules, ready, options);
  };
}

class JamaaClient {
  #rules;
  #ready;
  #endpoint;
  #fetch;
  #storage;
  #headers;
  #communes = new Map();
  #services = new Map();

  constructor(rules, ready, { endpoint = "/graphql", locale, fetch, storage, headers = {} } = {}) {
    this.#rules = rules;
    this.#ready = ready;
    this.#endpoint = endpoint;
    this.#fetch = fetch ?? globalThis.fetch?.bind(globalThis);
    this.#storage = storage ?? globalThis.localStorage ?? memoryStorage();
    this.#headers = headers;
    /** The locale of texts and messages; when unset, each commune's default locale. */
    this.locale = locale;
  }

  /** The locale used for `commune`: the client's, else the commune's default. */
  async localeOf(commune) {
    return this.locale ?? (await this.getCommune(commune)).defaultLocale;
  }

  /** Every commune on the platform, in slug order. */
  async listCommunes() {
    return this.#pages("communes", `query($first: Int, $after: String, $locale: String) {
      communes(first: $first, after: $after, locale: $locale) {
        nodes { ${COMMUNE} } pageInfo { hasNextPage endCursor } } }`, { locale: this.locale });
  }

  /** One commune by slug, with its calendar, country and locales (kept for the client's life). */
  async getCommune(slug) {
    const key = `${slug}|${this.locale ?? ""}`;
    if (!this.#communes.has(key)) {
      const pending = this.#graphql(`query($slug: String!, $locale: String) {
        commune(slug: $slug, locale: $locale) { ${COMMUNE} } }`, { slug, locale: this.locale }).then((d) => d.commune);
      this.#communes.set(key, pending);
      pending.catch(() => this.#communes.delete(key));
    }
    return this.#communes.get(key);
  }

  /** The commune's current services (procedures), in code order, localized. */
  async listServices(commune) {
    const locale = await this.localeOf(commune);
    return this.#pages("services", `query($commune: String!, $first: Int, $after: String, $locale: String) {
      services(commune: $commune, first: $first, after: $after, locale: $locale) {
        nodes { ${SERVICE} } pageInfo { hasNextPage endCursor } } }`, { commune, locale });
  }

  /** One service with its form (`fields`, localized; `formSchema` and `definition`, what the rules check). */
  async getService(commune, code) {
    const locale = await this.localeOf(commune);
    const key = `${commune}|${code}|${locale}`;
    if (!this.#services.has(key)) {
      const pending = this.#graphql(`query($commune: String!, $code: String!, $locale: String) {
        service(commune: $commune, code: $code, locale: $locale) { ${SERVICE_DETAILS} } }`, { commune, code, locale })
        .then((d) => d.service);
      this.#services.set(key, pending);
      pending.catch(() => this.#services.delete(key));
    }
    return this.#services.get(key);
  }

  /**
   * Checks a submission offline with the server's rules: `{valid, data, errors}`, the errors at the API's
   * paths (`input.data.cin`) with messages in the client's locale.
   */
  async validate(commune, serviceCode, data, documents = []) {
    const [place, service, locale] = await Promise.all([
      this.getCommune(commune),
      this.getService(commune, serviceCode),
      this.localeOf(commune),
      this.#ready(),
    ]);
    return this.#rules.validateSubmission(service.definition, data, documents, place.country, locale);
  }

  /**
   * Submits a request. The form and documents are checked first, offline: an invalid submission throws the
   * JamaaError the server would (VALIDATION_FAILED, the same `fields`) without any request to the API. On
   * success the draft of this service, if any, is deleted. Returns `{secret, trackingCode, receipt, request}`:
   * the secret is shown once and is needed, with the tracking code, to track the request.
   */
  async submit(commune, serviceCode, data, documents = []) {
    const checked = await this.validate(commune, serviceCode, data, documents);
    if (!checked.valid) throw JamaaError.validation(checked.errors);
    const locale = await this.localeOf(commune);
    const { submitRequest } = await this.#graphql(`mutation($commune: String!, $input: SubmitRequestInput!,
      $locale: String) { submitRequest(commune: $commune, input: $input, locale: $locale) {
        secret receipt { ${RECEIPT} } request { ${REQUEST} } } }`, {
      commune,
      input: { serviceCode, data, documents },
      locale,
    });
    this.deleteDraft(commune, serviceCode);
    return { ...submitRequest, trackingCode: submitRequest.receipt.trackingCode };
  }

  /**
   * A request as its applicant sees it, with its history and receipt. A malformed tracking code is refused
   * offline (VALIDATION_FAILED at `trackingCode`).
   */
  async track(trackingCode, secret) {
    await this.#ready();
    const { code } = this.#rules.parseTrackingCode(trackingCode, this.locale);
    const { trackRequest } = await this.#graphql(`query($code: String!, $secret: String!, $locale: String) {
      trackRequest(trackingCode: $code, secret: $secret, locale: $locale) { ${REQUEST} } }`, {
      code,
      secret: String(secret ?? "").trim(),
      locale: this.locale,
    });
    return trackRequest;
  }

  /** Keeps an unfinished form (and its documents' metadata) to submit later, on this device. */
  saveDraft(commune, serviceCode, data, documents = []) {
    const draft = { commune, serviceCode, data, documents, savedAt: new Date().toISOString() };
    this.#storage.setItem(draftKey(commune, serviceCode), JSON.stringify(draft));
    return draft;
  }

  /** The draft of this service, or null. */
  loadDraft(commune, serviceCode) {
    return parseDraft(this.#storage.getItem(draftKey(commune, serviceCode)));
  }

  /** Every draft kept on this device, most recent first. */
  listDrafts() {
    const drafts = [];
    for (let i = 0; i < this.#storage.length; i += 1) {
      const key = this.#storage.key(i);
      if (key?.startsWith(DRAFT_PREFIX)) {
        const draft = parseDraft(this.#storage.getItem(key));
        if (draft) drafts.push(draft);
      }
    }
    return drafts.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  deleteDraft(commune, serviceCode) {
    this.#storage.removeItem(draftKey(commune, serviceCode));
  }

  async #pages(field, query, variables) {
    const items = [];
    let after = null;
    for (;;) {
      const data = await this.#graphql(query, { ...variables, first: PAGE, after });
      items.push(...data[field].nodes);
      if (!data[field].pageInfo.hasNextPage) return items;
      after = data[field].pageInfo.endCursor;
    }
  }

  async #graphql(query, variables) {
    if (!this.#fetch) throw new JamaaError("no fetch function: pass `fetch` to createClient", "NETWORK_ERROR");
    let response;
    try {
      response = await this.#fetch(this.#endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...this.#headers },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new JamaaError(`the API cannot be reached: ${error?.message ?? error}`, "NETWORK_ERROR", [], error);
    }
    let body;
    try {
      body = await response.json();
    } catch (error) {
      throw new JamaaError(`the API answered HTTP ${response.status} without JSON`, "NETWORK_ERROR", [], error);
    }
    const [first] = body.errors ?? [];
    if (first) {
      const extensions = first.extensions ?? {};
      throw new JamaaError(first.message, extensions.code ?? "INTERNAL", extensions.fields ?? []);
    }
    return body.data;
  }
}

function draftKey(commune, serviceCode) {
  return `${DRAFT_PREFIX}${commune}:${serviceCode}`;
}

function parseDraft(text) {
  if (!text) return null;
  try {
    const draft = JSON.parse(text);
    return draft && typeof draft === "object" && draft.commune && draft.serviceCode ? draft : null;
  } catch {
    return null;
  }
}

/** A Storage (localStorage's interface) in memory, where there is no localStorage (Node.js). */
export function memoryStorage() {
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    clear: () => items.clear(),
  };
}
