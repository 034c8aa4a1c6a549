// JamaaError: every failure of the SDK, with the API's code (`extensions.code`) and, for VALIDATION_FAILED, the
// fields at fault as the API's `extensions.fields` lists them.

export class JamaaError extends Error {
  /**
   * @param {string} message
   * @param {string} code UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT,
   *   IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_DONE (the first call with the key was done, its answer lost),
   *   RATE_LIMITED, UNAVAILABLE (the API's database cannot be reached: try again),
   *   INTERNAL, or NETWORK_ERROR when the API could not be reached.
   * @param {{path: string, code: string, message: string}[]} [fields]
   * @param {unknown} [cause]
   */
  constructor(message, code, fields = [], cause = undefined) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "JamaaError";
    this.code = code;
    this.fields = fields;
  }

  /** The API's one-line summary of validation failures, for the same fields. */
  static validation(fields) {
    const [only] = fields;
    const message =
      fields.length === 1
        ? `validation failed: ${only.path} (${only.code})`
        : `validation failed on ${fields.length} fields`;
    return new JamaaError(message, "VALIDATION_FAILED", fields);
  }

  /** The same failure as a JamaaError, whether thrown by the WebAssembly rules or by anything else. */
  static from(error) {
    if (error instanceof JamaaError) return error;
    if (error && typeof error === "object" && typeof error.code === "string") {
      return new JamaaError(error.message, error.code, Array.isArray(error.fields) ? error.fields : [], error);
    }
    return new JamaaError(String(error?.message ?? error), "INTERNAL", [], error);
  }
}

/** Wraps the functions of the WebAssembly module so that they throw JamaaErrors. */
export function wrapRules(wasm, ready) {
  const wrap =
    (fn) =>
    (...args) => {
      ready();
      try {
        return fn(...args);
      } catch (error) {
        throw JamaaError.from(error);
      }
    };
  return {
    validateForm: wrap(wasm.validateForm),
    fieldStates: wrap(wasm.fieldStates),
    validateSubmission: wrap(wasm.validateSubmission),
    dueDate: wrap(wasm.dueDate),
    availableActions: wrap(wasm.availableActions),
    localize: wrap(wasm.localize),
    textDirection: wrap(wasm.textDirection),
    parseTrackingCode: wrap(wasm.parseTrackingCode),
    normalizeNationalId: wrap(wasm.normalizeNationalId),
    normalizePhone: wrap(wasm.normalizePhone),
    verifyAuditProof: wrap(wasm.verifyAuditProof),
  };
}
