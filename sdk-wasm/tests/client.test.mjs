// The API client of the built package (sdk-wasm/pkg, Node.js build) against a live `jamaa serve --demo` on
// 127.0.0.1: lists, submits, tracks, keeps drafts, and refuses an invalid submission without calling the API,
// with the failures the API itself reports. Needs ./scripts/build-sdk and the jamaa binary.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, before, test } from "node:test";

import { JamaaError, createClient, memoryStorage } from "../pkg/node.js";
import { startServer } from "./support/server.mjs";

// Oujda offers every procedure of the Moroccan standard it was onboarded from.
const STANDARD_PROCEDURES = readdirSync(new URL("../../core/data/ma-commune/services/", import.meta.url))
  .filter((file) => file.endsWith(".json")).length;

let server;
/** The bodies of the requests the client sent. */
const sent = [];
let client;

const VALID = {
  signatory_name: "Fatima Zahra El Idrissi",
  cin: "ab 123456",
  phone: "06 12 34 56 78",
  document_title: "Contrat de bail",
  copies: 2,
};
const DOCUMENTS = [{ code: "document_to_sign", fileName: "bail.pdf", mediaType: "application/pdf", sizeBytes: 120000 }];

before(async () => {
  server = await startServer();
  const counting = (url, init) => {
    sent.push(JSON.parse(init.body));
    return fetch(url, init);
  };
  client = createClient({ endpoint: `${server.url}/graphql`, locale: "fr", fetch: counting, storage: memoryStorage() });
});

after(async () => {
  await server?.stop();
});

test("lists the communes and their procedures", async () => {
  const communes = await client.listCommunes();
  assert.deepEqual(communes.map((c) => c.slug), ["chefchaouen", "kaedi", "oujda"]);
  const oujda = communes.find((c) => c.slug === "oujda");
  assert.equal(oujda.country, "MA");
  assert.deepEqual(oujda.calendar.weekend, ["Sat", "Sun"]);

  const services = await client.listServices("oujda");
  assert.equal(services.length, STANDARD_PROCEDURES);
  const legalisation = services.find((s) => s.code === "legalisation-signature");
  assert.equal(legalisation.name, "Légalisation de signature");
  assert.deepEqual(legalisation.deadline, { days: 0, workingDays: false });

  const service = await client.getService("oujda", "legalisation-signature");
  assert.equal(service.formSchema.fields[1].key, "cin");
  assert.equal(service.definition.code, "legalisation-signature");
  assert.equal(service.fields[0].label, "Nom complet du signataire");
});

test("submits a valid request and tracks it with its code and secret", async () => {
  const submission = await client.submit("oujda", "legalisation-signature", VALID, DOCUMENTS);
  assert.match(submission.trackingCode, /^OUJ-\d{4}-\d{6}$/);
  assert.equal(submission.receipt.trackingCode, submission.trackingCode);
  assert.equal(submission.receipt.silence, "NOTHING");
  assert.match(submission.receipt.decisionDue, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(submission.request.state, "submitted");

  const tracked = await client.track(submission.trackingCode.toLowerCase(), submission.secret);
  assert.equal(tracked.trackingCode, submission.trackingCode);
  assert.equal(tracked.stateLabel, "Déposée");
  assert.equal(tracked.history.length, 1);

  await assert.rejects(client.track(submission.trackingCode, "WRONG-SECRET"), (error) => {
    assert.ok(error instanceof JamaaError);
    assert.equal(error.code, "NOT_FOUND");
    return true;
  });
});

test("an invalid submission is refused offline, with the API's own failures", async () => {
  const invalid = { ...VALID, cin: "12", copies: 0, nickname: "Fafa" };
  await client.getService("oujda", "legalisation-signature");
  const before = sent.length;
  const refused = await client.submit("oujda", "legalisation-signature", invalid, []).then(
    () => assert.fail("an invalid submission was accepted"),
    (error) => error,
  );
  assert.equal(sent.length, before, "no request left for the API");
  assert.ok(refused instanceof JamaaError);
  assert.equal(refused.code, "VALIDATION_FAILED");

  // The API, asked directly, refuses the same submission with the same fields and summary.
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($input: SubmitRequestInput!) {
        submitRequest(commune: "oujda", input: $input, locale: "fr") { secret } }`,
      variables: { input: { serviceCode: "legalisation-signature", data: invalid, documents: [] } },
    }),
  });
  const [error] = (await response.json()).errors;
  assert.equal(error.extensions.code, "VALIDATION_FAILED");
  assert.deepEqual(refused.fields, error.extensions.fields);
  assert.equal(refused.message, error.message);
  assert.deepEqual(
    refused.fields.map((f) => f.path),
    ["input.data.cin", "input.data.copies", "input.data.nickname", "input.documents.document_to_sign"],
  );
});

test("a malformed tracking code is refused offline", async () => {
  const before = sent.length;
  await assert.rejects(client.track("OUJ-26", "secret"), (error) => {
    assert.equal(error.code, "VALIDATION_FAILED");
    assert.equal(error.fields[0].path, "trackingCode");
    return true;
  });
  assert.equal(sent.length, before);
});

test("drafts are kept per commune and procedure, and a submission clears its own", async () => {
  client.saveDraft("oujda", "legalisation-signature", { signatory_name: "Fatima" });
  client.saveDraft("kaedi", "reclamation", { subject: "lighting" });
  assert.deepEqual(client.loadDraft("oujda", "legalisation-signature").data, { signatory_name: "Fatima" });
  assert.equal(client.loadDraft("oujda", "reclamation"), null);
  assert.deepEqual(
    client.listDrafts().map((d) => `${d.commune}/${d.serviceCode}`).sort(),
    ["kaedi/reclamation", "oujda/legalisation-signature"],
  );

  await client.submit("oujda", "legalisation-signature", VALID, DOCUMENTS);
  assert.equal(client.loadDraft("oujda", "legalisation-signature"), null);
  client.deleteDraft("kaedi", "reclamation");
  assert.deepEqual(client.listDrafts(), []);
});

test("Kaédi's procedures check Mauritanian identity numbers, in Arabic", async () => {
  const arabic = createClient({ endpoint: `${server.url}/graphql`, locale: "ar" });
  const result = await arabic.validate("kaedi", "legalisation-signature", { ...VALID, phone: undefined }, DOCUMENTS);
  assert.equal(result.valid, false);
  assert.deepEqual(result.errors.map((e) => e.code), ["INVALID_NATIONAL_ID"]);
  assert.match(result.errors[0].message, /الرقم الوطني للتعريف/);
});

test("a submission whose answer was lost is sent again with its idempotency key, and filed once", async () => {
  const attempts = [];
  let lost = null;
  // The first attempt reaches the server, which files the request; its answer never reaches the client.
  const flaky = async (url, init) => {
    const body = JSON.parse(init.body);
    if (!body.query.includes("submitRequest")) return fetch(url, init);
    attempts.push(init.headers["idempotency-key"]);
    const response = await fetch(url, init);
    if (attempts.length === 1) {
      lost = await response.json();
      throw new TypeError("fetch failed: socket hang up");
    }
    return response;
  };
  const retrying = createClient({
    endpoint: `${server.url}/graphql`,
    locale: "fr",
    fetch: flaky,
    storage: memoryStorage(),
    retryDelays: [10, 10],
  });
  const submission = await retrying.submit("oujda", "legalisation-signature", VALID, DOCUMENTS);
  assert.equal(attempts.length, 2);
  assert.match(attempts[0], /^[0-9a-f-]{36}$/);
  assert.equal(attempts[1], attempts[0], "the same key both times");
  assert.equal(submission.trackingCode, lost.data.submitRequest.receipt.trackingCode, "the first request, not a second");
  assert.equal(submission.secret, lost.data.submitRequest.secret);

  // A key of the caller's own; the same key with another submission is refused.
  const key = `partner-${Date.now()}-0001`;
  const own = await retrying.submit("oujda", "legalisation-signature", VALID, DOCUMENTS, { idempotencyKey: key });
  const again = await retrying.submit("oujda", "legalisation-signature", VALID, DOCUMENTS, { idempotencyKey: key });
  assert.equal(again.trackingCode, own.trackingCode);
  await assert.rejects(
    retrying.submit("oujda", "legalisation-signature", { ...VALID, copies: 3 }, DOCUMENTS, { idempotencyKey: key }),
    (error) => error instanceof JamaaError && error.code === "IDEMPOTENCY_KEY_REUSED",
  );
});
