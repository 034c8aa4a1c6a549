// @ts-check
// What the commune owes its citizens: petitions (signatures, admissibility, inscription on the agenda) and the
// proactive-publication list of law 31.13.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { dateTime, language, number, t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Loading, useLoad } from "../ui.js";

export function Petitions({ commune }) {
  const petitions = useLoad(() => call((c) => c.petitions(commune)), [commune, language()]);
  return html`<section>
    <h1>${t("petitions.title")}</h1>
    <${ErrorBox} error=${petitions.error} />
    ${petitions.data
      ? html`<table class="list">
          <caption>${t("petitions.count", { count: petitions.data.length })}</caption>
          <thead><tr><th scope="col">${t("petitions.subject")}</th><th scope="col">${t("petitions.by")}</th><th scope="col">${t("petitions.signatures")}</th><th scope="col">${t("inbox.state")}</th><th scope="col">${t("inbox.submitted")}</th></tr></thead>
          <tbody>${petitions.data.map((p) => html`<tr>
            <td>${p.subject}</td>
            <td>${p.associationName ?? (p.petitionerType ? t(`petitions.${p.petitionerType}`) : "")}</td>
            <td>${number(p.signatures)}${p.signatureThreshold ? ` / ${number(p.signatureThreshold)}` : ""}</td>
            <td>${p.stateLabel}</td><td>${dateTime(p.submittedAt)}</td>
          </tr>`)}</tbody>
        </table>
        <p class="hint">${t("petitions.help")}</p>`
      : html`<${Loading} />`}
  </section>`;
}

export function Publications({ commune }) {
  const list = useLoad(() => call((c) => c.publications(commune)), [commune, language()]);
  const [locations, setLocations] = useState(/** @type {Record<string, string>} */ ({}));
  const [error, setError] = useState(null);
  const mark = async (/** @type {string} */ key) => {
    setError(null);
    try {
      await call((c) => c.markPublished(commune, key, locations[key] ?? ""));
      list.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<section>
    <h1>${t("publications.title")}</h1>
    <${ErrorBox} error=${error || list.error} />
    ${list.data
      ? html`<ul class="cards">${list.data.map((p) => html`<li>
          <strong>${p.label}</strong>
          <span>${p.published ? t("publications.publishedAt", { location: p.location ?? "", date: dateTime(p.publishedAt) }) : t("publications.notYet")}</span>
          <div class="field inline">
            <label for=${`loc-${p.key}`}>${t("publications.location")}</label>
            <input id=${`loc-${p.key}`} dir="ltr" value=${locations[p.key] ?? ""} onInput=${(/** @type {any} */ e) => setLocations({ ...locations, [p.key]: e.currentTarget.value })} />
            <button type="button" onClick=${() => mark(p.key)}>${t("publications.mark")}</button>
          </div>
        </li>`)}</ul>`
      : html`<${Loading} />`}
  </section>`;
}
