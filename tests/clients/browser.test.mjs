// A commune's own site on another origin, in Debian's Chromium (headless, playwright-core): a page served by a
// second tiny server imports the SDK from the API's `/sdk/index.js` as an ES module (its WebAssembly fetched
// from there too), lists Oujda's procedures and submits a request, then tracks it — every call cross-origin,
// allowed by the API's CORS layer. A page on an origin the API does not allow cannot load the SDK at all.
//
// Needs /usr/bin/chromium (scripts/install-test-deps), the SDK package (scripts/build-sdk) and the jamaa binary.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The commune's page: imports the SDK from the API named in its query string, submits, tracks. */
const PAGE = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Commune d'Oujda</title></head>
<body><p id="out">…</p>
<script type="module">
  const api = new URL(location.href).searchParams.get("api");
  const out = document.getElementById("out");
  try {
    const { createClient } = await import(api + "/sdk/index.js");
    const client = createClient({ endpoint: api + "/graphql", locale: "fr" });
    const services = await client.listServices("oujda");
    const receipt = await client.submit("oujda", "legalisation-signature", {
      signatory_name: "Fatima Zahra El Idrissi", cin: "AB123456", document_title: "Contrat de bail", copies: 1,
    }, [{ code: "document_to_sign", fileName: "bail.pdf", mediaType: "application/pdf", sizeBytes: 120000 }]);
    const tracked = await client.track(receipt.trackingCode, receipt.secret);
    window.result = { services: services.length, trackingCode: receipt.trackingCode, state: tracked.stateLabel };
  } catch (error) {
    window.result = { error: String(error) };
  }
  out.textContent = JSON.stringify(window.result);
</script></body></html>`;

/** A static server on a free port of 127.0.0.1 answering PAGE at `/`; resolves to its origin and a stop. */
async function startSite() {
  const site = createServer((request, response) => {
    if (new URL(request.url, "http://x").pathname !== "/") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
  });
  await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${site.address().port}`;
  return { origin, stop: () => new Promise((resolve) => site.close(resolve)) };
}

let allowed;
let other;
let server;
let browser;

before(async () => {
  allowed = await startSite();
  other = await startSite();
  server = await startServer({ env: { JAMAA_CORS_ORIGINS: allowed.origin } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await allowed?.stop();
  await other?.stop();
});

/** Opens the page of `site` against the API and waits for what it did. */
async function visit(site) {
  const page = await browser.newPage();
  const cors = [];
  page.on("console", (message) => {
    if (message.type() === "error") cors.push(message.text());
  });
  await page.goto(`${site.origin}/?api=${encodeURIComponent(server.url)}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20_000 });
  const result = await page.evaluate(() => window.result);
  await page.close();
  return { result, console: cors };
}

test("a page on an allowed origin imports the SDK from the API, submits and tracks a request", async () => {
  const { result } = await visit(allowed);
  assert.equal(result.error, undefined, result.error);
  assert.ok(result.services > 10, `${result.services} services`);
  assert.match(result.trackingCode, /^OUJ-\d{4}-\d{6}$/);
  assert.equal(result.state, "Déposée");

  // The API has the request the page submitted.
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.tokens.oujda}` },
    body: JSON.stringify({ query: `query { requests(commune: "oujda", first: 100) { nodes { trackingCode } } }` }),
  });
  const { data } = await response.json();
  assert.ok(data.requests.nodes.some((node) => node.trackingCode === result.trackingCode));
});

test("a page on another origin cannot load the SDK: the browser blocks it for want of CORS", async () => {
  const { result, console } = await visit(other);
  assert.match(result.error ?? "", /Failed to fetch dynamically imported module|TypeError/);
  assert.ok(console.some((line) => /CORS|Access-Control-Allow-Origin/.test(line)), console.join("\n"));
});
