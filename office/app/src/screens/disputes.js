// @ts-check
// The commune's disputes: the hearings to come (with their reminders), the cases, a new case (its parties
// sealed), and a case file with its hearings, decisions and appeals, its documents (sealed, each opening
// audited) and the correction of its court, lawyer, stakes, parties and object.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, dateTime, number, t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, href, useLoad } from "../ui.js";

/** Centimes (integer text) as an amount in dirhams. */
function amount(/** @type {string} */ centimes) {
  return number(Number(centimes) / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** An amount typed in dirhams (`125000`, `125000,50`) as integer centimes text; the API refuses what is not. */
function toCentimes(/** @type {string} */ typed) {
  const [units, cents = ""] = typed.trim().replace(/\s/g, "").split(/[.,]/);
  return `${units || "0"}${cents.padEnd(2, "0").slice(0, 2)}`.replace(/^0+(?=\d)/, "");
}

const STATUS = (/** @type {string} */ s) => t(`disputes.status.${s.toLowerCase()}`);

const KINDS = ["pleading", "judgment", "expert_report", "correspondence", "other"];

/** Centimes (integer text) as the amount typed in dirhams (`250000,50`). */
function typedAmount(/** @type {string} */ centimes) {
  const digits = centimes.padStart(3, "0");
  const cents = digits.slice(-2);
  return cents === "00" ? digits.slice(0, -2) : `${digits.slice(0, -2)},${cents}`;
}

/** A size in bytes as kilobytes, in the user's language. */
function size(/** @type {number} */ bytes) {
  return number(Math.max(1, Math.round(bytes / 1024)), { style: "unit", unit: "kilobyte" });
}

async function openDocument(commune, caseId, doc, setDone) {
  try {
    const file = await call((c) => c.downloadDisputeDocument(commune, caseId, doc.id));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(file.blob);
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (error) {
    setDone(`${t("disputes.openFailed")} (${error.code ?? ""})`);
  }
}

/** The documents of a case file, and a document to attach while the case is not closed. */
function Documents({ commune, c, reload, setDone }) {
  const [form, setForm] = useState({ documentTitle: "", documentKind: "" });
  const [file, setFile] = useState(/** @type {File | null} */ (null));
  const [key, setKey] = useState(0);
  const documents = c.documents ?? [];
  return html`<table class="list">
      <caption>${t("disputes.documents")}</caption>
      <thead><tr><th scope="col">${t("disputes.documentTitle")}</th><th scope="col">${t("disputes.documentKind")}</th><th scope="col">${t("disputes.size")}</th><th scope="col">${t("disputes.documentAdded")}</th></tr></thead>
      <tbody>${documents.length
        ? documents.map((d) => html`<tr>
            <td><button type="button" class="link" aria-label=${t("disputes.documentOpen", { title: d.title })}
              onClick=${() => openDocument(commune, c.id, d, setDone)}>${d.title}</button> <small dir="ltr">${d.fileName}</small></td>
            <td>${t(`disputes.kind.${d.kind.toLowerCase()}`)}</td><td>${size(d.sizeBytes)}</td><td>${dateTime(d.addedAt)}</td>
          </tr>`)
        : html`<tr><td colspan="4">${t("disputes.noDocuments")}</td></tr>`}</tbody>
    </table>
    ${c.status !== "CLOSED"
      ? html`<${Form} submitLabel=${t("disputes.attach")} onSubmit=${async () => {
          if (!file) return;
          const added = await call((cl) => cl.attachDisputeDocument(commune, c.id, {
            title: form.documentTitle, kind: /** @type {any} */ (form.documentKind), file,
          }));
          setForm({ documentTitle: "", documentKind: "" });
          setFile(null);
          setKey(key + 1);
          reload(t("disputes.attached", { title: added.title }));
        }}>
          <${Field} label=${t("disputes.documentTitle")} name="documentTitle" value=${form} set=${setForm} required />
          <${Select} label=${t("disputes.documentKind")} name="documentKind" value=${form} set=${setForm} required
            options=${[["", "—"], ...KINDS.map((k) => [k, t(`disputes.kind.${k}`)])]} />
          <div class="field">
            <label for="f-documentFile">${t("disputes.documentFile")} <span aria-hidden="true">*</span></label>
            <input key=${key} id="f-documentFile" type="file" required
              onChange=${(/** @type {any} */ e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </div>
        </${Form}>`
      : null}`;
}

/** The correction of a case: its object, court, parties, lawyer and stakes (never its number). */
function Edit({ commune, c, reload }) {
  const parties = c.parties ?? [];
  const start = {
    editSubject: c.subject, editCourtName: c.courtName, editCourtCity: c.courtCity,
    editLawyerName: c.lawyerName ?? "", editLawyerBar: c.lawyerBar ?? "", editStakes: typedAmount(c.stakesCentimes),
    ...Object.fromEntries(parties.flatMap((p, i) => [[`editParty${i}`, p.name], [`editAddress${i}`, p.address ?? ""]])),
    [`editParty${parties.length}`]: "", [`editAddress${parties.length}`]: "",
  };
  const [form, setForm] = useState(start);
  return html`<h2>${t("disputes.edit")}</h2>
    <p>${t("disputes.editHint")}</p>
    <${Form} submitLabel=${t("disputes.saveEdit")} onSubmit=${async () => {
      const optional = (/** @type {string} */ v) => (v ?? "").trim() || null;
      const edited = [...Array(parties.length + 1).keys()]
        .map((i) => ({ name: form[`editParty${i}`] ?? "", address: optional(form[`editAddress${i}`]) }))
        .filter((p, i) => i < parties.length || p.name.trim());
      await call((cl) => cl.updateDisputeCase(commune, c.id, {
        subject: form.editSubject, courtName: form.editCourtName, courtCity: form.editCourtCity, parties: edited,
        lawyerName: optional(form.editLawyerName), lawyerBar: optional(form.editLawyerBar),
        stakesCentimes: toCentimes(form.editStakes),
      }));
      reload(t("disputes.edited"));
    }}>
      <${Field} label=${t("disputes.subject")} name="editSubject" value=${form} set=${setForm} required />
      <${Field} label=${t("disputes.courtName")} name="editCourtName" value=${form} set=${setForm} required />
      <${Field} label=${t("disputes.courtCity")} name="editCourtCity" value=${form} set=${setForm} required />
      ${parties.map((_, i) => html`<fieldset>
        <legend>${t("disputes.party")}</legend>
        <${Field} label=${t("disputes.partyName")} name=${`editParty${i}`} value=${form} set=${setForm} required />
        <${Field} label=${t("disputes.partyAddress")} name=${`editAddress${i}`} value=${form} set=${setForm} />
      </fieldset>`)}
      <fieldset>
        <legend>${t("disputes.addParty")}</legend>
        <${Field} label=${t("disputes.partyName")} name=${`editParty${parties.length}`} value=${form} set=${setForm} />
        <${Field} label=${t("disputes.partyAddress")} name=${`editAddress${parties.length}`} value=${form} set=${setForm} />
      </fieldset>
      <${Field} label=${t("disputes.lawyerName")} name="editLawyerName" value=${form} set=${setForm} />
      <${Field} label=${t("disputes.lawyerBar")} name="editLawyerBar" value=${form} set=${setForm} />
      <${Field} label=${t("disputes.stakesDh")} name="editStakes" value=${form} set=${setForm} required dir="ltr" />
    </${Form}>`;
}

export function Disputes({ commune }) {
  const cases = useLoad(() => call((c) => c.disputeCases(commune, { first: 100 })), [commune]);
  const upcoming = useLoad(() => call((c) => c.upcomingHearings(commune)), [commune]);
  const types = useLoad(() => call((c) => c.caseTypes(commune)), [commune]);
  const empty = {
    caseType: "", subject: "", courtName: "", courtCity: "", position: "DEFENDANT", partyName: "", partyAddress: "",
    lawyerName: "", lawyerBar: "", stakes: "", requestCode: "", openedOn: "",
  };
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState("");
  const labels = new Map((types.data ?? []).map((k) => [k.key, k.label]));
  return html`<section>
    <h1>${t("disputes.title")}</h1>
    ${done ? html`<p role="status">${done}</p>` : null}

    <${ErrorBox} error=${upcoming.error} />
    ${upcoming.data
      ? html`<table class="list">
          <caption>${t("disputes.upcoming")}</caption>
          <thead><tr><th scope="col">${t("disputes.hearingAt")}</th><th scope="col">${t("disputes.number")}</th><th scope="col">${t("disputes.object")}</th><th scope="col">${t("disputes.reminder")}</th></tr></thead>
          <tbody>${upcoming.data.map((u) => html`<tr>
            <td>${dateTime(u.hearing.scheduledAt)}</td>
            <td dir="ltr"><a href=${href(commune, `disputes/${u.hearing.caseId}`)}>${u.caseNumber}</a></td>
            <td>${u.hearing.object}</td>
            <td>${u.hearing.remindedAt ? t("disputes.reminded", { at: dateTime(u.hearing.remindedAt) }) : t("disputes.reminderDue", { at: dateTime(u.hearing.reminderDueAt) })}</td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}

    <${ErrorBox} error=${cases.error} />
    ${cases.data
      ? html`<table class="list">
          <caption>${t("disputes.cases")}</caption>
          <thead><tr><th scope="col">${t("disputes.number")}</th><th scope="col">${t("disputes.subject")}</th><th scope="col">${t("disputes.caseType")}</th><th scope="col">${t("disputes.court")}</th><th scope="col">${t("disputes.stakes")}</th><th scope="col">${t("disputes.statusLabel")}</th></tr></thead>
          <tbody>${cases.data.nodes.map((c) => html`<tr>
            <td dir="ltr"><a href=${href(commune, `disputes/${c.id}`)}>${c.number}</a></td>
            <td>${c.subject}</td><td>${labels.get(c.caseType) ?? c.caseType}</td>
            <td>${c.courtName} (${c.courtCity})</td><td>${amount(c.stakesCentimes)}</td><td>${STATUS(c.status)}</td>
          </tr>`)}</tbody>
        </table>`
      : null}

    <h2>${t("disputes.newCase")}</h2>
    <${ErrorBox} error=${types.error} />
    <${Form} submitLabel=${t("disputes.open")} onSubmit=${async () => {
      const optional = (/** @type {string} */ v) => v.trim() || null;
      const opened = await call((c) => c.openDisputeCase(commune, {
        caseType: form.caseType, subject: form.subject, courtName: form.courtName, courtCity: form.courtCity,
        position: /** @type {any} */ (form.position),
        parties: [{ name: form.partyName, address: optional(form.partyAddress) }],
        lawyerName: optional(form.lawyerName), lawyerBar: optional(form.lawyerBar),
        stakesCentimes: toCentimes(form.stakes), requestCode: optional(form.requestCode), openedOn: form.openedOn,
      }));
      setForm(empty);
      setDone(t("disputes.opened", { number: opened.number }));
      cases.reload();
    }}>
      <${Select} label=${t("disputes.caseType")} name="caseType" value=${form} set=${setForm} required
        options=${[["", "—"], ...(types.data ?? []).map((k) => [k.key, k.label])]} />
      <${Field} label=${t("disputes.subject")} name="subject" value=${form} set=${setForm} required />
      <${Field} label=${t("disputes.courtName")} name="courtName" value=${form} set=${setForm} required />
      <${Field} label=${t("disputes.courtCity")} name="courtCity" value=${form} set=${setForm} required />
      <${Select} label=${t("disputes.position")} name="position" value=${form} set=${setForm} required
        options=${[["DEFENDANT", t("disputes.defendant")], ["CLAIMANT", t("disputes.claimant")]]} />
      <fieldset>
        <legend>${t("disputes.party")}</legend>
        <${Field} label=${t("disputes.partyName")} name="partyName" value=${form} set=${setForm} required />
        <${Field} label=${t("disputes.partyAddress")} name="partyAddress" value=${form} set=${setForm} />
      </fieldset>
      <${Field} label=${t("disputes.lawyerName")} name="lawyerName" value=${form} set=${setForm} />
      <${Field} label=${t("disputes.lawyerBar")} name="lawyerBar" value=${form} set=${setForm} />
      <${Field} label=${t("disputes.stakesDh")} name="stakes" value=${form} set=${setForm} required dir="ltr" />
      <${Field} label=${t("disputes.requestCode")} name="requestCode" value=${form} set=${setForm} dir="ltr" hint=${t("disputes.requestCodeHint")} />
      <${Field} label=${t("disputes.openedOn")} name="openedOn" type="date" value=${form} set=${setForm} required />
    </${Form}>
  </section>`;
}

export function DisputeView({ commune, id }) {
  const file = useLoad(() => call((c) => c.disputeCase(commune, id)), [commune, id]);
  const [hearing, setHearing] = useState({ hearingDay: "", hearingTime: "09:00", room: "", hearingObject: "" });
  const [decision, setDecision] = useState({ decidedOn: "", outcome: "", awarded: "0", summary: "" });
  const [appeal, setAppeal] = useState({ lodgedOn: "", appealCourt: "", appealCity: "" });
  const [done, setDone] = useState("");
  const [editing, setEditing] = useState(false);
  const c = file.data;
  if (!c) return html`<section><${ErrorBox} error=${file.error} />${file.error ? null : html`<${Loading} />`}</section>`;
  const reload = (/** @type {string} */ message) => {
    setDone(message);
    setEditing(false);
    file.reload();
  };
  const beforeCourt = c.status === "OPEN" || c.status === "APPEALED";
  return html`<section>
    <h1 dir="auto">${t("disputes.caseTitle", { number: c.number })}</h1>
    ${done ? html`<p role="status">${done}</p>` : null}
    <dl>
      <dt>${t("disputes.subject")}</dt><dd>${c.subject}</dd>
      <dt>${t("disputes.court")}</dt><dd>${c.courtName} (${c.courtCity})</dd>
      <dt>${t("disputes.position")}</dt><dd>${c.position === "CLAIMANT" ? t("disputes.claimant") : t("disputes.defendant")}</dd>
      <dt>${t("disputes.stakes")}</dt><dd>${amount(c.stakesCentimes)}</dd>
      <dt>${t("disputes.statusLabel")}</dt><dd>${STATUS(c.status)}</dd>
      <dt>${t("disputes.lawyerName")}</dt><dd>${[c.lawyerName, c.lawyerBar].filter(Boolean).join(", ") || "—"}</dd>
      <dt>${t("disputes.requestCode")}</dt><dd dir="ltr">${c.requestCode ?? "—"}</dd>
      <dt>${t("disputes.parties")}</dt><dd>${(c.parties ?? []).map((p) => [p.name, p.address].filter(Boolean).join(", ")).join(" ; ")}</dd>
    </dl>

    <table class="list">
      <caption>${t("disputes.hearings")}</caption>
      <thead><tr><th scope="col">${t("disputes.hearingAt")}</th><th scope="col">${t("disputes.object")}</th><th scope="col">${t("disputes.room")}</th><th scope="col">${t("disputes.reminder")}</th></tr></thead>
      <tbody>${(c.hearings ?? []).map((h) => html`<tr>
        <td>${dateTime(h.scheduledAt)}</td><td>${h.object}${h.outcome ? ` — ${h.outcome}` : ""}</td><td>${h.room ?? ""}</td>
        <td>${h.remindedAt ? t("disputes.reminded", { at: dateTime(h.remindedAt) }) : t("disputes.reminderDue", { at: dateTime(h.reminderDueAt) })}</td>
      </tr>`)}</tbody>
    </table>
    ${(c.decisions ?? []).map((d) => html`<p>${t("disputes.decisionLine", { day: date(d.decidedOn), outcome: t(`disputes.outcome.${d.outcome.toLowerCase()}`), amount: amount(d.awardedCentimes), deadline: date(d.appealDeadline) })}</p>`)}
    ${(c.appeals ?? []).map((a) => html`<p>${t("disputes.appealLine", { day: date(a.lodgedOn), court: `${a.courtName} (${a.courtCity})` })}</p>`)}

    <${Documents} commune=${commune} c=${c} reload=${reload} setDone=${setDone} />
    ${c.status !== "CLOSED"
      ? editing
        ? html`<${Edit} commune=${commune} c=${c} reload=${reload} />`
        : html`<p><button type="button" onClick=${() => setEditing(true)}>${t("disputes.edit")}</button></p>`
      : null}

    ${beforeCourt
      ? html`<h2>${t("disputes.newHearing")}</h2>
        <${Form} submitLabel=${t("disputes.setHearing")} onSubmit=${async () => {
          const at = new Date(`${hearing.hearingDay}T${hearing.hearingTime}`).toISOString();
          await call((cl) => cl.setDisputeHearing(commune, id, { scheduledAt: at, room: hearing.room.trim() || null, object: hearing.hearingObject }));
          setHearing({ hearingDay: "", hearingTime: "09:00", room: "", hearingObject: "" });
          reload(t("disputes.hearingSet"));
        }}>
          <${Field} label=${t("disputes.hearingDay")} name="hearingDay" type="date" value=${hearing} set=${setHearing} required />
          <${Field} label=${t("disputes.hearingTime")} name="hearingTime" type="time" value=${hearing} set=${setHearing} required />
          <${Field} label=${t("disputes.room")} name="room" value=${hearing} set=${setHearing} />
          <${Field} label=${t("disputes.object")} name="hearingObject" value=${hearing} set=${setHearing} required />
        </${Form}>
        <h2>${t("disputes.newDecision")}</h2>
        <${Form} submitLabel=${t("disputes.recordDecision")} onSubmit=${async () => {
          const recorded = await call((cl) => cl.recordDisputeDecision(commune, id, {
            decidedOn: decision.decidedOn, outcome: /** @type {any} */ (decision.outcome),
            awardedCentimes: toCentimes(decision.awarded), summary: decision.summary,
          }));
          reload(t("disputes.decided", { deadline: date(recorded.appealDeadline) }));
        }}>
          <${Field} label=${t("disputes.decidedOn")} name="decidedOn" type="date" value=${decision} set=${setDecision} required />
          <${Select} label=${t("disputes.outcomeLabel")} name="outcome" value=${decision} set=${setDecision} required
            options=${[["", "—"], ["WON", t("disputes.outcome.won")], ["LOST", t("disputes.outcome.lost")], ["PARTLY", t("disputes.outcome.partly")]]} />
          <${Field} label=${t("disputes.awardedDh")} name="awarded" value=${decision} set=${setDecision} dir="ltr" />
          <${Field} label=${t("disputes.summary")} name="summary" type="textarea" value=${decision} set=${setDecision} required />
        </${Form}>`
      : null}
    ${c.status === "DECIDED"
      ? html`<h2>${t("disputes.newAppeal")}</h2>
        <${Form} submitLabel=${t("disputes.lodgeAppeal")} onSubmit=${async () => {
          await call((cl) => cl.lodgeDisputeAppeal(commune, id, { lodgedOn: appeal.lodgedOn, courtName: appeal.appealCourt, courtCity: appeal.appealCity }));
          reload(t("disputes.appealed"));
        }}>
          <${Field} label=${t("disputes.lodgedOn")} name="lodgedOn" type="date" value=${appeal} set=${setAppeal} required />
          <${Field} label=${t("disputes.courtName")} name="appealCourt" value=${appeal} set=${setAppeal} required />
          <${Field} label=${t("disputes.courtCity")} name="appealCity" value=${appeal} set=${setAppeal} required />
        </${Form}>`
      : null}
    ${c.status !== "CLOSED"
      ? html`<${Form} submitLabel=${t("disputes.close")} onSubmit=${async () => {
          await call((cl) => cl.closeDisputeCase(commune, id));
          reload(t("disputes.closed"));
        }}></${Form}>`
      : null}
  </section>`;
}
