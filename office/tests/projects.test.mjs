// The commune's action-plan projects in the back office: the planning officer creates a published project of
// Oujda's action plan (its title and description in each of the commune's four languages, a line of the imported
// budget), adds a milestone and records progress; the progress then shows in the open data and on the commune's
// site, in Arabic right to left. axe-core checks the screen and the site's page. Who may not keep projects gets no
// such screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, openPage, server, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** Today, as the date inputs take it. */
const today = new Date().toISOString().slice(0, 10);

const LANGUAGES = { ar: "العربية", tzm: "ⵜⴰⵎⴰⵣⵉⵖⵜ", fr: "Français", en: "English" };

test("in French: the planning officer files a project and its progress, which the open data and the site show", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "plan.oujda", "fr");
  await page.getByRole("link", { name: "Projets" }).click();
  await page.getByRole("heading", { name: "Projets du programme d'action de la commune" }).waitFor();
  await assertAccessible(page, "projects (fr)");

  const titles = { ar: "تهيئة ساحة سيدي يحيى", tzm: "ⴰⵙⵎⵓⵜⵜⴳ ⵏ ⵓⵙⴰⵢⵙ ⵏ ⵙⵉⴷⵉ ⵢⵃⵢⴰ", fr: "Aménagement de la place Sidi Yahya", en: "Sidi Yahya square works" };
  await page.getByLabel("Code du projet").fill("PAC-2022-11");
  for (const [locale, name] of Object.entries(LANGUAGES)) {
    await page.getByLabel(`Intitulé (${name})`).fill(titles[locale]);
    await page.getByLabel(`Description (${name})`).fill(`${titles[locale]} — 2025`);
  }
  await page.getByLabel("Catégorie").selectOption({ label: "Voirie et chemins communaux" });
  await page.getByLabel("Première année du programme d'action").fill("2022");
  await page.getByLabel("Dernière année du programme d'action").fill("2027");
  await page.getByLabel("Lieu").fill("Place Sidi Yahya, Oujda");
  await page.getByLabel("Exercice").fill("2025");
  await page.getByLabel("Chapitre").fill("20");
  await page.getByLabel("Article", { exact: true }).fill("10");
  await page.getByLabel("Paragraphe").fill("1");
  await page.getByLabel("Montant prévu").fill("250000.00");
  await page.getByLabel("Publier le projet (données ouvertes et site de la commune)").check();
  await page.getByRole("button", { name: "Créer le projet" }).click();
  await page.getByRole("status").filter({ hasText: "Projet PAC-2022-11 créé." }).waitFor();
  await page.getByRole("cell", { name: "Aménagement de la place Sidi Yahya" }).waitFor();

  await page.getByLabel("Projet de l'étape").selectOption({ label: "PAC-2022-11 — Aménagement de la place Sidi Yahya" });
  for (const [locale, name] of Object.entries(LANGUAGES)) {
    await page.getByLabel(`Étape (${name})`).fill(`${titles[locale]} : ouverture du chantier`);
  }
  await page.getByLabel("Échéance de l'étape").fill("2026-06-30");
  await page.getByRole("button", { name: "Ajouter l'étape" }).click();
  await page.getByRole("status").filter({ hasText: "Étape ajoutée." }).waitFor();

  await page.getByLabel("Projet avancé").selectOption({ label: "PAC-2022-11 — Aménagement de la place Sidi Yahya" });
  await page.getByLabel("Date de l'avancement").fill(today);
  await page.getByLabel("Avancement en % (0 à 100)").fill("30");
  for (const name of Object.values(LANGUAGES)) await page.getByLabel(`Ce qui a été fait (${name})`).fill("Terrassements");
  await page.getByRole("button", { name: "Enregistrer l'avancement" }).click();
  await page.getByRole("status").filter({ hasText: "Projet PAC-2022-11 : 30 %." }).waitFor();
  // The demo's own project is in progress too: the new project's row says so.
  await page.getByRole("row").filter({ hasText: "PAC-2022-11" }).getByRole("cell", { name: "En cours", exact: true }).waitFor();
  await assertAccessible(page, "projects with a project (fr)");
  await page.evaluate(() => scrollTo(0, 0));
  await shoot(page, "planning-officer-projects-fr");
  assert.deepEqual(page.errors, []);

  // The open data and the commune's site show the progress.
  const file = await (await fetch(`${server.url}/opendata/oujda/projects.json`)).json();
  const project = file.projects.find((p) => p.code === "PAC-2022-11");
  assert.equal(project?.progress, 30, JSON.stringify(file));
  assert.equal(project.title.tzm, titles.tzm);
  assert.equal(project.plannedTotal, "250000.00");

  const site = await openPage(browser, "ar");
  await site.goto(`${server.url}/projects/oujda?lang=ar`);
  assert.equal(await site.locator("html").getAttribute("dir"), "rtl");
  await site.getByRole("link", { name: titles.ar }).click();
  await site.getByRole("heading", { name: titles.ar }).waitFor();
  assert.equal(await site.locator("progress").getAttribute("value"), "30");
  await assertAccessible(site, "a project's page on the commune's site (ar)");
});

test("a counter agent gets no projects screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.getByRole("link", { name: "Oujda" }).click();
  await page.getByRole("heading", { name: "Corbeille des demandes" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Projets" }).count(), 0);
});
