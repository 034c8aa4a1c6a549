// The inbox of a commune holding 10,000 requests: how long the back office takes to show its first page, from
// the navigation to the first row on screen, in Debian's Chromium against a live `jamaa serve --demo` (SQLite).
// The requests are submitted over the public API first (rate limits off for the run). Prints the median and the
// worst of the runs; BENCHMARKS.md keeps the figures.
//
//   node bench/inbox.mjs [requests=10000] [runs=7]

import { performance } from "node:perf_hooks";

import { graphql, launchBrowser, openPage, sessionOf, signIn, startOffice } from "../tests/support.mjs";

const REQUESTS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);
process.env.JAMAA_RATE_LIMIT_PER_MINUTE = "0";

const server = await startOffice();
const browser = await launchBrowser();
try {
  const started = performance.now();
  const submit = (i) => graphql(server.url, null, `mutation($i: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $i) { request { id } } }`, {
    i: {
      serviceCode: "legalisation-signature",
      data: { signatory_name: `Demandeur ${i}`, cin: `AB${String(100000 + i)}`, document_title: "Contrat de bail", copies: 1 },
      documents: [{ code: "document_to_sign", fileName: "bail.pdf", mediaType: "application/pdf", sizeBytes: 2048 }],
    },
  });
  for (let next = 0; next < REQUESTS; next += 8) {
    await Promise.all(Array.from({ length: Math.min(8, REQUESTS - next) }, (_, k) => submit(next + k)));
  }
  console.log(`${REQUESTS} requests submitted in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The server delivers the submissions' notifications after they commit: wait until it is idle again (the
  // inbox's query answers in under 100 ms twice in a row) before timing the page.
  const token = await sessionOf(server.url, "guichet.oujda");
  for (let quick = 0; quick < 2; ) {
    const t0 = performance.now();
    await graphql(server.url, token, 'query { requests(commune: "oujda", first: 20) { nodes { id } } }');
    quick = performance.now() - t0 < 100 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`idle after ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const page = await openPage(browser, "fr");
  await signIn(page, server.url, "guichet.oujda", "fr");
  const times = [];
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto(`${server.url}/office/?lang=fr#/c/oujda/inbox`);
    await page.reload();
    await page.locator("table.list tbody tr").first().waitFor();
    times.push(await page.evaluate(() => performance.now()));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`inbox first page: median ${median.toFixed(0)} ms, worst ${times.at(-1).toFixed(0)} ms over ${RUNS} loads`);
} finally {
  await browser.close();
  await server.stop();
}
