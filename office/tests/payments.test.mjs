// Fees paid at the counter and online, in the back office, with the demo's own logins: the counter agent takes a
// legalisation's fee in cash and prints its quittance, which /verify confirms; the revenue officer reads that
// agent's day and cancels the payment by a counter-entry with its reason, and the fee is owed again; in Arabic, a
// card payment by its terminal slip (a card number is refused). Online: the server takes Oujda's payments through
// the provider simulator (tests/sim/payment-provider.mjs); the payments controller sees the payments and a forged
// callback refused, imports the day's statement and sees its mismatches, requests a refund, and the authorising
// officer approves it. Each step is checked through the API too; axe-core checks the screens. Who holds none of
// these permissions gets no menu entry.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { repository } from "../../sdk-wasm/tests/support/server.mjs";
import { DEMO_PASSWORD, assertAccessible, graphql, launchBrowser, openPage, shoot, signIn, startOffice } from "./support.mjs";

const CLIENT_ID = "600000001";
const STORE_KEY = "office-test-store-key";
let provider;
let server;
let browser;

// The provider simulator first: the server reads Oujda's account at the provider (its address) when it starts.
before(async () => {
  provider = await startProvider();
  const account = `{oujda={gateway_url="${provider.url}/pay",client_id="${CLIENT_ID}",store_key="${STORE_KEY}"}}`;
  server = await startOffice({ env: { JAMAA_PAYMENT_PROVIDERS: account } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  provider?.stop();
});

/** The provider simulator on a free port of 127.0.0.1: `{url, stop}`. */
async function startProvider() {
  const child = spawn(process.execPath, [join(repository, "tests", "sim", "payment-provider.mjs"),
    "--secret", STORE_KEY, "--client-id", CLIENT_ID, "--lifetime", "1200"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const found = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`the provider simulator exited with ${code}: ${out}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

/** A demo login's session token. */
async function demoSession(login) {
  const data = await graphql(server.url, null, "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }",
    { l: login, p: DEMO_PASSWORD });
  return data.login.token;
}

/** A signature legalisation filed by a citizen over the public API (its fee: 2.00 MAD). */
async function submitLegalisation(cin) {
  const data = await graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { secret request { id trackingCode } } }`, {
    i: {
      serviceCode: "legalisation-signature",
      data: { signatory_name: "Khadija Ait Taleb", cin, document_title: "Procuration", copies: 1 },
      documents: [{ code: "document_to_sign", fileName: "procuration.pdf", mediaType: "application/pdf", sizeBytes: 52000 }],
    },
  });
  return { ...data.submitRequest.request, secret: data.submitRequest.secret };
}

/** The request's demand, as the API holds it. */
async function demandOf(trackingCode) {
  const token = await demoSession("oujda.revenue_officer");
  const data = await graphql(server.url, token, `query($code: String!) { paymentDemand(commune: "oujda", trackingCode: $code) {
    status outstanding payments { id number kind channel terminalSlip cancels reason recordedBy } } }`, { code: trackingCode });
  return data.paymentDemand;
}

/** Opens the cash desk from the menu and shows the demand of `trackingCode`. */
async function showDemand(page, trackingCode, labels) {
  await page.getByRole("navigation").getByRole("link", { name: labels.menu }).click();
  await page.getByRole("heading", { name: labels.title, level: 1 }).waitFor();
  await page.getByLabel(labels.code).fill(trackingCode);
  await page.getByRole("button", { name: labels.show }).click();
  await page.getByRole("heading", { name: labels.demand(trackingCode) }).waitFor();
}

const FR = {
  menu: "Caisse",
  title: "Caisse : droits payés au guichet",
  code: "Code de suivi du récépissé",
  show: "Afficher la demande",
  demand: (code) => `Droits de la demande ${code}`,
};

test("in French: a legalisation paid in cash, its quittance verified, then cancelled by the revenue officer", async () => {
  const request = await submitLegalisation("UA445566");
  const agent = await openPage(browser, "fr");
  await signIn(agent, server.url, "oujda.counter_agent", "fr", DEMO_PASSWORD);
  await agent.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  await showDemand(agent, request.trackingCode, FR);

  // The demand: its fee, on the commune's tax decision, owed in full.
  const fees = agent.getByRole("table", { name: "Droits dus" });
  assert.match(await fees.innerText(), /Arrêté fiscal de la commune/);
  assert.match(await fees.getByRole("cell").nth(0).innerText(), /^2,00\sMAD$/);
  assert.equal(await agent.locator("#demand-status").innerText(), "Non payée");
  assert.match(await agent.locator("#demand-outstanding").innerText(), /^2,00\sMAD$/);
  assert.match(await agent.getByText("Montant à encaisser").innerText(), /2,00\sMAD/);
  await assertAccessible(agent, "cash desk, a demand (fr)");
  await shoot(agent, "counter-agent-cashdesk-fr");

  // Cash, exactly what is owed: the quittance QR-yyyy-n, its text as issued, its verification code.
  assert.equal(await agent.getByLabel("Mode de paiement").inputValue(), "CASH");
  await agent.getByRole("button", { name: "Enregistrer le paiement" }).click();
  const status = agent.getByRole("status").filter({ hasText: "Paiement enregistré" });
  await status.waitFor();
  const number = /quittance (QR-\d{4}-\d+)/.exec(await status.innerText())?.[1];
  assert.ok(number, await status.innerText());
  await agent.getByRole("heading", { name: `Quittance ${number}` }).waitFor();
  const code = await agent.locator("#printable-code").innerText();
  assert.match(code, /^OUJ-/);
  const text = await agent.locator(".printable pre").innerText();
  assert.ok(text.includes(number) && text.includes(request.trackingCode) && text.includes("2.00 MAD"), text);
  assert.ok(!text.includes("Khadija") && !text.includes("UA445566"), `a quittance names no payer: ${text}`);
  assert.equal(await agent.locator("#demand-status").innerText(), "Payée");
  assert.equal(await agent.getByRole("button", { name: "Enregistrer le paiement" }).count(), 0, "nothing left to collect");
  const stored = await demandOf(request.trackingCode);
  assert.equal(stored.status, "PAID");
  assert.deepEqual(stored.payments.map((p) => [p.number, p.kind, p.channel]), [[number, "PAYMENT", "CASH"]]);
  await assertAccessible(agent, "cash desk, the quittance (fr)");
  await agent.locator(".printable").scrollIntoViewIfNeeded();
  await shoot(agent, "counter-agent-quittance-fr");

  // Printed, the page shows the quittance and nothing else of the screen.
  await agent.evaluate(() => {
    globalThis.printed = 0;
    globalThis.print = () => { globalThis.printed += 1; };
  });
  await agent.getByRole("button", { name: "Imprimer" }).click();
  assert.equal(await agent.evaluate(() => globalThis.printed), 1);
  await agent.emulateMedia({ media: "print" });
  assert.equal(await agent.locator(".printable pre").isVisible(), true);
  assert.equal(await agent.getByRole("heading", { name: FR.title }).isVisible(), false);
  assert.equal(await agent.getByRole("heading", { name: "Journal de caisse" }).isVisible(), false);
  assert.equal(await agent.getByRole("navigation").isVisible(), false);
  await agent.emulateMedia({ media: "screen" });

  // The verify page, by the link of the quittance, says it is authentic.
  const link = await agent.locator('.printable a[href^="/verify/"]').getAttribute("href");
  // Its PDF, as issued, is a link away.
  const pdf = await fetch(new URL(await agent.locator("#printable-pdf").getAttribute("href"), server.url));
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
  const verify = await openPage(browser, "fr");
  const address = new URL(link, server.url);
  address.searchParams.set("lang", "fr");
  await verify.goto(address.href);
  const page = await verify.locator("body").innerText();
  assert.match(page, /Document authentique/);
  assert.ok(page.includes(code), page);

  // The agent's day lists the payment; the cash to hand over is the API's.
  const token = await demoSession("oujda.counter_agent");
  const { paymentsDayReport: day } = await graphql(server.url, token, '{ paymentsDayReport(commune: "oujda") { cashNet cashCount } }');
  const ownDay = agent.getByRole("table", { name: "Paiements et annulations du jour" });
  await ownDay.getByRole("rowheader", { name: number }).waitFor();
  assert.equal((await agent.locator("#report-cash-net").innerText()).replace(/\s/g, " "),
    `${new Intl.NumberFormat("fr-MA", { minimumFractionDigits: 2 }).format(Number(day.cashNet))} MAD`.replace(/\s/g, " "));
  // The counter agent cancels nothing, and reads no other agent's day.
  assert.equal(await agent.getByRole("button", { name: `Annuler ${number}` }).count(), 0);
  assert.equal(await agent.getByLabel("Agent (identifiant)").count(), 0);
  assert.deepEqual(agent.errors, []);

  // The revenue officer finds the payment, reads the day of the agent who recorded it, and cancels it there.
  const officer = await openPage(browser, "fr");
  await signIn(officer, server.url, "oujda.revenue_officer", "fr", DEMO_PASSWORD);
  await officer.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  await showDemand(officer, request.trackingCode, FR);
  await officer.getByRole("button", { name: `Journal de cet agent ${number}` }).click();
  const agentDay = officer.getByRole("table", { name: "Paiements et annulations du jour" });
  await agentDay.getByRole("rowheader", { name: number }).waitFor();
  assert.equal(await officer.getByLabel("Agent (identifiant)").inputValue(), stored.payments[0].recordedBy);
  await assertAccessible(officer, "cash desk, an agent's day (fr)");
  await shoot(officer, "revenue-officer-day-fr");
  await agentDay.getByRole("button", { name: `Annuler ${number}`, exact: true }).click();
  await officer.getByRole("heading", { name: `Annulation du paiement ${number}` }).waitFor();
  // A blank reason is refused by the API, at its field.
  await officer.getByLabel("Motif de l'annulation").fill("   ");
  await officer.getByRole("button", { name: `Confirmer l'annulation de ${number}` }).click();
  const refused = officer.getByRole("alert");
  await refused.waitFor();
  assert.match(await refused.innerText(), /reason/);
  assert.equal((await demandOf(request.trackingCode)).status, "PAID");

  await officer.getByLabel("Motif de l'annulation").fill("Montant encaissé sur la mauvaise demande");
  await officer.getByRole("button", { name: `Confirmer l'annulation de ${number}` }).click();
  const cancelled = officer.getByRole("status").filter({ hasText: `Paiement ${number} annulé` });
  await cancelled.waitFor();
  const counter = /contre-écriture (AN-\d{4}-\d+)/.exec(await cancelled.innerText())?.[1];
  assert.ok(counter, await cancelled.innerText());
  await officer.getByRole("heading", { name: `Avis d'annulation ${counter}` }).waitFor();
  assert.match(await officer.locator("#printable-code").innerText(), /^OUJ-/);
  assert.match(await officer.locator(".printable pre").innerText(), new RegExp(counter));
  // The demand is owed again.
  assert.equal(await officer.locator("#demand-status").innerText(), "Non payée");
  assert.match(await officer.locator("#demand-outstanding").innerText(), /^2,00\sMAD$/);
  const after = await demandOf(request.trackingCode);
  assert.equal(after.status, "UNPAID");
  assert.equal(after.outstanding, "2.00");
  const cancellation = after.payments.find((p) => p.kind === "CANCELLATION");
  assert.deepEqual([cancellation.number, cancellation.cancels, cancellation.reason],
    [counter, stored.payments[0].id, "Montant encaissé sur la mauvaise demande"]);
  await assertAccessible(officer, "cash desk, a notice of cancellation (fr)");
  await officer.locator(".printable").scrollIntoViewIfNeeded();
  await shoot(officer, "revenue-officer-cancellation-fr");
  assert.deepEqual(officer.errors, []);
});

test("in Arabic: a card payment by its terminal slip; a card number is refused", async () => {
  const request = await submitLegalisation("UB778899");
  const agent = await openPage(browser, "ar");
  await signIn(agent, server.url, "oujda.counter_agent", "ar", DEMO_PASSWORD);
  await agent.goto(`${server.url}/office/?lang=ar#/c/oujda/inbox`);
  await showDemand(agent, request.trackingCode, {
    menu: "الصندوق",
    title: "الصندوق: الرسوم المؤداة بالشباك",
    code: "رمز تتبع الوصل",
    show: "عرض الطلب",
    demand: (code) => `رسوم الطلب ${code}`,
  });
  assert.deepEqual(await agent.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ["ar", "rtl"]);
  assert.equal(await agent.locator("#demand-status").innerText(), "غير مؤداة");
  await agent.getByLabel("طريقة الأداء").selectOption("CARD");
  await agent.getByLabel("رقم وصل جهاز الأداء (اختياري)").fill("4111 1111 1111 1111");
  await agent.getByRole("button", { name: "تسجيل الأداء" }).click();
  const refused = agent.getByRole("alert");
  await refused.waitFor();
  assert.match(await refused.innerText(), /input\.terminalSlip/);
  assert.equal((await demandOf(request.trackingCode)).status, "UNPAID", "nothing recorded");

  await agent.getByLabel("رقم وصل جهاز الأداء (اختياري)").fill("TPE-004512");
  await agent.getByRole("button", { name: "تسجيل الأداء" }).click();
  const status = agent.getByRole("status").filter({ hasText: "سُجل الأداء" });
  await status.waitFor();
  const number = /(QR-\d{4}-\d+)/.exec(await status.innerText())?.[1];
  assert.ok(number, await status.innerText());
  await agent.getByRole("heading", { name: `وصل الأداء ${number}` }).waitFor();
  assert.equal(await agent.locator("#demand-status").innerText(), "مؤداة");
  const row = agent.getByRole("table", { name: "أداءات الطلب وإلغاءاتها" }).getByRole("row").filter({ hasText: number });
  assert.match(await row.innerText(), /بطاقة \(جهاز الأداء\)/);
  assert.match(await row.innerText(), /TPE-004512/);
  const stored = await demandOf(request.trackingCode);
  assert.deepEqual(stored.payments.map((p) => [p.number, p.channel, p.terminalSlip]), [[number, "CARD", "TPE-004512"]]);
  await assertAccessible(agent, "cash desk, a card payment (ar)");
  await shoot(agent, "counter-agent-cashdesk-ar");
  assert.deepEqual(agent.errors, []);
});

/** Starts paying the request's fee online and pays at the simulator with the test card `pan`: the order id. */
async function payOnline(request, pan) {
  const data = await graphql(server.url, null, `mutation($code: String!, $secret: String!) {
    startOnlinePayment(trackingCode: $code, secret: $secret, locale: "fr") { action fields { name value } payment { orderId } } }`,
  { code: request.trackingCode, secret: request.secret });
  const { action, fields, payment } = data.startOnlinePayment;
  const form = new URLSearchParams(fields.map((f) => [f.name, f.value]));
  form.set("pan", pan);
  const answer = await fetch(action, { method: "POST", body: form });
  assert.ok(answer.ok, `the provider takes the form: ${answer.status}`);
  await answer.text();
  return payment.orderId;
}

test("in French: the payments controller imports the day's statement and sees its mismatches; a refund approved by another", async () => {
  // One payment approved at the bank whose callback never comes, one whose callback is forged.
  const silent = await payOnline(await submitLegalisation("UC112233"), "4000000000000036");
  const forged = await payOnline(await submitLegalisation("UD445566"), "4000000000000028");
  const controller = await openPage(browser, "fr");
  await signIn(controller, server.url, "oujda.payments_controller", "fr", DEMO_PASSWORD);
  await controller.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
  await controller.getByRole("navigation").getByRole("link", { name: "Paiements en ligne" }).click();
  await controller.getByRole("heading", { name: "Paiements en ligne et rapprochement", level: 1 }).waitFor();
  const list = controller.getByRole("table", { name: "Paiements commencés en ligne, les plus récents d'abord" });
  for (const order of [silent, forged]) {
    assert.match(await list.getByRole("row").filter({ hasText: order }).innerText(), /En attente/);
  }
  const refusals = controller.getByRole("table", { name: "Rappels du prestataire refusés, les plus récents d'abord" });
  assert.match(await refusals.getByRole("row").filter({ hasText: forged }).innerText(), /Signature fausse/);

  // A file that is no statement is refused at its field, and records nothing.
  await controller.locator("#statement-file").setInputFiles({ name: "releve.csv", mimeType: "text/csv", buffer: Buffer.from("date,order_id\nx,y\n") });
  await controller.getByRole("button", { name: "Importer le relevé" }).click();
  const refused = controller.getByRole("alert");
  await refused.waitFor();
  assert.match(await refused.innerText(), /csv/);

  // The provider's statement of the day (UTC), with a line for an order the commune never had.
  const day = new Date().toISOString().slice(0, 10);
  const statement = await (await fetch(`${provider.url}/statement.csv?clientid=${CLIENT_ID}&date=${day}`)).text();
  const csv = `${statement.trimEnd()}\n${day}T09:00:00Z,JM-INCONNUE-1,SIM-X1,5.00,504,approved\n`;
  await controller.getByLabel("Jour du relevé").fill(day);
  await controller.locator("#statement-file").setInputFiles({ name: `releve-${day}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await controller.getByRole("button", { name: "Importer le relevé" }).click();
  await controller.getByRole("status").filter({ hasText: "importé : 3 ligne(s), 3 écart(s)" }).waitFor();
  const mismatches = controller.locator("#imported-mismatches");
  for (const order of [silent, forged]) {
    const row = await mismatches.getByRole("row").filter({ hasText: order }).innerText();
    assert.match(row, /Payé, non enregistré/);
    assert.match(row, /Oui, enregistré maintenant/);
  }
  assert.match(await mismatches.getByRole("row").filter({ hasText: "JM-INCONNUE-1" }).innerText(), /Commande inconnue/);
  // Recorded now: the list says paid by the statement.
  await list.getByRole("row").filter({ hasText: silent }).filter({ hasText: "par le relevé" }).waitFor();
  const past = controller.getByRole("table", { name: "Relevés importés, les plus récents d'abord" });
  await past.getByRole("row").nth(1).waitFor();
  assert.equal(await past.getByRole("row").count(), 2, "one statement imported, under its header");
  await assertAccessible(controller, "online payments, a statement imported (fr)");
  await shoot(controller, "payments-controller-statement-fr");

  // A refund of the silent payment, with its reason; the controller does not decide it.
  const option = await controller.locator("#f-refundPayment option", { hasText: silent }).getAttribute("value");
  await controller.getByLabel("Paiement à rembourser").selectOption(option);
  await controller.getByLabel("Montant à rembourser").fill("2.00");
  await controller.getByLabel("Motif").fill("Demande retirée par le citoyen");
  await controller.getByRole("button", { name: "Demander le remboursement" }).click();
  await controller.getByRole("status").filter({ hasText: "Remboursement de 2,00 demandé." }).waitFor();
  const refunds = controller.getByRole("table", { name: "Remboursements, les plus anciens d'abord" });
  await refunds.getByRole("row").filter({ hasText: silent }).locator(".refund-status", { hasText: "Demandé" }).waitFor();
  assert.equal(await controller.getByRole("button", { name: /^Approuver/ }).count(), 0);
  assert.deepEqual(controller.errors, []);

  // The authorising officer sees the refunds only, and approves it.
  const officer = await openPage(browser, "fr");
  await signIn(officer, server.url, "oujda.authorising_officer", "fr", DEMO_PASSWORD);
  await officer.goto(`${server.url}/office/?lang=fr#/c/oujda/online-payments`);
  await officer.getByRole("heading", { name: "Remboursements" }).waitFor();
  assert.equal(await officer.getByRole("heading", { name: "Relevé du prestataire" }).count(), 0);
  const row = officer.getByRole("table", { name: "Remboursements, les plus anciens d'abord" }).getByRole("row").filter({ hasText: "Demande retirée par le citoyen" });
  await row.getByRole("button", { name: "Approuver 2,00 — Demande retirée par le citoyen" }).click();
  await officer.getByRole("status").filter({ hasText: "Remboursement de 2,00 approuvé." }).waitFor();
  // The list is read again after the decision: wait for it.
  await row.locator(".refund-status", { hasText: "Approuvé" }).waitFor();
  assert.equal(await row.getByRole("button").count(), 0, "nothing left to decide");
  await assertAccessible(officer, "online payments, refunds (fr)");
  const token = await demoSession("oujda.payments_controller");
  const { paymentRefunds } = await graphql(server.url, token, '{ paymentRefunds(commune: "oujda") { amount reason status } }');
  assert.deepEqual(paymentRefunds, [{ amount: "2.00", reason: "Demande retirée par le citoyen", status: "approved" }]);
  assert.deepEqual(officer.errors, []);
});

test("the menu offers the cash desk and the online payments to those who may use them only", async () => {
  const menuOf = async (login, password) => {
    const page = await openPage(browser, "fr");
    await signIn(page, server.url, login, "fr", password);
    await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
    const menu = page.getByRole("navigation", { name: "Menu principal" });
    await menu.getByRole("link").first().waitFor();
    const names = await menu.getByRole("link").allInnerTexts();
    return { page, names };
  };
  const agent = await menuOf("oujda.counter_agent", DEMO_PASSWORD);
  assert.ok(agent.names.includes("Caisse") && !agent.names.includes("Paiements en ligne"), agent.names.join(", "));
  const controller = await menuOf("oujda.payments_controller", DEMO_PASSWORD);
  assert.ok(!controller.names.includes("Caisse") && controller.names.includes("Paiements en ligne"), controller.names.join(", "));
  const finance = await menuOf("finances.oujda");
  assert.ok(!finance.names.includes("Caisse") && !finance.names.includes("Paiements en ligne"), finance.names.join(", "));
  // Nor does the address open the screen.
  await finance.page.goto(`${server.url}/office/?lang=fr#/c/oujda/cashdesk`);
  await finance.page.getByRole("alert").waitFor();
  assert.equal(await finance.page.getByRole("heading", { name: FR.title }).count(), 0);
});

for (const lang of ["ar", "tzm", "en"]) {
  test(`the cash desk and the online payments in ${lang}: their language and direction, accessible`, async () => {
    for (const [login, screen] of [["oujda.revenue_officer", "cashdesk"], ["oujda.payments_controller", "online-payments"]]) {
      const page = await openPage(browser, lang);
      await signIn(page, server.url, login, lang, DEMO_PASSWORD);
      await page.goto(`${server.url}/office/?lang=${lang}#/c/oujda/${screen}`);
      await page.locator("main h1").waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role="status"].loading'));
      const shown = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
      assert.deepEqual(shown, { lang, dir: lang === "ar" ? "rtl" : "ltr" });
      await assertAccessible(page, `${screen} (${lang})`);
      assert.deepEqual(page.errors, []);
    }
  });
}
