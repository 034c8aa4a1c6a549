// A civil registrar in the back office: registers a birth with names in Arabic and Latin script, adds a marginal
// mention, issues an extract (in French) and a full copy (in Arabic, right to left). What the register holds is
// then read through the API: the act, its persons, its mention and its audit trail.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function fillBirth(page, names) {
  await page.locator("#f-office").fill("OUJ-1");
  await page.locator("#f-sex").selectOption("FEMALE");
  await page.locator("#f-eventDate").fill(yesterday);
  await page.locator("#f-eventTime").fill("06:40");
  await page.locator("#f-eventPlace").fill("Centre hospitalier Al Farabi, Oujda");
  for (const [id, value] of Object.entries(names)) await page.locator(`#f-${id}`).fill(value);
  await page.locator("#f-declarant").selectOption("father");
}

async function storedAct(token, id) {
  return (await graphql(server.url, token, `query($id: ID!) { civilAct(commune: "oujda", id: $id) {
    number kind sex eventDate subject { givenAr familyAr givenLatin familyLatin }
    father { name { givenAr givenLatin } } declarant { relation }
    mentions { kind text } history { kind } } }`, { id })).civilAct;
}

test("in French: a birth registered, a mention added, an extract issued", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "etat.civil", "fr");
  await page.getByRole("link", { name: "État civil" }).click();
  await page.getByRole("heading", { name: "Registre de l'état civil" }).waitFor();
  await assertAccessible(page, "register (fr)");
  await page.getByRole("link", { name: "Enregistrer un acte" }).click();
  await fillBirth(page, {
    givenAr: "ياسمين", familyAr: "العلمي", givenLatin: "Yasmine", familyLatin: "El Alami",
    fatherGivenAr: "عمر", fatherFamilyAr: "العلمي", fatherGivenLatin: "Omar", fatherFamilyLatin: "El Alami",
    motherGivenAr: "سلمى", motherFamilyAr: "الريفي", motherGivenLatin: "Salma", motherFamilyLatin: "Rifi",
  });
  await assertAccessible(page, "birth form (fr)");
  await shoot(page, "civil-registrar-birth-fr");
  await page.getByRole("button", { name: "Enregistrer l'acte" }).click();

  await page.locator("#act-number").waitFor();
  const number = await page.locator("#act-number").textContent();
  assert.match(number, /^OUJ-1\/\d{4}\/\d+$/);
  const id = page.url().split("/").at(-1);

  await page.locator("#f-kind").selectOption("RECOGNITION");
  await page.locator("#f-text").fill("Reconnaissance par le père, acte adoulaire n° 112.");
  await page.locator("#f-effectiveOn").fill(yesterday);
  await page.getByRole("button", { name: "Ajouter la mention" }).click();
  await page.getByText("Reconnaissance par le père, acte adoulaire n° 112.").waitFor();

  // The declarant's relation reads in the page's language.
  assert.equal(await page.locator("dd", { hasText: "Omar El Alami (Père)" }).count(), 1);
  assert.equal(await page.getByText("(father)").count(), 0);
  await page.getByRole("button", { name: "Délivrer un extrait" }).click();
  const code = await page.locator(".issued .code").first().textContent();
  assert.match(code, /^OUJ-/);
  assert.match(await page.locator(".issued pre").first().textContent(), /Yasmine/);
  await assertAccessible(page, "act (fr)");
  await shoot(page, "civil-registrar-extract-fr");

  const token = await sessionOf(server.url, "etat.civil");
  const act = await storedAct(token, id);
  assert.equal(act.number, number);
  assert.equal(act.kind, "BIRTH");
  assert.equal(act.sex, "FEMALE");
  assert.equal(act.eventDate, yesterday);
  assert.deepEqual(act.subject, { givenAr: "ياسمين", familyAr: "العلمي", givenLatin: "Yasmine", familyLatin: "El Alami" });
  assert.deepEqual(act.father.name, { givenAr: "عمر", givenLatin: "Omar" });
  assert.equal(act.declarant.relation, "father");
  assert.deepEqual(act.mentions, [{ kind: "RECOGNITION", text: "Reconnaissance par le père, acte adoulaire n° 112." }]);
  const kinds = act.history.map((h) => h.kind);
  assert.ok(kinds.includes("civil_act.registered"), kinds.join());
  assert.ok(kinds.includes("civil_act.mention_added"), kinds.join());
  assert.ok(kinds.includes("civil_act.document_issued"), kinds.join());
  // Anyone verifies the extract's code.
  const verified = await graphql(server.url, null, "query($c: String!) { verifyDocument(code: $c) { kind } }", { c: code });
  assert.equal(verified.verifyDocument.kind, "civil_status.extract");
  // The extract's PDF, linked from the act, is the one issued.
  const pdf = await fetch(new URL(await page.locator("#civil-pdf").first().getAttribute("href"), server.url));
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
  assert.deepEqual(page.errors, []);
});

test("in Arabic: a birth registered right to left and a full copy issued", async () => {
  const page = await openPage(browser, "ar");
  await signIn(page, server.url, "etat.civil", "ar");
  await page.getByRole("link", { name: "الحالة المدنية" }).click();
  await page.getByRole("link", { name: "تسجيل رسم" }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  await fillBirth(page, {
    givenAr: "آدم", familyAr: "بنعلي", givenLatin: "Adam", familyLatin: "Benali",
    fatherGivenAr: "يوسف", fatherFamilyAr: "بنعلي", fatherGivenLatin: "Youssef", fatherFamilyLatin: "Benali",
  });
  await page.locator("#f-sex").selectOption("MALE");
  await shoot(page, "civil-registrar-birth-ar");
  await page.getByRole("button", { name: "تسجيل الرسم" }).click();
  await page.locator("#act-number").waitFor();
  const id = page.url().split("/").at(-1);
  await page.getByRole("button", { name: "إصدار نسخة كاملة" }).click();
  const code = await page.locator(".issued .code").first().textContent();
  await assertAccessible(page, "act (ar)");
  await shoot(page, "civil-registrar-copy-ar");

  const token = await sessionOf(server.url, "etat.civil");
  const act = await storedAct(token, id);
  assert.deepEqual(act.subject, { givenAr: "آدم", familyAr: "بنعلي", givenLatin: "Adam", familyLatin: "Benali" });
  assert.equal(act.sex, "MALE");
  const verified = await graphql(server.url, null, "query($c: String!) { verifyDocument(code: $c) { kind } }", { c: code });
  assert.equal(verified.verifyDocument.kind, "civil_status.full_copy");
  assert.deepEqual(page.errors, []);
});
