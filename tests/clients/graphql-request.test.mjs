// graphql-request, unmodified and with its defaults (POST, JSON), against a live `jamaa serve --demo`: an
// anonymous query, a query as a commune's staff (bearer token), and an error read as the client exposes it
// (`ClientError.response.errors[].extensions.code`).
//
// Needs the jamaa binary (cargo build --bin jamaa; $JAMAA_BIN or target/debug/jamaa).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { ClientError, GraphQLClient, gql, request } from "graphql-request";

import { startServer } from "../../sdk-wasm/tests/support/server.mjs";

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

test("an anonymous query: a commune's services in Arabic", async () => {
  const data = await request(
    `${server.url}/graphql`,
    gql`query Services($commune: String!) {
      services(commune: $commune, locale: "ar", first: 50) { totalCount nodes { id code name } }
    }`,
    { commune: "oujda" },
  );
  const legalisation = data.services.nodes.find((service) => service.code === "legalisation-signature");
  assert.equal(legalisation.name, "تصحيح الإمضاء");
  assert.match(legalisation.id, /@ar$/);
  assert.equal(data.services.totalCount, data.services.nodes.length);
});

test("as Oujda's staff: its inbox; without the token, the same query is refused with UNAUTHENTICATED or FORBIDDEN", async () => {
  const INBOX = gql`query Inbox { requests(commune: "oujda", first: 20) { totalCount nodes { trackingCode state } } }`;
  const staff = new GraphQLClient(`${server.url}/graphql`, { headers: { authorization: `Bearer ${server.tokens.oujda}` } });
  const data = await staff.request(INBOX);
  assert.ok(data.requests.totalCount >= 3);
  assert.ok(data.requests.nodes.every((node) => node.trackingCode.startsWith("OUJ-")));

  const anonymous = new GraphQLClient(`${server.url}/graphql`);
  await assert.rejects(anonymous.request(INBOX), (error) => {
    assert.ok(error instanceof ClientError);
    assert.ok(["UNAUTHENTICATED", "FORBIDDEN"].includes(error.response.errors[0].extensions.code));
    return true;
  });
});

test("an invalid form: VALIDATION_FAILED with every field's path and code", async () => {
  const SUBMIT = gql`mutation Submit($input: SubmitRequestInput!) {
    submitRequest(commune: "oujda", input: $input) { secret }
  }`;
  const input = { serviceCode: "legalisation-signature", data: { cin: "not a cin" }, documents: [] };
  await assert.rejects(request(`${server.url}/graphql`, SUBMIT, { input }), (error) => {
    assert.ok(error instanceof ClientError);
    const [first] = error.response.errors;
    assert.equal(first.extensions.code, "VALIDATION_FAILED");
    const paths = first.extensions.fields.map((field) => field.path);
    assert.ok(paths.includes("input.data.cin"), paths.join(", "));
    assert.ok(paths.includes("input.data.signatory_name"), paths.join(", "));
    return true;
  });
});
