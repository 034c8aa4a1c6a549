// The offline rules of the built package (sdk-wasm/pkg, Node.js build): the shared table of cases gives the
// failures the server reports (tests/tests/sdk_parity.rs checks the server against the same table), and the
// other rules answer as core does. Run `./scripts/build-sdk` first.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  JamaaError,
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
} from "../pkg/node.js";

const repo = new URL("../../", import.meta.url);
const table = JSON.parse(readFileSync(new URL("sdk-wasm/tests/cases.json", repo), "utf8"));
const service = (code) => JSON.parse(readFileSync(new URL(`core/data/ma-commune/services/${code}.json`, repo), "utf8"));
const calendar = JSON.parse(readFileSync(new URL("core/data/ma-commune/calendar.json", repo), "utf8"));

/** The failures as the case lists them: path and code, and the message only where the case gives one. */
function comparable(errors, expected) {
  return errors.map((error, i) => {
    const kept = { path: error.path, code: error.code };
    if (expected[i]?.message !== undefined) kept.message = error.message;
    return kept;
  });
}

for (const c of table.cases) {
  test(`the server's failures: ${c.name}`, () => {
    const country = table.communes[c.commune];
    const definition = service(c.service);
    const result = validateSubmission(definition, c.data, c.documents, country, c.locale);
    assert.deepEqual(comparable(result.errors, c.expected), c.expected);
    assert.equal(result.valid, c.expected.length === 0);

    // The form alone gives the same failures of the data, at core's paths (without `input.`).
    const form = validateForm(definition.form, c.data, country, c.locale);
    const dataErrors = c.expected.filter((e) => e.path.startsWith("input.data"));
    assert.deepEqual(
      comparable(form.errors, dataErrors),
      dataErrors.map((e) => ({ ...e, path: e.path.slice("input.".length) })),
    );
  });
}

test("valid data comes back normalized", () => {
  const form = service("legalisation-signature").form;
  const data = { signatory_name: "  Fatima  ", cin: "ab 123456", phone: "06 12 34 56 78", document_title: "Bail", copies: 1 };
  const result = validateForm(JSON.stringify(form), data, "MA", "fr");
  assert.equal(result.valid, true);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.data, {
    signatory_name: "Fatima",
    cin: "AB123456",
    phone: "+212612345678",
    document_title: "Bail",
    copies: 1,
  });
});

test("the fields shown and required follow the form's conditions", () => {
  const { form } = service("extrait-acte-naissance");
  const state = (data, key) => fieldStates(form, data, "MA").find((s) => s.key === key);
  assert.deepEqual(state({ lookup_by: "act_reference" }, "act_number"), { key: "act_number", visible: true, required: true });
  assert.deepEqual(state({ lookup_by: "family_booklet" }, "act_number"), { key: "act_number", visible: false, required: false });
  assert.equal(fieldStates(form, {}, "MA").length, form.fields.length);
});

test("messages follow the locale, with French by default", () => {
  const form = service("legalisation-signature").form;
  const message = (locale) => validateForm(form, { cin: "AB123456" }, "MA", locale).errors[0].message;
  assert.equal(message("fr"), "Ce champ est obligatoire.");
  assert.equal(message(undefined), "Ce champ est obligatoire.");
  assert.equal(message("ar"), "هذا الحقل إجباري.");
  assert.equal(message("en"), "This field is required.");
});

test("a malformed argument is a JamaaError, not a crash", () => {
  for (const call of [
    () => validateForm("{not json", {}, "MA"),
    () => validateForm({ fields: [] }, {}, "FR"),
    () => validateForm({ fields: [] }, {}, "MA", "de"),
    () => dueDate(calendar, "2026-01-05", 3, "lunar"),
    () => availableActions({ states: [] }, "submitted", "mayor", {}),
  ]) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof JamaaError);
      assert.ok(error instanceof Error);
      assert.equal(error.code, "VALIDATION_FAILED");
      assert.deepEqual(error.fields, []);
      return true;
    });
  }
});

test("due dates count working days on the commune's calendar", () => {
  // Friday 9 January 2026; Sunday 11 January is the Manifesto's anniversary, Wednesday 14 Yennayer.
  assert.equal(dueDate(calendar, "2026-01-09", 1, "working"), "2026-01-12");
  assert.equal(dueDate(calendar, "2026-01-09", 3, "working"), "2026-01-15");
  assert.equal(dueDate(calendar, "2026-01-09", 0, "calendar"), "2026-01-09");
  assert.equal(dueDate(calendar, "2026-01-09", 1, "calendar"), "2026-01-12");
  assert.equal(dueDate(JSON.stringify(calendar), "2026-01-10", 0, "working"), "2026-01-12");
  assert.throws(
    () => dueDate(calendar, "2026-02-30", 1, "working", "fr"),
    (error) => error.code === "VALIDATION_FAILED" && error.fields[0].path === "startDate" &&
      error.fields[0].code === "INVALID_DATE" && error.message === error.fields[0].message,
  );
});

test("the actions of a workflow depend on the state and on who acts", () => {
  const { workflow } = service("legalisation-signature");
  const keys = (actor, state = "submitted") => availableActions(workflow, state, actor, {}, "fr").map((a) => a.key);
  assert.deepEqual(keys(["counter_agent"]), ["certify", "reject"]);
  assert.deepEqual(keys("applicant"), ["withdraw"]);
  assert.deepEqual(keys(["civil_registrar"]), []);
  assert.deepEqual(keys(["counter_agent"], "certified"), []);
  const [certify] = availableActions(workflow, "submitted", ["counter_agent"], null, "ar");
  assert.deepEqual(certify, { key: "certify", label: "تصحيح الإمضاء", to: "certified", commentRequired: false });
  // Only the actions of a definition are read: its states and timers say nothing of what may be done now.
  assert.deepEqual(availableActions({ actions: workflow.actions }, "submitted", ["counter_agent"], {}, "fr"),
    availableActions(workflow, "submitted", ["counter_agent"], {}, "fr"));
});

test("localized text falls back, and Arabic is written right to left", () => {
  const text = { ar: "تصحيح الإمضاء", fr: "Légalisation de signature" };
  assert.equal(localize(text, "ar"), "تصحيح الإمضاء");
  assert.equal(localize(text, "en"), "Légalisation de signature");
  assert.equal(localize(text, "tzm", ["ar"]), "تصحيح الإمضاء");
  assert.equal(localize({}, "fr"), "");
  assert.equal(textDirection("ar"), "rtl");
  assert.equal(textDirection("fr"), "ltr");
});

test("tracking codes, national ids and phones in their canonical spelling", () => {
  assert.deepEqual(parseTrackingCode(" ouj-2026-000042 "), { code: "OUJ-2026-000042", prefix: "OUJ", year: 2026, sequence: 42 });
  assert.throws(
    () => parseTrackingCode("OUJ-26-42", "fr"),
    (error) => error instanceof JamaaError && error.code === "VALIDATION_FAILED" &&
      error.fields[0].path === "trackingCode" && error.fields[0].code === "INVALID_VALUE" &&
      error.message.startsWith("Code de suivi invalide"),
  );
  assert.equal(normalizeNationalId("MA", "ab 123456"), "AB123456");
  assert.equal(normalizeNationalId("MR", "١٢٣٤٥٦٧٨٩٠"), "1234567890");
  assert.equal(normalizePhone("MA", "06 12 34 56 78"), "+212612345678");
  assert.throws(
    () => normalizeNationalId("MA", "123", "ar"),
    (error) => error.fields[0].code === "INVALID_NATIONAL_ID" && error.message.startsWith("رقم البطاقة"),
  );
  assert.throws(() => normalizePhone("MR", "0612345678"), (error) => error.fields[0].code === "INVALID_PHONE");
});

// SHA-256 of length-prefixed parts (each its UTF-8 length as 8 bytes big-endian, then the bytes), hex: the hash of
// core's audit chain, written again here so that the proof's format is checked by a second implementation.
async function hashParts(...parts) {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = Buffer.from(part, "utf8");
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(length).update(bytes);
  }
  return hash.digest("hex");
}

test("verifyAuditProof checks every link and the request's own events, as core does", async () => {
  const genesis = "0".repeat(64);
  const tenantId = "0190a1b2-0000-7000-8000-000000000001";
  const steps = [];
  let link = genesis;
  for (let sequence = 1; sequence <= 4; sequence += 1) {
    const event = {
      occurredAt: `2026-03-02T09:00:0${sequence}.000123Z`,
      actor: "system",
      kind: "request.submitted",
      subject: `request:${sequence}`,
      payload: `{"n":${sequence}}`,
    };
    const contentHash = await hashParts(tenantId, String(sequence), event.occurredAt, event.actor, event.kind,
      event.subject, event.payload);
    link = await hashParts(link, contentHash);
    steps.push({ sequence, contentHash, link, event: sequence === 3 ? event : null });
  }
  const kept = { commune: "oujda", sequence: 1, link: steps[0].link };
  const proof = { commune: "oujda", tenantId, subject: "request:3", since: 1, sinceLink: steps[0].link, steps: steps.slice(1) };
  assert.deepEqual(verifyAuditProof(proof, kept), {
    valid: true, headSequence: 4, headLink: link, ownEvents: [3], problem: null, brokenSequence: null,
  });
  // The API spells times with `+00:00`, as its DateTime scalar does: the same instant gives the same hash.
  const spelled = structuredClone(proof);
  spelled.steps[1].event.occurredAt = "2026-03-02T09:00:03.000123+00:00";
  assert.equal(verifyAuditProof(spelled, kept).valid, true);
  spelled.steps[1].event.occurredAt = "2026-03-02T09:00:03.000124+00:00";
  assert.equal(verifyAuditProof(spelled, kept).problem, "CONTENT_CHANGED");
  const altered = structuredClone(proof);
  altered.steps[1].event.payload = `{"n":33}`;
  assert.equal(verifyAuditProof(altered, kept).problem, "CONTENT_CHANGED");
  assert.equal(verifyAuditProof(proof, { ...kept, link: genesis }).problem, "HEAD_MISMATCH");
  assert.equal(verifyAuditProof(proof, { ...kept, commune: "kaedi" }).problem, "OTHER_COMMUNE");
});
