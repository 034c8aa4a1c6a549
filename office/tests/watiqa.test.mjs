// The watiqa path in the back office: a citizen asks Oujda online for an extract of a birth act by its number
// and year; on the file the civil registrar sees the act of the register it matches and issues the extract from
// it; the request ends delivered, and the citizen reads the extract when tracking. A request no act matches
// shows no act, and is refused with a reason the citizen reads. The commune site's tracking page lists the
// extract to download.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

const lastYear = `${new Date().getUTCFullYear() - 1}-03-04`;

async function register(token) {
  const input = {
    kind: "BIRTH", office: "OUJ-1", sex: "FEMALE",
    event: { date: lastYear, place: "Oujda" },
    judgmentReference: "Jugement n° 7 du TPI d'Oujda",
    subject: { givenAr: "مريم", familyAr: "الإدريسي", givenLatin: "Meryem", familyLatin: "Idrissi" },
    declarant: { name: { givenAr: "علي", familyAr: "الإدريسي", givenLatin: "Ali", familyLatin: "Idrissi" }, relation: "father" },
  };
  return (await graphql(server.url, token, `mutation($i: RegisterCivilActInput!) {
    registerCivilAct(commune: "oujda", input: $i) { id number year actNumber } }`, { i: input })).registerCivilAct;
}

async function ask(number, year) {
  const input = {
    serviceCode: "extrait-acte-naissance", documents: [],
    data: { lookup_by: "act_reference", act_number: String(number), act_year: year,
      person_name: "Meryem Idrissi", cin: "F123456", relation: "parent" },
  };
  const { submitRequest } = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { secret request { id trackingCode } } }`, { i: input });
  return { ...submitRequest.request, secret: submitRequest.secret };
}

async function tracked(request) {
  return graphql(server.url, null, `query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret) { state messages { body } }
    trackedDocuments(trackingCode: $code, secret: $secret) { code kind text } }`,
  { code: request.trackingCode, secret: request.secret });
}

test("in French: the registrar issues an online request's extract from the register", async () => {
  const token = await sessionOf(server.url, "etat.civil");
  const act = await register(token);
  const request = await ask(act.actNumber, act.year);

  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "etat.civil", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox/${request.id}`);
  await page.getByRole("heading", { name: "Registre de l'état civil : l'acte demandé" }).waitFor();
  await page.getByText(`Demandé par numéro et année : ${act.actNumber}/${act.year}.`).waitFor();
  await page.getByRole("link", { name: act.number }).waitFor();
  // The form's choices read as their options' labels, not their stored values.
  const choices = await page.locator("#file-data dd, dl dd").allTextContents();
  assert.ok(choices.includes("Numéro et année de l'acte") && choices.includes("Père ou mère"), JSON.stringify(choices));
  assert.ok(!choices.includes("act_reference"), JSON.stringify(choices));
  await assertAccessible(page, "civil request (fr)");
  await page.locator("#civil-request").scrollIntoViewIfNeeded();
  await shoot(page, "civil-registrar-request-fr");
  await page.getByRole("button", { name: "Délivrer depuis le registre" }).click();
  await page.getByText(/^Document délivré : OUJ-/).waitFor();
  const code = await page.locator(".issued .code").first().textContent();
  assert.match(await page.locator(".issued pre").first().textContent(), /Meryem/);

  const seen = await tracked(request);
  assert.equal(seen.trackRequest.state, "issued");
  assert.equal(seen.trackedDocuments.length, 1);
  assert.equal(seen.trackedDocuments[0].code, code);
  assert.equal(seen.trackedDocuments[0].kind, "civil_status.extract");
  const verified = await graphql(server.url, null, "query($c: String!, $t: String) { verifyDocument(code: $c, text: $t) { textMatches } }",
    { c: code, t: seen.trackedDocuments[0].text });
  assert.equal(verified.verifyDocument.textMatches, true);
  assert.deepEqual(page.errors, []);

  // The citizen's tracking page on the commune site lists it to download and to verify.
  const citizen = await openPage(browser, "fr");
  await citizen.goto(`${server.url}/?lang=fr#/track`);
  await citizen.locator("#track-code").fill(request.trackingCode);
  await citizen.locator("#track-secret").fill(request.secret);
  await citizen.getByRole("button", { name: "Suivre", exact: true }).click();
  const link = citizen.locator("#track-documents a.download");
  await link.waitFor();
  assert.equal(await link.getAttribute("download"), `${code}.txt`);
  assert.equal(await citizen.locator("#track-documents .code").textContent(), code);
  assert.equal(await citizen.getByRole("link", { name: "Vérifier" }).getAttribute("href"), `/verify/${code}`);
  await shoot(citizen, "citizen-tracks-extract-fr");
});

test("in Arabic: a request no act matches is refused with a reason", async () => {
  const request = await ask(987654, 2001);
  const page = await openPage(browser, "ar");
  await signIn(page, server.url, "etat.civil", "ar");
  await page.goto(`${server.url}/office/?lang=ar#/c/oujda/inbox/${request.id}`);
  await page.getByRole("heading", { name: "سجل الحالة المدنية: الرسم المطلوب" }).waitFor();
  await page.locator("#civil-no-match").waitFor();
  assert.equal(await page.getByRole("button", { name: "التسليم انطلاقا من السجل" }).count(), 0);
  await assertAccessible(page, "civil request without a match (ar)");
  const reason = "لا يوجد رسم بهذا الرقم في سجلات الجماعة.";
  await page.locator("#civil-refusal").fill(reason);
  await page.getByRole("button", { name: "رفض الطلب" }).first().click();
  await page.getByText("رفض الطلب؛ بلغ السبب إلى صاحب الطلب.").waitFor();
  const seen = await tracked(request);
  assert.equal(seen.trackRequest.state, "rejected");
  assert.deepEqual(seen.trackRequest.messages, [{ body: reason }]);
  assert.deepEqual(seen.trackedDocuments, []);
  assert.deepEqual(page.errors, []);
});
