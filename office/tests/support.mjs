// What the back office's browser tests share: a live `jamaa serve --demo` (the SDK tests' helper) with one user
// per role made by the command line, Debian's Chromium, a GraphQL call to check what the database holds, the
// screenshots of the role guides (written to docs/guides/img/ when JAMAA_GUIDE_SHOTS=1, else to a directory under
// the system's temporary directory, so that a test run leaves the checkout as it was), and axe-core run on a page.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { promisify } from "node:util";

import { chromium } from "playwright-core";

import { repository, startServer } from "../../sdk-wasm/tests/support/server.mjs";

const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
/** Where the screenshots of the role guides are written: the guides' own images only when asked to renew them. */
export const SHOTS = process.env.JAMAA_GUIDE_SHOTS === "1"
  ? join(repository, "docs", "guides", "img")
  : join(tmpdir(), "jamaa-office-shots");
/** The password of every test user (12 characters at least). */
export const PASSWORD = "office-test-password-1";

/** The test users: login → [display name, operator?, {commune: roles}]. */
export const USERS = {
  "guichet.oujda": ["Samira Guichet", false, { oujda: ["counter_agent"], chefchaouen: ["counter_agent"] }],
  "etat.civil": ["Karim État-civil", false, { oujda: ["civil_registrar"] }],
  "secretaire.conseil": ["Nadia Secrétaire", false, { oujda: ["council_secretary"] }],
  "operateur.national": ["Youssef Opérateur", true, {}],
  "admin.oujda": ["Leila Administratrice", false, { oujda: ["commune_admin"] }],
  "chef.service": ["Hassan Chef de service", false, { oujda: ["head_of_service"] }],
  "rh.oujda": ["Amina Ressources humaines", false, { oujda: ["hr_officer"] }],
  "plan.oujda": ["Omar Planification", false, { oujda: ["planning_officer"] }],
  "juriste.oujda": ["Nadia Juriste", false, { oujda: ["legal_affairs"] }],
  "finances.oujda": ["Rachid Finances", false, { oujda: ["finance_officer"] }],
  "ordonnateur.oujda": ["Fatima Ordonnatrice", false, { oujda: ["authorising_officer"] }],
};

/** Starts the server (`options` as `startServer` takes them) and makes the test users: the operator with `jamaa
 * user create --operator` on its data directory (no API makes an operator), the others through the API as the
 * demo's operator makes commune staff (`createUser`, then `grantRole` in their other communes). */
export async function startOffice(options = {}) {
  const server = await startServer(options);
  const env = { ...process.env, JAMAA_PASSWORD: PASSWORD };
  delete env.JAMAA_DATABASE_URL;
  delete env.JAMAA_CONFIG;
  const jamaa = (/** @type {string[]} */ ...args) => run(server.binary, ["--data-dir", server.dataDir, ...args], { env });
  const create = `mutation($c: String!, $i: CreateUserInput!) { createUser(commune: $c, input: $i) { id } }`;
  const grant = `mutation($c: String!, $u: ID!, $r: String!) { grantRole(commune: $c, userId: $u, role: $r) { roles } }`;
  for (const [login, [name, operator, communes]] of Object.entries(USERS)) {
    if (operator) {
      await jamaa("user", "create", "--login", login, "--name", name, "--operator");
      continue;
    }
    const [[first, firstRoles], ...others] = Object.entries(communes);
    const input = { login, displayName: name, password: PASSWORD, roles: firstRoles };
    const { createUser } = await graphql(server.url, server.tokens.operator, create, { c: first, i: input });
    for (const [commune, roles] of others) {
      for (const role of roles) {
        await graphql(server.url, server.tokens.operator, grant, { c: commune, u: createUser.id, r: role });
      }
    }
  }
  return server;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-sync"],
  });
}

/** A page in `lang`, with its errors collected in `page.errors`. */
export async function openPage(browser, lang) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: lang === "ar" ? "ar-MA" : "fr-MA" });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) page.errors.push(message.text());
  });
  return page;
}

/** The password of the demo's own logins (`oujda.counter_agent`, …; README.md lists them). */
export const DEMO_PASSWORD = "jamaa-demo-2026";

/** Signs in through the sign-in screen, in `lang` (a test user; a demo login with `DEMO_PASSWORD`). */
export async function signIn(page, url, login, lang, password = PASSWORD) {
  await page.goto(`${url}/office/?lang=${lang}`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator("#login").fill(login);
  await page.locator("#password").fill(password);
  await page.locator("#password").press("Enter");
  await page.locator(".top .user").waitFor();
}

/** A GraphQL operation with a token; fails on errors. */
export async function graphql(url, token, query, variables = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const { data, errors } = await response.json();
  assert.equal(errors, undefined, JSON.stringify(errors));
  return data;
}

/** A login session's token for a test user, to check through the API what the page did. */
export async function sessionOf(url, login) {
  const data = await graphql(url, null, "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }", { l: login, p: PASSWORD });
  return data.login.token;
}

const AXE = readFileSync(join(repository, "office", "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Runs axe-core on the page; fails on any serious or critical violation. */
export async function assertAccessible(page, label) {
  // Evaluated by the browser's tooling, not as an inline script: the page's content security policy allows none.
  // Once a document: the office's screens change by their address's fragment, within one document, and axe's
  // 500 KB script parsed again for each took a third of the checks' time (office/tests/screens.test.mjs).
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // @ts-ignore axe is the script added to this document
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
  });
  assert.deepEqual(violations, [], `${label}: ${violations.join("\n")}`);
}

/** Keeps a screenshot for the role guides. */
export async function shoot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** The server and the browser of a test file that calls [useOffice]: set before its first test. */
export let server;
export let browser;

/** Starts the office's server (with its test users) and Chromium before the file's tests, stops both after. */
export function useOffice(options = {}) {
  before(async () => {
    server = await startOffice(options);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

/**
 * A server clock moved by Debian's libfaketime (scripts/install-test-deps installs it): `env` for `useOffice`,
 * and `move("+40d")` to set the server's offset from the real time, read again every second. tokio's timers keep
 * the real monotonic clock: only the wall clock moves; the server's scheduler runs every second.
 */
export function fakeClock() {
  const library = readdirSync("/usr/lib")
    .map((dir) => join("/usr/lib", dir, "faketime", "libfaketime.so.1"))
    .find((path) => existsSync(path));
  assert.ok(library, "libfaketime is missing: run scripts/install-test-deps (Debian's faketime)");
  const file = join(mkdtempSync(join(tmpdir(), "jamaa-clock-")), "offset");
  writeFileSync(file, "+0d\n");
  return {
    env: {
      LD_PRELOAD: library,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_CACHE_DURATION: "1",
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
      JAMAA_SCHEDULER_INTERVAL_SECONDS: "1",
    },
    move: (/** @type {string} */ offset) => writeFileSync(file, `${offset}\n`),
  };
}
