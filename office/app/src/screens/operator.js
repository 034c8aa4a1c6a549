// @ts-check
// The operator's console: communes with their status and lineage (the template and version each follows, and
// whether a newer version is published), onboarding one from a template or another commune with overrides, or
// many from a CSV (the columns of `jamaa commune onboard --csv`) row by row with progress, a template diff side by side, an upgrade with a dry run and its conflicts resolved by choosing a
// side, and the national indicators per region (a map of Morocco's 12 regions, Mauritania's communes apart, and
// a table for screen readers).

import { parse } from "csv-parse/sync";
import { useState } from "preact/hooks";

import { html } from "../html.js";
import { language, number, percent, t } from "../i18n.js";
import { call, useDraft } from "../session.js";
import { ErrorBox, Field, Form, Loading, Notice, Select, useLoad } from "../ui.js";

export function Communes() {
  const communes = useLoad(() => call((c) => c.listCommunesAdmin()), [language()]);
  return html`<section>
    <h1>${t("nav.communes")}</h1>
    <${ErrorBox} error=${communes.error} />
    ${communes.data
      ? html`<table class="list" id="communes">
          <caption>${t("operator.communesCount", { count: communes.data.length })}</caption>
          <thead><tr><th scope="col">${t("operator.slug")}</th><th scope="col">${t("admin.name")}</th><th scope="col">${t("operator.country")}</th><th scope="col">${t("operator.region")}</th><th scope="col">${t("operator.population")}</th><th scope="col">${t("admin.status")}</th><th scope="col">${t("operator.lineage")}</th></tr></thead>
          <tbody>${communes.data.map((c) => html`<tr data-slug=${c.slug}>
            <td dir="ltr">${c.slug}</td><td>${c.name}</td><td>${c.country}</td><td>${c.region ?? "—"}</td>
            <td>${c.population === null ? "—" : number(c.population)}</td><td>${t(`operator.status.${c.status}`)}</td>
            <td class="lineage"><${Lineage} commune=${c} /></td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}
  </section>`;
}

/** The template and version a commune follows, and a link to upgrade it when a newer version is published. */
function Lineage({ commune }) {
  if (!commune.templateName) return html`<span>${t("operator.noLineage")}</span>`;
  const reference = `${commune.templateName}@${commune.templateVersion}`;
  if (!commune.upgradeAvailable) return html`<span dir="ltr">${reference}</span>`;
  const latest = `${commune.templateName}@${commune.latestTemplateVersion}`;
  const target = `#/operator/upgrade/${encodeURIComponent(commune.slug)}/${encodeURIComponent(latest)}`;
  return html`<span dir="ltr">${reference}</span>${" "}
    <a class="upgrade-available" href=${target}>${t("operator.upgradeAvailable", { version: `v${commune.latestTemplateVersion}` })}</a>`;
}

const EMPTY_ONBOARD = {
  source: "template", from: "", fromCommune: "", slug: "", nameAr: "", nameFr: "", nameEn: "", trackingPrefix: "",
  officialCode: "", region: "", province: "", population: "", country: "", timeZone: "", currency: "", defaultLocale: "",
  dropFees: false, dropLegalReferences: false,
};

export function Onboard() {
  const templates = useLoad(() => call((c) => c.templates()), []);
  const communes = useLoad(() => call((c) => c.listCommunesAdmin()), []);
  const [form, setForm, clear] = useDraft("onboard", EMPTY_ONBOARD);
  const [done, setDone] = useState("");
  const or = (/** @type {string} */ v) => v.trim() || null;
  return html`<section>
    <h1>${t("nav.onboard")}</h1>
    <${Notice} text=${done} />
    <${ErrorBox} error=${templates.error} />
    <${Form} id="onboard-form" submitLabel=${t("operator.onboardSubmit")} onSubmit=${async () => {
      const created = await call((c) => c.onboardCommune({
        from: form.source === "template" ? or(form.from) : null,
        fromCommune: form.source === "commune" ? or(form.fromCommune) : null,
        slug: form.slug.trim(), nameAr: or(form.nameAr), nameFr: or(form.nameFr), nameEn: or(form.nameEn),
        trackingPrefix: form.trackingPrefix.trim(), officialCode: or(form.officialCode), region: or(form.region),
        province: or(form.province), population: form.population ? Number(form.population) : null,
        country: or(form.country), timeZone: or(form.timeZone), currency: or(form.currency), defaultLocale: or(form.defaultLocale),
        dropFees: form.dropFees, dropLegalReferences: form.dropLegalReferences,
      }));
      clear();
      setDone(t("operator.onboarded", { name: created.name, slug: created.slug }));
    }}>
      <${Select} label=${t("operator.source")} name="source" value=${form} set=${setForm}
        options=${[["template", t("operator.fromTemplate")], ["commune", t("operator.fromCommune")]]} />
      ${form.source === "template"
        ? html`<${Select} label=${t("operator.template")} name="from" value=${form} set=${setForm}
            options=${[["", "—"], ...(templates.data ?? []).map((tp) => [tp.reference, tp.reference])]} />`
        : html`<${Select} label=${t("operator.commune")} name="fromCommune" value=${form} set=${setForm}
            options=${[["", "—"], ...(communes.data ?? []).map((c) => [c.slug, `${c.name} (${c.slug})`])]} />`}
      <fieldset><legend>${t("operator.identity")}</legend>
        <${Field} label=${t("operator.slug")} name="slug" value=${form} set=${setForm} required dir="ltr" />
        <${Field} label=${t("operator.nameAr")} name="nameAr" value=${form} set=${setForm} dir="rtl" lang="ar" />
        <${Field} label=${t("operator.nameFr")} name="nameFr" value=${form} set=${setForm} dir="ltr" lang="fr" />
        <${Field} label=${t("operator.nameEn")} name="nameEn" value=${form} set=${setForm} dir="ltr" lang="en" />
        <${Field} label=${t("operator.trackingPrefix")} name="trackingPrefix" value=${form} set=${setForm} required dir="ltr" />
        <${Field} label=${t("operator.officialCode")} name="officialCode" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("operator.region")} name="region" value=${form} set=${setForm} />
        <${Field} label=${t("operator.province")} name="province" value=${form} set=${setForm} />
        <${Field} label=${t("operator.population")} name="population" type="number" value=${form} set=${setForm} />
      </fieldset>
      <fieldset><legend>${t("operator.overrides")}</legend>
        <${Field} label=${t("operator.country")} name="country" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("operator.timeZone")} name="timeZone" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("operator.currency")} name="currency" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("operator.defaultLocale")} name="defaultLocale" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("operator.dropFees")} name="dropFees" type="checkbox" value=${form} set=${setForm} />
        <${Field} label=${t("operator.dropLegalReferences")} name="dropLegalReferences" type="checkbox" value=${form} set=${setForm} />
      </fieldset>
    </${Form}>
  </section>`;
}

/** The columns of `jamaa commune onboard --csv` (the national list's; other columns are ignored). */
const CSV_REQUIRED = ["code", "slug", "name_fr", "name_ar"];

/**
 * A row of the file, checked: what is sent, or why it cannot be.
 * @typedef {{line: number, code: string, slug: string, nameFr: string, nameAr: string, region: string | null,
 *   province: string | null, population: number | null, problem: string | null}} CsvRow
 */

/**
 * Reads the file's rows, each with its line and, when it cannot be sent, the reason.
 * @param {string} text
 * @returns {{rows: CsvRow[], problem: string | null}}
 */
function readCsv(text) {
  /** @type {any[]} */
  let records;
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    return { rows: [], problem: t("operator.csvUnreadable", { reason: String(error?.message ?? error) }) };
  }
  const header = records.length ? Object.keys(records[0].record) : [];
  const missing = CSV_REQUIRED.filter((c) => !header.includes(c));
  if (!records.length) return { rows: [], problem: t("operator.csvEmpty") };
  if (missing.length) return { rows: [], problem: t("operator.csvColumns", { columns: missing.join(", ") }) };
  const seen = new Map();
  const rows = records.map(({ record, info }) => {
    const cell = (/** @type {string} */ name) => (record[name] ?? "").trim();
    const population = cell("population_2024");
    /** @type {CsvRow} */
    const row = {
      line: info.lines, code: cell("code"), slug: cell("slug"), nameFr: cell("name_fr"), nameAr: cell("name_ar"),
      region: cell("region_code") || null, province: cell("province_code") || null,
      population: population === "" ? null : Number(population), problem: null,
    };
    const empty = CSV_REQUIRED.filter((c) => !cell(c));
    if (empty.length) row.problem = t("operator.csvEmptyCells", { columns: empty.join(", ") });
    else if (population !== "" && !/^\d+$/.test(population)) row.problem = t("operator.csvPopulation", { value: population });
    else if (seen.has(row.slug)) row.problem = t("operator.csvDuplicate", { slug: row.slug, line: seen.get(row.slug) });
    if (row.slug && !seen.has(row.slug)) seen.set(row.slug, row.line);
    return row;
  });
  return { rows, problem: null };
}

/**
 * Onboards many communes from a CSV file: the rows are shown checked first (nothing is sent while one is bad),
 * then each is onboarded in its own transaction, with progress; a commune that exists is said so and left alone,
 * so that the same file can be run again.
 */
export function OnboardCsv() {
  const templates = useLoad(() => call((c) => c.templates()), []);
  const [source, setSource] = useState({ from: "" });
  const [file, setFile] = useState(/** @type {{name: string, rows: CsvRow[], problem: string | null} | null} */ (null));
  const [outcomes, setOutcomes] = useState(/** @type {Record<number, {kind: "onboarded" | "exists" | "failed", text: string}>} */ ({}));
  const [done, setDone] = useState(0);
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState(null);
  const rows = file?.rows ?? [];
  const bad = rows.filter((r) => r.problem).length;
  const pick = async (/** @type {any} */ event) => {
    const chosen = event.currentTarget.files?.[0];
    setOutcomes({});
    setDone(0);
    setFinished(false);
    if (!chosen) return setFile(null);
    setFile({ name: chosen.name, ...readCsv(await chosen.text()) });
  };
  const run = async () => {
    setRunning(true);
    setError(null);
    setOutcomes({});
    setDone(0);
    setFinished(false);
    try {
      const existing = await call((c) => c.listCommunesAdmin());
      const slugs = new Set(existing.map((c) => c.slug));
      const codes = new Set(existing.map((c) => c.officialCode).filter(Boolean));
      /** @type {Record<number, {kind: "onboarded" | "exists" | "failed", text: string}>} */
      const results = {};
      for (const [index, row] of rows.entries()) {
        if (slugs.has(row.slug) || codes.has(row.code)) {
          results[row.line] = { kind: "exists", text: t("operator.csvExists") };
        } else {
          try {
            const created = await call((c) => c.onboardCommune({
              from: source.from, slug: row.slug, nameAr: row.nameAr, nameFr: row.nameFr, officialCode: row.code,
              region: row.region, province: row.province, population: row.population,
            }));
            results[row.line] = { kind: "onboarded", text: t("operator.csvOnboarded", { prefix: created.trackingPrefix }) };
            slugs.add(row.slug);
          } catch (caught) {
            if (caught?.code === "UNAUTHENTICATED") throw caught;
            results[row.line] = caught?.code === "CONFLICT"
              ? { kind: "exists", text: t("operator.csvExists") }
              : { kind: "failed", text: [caught?.message, ...(caught?.fields ?? []).map((f) => `${f.path}: ${f.message}`)].filter(Boolean).join(" — ") };
          }
        }
        setOutcomes({ ...results });
        setDone(index + 1);
      }
      setFinished(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };
  const count = (/** @type {string} */ kind) => Object.values(outcomes).filter((o) => o.kind === kind).length;
  return html`<section>
    <h1>${t("nav.onboardCsv")}</h1>
    <p class="hint">${t("operator.csvFormat")}</p>
    <${ErrorBox} error=${templates.error ?? error} />
    <form class="filters" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); run(); }}>
      <${Select} label=${t("operator.template")} name="from" value=${source} set=${setSource} required
        options=${[["", "—"], ...(templates.data ?? []).map((tp) => [tp.reference, tp.reference])]} />
      <div class="field">
        <label for="csv-file">${t("operator.csvFile")}</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange=${pick} disabled=${running} />
      </div>
      <button type="submit" disabled=${running || !source.from || !rows.length || bad > 0}>${t("operator.csvSubmit", { count: rows.length })}</button>
    </form>
    ${file?.problem ? html`<p class="error" role="alert">${file.problem}</p>` : null}
    ${rows.length
      ? html`<p role="status" id="csv-check">${bad ? t("operator.csvBad", { count: bad }) : t("operator.csvReady", { count: rows.length })}</p>`
      : null}
    ${running || finished
      ? html`<div class="progress">
          <label for="csv-progress">${t("operator.csvProgressLabel")}</label>
          <progress id="csv-progress" max=${rows.length} value=${done} aria-valuetext=${t("operator.csvProgress", { done, total: rows.length })}>${t("operator.csvProgress", { done, total: rows.length })}</progress>
          <span aria-hidden="true">${t("operator.csvProgress", { done, total: rows.length })}</span>
        </div>`
      : null}
    ${finished
      ? html`<p role="status" id="csv-summary">${t("operator.csvSummary", { onboarded: count("onboarded"), exists: count("exists"), failed: count("failed") })}</p>`
      : null}
    ${rows.length
      ? html`<table class="list" id="csv-rows">
          <caption>${t("operator.csvRows", { count: rows.length })}</caption>
          <thead><tr><th scope="col">${t("operator.line")}</th><th scope="col">${t("operator.slug")}</th><th scope="col">${t("operator.nameFr")}</th><th scope="col">${t("operator.nameAr")}</th><th scope="col">${t("operator.officialCode")}</th><th scope="col">${t("operator.region")}</th><th scope="col">${t("operator.population")}</th><th scope="col">${t("operator.csvOutcome")}</th></tr></thead>
          <tbody>${rows.map((r) => html`<tr data-line=${r.line} class=${r.problem ? "bad" : (outcomes[r.line]?.kind ?? "")}>
            <th scope="row">${number(r.line)}</th><td dir="ltr">${r.slug}</td><td lang="fr" dir="ltr">${r.nameFr}</td><td lang="ar" dir="rtl">${r.nameAr}</td>
            <td dir="ltr">${r.code}</td><td>${r.region ?? "—"}</td><td>${r.population === null || Number.isNaN(r.population) ? "—" : number(r.population)}</td>
            <td>${r.problem ? html`<strong>${r.problem}</strong>` : (outcomes[r.line]?.text ?? t("operator.csvToSend"))}</td>
          </tr>`)}</tbody>
        </table>`
      : null}
  </section>`;
}

const show = (/** @type {unknown} */ v) => (v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v, null, 1));

/** Changes side by side: the path, before, after. */
function ChangeTable({ changes, caption }) {
  return html`<table class="list diff">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t("operator.path")}</th><th scope="col">${t("operator.before")}</th><th scope="col">${t("operator.after")}</th></tr></thead>
    <tbody>${changes.map((c) => html`<tr class=${`change-${c.kind.toLowerCase()}`}>
      <th scope="row" dir="ltr"><code>${c.path}</code><br /><small>${c.summary}</small></th>
      <td dir="ltr"><pre>${show(c.before)}</pre></td><td dir="ltr"><pre>${show(c.after)}</pre></td>
    </tr>`)}</tbody>
  </table>`;
}

export function TemplateDiffView() {
  const templates = useLoad(() => call((c) => c.templates()), []);
  const [pair, setPair] = useState({ from: "", to: "" });
  const [changes, setChanges] = useState(/** @type {import("jamaa-sdk").TemplateChange[] | null} */ (null));
  const options = [["", "—"], ...(templates.data ?? []).map((tp) => [tp.reference, tp.reference])];
  return html`<section>
    <h1>${t("nav.diff")}</h1>
    <${Form} submitLabel=${t("operator.compare")} onSubmit=${async () => setChanges(await call((c) => c.templateDiff(pair.from, pair.to)))}>
      <${Select} label=${t("operator.from")} name="from" value=${pair} set=${setPair} options=${options} />
      <${Select} label=${t("operator.to")} name="to" value=${pair} set=${setPair} options=${options} />
    </${Form}>
    ${changes ? html`<${ChangeTable} changes=${changes} caption=${t("operator.changesCount", { count: changes.length })} />` : null}
  </section>`;
}

/** The upgrade of a commune; `commune` and `to` are chosen already when the communes' list links here. */
export function Upgrade({ commune = "", to = "" }) {
  const templates = useLoad(() => call((c) => c.templates()), []);
  const communes = useLoad(() => call((c) => c.listCommunesAdmin()), []);
  const [target, setTarget] = useState({ commune, to });
  const [result, setResult] = useState(/** @type {import("jamaa-sdk").UpgradeResult | null} */ (null));
  const [choices, setChoices] = useState(/** @type {Record<string, "THEIRS" | "OURS">} */ ({}));
  const [error, setError] = useState(null);
  const run = async (/** @type {boolean} */ dryRun) => {
    setError(null);
    try {
      const resolutions = Object.entries(choices).map(([path, take]) => ({ path, take }));
      setResult(await call((c) => c.upgradeCommune(target.commune, target.to, { dryRun, resolutions })));
    } catch (caught) {
      setError(caught);
    }
  };
  const conflicts = result?.conflicts ?? [];
  const unresolvedCount = conflicts.filter((c) => !choices[c.path]).length;
  return html`<section>
    <h1>${t("nav.upgrade")}</h1>
    <form class="filters" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); setChoices({}); run(true); }}>
      <${Select} label=${t("operator.commune")} name="commune" value=${target} set=${setTarget}
        options=${[["", "—"], ...(communes.data ?? []).map((c) => [c.slug, `${c.name} (${c.slug})`])]} />
      <${Select} label=${t("operator.to")} name="to" value=${target} set=${setTarget}
        options=${[["", "—"], ...(templates.data ?? []).map((tp) => [tp.reference, tp.reference])]} />
      <button type="submit">${t("operator.dryRun")}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${result
      ? html`<div id="upgrade-result">
          <p role="status">${result.upgraded ? t("operator.upgraded", { from: result.from ?? "—", to: result.to }) : t("operator.wouldUpgrade", { from: result.from ?? "—", to: result.to })}</p>
          ${conflicts.length
            ? html`<fieldset class="conflicts">
                <legend>${t("operator.conflicts", { count: conflicts.length })}</legend>
                ${conflicts.map((c, i) => html`<div class="conflict">
                  <p><code dir="ltr">${c.path}</code></p>
                  <div class="sides">
                    <div><strong>${t("operator.base")}</strong><pre dir="ltr">${show(c.base)}</pre></div>
                    <div>
                      <input type="radio" id=${`c${i}-theirs`} name=${`c${i}`} checked=${choices[c.path] === "THEIRS"} onChange=${() => setChoices({ ...choices, [c.path]: "THEIRS" })} />
                      <label for=${`c${i}-theirs`}><strong>${t("operator.theirs")}</strong></label><pre dir="ltr">${show(c.theirs)}</pre>
                    </div>
                    <div>
                      <input type="radio" id=${`c${i}-ours`} name=${`c${i}`} checked=${choices[c.path] === "OURS"} onChange=${() => setChoices({ ...choices, [c.path]: "OURS" })} />
                      <label for=${`c${i}-ours`}><strong>${t("operator.ours")}</strong></label><pre dir="ltr">${show(c.ours)}</pre>
                    </div>
                  </div>
                </div>`)}
              </fieldset>`
            : null}
          ${!result.upgraded
            ? html`<button type="button" disabled=${unresolvedCount > 0} onClick=${() => run(false)}>${t("operator.apply")}</button>
                ${unresolvedCount ? html`<p class="hint">${t("operator.chooseAll", { count: unresolvedCount })}</p>` : null}`
            : null}
          <${ChangeTable} changes=${result.changes} caption=${t("operator.changesCount", { count: result.changes.length })} />
          ${result.localChanges.length ? html`<${ChangeTable} changes=${result.localChanges} caption=${t("operator.localChanges", { count: result.localChanges.length })} />` : null}
        </div>`
      : null}
  </section>`;
}

/** Morocco's 12 regions on a grid that keeps their places (north to south), by code and French name. */
const REGION_GRID = [
  { code: "01", name: "Tanger-Tétouan-Al Hoceima", x: 2, y: 0 },
  { code: "02", name: "Oriental", x: 3, y: 1 },
  { code: "03", name: "Fès-Meknès", x: 2, y: 1 },
  { code: "04", name: "Rabat-Salé-Kénitra", x: 1, y: 1 },
  { code: "05", name: "Béni Mellal-Khénifra", x: 2, y: 2 },
  { code: "06", name: "Casablanca-Settat", x: 1, y: 2 },
  { code: "07", name: "Marrakech-Safi", x: 1, y: 3 },
  { code: "08", name: "Drâa-Tafilalet", x: 2, y: 3 },
  { code: "09", name: "Souss-Massa", x: 1, y: 4 },
  { code: "10", name: "Guelmim-Oued Noun", x: 0, y: 5 },
  { code: "11", name: "Laâyoune-Sakia El Hamra", x: 0, y: 6 },
  { code: "12", name: "Dakhla-Oued Ed-Dahab", x: 0, y: 7 },
];

/** A colour from red (0) to green (1); grey when nothing was decided. */
function shade(/** @type {number | null} */ share) {
  if (share === null || share === undefined) return "#d9d9d9";
  return `hsl(${Math.round(share * 120)}, 60%, 42%)`;
}

export function NationalIndicatorsView() {
  const data = useLoad(() => call((c) => c.nationalIndicators()), [language()]);
  if (data.error) return html`<${ErrorBox} error=${data.error} />`;
  if (!data.data) return html`<${Loading} />`;
  const regions = data.data.regions;
  const morocco = regions.filter((r) => r.country === "MA");
  const elsewhere = regions.filter((r) => r.country !== "MA");
  const moroccan = (/** @type {string} */ name) => morocco.find((r) => r.region === name);
  const cell = 70;
  return html`<section>
    <h1>${t("nav.indicators")}</h1>
    <p>${t("operator.period", { from: data.data.from, to: data.data.to })}</p>
    <div class="map-and-table">
      <figure>
        <svg viewBox=${`0 0 ${4 * cell} ${8 * cell}`} width="280" role="img" aria-labelledby="map-caption">
          ${REGION_GRID.map((g) => {
            const r = moroccan(g.name);
            return html`<g data-region=${g.name} data-share=${r?.withinDeadlineShare ?? ""}>
              <rect x=${g.x * cell + 2} y=${g.y * cell + 2} width=${cell - 4} height=${cell - 4} rx="6" fill=${shade(r?.withinDeadlineShare ?? null)} />
              <text x=${g.x * cell + cell / 2} y=${g.y * cell + cell / 2} text-anchor="middle" dominant-baseline="middle" fill="#fff" font-size="16">${g.code}</text>
            </g>`;
          })}
        </svg>
        <figcaption id="map-caption">${t("operator.mapCaption")}</figcaption>
      </figure>
      <table class="list" id="regions">
        <caption>${t("operator.regionsTable")}</caption>
        <thead><tr><th scope="col">${t("operator.country")}</th><th scope="col">${t("operator.region")}</th><th scope="col">${t("operator.communes")}</th><th scope="col">${t("operator.submitted")}</th><th scope="col">${t("operator.decided")}</th><th scope="col">${t("operator.withinDeadline")}</th></tr></thead>
        <tbody>${[...morocco, ...elsewhere].map((r) => html`<tr>
          <td>${r.country}</td><td>${r.region ?? "—"}</td><td>${number(r.communes)}</td><td>${number(r.submitted)}</td><td>${number(r.decided)}</td><td>${percent(r.withinDeadlineShare)}</td>
        </tr>`)}</tbody>
        <tfoot><tr><th scope="row" colspan="3">${t("operator.total")}</th><td>${number(data.data.total.submitted)}</td><td>${number(data.data.total.decided)}</td><td>${percent(data.data.total.withinDeadlineShare)}</td></tr></tfoot>
      </table>
    </div>
    ${elsewhere.length ? html`<p class="hint">${t("operator.apart")}</p>` : null}
  </section>`;
}
