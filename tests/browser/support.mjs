// What the browser tests of the website share: Debian's Chromium, headless, and a page that records its errors.

import { join } from "node:path";

import { chromium } from "playwright-core";

import { repository } from "../../sdk-wasm/tests/support/server.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Where screenshots are kept. */
export const ARTIFACTS = join(process.env.CARGO_TARGET_DIR || join(repository, "target"), "artifacts");

/** Debian's Chromium, headless, without the background traffic this machine's closed network refuses. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-sync"],
  });
}

/** A page of a browser whose language is `locale`; what it writes to its console as errors, and the errors it
 * throws, go to `errors`. */
export async function openPage(browser, locale, errors) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, locale });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return page;
}
