// @ts-check
// Shared pieces of the screens: loading data, showing an error with its fields, form fields with their labels,
// and links within the office.

import { useCallback, useEffect, useState } from "preact/hooks";

import { html } from "./html.js";
import { t } from "./i18n.js";

/**
 * Loads data when `deps` change: `{data, error, loading, reload}`.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 */
export function useLoad(load, deps) {
  const [result, setResult] = useState(/** @type {{data: T | null, error: any, loading: boolean}} */ ({
    data: null,
    error: null,
    loading: true,
  }));
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult((r) => ({ ...r, loading: true }));
    load().then(
      (data) => live && setResult({ data, error: null, loading: false }),
      (error) => live && setResult({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...result, reload };
}

/** What went wrong, in the page's language, with each field at fault; announced to screen readers. */
export function ErrorBox({ error }) {
  if (!error) return null;
  const code = error.code ?? "INTERNAL";
  const known = `error.${code}`;
  const text = t(known) === known ? error.message : t(known);
  return html`<div class="error" role="alert">
    <p><strong>${text}</strong> <code>${code}</code></p>
    ${error.fields?.length
      ? html`<ul class="field-errors">
          ${error.fields.map((f) => html`<li><code>${f.path}</code> ${f.message}</li>`)}
        </ul>`
      : null}
  </div>`;
}

/** A status line announced politely (the result of an action). */
export function Notice({ text }) {
  return html`<p class="notice" role="status">${text ?? ""}</p>`;
}

export function Loading() {
  return html`<p class="loading" role="status">${t("common.loading")}</p>`;
}

/**
 * A labelled input bound to `value[name]`.
 * @param {{label: string, name: string, value: Record<string, any>, set: (v: any) => void, type?: string,
 *   required?: boolean, dir?: string, hint?: string, lang?: string, min?: string, step?: string}} props
 */
export function Field({ label, name, value, set, type = "text", required = false, dir, hint, lang, min, step }) {
  const id = `f-${name}`;
  const onInput = (/** @type {any} */ e) =>
    set({ ...value, [name]: type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });
  if (type === "checkbox") {
    return html`<div class="field check">
      <input id=${id} type="checkbox" checked=${Boolean(value[name])} onChange=${onInput} />
      <label for=${id}>${label}</label>
    </div>`;
  }
  const input =
    type === "textarea"
      ? html`<textarea id=${id} required=${required} dir=${dir} lang=${lang} value=${value[name] ?? ""} onInput=${onInput}
          aria-describedby=${hint ? `${id}-hint` : undefined}></textarea>`
      : html`<input id=${id} type=${type} required=${required} dir=${dir} lang=${lang} min=${min} step=${step}
          value=${value[name] ?? ""} onInput=${onInput} aria-describedby=${hint ? `${id}-hint` : undefined} />`;
  return html`<div class="field">
    <label for=${id}>${label}${required ? html` <span aria-hidden="true">*</span>` : null}</label>
    ${input}
    ${hint ? html`<small id=${`${id}-hint`}>${hint}</small>` : null}
  </div>`;
}

/**
 * A labelled select bound to `value[name]`.
 * @param {{label: string, name: string, value: Record<string, any>, set: (v: any) => void,
 *   options: [string, string][], required?: boolean}} props
 */
export function Select({ label, name, value, set, options, required = false }) {
  const id = `f-${name}`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} required=${required} value=${value[name] ?? ""}
      onChange=${(/** @type {any} */ e) => set({ ...value, [name]: e.currentTarget.value })}>
      ${options.map(([v, text]) => html`<option value=${v} selected=${(value[name] ?? "") === v}>${text}</option>`)}
    </select>
  </div>`;
}

/** The office path of a commune's screen. */
export function href(/** @type {string} */ commune, /** @type {string} */ path = "") {
  return `#/c/${encodeURIComponent(commune)}/${path}`;
}

/**
 * A form that runs `action` on submit, showing its error and keeping the fields when it fails.
 * @param {{onSubmit: () => Promise<void>, submitLabel: string, children: any, busyLabel?: string, id?: string}} props
 */
export function Form({ onSubmit, submitLabel, children, id }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<form id=${id} onSubmit=${submit} aria-busy=${busy}>
    ${children}
    <${ErrorBox} error=${error} />
    <button type="submit" disabled=${busy}>${submitLabel}</button>
  </form>`;
}
