// The example commune website (examples/commune-site) in Debian's Chromium, headless, against a live
// `jamaa serve --demo`: the Arabic page is right to left, an invalid form shows its messages without a request
// to the API, a valid one gets a receipt whose tracking code the API then finds, and the indicators page charts
// the figures the API gives. The screenshots are kept in target/artifacts/ (receipt.png, indicators-ar.png,
// indicators-fr.png).
//
// Needs /usr/bin/chromium (scripts/install-test-deps), the SDK package (scripts/build-sdk) and the jamaa binary.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { repository, startServer } from "../../sdk-wasm/tests/support/server.mjs";
import { ARTIFACTS, launchChromium, openPage } from "./support.mjs";

// Oujda offers every procedure of the Moroccan standard it was onboarded from.
const STANDARD_PROCEDURES = readdirSync(new URL("../../core/data/ma-commune/services/", import.meta.url))
  .filter((file) => file.endsWith(".json")).length;


let server;
let browser;
let page;
/** Every request the page made to the API, in order. */
const apiCalls = [];
/** What the page wrote to its console as errors, and the errors it threw. */
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  page = await openPage(browser, "ar-MA", pageErrors);
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/graphql") apiCalls.push(request.postData() ?? "");
  });
});

/** A GraphQL operation against the test server; fails on errors. */
async function graphql(token, query, variables = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const { data, errors } = await response.json();
  assert.equal(errors, undefined, JSON.stringify(errors));
  return data;
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the Arabic catalog renders right to left", async () => {
  await page.goto(`${server.url}/?lang=ar#/c/oujda`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.getByRole("link", { name: "تصحيح الإمضاء" }).waitFor();
  const layout = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    heading: document.querySelector("h1").textContent,
    services: document.querySelectorAll(".services li").length,
    legalDeadline: [...document.querySelectorAll(".service-card dt")].some((dt) => dt.textContent === "الأجل القانوني"),
  }));
  assert.equal(layout.lang, "ar");
  assert.equal(layout.dir, "rtl");
  assert.equal(layout.direction, "rtl");
  assert.match(layout.heading, /وجدة/);
  assert.equal(layout.services, STANDARD_PROCEDURES);
  assert.ok(layout.legalDeadline, "Oujda's procedures that cite a law show a legal deadline");
  assert.deepEqual(pageErrors, []);
});

test("an invalid form shows its messages without a request to the API", async () => {
  await page.getByRole("link", { name: "تصحيح الإمضاء" }).click();
  await page.getByLabel("رقم البطاقة الوطنية للموقع").waitFor();
  const callsBefore = apiCalls.length;

  await page.getByLabel("الاسم الكامل للموقع").fill("Fa");
  await page.getByLabel("رقم البطاقة الوطنية للموقع").fill("12345");
  await page.getByLabel("عدد النسخ").fill("0");
  await page.getByRole("button", { name: "إيداع الطلب" }).click();

  const summary = page.getByRole("alert").filter({ hasText: "يرجى تصحيح ما يلي" });
  await summary.waitFor();
  const messages = await page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll(".field .error")].map((e) => [e.id, e.textContent])),
  );
  assert.match(messages["err-cin"], /رقم البطاقة الوطنية للتعريف غير صحيح/);
  assert.ok(messages["err-signatory_name"], "the name is too short");
  assert.ok(messages["err-document_title"], "the title is required");
  assert.ok(messages["err-copies"], "0 copies is out of range");
  assert.ok(messages["err-doc-document_to_sign"], "the document is missing");
  const cin = page.getByLabel("رقم البطاقة الوطنية للموقع");
  assert.equal(await cin.getAttribute("aria-invalid"), "true");
  assert.match(await cin.getAttribute("aria-describedby"), /err-cin/);
  assert.equal(apiCalls.length, callsBefore, `no request to /graphql: ${apiCalls.slice(callsBefore)}`);

  // Live: the message goes away as soon as the value is right, still without the API.
  await cin.fill("ab 123456");
  await page.waitForFunction(() => document.getElementById("err-cin").textContent === "");
  assert.equal(apiCalls.length, callsBefore);
});

test("a valid form returns a tracking code that trackRequest finds", async () => {
  await page.getByLabel("الاسم الكامل للموقع").fill("Fatima Zahra El Idrissi");
  await page.getByLabel("عنوان الوثيقة").fill("Contrat de bail");
  await page.getByLabel("عدد النسخ").fill("2");
  await page.getByLabel("الوثيقة المراد تصحيح الإمضاء عليها").setInputFiles({
    name: "contrat-de-bail.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% Contrat de bail\n"),
  });
  await page.getByRole("button", { name: "إيداع الطلب" }).click();

  await page.locator("#tracking-code").waitFor();
  const code = await page.locator("#tracking-code").textContent();
  const secret = await page.locator("#secret").textContent();
  assert.match(code, /^OUJ-\d{4}-\d{6}$/);
  assert.ok(secret.length > 10);
  assert.ok((await page.locator("#silence-means").textContent()).length > 10);
  assert.ok(await page.locator("#decision-due time").getAttribute("datetime"));
  assert.ok(await page.getByRole("button", { name: "طباعة الوصل" }).isVisible());
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "receipt.png"), fullPage: true });

  // The API finds it, asked directly with the receipt's code and secret.
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: "query($c: String!, $s: String!) { trackRequest(trackingCode: $c, secret: $s) { trackingCode state } }",
      variables: { c: code, s: secret },
    }),
  });
  const { data, errors } = await response.json();
  assert.equal(errors, undefined);
  assert.deepEqual(data.trackRequest, { trackingCode: code, state: "submitted" });

  // And so does the site's tracking page.
  await page.getByRole("link", { name: "تتبع هذا الطلب" }).click();
  await page.getByRole("button", { name: "تتبع", exact: true }).click();
  await page.locator("#track-state").waitFor();
  assert.equal(await page.locator("#track-state").textContent(), "مودع");
  assert.deepEqual(pageErrors, []);
});

test("the same site speaks French left to right", async () => {
  await page.getByRole("button", { name: "Français" }).click();
  await page.goto(`${server.url}/#/c/kaedi`);
  await page.getByRole("link", { name: "Légalisation de signature" }).waitFor();
  const layout = await page.evaluate(() => ({
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    heading: document.querySelector("h1").textContent,
    deadlineLabels: [...new Set([...document.querySelectorAll(".service-card dt")].map((dt) => dt.textContent))],
  }));
  // Kaédi's procedures cite no Mauritanian law: their deadlines are the commune's, not "legal".
  assert.deepEqual(layout, {
    dir: "ltr",
    direction: "ltr",
    heading: "Services en ligne de la commune de Kaédi",
    deadlineLabels: ["Délai fixé par la commune", "Droits"],
  });
});

test("the indicators page charts the commune's figures, in Arabic and in French", async () => {
  // A decision, so that every chart has something to show.
  const staff = server.tokens.oujda;
  assert.ok(staff, "the demo printed Oujda's staff token");
  {
    const inbox = await graphql(staff, 'query { requests(commune: "oujda", state: "submitted", first: 50) { nodes { id version serviceCode } } }');
    const legalisation = inbox.requests.nodes.find((node) => node.serviceCode === "legalisation-signature");
    await graphql(staff, "mutation($id: ID!, $v: Int!) { actOnRequest(commune: \"oujda\", id: $id, action: \"certify\", expectedVersion: $v) { state } }",
      { id: legalisation.id, v: legalisation.version });
  }
  const expected = (await graphql(null, `query { indicators(commune: "oujda") {
    byOutcome { open approved rejected withdrawn closed } decided decidedWithinDeadline withinDeadlineShare
    medianProcessingDays backlog { buckets { count } } } }`)).indicators;

  await page.goto(`${server.url}/?lang=ar#/c/oujda`);
  await page.locator("#indicators-link").click();
  await page.locator("#chart-states svg").waitFor();
  const shown = () => page.evaluate(() => ({
    dir: document.documentElement.dir,
    heading: document.querySelector("h1").textContent,
    states: Object.fromEntries([...document.querySelectorAll("#chart-states .bar")].map((g) => [g.dataset.key, Number(g.dataset.value)])),
    stateLabels: [...document.querySelectorAll("#chart-states .bar-label")].map((text) => text.textContent),
    median: document.querySelector("#chart-processing .bar")?.dataset.value ?? null,
    share: document.querySelector("#chart-deadline svg").dataset.value,
    shareText: document.querySelector("#chart-deadline .ring-value").textContent,
    backlog: [...document.querySelectorAll("#chart-backlog .bar")].map((g) => Number(g.dataset.value)),
    barsFromTheRight: [...document.querySelectorAll("#chart-states rect")].every((rect) =>
      Number(rect.getAttribute("x")) + Number(rect.getAttribute("width")) === 440),
  }));
  const ar = await shown();
  assert.equal(ar.dir, "rtl");
  assert.match(ar.heading, /مؤشرات جماعة وجدة/);
  assert.deepEqual(ar.states, expected.byOutcome);
  assert.deepEqual(ar.stateLabels, ["قيد المعالجة", "مقبولة", "مرفوضة", "مسحوبة", "مغلقة"]);
  assert.equal(ar.median, expected.medianProcessingDays === null ? null : String(Math.round(expected.medianProcessingDays * 10) / 10));
  assert.equal(ar.share, expected.withinDeadlineShare === null ? "" : String(expected.withinDeadlineShare));
  assert.deepEqual(ar.backlog, expected.backlog.buckets.map((bucket) => bucket.count));
  assert.ok(ar.barsFromTheRight, "in Arabic the bars grow from the right");
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "indicators-ar.png"), fullPage: true });
  {
    assert.equal(expected.byOutcome.approved, 1);
    assert.equal(expected.decided, 1);
    assert.equal(ar.shareText, "100%");
  }

  await page.getByRole("button", { name: "Français" }).click();
  await page.getByRole("heading", { name: "Indicateurs de la commune de Oujda" }).waitFor();
  const fr = await shown();
  assert.equal(fr.dir, "ltr");
  assert.deepEqual(fr.states, expected.byOutcome);
  assert.deepEqual(fr.stateLabels, ["En cours", "Acceptées", "Refusées", "Retirées", "Closes"]);
  assert.deepEqual(fr.backlog, ar.backlog);
  assert.ok(!fr.barsFromTheRight);
  await page.screenshot({ path: join(ARTIFACTS, "indicators-fr.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("the SDK README's example page shows a demo commune's catalog", async () => {
  const readme = readFileSync(join(repository, "sdk-wasm", "README.md"), "utf8");
  const [, example] = /```html\n([\s\S]*?)```/.exec(readme);
  const [, script] = /```js\n([\s\S]*?)```/.exec(readme);
  const folder = mkdtempSync(join(tmpdir(), "jamaa-readme-"));
  writeFileSync(join(folder, "catalog.html"), example);
  writeFileSync(join(folder, "catalog.js"), script);
  const blank = await startServer({ siteDir: folder });
  try {
    const readmePage = await browser.newPage();
    const errors = [];
    readmePage.on("pageerror", (error) => errors.push(String(error)));
    await readmePage.goto(`${blank.url}/catalog.html`);
    await readmePage.waitForFunction(() => document.querySelectorAll("#services li").length > 0);
    const shown = await readmePage.evaluate(() => ({
      dir: document.documentElement.dir,
      title: document.getElementById("title").textContent,
      services: [...document.querySelectorAll("#services li")].map((li) => li.textContent),
    }));
    assert.equal(shown.dir, "rtl");
    assert.equal(shown.title, "وجدة");
    assert.equal(shown.services.length, STANDARD_PROCEDURES);
    assert.ok(shown.services.some((text) => text.startsWith("تصحيح الإمضاء")), shown.services.join("\n"));
    assert.deepEqual(errors, []);
  } finally {
    await blank.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
