// Apollo Client, unmodified and with its defaults (InMemoryCache normalizing by `__typename` and `id`, the
// cache-first fetch policy, HttpLink over POST), against a live `jamaa serve --demo`: asking for a commune's
// services in Arabic, then French, then Arabic again shows Arabic, French, Arabic — the same for a commune and
// for a citizen's request followed in two languages. Every object that carries localized text has the locale in
// its `id` (README, "Caching and languages"), so the two languages are two cache entries.
//
// Needs the jamaa binary (cargo build --bin jamaa; $JAMAA_BIN or target/debug/jamaa).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";

let server;
let client;
/** The operations that reached the server, by name. */
const sent = [];

before(async () => {
  server = await startServer();
  const counting = (url, init) => {
    sent.push(JSON.parse(init.body).operationName);
    return fetch(url, init);
  };
  client = new ApolloClient({ link: new HttpLink({ uri: `${server.url}/graphql`, fetch: counting }), cache: new InMemoryCache() });
});

after(async () => {
  await server?.stop();
});

const SERVICES = gql`
  query Services($locale: String) {
    services(commune: "oujda", locale: $locale, first: 50) {
      edges { node { id code name description states { key label } } }
    }
  }
`;

/** The name of the signature legalisation in the answer. */
function legalisation(data) {
  const node = data.services.edges.map((edge) => edge.node).find((service) => service.code === "legalisation-signature");
  assert.ok(node, "legalisation-signature is listed");
  return node;
}

test("services in Arabic, then French, then Arabic again: Arabic, French, Arabic", async () => {
  const first = await client.query({ query: SERVICES, variables: { locale: "ar" } });
  assert.equal(legalisation(first.data).name, "تصحيح الإمضاء");
  assert.equal(legalisation(first.data).states[0].label, "مودع");

  const second = await client.query({ query: SERVICES, variables: { locale: "fr" } });
  assert.equal(legalisation(second.data).name, "Légalisation de signature");
  assert.equal(legalisation(second.data).states[0].label, "Déposée");

  const third = await client.query({ query: SERVICES, variables: { locale: "ar" } });
  assert.equal(legalisation(third.data).name, "تصحيح الإمضاء");
  assert.equal(legalisation(third.data).states[0].label, "مودع");
  // The third answer came from the cache (cache-first): it is the cache that keeps the languages apart.
  assert.deepEqual(sent.filter((name) => name === "Services"), ["Services", "Services"]);

  // One service, two cache entries: its id names the locale of its text.
  const ids = [legalisation(first.data).id, legalisation(second.data).id];
  assert.match(ids[0], /@ar$/);
  assert.match(ids[1], /@fr$/);
  assert.equal(ids[0].replace(/@ar$/, ""), ids[1].replace(/@fr$/, ""));
});

test("a commune in French, then Arabic, then French again", async () => {
  const COMMUNE = gql`
    query Commune($locale: String) { commune(slug: "oujda", locale: $locale) { id slug name } }
  `;
  const names = [];
  for (const locale of ["fr", "ar", "fr"]) {
    const { data } = await client.query({ query: COMMUNE, variables: { locale } });
    names.push(data.commune.name);
  }
  assert.deepEqual(names, ["Oujda", "وجدة", "Oujda"]);
});

test("a request followed in French, then Arabic, then French again; its id is taken back with either locale", async () => {
  const SUBMIT = gql`
    mutation Submit($input: SubmitRequestInput!) {
      submitRequest(commune: "oujda", input: $input, locale: "fr") { secret request { id trackingCode stateLabel } }
    }
  `;
  const submitted = await client.mutate({
    mutation: SUBMIT,
    variables: {
      input: {
        serviceCode: "legalisation-signature",
        data: { signatory_name: "Fatima Zahra El Idrissi", cin: "ab 123456", phone: "06 12 34 56 78",
          document_title: "Contrat de bail", copies: 2 },
        documents: [{ code: "document_to_sign", fileName: "bail.pdf", mediaType: "application/pdf", sizeBytes: 120000 }],
      },
    },
  });
  const { secret, request } = submitted.data.submitRequest;
  assert.equal(request.stateLabel, "Déposée");

  const TRACK = gql`
    query Track($code: String!, $secret: String!, $locale: String) {
      trackRequest(trackingCode: $code, secret: $secret, locale: $locale) { id stateLabel serviceName }
    }
  `;
  const seen = [];
  for (const locale of ["fr", "ar", "fr"]) {
    const { data } = await client.query({ query: TRACK, variables: { code: request.trackingCode, secret, locale } });
    seen.push([data.trackRequest.stateLabel, data.trackRequest.serviceName]);
  }
  assert.deepEqual(seen, [
    ["Déposée", "Légalisation de signature"],
    ["مودع", "تصحيح الإمضاء"],
    ["Déposée", "Légalisation de signature"],
  ]);

  // The staff read the request by the id the citizen's answer carried, with its locale or without it.
  const staff = new ApolloClient({
    link: new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${server.tokens.oujda}` } }),
    cache: new InMemoryCache(),
  });
  const READ = gql`
    query Read($id: ID!) { request(commune: "oujda", id: $id, locale: "ar") { id trackingCode stateLabel } }
  `;
  for (const id of [request.id, request.id.replace(/@fr$/, "")]) {
    const { data } = await staff.query({ query: READ, variables: { id }, fetchPolicy: "network-only" });
    assert.equal(data.request.trackingCode, request.trackingCode);
    assert.equal(data.request.stateLabel, "مودع");
    assert.equal(data.request.id, request.id.replace(/@fr$/, "@ar"));
  }
});
