// Copies the browser builds of the pinned UI libraries from node_modules into app/vendor/, with their licences,
// so that `jamaa serve` serves them from the repository (no CDN, no build step). Run after changing a version in
// package.json: `npm ci && npm run vendor`. tests/vendor.test.mjs checks that the copies match.

import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const office = join(dirname(fileURLToPath(import.meta.url)), "..");

/** [package file, vendored file], relative to node_modules/ and app/vendor/. */
export function vendoredFiles() {
  const files = [
    ["preact/dist/preact.mjs", "preact.mjs"],
    ["preact/hooks/dist/hooks.mjs", "preact-hooks.mjs"],
    ["preact/LICENSE", "LICENSE-preact"],
    ["htm/dist/htm.mjs", "htm.mjs"],
    ["htm/LICENSE", "LICENSE-htm"],
    ["graphql-ws/LICENSE.md", "LICENSE-graphql-ws"],
    ["csv-parse/dist/esm/sync.js", "csv-parse-sync.mjs"],
    ["csv-parse/LICENSE", "LICENSE-csv-parse"],
  ];
  for (const file of readdirSync(join(office, "node_modules/graphql-ws/dist"))) {
    if (file === "client.js" || /^common-.*\.js$/.test(file)) files.push([`graphql-ws/dist/${file}`, `graphql-ws/${file}`]);
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const vendor = join(office, "app/vendor");
  rmSync(vendor, { recursive: true, force: true });
  for (const [from, to] of vendoredFiles()) {
    mkdirSync(dirname(join(vendor, to)), { recursive: true });
    copyFileSync(join(office, "node_modules", from), join(vendor, to));
  }
  console.log(`vendored ${vendoredFiles().length} files into app/vendor/`);
}
