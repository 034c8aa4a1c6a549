// A counter agent's day in the back office, in French then in Arabic: sign in, choose the commune, the inbox,
// open a file, act on it (a refusal with its required comment; a certification), issue the decision document.
// Each step is checked in the database through the API, not only on the page; axe-core checks every screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** The first submitted legalisation of the commune, as the API lists it. */
async function legalisation(token, commune) {
  const data = await graphql(server.url, token, `query($c: String) { requests(commune: $c, state: "submitted", first: 50) {
    nodes { id trackingCode serviceCode } } }`, { c: commune });
  const found = data.requests.nodes.find((r) => r.serviceCode === "legalisation-signature");
  assert.ok(found, `${commune} has a submitted legalisation`);
  return found;
}

/** A new legalisation submitted by a citizen over the public API. */
async function submitLegalisation(commune) {
  const data = await graphql(server.url, null, `mutation($c: String, $i: SubmitRequestInput!) {
    submitRequest(commune: $c, input: $i) { request { id trackingCode } } }`, {
    c: commune,
    i: {
      serviceCode: "legalisation-signature",
      data: { signatory_name: "Fatima Zahra El Idrissi", cin: "AB123456", document_title: "Contrat de bail", copies: 1 },
      documents: [{ code: "document_to_sign", fileName: "bail.pdf", mediaType: "application/pdf", sizeBytes: 2048 }],
    },
  });
  return data.submitRequest.request;
}

/** What the database holds of the request and its issued documents. */
async function stored(token, commune, id) {
  return graphql(server.url, token, `query($c: String, $id: ID!) {
    request(commune: $c, id: $id) { state outcome closedAt history { action comment } }
    requestDocuments(commune: $c, requestId: $id) { nodes { code kind } } }`, { c: commune, id });
}

test("in French: the agent refuses a legalisation with its reason and issues the decision", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  // Two communes: the agent chooses.
  await page.getByRole("heading", { name: /Bienvenue, Samira Guichet/ }).waitFor();
  await assertAccessible(page, "commune choice (fr)");
  await shoot(page, "counter-agent-communes-fr");
  await page.getByRole("link", { name: "Oujda" }).click();

  await page.getByRole("heading", { name: "Corbeille des demandes" }).waitFor();
  const token = await sessionOf(server.url, "guichet.oujda");
  const target = await legalisation(token, "oujda");
  await page.getByRole("link", { name: target.trackingCode }).waitFor();
  await assertAccessible(page, "inbox (fr)");
  await shoot(page, "counter-agent-inbox-fr");

  await page.getByRole("link", { name: target.trackingCode }).click();
  await page.locator("#file-state").waitFor();
  assert.equal(await page.locator("#file-state").textContent(), "Déposée");
  // The receipt is on the file, ready to print.
  assert.equal(await page.getByRole("button", { name: "Imprimer le récépissé" }).count(), 1);
  await assertAccessible(page, "file (fr)");
  await shoot(page, "counter-agent-file-fr");

  await page.getByLabel(/Rejeter|Refuser/).check();
  await page.getByLabel(/^Commentaire/).fill("La pièce d'identité est illisible.");
  await page.getByRole("button", { name: "Valider l'action" }).click();
  await page.getByRole("status").filter({ hasText: "la demande est maintenant" }).waitFor();
  await page.getByRole("button", { name: "Délivrer le document de décision" }).click();
  const code = await page.locator(".issued .code").first().textContent();
  assert.match(code, /^OUJ-/);
  await shoot(page, "counter-agent-decision-fr");

  const after = await stored(token, "oujda", target.id);
  assert.equal(after.request.state, "rejected");
  assert.equal(after.request.outcome, "REJECTED");
  assert.ok(after.request.closedAt);
  assert.deepEqual(after.request.history.at(-1), { action: "reject", comment: "La pièce d'identité est illisible." });
  assert.deepEqual(after.requestDocuments.nodes.map((d) => d.code), [code]);
  assert.deepEqual(page.errors, []);
});

test("in Arabic: the same agent certifies a legalisation in Chefchaouen, right to left", async () => {
  const page = await openPage(browser, "ar");
  await signIn(page, server.url, "guichet.oujda", "ar");
  await page.getByRole("link", { name: "شفشاون" }).click();
  await page.getByRole("heading", { name: "صندوق الطلبات" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), "rtl");
  const token = await sessionOf(server.url, "guichet.oujda");
  const target = await legalisation(token, "chefchaouen");
  await page.getByRole("link", { name: target.trackingCode }).click();
  await page.locator("#file-state").waitFor();
  assert.equal(await page.locator("#file-state").textContent(), "مودع");
  await assertAccessible(page, "file (ar)");
  await shoot(page, "counter-agent-file-ar");

  await page.locator("#action-certify").check();
  await page.getByRole("button", { name: "تأكيد الإجراء" }).click();
  await page.getByRole("status").filter({ hasText: "مصحح الإمضاء" }).waitFor();
  await page.getByRole("button", { name: "إصدار وثيقة القرار" }).click();
  const code = await page.locator(".issued .code").first().textContent();
  assert.match(code, /^CHF-/);
  await shoot(page, "counter-agent-decision-ar");

  const after = await stored(token, "chefchaouen", target.id);
  assert.equal(after.request.state, "certified");
  assert.equal(after.request.outcome, "APPROVED");
  assert.deepEqual(after.requestDocuments.nodes.map((d) => d.code), [code]);
  assert.deepEqual(page.errors, []);
});

test("a half-filled comment survives an expired session: sign in again and send it", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.getByRole("link", { name: "Oujda" }).click();
  const token = await sessionOf(server.url, "guichet.oujda");
  // The inbox is live: a citizen's new submission shows up without reloading.
  await page.locator('#live-state[data-connected="true"]').waitFor();
  const target = await submitLegalisation("oujda");
  await page.getByRole("status").filter({ hasText: target.trackingCode }).waitFor();
  await page.getByRole("link", { name: target.trackingCode }).click();
  await page.locator("#file-state").waitFor();
  await page.locator("#action-reject").check();
  await page.getByLabel(/^Commentaire/).fill("Dossier incomplet : copie de la CIN manquante.");

  // The session ends meanwhile (as at its expiry): the page's token is logged out behind its back.
  const pageToken = await page.evaluate(() => sessionStorage.getItem("jamaa:office:token"));
  await graphql(server.url, pageToken, "mutation { logout }");
  await page.getByRole("button", { name: "Valider l'action" }).click();
  const dialog = page.getByRole("dialog", { name: "Votre session a expiré" });
  await dialog.waitFor();
  await shoot(page, "session-expired-fr");
  await dialog.getByLabel("Mot de passe").fill("office-test-password-1");
  await dialog.getByRole("button", { name: "Se connecter" }).click();
  await dialog.waitFor({ state: "detached" });
  // The comment is still there; the action goes through now.
  assert.equal(await page.getByLabel(/^Commentaire/).inputValue(), "Dossier incomplet : copie de la CIN manquante.");
  await page.getByRole("button", { name: "Valider l'action" }).click();
  await page.getByRole("status").filter({ hasText: "la demande est maintenant" }).waitFor();
  const after = await stored(token, "oujda", target.id);
  assert.equal(after.request.state, "rejected");
  assert.equal(after.request.history.at(-1).comment, "Dossier incomplet : copie de la CIN manquante.");
});
