// @ts-check
// Civil status (the civil registrar): the register's acts, search by national id, registering a birth or a death
// with names in Arabic and Latin script, an act's full record with its marginal mentions, and issuing extracts and
// full copies as verifiable documents.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, dateTime, t, today } from "../i18n.js";
import { call, useDraft } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, href, useLoad } from "../ui.js";

export function CivilRegistry({ commune }) {
  const [filters, setFilters] = useState({ office: "", year: "", kind: "" });
  const [applied, setApplied] = useState(filters);
  const [nationalId, setNationalId] = useState("");
  const [found, setFound] = useState(/** @type {import("jamaa-sdk").CivilActSummary[] | null} */ (null));
  const [error, setError] = useState(null);
  const acts = useLoad(
    () => call((c) => c.civilActs(commune, {
      office: applied.office || null,
      year: applied.year ? Number(applied.year) : null,
      kind: /** @type {any} */ (applied.kind || null),
    })),
    [commune, applied],
  );
  const search = async (/** @type {Event} */ event) => {
    event.preventDefault();
    setError(null);
    try {
      setFound(await call((c) => c.findCivilActs(commune, nationalId)));
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<section>
    <h1>${t("civil.title")}</h1>
    <p><a class="button" href=${href(commune, "civil/new")}>${t("civil.register")}</a></p>
    <form class="filters" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); setApplied({ ...filters }); }}>
      <${Field} label=${t("civil.office")} name="office" value=${filters} set=${setFilters} dir="ltr" />
      <${Field} label=${t("civil.year")} name="year" type="number" value=${filters} set=${setFilters} />
      <${Select} label=${t("civil.kind")} name="kind" value=${filters} set=${setFilters}
        options=${[["", t("common.all")], ["BIRTH", t("civil.BIRTH")], ["DEATH", t("civil.DEATH")]]} />
      <button type="submit">${t("inbox.apply")}</button>
    </form>
    <form class="filters" onSubmit=${search} role="search">
      <div class="field">
        <label for="civil-nid">${t("civil.searchNationalId")}</label>
        <input id="civil-nid" dir="ltr" required value=${nationalId} onInput=${(/** @type {any} */ e) => setNationalId(e.currentTarget.value)} />
      </div>
      <button type="submit">${t("common.search")}</button>
    </form>
    <${ErrorBox} error=${error || acts.error} />
    ${found ? html`<${ActTable} commune=${commune} acts=${found} caption=${t("civil.found", { count: found.length })} />` : null}
    ${acts.data ? html`<${ActTable} commune=${commune} acts=${acts.data.nodes} caption=${t("civil.register.list")} />` : html`<${Loading} />`}
  </section>`;
}

function ActTable({ commune, acts, caption }) {
  return html`<table class="list">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t("civil.number")}</th><th scope="col">${t("civil.kind")}</th><th scope="col">${t("civil.eventDate")}</th><th scope="col">${t("civil.registeredOn")}</th></tr></thead>
    <tbody>${acts.map((a) => html`<tr>
      <td><a href=${href(commune, `civil/${a.id}`)} dir="ltr">${a.number}</a></td>
      <td>${t(`civil.${a.kind}`)}</td><td>${date(a.eventDate)}</td><td>${date(a.registeredOn)}</td>
    </tr>`)}</tbody>
  </table>`;
}

const EMPTY_ACT = {
  kind: "BIRTH", office: "", sex: "", eventDate: "", eventTime: "", eventPlace: "",
  givenAr: "", familyAr: "", givenLatin: "", familyLatin: "", subjectNationalId: "", subjectBirthDate: "",
  fatherGivenAr: "", fatherFamilyAr: "", fatherGivenLatin: "", fatherFamilyLatin: "", fatherNationality: "",
  motherGivenAr: "", motherFamilyAr: "", motherGivenLatin: "", motherFamilyLatin: "", motherNationality: "",
  declarant: "father", declarantGivenAr: "", declarantFamilyAr: "", declarantGivenLatin: "", declarantFamilyLatin: "",
  declarantNationalId: "",
};

/** Names in Arabic and Latin script, four fields under a group's legend. */
function Names({ prefix, legend, value, set, required = true }) {
  const key = (/** @type {string} */ part) => (prefix ? `${prefix}${part[0].toUpperCase()}${part.slice(1)}` : part);
  return html`<fieldset>
    <legend>${legend}</legend>
    <${Field} label=${t("civil.givenAr")} name=${key("givenAr")} value=${value} set=${set} required=${required} dir="rtl" lang="ar" />
    <${Field} label=${t("civil.familyAr")} name=${key("familyAr")} value=${value} set=${set} required=${required} dir="rtl" lang="ar" />
    <${Field} label=${t("civil.givenLatin")} name=${key("givenLatin")} value=${value} set=${set} required=${required} dir="ltr" lang="fr" />
    <${Field} label=${t("civil.familyLatin")} name=${key("familyLatin")} value=${value} set=${set} required=${required} dir="ltr" lang="fr" />
  </fieldset>`;
}

function personName(/** @type {Record<string, string>} */ v, /** @type {string} */ prefix) {
  const k = (/** @type {string} */ part) => (prefix ? `${prefix}${part[0].toUpperCase()}${part.slice(1)}` : part);
  return { givenAr: v[k("givenAr")], familyAr: v[k("familyAr")], givenLatin: v[k("givenLatin")], familyLatin: v[k("familyLatin")] };
}

function filled(/** @type {Record<string, string>} */ v, /** @type {string} */ prefix) {
  return Object.values(personName(v, prefix)).some((part) => part?.trim());
}

/** The declarant's relation as the screens record it (`father`, `mother`, `other`) in the reader's language; a
 * relation recorded otherwise (through the API) as it was written. */
function relation(/** @type {string} */ recorded) {
  const labels = { father: t("civil.father"), mother: t("civil.mother"), other: t("civil.otherDeclarant") };
  return labels[/** @type {"father" | "mother" | "other"} */ (recorded)] ?? recorded;
}

export function CivilNew({ commune }) {
  const [act, setAct, clear] = useDraft(`civil:${commune}`, EMPTY_ACT);
  const register = async () => {
    const father = filled(act, "father") ? { name: personName(act, "father"), nationality: act.fatherNationality || null } : null;
    const mother = filled(act, "mother") ? { name: personName(act, "mother"), nationality: act.motherNationality || null } : null;
    const declarantName = act.declarant === "father" ? personName(act, "father")
      : act.declarant === "mother" ? personName(act, "mother") : personName(act, "declarant");
    const created = await call((c) => c.registerCivilAct(commune, {
      kind: /** @type {any} */ (act.kind),
      office: act.office,
      sex: /** @type {any} */ (act.sex || null),
      event: { date: act.eventDate, time: act.eventTime || null, place: act.eventPlace },
      subjectBirthDate: act.kind === "DEATH" ? act.subjectBirthDate || null : null,
      subject: personName(act, ""),
      subjectNationalId: act.subjectNationalId || null,
      father,
      mother,
      declarant: { name: declarantName, relation: act.declarant === "other" ? "other" : act.declarant, nationalId: act.declarantNationalId || null },
    }));
    clear();
    location.hash = href(commune, `civil/${created.id}`);
  };
  return html`<section>
    <h1>${t("civil.register")}</h1>
    <${Form} onSubmit=${register} submitLabel=${t("civil.registerSubmit")} id="civil-form">
      <${Select} label=${t("civil.kind")} name="kind" value=${act} set=${setAct} options=${[["BIRTH", t("civil.BIRTH")], ["DEATH", t("civil.DEATH")]]} />
      <${Field} label=${t("civil.office")} name="office" value=${act} set=${setAct} required dir="ltr" hint=${t("civil.officeHint")} />
      <${Select} label=${t("civil.sex")} name="sex" value=${act} set=${setAct} options=${[["", "—"], ["FEMALE", t("civil.FEMALE")], ["MALE", t("civil.MALE")]]} />
      <fieldset>
        <legend>${t("civil.event")}</legend>
        <${Field} label=${t("civil.eventDate")} name="eventDate" type="date" value=${act} set=${setAct} required />
        <${Field} label=${t("civil.eventTime")} name="eventTime" type="time" value=${act} set=${setAct} />
        <${Field} label=${t("civil.eventPlace")} name="eventPlace" value=${act} set=${setAct} required />
      </fieldset>
      <${Names} prefix="" legend=${t("civil.subject")} value=${act} set=${setAct} />
      <${Field} label=${t("civil.subjectNationalId")} name="subjectNationalId" value=${act} set=${setAct} dir="ltr" />
      ${act.kind === "DEATH" ? html`<${Field} label=${t("civil.subjectBirthDate")} name="subjectBirthDate" value=${act} set=${setAct} dir="ltr" />` : null}
      <${Names} prefix="father" legend=${t("civil.father")} value=${act} set=${setAct} required=${false} />
      <${Field} label=${t("civil.fatherNationality")} name="fatherNationality" value=${act} set=${setAct} />
      <${Names} prefix="mother" legend=${t("civil.mother")} value=${act} set=${setAct} required=${false} />
      <${Field} label=${t("civil.motherNationality")} name="motherNationality" value=${act} set=${setAct} />
      <${Select} label=${t("civil.declarant")} name="declarant" value=${act} set=${setAct}
        options=${[["father", t("civil.father")], ["mother", t("civil.mother")], ["other", t("civil.otherDeclarant")]]} />
      ${act.declarant === "other" ? html`<${Names} prefix="declarant" legend=${t("civil.declarantName")} value=${act} set=${setAct} />` : null}
      <${Field} label=${t("civil.declarantNationalId")} name="declarantNationalId" value=${act} set=${setAct} dir="ltr" />
    </${Form}>
  </section>`;
}

export function CivilActView({ commune, id }) {
  const act = useLoad(() => call((c) => c.civilAct(commune, id)), [commune, id]);
  const [documents, setDocuments] = useState(/** @type {import("jamaa-sdk").CivilDocument[]} */ ([]));
  const [mention, setMention, clearMention] = useDraft(`mention:${id}`, { kind: "OTHER", text: "", reference: "", effectiveOn: "" });
  const [error, setError] = useState(null);
  if (act.error) return html`<${ErrorBox} error=${act.error} />`;
  if (!act.data) return html`<${Loading} />`;
  const a = act.data;
  const name = (/** @type {import("jamaa-sdk").PersonName | undefined} */ n) =>
    n ? html`<span lang="ar" dir="rtl">${n.givenAr} ${n.familyAr}</span> / <span lang="fr" dir="ltr">${n.givenLatin} ${n.familyLatin}</span>` : "—";
  const issue = async (/** @type {"EXTRACT" | "FULL_COPY"} */ kind) => {
    setError(null);
    try {
      const document = await call((c) => c.issueCivilDocument(commune, id, kind));
      setDocuments([document, ...documents]);
      act.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const addMention = async () => {
    await call((c) => c.addCivilMention(commune, id, {
      kind: /** @type {any} */ (mention.kind), text: mention.text, reference: mention.reference || null,
      effectiveOn: mention.effectiveOn || today(),
    }));
    clearMention();
    act.reload();
  };
  return html`<article>
    <p><a href=${href(commune, "civil")}>${t("civil.back")}</a></p>
    <h1>${t(`civil.${a.kind}`)} <span dir="ltr" id="act-number">${a.number}</span></h1>
    <dl class="facts">
      <dt>${t("civil.subject")}</dt><dd>${name(a.subject)}</dd>
      ${a.sex ? html`<dt>${t("civil.sex")}</dt><dd>${t(`civil.${a.sex}`)}</dd>` : null}
      <dt>${t("civil.eventDate")}</dt><dd>${date(a.eventDate)}${a.eventTime ? ` ${a.eventTime}` : ""}</dd>
      <dt>${t("civil.eventPlace")}</dt><dd>${a.eventPlace}</dd>
      <dt>${t("civil.father")}</dt><dd>${name(a.father?.name)}</dd>
      <dt>${t("civil.mother")}</dt><dd>${name(a.mother?.name)}</dd>
      <dt>${t("civil.declarant")}</dt><dd>${name(a.declarant.name)} (${relation(a.declarant.relation)})</dd>
      <dt>${t("civil.registeredOn")}</dt><dd>${dateTime(a.registeredAt)}</dd>
    </dl>
    <section aria-labelledby="mentions-title">
      <h2 id="mentions-title">${t("civil.mentions")}</h2>
      ${a.mentions.length ? html`<ol>${a.mentions.map((m) => html`<li>${t(`mention.${m.kind}`)} — ${m.text}${m.reference ? ` (${m.reference})` : ""} — ${date(m.effectiveOn)}</li>`)}</ol>` : html`<p>${t("civil.noMentions")}</p>`}
      <${Form} onSubmit=${addMention} submitLabel=${t("civil.addMention")}>
        <${Select} label=${t("civil.mentionKind")} name="kind" value=${mention} set=${setMention}
          options=${["RECOGNITION", "RECTIFICATION", "MARRIAGE", "DIVORCE", "DEATH", "OTHER"].map((k) => [k, t(`mention.${k}`)])} />
        <${Field} label=${t("civil.mentionText")} name="text" type="textarea" value=${mention} set=${setMention} required />
        <${Field} label=${t("civil.mentionReference")} name="reference" value=${mention} set=${setMention} />
        <${Field} label=${t("civil.effectiveOn")} name="effectiveOn" type="date" value=${mention} set=${setMention} required />
      </${Form}>
    </section>
    <section aria-labelledby="docs-title">
      <h2 id="docs-title">${t("civil.documents")}</h2>
      <button type="button" onClick=${() => issue("EXTRACT")}>${t("civil.issueExtract")}</button>
      <button type="button" onClick=${() => issue("FULL_COPY")}>${t("civil.issueCopy")}</button>
      <${ErrorBox} error=${error} />
      ${documents.map((d) => html`<div class="issued">
        <h3>${d.title} — <span lang="ar">${d.titleAr}</span></h3>
        <p>${t("file.verificationCode")}: <strong dir="ltr" class="code">${d.code}</strong> — <a href=${d.verifyPath} dir="ltr">${d.verifyPath}</a>${d.pdfPath ? html` — <a id="civil-pdf" href=${d.pdfPath} download>${t("file.downloadPdf")}</a>` : null}</p>
        <pre dir="auto">${d.text}</pre>
      </div>`)}
    </section>
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">${t("civil.trail")}</h2>
      <ol>${a.history.map((h) => html`<li><time datetime=${h.at}>${dateTime(h.at)}</time> — <code>${h.kind}</code> (${h.actor})</li>`)}</ol>
    </section>
  </article>`;
}

/**
 * On the file of an online request for an extract or a full copy (the civil registrar): how it names its act,
 * the acts of the register it matches, and the two answers — issue the register's document from a matching act
 * (the request ends delivered), or refuse with a reason the applicant reads. Nothing for other requests.
 */
export function CivilRequest({ commune, request, done }) {
  const match = useLoad(
    () => call((c) => c.civilRequestMatch(commune, request.id)).catch((error) => {
      if (error?.code === "VALIDATION_FAILED") return null;
      throw error;
    }),
    [commune, request.id, request.version],
  );
  const [chosen, setChosen] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const m = match.data;
  if (!m) return match.error ? html`<${ErrorBox} error=${match.error} />` : null;
  const actId = chosen || (m.acts.length === 1 ? m.acts[0].id : "");
  const run = async (/** @type {(c: any) => Promise<any>} */ fn, /** @type {(r: any) => string} */ text) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call(fn);
      done(text(result));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const lookup = m.lookup === "ACT_NUMBER"
    ? t("civil.request.byNumber", { number: String(m.actNumber), year: String(m.actYear) })
    : m.lookup === "NATIONAL_ID" ? t("civil.request.byNationalId") : t("civil.request.byNothing");
  return html`<section aria-labelledby="civil-request-title" id="civil-request">
    <h2 id="civil-request-title">${t("civil.request.title")}</h2>
    <p>${lookup}</p>
    ${m.acts.length
      ? html`<fieldset>
          <legend>${t("civil.request.matched")}</legend>
          ${m.acts.map((a) => html`<div class="field check">
            <input type="radio" name="civil-act" id=${`civil-act-${a.id}`} value=${a.id} checked=${actId === a.id}
              disabled=${!m.open} onChange=${() => setChosen(a.id)} />
            <label for=${`civil-act-${a.id}`}><a href=${href(commune, `civil/${a.id}`)} dir="ltr">${a.number}</a>${" — "}${t(`civil.${a.kind}`)}, ${date(a.eventDate)}</label>
          </div>`)}
        </fieldset>`
      : html`<p id="civil-no-match" role="status">${t("civil.request.noMatch")}</p>`}
    ${m.open
      ? html`<div>
          ${m.acts.length
            ? html`<button type="button" disabled=${busy || !actId}
                onClick=${() => run((c) => c.issueCivilRequest(commune, request.id, actId, request.version),
                  (d) => t("civil.request.issued", { code: d.code }))}>${t("civil.request.issue")}</button>`
            : null}
          <form onSubmit=${(/** @type {Event} */ e) => {
            e.preventDefault();
            run((c) => c.refuseCivilRequest(commune, request.id, request.version, reason), () => t("civil.request.refused"));
          }}>
            <div class="field">
              <label for="civil-refusal">${t("civil.request.reason")}</label>
              <textarea id="civil-refusal" required value=${reason}
                onInput=${(/** @type {any} */ e) => setReason(e.currentTarget.value)}></textarea>
            </div>
            <button type="submit" disabled=${busy}>${t("civil.request.refuse")}</button>
          </form>
        </div>`
      : null}
    <${ErrorBox} error=${error} />
  </section>`;
}
