// The moderation of public complaints in the back office: a head of service finds the complaints held because
// their text holds a phone number, publishes one with the text redacted, approves one, keeps one private; a
// redaction that still holds the number is refused with its field. Each decision is checked through the public
// listing, not only on the page; axe-core checks the screen. Who may not act on requests gets no such screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** A public complaint submitted by a citizen over the API, its description holding a phone number. */
async function heldComplaint(description) {
  const data = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { request { trackingCode } } }`, {
    i: { serviceCode: "reclamation", data: { subject: "cleanliness", description, public: true } },
  });
  return data.submitRequest.request.trackingCode;
}

/** The descriptions of the commune's public listing, by tracking code. */
async function listed() {
  const data = await graphql(server.url, null, `query { publicComplaints(commune: "oujda", first: 100) {
    nodes { trackingCode description } } }`);
  return Object.fromEntries(data.publicComplaints.nodes.map((c) => [c.trackingCode, c.description]));
}

/** The tracking codes waiting for a moderator. */
async function queued(token) {
  const data = await graphql(server.url, token, `query { complaintModerationQueue(commune: "oujda", first: 100) {
    nodes { trackingCode moderation findings } } }`);
  return data.complaintModerationQueue.nodes;
}

test("in French: a head of service redacts, approves and keeps private the held complaints", async () => {
  const redacted = await heldComplaint("Les bennes débordent rue Zerktouni, appelez-moi au 0612345678 pour voir.");
  const approved = await heldComplaint("Dépôt sauvage derrière le marché, le numéro du gardien est 0661122334.");
  const kept = await heldComplaint("Mon voisin jette ses ordures dans la rue, joignez-moi au 0700112233.");
  const token = await sessionOf(server.url, "chef.service");
  const before = await queued(token);
  for (const code of [redacted, approved, kept]) {
    const held = before.find((c) => c.trackingCode === code);
    assert.deepEqual(held && { moderation: held.moderation, findings: held.findings }, { moderation: "PENDING", findings: ["PHONE"] }, code);
  }
  assert.equal((await listed())[redacted], undefined, "held complaints are not listed");

  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "chef.service", "fr");
  await page.getByRole("link", { name: "Modération", exact: true }).click();
  await page.getByRole("heading", { name: "Modération des réclamations publiques" }).waitFor();
  const card = (code) => page.locator(`article[data-code="${code}"]`);
  await card(redacted).waitFor();
  assert.match(await card(redacted).innerText(), /un numéro de téléphone/);
  await assertAccessible(page, "moderation (fr)");
  await shoot(page, "head-of-service-moderation-fr");

  // The suggested redaction hides the number; a redaction that keeps it is refused, with its field.
  const text = card(redacted).locator("textarea");
  assert.equal(await text.inputValue(), "Les bennes débordent rue Zerktouni, appelez-moi au […] pour voir.");
  await text.fill("Les bennes débordent rue Zerktouni, appelez le 0612345678.");
  await card(redacted).getByRole("button", { name: "Publier le texte expurgé" }).click();
  await card(redacted).getByRole("alert").waitFor();
  assert.match(await card(redacted).getByRole("alert").innerText(), /VALIDATION_FAILED/);
  assert.equal((await listed())[redacted], undefined, "a refused redaction publishes nothing");
  await text.fill("Les bennes débordent rue Zerktouni.");
  await card(redacted).getByRole("button", { name: "Publier le texte expurgé" }).click();
  await page.getByRole("status").filter({ hasText: `${redacted} est publiée avec le texte expurgé.` }).waitFor();
  await card(redacted).waitFor({ state: "detached" });

  await card(approved).getByRole("button", { name: "Publier tel quel" }).click();
  await page.getByRole("status").filter({ hasText: `${approved} est publiée telle quelle.` }).waitFor();
  await card(kept).getByRole("button", { name: "Garder privée" }).click();
  await page.getByRole("status").filter({ hasText: `${kept} reste privée.` }).waitFor();
  await card(kept).waitFor({ state: "detached" });
  assert.deepEqual(page.errors, []);

  const now = await listed();
  assert.equal(now[redacted], "Les bennes débordent rue Zerktouni.");
  assert.equal(now[approved], "Dépôt sauvage derrière le marché, le numéro du gardien est 0661122334.");
  assert.equal(now[kept], undefined, "kept private");
  const left = (await queued(token)).map((c) => c.trackingCode);
  for (const code of [redacted, approved, kept]) assert.ok(!left.includes(code), `${code} left the queue`);
});

test("in Arabic: the screen reads right to left and passes axe", async () => {
  await heldComplaint("الحاويات ممتلئة في شارع الزرقطوني، اتصلوا بي على 0612345678 من فضلكم.");
  const page = await openPage(browser, "ar");
  await signIn(page, server.url, "chef.service", "ar");
  await page.getByRole("link", { name: "المراجعة", exact: true }).click();
  await page.getByRole("heading", { name: "مراجعة الشكايات العمومية" }).waitFor();
  await page.locator("article[data-code]").first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  assert.match(await page.locator("main").innerText(), /رقم هاتف/);
  await assertAccessible(page, "moderation (ar)");
  assert.deepEqual(page.errors, []);
});

test("who holds no role of the commune gets neither the menu entry nor the screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "operateur.national", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/moderation`);
  await page.getByRole("alert").filter({ hasText: /./ }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Modération", exact: true }).count(), 0);
  assert.equal(await page.locator("article[data-code]").count(), 0);
});
