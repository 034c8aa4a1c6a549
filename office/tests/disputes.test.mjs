// The commune's disputes in the back office: the legal-affairs officer opens a case (its party sealed), opens
// its file, sets a hearing (listed among the hearings to come with its reminder), records a decision (its
// appeal deadline counted) and lodges an appeal; on another case file she attaches a document (sealed, opened
// again), and corrects the court and the stakes. axe-core checks the screens. Who may not manage disputes gets
// no such screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** A day `days` from today, as the date inputs take it. */
function day(days) {
  const when = new Date(Date.now() + days * 86_400_000);
  return when.toISOString().slice(0, 10);
}

test("in French: the legal-affairs officer opens a case, sets a hearing, records a decision and an appeal", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "juriste.oujda", "fr");
  await page.getByRole("link", { name: "Contentieux" }).click();
  await page.getByRole("heading", { name: "Contentieux de la commune" }).waitFor();
  await assertAccessible(page, "disputes (fr)");

  await page.getByLabel("Type d'affaire").selectOption({ label: "Foncier et expropriation" });
  await page.getByLabel("Objet de l'affaire").fill("Indemnité d'expropriation du lot 12");
  await page.getByLabel("Nom de la juridiction").fill("Tribunal administratif");
  await page.getByLabel("Ville de la juridiction").fill("Oujda");
  await page.getByLabel("Nom de la partie").fill("Rachid Boukili");
  await page.getByLabel("Enjeu en dirhams").fill("250000,50");
  await page.getByLabel("Date d'introduction").fill(day(-30));
  await page.getByRole("button", { name: "Ouvrir l'affaire" }).click();
  // The demo's own case is the first of the year.
  const year = new Date().getFullYear();
  await page.getByRole("status").filter({ hasText: `Affaire LIT-${year}-000002 ouverte.` }).waitFor();
  await page.getByRole("cell", { name: /^250.000,50$/ }).waitFor();

  await page.getByRole("link", { name: `LIT-${year}-000002` }).click();
  await page.getByRole("heading", { name: `Affaire LIT-${year}-000002` }).waitFor();
  await page.getByText("Rachid Boukili").waitFor();
  await page.getByLabel("Jour de l'audience").fill(day(21));
  await page.getByLabel("Heure de l'audience").fill("10:00");
  await page.locator("#f-hearingObject").fill("Plaidoiries");
  await page.getByRole("button", { name: "Fixer l'audience" }).click();
  await page.getByRole("status").filter({ hasText: "Audience fixée" }).waitFor();
  await page.getByRole("cell", { name: /^Rappel prévu le/ }).waitFor();
  await assertAccessible(page, "a case file (fr)");
  await page.evaluate(() => scrollTo(0, 0));
  await shoot(page, "legal-affairs-case-fr");

  await page.getByLabel("Date du jugement").fill(day(-1));
  await page.getByLabel("Issue pour la commune").selectOption({ label: "perdu" });
  await page.getByLabel("Résumé du jugement").fill("La commune est condamnée à verser l'indemnité.");
  await page.getByRole("button", { name: "Enregistrer le jugement" }).click();
  await page.getByRole("status").filter({ hasText: "Jugement enregistré" }).waitFor();
  await page.getByLabel("Date de l'appel").fill(day(0));
  await page.getByLabel("Nom de la juridiction").fill("Cour d'appel administrative");
  await page.getByLabel("Ville de la juridiction").fill("Rabat");
  await page.getByRole("button", { name: "Former l'appel" }).click();
  await page.getByRole("status").filter({ hasText: "Appel enregistré." }).waitFor();
  assert.deepEqual(page.errors, []);

  // Through the API: the case is appealed, its hearing to come (before the demo case's), and the indicators
  // count it, with the demo's, without a name.
  const legal = await sessionOf(server.url, "juriste.oujda");
  const { disputeCases } = await graphql(server.url, legal, `{ disputeCases(commune: "oujda") {
    nodes { status stakesCentimes } } }`);
  assert.deepEqual(disputeCases.nodes, [
    { status: "OPEN", stakesCentimes: "8500000" },
    { status: "APPEALED", stakesCentimes: "25000050" },
  ]);
  const { upcomingHearings } = await graphql(server.url, legal, `{ upcomingHearings(commune: "oujda") {
    hearing { object remindedAt } } }`);
  assert.deepEqual(upcomingHearings, [
    { hearing: { object: "Plaidoiries", remindedAt: null } },
    { hearing: { object: "Mise en état", remindedAt: null } },
  ]);
  const { indicators } = await graphql(server.url, null, `{ indicators(commune: "oujda") {
    disputes { open stakesCentimes } } }`);
  assert.deepEqual(indicators.disputes, { open: 2, stakesCentimes: "33500050" });
});

test("in French: a document is attached to a case file and opened, and the case is corrected", async () => {
  const legal = await sessionOf(server.url, "juriste.oujda");
  const { openDisputeCase } = await graphql(server.url, legal, `mutation($i: DisputeCaseInput!) {
    openDisputeCase(commune: "oujda", input: $i) { id number } }`, { i: {
    caseType: "civil", subject: "Loyer du souk municipal", courtName: "Tribunal de première instance",
    courtCity: "Oujda", position: "CLAIMANT", parties: [{ name: "Brahim Lahlou-Ferradi" }],
    stakesCentimes: "4800000", openedOn: day(-10),
  } });
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "juriste.oujda", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/disputes/${openDisputeCase.id}`);
  await page.getByRole("heading", { name: `Affaire ${openDisputeCase.number}` }).waitFor();
  await page.getByText("Aucune pièce jointe.").waitFor();

  const pdf = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.getByLabel("Intitulé de la pièce").fill("Requête introductive");
  await page.getByLabel("Nature de la pièce").selectOption({ label: "Mémoire ou requête" });
  await page.locator("#f-documentFile").setInputFiles({ name: "requete.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "Joindre la pièce" }).click();
  await page.getByRole("status").filter({ hasText: "Pièce « Requête introductive » jointe et scellée." }).waitFor();
  await page.getByRole("cell", { name: "Mémoire ou requête" }).waitFor();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Ouvrir Requête introductive" }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "requete.pdf");
  await assertAccessible(page, "a case file with a document (fr)");

  await page.getByRole("button", { name: "Corriger l'affaire" }).click();
  await page.locator("#f-editCourtCity").fill("Berkane");
  await page.locator("#f-editStakes").fill("52000");
  await page.locator("#f-editParty1").fill("Société Al Amal");
  await assertAccessible(page, "the correction of a case (fr)");
  await page.getByRole("button", { name: "Enregistrer la correction" }).click();
  await page.getByRole("status").filter({ hasText: "Affaire corrigée." }).waitFor();
  await page.getByText("Tribunal de première instance (Berkane)").waitFor();
  assert.deepEqual(page.errors, []);

  const { disputeCase } = await graphql(server.url, legal, `query($id: ID!) { disputeCase(commune: "oujda", id: $id) {
    number courtCity stakesCentimes parties { name } documents { title kind fileName mediaType } } }`,
  { id: openDisputeCase.id });
  assert.deepEqual(disputeCase, {
    number: openDisputeCase.number, courtCity: "Berkane", stakesCentimes: "5200000",
    parties: [{ name: "Brahim Lahlou-Ferradi" }, { name: "Société Al Amal" }],
    documents: [{ title: "Requête introductive", kind: "PLEADING", fileName: "requete.pdf", mediaType: "application/pdf" }],
  });
});

test("a counter agent gets no disputes screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.getByRole("link", { name: "Oujda" }).click();
  await page.getByRole("heading", { name: "Corbeille des demandes" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Contentieux" }).count(), 0);
});
