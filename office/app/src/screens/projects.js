// @ts-check
// The commune's action-plan projects (organic law 113.14, arts 78–82): the list with each project's progress, a
// project created or edited (its title and description in each of the commune's languages, a budget line of the
// imported budget), its milestones, and its progress. Published projects are open data and pages of the site.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, useLoad } from "../ui.js";

/** Each language's name in itself. */
const ENDONYMS = { ar: "العربية", fr: "Français", en: "English", es: "Español", tzm: "ⵜⴰⵎⴰⵣⵉⵖⵜ" };

const STATUSES = ["PLANNED", "IN_PROGRESS", "DONE", "SUSPENDED"];

/** The commune's languages, its default first, each once. */
function languagesOf(/** @type {any} */ place) {
  return [...new Set([place.defaultLocale, ...(place.locales ?? [])])];
}

/** The `{prefix}_{locale}` fields of a form as texts for the API. */
function texts(/** @type {Record<string, any>} */ form, /** @type {string} */ prefix, /** @type {string[]} */ locales) {
  return locales.map((locale) => ({ locale, text: form[`${prefix}_${locale}`] ?? "" }));
}

/** A text input per language of the commune, each in its language and direction. */
function Texts({ prefix, label, locales, value, set, type = "text" }) {
  return locales.map((locale) => html`<${Field} label=${t(label, { language: ENDONYMS[locale] ?? locale })}
    name=${`${prefix}_${locale}`} value=${value} set=${set} type=${type} required lang=${locale}
    dir=${locale === "ar" ? "rtl" : "ltr"} />`);
}

const EMPTY_PROJECT = {
  code: "", category: "", periodFrom: "", periodTo: "", status: "PLANNED", place: "", latitude: "", longitude: "",
  startsOn: "", endsOn: "", year: "", chapter: "", article: "", paragraph: "", planned: "", published: false,
};

/** The form's fields of a project read from the API, to edit it. */
function formOf(/** @type {any} */ project) {
  const form = {
    ...EMPTY_PROJECT,
    code: project.code, category: project.category, periodFrom: String(project.periodFrom),
    periodTo: String(project.periodTo), status: project.status, place: project.location.place,
    latitude: project.location.latitude ?? "", longitude: project.location.longitude ?? "",
    startsOn: project.startsOn ?? "", endsOn: project.endsOn ?? "", published: project.published,
  };
  const line = project.budgetLines[0];
  if (line) Object.assign(form, { year: String(line.year), chapter: line.chapter, article: line.article, paragraph: line.paragraph, planned: line.planned });
  for (const { locale, text } of project.titles) form[`title_${locale}`] = text;
  for (const { locale, text } of project.descriptions) form[`description_${locale}`] = text;
  return form;
}

export function Projects({ commune, place }) {
  const locales = languagesOf(place);
  const projects = useLoad(() => call((c) => c.projects(commune, { first: 100 })), [commune]);
  const categories = useLoad(() => call((c) => c.projectCategories(commune)), [commune]);
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const [form, setForm] = useState(/** @type {Record<string, any>} */ ({ ...EMPTY_PROJECT }));
  const [milestone, setMilestone] = useState(/** @type {Record<string, any>} */ ({ milestoneProject: "", dueOn: "" }));
  const [reached, setReached] = useState(/** @type {Record<string, any>} */ ({ milestoneId: "", doneOn: "" }));
  const [progress, setProgress] = useState(/** @type {Record<string, any>} */ ({ progressProject: "", on: "", progress: "" }));
  const [done, setDone] = useState("");
  const all = projects.data?.nodes ?? [];
  const labels = new Map((categories.data ?? []).map((c) => [c.key, c.label]));
  const projectOptions = [["", "—"], ...all.map((p) => [p.id, `${p.code} — ${p.title}`])];
  const milestones = all.flatMap((p) => p.milestones.map((m) => ({ ...m, project: p })));
  const optional = (/** @type {string} */ v) => (String(v).trim() ? String(v).trim() : null);
  const number = (/** @type {string} */ v) => (String(v).trim() ? Number(v) : null);
  return html`<section>
    <h1>${t("projects.title")}</h1>
    ${done ? html`<p role="status">${done}</p>` : null}
    <${ErrorBox} error=${projects.error} />
    ${projects.data
      ? html`<table class="list">
          <caption>${t("projects.list")}</caption>
          <thead><tr><th scope="col">${t("projects.code")}</th><th scope="col">${t("projects.name")}</th>
            <th scope="col">${t("projects.category")}</th><th scope="col">${t("projects.status")}</th>
            <th scope="col">${t("projects.progress")}</th><th scope="col">${t("projects.published")}</th>
            <th scope="col"><span class="visually-hidden">${t("projects.edit")}</span></th></tr></thead>
          <tbody>${all.map((p) => html`<tr>
            <td dir="ltr">${p.code}</td><td>${p.title}</td><td>${labels.get(p.category) ?? p.category}</td>
            <td>${t(`projects.status.${p.status}`)}</td>
            <td><progress max="100" value=${p.progress} aria-label=${t("projects.progressOf", { code: p.code })}></progress> ${t("projects.percent", { percent: p.progress })}</td>
            <td>${p.published ? t("projects.yes") : t("projects.no")}</td>
            <td><button type="button" onClick=${() => { setEditing(p); setForm(formOf(p)); }}>${t("projects.editCode", { code: p.code })}</button></td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}

    <h2>${editing ? t("projects.editing", { code: editing.code }) : t("projects.new")}</h2>
    <${ErrorBox} error=${categories.error} />
    <${Form} submitLabel=${editing ? t("projects.save") : t("projects.create")} onSubmit=${async () => {
      const input = {
        code: form.code, category: form.category, periodFrom: Number(form.periodFrom), periodTo: Number(form.periodTo),
        status: form.status, place: form.place, latitude: number(form.latitude), longitude: number(form.longitude),
        startsOn: optional(form.startsOn), endsOn: optional(form.endsOn), published: Boolean(form.published),
        title: texts(form, "title", locales), description: texts(form, "description", locales),
        budgetLines: String(form.chapter).trim()
          ? [{ year: Number(form.year), chapter: form.chapter, article: form.article, paragraph: form.paragraph, planned: form.planned }]
          : [],
      };
      const saved = editing
        ? await call((c) => c.updateProject(commune, editing.id, input, editing.updatedAt))
        : await call((c) => c.createProject(commune, input));
      setDone(t(editing ? "projects.saved" : "projects.created", { code: saved.code }));
      setEditing(null);
      setForm({ ...EMPTY_PROJECT });
      projects.reload();
    }}>
      <${Field} label=${t("projects.code")} name="code" value=${form} set=${setForm} required dir="ltr" hint=${t("projects.codeHint")} />
      <${Texts} prefix="title" label="projects.titleIn" locales=${locales} value=${form} set=${setForm} />
      <${Texts} prefix="description" label="projects.descriptionIn" locales=${locales} value=${form} set=${setForm} type="textarea" />
      <${Select} label=${t("projects.category")} name="category" value=${form} set=${setForm} required
        options=${[["", "—"], ...(categories.data ?? []).map((c) => [c.key, c.label])]} />
      <${Field} label=${t("projects.periodFrom")} name="periodFrom" type="number" value=${form} set=${setForm} required />
      <${Field} label=${t("projects.periodTo")} name="periodTo" type="number" value=${form} set=${setForm} required />
      <${Select} label=${t("projects.status")} name="status" value=${form} set=${setForm}
        options=${STATUSES.map((s) => [s, t(`projects.status.${s}`)])} />
      <${Field} label=${t("projects.place")} name="place" value=${form} set=${setForm} required />
      <${Field} label=${t("projects.latitude")} name="latitude" type="number" step="any" value=${form} set=${setForm} dir="ltr" />
      <${Field} label=${t("projects.longitude")} name="longitude" type="number" step="any" value=${form} set=${setForm} dir="ltr" />
      <${Field} label=${t("projects.startsOn")} name="startsOn" type="date" value=${form} set=${setForm} />
      <${Field} label=${t("projects.endsOn")} name="endsOn" type="date" value=${form} set=${setForm} />
      <fieldset>
        <legend>${t("projects.budgetLine")}</legend>
        <${Field} label=${t("projects.year")} name="year" type="number" value=${form} set=${setForm} />
        <${Field} label=${t("projects.chapter")} name="chapter" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("projects.article")} name="article" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("projects.paragraph")} name="paragraph" value=${form} set=${setForm} dir="ltr" />
        <${Field} label=${t("projects.planned")} name="planned" value=${form} set=${setForm} dir="ltr" hint=${t("projects.plannedHint")} />
      </fieldset>
      <${Field} label=${t("projects.publish")} name="published" type="checkbox" value=${form} set=${setForm} />
    </${Form}>

    <h2>${t("projects.milestones")}</h2>
    ${milestones.length
      ? html`<ul>${milestones.map((m) => html`<li>${m.project.code} — ${m.title} — ${t("projects.due", { day: date(m.dueOn) })}
          ${m.doneOn ? ` — ${t("projects.reachedOn", { day: date(m.doneOn) })}` : ""}</li>`)}</ul>`
      : null}
    <${Form} submitLabel=${t("projects.addMilestone")} onSubmit=${async () => {
      await call((c) => c.addProjectMilestone(commune, milestone.milestoneProject, { title: texts(milestone, "milestone", locales), dueOn: milestone.dueOn }));
      setMilestone({ milestoneProject: "", dueOn: "" });
      setDone(t("projects.milestoneAdded"));
      projects.reload();
    }}>
      <${Select} label=${t("projects.projectOfMilestone")} name="milestoneProject" value=${milestone} set=${setMilestone} required options=${projectOptions} />
      <${Texts} prefix="milestone" label="projects.milestoneIn" locales=${locales} value=${milestone} set=${setMilestone} />
      <${Field} label=${t("projects.dueOn")} name="dueOn" type="date" value=${milestone} set=${setMilestone} required />
    </${Form}>
    <${Form} submitLabel=${t("projects.markReached")} onSubmit=${async () => {
      const m = milestones.find((x) => x.id === reached.milestoneId);
      if (!m) return;
      await call((c) => c.updateProjectMilestone(commune, m.id, { title: m.titles, dueOn: m.dueOn, doneOn: reached.doneOn }));
      setReached({ milestoneId: "", doneOn: "" });
      setDone(t("projects.milestoneReached"));
      projects.reload();
    }}>
      <${Select} label=${t("projects.milestone")} name="milestoneId" value=${reached} set=${setReached} required
        options=${[["", "—"], ...milestones.map((m) => [m.id, `${m.project.code} — ${m.title}`])]} />
      <${Field} label=${t("projects.doneOn")} name="doneOn" type="date" value=${reached} set=${setReached} required />
    </${Form}>

    <h2>${t("projects.progressTitle")}</h2>
    <${Form} submitLabel=${t("projects.recordProgress")} onSubmit=${async () => {
      const saved = await call((c) => c.recordProjectProgress(commune, progress.progressProject, {
        on: progress.on, progress: Number(progress.progress), note: texts(progress, "note", locales),
      }));
      setProgress({ progressProject: "", on: "", progress: "" });
      setDone(t("projects.progressRecorded", { code: saved.code, percent: saved.progress }));
      projects.reload();
    }}>
      <${Select} label=${t("projects.projectOfProgress")} name="progressProject" value=${progress} set=${setProgress} required options=${projectOptions} />
      <${Field} label=${t("projects.on")} name="on" type="date" value=${progress} set=${setProgress} required />
      <${Field} label=${t("projects.progressPercent")} name="progress" type="number" min="0" value=${progress} set=${setProgress} required />
      <${Texts} prefix="note" label="projects.noteIn" locales=${locales} value=${progress} set=${setProgress} type="textarea" />
    </${Form}>
  </section>`;
}
