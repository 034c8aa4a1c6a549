// urql (@urql/core), unmodified and with the exchanges its documentation starts with (cacheExchange,
// fetchExchange) and its default `preferGetMethod: "within-url-limit"`, against a live `jamaa serve --demo`: a
// query goes out as `GET /graphql?query=…` and is executed (not answered with GraphiQL's page), a mutation goes
// out as POST, and a field error keeps its `extensions.code`.
//
// Needs the jamaa binary (cargo build --bin jamaa; $JAMAA_BIN or target/debug/jamaa).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Client, cacheExchange, fetchExchange, gql } from "@urql/core";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";

let server;
let client;
/** What urql sent: method, and the Accept header, of each request. */
const sent = [];

before(async () => {
  server = await startServer();
  const watching = (url, init = {}) => {
    sent.push({ method: init.method ?? "GET", url: String(url), accept: new Headers(init.headers).get("accept") });
    return fetch(url, init);
  };
  client = new Client({ url: `${server.url}/graphql`, exchanges: [cacheExchange, fetchExchange], fetch: watching });
});

after(async () => {
  await server?.stop();
});

test("a query goes over GET, with urql's Accept header, and is executed", async () => {
  const COMMUNES = gql`
    query Communes($first: Int) { communes(first: $first, locale: "fr") { totalCount nodes { id slug name status } } }
  `;
  const result = await client.query(COMMUNES, { first: 10 }).toPromise();
  assert.equal(result.error, undefined, String(result.error));
  assert.deepEqual(result.data.communes.nodes.map((c) => c.slug), ["chefchaouen", "kaedi", "oujda"]);
  assert.equal(result.data.communes.totalCount, 3);
  assert.equal(result.data.communes.nodes.find((c) => c.slug === "oujda").status, "ACTIVE");

  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, "GET");
  const url = new URL(sent[0].url);
  assert.equal(url.pathname, "/graphql");
  assert.match(url.searchParams.get("query"), /query Communes/);
  assert.equal(JSON.parse(url.searchParams.get("variables")).first, 10);
  // urql asks for the GraphQL-over-HTTP media type first; a browser's text/html is not in its list.
  assert.match(sent[0].accept, /^application\/graphql-response\+json/);
});

test("a mutation goes over POST", async () => {
  sent.length = 0;
  const SIGN = gql`
    mutation Sign($petition: ID!) {
      signPetition(commune: "oujda", petition: $petition, nationalId: "AB123456", name: "Samira Bennani") { signatures }
    }
  `;
  const result = await client.mutation(SIGN, { petition: "00000000-0000-7000-8000-000000000000" }).toPromise();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, "POST");
  // The petition does not exist: a GraphQL error urql reads, with its stable code.
  assert.equal(result.error?.graphQLErrors[0]?.extensions.code, "NOT_FOUND");
});

test("a refused argument is a GraphQL error with its code and field path, over GET", async () => {
  sent.length = 0;
  const TOO_MANY = gql`query TooMany { communes(first: 1000) { nodes { slug } } }`;
  const result = await client.query(TOO_MANY, {}).toPromise();
  assert.equal(sent[0].method, "GET");
  const [error] = result.error?.graphQLErrors ?? [];
  assert.equal(error?.extensions.code, "VALIDATION_FAILED");
  assert.equal(error.extensions.fields[0].path, "first");
  assert.equal(error.extensions.fields[0].code, "OUT_OF_RANGE");
});
