// The council's secretary in the back office, in French and in Arabic: a session scheduled, an item put on its
// agenda, a deliberation recorded with each member's roll-call vote, the decisions published. The published
// decision is then read as anyone reads it, through the API's public council decisions.

import assert from "node:assert/strict";
import { test } from "node:test";

import { assertAccessible, browser, graphql, openPage, server, sessionOf, shoot, signIn, useOffice } from "./support.mjs";

useOffice();

const LABELS = {
  fr: { council: "Conseil", schedule: "Programmer", addItem: "Inscrire à l'ordre du jour", record: "Enregistrer la délibération", publish: "Publier les décisions", published: "publiée", adopted: "adoptée" },
  ar: { council: "المجلس", schedule: "برمجة", addItem: "إدراج في جدول الأعمال", record: "تسجيل المداولة", publish: "نشر المقررات", published: "منشورة", adopted: "مصادق عليها" },
};

async function sessionFromAgendaToPublication(lang, startsOn, texts) {
  const l = LABELS[lang];
  const page = await openPage(browser, lang);
  await signIn(page, server.url, "secretaire.conseil", lang);
  await page.getByRole("link", { name: l.council, exact: true }).click();
  await page.locator("#f-startsOn").waitFor();
  await assertAccessible(page, `council (${lang})`);
  await page.locator("#f-kind").selectOption("ORDINARY");
  await page.locator("#f-startsOn").fill(startsOn);
  await page.locator("#f-titleAr").fill(texts.sessionAr);
  await page.locator("#f-titleFr").fill(texts.sessionFr);
  await shoot(page, `council-secretary-schedule-${lang}`);
  await page.getByRole("button", { name: l.schedule, exact: true }).click();

  await page.locator("#session-status").waitFor();
  const sessionId = page.url().split("/").at(-1);
  await page.locator("#agenda-form #f-titleAr").fill(texts.itemAr);
  await page.locator("#agenda-form #f-titleFr").fill(texts.itemFr);
  await page.getByRole("button", { name: l.addItem }).click();
  await page.locator("#deliberation-form").waitFor();

  const options = await page.locator("#deliberation-form #f-agendaItemId option").all();
  await page.locator("#deliberation-form #f-agendaItemId").selectOption({ index: options.length - 1 });
  await page.locator("#deliberation-form #f-textAr").fill(texts.decisionAr);
  await page.locator("#deliberation-form #f-textFr").fill(texts.decisionFr);
  // The roll call: every member for, but the first against and the last absent.
  const rows = await page.locator("#deliberation-form table.votes tbody tr").all();
  assert.ok(rows.length >= 3, `the demo council has members in office (${rows.length})`);
  for (const [i, row] of rows.entries()) {
    const choice = i === 0 ? "AGAINST" : i === rows.length - 1 ? "ABSENT" : "FOR";
    await row.locator(`input[value="${choice}"]`).check();
  }
  await assertAccessible(page, `session (${lang})`);
  await shoot(page, `council-secretary-roll-call-${lang}`);
  await page.getByRole("button", { name: l.record }).click();
  await page.getByRole("heading", { name: new RegExp(l.adopted) }).waitFor();
  await page.getByRole("button", { name: l.publish }).click();
  await page.locator("#session-status").filter({ hasText: l.published }).waitFor();
  await shoot(page, `council-secretary-published-${lang}`);
  assert.deepEqual(page.errors, []);
  return { sessionId, members: rows.length };
}

async function published(sessionId, year) {
  const data = await graphql(server.url, null, `query($y: Int) { councilDecisions(commune: "oujda", year: $y,
    first: 100) { nodes { sessionId textAr textFr count { present votesFor against absent outcome } votes { choice } } } }`,
  { y: year });
  return data.councilDecisions.nodes.filter((d) => d.sessionId === sessionId);
}

test("in French: from the agenda to the publication of a session", async () => {
  const texts = {
    sessionAr: "الدورة العادية لشهر فبراير", sessionFr: "Session ordinaire de février",
    itemAr: "برنامج إنارة الأحياء", itemFr: "Programme d'éclairage des quartiers",
    decisionAr: "صادق المجلس على برنامج إنارة الأحياء.", decisionFr: "Le conseil approuve le programme d'éclairage des quartiers.",
  };
  const { sessionId, members } = await sessionFromAgendaToPublication("fr", "2027-02-09", texts);
  const [decision, ...others] = await published(sessionId, 2027);
  assert.deepEqual(others, []);
  assert.equal(decision.textFr, texts.decisionFr);
  assert.equal(decision.textAr, texts.decisionAr);
  assert.deepEqual(decision.count, { present: members - 1, votesFor: members - 2, against: 1, absent: 1, outcome: "ADOPTED" });
  const token = await sessionOf(server.url, "secretaire.conseil");
  const sessions = await graphql(server.url, token, 'query { councilSessions(commune: "oujda", first: 100) { nodes { id publishedAt agenda { titleFr } } } }');
  const session = sessions.councilSessions.nodes.find((s) => s.id === sessionId);
  assert.ok(session.publishedAt);
  assert.deepEqual(session.agenda.map((a) => a.titleFr), [texts.itemFr]);
});

test("in Arabic: the same, right to left", async () => {
  const texts = {
    sessionAr: "الدورة العادية لشهر ماي", sessionFr: "Session ordinaire de mai",
    itemAr: "تهيئة السوق الأسبوعي", itemFr: "Aménagement du souk hebdomadaire",
    decisionAr: "صادق المجلس على تهيئة السوق الأسبوعي.", decisionFr: "Le conseil approuve l'aménagement du souk hebdomadaire.",
  };
  const { sessionId } = await sessionFromAgendaToPublication("ar", "2027-05-11", texts);
  const [decision] = await published(sessionId, 2027);
  assert.equal(decision.textAr, texts.decisionAr);
  assert.equal(decision.count.outcome, "ADOPTED");
});
