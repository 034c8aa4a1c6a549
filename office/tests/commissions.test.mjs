// A commission in the back office: a large-project building permit of Oujda, accepted at the counter, goes before
// its commission of three bodies. A member of civil protection (the demo's login) opens the file in Arabic, sees
// each body with its delay and due day, and gives the body's opinion with its conditions; the reasons are
// required. Once the two other bodies have spoken, the request has moved by itself, and the head of service reads
// the opinions in French in the history. axe-core checks the screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { DEMO_PASSWORD, assertAccessible, browser, graphql, openPage, server, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** A demo login's session token. */
async function demoSession(login) {
  const data = await graphql(server.url, null, "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }",
    { l: login, p: DEMO_PASSWORD });
  return data.login.token;
}

/** A large-project permit filed by a company and accepted at the counter: before the commission. */
async function fileBeforeCommission() {
  const data = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { request { id trackingCode } } }`, {
    i: {
      serviceCode: "autorisation-construire-grands-projets",
      data: {
        applicant_name: "Société Al Bina SARL", cin: "F123456", phone: "+212661234567",
        parcel_location: { lat: 34.6814, lng: -1.9086, address: "Hay Al Qods, Oujda" },
        floors: 5, built_surface: 2400, project_type: "collective_housing",
      },
      documents: [
        { code: "architectural_plans", fileName: "plans.pdf", mediaType: "application/pdf", sizeBytes: 4000000 },
        { code: "structural_plans", fileName: "beton.pdf", mediaType: "application/pdf", sizeBytes: 3000000 },
        { code: "property_title", fileName: "titre.pdf", mediaType: "application/pdf", sizeBytes: 300000 },
        { code: "topographic_plan", fileName: "topo.pdf", mediaType: "application/pdf", sizeBytes: 900000 },
      ],
    },
  });
  const request = data.submitRequest.request;
  const counter = await demoSession("oujda.counter_agent");
  await graphql(server.url, counter, `mutation($id: ID!) {
    actOnRequest(commune: "oujda", id: $id, action: "accept_file", expectedVersion: 1) { state } }`, { id: request.id });
  return request;
}

test("in Arabic, a body's member gives its opinion with conditions; in French, the head of service reads them", async () => {
  const file = await fileBeforeCommission();
  const page = await openPage(browser, "ar");
  await signIn(page, server.url, "oujda.civil_protection", "ar", DEMO_PASSWORD);
  await page.goto(`${server.url}/office/?lang=ar#/c/oujda/inbox/${file.id}`);
  const commission = page.locator("#commission");
  await commission.waitFor();
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await commission.locator("tbody tr").count(), 3);
  await commission.locator("tr[data-body=civil_protection]", { hasText: "لم يبد رأيه بعد" }).waitFor();
  assert.match(await commission.locator("tr[data-body=technical_service]").innerText(), /7/);
  assert.equal(await page.locator("#commission-outcome").innerText(), "في انتظار الآراء");

  // Conditions without their text are refused by the page; with it, the opinion is recorded.
  await page.locator("#opinion-FAVOURABLE_WITH_CONDITIONS").check();
  assert.equal(await page.locator("#opinion-reasons").getAttribute("required"), "");
  await page.locator("#opinion-reasons").fill("توفير مخرجين للنجدة في كل درج.");
  await assertAccessible(page, "the commission of a file, in Arabic");
  await shoot(page, "commission-ar");
  await page.getByRole("button", { name: "تسجيل الرأي" }).click();
  await commission.locator("tr[data-body=civil_protection]", { hasText: "موافق بشروط" }).waitFor();
  await page.locator("#opinion-form").waitFor({ state: "detached" });

  // The two other bodies agree through the API: the commission decides and the request moves by itself.
  for (const login of ["oujda.urban_agency", "oujda.technical_service"]) {
    const token = await demoSession(login);
    await graphql(server.url, token, `mutation($id: ID!) {
      giveOpinion(commune: "oujda", id: $id, opinion: FAVOURABLE) { state } }`, { id: file.id });
  }
  const head = await openPage(browser, "fr");
  await signIn(head, server.url, "oujda.head_of_service", "fr", DEMO_PASSWORD);
  await head.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox/${file.id}`);
  await head.locator("#file-state", { hasText: "En instruction" }).waitFor();
  assert.equal(await head.locator("#commission").count(), 0);
  const history = head.locator("ol.history");
  await history.locator("li", { hasText: "Avis favorable sous conditions" }).waitFor();
  await history.locator("li", { hasText: "Avis favorable de la commission" }).waitFor();
  await assertAccessible(head, "the file after its commission, in French");
  await page.close();
  await head.close();
});
