// jamaa-sdk for Node.js: the same exports as the browser build, over wasm-bindgen's Node.js glue, which loads
// the WebAssembly module when this file is imported. `init()` is there for code shared with browsers.

import { createRequire } from "node:module";
import { clientFactory, memoryStorage } from "./client.js";
import { JamaaError, wrapRules } from "./errors.js";

const wasm = createRequire(import.meta.url)("./node/jamaa_sdk.js");

/** Resolves at once: on Node.js the WebAssembly module is loaded on import. */
export function init() {
  return Promise.resolve();
}

const rules = wrapRules(wasm, () => {});

export const {
  validateForm,
  fieldStates,
  validateSubmission,
  dueDate,
  availableActions,
  localize,
  textDirection,
  parseTrackingCode,
  normalizeNationalId,
  normalizePhone,
  verifyAuditProof,
} = rules;
export const createClient = clientFactory(rules, init);
export { JamaaError, memoryStorage };
