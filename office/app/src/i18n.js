// @ts-check
// The office's languages: one message catalog per language (i18n/*.js), plurals by Intl.PluralRules, numbers and
// dates by Intl in the page's language, dates and times in the commune's time zone.

import ar from "../i18n/ar.js";
import en from "../i18n/en.js";
import fr from "../i18n/fr.js";
import tzm from "../i18n/tzm.js";

/** @typedef {"ar" | "fr" | "tzm" | "en"} Language */

/** @type {Record<Language, Record<string, string | Record<string, string>>>} */
export const CATALOGS = { ar, fr, tzm, en };
/** @type {Language[]} */
export const LANGUAGES = ["ar", "fr", "tzm", "en"];
/** Each language's own name, shown in the language menu. */
export const LANGUAGE_NAMES = { ar: "العربية", fr: "Français", tzm: "ⵜⴰⵎⴰⵣⵉⵖⵜ", en: "English" };
const STORAGE_KEY = "jamaa:office:lang";

/** @type {Language} */
let current = initialLanguage();
let timeZone = "Africa/Casablanca";

function initialLanguage() {
  const asked = new URLSearchParams(globalThis.location?.search ?? "").get("lang");
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  const browser = (globalThis.navigator?.language ?? "").slice(0, 2);
  for (const candidate of [asked, stored, browser]) {
    if (LANGUAGES.includes(/** @type {Language} */ (candidate))) return /** @type {Language} */ (candidate);
  }
  return "ar";
}

/** The page's language. */
export function language() {
  return current;
}

/** Switches the language, remembers it, and sets the page's `lang` and `dir`. */
export function setLanguage(/** @type {Language} */ lang) {
  current = lang;
  globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  applyToDocument();
}

export function applyToDocument() {
  document.documentElement.lang = current;
  document.documentElement.dir = direction();
}

/** `rtl` for Arabic; Tamazight in Tifinagh, French and English are left to right. */
export function direction() {
  return current === "ar" ? "rtl" : "ltr";
}

/** The time zone dates and times are shown in: the commune's. */
export function setTimeZone(/** @type {string} */ zone) {
  timeZone = zone || "Africa/Casablanca";
}

/** The locale for Intl: Arabic of Morocco with Latin digits, Tamazight of Morocco. */
function intlLocale() {
  return { ar: "ar-MA-u-nu-latn", fr: "fr-MA", tzm: "zgh-MA", en: "en-GB" }[current];
}

/**
 * The message `key` in the page's language, `{name}` replaced by `params.name`. A message with plural forms
 * (`{one: …, other: …}`) is chosen by `params.count`.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 */
export function t(key, params = {}) {
  const entry = CATALOGS[current][key] ?? CATALOGS.fr[key] ?? key;
  let text;
  if (typeof entry === "string") {
    text = entry;
  } else {
    const category = new Intl.PluralRules(intlLocale()).select(Number(params.count ?? 0));
    text = entry[category] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    name in params ? (typeof params[name] === "number" ? number(/** @type {number} */ (params[name])) : String(params[name])) : `{${name}}`,
  );
}

/** A number in the page's language. */
export function number(/** @type {number} */ value, /** @type {Intl.NumberFormatOptions} */ options = {}) {
  return new Intl.NumberFormat(intlLocale(), options).format(value);
}

/** An amount of the API (`1250.50`, in the commune's currency) as the page's language writes it. */
export function money(/** @type {string | null | undefined} */ value) {
  return value === null || value === undefined ? "" : number(Number(value), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Items joined as the language does ("a, b and c"; "أ و ب و ج"). */
export function list(/** @type {string[]} */ items) {
  return new Intl.ListFormat(intlLocale(), { type: "conjunction" }).format(items);
}

/** A share between 0 and 1 as a percentage. */
export function percent(/** @type {number | null} */ share) {
  return share === null || share === undefined ? "—" : number(share, { style: "percent", maximumFractionDigits: 1 });
}

/** A calendar date (`YYYY-MM-DD`): it is a local day already, shown as it is. */
export function date(/** @type {string | null} */ day) {
  if (!day) return "—";
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
}

/** An instant, in the commune's time zone. */
export function dateTime(/** @type {string | null} */ instant) {
  if (!instant) return "—";
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(instant),
  );
}

/** Today in the commune's time zone, `YYYY-MM-DD`. */
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );
}

/** A localized text of the API given in both languages: the Arabic one in Arabic, else the French one. */
export function arFr(/** @type {string} */ textAr, /** @type {string} */ textFr) {
  return current === "ar" ? textAr || textFr : textFr || textAr;
}
