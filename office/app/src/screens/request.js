// @ts-check
// The file of a request: its form data (personal fields shown only when the API opens them, and said so), its
// documents (downloaded with the session), history, messages to the applicant, the actions open to the user with
// their required comment and staff form (a site-visit report, kept with the step and shown in the history), the
// commission its state consults (each body's delay and opinion, and the opinion form for a body's member), the
// decision document (or, for a file the silence approved, the certificate of tacit
// acceptance), the printable receipt, and who works on it.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, dateTime, language, list, number, t } from "../i18n.js";
import { call, may, useDraft, useSession } from "../session.js";
import { ErrorBox, Loading, Notice, href, useLoad } from "../ui.js";
import { CivilRequest } from "./civil.js";

export function RequestFile({ commune, id }) {
  const { features, me } = useSession();
  const request = useLoad(() => call((c) => c.getRequest(commune, id)), [commune, id, language()]);
  const service = useLoad(
    () => (request.data ? call((c) => c.getService(commune, request.data.serviceCode)) : Promise.resolve(null)),
    [request.data?.serviceCode, language()],
  );
  const issued = useLoad(() => call((c) => c.requestDocuments(commune, id)), [commune, id]);
  const [notice, setNotice] = useState("");
  if (request.error) return html`<${ErrorBox} error=${request.error} />`;
  if (!request.data) return html`<${Loading} />`;
  const r = request.data;
  const fields = service.data?.fields ?? [];
  const label = (/** @type {string} */ key) => fields.find((f) => f.key === key)?.label ?? key;
  const personal = new Set(fields.filter((f) => f.personal).map((f) => f.key));
  const openedPersonal = Object.keys(r.data).filter((k) => personal.has(k));

  return html`<article class="file">
    <p><a href=${href(commune, "inbox")}>${t("file.back")}</a></p>
    <h1><span dir="ltr">${r.trackingCode}</span> — ${r.serviceName}</h1>
    <${Notice} text=${notice} />
    <dl class="facts">
      <dt>${t("inbox.state")}</dt><dd id="file-state">${r.stateLabel}</dd>
      <dt>${t("inbox.submitted")}</dt><dd>${dateTime(r.submittedAt)}</dd>
      <dt>${t("inbox.due")}</dt><dd>${date(r.decisionDue)}</dd>
      ${r.stepDueDate ? html`<dt>${t("file.step")}</dt><dd id="file-step-due">${t("inbox.stepDue", { date: date(r.stepDueDate) })}${r.stepOverdue ? html` <span class="badge step-late">${t("inbox.stepLate")}</span>` : null}</dd>` : null}
      ${r.closedAt ? html`<dt>${t("file.closed")}</dt><dd>${dateTime(r.closedAt)}</dd>` : null}
      ${features?.assignment ? html`<dt>${t("inbox.assignee")}</dt><dd id="file-assignee">${r.assignee?.displayName ?? t("inbox.nobody")}</dd>` : null}
    </dl>

    ${features?.assignment ? html`<${Assignment} commune=${commune} request=${r} me=${me} done=${(/** @type {string} */ text) => { setNotice(text); request.reload(); }} />` : null}

    <section aria-labelledby="data-title">
      <h2 id="data-title">${t("file.data")}</h2>
      ${openedPersonal.length ? html`<p class="personal-note" role="note">${t("file.personalOpened", { fields: list(openedPersonal.map(label)) })}</p>` : null}
      ${r.sealedFields.length ? html`<p class="personal-note" role="note">${t("file.personalSealed", { fields: list(r.sealedFields.map(label)) })}</p>` : null}
      <dl class="data">
        ${Object.entries(r.data).map(([key, value]) => html`<dt>${label(key)}${personal.has(key) ? html` <span class="badge">${t("file.personal")}</span>` : null}</dt><dd>${show(value, fields.find((f) => f.key === key))}</dd>`)}
      </dl>
    </section>

    <section aria-labelledby="docs-title">
      <h2 id="docs-title">${t("file.documents")}</h2>
      ${r.documents.length === 0 ? html`<p>${t("file.noDocuments")}</p>` : null}
      <ul>
        ${r.documents.map((d) => html`<li>
          <span dir="ltr">${d.fileName}</span> (${d.mediaType}, ${number(Math.ceil(d.sizeBytes / 1024))} KB)
          ${d.fileId ? html` <button type="button" onClick=${() => download(commune, r.id, d.fileId, setNotice)}>${t("file.download")}</button>` : null}
        </li>`)}
      </ul>
    </section>

    ${may(commune, "manage_civil_status")
      ? html`<${CivilRequest} commune=${commune} request=${r}
          done=${(/** @type {string} */ text) => { setNotice(text); request.reload(); issued.reload(); }} />`
      : null}

    ${r.commission ? html`<${Commission} commune=${commune} request=${r}
      done=${(/** @type {string} */ text) => { setNotice(text); request.reload(); }} />` : null}

    <${Actions} commune=${commune} request=${r} done=${(/** @type {string} */ text) => { setNotice(text); request.reload(); issued.reload(); }} />

    ${r.closedAt
      ? html`<section aria-labelledby="decision-title">
          <h2 id="decision-title">${t("file.decision")}</h2>
          ${tacitlyApproved(r)
            ? html`<${IssueDocument} label=${t("file.issueTacitCertificate")}
                issue=${(c) => c.issueTacitAcceptanceCertificate(commune, r.id)} done=${() => issued.reload()} />`
            : html`<${IssueDocument} label=${t("file.issueDecision")} issue=${(c) => c.issueDecision(commune, r.id)}
                done=${() => issued.reload()} />`}
          ${(issued.data ?? []).map((d) => html`<div class="issued">
            <h3>${d.title}</h3>
            <p>${t("file.verificationCode")}: <strong dir="ltr" class="code">${d.code}</strong> — <a href=${d.verifyPath} dir="ltr">${d.verifyPath}</a>${d.pdfPath ? html` — <a href=${d.pdfPath} download>${t("file.downloadPdf")}</a>` : null}</p>
            <pre dir="auto">${d.text}</pre>
          </div>`)}
        </section>`
      : null}

    <section aria-labelledby="history-title">
      <h2 id="history-title">${t("file.history")}</h2>
      <ol class="history">
        ${r.history.map((s) => html`<li><time datetime=${s.at}>${dateTime(s.at)}</time> — ${s.actionLabel} → ${s.stateLabel} (${t(`actor.${s.actor}`)})${s.comment ? html`<q>${s.comment}</q>` : null}${s.form ? html`<${StepForm} form=${s.form} />` : null}</li>`)}
      </ol>
    </section>

    ${r.messages.length
      ? html`<section aria-labelledby="messages-title">
          <h2 id="messages-title">${t("file.messages")}</h2>
          <ul>${r.messages.map((m) => html`<li><time datetime=${m.at}>${dateTime(m.at)}</time> — ${m.actionLabel}: ${m.body}</li>`)}</ul>
        </section>`
      : null}

    <section class="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">${t("file.receipt")}</h2>
      <dl class="facts">
        <dt>${t("inbox.code")}</dt><dd dir="ltr">${r.receipt.trackingCode}</dd>
        <dt>${t("file.commune")}</dt><dd>${r.receipt.communeName}</dd>
        <dt>${t("inbox.service")}</dt><dd>${r.receipt.serviceName}</dd>
        <dt>${t("inbox.submitted")}</dt><dd>${dateTime(r.receipt.submittedAt)}</dd>
        <dt>${t("inbox.due")}</dt><dd>${date(r.receipt.decisionDue)}</dd>
        <dt>${t("file.silence")}</dt><dd>${r.receipt.silenceMeans}</dd>
      </dl>
      <button type="button" class="no-print" onClick=${() => print()}>${t("file.print")}</button>
    </section>
  </article>`;
}

function show(/** @type {unknown} */ value, /** @type {any} */ field) {
  if (value === null || value === undefined) return "—";
  // A choice: the label of the option chosen, in the screen's language, not its stored value.
  const option = field?.options?.find((/** @type {any} */ o) => o.value === value);
  if (option) return option.label;
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  // A location field: its address, then its coordinates as maps write them (decimal points, latitude first).
  const place = /** @type {any} */ (value);
  if (typeof place === "object" && typeof place.lat === "number" && typeof place.lng === "number") {
    const where = `${place.lat}, ${place.lng}`;
    return place.address ? `${place.address} (${where})` : where;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

async function download(commune, requestId, fileId, setNotice) {
  try {
    const file = await call((c) => c.downloadFile(commune, requestId, fileId));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(file.blob);
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (error) {
    setNotice(`${t("file.downloadFailed")} (${error.code ?? ""})`);
  }
}

/** The staff form kept with a step of the history: its values, and the personal fields left sealed. */
function StepForm({ form }) {
  return html`<dl class="data step-form">
    ${Object.entries(form.values).map(([key, value]) => html`<dt>${key}</dt><dd>${show(value, null)}</dd>`)}
    ${form.sealedFields.length ? html`<dt>${t("file.personal")}</dt><dd>${t("file.personalSealed", { fields: list(form.sealedFields) })}</dd>` : null}
  </dl>`;
}

/** A text of a definition (`{ ar, fr, … }`) in the screen's language, else French, else any. */
function localized(/** @type {any} */ text) {
  if (!text || typeof text !== "object") return String(text ?? "");
  return text[language()] ?? text.fr ?? Object.values(text)[0] ?? "";
}

/** What a field of a staff form sends, from what its input holds (empty: nothing). */
function formValue(/** @type {any} */ field, /** @type {any} */ raw) {
  if (field.type === "boolean") return Boolean(raw);
  if (raw === undefined || raw === "") return null;
  if (field.type === "number" || field.type === "money") return Number(raw);
  return raw;
}

/** The inputs of an action's staff form (the server checks them as it checks a citizen's form). */
function StaffFormFields({ schema, values, change }) {
  return html`<fieldset class="staff-form">
    <legend>${t("file.staffForm")}</legend>
    ${schema.fields.map((/** @type {any} */ f) => {
      const id = `staff-${f.key}`;
      const label = html`<label for=${id}>${localized(f.label)}${f.personal ? html` <span class="badge">${t("file.personal")}</span>` : null}</label>`;
      const set = (/** @type {unknown} */ v) => change({ ...values, [f.key]: v });
      if (f.type === "boolean") {
        return html`<div class="field check"><input type="checkbox" id=${id} checked=${Boolean(values[f.key])}
          onChange=${(/** @type {any} */ e) => set(e.currentTarget.checked)} />${label}</div>`;
      }
      if (f.type === "choice") {
        return html`<div class="field">${label}<select id=${id} required=${Boolean(f.required)} value=${values[f.key] ?? ""}
          onChange=${(/** @type {any} */ e) => set(e.currentTarget.value)}><option value="">—</option>
          ${(f.options ?? []).map((/** @type {any} */ o) => html`<option value=${o.value}>${localized(o.label)}</option>`)}</select></div>`;
      }
      const type = { number: "number", money: "number", date: "date", email: "email", phone: "tel" }[f.type] ?? "text";
      return html`<div class="field">${label}<input id=${id} type=${type} required=${Boolean(f.required)} value=${values[f.key] ?? ""}
        onInput=${(/** @type {any} */ e) => set(e.currentTarget.value)} /></div>`;
    })}
  </fieldset>`;
}

/** The actions open to the user now; a comment where the workflow requires one, and the action's staff form
 * where it asks for one (kept as a draft). */
function Actions({ commune, request, done }) {
  const [draft, setDraft, clearDraft] = useDraft(`act:${request.id}`, { action: "", comment: "", form: {} });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!request.availableActions.length) return null;
  const chosen = request.availableActions.find((a) => a.key === draft.action);
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const schema = chosen.formSchema;
      const form = schema
        ? Object.fromEntries(schema.fields.map((/** @type {any} */ f) => [f.key, formValue(f, draft.form?.[f.key])]))
        : null;
      const after = await call((c) => c.act(commune, request.id, chosen.key, request.version, draft.comment || null, form));
      clearDraft();
      done(t("file.acted", { action: chosen.label, state: after.stateLabel }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="actions-title">
    <h2 id="actions-title">${t("file.actions")}</h2>
    <form onSubmit=${submit} aria-busy=${busy}>
      <fieldset>
        <legend>${t("file.chooseAction")}</legend>
        ${request.availableActions.map((a) => html`<div class="field check">
          <input type="radio" name="action" id=${`action-${a.key}`} value=${a.key} checked=${draft.action === a.key}
            onChange=${() => setDraft({ ...draft, action: a.key })} />
          <label for=${`action-${a.key}`}>${a.label}${a.commentRequired ? ` (${t("file.commentRequired")})` : ""}</label>
        </div>`)}
      </fieldset>
      ${chosen?.formSchema ? html`<${StaffFormFields} schema=${chosen.formSchema} values=${draft.form ?? {}}
        change=${(/** @type {any} */ form) => setDraft({ ...draft, form })} />` : null}
      <div class="field">
        <label for="comment">${t("file.comment")}${chosen?.notifiesApplicant ? ` — ${t("file.sentToApplicant")}` : ""}</label>
        <textarea id="comment" required=${Boolean(chosen?.commentRequired)} value=${draft.comment}
          onInput=${(/** @type {any} */ e) => setDraft({ ...draft, comment: e.currentTarget.value })}></textarea>
      </div>
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy || !chosen}>${t("file.act")}</button>
    </form>
  </section>`;
}

/** The commission the request's state consults: each body, its delay and due day, its opinion (or its silence
 * counted); and, for a member of a body yet to speak, the form of its opinion (reasons required unless
 * favourable, the body's own form if it has one). The request moves by itself when the commission decides. */
function Commission({ commune, request, done }) {
  const c = request.commission;
  const [draft, setDraft, clearDraft] = useDraft(`opinion:${request.id}`, { body: "", opinion: "", reasons: "", form: {} });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const body = draft.body || c.yours[0] || "";
  const schema = c.bodies.find((/** @type {any} */ b) => b.role === body)?.formSchema;
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const form = schema
        ? Object.fromEntries(schema.fields.map((/** @type {any} */ f) => [f.key, formValue(f, draft.form?.[f.key])]))
        : null;
      const opinion = /** @type {import("jamaa-sdk").Opinion} */ (draft.opinion);
      await call((client) => client.giveOpinion(commune, request.id, opinion, { reasons: draft.reasons || null, body, form }));
      clearDraft();
      done(t("file.opinionGiven"));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="commission-title" id="commission">
    <h2 id="commission-title">${t("file.commission")}</h2>
    <p>${t("file.commissionIntro", { date: date(c.enteredOn), silence: t(`opinion.${c.silenceCountsAs}`) })}</p>
    <p>${t("file.commissionOutcome")}: <strong id="commission-outcome">${t(`opinion.${c.outcome}`)}</strong></p>
    <table>
      <thead><tr><th scope="col">${t("file.body")}</th><th scope="col">${t("file.bodyDue")}</th><th scope="col">${t("file.bodyOpinion")}</th></tr></thead>
      <tbody>
        ${c.bodies.map((/** @type {any} */ b) => html`<tr data-body=${b.role}>
          <th scope="row">${b.label}</th>
          <td>${t("file.bodyDueText", { count: b.delayDays, date: date(b.due) })}</td>
          <td>${b.opinion
            ? html`${t(`opinion.${b.opinion.opinion}`)}${b.opinion.silent ? html` <span class="badge">${t("file.silenceCounted")}</span>` : null}${b.opinion.reasons ? html`<q dir="auto">${b.opinion.reasons}</q>` : null}`
            : t("file.noOpinionYet")}</td>
        </tr>`)}
      </tbody>
    </table>
    ${c.yours.length
      ? html`<form onSubmit=${submit} aria-busy=${busy} id="opinion-form">
          <h3>${t("file.giveOpinion")}</h3>
          ${c.yours.length > 1
            ? html`<div class="field"><label for="opinion-body">${t("file.opinionAs")}</label>
                <select id="opinion-body" value=${body} onChange=${(/** @type {any} */ e) => setDraft({ ...draft, body: e.currentTarget.value })}>
                  ${c.yours.map((/** @type {string} */ role) => html`<option value=${role}>${c.bodies.find((/** @type {any} */ b) => b.role === role)?.label ?? role}</option>`)}
                </select></div>`
            : null}
          <fieldset>
            <legend>${t("file.bodyOpinion")}</legend>
            ${["FAVOURABLE", "FAVOURABLE_WITH_CONDITIONS", "UNFAVOURABLE"].map((o) => html`<div class="field check">
              <input type="radio" name="opinion" id=${`opinion-${o}`} value=${o} checked=${draft.opinion === o}
                onChange=${() => setDraft({ ...draft, opinion: o })} />
              <label for=${`opinion-${o}`}>${t(`opinion.${o}`)}</label>
            </div>`)}
          </fieldset>
          ${schema ? html`<${StaffFormFields} schema=${schema} values=${draft.form ?? {}}
            change=${(/** @type {any} */ form) => setDraft({ ...draft, form })} />` : null}
          <div class="field">
            <label for="opinion-reasons">${t("file.opinionReasons")}</label>
            <textarea id="opinion-reasons" required=${Boolean(draft.opinion) && draft.opinion !== "FAVOURABLE"} value=${draft.reasons}
              onInput=${(/** @type {any} */ e) => setDraft({ ...draft, reasons: e.currentTarget.value })}></textarea>
          </div>
          <${ErrorBox} error=${error} />
          <button type="submit" disabled=${busy || !draft.opinion}>${t("file.submitOpinion")}</button>
        </form>`
      : null}
  </section>`;
}

/** A request approved by the silence of the administration: closed approved by the system, for a service whose
 * silence means approval (the server checks the rest: the timer, and who may certify). */
function tacitlyApproved(/** @type {any} */ r) {
  return Boolean(r.closedAt) && r.outcome === "APPROVED" && r.receipt.silence === "TACIT_APPROVAL"
    && r.history.at(-1)?.actor === "system";
}

/** A button issuing a document about the request (the decision, a certificate of tacit acceptance). */
function IssueDocument({ label, issue, done }) {
  const [error, setError] = useState(null);
  const run = async () => {
    setError(null);
    try {
      await call(issue);
      done();
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<div>
    <button type="button" onClick=${run}>${label}</button>
    <${ErrorBox} error=${error} />
  </div>`;
}

/** Claim, release, assign or reassign (members holding a role of the request's workflow). */
function Assignment({ commune, request, me, done }) {
  const mayAssign = may(commune, "assign_requests");
  const members = useLoad(
    () => (mayAssign ? call((c) => c.assignableMembers(commune, request.id)) : Promise.resolve([])),
    [commune, request.id, mayAssign],
  );
  const [memberId, setMemberId] = useState("");
  const [error, setError] = useState(null);
  const run = async (/** @type {(c: any) => Promise<any>} */ fn, /** @type {string} */ text) => {
    setError(null);
    try {
      await call(fn);
      done(text);
    } catch (caught) {
      setError(caught);
    }
  };
  const mine = request.assignee && request.assignee.id === me?.id;
  return html`<section aria-labelledby="assign-title">
    <h2 id="assign-title">${t("file.assignment")}</h2>
    ${!mine ? html`<button type="button" onClick=${() => run((c) => c.claim(commune, request.id), t("file.claimed"))}>${t("file.claim")}</button>` : null}
    ${request.assignee ? html` <button type="button" onClick=${() => run((c) => c.release(commune, request.id), t("file.released"))}>${t("file.release")}</button>` : null}
    ${mayAssign && members.data?.length
      ? html`<div class="field inline">
          <label for="assign-to">${t("file.assignTo")}</label>
          <select id="assign-to" value=${memberId} onChange=${(/** @type {any} */ e) => setMemberId(e.currentTarget.value)}>
            <option value="">—</option>
            ${members.data.map((m) => html`<option value=${m.id} selected=${memberId === m.id}>${m.displayName}</option>`)}
          </select>
          <button type="button" disabled=${!memberId} onClick=${() => run((c) => c.assign(commune, request.id, memberId), t("file.assigned"))}>${t("file.assign")}</button>
        </div>`
      : null}
    <${ErrorBox} error=${error || members.error} />
  </section>`;
}
