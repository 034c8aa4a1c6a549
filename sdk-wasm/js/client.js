// The client of Jamaa's public GraphQL API: communes, services, submitting (validated first with the
// server's own rules, compiled to WebAssembly, so that an invalid form never leaves the browser), tracking, and
// drafts kept in localStorage. The rules themselves live in Rust (jamaa-core); this file only calls them.

import { JamaaError } from "./errors.js";

const COMMUNE = `slug name names { locale text } country defaultLocale locales timeZone currency trackingPrefix
  calendar status`;
const SERVICE = `code version name description category channels deadline { days workingDays } deadlineSetBy silence silenceMeans
  fees { label amountMinor currency legalBasis } documents { code label mandatory formats maxSizeBytes }
  legalReferences`;
const SERVICE_DETAILS = `${SERVICE} fields { key label help type required personal options { value label } }
  formSchema definition states { key label terminal }`;
const RECEIPT = `trackingCode communeName serviceCode serviceName submittedAt decisionDue silence silenceMeans
  deadlineSetBy deadlineBasis locale direction documents { code fileName mediaType sizeBytes }
  fees { label amountMinor currency legalBasis }`;
const REQUEST = `trackingCode commune serviceCode serviceName state stateLabel outcome version submittedAt decisionDue
  updatedAt closedAt availableActions { key label commentRequired }
  history { action actionLabel fromState toState stateLabel actor comment at } receipt { ${RECEIPT} }`;

const ISSUED = "id code kind title fingerprint text issuedAt verifyPath pdfPath pdfFingerprint";
const STAFF_MEMBER = "id login displayName";
const PERSON = "givenAr familyAr givenLatin familyLatin";
const CIVIL_SUMMARY = "id kind number office year actNumber eventDate registeredOn";
const CIVIL_ACT = `${CIVIL_SUMMARY} sex eventTime eventPlace subjectBirthDate subject { ${PERSON} } subjectNationalId
  father { name { ${PERSON} } nationality birthDate birthPlace nationalId }
  mother { name { ${PERSON} } nationality birthDate birthPlace nationalId }
  declarant { name { ${PERSON} } relation nationalId } registeredAt
  mentions { sequence kind text reference effectiveOn recordedAt } history { sequence at actor kind }`;
const MAIL_SUMMARY = `id number direction year correspondent subject date department dueOn state overdue requestCode
  deliberationId registeredAt updatedAt`;
const MAIL = `${MAIL_SUMMARY} history { kind department state note at actor }`;
const COUNCIL_MEMBER = "id nameAr nameLatin party role mandateStart mandateEnd";
const STAFF_RECORD = `id fullName grade position departmentId enteredOn leftOn awayUntil createdAt updatedAt
  account { id login displayName }`;
const LEAVE = "id staffId kind startsOn endsOn workingDays note recordedAt recordedBy";
const DEPARTMENT = "id name parentId headId";
const PROJECT_MILESTONE = "id title titles { locale text } dueOn doneOn";
const PROJECT = `id code title titles { locale text } description descriptions { locale text } category periodFrom
  periodTo status progress startsOn endsOn location { place latitude longitude } published plannedTotal
  budgetLines { year chapter article paragraph planned } milestones { ${PROJECT_MILESTONE} }
  updates { id on progress note recordedAt recordedBy } createdAt updatedAt`;
const DISPUTE_CASE = `id number caseType subject courtName courtCity position lawyerName lawyerBar stakesCentimes
  requestCode status openedOn createdAt updatedAt`;
const DISPUTE_HEARING = "id caseId scheduledAt room object outcome reminderDueAt remindedAt";
const DISPUTE_DECISION = "id decidedOn outcome awardedCentimes summary appealDeadline";
const DISPUTE_APPEAL = "id decisionId lodgedOn courtName courtCity deadline";
const DISPUTE_DOCUMENT = "id title kind fileName mediaType sizeBytes sha256 addedAt";
const FINANCE_ENTRY = `id year kind number parentId amount net object party revenueType reason approved ordered paid
  collected recordedBy recordedAt`;
const LEDGER_LINE = "year kind chapter article paragraph labelAr labelFr revenueType appropriated committed paid planned collected";
const PAYMENT = "id kind number channel amount currency day terminalSlip cancels reason verificationCode recordedBy recordedAt";
const PAYMENT_DEMAND = `id trackingCode serviceCode currency lines { label amount legalBasis communeDecision } total paid
  outstanding status howToPay payments { ${PAYMENT} }`;
const ONLINE_PAYMENT = `id orderId demandId requestId amount currency state providerReference refusalCode startedAt
  expiresAt settledAt settledBy`;
const PAYMENT_STATEMENT = `id day lines mismatches { kind orderId providerReference recordedAmount statedAmount settled }
  importedBy importedAt`;
const PAYMENT_REFUND = "id paymentId amount reason status requestedBy requestedAt decidedBy decidedAt";
const VOTE_COUNT = "membersInOffice present votesFor against abstain absent outcome";
const SESSION = `id kind startsOn titleAr titleFr publishedAt agenda { id position titleAr titleFr requestId }
  deliberations { id number agendaItemId textAr textFr decidedAt count { ${VOTE_COUNT} } votes { memberId choice } }`;
const PUBLICATION = "key label published location publishedAt";
const COMMUNE_USER = "id login displayName disabled roles";
const WEBHOOK = "id url events active createdAt";
const DELIVERY = `id eventId requestId sequence channel endpointId status attempts nextAttemptAt lastError
  deliveredAt`;
const SMTP = "host port tls username hasPassword fromAddress updatedAt";
const CHANGE = "path kind before after summary";
const MODERATED = `trackingCode serviceCode category categoryLabel description address publishedDescription
  publishedAddress findings suggestedRedaction moderation submittedAt`;
const CONFLICT = "path base theirs ours";
const COMMISSION = `state rule silenceCountsAs enteredOn outcome yours
  bodies { role label delayDays delayBasis due formSchema opinion { opinion silent reasons givenBy givenAt } }`;
const FIGURES = `submitted byOutcome { open approved rejected withdrawn closed } decided decidedWithinDeadline
  withinDeadlineShare medianProcessingDays backlog { total buckets { minDays maxDays count } }`;

/**
 * The fields of a request in staff lists, with its assignee when the server assigns files, its lapse when
 * the server records the end of answer periods, and its step's due date when the server dates steps.
 */
function staffRequest(features) {
  const assignee = features.assignment ? ` assignee { ${STAFF_MEMBER} }` : "";
  const lapse = features.lapse ? " lapsedAt" : "";
  const step = features.stepDeadlines ? " stepDueDate stepOverdue" : "";
  return `id trackingCode commune serviceCode serviceName serviceVersion state stateLabel outcome version
    submittedAt decisionDue updatedAt closedAt${assignee}${lapse}${step}`;
}

/** The inbox's filters beyond the state, as the API's variables (null when unset). */
function inboxFilters(filters) {
  return {
    serviceCode: filters.serviceCode || null,
    overdue: filters.overdue ? true : null,
    dueBefore: filters.dueBefore || null,
    assignment: filters.assignment && filters.assignment !== "ANY" ? filters.assignment : null,
    assigneeId: filters.assigneeId || null,
    search: filters.search?.trim() || null,
  };
}

/**
 * The filter on overdue steps, as the operation's arguments, parameters and variable: only on servers that
 * date steps (an older one is told nothing, and is refused the filter).
 */
function stepFilter(features, filters) {
  if (features.stepDeadlines) {
    return { args: ", $stepOverdue: Boolean", pass: ", stepOverdue: $stepOverdue", count: " stepOverdue",
      variables: { stepOverdue: filters.stepOverdue ? true : null } };
  }
  if (filters.stepOverdue) throw new JamaaError("this server does not date the steps of requests", "UNSUPPORTED");
  return { args: "", pass: "", count: "", variables: {} };
}

/** Largest page the API serves; lists are read page after page. */
const PAGE = 100;
const DRAFT_PREFIX = "jamaa:draft:";

/**
 * Makes `createClient` over the rules of the WebAssembly module.
 * @param {ReturnType<typeof import("./errors.js").wrapRules>} rules
 * @param {() => Promise<void>} ready resolves once the WebAssembly module is loaded
 */
/** The waits before each new attempt of a creating call that could not be sent or found the API unavailable. */
const RETRY_DELAYS = [300, 1000, 3000];

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
  #token;
  #wsEndpoint;
  #retryDelays;
  #features = null;
  #communes = new Map();
  #services = new Map();

  constructor(
    rules,
    ready,
    {
      endpoint = "/graphql",
      wsEndpoint,
      locale,
      fetch,
      storage,
      headers = {},
      token = null,
      retryDelays = RETRY_DELAYS,
    } = {},
  ) {
    this.#rules = rules;
    this.#ready = ready;
    this.#endpoint = endpoint;
    this.#wsEndpoint = wsEndpoint;
    this.#fetch = fetch ?? globalThis.fetch?.bind(globalThis);
    this.#storage = storage ?? globalThis.localStorage ?? memoryStorage();
    this.#headers = headers;
    this.#token = token;
    this.#retryDelays = retryDelays;
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
  /** The commune's audit chain head (anyone): keep it, and compare it later with the chain at its sequence. */
  async auditHead(commune) {
    const { auditHead } = await this.#graphql(`query($commune: String) { auditHead(commune: $commune) {
      sequence hash link recordedAt } }`, { commune });
    return auditHead;
  }

  /** The heads the commune published, the latest first: a page of `first` (20) after the cursor `after`. */
  async auditHeads(commune, { first = 20, after = null } = {}) {
    const { auditHeads } = await this.#graphql(`query($commune: String, $first: Int, $after: String) {
      auditHeads(commune: $commune, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { commune day sequence hash link recordedAt publishedAt } } }`, { commune, first, after });
    return auditHeads;
  }

  /** The proof that the request's events after `since` (a kept head's sequence) are in the commune's chain, and
   * that today's chain extends that head: check it with `verifyAuditProof(proof, keptHead)`. */
  async auditProof(trackingCode, secret, since) {
    const { auditProof } = await this.#graphql(`query($trackingCode: String!, $secret: String!, $since: Int!) {
      auditProof(trackingCode: $trackingCode, secret: $secret, since: $since) {
        commune tenantId subject since sinceLink
        steps { sequence contentHash link event { occurredAt actor kind subject payload } } } }`,
    { trackingCode, secret, since });
    return auditProof;
  }

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
   *
   * The submission carries an idempotency key (`idempotencyKey`, else a fresh `crypto.randomUUID()`): when the
   * API cannot be reached or answers UNAVAILABLE, it is sent again with the same key (after the client's
   * `retryDelays`), and the server files it once whatever the number of attempts.
   */
  async submit(commune, serviceCode, data, documents = [], { idempotencyKey } = {}) {
    const checked = await this.validate(commune, serviceCode, data, documents);
    if (!checked.valid) throw JamaaError.validation(checked.errors);
    const locale = await this.localeOf(commune);
    const key = idempotencyKey ?? globalThis.crypto.randomUUID();
    const { submitRequest } = await this.#graphql(`mutation($commune: String!, $input: SubmitRequestInput!,
      $locale: String) { submitRequest(commune: $commune, input: $input, locale: $locale) {
        secret receipt { ${RECEIPT} } request { ${REQUEST} } } }`, {
      commune,
      input: { serviceCode, data, documents },
      locale,
    }, { idempotencyKey: key });
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

  /**
   * The documents issued about a request (an extract delivered from the civil-status register, a decision, a
   * certificate), with their texts, for its applicant: the tracking code and the citizen's secret.
   */
  async trackedDocuments(trackingCode, secret) {
    const { trackedDocuments } = await this.#graphql(`query($code: String!, $secret: String!, $locale: String) {
      trackedDocuments(trackingCode: $code, secret: $secret, locale: $locale) { ${ISSUED} } }`, {
      code: String(trackingCode ?? "").trim(),
      secret: String(secret ?? "").trim(),
      locale: this.locale,
    });
    return trackedDocuments;
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

  // ---- Staff and operators: sessions ----

  /** The bearer token sent with every call (a login session's or an API token), or null. */
  get token() {
    return this.#token;
  }

  /** Sends this bearer token from now on (null: none). */
  setToken(token) {
    this.#token = token || null;
  }

  /** Logs in; the session's token is sent with every later call. Returns `{token, expiresAt}`. */
  async login(login, password) {
    const { login: session } = await this.#graphql(`mutation($login: String!, $password: String!) {
      login(login: $login, password: $password) { token expiresAt } }`, { login, password });
    this.#token = session.token;
    return session;
  }

  /** Ends the session at once, on the server and here. */
  async logout() {
    if (!this.#token) return;
    try {
      await this.#graphql("mutation { logout }", {});
    } finally {
      this.#token = null;
    }
  }

  /**
   * The logged-in user and its memberships. `permissions` lists what each membership allows (snake_case), or
   * is null when the server does not say.
   */
  async me() {
    const features = await this.features();
    const permissions = features.permissions ? " permissions" : "";
    const { me } = await this.#graphql(`query { me { id login displayName operator
      memberships { commune roles${permissions} } } }`, {});
    return {
      ...me,
      memberships: me.memberships.map((m) => ({ ...m, permissions: m.permissions ?? null })),
    };
  }

  /**
   * What the server offers beyond the first version of the API (read once, by introspection): assignment of
   * files, the inbox's filters and counts, file downloads, permissions per membership, account administration,
   * the lapse of a complaint's answer period.
   */
  async features() {
    this.#features ??= this.#graphql(`query {
      request: __type(name: "Request") { fields { name } }
      document: __type(name: "Document") { fields { name } }
      membership: __type(name: "UserMembership") { fields { name } }
      query: __type(name: "QueryRoot") { fields { name } }
      commune: __type(name: "Commune") { fields { name } }
      step: __type(name: "Step") { fields { name } }
    }`, {}).then((types) => {
      const has = (type, field) => (types[type]?.fields ?? []).some((f) => f.name === field);
      return {
        assignment: has("request", "assignee"),
        inboxCounts: has("query", "inboxCounts"),
        fileDownload: has("document", "fileId"),
        permissions: has("membership", "permissions"),
        accounts: has("query", "communeUsers"),
        apiTokens: has("query", "apiTokens"),
        lineage: has("commune", "upgradeAvailable"),
        lapse: has("request", "lapsedAt"),
        stepDeadlines: has("request", "stepOverdue"),
        staffForms: has("step", "form"),
        commissions: has("request", "commission"),
      };
    });
    this.#features.catch(() => {
      this.#features = null;
    });
    return this.#features;
  }

  /** Any GraphQL operation, with the client's token and headers; its `data`, or a JamaaError. */
  async graphql(query, variables = {}) {
    return this.#graphql(query, variables);
  }

  // ---- The inbox and the file of a request ----

  /**
   * A page of the commune's requests, sorted by decision date. `filters`: state, serviceCode, overdue,
   * dueBefore (`YYYY-MM-DD`), stepOverdue (a step past its SLA), assignment (ANY, MINE, UNASSIGNED),
   * assigneeId, search (a tracking code or a national id). Returns `{nodes, pageInfo, totalCount}`.
   */
  async inbox(commune, filters = {}, { first = 20, after = null } = {}) {
    const features = await this.features();
    const extended = features.inboxCounts;
    const variables = { commune, first, after, locale: this.locale, state: filters.state || null };
    let args = "$commune: String, $first: Int, $after: String, $locale: String, $state: String";
    let pass = "commune: $commune, first: $first, after: $after, locale: $locale, state: $state";
    if (extended) {
      args += `, $serviceCode: String, $overdue: Boolean, $dueBefore: NaiveDate, $assignment: AssignmentFilter,
        $assigneeId: ID, $search: String`;
      pass += `, serviceCode: $serviceCode, overdue: $overdue, dueBefore: $dueBefore, assignment: $assignment,
        assigneeId: $assigneeId, search: $search`;
      const step = stepFilter(features, filters);
      args += step.args;
      pass += step.pass;
      Object.assign(variables, inboxFilters(filters), step.variables);
    } else if (Object.entries(inboxFilters(filters)).some(([, v]) => v !== null)) {
      throw new JamaaError("this server filters the inbox by state only", "UNSUPPORTED");
    }
    const total = extended ? " totalCount" : "";
    const { requests } = await this.#graphql(`query(${args}) { requests(${pass}) {
      nodes { ${staffRequest(features)} } pageInfo { hasNextPage endCursor }${total} } }`, variables);
    return { ...requests, totalCount: requests.totalCount ?? null };
  }

  /**
   * The inbox's counts for the same filters: total, overdue, mine, unassigned and per state; stepOverdue on
   * servers that date steps.
   */
  async inboxCounts(commune, filters = {}) {
    const step = stepFilter(await this.features(), filters);
    const { inboxCounts } = await this.#graphql(`query($commune: String, $state: String, $serviceCode: String,
      $overdue: Boolean, $dueBefore: NaiveDate, $assignment: AssignmentFilter, $assigneeId: ID, $search: String,
      $locale: String${step.args}) { inboxCounts(commune: $commune, state: $state, serviceCode: $serviceCode,
        overdue: $overdue, dueBefore: $dueBefore, assignment: $assignment, assigneeId: $assigneeId, search: $search,
        locale: $locale${step.pass}) {
        total overdue mine unassigned${step.count} byState { state label count } } }`, {
      commune,
      state: filters.state || null,
      locale: this.locale,
      ...inboxFilters(filters),
      ...step.variables,
    });
    return inboxCounts;
  }

  /** The commune's requests whose personal field (`CIN`, `NATIONAL_ID`, `PHONE`, `EMAIL`) equals `value` (blind index). */
  async findRequests(commune, field, value) {
    const features = await this.features();
    return this.#pages("findRequests", `query($commune: String, $field: SearchField!, $value: String!,
      $locale: String, $first: Int, $after: String) { findRequests(commune: $commune, field: $field, value: $value,
        locale: $locale, first: $first, after: $after) { nodes { ${staffRequest(features)} }
        pageInfo { hasNextPage endCursor } } }`, { commune, field, value, locale: this.locale });
  }

  /** One request of the commune as staff see it: data (personal fields when allowed), history, messages. */
  async getRequest(commune, id) {
    const features = await this.features();
    const { request } = await this.#graphql(`query($commune: String, $id: ID!, $locale: String) {
      request(commune: $commune, id: $id, locale: $locale) { ${staffRequest(features)} data sealedFields
        documents { code fileName mediaType sizeBytes sha256${features.fileDownload ? " fileId" : ""} }
        availableActions { key label commentRequired notifiesApplicant${features.staffForms ? " formSchema" : ""} }
        history { action actionLabel fromState toState stateLabel actor comment at${
          features.staffForms ? " form { values sealedFields }" : ""} }
        messages { action actionLabel body at } receipt { ${RECEIPT} }${
          features.commissions ? ` commission { ${COMMISSION} }` : ""} } }`, { commune, id, locale: this.locale });
    return request;
  }

  /**
   * Gives the opinion of a body of the commission the request's state consults (FAVOURABLE,
   * FAVOURABLE_WITH_CONDITIONS, UNFAVOURABLE): `reasons` (required unless favourable), `body` (the role, when the
   * member belongs to several bodies), `form` (the body's form values). Sent with an idempotency key, so that a
   * retry gives the first answer. When the commission's rule decides, the request moves by itself.
   */
  async giveOpinion(commune, id, opinion, { reasons = null, body = null, form = null } = {}) {
    const features = await this.features();
    if (!features.commissions) throw new JamaaError("this server has no commissions", "UNSUPPORTED");
    const { giveOpinion } = await this.#graphql(`mutation($commune: String, $id: ID!, $opinion: Opinion!,
      $reasons: String, $body: String, $form: JSON, $locale: String, $key: String) { giveOpinion(commune: $commune,
        id: $id, opinion: $opinion, reasons: $reasons, body: $body, form: $form, locale: $locale,
        idempotencyKey: $key) { ${staffRequest(features)} commission { ${COMMISSION} } } }`, {
      commune,
      id,
      opinion,
      reasons: reasons || null,
      body: body || null,
      form: form || null,
      locale: this.locale,
      key: globalThis.crypto.randomUUID(),
    });
    return giveOpinion;
  }

  /**
   * Takes a workflow action; CONFLICT when the request moved on since `expectedVersion`. `form`: the values of the
   * action's staff form (its `formSchema`), checked by the server as a citizen's form (fields at `form.<key>`).
   */
  async act(commune, id, action, expectedVersion, comment = null, form = null) {
    const features = await this.features();
    if (form && !features.staffForms) throw new JamaaError("this server takes no staff forms", "UNSUPPORTED");
    const withForm = features.staffForms ? { param: ", $form: JSON", pass: ", form: $form" } : { param: "", pass: "" };
    const { actOnRequest } = await this.#graphql(`mutation($commune: String, $id: ID!, $action: String!,
      $version: Int!, $comment: String, $locale: String${withForm.param}) { actOnRequest(commune: $commune, id: $id,
        action: $action, expectedVersion: $version, comment: $comment, locale: $locale${withForm.pass}) {
        ${staffRequest(features)} } }`, {
      commune,
      id,
      action,
      version: expectedVersion,
      comment: comment || null,
      locale: this.locale,
      ...(features.staffForms ? { form: form || null } : {}),
    });
    return actOnRequest;
  }

  /** Issues the decision of a closed request as a verifiable document. */
  async issueDecision(commune, requestId) {
    const { issueRequestDecision } = await this.#graphql(`mutation($commune: String, $id: ID!, $locale: String) {
      issueRequestDecision(commune: $commune, requestId: $id, locale: $locale) { ${ISSUED} } }`, {
      commune,
      id: requestId,
      locale: this.locale,
    });
    return issueRequestDecision;
  }

  /** Issues the certificate of tacit acceptance of a request approved by silence (again: the same one). */
  async issueTacitAcceptanceCertificate(commune, requestId) {
    const { issueTacitAcceptanceCertificate } = await this.#graphql(`mutation($commune: String, $id: ID!, $locale: String) {
      issueTacitAcceptanceCertificate(commune: $commune, requestId: $id, locale: $locale) { ${ISSUED} } }`, {
      commune,
      id: requestId,
      locale: this.locale,
    });
    return issueTacitAcceptanceCertificate;
  }

  /** The documents issued about a request, with their texts (each reading is audited). */
  async requestDocuments(commune, requestId) {
    return this.#pages("requestDocuments", `query($commune: String, $id: ID!, $locale: String, $first: Int,
      $after: String) { requestDocuments(commune: $commune, requestId: $id, locale: $locale, first: $first,
        after: $after) { nodes { ${ISSUED} } pageInfo { hasNextPage endCursor } } }`, {
      commune,
      id: requestId,
      locale: this.locale,
    });
  }

  /** Where an uploaded file of a request is downloaded (with the bearer token). */
  fileUrl(commune, requestId, fileId) {
    const base = new URL(this.#endpoint, globalThis.location?.href ?? "http://localhost/");
    const path = [commune, requestId, fileId].map(encodeURIComponent).join("/");
    return new URL(`/files/${path}`, base).href;
  }

  /** Downloads an uploaded file of a request (audited by the server): `{blob, fileName, mediaType}`. */
  async downloadFile(commune, requestId, fileId) {
    const response = await this.#fetch(this.fileUrl(commune, requestId, fileId), {
      headers: this.#authorization(),
    });
    if (!response.ok) {
      const codes = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED" };
      throw new JamaaError(`the file cannot be downloaded (HTTP ${response.status})`,
        codes[response.status] ?? "INTERNAL");
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return {
      blob: await response.blob(),
      fileName: name ? decodeURIComponent(name) : fileId,
      mediaType: response.headers.get("content-type") ?? "application/octet-stream",
    };
  }

  /** Assigns (or reassigns) a request to a member holding a role of its workflow. */
  async assign(commune, requestId, memberId) {
    return this.#assignment("assignRequest", commune, requestId, memberId);
  }

  /** Takes a request for oneself. */
  async claim(commune, requestId) {
    return this.#assignment("claimRequest", commune, requestId);
  }

  /** Gives a request back to the unassigned ones. */
  async release(commune, requestId) {
    return this.#assignment("releaseRequest", commune, requestId);
  }

  async #assignment(field, commune, requestId, memberId) {
    const features = await this.features();
    const member = memberId === undefined ? "" : ", $memberId: ID!";
    const pass = memberId === undefined ? "" : ", memberId: $memberId";
    const data = await this.#graphql(`mutation($commune: String, $requestId: ID!${member}) {
      ${field}(commune: $commune, requestId: $requestId${pass}) { ${staffRequest(features)} } }`, {
      commune,
      requestId,
      memberId,
    });
    return data[field];
  }

  /** The members a request may be assigned to (those holding a role of its workflow). */
  async assignableMembers(commune, requestId) {
    const { assignableMembers } = await this.#graphql(`query($commune: String, $id: ID!) {
      assignableMembers(commune: $commune, requestId: $id) { ${STAFF_MEMBER} } }`, { commune, id: requestId });
    return assignableMembers;
  }

  /** Open and overdue files per member (for those who may assign). */
  async workload(commune) {
    const { workload } = await this.#graphql(`query($commune: String) { workload(commune: $commune) {
      member { ${STAFF_MEMBER} } open overdue } }`, { commune });
    return workload;
  }

  /**
   * Calls `onUpdate` with every change of the commune's requests (graphql-ws, the `inboxChanged`
   * subscription), `onError` when the connection fails for good, `onConnected` once the server has accepted the
   * connection. Returns the function that stops.
   */
  subscribeInbox(commune, onUpdate, onError = () => {}, onConnected = () => {}) {
    let stopped = false;
    let dispose = () => {};
    import("graphql-ws")
      .then(({ createClient: createWsClient }) => {
        if (stopped) return;
        const ws = createWsClient({
          url: this.#webSocketUrl(),
          connectionParams: { token: this.#token, locale: this.locale },
          lazy: false,
          retryAttempts: 5,
          onNonLazyError: onError,
          on: { connected: () => onConnected() },
        });
        const unsubscribe = ws.subscribe(
          {
            query: `subscription($commune: String) { inboxChanged(commune: $commune) {
              requestId trackingCode sequence event state version occurredAt } }`,
            variables: { commune },
          },
          {
            next: ({ data, errors }) => {
              if (errors?.length) onError(new JamaaError(errors[0].message, errors[0].extensions?.code ?? "INTERNAL"));
              else if (data) onUpdate(data.inboxChanged);
            },
            error: (error) => onError(JamaaError.from(error)),
            complete: () => {},
          },
        );
        dispose = () => {
          unsubscribe();
          ws.dispose();
        };
      })
      .catch((error) => onError(JamaaError.from(error)));
    return () => {
      stopped = true;
      dispose();
    };
  }

  #webSocketUrl() {
    const url = new URL(this.#wsEndpoint ?? `${this.#endpoint}/ws`, globalThis.location?.href ?? "http://localhost/");
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
  }

  // ---- Civil status ----

  /** Registers a birth or death act (names in Arabic and Latin script); returns the act. */
  async registerCivilAct(commune, input) {
    const { registerCivilAct } = await this.#graphql(`mutation($commune: String, $input: RegisterCivilActInput!) {
      registerCivilAct(commune: $commune, input: $input) { ${CIVIL_ACT} } }`, { commune, input });
    return registerCivilAct;
  }

  /** Adds a marginal mention to an act. */
  async addCivilMention(commune, actId, input) {
    const { addCivilMention } = await this.#graphql(`mutation($commune: String, $actId: ID!,
      $input: CivilMentionInput!) { addCivilMention(commune: $commune, actId: $actId, input: $input) {
        sequence kind text reference effectiveOn recordedAt } }`, { commune, actId, input });
    return addCivilMention;
  }

  /** Issues an extract (EXTRACT) or a full copy (FULL_COPY) of an act. */
  async issueCivilDocument(commune, actId, kind) {
    const { issueCivilDocument } = await this.#graphql(`mutation($commune: String, $actId: ID!,
      $kind: CivilDocumentKind!) { issueCivilDocument(commune: $commune, actId: $actId, kind: $kind) {
        actId number kind title titleAr fields { key label value } text code fingerprint verifyPath pdfPath issuedAt } }`,
    { commune, actId, kind });
    return issueCivilDocument;
  }

  /** An act's full record with its mentions and audit trail (the reading is recorded). */
  async civilAct(commune, id) {
    const { civilAct } = await this.#graphql(`query($commune: String, $id: ID!) { civilAct(commune: $commune,
      id: $id) { ${CIVIL_ACT} } }`, { commune, id });
    return civilAct;
  }

  /** A page of the commune's acts, by office, year and kind. */
  async civilActs(commune, { office = null, year = null, kind = null } = {}, { first = 50, after = null } = {}) {
    const { civilActs } = await this.#graphql(`query($commune: String, $office: String, $year: Int,
      $kind: CivilActKind, $first: Int, $after: String) { civilActs(commune: $commune, office: $office, year: $year,
        kind: $kind, first: $first, after: $after) { nodes { ${CIVIL_SUMMARY} } pageInfo { hasNextPage endCursor } } }`,
    { commune, office, year, kind, first, after });
    return civilActs;
  }

  /** The acts whose subject has this national id (blind index). */
  async findCivilActs(commune, nationalId) {
    return this.#pages("findCivilActs", `query($commune: String, $nationalId: String!, $first: Int, $after: String) {
      findCivilActs(commune: $commune, nationalId: $nationalId, first: $first, after: $after) {
        nodes { ${CIVIL_SUMMARY} } pageInfo { hasNextPage endCursor } } }`, { commune, nationalId });
  }

  /** How an online request for an extract or a full copy stands against the register: the acts it names. */
  async civilRequestMatch(commune, requestId) {
    const { civilRequestMatch } = await this.#graphql(`query($commune: String, $id: ID!) {
      civilRequestMatch(commune: $commune, requestId: $id) { requestId trackingCode document actKind lookup actNumber
        actYear acts { ${CIVIL_SUMMARY} } open } }`, { commune, id: requestId });
    return civilRequestMatch;
  }

  /** Issues the document a request asks for from an act it names, and delivers the request. */
  async issueCivilRequest(commune, requestId, actId, expectedVersion) {
    const { issueCivilRequest } = await this.#graphql(`mutation($commune: String, $id: ID!, $actId: ID!,
      $version: Int!) { issueCivilRequest(commune: $commune, requestId: $id, actId: $actId,
        expectedVersion: $version) {
        actId number kind title titleAr fields { key label value } text code fingerprint verifyPath pdfPath issuedAt } }`,
    { commune, id: requestId, actId, version: expectedVersion });
    return issueCivilRequest;
  }

  /** Refuses an online request for an extract or a full copy with a reason (required), which its applicant reads. */
  async refuseCivilRequest(commune, requestId, expectedVersion, reason) {
    const { refuseCivilRequest } = await this.#graphql(`mutation($commune: String, $id: ID!, $version: Int!,
      $reason: String!, $locale: String) { refuseCivilRequest(commune: $commune, requestId: $id,
        expectedVersion: $version, reason: $reason, locale: $locale) { id state version } }`,
    { commune, id: requestId, version: expectedVersion, reason, locale: this.locale });
    return refuseCivilRequest;
  }

  // ---- Moderation of public complaints ----

  /** A page of the commune's complaints held for moderation, oldest first, with what the screen found. */
  async complaintModerationQueue(commune, { first = 50, after = null } = {}) {
    const { complaintModerationQueue } = await this.#graphql(`query($commune: String, $first: Int, $after: String,
      $locale: String) { complaintModerationQueue(commune: $commune, first: $first, after: $after, locale: $locale) {
        totalCount nodes { ${MODERATED} } pageInfo { hasNextPage endCursor } } }`,
    { commune, first, after, locale: this.locale });
    return complaintModerationQueue;
  }

  /** Approves, redacts (`description`, optionally `address`) or keeps private a public complaint. */
  async moderateComplaint(commune, trackingCode, action, { description = null, address = null } = {}) {
    const { moderateComplaint } = await this.#graphql(`mutation($commune: String, $code: String!,
      $action: ModerationAction!, $description: String, $address: String) { moderateComplaint(commune: $commune,
        trackingCode: $code, action: $action, description: $description, address: $address) { ${MODERATED} } }`,
    { commune, code: trackingCode, action, description, address });
    return moderateComplaint;
  }

  // ---- Courier ----

  async registerMail(commune, input) {
    const { registerMail } = await this.#graphql(`mutation($commune: String, $input: RegisterMailInput!) {
      registerMail(commune: $commune, input: $input) { ${MAIL} } }`, { commune, input });
    return registerMail;
  }

  async routeMail(commune, id, department, note = null) {
    const { routeMail } = await this.#graphql(`mutation($commune: String, $id: ID!, $department: String!,
      $note: String) { routeMail(commune: $commune, id: $id, department: $department, note: $note) { ${MAIL} } }`,
    { commune, id, department, note });
    return routeMail;
  }

  async setMailFollowUp(commune, id, state, note = null) {
    const { setMailFollowUp } = await this.#graphql(`mutation($commune: String, $id: ID!, $state: MailState!,
      $note: String) { setMailFollowUp(commune: $commune, id: $id, state: $state, note: $note) { ${MAIL} } }`,
    { commune, id, state, note });
    return setMailFollowUp;
  }

  /** A page of the courier registry: filters year, direction, department, state, overdue. */
  async mailItems(commune, filters = {}, { first = 50, after = null } = {}) {
    const { mailItems } = await this.#graphql(`query($commune: String, $year: Int, $direction: MailDirection,
      $department: String, $state: MailState, $overdue: Boolean, $first: Int, $after: String) {
      mailItems(commune: $commune, year: $year, direction: $direction, department: $department, state: $state,
        overdue: $overdue, first: $first, after: $after) { nodes { ${MAIL_SUMMARY} } pageInfo { hasNextPage endCursor } } }`,
    {
      commune,
      year: filters.year ?? null,
      direction: filters.direction ?? null,
      department: filters.department || null,
      state: filters.state ?? null,
      overdue: filters.overdue ?? null,
      first,
      after,
    });
    return mailItems;
  }

  async mailItem(commune, id) {
    const { mailItem } = await this.#graphql(`query($commune: String, $id: ID!) { mailItem(commune: $commune,
      id: $id) { ${MAIL} } }`, { commune, id });
    return mailItem;
  }

  // ---- Council ----

  async councilMembers(commune) {
    return this.#pages("councilMembers", `query($commune: String, $first: Int, $after: String) {
      councilMembers(commune: $commune, first: $first, after: $after) { nodes { ${COUNCIL_MEMBER} }
        pageInfo { hasNextPage endCursor } } }`, { commune });
  }

  async addCouncilMember(commune, input) {
    const { addCouncilMember } = await this.#graphql(`mutation($commune: String, $input: CouncilMemberInput!) {
      addCouncilMember(commune: $commune, input: $input) { ${COUNCIL_MEMBER} } }`, { commune, input });
    return addCouncilMember;
  }

  async councilSessions(commune) {
    return this.#pages("councilSessions", `query($commune: String, $first: Int, $after: String) {
      councilSessions(commune: $commune, first: $first, after: $after) { nodes { ${SESSION} }
        pageInfo { hasNextPage endCursor } } }`, { commune });
  }

  async scheduleCouncilSession(commune, input) {
    const { scheduleCouncilSession } = await this.#graphql(`mutation($commune: String,
      $input: CouncilSessionInput!) { scheduleCouncilSession(commune: $commune, input: $input) { ${SESSION} } }`,
    { commune, input });
    return scheduleCouncilSession;
  }

  async addAgendaItem(commune, input) {
    const { addAgendaItem } = await this.#graphql(`mutation($commune: String, $input: AgendaItemInput!) {
      addAgendaItem(commune: $commune, input: $input) { ${SESSION} } }`, { commune, input });
    return addAgendaItem;
  }

  async recordDeliberation(commune, input) {
    const { recordDeliberation } = await this.#graphql(`mutation($commune: String, $input: DeliberationInput!) {
      recordDeliberation(commune: $commune, input: $input) { ${SESSION} } }`, { commune, input });
    return recordDeliberation;
  }

  async publishCouncilDecisions(commune, sessionId) {
    const { publishCouncilDecisions } = await this.#graphql(`mutation($commune: String, $sessionId: ID!) {
      publishCouncilDecisions(commune: $commune, sessionId: $sessionId) { ${SESSION} } }`, { commune, sessionId });
    return publishCouncilDecisions;
  }

  async councilDecisions(commune, year = null) {
    return this.#pages("councilDecisions", `query($commune: String, $year: Int, $first: Int, $after: String) {
      councilDecisions(commune: $commune, year: $year, first: $first, after: $after) { nodes { sessionId
        sessionKind sessionDate sessionTitleAr sessionTitleFr number textAr textFr publishedAt
        count { ${VOTE_COUNT} } votes { nameAr nameLatin party choice } } pageInfo { hasNextPage endCursor } } }`,
    { commune, year });
  }

  // ---- Finance, petitions, publications ----

  /** Imports a year's budget CSV; VALIDATION_FAILED names each bad cell as `lines[<line>].<column>`. */
  async importBudget(commune, year, csv) {
    const { importBudget } = await this.#graphql(`mutation($commune: String, $year: Int!, $csv: String!) {
      importBudget(commune: $commune, year: $year, csv: $csv) { year lines replaced } }`, { commune, year, csv });
    return importBudget;
  }

  async budgetExecution(commune, year = null) {
    const { budgetExecution } = await this.#graphql(`query($commune: String, $year: Int) {
      budgetExecution(commune: $commune, year: $year) { currency
        years { year appropriated committed paid planned collected executionRate collectionRate }
        chapters { year chapter appropriated committed paid commitmentRate executionRate } } }`, { commune, year });
    return budgetExecution;
  }

  async petitions(commune) {
    return this.#pages("petitions", `query($commune: String, $locale: String, $first: Int, $after: String) {
      petitions(commune: $commune, locale: $locale, first: $first, after: $after) { nodes { id subject text
        petitionerType associationName state stateLabel signatures signatureThreshold openForSignatures
        submittedAt } pageInfo { hasNextPage endCursor } } }`, { commune, locale: this.locale });
  }

  async publications(commune) {
    return this.#pages("publications", `query($commune: String, $locale: String, $first: Int, $after: String) {
      publications(commune: $commune, locale: $locale, first: $first, after: $after) { nodes { ${PUBLICATION} }
        pageInfo { hasNextPage endCursor } } }`, { commune, locale: this.locale });
  }

  async markPublished(commune, item, location) {
    const { markPublished } = await this.#graphql(`mutation($commune: String, $item: String!, $location: String!,
      $locale: String) { markPublished(commune: $commune, item: $item, location: $location, locale: $locale) {
        ${PUBLICATION} } }`, { commune, item, location, locale: this.locale });
    return markPublished;
  }

  // ---- Commune administration ----

  async communeUsers(commune) {
    const { communeUsers } = await this.#graphql(`query($commune: String) { communeUsers(commune: $commune) {
      ${COMMUNE_USER} } }`, { commune });
    return communeUsers;
  }

  async createUser(commune, input) {
    const { createUser } = await this.#graphql(`mutation($commune: String, $input: CreateUserInput!) {
      createUser(commune: $commune, input: $input) { ${COMMUNE_USER} } }`, { commune, input });
    return createUser;
  }

  async grantRole(commune, userId, role) {
    const { grantRole } = await this.#graphql(`mutation($commune: String, $userId: ID!, $role: String!) {
      grantRole(commune: $commune, userId: $userId, role: $role) { ${COMMUNE_USER} } }`, { commune, userId, role });
    return grantRole;
  }

  async revokeRole(commune, userId, role) {
    const { revokeRole } = await this.#graphql(`mutation($commune: String, $userId: ID!, $role: String!) {
      revokeRole(commune: $commune, userId: $userId, role: $role) { ${COMMUNE_USER} } }`, { commune, userId, role });
    return revokeRole;
  }

  async setUserDisabled(commune, userId, disabled) {
    const { setUserDisabled } = await this.#graphql(`mutation($commune: String, $userId: ID!, $disabled: Boolean!) {
      setUserDisabled(commune: $commune, userId: $userId, disabled: $disabled) { ${COMMUNE_USER} } }`,
    { commune, userId, disabled });
    return setUserDisabled;
  }

  async resetUserPassword(commune, userId, password) {
    const { resetUserPassword } = await this.#graphql(`mutation($commune: String, $userId: ID!,
      $password: String!) { resetUserPassword(commune: $commune, userId: $userId, password: $password) }`,
    { commune, userId, password });
    return resetUserPassword;
  }

  async apiTokens(commune) {
    return this.#pages("apiTokens", `query($commune: String, $first: Int, $after: String) {
      apiTokens(commune: $commune, first: $first, after: $after) { nodes { id label kind roles createdAt expiresAt
        lastUsedAt revokedAt } pageInfo { hasNextPage endCursor } } }`, { commune });
  }

  /** Issues an API token; its secret is in the answer, once. */
  async createApiToken(input) {
    const { createApiToken } = await this.#graphql(`mutation($input: CreateApiTokenInput!) {
      createApiToken(input: $input) { id token expiresAt } }`, { input });
    return createApiToken;
  }

  async revokeApiToken(id) {
    const { revokeApiToken } = await this.#graphql("mutation($id: ID!) { revokeApiToken(id: $id) }", { id });
    return revokeApiToken;
  }

  async webhookEndpoints(commune) {
    return this.#pages("webhookEndpoints", `query($commune: String, $first: Int, $after: String) {
      webhookEndpoints(commune: $commune, first: $first, after: $after) { nodes { ${WEBHOOK} }
        pageInfo { hasNextPage endCursor } } }`, { commune });
  }

  /** Adds a webhook endpoint; the signing secret is in the answer, once. */
  async createWebhookEndpoint(commune, input) {
    const { createWebhookEndpoint } = await this.#graphql(`mutation($commune: String,
      $input: WebhookEndpointInput!) { createWebhookEndpoint(commune: $commune, input: $input) {
        endpoint { ${WEBHOOK} } secret } }`, { commune, input });
    return createWebhookEndpoint;
  }

  async deleteWebhookEndpoint(commune, id) {
    const { deleteWebhookEndpoint } = await this.#graphql(`mutation($commune: String, $id: ID!) {
      deleteWebhookEndpoint(commune: $commune, id: $id) }`, { commune, id });
    return deleteWebhookEndpoint;
  }

  /**
   * A page of the commune's notification deliveries, newest first; `status: "DEAD"` for the dead letters.
   * Returns `{nodes, pageInfo, totalCount}`; the next page with `after: pageInfo.endCursor`.
   */
  async notificationDeliveries(commune, status = null, { first = 50, after = null } = {}) {
    const { notificationDeliveries } = await this.#graphql(`query($commune: String, $status: DeliveryStatus,
      $first: Int, $after: String) { notificationDeliveries(commune: $commune, status: $status, first: $first,
        after: $after) { nodes { ${DELIVERY} } pageInfo { hasNextPage endCursor } totalCount } }`,
    { commune, status, first, after });
    return notificationDeliveries;
  }

  async replayDelivery(commune, id) {
    const { replayDelivery } = await this.#graphql(`mutation($commune: String, $id: ID!) {
      replayDelivery(commune: $commune, id: $id) { ${DELIVERY} } }`, { commune, id });
    return replayDelivery;
  }

  async smtpSettings(commune) {
    const { smtpSettings } = await this.#graphql(`query($commune: String) { smtpSettings(commune: $commune) {
      ${SMTP} } }`, { commune });
    return smtpSettings;
  }

  async setSmtpSettings(commune, input) {
    const { setSmtpSettings } = await this.#graphql(`mutation($commune: String, $input: SmtpSettingsInput!) {
      setSmtpSettings(commune: $commune, input: $input) { ${SMTP} } }`, { commune, input });
    return setSmtpSettings;
  }

  /** Checks the commune's audit chain. */
  async auditVerify(commune) {
    const { auditVerify } = await this.#graphql(`query($commune: String) { auditVerify(commune: $commune) {
      valid eventsChecked headHash firstBrokenSequence problem } }`, { commune });
    return auditVerify;
  }

  // ---- Operators: communes, templates, indicators ----

  /**
   * Every commune with its status, region and province (operators see them all), and its lineage: the template
   * and version it follows, the latest version of that template and whether an upgrade is available (null on a
   * server without them).
   */
  async listCommunesAdmin() {
    const features = await this.features();
    const lineage = features.lineage ? " templateName templateVersion latestTemplateVersion upgradeAvailable" : "";
    const communes = await this.#pages("communes", `query($first: Int, $after: String, $locale: String) {
      communes(first: $first, after: $after, locale: $locale) { nodes { ${COMMUNE} id officialCode region province
        population status${lineage} } pageInfo { hasNextPage endCursor } } }`, { locale: this.locale });
    return features.lineage ? communes : communes.map((c) => ({ ...c, templateName: null, templateVersion: null,
      latestTemplateVersion: null, upgradeAvailable: null }));
  }

  async templates() {
    return this.#pages("templates", `query($first: Int, $after: String) { templates(first: $first, after: $after) {
      nodes { name version reference contentHash publishedAt services } pageInfo { hasNextPage endCursor } } }`, {});
  }

  /** The changes from one template version to another (`name@version` each). */
  async templateDiff(from, to) {
    const { templateDiff } = await this.#graphql(`query($from: String!, $to: String!) {
      templateDiff(from: $from, to: $to) { ${CHANGE} } }`, { from, to });
    return templateDiff;
  }

  /** Onboards a commune from a template (`from`) or another commune (`fromCommune`), with overrides. */
  async onboardCommune(input) {
    const { onboardCommune } = await this.#graphql(`mutation($input: OnboardCommuneInput!, $locale: String) {
      onboardCommune(input: $input, locale: $locale) { ${COMMUNE} id status region province } }`,
    { input, locale: this.locale });
    return onboardCommune;
  }

  /** Upgrades a commune to template `to`; with `dryRun` nothing is written. Conflicts come with both sides. */
  async upgradeCommune(commune, to, { resolutions = [], dryRun = false } = {}) {
    const { upgradeCommune } = await this.#graphql(`mutation($commune: String!, $to: String!,
      $resolutions: [ConflictResolution!], $dryRun: Boolean) { upgradeCommune(commune: $commune, to: $to,
        resolutions: $resolutions, dryRun: $dryRun) { upgraded from to changes { ${CHANGE} }
        localChanges { ${CHANGE} } conflicts { ${CONFLICT} } unresolved { ${CONFLICT} } servicesPublished
        servicesRetired } }`, { commune, to, resolutions, dryRun });
    return upgradeCommune;
  }

  /** Exports a commune's configuration as template `name@version`. */
  async exportTemplate(commune, name, { version = null, descriptionFr = null, descriptionAr = null } = {}) {
    const { exportTemplate } = await this.#graphql(`mutation($commune: String!, $name: String!, $version: Int,
      $descriptionFr: String, $descriptionAr: String) { exportTemplate(commune: $commune, name: $name,
        version: $version, descriptionFr: $descriptionFr, descriptionAr: $descriptionAr) { name version reference
        contentHash publishedAt services bundle } }`, { commune, name, version, descriptionFr, descriptionAr });
    return exportTemplate;
  }

  async importTemplate(bundle) {
    const { importTemplate } = await this.#graphql(`mutation($bundle: JSON!) { importTemplate(bundle: $bundle) {
      name version reference contentHash publishedAt services } }`, { bundle });
    return importTemplate;
  }

  /** Publishes a service definition as the next version; returns the version. */
  async publishService(commune, definition) {
    const { publishService } = await this.#graphql(`mutation($commune: String!, $definition: JSON!) {
      publishService(commune: $commune, definition: $definition) }`, { commune, definition });
    return publishService;
  }

  /** A commune's indicators over a period (its local days; the current year by default). */
  async indicators(commune, { from = null, to = null } = {}) {
    const { indicators } = await this.#graphql(`query($commune: String, $from: NaiveDate, $to: NaiveDate,
      $locale: String) { indicators(commune: $commune, from: $from, to: $to, locale: $locale) { commune
        communeName country region from to asOf ${FIGURES} } }`, { commune, from, to, locale: this.locale });
    return indicators;
  }

  /** Every commune's indicators with totals per region (operators). */
  async nationalIndicators({ from = null, to = null } = {}) {
    const { nationalIndicators } = await this.#graphql(`query($from: NaiveDate, $to: NaiveDate, $locale: String) {
      nationalIndicators(from: $from, to: $to, locale: $locale) { from to
        communes { commune communeName country region ${FIGURES} }
        regions { country region communes ${FIGURES} } total { ${FIGURES} } } }`,
    { from, to, locale: this.locale });
    return nationalIndicators;
  }

  #authorization() {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
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

  // ---- Human resources ----

  /** A page of the commune's staff records (HR and the commune's administrators). */
  async staffRecords(commune, { first = 50, after = null } = {}) {
    const { staffRecords } = await this.#graphql(`query($commune: String, $first: Int, $after: String) {
      staffRecords(commune: $commune, first: $first, after: $after) { totalCount nodes { ${STAFF_RECORD} }
        pageInfo { hasNextPage endCursor } } }`, { commune, first, after });
    return staffRecords;
  }

  /** One staff record with its personal data (the reading is audited) and its leave. */
  async staffRecord(commune, id) {
    const { staffRecord } = await this.#graphql(`query($commune: String, $id: ID!) { staffRecord(commune: $commune,
      id: $id) { ${STAFF_RECORD} personal { nationalId birthDate address phone } leaves { ${LEAVE} } } }`,
    { commune, id });
    return staffRecord;
  }

  async createStaffRecord(commune, input) {
    const { createStaffRecord } = await this.#graphql(`mutation($commune: String, $input: StaffRecordInput!) {
      createStaffRecord(commune: $commune, input: $input) { ${STAFF_RECORD} } }`, { commune, input });
    return createStaffRecord;
  }

  async updateStaffRecord(commune, id, input, updatedAt = null) {
    const { updateStaffRecord } = await this.#graphql(`mutation($commune: String, $id: ID!,
      $input: StaffRecordInput!, $updatedAt: DateTime) { updateStaffRecord(commune: $commune, id: $id, input: $input,
        updatedAt: $updatedAt) { ${STAFF_RECORD} } }`, { commune, id, input, updatedAt });
    return updateStaffRecord;
  }

  /** Everyone in service, with who is away today (the commune's staff). */
  async staffDirectory(commune) {
    const { staffDirectory } = await this.#graphql(`query($commune: String) { staffDirectory(commune: $commune) {
      staffId fullName grade position departmentId absent awayUntil account { ${STAFF_MEMBER} } } }`, { commune });
    return staffDirectory;
  }

  /** The organisation chart. */
  async departments(commune) {
    const { departments } = await this.#graphql(`query($commune: String) { departments(commune: $commune) {
      ${DEPARTMENT} } }`, { commune });
    return departments;
  }

  async addDepartment(commune, input) {
    const { addDepartment } = await this.#graphql(`mutation($commune: String, $input: DepartmentInput!) {
      addDepartment(commune: $commune, input: $input) { ${DEPARTMENT} } }`, { commune, input });
    return addDepartment;
  }

  async updateDepartment(commune, id, input) {
    const { updateDepartment } = await this.#graphql(`mutation($commune: String, $id: ID!, $input: DepartmentInput!) {
      updateDepartment(commune: $commune, id: $id, input: $input) { ${DEPARTMENT} } }`, { commune, id, input });
    return updateDepartment;
  }

  /** The kinds of leave the commune records, labelled in the client's language. */
  async leaveTypes(commune) {
    const { leaveTypes } = await this.#graphql(`query($commune: String, $locale: String) {
      leaveTypes(commune: $commune, locale: $locale) { id key label legalReference } }`, { commune, locale: this.locale });
    return leaveTypes;
  }

  async recordLeave(commune, staffId, input) {
    const { recordLeave } = await this.#graphql(`mutation($commune: String, $staffId: ID!, $input: LeaveInput!) {
      recordLeave(commune: $commune, staffId: $staffId, input: $input) { ${LEAVE} } }`, { commune, staffId, input });
    return recordLeave;
  }

  async cancelLeave(commune, id) {
    const { cancelLeave } = await this.#graphql(`mutation($commune: String, $id: ID!) {
      cancelLeave(commune: $commune, id: $id) { ${LEAVE} } }`, { commune, id });
    return cancelLeave;
  }

  // ---- Disputes ----

  /** A page of the commune's cases (the legal-affairs office and the commune's administrators). */
  async disputeCases(commune, { first = 50, after = null } = {}) {
    const { disputeCases } = await this.#graphql(`query($commune: String, $first: Int, $after: String) {
      disputeCases(commune: $commune, first: $first, after: $after) { totalCount nodes { ${DISPUTE_CASE} }
        pageInfo { hasNextPage endCursor } } }`, { commune, first, after });
    return disputeCases;
  }

  /** One case file: its parties (the reading is audited), hearings, decisions, appeals and documents. */
  async disputeCase(commune, id) {
    const { disputeCase } = await this.#graphql(`query($commune: String, $id: ID!) { disputeCase(commune: $commune,
      id: $id) { ${DISPUTE_CASE} parties { name address } hearings { ${DISPUTE_HEARING} }
      decisions { ${DISPUTE_DECISION} } appeals { ${DISPUTE_APPEAL} } documents { ${DISPUTE_DOCUMENT} } } }`,
    { commune, id });
    return disputeCase;
  }

  async openDisputeCase(commune, input) {
    const { openDisputeCase } = await this.#graphql(`mutation($commune: String, $input: DisputeCaseInput!) {
      openDisputeCase(commune: $commune, input: $input) { ${DISPUTE_CASE} } }`, { commune, input });
    return openDisputeCase;
  }

  async setDisputeHearing(commune, caseId, input) {
    const { setDisputeHearing } = await this.#graphql(`mutation($commune: String, $caseId: ID!, $input: HearingInput!) {
      setDisputeHearing(commune: $commune, caseId: $caseId, input: $input) { ${DISPUTE_HEARING} } }`,
    { commune, caseId, input });
    return setDisputeHearing;
  }

  async recordHearingOutcome(commune, id, outcome) {
    const { recordHearingOutcome } = await this.#graphql(`mutation($commune: String, $id: ID!, $outcome: String!) {
      recordHearingOutcome(commune: $commune, id: $id, outcome: $outcome) { ${DISPUTE_HEARING} } }`,
    { commune, id, outcome });
    return recordHearingOutcome;
  }

  async recordDisputeDecision(commune, caseId, input) {
    const { recordDisputeDecision } = await this.#graphql(`mutation($commune: String, $caseId: ID!,
      $input: DecisionInput!) { recordDisputeDecision(commune: $commune, caseId: $caseId, input: $input) {
        ${DISPUTE_DECISION} } }`, { commune, caseId, input });
    return recordDisputeDecision;
  }

  async lodgeDisputeAppeal(commune, caseId, input) {
    const { lodgeDisputeAppeal } = await this.#graphql(`mutation($commune: String, $caseId: ID!, $input: AppealInput!) {
      lodgeDisputeAppeal(commune: $commune, caseId: $caseId, input: $input) { ${DISPUTE_APPEAL} } }`,
    { commune, caseId, input });
    return lodgeDisputeAppeal;
  }

  async closeDisputeCase(commune, id) {
    const { closeDisputeCase } = await this.#graphql(`mutation($commune: String, $id: ID!) {
      closeDisputeCase(commune: $commune, id: $id) { ${DISPUTE_CASE} } }`, { commune, id });
    return closeDisputeCase;
  }

  /** The commune's hearings to come, soonest first, with their reminders. */
  async upcomingHearings(commune) {
    const { upcomingHearings } = await this.#graphql(`query($commune: String) { upcomingHearings(commune: $commune) {
      caseNumber caseSubject hearing { ${DISPUTE_HEARING} } } }`, { commune });
    return upcomingHearings;
  }

  /** The kinds of case the commune records, labelled in the client's language. */
  async caseTypes(commune) {
    const { caseTypes } = await this.#graphql(`query($commune: String, $locale: String) {
      caseTypes(commune: $commune, locale: $locale) { id key label } }`, { commune, locale: this.locale });
    return caseTypes;
  }

  /** Corrects a case's object, court, parties, lawyer or stakes (never its number); a closed case refuses. */
  async updateDisputeCase(commune, id, input) {
    const { updateDisputeCase } = await this.#graphql(`mutation($commune: String, $id: ID!,
      $input: DisputeCaseEditInput!) { updateDisputeCase(commune: $commune, id: $id, input: $input) {
        ${DISPUTE_CASE} parties { name address } hearings { ${DISPUTE_HEARING} } decisions { ${DISPUTE_DECISION} }
        appeals { ${DISPUTE_APPEAL} } documents { ${DISPUTE_DOCUMENT} } } }`, { commune, id, input });
    return updateDisputeCase;
  }

  /** Where a document of a case is opened (with the bearer token; each opening is audited). */
  disputeDocumentUrl(commune, caseId, documentId) {
    const base = new URL(this.#endpoint, globalThis.location?.href ?? "http://localhost/");
    const [c, k, d] = [commune, caseId, documentId].map(encodeURIComponent);
    return new URL(`/disputes/${c}/${k}/documents/${d}`, base).href;
  }

  /**
   * Attaches a document to a case (`kind`: pleading, judgment, expert_report, correspondence or other); its
   * content is sealed by the server, its type read from its bytes. `file` is a Blob or File.
   */
  async attachDisputeDocument(commune, caseId, { title, kind, file, fileName = file?.name ?? "document" }) {
    const base = new URL(this.#endpoint, globalThis.location?.href ?? "http://localhost/");
    const [c, k] = [commune, caseId].map(encodeURIComponent);
    const form = new FormData();
    form.append("document", JSON.stringify({ title, kind }));
    form.append("file", file, fileName);
    let response;
    try {
      response = await this.#fetch(new URL(`/disputes/${c}/${k}/documents`, base).href, {
        method: "POST",
        headers: { ...this.#authorization(), ...(this.locale ? { "accept-language": this.locale } : {}) },
        body: form,
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
    return { ...body, kind: String(body.kind).toUpperCase() };
  }

  /** Opens a document of a case (audited by the server): `{blob, fileName, mediaType}`. */
  async downloadDisputeDocument(commune, caseId, documentId) {
    const response = await this.#fetch(this.disputeDocumentUrl(commune, caseId, documentId), {
      headers: this.#authorization(),
    });
    if (!response.ok) {
      const codes = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED" };
      throw new JamaaError(`the document cannot be opened (HTTP ${response.status})`,
        codes[response.status] ?? "INTERNAL");
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return {
      blob: await response.blob(),
      fileName: name ? decodeURIComponent(name) : documentId,
      mediaType: response.headers.get("content-type") ?? "application/octet-stream",
    };
  }

  // ---- Action-plan projects ----

  /** A page of the commune's projects, published or not (the planning officer, the commune's administrators). */
  async projects(commune, { first = 50, after = null } = {}) {
    const { projects } = await this.#graphql(`query($commune: String, $locale: String, $first: Int, $after: String) {
      projects(commune: $commune, locale: $locale, first: $first, after: $after) { totalCount nodes { ${PROJECT} }
        pageInfo { hasNextPage endCursor } } }`, { commune, locale: this.locale, first, after });
    return projects;
  }

  /** One project with its budget lines, milestones and progress notes. */
  async project(commune, id) {
    const { project } = await this.#graphql(`query($commune: String, $locale: String, $id: ID!) {
      project(commune: $commune, locale: $locale, id: $id) { ${PROJECT} } }`, { commune, locale: this.locale, id });
    return project;
  }

  /** The categories of the commune's projects, labelled in the client's language. */
  async projectCategories(commune) {
    const { projectCategories } = await this.#graphql(`query($commune: String, $locale: String) {
      projectCategories(commune: $commune, locale: $locale) { id key label legalReference } }`,
    { commune, locale: this.locale });
    return projectCategories;
  }

  /** Creates a project (its texts in each of the commune's languages), safe to retry with its key. */
  async createProject(commune, input, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { createProject } = await this.#graphql(`mutation($commune: String, $input: ProjectInput!) {
      createProject(commune: $commune, input: $input) { ${PROJECT} } }`, { commune, input }, { idempotencyKey });
    return createProject;
  }

  async updateProject(commune, id, input, updatedAt = null) {
    const { updateProject } = await this.#graphql(`mutation($commune: String, $id: ID!, $input: ProjectInput!,
      $updatedAt: DateTime) { updateProject(commune: $commune, id: $id, input: $input, updatedAt: $updatedAt) {
        ${PROJECT} } }`, { commune, id, input, updatedAt });
    return updateProject;
  }

  async addProjectMilestone(commune, projectId, input, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { addProjectMilestone } = await this.#graphql(`mutation($commune: String, $projectId: ID!,
      $input: MilestoneInput!) { addProjectMilestone(commune: $commune, projectId: $projectId, input: $input) {
        ${PROJECT_MILESTONE} } }`, { commune, projectId, input }, { idempotencyKey });
    return addProjectMilestone;
  }

  async updateProjectMilestone(commune, id, input) {
    const { updateProjectMilestone } = await this.#graphql(`mutation($commune: String, $id: ID!,
      $input: MilestoneInput!) { updateProjectMilestone(commune: $commune, id: $id, input: $input) {
        ${PROJECT_MILESTONE} } }`, { commune, id, input });
    return updateProjectMilestone;
  }

  /** Records progress (0–100 %, dated, noted in each of the commune's languages): it becomes the project's. */
  async recordProjectProgress(commune, projectId, input, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { recordProjectProgress } = await this.#graphql(`mutation($commune: String, $projectId: ID!,
      $input: ProgressInput!) { recordProjectProgress(commune: $commune, projectId: $projectId, input: $input) {
        ${PROJECT} } }`, { commune, projectId, input }, { idempotencyKey });
    return recordProjectProgress;
  }

  // ---- Expenditures and revenues recorded ----

  /** A year's recorded entries and each line's execution, imported plus recorded (the finance office). */
  async financeLedger(commune, year) {
    const { financeLedger } = await this.#graphql(`query($commune: String, $year: Int!, $locale: String) {
      financeLedger(commune: $commune, year: $year, locale: $locale) { year currency entries { ${FINANCE_ENTRY} }
        lines { imported { ${LEDGER_LINE} } executed { ${LEDGER_LINE} } recordedCommitted recordedOrdered
          recordedPaid recordedTitled recordedCollected }
        revenueTypes { key label legalReference } } }`, { commune, year, locale: this.locale });
    return financeLedger;
  }

  /** A commitment against an expense line (`line`: year, chapter, article, paragraph; `amount`: `"1250.50"`). */
  async recordCommitment(commune, input) {
    const { recordCommitment } = await this.#graphql(`mutation($commune: String, $input: CommitmentInput!) {
      recordCommitment(commune: $commune, input: $input) { ${FINANCE_ENTRY} } }`, { commune, input });
    return recordCommitment;
  }

  /** The authorising officer's approval (visa) of a commitment recorded by another member. */
  async approveCommitment(commune, commitmentId) {
    const { approveCommitment } = await this.#graphql(`mutation($commune: String, $commitmentId: ID!) {
      approveCommitment(commune: $commune, commitmentId: $commitmentId) { ${FINANCE_ENTRY} } }`,
    { commune, commitmentId });
    return approveCommitment;
  }

  async orderPayment(commune, commitmentId, amount) {
    const { orderPayment } = await this.#graphql(`mutation($commune: String, $commitmentId: ID!, $amount: String!) {
      orderPayment(commune: $commune, commitmentId: $commitmentId, amount: $amount) { ${FINANCE_ENTRY} } }`,
    { commune, commitmentId, amount });
    return orderPayment;
  }

  async recordPayment(commune, paymentOrderId, amount) {
    const { recordPayment } = await this.#graphql(`mutation($commune: String, $paymentOrderId: ID!, $amount: String!) {
      recordPayment(commune: $commune, paymentOrderId: $paymentOrderId, amount: $amount) { ${FINANCE_ENTRY} } }`,
    { commune, paymentOrderId, amount });
    return recordPayment;
  }

  async recordRevenueTitle(commune, input) {
    const { recordRevenueTitle } = await this.#graphql(`mutation($commune: String, $input: RevenueTitleInput!) {
      recordRevenueTitle(commune: $commune, input: $input) { ${FINANCE_ENTRY} } }`, { commune, input });
    return recordRevenueTitle;
  }

  async recordCollection(commune, titleId, amount) {
    const { recordCollection } = await this.#graphql(`mutation($commune: String, $titleId: ID!, $amount: String!) {
      recordCollection(commune: $commune, titleId: $titleId, amount: $amount) { ${FINANCE_ENTRY} } }`,
    { commune, titleId, amount });
    return recordCollection;
  }

  /** A counter-entry: takes back `amount` of an entry, with its reason; answers the corrected entry. */
  async correctFinanceEntry(commune, entryId, amount, reason) {
    const { correctFinanceEntry } = await this.#graphql(`mutation($commune: String, $entryId: ID!, $amount: String!,
      $reason: String!) { correctFinanceEntry(commune: $commune, entryId: $entryId, amount: $amount,
        reason: $reason) { ${FINANCE_ENTRY} } }`, { commune, entryId, amount, reason });
    return correctFinanceEntry;
  }

  // ---- Fees paid at the counter ----

  /** The demand of a request, by the tracking code of its receipt, with its payments (the counter agent). */
  async paymentDemand(commune, trackingCode) {
    const { paymentDemand } = await this.#graphql(`query($commune: String, $trackingCode: String!, $locale: String) {
      paymentDemand(commune: $commune, trackingCode: $trackingCode, locale: $locale) { ${PAYMENT_DEMAND} } }`,
    { commune, trackingCode, locale: this.locale });
    return paymentDemand;
  }

  /**
   * A cash or card payment against a request's demand (`input`: trackingCode, channel `CASH` or `CARD`, amount
   * `"2.00"`, currency, optional terminalSlip), with its quittance (`document`: code, text, verifyPath). Retried
   * with the same idempotency key when the answer is lost, so that one payment is never recorded twice.
   */
  async recordCounterPayment(commune, input, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { recordCounterPayment } = await this.#graphql(`mutation($commune: String, $input: CounterPayment!) {
      recordCounterPayment(commune: $commune, input: $input) { payment { ${PAYMENT} } demand { ${PAYMENT_DEMAND} }
        document { code kind title text verifyPath pdfPath } } }`, { commune, input }, { idempotencyKey });
    return recordCounterPayment;
  }

  /** Cancels a payment by a counter-entry with its reason (the revenue officer). */
  async cancelPayment(commune, paymentId, reason, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { cancelPayment } = await this.#graphql(`mutation($commune: String, $paymentId: ID!, $reason: String!) {
      cancelPayment(commune: $commune, paymentId: $paymentId, reason: $reason) { payment { ${PAYMENT} }
        demand { ${PAYMENT_DEMAND} } document { code kind title text verifyPath pdfPath } } }`,
    { commune, paymentId, reason }, { idempotencyKey });
    return cancelPayment;
  }

  /** An agent's day (today and oneself by default). */
  async paymentsDayReport(commune, { day, agent } = {}) {
    const { paymentsDayReport } = await this.#graphql(`query($commune: String, $day: NaiveDate, $agent: String) {
      paymentsDayReport(commune: $commune, day: $day, agent: $agent) { day agent currency cashCount cash cardCount
        card cancellationCount cashCancelled cardCancelled cashNet payments { ${PAYMENT} } } }`,
    { commune, day, agent });
    return paymentsDayReport;
  }

  /** A payment's quittance (or notice of cancellation) with its text, for printing. */
  async paymentDocument(commune, paymentId) {
    const { paymentDocument } = await this.#graphql(`query($commune: String, $paymentId: ID!) {
      paymentDocument(commune: $commune, paymentId: $paymentId) { code kind title text verifyPath pdfPath } }`,
    { commune, paymentId });
    return paymentDocument;
  }

  /** The fees collected per procedure and month (public). */
  async collectedFees(commune, year) {
    const { collectedFees } = await this.#graphql(`query($commune: String, $year: Int) {
      collectedFees(commune: $commune, year: $year) { year month serviceCode currency payments amount } }`,
    { commune, year });
    return collectedFees;
  }

  // ---- Fees paid online, reconciliation and refunds ----

  /**
   * Starts paying online what a request owes (its tracking code and secret): post `fields` to `action` (the
   * commune's provider); the browser comes back to the payment's return page.
   */
  async startOnlinePayment(trackingCode, secret, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { startOnlinePayment } = await this.#graphql(`mutation($code: String!, $secret: String!, $locale: String) {
      startOnlinePayment(trackingCode: $code, secret: $secret, locale: $locale) { action fields { name value }
        payment { ${ONLINE_PAYMENT} } } }`,
    { code: String(trackingCode ?? "").trim(), secret: String(secret ?? "").trim(), locale: this.locale },
    { idempotencyKey });
    return startOnlinePayment;
  }

  /** The commune's payments started online, newest first (the payments controller). */
  async onlinePayments(commune, first = 50) {
    const { onlinePayments } = await this.#graphql(`query($commune: String, $first: Int!) {
      onlinePayments(commune: $commune, first: $first) { ${ONLINE_PAYMENT} } }`, { commune, first });
    return onlinePayments;
  }

  /** Imports the provider's statement of a day (CSV): records what no callback told, lists the mismatches. */
  async importPaymentStatement(commune, day, csv, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { importPaymentStatement } = await this.#graphql(`mutation($commune: String, $day: NaiveDate!, $csv: String!) {
      importPaymentStatement(commune: $commune, day: $day, csv: $csv) { ${PAYMENT_STATEMENT} } }`,
    { commune, day, csv }, { idempotencyKey });
    return importPaymentStatement;
  }

  /** The provider's statements imported, newest first (of one day when named). */
  async paymentStatements(commune, day) {
    const { paymentStatements } = await this.#graphql(`query($commune: String, $day: NaiveDate) {
      paymentStatements(commune: $commune, day: $day) { ${PAYMENT_STATEMENT} } }`, { commune, day });
    return paymentStatements;
  }

  /** The provider's callbacks refused (forged, another amount, an unknown order), newest first. */
  async refusedPaymentCallbacks(commune, first = 50) {
    const { refusedPaymentCallbacks } = await this.#graphql(`query($commune: String, $first: Int!) {
      refusedPaymentCallbacks(commune: $commune, first: $first) { at reason orderId } }`, { commune, first });
    return refusedPaymentCallbacks;
  }

  /** Requests the refund of part or all of a paid online payment, with its reason. */
  async requestRefund(commune, paymentId, amount, reason, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { requestRefund } = await this.#graphql(`mutation($commune: String, $paymentId: ID!, $amount: String!,
      $reason: String!) { requestRefund(commune: $commune, paymentId: $paymentId, amount: $amount, reason: $reason) {
        ${PAYMENT_REFUND} } }`, { commune, paymentId, amount, reason }, { idempotencyKey });
    return requestRefund;
  }

  /** Approves or rejects a refund requested by another member. */
  async decideRefund(commune, refundId, approve, { idempotencyKey = globalThis.crypto.randomUUID() } = {}) {
    const { decideRefund } = await this.#graphql(`mutation($commune: String, $refundId: ID!, $approve: Boolean!) {
      decideRefund(commune: $commune, refundId: $refundId, approve: $approve) { ${PAYMENT_REFUND} } }`,
    { commune, refundId, approve }, { idempotencyKey });
    return decideRefund;
  }

  /** The commune's refunds, oldest first. */
  async paymentRefunds(commune) {
    const { paymentRefunds } = await this.#graphql(`query($commune: String) {
      paymentRefunds(commune: $commune) { ${PAYMENT_REFUND} } }`, { commune });
    return paymentRefunds;
  }

  /**
   * Posts one operation. With an idempotency key (a creating call), a failure that says nothing was done for
   * sure (the API unreachable, or UNAVAILABLE) is sent again, with the same key, after each of `retryDelays`.
   */
  async #graphql(query, variables, { idempotencyKey } = {}) {
    const delays = idempotencyKey ? this.#retryDelays : [];
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#post(query, variables, idempotencyKey);
      } catch (error) {
        const retryable = error instanceof JamaaError && (error.code === "NETWORK_ERROR" || error.code === "UNAVAILABLE");
        if (!retryable || attempt >= delays.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
      }
    }
  }

  async #post(query, variables, idempotencyKey) {
    if (!this.#fetch) throw new JamaaError("no fetch function: pass `fetch` to createClient", "NETWORK_ERROR");
    let response;
    try {
      response = await this.#fetch(this.#endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...this.#authorization(),
          ...this.#headers,
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new JamaaError(`the API cannot be reached: ${error?.message ?? error}`, "NETWORK_ERROR", [], error);
    }
    let body;
    try {
      body = await response.json();
    } catch (error) {
      // A proxy's 502/503/504 page while the server restarts: nothing was done.
      const code = response.status >= 502 && response.status <= 504 ? "UNAVAILABLE" : "NETWORK_ERROR";
      throw new JamaaError(`the API answered HTTP ${response.status} without JSON`, code, [], error);
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
