// Python `gql` (gql_client.py), unmodified, with fetch_schema_from_transport=True over RequestsHTTPTransport,
// against a live `jamaa serve --demo`: the schema is read by the standard introspection query, a document is
// validated against it on the client, a query runs, and a server error keeps its code.
//
// Needs the jamaa binary and the venv of scripts/install-test-deps ($CARGO_TARGET_DIR/py, else target/py;
// JAMAA_TEST_PYTHON names another Python with gql[requests]).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { repository, startServer } from "../../sdk-wasm/tests/support/server.mjs";

const run = promisify(execFile);
const python = process.env.JAMAA_TEST_PYTHON
  || join(process.env.CARGO_TARGET_DIR || join(repository, "target"), "py", "bin", "python");
const script = fileURLToPath(new URL("gql_client.py", import.meta.url));

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

test("gql fetches the schema from the URL, validates on the client and runs a query", async () => {
  const { stdout } = await run(python, [script, `${server.url}/graphql`], { timeout: 60_000 });
  const seen = JSON.parse(stdout);
  assert.equal(seen.communes.totalCount, 3);
  assert.deepEqual(seen.communes.nodes.map((c) => c.slug), ["chefchaouen", "kaedi", "oujda"]);
  assert.ok(seen.schema_types.includes("Commune"));
  assert.ok(seen.schema_types.includes("CommuneStatus"));
  assert.match(seen.local_validation, /nonsense/);
  assert.equal(seen.server_error, "NOT_FOUND");
});
