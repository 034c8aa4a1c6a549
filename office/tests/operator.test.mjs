// A national operator in the back office, in French and in Arabic: onboards a commune from a template, then
// upgrades it to the template's next version through a conflict (the template and the commune both renamed the
// same procedure), seen with both sides and resolved by choosing one; the template diff side by side; the national
// indicators per region. What the database holds after is read through the API.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { assertAccessible, graphql, launchBrowser, openPage, shoot, signIn, startOffice } from "./support.mjs";

let server;
let browser;
let operator;

before(async () => {
  server = await startOffice();
  browser = await launchBrowser();
  operator = server.tokens.operator;
  assert.ok(operator, "the demo printed the operator's token");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const SERVICE = "extrait-acte-naissance";

async function nameOf(commune) {
  const data = await graphql(server.url, null, `query($c: String, $code: String!) { service(commune: $c, code: $code) {
    definition } }`, { c: commune, code: SERVICE });
  return data.service.definition.name.fr;
}

/** Renames the procedure in `commune` by publishing its next version. */
async function rename(commune, name) {
  const { service } = await graphql(server.url, null, `query($c: String, $code: String!) { service(commune: $c, code: $code) {
    definition } }`, { c: commune, code: SERVICE });
  service.definition.name.fr = name;
  await graphql(server.url, operator, "mutation($c: String!, $d: JSON!) { publishService(commune: $c, definition: $d) }", { c: commune, d: service.definition });
}

const LABELS = {
  fr: { console: "Console de l'opérateur", onboard: "Intégrer une commune", submit: "Intégrer la commune", upgrade: "Mise à niveau", dryRun: "Essayer (à blanc)", theirs: "Celle du modèle", ours: "Celle de la commune", apply: "Appliquer la mise à niveau", diff: "Comparer des modèles", compare: "Comparer", indicators: "Indicateurs nationaux" },
  ar: { console: "لوحة المشغل", onboard: "إدماج جماعة", submit: "إدماج الجماعة", upgrade: "الترقية", dryRun: "تجربة (دون تطبيق)", theirs: "صيغة النموذج", ours: "صيغة الجماعة", apply: "تطبيق الترقية", diff: "مقارنة النماذج", compare: "مقارنة", indicators: "المؤشرات الوطنية" },
};

async function onboardAndUpgrade(lang, { slug, nameAr, nameFr, prefix, take, to }) {
  const l = LABELS[lang];
  const page = await openPage(browser, lang);
  await signIn(page, server.url, "operateur.national", lang);
  await page.getByRole("link", { name: l.console }).click();
  await page.locator("#communes").waitFor();
  await assertAccessible(page, `communes (${lang})`);
  await shoot(page, `operator-communes-${lang}`);

  await page.getByRole("link", { name: l.onboard }).click();
  await page.locator("#f-from option", { hasText: "oujda@1" }).waitFor({ state: "attached" });
  await page.locator("#f-from").selectOption("oujda@1");
  await page.locator("#f-slug").fill(slug);
  await page.locator("#f-nameAr").fill(nameAr);
  await page.locator("#f-nameFr").fill(nameFr);
  await page.locator("#f-trackingPrefix").fill(prefix);
  await page.locator("#f-region").fill("Oriental");
  await assertAccessible(page, `onboarding (${lang})`);
  await shoot(page, `operator-onboard-${lang}`);
  await page.getByRole("button", { name: l.submit }).click();
  await page.getByRole("status").filter({ hasText: slug }).waitFor();
  const onboarded = await graphql(server.url, null, "query($s: String!) { commune(slug: $s) { slug region trackingPrefix status } }", { s: slug });
  assert.deepEqual(onboarded.commune, { slug, region: "Oriental", trackingPrefix: prefix, status: onboarded.commune.status });

  // Meanwhile Oujda improves the procedure and publishes its template's next version, while the new commune
  // named it its own way: both changed the same place.
  const theirs = `Extrait d'acte de naissance (${to})`;
  await rename("oujda", theirs);
  await graphql(server.url, operator, 'mutation { exportTemplate(commune: "oujda", name: "oujda") { reference } }');
  const ours = `Extrait — ${nameFr}`;
  await rename(slug, ours);

  await page.getByRole("link", { name: l.diff }).click();
  await page.locator("#f-to option", { hasText: to }).waitFor({ state: "attached" });
  await page.locator("#f-from").selectOption("oujda@1");
  await page.locator("#f-to").selectOption(to);
  await page.getByRole("button", { name: l.compare }).click();
  await page.locator("table.diff").getByText(theirs).first().waitFor();
  await shoot(page, `operator-diff-${lang}`);

  await page.getByRole("link", { name: l.upgrade, exact: true }).click();
  await page.locator("#f-commune option", { hasText: `(${slug})` }).waitFor({ state: "attached" });
  await page.locator("#f-to option", { hasText: to }).waitFor({ state: "attached" });
  await page.locator("#f-commune").selectOption(slug);
  await page.locator("#f-to").selectOption(to);
  await page.getByRole("button", { name: l.dryRun }).click();
  const conflict = page.locator(".conflict");
  await conflict.waitFor();
  assert.match(await conflict.innerText(), new RegExp(`services\\[${SERVICE}\\]\\.name\\.fr`));
  assert.equal(await nameOf(slug), ours, "a dry run writes nothing");
  await assertAccessible(page, `upgrade (${lang})`);
  await conflict.getByLabel(take === "THEIRS" ? l.theirs : l.ours).check();
  await shoot(page, `operator-upgrade-conflict-${lang}`);
  await page.getByRole("button", { name: l.apply }).click();
  // The dry run's status names `to` already: the upgrade is done when the button to apply it is gone.
  await page.getByRole("button", { name: l.apply }).waitFor({ state: "detached" });
  await page.getByRole("status").filter({ hasText: to }).waitFor();
  assert.equal(await nameOf(slug), take === "THEIRS" ? theirs : ours);
  assert.deepEqual(page.errors, []);
  return page;
}

test("in French: onboard Berkane from Oujda's template, upgrade it through a conflict taking the template's side", async () => {
  const page = await onboardAndUpgrade("fr", { slug: "berkane", nameAr: "بركان", nameFr: "Berkane", prefix: "BRK", take: "THEIRS", to: "oujda@2" });
  await page.getByRole("link", { name: LABELS.fr.indicators }).click();
  await page.locator("#regions").waitFor();
  const regions = await page.locator("#regions tbody tr").allInnerTexts();
  assert.ok(regions.some((row) => row.includes("Oriental")), regions.join("\n"));
  assert.ok(regions.some((row) => row.startsWith("MR")), "Mauritania is counted apart");
  assert.equal(await page.locator('svg g[data-region="Oriental"]').count(), 1);
  await assertAccessible(page, "indicators (fr)");
  await shoot(page, "operator-indicators-fr");
});

test("in Arabic: onboard Ahfir, upgrade it through a conflict keeping the commune's side", async () => {
  await onboardAndUpgrade("ar", { slug: "ahfir", nameAr: "أحفير", nameFr: "Ahfir", prefix: "AHF", take: "OURS", to: "oujda@3" });
});
