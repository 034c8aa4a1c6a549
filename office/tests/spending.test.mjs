// Expenditures and revenues recorded in the back office, with the demo's 2025 budget of Oujda: the finance
// officer commits against an expense line, the authorising officer approves the commitment and orders its
// payment, the finance officer pays it; the line's execution (and the public open data) then shows it
// committed and paid the more. axe-core checks the screen. Who neither records nor approves gets no screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** The public execution of line 20.10.1 of 2025. */
async function line() {
  const { budgetExecution } = await graphql(server.url, null, `{ budgetExecution(commune: "oujda", year: 2025) {
    lines { kind chapter article paragraph committed paid } } }`);
  return budgetExecution.lines.find((l) => l.kind === "EXPENSE" && l.chapter === "20" && l.article === "10" && l.paragraph === "1");
}

test("in French: a commitment approved, ordered and paid changes the line's execution", async () => {
  const before = await line();
  assert.deepEqual([before.committed, before.paid], ["48300000.00", "31200000.00"]);

  const finance = await openPage(browser, "fr");
  await signIn(finance, server.url, "finances.oujda", "fr");
  await finance.getByRole("link", { name: "Dépenses et recettes" }).click();
  await finance.getByRole("heading", { name: "Dépenses et recettes enregistrées" }).waitFor();
  await finance.getByLabel("Exercice").fill("2025");
  await finance.getByLabel("Ligne de dépense").selectOption("20.10.1");
  await finance.getByLabel("Montant de l'engagement").fill("25000.00");
  await finance.getByLabel("Objet de la dépense").fill("Réfection des trottoirs, boulevard Mohammed V");
  await finance.getByLabel("Fournisseur").fill("Société Oriental Travaux");
  await finance.getByRole("button", { name: "Enregistrer l'engagement" }).click();
  await finance.getByRole("status").filter({ hasText: "Engagement n° 1 enregistré." }).waitFor();
  await finance.getByRole("cell", { name: "En attente du visa" }).waitFor();
  await assertAccessible(finance, "expenditures and revenues (fr)");

  const officer = await openPage(browser, "fr");
  await signIn(officer, server.url, "ordonnateur.oujda", "fr");
  await officer.getByRole("link", { name: "Dépenses et recettes" }).click();
  await officer.getByRole("heading", { name: "Dépenses et recettes enregistrées" }).waitFor();
  await officer.getByLabel("Exercice").fill("2025");
  // The authorising officer records nothing: no commitment form.
  assert.equal(await officer.getByRole("button", { name: "Enregistrer l'engagement" }).count(), 0);
  await officer.getByLabel("Engagement à viser", { exact: true }).selectOption({ index: 1 });
  await officer.getByRole("button", { name: "Viser l'engagement" }).click();
  await officer.getByRole("status").filter({ hasText: "Engagement n° 1 visé." }).waitFor();
  await officer.getByLabel("Engagement visé", { exact: true }).selectOption({ index: 1 });
  await officer.getByLabel("Montant à ordonnancer").fill("25000.00");
  await officer.getByRole("button", { name: "Émettre l'ordre de paiement" }).click();
  await officer.getByRole("status").filter({ hasText: "Ordre de paiement n° 1 émis." }).waitFor();
  assert.deepEqual(officer.errors, []);

  await finance.reload();
  await finance.getByRole("heading", { name: "Dépenses et recettes enregistrées" }).waitFor();
  await finance.getByLabel("Exercice").fill("2025");
  await finance.getByLabel("Ordre de paiement", { exact: true }).selectOption({ index: 1 });
  await finance.getByLabel("Montant payé").fill("25000.00");
  await finance.getByRole("button", { name: "Enregistrer le paiement" }).click();
  await finance.getByRole("status").filter({ hasText: "Paiement n° 1 enregistré." }).waitFor();
  await finance.getByRole("cell", { name: /^31\D?225\D?000,00$/ }).waitFor();
  await assertAccessible(finance, "expenditures and revenues after a payment (fr)");
  await finance.evaluate(() => scrollTo(0, 0));
  await shoot(finance, "finance-officer-spending-fr");
  assert.deepEqual(finance.errors, []);

  // The public open data computes the line from the imported figures plus the recorded entries.
  const after = await line();
  assert.deepEqual([after.committed, after.paid], ["48325000.00", "31225000.00"]);
});

test("a counter agent gets no expenditures and revenues screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.getByRole("link", { name: "Oujda" }).click();
  await page.getByRole("heading", { name: "Corbeille des demandes" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Dépenses et recettes" }).count(), 0);
});

for (const lang of ["ar", "tzm", "en"]) {
  test(`the expenditures and revenues screen in ${lang}: its language and direction, accessible`, async () => {
    const page = await openPage(browser, lang);
    await signIn(page, server.url, "finances.oujda", lang);
    await page.goto(`${server.url}/office/?lang=${lang}#/c/oujda/spending`);
    await page.locator("main h1").waitFor();
    await page.waitForFunction(() => !document.querySelector('main [role="status"].loading'));
    const shown = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
    assert.deepEqual(shown, { lang, dir: lang === "ar" ? "rtl" : "ltr" });
    await assertAccessible(page, `expenditures and revenues (${lang})`);
    assert.deepEqual(page.errors, []);
  });
}
