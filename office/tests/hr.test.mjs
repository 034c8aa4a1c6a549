// The commune's human resources in the back office: the HR officer adds a department, creates a staff record
// linked to the counter agent's account, and records a leave; the directory then shows the person away, and
// through the API the head of service can no longer give them a file. axe-core checks the screen. Who may not
// manage staff gets no such screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

/** A day `days` from today, as the date inputs take it. */
function day(days) {
  const when = new Date(Date.now() + days * 86_400_000);
  return when.toISOString().slice(0, 10);
}

test("in French: the HR officer records a person linked to an account, then their leave keeps files away", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "rh.oujda", "fr");
  await page.getByRole("link", { name: "Ressources humaines" }).click();
  await page.getByRole("heading", { name: "Ressources humaines de la commune" }).waitFor();
  await assertAccessible(page, "human resources (fr)");

  await page.getByLabel("Nom du service").fill("Bureau d'ordre");
  await page.getByRole("button", { name: "Ajouter le service" }).click();
  await page.getByRole("status").filter({ hasText: "Service Bureau d'ordre ajouté." }).waitFor();

  await page.getByLabel("Nom complet").fill("Samira Alaoui");
  await page.getByLabel("Grade").fill("Adjointe administrative");
  await page.getByLabel("Poste").fill("Agente de guichet");
  await page.getByLabel("Service", { exact: true }).selectOption({ label: "Bureau d'ordre" });
  await page.getByLabel("Date d'entrée").fill("2015-09-01");
  await page.getByLabel("Identifiant du compte de la personne").fill("oujda.counter_agent");
  await page.getByLabel("Numéro de CIN").fill("FB123987");
  await page.getByRole("button", { name: "Créer la fiche" }).click();
  await page.getByRole("status").filter({ hasText: "Fiche de Samira Alaoui créée." }).waitFor();
  await page.getByRole("cell", { name: "Présent", exact: true }).waitFor();

  await page.getByLabel("Agent", { exact: true }).selectOption({ label: "Samira Alaoui" });
  await page.getByLabel("Type de congé").selectOption({ label: "Congé administratif annuel" });
  await page.getByLabel("Premier jour").fill(day(-1));
  await page.getByLabel("Dernier jour").fill(day(3));
  await page.getByRole("button", { name: "Enregistrer le congé" }).click();
  await page.getByRole("status").filter({ hasText: "Congé de Samira Alaoui enregistré" }).waitFor();
  await page.getByRole("cell", { name: /^Absent jusqu'au/ }).waitFor();
  await assertAccessible(page, "human resources with a leave (fr)");
  await page.evaluate(() => scrollTo(0, 0));
  await shoot(page, "hr-officer-staff-fr");
  assert.deepEqual(page.errors, []);

  // Through the API: the record is linked, its person away, and no file is given to them.
  const hr = await sessionOf(server.url, "rh.oujda");
  const { staffDirectory } = await graphql(server.url, hr, `{ staffDirectory(commune: "oujda") {
    fullName absent account { login } } }`);
  assert.deepEqual(staffDirectory, [{ fullName: "Samira Alaoui", absent: true, account: { login: "oujda.counter_agent" } }]);
  const head = await sessionOf(server.url, "chef.service");
  const { requests } = await graphql(server.url, head, `{ requests(commune: "oujda", first: 1) { nodes { id } } }`);
  const { assignableMembers } = await graphql(server.url, head, `query($r: ID!) {
    assignableMembers(commune: "oujda", requestId: $r) { login } }`, { r: requests.nodes[0].id });
  assert.ok(!assignableMembers.some((m) => m.login === "oujda.counter_agent"), JSON.stringify(assignableMembers));
});

test("a counter agent gets no human resources screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.getByRole("link", { name: "Oujda" }).click();
  await page.getByRole("heading", { name: "Corbeille des demandes" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Ressources humaines" }).count(), 0);
});
