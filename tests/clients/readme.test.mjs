// Every GraphQL example of README.md, run as written against a fresh `jamaa serve --demo`, in the README's
// order, each without errors. An example is one operation of a ```graphql block (a block of several names each);
// `<id>` stands for the `id` an earlier answer gave, as the README says, and is the only thing filled in. The
// caller is the one the README names for it: Oujda's staff token, the counter agent's session (claiming is a
// person's act), the operator, Chefchaouen's civil registrar, or no one. Two steps the README's prose puts
// before its examples are taken first: a petition is filed (the petitions example lists it), and Oujda's
// sample complaint is answered (a complaint is rated after its answer).
//
// Needs the jamaa binary (cargo build --bin jamaa; $JAMAA_BIN or target/debug/jamaa).

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { Kind, parse } from "graphql";

import { repository, startServer } from "../../sdk-wasm/tests/support/server.mjs";

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

async function graphql(token, query, variables = {}, operationName = undefined) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return response.json();
}

async function data(token, query, variables = {}) {
  const body = await graphql(token, query, variables);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** The ```graphql blocks of README.md, with the line each starts at. */
async function examples() {
  const readme = await readFile(join(repository, "README.md"), "utf8");
  const blocks = [];
  const lines = readme.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim() !== "```graphql") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") end += 1;
    blocks.push({ line: start + 1, text: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

/** Where `<id>` comes from, for the operations that take one: an earlier operation's answer. */
const IDS = {
  Claim: (answers) => answers.Submit.submitRequest.request.id,
  Certify: (answers) => answers.Submit.submitRequest.request.id,
  Decision: (answers) => answers.Submit.submitRequest.request.id,
  Mention: (answers) => answers.Register.registerCivilAct.id,
  Extract: (answers) => answers.Register.registerCivilAct.id,
  Act: (answers) => answers.Register.registerCivilAct.id,
  Sign: (answers) => answers.Petitions.petitions.nodes[0].id,
};

test("every GraphQL example of the README runs as written, without errors", async () => {
  const counter = (await data(null, `mutation { login(login: "oujda.counter_agent", password: "jamaa-demo-2026") { token } }`))
    .login.token;
  const callers = {
    National: server.tokens.operator,
    Submitted: server.tokens.oujda,
    Unassigned: server.tokens.oujda,
    Counts: server.tokens.oujda,
    Claim: counter,
    Certify: counter,
    Decision: server.tokens.oujda,
    Register: server.tokens["chefchaouen/civil_registrar"],
    Mention: server.tokens["chefchaouen/civil_registrar"],
    Extract: server.tokens["chefchaouen/civil_registrar"],
    Act: server.tokens["chefchaouen/civil_registrar"],
  };
  assert.ok(callers.Register, "the demo printed the civil registrar's token");

  // A petition filed by citizens, as the petitions example expects one.
  await data(null, `mutation($input: SubmitRequestInput!) { submitRequest(commune: "oujda", input: $input) { secret } }`, {
    input: {
      serviceCode: "petition",
      data: { petitioner_type: "citizens", representative_name: "Samira Bennani", cin: "AB654321", phone: "0612345678",
        subject: "Éclairage du quartier", petition_text: "Nous demandons l'inscription de l'éclairage public à l'ordre du jour.", signatures_count: 120 },
      documents: [],
    },
  });
  // Oujda's sample complaint (OUJ-…-000002), answered by its staff: then its applicant may rate it.
  const complaints = await data(server.tokens.oujda,
    `{ requests(commune: "oujda", first: 100) { nodes { id trackingCode version serviceCode } } }`);
  const complaint = complaints.requests.nodes.find((node) => node.trackingCode.endsWith("-000002"));
  assert.equal(complaint.serviceCode, "reclamation");
  const act = `mutation($id: ID!, $a: String!, $v: Int!, $c: String) {
    actOnRequest(commune: "oujda", id: $id, action: $a, expectedVersion: $v, comment: $c) { version } }`;
  const acknowledged = await data(server.tokens.oujda, act, { id: complaint.id, a: "acknowledge", v: complaint.version });
  await data(server.tokens.oujda, act, { id: complaint.id, a: "answer", v: acknowledged.actOnRequest.version,
    c: "Les lampadaires ont été réparés." });

  const answers = {};
  const run = [];
  for (const block of await examples()) {
    const operations = parse(block.text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    for (const operation of operations) {
      const name = operation.name?.value;
      assert.ok(name || operations.length === 1, `README line ${block.line}: an unnamed operation among several`);
      let text = block.text;
      if (text.includes('"<id>"') && name && IDS[name] && operation.loc.source.body.slice(operation.loc.start, operation.loc.end).includes("<id>")) {
        text = text.replaceAll('"<id>"', JSON.stringify(IDS[name](answers)));
      }
      const body = await graphql(callers[name] ?? null, text, {}, name);
      assert.equal(body.errors, undefined, `README line ${block.line}, ${name ?? "the operation"}: ${JSON.stringify(body.errors)}`);
      if (name) answers[name] = body.data;
      run.push(name);
    }
  }
  // Every example was run, the README's whole walk through.
  assert.ok(run.length >= 19, `${run.length} examples`);
  assert.equal(answers.Track.trackRequest.stateLabel.length > 0, true);
  assert.equal(answers.Certify.actOnRequest.outcome, "APPROVED");
  assert.equal(answers.Rate.rateComplaint.rating, 4);
  assert.equal(answers.Sign.signPetition.signatures, 1);
});
