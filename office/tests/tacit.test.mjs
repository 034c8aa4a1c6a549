// A permit approved by the silence of the administration, in the back office: the server runs with its clock moved
// forward by libfaketime (Debian's faketime; the offset is read from a file the test rewrites), so that its own
// scheduler applies the tacit approval at the legal deadline, as it does in production. The head of service then
// finds the button for the certificate of tacit acceptance on the file, issues it, and `/verify` confirms its
// code; a file closed by a decision of staff has no such button. axe-core checks the screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, fakeClock, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

const clock = fakeClock();
useOffice({ env: clock.env });

/** A small-project building permit filed by a citizen over the API: silence at its deadline means approval. */
async function filePermit() {
  const data = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { request { id trackingCode } secret } }`, {
    i: {
      serviceCode: "autorisation-construire-petits-projets",
      data: {
        applicant_name: "Youssef Benali",
        cin: "F123456",
        phone: "+212661234567",
        parcel_location: { lat: 34.6814, lng: -1.9086, address: "Hay Al Qods, Oujda" },
        floors: 2,
        built_surface: 140,
        project_type: "new_house",
      },
      documents: [
        { code: "architectural_plans", fileName: "plans.pdf", mediaType: "application/pdf", sizeBytes: 4000000 },
        { code: "property_title", fileName: "titre.pdf", mediaType: "application/pdf", sizeBytes: 300000 },
        { code: "topographic_plan", fileName: "topo.pdf", mediaType: "application/pdf", sizeBytes: 900000 },
      ],
    },
  });
  return { ...data.submitRequest.request, secret: data.submitRequest.secret };
}

async function stateOf(permit) {
  const data = await graphql(server.url, null, `query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret) { state } }`, { code: permit.trackingCode, secret: permit.secret });
  return data.trackRequest.state;
}

test("in French: after the deadline's silence, the head of service issues the certificate of tacit acceptance", async () => {
  const tacit = await filePermit();
  const decided = await filePermit();
  const head = await sessionOf(server.url, "chef.service");
  const counter = await sessionOf(server.url, "guichet.oujda");
  // The other permit is approved by staff before the deadline: its file offers no certificate.
  for (const [token, action] of [[counter, "accept_file"], [head, "approve"]]) {
    const { request } = await graphql(server.url, token, `query($id: ID!) { request(commune: "oujda", id: $id) { version } }`,
      { id: decided.id });
    await graphql(server.url, token, `mutation($id: ID!, $a: String!, $v: Int!) {
      actOnRequest(commune: "oujda", id: $id, action: $a, expectedVersion: $v) { state } }`,
    { id: decided.id, a: action, v: request.version });
  }

  // Forty days later, the server's scheduler applies the tacit approval by itself.
  clock.move("+40d");
  let state = await stateOf(tacit);
  for (let waited = 0; state !== "approved_tacitly" && waited < 30_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    state = await stateOf(tacit);
  }
  assert.equal(state, "approved_tacitly");
  // Sessions opened forty days ago have ended.
  const later = await sessionOf(server.url, "chef.service");

  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "chef.service", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox/${decided.id}`);
  await page.locator("#file-state").waitFor();
  await page.getByRole("button", { name: "Délivrer le document de décision" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Délivrer l'attestation d'acceptation tacite" }).count(), 0);

  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox/${tacit.id}`);
  await page.locator("#file-state").filter({ hasText: /tacitement/ }).waitFor();
  // A location reads as its address and coordinates.
  await page.getByText("Hay Al Qods, Oujda (34.6814, -1.9086)", { exact: true }).waitFor();
  // No staff member decided this file: its document is the certificate, not a decision.
  assert.equal(await page.getByRole("button", { name: "Délivrer le document de décision" }).count(), 0);
  await page.getByRole("button", { name: "Délivrer l'attestation d'acceptation tacite" }).click();
  const issued = page.locator(".issued").filter({ hasText: "Attestation d'acceptation tacite" });
  await issued.waitFor();
  const code = await issued.locator(".code").textContent();
  assert.match(code, /^OUJ-/);
  assert.match(await issued.innerText(), /2\.22\.141/);
  await assertAccessible(page, "tacit acceptance (fr)");
  await shoot(page, "head-of-service-tacit-certificate-fr");

  // Issued once, and anyone checks it.
  const { requestDocuments } = await graphql(server.url, later, `query($id: ID!) {
    requestDocuments(commune: "oujda", requestId: $id, first: 10) { nodes { code kind verifyPath } } }`, { id: tacit.id });
  assert.deepEqual(requestDocuments.nodes.map((d) => [d.code, d.kind]), [[code, "request.tacit_acceptance"]]);
  const verified = await fetch(`${server.url}${requestDocuments.nodes[0].verifyPath}`);
  assert.equal(verified.status, 200);
  assert.match(await verified.text(), new RegExp(code));
});
