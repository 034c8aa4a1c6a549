// Every screen of the back office in each of its four languages: it renders in the page's language and direction,
// throws nothing, and axe-core finds no serious or critical violation; the keyboard reaches the menu and the
// content. The finance import shows each bad cell of a budget file at its line and column, and imports nothing.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

const COMMUNE_SCREENS = ["inbox", "moderation", "civil", "civil/new", "courier", "council", "finance", "petitions", "publications", "users", "tokens", "webhooks", "smtp", "staff", "disputes", "projects", "online-payments"];
const OPERATOR_SCREENS = ["communes", "onboard", "diff", "upgrade", "indicators"];
/** The screens the role guides show (docs/guides/). */
const GUIDE_SHOTS = ["courier", "finance", "petitions", "publications", "users", "tokens", "webhooks", "smtp"];
const TITLES = { ar: "الإدارة الإلكترونية", fr: "Back-office", tzm: "ⴰⵙⵡⵓⵔ ⵏ ⵜⵊⵎⴰⵄⵜ", en: "Back office" };

for (const lang of ["ar", "fr", "tzm", "en"]) {
  test(`every screen of a commune administrator, in ${lang}`, async () => {
    const page = await openPage(browser, lang);
    await signIn(page, server.url, "admin.oujda", lang);
    await page.locator("main h1").waitFor();
    for (const screen of COMMUNE_SCREENS) {
      await page.goto(`${server.url}/office/?lang=${lang}#/c/oujda/${screen}`);
      await page.locator("main h1").waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role="status"].loading'));
      const shown = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, title: document.querySelector(".brand").textContent }));
      assert.deepEqual(shown, { lang, dir: lang === "ar" ? "rtl" : "ltr", title: TITLES[lang] }, screen);
      await assertAccessible(page, `${screen} (${lang})`);
      if (GUIDE_SHOTS.includes(screen) && (lang === "fr" || (lang === "ar" && screen === "users"))) {
        await shoot(page, `commune-admin-${screen}-${lang}`);
      }
    }
    assert.deepEqual(page.errors, []);
  });

  test(`every screen of the operator's console, in ${lang}`, async () => {
    const page = await openPage(browser, lang);
    await signIn(page, server.url, "operateur.national", lang);
    await page.locator("main h1").waitFor();
    for (const screen of OPERATOR_SCREENS) {
      await page.goto(`${server.url}/office/?lang=${lang}#/operator/${screen}`);
      await page.locator("main h1").waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role="status"].loading'));
      await assertAccessible(page, `${screen} (${lang})`);
    }
    assert.deepEqual(page.errors, []);
  });
}

test("the keyboard alone reaches the skip link, the menu and a screen", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "admin.oujda", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  await page.reload();
  await page.locator("main h1").waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Aller au contenu");
  // Through the header to the menu, then Enter on "Courrier".
  for (let i = 0; i < 30; i += 1) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement.textContent)) === "Courrier") break;
  }
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Registre du courrier" }).waitFor();
  assert.match(page.url(), /#\/c\/oujda\/courier$/);
});

test("a budget file with bad cells shows each one and imports nothing", async () => {
  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "admin.oujda", "fr");
  await page.goto(`${server.url}/office/?lang=fr#/c/oujda/finance`);
  await page.locator("#csv-file").waitFor();
  const before = (await graphql(server.url, null, 'query { budgetExecution(commune: "oujda", year: 2027) { lines { chapter } } }')).budgetExecution.lines;
  const csv = [
    "kind,chapter,article,paragraph,label_ar,label_fr,revenue_type,appropriated,committed,paid,planned,collected",
    "expense,10,20,30,أجور,Salaires,,1000.00,900.00,800.00,,",
    "expense,10,20,31,وقود,Carburant,,abc,10.00,5.00,,",
  ].join("\n");
  await page.locator("#year").fill("2027");
  await page.locator("#csv-file").setInputFiles({ name: "budget-2027.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Importer" }).click();
  await page.getByRole("alert").waitFor();
  const bad = await page.locator("td.bad").allInnerTexts();
  assert.ok(bad.length >= 1, "the bad cell is marked in the table");
  assert.ok(bad.some((text) => text.startsWith("abc")), bad.join(" | "));
  await shoot(page, "commune-admin-finance-errors-fr");
  const afterImport = (await graphql(server.url, null, 'query { budgetExecution(commune: "oujda", year: 2027) { lines { chapter } } }')).budgetExecution.lines;
  assert.deepEqual(afterImport, before, "nothing imported");
});
