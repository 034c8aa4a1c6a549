// @ts-check
// The signed-in user: the SDK's client with the session's token (kept in sessionStorage, so it ends with the
// tab), `me` and its memberships, the chosen commune, and what the user may do there. Every call goes through
// `call()`, which turns an expired session into a request to sign in again, without leaving the screen.

import { createClient } from "jamaa-sdk";
import { useEffect, useState } from "preact/hooks";

import { language } from "./i18n.js";

const TOKEN_KEY = "jamaa:office:token";
const DRAFT_PREFIX = "jamaa:office:draft:";

export const client = createClient({ token: globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null });

/**
 * @typedef {object} SessionState
 * @property {import("jamaa-sdk").Me | null} me
 * @property {boolean} expired the session ended while working: sign in again, the screen stays
 * @property {import("jamaa-sdk").ServerFeatures | null} features
 */

/** @type {SessionState} */
let state = { me: null, expired: false, features: null };
/** @type {Set<() => void>} */
const listeners = new Set();

function update(/** @type {Partial<SessionState>} */ change) {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

/** The session's state, re-rendering the component when it changes. */
export function useSession() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return state;
}

export function session() {
  return state;
}

/** Reads `me` with the stored token; false when there is none or it expired. */
export async function resume() {
  if (!client.token) return false;
  try {
    const [me, features] = await Promise.all([client.me(), client.features()]);
    update({ me, features, expired: false });
    return true;
  } catch {
    forget();
    return false;
  }
}

export async function signIn(/** @type {string} */ login, /** @type {string} */ password) {
  const { token } = await client.login(login, password);
  globalThis.sessionStorage?.setItem(TOKEN_KEY, token);
  const [me, features] = await Promise.all([client.me(), client.features()]);
  update({ me, features, expired: false });
  return me;
}

export async function signOut() {
  try {
    await client.logout();
  } finally {
    forget();
    clearDrafts();
    update({ me: null, expired: false });
  }
}

function forget() {
  client.setToken(null);
  globalThis.sessionStorage?.removeItem(TOKEN_KEY);
}

/**
 * Runs an SDK call with the page's language; an expired session (UNAUTHENTICATED) asks to sign in again and
 * rethrows, the screen and its form staying as they are.
 * @template T
 * @param {(c: typeof client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function call(fn) {
  client.locale = /** @type {import("jamaa-sdk").Locale} */ (language());
  try {
    return await fn(client);
  } catch (error) {
    if (error?.code === "UNAUTHENTICATED" && state.me) {
      forget();
      update({ expired: true });
    }
    throw error;
  }
}

/** The membership of the signed-in user in `commune`, if any. */
export function membership(/** @type {string} */ commune) {
  return state.me?.memberships.find((m) => m.commune === commune) ?? null;
}

/**
 * Whether the user may do `permission` in `commune`: from the permissions the API gives for the membership;
 * operators hold the platform's rights. When the server does not list permissions, every screen of a
 * membership is offered and the API refuses what is not allowed.
 * @param {string} commune
 * @param {import("jamaa-sdk").Permission | import("jamaa-sdk").Permission[]} permission any of them
 */
export function may(commune, permission) {
  if (Array.isArray(permission)) return permission.some((p) => may(commune, p));
  if (state.me?.operator && ["publish_service", "verify_audit", "read_indicators", "manage_access"].includes(permission)) {
    return true;
  }
  const found = membership(commune);
  if (!found) return false;
  return found.permissions === null ? true : found.permissions.includes(permission);
}

/**
 * A form's state kept in sessionStorage under `key` while it is being filled, so that neither a reload nor an
 * expired session loses it; `clear()` once it is sent.
 * @template T
 * @param {string} key
 * @param {T} initial
 * @returns {[T, (value: T) => void, () => void]}
 */
export function useDraft(key, initial) {
  const storageKey = DRAFT_PREFIX + key;
  const [value, setValue] = useState(() => {
    const saved = globalThis.sessionStorage?.getItem(storageKey);
    if (!saved) return initial;
    try {
      return { ...initial, ...JSON.parse(saved) };
    } catch {
      return initial;
    }
  });
  const set = (/** @type {T} */ next) => {
    setValue(next);
    globalThis.sessionStorage?.setItem(storageKey, JSON.stringify(next));
  };
  const clear = () => {
    globalThis.sessionStorage?.removeItem(storageKey);
    setValue(initial);
  };
  return [value, set, clear];
}

function clearDrafts() {
  const storage = globalThis.sessionStorage;
  if (!storage) return;
  for (const key of Object.keys(storage)) if (key.startsWith(DRAFT_PREFIX)) storage.removeItem(key);
}
