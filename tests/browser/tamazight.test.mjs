// The commune website and the server's receipt page in Tamazight (Tifinagh), in Debian's Chromium, headless,
// against a live `jamaa serve --demo`, for a browser whose own language is French: `?lang=tzm` gives the catalog,
// a form's messages (core's rules in the SDK), the site's receipt and the printable receipt of /receipts/ in
// Tifinagh, left to right. Every Tifinagh letter on those pages is drawn with a real glyph: each is rendered on a
// canvas in the page's fonts and compared with the missing-glyph box the same fonts draw for a code point of the
// Tifinagh block that has no letter (U+2D68), and each is found in the font the server ships at /fonts/ (Noto Sans
// Tifinagh) rather than in a system font. Screenshots are kept in target/artifacts/ (site-tzm.png,
// receipt-tzm.png).
//
// Needs /usr/bin/chromium (scripts/install-test-deps), the SDK package (scripts/build-sdk) and the jamaa binary.

import assert from "node:assert/strict";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";
import { ARTIFACTS, launchChromium, openPage } from "./support.mjs";

const STANDARD_PROCEDURES = readdirSync(new URL("../../core/data/ma-commune/services/", import.meta.url))
  .filter((file) => file.endsWith(".json")).length;
const TIFINAGH = /[\u2D30-\u2D7F]/u;

let server;
let browser;
let page;
const pageErrors = [];
let receipt;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  page = await openPage(browser, "fr-FR", pageErrors);
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * What the page's Tifinagh letters are drawn with. `boxes`: letters drawn, in the fonts of the element each is in,
 * exactly like U+2D68 (a code point of the Tifinagh block with no letter, which no font has: the missing-glyph
 * box). `notShipped`: letters the shipped Noto Sans Tifinagh has no glyph for, seen as drawn identically with and
 * without it in front of the same fallback (the browser falls back glyph by glyph; where no font has the glyph,
 * `boxes` sees it). `detects`: the same comparison finds that the shipped font has no Cyrillic Ж, which the
 * system's monospace font draws: it is one that fails on a missing glyph.
 */
async function glyphs() {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const noLetter = "\u2D68";
    const byFont = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const letters = [...node.textContent].filter((c) => /[\u2D30-\u2D7F]/u.test(c));
      if (letters.length === 0) continue;
      const family = getComputedStyle(node.parentElement).fontFamily;
      const set = byFont.get(family) ?? new Set();
      letters.forEach((c) => set.add(c));
      byFont.set(family, set);
    }
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 64;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const draw = (family, c) => {
      context.clearRect(0, 0, 64, 64);
      context.font = `40px ${family}`;
      context.fillText(c, 8, 48);
      return Array.from(context.getImageData(0, 0, 64, 64).data).join(",");
    };
    const boxes = [];
    const letters = new Set();
    for (const [family, set] of byFont) {
      await document.fonts.load(`40px ${family}`, [...set].join(""));
      const box = draw(family, noLetter);
      for (const c of set) {
        letters.add(c);
        if (draw(family, c) === box) boxes.push(`${c} (U+${c.codePointAt(0).toString(16).toUpperCase()}) in ${family}`);
      }
    }
    const shipped = '"Noto Sans Tifinagh", monospace';
    await document.fonts.load(`40px ${shipped}`, [...letters].join(""));
    const fromShipped = (c) => draw(shipped, c) !== draw("monospace", c);
    const faces = [...document.fonts].filter((face) => face.family.replace(/"/g, "") === "Noto Sans Tifinagh");
    return {
      letters: letters.size,
      boxes,
      notShipped: [...letters].filter((c) => !fromShipped(c)),
      detects: !fromShipped("\u0416"),
      shippedLoaded: faces.some((face) => face.status === "loaded"),
      check: document.fonts.check('16px "Noto Sans Tifinagh"', [...letters].join("")),
    };
  });
}

function assertTifinaghRenders(result, where) {
  assert.ok(result.letters >= 20, `${where}: ${result.letters} Tifinagh letters`);
  assert.deepEqual(result.boxes, [], `${where}: letters drawn as boxes`);
  assert.deepEqual(result.notShipped, [], `${where}: letters the shipped font lacks`);
  assert.ok(result.detects, `${where}: the comparison would not see a missing glyph`);
  assert.ok(result.shippedLoaded, `${where}: the shipped Noto Sans Tifinagh was loaded from /fonts/`);
  assert.ok(result.check, `${where}: document.fonts.check`);
}

test("the catalog is in Tamazight, left to right, with every letter drawn", async () => {
  await page.goto(`${server.url}/?lang=tzm#/c/oujda`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator(".services li").first().waitFor();
  const layout = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    heading: document.querySelector("h1").textContent,
    services: [...document.querySelectorAll(".services li a")].map((a) => a.textContent),
    pressed: document.querySelector('#languages button[aria-pressed="true"]')?.dataset.lang,
  }));
  assert.equal(layout.lang, "tzm");
  assert.equal(layout.dir, "ltr");
  assert.equal(layout.direction, "ltr");
  assert.equal(layout.pressed, "tzm");
  assert.match(layout.heading, TIFINAGH);
  assert.equal(layout.services.length, STANDARD_PROCEDURES);
  for (const name of layout.services) assert.match(name, TIFINAGH, name);
  assertTifinaghRenders(await glyphs(), "catalog");
  assert.deepEqual(pageErrors, []);
});

test("a form's messages and the site's receipt are in Tamazight", async () => {
  await page.goto(`${server.url}/?lang=tzm#/c/oujda/s/legalisation-signature`);
  await page.locator("#f-cin").waitFor();
  await page.locator("#f-signatory_name").fill("Fatima Zahra El Idrissi");
  await page.locator("#f-cin").fill("12345");
  await page.locator("#f-copies").fill("2");
  await page.locator('button[type="submit"]').click();
  await page.locator("#err-cin").filter({ hasText: TIFINAGH }).waitFor();
  const messages = await page.evaluate(() =>
    [...document.querySelectorAll(".field .error")].map((e) => e.textContent).filter(Boolean),
  );
  assert.ok(messages.length >= 2, messages.join("\n"));
  for (const message of messages) assert.match(message, TIFINAGH, message);
  assert.ok(messages.some((m) => m.includes("CNIE")), messages.join("\n"));

  await page.locator("#f-cin").fill("AB123456");
  await page.locator("#f-document_title").fill("Contrat de bail");
  await page.locator('input[type="file"]').setInputFiles({
    name: "contrat-de-bail.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% Contrat de bail\n"),
  });
  await page.locator('button[type="submit"]').click();
  await page.locator("#tracking-code").waitFor();
  receipt = {
    code: await page.locator("#tracking-code").textContent(),
    secret: await page.locator("#secret").textContent(),
  };
  const shown = await page.evaluate(() => ({
    lang: document.querySelector("section.receipt").lang,
    dir: document.querySelector("section.receipt").dir,
    title: document.getElementById("receipt-title").textContent,
    silence: document.getElementById("silence-means").textContent,
    terms: [...document.querySelectorAll("section.receipt dt")].map((dt) => dt.textContent),
  }));
  assert.equal(shown.lang, "tzm");
  assert.equal(shown.dir, "ltr");
  for (const text of [shown.title, shown.silence, ...shown.terms]) assert.match(text, TIFINAGH, text);
  assertTifinaghRenders(await glyphs(), "site receipt");
  await page.screenshot({ path: join(ARTIFACTS, "site-tzm.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("the printable receipt of /receipts/ is in Tamazight, with every letter drawn", async () => {
  assert.ok(receipt, "the previous test filed a request");
  await page.goto(`${server.url}/receipts/${receipt.code}?lang=tzm`);
  await page.locator("#secret").fill(receipt.secret);
  await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').click()]);
  const shown = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    title: document.querySelector("h1").textContent,
    text: document.body.innerText,
  }));
  assert.equal(shown.lang, "tzm");
  assert.equal(shown.dir, "ltr");
  assert.match(shown.title, TIFINAGH);
  assert.ok(shown.text.includes(receipt.code), shown.text);
  assert.ok(!/[\u0600-\u06FF]/u.test(shown.text.replace(/العربية/g, "")), `Arabic beside the Tamazight:\n${shown.text}`);
  assertTifinaghRenders(await glyphs(), "printable receipt");
  await page.screenshot({ path: join(ARTIFACTS, "receipt-tzm.png"), fullPage: true });
});
