// A step past its SLA, in the back office: Oujda gives the first step of its access-to-information procedure 2
// working days (a commune setting, as its reminder one day before and its escalation to the president); the
// server runs with its clock moved a week forward by libfaketime (as tacit.test.mjs), so that its own scheduler
// reminds and escalates. The inbox then marks the file's step as overdue, counts it, and filters it. axe-core
// checks the screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, fakeClock, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

const clock = fakeClock();
useOffice({ env: clock.env });

async function publishWithStepDeadline(token) {
  const { service } = await graphql(server.url, null, `{ service(commune: "oujda", code: "acces-information") { definition } }`);
  const definition = service.definition;
  const submitted = definition.workflow.states.find((s) => s.key === "submitted");
  Object.assign(submitted, {
    slaDays: 2,
    reminder: { daysBefore: 1, basis: "communeSetting" },
    escalateTo: "president",
  });
  await graphql(server.url, token, `mutation($d: JSON!) { publishService(commune: "oujda", definition: $d) }`, { d: definition });
}

async function fileRequest() {
  const data = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { request { id trackingCode } } }`, {
    i: {
      serviceCode: "acces-information",
      data: {
        requester_name: "Samira Bennani",
        cin: "AB123456",
        information_requested: "Le procès-verbal de la dernière session du conseil communal.",
        delivery_mode: "email",
      },
    },
  });
  return data.submitRequest.request;
}

test("in French: a step past its SLA is escalated by the server, then marked, counted and filtered in the inbox", async () => {
  const admin = await sessionOf(server.url, "admin.oujda");
  await publishWithStepDeadline(admin);
  const file = await fileRequest();

  // A week later, the server's scheduler reminds, then escalates.
  clock.move("+7d");
  // A session opened before the server's clock moved ends with the move: each look signs in again.
  const history = async () => {
    try {
      const token = await sessionOf(server.url, "admin.oujda");
      const { request } = await graphql(server.url, token, `query($id: ID!) {
        request(commune: "oujda", id: $id) { stepOverdue history { action } } }`, { id: file.id });
      return request;
    } catch {
      return { stepOverdue: false, history: [] };
    }
  };
  let seen = await history();
  for (let waited = 0; !seen.history.some((s) => s.action === "sla.escalated") && waited < 30_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    seen = await history();
  }
  assert.deepEqual(seen.history.map((s) => s.action), ["submit", "sla.reminder", "sla.escalated"]);
  assert.equal(seen.stepOverdue, true);

  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "admin.oujda", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  const row = page.locator("tr").filter({ hasText: file.trackingCode });
  await row.locator(".badge.step-late", { hasText: "étape en retard" }).waitFor();
  const count = page.getByRole("button", { name: /Étapes en retard/ });
  await count.waitFor();
  assert.match(await count.innerText(), /1/);
  await page.getByLabel("Étapes en retard seulement").check();
  await page.getByRole("button", { name: "Appliquer" }).click();
  await page.locator("#inbox-caption", { hasText: /^1 demande,/ }).waitFor();
  const codes = await page.locator("table[aria-describedby=inbox-caption] tbody tr td:first-child").allInnerTexts();
  assert.deepEqual(codes, [file.trackingCode]);
  await assertAccessible(page, "inbox with an overdue step (fr)");
  await shoot(page, "inbox-step-overdue-fr");
});
