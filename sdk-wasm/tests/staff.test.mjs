// The staff and operator functions of the built package's client (Node.js build) against a live
// `jamaa serve --demo`: a staff token reads the inbox and a file, acts, issues the decision, and the operator's
// token reads templates and their diff, with the server's codes when something is refused. The back office
// (office/) drives the rest of them in Chromium. Needs ./scripts/build-sdk and the jamaa binary.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { JamaaError, createClient, memoryStorage } from "../pkg/node.js";
import { startServer } from "./support/server.mjs";

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const client = (token) => createClient({ endpoint: `${server.url}/graphql`, locale: "fr", token, storage: memoryStorage() });

test("a staff token works the inbox: a file, an action, the decision document", async () => {
  const staff = client(server.tokens.oujda);
  const features = await staff.features();
  assert.equal(typeof features.assignment, "boolean");
  const page = await staff.inbox("oujda", { state: "submitted" }, { first: 50 });
  assert.ok(page.nodes.length > 0);
  const legalisation = page.nodes.find((r) => r.serviceCode === "legalisation-signature");
  const file = await staff.getRequest("oujda", legalisation.id);
  assert.equal(file.trackingCode, legalisation.trackingCode);
  assert.deepEqual(file.availableActions.map((a) => a.key).sort(), ["certify", "reject"]);
  assert.equal(file.receipt.trackingCode, legalisation.trackingCode);

  const stale = file.version - 1;
  await assert.rejects(staff.act("oujda", file.id, "certify", stale), (error) => error instanceof JamaaError && error.code === "CONFLICT");
  const done = await staff.act("oujda", file.id, "certify", file.version);
  assert.equal(done.state, "certified");
  const issued = await staff.issueDecision("oujda", file.id);
  assert.match(issued.code, /^OUJ-/);
  assert.deepEqual((await staff.requestDocuments("oujda", file.id)).map((d) => d.code), [issued.code]);
  // Certified by staff, not approved by silence: no certificate of tacit acceptance.
  await assert.rejects(
    staff.issueTacitAcceptanceCertificate("oujda", file.id),
    (error) => error instanceof JamaaError && error.code === "VALIDATION_FAILED" && error.fields[0].path === "requestId",
  );
});

test("the operator reads templates and their diff; anonymous callers are refused with the API's code", async () => {
  const operator = client(server.tokens.operator);
  const references = (await operator.templates()).map((t) => t.reference);
  assert.ok(references.includes("oujda@1") && references.includes("ma-commune@1"), references.join());
  const changes = await operator.templateDiff("ma-commune@1", "oujda@1");
  assert.ok(Array.isArray(changes));
  const national = await operator.nationalIndicators();
  assert.ok(national.regions.some((r) => r.country === "MR"), "Mauritania apart");

  const anonymous = client(null);
  await assert.rejects(anonymous.nationalIndicators(), (error) => error.code === "UNAUTHENTICATED" || error.code === "FORBIDDEN");
  await assert.rejects(anonymous.me(), (error) => error instanceof JamaaError && error.code === "UNAUTHENTICATED");
});

test("the commune's administrator reads the online payments, imports a statement; a refund of nothing is refused", async () => {
  const staff = client(server.tokens.oujda);
  assert.deepEqual(await staff.onlinePayments("oujda"), []);
  assert.deepEqual(await staff.refusedPaymentCallbacks("oujda"), []);
  const header = "date,order_id,transaction_id,amount,currency,status\n";
  const unknown = `${header}2026-12-05T10:00:00Z,0123abcd,TRX-1,2.00,504,approved\n`;
  const imported = await staff.importPaymentStatement("oujda", "2026-12-05", unknown);
  assert.equal(imported.lines, 1);
  assert.deepEqual(imported.mismatches.map((m) => [m.kind, m.orderId, m.statedAmount, m.settled]), [
    ["UNKNOWN_ORDER", "0123abcd", "2.00", false],
  ]);
  assert.deepEqual((await staff.paymentStatements("oujda", "2026-12-05")).map((s) => s.id), [imported.id]);
  assert.deepEqual(await staff.paymentRefunds("oujda"), []);
  await assert.rejects(
    staff.requestRefund("oujda", "00000000-0000-7000-8000-000000000000", "1.00", "Essai"),
    (error) => error instanceof JamaaError && error.code === "NOT_FOUND",
  );
  await assert.rejects(
    staff.decideRefund("oujda", "00000000-0000-7000-8000-000000000000", true),
    (error) => error instanceof JamaaError && error.code === "NOT_FOUND",
  );
});
