// @ts-check
// Finance: importing a year's budget from CSV, every bad cell shown at its line and column; the execution per
// year.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Loading, Notice, useLoad } from "../ui.js";

export function Finance({ commune }) {
  const execution = useLoad(() => call((c) => c.budgetExecution(commune)), [commune]);
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [csv, setCsv] = useState("");
  const [error, setError] = useState(/** @type {any} */ (null));
  const [notice, setNotice] = useState("");
  const rows = csv ? csv.split(/\r?\n/).filter((l) => l.trim()).map((l) => l.split(",")) : [];
  const bad = new Map((error?.fields ?? []).map((f) => [f.path, f.message]));
  const header = rows[0] ?? [];
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    setError(null);
    try {
      const done = await call((c) => c.importBudget(commune, Number(year), csv));
      setNotice(t("finance.imported", { count: done.lines, replaced: done.replaced }));
      execution.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<section>
    <h1>${t("finance.title")}</h1>
    <${Notice} text=${notice} />
    <form onSubmit=${submit}>
      <div class="field"><label for="year">${t("finance.year")}</label>
        <input id="year" type="number" required value=${year} onInput=${(/** @type {any} */ e) => setYear(e.currentTarget.value)} /></div>
      <div class="field"><label for="csv-file">${t("finance.file")}</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange=${async (/** @type {any} */ e) => setCsv(await e.currentTarget.files[0]?.text() ?? "")} /></div>
      <button type="submit" disabled=${!csv}>${t("finance.import")}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${rows.length > 1
      ? html`<table class="list csv">
          <caption>${t("finance.preview")}</caption>
          <thead><tr><th scope="col">#</th>${header.map((h) => html`<th scope="col" dir="ltr">${h}</th>`)}</tr></thead>
          <tbody>${rows.slice(1).map((row, i) => html`<tr>
            <th scope="row">${i + 2}</th>
            ${row.map((cell, j) => {
              const message = bad.get(`lines[${i + 2}].${header[j]}`);
              return html`<td class=${message ? "bad" : ""} title=${message ?? ""}>${cell}${message ? html`<span class="cell-error">${message}</span>` : null}</td>`;
            })}
          </tr>`)}</tbody>
        </table>`
      : null}
    <h2>${t("finance.execution")}</h2>
    ${execution.data
      ? html`<table class="list">
          <caption>${t("finance.years")} (${execution.data.currency})</caption>
          <thead><tr><th scope="col">${t("finance.year")}</th><th scope="col">${t("finance.appropriated")}</th><th scope="col">${t("finance.paid")}</th><th scope="col">${t("finance.planned")}</th><th scope="col">${t("finance.collected")}</th></tr></thead>
          <tbody>${execution.data.years.map((y) => html`<tr><td>${y.year}</td><td dir="ltr">${y.appropriated}</td><td dir="ltr">${y.paid}</td><td dir="ltr">${y.planned}</td><td dir="ltr">${y.collected}</td></tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}
  </section>`;
}
