// A training commune in the back office: made from Oujda with `jamaa commune training create`, its trainee signs
// in with the printed password and sees, in Arabic, French, Tamazight and English, the banner saying that the
// commune is a training one and its data fictitious; Oujda's own staff see no such banner.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";

import { assertAccessible, browser, openPage, server, signIn, useOffice } from "./support.mjs";

const run = promisify(execFile);

useOffice();

const BANNER = {
  ar: "جماعة للتدريب — البيانات وهمية",
  fr: "Commune de formation — les données sont fictives",
  tzm: "ⵜⴰⵊⵎⴰⵄⵜ ⵏ ⵓⵙⵍⵎⴷ — ⵉⵙⴼⴽⴰ ⵓⵔ ⴷ ⵉⴷⵜⵏ",
  en: "Training commune — data is fictitious",
};

/** Makes the training commune through the command line; the printed password. */
async function makeTraining() {
  const env = { ...process.env };
  delete env.JAMAA_DATABASE_URL;
  delete env.JAMAA_CONFIG;
  const { stdout } = await run(server.binary, ["--data-dir", server.dataDir, "commune", "training", "create", "--from", "oujda",
    "--reset", "manual"], { env });
  const password = stdout.match(/^password of every login: (\S+)$/m)?.[1];
  assert.ok(password, stdout);
  assert.match(stdout, /oujda-training\.counter_agent/);
  return password;
}

test("a training commune's staff see the training banner in every language", async () => {
  const password = await makeTraining();
  for (const lang of ["ar", "fr", "tzm", "en"]) {
    const page = await openPage(browser, lang);
    await page.goto(`${server.url}/office/?lang=${lang}`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator("#login").fill("oujda-training.counter_agent");
    await page.locator("#password").fill(password);
    await page.locator("#password").press("Enter");
    await page.locator(".top .user").waitFor();
    const banner = page.locator("p.training");
    await banner.waitFor();
    assert.equal((await banner.textContent())?.trim(), BANNER[lang]);
    await assertAccessible(page, `training banner (${lang})`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test("a real commune's staff see no training banner", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  await page.locator(".top .commune").waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator("p.training").count(), 0);
  await page.context().close();
});
