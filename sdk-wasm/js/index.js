// jamaa-sdk for browsers (and any ES module runtime with fetch): the offline rules of Jamaa, compiled from Rust
// to WebAssembly, and a client of the public API. Call `init()` once before the rules; the client waits for it
// by itself.

import initWasm, * as wasm from "./web/jamaa_sdk.js";
import { clientFactory, memoryStorage } from "./client.js";
import { JamaaError, wrapRules } from "./errors.js";

let loading = null;
let loaded = false;

/**
 * Loads the WebAssembly module (once): from `jamaa_sdk_bg.wasm` next to this file, or from `source` (a URL,
 * a Response, bytes or a compiled WebAssembly.Module).
 */
export function init(source) {
  loading ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then(() => {
    loaded = true;
  });
  return loading;
}

function assertLoaded() {
  if (!loaded) throw new JamaaError("the Jamaa SDK is not loaded yet: await init() first", "INTERNAL");
}

const rules = wrapRules(wasm, assertLoaded);

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
export const createClient = clientFactory(rules, () => init());
export { JamaaError, memoryStorage };
