// PostGraphile v4 in library mode, as a user would run it in front of a multi-tenant PostgreSQL with
// row-level security: the tenant comes from the `X-Commune` header (a commune id) and is set per transaction
// (`pgSettings`, i.e. `set_config(..., true)` in the transaction PostGraphile opens for each request).
//
// Usage: node server.js <database url> <schema> <port>. Prints `listening <port>` once ready; stops on SIGTERM or
// when its standard input closes (so it never outlives the benchmark).
"use strict";

const http = require("http");
const { postgraphile } = require("postgraphile");

const [databaseUrl, schema, port] = process.argv.slice(2);
if (!databaseUrl || !schema || !port) {
  console.error("usage: node server.js <database url> <schema> <port>");
  process.exit(2);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const middleware = postgraphile(databaseUrl, schema, {
  // Production settings: no watch, no GraphiQL, no stack traces, the schema read once.
  watchPg: false,
  graphiql: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  retryOnInitFail: false,
  pgSettings: async (req) => {
    const tenant = String(req.headers["x-commune"] || "");
    return { "jamaa.tenant_id": UUID.test(tenant) ? tenant : "" };
  },
});

const server = http.createServer(middleware);
server.keepAliveTimeout = 60_000;
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
