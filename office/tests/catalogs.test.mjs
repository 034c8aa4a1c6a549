// The back office's message catalogs and vendored libraries, without a browser: every language has exactly the
// same messages, every message the code asks for exists, each language is written in its script, plural messages
// have the forms their language needs, and app/vendor/ holds exactly the pinned packages' files.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import ar from "../app/i18n/ar.js";
import en from "../app/i18n/en.js";
import fr from "../app/i18n/fr.js";
import tzm from "../app/i18n/tzm.js";
import { vendoredFiles } from "../scripts/vendor.mjs";

const office = fileURLToPath(new URL("..", import.meta.url));
const catalogs = { ar, fr, tzm, en };

function sources(dir = join(office, "app", "src")) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".js") ? [readFileSync(join(dir, entry.name), "utf8")] : [],
  );
}

test("every language has the same messages", () => {
  const keys = Object.keys(fr).sort();
  for (const [lang, catalog] of Object.entries(catalogs)) assert.deepEqual(Object.keys(catalog).sort(), keys, lang);
});

test("every message the screens ask for by name exists", () => {
  const used = new Set(sources().flatMap((text) => [...text.matchAll(/\bt\("([a-zA-Z0-9_.]+)"/g)].map((m) => m[1])));
  const menu = sources().flatMap((text) => [...text.matchAll(/label: "([a-z]+\.[a-zA-Z]+)"/g)].map((m) => m[1]));
  for (const key of [...used, ...menu]) assert.ok(key in fr, `missing message ${key}`);
});

test("each language is written in its script, with the plural forms it needs", () => {
  const texts = (catalog) => Object.values(catalog).flatMap((v) => (typeof v === "string" ? [v] : Object.values(v)));
  const share = (catalog, script) => texts(catalog).filter((text) => script.test(text)).length / texts(catalog).length;
  assert.ok(share(ar, /\p{Script=Arabic}/u) > 0.95, "Arabic in Arabic script");
  assert.ok(share(tzm, /\p{Script=Tifinagh}/u) > 0.9, "Tamazight in Tifinagh");
  assert.ok(share(fr, /\p{Script=Arabic}|\p{Script=Tifinagh}/u) === 0, "French in Latin script");
  for (const [lang, catalog] of Object.entries(catalogs)) {
    const needed = new Intl.PluralRules(lang === "tzm" ? "en" : lang).resolvedOptions().pluralCategories;
    for (const [key, value] of Object.entries(catalog)) {
      if (typeof value === "string") continue;
      for (const category of needed) assert.ok(category in value || "other" in value, `${lang} ${key} ${category}`);
      assert.ok("other" in value, `${lang} ${key} has its other form`);
    }
  }
  // Arabic has all six plural categories; each plural message of the Arabic catalog gives them.
  for (const [key, value] of Object.entries(ar)) {
    if (typeof value !== "string") assert.deepEqual(Object.keys(value).sort(), ["few", "many", "one", "other", "two", "zero"], key);
  }
});

test("app/vendor holds the pinned packages' files, unchanged", () => {
  for (const [from, to] of vendoredFiles()) {
    assert.equal(
      readFileSync(join(office, "app", "vendor", to), "utf8"),
      readFileSync(join(office, "node_modules", from), "utf8"),
      `${to} differs from ${from}: run npm run vendor`,
    );
  }
  const pinned = JSON.parse(readFileSync(join(office, "package.json"), "utf8")).devDependencies;
  for (const version of Object.values(pinned)) assert.match(version, /^\d+\.\d+\.\d+$/, "exact versions only");
});
