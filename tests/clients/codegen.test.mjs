// graphql-codegen, unmodified: `graphql-codegen` (the CLI) reads the schema from a live `jamaa serve --demo`'s URL
// by the standard introspection query, checks an operation against it and generates TypeScript types with the
// `typescript` plugin (the schema's types) and the `typescript-operations` plugin (the operations'); then `tsc --noEmit --strict` checks a file that uses them —
// and refuses one that misuses them.
//
// Needs the jamaa binary (cargo build --bin jamaa; $JAMAA_BIN or target/debug/jamaa).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const bin = (name) => join(here, "node_modules", ".bin", name);

let server;
let dir;

before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), "jamaa-codegen-"));
});

after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const OPERATIONS = `
query Communes($first: Int) {
  communes(first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { id slug name status country } }
}
query Services($commune: String!, $locale: String) {
  services(commune: $commune, locale: $locale) { nodes { id code name deadline { days workingDays } } }
}
`;

const USE = `
import type { CommuneStatus, CommunesQuery, CommunesQueryVariables, ServicesQuery } from "./types";
import type { Commune, QueryRootServicesArgs } from "./schema";

const variables: CommunesQueryVariables = { first: 10 };
export function activeSlugs(data: CommunesQuery): string[] {
  const active: CommuneStatus = "ACTIVE";
  return data.communes.nodes.filter((c) => c.status === active).map((c) => c.slug);
}
export function hasNext(data: CommunesQuery): boolean {
  return data.communes.pageInfo.hasNextPage && data.communes.totalCount > 0;
}
export function names(data: ServicesQuery): string[] {
  return data.services.nodes.map((s) => s.name + " " + s.deadline.days);
}
export const oujda: Pick<Commune, "slug" | "trackingPrefix"> = { slug: "oujda", trackingPrefix: "OUJ" };
export const args: QueryRootServicesArgs = { commune: "oujda", first: 20 };
export { variables };
`;

test("codegen from the URL, then tsc on a file using the types", async () => {
  await writeFile(join(dir, "operations.graphql"), OPERATIONS);
  await writeFile(join(dir, "use.ts"), USE);
  const config = {
    overwrite: true,
    schema: `${server.url}/graphql`,
    documents: join(dir, "operations.graphql"),
    generates: {
      [join(dir, "schema.ts")]: { plugins: ["typescript"] },
      [join(dir, "types.ts")]: { plugins: ["typescript-operations"] },
    },
  };
  await writeFile(join(dir, "codegen.json"), JSON.stringify(config));
  await run(bin("graphql-codegen"), ["--config", join(dir, "codegen.json")], { cwd: here, timeout: 60_000 });

  const schema = await readFile(join(dir, "schema.ts"), "utf8");
  assert.match(schema, /export type QueryRoot = \{/);
  assert.match(schema, /export enum CommuneStatus \{/);
  const types = await readFile(join(dir, "types.ts"), "utf8");
  assert.match(types, /export type CommunesQuery = \{/);

  // One tsc run over a file using the types and one misusing them: the types follow the operation, so a field
  // it did not select does not type-check — and that is the only error.
  await writeFile(join(dir, "wrong.ts"), `import type { CommunesQuery } from "./types";
export const wrong = (data: CommunesQuery): number => data.communes.nodes[0].population;\n`);
  const tsc = ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler"];
  await assert.rejects(
    run(bin("tsc"), [...tsc, join(dir, "use.ts"), join(dir, "wrong.ts")], { cwd: here, timeout: 60_000 }),
    (error) => {
      const errors = error.stdout.split("\n").filter((line) => /error TS/.test(line));
      assert.equal(errors.length, 1, error.stdout);
      assert.match(errors[0], /wrong\.ts.*population/);
      return true;
    },
  );
});

test("codegen checks operations against the schema it read: an unknown field fails the run", async () => {
  await writeFile(join(dir, "bad.graphql"), "query Bad { communes { nodes { nonsense } } }\n");
  const config = {
    schema: `${server.url}/graphql`,
    documents: join(dir, "bad.graphql"),
    generates: { [join(dir, "bad.ts")]: { plugins: ["typescript-operations"] } },
  };
  await writeFile(join(dir, "bad.json"), JSON.stringify(config));
  await assert.rejects(run(bin("graphql-codegen"), ["--config", join(dir, "bad.json")], { cwd: here, timeout: 60_000 }),
    (error) => {
      assert.match(error.stdout + error.stderr, /nonsense/);
      return true;
    });
});
