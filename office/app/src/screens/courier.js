// @ts-check
// The courier registry: register incoming and outgoing mail, route it to a department, follow it up, and the
// overdue list.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, dateTime, t, today } from "../i18n.js";
import { call, useDraft } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, useLoad } from "../ui.js";

export function Courier({ commune }) {
  const [filters, setFilters] = useState({ direction: "", state: "", overdue: false, department: "" });
  const [applied, setApplied] = useState(filters);
  const [selected, setSelected] = useState(/** @type {string | null} */ (null));
  const items = useLoad(() => call((c) => c.mailItems(commune, {
    direction: /** @type {any} */ (applied.direction || null),
    state: /** @type {any} */ (applied.state || null),
    overdue: applied.overdue || null,
    department: applied.department || null,
  })), [commune, applied]);
  const [mail, setMail, clearMail] = useDraft(`mail:${commune}`, { direction: "INCOMING", correspondent: "", subject: "", date: "", department: "", dueOn: "", requestCode: "" });
  return html`<section>
    <h1>${t("courier.title")}</h1>
    <form class="filters" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); setApplied({ ...filters }); }}>
      <${Select} label=${t("courier.direction")} name="direction" value=${filters} set=${setFilters}
        options=${[["", t("common.all")], ["INCOMING", t("courier.INCOMING")], ["OUTGOING", t("courier.OUTGOING")]]} />
      <${Select} label=${t("courier.state")} name="state" value=${filters} set=${setFilters}
        options=${[["", t("common.all")], ...["OPEN", "ANSWERED", "CLOSED"].map((s) => [s, t(`courier.${s}`)])]} />
      <${Field} label=${t("courier.department")} name="department" value=${filters} set=${setFilters} />
      <${Field} label=${t("courier.overdueOnly")} name="overdue" type="checkbox" value=${filters} set=${setFilters} />
      <button type="submit">${t("inbox.apply")}</button>
    </form>
    <${ErrorBox} error=${items.error} />
    ${items.data
      ? html`<table class="list">
          <caption>${t("courier.registry")}</caption>
          <thead><tr><th scope="col">${t("courier.number")}</th><th scope="col">${t("courier.correspondent")}</th><th scope="col">${t("courier.subject")}</th><th scope="col">${t("courier.department")}</th><th scope="col">${t("courier.dueOn")}</th><th scope="col">${t("courier.state")}</th></tr></thead>
          <tbody>${items.data.nodes.map((m) => html`<tr class=${m.overdue ? "late" : ""}>
            <td><button type="button" class="link" dir="ltr" onClick=${() => setSelected(m.id)}>${m.number}</button></td>
            <td>${m.correspondent}</td><td>${m.subject}</td><td>${m.department}</td>
            <td>${date(m.dueOn)}${m.overdue ? html` <span class="badge">${t("inbox.late")}</span>` : null}</td><td>${t(`courier.${m.state}`)}</td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}
    ${selected ? html`<${MailDetail} commune=${commune} id=${selected} changed=${() => items.reload()} />` : null}
    <h2>${t("courier.register")}</h2>
    <${Form} submitLabel=${t("courier.registerSubmit")} onSubmit=${async () => {
      const created = await call((c) => c.registerMail(commune, {
        ...mail, direction: /** @type {any} */ (mail.direction), dueOn: mail.dueOn || null, requestCode: mail.requestCode || null,
      }));
      clearMail();
      items.reload();
      setSelected(created.id);
    }}>
      <${Select} label=${t("courier.direction")} name="direction" value=${mail} set=${setMail} options=${[["INCOMING", t("courier.INCOMING")], ["OUTGOING", t("courier.OUTGOING")]]} />
      <${Field} label=${t("courier.correspondent")} name="correspondent" value=${mail} set=${setMail} required />
      <${Field} label=${t("courier.subject")} name="subject" value=${mail} set=${setMail} required />
      <${Field} label=${t("courier.date")} name="date" type="date" value=${mail} set=${setMail} required />
      <${Field} label=${t("courier.department")} name="department" value=${mail} set=${setMail} required />
      <${Field} label=${t("courier.dueOn")} name="dueOn" type="date" value=${mail} set=${setMail} min=${today()} />
      <${Field} label=${t("courier.requestCode")} name="requestCode" value=${mail} set=${setMail} dir="ltr" />
    </${Form}>
  </section>`;
}

function MailDetail({ commune, id, changed }) {
  const item = useLoad(() => call((c) => c.mailItem(commune, id)), [commune, id]);
  const [route, setRoute] = useState({ department: "", note: "" });
  const [follow, setFollow] = useState({ state: "ANSWERED", note: "" });
  if (item.error) return html`<${ErrorBox} error=${item.error} />`;
  if (!item.data) return html`<${Loading} />`;
  const m = item.data;
  const done = () => {
    item.reload();
    changed();
  };
  return html`<section class="detail" aria-labelledby="mail-title">
    <h2 id="mail-title"><span dir="ltr">${m.number}</span> — ${m.subject}</h2>
    <ol>${(m.history ?? []).map((h) => html`<li><time datetime=${h.at}>${dateTime(h.at)}</time> — ${h.kind} → ${h.department} (${t(`courier.${h.state}`)})${h.note ? html` <q>${h.note}</q>` : null}</li>`)}</ol>
    ${m.state !== "CLOSED"
      ? html`<${Form} submitLabel=${t("courier.route")} onSubmit=${async () => { await call((c) => c.routeMail(commune, id, route.department, route.note || null)); done(); }}>
          <${Field} label=${t("courier.routeTo")} name="department" value=${route} set=${setRoute} required />
          <${Field} label=${t("courier.note")} name="note" value=${route} set=${setRoute} />
        </${Form}>
        <${Form} submitLabel=${t("courier.followUp")} onSubmit=${async () => { await call((c) => c.setMailFollowUp(commune, id, /** @type {any} */ (follow.state), follow.note || null)); done(); }}>
          <${Select} label=${t("courier.state")} name="state" value=${follow} set=${setFollow} options=${["OPEN", "ANSWERED", "CLOSED"].map((s) => [s, t(`courier.${s}`)])} />
          <${Field} label=${t("courier.note")} name="note" value=${follow} set=${setFollow} />
        </${Form}>`
      : null}
  </section>`;
}
